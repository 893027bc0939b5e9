/*
 * Barriers and TLB maintenance. One inline function per instruction, and ONE
 * helper per invalidation scope following Linux's template
 * `dsb ishst; tlbi; dsb ish; isb` (arch/arm64/include/asm/tlbflush.h,
 * __flush_tlb_kernel_pgtable / flush_tlb_kernel_range / flush_tlb_all).
 *
 * Target: the instruction itself (asm volatile, "memory" clobber); the host
 * build (-DBBMPROBE_HOST) has no instruction. Both emit the event on the one
 * stream (mmu/arch_event.h) that the monitor, the model and logs subscribe to.
 */
#ifndef BBMPROBE_MMU_TLB_H
#define BBMPROBE_MMU_TLB_H

#include <stdint.h>

#include "mmu/arch_event.h"

/* TLBI by-VA operand: VA[55:12] in bits [43:0], ASID in [63:48] (Linux __TLBI_VADDR). */
static inline uint64_t tlbi_vaddr(uint64_t va, uint16_t asid)
{
	return ((va >> 12) & ((1ull << 44) - 1)) | ((uint64_t)asid << 48);
}

#ifdef BBMPROBE_HOST
#define ARCH_INSN(s) ((void)0)
#define ARCH_INSN_X(s, x) ((void)(x))
#else
#define ARCH_INSN(s) __asm__ volatile(s ::: "memory")
#define ARCH_INSN_X(s, x) __asm__ volatile(s ", %0" ::"r"(x) : "memory")
#endif

static inline void dsb_ishst(void)
{
	ARCH_INSN("dsb ishst");
	arch_event_emit(ARCH_EV_DSB_ISHST, 0, 0, 0);
}

static inline void dsb_ish(void)
{
	ARCH_INSN("dsb ish");
	arch_event_emit(ARCH_EV_DSB_ISH, 0, 0, 0);
}

static inline void dsb_sy(void)
{
	ARCH_INSN("dsb sy");
	arch_event_emit(ARCH_EV_DSB_SY, 0, 0, 0);
}

static inline void dsb_nsh(void)
{
	ARCH_INSN("dsb nsh");
	arch_event_emit(ARCH_EV_DSB_NSH, 0, 0, 0);
}

static inline void isb(void)
{
	ARCH_INSN("isb");
	arch_event_emit(ARCH_EV_ISB, 0, 0, 0);
}

/* Last level only, this VA, any ASID's global entries: does NOT drop walk-cache entries. */
static inline void tlbi_vale1is(uint64_t va)
{
	ARCH_INSN_X("tlbi vale1is", tlbi_vaddr(va, 0));
	arch_event_emit(ARCH_EV_TLBI_VALE1IS, va, 0, 0);
}

/* All levels, this VA, one ASID (global entries for any ASID). */
static inline void tlbi_vae1is(uint64_t va, uint16_t asid)
{
	ARCH_INSN_X("tlbi vae1is", tlbi_vaddr(va, asid));
	arch_event_emit(ARCH_EV_TLBI_VAE1IS, va, asid, 0);
}

/* All levels, this VA, all ASIDs. */
static inline void tlbi_vaae1is(uint64_t va)
{
	ARCH_INSN_X("tlbi vaae1is", tlbi_vaddr(va, 0));
	arch_event_emit(ARCH_EV_TLBI_VAAE1IS, va, 0, 0);
}

/* Last level only, this VA, non-global entries of `asid` and global ones (Linux flush_tlb_page). */
static inline void tlbi_vale1is_asid(uint64_t va, uint16_t asid)
{
	ARCH_INSN_X("tlbi vale1is", tlbi_vaddr(va, asid));
	arch_event_emit(ARCH_EV_TLBI_VALE1IS, va, asid, 0);
}

/* Last level only, this VA, all ASIDs (Linux flush_tlb_kernel_range since 5.x). */
static inline void tlbi_vaale1is(uint64_t va)
{
	ARCH_INSN_X("tlbi vaale1is", tlbi_vaddr(va, 0));
	arch_event_emit(ARCH_EV_TLBI_VAALE1IS, va, 0, 0);
}

/* Every non-global entry of one ASID, any VA; global entries stay (Linux flush_tlb_mm). */
static inline void tlbi_aside1is(uint16_t asid)
{
	ARCH_INSN_X("tlbi aside1is", (uint64_t)asid << 48);
	arch_event_emit(ARCH_EV_TLBI_ASIDE1IS, 0, asid, 0);
}

/* Everything for EL1&0 (current VMID), broadcast. */
static inline void tlbi_vmalle1is(void)
{
	ARCH_INSN("tlbi vmalle1is");
	arch_event_emit(ARCH_EV_TLBI_VMALLE1IS, 0, 0, 0);
}

/* Everything for EL1&0, this CPU only: before turning the MMU on. */
static inline void tlbi_vmalle1(void)
{
	ARCH_INSN("tlbi vmalle1");
	arch_event_emit(ARCH_EV_TLBI_VMALLE1, 0, 0, 0);
}

/* Scope helpers: the only TLB maintenance the library issues outside mmu/unsafe.c. */

/* Leaf entries for `va` (Linux flush_tlb_kernel_range, 5.x+: vaale1is). */
static inline void tlbi_leaf_va(uint64_t va)
{
	dsb_ishst();
	tlbi_vale1is(va);
	dsb_ish();
	isb();
}

/* Every level for `va`, incl. walk-cache entries (Linux __flush_tlb_kernel_pgtable). */
static inline void tlbi_all_levels_va(uint64_t va)
{
	dsb_ishst();
	tlbi_vaae1is(va);
	dsb_ish();
	isb();
}

/* Leaf entries for `va` in one ASID, and global ones (Linux flush_tlb_page: vale1is with the mm's ASID). */
static inline void tlbi_leaf_va_asid(uint64_t va, uint16_t asid)
{
	dsb_ishst();
	tlbi_vale1is_asid(va, asid);
	dsb_ish();
	isb();
}

/* Every level for `va` in one ASID, and global leaves (Linux __flush_tlb_range when not last-level only). */
static inline void tlbi_all_levels_va_asid(uint64_t va, uint16_t asid)
{
	dsb_ishst();
	tlbi_vae1is(va, asid);
	dsb_ish();
	isb();
}

/* Leaf entries for `va` in every ASID (Linux flush_tlb_kernel_range: vaale1is). */
static inline void tlbi_leaf_va_all_asids(uint64_t va)
{
	dsb_ishst();
	tlbi_vaale1is(va);
	dsb_ish();
	isb();
}

/* One ASID's non-global entries at every VA (Linux flush_tlb_mm: aside1is). */
static inline void tlbi_asid(uint16_t asid)
{
	dsb_ishst();
	tlbi_aside1is(asid);
	dsb_ish();
	isb();
}

/* Everything (Linux flush_tlb_all). */
static inline void tlbi_all(void)
{
	dsb_ishst();
	tlbi_vmalle1is();
	dsb_ish();
	isb();
}

#endif
