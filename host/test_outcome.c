/* Outcome classification, histograms, verdicts and the machine line (lib/outcome.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/outcome.h"

#define NEW_MARK 0x4e45570000000001ull
#define OLD_MARK 0x4f4c440000000001ull
#define POISON_MARK 0x504f490000000001ull

static void classification(void **state)
{
	(void)state;
	assert_int_equal(outcome_classify(false, FAULT_NONE, -1, NEW_MARK, NEW_MARK, OLD_MARK), OUTCOME_NEW);
	assert_int_equal(outcome_classify(false, FAULT_NONE, -1, OLD_MARK, NEW_MARK, OLD_MARK), OUTCOME_OLD);
	assert_int_equal(outcome_classify(false, FAULT_NONE, -1, 0, NEW_MARK, OLD_MARK), OUTCOME_OTHER);
	for (int l = 0; l < 4; l++)
		assert_int_equal(outcome_classify(true, FAULT_TRANSLATION, l, 0, NEW_MARK, OLD_MARK),
				 OUTCOME_FAULT_T0 + l);
	assert_int_equal(outcome_classify(true, FAULT_TRANSLATION, -1, 0, NEW_MARK, OLD_MARK), OUTCOME_OTHER);
	assert_int_equal(outcome_classify(true, FAULT_ACCESS_FLAG, 3, 0, NEW_MARK, OLD_MARK), OUTCOME_FAULT_AF);
	assert_int_equal(outcome_classify(true, FAULT_PERMISSION, 2, 0, NEW_MARK, OLD_MARK), OUTCOME_FAULT_PERM);
	assert_int_equal(outcome_classify(true, FAULT_TLB_CONFLICT, -1, 0, NEW_MARK, OLD_MARK), OUTCOME_TLB_CONFLICT);
	assert_int_equal(outcome_classify(true, FAULT_EXTERNAL, -1, NEW_MARK, NEW_MARK, OLD_MARK), OUTCOME_OTHER);
	/* A faulting access never counts as "new", whatever the register held. */
	assert_int_equal(outcome_classify(true, FAULT_ALIGNMENT, -1, NEW_MARK, NEW_MARK, OLD_MARK), OUTCOME_OTHER);
}

static void names(void **state)
{
	(void)state;
	assert_string_equal(outcome_name(OUTCOME_NEW), "new");
	assert_string_equal(outcome_name(OUTCOME_FAULT_T3), "fault-t3");
	assert_string_equal(outcome_name(OUTCOME_TLB_CONFLICT), "tlb-conflict");
	assert_string_equal(outcome_name(OUTCOME_POISON), "poison");
	assert_string_equal(outcome_name(OUTCOME_OTHER), "other");
	assert_int_equal(OUTCOME_OTHER, OUTCOME_COUNT - 1); /* the catch-all stays last */
	assert_string_equal(outcome_name(OUTCOME_COUNT), "invalid");
	/* The classifier never says "poison": it is what the model allows, not what a run sees. */
	for (int k = FAULT_NONE; k <= FAULT_OTHER; k++)
		assert_int_not_equal(outcome_classify(k != FAULT_NONE, (enum fault_kind)k, 3, 0, 1, 2), OUTCOME_POISON);
}

static void poison_and_sets(void **state)
{
	struct outcome_markers m = {NEW_MARK, OLD_MARK, POISON_MARK};
	char buf[128];

	(void)state;
	assert_int_equal(outcome_classify_load(false, FAULT_NONE, -1, POISON_MARK, &m), OUTCOME_POISON);
	assert_int_equal(outcome_classify_load(false, FAULT_NONE, -1, NEW_MARK, &m), OUTCOME_NEW);
	assert_int_equal(outcome_classify_load(false, FAULT_NONE, -1, 7, &m), OUTCOME_OTHER);
	/* A fault is a fault, whatever the destination register held. */
	assert_int_equal(outcome_classify_load(true, FAULT_TRANSLATION, 3, POISON_MARK, &m), OUTCOME_FAULT_T3);
	/* Poison in the allowed set permits anything: the freed page decides what the walk sees. */
	assert_true(outcome_permitted(OUTCOME_BIT(OUTCOME_NEW) | OUTCOME_BIT(OUTCOME_POISON), OUTCOME_OTHER));
	assert_false(outcome_permitted(OUTCOME_BIT(OUTCOME_NEW), OUTCOME_OLD));
	assert_false(outcome_permitted(OUTCOMES_ALL, OUTCOME_COUNT));
	outcome_set_format(OUTCOME_BIT(OUTCOME_NEW) | OUTCOME_BIT(OUTCOME_FAULT_T3) | OUTCOME_BIT(OUTCOME_TLB_CONFLICT),
			   buf, sizeof(buf));
	assert_string_equal(buf, "new,fault-t3,tlb-conflict");
	outcome_set_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	char small[6];
	outcome_set_format(OUTCOMES_ALL, small, sizeof(small));
	assert_string_equal(small, "new,o");
}

/* The verdict function: what the model allows (per iteration) against what was seen. */
static void verdicts(void **state)
{
	struct histogram h;
	const outcome_set_t seed = OUTCOME_BIT(OUTCOME_NEW) | OUTCOME_BIT(OUTCOME_FAULT_T3) |
				   OUTCOME_BIT(OUTCOME_TLB_CONFLICT);

	(void)state;
	histogram_init(&h, 0, 0);
	assert_int_equal(histogram_verdict(&h), VERDICT_SAFE); /* nothing run, nothing claimed */
	histogram_judge(&h, 0, OUTCOME_NEW, OUTCOME_BIT(OUTCOME_NEW), OUTCOME_NEW);
	assert_int_equal(histogram_verdict(&h), VERDICT_SAFE);
	histogram_judge(&h, 1, OUTCOME_OLD, OUTCOME_BIT(OUTCOME_NEW), OUTCOME_NEW); /* stale after BBM */
	assert_int_equal(histogram_verdict(&h), VERDICT_FORBIDDEN_SEEN);
	assert_int_equal(h.forbidden, 1);
	assert_int_equal(h.first_forbidden, OUTCOME_OLD);
	assert_int_equal(h.first_forbidden_iter, 1);
	histogram_judge(&h, 2, OUTCOME_FAULT_T2, OUTCOME_BIT(OUTCOME_NEW), OUTCOME_NEW);
	assert_int_equal(h.first_forbidden, OUTCOME_OLD); /* the first one stays */

	/* The report's sequence: hazards allowed, not seen, then seen. */
	histogram_init(&h, 0, 0);
	for (int i = 0; i < 99; i++)
		histogram_judge(&h, (uint64_t)i, OUTCOME_NEW, seed, OUTCOME_NEW);
	assert_int_equal(histogram_verdict(&h), VERDICT_HAZARD_POSSIBLE);
	assert_int_equal(h.hazards, OUTCOME_BIT(OUTCOME_FAULT_T3) | OUTCOME_BIT(OUTCOME_TLB_CONFLICT));
	histogram_judge(&h, 99, OUTCOME_FAULT_T3, seed, OUTCOME_NEW);
	assert_int_equal(histogram_verdict(&h), VERDICT_HAZARD_SEEN);
	assert_int_equal(h.hazards_seen, 1);
	histogram_judge(&h, 100, OUTCOME_OLD, seed, OUTCOME_NEW); /* old is forbidden after the TLBI */
	assert_int_equal(histogram_verdict(&h), VERDICT_FORBIDDEN_SEEN);

	/* Nothing new mapped: the fault the tables give is no hazard. */
	histogram_init(&h, 0, 0);
	histogram_judge(&h, 0, OUTCOME_FAULT_T3, OUTCOME_BIT(OUTCOME_FAULT_T3), OUTCOME_FAULT_T3);
	assert_int_equal(histogram_verdict(&h), VERDICT_SAFE);

	/* A harness error outranks everything and is never judged against the model. */
	histogram_harness_error(&h, OUTCOME_OLD);
	assert_int_equal(h.forbidden, 0);
	assert_int_equal(histogram_verdict(&h), VERDICT_HARNESS_ERROR);
	assert_int_equal(h.n, 2);
	char row[96];
	histogram_init(&h, 0, 0);
	histogram_harness_error(&h, OUTCOME_FAULT_T0);
	histogram_format_row(&h, OUTCOME_FAULT_T0, row, sizeof(row));
	assert_string_equal(row, "#   fault-t0               1 100.00%  not judged (harness error)");

	/* The fixed-set path tests/bench.c uses. */
	histogram_init(&h, OUTCOMES_AFTER_BBM, OUTCOMES_HAZARDS);
	histogram_add(&h, OUTCOME_NEW);
	assert_int_equal(histogram_verdict(&h), VERDICT_SAFE);
	histogram_add(&h, (enum outcome)99); /* out of range counts as other, never allowed */
	assert_int_equal(h.count[OUTCOME_OTHER], 1);
	assert_int_equal(histogram_verdict(&h), VERDICT_FORBIDDEN_SEEN);
	for (int v = 0; v < VERDICT_COUNT; v++)
		assert_string_not_equal(verdict_name((enum verdict)v), "invalid");
	assert_string_equal(verdict_name(VERDICT_COUNT), "invalid");
}

static void rows_and_keyline(void **state)
{
	struct histogram h;
	char buf[640];
	struct scenario_result r = {"seed/remap", "linux-4.14", "linux-4.14", "virt", 0x410fd083, "v1", 1, 3, 3};
	const outcome_set_t seed = OUTCOME_BIT(OUTCOME_NEW) | OUTCOME_BIT(OUTCOME_FAULT_T3) |
				   OUTCOME_BIT(OUTCOME_TLB_CONFLICT);

	(void)state;
	histogram_init(&h, 0, 0);
	for (int i = 0; i < 2; i++)
		histogram_judge(&h, (uint64_t)i, OUTCOME_NEW, seed, OUTCOME_NEW);
	histogram_judge(&h, 2, OUTCOME_FAULT_T3, seed, OUTCOME_NEW);
	histogram_format_row(&h, OUTCOME_FAULT_T3, buf, sizeof(buf));
	assert_string_equal(buf, "#   fault-t3               1  33.33%  allowed, hazard");
	histogram_format_row(&h, OUTCOME_NEW, buf, sizeof(buf));
	assert_string_equal(buf, "#   new                    2  66.67%  allowed");
	histogram_format_row(&h, OUTCOME_OLD, buf, sizeof(buf));
	assert_string_equal(buf, "#   old                    0   0.00%  FORBIDDEN");
	assert_false(histogram_row_wanted(&h, OUTCOME_OLD));
	assert_true(histogram_row_wanted(&h, OUTCOME_TLB_CONFLICT));
	histogram_format_keyline(&h, &r, buf, sizeof(buf));
	assert_string_equal(buf, "# result scenario=seed/remap variant=linux-4.14 policy=linux-4.14 board=virt "
				 "cpu=0x410fd083 version=v1 seed=1 n=3 new=2 old=0 fault-t0=0 fault-t1=0 fault-t2=0 "
				 "fault-t3=1 fault-af=0 fault-perm=0 tlb-conflict=0 poison=0 other=0 leaked=3 "
				 "violations=3 harness-errors=0 allowed=new,fault-t3,tlb-conflict verdict=hazard-seen");
	/* A short buffer truncates, never overflows. */
	char small[16];
	histogram_format_keyline(&h, &r, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

/* The running counts of a progress line: outcomes seen so far, then the totals, always. */
static void progress_counts(void **state)
{
	struct histogram h;
	char buf[160], small[12];
	const outcome_set_t seed = OUTCOME_BIT(OUTCOME_NEW) | OUTCOME_BIT(OUTCOME_FAULT_T3);

	(void)state;
	histogram_init(&h, 0, 0);
	histogram_format_counts(&h, buf, sizeof(buf));
	assert_string_equal(buf, "hazards=0 forbidden=0 harness-errors=0");
	histogram_judge(&h, 0, OUTCOME_NEW, seed, OUTCOME_NEW);
	histogram_judge(&h, 1, OUTCOME_FAULT_T3, seed, OUTCOME_NEW);
	histogram_judge(&h, 2, OUTCOME_OLD, seed, OUTCOME_NEW);
	histogram_harness_error(&h, OUTCOME_NEW);
	histogram_format_counts(&h, buf, sizeof(buf));
	assert_string_equal(buf, "new=2 old=1 fault-t3=1 hazards=1 forbidden=1 harness-errors=1");
	assert_int_equal(histogram_format_counts(&h, small, sizeof(small)), sizeof(small) - 1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void empty_histogram(void **state)
{
	struct histogram h;
	char buf[128];

	(void)state;
	histogram_init(&h, OUTCOMES_AFTER_BBM, OUTCOMES_HAZARDS);
	assert_int_equal(histogram_verdict(&h), VERDICT_SAFE);
	histogram_format_row(&h, OUTCOME_NEW, buf, sizeof(buf));
	assert_string_equal(buf, "#   new                    0   0.00%  allowed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classification),
		cmocka_unit_test(names),
		cmocka_unit_test(poison_and_sets),
		cmocka_unit_test(verdicts),
		cmocka_unit_test(rows_and_keyline),
		cmocka_unit_test(progress_counts),
		cmocka_unit_test(empty_histogram),
	};
	return cmocka_run_group_tests_name("outcome", tests, NULL, NULL);
}
