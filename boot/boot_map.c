/*
 * Foundation boot map: 1 GiB identity blocks in two static tables (L0 + L1),
 * TTBR0 only. Temporary: it moves onto mmu/ once the page-table library lands.
 * Runs with the MMU off, so: no libc, aligned accesses only.
 */
#include "boot/boot_map.h"

#include <stdbool.h>

#define DESC_VALID (1ull << 0)
#define DESC_TABLE (1ull << 1)
#define DESC_AF (1ull << 10)
#define DESC_SH_INNER (3ull << 8)
#define DESC_PXN (1ull << 53)
#define DESC_UXN (1ull << 54)
#define ATTRIDX(n) ((uint64_t)(n) << 2)

/* MAIR_EL1: 0 Device-nGnRnE, 1 Normal non-cacheable, 2 Normal write-back RW-allocate. */
#define MAIR_VALUE 0x0000000000ff4400ull
#define MT_DEVICE 0
#define MT_NORMAL 2

#define BLOCK_1G (1ull << 30)

static uint64_t boot_l0[512] __attribute__((aligned(4096)));
static uint64_t boot_l1[512] __attribute__((aligned(4096)));

static uint64_t block_desc(uint64_t pa, unsigned mt)
{
	uint64_t d = (pa & ~(BLOCK_1G - 1)) | DESC_VALID | DESC_AF | ATTRIDX(mt);

	if (mt == MT_NORMAL)
		d |= DESC_SH_INNER;
	else
		d |= DESC_PXN | DESC_UXN;
	return d;
}

static void map_1g_range(uint64_t lo, uint64_t hi, unsigned mt)
{
	for (uint64_t a = lo & ~(BLOCK_1G - 1); a < hi && (a >> 30) < 512; a += BLOCK_1G)
		if (!(boot_l1[a >> 30] & DESC_VALID))
			boot_l1[a >> 30] = block_desc(a, mt);
}

static uint64_t parange_bits(void)
{
	uint64_t mmfr0;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	return mmfr0 & 0xf;
}

void boot_map_early(uintptr_t image_lo, uintptr_t image_hi, uintptr_t dtb_lo, uintptr_t dtb_hi)
{
	map_1g_range(image_lo, image_hi, MT_NORMAL);
	if (dtb_hi > dtb_lo)
		map_1g_range(dtb_lo, dtb_hi, MT_NORMAL);
	boot_l0[0] = (uint64_t)(uintptr_t)boot_l1 | DESC_VALID | DESC_TABLE;

	/* Lines written with the MMU off went to memory; drop any stale cached copies (Linux head.S does the same). */
	for (uintptr_t a = image_lo & ~63ul; a < image_hi; a += 64)
		__asm__ volatile("dc ivac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");

	/* TCR_EL1: T0SZ=16 (48-bit VA), 4K granule, inner-shareable WBWA walks, EPD1 (no TTBR1), IPS=PARange. */
	uint64_t tcr = 16 | (1ull << 8) | (1ull << 10) | (3ull << 12) | (0ull << 14) | (1ull << 23) |
		       (parange_bits() << 32);
	__asm__ volatile("msr mair_el1, %0" : : "r"((uint64_t)MAIR_VALUE));
	__asm__ volatile("msr tcr_el1, %0" : : "r"(tcr));
	__asm__ volatile("msr ttbr0_el1, %0" : : "r"((uint64_t)(uintptr_t)boot_l0));
	__asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" ::: "memory");
	uint64_t sctlr;
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= (1u << 0) | (1u << 2) | (1u << 12); /* M, C, I */
	__asm__ volatile("msr sctlr_el1, %0; isb" : : "r"(sctlr) : "memory");
}

unsigned boot_map_board(const struct board_config *cfg)
{
	unsigned failed = 0;

	/* Devices first: a 1G block holding both RAM and devices must be Device (no speculation into MMIO). */
	for (unsigned i = 0; i < cfg->device_count; i++)
		map_1g_range(cfg->devices[i].base, cfg->devices[i].base + cfg->devices[i].size, MT_DEVICE);
	map_1g_range(cfg->console.base, cfg->console.base + 0x1000, MT_DEVICE);
	for (unsigned i = 0; i < cfg->mem_count; i++) {
		if (cfg->mem[i].base >> 39) {
			failed++;
			continue;
		}
		map_1g_range(cfg->mem[i].base, cfg->mem[i].base + cfg->mem[i].size, MT_NORMAL);
	}
	__asm__ volatile("dsb ishst; isb" ::: "memory");
	return failed;
}
