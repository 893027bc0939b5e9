/*
 * The single descriptor writer. Every descriptor store in mmu/ and in the
 * tests goes through pt_write_desc(): one single-copy-atomic 64-bit store
 * (an aligned volatile STR; Arm ARM B2.2.1), then the event stream is told
 * (ptep, old, new). No barrier or TLB maintenance inside: callers own the sequence,
 * which is what the tests probe.
 */
#ifndef BBMPROBE_MMU_PT_WRITE_H
#define BBMPROBE_MMU_PT_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/arch_event.h"
#include "mmu/desc.h"

#ifdef BBMPROBE_HOST
#include <assert.h>
#endif

/*
 * Writes whose judgement reads the memory around them reach sinks at once,
 * while that memory is as the write left it (others wait for the next batch,
 * mmu/arch_event.h): a live change (the monitor's FEAT_BBM rule reads the
 * table a block splits into or folds from) and any write of a page with the
 * Contiguous bit (the monitor reads the rest of its run).
 */
static inline bool pt_write_reads_neighbours(pt_entry_t old, pt_entry_t desc)
{
	return ((int)desc_is_valid(old) & (int)desc_is_valid(desc)) | (((old | desc) & PTE_CONT) != 0); /* no branch */
}

static inline void pt_write_desc(pt_entry_t *ptep, pt_entry_t desc)
{
	volatile pt_entry_t *p = ptep;
#ifdef BBMPROBE_HOST
	/* Single-copy atomicity needs natural alignment (Arm ARM B2.2.1). */
	assert(((uintptr_t)ptep & 7) == 0);
#endif
	if (__builtin_expect(arch_event_sink_count != 0, 0)) {
		pt_entry_t old = *p;
		*p = desc;
		arch_event_emit(ARCH_EV_WRITE, (uint64_t)(uintptr_t)ptep, old, desc);
		if (pt_write_reads_neighbours(old, desc))
			arch_event_sync();
	} else {
		*p = desc;
	}
}

/* Single-copy-atomic read, the counterpart (Linux READ_ONCE). */
static inline pt_entry_t pt_read_desc(const pt_entry_t *ptep)
{
	return *(const volatile pt_entry_t *)ptep;
}

#endif
