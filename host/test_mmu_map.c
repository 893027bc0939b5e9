/* map_range()/unmap_range(), the pool, split/replace, the identity map: every size and error path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "host/support/arch_log.h"
#include "host/support/mmu_host.h"
#include "mmu/enable.h"
#include "mmu/monitor.h"
#include "mmu/pool.h"
#include "mmu/pt.h"
#include "mmu/sweep.h"
#include "mmu/walk.h"

#define G (1ull << 30)
#define M2 (2ull << 20)
#define K4 4096ull

static struct pt_space sp;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(mmu_host_monitored_space(&sp, true), PT_OK); /* every test here must also be BBM-clean */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(bbm_monitor_total(), 0);
	bbm_monitor_enable(false);
	return 0;
}

static unsigned live_pages(void)
{
	struct pt_pool_stats st;
	pt_pool_get_stats(&st);
	return st.live;
}

/* va translates to pa at `level` with `size`, or fails the test. */
static void expect_mapped(uint64_t va, uint64_t pa, int level)
{
	struct pt_translation tr;
	assert_int_equal(pt_translate(&sp, va, &tr), PT_OK);
	assert_true(tr.ok);
	assert_int_equal(tr.pa, pa);
	assert_int_equal(tr.level, level);
	assert_int_equal(tr.size, pt_level_size(level));
}

static void expect_unmapped(uint64_t va)
{
	struct pt_translation tr;
	assert_int_equal(pt_translate(&sp, va, &tr), PT_OK);
	assert_false(tr.ok);
	assert_int_equal(tr.fault, PT_FAULT_TRANSLATION);
}

static void test_map_4k(void **state)
{
	(void)state;
	assert_int_equal(live_pages(), 1);
	assert_int_equal(map_range(&sp, 0x40001000, 0x90003000, 3 * K4, PT_PROT_NORMAL_XN, PT_POLICY_REFUSE_LIVE),
			 PT_OK);
	assert_int_equal(live_pages(), 4); /* root + L1 + L2 + L3 tables */
	expect_mapped(0x40001000, 0x90003000, 3);
	expect_mapped(0x40003fff, 0x90005fff, 3);
	expect_unmapped(0x40000000);
	expect_unmapped(0x40004000);
	struct pt_translation tr;
	pt_translate(&sp, 0x40002000, &tr);
	assert_int_equal(tr.attrs, PT_PROT_NORMAL_XN);

	arch_log_clear();
	assert_int_equal(unmap_range(&sp, 0x40001000, 3 * K4, PT_TLBI_LEAF), PT_OK);
	expect_unmapped(0x40001000);
	expect_unmapped(0x40003000);
	/* One leaf TLBI per cleared page, each in the Linux template. */
	assert_int_equal(arch_log_count_kind(ARCH_EV_TLBI_VALE1IS), 3);
	assert_int_equal(arch_log_count_kind(ARCH_EV_WRITE), 3);
	static const enum arch_event_kind one[] = {ARCH_EV_DSB_ISHST, ARCH_EV_TLBI_VALE1IS, ARCH_EV_DSB_ISH,
						   ARCH_EV_ISB};
	enum arch_event_kind three[12];
	for (int i = 0; i < 12; i++)
		three[i] = one[i % 4];
	assert_true(arch_log_barriers_are(three, 12));
	assert_int_equal(live_pages(), 4); /* unmap frees no table (4.14 behaviour) */
}

static void test_map_2m_and_1g_blocks(void **state)
{
	(void)state;
	/* 2M-aligned VA/PA and a 2M multiple: blocks, no L3 table. */
	assert_int_equal(map_range(&sp, 0x40200000, 0x80200000, 2 * M2, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_OK);
	assert_int_equal(live_pages(), 3);
	expect_mapped(0x40200000, 0x80200000, 2);
	expect_mapped(0x405fffff, 0x805fffff, 2);
	/* 1G block. */
	assert_int_equal(map_range(&sp, 0x80000000, 0x100000000, G, PT_PROT_DEVICE, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(live_pages(), 3);
	expect_mapped(0x80000000, 0x100000000, 1);
	expect_mapped(0xbfffffff, 0x13fffffff, 1);
	/* Mixed: misaligned head and tail with pages, blocks in the middle (Linux ioremap_page_range). */
	assert_int_equal(map_range(&sp, 0x1001ff000, 0x2001ff000, M2 + 2 * K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_OK);
	expect_mapped(0x1001ff000, 0x2001ff000, 3);
	expect_mapped(0x100200000, 0x200200000, 2);
	expect_mapped(0x100400000, 0x200400000, 3);
	/* VA aligned but PA not: pages only. */
	assert_int_equal(map_range(&sp, 0x140000000, 0x300001000, M2, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	expect_mapped(0x140000000, 0x300001000, 3);
	expect_mapped(0x1401ff000, 0x300200000, 3);

	assert_int_equal(unmap_range(&sp, 0x40200000, 2 * M2, PT_TLBI_ALL_LEVELS), PT_OK);
	expect_unmapped(0x40200000);
	assert_int_equal(unmap_range(&sp, 0x80000000, G, PT_TLBI_ALL), PT_OK);
	expect_unmapped(0x80000000);
	/* Unmapping a hole is fine and issues nothing. */
	arch_log_clear();
	assert_int_equal(unmap_range(&sp, 0x80000000, G, PT_TLBI_ALL), PT_OK);
	assert_int_equal(arch_log_count(), 0);
}

static void test_argument_errors(void **state)
{
	(void)state;
	arch_log_clear();
	assert_int_equal(map_range(&sp, 0x1000, 0x1000, 0, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_BAD_SIZE);
	assert_int_equal(map_range(&sp, 0x1000, 0x1000, 100, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_BAD_SIZE);
	assert_int_equal(map_range(&sp, 0x1800, 0x1000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_MISALIGNED);
	assert_int_equal(map_range(&sp, 0x1000, 0x1800, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_MISALIGNED);
	assert_int_equal(map_range(&sp, 1ull << 48, 0, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_VA_RANGE);
	assert_int_equal(map_range(&sp, (1ull << 48) - K4, 0, 2 * K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_ERR_VA_RANGE);
	assert_int_equal(map_range(&sp, ~0ull << 12, 0, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_VA_RANGE);
	assert_int_equal(map_range(&sp, 0x1000, 0x1000, K4, PT_PROT_NORMAL | PTE_CONT, PT_POLICY_REFUSE_LIVE),
			 PT_ERR_INVALID_ARG);
	assert_int_equal(map_range(&sp, 0x1000, 0x1000, K4, PT_PROT_NORMAL | PTE_TYPE_PAGE, PT_POLICY_REFUSE_LIVE),
			 PT_ERR_INVALID_ARG);
	assert_int_equal(map_range(&sp, 0x1000, 1ull << 48, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_ERR_INVALID_ARG);
	assert_int_equal(map_range(NULL, 0x1000, 0x1000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_INVALID_ARG);
	assert_int_equal(unmap_range(&sp, 0x1000, 0, PT_TLBI_LEAF), PT_ERR_BAD_SIZE);
	assert_int_equal(unmap_range(&sp, 0x1004, K4, PT_TLBI_LEAF), PT_ERR_MISALIGNED);
	assert_int_equal(unmap_range(&sp, 1ull << 48, K4, PT_TLBI_LEAF), PT_ERR_VA_RANGE);
	/* Refused calls wrote nothing and allocated nothing. */
	assert_int_equal(arch_log_count(), 0);
	assert_int_equal(live_pages(), 1);
	for (int i = 0; i < PT_STATUS_COUNT; i++)
		assert_non_null(pt_strerror((enum pt_status)i));
	assert_string_equal(pt_strerror(PT_ERR_NOMEM), "out of table pages");
}

static void test_overlap_and_partial_block(void **state)
{
	(void)state;
	assert_int_equal(map_range(&sp, 0x40000000, 0x80000000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(map_range(&sp, 0x40200000, 0x80200000, M2, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	arch_log_clear();
	/* A page over a page: ioremap_pte_range()'s BUG_ON(!pte_none), under every policy. */
	for (int p = 0; p < PT_POLICY_COUNT; p++)
		assert_int_equal(map_range(&sp, 0x3ffff000, 0x1000, 2 * K4, PT_PROT_NORMAL, (enum pt_policy)p),
				 PT_ERR_OVERLAP);
	/* Pages inside a live block: needs a split first. */
	for (int p = 0; p < PT_POLICY_COUNT; p++)
		assert_int_equal(map_range(&sp, 0x40201000, 0x1000, K4, PT_PROT_NORMAL, (enum pt_policy)p),
				 PT_ERR_OVERLAP);
	/* Block over a live block with another OA: refused unless 4.14 (which overwrites). */
	assert_int_equal(map_range(&sp, 0x40200000, 0x90200000, M2, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_ERR_LIVE_CHANGE);
	assert_int_equal(map_range(&sp, 0x40200000, 0x90200000, M2, PT_PROT_NORMAL, PT_POLICY_LINUX_FIXED),
			 PT_ERR_LIVE_CHANGE);
	/* Unmap cutting a block: refused, nothing cleared (all-or-nothing). */
	assert_int_equal(unmap_range(&sp, 0x40000000, M2 + K4, PT_TLBI_LEAF), PT_ERR_PARTIAL_BLOCK);
	assert_int_equal(unmap_range(&sp, 0x40300000, K4, PT_TLBI_LEAF), PT_ERR_PARTIAL_BLOCK);
	assert_int_equal(arch_log_count(), 0);
	expect_mapped(0x40000000, 0x80000000, 3);
	expect_mapped(0x40200000, 0x80200000, 2);
	/* A permitted live change of a block (RW -> RO, same OA) goes through without BBM. */
	assert_int_equal(map_range(&sp, 0x40200000, 0x80200000, M2, PT_PROT_NORMAL | PTE_RDONLY, PT_POLICY_REFUSE_LIVE),
			 PT_OK);
	struct pt_translation tr;
	pt_translate(&sp, 0x40200000, &tr);
	assert_true(tr.attrs & PTE_RDONLY);
}

static void test_pool_exhaustion_leaves_nothing(void **state)
{
	(void)state;
	/* A 4K mapping needs three tables under the root: allow only two. */
	pt_pool_set_limit(3);
	arch_log_clear();
	assert_int_equal(map_range(&sp, 0x40000000, 0x80000000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_ERR_NOMEM);
	struct pt_pool_stats st;
	pt_pool_get_stats(&st);
	assert_int_equal(st.live, 1);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.limit, 3);
	assert_int_equal(arch_log_count(), 0); /* not a single write or alloc */
	expect_unmapped(0x40000000);
	/* A 1G block needs only the L1 table: fits. */
	assert_int_equal(map_range(&sp, 0x40000000, 0x80000000, G, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	pt_pool_get_stats(&st);
	assert_int_equal(st.live, 2);
	/* A range spanning two L2 tables needs two more: refused as a whole. */
	pt_pool_set_limit(4);
	assert_int_equal(map_range(&sp, 0x80000000 - K4, 0x1000, 2 * K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_ERR_OVERLAP); /* first page lands in the 1G block */
	assert_int_equal(map_range(&sp, 0xc0000000, 0x1000, G + K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_ERR_NOMEM);
	pt_pool_get_stats(&st);
	assert_int_equal(st.live, 2);
	assert_int_equal(st.failed, 2);
	pt_pool_set_limit(1000);
	pt_pool_get_stats(&st);
	assert_int_equal(st.limit, PT_POOL_PAGES);
	struct pt_sweep_report r;
	pt_sweep(&sp, &r);
	assert_int_equal(r.leaked, 0);
	assert_int_equal(r.reachable, 2);
}

static void test_pool_accounting(void **state)
{
	(void)state;
	pt_entry_t *a = pt_pool_alloc(&sp, 3, 0, NULL);
	pt_entry_t *b = pt_pool_alloc(&sp, 3, 0, NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal((uintptr_t)a & (K4 - 1), 0);
	assert_true((uintptr_t)b < (1ull << 47));
	assert_true(pt_pool_contains(a) && pt_pool_contains(&a[511]) && !pt_pool_contains(&sp));
	assert_ptr_equal(pt_pool_meta(&a[7]), pt_pool_meta(a));
	a[3] = 42; /* dirty it, then free and reallocate: it comes back zeroed */
	bbm_monitor_enable(false); /* freeing tables that are not linked anywhere: no BBM question */
	assert_true(pt_pool_free(a));
	assert_false(pt_pool_free(a)); /* double free refused */
	assert_false(pt_pool_free((pt_entry_t *)&sp));
	assert_false(pt_pool_free(&b[1])); /* not a page start */
	pt_entry_t *c = pt_pool_alloc(&sp, 2, 0x200000, b);
	assert_ptr_equal(c, a); /* lowest free page first */
	assert_int_equal(c[3], 0);
	assert_int_equal(pt_pool_meta(c)->level, 2);
	assert_int_equal(pt_pool_meta(c)->va_base, 0x200000);
	assert_ptr_equal(pt_pool_meta(c)->parent, b);
	struct pt_pool_stats st;
	pt_pool_get_stats(&st);
	assert_int_equal(st.allocated, 4);
	assert_int_equal(st.freed, 1);
	assert_int_equal(st.live, 3);
	assert_int_equal(st.high_water, 3);
	assert_int_equal(st.bad_frees, 3);
	assert_int_equal(st.capacity, PT_POOL_PAGES);
	/* Exhaust the whole pool. */
	unsigned n = 0;
	while (pt_pool_alloc(&sp, 3, 0, NULL))
		n++;
	assert_int_equal(n, PT_POOL_PAGES - 3);
	pt_pool_get_stats(&st);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.high_water, PT_POOL_PAGES);
	assert_int_equal(pt_pool_available(), 0);
	assert_int_equal(map_range(&sp, 0x1000, 0x1000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_ERR_NOMEM);
	bbm_monitor_enable(true);
}

static void test_split_and_replace(void **state)
{
	(void)state;
	assert_int_equal(map_range(&sp, 0x40200000, 0x80200000, M2, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	int level;
	pt_entry_t *pmd = pt_find_entry(&sp, 0x40200000, &level);
	assert_int_equal(level, 2);
	arch_log_clear();
	assert_int_equal(pt_split_block(&sp, pmd, true), PT_OK);
	/* Same translation, now through 512 pages. */
	expect_mapped(0x40200000, 0x80200000, 3);
	expect_mapped(0x403ff123, 0x803ff123, 3);
	/* BBM: invalid written, then vmalle1is in the template, then the table. */
	assert_int_equal(arch_log_count_kind(ARCH_EV_TLBI_VMALLE1IS), 1);
	assert_int_equal(bbm_monitor_total(), 0);
	assert_int_equal(pt_split_block(&sp, pmd, true), PT_ERR_INVALID_ARG); /* not a block any more */

	/* Replace the PMD table by a block again with the correct primitive: table freed, no leak. */
	unsigned before = live_pages();
	assert_int_equal(pt_replace_bbm(&sp, pmd, desc_block(2, 0x90000000, PT_PROT_NORMAL)), PT_OK);
	assert_int_equal(live_pages(), before - 1);
	expect_mapped(0x40200000, 0x90000000, 2);
	struct pt_sweep_report r;
	pt_sweep(&sp, &r);
	assert_int_equal(r.leaked, 0);
	assert_int_equal(r.dangling, 0);

	/* Replace a whole PUD subtree (L1 table with tables below) in one go. */
	assert_int_equal(map_range(&sp, 0x40000000, 0x1000, K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	pt_entry_t *pud = &sp.root[0];
	pt_entry_t *l1 = (pt_entry_t *)(uintptr_t)desc_oa(*pud, 0);
	pt_entry_t *pud1 = &l1[1];
	before = live_pages();
	assert_int_equal(pt_replace_bbm(&sp, pud1, desc_block(1, 0xc0000000, PT_PROT_NORMAL)), PT_OK);
	assert_int_equal(live_pages(), before - 2); /* PMD + PTE tables */
	expect_mapped(0x40000000, 0xc0000000, 1);
	pt_sweep(&sp, &r);
	assert_int_equal(r.leaked, 0);

	/* Split without BBM: same translation, but the monitor sees a live block->table change. */
	bbm_monitor_set_print(false);
	assert_int_equal(pt_split_block(&sp, pud1, false), PT_OK);
	expect_mapped(0x40000000, 0xc0000000, 2);
	assert_int_equal(bbm_monitor_count(BBM_RULE_LIVE_CHANGE), 1);
	assert_int_equal(bbm_monitor_total(), 1);
	bbm_monitor_reset();
	assert_int_equal(pt_replace_bbm(&sp, (pt_entry_t *)&sp, 0), PT_ERR_INVALID_ARG);
}

static void test_teardown_and_sweep_counts(void **state)
{
	(void)state;
	assert_int_equal(map_range(&sp, 0x40000000, 0x80000000, 5 * M2 + K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_OK);
	struct pt_sweep_report r;
	assert_int_equal(pt_sweep(&sp, &r), PT_OK);
	assert_int_equal(r.reachable, 4);
	assert_int_equal(r.live, 4);
	assert_int_equal(r.leaked, 0);
	pt_dump(&sp);
	pt_space_teardown(&sp);
	assert_null(sp.root);
	assert_int_equal(live_pages(), 0);
	assert_int_equal(pt_sweep(&sp, &r), PT_ERR_INVALID_ARG);
}

static void test_identity_map(void **state)
{
	(void)state;
	struct pt_space id = {0};
	/* QEMU virt-like: RAM at 1G (256M, image at +0x80000), PL011 and GIC windows. */
	const struct mem_region ram[] = {{0x40000000, 0x10000000}};
	const struct mem_region dev[] = {{0x09000000, 0x1000}, {0x08000000, 0x20000}, {0, 0}};
	assert_int_equal(pt_build_identity_map(&id, ram, 1, dev, 3), PT_OK);
	struct pt_translation tr;
	pt_translate(&id, 0x40080000, &tr);
	assert_true(tr.ok);
	assert_int_equal(tr.pa, 0x40080000);
	assert_int_equal(tr.level, 2); /* 256M is not a 1G block: 2M blocks */
	assert_int_equal(desc_memtype(tr.desc), MT_NORMAL);
	assert_false(tr.attrs & PTE_PXN);
	pt_translate(&id, 0x09000010, &tr);
	assert_true(tr.ok);
	assert_int_equal(tr.pa, 0x09000010);
	assert_int_equal(tr.level, 3);
	assert_int_equal(desc_memtype(tr.desc), MT_DEVICE_nGnRnE);
	assert_true(tr.attrs & PTE_PXN);
	pt_translate(&id, 0x0801f000, &tr);
	assert_true(tr.ok);
	pt_translate(&id, 0x50000000, &tr);
	assert_false(tr.ok);
	pt_dump(&id);
	/* Regions are widened to 4K; colliding RAM and device regions are refused. */
	const struct mem_region clash[] = {{0x40000800, 0x100}};
	assert_int_equal(pt_build_identity_map(&id, NULL, 0, clash, 1), PT_ERR_OVERLAP);
	pt_space_teardown(&id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_4k, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_2m_and_1g_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argument_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlap_and_partial_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_exhaustion_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_accounting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_and_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_teardown_and_sweep_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity_map, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
