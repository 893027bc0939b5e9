/* Console: UART dispatch and picolibc stdio glue (picolibc tinystdio FDEV_SETUP_STREAM). */
#include "console.h"

#include <stdio.h>

#include "lib/uart_mini.h"
#include "lib/uart_pl011.h"

static struct console_desc console;

void console_init(const struct console_desc *desc)
{
	console = *desc;
	switch (console.kind) {
	case UART_PL011:
		pl011_init(console.base, console.clock_hz);
		break;
	case UART_MINI:
		mini_uart_init(console.base, console.clock_hz);
		break;
	default:
		break;
	}
}

const struct console_desc *console_current(void)
{
	return &console;
}

const char *uart_kind_name(enum uart_kind kind)
{
	switch (kind) {
	case UART_PL011: return "pl011";
	case UART_MINI: return "mini-uart";
	case UART_NONE: break;
	}
	return "none";
}

static void uart_putc(char c)
{
	switch (console.kind) {
	case UART_PL011:
		pl011_putc(console.base, c);
		break;
	case UART_MINI:
		mini_uart_putc(console.base, c);
		break;
	default:
		break;
	}
}

void console_putc(char c)
{
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

void console_write_raw(const char *s)
{
	while (*s)
		console_putc(*s++);
}

void console_flush(void)
{
	switch (console.kind) {
	case UART_PL011:
		pl011_flush(console.base);
		break;
	case UART_MINI:
		mini_uart_flush(console.base);
		break;
	default:
		break;
	}
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
