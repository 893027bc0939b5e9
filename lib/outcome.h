/*
 * Scenario outcomes: what one iteration's access observed, a histogram over N
 * iterations, and the verdict against what the Arm architecture allows.
 * Pure C, unit-tested on the host (host/test_outcome.c).
 *
 * Each target page holds a distinct marker, so a load says which translation
 * was used: the new mapping, a stale (old) one, or a fault.
 */
#ifndef BBMPROBE_LIB_OUTCOME_H
#define BBMPROBE_LIB_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot/esr.h"

enum outcome {
	OUTCOME_NEW,          /* the new mapping's marker */
	OUTCOME_OLD,          /* the previous page's marker: a stale translation */
	OUTCOME_FAULT_T0,     /* translation fault, level 0..3 */
	OUTCOME_FAULT_T1,
	OUTCOME_FAULT_T2,
	OUTCOME_FAULT_T3,
	OUTCOME_FAULT_AF,     /* access flag fault */
	OUTCOME_FAULT_PERM,   /* permission fault */
	OUTCOME_TLB_CONFLICT, /* DFSC 0x30 */
	/*
	 * Model-only (mmu/model.h): a walk may read a table page that was freed, so
	 * the walk is unconstrained and any observation is possible. Never produced
	 * by outcome_classify() and left out of the machine line (always 0). Placed
	 * before OTHER so OTHER stays the last, catch-all value.
	 */
	OUTCOME_POISON,
	OUTCOME_OTHER,        /* anything else: another exception, or a value that is neither marker */
	OUTCOME_COUNT
};

typedef uint32_t outcome_set_t;
#define OUTCOME_BIT(o) ((outcome_set_t)1 << (o))
#define OUTCOMES_FAULTS                                                                                                \
	(OUTCOME_BIT(OUTCOME_FAULT_T0) | OUTCOME_BIT(OUTCOME_FAULT_T1) | OUTCOME_BIT(OUTCOME_FAULT_T2) |               \
	 OUTCOME_BIT(OUTCOME_FAULT_T3) | OUTCOME_BIT(OUTCOME_FAULT_AF) | OUTCOME_BIT(OUTCOME_FAULT_PERM))
/* After a complete break-before-make sequence only the new translation may be seen (Arm ARM D8.16.1). */
#define OUTCOMES_AFTER_BBM OUTCOME_BIT(OUTCOME_NEW)
/* Without BBM the result is UNPREDICTABLE within these bounds: old, new, a fault, or a TLB conflict abort. */
#define OUTCOMES_WITHOUT_BBM                                                                                           \
	(OUTCOME_BIT(OUTCOME_NEW) | OUTCOME_BIT(OUTCOME_OLD) | OUTCOMES_FAULTS | OUTCOME_BIT(OUTCOME_TLB_CONFLICT))
/* Allowed but worth reporting: everything except seeing the new mapping. */
#define OUTCOMES_HAZARDS (OUTCOMES_WITHOUT_BBM & ~OUTCOME_BIT(OUTCOME_NEW))

const char *outcome_name(enum outcome o);

/*
 * Classify one access. `faulted` with the fault's kind and level (from the
 * expected-fault record), else the loaded value against the two markers.
 */
enum outcome outcome_classify(bool faulted, enum fault_kind kind, int level, uint64_t value, uint64_t new_marker,
			      uint64_t old_marker);

struct histogram {
	uint64_t count[OUTCOME_COUNT];
	uint64_t n;
	outcome_set_t allowed; /* what the architecture allows for this scenario and variant */
	outcome_set_t hazards; /* allowed outcomes that show the hazard */
	uint64_t harness_errors; /* iterations the harness could not run as written (not counted in n) */
	uint64_t first_other_esr; /* for OUTCOME_OTHER from an exception: the first ESR seen */
	uint64_t first_other_value;
};

enum verdict {
	VERDICT_NO_HAZARD,     /* only allowed, non-hazard outcomes */
	VERDICT_HAZARD,    /* allowed, and the hazard was observed at least once */
	VERDICT_FORBIDDEN, /* an outcome the architecture does not allow: CPU/emulator erratum or harness bug */
	VERDICT_HARNESS_ERROR, /* the harness failed (pool exhausted, API error): nothing is claimed */
};

void histogram_init(struct histogram *h, outcome_set_t allowed, outcome_set_t hazards);
void histogram_add(struct histogram *h, enum outcome o);
/* Count an iteration the harness could not run as written: not classified, never judged. */
void histogram_harness_error(struct histogram *h, enum outcome o);
uint64_t histogram_count_in(const struct histogram *h, outcome_set_t set);
/* Harness errors first (nothing else is trustworthy then), then forbidden, hazard, no-hazard. */
enum verdict histogram_verdict(const struct histogram *h);
const char *verdict_name(enum verdict v);

/* "#   old                 12   1.20%  allowed, hazard" (only outcomes seen, or allowed ones). */
int histogram_format_row(const struct histogram *h, enum outcome o, char *buf, size_t len);
/* Whether a row is worth printing: seen at least once, or allowed. */
bool histogram_row_wanted(const struct histogram *h, enum outcome o);

/* Identity and side counts of one scenario run, for the machine line. */
struct scenario_result {
	const char *scenario; /* e.g. "seed/remap" */
	const char *variant;  /* e.g. "nobbm", "bbm", "no-tlbi" */
	const char *policy;   /* e.g. "linux-4.14" */
	uint64_t leaked;      /* table pages leaked (sweep) */
	uint64_t violations;  /* BBM monitor violations */
};

/*
 * "# result scenario=seed/remap variant=nobbm policy=linux-4.14 n=1000 new=1000 old=0 fault-t0=0 ...
 *  tlb-conflict=0 other=0 leaked=1000 violations=1000 verdict=no-hazard"
 * One line, fixed key order, for scripts comparing boards.
 */
int histogram_format_keyline(const struct histogram *h, const struct scenario_result *r, char *buf, size_t len);

#endif
