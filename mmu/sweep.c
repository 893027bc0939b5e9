/*
 * Mark-and-compare sweep of table pages: a leak is "allocated minus reachable
 * from TTBR". On the target, pass the live space (boot_map_space()).
 */
#include "mmu/sweep.h"

#include <stdio.h>

#include "mmu/geometry.h"
#include "mmu/pool.h"
#include "mmu/pt_write.h"

static bool seen[PT_POOL_PAGES];

static void add_item(struct pt_sweep_item *items, unsigned *n, uintptr_t page, int level, uint64_t start,
		     uint64_t end)
{
	if (*n >= PT_SWEEP_ITEMS)
		return;
	items[*n].page = page;
	items[*n].level = level;
	items[*n].va_start = start;
	items[*n].va_end = end;
	(*n)++;
}

static void mark(struct pt_sweep_report *r, const pt_entry_t *table, int level, uint64_t va_base)
{
	for (unsigned i = 0; i < pt_level_entries(level); i++) {
		pt_entry_t d = pt_read_desc(&table[i]);
		if (desc_type(d, level) != DESC_TABLE)
			continue;
		uint64_t va = va_base + (uint64_t)i * pt_level_size(level);
		const pt_entry_t *child = (const pt_entry_t *)(uintptr_t)desc_oa(d, level);
		int idx = pt_pool_index(child);
		if (idx < 0) {
			r->foreign++;
			continue;
		}
		const struct pt_page_meta *m = pt_pool_meta(child);
		if (m->state != PT_PAGE_LIVE) {
			r->dangling++;
			add_item(r->dangling_items, &r->n_dangling_items, (uintptr_t)child, level + 1, va,
				 va + pt_level_size(level));
			continue;
		}
		if (seen[idx]) {
			r->shared++;
			continue;
		}
		seen[idx] = true;
		r->reachable++;
		if (m->level != level + 1 || m->va_base != va)
			r->misplaced++;
		mark(r, child, level + 1, va);
	}
}

enum pt_status pt_sweep(const struct pt_space *s, struct pt_sweep_report *r)
{
	if (!s || !s->root || !r)
		return PT_ERR_INVALID_ARG;
	r->reachable = r->live = r->leaked = r->dangling = r->foreign = r->shared = r->misplaced = 0;
	r->n_leaked_items = r->n_dangling_items = 0;
	for (unsigned i = 0; i < PT_POOL_PAGES; i++)
		seen[i] = false;

	const struct pt_page_meta *rm = pt_pool_meta(s->root);
	const void *owner = rm ? rm->owner : 0;
	int ridx = pt_pool_index(s->root);
	if (ridx >= 0 && rm->state == PT_PAGE_LIVE) {
		seen[ridx] = true;
		r->reachable++;
	}
	mark(r, s->root, s->start_level, s->va_base);

	for (unsigned i = 0; i < pt_pool_capacity(); i++) {
		const pt_entry_t *page = pt_pool_page(i);
		const struct pt_page_meta *m = pt_pool_meta(page);
		if (m->state != PT_PAGE_LIVE || m->owner != owner)
			continue;
		r->live++;
		if (seen[i])
			continue;
		r->leaked++;
		uint64_t span = pt_level_valid(m->level - 1) ? pt_level_size(m->level - 1) : PT_VA_LIMIT;
		add_item(r->leaked_items, &r->n_leaked_items, (uintptr_t)page, m->level, m->va_base, m->va_base + span);
	}
	return PT_OK;
}

void pt_sweep_print(const struct pt_sweep_report *r)
{
	printf("# sweep: reachable=%u live=%u leaked=%u dangling=%u foreign=%u shared=%u misplaced=%u\n", r->reachable,
	       r->live, r->leaked, r->dangling, r->foreign, r->shared, r->misplaced);
	for (unsigned i = 0; i < r->n_leaked_items; i++)
		printf("# sweep: leaked table page 0x%llx level=%d va=0x%llx-0x%llx\n",
		       (unsigned long long)r->leaked_items[i].page, r->leaked_items[i].level,
		       (unsigned long long)r->leaked_items[i].va_start, (unsigned long long)r->leaked_items[i].va_end);
	for (unsigned i = 0; i < r->n_dangling_items; i++)
		printf("# sweep: dangling table page 0x%llx level=%d va=0x%llx-0x%llx\n",
		       (unsigned long long)r->dangling_items[i].page, r->dangling_items[i].level,
		       (unsigned long long)r->dangling_items[i].va_start,
		       (unsigned long long)r->dangling_items[i].va_end);
}
