/*
 * The console: one UART driver chosen at boot, behind picolibc's stdio so that
 * printf works. '\n' goes out as "\r\n" for serial terminals.
 *
 * UART drivers register themselves with CONSOLE_DRIVER() in their own file
 * (lib/uart_*.c): a name for `console=`, the DT compatibles they drive, and
 * init/putc/flush. Adding a UART is adding one such file.
 */
#ifndef BBMPROBE_LIB_CONSOLE_H
#define BBMPROBE_LIB_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Where a UART sits and how to program it. The baud rate is only programmed
 * when both baud and clock_hz are known; otherwise the driver keeps what the
 * boot loader (U-Boot, the Pi firmware) set and only enables the transmitter.
 */
struct console_port {
	uintptr_t base;
	uint32_t clock_hz;    /* reference clock; 0: unknown */
	uint32_t baud;        /* wanted rate; 0: keep the boot loader's */
	uint8_t reg_shift;    /* register n at base + (n << reg_shift) (DT reg-shift; 8250 only) */
	uint8_t reg_io_width; /* access size in bytes, 1, 2 or 4 (DT reg-io-width; 8250 only; 0 means 1) */
};

/* True when the driver should program the divisors (both the rate and the clock are known). */
static inline bool console_port_sets_baud(const struct console_port *port)
{
	return port->baud && port->clock_hz;
}

struct console_driver {
	const char *name;              /* "pl011", "mini-uart", "uart8250", "cdns", "imx", "semihosting" */
	const char *const *compatible; /* DT compatibles it drives, NULL-terminated */
	void (*init)(const struct console_port *port);
	/* Both return false when the UART did not become ready within a bounded wait. */
	bool (*put_char)(const struct console_port *port, char c);
	bool (*flush)(const struct console_port *port);
};

/* A chosen UART: driver (NULL: none) and port. */
struct console_desc {
	const struct console_driver *driver;
	struct console_port port;
};

#define CONSOLE_DRIVER(id)                                                                                             \
	static const struct console_driver id __attribute__((used, section("console_drivers"), aligned(8)))

/* UART waits give up after this many status reads (far longer than a byte at 9600 baud). */
#define CONSOLE_WAIT_POLLS 10000000u

const struct console_driver *console_driver_by_name(const char *name);
const struct console_driver *console_driver_by_compatible(const char *compatible);

/*
 * Select and initialise the UART. Before this, output is dropped (or goes to
 * semihosting, if enabled). A UART that faults or times out in init or later
 * is disabled for good: console_alive() turns false and console_failure()
 * says why; the notice also goes to semihosting, if enabled.
 */
void console_init(const struct console_desc *desc);
bool console_alive(void);
const char *console_failure(void);
/*
 * Send output to Arm semihosting whenever no UART is up. Only when the boot
 * arguments said `semihosting` (on hardware the call is an undefined instruction).
 */
void console_set_semihosting(bool on);
void console_putc(char c);
/* Start a new line unless the last character written ended one (reports that interrupt output). */
void console_begin_line(void);
/* Write a string without stdio (for the panic path). */
void console_write_raw(const char *s);
/* Wait until the UART has sent everything (before exit or reset). */
void console_flush(void);
/* Tests only (faults/console-fault): point the console at an unmapped address, so the next byte faults. */
void console_test_break(void);
/* The driver's name, or "none". */
const char *console_name(const struct console_desc *desc);

#endif
