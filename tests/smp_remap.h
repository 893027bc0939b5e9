/*
 * What the multi-CPU remap tests (smp/observers-*, smp/seed-rewalk-other-cpu-*)
 * set up alike before their first iteration.
 */
#ifndef BBMPROBE_TESTS_SMP_REMAP_H
#define BBMPROBE_TESTS_SMP_REMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/model.h"
#include "tests/scenario.h"

/*
 * The 4K granule (their offsets and markers are laid out for 4K pages and 2M
 * blocks), two CPUs online, the scenario env, a fresh 2 MiB slot in *slot, the
 * page (B) and block (A) safe to map, and *m a model of `ncpus` CPUs.
 * False after test_skip() or a harness error.
 */
bool smp_remap_set_up(struct test_ctx *t, struct scn_env *env, uint64_t *slot, struct model *m, unsigned ncpus);

#endif
