/* Set-up shared by the multi-CPU remap tests (tests/smp_remap.h). */
#include "tests/smp_remap.h"

#include "tests/cpus.h"
#include "tests/scn_internal.h"

bool smp_remap_set_up(struct test_ctx *t, struct scn_env *env, uint64_t *slot, struct model *m, unsigned ncpus)
{
	unsigned first;
	struct model_config cfg;

	if (scn_skip_unless_4k(t, "laid out for 4K pages and 2M blocks (seed/* runs at every granule)"))
		return false;
	if (!cpus_need(t, 2) || !scn_env_init(t, env))
		return false;
	if (!scn_slot_claim(env, 2, 1, 1, &first)) {
		test_skip(t, "no free 2 MiB slot in the test window");
		return false;
	}
	*slot = scn_slot_va(env, 2, first);
	const char *unsafe = scn_mapping_unsafe(env->pa_old, SZ_4K, SCN_PROT);
	if (!unsafe)
		unsafe = scn_mapping_unsafe(env->pa_new, SZ_2M, SCN_PROT);
	model_config_default(&cfg);
	cfg.ncpus = ncpus;
	if (unsafe || model_init(m, &cfg) != MODEL_OK) {
		test_harness_error(t, __FILE__, __LINE__, "cannot set up the remap at 0x%llx: %s",
				   (unsigned long long)*slot, unsafe ? unsafe : "the model refuses the CPU count");
		return false;
	}
	return true;
}
