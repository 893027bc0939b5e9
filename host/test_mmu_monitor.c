/*
 * BBM monitor: hand-written event sequences, each broken variant flagged with
 * exactly the expected rule, and silence on correct sequences.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, dup */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/support/arch_log.h"
#include "host/support/mmu_host.h"
#include "mmu/monitor.h"
#include "mmu/pool.h"
#include "mmu/pt.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"
#include "mmu/unsafe.h"

/* Run at 4K, 16K and 64K: a page and the smallest block of the granule in force. */
#define M2 pt_block_size_min()
#define K4 PT_GRANULE_SIZE
#define VA 0x40000000ull /* a page here (PTE table under the first PMD) */
#define VB (VA + 2 * M2)  /* a block here (0x40400000 at 4K) */
#define PA_VB (0x80000000ull + 2 * M2)

static struct pt_space sp;
static pt_entry_t *pte;  /* entry of the page at VA */
static pt_entry_t *pmd;  /* PMD entry of VA (a table entry) */
static pt_entry_t *blk;  /* PMD entry of VB (a block) */
static pt_entry_t *pud;  /* PUD entry of VA (a table entry) */

static int setup(void **state)
{
	(void)state;
	mmu_host_reset();
	assert_int_equal(pt_space_init(&sp), PT_OK);
	assert_int_equal(map_range(&sp, VA, 0x80000000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(map_range(&sp, VB, PA_VB, M2, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	int level;
	pte = pt_find_entry(&sp, VA, &level);
	assert_int_equal(level, 3);
	blk = pt_find_entry(&sp, VB, &level);
	assert_int_equal(level, 2);
	pmd = (pt_entry_t *)pt_pool_meta(pte)->parent;
	pud = (pt_entry_t *)pt_pool_meta(pmd)->parent;
	assert_int_equal(desc_type(*pmd, 2), DESC_TABLE);
	assert_int_equal(desc_type(*pud, 1), DESC_TABLE);
	bbm_monitor_enable(true);
	bbm_monitor_set_print(true);
	return 0;
}

/* Exactly one violation, of this rule (or none when rule < 0). */
static void expect_only(int rule)
{
	if (rule < 0) {
		assert_int_equal(bbm_monitor_total(), 0);
		return;
	}
	assert_int_equal(bbm_monitor_total(), 1);
	assert_int_equal(bbm_monitor_count((enum bbm_rule)rule), 1);
}

/* Each BBM variant on a page entry (page -> page at a new OA). */
static void test_variants_on_page_entry(void **state)
{
	(void)state;
	static const int expected[BBM_SEQ_COUNT] = {
		[BBM_SEQ_CORRECT] = -1,
		[BBM_SEQ_NO_TLBI] = BBM_RULE_NO_TLBI,
		[BBM_SEQ_LEAF_TLBI] = -1, /* last-level TLBI is enough for a last-level entry */
		[BBM_SEQ_NO_DSB_BEFORE_TLBI] = BBM_RULE_TLBI_BEFORE_DSB,
		[BBM_SEQ_NO_DSB_AFTER_TLBI] = BBM_RULE_TLBI_NOT_COMPLETE,
		[BBM_SEQ_NO_ISB] = -1, /* invisible to this model: accesses are not instrumented */
		[BBM_SEQ_TLBI_BEFORE_CLEAR] = BBM_RULE_TLBI_BEFORE_BREAK,
	};
	for (int v = 0; v < BBM_SEQ_COUNT; v++) {
		bbm_monitor_reset();
		pt_entry_t new_desc = desc_page(0x90000000 + (uint64_t)v * K4, PT_PROT_NORMAL);
		pt_unsafe_bbm_replace(pte, VA, new_desc, (enum bbm_seq)v);
		print_message("# variant %s on a page entry: %llu violation(s)\n", bbm_seq_name((enum bbm_seq)v),
			      (unsigned long long)bbm_monitor_total());
		expect_only(expected[v]);
		assert_int_equal(*pte, new_desc);
		if (expected[v] >= 0) {
			struct bbm_violation viol;
			assert_true(bbm_monitor_get(0, &viol));
			assert_int_equal(viol.va, VA);
			assert_int_equal(viol.level, 3);
			assert_int_equal(viol.new_val, new_desc);
			assert_int_equal(viol.ptep, (uintptr_t)pte);
		}
	}
}

/* Each variant on a PMD table entry replaced by a block: the seed's change done with BBM. */
static void test_variants_on_table_entry(void **state)
{
	(void)state;
	static const int expected[BBM_SEQ_COUNT] = {
		[BBM_SEQ_CORRECT] = -1,
		[BBM_SEQ_NO_TLBI] = BBM_RULE_NO_TLBI,
		[BBM_SEQ_LEAF_TLBI] = BBM_RULE_LEAF_TLBI_TABLE, /* walk cache keeps the table pointer */
		[BBM_SEQ_NO_DSB_BEFORE_TLBI] = BBM_RULE_TLBI_BEFORE_DSB,
		[BBM_SEQ_NO_DSB_AFTER_TLBI] = BBM_RULE_TLBI_NOT_COMPLETE,
		[BBM_SEQ_NO_ISB] = -1,
		[BBM_SEQ_TLBI_BEFORE_CLEAR] = BBM_RULE_TLBI_BEFORE_BREAK,
	};
	pt_entry_t table = *pmd;
	for (int v = 0; v < BBM_SEQ_COUNT; v++) {
		bbm_monitor_reset();
		/* Back to the table first, with a correct BBM (block -> table). */
		pt_unsafe_bbm_replace(pmd, VA, table, BBM_SEQ_CORRECT);
		expect_only(-1);
		pt_unsafe_bbm_replace(pmd, VA + 5 * K4, desc_block(2, 0xa0000000, PT_PROT_NORMAL), (enum bbm_seq)v);
		print_message("# variant %s on a table entry: %llu violation(s)\n", bbm_seq_name((enum bbm_seq)v),
			      (unsigned long long)bbm_monitor_total());
		expect_only(expected[v]);
		if (expected[v] >= 0) {
			struct bbm_violation viol;
			assert_true(bbm_monitor_get(0, &viol));
			assert_int_equal(viol.va, VA);
			assert_int_equal(viol.level, 2);
			assert_int_equal(viol.old, table);
		}
	}
}

static void test_hand_written_sequences(void **state)
{
	(void)state;
	pt_entry_t old = *pte, other = desc_page(0x91000000, PT_PROT_NORMAL);

	/* TLBI at a VA outside the entry's range does not count. */
	pt_write_desc(pte, 0);
	tlbi_all_levels_va(VA + K4);
	pt_write_desc(pte, other);
	expect_only(BBM_RULE_NO_TLBI);

	/* dsb ishst does not complete a TLBI. */
	bbm_monitor_reset();
	pt_write_desc(pte, 0);
	dsb_ishst();
	tlbi_vmalle1is();
	dsb_ishst();
	isb();
	pt_write_desc(pte, old);
	expect_only(BBM_RULE_TLBI_NOT_COMPLETE);

	/* dsb sy orders and completes like dsb ish. */
	bbm_monitor_reset();
	pt_write_desc(pte, 0);
	dsb_sy();
	tlbi_vaae1is(VA);
	dsb_sy();
	isb();
	pt_write_desc(pte, other);
	expect_only(-1);

	/* Local vmalle1 and dsb nsh do not reach other CPUs. */
	bbm_monitor_reset();
	pt_write_desc(pte, 0);
	dsb_ishst();
	tlbi_vmalle1();
	dsb_nsh();
	pt_write_desc(pte, old);
	expect_only(BBM_RULE_NO_TLBI);

	/* vae1is cleans a table entry (all levels); any VA inside its 2M counts. */
	bbm_monitor_reset();
	pt_entry_t table = *pmd;
	pt_write_desc(pmd, 0);
	dsb_ishst();
	tlbi_vae1is(VA + M2 - K4, 0);
	dsb_ish();
	isb();
	pt_write_desc(pmd, table);
	expect_only(-1);

	/* Re-making the same value (or a permitted variant) without a TLBI is not a BBM case. */
	bbm_monitor_reset();
	pt_write_desc(pte, 0);
	pt_write_desc(pte, old | PTE_RDONLY);
	expect_only(-1);
	pt_write_desc(pte, old);

	/* Live valid -> valid: permitted attribute change is silent, OA / memory type / size are not. */
	bbm_monitor_reset();
	pt_write_desc(pte, old | PTE_PXN | PTE_NG | PTE_SW(3));
	dsb_ishst();
	tlbi_leaf_va(VA);
	expect_only(-1);
	pt_write_desc(pte, desc_page(0x92000000, PT_PROT_NORMAL));
	expect_only(BBM_RULE_LIVE_CHANGE);
	pt_write_desc(pte, desc_page(0x92000000, PT_PROT_NORMAL_NC));
	assert_int_equal(bbm_monitor_count(BBM_RULE_LIVE_CHANGE), 2);
	pt_write_desc(blk, desc_table(PA_VB)); /* block -> table, same address */
	assert_int_equal(bbm_monitor_count(BBM_RULE_LIVE_CHANGE), 3);
	assert_int_equal(bbm_monitor_total(), 3);
}

static void test_linux_fixed_sequence_is_silent(void **state)
{
	(void)state;
	/* iounmap with leaf TLBI, then exactly pmd_free_pte_page() + pmd_set_huge(). */
	assert_int_equal(unmap_range(&sp, VA, K4, PT_TLBI_LEAF), PT_OK);
	pt_linux_pmd_free_pte_page(pmd, VA);
	pt_write_desc(pmd, desc_block(2, 0xa0000000, PT_PROT_NORMAL));
	dsb_ishst();
	isb();
	expect_only(-1);
	/* The same through map_range at the PUD level (16K/64K: level-2 blocks), the first 1G holding a block and a table. */
	assert_int_equal(unmap_range(&sp, VA, 4 * M2, PT_TLBI_LEAF), PT_OK);
	assert_int_equal(map_range(&sp, VA, 0xc0000000, 1ull << 30, PT_PROT_NORMAL, PT_POLICY_LINUX_FIXED), PT_OK);
	expect_only(-1);
}

static void test_free_rules(void **state)
{
	(void)state;
	pt_entry_t *pte_table = (pt_entry_t *)((uintptr_t)pte & ~(uintptr_t)(K4 - 1));
	pt_entry_t *pmd_table;

	/* Freeing a table still linked from the root. */
	assert_int_equal(unmap_range(&sp, VA, K4, PT_TLBI_LEAF), PT_OK);
	assert_true(pt_pool_free(pte_table));
	expect_only(BBM_RULE_FREE_REACHABLE);
	struct bbm_violation v;
	assert_true(bbm_monitor_get(0, &v));
	assert_int_equal(v.va, VA);
	assert_int_equal(v.level, 3);
	assert_int_equal(v.new_val, (uintptr_t)pte_table);

	/* Parent cleared but never invalidated. */
	mmu_host_reset();
	setup(NULL);
	pte_table = (pt_entry_t *)((uintptr_t)pte & ~(uintptr_t)(K4 - 1));
	assert_int_equal(unmap_range(&sp, VA, K4, PT_TLBI_LEAF), PT_OK);
	pt_unsafe_clear(pmd, VA, PT_TLBI_NONE);
	assert_true(pt_pool_free(pte_table));
	expect_only(BBM_RULE_FREE_PARENT_NOT_CLEAN);

	/* Parent cleared with a leaf-only TLBI: the walk cache may still point at the page. */
	mmu_host_reset();
	setup(NULL);
	pte_table = (pt_entry_t *)((uintptr_t)pte & ~(uintptr_t)(K4 - 1));
	assert_int_equal(unmap_range(&sp, VA, K4, PT_TLBI_LEAF), PT_OK);
	pt_unsafe_clear(pmd, VA, PT_TLBI_LEAF);
	assert_true(pt_pool_free(pte_table));
	expect_only(BBM_RULE_FREE_PARENT_NOT_CLEAN);

	/* Live child, parent cleaned by a per-VA TLBI: other VAs' leaves may survive. */
	mmu_host_reset();
	setup(NULL);
	pte_table = (pt_entry_t *)((uintptr_t)pte & ~(uintptr_t)(K4 - 1));
	pt_unsafe_clear(pmd, VA + M2 - K4, PT_TLBI_ALL_LEVELS);
	assert_true(pt_pool_free(pte_table));
	expect_only(BBM_RULE_FREE_CHILD_LIVE);

	/* Same with a full TLBI: nothing can be cached any more. */
	mmu_host_reset();
	setup(NULL);
	pte_table = (pt_entry_t *)((uintptr_t)pte & ~(uintptr_t)(K4 - 1));
	pt_unsafe_clear(pmd, VA, PT_TLBI_ALL);
	assert_true(pt_pool_free(pte_table));
	expect_only(-1);

	/* Grandchild freed below a PUD cleared with a per-VA TLBI: the PMD link may still be cached. */
	mmu_host_reset();
	setup(NULL);
	pte_table = (pt_entry_t *)((uintptr_t)pte & ~(uintptr_t)(K4 - 1));
	pmd_table = (pt_entry_t *)((uintptr_t)pmd & ~(uintptr_t)(K4 - 1));
	assert_int_equal(unmap_range(&sp, VA, K4, PT_TLBI_LEAF), PT_OK);
	pt_unsafe_clear(pud, VA, PT_TLBI_ALL_LEVELS);
	assert_true(pt_pool_free(pte_table));
	expect_only(BBM_RULE_FREE_PARENT_NOT_CLEAN);
	assert_true(pt_pool_free(pmd_table)); /* the PMD table itself: cut clean, but it holds a valid block */
	assert_int_equal(bbm_monitor_count(BBM_RULE_FREE_CHILD_LIVE), 1);

	/* Clean break, block made, old table freed later: the monitor remembers the clean unlink. */
	mmu_host_reset();
	setup(NULL);
	pte_table = (pt_entry_t *)((uintptr_t)pte & ~(uintptr_t)(K4 - 1));
	assert_int_equal(unmap_range(&sp, VA, K4, PT_TLBI_LEAF), PT_OK);
	pt_unsafe_bbm_replace(pmd, VA, desc_block(2, 0xa0000000, PT_PROT_NORMAL), BBM_SEQ_CORRECT);
	assert_true(pt_pool_free(pte_table));
	expect_only(-1);

	/* 4.14 style: block written over the table, table freed later. */
	mmu_host_reset();
	setup(NULL);
	pte_table = (pt_entry_t *)((uintptr_t)pte & ~(uintptr_t)(K4 - 1));
	assert_int_equal(unmap_range(&sp, VA, K4, PT_TLBI_LEAF), PT_OK);
	pt_unsafe_write_no_maintenance(pmd, desc_block(2, 0xa0000000, PT_PROT_NORMAL));
	assert_true(pt_pool_free(pte_table));
	assert_int_equal(bbm_monitor_count(BBM_RULE_LIVE_CHANGE), 1);
	assert_int_equal(bbm_monitor_count(BBM_RULE_FREE_PARENT_NOT_CLEAN), 1);
	assert_int_equal(bbm_monitor_total(), 2);
}

static void test_ring_counters_overflow_disable(void **state)
{
	(void)state;
	bbm_monitor_set_print(false);
	pt_entry_t old = *pte;
	for (unsigned i = 0; i < BBM_MONITOR_RING + 5; i++)
		pt_write_desc(pte, desc_page(0x90000000 + (uint64_t)(i + 1) * K4, PT_PROT_NORMAL));
	struct bbm_monitor_stats st;
	bbm_monitor_get_stats(&st);
	assert_int_equal(st.violations, BBM_MONITOR_RING + 5);
	assert_int_equal(st.ring_dropped, 5);
	struct bbm_violation v;
	assert_true(bbm_monitor_get(0, &v)); /* oldest kept = the 6th */
	assert_int_equal(v.new_val, desc_page(0x90000000 + 6 * K4, PT_PROT_NORMAL));
	assert_true(bbm_monitor_get(BBM_MONITOR_RING - 1, &v));
	assert_int_equal(v.new_val, desc_page(0x90000000 + (BBM_MONITOR_RING + 5) * K4, PT_PROT_NORMAL));
	assert_false(bbm_monitor_get(BBM_MONITOR_RING, &v));
	pt_write_desc(pte, old); /* one more live OA change */
	assert_int_equal(bbm_monitor_total(), BBM_MONITOR_RING + 6);
	bbm_monitor_reset();
	assert_int_equal(bbm_monitor_total(), 0);
	assert_false(bbm_monitor_get(0, &v));

	/* More cleared-but-dirty entries than the tracking table holds: counted, never silent. */
	assert_int_equal(map_range(&sp, 0x50000000, 0x80000000, 300 * K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_OK);
	assert_int_equal(unmap_range(&sp, 0x50000000, 300 * K4, PT_TLBI_NONE), PT_OK);
	bbm_monitor_get_stats(&st);
	assert_int_equal(st.track_overflows, 300 - BBM_MONITOR_TRACK_MAX);
	assert_int_equal(st.tracked, BBM_MONITOR_TRACK_MAX);
	tlbi_all();
	/* Clean entries get evicted to make room again. */
	pt_unsafe_clear(pte, VA, PT_TLBI_NONE);
	bbm_monitor_get_stats(&st);
	assert_int_equal(st.track_overflows, 300 - BBM_MONITOR_TRACK_MAX);

	/* Disabled: hooks are not called at all. */
	bbm_monitor_enable(false);
	bbm_monitor_get_stats(&st);
	uint64_t events = st.events;
	pt_write_desc(pte, desc_page(0x93000000, PT_PROT_NORMAL));
	tlbi_all();
	bbm_monitor_get_stats(&st);
	assert_int_equal(st.events, events);
	assert_int_equal(bbm_monitor_total(), 0);
	assert_false(bbm_monitor_active);
	for (int r = 0; r < BBM_RULE_COUNT; r++)
		assert_string_not_equal(bbm_rule_name((enum bbm_rule)r), "?");
}

/* The printed line: "# BBM violation: rule=<id> va=0x... level=N old=0x... new=0x..." */
static void test_violation_line_format(void **state)
{
	(void)state;
	char path[] = "/tmp/bbm_monitor_lineXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stdout);
	int saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	pt_unsafe_bbm_replace(pte, VA, desc_page(0x94000000, PT_PROT_NORMAL), BBM_SEQ_NO_TLBI);
	arch_event_sync(); /* the monitor prints when it takes the batch */
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	char line[256] = {0};
	FILE *f = fdopen(fd, "r");
	rewind(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	unlink(path);
	char expect[256];
	snprintf(expect, sizeof(expect),
		 "# BBM violation: rule=no-tlbi va=0x40000000 level=3 old=0x%016llx new=0x%016llx\n",
		 (unsigned long long)desc_page(0x80000000, PT_PROT_NORMAL),
		 (unsigned long long)desc_page(0x94000000, PT_PROT_NORMAL));
	assert_string_equal(line, expect);
}

/*
 * Contiguous block runs (mmu/monitor_cont.c): the PMD table holding VA's table entry (index 0) and VB's
 * block (index 2) is one 16-entry run. With the bit on VB's block, the table among its entries, a block
 * of another output run and one of other attributes each disagree; invalid entries never do; level 1
 * has no run here. Judged: a table linked where a contiguous block was (after its break).
 */
static void test_cont_block_runs(void **state)
{
	(void)state;
	pt_entry_t *run = pmd; /* entry 0 of the run */
	pt_entry_t cont_blk = desc_block(2, 0x80400000, PT_PROT_NORMAL) | PTE_CONT;

	if (PT_GRANULE_SHIFT != PT_GRANULE_4K)
		skip(); /* the addresses below are 2M blocks of a 16-entry run (4K granule) */
	bbm_monitor_enable(false); /* the function alone: no writes are judged here */
	assert_true(bbm_cont_run_consistent(blk, 2)); /* no entry has the bit */
	pt_write_desc(blk, cont_blk);
	assert_false(bbm_cont_run_consistent(blk, 2)); /* a table at index 0 */
	assert_false(bbm_cont_run_consistent(run, 2));
	assert_true(bbm_cont_run_consistent(pud, 1));
	pt_entry_t table = pt_read_desc(run); /* VA's PTE table: linked at index 3 below */
	pt_write_desc(run, 0);
	assert_true(bbm_cont_run_consistent(blk, 2)); /* one valid block: nothing to disagree with */
	pt_write_desc(&run[3], desc_block(2, 0x80600000, PT_PROT_NORMAL) | PTE_CONT);
	assert_true(bbm_cont_run_consistent(blk, 2)); /* index 3 at base + 3 x 2M */
	pt_write_desc(&run[3], desc_block(2, 0x80800000, PT_PROT_NORMAL) | PTE_CONT);
	assert_false(bbm_cont_run_consistent(blk, 2)); /* another output run */
	pt_write_desc(&run[3], desc_block(2, 0x80600000, PT_PROT_NORMAL_RO) | PTE_CONT);
	assert_false(bbm_cont_run_consistent(blk, 2)); /* other attributes */
	pt_write_desc(&run[3], desc_block(2, 0x80600000, PT_PROT_NORMAL));
	assert_false(bbm_cont_run_consistent(blk, 2)); /* the bit missing on one */
	pt_write_desc(&run[3], desc_block(2, 0x80600000, PT_PROT_NORMAL) | PTE_CONT);
	/* Judged: block 3 of the (agreeing) run broken and a table linked there: a table among the blocks. */
	bbm_monitor_reset();
	bbm_monitor_enable(true);
	pt_write_desc(&run[3], 0);
	dsb_ishst();
	tlbi_vaae1is(VB + M2);
	dsb_ish();
	isb();
	expect_only(-1);
	pt_write_desc(&run[3], table);
	expect_only(BBM_RULE_CONT_MISPROGRAMMED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_variants_on_page_entry, setup),
		cmocka_unit_test_setup(test_variants_on_table_entry, setup),
		cmocka_unit_test_setup(test_hand_written_sequences, setup),
		cmocka_unit_test_setup(test_linux_fixed_sequence_is_silent, setup),
		cmocka_unit_test_setup(test_free_rules, setup),
		cmocka_unit_test_setup(test_ring_counters_overflow_disable, setup),
		cmocka_unit_test_setup(test_violation_line_format, setup),
		cmocka_unit_test_setup(test_cont_block_runs, setup),
	};
	return MMU_HOST_RUN_AT_GRANULES("mmu_monitor", tests);
}
