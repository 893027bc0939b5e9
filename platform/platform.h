/*
 * Boards. With a DTB everything bbmprobe needs comes from it (console, RAM,
 * reserved memory, CPUs, PSCI conduit); a board file (platform/boards/<board>.c,
 * registered with PLATFORM_BOARD())
 * adds only quirks, chosen by the DTB root `compatible`: pin muxing, a watchdog
 * reset, the reference clocks of its UARTs, where a DTB hides when x0 has
 * none. A DTB no board file claims runs on the `generic` board. Without a DTB,
 * the build-time fallback board (FALLBACK_BOARD) supplies defaults.
 * `console=` overrides the console (auto, pl011, mini, or an earlycon address).
 */
#ifndef BBMPROBE_PLATFORM_PLATFORM_H
#define BBMPROBE_PLATFORM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/bootargs.h"
#include "lib/console.h"
#include "lib/dtb.h"

#define PLATFORM_MAX_MEM 8
#define PLATFORM_MAX_RESERVED 48
#define PLATFORM_MAX_DEVICES 6

/* What the board offers; filled from defaults, then from the DTB. */
struct board_config {
	struct console_desc console;
	/* RAM to map as Normal memory: the DTB's /memory less its no-map reserved regions. */
	struct mem_region mem[PLATFORM_MAX_MEM];
	unsigned mem_count;
	unsigned mem_dropped; /* RAM pieces left out for want of room in mem[] */
	/* Never used by tests; the no-map ones are not mapped at all. */
	struct dtb_reserved reserved[PLATFORM_MAX_RESERVED];
	unsigned reserved_count;
	unsigned reserved_dropped; /* regions not recorded (beyond the array, or unreadable): no test scratch then */
	enum psci_conduit psci;
	struct cpu_topology cpus;
	/* Device windows to map as Device-nGnRnE, execute-never, in the boot map (the console's among them). */
	struct mem_region devices[PLATFORM_MAX_DEVICES];
	unsigned device_count;
};

/* A UART the board has, selectable with the boot argument console=NAME. */
struct board_uart {
	const char *name;          /* boot-argument value: "pl011", "mini" */
	const char *driver;        /* console driver name (lib/uart_*.c) */
	struct console_port port;  /* clock_hz and baud: what to program (0: keep the boot loader's rate) */
};

#define PLATFORM_MAX_UARTS 2

struct platform {
	const char *name;               /* "generic", "virt", "rpi3", "rpi4" */
	const char *const *compatible;  /* DT root compatibles, NULL-terminated */
	struct board_config defaults;   /* used without a DTB (and where the DTB is silent) */
	uintptr_t dtb_probe_addr;       /* where a DTB may sit when x0 has none (0: nowhere) */
	/* The board's UARTs; the first is the default console (defaults.console is filled from it). */
	struct board_uart uarts[PLATFORM_MAX_UARTS];
	unsigned uart_count;
	/*
	 * Board-specific setup before the console is initialised (pin muxing for
	 * cfg->console); may be NULL. Writes what it did to `note` for the banner.
	 */
	void (*init)(const struct board_config *cfg, char *note, size_t note_len);
	/* Reset the board (watchdog); NULL if it cannot. Does not return on success. */
	void (*reset)(void);
};

/* How the console was chosen, for the banner. */
struct console_report {
	const char *how;     /* e.g. the stdout-path node, "console=pl011", "board default" */
	const char *why_none; /* no console: why */
	const char *options; /* stdout-path options as written (shown; the boot loader's rate is kept) */
	char how_buf[160];
	char why_buf[160];
};

/* A board file registers itself: PLATFORM_BOARD(platform_myboard) = {...}; nothing else to edit. */
#define PLATFORM_BOARD(id) const struct platform id __attribute__((used, section("boards"), aligned(8)))

/* The board whose compatible list matches the DTB root, or NULL. */
const struct platform *platform_match(const void *fdt);
/* The board for a DTB no board file claims. */
const struct platform *platform_generic(void);
/* The board's defaults, with the console resolved from its first UART. */
void platform_default_config(const struct platform *plat, struct board_config *cfg);
/* Replace the defaults with what the DTB says: RAM (less no-map regions), reserved memory, PSCI, CPUs. */
void platform_config_from_dtb(const void *fdt, struct board_config *cfg);
/* The board chosen at build time (FALLBACK_BOARD). */
const struct platform *platform_fallback(void);
/*
 * Choose cfg->console from console= (args NULL: auto). auto: /chosen/stdout-path
 * (or the serial0 alias), else the board's default UART, else none (driver
 * NULL, rep->why_none says why). pl011|mini: the board's UART of that name,
 * else the DTB's first enabled node of that type. NAME,ADDR: that UART.
 * A UART the board lacks or an address in RAM is a usage error: false with a
 * message in err. The console's window is added to cfg->devices.
 */
bool platform_choose_console(const struct platform *plat, const void *fdt, const struct bootargs *args,
			     struct board_config *cfg, struct console_report *rep, char *err, size_t err_len);
/* The banner lines for memory, reserved memory, console, PSCI and CPUs. */
void platform_print_config(const struct board_config *cfg, const struct console_report *rep);

#endif
