/*
 * Named UNSAFE primitives: the broken sequences the project probes, each
 * visible by name in a test. Nothing else in mmu/ uses them. Every write
 * still goes through pt_write_desc(), so the BBM monitor sees them.
 */
#ifndef BBMPROBE_MMU_UNSAFE_H
#define BBMPROBE_MMU_UNSAFE_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/desc.h"
#include "mmu/pt.h"
#include "mmu/pt_write.h"

/*
 * Ways to run break-before-make for one entry. All but CORRECT and NO_ISB are
 * broken: NO_ISB is Linux 4.18's __flush_tlb_kernel_pgtable() (no ISB until
 * 51696d346c49), still correct BBM because the make's dsb ishst; isb comes
 * before any access (the Arm ARM D8.16.1 recipe has no ISB after the TLBI).
 */
enum bbm_seq {
	BBM_SEQ_CORRECT,            /* clear; dsb ishst; tlbi vaae1is; dsb ish; isb; write; dsb ishst; isb */
	BBM_SEQ_NO_TLBI,            /* clear; dsb ishst; dsb ish; isb; write ... */
	BBM_SEQ_LEAF_TLBI,          /* clear; dsb ishst; tlbi vale1is; dsb ish; isb; write ... */
	BBM_SEQ_NO_DSB_BEFORE_TLBI, /* clear; tlbi vaae1is; dsb ish; isb; write ... */
	BBM_SEQ_NO_DSB_AFTER_TLBI,  /* clear; dsb ishst; tlbi vaae1is; isb; write ... */
	BBM_SEQ_NO_ISB,             /* clear; dsb ishst; tlbi vaae1is; dsb ish; write ... */
	BBM_SEQ_TLBI_BEFORE_CLEAR,  /* dsb ishst; tlbi vaae1is; clear; dsb ish; isb; write ... */
	BBM_SEQ_COUNT
};
const char *bbm_seq_name(enum bbm_seq v);

/*
 * Write a descriptor with no barrier and no TLB maintenance (valid over valid included). Inline:
 * the bench's hand-written cycle uses it where Linux 4.14 wrote the block, and a call there (to
 * a code page the library's cycle never enters) would charge the baseline what the library does
 * not pay.
 */
static inline void pt_unsafe_write_no_maintenance(pt_entry_t *ptep, pt_entry_t desc)
{
	pt_write_desc(ptep, desc);
}

/* Clear an entry and invalidate with the chosen scope (PT_TLBI_NONE: nothing; LEAF on a table: too little). */
void pt_unsafe_clear(pt_entry_t *ptep, uint64_t va, enum pt_tlbi_scope scope);

/*
 * Replace the entry at ptep (translating va) by new_desc with sequence v.
 * Frees nothing: a table the old entry pointed to is the caller's (free it
 * between break and make with pt_pool_free() to probe the free rules).
 */
void pt_unsafe_bbm_replace(pt_entry_t *ptep, uint64_t va, pt_entry_t new_desc, enum bbm_seq v);

/*
 * Change the size of a live mapping without a break: a block replaced by a
 * table that maps the same output addresses with the same attributes (a
 * split), or the reverse (a fold): write; dsb ishst; isb, no TLBI. Legal only
 * with FEAT_BBM level 2 (or level 1 with the nT bit on the block; Arm ARM
 * "Support levels for changing table or block size", DDI 0487); Linux splits
 * its linear map this way on CPUs on its BBML2_NOABORT list (5aa4b625762e,
 * 3df6979d222b). Breaks BBM below that level. The caller builds the table.
 */
void pt_unsafe_change_block_size(pt_entry_t *ptep, pt_entry_t new_desc);

/* Set or clear nT (PTE_NT) on a live block, no break: write; dsb ishst; isb (FEAT_BBM level 1's first step). */
void pt_unsafe_set_nt(pt_entry_t *ptep, bool nt);

/*
 * Set or clear nG (PTE_NG) on a live leaf, no break: write; dsb ishst; isb. A TLB may then hold the old
 * and the new entry, one tagged with an ASID and one global, both matching under that ASID: BBM is
 * required (Arm ARM DDI 0487 M.a.a, "Using break-before-make when updating translation table
 * entries"). Linux pgattr_change_is_safe() refuses nG -> global and allows global -> nG.
 */
void pt_unsafe_set_ng(pt_entry_t *ptep, bool ng);

#endif
