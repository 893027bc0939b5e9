/*
 * Deliberate harness faults, never in the default suite (tests=inject): they
 * prove a scenario's checks can fail. The sequence is seed/remap-linux-5.x
 * exactly. swap-markers: the model is told the truth and only the harness's
 * classification is wrong, so the observed outcome is one the model forbids
 * (status 1). exhaust-pool: no table page is left, so the sequence cannot
 * run: a harness error, nothing claimed about the CPU (status 4 when alone).
 */
#include "tests/scenario.h"

SCENARIO_FLAGS(inject_swap_markers, "inject", "swap-markers", "seed-remap-linux-5.x",
	       "seed/remap-linux-5.x classified against swapped markers: new reads as old, which BBM forbids",
	       TEST_NOT_DEFAULT,
	       .steps = STEPS(STEP(OP_MAP_PAGE, 0), STEP(OP_WARM, 0), STEP(OP_UNMAP_PAGE, PT_TLBI_ALL_LEVELS),
			      STEP(OP_REWALK, REWALK_LOAD), STEP(OP_BLOCK, PT_POLICY_LINUX_FIXED)),
	       .inject = INJECT_SWAP_MARKERS);

SCENARIO_FLAGS(inject_exhaust_pool, "inject", "exhaust-pool", "seed-remap-linux-5.x",
	       "seed/remap-linux-5.x with the table pool exhausted: a harness error, never an erratum claim",
	       TEST_NOT_DEFAULT,
	       .steps = STEPS(STEP(OP_MAP_PAGE, 0), STEP(OP_WARM, 0), STEP(OP_UNMAP_PAGE, PT_TLBI_ALL_LEVELS),
			      STEP(OP_REWALK, REWALK_LOAD), STEP(OP_BLOCK, PT_POLICY_LINUX_FIXED)),
	       .inject = INJECT_EXHAUST_POOL);
