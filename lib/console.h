/*
 * The console: one UART chosen at boot (from /chosen/stdout-path or the board
 * default), behind picolibc's stdio so that printf works. '\n' goes out as
 * "\r\n" for serial terminals.
 */
#ifndef BBM_LIB_CONSOLE_H
#define BBM_LIB_CONSOLE_H

#include "platform/platform.h"

/* Select and initialise the UART. Before this, output is dropped. */
void console_init(const struct console_desc *desc);
const struct console_desc *console_current(void);
void console_putc(char c);
/* Write a string without stdio (for the panic path). */
void console_write_raw(const char *s);
/* Wait until the UART has sent everything (before exit or reset). */
void console_flush(void);
const char *uart_kind_name(enum uart_kind kind);

#endif
