/*
 * What the scenario engine's parts share (tests/scenario.c runs, scn_env.c
 * finds memory and VAs, scn_steps.c performs the sequence, scn_model.c asks
 * the model, scn_report.c prints, answers.c sums up). Not for scenario rows.
 */
#ifndef BBMPROBE_TESTS_SCN_INTERNAL_H
#define BBMPROBE_TESTS_SCN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/outcome.h"
#include "mmu/model.h"
#include "mmu/monitor.h"
#include "tests/scenario.h"

/* One iteration, as the steps see it. */
struct scn_iter {
	struct test_ctx *t;
	const struct scn_env *env;
	const struct scn_row *row;
	uint64_t index;
	uint64_t slot;          /* VA of the slot (2 MiB or 1 GiB) */
	int level;              /* the slot's entry level: 2 (PMD) or 1 (PUD) */
	uint64_t probe_va;      /* where the classified access goes: the VA that maps A's offset 0 */
	struct outcome_markers m;
	pt_entry_t *old_table;  /* the table a change step unlinked (OP_POISON fills it) */
	pt_entry_t *new_table;  /* OP_NEW_TABLE's table */
	const char *policy;     /* the code path of the change step */
	unsigned refused;
	unsigned errors;        /* harness errors: the iteration did not run as written */
	char error[128];        /* the first */
};

/* Record a harness error (the first message is kept). */
void scn_error(struct scn_iter *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* This CPU's FEAT_BBM level (ID_AA64MMFR2_EL1.BBM; 0 on the host). */
unsigned scn_feat_bbm(void);

/* The slot size and the PA the slot's block maps (the block containing A). */
uint64_t scn_slot_size(int level);
uint64_t scn_block_pa(const struct scn_env *env, int level);
/*
 * The one way steps map memory: refuses (harness error) anything not
 * execute-never, and Normal memory outside the DTB's RAM, before mapping.
 */
enum pt_status scn_map(struct scn_iter *it, uint64_t va, uint64_t pa, uint64_t size, pt_attrs_t attrs,
		       enum pt_policy p);
/* A leaf descriptor for a step to write by hand, under the same rule; 0 (and an error) if refused. */
pt_entry_t scn_leaf_desc(struct scn_iter *it, int level, uint64_t pa, pt_attrs_t attrs);

/* The ttbr1 group's steps (tests/scn_steps_ttbr1.c). */
void scn_asid_tlbi(struct scn_iter *it, uint64_t va, int arg);
void scn_op_pgtable_asid(struct scn_iter *it, int arg);
void scn_op_ng_live(struct scn_iter *it, int arg);
void scn_op_ng_bbm(struct scn_iter *it, int arg);

/* Run the row's steps. */
void scn_steps_run(struct scn_iter *it);
/* The sequence in words, for the report: "map 4K -> B; load; ..." */
int scn_steps_describe(const struct scn_row *row, char *buf, size_t len);

/* A claimed slot: the first of `count` consecutive empty slots of the row's size, its index a multiple of align. */
bool scn_slot_claim(const struct scn_env *env, int level, unsigned count, unsigned align, unsigned *first);
/*
 * Block-run rows (scn_row.block_run): A and B become two run-aligned windows
 * of pt_cont_span(2) bytes of RAM (32 MiB at 4K) clear of the image, the DTB,
 * reserved memory and the scratch blocks; false after test_skip() if none.
 */
bool scn_env_use_block_runs(struct test_ctx *t, struct scn_env *env);
/*
 * Untimed, before scn_cleanup_slot() of the run's first slot: clear its other
 * blocks and free the neighbour slot past it (no TLBI: the first slot's
 * cleanup ends with a full one). Returns the neighbour's leaked pages.
 */
unsigned scn_cleanup_block_run(const struct scn_env *env, uint64_t slot, unsigned *dangling);
uint64_t scn_slot_va(const struct scn_env *env, int level, unsigned index);
/* A ttbr1 row: the env's space and window become TTBR1's (the ASID stays in env->user, TTBR0). */
void scn_env_use_ttbr1(struct scn_env *env);

/* ---- the model (tests/scn_model.c) ---- */

/*
 * Once per run: a model for one CPU at FEAT_BBM level feat_bbm attached to both
 * live spaces, TTBR0's and TTBR1's (after a full TLBI); false with the reason in `why`.
 */
bool scn_model_open(const struct scn_env *env, unsigned feat_bbm, char *why, size_t len);
void scn_model_close(void);
/* Per iteration, before the steps: start recording events (re-attach after a model error). */
bool scn_model_begin(const struct scn_env *env);
/* After the access: stop recording; later events reach the model as they happen. */
void scn_model_end(void);
/* Replay what was recorded so far (before a step rewrites memory the model reads). */
void scn_model_flush(void);
/* Print the next iteration's events as they are replayed (verbose=2). */
void scn_model_print_next(void);
/* Replay the recorded events, then ask for the access's allowed set. */
enum model_status scn_model_answer(const struct scn_iter *it, struct model_answer *ans);
/* Events recorded in the last iteration, and whether the buffer overflowed. */
unsigned scn_model_events(bool *overflow);
/* Emit the ACCESS event of an access a step or the engine made. */
void scn_model_note_access(uint64_t va, enum arch_access_kind kind, enum outcome seen);

/* Everything one run produced. */
struct scn_result {
	struct histogram h;
	uint64_t leaked, dangling, refused;
	struct bbm_monitor_stats monitor;
	bool have_example;
	struct bbm_violation example; /* first violation kept by the monitor */
	uint64_t elapsed_ns;          /* the whole loop */
	uint64_t sequence_ticks;      /* the sequences and accesses alone (counter ticks) */
	const char *policy;
	uint64_t va;                  /* first probe VA */
	char error[128];              /* the first harness error */
	uint64_t error_iter;
	struct model_answer witnesses; /* allowed (union) and the first witness of each outcome; the highest
					* size_change_level of any iteration */
	unsigned feat_bbm;            /* this CPU's FEAT_BBM level, as the model and monitor were told */
	enum model_status model_status;
	enum outcome coherent;        /* what the tables said (first iteration) */
};

/* Print the run's report (tests/scn_report.c). */
void scn_report(struct test_ctx *t, const struct scn_row *row, const struct scn_result *r);
/* The TAP note: "hazard-possible: fault-t3,tlb-conflict not seen in 1000; leaked 1000; violations 1000". */
void scn_note(struct test_ctx *t, const struct scn_result *r);

/* ---- progress lines of a long loop (tests/scn_progress.c) ---- */
struct scn_progress {
	const struct test_ctx *t;
	uint64_t n, step, next_mark;
	bool marks;                     /* print at every 10% */
	uint64_t freq, interval, t0, last; /* counter ticks */
};
void scn_progress_start(struct scn_progress *p, const struct test_ctx *t);
/* After `done` iterations: a line at a 10% mark or after progress= seconds without one. */
void scn_progress_after(struct scn_progress *p, uint64_t done, const struct histogram *h);

/* ---- end-of-run answers (tests/answers.c) ---- */
void scn_answers_add(const struct scn_row *row, const struct scn_result *r);
/* The "# bbml2:" line (tests/bbml2_answer.c): rows with SCN_BBML2 that ran, and those skipped for the level. */
void scn_bbml2_add(const struct scn_row *row, const struct scn_result *r);
void scn_bbml2_skipped(const struct scn_row *row, unsigned feat_bbm);
void scn_bbml2_print(void);

#endif
