/*
 * Fixed pool of table pages. Safe to run with the MMU off: no libc calls, no
 * unaligned accesses, zeroing by 64-bit volatile stores (so the compiler
 * cannot turn the loop into a memset call).
 */
#include "mmu/pool.h"
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
static pt_entry_t pool_store[POOL_WORDS] __attribute__((aligned(PT_GRANULE_MAX_SIZE)));
/* One more than the pages: the last entry is always free, so the lowest-free search needs no bound test. */
static struct pt_page_meta pool_meta[PT_POOL_PAGES + 1];
HOT_DATA static struct pt_pool_stats pool_stats;
/* Capacity minus the limit: zero in BSS, so the pool works before any reset; no flag to test. */
HOT_DATA static unsigned limit_gap;
/* Every page below it is live: alloc starts its lowest-free-first search there. */
HOT_DATA static unsigned first_free;

_Static_assert(PT_POOL_PAGES > 0, "PT_POOL_PAGES must be positive");

/* Table pages at the granule in force (mmu/geometry.h). */
unsigned pt_pool_capacity(void)
{
	return (unsigned)PT_POOL_PAGES >> (PT_GRANULE_SHIFT - PT_GRANULE_4K);
}

static pt_entry_t *pool_page_at(unsigned i)
{
	return &pool_store[(uint64_t)i << (PT_GRANULE_SHIFT - PT_ENTRY_SHIFT)];
}

static unsigned pool_limit(void)
{
	return pt_pool_capacity() - limit_gap;
}

void pt_pool_reset(void)
{
#ifdef BBMPROBE_HOST
	/* Host pointers double as PAs: they must fit the 48-bit OA field. */
	assert((uintptr_t)&pool_store[POOL_WORDS - 1] < (1ull << 47));
#endif
	for (unsigned i = 0; i < PT_POOL_PAGES; i++) {
		pool_meta[i].state = PT_PAGE_FREE;
		pool_meta[i].level = -1;
		pool_meta[i].va_base = 0;
		pool_meta[i].parent = 0;
		pool_meta[i].owner = 0;
	}
	pool_stats.allocated = 0;
	pool_stats.freed = 0;
	pool_stats.live = 0;
	pool_stats.high_water = 0;
	pool_stats.failed = 0;
	pool_stats.bad_frees = 0;
	pool_stats.capacity = pt_pool_capacity();
	pool_stats.limit = pt_pool_capacity();
	limit_gap = 0;
	first_free = 0;
}

void pt_pool_set_limit(unsigned n)
{
	pool_stats.limit = n > pt_pool_capacity() ? pt_pool_capacity() : n;
	limit_gap = pt_pool_capacity() - pool_stats.limit;
}

unsigned pt_pool_available(void)
{
	unsigned lim = pool_limit();
	return pool_stats.live >= lim ? 0 : lim - pool_stats.live;
}

bool pt_pool_check_available(unsigned n)
{
	if (pt_pool_available() >= n)
		return true;
	pool_stats.failed++;
	return false;
}

int pt_pool_index(const void *addr)
{
	uintptr_t a = (uintptr_t)addr, base = (uintptr_t)&pool_store[0];
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
	return index < pt_pool_capacity() ? pool_page_at(index) : 0;
}

const struct pt_page_meta *pt_pool_meta(const void *addr)
{
	int i = pt_pool_index(addr);
	return i < 0 ? 0 : &pool_meta[i];
}

/*
 * Alloc and free sit on the bench's timed path: their checks are combined so
 * that the common case takes one branch (QEMU TCG ends a translation block at
 * every branch, docs/scenarios.md).
 */
HOT_TEXT pt_entry_t *pt_pool_alloc(const void *owner, int level, uint64_t va_base, pt_entry_t *parent)
{
	/* Lowest free page first: freed pages come back soon, which is what reuse bugs need. */
	unsigned i = first_free;
	while (pool_meta[i].state != PT_PAGE_FREE) /* stops at the sentinel past the last page */
		i++;
	unsigned capacity = pt_pool_capacity();
	if ((pool_stats.live >= pool_limit()) | (i >= capacity)) {
		ASSERT(pool_stats.live >= pool_limit() && "a free page exists whenever live < capacity");
		pool_stats.failed++;
		return 0;
	}
	first_free = i + 1;
	pt_entry_t *page = pool_page_at(i);
	volatile pt_entry_t *p = page;
	/* The baseline's loop, which GCC makes one post-indexed store, a compare and a branch. */
	for (unsigned j = 0; j < PT_ENTRIES; j++)
		p[j] = 0; /* a table that is not linked yet: plain zeroing, not a descriptor write */
	pool_meta[i].state = PT_PAGE_LIVE;
	pool_meta[i].level = level;
	pool_meta[i].va_base = va_base;
	pool_meta[i].parent = parent;
	pool_meta[i].owner = owner;
	pool_stats.allocated++;
	pool_stats.live++;
	pool_stats.high_water = pool_stats.live > pool_stats.high_water ? pool_stats.live : pool_stats.high_water;
	arch_event_emit(ARCH_EV_TABLE_ALLOC, (uint64_t)(uintptr_t)page, (uint64_t)level, va_base);
	return page;
}

HOT_TEXT bool pt_pool_free(pt_entry_t *table)
{
	uintptr_t off = (uintptr_t)table - (uintptr_t)&pool_store[0];
	bool page = (off < ((uint64_t)pt_pool_capacity() << PT_GRANULE_SHIFT)) & ((off & (PT_GRANULE_SIZE - 1)) == 0);
	unsigned i = page ? (unsigned)(off >> PT_GRANULE_SHIFT) : 0;
	if (!page | (pool_meta[i].state != PT_PAGE_LIVE)) {
		pool_stats.bad_frees++; /* not a pool page, or not live */
		return false;
	}
	/* Sinks (the monitor) judge the free while the metadata still describes the page. */
	arch_event_emit(ARCH_EV_TABLE_FREE, (uint64_t)(uintptr_t)table, (uint64_t)pool_meta[i].level,
			pool_meta[i].va_base);
	pool_meta[i].state = PT_PAGE_FREE;
	first_free = i < first_free ? i : first_free;
	pool_stats.freed++;
	pool_stats.live--;
	return true;
}

void pt_pool_set_parent(pt_entry_t *table, pt_entry_t *parent)
{
	int i = pt_pool_index(table);
	if (i >= 0)
		pool_meta[i].parent = parent;
}

void pt_pool_get_stats(struct pt_pool_stats *out)
{
	/* Field by field: a struct copy may become a memcpy call, and pool.o stays libc-free. */
	out->allocated = pool_stats.allocated;
	out->freed = pool_stats.freed;
	out->live = pool_stats.live;
	out->high_water = pool_stats.high_water;
	out->failed = pool_stats.failed;
	out->bad_frees = pool_stats.bad_frees;
	out->limit = pool_limit();
	out->capacity = pt_pool_capacity();
}

void pt_pool_storage(uintptr_t *base, uint64_t *size)
{
	*base = (uintptr_t)&pool_store[0];
	*size = (uint64_t)pt_pool_capacity() << PT_GRANULE_SHIFT;
}
