/*
 * Console: driver lookup, output through the chosen driver, picolibc stdio glue
 * (tinystdio FDEV_SETUP_STREAM). Every driver call is guarded: a UART that
 * faults or never becomes ready is disabled once, said so on the output left
 * (semihosting, when the boot arguments asked for it), and never touched
 * again, so the panic path cannot re-enter it.
 */
#include "console.h"

#include <stdio.h>
#include <string.h>

#include "boot/exception.h"
#include "boot/sysregs.h"
#include "lib/semihosting.h"

extern const struct console_driver __start_console_drivers[], __stop_console_drivers[];

static struct console_desc console;
static bool console_dead;
static char dead_why[160];
static bool semihosting_on;
/* Semihosting output is sent a line at a time (one trap per line, not per byte). */
static char sh_line[128];
static size_t sh_used;

/* The registered drivers as an array (the section bounds are distinct objects to the compiler). */
static size_t driver_count(void)
{
	return ((uintptr_t)__stop_console_drivers - (uintptr_t)__start_console_drivers) / sizeof(struct console_driver);
}

const struct console_driver *console_driver_by_name(const char *name)
{
	for (size_t i = 0; i < driver_count(); i++)
		if (!strcmp(__start_console_drivers[i].name, name))
			return &__start_console_drivers[i];
	return NULL;
}

const struct console_driver *console_driver_by_compatible(const char *compatible)
{
	for (size_t i = 0; i < driver_count(); i++)
		for (const char *const *c = __start_console_drivers[i].compatible; *c; c++)
			if (!strcmp(*c, compatible))
				return &__start_console_drivers[i];
	return NULL;
}

const char *console_name(const struct console_desc *desc)
{
	return desc->driver ? desc->driver->name : "none";
}

/* ---- the fallback output: semihosting ---- */

static void sh_flush_run(void *arg)
{
	(void)arg;
	sh_line[sh_used] = '\0';
	semihosting_write0(sh_line);
}

static void sh_flush(void)
{
	if (!sh_used)
		return;
	/* Guarded anyway: a trap here means there is no debugger after all; stop using it. */
	if (!guarded_call(sh_flush_run, NULL, NULL))
		semihosting_on = false;
	sh_used = 0;
}

static void sh_putc(char c)
{
	if (!semihosting_on)
		return;
	sh_line[sh_used++] = c;
	if (c == '\n' || sh_used == sizeof(sh_line) - 1)
		sh_flush();
}

void console_set_semihosting(bool on)
{
	semihosting_on = on;
}

/* ---- guarded driver calls ---- */

enum uart_op_kind { UART_INIT, UART_PUT, UART_FLUSH };

struct uart_op {
	enum uart_op_kind kind;
	char c;
	bool ready;
};

static void uart_op_run(void *arg)
{
	struct uart_op *op = arg;

	op->ready = true;
	if (op->kind == UART_INIT)
		console.driver->init(&console.port);
	else if (op->kind == UART_PUT)
		op->ready = console.driver->put_char(&console.port, op->c);
	else
		op->ready = console.driver->flush(&console.port);
}

static void append(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	while (*s && n + 1 < len)
		buf[n++] = *s++;
	buf[n] = '\0';
}

static void append_hex(char *buf, size_t len, uint64_t v)
{
	char digits[19] = "0x";
	int n = 2, shift = 60;

	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		digits[n++] = "0123456789abcdef"[(v >> shift) & 0xf];
	digits[n] = '\0';
	append(buf, len, digits);
}

/* Disable the console and say why on whatever output is left. No stdio: this runs inside it. */
static void console_kill(const struct uart_op *op, const struct fault_record *rec)
{
	static const char *const during[] = {"during init", "while writing", "while draining"};

	console_dead = true;
	dead_why[0] = '\0';
	append(dead_why, sizeof(dead_why), console_name(&console));
	append(dead_why, sizeof(dead_why), " at ");
	append_hex(dead_why, sizeof(dead_why), console.port.base);
	if (rec->taken) {
		append(dead_why, sizeof(dead_why), " faulted ");
		append(dead_why, sizeof(dead_why), during[op->kind]);
		append(dead_why, sizeof(dead_why), " (");
		append(dead_why, sizeof(dead_why), rec->kind != FAULT_NONE ? fault_kind_name(rec->kind) : esr_ec_name(rec->ec));
		append(dead_why, sizeof(dead_why), " at ");
		append_hex(dead_why, sizeof(dead_why), rec->far);
		append(dead_why, sizeof(dead_why), ")");
	} else {
		append(dead_why, sizeof(dead_why), " never became ready ");
		append(dead_why, sizeof(dead_why), during[op->kind]);
		append(dead_why, sizeof(dead_why), " (a bounded wait timed out)");
	}
	for (const char *p = "# console: "; *p; p++)
		sh_putc(*p);
	for (const char *p = dead_why; *p; p++)
		sh_putc(*p);
	for (const char *p = "; disabled, output continues here\n"; *p; p++)
		sh_putc(*p);
}

static bool uart_op(enum uart_op_kind kind, char c)
{
	struct uart_op op = {.kind = kind, .c = c, .ready = false};
	struct fault_record rec;

	if (!console.driver || console_dead)
		return false;
	/* No interrupt inside a driver call: the watchdog must not unwind a half-written byte. */
	uint64_t daif = irq_save_mask();
	bool returned = guarded_call(uart_op_run, &op, &rec);
	irq_restore(daif);
	if (returned && op.ready)
		return true;
	if (!returned)
		op.ready = false;
	console_kill(&op, &rec);
	return false;
}

void console_init(const struct console_desc *desc)
{
	console = *desc;
	console_dead = false;
	dead_why[0] = '\0';
	uart_op(UART_INIT, 0);
}

void console_test_break(void)
{
	console.port.base = 0x0000ff8000000000ull; /* TTBR0 L0 index 511: never mapped */
}

bool console_alive(void)
{
	return console.driver && !console_dead;
}

const char *console_failure(void)
{
	return console_dead ? dead_why : NULL;
}

static bool at_line_start = true;

void console_begin_line(void)
{
	if (!at_line_start)
		console_putc('\n');
}

void console_putc(char c)
{
	if (c != '\r')
		at_line_start = c == '\n';
	if (c == '\n')
		console_putc('\r');
	if (!uart_op(UART_PUT, c) && c != '\r')
		sh_putc(c);
}

void console_write_raw(const char *s)
{
	while (*s)
		console_putc(*s++);
}

void console_flush(void)
{
	uart_op(UART_FLUSH, 0);
	sh_flush();
}

static int stdio_put(char c, FILE *f)
{
	(void)f;
	console_putc(c);
	return (unsigned char)c;
}

static FILE console_stream = FDEV_SETUP_STREAM(stdio_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &console_stream;
FILE *const stdout = &console_stream;
FILE *const stderr = &console_stream;
