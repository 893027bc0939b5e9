/* Arm PrimeCell UART (PL011) Technical Reference Manual, DDI 0183: QEMU virt, raspi and Versal, Pi UART0. Polled transmit only. */
#include "lib/console.h"
#include "lib/mmio.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTIBRD 0x24
#define UARTFBRD 0x28
#define UARTLCR_H 0x2c
#define UARTCR 0x30
#define UARTIMSC 0x38
#define UARTICR 0x44

#define FR_TXFF (1u << 5)
#define FR_BUSY (1u << 3)
#define LCRH_FEN (1u << 4)
#define LCRH_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)

static bool pl011_flush(const struct console_port *port)
{
	return mmio_wait32(port->base + UARTFR, FR_BUSY, 0, CONSOLE_WAIT_POLLS);
}

/* Program port->baud 8N1 from the reference clock; without both, keep the boot loader's rate. */
static void pl011_init(const struct console_port *port)
{
	uintptr_t base = port->base;

	if (!console_port_sets_baud(port)) {
		uint32_t cr = mmio_read32(base + UARTCR);
		if ((cr & (CR_UARTEN | CR_TXE)) != (CR_UARTEN | CR_TXE))
			mmio_write32(base + UARTCR, cr | CR_UARTEN | CR_TXE);
		return;
	}
	pl011_flush(port);
	mmio_write32(base + UARTCR, 0);
	/* Divisor = clock / (16 * baud), fraction in 1/64ths, rounded (PL011 TRM 3.3.6). */
	uint32_t div64 = (uint32_t)(((uint64_t)port->clock_hz * 4 + port->baud / 2) / port->baud);
	mmio_write32(base + UARTIBRD, div64 >> 6);
	mmio_write32(base + UARTFBRD, div64 & 0x3f);
	mmio_write32(base + UARTLCR_H, LCRH_WLEN8 | LCRH_FEN);
	mmio_write32(base + UARTIMSC, 0);
	mmio_write32(base + UARTICR, 0x7ff);
	mmio_write32(base + UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
}

static bool pl011_putc(const struct console_port *port, char c)
{
	if (!mmio_wait32(port->base + UARTFR, FR_TXFF, 0, CONSOLE_WAIT_POLLS))
		return false;
	mmio_write32(port->base + UARTDR, (uint8_t)c);
	return true;
}

static const char *const pl011_compatible[] = {"arm,pl011", NULL};

CONSOLE_DRIVER(uart_pl011) = {
	.name = "pl011",
	.compatible = pl011_compatible,
	.init = pl011_init,
	.put_char = pl011_putc,
	.flush = pl011_flush,
};
