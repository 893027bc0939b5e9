/*
 * FEAT_BBM level 1 and 2: a live block's size changed without a break, the
 * output addresses and attributes kept, as Linux splits (and the
 * architecture lets fold) its linear map on CPUs on its BBML2_NOABORT list
 * (5aa4b625762e "arm64: Add BBM Level 2 cpu feature"; 3df6979d222b and its
 * parent a166563e7ec3 in the "large block mapping when rodata=full" series,
 * split_kernel_leaf_mapping()). Below the level each row needs it skips.
 * docs/scenarios.md.
 */
#include "tests/scenario.h"

#define BLOCK_A STEP(OP_MAP_BLOCK, 1), STEP(OP_WARM, 1) /* the slot's block of A, used once */
#define TABLE_A STEP(OP_NEW_TABLE, 1)                   /* 512 leaves with the block's OAs */
#define SPLIT STEP(OP_SPLIT_LIVE, 0)
#define FOLD STEP(OP_FOLD_LIVE, 0)
#define TLBI_VA STEP(OP_TLBI, PT_TLBI_ALL_LEVELS)
/* The block split WITH break-before-make first (pt_replace_bbm), then used: what a fold starts from. */
#define TABLE_BBM BLOCK_A, TABLE_A, STEP(OP_REPLACE_BBM, 1), STEP(OP_WARM, 1)

SCENARIO(bbml2_split_2m, "bbml2", "split-2m", "nobbm",
	 "a live 2M block split into 512 pages of the same OAs and attributes, no break, no TLBI (FEAT_BBM level 2)",
	 .steps = STEPS(BLOCK_A, TABLE_A, SPLIT), .permitted = 1, .min_bbm = 2, .answers = SCN_BBML2);
SCENARIO(bbml2_split_2m_touch, "bbml2", "split-2m", "touch",
	 "the split, then a load through the new table at VA+4K before the probe: both sizes may be cached",
	 .steps = STEPS(BLOCK_A, TABLE_A, SPLIT, STEP(OP_TOUCH, 1)), .permitted = 1, .min_bbm = 2,
	 .answers = SCN_BBML2);
SCENARIO(bbml2_split_2m_nt, "bbml2", "split-2m", "nt",
	 "level 1's sequence: nT set on the live block, a TLBI, then the split (FEAT_BBM level 1 or 2)",
	 .steps = STEPS(BLOCK_A, STEP(OP_SET_NT, 0), TLBI_VA, TABLE_A, SPLIT), .permitted = 2, .min_bbm = 1,
	 .answers = SCN_BBML2);
SCENARIO(bbml2_fold_2m, "bbml2", "fold-2m", "nobbm",
	 "512 live pages folded back into the 2M block of the same OAs, no break, no TLBI (FEAT_BBM level 2)",
	 .steps = STEPS(TABLE_BBM, FOLD), .leak = 1, .permitted = 1, .min_bbm = 2, .answers = SCN_BBML2);
SCENARIO(bbml2_split_1g, "bbml2", "split-1g", "nobbm",
	 "a live 1G block split into 512 2M blocks of the same OAs, no break (FEAT_BBM level 2; a whole GiB of RAM)",
	 .steps = STEPS(BLOCK_A, TABLE_A, SPLIT), .slot_level = 1, .permitted = 1, .min_bbm = 2,
	 .answers = SCN_BBML2);
SCENARIO(bbml2_fold_1g, "bbml2", "fold-1g", "nobbm",
	 "512 live 2M blocks folded back into the 1G block, no break (FEAT_BBM level 2; a whole GiB of RAM)",
	 .steps = STEPS(TABLE_BBM, FOLD), .slot_level = 1, .leak = 1, .permitted = 1, .min_bbm = 2,
	 .answers = SCN_BBML2);
