/*
 * BBM monitor: shadow state for translation-table entries that were made
 * invalid, checked against the break-before-make sequence of Arm ARM D8.16.1
 * and Linux's TLB maintenance rules (arch/arm64/include/asm/tlbflush.h).
 *
 * A cleared entry moves DIRTY (written, not yet visible to walkers) ->
 * VISIBLE (a DSB ordered the write) -> PENDING (a TLBI of sufficient scope
 * covering it was issued) -> CLEAN (a dsb ish/sy completed that TLBI). Only a
 * CLEAN entry may be made valid with a change a live entry could not take.
 * Table frees are checked against reachability and the state of the parent
 * entry and of the children. ASIDs: a TLBI by ASID covers a cleared entry
 * once every ASID that may hold it was invalidated (mmu/monitor_asid.c).
 * Not modelled: accesses (so a missing ISB is invisible), fractured block TLB
 * entries. FEAT_BBM levels 1 and 2:
 * mmu/monitor_bbm.c. See docs/mmu.md.
 */
#include "mmu/monitor.h"
#include "boot/hot_data.h"

#include <stdio.h>

#include "lib/enum_names.h"
#include "mmu/asid.h"
#include "mmu/geometry.h"
#include "mmu/pool.h"

#ifdef BBMPROBE_HOST
#include <assert.h>
#endif

HOT_DATA bool bbm_monitor_active;

enum track_state {
	TR_UNUSED = 0,
	TR_DIRTY,    /* cleared, no DSB since */
	TR_VISIBLE,  /* cleared and visible; no counting TLBI yet */
	TR_PENDING,  /* covering TLBI issued, not completed */
	TR_CLEAN,    /* covering TLBI completed: no TLB/walk cache holds the old entry */
	TR_UNLINKED, /* a table page unlinked by a clean break and since re-made: key is `page` */
};

/* Diagnosis flags: why an entry is not clean. */
#define TRF_UNORDERED_TLBI (1u << 0) /* covering TLBI issued while the clear was not yet visible */
#define TRF_LEAF_ON_TABLE (1u << 1)  /* leaf-only TLBI covered a cleared table entry */
#define TRF_TLBI_EARLY (1u << 2)     /* covering TLBI was in flight when the entry was cleared */
#define TRF_PENDING_FULL (1u << 3)   /* a vmalle1is is in flight */
#define TRF_FULL (1u << 4)           /* a vmalle1is completed after the clear was visible */

struct tracked {
	const pt_entry_t *ptep;
	const pt_entry_t *page; /* TR_UNLINKED: the unlinked table */
	pt_entry_t old;
	uint64_t va, size;
	int level;
	unsigned state, flags;
	uint64_t seq;
	uint64_t asids; /* bbm_asid_bit()s of the ASIDs that may still hold it; 0: a global leaf */
};

/* TLBIs issued since the last dsb ish/sy, to name "TLBI before the clear". */
#define INFLIGHT_MAX 16
struct inflight_tlbi {
	enum arch_event_kind kind;
	uint64_t va, asid;
};

static struct tracked track[BBM_MONITOR_TRACK_MAX];
/* Slots in use all lie below n_slots, so every scan stops there (usually after a few slots). */
HOT_DATA static unsigned n_slots;
/*
 * Whether a DSB has anything to do: some record may be DIRTY (set when a
 * break is tracked), or PENDING or waiting for a full TLBI to complete (set
 * when a TLBI moves a record). Cleared by the DSB scan that settles them, so
 * most barriers return at once.
 */
HOT_DATA static bool any_dirty, any_pending;
HOT_DATA static struct inflight_tlbi inflight[INFLIGHT_MAX];
HOT_DATA static unsigned n_inflight;
static struct bbm_violation ring[BBM_MONITOR_RING];
HOT_DATA static unsigned ring_next;
HOT_DATA static struct bbm_monitor_stats stats;
static bool print_off; /* zero-initialised BSS: printing on */
HOT_DATA static unsigned feat_bbm; /* the CPU's FEAT_BBM level, as the caller says */

/*
 * Valid entries per pool page, kept for pages allocated since the last enable
 * (count_epoch[i] == epoch): the monitor saw their zeroing and every write
 * since, so a free need not scan 512 entries to know whether any is valid.
 * Pages allocated earlier are scanned as before.
 */
static uint16_t valid_count[PT_POOL_PAGES];
static uint32_t count_epoch[PT_POOL_PAGES];
HOT_DATA static uint32_t epoch; /* bumped on every enable: 0 never matches a counted page */

/*
 * The pool's storage and metadata never move: cached when the monitor is
 * enabled, so the lookups every event makes need no call (on QEMU TCG a call
 * costs more than the lookup).
 */
HOT_DATA static uintptr_t pool_base;
HOT_DATA static uint64_t pool_bytes;
HOT_DATA static const struct pt_page_meta *pool_meta0;

static void cache_pool(void)
{
	pt_pool_storage(&pool_base, &pool_bytes);
	pool_meta0 = pt_pool_meta((const void *)pool_base);
}

/* pt_pool_index() and pt_pool_meta(), without the call. */
static int page_index(const void *p)
{
	uintptr_t off = (uintptr_t)p - pool_base;
	return off < pool_bytes ? (int)(off >> PT_GRANULE_SHIFT) : -1;
}

static const struct pt_page_meta *meta_of(const void *p)
{
	int i = page_index(p);
	return i < 0 ? 0 : &pool_meta0[i];
}

static const char *const rule_names[BBM_RULE_COUNT] = {
	[BBM_RULE_LIVE_CHANGE] = "live-change",
	[BBM_RULE_NO_TLBI] = "no-tlbi",
	[BBM_RULE_TLBI_BEFORE_BREAK] = "tlbi-before-break",
	[BBM_RULE_TLBI_BEFORE_DSB] = "tlbi-before-dsb",
	[BBM_RULE_LEAF_TLBI_TABLE] = "leaf-tlbi-table",
	[BBM_RULE_TLBI_NOT_COMPLETE] = "tlbi-not-complete",
	[BBM_RULE_FREE_REACHABLE] = "free-reachable",
	[BBM_RULE_FREE_PARENT_NOT_CLEAN] = "free-parent-not-clean",
	[BBM_RULE_FREE_CHILD_LIVE] = "free-child-live",
	[BBM_RULE_FREE_CHILD_NOT_CLEAN] = "free-child-not-clean",
	[BBM_RULE_CONT_MISPROGRAMMED] = "cont-misprogrammed",
};

const char *bbm_rule_name(enum bbm_rule rule)
{
	return ENUM_NAME(rule_names, rule, "?");
}

static void clear_tracking(void)
{
	for (unsigned i = 0; i < n_slots; i++)
		track[i].state = TR_UNUSED;
	n_slots = 0;
	any_dirty = any_pending = false;
	n_inflight = 0;
	stats.tracked = 0;
}

static void monitor_sink(void *ctx, const struct arch_event *evs, unsigned n);

void bbm_monitor_enable(bool on)
{
	arch_event_sync(); /* queued events belong to the state before this call */
	if (on) {
		cache_pool();
		clear_tracking();
		bbm_asid_reset(mmu_running_asid);
		epoch++; /* writes made while off were not seen: no page's count is known */
	}
	if (on && !bbm_monitor_active)
		arch_event_subscribe(monitor_sink, NULL);
	else if (!on && bbm_monitor_active)
		arch_event_unsubscribe(monitor_sink, NULL);
	bbm_monitor_active = on;
}

void bbm_monitor_reset(void)
{
	arch_event_sync();
	clear_tracking();
	ring_next = 0;
	stats.events = 0;
	stats.violations = 0;
	for (unsigned i = 0; i < BBM_RULE_COUNT; i++)
		stats.by_rule[i] = 0;
	stats.track_overflows = 0;
	stats.feat_bbm_permitted = 0;
	stats.ring_dropped = 0;
}

void bbm_monitor_set_print(bool on)
{
	print_off = !on;
}

void bbm_monitor_get_stats(struct bbm_monitor_stats *out)
{
	arch_event_sync();
	*out = stats;
}

uint64_t bbm_monitor_count(enum bbm_rule rule)
{
	arch_event_sync();
	return (unsigned)rule < BBM_RULE_COUNT ? stats.by_rule[rule] : 0;
}

uint64_t bbm_monitor_total(void)
{
	arch_event_sync();
	return stats.violations;
}

bool bbm_monitor_get(unsigned i, struct bbm_violation *out)
{
	arch_event_sync();
	uint64_t kept = stats.violations < BBM_MONITOR_RING ? stats.violations : BBM_MONITOR_RING;
	/* cppcheck-suppress knownConditionTrueFalse ; stats change at run time */
	if (i >= kept)
		return false;
	unsigned first = stats.violations < BBM_MONITOR_RING ? 0 : ring_next;
	*out = ring[(first + i) % BBM_MONITOR_RING];
	return true;
}

static void report(enum bbm_rule rule, uint64_t va, int level, uint64_t old, uint64_t new_val, const void *ptep)
{
	struct bbm_violation *v = &ring[ring_next];
	if (stats.violations >= BBM_MONITOR_RING)
		stats.ring_dropped++;
	v->rule = rule;
	v->va = va;
	v->level = level;
	v->old = old;
	v->new_val = new_val;
	v->ptep = (uintptr_t)ptep;
	v->seq = stats.events;
	ring_next = (ring_next + 1) % BBM_MONITOR_RING;
	stats.violations++;
	stats.by_rule[rule]++;
	if (!print_off)
		printf("# BBM violation: rule=%s va=0x%llx level=%d old=0x%016llx new=0x%016llx\n", rule_names[rule],
		       (unsigned long long)va, level, (unsigned long long)old, (unsigned long long)new_val);
}

/* Level and VA of the entry at ptep, from the pool page that holds it; -1 if unknown. Inline: every write asks. */
static inline __attribute__((always_inline)) int locate(const pt_entry_t *ptep, uint64_t *va)
{
	uintptr_t off = (uintptr_t)ptep - pool_base;
	*va = 0;
	if (off >= pool_bytes)
		return -1;
	/* One geometry load (the shift); the mask and the entry's span are computed from it (mmu/geometry.c). */
	unsigned sh = PT_GRANULE_SHIFT;
	const struct pt_page_meta *m = &pool_meta0[off >> sh];
	if (!pt_level_valid(m->level))
		return -1;
	uint64_t idx = (off & ((1ull << sh) - 1)) / sizeof(pt_entry_t); /* the pool is granule-aligned */
	*va = m->va_base + (idx << (sh + (unsigned)(PT_LAST_LEVEL - m->level) * (sh - PT_ENTRY_SHIFT)));
	return m->level;
}

static bool is_entry_record(const struct tracked *t)
{
	return t->state - TR_DIRTY <= TR_CLEAN - TR_DIRTY; /* DIRTY..CLEAN: not UNUSED, not UNLINKED */
}

static struct tracked *find_tracked(const pt_entry_t *ptep)
{
	/* The pointer first: one test per slot that is not it. */
	for (unsigned i = 0; i < n_slots; i++)
		if (track[i].ptep == ptep && is_entry_record(&track[i]))
			return &track[i];
	return 0;
}

static struct tracked *find_unlinked(const pt_entry_t *page)
{
	for (unsigned i = 0; i < n_slots; i++)
		if (track[i].state == TR_UNLINKED && track[i].page == page)
			return &track[i];
	return 0;
}

HOT_TEXT_MONITOR_CALLEE static void untrack(struct tracked *t)
{
	if (t && t->state != TR_UNUSED) {
		t->state = TR_UNUSED;
		stats.tracked--;
		while (n_slots && track[n_slots - 1].state == TR_UNUSED)
			n_slots--;
	}
}

/* A free slot below n_slots, or the next one; else evict the oldest clean record (clean == untracked, bar FULL). */
static struct tracked *new_slot(void)
{
	struct tracked *victim = 0;
	for (unsigned i = 0; i < n_slots; i++) {
		if (track[i].state == TR_UNUSED)
			return &track[i];
		if ((track[i].state == TR_CLEAN || track[i].state == TR_UNLINKED) &&
		    (!victim || track[i].seq < victim->seq))
			victim = &track[i];
	}
	if (n_slots < BBM_MONITOR_TRACK_MAX)
		return &track[n_slots++];
	if (victim) {
		untrack(victim);
		n_slots = BBM_MONITOR_TRACK_MAX; /* untrack() may have lowered it past the slot being reused */
	}
	return victim;
}

static bool tlbi_is_broadcast(enum arch_event_kind k)
{
	return k == ARCH_EV_TLBI_VALE1IS || k == ARCH_EV_TLBI_VAE1IS || k == ARCH_EV_TLBI_VAAE1IS ||
	       k == ARCH_EV_TLBI_VAALE1IS || k == ARCH_EV_TLBI_ASIDE1IS || k == ARCH_EV_TLBI_VMALLE1IS;
}

/* Does a TLBI of this kind at va reach the cached copies of the entry (any level)? */
static bool tlbi_covers(enum arch_event_kind k, uint64_t va, const struct tracked *t)
{
	/* Unknown range (level < 0, size 0): only a full invalidation is known to reach it. */
	/* t->va is aligned to t->size (an entry's span, a multiple of the granule): same as comparing pages. */
	return (k == ARCH_EV_TLBI_VMALLE1IS) | (k == ARCH_EV_TLBI_ASIDE1IS) | (va - t->va < t->size);
}

/* The forms that take an ASID operand (D8.17.5.4): VA and VAL forms, and ASIDE1. */
static bool tlbi_by_asid(enum arch_event_kind k)
{
	return k == ARCH_EV_TLBI_VAE1IS || k == ARCH_EV_TLBI_VALE1IS || k == ARCH_EV_TLBI_ASIDE1IS;
}

/* Does a TLBI by ASID reach the entry's copies of some ASID? Global leaves: by-VA forms only. */
static bool tlbi_asid_reaches(enum arch_event_kind k, uint64_t asid, const struct tracked *t)
{
	if (!tlbi_by_asid(k))
		return true;
	if (!t->asids)
		return k != ARCH_EV_TLBI_ASIDE1IS;
	return (t->asids & bbm_asid_bit(asid)) != 0;
}

static bool is_table_entry(const struct tracked *t)
{
	return t->level >= 0 && desc_type(t->old, t->level) == DESC_TABLE;
}

/* A TLBI moves the records it covers along (DIRTY stays, flagged; VISIBLE -> PENDING). */
static inline __attribute__((always_inline)) void on_tlbi(enum arch_event_kind k, uint64_t va, uint64_t asid)
{
	if (n_inflight < INFLIGHT_MAX) {
		inflight[n_inflight].kind = k;
		inflight[n_inflight].va = va;
		inflight[n_inflight].asid = asid;
		n_inflight++;
	}
	bool full = k == ARCH_EV_TLBI_VMALLE1IS;
	bool leaf_only = k == ARCH_EV_TLBI_VALE1IS || k == ARCH_EV_TLBI_VAALE1IS;
	uint64_t asid_bit = tlbi_by_asid(k) ? bbm_asid_bit(asid) : ~0ull;
	for (unsigned i = 0; i < n_slots; i++) {
		struct tracked *t = &track[i];
		if (!is_entry_record(t) || !tlbi_covers(k, va, t) || !tlbi_asid_reaches(k, asid, t))
			continue;
		switch (t->state) {
		case TR_DIRTY: /* may run before walkers see the clear: the old entry can be refetched */
			t->flags |= TRF_UNORDERED_TLBI;
			break;
		case TR_VISIBLE:
			if (leaf_only && is_table_entry(t)) {
				t->flags |= TRF_LEAF_ON_TABLE; /* the walk-cache copy survives vale1is */
				break;
			}
			t->asids &= ~asid_bit;
			if (t->asids && asid_bit != ~0ull)
				break; /* another ASID's copy may survive: not yet covered */
			t->state = TR_PENDING;
			any_pending = true;
			if (full)
				t->flags |= TRF_PENDING_FULL;
			break;
		case TR_PENDING:
		case TR_CLEAN:
			if (full) {
				t->flags |= TRF_PENDING_FULL;
				any_pending = true;
			}
			break;
		default:
			break;
		}
	}
}

/* A DSB moves records along: DIRTY -> VISIBLE, and if it completes TLBIs, PENDING -> CLEAN. */
static inline __attribute__((always_inline)) void on_dsb_scan(bool completes_tlbi)
{
	/* Selects rather than branches per slot (TCG ends a translation block at every branch). */
	for (unsigned i = 0; i < n_slots; i++) {
		struct tracked *t = &track[i];
		unsigned st = t->state, fl = t->flags;
		st = st == TR_DIRTY ? TR_VISIBLE : completes_tlbi && st == TR_PENDING ? TR_CLEAN : st;
		bool full_done = completes_tlbi & (st == TR_CLEAN) & ((fl & TRF_PENDING_FULL) != 0);
		t->state = st;
		t->flags = full_done ? (fl & ~TRF_PENDING_FULL) | TRF_FULL : fl;
	}
	any_dirty = false;
	any_pending = any_pending && !completes_tlbi;
}

static inline void on_dsb(bool completes_tlbi)
{
	n_inflight = completes_tlbi ? 0 : n_inflight;
	if (any_dirty | (completes_tlbi & any_pending)) /* else nothing a barrier can move; | and &: one branch */
		on_dsb_scan(completes_tlbi);
}

/*
 * Event classes as bit masks, not a switch or a table: a switch becomes an
 * indirect branch and a table another page to touch, both dear on QEMU TCG
 * right after a TLBI has emptied its TLB. dsb ishst orders stores but does not
 * wait for TLBIs (Linux uses dsb ish for that); dsb nsh and local TLBIs do not
 * reach other CPUs; an isb only matters for accesses, which are not modelled.
 */
_Static_assert(ARCH_EV_KIND_COUNT <= 32, "event kinds fit the masks");
#define EV_BIT(k) (1u << (k))
#define EV_DSB (EV_BIT(ARCH_EV_DSB_ISHST) | EV_BIT(ARCH_EV_DSB_ISH) | EV_BIT(ARCH_EV_DSB_SY))
#define EV_TLBI                                                                                                  \
	(EV_BIT(ARCH_EV_TLBI_VALE1IS) | EV_BIT(ARCH_EV_TLBI_VAE1IS) | EV_BIT(ARCH_EV_TLBI_VAAE1IS) |                 \
	 EV_BIT(ARCH_EV_TLBI_VAALE1IS) | EV_BIT(ARCH_EV_TLBI_ASIDE1IS) | EV_BIT(ARCH_EV_TLBI_VMALLE1IS))
#define EV_NOT_BARRIER (EV_BIT(ARCH_EV_WRITE) | EV_BIT(ARCH_EV_TABLE_ALLOC) | EV_BIT(ARCH_EV_TABLE_FREE))

/* The kind's bit for the masks above (none for a kind out of range). */
static inline unsigned kind_bit(enum arch_event_kind kind)
{
	unsigned k = (unsigned)kind;
	return EV_BIT(k & 31) & (0u - (unsigned)(k < 32));
}


static unsigned early_tlbi_flags(const struct tracked *t)
{
	for (unsigned i = 0; i < n_inflight; i++)
		if (tlbi_is_broadcast(inflight[i].kind) && tlbi_covers(inflight[i].kind, inflight[i].va, t) &&
		    tlbi_asid_reaches(inflight[i].kind, inflight[i].asid, t))
			return TRF_TLBI_EARLY;
	return 0;
}

static enum bbm_rule not_clean_rule(const struct tracked *t)
{
	if (t->state == TR_PENDING)
		return BBM_RULE_TLBI_NOT_COMPLETE;
	if (t->flags & TRF_LEAF_ON_TABLE)
		return BBM_RULE_LEAF_TLBI_TABLE;
	if (t->flags & TRF_UNORDERED_TLBI)
		return BBM_RULE_TLBI_BEFORE_DSB;
	if (t->flags & TRF_TLBI_EARLY)
		return BBM_RULE_TLBI_BEFORE_BREAK;
	return BBM_RULE_NO_TLBI;
}

/* Start tracking the entry at ptep, just cleared (valid -> invalid). */
static void track_break(pt_entry_t *ptep, struct tracked *t, pt_entry_t old, uint64_t va, int level)
{
	if (!t)
		t = new_slot();
	if (!t) {
		stats.track_overflows++;
		if (!print_off)
			printf("# BBM monitor: tracking table full (%u entries): cleared entry va=0x%llx "
			       "level=%d not tracked\n",
			       BBM_MONITOR_TRACK_MAX, (unsigned long long)va, level);
		return;
	}
	if (t->state == TR_UNUSED)
		stats.tracked++;
	t->ptep = ptep;
	t->page = 0;
	t->old = old;
	t->va = va;
	t->level = level;
	t->size = level >= 0 ? pt_level_size(level) : 0;
	t->state = TR_DIRTY;
	any_dirty = true;
	t->seq = stats.events;
	t->asids = bbm_asid_holders(ptep, old, level);
	t->flags = 0;
	t->flags = early_tlbi_flags(t);
}

/* Keep a counted page's valid-entry count in step with a write to it. */
static void count_write(const pt_entry_t *ptep, bool ov, bool nv)
{
	int i = page_index(ptep);
	if ((i >= 0) & (ov != nv) && count_epoch[i] == epoch)
		valid_count[i] = (uint16_t)(valid_count[i] + (nv ? 1 : -1));
}

void bbm_monitor_set_feat_bbm(unsigned level)
{
	feat_bbm = level;
}

/* A live change the FEAT_BBM level permits is counted, not reported (only on live unsafe changes). */
static bool permitted_by_feat_bbm(int level, pt_entry_t old, pt_entry_t new_desc)
{
	if (!feat_bbm || !bbm_size_change_permitted(level, old, new_desc, feat_bbm))
		return false;
	stats.feat_bbm_permitted++;
	return true;
}

static inline __attribute__((always_inline)) void on_write(pt_entry_t *ptep, pt_entry_t old, pt_entry_t new_desc)
{
	uint64_t va;
	int level = locate(ptep, &va);
	struct tracked *t = find_tracked(ptep);
	bool ov = desc_is_valid(old), nv = desc_is_valid(new_desc);

	count_write(ptep, ov, nv);
	/* Only writes of a page or block with the Contiguous bit, before or after, look at its run. */
	if (((old | new_desc) & PTE_CONT) && level >= 0 && !bbm_cont_run_consistent(ptep, level))
		report(BBM_RULE_CONT_MISPROGRAMMED, va, level, old, new_desc, ptep);
	if ((new_desc & PTE_NG) && nv)
		bbm_asid_note_valid(ptep, new_desc, level);
	if (ov && nv) {
		if (!pgattr_change_is_safe(old, new_desc) && !permitted_by_feat_bbm(level, old, new_desc))
			report(BBM_RULE_LIVE_CHANGE, va, level, old, new_desc, ptep);
		untrack(t);
	} else if (ov && !nv) { /* break: start tracking */
		track_break(ptep, t, old, va, level);
	} else if (!ov && nv) { /* make */
		if (!t)
			return;
		if (t->state != TR_CLEAN && !pgattr_change_is_safe(t->old, new_desc))
			report(not_clean_rule(t), va, level, t->old, new_desc, ptep);
		/* A table linked where a contiguous block was (before its break): a table among the run's blocks. */
		if ((t->old & PTE_CONT) && level >= 0 && desc_type(new_desc, level) == DESC_TABLE &&
		    !bbm_cont_run_consistent(ptep, level))
			report(BBM_RULE_CONT_MISPROGRAMMED, va, level, t->old, new_desc, ptep);
		if (t->state == TR_CLEAN && is_table_entry(t)) {
			/* The old table was unlinked cleanly: remember that for when it is freed. */
			t->page = (const pt_entry_t *)(uintptr_t)desc_oa(t->old, t->level);
			t->ptep = 0;
			t->state = TR_UNLINKED;
		} else {
			untrack(t);
		}
	}
	/* invalid -> invalid: nothing changes for walkers */
}

static const pt_entry_t *page_of(const void *p)
{
	return (const pt_entry_t *)((uintptr_t)p & ~(uintptr_t)(PT_GRANULE_SIZE - 1));
}

/* Forget records about a table page and the entries in it (being freed or reused). */
static void forget_page(const pt_entry_t *table)
{
	for (unsigned i = 0; i < n_slots; i++) {
		struct tracked *t = &track[i];
		if ((t->state == TR_UNLINKED && t->page == table) || (is_entry_record(t) && page_of(t->ptep) == table))
			untrack(t);
	}
}

static void on_table_alloc(const pt_entry_t *table)
{
	int i = page_index(table);
	forget_page(table);
	if (i >= 0) { /* zeroed just now: counting starts here */
		count_epoch[i] = epoch;
		valid_count[i] = 0;
	}
}

/* Where the climb from a freed page towards a root ended. */
struct climb {
	const pt_entry_t *top; /* top of the detached subtree (the freed page if depth 0) */
	const pt_entry_t *cut; /* the entry that used to link `top`, if the links break there */
	unsigned depth;        /* intact links climbed */
	bool reachable, is_root, parent_freed;
};

/*
 * Climb intact links (valid table entries pointing at the page below) from the
 * freed page towards a root, to find the cut: the entry that used to link the
 * top of the detached subtree.
 */
static void climb_to_cut(const pt_entry_t *table, struct climb *c)
{
	c->top = table;
	c->cut = 0;
	c->depth = 0;
	c->reachable = c->is_root = c->parent_freed = false;
	for (;;) {
		const struct pt_page_meta *cm = meta_of(c->top);
		const pt_entry_t *parent = cm ? cm->parent : 0;
		if (!parent) {
			if (c->depth == 0)
				c->is_root = true; /* a root: whether TTBR holds it is not known here */
			else
				c->reachable = true;
			return;
		}
		const struct pt_page_meta *pm = meta_of(parent);
		if (pm && pm->state == PT_PAGE_FREE) {
			c->parent_freed = true; /* the subtree's top was judged when it was freed */
			return;
		}
		int plevel = pm ? pm->level : cm->level - 1;
		pt_entry_t v = *(const volatile pt_entry_t *)parent;
		if (desc_type(v, plevel) != DESC_TABLE || desc_oa(v, plevel) != (uint64_t)(uintptr_t)c->top) {
			c->cut = parent;
			return;
		}
		/* A foreign table links it, or the links loop: assume reachable, be loud. */
		if (!pm || ++c->depth > PT_MAX_LEVELS) {
			c->reachable = true;
			return;
		}
		c->top = page_of(parent);
	}
}

/* Judge the cut entry of a freed page's subtree; true if a vmalle1is completed after the unlink. */
static bool judge_cut(const pt_entry_t *table, const struct climb *c)
{
	uint64_t cva;
	int clevel = locate(c->cut, &cva);
	pt_entry_t v = *(const volatile pt_entry_t *)c->cut;
	const struct tracked *ct = find_tracked(c->cut);
	const struct tracked *ul = find_unlinked(c->top);
	bool clean, full = false;
	if (desc_is_valid(v)) {
		/* Re-made since: clean only if the old link was broken and invalidated first. */
		clean = ul != 0;
		full = ul && (ul->flags & TRF_FULL);
	} else if (ct) {
		clean = ct->state == TR_CLEAN;
		full = clean && (ct->flags & TRF_FULL);
	} else {
		clean = true; /* never valid while monitored, or evicted once clean */
	}
	/* Below the cut, links inside the detached subtree may still be cached for other VAs. */
	if (!clean || (c->depth > 0 && !full))
		report(BBM_RULE_FREE_PARENT_NOT_CLEAN, cva, clevel, ct ? ct->old : v, (uint64_t)(uintptr_t)table,
		       c->cut);
	return full;
}

#ifdef BBMPROBE_HOST
/* Host builds check the shortcuts against what they replace: every test then verifies them. */
static void assert_counted_right(const pt_entry_t *table, int i)
{
	unsigned valid = 0;
	for (unsigned e = 0; e < PT_ENTRIES; e++)
		valid += desc_is_valid(table[e]);
	assert(count_epoch[i] != epoch || valid_count[i] == valid);
	for (unsigned t = n_slots; t < BBM_MONITOR_TRACK_MAX; t++)
		assert(track[t].state == TR_UNUSED);
}
#endif

/* Valid children may be cached for VAs a per-VA TLBI did not reach: only a full TLBI clears them. */
static void check_live_children(const pt_entry_t *table, const struct pt_page_meta *m)
{
	int i = page_index(table);
	if (i >= 0 && count_epoch[i] == epoch && valid_count[i] == 0)
		return; /* counted since its allocation: no valid entry, no scan */
	for (unsigned e = 0; e < PT_ENTRIES; e++) {
		pt_entry_t v = *(const volatile pt_entry_t *)&table[e];
		if (desc_is_valid(v)) {
			uint64_t va = m->va_base + (uint64_t)e * pt_level_size(m->level);
			report(BBM_RULE_FREE_CHILD_LIVE, va, m->level, v,
			       (uint64_t)(uintptr_t)table, &table[e]);
			return; /* one line per freed page */
		}
	}
}

/* Out of the sink (noinline): inlined, its 1 KiB pushed the per-event code past one page (boot/hot_data.h). */
HOT_TEXT_MONITOR_ONCE static __attribute__((noinline)) void on_table_free(const pt_entry_t *table)
{
	const struct pt_page_meta *m = meta_of(table);
	if (!m)
		return;
#ifdef BBMPROBE_HOST
	assert_counted_right(table, page_index(table));
#endif

	struct climb c;
	climb_to_cut(table, &c);
	bool full = false;
	if (c.reachable)
		report(BBM_RULE_FREE_REACHABLE, m->va_base, m->level, m->parent ? *m->parent : 0,
		       (uint64_t)(uintptr_t)table, m->parent);
	else if (c.cut)
		full = judge_cut(table, &c);
	if (!c.is_root && !c.parent_freed && !full)
		check_live_children(table, m);
	/*
	 * Cleared children must be clean (their TLBI done), whatever happened
	 * above; then the page's records go (forget_page(), in the same pass).
	 */
	bool reported = false;
	for (unsigned i = 0; i < n_slots; i++) {
		struct tracked *t = &track[i];
		bool in_page = is_entry_record(t) && page_of(t->ptep) == table;
		bool cleared = in_page && !desc_is_valid(*(const volatile pt_entry_t *)t->ptep);
		if (cleared && !reported && t->state != TR_CLEAN) {
			report(BBM_RULE_FREE_CHILD_NOT_CLEAN, t->va, t->level, t->old, (uint64_t)(uintptr_t)table,
			       t->ptep);
			reported = true; /* one line per freed page */
		}
		if (in_page || (t->state == TR_UNLINKED && t->page == table))
			untrack(t);
	}
}

/*
 * One event; inlined into the batch loop so barriers and writes, most of the
 * stream, cost no call. DSBs first and the kinds the monitor ignores next,
 * each one test: they are most of the stream.
 */
static inline __attribute__((always_inline)) void on_one_event(const struct arch_event *ev)
{
	enum arch_event_kind kind = ev->kind;
	unsigned bit = kind_bit(kind);
	stats.events++;
	if (bit & EV_DSB)
		on_dsb(kind != ARCH_EV_DSB_ISHST);
	else if (!(bit & (EV_TLBI | EV_NOT_BARRIER | EV_BIT(ARCH_EV_ASID_SWITCH))))
		return; /* isb, dsb nsh, local TLBIs, accesses: nothing for the monitor */
	else if (bit & EV_TLBI)
		on_tlbi(kind, ev->a, ev->b);
	else if (kind == ARCH_EV_ASID_SWITCH)
		bbm_asid_switch(ev->a);
	else if (kind == ARCH_EV_WRITE)
		on_write((pt_entry_t *)(uintptr_t)ev->a, ev->b, ev->c);
	else if (kind == ARCH_EV_TABLE_ALLOC)
		on_table_alloc((const pt_entry_t *)(uintptr_t)ev->a);
	else
		on_table_free((const pt_entry_t *)(uintptr_t)ev->a);
}

/* The monitor's subscription to the event stream (mmu/arch_event.h): a batch at a time. */
HOT_TEXT_MONITOR static void monitor_sink(void *ctx, const struct arch_event *evs, unsigned n)
{
	(void)ctx;
	for (unsigned i = 0; i < n; i++)
		on_one_event(&evs[i]);
}
