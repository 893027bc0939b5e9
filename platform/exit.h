/*
 * Ending a run. firmware_exit(n) prints the two closing lines ("SUMMARY: ..."
 * from the runner's counts, then "EXIT: STATUS=n"), once per run whatever path
 * gets there, and leaves by, in order of preference: semihosting
 * SYS_EXIT_EXTENDED (only when the run said semihosting is on: never on
 * hardware), the board's reset if the run asked for it, PSCI SYSTEM_OFF with
 * the DTB's conduit, else a low-power loop. A way out that traps falls through
 * to the next one.
 */
#ifndef BBMPROBE_PLATFORM_EXIT_H
#define BBMPROBE_PLATFORM_EXIT_H

#include <stdbool.h>

#include "lib/tap.h"
#include "platform/platform.h"

/* Exit statuses (documented in docs/output.md). */
#define EXIT_STATUS_PASS 0
#define EXIT_STATUS_FAIL 1
#define EXIT_STATUS_USAGE 2
#define EXIT_STATUS_PANIC 3
#define EXIT_STATUS_HARNESS 4 /* only harness errors failed: resources or API, no finding about the CPU */
#define EXIT_STATUS_NO_CONSOLE 5 /* no UART the firmware can drive: nothing else can say so */

enum exit_action {
	EXIT_ACTION_AUTO = 0, /* semihosting if on, else PSCI off, else halt */
	EXIT_ACTION_HALT,     /* print the line and wait in WFI */
	EXIT_ACTION_RESET,    /* board reset (watchdog), then halt if that fails */
};

struct exit_config {
	bool semihosting;
	enum psci_conduit psci;
	enum exit_action action;
	void (*board_reset)(void);
};

void exit_configure(const struct exit_config *cfg);
/* What happens after the exit line, for the banner (e.g. "semihosting", "halt (wfi)"). */
const char *exit_describe(void);
/* Print the closing lines (once) and leave. Usable with the MMU off: no stdio. */
void firmware_exit(int status) __attribute__((noreturn));
/* The counts SUMMARY reports (the runner's); zeros until set. */
void exit_set_counts(const struct tap_counts *counts);
/* Called once by firmware_panic() before the closing lines (the runner fails the running test). */
void exit_set_panic_hook(void (*hook)(void));
/* Fatal: status EXIT_STATUS_PANIC; usable from the exception handler. */
void firmware_panic(void) __attribute__((noreturn));

#endif
