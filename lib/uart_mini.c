/*
 * BCM2835/BCM2711 AUX mini UART (BCM2835 ARM Peripherals §2.2; BCM2711 ARM
 * Peripherals §2.2): an 8250-like UART whose baud rate derives from the VPU
 * core clock. The port base is AUX_MU_IO_REG (the DT node's reg, e.g.
 * 0xFE215040 on the Pi 4); the AUX block's enable register sits 0x3c below it.
 * Polled transmit only.
 */
#include "lib/console.h"
#include "lib/mmio.h"

/* Offsets from AUX_MU_IO_REG, which is AUX base + 0x40 (BCM2711 ARM Peripherals §2.1, §2.2.2). */
#define AUX_ENABLES_BELOW_IO 0x3c /* AUX_ENABLES is AUX base + 0x04 */
#define MU_IO 0x00
#define MU_IER 0x04
#define MU_IIR 0x08
#define MU_LCR 0x0c
#define MU_MCR 0x10
#define MU_LSR 0x14
#define MU_CNTL 0x20
#define MU_BAUD 0x28

#define AUX_ENABLES_MINI_UART (1u << 0)
/* The datasheet documents only bit 0 for 8-bit mode; bits 1:0 = 3 are needed (elinux.org BCM2835 datasheet errata). */
#define LCR_8BIT 3u
#define IIR_CLEAR_FIFOS 0xc6u
#define LSR_TX_EMPTY (1u << 5) /* room for at least one byte */
#define LSR_TX_IDLE (1u << 6)  /* FIFO empty and the shifter done */
#define CNTL_TX_EN (1u << 1)
#define CNTL_RX_EN (1u << 0)

static bool mini_uart_flush(const struct console_port *port)
{
	return mmio_wait32(port->base + MU_LSR, LSR_TX_IDLE, LSR_TX_IDLE, CONSOLE_WAIT_POLLS);
}

/* Enable in AUX, 8-bit mode, transmitter on, port->baud from the core clock (unknown: keep the divisor). */
static void mini_uart_init(const struct console_port *port)
{
	uintptr_t base = port->base;
	uint32_t core_clock_hz = port->clock_hz;
	uintptr_t enables = base - AUX_ENABLES_BELOW_IO;

	if (!(mmio_read32(enables) & AUX_ENABLES_MINI_UART))
		mmio_write32(enables, mmio_read32(enables) | AUX_ENABLES_MINI_UART);
	else
		mini_uart_flush(port);
	if (!console_port_sets_baud(port)) {
		mmio_write32(base + MU_CNTL, CNTL_TX_EN | CNTL_RX_EN);
		return;
	}
	mmio_write32(base + MU_CNTL, 0);
	mmio_write32(base + MU_IER, 0);
	mmio_write32(base + MU_LCR, LCR_8BIT);
	mmio_write32(base + MU_MCR, 0);
	mmio_write32(base + MU_IIR, IIR_CLEAR_FIFOS);
	/* baud = core_clock / (8 * (divisor + 1)), rounded to the nearest divisor (§2.2.1). */
	mmio_write32(base + MU_BAUD, (core_clock_hz + 4 * port->baud) / (8 * port->baud) - 1);
	mmio_write32(base + MU_CNTL, CNTL_TX_EN | CNTL_RX_EN);
}

static bool mini_uart_putc(const struct console_port *port, char c)
{
	if (!mmio_wait32(port->base + MU_LSR, LSR_TX_EMPTY, LSR_TX_EMPTY, CONSOLE_WAIT_POLLS))
		return false;
	mmio_write32(port->base + MU_IO, (uint8_t)c);
	return true;
}

static const char *const mini_uart_compatible[] = {"brcm,bcm2835-aux-uart", NULL};

CONSOLE_DRIVER(uart_mini) = {
	.name = "mini-uart",
	.compatible = mini_uart_compatible,
	.init = mini_uart_init,
	.put_char = mini_uart_putc,
	.flush = mini_uart_flush,
};
