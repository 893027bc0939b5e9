/*
 * Cadence UART as in Xilinx Zynq-7000 and Zynq UltraScale+ (Zynq UltraScale+
 * Device TRM UG1085, "UART Controller" and its register reference; Linux
 * drivers/tty/serial/xilinx_uartps.c). Polled transmit only.
 */
#include "lib/console.h"
#include "lib/mmio.h"

#define CDNS_CR 0x00      /* control */
#define CDNS_MR 0x04      /* mode */
#define CDNS_BAUDGEN 0x18 /* CD */
#define CDNS_SR 0x2c      /* channel status */
#define CDNS_FIFO 0x30
#define CDNS_BAUDDIV 0x34 /* BDIV */

#define CR_RXRST (1u << 0)
#define CR_TXRST (1u << 1)
#define CR_RX_EN (1u << 2)
#define CR_RX_DIS (1u << 3)
#define CR_TX_EN (1u << 4)
#define CR_TX_DIS (1u << 5)
#define CR_STOPBRK (1u << 8)
#define MR_8N1 0x20u /* 8 data bits, no parity (PAR = 1xx), 1 stop bit, normal mode */
#define SR_TXEMPTY (1u << 3)
#define SR_TXFULL (1u << 4)
#define SR_TACTIVE (1u << 11)

/* baud = clock / (CD * (BDIV + 1)), CD 1..65535, BDIV 4..255 (UG1085 "Baud Rate Generator"): least error. */
static bool cdns_divisors(uint32_t clock_hz, uint32_t baud, uint32_t *cd_out, uint32_t *bdiv_out)
{
	uint64_t best_err = UINT64_MAX;

	for (uint32_t bdiv = 4; bdiv <= 255; bdiv++) {
		uint64_t per = (uint64_t)baud * (bdiv + 1);
		uint64_t cd = (clock_hz + per / 2) / per;
		if (cd < 1 || cd > 0xffff)
			continue;
		uint64_t got = clock_hz / (cd * (bdiv + 1));
		uint64_t err = got > baud ? got - baud : baud - got;
		if (err < best_err) {
			best_err = err;
			*cd_out = (uint32_t)cd;
			*bdiv_out = bdiv;
		}
	}
	return best_err != UINT64_MAX;
}

static bool cdns_flush(const struct console_port *port)
{
	uint32_t sr = 0;

	for (uint32_t polls = CONSOLE_WAIT_POLLS; polls--;) {
		sr = mmio_read32(port->base + CDNS_SR);
		if ((sr & SR_TXEMPTY) && !(sr & SR_TACTIVE))
			return true;
	}
	return false;
}

/* Transmitter on; the rate only with a known baud and clock (else the boot loader's stays). */
static void cdns_init(const struct console_port *port)
{
	uintptr_t base = port->base;
	uint32_t cd, bdiv;

	if (console_port_sets_baud(port) && cdns_divisors(port->clock_hz, port->baud, &cd, &bdiv)) {
		cdns_flush(port);
		mmio_write32(base + CDNS_CR, CR_TX_DIS | CR_RX_DIS);
		mmio_write32(base + CDNS_MR, MR_8N1);
		mmio_write32(base + CDNS_BAUDGEN, cd);
		mmio_write32(base + CDNS_BAUDDIV, bdiv);
		mmio_write32(base + CDNS_CR, CR_TXRST | CR_RXRST);
		mmio_write32(base + CDNS_CR, CR_TX_EN | CR_RX_EN | CR_STOPBRK);
		return;
	}
	uint32_t cr = mmio_read32(base + CDNS_CR);
	if (!(cr & CR_TX_EN) || (cr & CR_TX_DIS)) /* reset value: both disabled */
		mmio_write32(base + CDNS_CR, (cr & ~(CR_TX_DIS | CR_TXRST | CR_RXRST)) | CR_TX_EN);
}

static bool cdns_putc(const struct console_port *port, char c)
{
	if (!mmio_wait32(port->base + CDNS_SR, SR_TXFULL, 0, CONSOLE_WAIT_POLLS))
		return false;
	mmio_write32(port->base + CDNS_FIFO, (uint8_t)c);
	return true;
}

static const char *const cdns_compatible[] = {"cdns,uart-r1p12", "xlnx,xuartps", "cdns,uart-r1p8",
					      "xlnx,zynqmp-uart", NULL};

CONSOLE_DRIVER(uart_cdns) = {
	.name = "cdns",
	.compatible = cdns_compatible,
	.init = cdns_init,
	.put_char = cdns_putc,
	.flush = cdns_flush,
};
