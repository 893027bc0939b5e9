/*
 * Any board with a device tree and no board file: everything comes from the
 * DTB (console from /chosen/stdout-path, RAM, reserved memory, CPUs, PSCI),
 * and the only device mapped is the console. No quirks: no pin muxing (the
 * boot loader already routed its console), no reset but PSCI's.
 * Without a DTB there is nothing to go on: no console, no RAM beyond the image.
 */
#include "platform/platform.h"

static const char *const generic_compatible[] = {NULL};

PLATFORM_BOARD(platform_board_generic) = {
	.name = "generic",
	.compatible = generic_compatible,
	.defaults = {.psci = PSCI_NONE},
	.dtb_probe_addr = 0,
	.uart_count = 0,
	.init = NULL,
	.reset = NULL,
};
