/* What boot learned about the machine, for tests that need free RAM or the board's layout. */
#ifndef BBMPROBE_PLATFORM_BOOT_INFO_H
#define BBMPROBE_PLATFORM_BOOT_INFO_H

#include <stdbool.h>
#include <stdint.h>

#include "platform/platform.h"

struct boot_info {
	const struct platform *platform;
	struct board_config config; /* after the DTB refined the board defaults */
	uint64_t entry_el;
	uintptr_t image_lo, image_hi; /* the loaded image including BSS */
	uintptr_t dtb_lo, dtb_hi;     /* the DTB in use (dtb_problem() passed it); both 0 when none */
};

const struct boot_info *boot_info(void);
/*
 * True when [lo, hi) overlaps reserved memory (/memreserve/, /reserved-memory)
 * and so must not be used as scratch; always true when the DTB had more
 * reserved regions than could be recorded.
 */
bool boot_info_overlaps_reserved(uint64_t lo, uint64_t hi);
/* Recorded once by main after the board is known. */
void boot_info_set(const struct boot_info *info);

#endif
