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
	PT_ERR_MISALIGNED,    /* VA or PA not 4K-aligned */
	PT_ERR_BAD_SIZE,      /* size zero or not a multiple of 4K */
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

struct pt_space {
	pt_entry_t *root; /* level PT_START_LEVEL table; what TTBR0_EL1 holds */
	int start_level;
	uint64_t va_limit;
};

/* Allocate the root table from the pool. */
enum pt_status pt_space_init(struct pt_space *s);
/*
 * Free every table page of a space that is NOT live (never in TTBR, or the MMU
 * uses another): no maintenance. For host tests and scratch spaces.
 */
void pt_space_teardown(struct pt_space *s);

/*
 * Map [va, va+size) -> [pa, pa+size) with 1G/2M blocks where VA, PA and size
 * allow, else 4K pages. All-or-nothing: every check (alignment, range, overlap,
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
 * Split the valid block at ptep (L1 or L2) into a next-level table with the
 * same OA and attributes. with_bbm: via pt_replace_bbm(); otherwise the table
 * is written straight over the live block (a BBM violation the monitor flags;
 * FEAT_BBM level 2 would be needed to make it legal).
 */
enum pt_status pt_split_block(const struct pt_space *s, pt_entry_t *ptep, bool with_bbm);

/* ---- the one VA descent (mmu/walk.c) ---- */

/*
 * One VA's walk as a table walker does it (Arm ARM D8.2): the entry read at
 * each level, indexed by level, from the start level down to `level`.
 * Above `level` every desc[] is the table descriptor the walk followed.
 */
struct pt_path {
	const pt_entry_t *root; /* s->root the walk started from */
	uint64_t va;
	int stop;               /* deepest level asked for */
	int level;              /* where it stopped: a non-table entry, or `stop` */
	bool external;          /* host: the table for `level` is outside the pool; entry[level] is NULL */
	pt_entry_t *entry[PT_LAST_LEVEL + 1];
	pt_entry_t desc[PT_LAST_LEVEL + 1];
};

/*
 * Walk s from the root for va down to level `stop` or the first entry that is
 * not a table, whichever comes first, and fill p. Returns p->level, or -1
 * (p untouched) if s has no root, va >= s->va_limit or stop is not a level.
 * Every "find the entry for VA" in mmu/ goes through here.
 */
int pt_descend(const struct pt_space *s, uint64_t va, int stop, struct pt_path *p);

/* Continue p's walk at `level`, whose entry p->entry[level] now holds d (pt_path_refresh()'s slow path). */
int pt_path_redescend(struct pt_path *p, int level, pt_entry_t d);

/*
 * Bring a kept path up to date. A kept entry pointer is still va's entry if
 * every entry above it still holds the table descriptor the walk followed,
 * because a walk is a function of those values; so re-read the kept entries
 * top-down and descend again only from the first one that changed. One load
 * per level when nothing changed, and inline: on QEMU TCG a call costs more.
 * Returns p->level (-1 as pt_descend()).
 */
static inline int pt_path_refresh(const struct pt_space *s, struct pt_path *p)
{
	if (!s || s->root != p->root)
		return pt_descend(s, p->va, p->stop, p);
	/* An external stop has no entry to re-read at p->level; the ones above still decide. */
	int last = p->external ? p->level - 1 : p->level;
	for (int level = s->start_level; level <= last; level++) {
		pt_entry_t d = *(const volatile pt_entry_t *)p->entry[level]; /* pt_read_desc() */
		if (d != p->desc[level])
			return pt_path_redescend(p, level, d); /* everything above is unchanged: entry[level] is right */
	}
	return p->level;
}

/* The entry at `level` on va's walk (a table or leaf there), or NULL if the walk ends above it. */
pt_entry_t *pt_entry_at(const struct pt_space *s, uint64_t va, int level);

/* Find the entry for va: the leaf, or the invalid entry where the walk stops. NULL if va out of range. */
pt_entry_t *pt_find_entry(const struct pt_space *s, uint64_t va, int *level);

/* ---- prepared VA: map/unmap one leaf at one VA without walking again ---- */

/*
 * A VA whose walk is kept across calls, as Linux ioremap_pte_range() keeps the
 * pte pointer across a range. Each call revalidates the kept path
 * (pt_path_refresh(): one load per level when nothing changed) and then does
 * exactly what map_range()/unmap_range() would do for the same arguments: the
 * same checks and status, and the same descriptor writes, barriers, TLBIs and
 * pool operations in the same order, so the tables, the pool counters and the
 * BBM monitor's verdicts are the same. A size that is not one aligned leaf at
 * the VA goes to map_range()/unmap_range() as it is.
 */
struct pt_va {
	struct pt_space *s;
	struct pt_path path;
};

/* Walk s once for va (4K-aligned, below s->va_limit) and keep the path in h. */
enum pt_status pt_va_prepare(struct pt_va *h, struct pt_space *s, uint64_t va);
/* map_range(h->s, va, pa, size, attrs, policy) for the prepared va. */
enum pt_status pt_va_map(struct pt_va *h, uint64_t pa, uint64_t size, pt_attrs_t attrs, enum pt_policy policy);
/* unmap_range(h->s, va, size, scope) for the prepared va. */
enum pt_status pt_va_unmap(struct pt_va *h, uint64_t size, enum pt_tlbi_scope scope);
/* pt_entry_at(h->s, va, level), from the kept path once revalidated. */
pt_entry_t *pt_va_entry(struct pt_va *h, int level);

/* Mirrors of Linux arch/arm64/mm/mmu.c (2018): free the table under a PMD / PUD entry. */
void pt_linux_pmd_free_pte_page(pt_entry_t *pmdp, uint64_t addr);
void pt_linux_pud_free_pmd_page(pt_entry_t *pudp, uint64_t addr);

/* TLB maintenance of one scope for va (the helpers in mmu/tlb.h). */
void pt_tlbi_scope_va(enum pt_tlbi_scope scope, uint64_t va);

#endif
