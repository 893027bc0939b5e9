/*
 * The 2017 linux-mm report "does ioremap() cause memory leak?": ioremap 4K, iounmap (leaf TLBI), then
 * ioremap 2M at the same VA while the PMD still points to the old PTE table.
 * Run under each policy and count leaks (sweep) and BBM violations (monitor), at 4K, 16K and 64K
 * (16K page + 32M block, 64K page + 512M block; the 1G row only at 4K).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/support/arch_log.h"
#include "host/support/mmu_host.h"
#include "mmu/monitor.h"
#include "mmu/pool.h"
#include "mmu/pt.h"
#include "mmu/sweep.h"
#include "mmu/walk.h"

/* Run at 4K, 16K and 64K: K4 is the granule's page, M2 its smallest block (2M, 32M, 512M). */
#define G (1ull << 30)
#define M2 pt_block_size_min()
#define K4 PT_GRANULE_SIZE
#define VA1 0x40000000ull /* 1G-aligned, so also aligned to every granule's block */
#define DEV_4K 0x09000000ull
#define DEV_2M 0x20000000ull /* 512M-aligned: a block at every granule */
#define DEV_1G 0x100000000ull

static struct pt_space sp;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(mmu_host_monitored_space(&sp, true), PT_OK);
	return 0;
}

static unsigned live_pages(void)
{
	struct pt_pool_stats st;
	pt_pool_get_stats(&st);
	return st.live;
}

static struct pt_sweep_report sweep(void)
{
	struct pt_sweep_report r;
	assert_int_equal(pt_sweep(&sp, &r), PT_OK);
	assert_int_equal(r.dangling, 0);
	assert_int_equal(r.live, r.reachable + r.leaked); /* accounting agrees with reachability */
	assert_int_equal(r.live, live_pages());
	return r;
}

/* ioremap(4K) + iounmap(): leaves the PTE table behind, PMD still a valid table entry. */
static void ioremap_iounmap_4k(uint64_t va)
{
	assert_int_equal(map_range(&sp, va, DEV_4K, K4, PT_PROT_DEVICE, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(unmap_range(&sp, va, K4, PT_TLBI_LEAF), PT_OK);
	int level;
	pt_entry_t *e = pt_find_entry(&sp, va, &level);
	assert_int_equal(level, 3); /* the walk still reaches the (empty) PTE table */
	assert_int_equal(*e, 0);
}

static void expect_block(uint64_t va, uint64_t pa, int level)
{
	struct pt_translation tr;
	pt_translate(&sp, va, &tr);
	assert_true(tr.ok);
	assert_int_equal(tr.level, level);
	assert_int_equal(tr.pa, pa);
}

static void test_seed_2m_linux_4_14_leaks_one_page_per_remap(void **state)
{
	(void)state;
	unsigned base = live_pages();
	for (unsigned k = 1; k <= 5; k++) {
		ioremap_iounmap_4k(VA1);
		/* L1 (not at 64K, where L1 is the root) + L2 (+ leaked PTEs) + new PTE table */
		assert_int_equal(live_pages(), base + (PT_LEVELS - 1) + (k - 1));
		assert_int_equal(map_range(&sp, VA1, DEV_2M, M2, PT_PROT_DEVICE, PT_POLICY_LINUX_4_14), PT_OK);
		expect_block(VA1 + 0x1234, DEV_2M + 0x1234, 2);
		struct pt_sweep_report r = sweep();
		assert_int_equal(r.leaked, k);
		assert_int_equal(r.leaked_items[k - 1].level, 3);
		assert_int_equal(r.leaked_items[k - 1].va_start, VA1);
		assert_int_equal(r.leaked_items[k - 1].va_end, VA1 + M2);
		/* table -> block written live: one violation per remap, at the PMD. */
		assert_int_equal(bbm_monitor_count(BBM_RULE_LIVE_CHANGE), k);
		assert_int_equal(bbm_monitor_total(), k);
		struct bbm_violation v;
		assert_true(bbm_monitor_get(k - 1, &v));
		assert_int_equal(v.level, 2);
		assert_int_equal(v.va, VA1);
		assert_int_equal(desc_type(v.old, 2), DESC_TABLE);
		assert_int_equal(desc_type(v.new_val, 2), DESC_BLOCK);
		assert_int_equal(unmap_range(&sp, VA1, M2, PT_TLBI_LEAF), PT_OK);
	}
	struct pt_sweep_report r = sweep();
	pt_sweep_print(&r);
}

static void test_seed_2m_linux_fixed_frees_with_bbm(void **state)
{
	(void)state;
	unsigned base = live_pages();
	ioremap_iounmap_4k(VA1);
	arch_log_clear();
	assert_int_equal(map_range(&sp, VA1, DEV_2M, M2, PT_PROT_DEVICE, PT_POLICY_LINUX_FIXED), PT_OK);
	expect_block(VA1, DEV_2M, 2);
	assert_int_equal(live_pages(), base + (PT_LEVELS - 2)); /* L1 (not at 64K) + L2; the PTE table went back */
	assert_int_equal(sweep().leaked, 0);
	assert_int_equal(bbm_monitor_total(), 0);
	/* pmd_clear; __flush_tlb_kernel_pgtable(addr); pte_free_kernel; pmd_set_huge; dsb ishst; isb. */
	static const enum arch_event_kind seq[] = {
		ARCH_EV_WRITE,        ARCH_EV_DSB_ISHST, ARCH_EV_TLBI_VAAE1IS, ARCH_EV_DSB_ISH, ARCH_EV_ISB,
		ARCH_EV_TABLE_FREE,   ARCH_EV_WRITE,     ARCH_EV_DSB_ISHST,    ARCH_EV_ISB,
	};
	assert_true(arch_log_barriers_are(seq, sizeof(seq) / sizeof(seq[0])));
	assert_int_equal(arch_log_get(0)->c, 0);             /* the PMD is cleared first */
	assert_int_equal(arch_log_get(2)->a, VA1);           /* vaae1is at the block's VA */
	assert_int_equal(desc_type(arch_log_get(6)->c, 2), DESC_BLOCK);
	/* Many remaps: still no leak. */
	for (int k = 0; k < 5; k++) {
		assert_int_equal(unmap_range(&sp, VA1, M2, PT_TLBI_LEAF), PT_OK);
		ioremap_iounmap_4k(VA1 + K4 * (unsigned)k);
		assert_int_equal(map_range(&sp, VA1, DEV_2M, M2, PT_PROT_DEVICE, PT_POLICY_LINUX_FIXED), PT_OK);
	}
	assert_int_equal(sweep().leaked, 0);
	assert_int_equal(live_pages(), base + (PT_LEVELS - 2));
	assert_int_equal(bbm_monitor_total(), 0);
}

static void test_seed_2m_refuse_live(void **state)
{
	(void)state;
	ioremap_iounmap_4k(VA1);
	unsigned live = live_pages();
	arch_log_clear();
	assert_int_equal(map_range(&sp, VA1, DEV_2M, M2, PT_PROT_DEVICE, PT_POLICY_REFUSE_LIVE), PT_ERR_LIVE_CHANGE);
	assert_int_equal(arch_log_count(), 0);
	assert_int_equal(live_pages(), live);
	struct pt_translation tr;
	pt_translate(&sp, VA1, &tr);
	assert_false(tr.ok);
	assert_int_equal(tr.level, 3); /* still walks into the old PTE table */
	assert_int_equal(sweep().leaked, 0);
	assert_int_equal(bbm_monitor_total(), 0);
}

static void test_seed_1g_pud_level(void **state)
{
	(void)state;
	/* linux-4.14: a 1G block over a PUD that still points to a PMD table (and a PTE table below). */
	if (!pt_level_allows_block(1))
		skip(); /* no level-1 block at 16K/64K without FEAT_LPA (Arm ARM D8.3.1) */
	ioremap_iounmap_4k(VA1);
	assert_int_equal(map_range(&sp, VA1, DEV_1G, G, PT_PROT_DEVICE, PT_POLICY_LINUX_4_14), PT_OK);
	expect_block(VA1 + 0x123456, DEV_1G + 0x123456, 1);
	struct pt_sweep_report r = sweep();
	assert_int_equal(r.leaked, 2);
	assert_int_equal(r.leaked_items[0].level + r.leaked_items[1].level, 2 + 3);
	assert_int_equal(bbm_monitor_count(BBM_RULE_LIVE_CHANGE), 1);
	struct bbm_violation v;
	assert_true(bbm_monitor_get(0, &v));
	assert_int_equal(v.level, 1);

	/* linux-fixed, at the next 1G: pud_free_pmd_page() frees both tables with BBM. */
	bbm_monitor_reset();
	uint64_t va2 = VA1 + G;
	ioremap_iounmap_4k(va2 + 3 * M2 + 5 * K4);
	unsigned live = live_pages();
	arch_log_clear();
	assert_int_equal(map_range(&sp, va2, DEV_1G, G, PT_PROT_DEVICE, PT_POLICY_LINUX_FIXED), PT_OK);
	expect_block(va2, DEV_1G, 1);
	assert_int_equal(live_pages(), live - 2);
	assert_int_equal(arch_log_count_kind(ARCH_EV_TABLE_FREE), 2);
	assert_int_equal(arch_log_count_kind(ARCH_EV_TLBI_VAAE1IS), 2); /* one per cleared table entry */
	assert_int_equal(sweep().leaked, 2); /* only the two from the 4.14 remap above */
	assert_int_equal(bbm_monitor_total(), 0);

	/* refuse-live at the PUD level. */
	uint64_t va3 = VA1 + 2 * G;
	ioremap_iounmap_4k(va3);
	assert_int_equal(map_range(&sp, va3, DEV_1G, G, PT_PROT_DEVICE, PT_POLICY_REFUSE_LIVE), PT_ERR_LIVE_CHANGE);
	assert_int_equal(bbm_monitor_total(), 0);
}

/* Linux-fixed relies on the range being unmapped already: if not, the monitor must say so. */
static void test_fixed_with_live_child_is_flagged(void **state)
{
	(void)state;
	bbm_monitor_set_print(true);
	assert_int_equal(map_range(&sp, VA1 + K4, DEV_4K, K4, PT_PROT_DEVICE, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(map_range(&sp, VA1, DEV_2M, M2, PT_PROT_DEVICE, PT_POLICY_LINUX_FIXED), PT_OK);
	assert_int_equal(bbm_monitor_count(BBM_RULE_FREE_CHILD_LIVE), 1);
	assert_int_equal(bbm_monitor_total(), 1);
	struct bbm_violation v;
	assert_true(bbm_monitor_get(0, &v));
	assert_int_equal(v.va, VA1 + K4);
	assert_int_equal(v.level, 3);
	assert_int_equal(sweep().leaked, 0);
}

/* iounmap with no TLBI at all, then linux-fixed: the vaae1is at the 2M base covers only that page. */
static void test_fixed_after_unmap_without_tlbi(void **state)
{
	(void)state;
	/* Page at the base: the fix's vaae1is(addr) happens to clean it. */
	assert_int_equal(map_range(&sp, VA1, DEV_4K, K4, PT_PROT_DEVICE, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(unmap_range(&sp, VA1, K4, PT_TLBI_NONE), PT_OK);
	assert_int_equal(map_range(&sp, VA1, DEV_2M, M2, PT_PROT_DEVICE, PT_POLICY_LINUX_FIXED), PT_OK);
	assert_int_equal(bbm_monitor_total(), 0);
	/* Page elsewhere in the 2M: its cleared entry is freed while still possibly cached. */
	uint64_t va = VA1 + M2;
	assert_int_equal(map_range(&sp, va + 7 * K4, DEV_4K, K4, PT_PROT_DEVICE, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(unmap_range(&sp, va + 7 * K4, K4, PT_TLBI_NONE), PT_OK);
	assert_int_equal(map_range(&sp, va, DEV_2M, M2, PT_PROT_DEVICE, PT_POLICY_LINUX_FIXED), PT_OK);
	assert_int_equal(bbm_monitor_count(BBM_RULE_FREE_CHILD_NOT_CLEAN), 1);
	assert_int_equal(bbm_monitor_total(), 1);
	struct bbm_violation v;
	assert_true(bbm_monitor_get(0, &v));
	assert_int_equal(v.va, va + 7 * K4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_seed_2m_linux_4_14_leaks_one_page_per_remap, setup),
		cmocka_unit_test_setup(test_seed_2m_linux_fixed_frees_with_bbm, setup),
		cmocka_unit_test_setup(test_seed_2m_refuse_live, setup),
		cmocka_unit_test_setup(test_seed_1g_pud_level, setup),
		cmocka_unit_test_setup(test_fixed_with_live_child_is_flagged, setup),
		cmocka_unit_test_setup(test_fixed_after_unmap_without_tlbi, setup),
	};
	return MMU_HOST_RUN_AT_GRANULES("mmu_seed", tests);
}
