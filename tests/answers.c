/*
 * The two questions of the 2017 report, answered in plain words at the end of
 * a run from the scenarios that ran: Q1, is the PTE table page leaked (per
 * policy, counted by the sweep); Q2, can the table->block change without BBM
 * fault from a stale table pointer (what the model allows, what this machine showed).
 */
#include <stdio.h>
#include <string.h>

#include "tests/machine.h"
#include "tests/scn_internal.h"

#define Q1_MAX 8

struct q1_entry {
	const char *policy;
	int level;
	uint64_t n, leaked, refused;
};

static struct q1_entry q1[Q1_MAX];
static unsigned q1_count;

static struct {
	uint64_t n, seen, runs;
	outcome_set_t allowed;
	bool stale_pointer; /* the model's fault-t3 witness reads a cached table pointer */
	const struct scn_row *example;
} q2;

/* Per policy and level, whatever the regime (one VA or many). */
static struct q1_entry *q1_slot(const struct scn_row *row, const char *policy)
{
	int level = row->slot_level == 1 ? 1 : 2;

	for (unsigned i = 0; i < q1_count; i++)
		if (!strcmp(q1[i].policy, policy) && q1[i].level == level)
			return &q1[i];
	if (q1_count == Q1_MAX)
		return 0;
	q1[q1_count] = (struct q1_entry){.policy = policy, .level = level};
	return &q1[q1_count++];
}

/* The kernels each library policy mirrors (docs/scenarios.md). */
static const char *kernels(const char *policy)
{
	if (!strcmp(policy, "linux-4.14"))
		return "Linux 4.14";
	if (!strcmp(policy, "refuse-live"))
		return "Linux 4.16-4.17 (pmd_set_huge refuses)";
	if (!strcmp(policy, "linux-fixed"))
		return "Linux 4.18 on (pmd_free_pte_page first)";
	return policy;
}

static bool cached_table_step(const struct model_witness *w)
{
	for (unsigned i = 0; i < w->nsteps && i < PT_MAX_LEVELS; i++)
		if (w->step[i].source == MODEL_SRC_CACHED && desc_type(w->step[i].desc, w->step[i].level) == DESC_TABLE)
			return true;
	return false;
}

void scn_answers_add(const struct scn_row *row, const struct scn_result *r)
{
	if ((row->answers & SCN_Q1) && r->policy) {
		struct q1_entry *e = q1_slot(row, r->policy);
		if (e) {
			e->n += r->h.n;
			e->leaked += r->leaked;
			e->refused += r->refused;
		}
	}
	if (row->answers & SCN_BBML2)
		scn_bbml2_add(row, r);
	if ((row->answers & SCN_Q2) && !r->h.harness_errors) {
		q2.runs++;
		q2.n += r->h.n;
		q2.seen += r->h.hazards_seen;
		q2.allowed |= r->h.allowed;
		if ((r->witnesses.allowed & OUTCOME_BIT(OUTCOME_FAULT_T3)) &&
		    cached_table_step(&r->witnesses.witness[OUTCOME_FAULT_T3]))
			q2.stale_pointer = true;
		if (!q2.example || !strcmp(row->scenario, "seed/remap"))
			q2.example = q2.example && !strcmp(q2.example->scenario, "seed/remap") ? q2.example : row;
	}
}

static void print_q1(void)
{
	printf("# Q1 (is the PTE table page leaked when a 2M ioremap replaces an unmapped 4K one?):");
	for (unsigned i = 0; i < q1_count; i++) {
		const struct q1_entry *e = &q1[i];
		const char *what = kernels(e->policy), *where = e->level == 1 ? ", 1G over a PUD table" : "";
		if (e->refused)
			printf(" %s%s: no, the remap is refused (%llu leaked in %llu tries);", what, where,
			       (unsigned long long)e->leaked, (unsigned long long)e->n);
		else if (e->leaked)
			printf(" %s%s: yes, %llu table page(s) per remap (%llu in %llu remaps);", what, where,
			       (unsigned long long)(e->leaked / (e->n ? e->n : 1)), (unsigned long long)e->leaked,
			       (unsigned long long)e->n);
		else
			printf(" %s%s: no (0 in %llu remaps);", what, where, (unsigned long long)e->n);
	}
	printf(" (counted by the reachability sweep, the same on every CPU)\n");
}

static void print_q2(void)
{
	char set[160];

	outcome_set_format(q2.allowed & ~OUTCOME_BIT(OUTCOME_NEW), set, sizeof(set));
	printf("# Q2 (can the PMD table->block change without BBM fault from a stale table pointer?): ");
	if (q2.stale_pointer)
		printf("yes, the architecture allows it: the model allows %s after %s-%s, fault-t3 through the "
		       "cached PMD table pointer to the zeroed PTE;",
		       set, q2.example->scenario, q2.example->variant);
	else
		printf("the model allows %s after %s-%s, none through a stale table pointer;", set, q2.example->scenario,
		       q2.example->variant);
	printf(" this machine showed a hazard in %llu of %llu iterations", (unsigned long long)q2.seen,
	       (unsigned long long)q2.n);
	if (!q2.seen && machine_is_qemu())
		printf(" (QEMU TCG keeps no walk cache, so it cannot show it)");
	printf("\n");
}

void scn_answers_print(void)
{
	if (q1_count)
		print_q1();
	if (q2.runs)
		print_q2();
	scn_bbml2_print();
}
