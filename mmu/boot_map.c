/*
 * Boot identity map on mmu/: map_range() with the refuse-live policy, so the
 * boot path can never silently overwrite a live entry. Early ranges are widened
 * to 2 MiB so the image and DTB get block mappings; the board's regions (RAM
 * less no-map regions, device windows with the console's) are then mapped minus
 * whatever the early step already covers.
 */
#include "mmu/boot_map.h"
#include "boot/hot_data.h"

#include <stdbool.h>

#include "lib/cache.h"
#include "mmu/desc.h"
#include "mmu/enable.h"
#include "mmu/geometry.h"
#include "mmu/pool.h"
#include "mmu/walk.h"

#define SZ_2M (2ull << 20)

HOT_DATA static struct pt_space boot_space; /* every scenario and the bench map through it */
/*
 * TTBR1's space: kernel-style global mappings in the upper VA range; empty after boot (the ttbr1 rows
 * map into it). Not HOT_DATA: the bench's seed cycle never touches it.
 */
static struct pt_space kernel_space;
/* What boot_map_early() mapped, so boot_map_board() can map around it. */
static struct mem_region early[2];
static unsigned early_count;
static int dtb_window = -1; /* the index in early[] of the DTB's own window; -1 if none or merged */
static uintptr_t image_range[2]; /* [lo, hi): what boot_map_set_granule() cleans and invalidates */

struct pt_space *boot_map_space(void)
{
	return &boot_space;
}

struct pt_space *boot_map_kernel_space(void)
{
	return &kernel_space;
}

/* Returns the new window's index in early[], or -1 if the range merged into an existing one. */
static int add_early(uint64_t lo, uint64_t hi)
{
	lo &= ~(SZ_2M - 1);
	hi = (hi + SZ_2M - 1) & ~(SZ_2M - 1);
	/* The DTB often sits in the image's 2 MiB window (U-Boot, QEMU raspi): merge rather than overlap. */
	for (unsigned i = 0; i < early_count; i++) {
		uint64_t b = early[i].base, e = b + early[i].size;
		if (lo <= e && hi >= b) {
			early[i].base = lo < b ? lo : b;
			early[i].size = (hi > e ? hi : e) - early[i].base;
			return -1;
		}
	}
	early[early_count].base = lo;
	early[early_count].size = hi - lo;
	return (int)early_count++;
}

/* The early identity map in TTBR0's space and TTBR1's empty root, from an empty pool. */
static enum pt_status build_early_spaces(void)
{
	boot_space.root = 0;
	kernel_space.root = 0;
	enum pt_status st = pt_build_identity_map(&boot_space, early, early_count, NULL, 0);
	return st == PT_OK ? pt_space_init_ttbr1(&kernel_space) : st;
}

enum pt_status boot_map_early(uintptr_t image_lo, uintptr_t image_hi, uintptr_t dtb_lo, uintptr_t dtb_hi)
{
	image_range[0] = image_lo;
	image_range[1] = image_hi;
	(void)add_early(image_lo, image_hi);
	dtb_window = dtb_hi > dtb_lo ? add_early(dtb_lo, dtb_hi) : -1;
	enum pt_status st = build_early_spaces();
	if (st != PT_OK)
		return st; /* the caller says why, with the MMU still off */

	/*
	 * Relocation, BSS and tables were written with the MMU off, straight to
	 * memory; a loader that ran with caches on may have left clean stale lines
	 * for those addresses. Drop them before turning the caches on (Linux head.S
	 * does the same for what it writes with the MMU off).
	 */
	dcache_inval_range(image_lo, image_hi);
	mmu_enable(&boot_space, &kernel_space);
	return PT_OK;
}

void boot_map_drop_dtb(void)
{
	if (dtb_window < 0)
		return;
	const struct mem_region w = early[dtb_window];
	/* A lone 2 MiB block (or blocks) of the early map: no partial block, so this cannot fail. */
	(void)unmap_range(&boot_space, w.base, w.size, PT_TLBI_ALL_LEVELS);
	for (unsigned i = (unsigned)dtb_window; i + 1 < early_count; i++)
		early[i] = early[i + 1];
	early_count--;
	dtb_window = -1;
}

/*
 * The same early map at another granule. TCR_EL1.TG0 may not change under live translations
 * of the code doing it, so the MMU goes off (mmu_disable(), Linux's kexec path does the same),
 * the pool and the boot space start over at the new geometry, and boot_map_early()'s windows
 * (the 2 MiB ranges around the image and the DTB, a whole number of 16K and 64K pages) are
 * mapped again and the MMU turned on with the new TCR_EL1 (TG0; T0SZ stays 16, so the walk
 * starts at level 0 for 4K and 16K and at level 1 for 64K: Arm ARM DDI 0487, D8.2). No
 * secondary CPU may be running; call before boot_map_board().
 */
enum pt_status boot_map_set_granule(unsigned granule_shift)
{
	if (granule_shift == PT_GRANULE_SHIFT)
		return PT_OK;
	mmu_disable(image_range[0], image_range[1]);
	if (!pt_geometry_set(granule_shift))
		granule_shift = PT_GRANULE_4K; /* unreachable for a parsed granule=; keep a map that works */
	pt_pool_reset();
	enum pt_status st = build_early_spaces(); /* TTBR1's root too: TG1 follows the granule (mmu_tcr_value()) */
	if (st != PT_OK) { /* the pool at this granule cannot hold the early map: back to 4K, which could */
		(void)pt_geometry_set(PT_GRANULE_4K);
		pt_pool_reset();
		(void)build_early_spaces();
	}
	/* Written with the MMU off: drop the clean lines a prefetch may have brought back meanwhile. */
	dcache_inval_range(image_range[0], image_range[1]);
	mmu_enable(&boot_space, &kernel_space);
	return st;
}

static void note_failure(struct boot_map_report *r, uint64_t base, enum pt_status st)
{
	if (!r->failed++) {
		r->first_failed_base = base;
		r->first_error = st;
	}
}

/*
 * Map [lo, hi) identity with `attrs`, skipping the parts boot_map_early() already mapped. A
 * device window grows to whole pages of the granule (Device memory either way); RAM shrinks to
 * them, so a region that is not 16K/64K-aligned never maps its non-RAM neighbour as Normal.
 */
static void map_around_early(uint64_t lo, uint64_t hi, pt_attrs_t attrs, struct boot_map_report *r)
{
	uint64_t mask = PT_GRANULE_SIZE - 1;

	if (desc_memtype(attrs) == MT_DEVICE_nGnRnE) {
		lo &= ~mask;
		hi = (hi + mask) & ~mask;
	} else {
		lo = (lo + mask) & ~mask;
		hi &= ~mask;
	}
	while (lo < hi) {
		uint64_t end = hi;
		bool skipped = false;
		for (unsigned i = 0; i < early_count; i++) {
			uint64_t b = early[i].base, e = b + early[i].size;
			if (lo >= b && lo < e) { /* inside an early range: jump past it */
				lo = e;
				skipped = true;
				break;
			}
			if (b > lo && b < end)
				end = b;
		}
		if (skipped)
			continue;
		enum pt_status st = map_range(&boot_space, lo, lo, end - lo, attrs, PT_POLICY_REFUSE_LIVE);
		if (st != PT_OK)
			note_failure(r, lo, st);
		lo = end;
	}
}

void boot_map_board(const struct board_config *cfg, struct boot_map_report *report)
{
	report->failed = 0;
	report->first_failed_base = 0;
	report->first_error = PT_OK;
	for (unsigned i = 0; i < cfg->device_count; i++)
		map_around_early(cfg->devices[i].base, cfg->devices[i].base + cfg->devices[i].size, PT_PROT_DEVICE,
				 report);
	for (unsigned i = 0; i < cfg->mem_count; i++)
		map_around_early(cfg->mem[i].base, cfg->mem[i].base + cfg->mem[i].size, PT_PROT_NORMAL, report);
	/* The early 2 MiB windows were mapped before the DTB could say what is no-map: report any overlap. */
	report->no_map_in_early = 0;
	for (unsigned i = 0; i < cfg->reserved_count; i++) {
		const struct dtb_reserved *r = &cfg->reserved[i];
		for (unsigned j = 0; j < early_count && r->no_map; j++)
			if (r->base < early[j].base + early[j].size && early[j].base < r->base + r->size &&
			    !report->no_map_in_early++)
				report->first_no_map_in_early = r->base;
	}
	/* The console may sit outside every listed device window (a DTB-chosen UART). */
	boot_map_device(cfg->console.port.base, 0x1000, report);
}

void boot_map_device(uint64_t base, uint64_t size, struct boot_map_report *report)
{
	struct pt_translation tr;

	if (pt_translate(&boot_space, base, &tr) == PT_OK && !tr.ok)
		map_around_early(base, base + size, PT_PROT_DEVICE, report);
}

bool boot_map_covers(uint64_t va)
{
	struct pt_translation tr;

	return pt_translate(&boot_space, va, &tr) == PT_OK && tr.ok;
}
