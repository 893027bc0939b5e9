/*
 * The BBM monitor's bounded bookkeeping: scans stop at the highest tracking
 * slot in use, and a table allocated while the monitor is on has its valid
 * entries counted, so freeing it needs no 512-entry scan. Same verdicts as a
 * full scan (host builds also assert the count against a scan on every free),
 * including after writes the monitor did not see.
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
#include "mmu/pt_write.h"
#include "mmu/tlb.h"

#define M2 pt_block_size_min() /* the smallest block: 2M, 32M, 512M */
#define K4 PT_GRANULE_SIZE /* run at 4K, 16K and 64K: the page of the granule in force */
#define VA 0x40000000ull

static struct pt_space sp;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(mmu_host_monitored_space(&sp, false), PT_OK);
	return 0;
}

static void map_page(uint64_t va)
{
	assert_int_equal(map_range(&sp, va, 0x80000000 + (va & (M2 - 1)), K4, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE),
			 PT_OK);
}

/* A PTE table allocated under the monitor, freed with a valid page in it: counted, flagged. */
static void test_free_counted_table_with_live_page(void **state)
{
	(void)state;
	map_page(VA + 5 * K4);
	pt_linux_pmd_free_pte_page(pt_entry_at(&sp, VA, 2), VA);
	assert_int_equal(bbm_monitor_count(BBM_RULE_FREE_CHILD_LIVE), 1);
	assert_int_equal(bbm_monitor_total(), 1);
}

/* All entries of the PTE table made and all but the last cleared: the count follows every write. */
static void test_count_follows_every_write(void **state)
{
	(void)state;
	assert_int_equal(map_range(&sp, VA, 0x80000000, M2, PT_PROT_NORMAL, PT_POLICY_REFUSE_LIVE), PT_OK);
	assert_int_equal(unmap_range(&sp, VA, M2, PT_TLBI_LEAF), PT_OK);
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		map_page(VA + i * K4);
	assert_int_equal(unmap_range(&sp, VA, M2 - K4, PT_TLBI_LEAF), PT_OK);
	pt_entry_t *pmd = pt_entry_at(&sp, VA, 2);
	pt_linux_pmd_free_pte_page(pmd, VA);
	assert_int_equal(bbm_monitor_count(BBM_RULE_FREE_CHILD_LIVE), 1);

	for (unsigned i = 0; i < PT_ENTRIES; i++)
		map_page(VA + i * K4);
	assert_int_equal(unmap_range(&sp, VA, M2, PT_TLBI_LEAF), PT_OK);
	pt_linux_pmd_free_pte_page(pmd, VA);
	assert_int_equal(bbm_monitor_total(), 1); /* all cleared and invalidated: nothing new */
}

/* A page written while the monitor was off: its count is unknown after enable, so the free scans. */
static void test_write_while_off_is_not_trusted(void **state)
{
	(void)state;
	map_page(VA);
	assert_int_equal(unmap_range(&sp, VA, K4, PT_TLBI_LEAF), PT_OK); /* counted: 0 valid */
	bbm_monitor_enable(false);
	map_page(VA + K4); /* unseen */
	bbm_monitor_enable(true);
	pt_linux_pmd_free_pte_page(pt_entry_at(&sp, VA, 2), VA);
	assert_int_equal(bbm_monitor_count(BBM_RULE_FREE_CHILD_LIVE), 1);
	assert_int_equal(bbm_monitor_total(), 1);
}

/* Slots freed from the top and reused; an entry below stays tracked and is judged right. */
static void test_slots_shrink_and_grow(void **state)
{
	(void)state;
	pt_entry_t *e[3];
	struct bbm_monitor_stats st;
	for (unsigned i = 0; i < 3; i++) {
		map_page(VA + i * K4);
		e[i] = pt_entry_at(&sp, VA + i * K4, 3);
	}
	pt_entry_t old0 = *e[0], old2 = *e[2]; /* each remade below at another page's OA: a live change */
	for (unsigned i = 0; i < 3; i++)
		pt_write_desc(e[i], 0); /* three breaks: slots 0, 1, 2 */
	dsb_ishst();
	pt_write_desc(e[2], old0); /* the top slot made again without a TLBI */
	assert_int_equal(bbm_monitor_count(BBM_RULE_NO_TLBI), 1);
	bbm_monitor_get_stats(&st);
	assert_int_equal(st.tracked, 2);
	tlbi_leaf_va(VA);          /* cleans slot 0 only */
	pt_write_desc(e[1], old0); /* slot 1 not invalidated: flagged */
	assert_int_equal(bbm_monitor_count(BBM_RULE_NO_TLBI), 2);
	pt_write_desc(e[0], old2); /* slot 0 clean: not flagged */
	assert_int_equal(bbm_monitor_total(), 2);
	for (unsigned n = 0; n < 1000; n++) { /* correct cycles leave nothing behind */
		assert_int_equal(unmap_range(&sp, VA, K4, PT_TLBI_LEAF), PT_OK);
		map_page(VA);
	}
	bbm_monitor_get_stats(&st);
	assert_int_equal(st.tracked, 0);
	assert_int_equal(st.track_overflows, 0);
	assert_int_equal(bbm_monitor_total(), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_free_counted_table_with_live_page, setup),
		cmocka_unit_test_setup(test_count_follows_every_write, setup),
		cmocka_unit_test_setup(test_write_while_off_is_not_trusted, setup),
		cmocka_unit_test_setup(test_slots_shrink_and_grow, setup),
	};
	return MMU_HOST_RUN_AT_GRANULES("mmu_monitor_scan", tests);
}
