/*
 * The 2017 ioremap report (linux-mm, "does ioremap() cause memory leak?") and
 * the Linux code around it, one row per kernel or breakage. The report's
 * sequence: ioremap 4K, access, iounmap (Linux 4.14: W(pte)=0; dsb ishst;
 * tlbi vaae1is; dsb ish; isb), an access that walks to the now-invalid PTE
 * (what caches the PMD's table pointer), then ioremap 2M at the same VA.
 * Names and Linux commits: docs/scenarios.md. Allowed outcomes: the model.
 */
#include "tests/scenario.h"

/* map 4K -> B; load; iounmap with all-levels TLBI (4.14 flush_tlb_kernel_range); re-walk. */
#define REPORT(rewalk)                                                                                           \
	STEP(OP_MAP_PAGE, 0), STEP(OP_WARM, 0), STEP(OP_UNMAP_PAGE, PT_TLBI_ALL_LEVELS), STEP(OP_REWALK, rewalk)
/* The stress form: a leaf-only TLBI (4.20+ flush_tlb_kernel_range) and no re-walk. */
#define LEAFUNMAP STEP(OP_MAP_PAGE, 0), STEP(OP_WARM, 0), STEP(OP_UNMAP_PAGE, PT_TLBI_LEAF)

#define BY(policy) STEP(OP_BLOCK, policy)
#define BBM_SEQ(seq) STEP(OP_BBM_SEQ, seq)

#define L414 PT_POLICY_LINUX_4_14
#define L5X PT_POLICY_LINUX_FIXED
#define REFUSE PT_POLICY_REFUSE_LIVE
#define LIVE_CHANGE RULE(BBM_RULE_LIVE_CHANGE)
/* The broken sequences free the PTE table after a break that did not clean the PMD. */
#define BROKEN(rule) (RULE(rule) | RULE(BBM_RULE_FREE_PARENT_NOT_CLEAN))

/* ---- seed/leak: one row per policy and regime (one VA K times, or K VAs) ---- */

SCENARIO(seed_leak_414_same, "seed", "leak", "linux-4.14-same-va",
	 "the report's sequence K times at one VA under 4.14: one PTE page leaked per remap",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L414)), .leak = 1, .rules = LIVE_CHANGE, .answers = SCN_Q1);
SCENARIO(seed_leak_414_many, "seed", "leak", "linux-4.14-many-va",
	 "the report's sequence at K different VAs under 4.14: one PTE page leaked per remap",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L414)), .many_vas = true, .leak = 1, .rules = LIVE_CHANGE,
	 .answers = SCN_Q1);
SCENARIO(seed_leak_416_same, "seed", "leak", "linux-4.16-same-va",
	 "pmd_set_huge() refuses the live table (15122ee2c515): nothing remapped, nothing leaked",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(REFUSE)), .refused = true, .answers = SCN_Q1);
SCENARIO(seed_leak_416_many, "seed", "leak", "linux-4.16-many-va", "refused at K different VAs: nothing leaked",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(REFUSE)), .many_vas = true, .refused = true, .answers = SCN_Q1);
SCENARIO(seed_leak_5x_same, "seed", "leak", "linux-5.x-same-va",
	 "pmd_free_pte_page() frees the PTE table with BBM first: nothing leaked",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L5X)), .answers = SCN_Q1);
SCENARIO(seed_leak_5x_many, "seed", "leak", "linux-5.x-many-va",
	 "pmd_free_pte_page() first at K different VAs: nothing leaked",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L5X)), .many_vas = true, .answers = SCN_Q1);

/* ---- seed/remap: the report's hazard, per kernel ---- */

SCENARIO(seed_remap_414, "seed", "remap", "linux-4.14",
	 "the report's sequence: iounmap (vaae1is), re-walk by a load, PMD table->block with no BBM",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L414)), .leak = 1, .rules = LIVE_CHANGE, .answers = SCN_Q2);
SCENARIO(seed_remap_414_prfm, "seed", "remap", "linux-4.14-prfm", "the report's sequence, re-walk by PRFM",
	 .steps = STEPS(REPORT(REWALK_PRFM), BY(L414)), .leak = 1, .rules = LIVE_CHANGE, .answers = SCN_Q2);
SCENARIO(seed_remap_414_at, "seed", "remap", "linux-4.14-at", "the report's sequence, re-walk by AT S1E1R",
	 .steps = STEPS(REPORT(REWALK_AT), BY(L414)), .leak = 1, .rules = LIVE_CHANGE, .answers = SCN_Q2);
SCENARIO(seed_remap_418, "seed", "remap", "linux-4.18",
	 "the first fix: pmd_free_pte_page() with dsb ishst; tlbi vaae1is; dsb ish and no ISB (correct BBM)",
	 .steps = STEPS(REPORT(REWALK_LOAD), BBM_SEQ(BBM_SEQ_NO_ISB)));
SCENARIO(seed_remap_5x, "seed", "remap", "linux-5.x",
	 "the fix with the ISB 51696d346c49 added: clear, TLBI all levels, free, then the block",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L5X)));
SCENARIO(seed_remap_5x_poison, "seed", "remap", "linux-5.x-poison",
	 "the fix, then the freed PTE page reused with poison entries: no walk may reach them",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L5X), STEP(OP_POISON, 0)));

/* ---- the stress form: a leaf-only unmap keeps the table pointer cached without a re-walk ---- */

SCENARIO(seed_remap_leaf_414, "seed", "remap-leafunmap", "linux-4.14",
	 "stress form (never shipped): leaf-only iounmap, then table->block with no BBM",
	 .steps = STEPS(LEAFUNMAP, BY(L414)), .leak = 1, .rules = LIVE_CHANGE, .answers = SCN_Q2);
SCENARIO(seed_remap_leaf_5x, "seed", "remap-leafunmap", "linux-5.x",
	 "leaf-only iounmap (4.20+) with the fixed pmd_free_pte_page(): what kernels run today",
	 .steps = STEPS(LEAFUNMAP, BY(L5X)));

/* ---- broken BBM on the fixed path (mmu/unsafe.h), each with the monitor rule it trips ---- */

SCENARIO(seed_remap_no_tlbi, "seed", "remap", "bbm-no-tlbi", "the fixed path with no TLBI after clearing the PMD",
	 .steps = STEPS(REPORT(REWALK_LOAD), BBM_SEQ(BBM_SEQ_NO_TLBI)), .rules = BROKEN(BBM_RULE_NO_TLBI));
SCENARIO(seed_remap_leaf_tlbi, "seed", "remap", "bbm-leaf-tlbi", "the fixed path with a leaf-only TLBI (vale1is)",
	 .steps = STEPS(REPORT(REWALK_LOAD), BBM_SEQ(BBM_SEQ_LEAF_TLBI)), .rules = BROKEN(BBM_RULE_LEAF_TLBI_TABLE));
SCENARIO(seed_remap_leaf_tlbi_poison, "seed", "remap", "bbm-leaf-tlbi-poison",
	 "leaf-only TLBI, then the freed PTE page reused with poison entries: a stale walk reads poison",
	 .steps = STEPS(REPORT(REWALK_LOAD), BBM_SEQ(BBM_SEQ_LEAF_TLBI), STEP(OP_POISON, 0)),
	 .rules = BROKEN(BBM_RULE_LEAF_TLBI_TABLE));
SCENARIO(seed_remap_no_dsb_before, "seed", "remap", "bbm-no-dsb-before-tlbi",
	 "the fixed path without dsb ishst before the TLBI",
	 .steps = STEPS(REPORT(REWALK_LOAD), BBM_SEQ(BBM_SEQ_NO_DSB_BEFORE_TLBI)),
	 .rules = BROKEN(BBM_RULE_TLBI_BEFORE_DSB));
SCENARIO(seed_remap_no_dsb_after, "seed", "remap", "bbm-no-dsb-after-tlbi",
	 "the fixed path without dsb ish after the TLBI",
	 .steps = STEPS(REPORT(REWALK_LOAD), BBM_SEQ(BBM_SEQ_NO_DSB_AFTER_TLBI)),
	 .rules = BROKEN(BBM_RULE_TLBI_NOT_COMPLETE));
SCENARIO(seed_remap_tlbi_first, "seed", "remap", "bbm-tlbi-before-clear",
	 "the fixed path issuing the TLBI before the clear",
	 .steps = STEPS(REPORT(REWALK_LOAD), BBM_SEQ(BBM_SEQ_TLBI_BEFORE_CLEAR)),
	 .rules = BROKEN(BBM_RULE_TLBI_BEFORE_BREAK));

/* ---- seed1g: the PUD analogue (1 GiB blocks, pud_free_pmd_page), only where the GiB is all RAM ---- */

SCENARIO(seed1g_leak_414_same, "seed1g", "leak", "linux-4.14-same-va",
	 "4K then a 1G block over the PUD's table: PMD and PTE page leaked per remap",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L414)), .slot_level = 1, .leak = 2, .rules = LIVE_CHANGE,
	 .answers = SCN_Q1);
SCENARIO(seed1g_leak_414_many, "seed1g", "leak", "linux-4.14-many-va",
	 "the 1G remap at K different VAs under 4.14: PMD and PTE page leaked per remap",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L414)), .slot_level = 1, .many_vas = true, .leak = 2,
	 .rules = LIVE_CHANGE, .answers = SCN_Q1);
SCENARIO(seed1g_leak_416_same, "seed1g", "leak", "linux-4.16-same-va", "pud_set_huge() refuses the live table",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(REFUSE)), .slot_level = 1, .refused = true, .answers = SCN_Q1);
SCENARIO(seed1g_leak_416_many, "seed1g", "leak", "linux-4.16-many-va", "refused at K different VAs: nothing leaked",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(REFUSE)), .slot_level = 1, .many_vas = true, .refused = true,
	 .answers = SCN_Q1);
SCENARIO(seed1g_leak_5x_same, "seed1g", "leak", "linux-5.x-same-va", "pud_free_pmd_page() first: nothing leaked",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L5X)), .slot_level = 1, .answers = SCN_Q1);
SCENARIO(seed1g_leak_5x_many, "seed1g", "leak", "linux-5.x-many-va",
	 "pud_free_pmd_page() first at K different VAs: nothing leaked",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L5X)), .slot_level = 1, .many_vas = true, .answers = SCN_Q1);
SCENARIO(seed1g_remap_414, "seed1g", "remap", "linux-4.14", "PUD table->1G block after iounmap, no BBM",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L414)), .slot_level = 1, .leak = 2, .rules = LIVE_CHANGE);
SCENARIO(seed1g_remap_5x, "seed1g", "remap", "linux-5.x",
	 "PUD table->1G block on the fixed path (pud_free_pmd_page first)",
	 .steps = STEPS(REPORT(REWALK_LOAD), BY(L5X)), .slot_level = 1);
