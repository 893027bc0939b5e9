/*
 * Contiguous runs: 16 x 4K pages with the Contiguous bit (PTE_CONT), which a
 * TLB may cache as one entry for the whole run (Arm ARM DDI 0487, "The
 * Contiguous bit"; "Misprogramming the Contiguous bit": any page's
 * translation, an amalgamation, or a TLB conflict abort). One page changed
 * without BBM of the whole run, the probed page changed with BBM of itself
 * only, and Linux's contpte fold and unfold (arch/arm64/mm/contpte.c,
 * contpte_convert(): BBM of the whole run). docs/scenarios.md.
 */
#include "tests/scenario.h"

#define WARM_B STEP(OP_WARM, 0)
#define WARM_A STEP(OP_WARM, 1)

SCENARIO(cont_one_page_nobbm, "cont", "one-page", "nobbm",
	 "page 5 of a contiguous run -> B moved live to A's run: as the run's entry it may translate page 0 to A",
	 .steps = STEPS(STEP(OP_MAP_RUN, RUN_CONT), WARM_B, STEP(OP_CONT_LIVE, 5)),
	 .rules = RULE(BBM_RULE_LIVE_CHANGE) | RULE(BBM_RULE_CONT_MISPROGRAMMED));
SCENARIO(cont_one_page_bbm, "cont", "one-page", "bbm",
	 "the probed page of a contiguous run moved to A with BBM of that page only: the other 15 still say B",
	 .steps = STEPS(STEP(OP_MAP_RUN, RUN_CONT), WARM_B, STEP(OP_CONT_BBM, 0)),
	 .rules = RULE(BBM_RULE_CONT_MISPROGRAMMED));
SCENARIO(cont_fold, "cont", "fold", "bbm",
	 "Linux contpte fold: 16 pages -> A made contiguous with BBM of the whole run (contpte_convert)",
	 .steps = STEPS(STEP(OP_MAP_RUN, RUN_TO_A), WARM_A, STEP(OP_CONT_REWRITE, 1)));
SCENARIO(cont_unfold, "cont", "unfold", "bbm",
	 "Linux contpte unfold: a contiguous run -> A made 16 plain pages with BBM of the whole run",
	 .steps = STEPS(STEP(OP_MAP_RUN, RUN_TO_A | RUN_CONT), WARM_A, STEP(OP_CONT_REWRITE, 0)));
