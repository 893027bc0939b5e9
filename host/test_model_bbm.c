/*
 * FEAT_BBM levels 1 and 2 (Arm ARM DDI 0487, "Support levels for changing
 * table or block size"): a live change of block size with the same output
 * addresses and attributes, as Linux makes it on BBML2_NOABORT CPUs
 * (5aa4b625762e, 3df6979d222b). The model's allowed set (rule 6b in
 * docs/model.md) and the BBM monitor's FEAT_BBM rule, asserted exactly at
 * levels 0, 1 and 2, with and without the nT bit.
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
#include "mmu/pool.h"
#include "mmu/pt.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"
#include "mmu/unsafe.h"

#define K4 4096ull
#define M2 (2ull << 20)
#define G1 (1ull << 30)
#define VA1 0x40000000ull   /* 1G-aligned */
#define OFF 0x3018ull       /* the accessed byte: in the 4th page, so a split's page index matters */
#define PA_2M 0x10000000ull /* the block, before and after the change */
#define PA_1G 0x80000000ull
#define PA_ELSE 0x09000000ull /* what "old" would read: nothing here maps it */
#define PROT PT_PROT_NORMAL_XN

#define B(o) OUTCOME_BIT(OUTCOME_##o)

static struct pt_space sp;
static struct model M;
static size_t fed;
static struct model_answer ans;

static void feed(void)
{
	assert_true(model_feed_from_log(&M, &fed));
}

/* A fresh space with one block at VA1 (2M -> PA_2M, or 1G -> PA_1G), and a model at FEAT_BBM level. */
static void start(unsigned feat_bbm, int block_level)
{
	struct model_config cfg;

	mmu_host_reset();
	assert_int_equal(pt_space_init(&sp), PT_OK);
	uint64_t size = block_level == 1 ? G1 : M2, pa = block_level == 1 ? PA_1G : PA_2M;
	assert_int_equal(map_range(&sp, VA1, pa, size, PROT, PT_POLICY_REFUSE_LIVE), PT_OK);
	model_config_default(&cfg);
	cfg.feat_bbm = feat_bbm;
	assert_int_equal(model_init(&M, &cfg), MODEL_OK);
	assert_int_equal(model_attach(&M, sp.root, sp.start_level), MODEL_OK);
	arch_log_clear();
	fed = 0;
}

static pt_entry_t *slot(int level)
{
	pt_entry_t *e = pt_entry_at(&sp, VA1, level);
	assert_non_null(e);
	return e;
}

/* A table mapping exactly what the block at `level` maps, filled while unreachable. */
static pt_entry_t split_table(int level)
{
	pt_entry_t block = pt_read_desc(slot(level));
	pt_entry_t *t = pt_pool_alloc(&sp, level + 1, VA1, slot(level));
	uint64_t sub = pt_level_size(level + 1);

	assert_non_null(t);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		pt_write_desc(&t[i], desc_leaf(level + 1, desc_oa(block, level) + i * sub, desc_attrs(block)));
	dsb_ishst();
	return desc_table((uint64_t)(uintptr_t)t);
}

static void expect(uint64_t pa, outcome_set_t want, unsigned size_change_level)
{
	struct model_markers mk = {pa + OFF, PA_ELSE + OFF};

	feed();
	assert_int_equal(model_access(&M, 0, VA1 + OFF, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	assert_int_equal(ans.allowed, want);
	assert_int_equal(ans.size_change_level, size_change_level);
}

/* Linux's split under BBML2: block -> table of 512 pages, same OA and attributes, no break, no TLBI. */
static void split_2m(unsigned feat_bbm)
{
	start(feat_bbm, 2);
	pt_unsafe_change_block_size(slot(2), split_table(2));
	/* Level 2: old (= the same bytes, "new" here) or a conflict; below it also an amalgamation. */
	expect(PA_2M, B(NEW) | B(TLB_CONFLICT) | (feat_bbm >= 2 ? 0 : B(OTHER)), 2);
	char line[512];
	if (feat_bbm < 2)
		assert_true(model_format_witness(&ans, OUTCOME_OTHER, line, sizeof(line)) > 0);
}
static void split_2m_level0(void **state) { (void)state; split_2m(0); }
static void split_2m_level1(void **state) { (void)state; split_2m(1); }
static void split_2m_level2(void **state) { (void)state; split_2m(2); }

/* Level 1's sequence: nT on the block, dsb ishst; tlbi vaae1is; dsb ish; isb, then the table. */
static void split_2m_nt(unsigned feat_bbm, bool tlbi)
{
	start(feat_bbm, 2);
	pt_unsafe_set_nt(slot(2), true);
	if (tlbi)
		pt_tlbi_scope_va(PT_TLBI_ALL_LEVELS, VA1);
	pt_unsafe_change_block_size(slot(2), split_table(2));
	/* Without the TLBI the block without nT may still be cached: that change needs level 2. */
	unsigned need = tlbi ? 1 : 2;
	expect(PA_2M, B(NEW) | B(TLB_CONFLICT) | (feat_bbm >= need ? 0 : B(OTHER)), need);
}
static void split_2m_nt_level0(void **state) { (void)state; split_2m_nt(0, true); }
static void split_2m_nt_level1(void **state) { (void)state; split_2m_nt(1, true); }
static void split_2m_nt_no_tlbi_level1(void **state) { (void)state; split_2m_nt(1, false); }

/* And back: the table of 512 pages folded into the block, no break (the pages orphaned, maybe cached). */
static void fold_2m(unsigned feat_bbm)
{
	start(feat_bbm, 2);
	assert_int_equal(pt_split_block(&sp, slot(2), true), PT_OK); /* a split with BBM: only pages now */
	feed();
	pt_unsafe_change_block_size(slot(2), desc_block(2, PA_2M, PROT));
	expect(PA_2M, B(NEW) | B(TLB_CONFLICT) | (feat_bbm >= 2 ? 0 : B(OTHER)), 2);
}
static void fold_2m_level0(void **state) { (void)state; fold_2m(0); }
static void fold_2m_level2(void **state) { (void)state; fold_2m(2); }

/* 1G -> 512 x 2M blocks at the PUD. */
static void split_1g_level2(void **state)
{
	(void)state;
	start(2, 1);
	pt_unsafe_change_block_size(slot(1), split_table(1));
	expect(PA_1G, B(NEW) | B(TLB_CONFLICT), 2);
}

/* Not a size change: the table maps other addresses. A conflict and both translations at every level. */
static void split_moved_is_not_a_size_change(void **state)
{
	(void)state;
	start(2, 2);
	pt_entry_t table = split_table(2);
	pt_entry_t *t = (pt_entry_t *)(uintptr_t)desc_oa(table, 2);
	pt_write_desc(&t[3], desc_page(PA_ELSE + 3 * K4, PROT)); /* the accessed page moves */
	dsb_ishst();
	pt_unsafe_change_block_size(slot(2), table);
	struct model_markers mk = {PA_ELSE + OFF, PA_2M + OFF};
	feed();
	assert_int_equal(model_access(&M, 0, VA1 + OFF, MODEL_ACCESS_READ, &mk, &ans), MODEL_OK);
	assert_int_equal(ans.allowed, B(NEW) | B(OLD) | B(TLB_CONFLICT));
	assert_int_equal(ans.size_change_level, 0);
}

/* After a TLBI of the VA the block is gone: only the pages, no conflict, nothing to classify. */
static void split_then_tlbi(void **state)
{
	(void)state;
	start(0, 2);
	pt_unsafe_change_block_size(slot(2), split_table(2));
	pt_tlbi_scope_va(PT_TLBI_ALL_LEVELS, VA1 + OFF);
	expect(PA_2M, B(NEW), 0);
}

/* ---- the BBM monitor's FEAT_BBM rule ---- */

/* The monitor's verdict on the live split at level feat_bbm: live-change, or counted as permitted. */
static void monitor_split(unsigned feat_bbm, bool nt, uint64_t want_live, uint64_t want_permitted)
{
	struct bbm_monitor_stats st;

	start(0, 2);
	pt_entry_t table = split_table(2);
	bbm_monitor_set_feat_bbm(feat_bbm);
	bbm_monitor_set_print(false);
	bbm_monitor_reset();
	bbm_monitor_enable(true);
	if (nt) {
		pt_unsafe_set_nt(slot(2), true);
		pt_tlbi_scope_va(PT_TLBI_ALL_LEVELS, VA1);
	}
	pt_unsafe_change_block_size(slot(2), table);
	bbm_monitor_enable(false);
	bbm_monitor_get_stats(&st);
	bbm_monitor_set_feat_bbm(0);
	assert_int_equal(st.by_rule[BBM_RULE_LIVE_CHANGE], want_live);
	assert_int_equal(st.feat_bbm_permitted, want_permitted);
}
static void monitor_split_level0(void **state) { (void)state; monitor_split(0, false, 1, 0); }
static void monitor_split_level1(void **state) { (void)state; monitor_split(1, false, 1, 0); }
static void monitor_split_level2(void **state) { (void)state; monitor_split(2, false, 0, 1); }
/* Level 1 with nT: setting nT and the split are both permitted; at level 0 both are live changes. */
static void monitor_split_nt_level1(void **state) { (void)state; monitor_split(1, true, 0, 2); }
static void monitor_split_nt_level0(void **state) { (void)state; monitor_split(0, true, 2, 0); }

/* The pure check: folds, moved tables, attribute changes. */
static void monitor_permitted_shapes(void **state)
{
	(void)state;
	start(0, 2);
	pt_entry_t block = pt_read_desc(slot(2));
	pt_entry_t table = split_table(2);
	pt_entry_t *t = (pt_entry_t *)(uintptr_t)desc_oa(table, 2);

	assert_true(bbm_size_change_permitted(2, block, table, 2));
	assert_true(bbm_size_change_permitted(2, table, block, 2));            /* fold */
	assert_false(bbm_size_change_permitted(2, table, block, 1));           /* fold without nT: level 2 */
	assert_true(bbm_size_change_permitted(2, table, block | PTE_NT, 1));   /* fold to an nT block */
	assert_true(bbm_size_change_permitted(2, block, block | PTE_NT, 1));   /* nT alone */
	assert_false(bbm_size_change_permitted(2, block, block | PTE_NT, 0));
	assert_false(bbm_size_change_permitted(2, block, block | PTE_RDONLY | PTE_NT, 2)); /* more than nT */
	assert_false(bbm_size_change_permitted(2, block, desc_block(2, PA_2M + M2, PROT), 2)); /* OA moved */
	pt_write_desc(&t[511], desc_page(PA_2M + 511 * K4, PT_PROT_NORMAL_RO));          /* one page differs */
	assert_false(bbm_size_change_permitted(2, block, table, 2));
	assert_false(bbm_size_change_permitted(3, t[0], t[1], 2));                        /* pages: no size */
}

#define T(name, fn) {name, fn, NULL, NULL, NULL}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T("split-2m/level0", split_2m_level0),
		T("split-2m/level1", split_2m_level1),
		T("split-2m/level2", split_2m_level2),
		T("split-2m-nt/level0", split_2m_nt_level0),
		T("split-2m-nt/level1", split_2m_nt_level1),
		T("split-2m-nt-no-tlbi/level1", split_2m_nt_no_tlbi_level1),
		T("fold-2m/level0", fold_2m_level0),
		T("fold-2m/level2", fold_2m_level2),
		T("split-1g/level2", split_1g_level2),
		T("split-moved", split_moved_is_not_a_size_change),
		T("split-then-tlbi", split_then_tlbi),
		T("monitor/split-level0", monitor_split_level0),
		T("monitor/split-level1", monitor_split_level1),
		T("monitor/split-level2", monitor_split_level2),
		T("monitor/split-nt-level1", monitor_split_nt_level1),
		T("monitor/split-nt-level0", monitor_split_nt_level0),
		T("monitor/shapes", monitor_permitted_shapes),
	};
	return cmocka_run_group_tests_name("model-feat-bbm", tests, NULL, NULL);
}
