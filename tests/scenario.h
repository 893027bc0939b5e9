/*
 * Scenario engine. A scenario is one table row (SCENARIO() below): its name,
 * the sequence as a list of steps, and the software facts that do not depend
 * on the CPU (table pages leaked per iteration, the BBM monitor's rules, a
 * refusal). The engine runs the row N times in the live address space at a VA
 * it assigns, classifies the one access after each sequence (lib/outcome.h),
 * asks the architectural model which outcomes that access may have
 * (tests/scn_model.c), and reports. docs/scenarios.md describes each row.
 *
 * Per iteration: fresh markers; monitor and trace on; the steps; ONE
 * classified access; monitor and trace off; the model's allowed set for that
 * access; cleanup outside the measured part (free the slot's tables, tlbi_all,
 * reclaim leaked pages) so every iteration starts from the same state.
 */
#ifndef BBMPROBE_TESTS_SCENARIO_H
#define BBMPROBE_TESTS_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/outcome.h"
#include "mmu/geometry.h"
#include "mmu/monitor.h"
#include "mmu/pt.h"
#include "mmu/unsafe.h"
#include "tests/registry.h"

#define SZ_4K 0x1000ull
#define SZ_2M 0x200000ull
#define SZ_1G 0x40000000ull

/* Every mapping a test makes: Normal write-back, execute-never at EL1 and EL0 (data only). */
#define SCN_PROT PT_PROT_NORMAL_XN
#define SCN_PROT_RO PT_PROT_NORMAL_RO

/* Test VAs: L0 index 1 (512 GiB up), which no boot mapping uses on any supported board. */
#define SCN_WINDOW 0x0000008000000000ull
/*
 * Level-2 slots, one block of the granule each (2M at 4K, 32M at 16K, 512M at 64K: 512 of them
 * span 1 GiB, 16 GiB, 256 GiB), from the window's start; at 4K the 1 GiB slots follow them
 * (the other granules have no level-1 block: those rows skip). Sized by the geometry in force.
 */
#define SCN_SLOTS_2M 512u
#define SCN_SLOTS_1G 511u
static inline uint64_t scn_slot_2m(unsigned i)
{
	return SCN_WINDOW + (uint64_t)(i % SCN_SLOTS_2M) * pt_block_size_min();
}
static inline uint64_t scn_slot_1g(unsigned i)
{
	return SCN_WINDOW + (uint64_t)(1 + i % SCN_SLOTS_1G) * SZ_1G;
}

/* The same window in TTBR1's space (upper VA range): where the ttbr1 rows put kernel-style global pages. */
#define SCN_KWINDOW (PT_TTBR1_VA_BASE + SCN_WINDOW)

/* Where the markers live and which space is live. */
struct scn_env {
	struct pt_space *space; /* the row's space: boot_map_space() (TTBR0), or TTBR1's for a ttbr1 row */
	struct pt_space *user;  /* boot_map_space(): what TTBR0_EL1 holds, and its ASID (mmu_switch_asid()) */
	uint64_t window;        /* the row's test VA window: SCN_WINDOW, or SCN_KWINDOW in TTBR1's space */
	uint64_t pa_new;        /* block A (2 MiB): the new mapping's marker at offset 0 */
	uint64_t pa_old;        /* block B (2 MiB): the old page/block's marker at offset 0 */
	uint64_t pa_poison;     /* block C (2 MiB): what poisoned descriptors in a freed table point at */
	uint64_t pa_1g;         /* 1 GiB-aligned base containing A, for the PUD-level scenarios */
	bool pa_1g_all_ram;     /* whether [pa_1g, pa_1g + 1 GiB) is RAM by the DTB */
	uint64_t pa_block;      /* the level-2 block containing A: A itself at 4K (2M), 32M/512M-aligned at 16K/64K */
	bool pa_block_all_ram;  /* whether that whole block is RAM by the DTB */
};

/*
 * Tests written for 4K pages and 2M/1G blocks: true (after test_skip(), "<granule> granule: why")
 * when another granule is in force (granule=16k/64k), so the caller returns.
 */
bool scn_skip_unless_4k(struct test_ctx *t, const char *why);

/* Find scratch RAM (and check the window is free); false after test_skip() with the reason. */
bool scn_env_init(struct test_ctx *t, struct scn_env *env);
/* Whether [pa, pa + size) lies in one RAM region of the DTB (only RAM may be mapped as Normal). */
bool scn_is_ram(uint64_t pa, uint64_t size);
/*
 * Why a test mapping of [pa, pa + size) with attrs would be unsafe on real
 * hardware, or NULL: every test mapping is execute-never, and Normal memory
 * only over the DTB's RAM. Every test maps through a check of this.
 */
const char *scn_mapping_unsafe(uint64_t pa, uint64_t size, pt_attrs_t attrs);

/* ---- the sequence: a list of steps ---- */

enum scn_op {
	OP_END = 0,
	OP_MAP_PAGE,     /* map_range one page (the granule) at the probe VA -> B (refuse-live); arg PAGE_NG: non-global */
	OP_MAP_BLOCK,    /* map_range of the slot's size at the slot -> B; arg 1: -> the slot's block of A */
	OP_WARM,         /* load at the probe VA, must read B's marker (arg 1: A's) (fills TLB and walk caches) */
	OP_TOUCH,        /* load at probe VA + arg pages, unchecked: caches a second translation size */
	OP_UNMAP_PAGE,   /* unmap_range one page at the probe VA with scope arg (iounmap) */
	OP_REWALK,       /* a walk of the now-invalid page: arg = enum scn_rewalk */
	OP_BLOCK,        /* map_range of the slot's size at the slot -> A with policy arg */
	OP_BBM_SEQ,      /* pmd_free_pte_page() with enum bbm_seq arg, then free the table, block -> A */
	OP_REPLACE_BBM,  /* pt_replace_bbm() of the slot entry by a block -> A (or the new table) */
	OP_NEW_TABLE,    /* a table of 512 leaves -> the slot's block of A, filled while unreachable, then dsb ishst */
	OP_LINK_LIVE,    /* the new table written over the live block, no break, then dsb ishst; isb */
	OP_REFUSED_LIVE, /* linux-fixed and refuse-live must both refuse the live OA change */
	OP_ATTR_RO,      /* map_range(refuse-live) of the same OA read-only: permitted live */
	OP_TLBI,         /* TLB maintenance of scope arg at the probe VA (no break before it) */
	OP_POISON,       /* fill the freed old table page with pages -> C (the poison marker) */
	OP_SET_NT,       /* nT set on the live block: pt_unsafe_set_nt() (FEAT_BBM level 1's first step) */
	OP_SPLIT_LIVE,   /* the new table (same OA and attributes) over the live block: pt_unsafe_change_block_size */
	OP_FOLD_LIVE,    /* the slot's block of A over the live table of the same mapping: the same, reversed */
	OP_MAP_RUN,      /* 16 pages at the probe VA, arg: RUN_TO_A (else -> B) | RUN_CONT (PTE_CONT on each) */
	OP_CONT_LIVE,    /* page arg of the run moved to A's run, PTE_CONT kept, live: no break */
	OP_CONT_BBM,     /* page arg of the run moved to A's run with BBM of that page only */
	OP_CONT_REWRITE, /* Linux contpte_convert: BBM of the whole run, rewritten with (arg 1) or without PTE_CONT */
	OP_MAP_BLOCK_RUN,      /* OP_MAP_RUN for a block_run row: 16 x 2M level 2 blocks at the probe VA */
	OP_CONT_BLOCK_LIVE,    /* OP_CONT_LIVE for block arg of the run */
	OP_CONT_BLOCK_BBM,     /* OP_CONT_BBM for block arg of the run */
	OP_CONT_BLOCK_REWRITE, /* hugetlb's contiguous PMDs: clear_flush() then set_huge_pte_at(), with/without PTE_CONT */
	OP_ASID,         /* switch to ASID arg: TTBR0_EL1 write + isb (mmu_switch_asid); the cleanup restores 0 */
	OP_BBM_ASID,     /* the probe page -> A with BBM whose TLBI is ASID_TLBI(form, asid); nG kept */
	OP_PGTABLE_ASID, /* the slot's table entry cleared, TLBI ASID_TLBI(form, asid) at the slot, table freed, block -> A */
	OP_NG_LIVE,      /* the probe page's nG set (arg 1) or cleared (0) live: pt_unsafe_set_ng(); dsb ishst; isb */
	OP_NG_BBM,       /* the same change with BBM: pt_replace_bbm() (W=0; tlbi vaae1is; W=new) */
	OP_COUNT
};

enum scn_rewalk {
	REWALK_LOAD, /* ldr with a fault armed: must fault at level 3, FAR = the VA */
	REWALK_PRFM, /* prfm pldl1keep: a hint the CPU may drop; nothing to check */
	REWALK_AT,   /* at s1e1r: PAR_EL1 must report a level 3 translation fault */
	REWALK_COUNT
};

/* OP_MAP_PAGE's argument (bits). */
#define PAGE_NG 1   /* non-global */
#define PAGE_TO_A 2 /* -> A instead of B (a change that keeps the output address: OP_NG_*) */

/* OP_BBM_ASID's TLBI (the scope helpers of mmu/tlb.h) and its ASID operand. */
enum scn_asid_tlbi {
	ASID_TLBI_VALE1IS,  /* tlbi_leaf_va_asid(): Linux flush_tlb_page */
	ASID_TLBI_VAE1IS,   /* tlbi_all_levels_va_asid() */
	ASID_TLBI_VAALE1IS, /* tlbi_leaf_va_all_asids(): Linux flush_tlb_kernel_range (no operand) */
	ASID_TLBI_ASIDE1IS, /* tlbi_asid(): Linux flush_tlb_mm */
	ASID_TLBI_VAAE1IS,  /* tlbi_all_levels_va(): Linux __flush_tlb_kernel_pgtable (no operand) */
	ASID_TLBI_COUNT
};
#define ASID_TLBI(form, asid) ((int)(form) | ((int)(asid) << 8))

/* OP_MAP_RUN's argument. */
#define RUN_TO_A 1
#define RUN_CONT 2

struct scn_step {
	enum scn_op op;
	int arg;
};

#define STEP(op_, arg_) {.op = (op_), .arg = (int)(arg_)}
/* A step list as a static array (compound literal at file scope), ended by OP_END. */
#define STEPS(...) ((const struct scn_step[]){__VA_ARGS__, {.op = OP_END}})

/* What the classified access does. */
enum scn_access {
	ACCESS_LOAD,  /* ldr: classified by the marker read or the fault */
	ACCESS_STORE, /* str: completed = the old (writable) translation, permission fault = the new */
};

/* Which end-of-run answer a row feeds (tests/answers.c). */
#define SCN_Q1 (1u << 0) /* leak per policy */
#define SCN_Q2 (1u << 1) /* table->block without BBM: stale table pointer */
#define SCN_BBML2 (1u << 2) /* block size changed live under FEAT_BBM level 1/2 (tests/bbml2_answer.c) */

/* Deliberate harness bugs, for the inject group only (proves a forbidden outcome fails a test). */
enum scn_inject {
	INJECT_NONE,
	INJECT_SWAP_MARKERS, /* classify against swapped markers: a correct BBM then "reads old" */
	INJECT_EXHAUST_POOL, /* no table page left during the sequence: a harness error, not a finding */
};

#define RULE(r) (1u << (r))

struct scn_row {
	const char *scenario; /* "seed/remap": group/family, the result line's scenario= */
	const char *variant;  /* "linux-4.14": the kernel or breakage it mirrors */
	const struct scn_step *steps;
	int slot_level;       /* 2 (2 MiB slot, PMD) unless 1 (1 GiB slot, PUD) */
	bool many_vas;        /* iteration i uses the i-th of K slots instead of one VA */
	bool ttbr1;           /* the slot is in TTBR1's space (SCN_KWINDOW): kernel-style global mappings */
	enum scn_access access;
	/* Software facts the engine asserts exactly. */
	int leak;             /* table pages each iteration leaks */
	unsigned rules;       /* RULE(r): each rule flagged exactly once per iteration; no other rule */
	bool refused;         /* every iteration's change is refused */
	unsigned permitted;   /* live changes the monitor counts as permitted by FEAT_BBM, per iteration */
	unsigned min_bbm;     /* the FEAT_BBM level the row needs (ID_AA64MMFR2_EL1.BBM); below it: SKIP */
	unsigned answers;     /* SCN_Q1 / SCN_Q2 */
	bool block_run;       /* a contiguous run of level 2 blocks at a run-aligned slot; A and B are run windows */
	enum scn_inject inject;
};

void scn_test(struct test_ctx *t);
/* The end-of-run answers (Q1 leak, Q2 stale table pointer) from the rows that ran; nothing if none did. */
void scn_answers_print(void);

/*
 * One row = one test "group/family-variant":
 *   SCENARIO(seed_remap_414, "seed", "remap", "linux-4.14", "purpose", .steps = STEPS(...), .leak = 1)
 */
#define SCENARIO_FLAGS(id, grp, fam, var, purpose_, flags_, ...)                                                    \
	static const struct scn_row scn_row_##id = {.scenario = grp "/" fam, .variant = var, __VA_ARGS__};          \
	TEST_ROW(id, grp, fam "-" var, purpose_, flags_, scn_test, &scn_row_##id)
#define SCENARIO(id, grp, fam, var, purpose_, ...) SCENARIO_FLAGS(id, grp, fam, var, purpose_, 0, __VA_ARGS__)

/* ---- helpers shared with tests/bench.c ---- */

/*
 * Untimed cleanup of one slot: free the table under its entry with everything
 * in it (pt_linux_pmd_free_pte_page / pud_free_pmd_page) or clear its block,
 * the final TLBI (final_tlbi at the slot: PT_TLBI_ALL unless only the slot VA
 * was used), then sweep the space and reclaim the leaked pages. Returns the
 * pages leaked (before reclaim); *dangling gets the sweep's dangling count.
 * The sweep is skipped when the pool's live count shows nothing can have
 * leaked, unless force_sweep. Call with the monitor off.
 */
unsigned scn_cleanup_slot(const struct scn_env *env, uint64_t slot, int slot_level, unsigned *dangling,
			  bool force_sweep, enum pt_tlbi_scope final_tlbi);

#endif
