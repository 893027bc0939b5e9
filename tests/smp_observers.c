/*
 * smp/observers-*: CPU 0 runs the report's remap (map 4K -> B, load, unmap
 * with tlbi vaae1is, re-walk, PMD table->2M block -> A) in a loop, once with
 * Linux 4.14's live table->block change and once with the fixed BBM path,
 * while every other online CPU loops fault-armed loads at VA, VA+4K and
 * VA+2M-4K (and a PRFM at each: tests/smp_observe.c). Each load carries two
 * counter stamps; CPU 0 stamps just before its break (the unmap's write) and
 * just after its make completed (map_range's dsb ishst; isb). A load inside one
 * interval is in that phase: before, window, after; one that spans a stamp is
 * "straddle" and judged against the phases it spans.
 *
 * What may be seen in a phase comes from the model, fed CPU 0's events as they
 * happen: the union, over every state of CPU 0's sequence inside the phase, of
 * the outcomes the architecture allows an access on that observer CPU. A load
 * outside that set is an erratum candidate, counted and reported.
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
#include "tests/smp_observe.h"

enum obs_phase { PH_BEFORE, PH_WINDOW, PH_AFTER, PH_STRADDLE, PH_COUNT };
static const char *const phase_names[PH_COUNT] = {"before", "window", "after", "straddle"};
static const uint64_t obs_offsets[OBS_OFFSETS] = {0, SZ_4K, SZ_2M - SZ_4K};

struct obs_hist {
	uint64_t n;
	uint64_t count[OUTCOME_COUNT];
	uint64_t forbidden[OUTCOME_COUNT];
	outcome_set_t allowed; /* union of the sets the loads were judged against */
};

struct obs_run {
	struct scn_env env;
	enum pt_policy policy;
	uint64_t slot;
	struct outcome_markers m[OBS_OFFSETS];
	uint64_t t_break, t_made;
	enum obs_phase cur;                               /* the phase CPU 0's events now belong to */
	outcome_set_t acc[CPU_MAX][OBS_OFFSETS][PH_AFTER + 1]; /* this iteration's allowed sets */
	struct obs_hist h[CPU_MAX][OBS_OFFSETS][PH_COUNT];
	uint64_t forbidden, harness_errors, loads;
	char first_forbidden[96];
	bool model_failed;
};

static struct obs_shared obs_sh;
static struct obs_run obs_run;
static struct model obs_model;

static bool observing(unsigned cpu)
{
	return cpu != 0 && cpu < smp_cpu_count() && smp_cpu_info(cpu)->state == SMP_CPU_ONLINE;
}

/* OR into phase p, for every observer and offset, what the model allows an access there now. */
static void accumulate(struct obs_run *r, enum obs_phase p)
{
	for (unsigned c = 1; c < smp_cpu_count(); c++) {
		if (!observing(c))
			continue;
		for (unsigned k = 0; k < OBS_OFFSETS; k++) {
			struct model_markers mk = {.new_pa = r->env.pa_new + obs_offsets[k],
						   .old_pa = r->env.pa_old + obs_offsets[k]};
			struct model_answer ans;
			if (model_access(&obs_model, c, obs_sh.va[k], MODEL_ACCESS_READ, &mk, &ans) != MODEL_OK)
				r->model_failed = true;
			else
				r->acc[c][k][p] |= ans.allowed;
		}
	}
}

/* CPU 0's events, in order: each moves the model on, and the state after it belongs to the current phase. */
static void obs_sink(void *ctx, const struct arch_event *evs, unsigned n)
{
	struct obs_run *r = ctx;

	for (unsigned i = 0; i < n; i++) {
		if (evs[i].kind == ARCH_EV_ACCESS)
			continue;
		(void)model_on_event(&obs_model, evs[i].cpu, evs[i].kind, evs[i].a, evs[i].b, evs[i].c);
		accumulate(r, r->cur);
	}
}

/* Fresh markers at each offset of A (new) and B (old), so a value from an earlier iteration reads as other. */
static void set_markers(struct obs_run *r, uint64_t i)
{
	for (unsigned k = 0; k < OBS_OFFSETS; k++) {
		r->m[k].new_marker = 0x4e45570000000000ull | ((uint64_t)k << 32) | i;
		r->m[k].old_marker = 0x4f4c440000000000ull | ((uint64_t)k << 32) | i;
		r->m[k].poison_marker = 0x504f490000000000ull;
		*(volatile uint64_t *)(uintptr_t)(r->env.pa_new + obs_offsets[k]) = r->m[k].new_marker;
		*(volatile uint64_t *)(uintptr_t)(r->env.pa_old + obs_offsets[k]) = r->m[k].old_marker;
	}
	dsb_ish();
}

/* VA -> B (4K), loaded by CPU 0; the model attached with that as its start; false: harness error. */
static bool iter_setup(struct test_ctx *t, struct obs_run *r, uint64_t i)
{
	struct fault_record rec;
	const struct pt_space *s = r->env.space;

	set_markers(r, i);
	enum pt_status st = map_range(r->env.space, r->slot, r->env.pa_old, SZ_4K, SCN_PROT, PT_POLICY_REFUSE_LIVE);
	uint64_t v = st == PT_OK ? probe_read64(r->slot, 0, &rec) : 0;
	if (st != PT_OK || rec.taken || v != r->m[0].old_marker) {
		test_harness_error(t, __FILE__, __LINE__, "iteration %llu: map 4K -> B and load it failed (%s)",
				   (unsigned long long)i, pt_strerror(st));
		return false;
	}
	memset(r->acc, 0, sizeof(r->acc));
	r->model_failed = model_attach(&obs_model, s->root, s->start_level) != MODEL_OK;
	accumulate(r, PH_BEFORE); /* no event of CPU 0 falls between here and the break */
	for (unsigned c = 0; c < CPU_MAX; c++)
		for (unsigned k = 0; k < OBS_OFFSETS; k++)
			r->acc[c][k][PH_WINDOW] = r->acc[c][k][PH_BEFORE];
	return true;
}

/* Wait (yielding the vCPU, for single-threaded TCG) until every observer has done a round of generation g. */
static void wait_first_round(uint64_t g)
{
	for (unsigned c = 1; c < smp_cpu_count(); c++) {
		if (!observing(c))
			continue;
		const struct obs_cpu *oc = &obs_sh.cpu[c];
		while (!__atomic_load_n(&oc->rounds, __ATOMIC_ACQUIRE) && __atomic_load_n(&oc->ack, __ATOMIC_ACQUIRE) != g)
			__asm__ volatile("yield" ::: "memory");
	}
}

static void publish(uint64_t g)
{
	__atomic_store_n(&obs_sh.gen, g, __ATOMIC_RELEASE);
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
}

/* unmap 4K (4.14 iounmap: vaae1is), CPU 0's re-walk (must fault at L3), then the 2M block by the policy. */
static bool remap(struct obs_run *r)
{
	struct fault_record rec;

	if (unmap_range(r->env.space, r->slot, SZ_4K, PT_TLBI_ALL_LEVELS) != PT_OK)
		return false;
	/*
	 * The model decides whether the cleared PTE could still be walked (and so cached) from table
	 * memory when it takes the write: it must take it before the PMD changes, not in one batch with
	 * that change. Measured: with the unmap's TLBI dropped and this sync missing, the model lost the
	 * observer's stale copy and forbade the old page QEMU showed.
	 */
	arch_event_sync();
	(void)probe_read64(r->slot, 0, &rec);
	if (!rec.taken || rec.kind != FAULT_TRANSLATION || rec.level != 3)
		return false;
	return map_range(r->env.space, r->slot, r->env.pa_new, SZ_2M, SCN_PROT, r->policy) == PT_OK;
}

/* One generation: observers on, the remap between the two stamps, observers off. */
static bool iter_sequence(struct obs_run *r, uint64_t g)
{
	for (unsigned c = 0; c < CPU_MAX; c++) {
		obs_sh.cpu[c].n = 0;
		obs_sh.cpu[c].rounds = 0;
	}
	publish(g);
	wait_first_round(g); /* every observer has seen the "before" state at least once */
	(void)arch_event_subscribe(obs_sink, r);
	r->cur = PH_WINDOW;
	r->t_break = timer_counter();
	bool ok = remap(r);
	r->t_made = timer_counter();
	__atomic_store_n(&obs_sh.made, g, __ATOMIC_RELEASE); /* each observer: two more rounds, then it stops */
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
	/* The model's work while they finish: the window's events reach it, then the state after the make. */
	arch_event_sync();
	arch_event_unsubscribe(obs_sink, r);
	accumulate(r, PH_AFTER);
	for (unsigned c = 1; c < smp_cpu_count(); c++)
		while (observing(c) && __atomic_load_n(&obs_sh.cpu[c].ack, __ATOMIC_ACQUIRE) != g)
			__asm__ volatile("yield" ::: "memory");
	publish(g + 1);
	return ok;
}

static enum obs_phase phase_at(const struct obs_run *r, uint64_t ts)
{
	return ts < r->t_break ? PH_BEFORE : ts < r->t_made ? PH_WINDOW : PH_AFTER;
}

/* Classify one observer load, put it in its phase, judge it against the model's set for that phase. */
static void judge_record(struct obs_run *r, unsigned c, const struct obs_record *rec, uint64_t i)
{
	unsigned k = rec->offset;
	enum outcome o = outcome_classify_load(rec->taken, (enum fault_kind)rec->kind, rec->level, rec->value, &r->m[k]);
	enum obs_phase p0 = phase_at(r, rec->t0), p1 = phase_at(r, rec->t1);
	outcome_set_t allowed = 0;

	for (unsigned p = p0; p <= p1; p++)
		allowed |= r->acc[c][k][p];
	if (rec->taken && rec->far != obs_sh.va[k]) { /* a fault elsewhere is the harness's, not an outcome */
		r->harness_errors++;
		return;
	}
	struct obs_hist *h = &r->h[c][k][p0 == p1 ? p0 : PH_STRADDLE];
	h->n++;
	h->count[o]++;
	h->allowed |= allowed;
	r->loads++;
	if (outcome_permitted(allowed, o))
		return;
	h->forbidden[o]++;
	if (!r->forbidden++)
		snprintf(r->first_forbidden, sizeof(r->first_forbidden), "cpu %u VA+0x%llx %s: %s at iteration %llu", c,
			 (unsigned long long)obs_offsets[k], phase_names[p0 == p1 ? p0 : PH_STRADDLE], outcome_name(o),
			 (unsigned long long)i);
}

static void iter_judge(struct obs_run *r, uint64_t i)
{
	for (unsigned c = 1; c < smp_cpu_count(); c++) {
		if (!observing(c))
			continue;
		uint32_t n = __atomic_load_n(&obs_sh.cpu[c].n, __ATOMIC_ACQUIRE);
		for (uint32_t j = n > OBS_RECORDS ? n - OBS_RECORDS : 0; j < n; j++)
			judge_record(r, c, &obs_sh.cpu[c].rec[j % OBS_RECORDS], i);
	}
}

/* "old=812:allowed new=3:FORBIDDEN" (the buckets seen), each marked by the model's verdict for its loads. */
static void format_buckets(const struct obs_hist *h, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = 0;
	for (enum outcome o = 0; o < OUTCOME_COUNT && used < len; o++) {
		if (!h->count[o])
			continue;
		const char *mark = !h->forbidden[o] ? "allowed" : h->forbidden[o] == h->count[o] ? "FORBIDDEN" : "FORBIDDEN-in-part";
		used += (size_t)snprintf(buf + used, len - used, " %s=%llu:%s", outcome_name(o),
					 (unsigned long long)h->count[o], mark);
	}
}

static void report_cpu(struct test_ctx *t, const struct obs_run *r, unsigned c)
{
	char buckets[192], set[96];

	for (unsigned k = 0; k < OBS_OFFSETS; k++)
		for (unsigned p = 0; p < PH_COUNT; p++) {
			const struct obs_hist *h = &r->h[c][k][p];
			outcome_set_t model_set = p == PH_STRADDLE ? h->allowed : r->acc[c][k][p];
			format_buckets(h, buckets, sizeof(buckets));
			outcome_set_format(model_set, set, sizeof(set));
			test_diag(t, "cpu %u VA+0x%-6llx %-8s n=%llu%s; model allows %s", c, (unsigned long long)obs_offsets[k],
				  phase_names[p], (unsigned long long)h->n, buckets, p == PH_STRADDLE && !h->n ? "-" : set);
		}
	const struct obs_cpu *oc = &obs_sh.cpu[c];
	test_diag(t, "cpu %u prfm: %llu at the three offsets, %llu faulted (allowed: none; a prefetch returns nothing and "
		     "never faults, so it shows only that; on hardware it may fill the TLB or walk cache the loads use)",
		  c, (unsigned long long)oc->prfm, (unsigned long long)oc->prfm_faults);
}

static void report(struct test_ctx *t, const struct obs_run *r, uint64_t ns, unsigned observers)
{
	uint64_t per_s = ns ? t->iters * 1000000000ull / ns : 0;
	uint64_t in[PH_COUNT] = {0};

	test_diag(t, "CPU 0 remaps 0x%llx by %s (map 4K -> B, load, unmap with vaae1is, re-walk, PMD table->2M block -> A) "
		     "%llu times in %llu ms (%llu per s); %u observer CPU(s) load VA, VA+4K, VA+2M-4K",
		  (unsigned long long)r->slot, pt_policy_name(r->policy), (unsigned long long)t->iters,
		  (unsigned long long)(ns / 1000000), (unsigned long long)per_s, observers);
	test_diag(t, "phases by CNTVCT: before the break (the unmap's write), window (to the make's dsb; isb), after; "
		     "straddle: a load whose two stamps fall in different phases");
	for (unsigned c = 1; c < smp_cpu_count(); c++)
		if (observing(c))
			report_cpu(t, r, c);
	for (unsigned c = 1; c < CPU_MAX; c++)
		for (unsigned k = 0; k < OBS_OFFSETS; k++)
			for (unsigned p = 0; p < PH_COUNT; p++)
				in[p] += r->h[c][k][p].n;
	if (machine_is_qemu())
		test_diag(t, "QEMU: single-threaded TCG runs one vCPU at a time (round-robin), switching at YIELD, WFE and, "
			     "as measured here, at each of CPU 0's broadcast TLBIs: observers see the window only there, "
			     "not at an arbitrary point of it; multi-threaded TCG (TCG=multi) runs them concurrently. "
			     "Neither keeps a walk cache: fault-t3 after the 4.14 make is allowed but never shown");
	test_note(t, "%llu loads: before %llu, window %llu, after %llu, straddle %llu; forbidden %llu",
		  (unsigned long long)r->loads, (unsigned long long)in[PH_BEFORE], (unsigned long long)in[PH_WINDOW],
		  (unsigned long long)in[PH_AFTER], (unsigned long long)in[PH_STRADDLE], (unsigned long long)r->forbidden);
}

/* A fresh 2 MiB slot, the model for every listed CPU, the observers' VAs; false after a skip or error. */
static bool obs_set_up(struct test_ctx *t, struct obs_run *r)
{
	if (!smp_remap_set_up(t, &r->env, &r->slot, &obs_model, smp_cpu_count()))
		return false;
	for (unsigned k = 0; k < OBS_OFFSETS; k++)
		obs_sh.va[k] = r->slot + obs_offsets[k];
	return true;
}

static unsigned start_observers(struct test_ctx *t)
{
	unsigned n = 0;

	obs_sh.gen = 0;
	obs_sh.made = 0;
	obs_sh.quit = false;
	for (unsigned c = 1; c < smp_cpu_count(); c++)
		if (observing(c) && cpus_start(t, c, obs_observe, &obs_sh))
			n++;
	return n;
}

static void stop_observers(struct test_ctx *t)
{
	__atomic_store_n(&obs_sh.quit, true, __ATOMIC_RELEASE);
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
	for (unsigned c = 1; c < smp_cpu_count(); c++)
		if (observing(c))
			(void)cpus_finish(t, c);
}

static bool run_iterations(struct test_ctx *t, struct obs_run *r)
{
	unsigned dangling;

	for (uint64_t i = 0; i < t->iters; i++) {
		if (!iter_setup(t, r, i))
			return false;
		bool ok = iter_sequence(r, 2 * i + 1);
		iter_judge(r, i);
		(void)scn_cleanup_slot(&r->env, r->slot, 2, &dangling, false, PT_TLBI_ALL);
		if (!ok || r->model_failed) {
			test_harness_error(t, __FILE__, __LINE__, "iteration %llu: %s", (unsigned long long)i,
					   ok ? "the model could not answer" : "CPU 0's remap did not run as written");
			return false;
		}
	}
	return true;
}

static void run_observers(struct test_ctx *t, enum pt_policy policy)
{
	struct obs_run *r = &obs_run;

	memset(r, 0, sizeof(*r));
	memset(obs_sh.cpu, 0, sizeof(obs_sh.cpu));
	r->policy = policy;
	if (!obs_set_up(t, r))
		return;
	unsigned observers = start_observers(t);
	uint64_t t0 = timer_counter();
	bool ok = run_iterations(t, r);
	uint64_t ns = timer_ticks_to_ns(timer_counter() - t0, timer_frequency());
	stop_observers(t);
	if (!ok)
		return;
	report(t, r, ns, observers);
	uint64_t prfm_faults = 0;
	for (unsigned c = 1; c < CPU_MAX; c++)
		prfm_faults += obs_sh.cpu[c].prfm_faults;
	CHECK(t, r->forbidden == 0, "erratum candidate: %llu load(s) the model forbids in their phase (first: %s)",
	      (unsigned long long)r->forbidden, r->first_forbidden);
	CHECK(t, prfm_faults == 0, "erratum candidate: %llu PRFM(s) faulted", (unsigned long long)prfm_faults);
	if (r->harness_errors)
		test_harness_error(t, __FILE__, __LINE__, "%llu observer fault(s) at an address other than the VA loaded",
				   (unsigned long long)r->harness_errors);
}

TEST_CASE(smp_observers_414, "smp", "observers-linux-4.14",
	  "other CPUs load the VA, VA+4K, VA+2M-4K while CPU 0 remaps 4K -> 2M the 4.14 way: per-phase model sets")
{
	run_observers(t, PT_POLICY_LINUX_4_14);
}

TEST_CASE(smp_observers_5x, "smp", "observers-linux-5.x",
	  "the same with the fixed BBM path (pmd_free_pte_page first): after the make only new")
{
	run_observers(t, PT_POLICY_LINUX_FIXED);
}
