/*
 * Deliberate harness bugs, never in the default suite (tests=inject): they
 * prove a scenario's outcome check can fail. The sequence is seed/remap-linux-5.x
 * exactly, and the model is told the truth; only the harness's classification
 * is wrong, so the observed outcome is one the model forbids.
 */
#include "tests/scenario.h"

SCENARIO_FLAGS(inject_swap_markers, "inject", "swap-markers", "seed-remap-linux-5.x",
	       "seed/remap-linux-5.x classified against swapped markers: new reads as old, which BBM forbids",
	       TEST_NOT_DEFAULT,
	       .steps = STEPS(STEP(OP_MAP_PAGE, 0), STEP(OP_WARM, 0), STEP(OP_UNMAP_PAGE, PT_TLBI_ALL_LEVELS),
			      STEP(OP_REWALK, REWALK_LOAD), STEP(OP_BLOCK, PT_POLICY_LINUX_FIXED)),
	       .inject = INJECT_SWAP_MARKERS);
