/*
 * Randomized map/unmap/remap/split/replace under each policy with fixed seeds,
 * checked after every step against a flat VA->PA model (pt_translate) and the
 * pool counters against the sweep (host/support/ref_model.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/support/mmu_host.h"
#include "host/support/ref_model.h"
#include "mmu/monitor.h"
#include "mmu/pool.h"
#include "mmu/sweep.h"

#define STEPS 2500
#define FULL_EVERY 100

static const uint64_t seeds[] = {1, 0x5eed, 0xbb3f00d};

struct run_result {
	struct ref_run_stats st;
	struct pt_sweep_report sweep;
	struct bbm_monitor_stats mon;
};

static void run(enum pt_policy policy, uint64_t seed, bool disciplined, struct run_result *out)
{
	struct pt_space sp;
	char msg[256];
	mmu_host_reset();
	ref_reset();
	bbm_monitor_set_print(false);
	bbm_monitor_enable(true);
	assert_int_equal(pt_space_init(&sp), PT_OK);
	struct ref_rng rng = {.state = seed};
	struct ref_run_stats st = {0};
	for (unsigned i = 0; i < STEPS; i++) {
		if (!ref_random_op(&sp, &rng, policy, disciplined, &st, msg, sizeof(msg)))
			fail_msg("%s seed 0x%llx step %u: %s", pt_policy_name(policy), (unsigned long long)seed, i, msg);
		if ((i + 1) % FULL_EVERY == 0) {
			st.full_checks++;
			if (!ref_check_range(&sp, REF_VA_BASE, REF_VA_SIZE, msg, sizeof(msg)))
				fail_msg("%s seed 0x%llx full check after step %u: %s", pt_policy_name(policy),
					 (unsigned long long)seed, i, msg);
		}
	}
	out->st = st;
	pt_sweep(&sp, &out->sweep);
	bbm_monitor_get_stats(&out->mon);
	bbm_monitor_enable(false);
	print_message("# %s %s seed=0x%llx: maps %u ok/%u refused, unmaps %u/%u, remaps %u, splits %u, replaces %u; "
		      "leaked=%u; BBM violations=%llu (live-change %llu)\n",
		      pt_policy_name(policy), disciplined ? "disciplined" : "chaos", (unsigned long long)seed, st.maps_ok,
		      st.maps_refused, st.unmaps_ok, st.unmaps_refused, st.remaps, st.splits, st.replaces,
		      out->sweep.leaked, (unsigned long long)out->mon.violations,
		      (unsigned long long)out->mon.by_rule[BBM_RULE_LIVE_CHANGE]);
	/* The run must have exercised the API, not bounced off errors. */
	assert_true(st.maps_ok > 100);
	assert_true(st.unmaps_ok > 100);
	assert_true(st.remaps > 30);
	assert_int_equal(st.full_checks, STEPS / FULL_EVERY);
}

static void test_chaos(void **state)
{
	enum pt_policy policy = (enum pt_policy)(uintptr_t)*state;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct run_result r;
		run(policy, seeds[i], false, &r);
		assert_true(r.st.splits > 0 || policy == PT_POLICY_LINUX_4_14);
		assert_true(r.st.replaces > 0);
		assert_true(r.st.maps_refused > 0); /* chaos does hit overlaps */
		/* Which BBM rules chaos may break under each policy, and nothing else. */
		switch (policy) {
		case PT_POLICY_LINUX_4_14: /* blocks written over live tables/blocks */
			assert_true(r.sweep.leaked > 0);
			assert_true(r.mon.by_rule[BBM_RULE_LIVE_CHANGE] > 0);
			assert_int_equal(r.mon.violations, r.mon.by_rule[BBM_RULE_LIVE_CHANGE]);
			break;
		case PT_POLICY_LINUX_FIXED: /* pmd_free_pte_page() on tables that still map pages */
			assert_int_equal(r.sweep.leaked, 0);
			assert_true(r.mon.by_rule[BBM_RULE_FREE_CHILD_LIVE] > 0);
			assert_int_equal(r.mon.violations, r.mon.by_rule[BBM_RULE_FREE_CHILD_LIVE]);
			break;
		case PT_POLICY_REFUSE_LIVE:
			assert_int_equal(r.sweep.leaked, 0);
			assert_int_equal(r.mon.violations, 0);
			break;
		case PT_POLICY_COUNT:
			break;
		}
	}
}

/* vmalloc-like use: map free ranges, unmap what was mapped with a leaf TLBI. */
static void test_disciplined(void **state)
{
	enum pt_policy policy = (enum pt_policy)(uintptr_t)*state;
	for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct run_result r;
		run(policy, seeds[i], true, &r);
		assert_int_equal(r.mon.track_overflows, 0);
		switch (policy) {
		case PT_POLICY_LINUX_4_14:
			/* Only the seed's hazard: table->block written live, each leaking its table(s). */
			assert_true(r.mon.by_rule[BBM_RULE_LIVE_CHANGE] > 0);
			assert_int_equal(r.mon.violations, r.mon.by_rule[BBM_RULE_LIVE_CHANGE]);
			assert_true(r.sweep.leaked >= r.mon.by_rule[BBM_RULE_LIVE_CHANGE]);
			break;
		case PT_POLICY_LINUX_FIXED:
		case PT_POLICY_REFUSE_LIVE:
			assert_int_equal(r.mon.violations, 0);
			assert_int_equal(r.sweep.leaked, 0);
			break;
		case PT_POLICY_COUNT:
			break;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate(test_chaos, (void *)(uintptr_t)PT_POLICY_LINUX_4_14),
		cmocka_unit_test_prestate(test_chaos, (void *)(uintptr_t)PT_POLICY_LINUX_FIXED),
		cmocka_unit_test_prestate(test_chaos, (void *)(uintptr_t)PT_POLICY_REFUSE_LIVE),
		cmocka_unit_test_prestate(test_disciplined, (void *)(uintptr_t)PT_POLICY_LINUX_4_14),
		cmocka_unit_test_prestate(test_disciplined, (void *)(uintptr_t)PT_POLICY_LINUX_FIXED),
		cmocka_unit_test_prestate(test_disciplined, (void *)(uintptr_t)PT_POLICY_REFUSE_LIVE),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
