/*
 * Turning the MMU on with tables built by this library, and the identity map
 * the boot path wants. Everything here is safe to call with the MMU off: no
 * libc, no printing, aligned accesses only.
 *
 * Typical boot use (MMU off, EL1):
 *     struct pt_space s;
 *     if (pt_build_identity_map(&s, cfg->mem, cfg->mem_count, cfg->devices, cfg->device_count) == PT_OK)
 *             mmu_enable(&s);
 */
#ifndef BBMPROBE_MMU_ENABLE_H
#define BBMPROBE_MMU_ENABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/pt.h"
#include "platform/platform.h"

/* TCR_EL1 fields (Arm ARM D19.2.139). */
#define TCR_T0SZ(bits) ((uint64_t)(64 - (bits)) << 0)
#define TCR_IRGN0_WBWA (1ull << 8)
#define TCR_ORGN0_WBWA (1ull << 10)
#define TCR_SH0_INNER (3ull << 12)
#define TCR_TG0_4K (0ull << 14)
#define TCR_TG0_64K (1ull << 14)
#define TCR_TG0_16K (2ull << 14)
#define TCR_TG0_MASK (3ull << 14)
#define TCR_T1SZ(bits) ((uint64_t)(64 - (bits)) << 16)
#define TCR_A1 (1ull << 22) /* ASID from TTBR1_EL1 instead of TTBR0_EL1: left 0 (mmu/asid.h says why) */
#define TCR_EPD1 (1ull << 23)
#define TCR_IRGN1_WBWA (1ull << 24)
#define TCR_ORGN1_WBWA (1ull << 26)
#define TCR_SH1_INNER (3ull << 28)
/* TG1's encoding differs from TG0's: 0b01 16K, 0b10 4K, 0b11 64K (Arm ARM D19.2, TCR_EL1). */
#define TCR_TG1_16K (1ull << 30)
#define TCR_TG1_4K (2ull << 30)
#define TCR_TG1_64K (3ull << 30)
#define TCR_TG1_MASK (3ull << 30)
#define TCR_IPS_SHIFT 32
#define TCR_IPS_MASK (7ull << TCR_IPS_SHIFT)

/* ID_AA64MMFR0_EL1.PARange [3:0]; 0b0101 = 48 bits, the largest our descriptor format carries. */
#define MMFR0_PARANGE_48 5u

/* TCR_EL1.TG0 and T0SZ for the geometry in force (mmu/geometry.h): the granule and the 48-bit VA. */
uint64_t mmu_tcr_ttbr0_geometry(void);
/* TCR_EL1.TG1 and T1SZ, the same for TTBR1 (the upper 48-bit range). */
uint64_t mmu_tcr_ttbr1_geometry(void);
/*
 * TCR_EL1 for this library: T0SZ = T1SZ = 16, TG0/TG1 from the geometry, inner-shareable WBWA walks
 * for both halves, IPS from PARange, EPD1 = 0 (TTBR1 walks on: the kernel space), A1 = 0.
 */
uint64_t mmu_tcr_value(uint64_t id_aa64mmfr0);
/* SCTLR_EL1 with M, C and I set (other bits kept). */
uint64_t mmu_sctlr_enable_value(uint64_t sctlr);

/*
 * Initialise s (if s->root is NULL: callers may pass a zeroed struct) and map
 * every RAM region Normal write-back RW executable and every device window
 * Device-nGnRnE execute-never, identity, with the largest blocks that fit.
 * Regions are widened to 4K boundaries; empty ones are skipped. Stops at the
 * first error (PT_ERR_OVERLAP if a RAM and a device region collide).
 */
enum pt_status pt_build_identity_map(struct pt_space *s, const struct mem_region *ram, unsigned n_ram,
				     const struct mem_region *dev, unsigned n_dev);

#ifndef BBMPROBE_HOST
/*
 * Program MAIR_EL1, TCR_EL1, TTBR0_EL1 = s->root and TTBR1_EL1 = kernel->root
 * (kernel: a TTBR1 space, pt_space_init_ttbr1()), invalidate this CPU's
 * TLB, then set SCTLR_EL1.M/C/I. With the MMU off (the expected case) the
 * pool's cache lines are invalidated first, because the tables were written
 * with non-cacheable stores and the walks are cacheable. If the MMU is
 * already on, only TTBR0 is switched (both maps must map the running code
 * identically; Linux avoids even that with a reserved TTBR0, see docs/mmu.md).
 */
void mmu_enable(const struct pt_space *s, const struct pt_space *kernel);
bool mmu_is_enabled(void);
/*
 * A secondary CPU joining the boot CPU's tables (MMU off -> on, same MAIR/TCR,
 * TTBR0 = ttbr0, TTBR1 = ttbr1). Unlike mmu_enable() it invalidates no pool lines: the boot CPU
 * holds them, possibly dirty, and cleaned them to memory first (mmu_clean_tables()).
 */
void mmu_enable_secondary(uint64_t ttbr0, uint64_t ttbr1);
/*
 * Turn the MMU and the data cache off (SCTLR_EL1.M, C) after cleaning [lo, hi) to memory: the
 * image, its BSS, stacks and the table pool, all this CPU wrote. Only identity-mapped code may
 * call it; no secondary may be running. boot_map_set_granule() uses it to rebuild the map.
 */
void mmu_disable(uintptr_t lo, uintptr_t hi);
/* Write the table pool back to memory, for a CPU that will walk it before its caches are on. */
void mmu_clean_tables(void);
#endif

#endif
