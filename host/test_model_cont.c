/*
 * Contiguous runs (Arm ARM DDI 0487, "The Contiguous bit", "Misprogramming
 * the Contiguous bit"): 16 x 4K pages with PTE_CONT, one entry changed without
 * BBM of the whole run, the probed entry changed with BBM of itself only, and
 * Linux's contpte fold/unfold (arch/arm64/mm/contpte.c: BBM of the whole run).
 * The model's allowed set (rule 6c, docs/model.md) with the bit honoured and
 * ignored, and the BBM monitor's cont-misprogrammed rule, asserted exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/support/arch_log.h"
#include "host/support/mmu_host.h"
#include "host/support/model_feed.h"
#include "mmu/model.h"
#include "mmu/monitor.h"
#include "mmu/pt.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"
#include "mmu/unsafe.h"

#define K4 4096ull
#define RUN (PT_CONT_PAGES * K4)
#define VA1 0x40000000ull
#define OFF 0x18ull          /* the accessed byte, in page 0 of the run */
#define PA_X 0x09000000ull   /* the run first ("old") */
#define PA_Y 0x0a000000ull   /* where pages move to ("new") */
#define PROT PT_PROT_NORMAL_XN

#define B(o) OUTCOME_BIT(OUTCOME_##o)

static struct pt_space sp;
static struct model M;
static size_t fed;
static struct model_answer ans;
static pt_entry_t *run; /* page 0 of the run */

static void feed(void)
{
	assert_true(model_feed_from_log(&M, &fed));
}

static pt_entry_t page(uint64_t pa, unsigned j, bool cont)
{
	return desc_page(pa + j * K4, PROT) | (cont ? PTE_CONT : 0);
}

/* A run of 16 pages -> PA_X with PTE_CONT at VA1 (a neighbour page creates the PTE table), monitor on. */
static void start(bool contiguous)
{
	struct model_config cfg;

	mmu_host_reset();
	assert_int_equal(pt_space_init(&sp), PT_OK);
	assert_int_equal(map_range(&sp, VA1 + RUN, PA_X + RUN, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	run = pt_entry_at(&sp, VA1, 3);
	assert_non_null(run);
	for (unsigned j = 0; j < PT_CONT_PAGES; j++)
		pt_write_desc(&run[j], page(PA_X, j, true));
	dsb_ishst();
	isb();
	model_config_default(&cfg);
	cfg.contiguous = contiguous;
	assert_int_equal(model_watch_space(&M, &cfg, &sp, &fed), MODEL_OK);
}

static void expect(uint64_t new_pa, uint64_t old_pa, outcome_set_t want)
{
	struct model_markers mk = {new_pa + OFF, old_pa + OFF};

	feed();
	assert_int_equal(model_access(&M, 0, VA1 + OFF, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	assert_int_equal(ans.allowed, want);
}

static void expect_rules(uint64_t live_change, uint64_t cont)
{
	bbm_monitor_enable(false);
	assert_int_equal(bbm_monitor_count(BBM_RULE_LIVE_CHANGE), live_change);
	assert_int_equal(bbm_monitor_count(BBM_RULE_CONT_MISPROGRAMMED), cont);
	assert_int_equal(bbm_monitor_total(), live_change + cont);
}

/* Page 5 moved to PA_Y live, no BBM: page 5 as the run's entry gives VA1 PA_Y; the run disagrees. */
static void one_entry_nobbm(bool contiguous)
{
	start(contiguous);
	pt_unsafe_write_no_maintenance(&run[5], page(PA_Y, 5, true));
	dsb_ishst();
	isb();
	expect(PA_Y, PA_X, contiguous ? B(NEW) | B(OLD) | B(TLB_CONFLICT) | B(OTHER) : B(OLD));
	expect_rules(1, 1);
}
static void one_entry_nobbm_cont(void **state) { (void)state; one_entry_nobbm(true); }
static void one_entry_nobbm_ignored(void **state) { (void)state; one_entry_nobbm(false); }

/* The probed page 0 moved to PA_Y with BBM of itself only: the other 15 still give PA_X. */
static void one_entry_bbm(void **state)
{
	(void)state;
	start(true);
	pt_unsafe_bbm_replace(&run[0], VA1, page(PA_Y, 0, true), BBM_SEQ_CORRECT);
	expect(PA_Y, PA_X, B(NEW) | B(OLD) | B(TLB_CONFLICT) | B(OTHER));
	expect_rules(0, 1);
}

/* Linux contpte: clear the 16 pages, TLBI each, dsb ish; isb; write them again with or without PTE_CONT. */
static void rewrite_run(bool cont)
{
	for (unsigned j = 0; j < PT_CONT_PAGES; j++)
		pt_write_desc(&run[j], 0);
	dsb_ishst();
	for (unsigned j = 0; j < PT_CONT_PAGES; j++)
		tlbi_vale1is(VA1 + j * K4);
	dsb_ish();
	isb();
	for (unsigned j = 0; j < PT_CONT_PAGES; j++)
		pt_write_desc(&run[j], page(PA_X, j, cont));
	dsb_ishst();
	isb();
}

static void unfold_bbm(void **state)
{
	(void)state;
	start(true);
	rewrite_run(false);
	expect(PA_X, PA_Y, B(NEW));
	expect_rules(0, 0);
}

static void fold_bbm(void **state)
{
	(void)state;
	start(true);
	rewrite_run(false);
	rewrite_run(true);
	expect(PA_X, PA_Y, B(NEW));
	expect_rules(0, 0);
}

/* Folded live (PTE_CONT set page by page, no break): the run disagrees until the last page. */
static void fold_live(void **state)
{
	(void)state;
	start(true);
	rewrite_run(false);
	for (unsigned j = 0; j < PT_CONT_PAGES; j++)
		pt_unsafe_write_no_maintenance(&run[j], page(PA_X, j, true));
	dsb_ishst();
	isb();
	/*
	 * Same OAs, so every translation reads the same bytes; but page 0 may still be cached as a 4K
	 * entry next to a run entry from another page: a conflict, or an amalgamation of their attributes.
	 */
	expect(PA_X, PA_Y, B(NEW) | B(TLB_CONFLICT) | B(OTHER));
	expect_rules(PT_CONT_PAGES, PT_CONT_PAGES - 1);
}

/* After a TLBI of every page the misprogrammed run's stale entries are gone, but memory still disagrees. */
static void one_entry_nobbm_then_tlbi(void **state)
{
	(void)state;
	start(true);
	pt_unsafe_write_no_maintenance(&run[5], page(PA_Y, 5, true));
	dsb_ishst();
	for (unsigned j = 0; j < PT_CONT_PAGES; j++)
		tlbi_vale1is(VA1 + j * K4);
	dsb_ish();
	isb();
	expect(PA_Y, PA_X, B(NEW) | B(OLD) | B(TLB_CONFLICT) | B(OTHER));
	char line[512];
	assert_true(model_format_witness(&ans, OUTCOME_OTHER, line, sizeof(line)) > 0);
}

#define T(name, fn) {name, fn, NULL, NULL, NULL}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T("one-entry-nobbm", one_entry_nobbm_cont),
		T("one-entry-nobbm/bit-ignored", one_entry_nobbm_ignored),
		T("one-entry-bbm", one_entry_bbm),
		T("unfold-bbm", unfold_bbm),
		T("fold-bbm", fold_bbm),
		T("fold-live", fold_live),
		T("one-entry-nobbm+tlbi", one_entry_nobbm_then_tlbi),
	};
	return cmocka_run_group_tests_name("model-contiguous", tests, NULL, NULL);
}
