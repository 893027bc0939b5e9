/*
 * Kernel-style global (nG=0) pages in TTBR1's space (the upper VA range) next to the user-style nG
 * pages of TTBR0 with ASIDs, the TLBI forms that differ only there, and a live change of nG. A global
 * leaf matches every ASID and is removed by any by-VA TLBI whatever its ASID operand, never by aside1is;
 * a table entry (walk cache) is never global, so freeing a kernel page table needs the all-ASID vaae1is
 * (Arm ARM DDI 0487 M.a.a, D8.16.3.1 "Global and process-specific translation table entries"; D8.17.5.4
 * "TLB maintenance instruction scope"). Linux: flush_tlb_kernel_range() is vaale1is,
 * __flush_tlb_kernel_pgtable() vaae1is, flush_tlb_page() vale1is with the mm's ASID, flush_tlb_mm()
 * aside1is (arch/arm64/include/asm/tlbflush.h). docs/scenarios.md, "`ttbr1` group".
 */
#include "tests/scenario.h"

#define A1 STEP(OP_ASID, 1)
#define A2 STEP(OP_ASID, 2)
#define KERNEL_B STEP(OP_MAP_PAGE, 0), STEP(OP_WARM, 0)
#define BBM(form, asid) STEP(OP_BBM_ASID, ASID_TLBI(ASID_TLBI_##form, asid))
#define PGTABLE(form, asid) STEP(OP_PGTABLE_ASID, ASID_TLBI(ASID_TLBI_##form, asid))
/* vunmap: the kernel page cleared with tlbi_leaf_va() (a by-VA TLBI reaches the global leaf). */
#define KUNMAP STEP(OP_UNMAP_PAGE, PT_TLBI_LEAF)

SCENARIO(ttbr1_kpage_vaale1is, "ttbr1", "kernel-page", "vaale1is",
	 "Linux flush_tlb_kernel_range: a global page in TTBR1 replaced with BBM, vaale1is",
	 .ttbr1 = true, .steps = STEPS(A1, KERNEL_B, BBM(VAALE1IS, 0)));
SCENARIO(ttbr1_kpage_vale1is, "ttbr1", "kernel-page", "vale1is-other-asid",
	 "a global page in TTBR1 replaced with BBM, vale1is with ASID 2: a by-VA TLBI reaches a global leaf whatever the ASID",
	 .ttbr1 = true, .steps = STEPS(A1, KERNEL_B, BBM(VALE1IS, 2)));
SCENARIO(ttbr1_kpage_aside1is, "ttbr1", "kernel-page", "aside1is",
	 "a global page in TTBR1 replaced with BBM, aside1is ASID 1 (flush_tlb_mm): the global entry survives",
	 .ttbr1 = true, .steps = STEPS(A1, KERNEL_B, BBM(ASIDE1IS, 1)), .rules = RULE(BBM_RULE_NO_TLBI));
SCENARIO(ttbr1_kpage_switch, "ttbr1", "kernel-page", "asid-switch",
	 "cached under ASID 1; TTBR0's ASID switched to 2; BBM with aside1is ASID 1: the switch left the global entry",
	 .ttbr1 = true, .steps = STEPS(A1, KERNEL_B, A2, BBM(ASIDE1IS, 1)), .rules = RULE(BBM_RULE_NO_TLBI));
SCENARIO(ttbr1_kpgtable_vaae1is, "ttbr1", "kernel-pgtable", "vaae1is",
	 "Linux __flush_tlb_kernel_pgtable: a kernel PTE table walked under ASID 1, freed under ASID 2 after vaae1is",
	 .ttbr1 = true, .steps = STEPS(A1, KERNEL_B, A2, KUNMAP, PGTABLE(VAAE1IS, 0), A1));
SCENARIO(ttbr1_kpgtable_vae1is, "ttbr1", "kernel-pgtable", "vae1is-running-asid",
	 "the same with vae1is of the running ASID 2: ASID 1's walk-cache copy of the table entry survives the free",
	 .ttbr1 = true, .steps = STEPS(A1, KERNEL_B, A2, KUNMAP, PGTABLE(VAE1IS, 2), A1),
	 .rules = RULE(BBM_RULE_NO_TLBI) | RULE(BBM_RULE_FREE_PARENT_NOT_CLEAN));

/* A page -> A kept at A (the same output address) while only nG changes. */
#define KERNEL_A_NG STEP(OP_MAP_PAGE, PAGE_TO_A | PAGE_NG), STEP(OP_WARM, 1)
#define KERNEL_A STEP(OP_MAP_PAGE, PAGE_TO_A), STEP(OP_WARM, 1)

SCENARIO(ttbr1_ng_to_global_live, "ttbr1", "ng-to-global", "live",
	 "an nG page loaded under ASID 1 made global live (pgattr_change_is_safe() refuses it): two entries may hit",
	 .ttbr1 = true, .steps = STEPS(A1, KERNEL_A_NG, STEP(OP_NG_LIVE, 0)), .rules = RULE(BBM_RULE_LIVE_CHANGE));
SCENARIO(ttbr1_ng_to_global_bbm, "ttbr1", "ng-to-global", "bbm",
	 "the same change with break-before-make (vaae1is): only the global entry is left",
	 .ttbr1 = true, .steps = STEPS(A1, KERNEL_A_NG, STEP(OP_NG_BBM, 0)));
SCENARIO(ttbr1_global_to_ng_live, "ttbr1", "global-to-ng", "live",
	 "a global page made nG live (pgattr_change_is_safe() allows it): the old global and the new nG entry may both hit",
	 .ttbr1 = true, .steps = STEPS(A1, KERNEL_A, STEP(OP_NG_LIVE, 1)));
SCENARIO(ttbr1_global_to_ng_bbm, "ttbr1", "global-to-ng", "bbm",
	 "the same change with break-before-make (vaae1is)",
	 .ttbr1 = true, .steps = STEPS(A1, KERNEL_A, STEP(OP_NG_BBM, 1)));
