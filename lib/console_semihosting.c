/*
 * Console through Arm semihosting SYS_WRITE0 (Arm "Semihosting for AArch32
 * and AArch64", 0x04): the debugger or QEMU prints the string. Used only when
 * the boot arguments say `semihosting` and no UART can be driven; on hardware
 * without a debugger the HLT it needs is an undefined instruction.
 * Lines are buffered so each costs one trap.
 */
#include "lib/console.h"

#define SEMIHOSTING_SYS_WRITE0 0x04

static char line[128];
static unsigned used;

static void write0(const char *s)
{
	register uint64_t x0 __asm__("x0") = SEMIHOSTING_SYS_WRITE0;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)s;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

static bool semihosting_flush(const struct console_port *port)
{
	(void)port;
	if (used) {
		line[used] = '\0';
		write0(line);
		used = 0;
	}
	return true;
}

static void semihosting_init(const struct console_port *port)
{
	(void)port;
	used = 0;
}

static bool semihosting_putc(const struct console_port *port, char c)
{
	if (c == '\r')
		return true; /* the host's terminal ends lines itself */
	line[used++] = c;
	if (c == '\n' || used == sizeof(line) - 1)
		semihosting_flush(port);
	return true;
}

static const char *const semihosting_compatible[] = {NULL};

CONSOLE_DRIVER(console_semihosting) = {
	.name = "semihosting",
	.compatible = semihosting_compatible,
	.init = semihosting_init,
	.put_char = semihosting_putc,
	.flush = semihosting_flush,
};
