/*
 * Scenario engine: runs one remap sequence N times in the live address space,
 * classifies the one access after each sequence (lib/outcome.h), and reports a
 * histogram, the table pages leaked (pt_sweep), the BBM monitor's violations
 * and an architecture-only verdict. docs/scenarios.md describes each scenario.
 *
 * Per iteration: write fresh markers; monitor on; spec->body() runs the
 * sequence under test; ONE classified probe_read64(); monitor off; cleanup
 * outside the measured part (unmap the slot, free tables under it, tlbi_all,
 * count and reclaim leaked table pages) so the next iteration starts from the
 * same state and long runs never exhaust the pool.
 */
#ifndef BBMPROBE_TESTS_SCENARIO_H
#define BBMPROBE_TESTS_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/outcome.h"
#include "mmu/monitor.h"
#include "mmu/pt.h"
#include "tests/registry.h"

#define SZ_4K 0x1000ull
#define SZ_2M 0x200000ull
#define SZ_1G 0x40000000ull

/* Test VAs: L0 index 1 (512 GiB up), which no boot mapping uses on any supported board. */
#define SCN_WINDOW 0x0000008000000000ull
/* 2 MiB slots live in the window's first 1 GiB; 1 GiB slots follow it. */
#define SCN_SLOTS_2M 512u
#define SCN_SLOTS_1G 511u
static inline uint64_t scn_slot_2m(unsigned i)
{
	return SCN_WINDOW + (uint64_t)(i % SCN_SLOTS_2M) * SZ_2M;
}
static inline uint64_t scn_slot_1g(unsigned i)
{
	return SCN_WINDOW + (uint64_t)(1 + i % SCN_SLOTS_1G) * SZ_1G;
}

/* Where the markers live and which space is live. */
struct scn_env {
	struct pt_space *space; /* boot_map_space(): what TTBR0_EL1 holds */
	uint64_t pa_new;        /* block A (2 MiB): the new mapping's marker at offset 0 */
	uint64_t pa_old;        /* block B (2 MiB): the old page/block's marker at offset 0 */
	uint64_t pa_1g;         /* 1 GiB-aligned base containing A, for the PUD-level scenarios */
	bool pa_1g_all_ram;     /* whether [pa_1g, pa_1g + 1 GiB) is RAM by the DTB */
};

/* Find scratch RAM (and check the window is free); false after test_skip() with the reason. */
bool scn_env_init(struct test_ctx *t, struct scn_env *env);

/* One iteration, as the body sees it. */
struct scn_iter {
	struct test_ctx *t;
	const struct scn_env *env;
	const void *arg;       /* spec->arg */
	uint64_t index;
	uint64_t slot;         /* VA of the slot (2 MiB or 1 GiB) cleanup empties */
	int slot_level;        /* 2: 2 MiB slot, PMD entry; 1: 1 GiB slot, PUD entry */
	uint64_t probe_va;     /* the classified access (default: slot) */
	uint64_t new_marker;   /* value at pa_new (what the new translation reads) */
	uint64_t old_marker;   /* value at pa_old (what a stale translation reads) */
	/* Set by the body; the engine sums them and asserts they stay zero / as expected. */
	unsigned warm_mismatch; /* a warm-up access before the change did not read the old marker */
	unsigned api_errors;    /* a library call that must succeed did not */
	unsigned refused;       /* the policy refused the change (refuse-live) */
};

struct scn_spec {
	const char *scenario; /* "seed/remap" */
	const char *variant;  /* "nobbm", "bbm", "no-tlbi", ... */
	const char *policy;   /* the code path that made the change: "linux-4.14", "replace-bbm", ... */
	outcome_set_t allowed; /* what the Arm architecture allows after this sequence */
	outcome_set_t expected; /* the outcome(s) that show no hazard; 0 means "new" */
	void (*body)(struct scn_iter *it);
	const void *arg;
	int slot_level;   /* 2 or 1 */
	unsigned slot;    /* slot index (scn_slot_2m / scn_slot_1g) */
	bool many_vas;    /* iteration i uses slot + i (K different VAs) instead of one VA */
	/* Software facts that do not depend on the CPU, asserted by the engine. */
	int expected_rule;     /* each iteration must add exactly one violation of this rule; -1: none at all */
	bool monitor_blind;    /* the monitor cannot see this breakage (docs/scenarios.md): report only */
	int leak_per_iter;     /* table pages each iteration must leak (exactly) */
	bool expect_refused;   /* every iteration's change must be refused */
};

struct scn_result {
	struct histogram h;
	uint64_t leaked, dangling, warm_mismatch, api_errors, refused;
	uint64_t pool_refused; /* table allocations the pool refused (harness errors) */
	struct bbm_monitor_stats monitor;
	bool have_example;
	struct bbm_violation example; /* first violation kept by the monitor */
	uint64_t elapsed_ns;
};

/* Run spec->n iterations (t->iters), print the report and CHECK the verdict and the software facts. */
void scn_run(struct test_ctx *t, const struct scn_env *env, const struct scn_spec *spec, struct scn_result *out);

/* Sum of several runs, for the TAP line note ("hazard observed: X of N; leaked L; violations V"). */
struct scn_totals {
	uint64_t n, hazards, forbidden, leaked, violations;
};
void scn_totals_add(struct scn_totals *tot, const struct scn_result *r);
void scn_set_note(struct test_ctx *t, const struct scn_totals *tot);

/* ---- helpers for bodies ---- */

/* A load before the change, to fill the TLB and walk caches; counts a mismatch against `expect`. */
void scn_warm(struct scn_iter *it, uint64_t va, uint64_t expect);
/* The entry at `level` on va's walk (a table or leaf there), or NULL if the walk ends above it. */
pt_entry_t *scn_entry_at(const struct pt_space *s, uint64_t va, int level);
/* map_range() that must succeed (counts an API error otherwise). */
void scn_map(struct scn_iter *it, uint64_t va, uint64_t pa, uint64_t size, pt_attrs_t attrs, enum pt_policy p);

/*
 * Untimed cleanup of one slot: free the table under its entry with everything
 * in it (pt_linux_pmd_free_pte_page / pud_free_pmd_page) or clear its block,
 * the final TLBI (final_tlbi at the slot: PT_TLBI_ALL unless only the slot VA was used), then sweep the space and reclaim the leaked pages. Returns the
 * pages leaked (before reclaim); *dangling gets the sweep's dangling count.
 * The sweep is skipped when the pool's live count shows nothing can have
 * leaked, unless force_sweep. Call with the monitor off.
 */
unsigned scn_cleanup_slot(const struct scn_env *env, uint64_t slot, int slot_level, unsigned *dangling,
			  bool force_sweep, enum pt_tlbi_scope final_tlbi);

#endif
