/*
 * Global and non-global entries, ASIDs, and the TLBI forms that differ only
 * there. A 4K page -> B, global (kernel-style) or nG (user-style, tagged with
 * the ASID running when a walk caches it), is loaded under ASID 1, then
 * replaced by A's page with BBM whose TLBI is vale1is / vae1is with some ASID
 * operand, vaale1is or aside1is; the probe loads under ASID 1 (Arm ARM DDI
 * 0487 M.a.a, D8.16.3.1 "Global and process-specific translation table
 * entries"; D8.17.5.4 "TLB maintenance instruction scope"). Linux:
 * flush_tlb_page() is vale1is with the mm's ASID, flush_tlb_mm() aside1is,
 * flush_tlb_kernel_range() vaale1is (arch/arm64/include/asm/tlbflush.h).
 * docs/scenarios.md.
 */
#include "tests/scenario.h"

#define A1 STEP(OP_ASID, 1)
#define A2 STEP(OP_ASID, 2)
#define NG_B STEP(OP_MAP_PAGE, PAGE_NG), STEP(OP_WARM, 0)
#define GLOBAL_B STEP(OP_MAP_PAGE, 0), STEP(OP_WARM, 0)
#define BBM(form, asid) STEP(OP_BBM_ASID, ASID_TLBI(ASID_TLBI_##form, asid))

SCENARIO(asid_ng_vale1is_right, "asid", "ng-page", "vale1is-own-asid",
	 "Linux flush_tlb_page: an nG page of ASID 1 replaced with BBM, vale1is with ASID 1",
	 .steps = STEPS(A1, NG_B, BBM(VALE1IS, 1)));
SCENARIO(asid_ng_vale1is_wrong, "asid", "ng-page", "vale1is-other-asid",
	 "the same, vale1is with ASID 2: ASID 1's cached nG entry survives the TLBI",
	 .steps = STEPS(A1, NG_B, BBM(VALE1IS, 2)), .rules = RULE(BBM_RULE_NO_TLBI));
SCENARIO(asid_ng_switch_away, "asid", "ng-page", "switch-away",
	 "cached under ASID 1, unmapped under ASID 2 with vale1is ASID 2, back to ASID 1: ASID 1's entry survives",
	 .steps = STEPS(A1, NG_B, A2, BBM(VALE1IS, 2), A1), .rules = RULE(BBM_RULE_NO_TLBI));
SCENARIO(asid_ng_switch_away_vaale1is, "asid", "ng-page", "switch-away-vaale1is",
	 "the same switch away, with vaale1is (every ASID, flush_tlb_kernel_range's form): ASID 1's entry goes too",
	 .steps = STEPS(A1, NG_B, A2, BBM(VAALE1IS, 0), A1));
SCENARIO(asid_ng_aside1is, "asid", "ng-page", "aside1is",
	 "Linux flush_tlb_mm: an nG page of ASID 1 replaced with BBM, aside1is ASID 1",
	 .steps = STEPS(A1, NG_B, BBM(ASIDE1IS, 1)));
SCENARIO(asid_global_vae1is, "asid", "global-page", "vae1is-other-asid",
	 "a global page replaced with BBM, vae1is with ASID 2: a by-VA TLBI reaches global entries whatever the ASID",
	 .steps = STEPS(A1, GLOBAL_B, BBM(VAE1IS, 2)));
SCENARIO(asid_global_vaale1is, "asid", "global-page", "vaale1is",
	 "Linux flush_tlb_kernel_range: a global page replaced with BBM, vaale1is",
	 .steps = STEPS(A1, GLOBAL_B, BBM(VAALE1IS, 0)));
SCENARIO(asid_global_aside1is, "asid", "global-page", "aside1is",
	 "a global page replaced with BBM, aside1is ASID 1 (flush_tlb_mm for a kernel page): the global entry survives",
	 .steps = STEPS(A1, GLOBAL_B, BBM(ASIDE1IS, 1)), .rules = RULE(BBM_RULE_NO_TLBI));
