/* What a scenario run prints (docs/output.md, "A scenario's report"). */
#include <stdio.h>

#include "lib/timing.h"
#include "tests/machine.h"
#include "tests/scn_internal.h"

static void print_histogram(const struct histogram *h)
{
	char row[128];

	printf("#   %-13s %10s %7s  %s\n", "outcome", "count", "share", "architecture");
	for (unsigned o = 0; o < OUTCOME_COUNT; o++) {
		if (!histogram_row_wanted(h, (enum outcome)o))
			continue;
		histogram_format_row(h, (enum outcome)o, row, sizeof(row));
		printf("%s\n", row);
	}
}

static void print_monitor(const struct scn_result *r)
{
	if (r->monitor.feat_bbm_permitted)
		printf("# BBM monitor: %llu live changes of block size permitted by FEAT_BBM level %u (not violations)\n",
		       (unsigned long long)r->monitor.feat_bbm_permitted, r->feat_bbm);
	if (!r->monitor.violations) {
		printf("# BBM monitor: 0 violations\n");
		return;
	}
	printf("# BBM monitor: %llu violations:", (unsigned long long)r->monitor.violations);
	for (unsigned k = 0; k < BBM_RULE_COUNT; k++)
		if (r->monitor.by_rule[k])
			printf(" %s=%llu", bbm_rule_name((enum bbm_rule)k), (unsigned long long)r->monitor.by_rule[k]);
	printf("\n");
	if (r->have_example)
		printf("# BBM monitor example: rule=%s va=0x%llx level=%d old=0x%016llx new=0x%016llx\n",
		       bbm_rule_name(r->example.rule), (unsigned long long)r->example.va, r->example.level,
		       (unsigned long long)r->example.old, (unsigned long long)r->example.new_val);
	if (r->monitor.track_overflows)
		printf("# BBM monitor: %llu cleared entries could not be tracked\n",
		       (unsigned long long)r->monitor.track_overflows);
}

/* Does this witness need what QEMU TCG does not have: a cached table entry, or two translations at once? */
static bool beyond_qemu(const struct model_witness *w)
{
	if (w->kind == MODEL_WITNESS_CONFLICT)
		return true;
	for (unsigned i = 0; i < w->nsteps && i < PT_MAX_LEVELS; i++) {
		const struct model_step *s = &w->step[i];
		if (s->source == MODEL_SRC_FREED)
			return true;
		if (s->source == MODEL_SRC_CACHED && desc_type(s->desc, s->level) == DESC_TABLE)
			return true;
	}
	return false;
}

/* Rule 6b: the conflict the model allows is a change of block size only (docs/model.md). */
static void print_size_change(const struct scn_result *r)
{
	unsigned need = r->witnesses.size_change_level;

	if (!need)
		return;
	printf("# FEAT_BBM: the change keeps the output address and attributes, only the block size changes: "
	       "permitted without a break from FEAT_BBM level %u (this CPU: level %u); a TLB conflict abort stays "
	       "allowed at every level%s\n",
	       need, r->feat_bbm, r->feat_bbm < need ? "; below the level it breaks BBM and an amalgamation (other) "
	       "is allowed too" : "");
}

/* The model's allowed set, one witness walk per allowed hazard, and what QEMU cannot show of it. */
static void print_allowed(const struct scn_result *r)
{
	char set[160], line[320];
	outcome_set_t hidden = 0;

	if (r->h.n == r->h.harness_errors) {
		printf("# allowed by the architecture (model): not asked: no iteration ran as written\n");
		return;
	}
	outcome_set_format(r->h.allowed, set, sizeof(set));
	printf("# allowed by the architecture (model): %s; the tables in memory give %s\n", set,
	       outcome_name(r->coherent));
	for (unsigned o = 0; o < OUTCOME_COUNT; o++) {
		if (!(r->h.hazards & OUTCOME_BIT(o)) || !(r->witnesses.allowed & OUTCOME_BIT(o)))
			continue;
		if (model_format_witness(&r->witnesses, (enum outcome)o, line, sizeof(line)) > 0)
			printf("# witness %s\n", line);
		if (beyond_qemu(&r->witnesses.witness[o]) && !r->h.count[o])
			hidden |= OUTCOME_BIT(o);
	}
	print_size_change(r);
	if (hidden && machine_is_qemu()) {
		outcome_set_format(hidden, set, sizeof(set));
		printf("# QEMU: the witnesses of %s need a cached table entry or two cached translations of one\n"
		       "# page; QEMU TCG keeps neither, so this run cannot show them. The architecture permits them.\n",
		       set);
	}
}

static outcome_set_t seen_set(const struct histogram *h)
{
	outcome_set_t seen = 0;

	for (unsigned o = 0; o < OUTCOME_COUNT; o++)
		if (h->count[o])
			seen |= OUTCOME_BIT(o);
	return seen;
}

static void print_verdict(const struct scn_result *r)
{
	const struct histogram *h = &r->h;
	char set[160];

	outcome_set_format(h->hazards, set, sizeof(set));
	switch (histogram_verdict(h)) {
	case VERDICT_SAFE:
		printf("# verdict safe: the model allows only what the tables give (%s)\n", outcome_name(r->coherent));
		break;
	case VERDICT_HAZARD_POSSIBLE:
		printf("# verdict hazard-possible: the architecture allows %s; not seen in %llu iterations here\n", set,
		       (unsigned long long)h->n);
		break;
	case VERDICT_HAZARD_SEEN:
		outcome_set_format(h->hazards & seen_set(h), set, sizeof(set));
		printf("# verdict hazard-seen: %llu of %llu iterations saw an allowed hazard (%s)\n",
		       (unsigned long long)h->hazards_seen, (unsigned long long)h->n, set);
		break;
	case VERDICT_FORBIDDEN_SEEN:
		printf("# verdict forbidden-seen: %s in %llu of %llu iterations, first at iteration %llu: forbidden by "
		       "the architecture: CPU/emulator erratum or harness bug\n",
		       outcome_name(h->first_forbidden), (unsigned long long)h->forbidden, (unsigned long long)h->n,
		       (unsigned long long)h->first_forbidden_iter);
		break;
	default:
		printf("# verdict harness-error: %s (iteration %llu; %llu of %llu iterations); nothing is claimed about "
		       "the CPU\n",
		       r->error, (unsigned long long)r->error_iter, (unsigned long long)h->harness_errors,
		       (unsigned long long)h->n);
		break;
	}
}

static void print_keyline(const struct scn_row *row, const struct scn_result *r, uint64_t seed)
{
	const struct machine_info *mi = machine();
	char line[640];
	struct scenario_result sr = {row->scenario, row->variant, r->policy ? r->policy : "none", mi->board,
				     mi->midr, mi->version, seed, r->leaked, r->monitor.violations};

	histogram_format_keyline(&r->h, &sr, line, sizeof(line));
	printf("%s\n", line);
}

void scn_report(struct test_ctx *t, const struct scn_row *row, const struct scn_result *r)
{
	char seq[512];

	uint64_t seq_ms = timer_ticks_to_ns(r->sequence_ticks, timer_frequency()) / 1000000;

	printf("# %s %s (policy %s): %llu iterations in %llu ms (sequences and accesses %llu ms), probe VA 0x%llx\n",
	       row->scenario, row->variant, r->policy ? r->policy : "none", (unsigned long long)r->h.n,
	       (unsigned long long)(r->elapsed_ns / 1000000), (unsigned long long)seq_ms, (unsigned long long)r->va);
	scn_steps_describe(row, seq, sizeof(seq));
	printf("# sequence: %s; then one %s\n", seq, row->access == ACCESS_STORE ? "store" : "load");
	print_allowed(r);
	print_histogram(&r->h);
	printf("# leaked table pages: %llu (expected %d per iteration)%s\n", (unsigned long long)r->leaked, row->leak,
	       row->refused ? "; every change refused by the policy" : "");
	print_monitor(r);
	if (r->h.count[OUTCOME_OTHER])
		printf("# first 'other': ESR 0x%llx, value 0x%llx\n", (unsigned long long)r->h.first_other_esr,
		       (unsigned long long)r->h.first_other_value);
	print_verdict(r);
	print_keyline(row, r, t->seed);
}

void scn_note(struct test_ctx *t, const struct scn_result *r)
{
	const struct histogram *h = &r->h;
	unsigned long long n = h->n, leaked = r->leaked, viol = r->monitor.violations;

	switch (histogram_verdict(h)) {
	case VERDICT_SAFE:
		test_note(t, "safe in %llu; leaked %llu; violations %llu", n, leaked, viol);
		break;
	case VERDICT_HAZARD_POSSIBLE:
		test_note(t, "hazard possible, not seen in %llu; leaked %llu; violations %llu", n, leaked, viol);
		break;
	case VERDICT_HAZARD_SEEN:
		test_note(t, "hazard seen: %llu of %llu; leaked %llu; violations %llu",
			  (unsigned long long)h->hazards_seen, n, leaked, viol);
		break;
	case VERDICT_FORBIDDEN_SEEN:
		test_note(t, "FORBIDDEN %s seen: %llu of %llu", outcome_name(h->first_forbidden),
			  (unsigned long long)h->forbidden, n);
		break;
	default:
		test_note(t, "harness error in %llu of %llu", (unsigned long long)h->harness_errors, n);
		break;
	}
}
