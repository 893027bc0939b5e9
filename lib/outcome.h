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
	 * A walk may read a freed table page (the model's rule 4: then any outcome
	 * may follow). Scenarios fill such pages with descriptors that point at a
	 * poison page, so a load through one reads the poison marker. Placed before
	 * OTHER so OTHER stays the last, catch-all value.
	 */
	OUTCOME_POISON,
	OUTCOME_OTHER,        /* anything else: another exception, or a value that is neither marker */
	OUTCOME_COUNT
};

typedef uint32_t outcome_set_t;
#define OUTCOME_BIT(o) ((outcome_set_t)1 << (o))
#define OUTCOMES_ALL (OUTCOME_BIT(OUTCOME_COUNT) - 1)
#define OUTCOMES_FAULTS                                                                                                \
	(OUTCOME_BIT(OUTCOME_FAULT_T0) | OUTCOME_BIT(OUTCOME_FAULT_T1) | OUTCOME_BIT(OUTCOME_FAULT_T2) |               \
	 OUTCOME_BIT(OUTCOME_FAULT_T3) | OUTCOME_BIT(OUTCOME_FAULT_AF) | OUTCOME_BIT(OUTCOME_FAULT_PERM))
/*
 * Coarse bounds kept for tests/bench.c's sanity check only. Scenario verdicts
 * never use them: their allowed sets come from the model (mmu/model.h).
 */
#define OUTCOMES_AFTER_BBM OUTCOME_BIT(OUTCOME_NEW)
#define OUTCOMES_WITHOUT_BBM                                                                                           \
	(OUTCOME_BIT(OUTCOME_NEW) | OUTCOME_BIT(OUTCOME_OLD) | OUTCOMES_FAULTS | OUTCOME_BIT(OUTCOME_TLB_CONFLICT))
#define OUTCOMES_HAZARDS (OUTCOMES_WITHOUT_BBM & ~OUTCOME_BIT(OUTCOME_NEW))

const char *outcome_name(enum outcome o);
/* "new,fault-t3,tlb-conflict" (outcome order; "none" for the empty set). */
int outcome_set_format(outcome_set_t set, char *buf, size_t len);

/*
 * Classify one load. `faulted` with the fault's kind and level (from the
 * expected-fault record), else the loaded value against the two markers.
 */
enum outcome outcome_classify(bool faulted, enum fault_kind kind, int level, uint64_t value, uint64_t new_marker,
			      uint64_t old_marker);

/* The values a scenario's pages hold at offset 0. */
struct outcome_markers {
	uint64_t new_marker;    /* the new mapping's page */
	uint64_t old_marker;    /* the old page: a stale translation */
	uint64_t poison_marker; /* the page poisoned descriptors point at: a walk through a freed table */
};
/* outcome_classify(), and a load of the poison marker is OUTCOME_POISON. */
enum outcome outcome_classify_load(bool faulted, enum fault_kind kind, int level, uint64_t value,
				   const struct outcome_markers *m);

/*
 * May outcome o be observed when the model allows `allowed`? Yes if it is in
 * the set, and always when poison is: a walk through a freed table page is
 * unconstrained (whatever the page holds decides what the access sees).
 */
bool outcome_permitted(outcome_set_t allowed, enum outcome o);

struct histogram {
	uint64_t count[OUTCOME_COUNT];
	uint64_t n;
	outcome_set_t allowed;  /* union of the model's allowed sets over the iterations */
	outcome_set_t hazards;  /* allowed outcomes other than what the tables in memory said */
	uint64_t hazards_seen;  /* iterations that saw one of them */
	uint64_t forbidden;     /* iterations whose outcome the model did not permit */
	enum outcome first_forbidden;
	uint64_t first_forbidden_iter;
	uint64_t harness_errors; /* iterations the harness could not run or check as written */
	uint64_t first_other_esr; /* for OUTCOME_OTHER from an exception: the first ESR seen */
	uint64_t first_other_value;
};

enum verdict {
	VERDICT_SAFE,            /* the model allows no hazard: only what the tables say */
	VERDICT_HAZARD_POSSIBLE, /* the model allows a hazard; not seen here */
	VERDICT_HAZARD_SEEN,     /* an allowed hazard was observed */
	VERDICT_FORBIDDEN_SEEN,  /* an outcome the model forbids: CPU/emulator erratum or harness bug */
	VERDICT_HARNESS_ERROR,   /* the harness failed (pool exhausted, API error): nothing is claimed */
	VERDICT_COUNT
};
/* Older name, for tests/bench.c. */
#define VERDICT_FORBIDDEN VERDICT_FORBIDDEN_SEEN

void histogram_init(struct histogram *h, outcome_set_t allowed, outcome_set_t hazards);
/* Count o against fixed sets (tests/bench.c); out-of-range counts as other. */
void histogram_add(struct histogram *h, enum outcome o);
/*
 * Count iteration `iter`'s outcome o against the model's allowed set for it
 * and `coherent`, the outcome the tables in memory give (no caching).
 */
void histogram_judge(struct histogram *h, uint64_t iter, enum outcome o, outcome_set_t allowed, enum outcome coherent);
/* Count an iteration the harness could not run or check as written: not judged. */
void histogram_harness_error(struct histogram *h, enum outcome o);
uint64_t histogram_count_in(const struct histogram *h, outcome_set_t set);
/* Harness errors first (nothing else is trustworthy), then forbidden, seen, possible, safe. */
enum verdict histogram_verdict(const struct histogram *h);
const char *verdict_name(enum verdict v);

/* "#   old                 12   1.20%  allowed, hazard" (only outcomes seen, or allowed ones). */
int histogram_format_row(const struct histogram *h, enum outcome o, char *buf, size_t len);
/* Whether a row is worth printing: seen at least once, or allowed. */
bool histogram_row_wanted(const struct histogram *h, enum outcome o);

/* Identity, machine and side counts of one scenario run, for the machine line. */
struct scenario_result {
	const char *scenario; /* e.g. "seed/remap" */
	const char *variant;  /* e.g. "linux-4.14" */
	const char *policy;   /* the code path that made the change, e.g. "linux-4.14" */
	const char *board;    /* e.g. "virt" */
	uint64_t midr;
	const char *version;  /* bbmprobe's git describe */
	uint64_t seed;
	uint64_t leaked;      /* table pages leaked (sweep) */
	uint64_t violations;  /* BBM monitor violations */
};

/*
 * "# result scenario=seed/remap variant=linux-4.14 policy=linux-4.14 board=virt cpu=0x410fd083
 *  version=v1 seed=1 n=1000 new=1000 old=0 fault-t0=0 ... tlb-conflict=0 poison=0 other=0
 *  leaked=1000 violations=1000 harness-errors=0 allowed=new,fault-t3,tlb-conflict verdict=hazard-possible"
 * One line, fixed key order, for scripts comparing boards (docs/output.md).
 */
int histogram_format_keyline(const struct histogram *h, const struct scenario_result *r, char *buf, size_t len);

/*
 * The running counts of a progress line: "new=900 fault-t3=100 hazards=100 forbidden=0 harness-errors=0",
 * the outcomes seen so far in outcome order, then the three totals, always.
 */
int histogram_format_counts(const struct histogram *h, char *buf, size_t len);

#endif
