/*
 * QEMU `virt` (hw/arm/virt.c memory map): PL011 at 0x09000000, RAM from
 * 0x40000000, PSCI over HVC (SMC with virtualization=on; the DTB says which).
 * For bare-metal (ELF) boots QEMU puts the DTB at the start of RAM, so that is
 * where we look when x0 carries none (QEMU docs, "virt", bare-metal boot).
 * Secondary CPUs start with PSCI CPU_ON; exit is PSCI SYSTEM_OFF (QEMU hw/arm/virt.c advertises PSCI in the DTB).
 */
#include "platform/platform.h"

static const char *const virt_compatible[] = {"linux,dummy-virt", NULL};

PLATFORM_BOARD(platform_virt) = {
	.name = "virt",
	.compatible = virt_compatible,
	.defaults = {
		.mem = {{.base = 0x40000000, .size = 128ull << 20}},
		.mem_count = 1,
		.psci = PSCI_HVC,
		.devices = {{.base = 0x08000000, .size = 0x08000000}},
		.device_count = 1,
		.cpus = {.method = CPU_ENABLE_PSCI},
	},
	.dtb_probe_addr = 0x40000000,
	/* QEMU's PL011 ignores the baud divisors: clock 0 leaves them alone. */
	.uarts = {{.name = "pl011", .driver = "pl011", .port = {.base = 0x09000000, .clock_hz = 0}}},
	.uart_count = 1,
	.init = NULL,
	.reset = NULL,
};
