/*
 * Contiguous runs (Arm ARM DDI 0487, "The Contiguous bit", "Misprogramming
 * the Contiguous bit"): 16 x 4K pages, and 16 x 2M level 2 blocks, with
 * PTE_CONT; one entry changed without BBM of the whole run, the probed entry
 * changed with BBM of itself only, and Linux's fold/unfold with BBM of the
 * whole run (arch/arm64/mm/contpte.c for pages; arch/arm64/mm/hugetlbpage.c
 * clear_flush() + set_huge_pte_at() for contiguous PMDs). The model's allowed
 * set (rule 6c, docs/model.md) with the bit honoured and ignored, and the BBM
 * monitor's cont-misprogrammed rule, asserted exactly.
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
#define OFF 0x18ull /* the accessed byte, in entry 0 of the run */
#define PROT PT_PROT_NORMAL_XN

#define B(o) OUTCOME_BIT(OUTCOME_##o)

/* One run's shape: pages (level 3) or blocks (level 2), from the geometry. */
struct run_shape {
	int level;
	uint64_t va;   /* the run's first VA (aligned to its span) */
	uint64_t pa_x; /* the run first ("old") */
	uint64_t pa_y; /* where entries move to ("new") */
};
static const struct run_shape pages = {3, 0x40000000ull, 0x09000000ull, 0x0a000000ull};
static const struct run_shape blocks = {2, 0x80000000ull, 0x40000000ull, 0x44000000ull};

static struct pt_space sp;
static struct model M;
static size_t fed;
static struct model_answer ans;
static const struct run_shape *shape;
static unsigned n;      /* entries in the run */
static uint64_t esz;    /* bytes per entry */
static pt_entry_t *run; /* entry 0 of the run */

static void feed(void)
{
	assert_true(model_feed_from_log(&M, &fed));
}

static pt_entry_t entry(uint64_t pa, unsigned j, bool cont)
{
	return desc_leaf(shape->level, pa + j * esz, PROT) | (cont ? PTE_CONT : 0);
}

/* A run -> pa_x with PTE_CONT (a neighbour page past it creates the tables), monitor on. */
static void start(const struct run_shape *s, bool contiguous)
{
	struct model_config cfg;

	shape = s;
	n = pt_cont_entries(s->level);
	esz = pt_level_size(s->level);
	mmu_host_reset();
	assert_int_equal(pt_space_init(&sp), PT_OK);
	assert_int_equal(map_range(&sp, s->va + n * esz, s->pa_x + n * esz, K4, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	run = pt_entry_at(&sp, s->va, s->level);
	assert_non_null(run);
	for (unsigned j = 0; j < n; j++)
		pt_write_desc(&run[j], entry(s->pa_x, j, true));
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
	assert_int_equal(model_access(&M, 0, shape->va + OFF, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	assert_int_equal(ans.allowed, want);
}

static void expect_rules(uint64_t live_change, uint64_t cont)
{
	bbm_monitor_enable(false);
	assert_int_equal(bbm_monitor_count(BBM_RULE_LIVE_CHANGE), live_change);
	assert_int_equal(bbm_monitor_count(BBM_RULE_CONT_MISPROGRAMMED), cont);
	assert_int_equal(bbm_monitor_total(), live_change + cont);
}

/* Entry 5 moved to pa_y live, no BBM: entry 5 as the run's entry gives the VA pa_y; the run disagrees. */
static void one_entry_nobbm(const struct run_shape *s, bool contiguous)
{
	start(s, contiguous);
	pt_unsafe_write_no_maintenance(&run[5], entry(s->pa_y, 5, true));
	dsb_ishst();
	isb();
	expect(s->pa_y, s->pa_x, contiguous ? B(NEW) | B(OLD) | B(TLB_CONFLICT) | B(OTHER) : B(OLD));
	expect_rules(1, 1);
}

/* The probed entry 0 moved to pa_y with BBM of itself only: the other entries still give pa_x. */
static void one_entry_bbm(const struct run_shape *s)
{
	start(s, true);
	pt_unsafe_bbm_replace(&run[0], s->va, entry(s->pa_y, 0, true), BBM_SEQ_CORRECT);
	expect(s->pa_y, s->pa_x, B(NEW) | B(OLD) | B(TLB_CONFLICT) | B(OTHER));
	expect_rules(0, 1);
}

/* Linux: clear every entry, TLBI each, dsb ish; isb; write them again with or without PTE_CONT. */
static void rewrite_run(bool cont)
{
	for (unsigned j = 0; j < n; j++)
		pt_write_desc(&run[j], 0);
	dsb_ishst();
	for (unsigned j = 0; j < n; j++)
		tlbi_vale1is(shape->va + j * esz);
	dsb_ish();
	isb();
	for (unsigned j = 0; j < n; j++)
		pt_write_desc(&run[j], entry(shape->pa_x, j, cont));
	dsb_ishst();
	isb();
}

static void unfold_bbm(const struct run_shape *s)
{
	start(s, true);
	rewrite_run(false);
	expect(s->pa_x, s->pa_y, B(NEW));
	expect_rules(0, 0);
}

static void fold_bbm(const struct run_shape *s)
{
	start(s, true);
	rewrite_run(false);
	rewrite_run(true);
	expect(s->pa_x, s->pa_y, B(NEW));
	expect_rules(0, 0);
}

/* The fold without its TLBIs: the plain entries cached before the break disagree with the run. */
static void fold_bbm_no_tlbi(const struct run_shape *s)
{
	start(s, true);
	rewrite_run(false);
	for (unsigned j = 0; j < n; j++)
		pt_write_desc(&run[j], 0);
	dsb_ish();
	isb();
	for (unsigned j = 0; j < n; j++)
		pt_write_desc(&run[j], entry(s->pa_x, j, true));
	dsb_ishst();
	isb();
	expect(s->pa_x, s->pa_y, B(NEW) | B(TLB_CONFLICT) | B(OTHER));
	bbm_monitor_enable(false);
	assert_int_equal(bbm_monitor_count(BBM_RULE_NO_TLBI), n);
	assert_int_equal(bbm_monitor_total(), n);
}

/* Folded live (PTE_CONT set entry by entry, no break): the run disagrees until the last entry. */
static void fold_live(const struct run_shape *s)
{
	start(s, true);
	rewrite_run(false);
	for (unsigned j = 0; j < n; j++)
		pt_unsafe_write_no_maintenance(&run[j], entry(s->pa_x, j, true));
	dsb_ishst();
	isb();
	/*
	 * Same OAs, so every translation reads the same bytes; but entry 0 may still be cached alone
	 * next to a run entry from another one: a conflict, or an amalgamation of their attributes.
	 */
	expect(s->pa_x, s->pa_y, B(NEW) | B(TLB_CONFLICT) | B(OTHER));
	expect_rules(n, n - 1);
}

/* After a TLBI of every entry the misprogrammed run's stale entries are gone, but memory still disagrees. */
static void one_entry_nobbm_then_tlbi(const struct run_shape *s)
{
	start(s, true);
	pt_unsafe_write_no_maintenance(&run[5], entry(s->pa_y, 5, true));
	dsb_ishst();
	for (unsigned j = 0; j < n; j++)
		tlbi_vale1is(s->va + j * esz);
	dsb_ish();
	isb();
	expect(s->pa_y, s->pa_x, B(NEW) | B(OLD) | B(TLB_CONFLICT) | B(OTHER));
	char line[512];
	assert_true(model_format_witness(&ans, OUTCOME_OTHER, line, sizeof(line)) > 0);
}

/* A table among a block run's entries (one block split) disagrees with the contiguous blocks. */
static void block_run_with_table(void **state)
{
	(void)state;
	start(&blocks, true);
	assert_int_equal(pt_split_block(&sp, &run[3], true), PT_OK);
	bbm_monitor_enable(false);
	assert_int_equal(bbm_monitor_count(BBM_RULE_CONT_MISPROGRAMMED), 1);
}

#define BOTH(fn, ...)                                                                                               \
	static void fn##_pages(void **state) { (void)state; fn(&pages, ##__VA_ARGS__); }                            \
	static void fn##_blocks(void **state) { (void)state; fn(&blocks, ##__VA_ARGS__); }
BOTH(one_entry_bbm)
BOTH(unfold_bbm)
BOTH(fold_bbm)
BOTH(fold_bbm_no_tlbi)
BOTH(fold_live)
BOTH(one_entry_nobbm_then_tlbi)
static void one_entry_nobbm_cont(void **state) { (void)state; one_entry_nobbm(&pages, true); }
static void one_entry_nobbm_ignored(void **state) { (void)state; one_entry_nobbm(&pages, false); }
static void block_nobbm_cont(void **state) { (void)state; one_entry_nobbm(&blocks, true); }
static void block_nobbm_ignored(void **state) { (void)state; one_entry_nobbm(&blocks, false); }

#define T(name, fn) {name, fn, NULL, NULL, NULL}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T("one-entry-nobbm", one_entry_nobbm_cont),
		T("one-entry-nobbm/bit-ignored", one_entry_nobbm_ignored),
		T("one-entry-bbm", one_entry_bbm_pages),
		T("unfold-bbm", unfold_bbm_pages),
		T("fold-bbm", fold_bbm_pages),
		T("fold-bbm/no-tlbi", fold_bbm_no_tlbi_pages),
		T("fold-live", fold_live_pages),
		T("one-entry-nobbm+tlbi", one_entry_nobbm_then_tlbi_pages),
		T("blocks/one-entry-nobbm", block_nobbm_cont),
		T("blocks/one-entry-nobbm/bit-ignored", block_nobbm_ignored),
		T("blocks/one-entry-bbm", one_entry_bbm_blocks),
		T("blocks/unfold-bbm", unfold_bbm_blocks),
		T("blocks/fold-bbm", fold_bbm_blocks),
		T("blocks/fold-bbm/no-tlbi", fold_bbm_no_tlbi_blocks),
		T("blocks/fold-live", fold_live_blocks),
		T("blocks/one-entry-nobbm+tlbi", one_entry_nobbm_then_tlbi_blocks),
		T("blocks/run-with-table", block_run_with_table),
	};
	return cmocka_run_group_tests_name("model-contiguous", tests, NULL, NULL);
}
