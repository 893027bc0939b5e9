/* Console: driver lookup, output through the chosen driver, picolibc stdio glue (tinystdio FDEV_SETUP_STREAM). */
#include "console.h"

#include <stdio.h>
#include <string.h>

extern const struct console_driver __start_console_drivers[], __stop_console_drivers[];

static struct console_desc console;

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

void console_init(const struct console_desc *desc)
{
	console = *desc;
	if (console.driver)
		console.driver->init(&console.port);
}

static void uart_putc(char c)
{
	if (console.driver)
		console.driver->put_char(&console.port, c);
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
	if (console.driver)
		console.driver->flush(&console.port);
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
