/*
 * Table-page pool: a fixed array of translation-table pages (one granule each) with
 * accounting, because the firmware has no allocator and because a leak is
 * "allocated minus reachable from TTBR" (the same accounting Linux's page-table page counters allow).
 *
 * Physical address == pointer value: the target runs identity-mapped; on the
 * host the pool is 64K-aligned static storage below 2^47, which fits the
 * descriptor OA field (checked by pt_pool_reset()).
 */
#ifndef BBMPROBE_MMU_POOL_H
#define BBMPROBE_MMU_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/desc.h"

#ifndef PT_POOL_PAGES
#define PT_POOL_PAGES 128
#endif

enum pt_page_state {
	PT_PAGE_FREE = 0,
	PT_PAGE_LIVE,
};

struct pt_page_meta {
	enum pt_page_state state;
	int level;            /* level of the table this page holds */
	uint64_t va_base;     /* first VA the table translates */
	pt_entry_t *parent;   /* entry that links it (NULL for a root) */
	const void *owner;    /* address space it was allocated for */
};

struct pt_pool_stats {
	uint64_t allocated;   /* successful allocations, ever */
	uint64_t freed;       /* frees, ever */
	unsigned live;        /* allocated - freed */
	unsigned high_water;  /* max live */
	uint64_t failed;      /* allocations (or reservations) refused */
	uint64_t bad_frees;   /* frees of non-pool or already-free pages (refused) */
	unsigned capacity;    /* pt_pool_capacity() */
	unsigned limit;       /* live pages allowed now (<= capacity) */
};

/* Forget everything: all pages free, counters zero, limit = capacity. */
void pt_pool_reset(void);
/* Allow at most n live pages (n > capacity means capacity). Tests exhaust the pool with it. */
void pt_pool_set_limit(unsigned n);
/* Table pages the pool holds at the granule in force: PT_POOL_PAGES 4 KiB pages' worth of storage. */
unsigned pt_pool_capacity(void);
/* Pages that can still be allocated. */
unsigned pt_pool_available(void);
/* True if n pages are available; otherwise counts a failed allocation. Reserves nothing. */
bool pt_pool_check_available(unsigned n);

/* A zeroed table page for `level` translating from `va_base`, linked by `parent`; NULL if exhausted. */
pt_entry_t *pt_pool_alloc(const void *owner, int level, uint64_t va_base, pt_entry_t *parent);
/*
 * Return a page. Contents are left as they are (the next alloc zeroes), so a
 * caller may still read a freed table's entries while tearing down a subtree.
 * Refuses (false, counted in bad_frees) a non-pool or free page.
 */
bool pt_pool_free(pt_entry_t *table);
void pt_pool_set_parent(pt_entry_t *table, pt_entry_t *parent);

/* Metadata of the pool page containing addr (any byte of it), or NULL if addr is not in the pool. */
const struct pt_page_meta *pt_pool_meta(const void *addr);
/* Page index of addr, or -1. */
int pt_pool_index(const void *addr);
pt_entry_t *pt_pool_page(unsigned index);
bool pt_pool_contains(const void *addr);

void pt_pool_get_stats(struct pt_pool_stats *out);
/* Where the pages live (for cache maintenance before the MMU is on). */
void pt_pool_storage(uintptr_t *base, uint64_t *size);

#endif
