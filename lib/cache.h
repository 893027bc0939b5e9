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

/* One `dc OP` per line of [lo, hi), lines as small as CTR_EL0 says any cache's can be. */
#define DCACHE_BY_LINE(op, lo, hi)                                                           \
	do {                                                                                 \
		uint64_t line_ = dcache_line_size();                                         \
		for (uintptr_t a_ = (lo) & ~(uintptr_t)(line_ - 1); a_ < (hi); a_ += line_) \
			__asm__ volatile("dc " op ", %0" ::"r"(a_) : "memory");             \
	} while (0)

/* Write [lo, hi) back to memory (dc cvac), then dsb sy. */
static inline void dcache_clean_range(uintptr_t lo, uintptr_t hi)
{
	__asm__ volatile("dsb ish" ::: "memory");
	DCACHE_BY_LINE("cvac", lo, hi);
	__asm__ volatile("dsb sy" ::: "memory");
}

/* Write back and drop [lo, hi) from every cache (dc civac), then dsb sy. */
static inline void dcache_clean_inval_range(uintptr_t lo, uintptr_t hi)
{
	__asm__ volatile("dsb ish" ::: "memory");
	DCACHE_BY_LINE("civac", lo, hi);
	__asm__ volatile("dsb sy" ::: "memory");
}

/*
 * Drop [lo, hi) from every cache without writing it back (dc ivac), then dsb
 * sy: for memory written with the MMU and caches off, where a line a loader
 * left behind would otherwise hide what is in memory.
 */
static inline void dcache_inval_range(uintptr_t lo, uintptr_t hi)
{
	__asm__ volatile("dmb sy" ::: "memory");
	DCACHE_BY_LINE("ivac", lo, hi);
	__asm__ volatile("dsb sy" ::: "memory");
}
#endif

#endif
