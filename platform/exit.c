/*
 * Leaving the firmware (see exit.h). The closing lines are printed once, in
 * this file only, without stdio; then each way out is tried in order, guarded:
 * a conduit that traps (semihosting on hardware, HVC with no EL2, SMC with no
 * EL3) is caught and the next one is tried, down to the WFI loop. Nothing is
 * printed after the exit line.
 */
#include "exit.h"

#include <stdint.h>

#include "boot/exception.h"
#include "lib/console.h"
#include "lib/semihosting.h"

#define PSCI_SYSTEM_OFF 0x84000008u

static struct exit_config exit_cfg;
static void (*panic_hook)(void);
static const struct tap_counts *summary_counts;

void exit_set_panic_hook(void (*hook)(void))
{
	panic_hook = hook;
}

void exit_set_counts(const struct tap_counts *counts)
{
	summary_counts = counts;
}

void exit_configure(const struct exit_config *cfg)
{
	exit_cfg = *cfg;
}

const char *exit_describe(void)
{
	if (exit_cfg.semihosting)
		return "semihosting SYS_EXIT_EXTENDED (the status reaches QEMU)";
	if (exit_cfg.action == EXIT_ACTION_RESET)
		return exit_cfg.board_reset ? "board reset (exit=reset)" : "halt: exit=reset, but this board has no reset";
	if (exit_cfg.action == EXIT_ACTION_AUTO && exit_cfg.psci != PSCI_NONE)
		return "PSCI SYSTEM_OFF";
	if (exit_cfg.action == EXIT_ACTION_HALT)
		return "halt in wfi (exit=halt)";
	return exit_cfg.board_reset ? "halt in wfi (no PSCI; exit=reset resets the board instead)" : "halt in wfi (no PSCI)";
}

static void psci_system_off(void *arg)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	(void)arg;
	if (exit_cfg.psci == PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else if (exit_cfg.psci == PSCI_SMC)
		__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

static void semihosting_leave(void *arg)
{
	semihosting_exit(*(const int *)arg);
}

static void board_reset(void *arg)
{
	(void)arg;
	exit_cfg.board_reset();
}

static void __attribute__((noreturn)) leave(int status)
{
	static bool leaving;

	/* Re-entered (a fault the guards did not catch ended in the panic path): just stop. */
	if (!leaving) {
		leaving = true;
		console_flush();
		if (exit_cfg.semihosting)
			guarded_call(semihosting_leave, &status, NULL);
		if (exit_cfg.action == EXIT_ACTION_RESET && exit_cfg.board_reset)
			guarded_call(board_reset, NULL, NULL);
		else if (exit_cfg.action == EXIT_ACTION_AUTO && exit_cfg.psci != PSCI_NONE)
			guarded_call(psci_system_off, NULL, NULL);
	}
	for (;;)
		__asm__ volatile("wfi");
}

/* SUMMARY (from the runner's counts, zeros before it started) and the exit line, once per run. */
static void closing_lines(int status)
{
	static bool printed;
	static const struct tap_counts none;
	char line[96];

	if (printed)
		return;
	printed = true;
	tap_format_summary(summary_counts ? summary_counts : &none, line, sizeof(line));
	console_write_raw(line);
	console_write_raw("\n");
	tap_format_exit(status, line, sizeof(line));
	console_write_raw(line);
	console_write_raw("\n");
}

void firmware_exit(int status)
{
	closing_lines(status);
	leave(status);
}

void firmware_panic(void)
{
	void (*hook)(void) = panic_hook;

	panic_hook = NULL; /* once: the hook itself may fault */
	if (hook)
		hook();
	closing_lines(EXIT_STATUS_PANIC);
	leave(EXIT_STATUS_PANIC);
}
