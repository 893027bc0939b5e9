/*
 * The boot identity map, built by mmu/ (the one page-table code path). Two
 * steps, because the DTB that says where RAM and the console are can only be
 * parsed (libc, unaligned accesses) with the MMU on:
 *   boot_map_early(): MMU off -> on, mapping the image and the DTB as Normal;
 *   boot_map_board(): adds the board's RAM (Normal) and device windows (Device).
 * Both only ever turn invalid entries valid, so no break-before-make is needed.
 */
#ifndef BBMPROBE_MMU_BOOT_MAP_H
#define BBMPROBE_MMU_BOOT_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/pt.h"
#include "platform/platform.h"

/*
 * Called with the MMU off: no libc. `dtb_hi` == `dtb_lo` when there is no DTB.
 * On failure (a table pool too small) the MMU stays off and the status says why.
 */
enum pt_status boot_map_early(uintptr_t image_lo, uintptr_t image_hi, uintptr_t dtb_lo, uintptr_t dtb_hi);

/*
 * The DTB proved unusable (dtb_problem()): unmap its early window unless it shares the image's, so
 * that memory the board's fallback may not count as RAM is not left mapped Normal. MMU on, before
 * boot_map_set_granule() and boot_map_board(), with no secondary running.
 */
void boot_map_drop_dtb(void);

/*
 * MMU on, before boot_map_board() and before any secondary runs: rebuild the early map at
 * another granule (12, 14 or 16: 4K, 16K, 64K) with the MMU briefly off, then on with that
 * TCR_EL1.TG0. The CPU must implement the granule (ID_AA64MMFR0_EL1: the caller checks).
 * Not PT_OK: the pool could not hold the map at that granule; the run stays at 4K.
 */
enum pt_status boot_map_set_granule(unsigned granule_shift);

struct boot_map_report {
	unsigned failed;             /* regions that could not be mapped */
	uint64_t first_failed_base;
	enum pt_status first_error;
	unsigned no_map_in_early;    /* no-map regions inside the early image/DTB windows (mapped Normal) */
	uint64_t first_no_map_in_early;
};

void boot_map_board(const struct board_config *cfg, struct boot_map_report *report);
/* Map [base, base + size) as Device if it is not mapped yet (a device the DTB placed outside the windows). */
void boot_map_device(uint64_t base, uint64_t size, struct boot_map_report *report);
/* Whether va is mapped in the boot map. */
bool boot_map_covers(uint64_t va);
/* The live address space (what TTBR0_EL1 holds); tests map into it. */
struct pt_space *boot_map_space(void);
/* The live TTBR1 space (upper VA range; TTBR1_EL1 holds its root): empty after boot, the ttbr1 rows map into it. */
struct pt_space *boot_map_kernel_space(void);

#endif
