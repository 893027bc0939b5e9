/*
 * UART drivers (lib/uart_*.c) against a register-level fake: which registers
 * they touch, at which address and width, and the divisors they compute. QEMU
 * ignores baud divisors, so these are the only checks of the rate arithmetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/console.h"

extern const struct console_driver __start_console_drivers[], __stop_console_drivers[];

#define BASE 0x10000u

/* Every write, in order; reads return the preset value of the address (0 if none). */
static struct access {
	uintptr_t addr;
	uint32_t value;
	unsigned bytes;
} writes[64];
static unsigned nwrites;
static struct {
	uintptr_t addr;
	uint32_t value;
} preset[8];
static unsigned npreset, reads;

uint32_t host_mmio_read(uintptr_t addr, unsigned bytes)
{
	(void)bytes;
	reads++;
	for (unsigned i = 0; i < npreset; i++)
		if (preset[i].addr == addr)
			return preset[i].value;
	return 0;
}

void host_mmio_write(uintptr_t addr, uint32_t value, unsigned bytes)
{
	if (nwrites < sizeof(writes) / sizeof(writes[0]))
		writes[nwrites++] = (struct access){addr, value, bytes};
}

static void fake_reset(void)
{
	nwrites = npreset = reads = 0;
}

static void fake_set(uintptr_t addr, uint32_t value)
{
	preset[npreset].addr = addr;
	preset[npreset++].value = value;
}

/* The last value written to addr (fails the test if it was never written, or with another width). */
static uint32_t last_write(uintptr_t addr, unsigned bytes)
{
	for (unsigned i = nwrites; i--;)
		if (writes[i].addr == addr) {
			assert_int_equal(writes[i].bytes, bytes);
			return writes[i].value;
		}
	fail_msg("no write to 0x%lx", (unsigned long)addr);
	return 0;
}

/* The registered drivers (the section bounds are distinct objects to the compiler: count by address). */
static const struct console_driver *driver(const char *name)
{
	size_t n = ((uintptr_t)__stop_console_drivers - (uintptr_t)__start_console_drivers) /
		   sizeof(struct console_driver);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(__start_console_drivers[i].name, name))
			return &__start_console_drivers[i];
	fail_msg("no console driver '%s'", name);
	return NULL;
}

/* 8250 registers n << shift apart, accessed with `width` bytes: 8N1 with DLAB around the divisor. */
static void check_8250_divisor(uint8_t shift, uint8_t width, uint32_t clock, uint32_t baud, uint32_t div)
{
	const struct console_driver *d = driver("uart8250");
	struct console_port p = {.base = BASE, .clock_hz = clock, .baud = baud, .reg_shift = shift, .reg_io_width = width};

	fake_reset();
	fake_set(BASE + (5u << shift), 0x60); /* LSR: THRE and TEMT */
	d->init(&p);
	unsigned lcr_dlab = 0;
	for (unsigned i = 0; i < nwrites; i++) {
		assert_int_equal(writes[i].bytes, width);
		assert_true((writes[i].addr - BASE) % (1u << shift) == 0);
		if (writes[i].addr == BASE + (3u << shift) && writes[i].value == 0x83)
			lcr_dlab = i;
	}
	assert_true(lcr_dlab > 0);
	assert_int_equal(writes[lcr_dlab + 1].addr, BASE);              /* DLL */
	assert_int_equal(writes[lcr_dlab + 1].value, div & 0xff);
	assert_int_equal(writes[lcr_dlab + 2].addr, BASE + (1u << shift)); /* DLM */
	assert_int_equal(writes[lcr_dlab + 2].value, div >> 8);
	assert_int_equal(writes[lcr_dlab + 3].addr, BASE + (3u << shift));
	assert_int_equal(writes[lcr_dlab + 3].value, 0x03); /* DLAB off again: THR is THR */
}

static void uart8250_layout_and_divisor(void **state)
{
	(void)state;
	check_8250_divisor(0, 1, 1843200, 115200, 1);  /* the classic PC clock */
	check_8250_divisor(2, 4, 24000000, 115200, 13); /* npcm845, snps,dw-apb-uart boards */
	check_8250_divisor(1, 2, 48000000, 1500000, 2);
}

static void uart8250_putc_and_bounded_wait(void **state)
{
	const struct console_driver *d = driver("uart8250");
	struct console_port p = {.base = BASE, .reg_shift = 2, .reg_io_width = 4};

	(void)state;
	fake_reset();
	d->init(&p);
	assert_int_equal(nwrites, 0); /* no rate asked: the boot loader's setup is untouched */
	fake_set(BASE + 20, 0x20);    /* LSR at 5 << 2: THRE */
	assert_true(d->put_char(&p, 'x'));
	assert_int_equal(last_write(BASE, 4), 'x');
	fake_reset();                  /* LSR never ready: give up after CONSOLE_WAIT_POLLS reads */
	assert_false(d->put_char(&p, 'y'));
	assert_int_equal(nwrites, 0);
	assert_int_equal(reads, CONSOLE_WAIT_POLLS);
}

static void pl011_divisor_and_enable(void **state)
{
	const struct console_driver *d = driver("pl011");
	struct console_port p = {.base = BASE, .clock_hz = 48000000, .baud = 115200};

	(void)state;
	fake_reset();
	d->init(&p);
	assert_int_equal(last_write(BASE + 0x24, 4), 26); /* IBRD: 48 MHz / (16 * 115200) = 26.04 */
	assert_int_equal(last_write(BASE + 0x28, 4), 3);  /* FBRD: 0.04 * 64, rounded */
	assert_int_equal(last_write(BASE + 0x30, 4), 0x301);
	fake_reset();
	p.baud = 0;
	d->init(&p); /* no rate: only UARTEN and TXE turned on */
	assert_int_equal(nwrites, 1);
	assert_int_equal(last_write(BASE + 0x30, 4), 0x101);
}

static void cdns_divisors_and_enable(void **state)
{
	const struct console_driver *d = driver("cdns");
	struct console_port p = {.base = BASE, .clock_hz = 100000000, .baud = 115200};

	(void)state;
	fake_reset();
	fake_set(BASE + 0x2c, 0x8); /* SR: TXEMPTY */
	d->init(&p);
	uint32_t cd = last_write(BASE + 0x18, 4), bdiv = last_write(BASE + 0x34, 4);
	double got = 100e6 / ((double)cd * (bdiv + 1));
	assert_true(bdiv >= 4 && bdiv <= 255 && cd >= 1 && cd <= 0xffff);
	assert_true(got > 115200 * 0.995 && got < 115200 * 1.005);
	assert_int_equal(last_write(BASE + 0x04, 4), 0x20);  /* MR: 8N1 */
	assert_int_equal(last_write(BASE + 0x00, 4), 0x114); /* CR: TX and RX on, no break */
	fake_reset();
	fake_set(BASE, 0x128); /* CR reset value: TX and RX disabled */
	p.baud = 0;
	d->init(&p);
	assert_int_equal(last_write(BASE, 4), 0x118); /* TX enabled, TX_DIS cleared, RX left alone */
}

static void imx_divisor_and_enable(void **state)
{
	const struct console_driver *d = driver("imx");
	struct console_port p = {.base = BASE, .clock_hz = 24000000, .baud = 115200};

	(void)state;
	fake_reset();
	fake_set(BASE + 0x98, 0x8); /* USR2: TXDC */
	d->init(&p);
	assert_int_equal(last_write(BASE + 0xa4, 4), 15);  /* UBIR */
	assert_int_equal(last_write(BASE + 0xa8, 4), 207); /* UBMR: 24 MHz / 115200 = 208.3, minus one */
	assert_int_equal(last_write(BASE + 0x90, 4) >> 7 & 7, 5); /* UFCR.RFDIV: divide by 1 */
	assert_int_equal(last_write(BASE + 0x84, 4) & 0x25, 0x25); /* UCR2: SRST high, TXEN, 8 bits */
	fake_reset();
	p.baud = 0;
	d->init(&p);
	assert_int_equal(last_write(BASE + 0x80, 4), 1);   /* UCR1.UARTEN */
	assert_int_equal(last_write(BASE + 0x84, 4), 0x5); /* UCR2: TXEN without resetting (SRST high) */
	fake_set(BASE + 0xb4, 0x10); /* UTS.TXFULL: the FIFO never drains */
	assert_false(d->put_char(&p, 'z'));
}

static void mini_uart_divisor(void **state)
{
	const struct console_driver *d = driver("mini-uart");
	struct console_port p = {.base = BASE + 0x40, .clock_hz = 500000000, .baud = 115200};

	(void)state;
	fake_reset();
	d->init(&p);
	assert_int_equal(last_write(BASE + 0x04, 4), 1);        /* AUX_ENABLES below the port */
	assert_int_equal(last_write(BASE + 0x40 + 0x28, 4), 542); /* 500 MHz / (8 * 115200) - 1, rounded */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uart8250_layout_and_divisor),
		cmocka_unit_test(uart8250_putc_and_bounded_wait),
		cmocka_unit_test(pl011_divisor_and_enable),
		cmocka_unit_test(cdns_divisors_and_enable),
		cmocka_unit_test(imx_divisor_and_enable),
		cmocka_unit_test(mini_uart_divisor),
	};
	return cmocka_run_group_tests_name("uarts", tests, NULL, NULL);
}
