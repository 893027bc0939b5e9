/*
 * Casemate trace records (rems-project/casemate, its trace format as its
 * casemate-check parser reads it in release 3.0.2): one s-expression per
 * event, `(KIND (id N) (tid T) FIELDS... (src "NAME:LINE"))`. Pure string
 * formatting, unit-tested on the host (host/test_casemate_fmt.c); the exporter
 * that subscribes to the event stream and prints them is mmu/trace_casemate.c.
 *
 * Casemate models EL2 stage 1 and stage 2 only, so bbmprobe's EL1&0 stage 1
 * operations are written as their EL2 stage 1 forms (docs/casemate.md):
 *   tlbi vale1is, vaale1is -> vale2is    tlbi vae1is, vaae1is -> vae2is
 *   tlbi vmalle1is -> alle2is            local TLBIs -> alle2 (Casemate has no local by-VA EL2 form)
 *   dsb sy -> dsb ish (its parser knows nsh, ish, ishst; SY orders at least what ISH does)
 *   TTBR0_EL1 -> ttbr0_el2, without the ASID (TTBR0_EL2 has none outside VHE)
 */
#ifndef BBMPROBE_MMU_CASEMATE_FMT_H
#define BBMPROBE_MMU_CASEMATE_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "mmu/arch_event.h"

/* Where a record comes from: `src` names the scenario, `line` the iteration (its "NAME:LINE" form). */
struct cm_src {
	const char *name;
	uint64_t line;
};

/*
 * The record for one event: descriptor write, barrier, TLBI, and a table
 * page's alloc (mem-init: the pool hands out zeroed pages) and free (mem-free).
 * Returns 0 with buf empty for events Casemate has no record for (a scenario's
 * classified access), else the length snprintf gives (may exceed len - 1).
 */
int cm_format_event(char *buf, size_t len, uint64_t id, const struct arch_event *ev, const struct cm_src *src);
/* mem-init: `size` bytes at `addr` start tracked as zero (a fresh table page). */
int cm_format_mem_init(char *buf, size_t len, uint64_t id, unsigned tid, uint64_t addr, uint64_t size,
		       const struct cm_src *src);
/* mem-free: stop tracking (a table page returned to the pool). */
int cm_format_mem_free(char *buf, size_t len, uint64_t id, unsigned tid, uint64_t addr, uint64_t size,
		       const struct cm_src *src);
/* mem-write of a descriptor (plain store). */
int cm_format_mem_write(char *buf, size_t len, uint64_t id, unsigned tid, uint64_t addr, uint64_t value,
			const struct cm_src *src);
/* sysreg-write ttbr0_el2 = the root table's address: Casemate registers the root and walks its tree. */
int cm_format_ttbr(char *buf, size_t len, uint64_t id, unsigned tid, uint64_t root, const struct cm_src *src);

/* Casemate's name of the TLBI an event kind maps to, or NULL if the kind is not a TLBI. */
const char *cm_tlbi_name(enum arch_event_kind kind);

#endif
