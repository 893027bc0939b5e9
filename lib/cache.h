/*
 * Data-cache maintenance by VA to the Point of Coherency, for handing memory to
 * a CPU whose MMU (and so whose cacheable view) is still off: what it reads
 * must be in memory, and no other cache may hold a line it is about to write
 * (Arm ARM "Cache maintenance instructions", DDI 0487 K.a; the same reason
 * Linux's spin-table code cleans cpu-release-addr, arch/arm64/kernel/smp_spin_table.c).
 */
#ifndef BBMPROBE_LIB_CACHE_H
#define BBMPROBE_LIB_CACHE_H

#include <stdint.h>

#ifndef BBMPROBE_HOST
#include "boot/sysregs.h"

static inline uint64_t dcache_line_size(void)
{
	return 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf); /* CTR_EL0.DminLine, in words */
}

/* Write [lo, hi) back to memory (dc cvac), then dsb sy. */
static inline void dcache_clean_range(uintptr_t lo, uintptr_t hi)
{
	uint64_t line = dcache_line_size();

	__asm__ volatile("dsb ish" ::: "memory");
	for (uintptr_t a = lo & ~(uintptr_t)(line - 1); a < hi; a += line)
		__asm__ volatile("dc cvac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

/* Write back and drop [lo, hi) from every cache (dc civac), then dsb sy. */
static inline void dcache_clean_inval_range(uintptr_t lo, uintptr_t hi)
{
	uint64_t line = dcache_line_size();

	__asm__ volatile("dsb ish" ::: "memory");
	for (uintptr_t a = lo & ~(uintptr_t)(line - 1); a < hi; a += line)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}
#endif

#endif
