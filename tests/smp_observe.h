/*
 * The observer side of the smp/observers-* tests: while CPU 0 runs a remap
 * sequence, every other online CPU loops fault-armed loads at three offsets of
 * the remapped VA (and a PRFM at each), stamping each load with the generic
 * timer's counter before and after it, into its own record buffer. CPU 0
 * classifies and judges the records once the observers have stopped (a
 * secondary never prints, and the model lives on CPU 0).
 *
 * Hand-off per iteration ("generation" g, odd while observing): CPU 0 resets
 * the buffers and publishes g; each observer records rounds, keeping the
 * newest OBS_ROUNDS_MAX (with real concurrency the many loads before the
 * break would otherwise crowd out the window), until two rounds after CPU 0
 * says its make completed (or g ends), then acknowledges g and waits.
 */
#ifndef BBMPROBE_TESTS_SMP_OBSERVE_H
#define BBMPROBE_TESTS_SMP_OBSERVE_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/cpu.h"

#define OBS_OFFSETS 3u
#define OBS_ROUNDS_MAX 64u /* rounds one observer keeps per iteration: the last ones (a ring) */
#define OBS_RECORDS (OBS_ROUNDS_MAX * OBS_OFFSETS)

/* One fault-armed load: its counter stamps and what it saw (classified later by CPU 0). */
struct obs_record {
	uint64_t t0, t1; /* CNTVCT before (the load depends on it) and after (dsb ish; isb) the load */
	uint64_t value;
	uint64_t far;
	uint8_t offset;  /* index into the offsets */
	bool taken;
	uint8_t kind;    /* enum fault_kind */
	int8_t level;
};

struct obs_cpu {
	struct obs_record rec[OBS_RECORDS]; /* record j at rec[j % OBS_RECORDS]: the newest are kept */
	volatile uint32_t n;      /* records made this generation (CPU 0 resets it while the observer waits) */
	volatile uint64_t rounds; /* rounds completed this generation */
	volatile uint64_t ack;    /* last generation this observer stopped observing */
	uint64_t prfm, prfm_faults; /* PRFMs issued and faulted, over the whole run */
} __attribute__((aligned(64)));

struct obs_shared {
	volatile uint64_t gen;    /* odd: observe; even: stop and acknowledge */
	volatile uint64_t made;   /* == gen once CPU 0's make completed: two more rounds, then stop */
	volatile bool quit;       /* leave the observer loop (the test is over) */
	uint64_t va[OBS_OFFSETS]; /* the VAs to load */
	struct obs_cpu cpu[CPU_MAX];
};

/* The observer loop, run on each observing secondary with cpus_start(); returns when sh->quit is set. */
void obs_observe(void *shared);

#endif
