/*
 * Prepared VA: map and unmap one leaf at one VA without walking from the root
 * each time. Linux ioremap_pte_range() keeps the pte pointer across a range;
 * this keeps the whole path across calls and revalidates it per call with
 * pt_path_refresh() (one load per level when nothing changed).
 *
 * pt_va_map()/pt_va_unmap() do exactly what map_range()/unmap_range() do for
 * the same arguments: the same checks and status, and the same descriptor
 * writes, barriers, TLBIs and pool operations in the same order, so the
 * tables, the pool counters and the BBM monitor's verdicts are the same
 * (host/test_mmu_prepared.c compares them). A size that is not one aligned
 * leaf at the VA goes to map_range()/unmap_range() as it is.
 *
 * The common cases are inline, the rest is pt_va_map_full()/pt_va_unmap_full()
 * in map.c: under QEMU TCG a call and its return cost as much as the checks
 * and the revalidation together (docs/scenarios.md, "Benchmark").
 */
#ifndef BBMPROBE_MMU_PT_VA_H
#define BBMPROBE_MMU_PT_VA_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/geometry.h"
#include "mmu/pool.h"
#include "mmu/pool_alloc.h"
#include "mmu/pt.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"

/* Forced: left to itself GCC keeps these out of line, which is the call this header exists to avoid. */
#define PT_VA_INLINE static inline __attribute__((always_inline))

struct pt_va {
	struct pt_space *s; /* a space without a root until pt_va_prepare() succeeds */
	struct pt_path path;
};

/* Walk s once for va (granule-aligned, in s's range) and keep the path in h. */
enum pt_status pt_va_prepare(struct pt_va *h, struct pt_space *s, uint64_t va);
/* pt_entry_at(h->s, va, level), from the kept path once revalidated. */
pt_entry_t *pt_va_entry(struct pt_va *h, int level);
/* Everything pt_va_map()/pt_va_unmap() do, out of line: what the inline paths hand over. */
enum pt_status pt_va_map_full(struct pt_va *h, uint64_t pa, uint64_t size, pt_attrs_t attrs, enum pt_policy policy);
enum pt_status pt_va_unmap_full(struct pt_va *h, uint64_t size, enum pt_tlbi_scope scope);

/* The leaf level of a size (a page or a block of the granule in force), or -1. A lookup, not a loop over levels. */
PT_VA_INLINE int pt_leaf_level_of_size(uint64_t size)
{
	unsigned sh = 63u - (unsigned)__builtin_clzll(size | 1);
	int level = pt_geom.leaf_level_plus1[sh] - 1;
	return (size & (size - 1)) == 0 ? level : -1; /* a power of two (0 looks up -1) */
}

/* The level of the one leaf [va, va+size) is (a page, or a block with VA and PA aligned to its size), or -1. */
PT_VA_INLINE int pt_single_leaf_level(uint64_t va, uint64_t pa, uint64_t size)
{
	int level = pt_leaf_level_of_size(size);
	return level >= 0 && pt_is_aligned(va, size) && pt_is_aligned(pa, size) ? level : -1;
}

/*
 * Nonzero unless every check map_range() makes passes, for one aligned leaf at
 * `level` (from pt_leaf_level_of_size()). Or-ed into one word rather than
 * tested one by one because TCG ends a translation block at every branch. Two
 * of map_range()'s checks are implied here: a root (the caller's
 * pt_path_diff() is zero only if the space's root is the one the walk
 * started from, never 0), and pa <= PTE_ADDR_MASK (with pa aligned to size,
 * pa | (size - 1) is the leaf's last byte, which its OA check bounds).
 */
PT_VA_INLINE uint64_t pt_va_map_args_bad(const struct pt_space *s, uint64_t va, uint64_t pa, uint64_t size,
					 pt_attrs_t attrs, enum pt_policy policy, int level)
{
	return (uint64_t)(level < 0) | ((va | pa) & (size - 1)) | (uint64_t)!pt_space_holds(s, va, size) |
	       (uint64_t)((pa | (size - 1)) > PTE_ADDR_MASK) | (attrs & (~PTE_ATTR_MASK | PTE_CONT)) |
	       (uint64_t)((unsigned)policy >= PT_POLICY_COUNT);
}

/* The same for unmap_range(). */
PT_VA_INLINE uint64_t pt_va_unmap_args_bad(const struct pt_space *s, uint64_t va, uint64_t size,
					   enum pt_tlbi_scope scope, int level)
{
	return (uint64_t)(level < 0) | (va & (size - 1)) | (uint64_t)!pt_space_holds(s, va, size) |
	       (uint64_t)((unsigned)scope >= PT_TLBI_SCOPE_COUNT);
}

/*
 * desc_leaf(level, pa, attrs) for arguments that passed pt_va_map_args_bad():
 * pa is aligned to the leaf and inside the OA, attrs holds attribute bits only,
 * so nothing is left to mask, and the type is picked without a branch.
 */
PT_VA_INLINE pt_entry_t pt_va_leaf_desc(int level, uint64_t pa, pt_attrs_t attrs)
{
	_Static_assert(PTE_TYPE_PAGE == (PTE_TYPE_BLOCK | 2), "a page is a block's encoding with bit 1 set");
	return pa | attrs | PTE_TYPE_BLOCK | ((uint64_t)(level == PT_LAST_LEVEL) << 1);
}

/* TLB maintenance of one scope for va (pt_tlbi_scope_va(), inline). */
PT_VA_INLINE void pt_tlbi_scope_inline(enum pt_tlbi_scope scope, uint64_t va)
{
	switch (scope) {
	case PT_TLBI_LEAF:
		tlbi_leaf_va(va);
		break;
	case PT_TLBI_ALL_LEVELS:
		tlbi_all_levels_va(va);
		break;
	case PT_TLBI_ALL:
		tlbi_all();
		break;
	case PT_TLBI_NONE:
	case PT_TLBI_SCOPE_COUNT:
		break;
	}
}

/* A zeroed table for level + 1 under ptep, linked (Linux __pte_alloc_kernel() + pmd_populate_kernel()). */
PT_VA_INLINE pt_entry_t *pt_link_new_table(struct pt_space *s, pt_entry_t *ptep, int level, uint64_t va)
{
	pt_entry_t *child = pt_pool_alloc_inline(s, level + 1, va & ~(pt_level_size(level) - 1), ptep);
	if (!child)
		return 0;
	/* Zeroed table visible before it is linked (Linux: smp_wmb() in __pte_alloc_kernel()). */
	dsb_ishst();
	pt_write_desc(ptep, desc_table((uint64_t)(uintptr_t)child));
	return child;
}

/* pt_link_new_table() at the path's stop, `level`; the path goes on into the new (empty) table. */
PT_VA_INLINE bool pt_va_link_table(struct pt_space *s, struct pt_path *p, int level)
{
	pt_entry_t *child = pt_link_new_table(s, p->entry[level], level, p->va);
	if (!child)
		return false;
	p->desc[level] = desc_table((uint64_t)(uintptr_t)child);
	p->entry[level + 1] = &child[pt_va_index(p->va, level + 1)];
	p->desc[level + 1] = 0;
	p->level = level + 1;
	return true;
}

/* The leaf at p->entry[level] as map_range() places it (pt_leaf_decision()), then dsb ishst; isb. */
PT_VA_INLINE enum pt_status pt_va_place_leaf(struct pt_path *p, int level, pt_entry_t leaf, enum pt_policy policy)
{
	bool free_old;
	enum pt_status st = pt_leaf_decision(p->desc[level], leaf, level, policy, &free_old);
	if (st != PT_OK)
		return st; /* nothing was written */
	if (free_old)
		pt_free_table_for_block(p->entry[level], level, p->va);
	pt_write_desc(p->entry[level], leaf);
	p->desc[level] = leaf;
	pt_path_set_stop(p, level);
	dsb_ishst(); /* Linux set_pte()/set_pmd() on kernel mappings */
	isb();
	return PT_OK;
}

/*
 * Whether the inline path may go on for arguments whose checks gave `bad`: the
 * kept path brought up to date (right whatever the arguments: it only follows
 * the tables) and usable. One branch when the arguments pass and nothing moved
 * under the path; one more when something did.
 */
PT_VA_INLINE bool pt_va_path_ready(struct pt_space *s, struct pt_path *p, uint64_t bad)
{
	if (bad | pt_path_diff(s, p) | pt_path_external(p)) {
		int now = pt_path_refresh(s, p);
		if ((bad != 0) | (now < 0) | pt_path_external(p))
			return false;
	}
	return true;
}

/* map_range(h->s, va, pa, size, attrs, policy) for the prepared va. */
PT_VA_INLINE enum pt_status pt_va_map(struct pt_va *h, uint64_t pa, uint64_t size, pt_attrs_t attrs,
				      enum pt_policy policy)
{
	if (!h)
		return PT_ERR_INVALID_ARG;
	struct pt_space *s = h->s;
	struct pt_path *p = &h->path;
	int level = pt_leaf_level_of_size(size);
	if (!pt_va_path_ready(s, p, pt_va_map_args_bad(s, p->va, pa, size, attrs, policy, level)))
		return pt_va_map_full(h, pa, size, attrs, policy);
	int top = p->level;
	if (top < level) { /* inline only if the slot is one new table away */
		if ((top != level - 1) | desc_is_valid(p->desc[top]))
			return pt_va_map_full(h, pa, size, attrs, policy);
		if (!pt_va_link_table(s, p, top))
			return PT_ERR_NOMEM; /* before any write, counted by the pool as map_range()'s check would */
	}
	return pt_va_place_leaf(p, level, pt_va_leaf_desc(level, pa, attrs), policy);
}

/* unmap_range(h->s, va, size, scope) for the prepared va. */
PT_VA_INLINE enum pt_status pt_va_unmap(struct pt_va *h, uint64_t size, enum pt_tlbi_scope scope)
{
	if (!h)
		return PT_ERR_INVALID_ARG;
	struct pt_space *s = h->s;
	struct pt_path *p = &h->path;
	int level = pt_leaf_level_of_size(size);
	if (!pt_va_path_ready(s, p, pt_va_unmap_args_bad(s, p->va, size, scope, level)))
		return pt_va_unmap_full(h, size, scope);
	/* Inline only if a leaf of that size is there: holes, tables and blocks to cut go out of line. */
	if ((p->level != level) | !desc_is_leaf(p->desc[level], level))
		return pt_va_unmap_full(h, size, scope);
	pt_write_desc(p->entry[level], 0); /* pte_clear() / pmd_clear_huge() */
	pt_tlbi_scope_inline(scope, p->va);
	p->desc[level] = 0;
	return PT_OK;
}

#endif
