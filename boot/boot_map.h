/*
 * The boot identity map. Two steps, because the DTB that says where RAM and the
 * console are can only be parsed (libc, unaligned accesses) with the MMU on:
 *   boot_map_early(): MMU off -> on, mapping the image and the DTB as Normal;
 *   boot_map_board(): adds the board's RAM (Normal) and device windows (Device).
 * Both only ever turn invalid entries valid, so no break-before-make is needed.
 */
#ifndef BBM_BOOT_BOOT_MAP_H
#define BBM_BOOT_BOOT_MAP_H

#include <stdint.h>

#include "platform/platform.h"

/* Called with the MMU off: no libc. `dtb_hi` == `dtb_lo` when there is no DTB. */
void boot_map_early(uintptr_t image_lo, uintptr_t image_hi, uintptr_t dtb_lo, uintptr_t dtb_hi);
/* Returns the number of regions that could not be mapped (reported by the caller). */
unsigned boot_map_board(const struct board_config *cfg);

#endif
