/*
 * smp/seed-rewalk-other-cpu-*: the report's sequence (docs/scenarios.md,
 * seed/remap) with the re-walk done by another CPU. CPU 0 maps 4K VA -> B,
 * loads it, unmaps it with tlbi vaae1is (4.14 iounmap); CPU 1 loads VA (fault
 * armed: it must fault at level 3, the walk that may leave the PMD's table
 * pointer in CPU 1's walk cache); CPU 0 changes the PMD table -> 2M block -> A
 * by the row's policy; then CPU 0 loads VA, and CPU 1 loads it after
 * `dsb ish; isb`. Each load is judged against the model's set for that CPU:
 * after 4.14's live change a walk cache of either CPU may still hold the old
 * table pointer (rule 1: any reachable entry may be cached by any CPU), so
 * fault-t3 and a TLB conflict are allowed on both; after the fixed path only new.
 */
#include <stdio.h>
#include <string.h>

#include "boot/exception.h"
#include "lib/outcome.h"
#include "lib/timing.h"
#include "mmu/model.h"
#include "mmu/tlb.h"
#include "tests/cpus.h"
#include "tests/machine.h"
#include "tests/scenario.h"
#include "tests/smp_remap.h"
#include "tests/scn_internal.h"

#define OTHER_CPU 1u
#define RW_POISON 0x9015090150901509ull

struct rw_load {
	uint64_t va;
	uint64_t value;
	struct fault_record rec;
};

struct rw_run {
	struct scn_env env;
	enum pt_policy policy;
	uint64_t slot;
	struct outcome_markers m;
	struct histogram h[2];          /* [0]: CPU 0, [1]: CPU 1 */
	struct model_answer first[2];   /* the first iteration's answers: their witnesses are printed */
	uint64_t rewalk_failures;
};

static struct model rw_model;
static struct rw_run rw_run;

/* On CPU 1: what the mailbox hand-off ordered, then one armed load. */
static void other_load(void *arg)
{
	struct rw_load *l = arg;

	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
	l->value = probe_read64(l->va, RW_POISON, &l->rec);
}

static void rw_sink(void *ctx, const struct arch_event *evs, unsigned n)
{
	(void)ctx;
	for (unsigned i = 0; i < n; i++)
		if (evs[i].kind != ARCH_EV_ACCESS)
			(void)model_on_event(&rw_model, evs[i].cpu, evs[i].kind, evs[i].a, evs[i].b, evs[i].c);
}

/* CPU 1's load, with its dsb ish; isb fed to the model in program order. */
static bool load_on_other(struct test_ctx *t, struct rw_load *l)
{
	arch_event_sync(); /* CPU 0's events before CPU 1's */
	(void)model_on_event(&rw_model, OTHER_CPU, ARCH_EV_DSB_ISH, 0, 0, 0);
	(void)model_on_event(&rw_model, OTHER_CPU, ARCH_EV_ISB, 0, 0, 0);
	return cpus_run(t, OTHER_CPU, other_load, l);
}

static void judge_load(struct rw_run *r, unsigned cpu, const struct rw_load *l, uint64_t i)
{
	struct model_markers mk = {.new_pa = r->env.pa_new, .old_pa = r->env.pa_old};
	struct model_answer ans;
	enum outcome o = outcome_classify_load(l->rec.taken, l->rec.kind, l->rec.level, l->value, &r->m);

	arch_event_sync();
	if (model_access(&rw_model, cpu, r->slot, MODEL_ACCESS_READ, &mk, &ans) != MODEL_OK) {
		histogram_harness_error(&r->h[cpu], o);
		return;
	}
	if (i == 0)
		r->first[cpu] = ans;
	histogram_judge(&r->h[cpu], i, o, ans.allowed, OUTCOME_NEW);
}

/* Map 4K -> B, CPU 0 loads it, the model attached there; false: harness error (said). */
static bool rw_prefix(struct test_ctx *t, struct rw_run *r, uint64_t i)
{
	struct fault_record rec;
	const struct pt_space *s = r->env.space;

	r->m.new_marker = 0x4e45570000000000ull | i;
	r->m.old_marker = 0x4f4c440000000000ull | i;
	r->m.poison_marker = 0x504f490000000000ull;
	*(volatile uint64_t *)(uintptr_t)r->env.pa_new = r->m.new_marker;
	*(volatile uint64_t *)(uintptr_t)r->env.pa_old = r->m.old_marker;
	dsb_ish();
	enum pt_status st = map_range(r->env.space, r->slot, r->env.pa_old, SZ_4K, SCN_PROT, PT_POLICY_REFUSE_LIVE);
	uint64_t v = st == PT_OK ? probe_read64(r->slot, RW_POISON, &rec) : 0;
	if (st != PT_OK || rec.taken || v != r->m.old_marker ||
	    model_attach(&rw_model, s->root, s->start_level) != MODEL_OK) {
		test_harness_error(t, __FILE__, __LINE__, "iteration %llu: map 4K -> B, load it and attach the model failed",
				   (unsigned long long)i);
		return false;
	}
	return true;
}

/* One iteration; false if it could not run (the test has failed or has a harness error then). */
static bool rw_iteration(struct test_ctx *t, struct rw_run *r, uint64_t i)
{
	struct rw_load l1 = {.va = r->slot}, l0 = {.va = r->slot};

	if (!rw_prefix(t, r, i))
		return false;
	(void)arch_event_subscribe(rw_sink, 0);
	bool ok = unmap_range(r->env.space, r->slot, SZ_4K, PT_TLBI_ALL_LEVELS) == PT_OK && load_on_other(t, &l1);
	if (ok && (!l1.rec.taken || l1.rec.kind != FAULT_TRANSLATION || l1.rec.level != 3 || l1.rec.far != r->slot))
		r->rewalk_failures++; /* CPU 1's re-walk must fault at L3 at VA */
	ok = ok && map_range(r->env.space, r->slot, r->env.pa_new, SZ_2M, SCN_PROT, r->policy) == PT_OK;
	if (ok) {
		l0.value = probe_read64(r->slot, RW_POISON, &l0.rec);
		judge_load(r, 0, &l0, i);
		ok = load_on_other(t, &l1);
	}
	if (ok)
		judge_load(r, OTHER_CPU, &l1, i);
	arch_event_unsubscribe(rw_sink, 0);
	return ok;
}

static void report_cpu(struct test_ctx *t, const struct rw_run *r, unsigned cpu)
{
	char set[96], line[320];
	const struct histogram *h = &r->h[cpu];

	outcome_set_format(h->allowed, set, sizeof(set));
	test_diag(t, "cpu %u: allowed by the architecture (model): %s", cpu, set);
	for (enum outcome o = 0; o < OUTCOME_COUNT; o++) {
		if (!histogram_row_wanted(h, o))
			continue;
		histogram_format_row(h, o, line, sizeof(line));
		test_diag(t, "cpu %u %s", cpu, line + 4); /* the row starts with "#   " */
	}
	for (enum outcome o = 0; o < OUTCOME_COUNT; o++)
		if ((r->first[cpu].allowed & OUTCOME_BIT(o)) && o != OUTCOME_NEW &&
		    model_format_witness(&r->first[cpu], o, line, sizeof(line)) > 0)
			test_diag(t, "cpu %u witness %s", cpu, line);
}

static void rw_report(struct test_ctx *t, const struct rw_run *r, uint64_t ns)
{
	uint64_t per_s = ns ? t->iters * 1000000000ull / ns : 0;

	test_diag(t, "CPU 0 maps 4K at 0x%llx, loads, unmaps (vaae1is); CPU 1 re-walks (faults at L3); CPU 0 changes "
		     "the PMD table -> 2M block by %s; CPU 0 and CPU 1 load: %llu iterations in %llu ms (%llu per s)",
		  (unsigned long long)r->slot, pt_policy_name(r->policy), (unsigned long long)t->iters,
		  (unsigned long long)(ns / 1000000), (unsigned long long)per_s);
	report_cpu(t, r, 0);
	report_cpu(t, r, OTHER_CPU);
	if (machine_is_qemu() && (r->h[OTHER_CPU].allowed & OUTCOME_BIT(OUTCOME_FAULT_T3)))
		test_diag(t, "QEMU: fault-t3 and tlb-conflict need the old table pointer in a walk cache; QEMU TCG keeps "
			     "none, on any vCPU, so this run cannot show them. The architecture permits them");
	test_note(t, "new on cpu 0 in %llu, on cpu 1 in %llu of %llu", (unsigned long long)r->h[0].count[OUTCOME_NEW],
		  (unsigned long long)r->h[OTHER_CPU].count[OUTCOME_NEW], (unsigned long long)t->iters);
}

static void rw_judge(struct test_ctx *t, const struct rw_run *r)
{
	for (unsigned c = 0; c < 2; c++)
		CHECK(t, r->h[c].forbidden == 0,
		      "erratum candidate: %llu load(s) on CPU %u the model forbids (first: %s at iteration %llu)",
		      (unsigned long long)r->h[c].forbidden, c, outcome_name(r->h[c].first_forbidden),
		      (unsigned long long)r->h[c].first_forbidden_iter);
	if (r->rewalk_failures || r->h[0].harness_errors || r->h[1].harness_errors)
		test_harness_error(t, __FILE__, __LINE__, "%llu re-walk(s) on CPU 1 did not fault at L3; %llu load(s) not judged",
				   (unsigned long long)r->rewalk_failures,
				   (unsigned long long)(r->h[0].harness_errors + r->h[1].harness_errors));
}

static bool rw_set_up(struct test_ctx *t, struct rw_run *r)
{
	if (!smp_remap_set_up(t, &r->env, &r->slot, &rw_model, 2))
		return false;
	histogram_init(&r->h[0], 0, 0);
	histogram_init(&r->h[1], 0, 0);
	return true;
}

static void run_rewalk_other(struct test_ctx *t, enum pt_policy policy)
{
	struct rw_run *r = &rw_run;
	unsigned dangling;
	bool ok = true;

	memset(r, 0, sizeof(*r));
	r->policy = policy;
	if (!rw_set_up(t, r))
		return;
	uint64_t t0 = timer_counter();
	for (uint64_t i = 0; ok && i < t->iters; i++) {
		ok = rw_iteration(t, r, i);
		(void)scn_cleanup_slot(&r->env, r->slot, 2, &dangling, false, PT_TLBI_ALL);
	}
	uint64_t ns = timer_ticks_to_ns(timer_counter() - t0, timer_frequency());
	if (!ok)
		return;
	rw_report(t, r, ns);
	rw_judge(t, r);
}

TEST_CASE(smp_seed_rewalk_other_414, "smp", "seed-rewalk-other-cpu-linux-4.14",
	  "the report's sequence with CPU 1 doing the re-walk, then the 4.14 table->block: loads on both CPUs")
{
	run_rewalk_other(t, PT_POLICY_LINUX_4_14);
}

TEST_CASE(smp_seed_rewalk_other_5x, "smp", "seed-rewalk-other-cpu-linux-5.x",
	  "the same with the fixed path (pmd_free_pte_page first): only new on either CPU")
{
	run_rewalk_other(t, PT_POLICY_LINUX_FIXED);
}
