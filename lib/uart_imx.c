/*
 * NXP i.MX UART, i.MX21 layout as in i.MX6 and i.MX8M (i.MX 8M Plus Applications
 * Processor Reference Manual, "UART" chapter and its memory map; Linux
 * drivers/tty/serial/imx.c). Polled transmit only.
 */
#include "lib/console.h"
#include "lib/mmio.h"

#define IMX_UTXD 0x40
#define IMX_UCR1 0x80
#define IMX_UCR2 0x84
#define IMX_UCR3 0x88
#define IMX_UFCR 0x90
#define IMX_USR2 0x98
#define IMX_UBIR 0xa4
#define IMX_UBMR 0xa8
#define IMX_ONEMS 0xb0
#define IMX_UTS 0xb4

#define UCR1_UARTEN (1u << 0)
#define UCR2_SRST (1u << 0) /* active low: writing 0 resets the UART */
#define UCR2_RXEN (1u << 1)
#define UCR2_TXEN (1u << 2)
#define UCR2_WS (1u << 5)    /* 8 data bits; no PREN, no STPB: 8N1 */
#define UCR2_IRTS (1u << 14) /* ignore RTS */
#define UCR3_RXDMUXSEL (1u << 2)
#define UFCR_RFDIV_1 (5u << 7) /* reference clock divided by 1 */
#define UFCR_TXTL_2 (2u << 10)
#define UFCR_RXTL_1 1u
#define USR2_TXDC (1u << 3) /* transmission complete */
#define UTS_TXFULL (1u << 4)

static bool imx_flush(const struct console_port *port)
{
	return mmio_wait32(port->base + IMX_USR2, USR2_TXDC, USR2_TXDC, CONSOLE_WAIT_POLLS);
}

/*
 * baud = clock / (16 * (UBMR + 1) / (UBIR + 1)) with the reference divider at 1;
 * UBIR = 15 makes UBMR + 1 = clock / baud.
 */
static bool imx_set_baud(const struct console_port *port)
{
	uintptr_t base = port->base;
	uint32_t ubmr = (port->clock_hz + port->baud / 2) / port->baud;

	if (ubmr < 1 || ubmr > 0x10000)
		return false; /* not reachable from this clock: keep the boot loader's rate */
	imx_flush(port);
	mmio_write32(base + IMX_UCR1, UCR1_UARTEN);
	mmio_write32(base + IMX_UCR2, UCR2_SRST | UCR2_RXEN | UCR2_TXEN | UCR2_WS | UCR2_IRTS);
	mmio_write32(base + IMX_UCR3, mmio_read32(base + IMX_UCR3) | UCR3_RXDMUXSEL);
	mmio_write32(base + IMX_UFCR, UFCR_RFDIV_1 | UFCR_TXTL_2 | UFCR_RXTL_1);
	mmio_write32(base + IMX_UBIR, 15);
	mmio_write32(base + IMX_UBMR, ubmr - 1);
	mmio_write32(base + IMX_ONEMS, port->clock_hz / 1000);
	return true;
}

/* UART and transmitter on (keeping SRST high); the rate only with a known baud and clock. */
static void imx_init(const struct console_port *port)
{
	uintptr_t base = port->base;

	if (console_port_sets_baud(port) && imx_set_baud(port))
		return;
	uint32_t ucr1 = mmio_read32(base + IMX_UCR1), ucr2 = mmio_read32(base + IMX_UCR2);
	if (!(ucr1 & UCR1_UARTEN))
		mmio_write32(base + IMX_UCR1, ucr1 | UCR1_UARTEN);
	if (!(ucr2 & UCR2_TXEN))
		mmio_write32(base + IMX_UCR2, ucr2 | UCR2_SRST | UCR2_TXEN);
}

static bool imx_putc(const struct console_port *port, char c)
{
	if (!mmio_wait32(port->base + IMX_UTS, UTS_TXFULL, 0, CONSOLE_WAIT_POLLS))
		return false;
	mmio_write32(port->base + IMX_UTXD, (uint8_t)c);
	return true;
}

static const char *const imx_compatible[] = {"fsl,imx8mp-uart", "fsl,imx6q-uart", "fsl,imx21-uart", NULL};

CONSOLE_DRIVER(uart_imx) = {
	.name = "imx",
	.compatible = imx_compatible,
	.init = imx_init,
	.put_char = imx_putc,
	.flush = imx_flush,
};
