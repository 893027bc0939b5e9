/*
 * Flat reference model of a VA window for randomized tests and fuzzing: one
 * entry per 4K page (PA, attribute set), and checkers that compare the real
 * tables (via pt_translate) and the pool accounting (via pt_sweep) against it.
 * Also a small deterministic PRNG (splitmix64) and the random operation driver
 * shared by host/test_pt_random.c and host/fuzz_pt.c.
 */
#ifndef BBMPROBE_HOST_SUPPORT_REF_MODEL_H
#define BBMPROBE_HOST_SUPPORT_REF_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmu/pt.h"

/* Window [1G, 3G): two 1G slots, so 1G blocks, 2M blocks and pages all occur. */
#define REF_VA_BASE (1ull << 30)
#define REF_VA_SIZE (2ull << 30)
#define REF_PAGES (REF_VA_SIZE >> 12)
#define REF_UNMAPPED UINT64_MAX
/* Hot 2M chunks (32 per 1G slot) that small operations land in, so tables get reused. */
#define REF_HOT_CHUNKS 64

void ref_reset(void);
/* Record [va, va+size) -> pa with attribute set `attr` (pa == REF_UNMAPPED: unmap). Clipped to the window. */
void ref_set(uint64_t va, uint64_t pa, uint64_t size, unsigned attr);
uint64_t ref_get(uint64_t va);
pt_attrs_t ref_attr_value(unsigned attr);
#define REF_ATTR_SETS 3

/* Compare tables and model over [va, va+size) (clipped to the window). false + message on mismatch. */
bool ref_check_range(const struct pt_space *s, uint64_t va, uint64_t size, char *msg, size_t n);
/* Sweep vs pool counters; linux-fixed and refuse-live must not leak. */
bool ref_check_pool(const struct pt_space *s, enum pt_policy policy, char *msg, size_t n);

/* splitmix64 from `state`; or, if `data` is set (fuzzing), the input bytes themselves, then zeros. */
struct ref_rng {
	uint64_t state;
	const uint8_t *data;
	size_t len, pos;
};
bool ref_rng_exhausted(const struct ref_rng *r);
uint64_t ref_rng_next(struct ref_rng *r);
uint64_t ref_rng_below(struct ref_rng *r, uint64_t n);

/* Operation counts of one run, so tests can see the run did what it should. */
struct ref_run_stats {
	unsigned maps_ok, maps_refused, unmaps_ok, unmaps_refused, splits, replaces, remaps;
	unsigned full_checks;
};

/*
 * Apply one random operation drawn from `r` under `policy`, update the model,
 * check the touched range (and everything every `full_every` ops, 0: never).
 * `disciplined`: behave like a vmalloc user (map only unmapped ranges, unmap
 * what was mapped, leaf TLBI), the regime in which linux-fixed must be
 * BBM-clean. false + message on any mismatch.
 */
bool ref_random_op(struct pt_space *s, struct ref_rng *r, enum pt_policy policy, bool disciplined,
		   struct ref_run_stats *st, char *msg, size_t n);

#endif
