/*
 * Fixed pool of table pages. Safe to run with the MMU off: no libc calls, no
 * unaligned accesses, zeroing by 64-bit volatile stores (so the compiler
 * cannot turn the loop into a memset call).
 */
#include "mmu/pool.h"
#include "mmu/pool_alloc.h"
#include "boot/hot_data.h"

#include "boot/assert.h"
#include "mmu/arch_event.h"
#include "mmu/geometry.h"

#ifdef BBMPROBE_HOST
#include <assert.h>
#endif

/*
 * PT_POOL_PAGES x 4 KiB of storage, aligned for the largest granule; a table page is one granule of
 * it, so the pool holds PT_POOL_PAGES pages at 4K, a quarter at 16K, a sixteenth at 64K.
 */
#define POOL_WORDS ((unsigned)PT_POOL_PAGES * 512u)
pt_entry_t pt_pool_store[POOL_WORDS] __attribute__((aligned(PT_GRANULE_MAX_SIZE)));
struct pt_page_meta pt_pool_metas[PT_POOL_PAGES + 1];
HOT_DATA struct pt_pool_stats pt_pool_counts;
HOT_DATA unsigned pt_pool_limit_gap;
HOT_DATA unsigned pt_pool_first_free;

unsigned pt_pool_capacity(void)
{
	return pt_pool_capacity_inline();
}

void pt_pool_reset(void)
{
#ifdef BBMPROBE_HOST
	/* Host pointers double as PAs: they must fit the 48-bit OA field. */
	assert((uintptr_t)&pt_pool_store[POOL_WORDS - 1] < (1ull << 47));
#endif
	for (unsigned i = 0; i < PT_POOL_PAGES; i++) {
		pt_pool_metas[i].state = PT_PAGE_FREE;
		pt_pool_metas[i].level = -1;
		pt_pool_metas[i].va_base = 0;
		pt_pool_metas[i].parent = 0;
		pt_pool_metas[i].owner = 0;
	}
	pt_pool_counts.allocated = 0;
	pt_pool_counts.freed = 0;
	pt_pool_counts.live = 0;
	pt_pool_counts.high_water = 0;
	pt_pool_counts.failed = 0;
	pt_pool_counts.bad_frees = 0;
	pt_pool_counts.capacity = pt_pool_capacity();
	pt_pool_counts.limit = pt_pool_capacity();
	pt_pool_limit_gap = 0;
	pt_pool_first_free = 0;
}

void pt_pool_set_limit(unsigned n)
{
	pt_pool_counts.limit = n > pt_pool_capacity() ? pt_pool_capacity() : n;
	pt_pool_limit_gap = pt_pool_capacity() - pt_pool_counts.limit;
}

unsigned pt_pool_available(void)
{
	unsigned lim = pt_pool_limit();
	return pt_pool_counts.live >= lim ? 0 : lim - pt_pool_counts.live;
}

bool pt_pool_check_available(unsigned n)
{
	if (pt_pool_available() >= n)
		return true;
	pt_pool_counts.failed++;
	return false;
}

int pt_pool_index(const void *addr)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)&pt_pool_store[0];
	if (a < base || a - base >= ((uint64_t)pt_pool_capacity() << PT_GRANULE_SHIFT))
		return -1;
	return (int)((a - base) >> PT_GRANULE_SHIFT);
}

bool pt_pool_contains(const void *addr)
{
	return pt_pool_index(addr) >= 0;
}

pt_entry_t *pt_pool_page(unsigned index)
{
	return index < pt_pool_capacity() ? pt_pool_page_at(index) : 0;
}

const struct pt_page_meta *pt_pool_meta(const void *addr)
{
	int i = pt_pool_index(addr);
	return i < 0 ? 0 : &pt_pool_metas[i];
}

/*
 * Alloc and free sit on the bench's timed path: their checks are combined so
 * that the common case takes one branch (QEMU TCG ends a translation block at
 * every branch, docs/scenarios.md). The common case of alloc is
 * pt_pool_alloc_inline() (mmu/pool_alloc.h); this is the whole of it.
 */
HOT_TEXT pt_entry_t *pt_pool_alloc(const void *owner, int level, uint64_t va_base, pt_entry_t *parent)
{
	/* Lowest free page first: freed pages come back soon, which is what reuse bugs need. */
	unsigned i = pt_pool_first_free;
	while (pt_pool_metas[i].state != PT_PAGE_FREE) /* stops at the sentinel past the last page */
		i++;
	unsigned limit = pt_pool_limit(), capacity = pt_pool_capacity_inline();
	if ((pt_pool_counts.live >= limit) | (i >= capacity)) {
		ASSERT(pt_pool_counts.live >= limit && "a free page exists whenever live < capacity");
		pt_pool_counts.failed++;
		return 0;
	}
	return pt_pool_take(i, owner, level, va_base, parent);
}

HOT_TEXT bool pt_pool_free(pt_entry_t *table)
{
	uintptr_t off = (uintptr_t)table - (uintptr_t)&pt_pool_store[0];
	bool page = (off < ((uint64_t)pt_pool_capacity() << PT_GRANULE_SHIFT)) & ((off & (PT_GRANULE_SIZE - 1)) == 0);
	unsigned i = page ? (unsigned)(off >> PT_GRANULE_SHIFT) : 0;
	if (!page | (pt_pool_metas[i].state != PT_PAGE_LIVE)) {
		pt_pool_counts.bad_frees++; /* not a pool page, or not live */
		return false;
	}
	/* Sinks (the monitor) judge the free while the metadata still describes the page. */
	arch_event_emit(ARCH_EV_TABLE_FREE, (uint64_t)(uintptr_t)table, (uint64_t)pt_pool_metas[i].level,
			pt_pool_metas[i].va_base);
	pt_pool_metas[i].state = PT_PAGE_FREE;
	pt_pool_first_free = i < pt_pool_first_free ? i : pt_pool_first_free;
	pt_pool_counts.freed++;
	pt_pool_counts.live--;
	return true;
}

void pt_pool_set_parent(pt_entry_t *table, pt_entry_t *parent)
{
	int i = pt_pool_index(table);
	if (i >= 0)
		pt_pool_metas[i].parent = parent;
}

void pt_pool_get_stats(struct pt_pool_stats *out)
{
	/* Field by field: a struct copy may become a memcpy call, and pool.o stays libc-free. */
	out->allocated = pt_pool_counts.allocated;
	out->freed = pt_pool_counts.freed;
	out->live = pt_pool_counts.live;
	out->high_water = pt_pool_counts.high_water;
	out->failed = pt_pool_counts.failed;
	out->bad_frees = pt_pool_counts.bad_frees;
	out->limit = pt_pool_limit();
	out->capacity = pt_pool_capacity();
}

void pt_pool_storage(uintptr_t *base, uint64_t *size)
{
	*base = (uintptr_t)&pt_pool_store[0];
	*size = (uint64_t)pt_pool_capacity() << PT_GRANULE_SHIFT;
}
