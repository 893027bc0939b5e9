/* Deliberately broken page-table update sequences, named so tests read as what they do. */
#include "mmu/unsafe.h"

#include "lib/enum_names.h"
#include "mmu/pt_write.h"
#include "mmu/tlb.h"

const char *bbm_seq_name(enum bbm_seq v)
{
	static const char *const names[BBM_SEQ_COUNT] = {
		[BBM_SEQ_CORRECT] = "correct",
		[BBM_SEQ_NO_TLBI] = "no-tlbi",
		[BBM_SEQ_LEAF_TLBI] = "leaf-tlbi",
		[BBM_SEQ_NO_DSB_BEFORE_TLBI] = "no-dsb-before-tlbi",
		[BBM_SEQ_NO_DSB_AFTER_TLBI] = "no-dsb-after-tlbi",
		[BBM_SEQ_NO_ISB] = "no-isb",
		[BBM_SEQ_TLBI_BEFORE_CLEAR] = "tlbi-before-clear",
	};
	return ENUM_NAME(names, v, "?");
}

void pt_unsafe_clear(pt_entry_t *ptep, uint64_t va, enum pt_tlbi_scope scope)
{
	pt_write_desc(ptep, 0);
	pt_tlbi_scope_va(scope, va);
}

void pt_unsafe_bbm_replace(pt_entry_t *ptep, uint64_t va, pt_entry_t new_desc, enum bbm_seq v)
{
	if (v == BBM_SEQ_TLBI_BEFORE_CLEAR) {
		dsb_ishst();
		tlbi_vaae1is(va);
		pt_write_desc(ptep, 0);
		dsb_ish();
		isb();
	} else {
		pt_write_desc(ptep, 0);
		if (v != BBM_SEQ_NO_DSB_BEFORE_TLBI)
			dsb_ishst();
		if (v == BBM_SEQ_LEAF_TLBI)
			tlbi_vale1is(va);
		else if (v != BBM_SEQ_NO_TLBI)
			tlbi_vaae1is(va);
		if (v != BBM_SEQ_NO_DSB_AFTER_TLBI)
			dsb_ish();
		if (v != BBM_SEQ_NO_ISB)
			isb();
	}
	pt_write_desc(ptep, new_desc);
	dsb_ishst();
	isb();
}

void pt_unsafe_change_block_size(pt_entry_t *ptep, pt_entry_t new_desc)
{
	pt_write_desc(ptep, new_desc);
	dsb_ishst();
	isb();
}

void pt_unsafe_set_nt(pt_entry_t *ptep, bool nt)
{
	pt_entry_t d = pt_read_desc(ptep);

	pt_write_desc(ptep, nt ? d | PTE_NT : d & ~PTE_NT);
	dsb_ishst();
	isb();
}

void pt_unsafe_set_ng(pt_entry_t *ptep, bool ng)
{
	pt_entry_t d = pt_read_desc(ptep);

	pt_write_desc(ptep, ng ? d | PTE_NG : d & ~PTE_NG);
	dsb_ishst();
	isb();
}
