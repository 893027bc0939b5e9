/*
 * The pool's allocation, inline: what the prepared map path (mmu/pt_va.h)
 * calls for a new table, so that the seed cycle has no call and return there
 * (on QEMU TCG a return is a lookup of the next translation block, and a
 * lookup can collide with another in QEMU's jump cache: docs/scenarios.md,
 * "Benchmark"). The pool's state is here for that reason only: nothing but
 * mmu/pool.c and this header reads or writes it.
 */
#ifndef BBMPROBE_MMU_POOL_ALLOC_H
#define BBMPROBE_MMU_POOL_ALLOC_H

#include <stdint.h>

#include "mmu/arch_event.h"
#include "mmu/geometry.h"
#include "mmu/pool.h"

/* PT_POOL_PAGES x 4 KiB, aligned for the largest granule; a table page is one granule of it. */
extern pt_entry_t pt_pool_store[];
/* One more than the pages: the last entry is always free, so the lowest-free search needs no bound test. */
extern struct pt_page_meta pt_pool_metas[];
extern struct pt_pool_stats pt_pool_counts;
/* Capacity minus the limit: zero in BSS, so the pool works before any reset; no flag to test. */
extern unsigned pt_pool_limit_gap;
/* Every page below it is live: alloc starts its lowest-free-first search there. */
extern unsigned pt_pool_first_free;

_Static_assert(PT_POOL_PAGES > 0, "PT_POOL_PAGES must be positive");

#define PT_POOL_INLINE static inline __attribute__((always_inline))

/* Table pages at the granule in force (mmu/geometry.h): PT_POOL_PAGES at 4K, a quarter at 16K, a sixteenth at 64K. */
PT_POOL_INLINE unsigned pt_pool_capacity_inline(void)
{
	return (unsigned)PT_POOL_PAGES >> (PT_GRANULE_SHIFT - PT_GRANULE_4K);
}

PT_POOL_INLINE unsigned pt_pool_limit(void)
{
	return pt_pool_capacity_inline() - pt_pool_limit_gap;
}

PT_POOL_INLINE pt_entry_t *pt_pool_page_at(unsigned i)
{
	return &pt_pool_store[(uint64_t)i << (PT_GRANULE_SHIFT - PT_ENTRY_SHIFT)];
}

/* Page i (free, below the capacity and the limit) zeroed and accounted as a live table. */
PT_POOL_INLINE pt_entry_t *pt_pool_take(unsigned i, const void *owner, int level, uint64_t va_base,
					pt_entry_t *parent)
{
	pt_pool_first_free = i + 1;
	pt_entry_t *page = pt_pool_page_at(i);
	volatile pt_entry_t *p = page;
	unsigned entries = PT_ENTRIES;
	if (entries == 0)
		__builtin_unreachable(); /* a table has entries: no test before the loop */
	/* The bench baseline's loop, which GCC makes one post-indexed store, a compare and a branch. */
	for (unsigned j = 0; j < entries; j++)
		p[j] = 0; /* a table that is not linked yet: plain zeroing, not a descriptor write */
	pt_pool_metas[i].state = PT_PAGE_LIVE;
	pt_pool_metas[i].level = level;
	pt_pool_metas[i].va_base = va_base;
	pt_pool_metas[i].parent = parent;
	pt_pool_metas[i].owner = owner;
	pt_pool_counts.allocated++;
	pt_pool_counts.live++;
	pt_pool_counts.high_water =
		pt_pool_counts.live > pt_pool_counts.high_water ? pt_pool_counts.live : pt_pool_counts.high_water;
	arch_event_emit(ARCH_EV_TABLE_ALLOC, (uint64_t)(uintptr_t)page, (uint64_t)level, va_base);
	return page;
}

/*
 * pt_pool_alloc(), its common case inline: the lowest free page is where the
 * last alloc or free left it and the limit allows. Then i < capacity, since
 * every page below pt_pool_first_free is live and live < limit <= capacity.
 * Otherwise the out-of-line pt_pool_alloc() searches, or fails.
 */
PT_POOL_INLINE pt_entry_t *pt_pool_alloc_inline(const void *owner, int level, uint64_t va_base, pt_entry_t *parent)
{
	unsigned i = pt_pool_first_free, limit = pt_pool_limit();
	if ((pt_pool_metas[i].state != PT_PAGE_FREE) | (pt_pool_counts.live >= limit))
		return pt_pool_alloc(owner, level, va_base, parent);
	return pt_pool_take(i, owner, level, va_base, parent);
}

#endif
