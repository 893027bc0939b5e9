/*
 * BBM monitor: a shadow model of break-before-make (Arm ARM D8.16.1, "Using
 * break-before-make when updating translation table entries"), in the spirit of
 * Casemate's ghost model. When enabled it sees every descriptor write, barrier,
 * TLBI and table-page free, and reports sequences that break the protocol.
 *
 * Disabled cost at every hook: one load and one predictable branch on
 * `bbm_monitor_active` (the hooks are inline in mmu/tlb.h and mmu/pt_write.h).
 * Rules and their sources: docs/mmu.md.
 */
#ifndef BBMPROBE_MMU_MONITOR_H
#define BBMPROBE_MMU_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/arch_event.h"
#include "mmu/desc.h"

enum bbm_rule {
	BBM_RULE_LIVE_CHANGE = 0,   /* valid->valid change pgattr_change_is_safe() rejects */
	BBM_RULE_NO_TLBI,           /* made valid; no TLBI covered the entry since it was broken */
	BBM_RULE_TLBI_BEFORE_BREAK, /* the only covering TLBI was in flight before the entry was cleared */
	BBM_RULE_TLBI_BEFORE_DSB,   /* covering TLBI issued before a DSB made the invalid write visible */
	BBM_RULE_LEAF_TLBI_TABLE,   /* only last-level TLBI covered a cleared table entry (walk cache) */
	BBM_RULE_TLBI_NOT_COMPLETE, /* covering TLBI not completed by dsb ish/sy before the make */
	BBM_RULE_FREE_REACHABLE,    /* freed table still reachable from a root through valid entries */
	BBM_RULE_FREE_PARENT_NOT_CLEAN, /* freed table's parent entry may still sit in a walk cache */
	BBM_RULE_FREE_CHILD_LIVE,   /* freed table has valid entries not removed by a full TLBI */
	BBM_RULE_FREE_CHILD_NOT_CLEAN, /* freed table has cleared entries not yet invalidated */
	BBM_RULE_CONT_MISPROGRAMMED, /* a write left a contiguous run's valid entries disagreeing (mmu/monitor_cont.c) */
	BBM_RULE_COUNT
};

struct bbm_violation {
	enum bbm_rule rule;
	uint64_t va;      /* VA the entry translates (its range base), 0 if unknown */
	int level;        /* -1 if unknown (entry not in a pool table) */
	uint64_t old;     /* entry value before (free rules: the offending entry) */
	uint64_t new_val; /* entry value written (free rules: the freed page address) */
	uintptr_t ptep;
	uint64_t seq;     /* monitor event number */
};

/* Tracked cleared entries and the violation ring: fixed sizes, no malloc. */
#define BBM_MONITOR_TRACK_MAX 256u
#define BBM_MONITOR_RING 32u

struct bbm_monitor_stats {
	uint64_t events;
	uint64_t violations;                 /* total, all rules */
	uint64_t by_rule[BBM_RULE_COUNT];
	uint64_t track_overflows;            /* cleared entries that could not be tracked */
	uint64_t ring_dropped;               /* violations not kept in the ring (still counted) */
	uint64_t feat_bbm_permitted;         /* live size changes the FEAT_BBM level permits (not violations) */
	unsigned tracked;                    /* entries tracked right now */
};

/* Whether the monitor is subscribed to the event stream. Write it only through bbm_monitor_enable(). */
extern bool bbm_monitor_active;

/* Enable clears the tracked-entry state (not the counters): writes made while disabled are unknown. */
void bbm_monitor_enable(bool on);
/* Clear tracking, counters and the ring. */
void bbm_monitor_reset(void);
/* Print one "# BBM violation" line per violation (default on). */
void bbm_monitor_set_print(bool on);

/*
 * The CPU's FEAT_BBM level (0 unless set): at 1 or 2 a live change of block
 * size with the same output addresses and attributes is counted in
 * feat_bbm_permitted instead of live-change (mmu/monitor_bbm.c).
 */
void bbm_monitor_set_feat_bbm(unsigned level);
/* Whether FEAT_BBM level feat_bbm lets the live entry at level change from old to new_desc (reads the table). */
bool bbm_size_change_permitted(int level, pt_entry_t old, pt_entry_t new_desc, unsigned feat_bbm);

/*
 * Whether the valid entries of the contiguous run holding the entry at ptep
 * (a page at level 3, a block at level 2) agree, or none has PTE_CONT; true at
 * a level with no run.
 */
bool bbm_cont_run_consistent(const pt_entry_t *ptep, int level);

/*
 * ASIDs (mmu/monitor_asid.c). A cleared entry carries the mask of ASIDs that
 * may hold it (0: a global leaf); a TLBI by ASID clears that ASID's bit and
 * covers the entry once none is left. ASIDs from 63 up share bit 63, which
 * only an all-ASID TLBI (or one of ASID 63 and up) clears: conservative.
 */
static inline uint64_t bbm_asid_bit(uint64_t asid)
{
	return 1ull << (asid < 63 ? asid : 63);
}
/* At enable: the running ASID (mmu/asid.h); forget every record. */
void bbm_asid_reset(uint16_t running_asid);
/* ARCH_EV_ASID_SWITCH. */
void bbm_asid_switch(uint64_t asid);
/* A valid leaf was written at ptep (level from the pool): remember when an nG one became valid. */
void bbm_asid_note_valid(const pt_entry_t *ptep, pt_entry_t desc, int level);
/* At a break of `old`: the ASIDs whose TLBs may hold it; 0 for a global leaf. */
uint64_t bbm_asid_holders(const pt_entry_t *ptep, pt_entry_t old, int level);

/* The readers deliver queued events first (arch_event_sync()). */
void bbm_monitor_get_stats(struct bbm_monitor_stats *out);
uint64_t bbm_monitor_count(enum bbm_rule rule);
uint64_t bbm_monitor_total(void);
/* i-th kept violation, oldest first; false past the end. */
bool bbm_monitor_get(unsigned i, struct bbm_violation *out);
const char *bbm_rule_name(enum bbm_rule rule);

#endif
