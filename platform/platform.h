/*
 * Boards. One struct per board (platform/<board>.c), chosen at run time from the
 * DTB root `compatible`; with no DTB, the build-time fallback (FALLBACK_BOARD).
 * Each board says which UARTs it has, its RAM, how it exits and how its
 * secondary CPUs start. The DTB, when present, overrides the defaults given
 * here (console, memory, PSCI method); `console=pl011|mini` overrides the DTB.
 */
#ifndef BBMPROBE_PLATFORM_PLATFORM_H
#define BBMPROBE_PLATFORM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/console.h"
#include "lib/dtb.h"

#define PLATFORM_MAX_MEM 8

/* What the board offers; filled from defaults, then refined from the DTB. */
struct board_config {
	struct console_desc console;
	struct mem_region mem[PLATFORM_MAX_MEM];
	unsigned mem_count;
	enum psci_conduit psci;
	/* Device windows to map as Device memory in the boot map. */
	struct mem_region devices[4];
	unsigned device_count;
};

/* A UART the board has, selectable with the boot argument console=NAME. */
struct board_uart {
	const char *name;          /* boot-argument value: "pl011", "mini" */
	const char *driver;        /* console driver name (lib/uart_*.c) */
	struct console_port port;  /* clock_hz: the UART's reference clock, 0 = keep the firmware's baud */
};

/* How secondary CPUs are started (not used by the tests yet; reported in the banner). */
enum cpu_start_method {
	CPU_START_PSCI = 0,   /* PSCI CPU_ON through the DTB's conduit */
	CPU_START_SPIN_TABLE, /* write the entry point to the CPU's release address, then SEV */
};

#define PLATFORM_MAX_UARTS 2

struct platform {
	const char *name;               /* "virt", "rpi3", "rpi4" */
	const char *const *compatible;  /* DT root compatibles, NULL-terminated */
	struct board_config defaults;
	uintptr_t dtb_probe_addr;       /* where a DTB may sit when x0 has none (0: nowhere) */
	/* The board's UARTs; the first is the default console (defaults.console is filled from it). */
	struct board_uart uarts[PLATFORM_MAX_UARTS];
	unsigned uart_count;
	enum cpu_start_method cpu_start;
	uintptr_t spin_table;           /* CPU n's release address is spin_table + 8 * n */
	/*
	 * Board-specific setup before the console is initialised (pin muxing for
	 * cfg->console); may be NULL. Writes what it did to `note` for the banner.
	 */
	void (*init)(const struct board_config *cfg, char *note, size_t note_len);
	/* Reset the board (watchdog); NULL if it cannot. Does not return on success. */
	void (*reset)(void);
};

/* The board whose compatible list matches the DTB root, or NULL. */
const struct platform *platform_match(const void *fdt);
/* The board's defaults, with the console resolved from its first UART. */
void platform_default_config(const struct platform *plat, struct board_config *cfg);
/* The board chosen at build time (FALLBACK_BOARD). */
const struct platform *platform_fallback(void);
/*
 * Apply the boot argument console=auto|pl011|mini to cfg->console. "auto" keeps
 * what the DTB (or the board default) chose. A UART the board does not have is
 * a usage error: returns false with a message in err. In every case the chosen
 * UART gets the board's reference clock when the board knows it. `how` is
 * updated to say where the choice came from.
 */
bool platform_choose_console(const struct platform *plat, const char *choice, struct board_config *cfg,
			     const char **how, char *err, size_t err_len);
/* All boards, for messages. */
extern const struct platform *const platform_all[];

#endif
