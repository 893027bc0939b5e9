/*
 * 8250/16550 UART and its DesignWare APB variant (NS16550A datasheet; Synopsys
 * DW_apb_uart databook; Linux drivers/tty/serial/8250/8250_port.c and
 * 8250_early.c). Register n sits at base + (n << reg-shift) and is accessed
 * with reg-io-width bytes (DT properties; earlycon mmio/mmio16/mmio32).
 * Polled transmit only.
 */
#include "lib/console.h"
#include "lib/mmio.h"

/* Register numbers, before the shift. */
#define UART_THR 0 /* transmit holding (write); DLL with LCR.DLAB */
#define UART_IER 1 /* DLM with LCR.DLAB */
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define LCR_8N1 0x03u
#define LCR_DLAB 0x80u
#define FCR_ENABLE_CLEAR 0x07u /* FIFOs on, both cleared */
#define MCR_DTR_RTS 0x03u
#define LSR_THRE 0x20u /* room in the transmit FIFO / holding register */
#define LSR_TEMT 0x40u /* FIFO and shifter empty */

static uintptr_t reg_addr(const struct console_port *port, unsigned reg)
{
	return port->base + ((uintptr_t)reg << port->reg_shift);
}

static uint32_t reg_read(const struct console_port *port, unsigned reg)
{
	uintptr_t a = reg_addr(port, reg);

	switch (port->reg_io_width) {
	case 4:
		return mmio_read32(a);
	case 2:
		return mmio_read16(a);
	default:
		return mmio_read8(a);
	}
}

static void reg_write(const struct console_port *port, unsigned reg, uint32_t v)
{
	uintptr_t a = reg_addr(port, reg);

	switch (port->reg_io_width) {
	case 4:
		mmio_write32(a, v);
		break;
	case 2:
		mmio_write16(a, (uint16_t)v);
		break;
	default:
		mmio_write8(a, (uint8_t)v);
		break;
	}
}

/* Bounded wait on LSR with the port's access width (mmio_wait32 reads 32 bits only). */
static bool lsr_wait(const struct console_port *port, uint32_t mask)
{
	for (uint32_t polls = CONSOLE_WAIT_POLLS; polls--;)
		if ((reg_read(port, UART_LSR) & mask) == mask)
			return true;
	return false;
}

static bool uart8250_flush(const struct console_port *port)
{
	return lsr_wait(port, LSR_THRE | LSR_TEMT);
}

/*
 * Only with a known rate and clock: 8N1, divisor = clock / (16 * baud)
 * rounded, FIFOs on. Otherwise the boot loader's setup stays untouched.
 */
static void uart8250_init(const struct console_port *port)
{
	if (!console_port_sets_baud(port))
		return;
	uint32_t div = (port->clock_hz + 8 * port->baud) / (16 * port->baud);
	if (!div || div > 0xffff)
		return; /* not reachable from this clock: keep the boot loader's divisor */
	uart8250_flush(port); /* the DesignWare UART ignores LCR writes while busy */
	reg_write(port, UART_IER, 0);
	reg_write(port, UART_LCR, LCR_8N1 | LCR_DLAB);
	reg_write(port, UART_THR, div & 0xff);
	reg_write(port, UART_IER, div >> 8);
	reg_write(port, UART_LCR, LCR_8N1);
	reg_write(port, UART_FCR, FCR_ENABLE_CLEAR);
	reg_write(port, UART_MCR, MCR_DTR_RTS);
}

static bool uart8250_putc(const struct console_port *port, char c)
{
	if (!lsr_wait(port, LSR_THRE))
		return false;
	reg_write(port, UART_THR, (uint8_t)c);
	return true;
}

static const char *const uart8250_compatible[] = {"ns16550a", "ns16550", "snps,dw-apb-uart", NULL};

CONSOLE_DRIVER(uart_8250) = {
	.name = "uart8250",
	.compatible = uart8250_compatible,
	.init = uart8250_init,
	.put_char = uart8250_putc,
	.flush = uart8250_flush,
};
