/* PL011 driver: polled transmit only; bbmprobe never reads the console. */
#include "uart_pl011.h"

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

#define BAUD 115200u

void pl011_init(uintptr_t base, uint32_t clock_hz)
{
	if (!clock_hz)
		return;
	pl011_flush(base);
	mmio_write32(base + UARTCR, 0);
	/* Divisor = clock / (16 * baud), fraction in 1/64ths, rounded (PL011 TRM 3.3.6). */
	uint32_t div64 = (uint32_t)(((uint64_t)clock_hz * 4 + BAUD / 2) / BAUD);
	mmio_write32(base + UARTIBRD, div64 >> 6);
	mmio_write32(base + UARTFBRD, div64 & 0x3f);
	mmio_write32(base + UARTLCR_H, LCRH_WLEN8 | LCRH_FEN);
	mmio_write32(base + UARTIMSC, 0);
	mmio_write32(base + UARTICR, 0x7ff);
	mmio_write32(base + UARTCR, CR_UARTEN | CR_TXE | CR_RXE);
}

void pl011_putc(uintptr_t base, char c)
{
	while (mmio_read32(base + UARTFR) & FR_TXFF)
		;
	mmio_write32(base + UARTDR, (uint8_t)c);
}

void pl011_flush(uintptr_t base)
{
	while (mmio_read32(base + UARTFR) & FR_BUSY)
		;
}
