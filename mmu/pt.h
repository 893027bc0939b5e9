/*
 * Address spaces, map/unmap with remap policies, and the correct
 * break-before-make primitives. Mirrors Linux ioremap_page_range() (huge vmap)
 * and vunmap_range(), in the 4.14 and the 2018-fixed flavours.
 *
 * Nothing here prints or calls libc: the boot path runs it with the MMU off.
 */
#ifndef BBMPROBE_MMU_PT_H
#define BBMPROBE_MMU_PT_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/desc.h"
#include "mmu/geometry.h"

enum pt_status {
	PT_OK = 0,
	PT_ERR_NOMEM,         /* out of table pages (nothing was changed) */
	PT_ERR_MISALIGNED,    /* VA or PA not granule-aligned */
	PT_ERR_BAD_SIZE,      /* size zero or not a multiple of the granule */
	PT_ERR_VA_RANGE,      /* VA range outside [0, 2^48) */
	PT_ERR_OVERLAP,       /* an existing mapping is in the way */
	PT_ERR_LIVE_CHANGE,   /* the policy refuses a change pgattr_change_is_safe() rejects */
	PT_ERR_PARTIAL_BLOCK, /* the range cuts through a block */
	PT_ERR_INVALID_ARG,   /* bad attributes, NULL space, entry not in a pool table... */
	PT_ERR_UNAVAILABLE,   /* not available here (AT on the host) */
	PT_STATUS_COUNT
};

const char *pt_strerror(enum pt_status st);

/* What map_range() does when a block goes where an entry already is. */
enum pt_policy {
	/* Linux 4.14 ioremap + pmd_set_huge(): block written over a live table entry, no BBM, table leaked. */
	PT_POLICY_LINUX_4_14,
	/* Linux 4.18+ pmd_free_pte_page()/pud_free_pmd_page(): clear, TLBI all levels, free, then write. */
	PT_POLICY_LINUX_FIXED,
	/* Linux pmd_set_huge() since 2018: refuse what pgattr_change_is_safe() rejects (table->block too). */
	PT_POLICY_REFUSE_LIVE,
	PT_POLICY_COUNT
};
const char *pt_policy_name(enum pt_policy p);

/* TLB maintenance unmap_range() issues per cleared entry. */
enum pt_tlbi_scope {
	PT_TLBI_NONE,       /* unsafe: no maintenance at all */
	PT_TLBI_LEAF,       /* tlbi_leaf_va(): vale1is */
	PT_TLBI_ALL_LEVELS, /* tlbi_all_levels_va(): vaae1is */
	PT_TLBI_ALL,        /* tlbi_all(): vmalle1is */
	PT_TLBI_SCOPE_COUNT
};
const char *pt_tlbi_scope_name(enum pt_tlbi_scope s);

/*
 * An address space: one root table, what one TTBR holds. TTBR0's space
 * translates [0, 2^48), TTBR1's [PT_TTBR1_VA_BASE, 2^64): the same descent,
 * writer and events serve both, and every event names the VA (or, for a
 * write, the pool page's VA base), whose bit 55 says which TTBR (pt_va_ttbr()).
 */
struct pt_space {
	pt_entry_t *root; /* level PT_START_LEVEL table; what TTBR0_EL1 (or TTBR1_EL1) holds */
	int start_level;
	uint64_t va_base;  /* first VA: 0 (TTBR0) or PT_TTBR1_VA_BASE (TTBR1) */
	uint64_t va_limit; /* bytes of VA from va_base: 2^48 */
};

/* Whether [va, va + size) lies in s's VA range (size 0: whether va does). Branch-free: the map hot path asks. */
static inline bool pt_space_holds(const struct pt_space *s, uint64_t va, uint64_t size)
{
	uint64_t off = va - s->va_base;
	return (int)(off < s->va_limit) & (int)(size <= s->va_limit - off);
}

/* Allocate the root table from the pool: a TTBR0 space (lower VA range). */
enum pt_status pt_space_init(struct pt_space *s);
/* The same for a TTBR1 space (upper VA range, kernel-style global mappings). */
enum pt_status pt_space_init_ttbr1(struct pt_space *s);
/*
 * Free every table page of a space that is NOT live (never in TTBR, or the MMU
 * uses another): no maintenance. For host tests and scratch spaces.
 */
void pt_space_teardown(struct pt_space *s);

/*
 * Map [va, va+size) -> [pa, pa+size) with blocks (1G/2M at 4K, 32M at 16K,
 * 512M at 64K) where VA, PA and size allow, else pages of the granule. All-or-nothing: every check (alignment, range, overlap,
 * policy, table pages needed) runs before the first write, so an error leaves
 * the tables untouched. Ends with dsb ishst; isb (Linux set_pte/set_pmd).
 */
enum pt_status map_range(struct pt_space *s, uint64_t va, uint64_t pa, uint64_t size, pt_attrs_t attrs,
			 enum pt_policy policy);
/*
 * Clear the leaf entries in [va, va+size) and issue `scope` maintenance per
 * cleared entry (Linux vunmap_range()/iounmap()). Holes are skipped. Table
 * pages are NOT freed (Linux 4.14 behaviour, the seed's premise).
 * All-or-nothing for PT_ERR_PARTIAL_BLOCK.
 */
enum pt_status unmap_range(struct pt_space *s, uint64_t va, uint64_t size, enum pt_tlbi_scope scope);

/*
 * Correct break-before-make replacement of the entry at ptep (in a pool table
 * of s): write invalid; TLBI covering everything the old entry and its live
 * children translate (tlbi_all_levels_va() for a page, tlbi_all() for a block
 * or table), each with dsb ishst before and dsb ish; isb after; free the old
 * subtree if it was a table; write new_desc; dsb ishst; isb.
 */
enum pt_status pt_replace_bbm(const struct pt_space *s, pt_entry_t *ptep, pt_entry_t new_desc);

/*
 * Split the valid block at ptep (a block level of the granule) into a next-level table with the
 * same OA and attributes. with_bbm: via pt_replace_bbm(); otherwise the table
 * is written straight over the live block (a BBM violation the monitor flags;
 * FEAT_BBM level 2 would be needed to make it legal).
 */
enum pt_status pt_split_block(const struct pt_space *s, pt_entry_t *ptep, bool with_bbm);

/* ---- the one VA descent (mmu/walk.c) ---- */

/*
 * One VA's walk as a table walker does it (Arm ARM D8.2): the entry read at
 * each level, indexed by level, from the start level down to `level`.
 * Above `level` every desc[] is the table descriptor the walk followed. Past
 * `level` entry[] points to a placeholder that holds 0 (desc[] is 0), so a
 * check can read every level without branching on where the walk stopped.
 */
struct pt_path {
	const pt_entry_t *root; /* s->root the walk started from */
	uint64_t va;
	int stop;               /* deepest level asked for */
	int level;              /* where it stopped: a non-table entry, or `stop` */
	bool external;          /* host: the table for `level` is outside the pool; entry[level] is the placeholder */
	pt_entry_t *entry[PT_LAST_LEVEL + 1];
	pt_entry_t desc[PT_LAST_LEVEL + 1];
};

/*
 * Walk s from the root for va down to level `stop` or the first entry that is
 * not a table, whichever comes first, and fill p. Returns p->level, or -1
 * (p untouched) if s has no root, va is outside s's range or stop is not a level.
 * Every "find the entry for VA" in mmu/ goes through here.
 */
int pt_descend(const struct pt_space *s, uint64_t va, int stop, struct pt_path *p);

/* The walk stopped at a table it cannot read (host only: outside the pool); never on the target. */
static inline bool pt_path_external(const struct pt_path *p)
{
#ifdef BBMPROBE_HOST
	return p->external;
#else
	(void)p;
	return false;
#endif
}

/* What entries past a path's stop point to. Always 0: nothing writes it. */
extern pt_entry_t pt_path_placeholder;

/* The walk now ends at `level` (an entry the caller just read or wrote): entries past it are the placeholder. */
static inline void pt_path_set_stop(struct pt_path *p, int level)
{
	p->level = level;
	p->external = false;
	for (int l = level + 1; l <= PT_LAST_LEVEL; l++) {
		p->entry[l] = &pt_path_placeholder;
		p->desc[l] = 0;
	}
}

/*
 * pt_path_refresh() the long way, out of line: re-read the kept entries
 * top-down and descend again from the first one that changed (or from the
 * root if it moved).
 */
int pt_path_revalidate(const struct pt_space *s, struct pt_path *p);

/*
 * What the kept entry at `level` holds now, exclusive-or what the walk read: 0
 * if unchanged. From level 0 whatever the granule: above the start level
 * entry[] is the placeholder (pt_descend()).
 */
static inline uint64_t pt_path_entry_delta(const struct pt_path *p, int level)
{
	return *(const volatile pt_entry_t *)p->entry[level] ^ p->desc[level];
}

/*
 * What changed under a kept path: bit `level` set if the entry there no longer
 * holds what the walk read, bit PT_LAST_LEVEL + 1 if the root moved. One load
 * per level (the placeholder past the stop), unrolled, no branches: on QEMU
 * TCG every branch ends a translation block and costs about as much as a load.
 */
static inline unsigned pt_path_changes(const struct pt_space *s, const struct pt_path *p)
{
	unsigned changed = (unsigned)(s->root != p->root) << (PT_LAST_LEVEL + 1);
#pragma GCC unroll 4
	for (int level = 0; level <= PT_LAST_LEVEL; level++)
		changed |= (unsigned)(pt_path_entry_delta(p, level) != 0) << level;
	return changed;
}

/*
 * Nonzero if anything the walk read differs now: the root, or the entry at any
 * level. pt_path_changes() without saying where: one exclusive-or per level
 * and no compare, for the prepared calls' fast test.
 */
static inline uint64_t pt_path_diff(const struct pt_space *s, const struct pt_path *p)
{
	uint64_t diff = (uint64_t)(uintptr_t)s->root ^ (uint64_t)(uintptr_t)p->root;
#pragma GCC unroll 4
	for (int level = 0; level <= PT_LAST_LEVEL; level++)
		diff |= pt_path_entry_delta(p, level);
	return diff;
}

/*
 * Bring p up to date given pt_path_changes(). A kept entry pointer is still
 * va's entry if every entry above it still holds the table descriptor the
 * walk followed, because a walk is a function of those values. So only the
 * first change matters: if it is not a table (a table was freed, or replaced
 * by a block) the walk now stops there; a new table, or a new root, is walked
 * again out of line. Returns p->level (-1 as pt_descend()).
 */
static inline int pt_path_update(const struct pt_space *s, struct pt_path *p, unsigned changed)
{
	/* Every entry above the first change is unchanged, so entry[first] is right. A moved root alone
	 * reads level 3's entry, harmlessly: the walk is redone. One branch for the common case. */
	int first = __builtin_ctz(changed | 1u << PT_LAST_LEVEL);
	pt_entry_t now = *(const volatile pt_entry_t *)p->entry[first]; /* pt_read_desc() */
	bool walk_again = (changed >> (PT_LAST_LEVEL + 1)) | ((first < p->stop) & (desc_type(now, first) == DESC_TABLE));
	if ((changed == 0) | walk_again)
		return changed ? pt_path_revalidate(s, p) : p->level; /* a new root, or a new table to walk into */
	p->desc[first] = now;
	pt_path_set_stop(p, first);
	return first;
}

/* Bring a kept path up to date (pt_path_changes(), then pt_path_update()). */
static inline int pt_path_refresh(const struct pt_space *s, struct pt_path *p)
{
	if (!s)
		return -1;
	return pt_path_update(s, p, pt_path_changes(s, p));
}

/* The entry at `level` on va's walk (a table or leaf there), or NULL if the walk ends above it. */
pt_entry_t *pt_entry_at(const struct pt_space *s, uint64_t va, int level);

/* Find the entry for va: the leaf, or the invalid entry where the walk stops. NULL if va out of range. */
pt_entry_t *pt_find_entry(const struct pt_space *s, uint64_t va, int *level);

/* Mirrors of Linux arch/arm64/mm/mmu.c (2018): free the table under a PMD / PUD entry. */
void pt_linux_pmd_free_pte_page(pt_entry_t *pmdp, uint64_t addr);
void pt_linux_pud_free_pmd_page(pt_entry_t *pudp, uint64_t addr);

/*
 * What map_range() does where a leaf goes over `old` at `level` under `policy`
 * (Linux ioremap_pmd_range() -> pmd_set_huge()): PT_OK to write it (after
 * freeing the old table first when *free_old: linux-fixed), or the refusal.
 */
static inline enum pt_status pt_leaf_decision(pt_entry_t old, pt_entry_t leaf, int level, enum pt_policy policy,
					      bool *free_old)
{
	enum desc_type t = desc_type(old, level);
	/* The seed's case: a PMD/PUD still points to a table left by an earlier small mapping.
	 * 4.14 pmd_set_huge() overwrites it (the table leaks); linux-fixed frees it first;
	 * refuse-live: pmd_set_huge()'s pgattr_change_is_safe() says no. */
	uint32_t on_table = (uint32_t)(policy == PT_POLICY_REFUSE_LIVE) * PT_ERR_LIVE_CHANGE;
	/* A block: 4.14 overwrote anything; since 2018 only a permitted live change (below). */
	uint32_t on_block = (uint32_t)(policy != PT_POLICY_LINUX_4_14) * PT_ERR_LIVE_CHANGE;
	_Static_assert(PT_OK == 0, "a status of 0 lets a product stand for a select");
	*free_old = (t == DESC_TABLE) & (policy == PT_POLICY_LINUX_FIXED);
	/* A page or a reserved encoding: ioremap_pte_range()'s BUG_ON(!pte_none(*pte)). One 4-bit status per
	 * enum desc_type, picked by a shift, not a switch, and the policy's by products, not selects: on the
	 * bench's timed path, where GCC's selects became branches (see desc_type()). */
	_Static_assert(PT_STATUS_COUNT <= 16 && DESC_RESERVED == 4, "a status per type fits a nibble");
	uint32_t by_type = (uint32_t)PT_OK << (4 * DESC_INVALID) | on_table << (4 * DESC_TABLE) |
			   on_block << (4 * DESC_BLOCK) | (uint32_t)PT_ERR_OVERLAP << (4 * DESC_PAGE) |
			   (uint32_t)PT_ERR_OVERLAP << (4 * DESC_RESERVED);
	enum pt_status st = (enum pt_status)((by_type >> (4 * (unsigned)t)) & 0xfu);
	/* Asked only of a live block: the seed cycle's writes go over empty entries and tables. */
	if (__builtin_expect(st == PT_ERR_LIVE_CHANGE && t == DESC_BLOCK, 0) && pgattr_change_is_safe(old, leaf))
		st = PT_OK;
	return st;
}

/* linux-fixed before a block goes where a table is: pud_free_pmd_page() at L1, pmd_free_pte_page() at L2. */
static inline void pt_free_table_for_block(pt_entry_t *ptep, int level, uint64_t va)
{
	if (level == 1)
		pt_linux_pud_free_pmd_page(ptep, va);
	else
		pt_linux_pmd_free_pte_page(ptep, va);
}

/* TLB maintenance of one scope for va (the helpers in mmu/tlb.h). */
void pt_tlbi_scope_va(enum pt_tlbi_scope scope, uint64_t va);

#endif
