/*
 * Contiguous block runs: 16 x 2M level 2 blocks with the Contiguous bit
 * (PTE_CONT) at a 32 MiB-aligned VA, mapping a 32 MiB-aligned window of RAM;
 * a TLB may cache the run as one entry (Arm ARM DDI 0487, "The Contiguous
 * bit"; "Misprogramming the Contiguous bit": any block's translation, an
 * amalgamation, or a TLB conflict abort). The cont rows' sequences on blocks:
 * one block changed without BBM of the whole run, the probed block changed
 * with BBM of itself only, and Linux hugetlb's fold and unfold of contiguous
 * PMDs (arch/arm64/mm/hugetlbpage.c: clear_flush() of the whole run, then
 * set_huge_pte_at()'s writes). docs/scenarios.md.
 */
#include "tests/scenario.h"

#define WARM_B STEP(OP_WARM, 0)
#define WARM_A STEP(OP_WARM, 1)

SCENARIO(cont2m_one_block_nobbm, "cont2m", "one-block", "nobbm",
	 "block 5 of a contiguous 16 x 2M run -> B moved live to A's run: as the run's entry it may translate block 0 "
	 "to A",
	 .steps = STEPS(STEP(OP_MAP_BLOCK_RUN, RUN_CONT), WARM_B, STEP(OP_CONT_BLOCK_LIVE, 5)), .block_run = true,
	 .rules = RULE(BBM_RULE_LIVE_CHANGE) | RULE(BBM_RULE_CONT_MISPROGRAMMED));
SCENARIO(cont2m_one_block_bbm, "cont2m", "one-block", "bbm",
	 "the probed block of a contiguous 16 x 2M run moved to A with BBM of that block only: the other 15 still say B",
	 .steps = STEPS(STEP(OP_MAP_BLOCK_RUN, RUN_CONT), WARM_B, STEP(OP_CONT_BLOCK_BBM, 0)), .block_run = true,
	 .rules = RULE(BBM_RULE_CONT_MISPROGRAMMED));
SCENARIO(cont2m_fold, "cont2m", "fold", "bbm",
	 "hugetlb fold: 16 x 2M -> A made contiguous with BBM of the whole run (clear_flush, set_huge_pte_at)",
	 .steps = STEPS(STEP(OP_MAP_BLOCK_RUN, RUN_TO_A), WARM_A, STEP(OP_CONT_BLOCK_REWRITE, 1)), .block_run = true);
SCENARIO(cont2m_unfold, "cont2m", "unfold", "bbm",
	 "hugetlb unfold: a contiguous 16 x 2M run -> A made 16 plain blocks with BBM of the whole run",
	 .steps = STEPS(STEP(OP_MAP_BLOCK_RUN, RUN_TO_A | RUN_CONT), WARM_A, STEP(OP_CONT_BLOCK_REWRITE, 0)),
	 .block_run = true);
