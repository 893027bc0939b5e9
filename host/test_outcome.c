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

static void verdicts(void **state)
{
	struct histogram h;

	(void)state;
	histogram_init(&h, OUTCOMES_AFTER_BBM, OUTCOMES_HAZARDS);
	histogram_add(&h, OUTCOME_NEW);
	assert_int_equal(histogram_verdict(&h), VERDICT_NO_HAZARD);
	histogram_add(&h, OUTCOME_OLD); /* stale after a correct BBM: forbidden */
	assert_int_equal(histogram_verdict(&h), VERDICT_FORBIDDEN);

	histogram_init(&h, OUTCOMES_WITHOUT_BBM, OUTCOMES_HAZARDS);
	for (int i = 0; i < 99; i++)
		histogram_add(&h, OUTCOME_NEW);
	assert_int_equal(histogram_verdict(&h), VERDICT_NO_HAZARD);
	histogram_add(&h, OUTCOME_TLB_CONFLICT);
	assert_int_equal(histogram_verdict(&h), VERDICT_HAZARD);
	assert_int_equal(histogram_count_in(&h, OUTCOMES_HAZARDS), 1);
	histogram_add(&h, OUTCOME_OTHER); /* never allowed */
	assert_int_equal(histogram_verdict(&h), VERDICT_FORBIDDEN);
	assert_int_equal(h.n, 101);
	histogram_add(&h, (enum outcome)99); /* out of range counts as other */
	assert_int_equal(h.count[OUTCOME_OTHER], 2);
}

static void rows_and_keyline(void **state)
{
	struct histogram h;
	char buf[512];
	struct scenario_result r = {"seed/remap", "nobbm", "linux-4.14", 3, 3};

	(void)state;
	histogram_init(&h, OUTCOMES_WITHOUT_BBM, OUTCOMES_HAZARDS);
	for (int i = 0; i < 2; i++)
		histogram_add(&h, OUTCOME_NEW);
	histogram_add(&h, OUTCOME_OLD);
	histogram_format_row(&h, OUTCOME_OLD, buf, sizeof(buf));
	assert_string_equal(buf, "#   old                    1  33.33%  allowed, hazard");
	histogram_format_row(&h, OUTCOME_NEW, buf, sizeof(buf));
	assert_string_equal(buf, "#   new                    2  66.67%  allowed");
	histogram_format_row(&h, OUTCOME_OTHER, buf, sizeof(buf));
	assert_string_equal(buf, "#   other                  0   0.00%  FORBIDDEN");
	assert_false(histogram_row_wanted(&h, OUTCOME_OTHER));
	assert_true(histogram_row_wanted(&h, OUTCOME_FAULT_T2));
	histogram_format_keyline(&h, &r, buf, sizeof(buf));
	assert_string_equal(buf, "# result scenario=seed/remap variant=nobbm policy=linux-4.14 n=3 new=2 old=1 "
				 "fault-t0=0 fault-t1=0 fault-t2=0 fault-t3=0 fault-af=0 fault-perm=0 "
				 "tlb-conflict=0 other=0 leaked=3 violations=3 verdict=hazard");
	/* poison is model-only: a count of it (impossible from a run) never changes the machine line. */
	h.count[OUTCOME_POISON] = 7;
	histogram_format_keyline(&h, &r, buf, sizeof(buf));
	assert_null(strstr(buf, "poison"));
	/* A short buffer truncates, never overflows. */
	char small[16];
	histogram_format_keyline(&h, &r, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void empty_histogram(void **state)
{
	struct histogram h;
	char buf[128];

	(void)state;
	histogram_init(&h, OUTCOMES_AFTER_BBM, OUTCOMES_HAZARDS);
	assert_int_equal(histogram_verdict(&h), VERDICT_NO_HAZARD);
	histogram_format_row(&h, OUTCOME_NEW, buf, sizeof(buf));
	assert_string_equal(buf, "#   new                    0   0.00%  allowed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classification),
		cmocka_unit_test(names),
		cmocka_unit_test(verdicts),
		cmocka_unit_test(rows_and_keyline),
		cmocka_unit_test(empty_histogram),
	};
	return cmocka_run_group_tests_name("outcome", tests, NULL, NULL);
}
