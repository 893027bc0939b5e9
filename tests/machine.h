/*
 * What the results were measured on: board, CPU, bbmprobe version, and whether
 * this is QEMU (which caches no table entries, so walk-cache outcomes cannot be
 * observed on it). Printed in the banner and in every "# result" line.
 */
#ifndef BBMPROBE_TESTS_MACHINE_H
#define BBMPROBE_TESTS_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

enum machine_emulator {
	EMU_UNKNOWN, /* nothing identifies an emulator (real hardware, or an emulator that hides) */
	EMU_QEMU,    /* the DTB says so (QEMU virt builds its own DTB) */
	EMU_QEMU_INFERRED, /* a QEMU default no firmware of this board sets (raspi: we supply the DTB) */
};

struct machine_info {
	const char *board;   /* "virt", "rpi3", "rpi4" */
	uint64_t midr;
	const char *version; /* git describe of the image */
	enum machine_emulator emu;
	char emu_why[160];   /* the evidence, in words */
};

/* Once, from main, after the board is known. */
void machine_init(const char *version);
const struct machine_info *machine(void);
bool machine_is_qemu(void);
/* The banner's "# emulator:" line, and the run-wide QEMU note when it applies. */
void machine_print_banner(void);

#endif
