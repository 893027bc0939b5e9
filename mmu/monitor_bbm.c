/*
 * FEAT_BBM for the BBM monitor: which live changes of block size the CPU's
 * FEAT_BBM level lets software make without a break (Arm ARM DDI 0487,
 * "Support levels for changing table or block size"; docs/mmu.md):
 *   level 1: nT may be set or cleared on a live block; a block with nT set may
 *            be replaced by a table that maps the same output addresses with
 *            the same attributes, and such a table by a block with nT set;
 *   level 2: any such block <-> table change, nT or not.
 * The architecture still permits a TLB conflict abort for these changes at
 * level 2 (the model keeps it allowed); Linux relies on them only on CPUs it
 * lists as never aborting (BBML2_NOABORT, 5aa4b625762e).
 */
#include "mmu/monitor.h"

#include "mmu/geometry.h"
#include "mmu/pt_write.h"

/* Whether `table` (a table descriptor at level) maps exactly what `block` does, entry by entry. */
static bool same_mapping(int level, pt_entry_t block, pt_entry_t table)
{
	const pt_entry_t *child = (const pt_entry_t *)(uintptr_t)desc_oa(table, level);
	uint64_t oa = desc_oa(block, level), sub = pt_level_size(level + 1);
	pt_attrs_t attrs = desc_attrs(block);

	for (unsigned i = 0; i < pt_level_entries(level + 1); i++) {
		pt_entry_t d = pt_read_desc(&child[i]);
		if (!desc_is_leaf(d, level + 1) || desc_oa(d, level + 1) != oa + i * sub || desc_attrs(d) != attrs)
			return false;
	}
	return true;
}

bool bbm_size_change_permitted(int level, pt_entry_t old, pt_entry_t new_desc, unsigned feat_bbm)
{
	if (feat_bbm == 0 || level < 0 || level >= PT_LAST_LEVEL || !pt_level_allows_block(level))
		return false;
	enum desc_type ot = desc_type(old, level), nt = desc_type(new_desc, level);

	if (ot == DESC_BLOCK && nt == DESC_BLOCK)
		return (old ^ new_desc) == PTE_NT; /* level 1's first step: nT alone */
	if (ot == DESC_BLOCK && nt == DESC_TABLE && same_mapping(level, old, new_desc))
		return feat_bbm >= 2 || (old & PTE_NT);
	if (ot == DESC_TABLE && nt == DESC_BLOCK && same_mapping(level, new_desc, old))
		return feat_bbm >= 2 || (new_desc & PTE_NT);
	return false;
}
