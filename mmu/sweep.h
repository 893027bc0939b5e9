/*
 * Reachability sweep: which pool pages the tables of a space actually use.
 * Leaked = live in the pool (owned by the space) but unreachable from its
 * root; dangling = reachable through a valid table entry but free in the pool.
 */
#ifndef BBMPROBE_MMU_SWEEP_H
#define BBMPROBE_MMU_SWEEP_H

#include <stdint.h>

#include "mmu/pt.h"

#define PT_SWEEP_ITEMS 16

struct pt_sweep_item {
	uintptr_t page;
	int level;         /* level of the table the page holds (or would hold) */
	uint64_t va_start; /* VA range it served */
	uint64_t va_end;   /* exclusive */
};

struct pt_sweep_report {
	unsigned reachable; /* distinct live pool pages reachable from the root, root included */
	unsigned live;      /* live pool pages owned by the space */
	unsigned leaked;
	unsigned dangling;
	unsigned foreign;   /* valid table entries pointing outside the pool (not followed on the host) */
	unsigned shared;    /* valid table entries pointing to a page reached already */
	unsigned misplaced; /* reachable pages whose metadata disagrees with where they are linked */
	unsigned n_leaked_items, n_dangling_items; /* first PT_SWEEP_ITEMS of each, listed below */
	struct pt_sweep_item leaked_items[PT_SWEEP_ITEMS];
	struct pt_sweep_item dangling_items[PT_SWEEP_ITEMS];
};

/* Walk from s->root. Pages owned by the space = pages with the root page's owner. */
enum pt_status pt_sweep(const struct pt_space *s, struct pt_sweep_report *r);
/* "# sweep: ..." lines: a summary and each listed leaked/dangling page. */
void pt_sweep_print(const struct pt_sweep_report *r);

#endif
