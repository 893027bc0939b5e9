/* What model_state.c and model_walk.c share; not for users of mmu/model.h. */
#ifndef BBMPROBE_MMU_MODEL_INTERNAL_H
#define BBMPROBE_MMU_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/model.h"

static inline uint8_t model_cpu_bit(unsigned cpu)
{
	return (uint8_t)(1u << cpu);
}

/* Index of the known table page holding pa (any byte of it), or -1. */
int model_page_index(const struct model *m, uint64_t pa);

/*
 * May a TLB or walk cache hold this descriptor? Arm ARM DDI 0487 M.a.a, D8.16
 * "Translation Lookaside Buffers": R_XCLRD, entries that generate a Translation,
 * Address size or Access flag fault are never cached; R_SQBCS, any other entry
 * may be cached at any time, by explicit or speculative accesses.
 */
static inline bool model_desc_cacheable(pt_entry_t d, int level)
{
	switch (desc_type(d, level)) {
	case DESC_TABLE:
		return true;
	case DESC_BLOCK:
	case DESC_PAGE:
		return (d & PTE_AF) != 0; /* no hardware AF update here (TCR_EL1.HA = 0) */
	case DESC_INVALID:
	case DESC_RESERVED:
		break;
	}
	return false;
}

/*
 * Can some walk on cpu for va read memory of table page `page` as its level
 * `level` table, via memory (old values of pending writes included) or via a
 * stale walk-cache entry? *st reports an error met on the way.
 */
bool model_page_reachable(const struct model *m, unsigned cpu, uint64_t va, int level, uint64_t page,
			  enum model_status *st);

#endif
