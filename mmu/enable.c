/*
 * MMU enable and the boot identity map. The order follows Linux
 * arch/arm64/mm/proc.S __cpu_setup and arch/arm64/kernel/head.S __enable_mmu:
 * MAIR, TCR, TTBR0; isb; local TLBI; set SCTLR; isb; ic iallu; dsb nsh; isb.
 */
#include "mmu/enable.h"

#include "lib/cache.h"

#include "boot/sysregs.h"
#include "mmu/desc.h"
#include "mmu/geometry.h"
#include "mmu/pool.h"
#include "mmu/tlb.h"

/* TG0's encoding is not the granule's log2 order: 0b00 4K, 0b01 64K, 0b10 16K (Arm ARM D19.2, TCR_EL1). */
uint64_t mmu_tcr_ttbr0_geometry(void)
{
	uint64_t tg0 = PT_GRANULE_SHIFT == PT_GRANULE_64K   ? TCR_TG0_64K
		       : PT_GRANULE_SHIFT == PT_GRANULE_16K ? TCR_TG0_16K
							    : TCR_TG0_4K;
	return TCR_T0SZ(PT_VA_BITS) | tg0;
}

uint64_t mmu_tcr_ttbr1_geometry(void)
{
	uint64_t tg1 = PT_GRANULE_SHIFT == PT_GRANULE_64K   ? TCR_TG1_64K
		       : PT_GRANULE_SHIFT == PT_GRANULE_16K ? TCR_TG1_16K
							    : TCR_TG1_4K;
	return TCR_T1SZ(PT_VA_BITS) | tg1;
}

/*
 * Both halves walk with the same attributes (Linux TCR_CACHE_FLAGS | TCR_SMP_FLAGS, proc.S). EPD1 = 0:
 * TTBR1 holds the kernel space's root, empty until a test maps into it. A1 = 0: mmu/asid.h.
 */
uint64_t mmu_tcr_value(uint64_t id_aa64mmfr0)
{
	uint64_t ips = id_aa64mmfr0 & 0xf;
	if (ips > MMFR0_PARANGE_48)
		ips = MMFR0_PARANGE_48; /* 52-bit PA needs the LPA descriptor format: not used */
	return mmu_tcr_ttbr0_geometry() | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | mmu_tcr_ttbr1_geometry() |
	       TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER | (ips << TCR_IPS_SHIFT);
}

uint64_t mmu_sctlr_enable_value(uint64_t sctlr)
{
	return sctlr | SCTLR_EL1_M | SCTLR_EL1_C | SCTLR_EL1_I;
}

static enum pt_status map_regions(struct pt_space *s, const struct mem_region *r, unsigned n, pt_attrs_t attrs)
{
	for (unsigned i = 0; r && i < n; i++) {
		if (r[i].size == 0)
			continue;
		uint64_t base = r[i].base & ~(PT_GRANULE_SIZE - 1);
		uint64_t end = (r[i].base + r[i].size + PT_GRANULE_SIZE - 1) & ~(PT_GRANULE_SIZE - 1);
		enum pt_status st = map_range(s, base, base, end - base, attrs, PT_POLICY_REFUSE_LIVE);
		if (st != PT_OK)
			return st;
	}
	return PT_OK;
}

enum pt_status pt_build_identity_map(struct pt_space *s, const struct mem_region *ram, unsigned n_ram,
				     const struct mem_region *dev, unsigned n_dev)
{
	if (!s)
		return PT_ERR_INVALID_ARG;
	if (!s->root) {
		enum pt_status st = pt_space_init(s);
		if (st != PT_OK)
			return st;
	}
	enum pt_status st = map_regions(s, ram, n_ram, PT_PROT_NORMAL);
	if (st != PT_OK)
		return st;
	return map_regions(s, dev, n_dev, PT_PROT_DEVICE);
}

#ifndef BBMPROBE_HOST

bool mmu_is_enabled(void)
{
	return (read_sysreg(sctlr_el1) & SCTLR_EL1_M) != 0;
}

/* Drop any cache lines over the pool: the tables were written to memory with the MMU off. */
static void inval_pool_lines(void)
{
	uintptr_t base;
	uint64_t size;
	pt_pool_storage(&base, &size);
	dcache_inval_range(base, base + size);
}

static void mmu_program_and_enable(uint64_t ttbr, uint64_t ttbr1)
{
	write_sysreg(mair_el1, MAIR_EL1_VALUE);
	write_sysreg(tcr_el1, mmu_tcr_value(read_sysreg(id_aa64mmfr0_el1)));
	write_sysreg(ttbr0_el1, ttbr);
	write_sysreg(ttbr1_el1, ttbr1);
	isb();
	/* Nothing from before reset or from firmware may survive in this CPU's TLB. */
	tlbi_vmalle1();
	dsb_nsh();
	isb();
	write_sysreg(sctlr_el1, mmu_sctlr_enable_value(read_sysreg(sctlr_el1)));
	isb();
	__asm__ volatile("ic iallu" ::: "memory");
	dsb_nsh();
	isb();
}

void mmu_enable_secondary(uint64_t ttbr0, uint64_t ttbr1)
{
	mmu_program_and_enable(ttbr0, ttbr1);
}

void mmu_enable(const struct pt_space *s, const struct pt_space *kernel)
{
	uint64_t ttbr = (uint64_t)(uintptr_t)s->root;

	if (mmu_is_enabled()) {
		dsb_ishst(); /* tables visible to the walker before it can use them */
		write_sysreg(ttbr0_el1, ttbr);
		isb();
		tlbi_vmalle1();
		dsb_nsh();
		isb();
		return;
	}
	inval_pool_lines();
	mmu_program_and_enable(ttbr, (uint64_t)(uintptr_t)kernel->root);
}

/*
 * Clean and drop [lo, hi) to the PoC, then MMU and data cache off, in one asm block so nothing
 * is written to the stack between the last clean and SCTLR_EL1: with the MMU off, data accesses
 * are Device-nGnRnE (Arm ARM DDI 0487, "The effects of disabling a stage of address translation")
 * and read memory, so memory must hold everything written so far. Linux does the same
 * before turning its MMU off (arch/arm64/kernel/relocate_kernel.S, cpu-reset.S).
 */
void mmu_disable(uintptr_t lo, uintptr_t hi)
{
	uint64_t line = dcache_line_size(), sctlr;
	uintptr_t a = lo & ~(uintptr_t)(line - 1);

	__asm__ volatile("dsb ish\n"
			 "1: dc civac, %[a]\n"
			 "add %[a], %[a], %[line]\n"
			 "cmp %[a], %[hi]\n"
			 "b.lo 1b\n"
			 "dsb sy\n"
			 "mrs %[t], sctlr_el1\n"
			 "bic %[t], %[t], %[mc]\n"
			 "msr sctlr_el1, %[t]\n"
			 "isb\n"
			 : [a] "+r"(a), [t] "=&r"(sctlr)
			 : [line] "r"(line), [hi] "r"(hi), [mc] "r"((uint64_t)(SCTLR_EL1_M | SCTLR_EL1_C))
			 : "memory", "cc");
	/* Whatever this CPU's TLB holds from the old granule must not outlive it (mmu_enable repeats it). */
	tlbi_vmalle1();
	dsb_nsh();
	isb();
}

void mmu_clean_tables(void)
{
	uintptr_t base;
	uint64_t size;

	pt_pool_storage(&base, &size);
	dcache_clean_range(base, base + size);
}

#endif
