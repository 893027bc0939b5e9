/*
 * Contiguous runs for the BBM monitor (Arm ARM DDI 0487, "The Contiguous bit"
 * and "Misprogramming the Contiguous bit"): the TLB may hold a run of
 * PT_CONT_PAGES pages with PTE_CONT as one entry, so their valid pages must
 * agree: one output run (page j at base + j x 4K), the same attributes, the
 * bit on every one. Linux's contpte code folds and unfolds a run only with
 * break-before-make of the whole run (arch/arm64/mm/contpte.c). A write that
 * leaves the valid pages disagreeing is `cont-misprogrammed`; invalid pages
 * (a run being built or taken down after its break) do not count.
 */
#include "mmu/monitor.h"

#include "mmu/geometry.h"
#include "mmu/pt_write.h"

bool bbm_cont_run_consistent(const pt_entry_t *ptep)
{
	unsigned idx = (unsigned)(((uintptr_t)ptep & (PT_GRANULE_SIZE - 1)) / sizeof(pt_entry_t));
	const pt_entry_t *first = ptep - idx % PT_CONT_PAGES;
	bool cont = false, seen = false, agree = true;
	uint64_t base = 0;
	pt_attrs_t attrs = 0;

	for (unsigned j = 0; j < PT_CONT_PAGES; j++) {
		pt_entry_t d = pt_read_desc(&first[j]);
		if (!desc_is_valid(d))
			continue;
		uint64_t b = desc_oa(d, PT_LAST_LEVEL) - (uint64_t)j * PT_GRANULE_SIZE;
		cont |= (d & PTE_CONT) != 0;
		if (!seen) {
			seen = true;
			base = b;
			attrs = desc_attrs(d);
		} else if (b != base || desc_attrs(d) != attrs) {
			agree = false;
		}
	}
	return !cont || agree;
}
