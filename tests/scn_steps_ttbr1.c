/*
 * The steps only the ttbr1 group uses (tests/ttbr1.c): a kernel PTE table freed with the TLBI
 * Linux's __flush_tlb_kernel_pgtable() issues (vaae1is) or one scoped to an ASID, and a live or
 * break-before-make change of a page's nG bit. docs/scenarios.md, "`ttbr1` group".
 */
#include "mmu/pool.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"
#include "mmu/unsafe.h"
#include "mmu/walk.h"
#include "tests/scn_internal.h"

/*
 * Linux pmd_free_pte_page() with the TLBI `arg` (ASID_TLBI(form, asid)) at the slot, then pmd_set_huge():
 * W(pmd)=0; the TLBI (dsb ishst; tlbi; dsb ish; isb); free the PTE table; W(pmd)=block -> A; dsb ishst; isb.
 * A table entry is non-global (Arm ARM D8.16.3.1): vae1is of one ASID leaves other ASIDs' walk-cache copies.
 */
void scn_op_pgtable_asid(struct scn_iter *it, int arg)
{
	pt_entry_t *e = pt_entry_at(it->env->space, it->slot, 2);
	pt_entry_t d = e ? pt_read_desc(e) : 0;
	pt_entry_t block = scn_leaf_desc(it, 2, scn_block_pa(it->env, 2), SCN_PROT);

	it->policy = "pgtable-asid";
	if (it->level != 2 || desc_type(d, 2) != DESC_TABLE || !block) {
		scn_error(it, "no PTE table under the 2 MiB slot to free");
		return;
	}
	it->old_table = (pt_entry_t *)(uintptr_t)desc_oa(d, 2);
	pt_write_desc(e, 0);
	scn_asid_tlbi(it, it->slot, arg);
	if (!pt_pool_free(it->old_table))
		scn_error(it, "freeing the PTE table 0x%llx failed", (unsigned long long)(uintptr_t)it->old_table);
	pt_write_desc(e, block);
	dsb_ishst();
	isb();
}

static pt_entry_t *probe_page(struct scn_iter *it)
{
	pt_entry_t *e = pt_entry_at(it->env->space, it->probe_va, 3);

	if (!e || !desc_is_valid(pt_read_desc(e))) {
		scn_error(it, "no valid page at the probe VA");
		return 0;
	}
	return e;
}

/* The probe page's nG set (arg 1) or cleared (arg 0) live, same output address: pt_unsafe_set_ng(). */
void scn_op_ng_live(struct scn_iter *it, int arg)
{
	pt_entry_t *e = probe_page(it);

	it->policy = "ng-live";
	if (e)
		pt_unsafe_set_ng(e, arg != 0);
}

/* The same change with break-before-make (pt_replace_bbm(): W=0; tlbi vaae1is; W=new; dsb ishst; isb). */
void scn_op_ng_bbm(struct scn_iter *it, int arg)
{
	pt_entry_t *e = probe_page(it);

	it->policy = "ng-bbm";
	if (!e)
		return;
	pt_entry_t d = pt_read_desc(e);
	if (pt_replace_bbm(it->env->space, e, arg ? d | PTE_NG : d & ~PTE_NG) != PT_OK)
		scn_error(it, "pt_replace_bbm of the probe page failed");
}
