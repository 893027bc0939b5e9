/*
 * smp/remote-tlbi-local and smp/remote-tlbi-broadcast: CPU 1 holds the old
 * translation of a test VA (it loaded through it), then CPU 0 remaps the VA
 * with break-before-make, once with a local TLBI (tlbi vmalle1: this CPU's TLB
 * only) and once with the broadcast one (tlbi vmalle1is), and CPU 1 loads again
 * after `dsb ish; isb`. The model, with two CPUs, says what CPU 1 may see: with
 * the local TLBI the old translation may survive in CPU 1's TLB (Arm ARM
 * "TLB maintenance": a non-broadcast TLBI affects only the PE that executes
 * it, DDI 0487 K.a); with the broadcast one, completed by CPU 0's DSB before
 * CPU 1 is told to look, only the new. QEMU keeps a TLB per vCPU, so the old
 * translation is expected there with the local TLBI: measured and reported.
 *
 * The hand-offs go through the mailbox (platform/smp.c: dmb/dsb + SEV), so the
 * three phases are ordered; this is about remote TLB state, not a race.
 *
 * smp/mp-bbm1 and smp/mp-rt1 are the message-passing shapes MP.BBM1 and MP.RT1
 * of rems-project/system-litmus-harness: CPU 1 already waits on a flag while
 * CPU 0 makes the change (BBM; or, for RT1, the live descriptor overwritten)
 * with the broadcast TLBI and then sets the flag; after the flag, CPU 1's
 * `dsb ish; isb` and load may only see the new page.
 */
#include <stdio.h>
#include <string.h>

#include "boot/exception.h"
#include "lib/outcome.h"
#include "lib/timing.h"
#include "mmu/model.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"
#include "mmu/unsafe.h"
#include "tests/cpus.h"
#include "tests/scenario.h"
#include "tests/scn_internal.h"

#define REMOTE_CPU 1u

struct remote_load {
	uint64_t va;
	uint64_t value;
	struct fault_record rec;
	const volatile uint64_t *flag; /* MP.BBM1: wait for *flag == token before the load */
	uint64_t token;
};

/* The message-passing flag of MP.BBM1, on its own cache line. */
static volatile uint64_t mp_flag __attribute__((aligned(64)));

/* On CPU 1: synchronise with what CPU 0 completed (the mailbox ordered it), then one armed load. */
static void remote_load(void *arg)
{
	struct remote_load *r = arg;

	while (r->flag && *r->flag != r->token)
		__asm__ volatile("wfe" ::: "memory");
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
	r->value = probe_read64(r->va, 0, &r->rec);
}

static struct model remote_model;

static void model_sink(void *ctx, const struct arch_event *evs, unsigned n)
{
	(void)ctx;
	for (unsigned i = 0; i < n; i++)
		if (evs[i].kind != ARCH_EV_ACCESS)
			(void)model_on_event(&remote_model, evs[i].cpu, evs[i].kind, evs[i].a, evs[i].b, evs[i].c);
}

/* CPU 0's break-before-make of the page at va (entry e) from B to A, with the TLBI under test. */
static void remap_bbm(pt_entry_t *e, pt_entry_t new_desc, bool broadcast)
{
	pt_unsafe_write_no_maintenance(e, 0);
	dsb_ish();
	if (broadcast)
		tlbi_vmalle1is();
	else
		tlbi_vmalle1(); /* the rule broken: only this CPU's TLB forgets the old page */
	dsb_ish();
	pt_unsafe_write_no_maintenance(e, new_desc);
	dsb_ish();
	isb();
}

/*
 * MP.RT1's change: the valid page descriptor overwritten in place (no break), then the broadcast
 * TLBI completed by a DSB. Changing the output address of a live page without BBM is what the
 * architecture says may give a TLB conflict or either translation until the TLBI completes (Arm ARM
 * "Using break-before-make when updating translation table entries", DDI 0487 K.a).
 */
static void remap_live(pt_entry_t *e, pt_entry_t new_desc)
{
	pt_unsafe_write_no_maintenance(e, new_desc);
	dsb_ish();
	tlbi_vmalle1is();
	dsb_ish();
	isb();
}

struct remote_run {
	const struct scn_env *env;
	uint64_t va;
	pt_entry_t *entry;
	struct outcome_markers m;
	struct histogram h;
	outcome_set_t allowed_union;
	uint64_t warm_failures;
	bool flag; /* MP.BBM1's flag hand-off instead of the mailbox */
	bool live; /* MP.RT1: the change without the break */
};

/* The model's set for CPU 1's load now: CPU 0's events came through the sink; CPU 1's dsb; isb is fed here. */
static outcome_set_t remote_allowed(const struct remote_run *r)
{
	struct model_answer ans;
	struct model_markers mk = {.new_pa = r->env->pa_new, .old_pa = r->env->pa_old};

	arch_event_sync(); /* CPU 0's queued events reach the model before CPU 1's steps */
	(void)model_on_event(&remote_model, REMOTE_CPU, ARCH_EV_DSB_ISH, 0, 0, 0);
	(void)model_on_event(&remote_model, REMOTE_CPU, ARCH_EV_ISB, 0, 0, 0);
	if (model_access(&remote_model, REMOTE_CPU, r->va, MODEL_ACCESS_READ, &mk, &ans) != MODEL_OK)
		return 0;
	return ans.allowed;
}

/* Fresh markers each iteration, so a value left from an earlier one is never taken for this one's. */
static void set_markers(struct remote_run *r, uint64_t i)
{
	r->m.new_marker = 0xa11e000000000000ull | (i << 1);
	r->m.old_marker = 0x01d0000000000000ull | (i << 1);
	r->m.poison_marker = 0xdeadull << 48;
	*(volatile uint64_t *)(uintptr_t)r->env->pa_new = r->m.new_marker;
	*(volatile uint64_t *)(uintptr_t)r->env->pa_old = r->m.old_marker;
	dsb_ish();
}

/*
 * MP.BBM1 and MP.RT1 (rems-project/system-litmus-harness): CPU 1 already waits for the flag while
 * CPU 0 changes the mapping (BBM, or live for RT1) with the broadcast TLBI, then sets the flag; CPU 1
 * sees it, dsb; isb, loads.
 */
static bool flag_handoff(struct test_ctx *t, struct remote_run *r, struct remote_load *ld, uint64_t i)
{
	ld->flag = &mp_flag;
	ld->token = i + 1;
	if (!cpus_start(t, REMOTE_CPU, remote_load, ld))
		return false;
	if (r->live)
		remap_live(r->entry, desc_page(r->env->pa_new, SCN_PROT));
	else
		remap_bbm(r->entry, desc_page(r->env->pa_new, SCN_PROT), true);
	__atomic_store_n(&mp_flag, i + 1, __ATOMIC_RELEASE);
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
	return cpus_finish(t, REMOTE_CPU);
}

/* One iteration; false if CPU 1 could not run its part (the test has failed then). */
static bool one_iteration(struct test_ctx *t, struct remote_run *r, uint64_t i, bool broadcast)
{
	struct remote_load ld = {.va = r->va};
	const struct pt_space *s = r->env->space;

	set_markers(r, i);
	/* Start: VA -> B in memory and in no TLB but as the tables say (the model's attach assumption). */
	pt_unsafe_write_no_maintenance(r->entry, desc_page(r->env->pa_old, SCN_PROT));
	tlbi_all();
	(void)model_attach(&remote_model, s->root, s->start_level);
	if (!cpus_run(t, REMOTE_CPU, remote_load, &ld))
		return false;
	if (ld.rec.taken || ld.value != r->m.old_marker) { /* CPU 1 must hold B before the change */
		r->warm_failures++;
		histogram_harness_error(&r->h, OUTCOME_OTHER);
		return true;
	}
	(void)arch_event_subscribe(model_sink, 0);
	bool ran;
	if (r->flag) {
		ran = flag_handoff(t, r, &ld, i);
	} else {
		remap_bbm(r->entry, desc_page(r->env->pa_new, SCN_PROT), broadcast);
		ran = cpus_run(t, REMOTE_CPU, remote_load, &ld);
	}
	arch_event_unsubscribe(model_sink, 0);
	if (!ran)
		return false;
	enum outcome o = outcome_classify_load(ld.rec.taken, ld.rec.kind, ld.rec.level, ld.value, &r->m);
	outcome_set_t allowed = remote_allowed(r);
	r->allowed_union |= allowed;
	if (!allowed)
		histogram_harness_error(&r->h, o);
	else
		histogram_judge(&r->h, i, o, allowed, OUTCOME_NEW);
	return true;
}

static void report(struct test_ctx *t, const struct remote_run *r, bool broadcast, uint64_t ns)
{
	char set[96], row[96];
	uint64_t per_s = ns ? r->h.n * 1000000000ull / ns : 0;

	outcome_set_format(r->allowed_union, set, sizeof(set));
	test_diag(t, "CPU 1 loads 0x%llx after CPU 0's %s with tlbi %s%s; %llu iterations in %llu ms (%llu per s)",
		  (unsigned long long)r->va, r->live ? "live change (no break)" : "BBM",
		  broadcast ? "vmalle1is (broadcast)" : "vmalle1 (local)",
		  !r->flag ? "" : r->live ? ", seen through a flag (MP.RT1)" : ", seen through a flag (MP.BBM1)",
		  (unsigned long long)r->h.n, (unsigned long long)(ns / 1000000), (unsigned long long)per_s);
	test_diag(t, "allowed on cpu 1 by the architecture (model): %s", set);
	test_diag(t, "cpu 1 histogram:");
	for (enum outcome o = 0; o < OUTCOME_COUNT; o++) {
		if (!histogram_row_wanted(&r->h, o))
			continue;
		histogram_format_row(&r->h, o, row, sizeof(row));
		test_diag(t, "%s", row + 2); /* the row starts with "# " */
	}
	test_note(t, "old on cpu 1 in %llu of %llu; allowed %s", (unsigned long long)r->h.count[OUTCOME_OLD],
		  (unsigned long long)r->h.n, set);
}

static void judge(struct test_ctx *t, const struct remote_run *r, bool broadcast)
{
	CHECK(t, r->h.forbidden == 0,
	      "erratum candidate: %llu outcome(s) on CPU 1 the model forbids (first: %s at iteration %llu)",
	      (unsigned long long)r->h.forbidden, outcome_name(r->h.first_forbidden),
	      (unsigned long long)r->h.first_forbidden_iter);
	if (r->h.harness_errors)
		test_harness_error(t, __FILE__, __LINE__, "%llu iteration(s) not judged (%llu: CPU 1 did not read B first)",
				   (unsigned long long)r->h.harness_errors, (unsigned long long)r->warm_failures);
	/* The model's own rule, checked: only the broadcast TLBI reaches CPU 1's TLB. */
	bool old_allowed = r->allowed_union & OUTCOME_BIT(OUTCOME_OLD);
	CHECK(t, old_allowed != broadcast, "the model %s old on CPU 1 after a %s TLBI", old_allowed ? "allows" : "forbids",
	      broadcast ? "broadcast" : "local");
}

/* VA -> B mapped one page (the granule) in a claimed slot, and its L3 entry; false after a skip or a harness error. */
static bool set_up(struct test_ctx *t, struct remote_run *r, struct scn_env *env, uint64_t *slot)
{
	unsigned first;
	struct model_config cfg;

	if (!cpus_need(t, 2) || !scn_env_init(t, env))
		return false;
	r->env = env;
	if (!scn_slot_claim(env, 2, 1, 1, &first)) {
		test_skip(t, "no free 2 MiB slot in the test window");
		return false;
	}
	*slot = scn_slot_va(env, 2, first);
	r->va = *slot;
	const char *unsafe = scn_mapping_unsafe(env->pa_old, PT_GRANULE_SIZE, SCN_PROT);
	enum pt_status st = unsafe ? PT_ERR_INVALID_ARG
				   : map_range(env->space, r->va, env->pa_old, PT_GRANULE_SIZE, SCN_PROT, PT_POLICY_REFUSE_LIVE);
	r->entry = st == PT_OK ? pt_entry_at(env->space, r->va, PT_LAST_LEVEL) : NULL;
	model_config_default(&cfg);
	cfg.ncpus = 2;
	if (!r->entry || model_init(&remote_model, &cfg) != MODEL_OK) {
		test_harness_error(t, __FILE__, __LINE__, "cannot set up 0x%llx -> 0x%llx: %s",
				   (unsigned long long)r->va, (unsigned long long)env->pa_old,
				   unsafe ? unsafe : st != PT_OK ? pt_strerror(st) : "the model refuses 2 CPUs");
		return false;
	}
	histogram_init(&r->h, 0, 0);
	return true;
}

static void run_remote_tlbi(struct test_ctx *t, bool broadcast, bool flag, bool live)
{
	static struct remote_run r;
	struct scn_env env;
	uint64_t slot;
	unsigned dangling;

	memset(&r, 0, sizeof(r));
	r.flag = flag;
	r.live = live;
	mp_flag = 0;
	if (!set_up(t, &r, &env, &slot))
		return;
	uint64_t t0 = timer_counter();
	bool ok = true;
	for (uint64_t i = 0; ok && i < t->iters; i++)
		ok = one_iteration(t, &r, i, broadcast);
	uint64_t ns = timer_ticks_to_ns(timer_counter() - t0, timer_frequency());
	(void)scn_cleanup_slot(&env, slot, 2, &dangling, false, PT_TLBI_ALL);
	if (!ok)
		return;
	report(t, &r, broadcast, ns);
	judge(t, &r, broadcast);
}

TEST_CASE(smp_remote_tlbi_local, "smp", "remote-tlbi-local",
	  "CPU 0 remaps with BBM and a local TLBI while CPU 1 holds the old page: the model allows old on CPU 1")
{
	run_remote_tlbi(t, false, false, false);
}

TEST_CASE(smp_remote_tlbi_broadcast, "smp", "remote-tlbi-broadcast",
	  "the same with the broadcast TLBI: the model allows only new on CPU 1")
{
	run_remote_tlbi(t, true, false, false);
}

TEST_CASE(smp_mp_bbm1, "smp", "mp-bbm1",
	  "MP.BBM1: CPU 0 does BBM with a broadcast TLBI, then sets a flag; CPU 1 sees it, dsb; isb, loads: only new")
{
	run_remote_tlbi(t, true, true, false);
}

TEST_CASE(smp_mp_rt1, "smp", "mp-rt1",
	  "MP.RT1: CPU 0 changes a live page without BBM, broadcast TLBI, then a flag; CPU 1 sees it, loads: only new")
{
	run_remote_tlbi(t, true, true, true);
}
