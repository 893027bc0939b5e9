/*
 * Architectural model of TLBs and walk caches: for one access after a
 * sequence of descriptor writes, barriers, TLB maintenance and table-page
 * frees, the SET of outcomes the Arm architecture allows, each with one walk
 * that produces it. Verdicts come from here, never from what an emulator did.
 *
 * Deterministic, pure C, no malloc: fixed arrays in struct model. Running out
 * of room is an error (enum model_status), sticky until model_init() or
 * model_attach(), and every later answer carries it: the model never answers
 * from incomplete state.
 *
 * Rules and their Arm ARM basis (DDI 0487 M.a.a; the R/I identifiers are
 * stable across issues): docs/model.md, and a comment at each rule in
 * model_state.c and model_walk.c.
 *
 * Feeding: model_on_event() takes the (kind, a, b, c) tuples of
 * mmu/arch_event.h, in program order, each delivered when it happens (the
 * model reads table memory when a table entry is overwritten or a page freed).
 * Tables are read in place with pt_read_desc(): physical address == pointer on
 * the identity-mapped target and for the host pool.
 */
#ifndef BBMPROBE_MMU_MODEL_H
#define BBMPROBE_MMU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/outcome.h"
#include "mmu/arch_event.h"
#include "mmu/desc.h"
#include "mmu/geometry.h"

#define MODEL_MAX_CPUS 8u
#ifndef MODEL_STALE_MAX
#define MODEL_STALE_MAX 1024u  /* stale cacheable entries, all CPUs together (a folded table orphans 512) */
#endif
#ifndef MODEL_PENDING_MAX
#define MODEL_PENDING_MAX 1024u /* descriptor writes not yet completed by a DSB (a 2M run of pages is 512) */
#endif
#ifndef MODEL_TLBI_MAX
#define MODEL_TLBI_MAX 32u      /* TLBIs issued and not yet completed by a DSB */
#endif
#ifndef MODEL_PAGES_MAX
#define MODEL_PAGES_MAX 128u    /* table pages the model knows (level, VA base, freed) */
#endif
#ifndef MODEL_ASIDS_MAX
#define MODEL_ASIDS_MAX 8u      /* ASIDs that ran since attach (each may hold non-global entries) */
#endif

enum model_status {
	MODEL_OK = 0,
	MODEL_ERR_BAD_ARG,       /* bad config, CPU index, level, root or access kind */
	MODEL_ERR_NOT_ATTACHED,  /* no model_attach() since model_init() */
	MODEL_ERR_STALE_FULL,    /* MODEL_STALE_MAX stale entries: one more could not be recorded */
	MODEL_ERR_PENDING_FULL,  /* MODEL_PENDING_MAX pending writes */
	MODEL_ERR_TLBI_FULL,     /* MODEL_TLBI_MAX pending TLBIs */
	MODEL_ERR_PAGES_FULL,    /* MODEL_PAGES_MAX table pages */
	MODEL_ERR_UNKNOWN_TABLE, /* a write into, or a walk through, a page the model never learned */
	MODEL_ERR_ASIDS_FULL,    /* MODEL_ASIDS_MAX ASIDs ran since attach: one more could not be recorded */
	MODEL_STATUS_COUNT
};
const char *model_status_name(enum model_status st);

struct model_config {
	unsigned ncpus;      /* 1..MODEL_MAX_CPUS; events and accesses name a CPU below this */
	unsigned feat_bbm;   /* FEAT_BBM support level 0, 1 or 2: below the level a size-only change needs, rule 6b
			      * also allows an amalgamation (`other`) */
	bool contiguous;     /* whether PTE_CONT may be honoured: rule 6c (a run cached as one entry) */
	uint16_t asid;       /* running ASID (every CPU): tags non-global entries, selects them on access. The
			      * ARCH_EV_ASID_SWITCH event changes it (mmu/asid.h); so may a caller between events */
};
/* One CPU, FEAT_BBM level 0, contiguous bit ignored, ASID 0 (what the litmus tests assume). */
void model_config_default(struct model_config *cfg);

/* A table page: what a walk reading it is translating. */
struct model_page {
	uint64_t pa;
	uint64_t va_base;   /* first VA the table translates */
	int8_t level;
	bool freed;         /* TABLE_FREE seen, no TABLE_ALLOC since: a walk reading it yields poison */
	uint8_t zero_cpu;   /* CPU that re-allocated (zeroed) it */
	uint8_t zero_pending; /* CPUs whose walks may still see the pre-zeroing contents (no DSB yet) */
};

/* A descriptor write not yet completed for every CPU: walks may still read `old`. */
struct model_pending_write {
	uint64_t entry;
	pt_entry_t old;
	uint32_t write_no;  /* 1-based count of WRITE events since attach */
	uint8_t cpu;        /* writer */
	uint8_t done;       /* CPUs for whose walks the write is complete */
};

/* A valid descriptor that is no longer in memory (or no longer reachable) but may still be cached. */
struct model_stale {
	uint64_t entry;       /* where it was in memory */
	pt_entry_t desc;
	uint64_t va_base;     /* VA range it translates: [va_base, va_base + level size) */
	uint64_t visible_seq; /* event number at which the write that made it stale completed for `cpu`; 0: not yet */
	uint32_t write_no;    /* that write */
	uint16_t asid;        /* ASID tag (non-global entries) */
	int8_t level;
	uint8_t cpu;          /* the CPU whose TLB may hold it */
	uint8_t writer;       /* CPU that made the write */
	bool global;          /* leaf with nG=0; table entries are never global (R CHVGJ) */
	bool gone_at_isb;     /* a completed local TLBI removed it, effective at this CPU's next ISB (R BLDZX) */
};

/* A TLBI issued and not yet completed. */
struct model_tlbi {
	uint64_t va;
	uint64_t seq;       /* event number of the TLBI */
	uint16_t asid;
	uint8_t kind;       /* enum arch_event_kind */
	uint8_t cpu;        /* issuer */
};

struct model {
	struct model_config cfg;
	enum model_status status; /* sticky: the first error */
	uint64_t error_info;      /* address (entry, page) or event kind that caused it */
	bool config_ok;           /* model_init() accepted the config */
	bool attached;
	uint64_t root;
	uint64_t root1;           /* TTBR1's root (the upper VA range), 0 if none: model_attach_ttbr1() */
	int start_level;
	uint64_t seq;             /* events seen since attach */
	uint32_t writes;          /* WRITE events seen since attach (witnesses name them "write #n") */
	unsigned npages, npending, nstale, ntlbi, nasids;
	uint16_t asids[MODEL_ASIDS_MAX]; /* ASIDs that ran since attach: a non-global entry may be tagged with any */
	struct model_page pages[MODEL_PAGES_MAX];
	struct model_pending_write pending[MODEL_PENDING_MAX];
	struct model_stale stale[MODEL_STALE_MAX];
	struct model_tlbi tlbi[MODEL_TLBI_MAX];
};

enum model_status model_init(struct model *m, const struct model_config *cfg);
/*
 * Start observing the tables under root (level start_level, VA base 0): learn
 * every table page reachable from it, and forget stale entries, pending writes
 * and TLBIs. Assumes the TLBs then hold nothing but what the tables say (for
 * example after tlbi vmalle1is; dsb ish; isb), the usual start of a scenario.
 */
enum model_status model_attach(struct model *m, const pt_entry_t *root, int start_level);
/*
 * Also observe a TTBR1 space (the upper VA range [PT_TTBR1_VA_BASE, 2^64), same start level), after
 * model_attach(): learn its table pages with their upper VA bases. An access whose VA[55] is 1 walks
 * from it (Arm ARM D8.2.3 "Selection between TTBR0 and TTBR1"); with no TTBR1 root it faults at level 0.
 */
enum model_status model_attach_ttbr1(struct model *m, const pt_entry_t *root1);
/* One architectural event on CPU cpu, in program order. Returns the (sticky) status. */
enum model_status model_on_event(struct model *m, unsigned cpu, enum arch_event_kind kind, uint64_t a, uint64_t b,
				 uint64_t c);

enum model_access_kind {
	MODEL_ACCESS_READ,
	MODEL_ACCESS_WRITE,
	MODEL_ACCESS_AT_S1E1R, /* AT: never faults the program; PAR_EL1 reports what a read would see */
	MODEL_ACCESS_AT_S1E1W, /* AT: as a write */
	MODEL_ACCESS_PRFM,     /* prefetch: never faults; the set says which translations it may use */
	MODEL_ACCESS_KIND_COUNT
};

/* The PA each marker lives at: where the accessed byte is under the new and under the old mapping. */
struct model_markers {
	uint64_t new_pa;
	uint64_t old_pa;
};

enum model_source {
	MODEL_SRC_MEMORY,      /* read from memory, the current value */
	MODEL_SRC_PENDING_OLD, /* read from memory, the value a pending write replaced */
	MODEL_SRC_CACHED,      /* a stale entry from a TLB or walk cache */
	MODEL_SRC_FREED,       /* the table page was freed: the walk reads whatever it holds */
	MODEL_SRC_ZEROING,     /* the page was re-allocated and its zeroing is not complete */
};

struct model_step {
	uint64_t entry;    /* entry address; for FREED/ZEROING the table page */
	pt_entry_t desc;
	uint32_t write_no; /* PENDING_OLD: the pending write; CACHED: the write that made it stale */
	int8_t level;
	uint8_t source;    /* enum model_source */
};

enum model_witness_kind {
	MODEL_WITNESS_WALK,     /* step[0..nsteps) is one walk, top level first */
	MODEL_WITNESS_CONFLICT, /* step[0] and step[1] are two possibly-cached entries that disagree */
	MODEL_WITNESS_VA_RANGE, /* the VA is outside both TTBR ranges (or TTBR1 has no table): level 0 fault */
	/* (MODEL_WITNESS_CONFLICT also: a global and a non-global leaf of the running ASID for the VA, rule 6d) */
	MODEL_WITNESS_AMALGAM,  /* as CONFLICT, used together: a size-only change below its FEAT_BBM level */
	MODEL_WITNESS_CONT,     /* step[0], step[1]: two pages of a misprogrammed contiguous run (rule 6c) */
};

struct model_witness {
	uint8_t kind;   /* enum model_witness_kind */
	uint8_t nsteps;
	struct model_step step[PT_MAX_LEVELS];
};

struct model_answer {
	enum model_status status;
	outcome_set_t allowed;
	uint64_t va;
	unsigned cpu;
	struct model_witness witness[OUTCOME_COUNT]; /* valid for the outcomes in `allowed` */
	/*
	 * Rule 6b: when a TLB conflict is allowed and every translation the access
	 * may use maps the VA to one PA with the same attributes, in leaves of
	 * different sizes (a change of block size only), the FEAT_BBM level from
	 * which that change needs no break: 1 if a block among them has nT set,
	 * else 2. 0: no such change (a conflict, if allowed, needs BBM at every level).
	 */
	uint8_t size_change_level;
};

/*
 * Every outcome the architecture allows for one access of `kind` at va on cpu,
 * now. Does not change the model: a walk may fill caches only with entries the
 * model already counts as cacheable. On error, allowed is 0 and the status says why.
 */
enum model_status model_access(const struct model *m, unsigned cpu, uint64_t va, enum model_access_kind kind,
			       const struct model_markers *markers, struct model_answer *ans);

/*
 * The witness of outcome o in words, e.g. "fault-t3: L0..L1 from memory, L2
 * table pointer 0x400b7000 from the walk cache (stale since write #5), L3[0]=0
 * from memory". snprintf-style: returns the length it wanted, -1 if o is not allowed.
 */
int model_format_witness(const struct model_answer *ans, enum outcome o, char *buf, size_t len);

#endif
