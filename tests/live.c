/*
 * Live remaps: a VALID translation changed without unmapping it first, with
 * and without break-before-make (Arm ARM D8.16.1), and with a TLBI but no
 * break (the CoWT1 shape of the published litmus tests). QEMU shows stale
 * translations here: its TLB keeps the final translation of the old mapping
 * until a TLBI removes it. docs/scenarios.md.
 */
#include "tests/scenario.h"

#define PAGE_B STEP(OP_MAP_PAGE, 0), STEP(OP_WARM, 0)  /* a valid 4K page -> B, used once */
#define BLOCK_B STEP(OP_MAP_BLOCK, 0), STEP(OP_WARM, 0) /* a valid 2M block -> B, used once */
#define L414 STEP(OP_BLOCK, PT_POLICY_LINUX_4_14)       /* written over the live entry, no break */
#define TLBI_VA STEP(OP_TLBI, PT_TLBI_ALL_LEVELS)       /* dsb ishst; tlbi vaae1is; dsb ish; isb */
#define LIVE_CHANGE RULE(BBM_RULE_LIVE_CHANGE)

/* ---- a valid 4K page replaced by a 2M block at its PMD ---- */

SCENARIO(live_4k_to_2m_nobbm, "live", "4k-to-2m", "nobbm",
	 "a valid 4K page replaced by a 2M block over its live PMD table, no BBM (4.14 pmd_set_huge)",
	 .steps = STEPS(PAGE_B, L414), .leak = 1, .rules = LIVE_CHANGE);
SCENARIO(live_4k_to_2m_bbm, "live", "4k-to-2m", "bbm",
	 "a valid 4K page replaced by a 2M block with pt_replace_bbm(): break, tlbi, free, make",
	 .steps = STEPS(PAGE_B, STEP(OP_REPLACE_BBM, 0)));
SCENARIO(live_4k_to_2m_tlbi, "live", "4k-to-2m", "tlbi",
	 "no break, but a TLBI of all levels after the change (CoWT1 shape): the old page is gone",
	 .steps = STEPS(PAGE_B, L414, TLBI_VA), .leak = 1, .rules = LIVE_CHANGE);
SCENARIO(live_4k_to_2m_conflict, "live", "4k-to-2m", "conflict",
	 "no BBM, then a load at VA+4K through the block before the probe: both sizes may be cached (conflict)",
	 .steps = STEPS(PAGE_B, L414, STEP(OP_TOUCH, 1)), .leak = 1, .rules = LIVE_CHANGE);

/* ---- a valid 2M block split into 512 pages (moved to A so a stale block is visible) ---- */

SCENARIO(live_2m_to_4k_nobbm, "live", "2m-to-4k", "nobbm", "a valid 2M block replaced by a table of 512 pages, no BBM",
	 .steps = STEPS(BLOCK_B, STEP(OP_NEW_TABLE, 0), STEP(OP_LINK_LIVE, 0)), .rules = LIVE_CHANGE);
SCENARIO(live_2m_to_4k_bbm, "live", "2m-to-4k", "bbm", "a valid 2M block replaced by a table with pt_replace_bbm()",
	 .steps = STEPS(BLOCK_B, STEP(OP_NEW_TABLE, 0), STEP(OP_REPLACE_BBM, 1)));

/* ---- a valid 2M block whose output address (or only its permission) changes ---- */

SCENARIO(live_oa_change_nobbm, "live", "oa-change", "nobbm",
	 "the output address of a valid 2M block changed in place (linux-fixed and refuse-live refuse it)",
	 .steps = STEPS(BLOCK_B, STEP(OP_REFUSED_LIVE, 0), L414), .rules = LIVE_CHANGE);
SCENARIO(live_oa_change_bbm, "live", "oa-change", "bbm",
	 "a valid 2M block's output address changed with pt_replace_bbm()",
	 .steps = STEPS(BLOCK_B, STEP(OP_REPLACE_BBM, 0)));
SCENARIO(live_oa_change_tlbi, "live", "oa-change", "tlbi",
	 "the OA changed in place, then a TLBI of all levels (CoWT1 at level 2): old is forbidden after it",
	 .steps = STEPS(BLOCK_B, L414, TLBI_VA), .rules = LIVE_CHANGE);
SCENARIO(live_oa_change_attr, "live", "oa-change", "attr",
	 "a valid RW 2M block made read-only in place (permitted live), then a store: may still complete",
	 .steps = STEPS(BLOCK_B, STEP(OP_ATTR_RO, 0)), .access = ACCESS_STORE);
SCENARIO(live_oa_change_attr_tlbi, "live", "oa-change", "attr-tlbi",
	 "a valid block made read-only, then a TLBI: the store must take a permission fault",
	 .steps = STEPS(BLOCK_B, STEP(OP_ATTR_RO, 0), TLBI_VA), .access = ACCESS_STORE);
