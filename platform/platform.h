/*
 * Boards. One struct per board (platform/<board>.c), chosen at run time from the
 * DTB root `compatible`; with no DTB, the build-time fallback (FALLBACK_BOARD).
 * The DTB, when present, overrides the defaults given here (console, memory,
 * PSCI method).
 */
#ifndef BBM_PLATFORM_H
#define BBM_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum uart_kind {
	UART_NONE = 0,
	UART_PL011,
	UART_MINI, /* BCM283x/BCM2711 AUX mini UART (8250-like) */
};

struct mem_region {
	uint64_t base;
	uint64_t size;
};

enum psci_conduit {
	PSCI_NONE = 0,
	PSCI_HVC,
	PSCI_SMC,
};

struct console_desc {
	enum uart_kind kind;
	uintptr_t base;
	uint32_t clock_hz; /* 0: leave the baud rate as firmware set it */
};

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

struct platform {
	const char *name;               /* "virt", "rpi4" */
	const char *const *compatible;  /* DT root compatibles, NULL-terminated */
	struct board_config defaults;
	uintptr_t dtb_probe_addr;       /* where a DTB may sit when x0 has none (0: nowhere) */
	/* Board-specific setup once the console works (pin muxing etc.); may be NULL. */
	void (*init)(const struct board_config *cfg);
	/* Reset the board (watchdog); NULL if it cannot. Does not return on success. */
	void (*reset)(void);
};

/* The board whose compatible list matches the DTB root, or NULL. */
const struct platform *platform_match(const void *fdt);
/* The board chosen at build time (FALLBACK_BOARD). */
const struct platform *platform_fallback(void);
/* All boards, for messages. */
extern const struct platform *const platform_all[];

#endif
