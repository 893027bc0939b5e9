/*
 * Contiguous runs for the BBM monitor (Arm ARM DDI 0487, "The Contiguous bit"
 * and "Misprogramming the Contiguous bit"): the TLB may hold a run of
 * pt_cont_entries(level) entries with PTE_CONT as one entry (16 x 4K pages at
 * level 3, 16 x 2M blocks at level 2 with the 4K granule), so their valid
 * entries must agree: leaves of the run's level, one output run (entry j at
 * base + j x the entry's size), the same attributes, the bit on every one.
 * Linux folds and unfolds a run only with break-before-make of the whole run:
 * contpte_convert() for pages (arch/arm64/mm/contpte.c), clear_flush() before
 * set_huge_pte_at() writes a contiguous PMD run (arch/arm64/mm/hugetlbpage.c).
 * A write that leaves the valid entries disagreeing is `cont-misprogrammed`;
 * invalid entries (a run being built or taken down after its break) do not
 * count, and a table among a block run's entries disagrees with its blocks.
 */
#include "mmu/monitor.h"

#include "mmu/geometry.h"
#include "mmu/pt_write.h"

bool bbm_cont_run_consistent(const pt_entry_t *ptep, int level)
{
	unsigned n = pt_cont_entries(level);
	unsigned idx = (unsigned)(((uintptr_t)ptep & (PT_GRANULE_SIZE - 1)) / sizeof(pt_entry_t));
	enum desc_type leaf = level == PT_LAST_LEVEL ? DESC_PAGE : DESC_BLOCK;
	bool cont = false, seen = false, agree = true;
	uint64_t base = 0;
	pt_attrs_t attrs = 0;

	if (!n)
		return true; /* no run at this level (mmu/geometry.h) */
	const pt_entry_t *first = ptep - idx % n;
	for (unsigned j = 0; j < n; j++) {
		pt_entry_t d = pt_read_desc(&first[j]);
		if (!desc_is_valid(d))
			continue;
		uint64_t b = desc_oa(d, level) - ((uint64_t)j << pt_level_shift(level));
		bool is_leaf = desc_type(d, level) == leaf;
		cont |= is_leaf && (d & PTE_CONT) != 0; /* bit 52 of a table descriptor is ignored */
		if (!seen) {
			seen = true;
			base = b;
			attrs = is_leaf ? desc_attrs(d) : ~(pt_attrs_t)0;
		} else if (b != base || !is_leaf || desc_attrs(d) != attrs) {
			agree = false;
		}
	}
	return !cont || agree;
}
