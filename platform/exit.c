/* Leaving the firmware: semihosting, board reset, PSCI SYSTEM_OFF or WFI (see exit.h). */
#include "exit.h"

#include <stdint.h>
#include <stdio.h>

#include "lib/console.h"

#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define PSCI_SYSTEM_OFF 0x84000008u

static struct exit_config exit_cfg;
static void (*panic_hook)(void);

void exit_set_panic_hook(void (*hook)(void))
{
	panic_hook = hook;
}

void exit_configure(const struct exit_config *cfg)
{
	exit_cfg = *cfg;
}

/* Arm semihosting spec 2.0, SYS_EXIT_EXTENDED: QEMU exits with `code`. */
static void semihosting_exit(int code)
{
	static volatile uint64_t block[2];

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = (uint64_t)(int64_t)code;
	register uint64_t x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT_EXTENDED;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
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

static void psci_system_off(enum psci_conduit conduit)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	if (conduit == PSCI_HVC)
		__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else if (conduit == PSCI_SMC)
		__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

static void __attribute__((noreturn)) halt_forever(void)
{
	console_flush();
	for (;;)
		__asm__ volatile("wfi");
}

static void __attribute__((noreturn)) leave(int status)
{
	static bool leaving;

	/* A conduit that traps (e.g. HVC with no EL2) comes back here through the panic path: just stop. */
	if (leaving)
		halt_forever();
	leaving = true;
	console_flush();
	if (exit_cfg.semihosting)
		semihosting_exit(status);
	if (exit_cfg.action == EXIT_ACTION_RESET) {
		if (exit_cfg.board_reset) {
			exit_cfg.board_reset();
			console_write_raw("# exit: the board reset did not happen; halting\n");
		} else {
			console_write_raw("# exit: this board has no reset method; halting\n");
		}
	} else if (exit_cfg.action == EXIT_ACTION_AUTO && exit_cfg.psci != PSCI_NONE) {
		psci_system_off(exit_cfg.psci);
		console_write_raw("# exit: PSCI SYSTEM_OFF returned; halting\n");
	}
	halt_forever();
}

void firmware_exit(int status)
{
	printf("EXIT: STATUS=%d\n", status);
	leave(status);
}

void firmware_panic(void)
{
	void (*hook)(void) = panic_hook;

	panic_hook = NULL; /* once: the hook itself may fault */
	if (hook)
		hook();
	console_write_raw("EXIT: STATUS=3\n");
	leave(EXIT_STATUS_PANIC);
}
