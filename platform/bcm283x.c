/* Console pin muxing and watchdog reset shared by the Raspberry Pi boards (see bcm283x.h). */
#include "platform/bcm283x.h"

#include <stdio.h>
#include <string.h>

#include "boot/sysregs.h"
#include "lib/mmio.h"

/* GPIO (BCM2835 ARM Peripherals §6.1; BCM2711 ARM Peripherals §5.2): same offsets on both but the pulls. */
#define GPIO_OFFSET 0x200000ul
#define GPFSEL1 0x04                 /* GPIO10-19, 3 bits each */
#define FSEL_SHIFT(pin) (((pin) % 10) * 3)
#define FSEL_ALT0 4u                 /* GPIO14/15: PL011 TXD0/RXD0 */
#define FSEL_ALT5 2u                 /* GPIO14/15: mini UART TXD1/RXD1 */
/* BCM2711 only: 2 bits per pin, 0 none, 1 up, 2 down. */
#define GPIO_PUP_PDN_CNTRL_REG0 0xe4 /* GPIO0-15 */
#define PUP_PDN_SHIFT(pin) ((pin) * 2)
#define PUP_PDN_NONE 0u
#define PUP_PDN_UP 1u
/* BCM2835-BCM2837 only: a control value (0 off, 1 down, 2 up) clocked into the pads whose GPPUDCLK0 bit is set. */
#define GPPUD 0x94
#define GPPUDCLK0 0x98 /* GPIO0-31 */
#define GPPUD_OFF 0u
#define GPPUD_UP 2u

/* Power management watchdog (Linux drivers/watchdog/bcm2835_wdt.c). */
#define PM_OFFSET 0x100000ul
#define PM_RSTC 0x1c
#define PM_WDOG 0x24
#define PM_PASSWORD 0x5a000000u
#define PM_RSTC_WRCFG_MASK 0x30u
#define PM_RSTC_WRCFG_FULL_RESET 0x20u
#define PM_WDOG_TICKS 10u /* about 16 us each */

static uint64_t counter_ticks(void)
{
	return read_cntpct_ordered();
}

static uint64_t counter_freq(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0);

	return freq ? freq : 19200000; /* unset by firmware: the Pi 3's 19.2 MHz crystal, the slowest of the boards */
}

static void delay_us(unsigned us)
{
	uint64_t ticks = counter_freq() * us / 1000000 + 1;

	for (uint64_t start = counter_ticks(); counter_ticks() - start < ticks;)
		;
}

/*
 * BCM2835 ARM Peripherals §6.1, "GPIO Pull-up/down Clock Registers": set GPPUD,
 * wait 150 cycles (set-up), clock it into the pins in GPPUDCLK0, wait 150 cycles
 * (hold), then remove the control and the clock. 150 cycles of the 250 MHz core
 * clock are 0.6 us; waiting 1 us covers faster core clocks too.
 */
static void gppud_set(uintptr_t gpio, uint32_t control, uint32_t pins)
{
	mmio_write32(gpio + GPPUD, control);
	delay_us(1);
	mmio_write32(gpio + GPPUDCLK0, pins);
	delay_us(1);
	mmio_write32(gpio + GPPUD, GPPUD_OFF);
	mmio_write32(gpio + GPPUDCLK0, 0);
}

void bcm283x_console_pins(const struct bcm283x_soc *soc, const struct board_config *cfg, char *note,
			  size_t note_len)
{
	uintptr_t gpio = soc->periph_base + GPIO_OFFSET;
	uint32_t alt;
	const char *alt_name;

	if (!strcmp(console_name(&cfg->console), "pl011") && cfg->console.port.base == soc->periph_base + BCM283X_PL011_OFFSET) {
		alt = FSEL_ALT0;
		alt_name = "ALT0 (PL011)";
	} else if (!strcmp(console_name(&cfg->console), "mini-uart") && cfg->console.port.base == soc->periph_base + BCM283X_MINI_UART_OFFSET) {
		alt = FSEL_ALT5;
		alt_name = "ALT5 (mini UART)";
	} else {
		snprintf(note, note_len, "GPIO14/15 untouched: the console is not UART0 or the mini UART");
		return;
	}
	uint32_t fsel = mmio_read32(gpio + GPFSEL1);
	fsel &= ~((7u << FSEL_SHIFT(14)) | (7u << FSEL_SHIFT(15)));
	fsel |= (alt << FSEL_SHIFT(14)) | (alt << FSEL_SHIFT(15));
	mmio_write32(gpio + GPFSEL1, fsel);

	/* Read back, so the banner shows what the hardware (or QEMU) holds, not what we meant. */
	if (soc->pulls == BCM283X_PULLS_PUP_PDN) {
		uint32_t pull = mmio_read32(gpio + GPIO_PUP_PDN_CNTRL_REG0);
		pull &= ~((3u << PUP_PDN_SHIFT(14)) | (3u << PUP_PDN_SHIFT(15)));
		pull |= (PUP_PDN_NONE << PUP_PDN_SHIFT(14)) | (PUP_PDN_UP << PUP_PDN_SHIFT(15));
		mmio_write32(gpio + GPIO_PUP_PDN_CNTRL_REG0, pull);
		snprintf(note, note_len, "GPIO14/15 set to %s, RX pull-up; GPFSEL1 0x%08x, PUP_PDN0 0x%08x", alt_name,
			 (unsigned)mmio_read32(gpio + GPFSEL1), (unsigned)mmio_read32(gpio + GPIO_PUP_PDN_CNTRL_REG0));
	} else {
		/* One pass per pull value: only the clocked pins change, the others keep theirs. */
		gppud_set(gpio, GPPUD_OFF, 1u << 14);
		gppud_set(gpio, GPPUD_UP, 1u << 15);
		/* The pads' pull state cannot be read back on these SoCs. */
		snprintf(note, note_len, "GPIO14/15 set to %s, RX pull-up; GPFSEL1 0x%08x, pulls set with GPPUD/GPPUDCLK0",
			 alt_name, (unsigned)mmio_read32(gpio + GPFSEL1));
	}
}

void bcm283x_watchdog_reset(const struct bcm283x_soc *soc)
{
	uintptr_t pm = soc->periph_base + PM_OFFSET;
	uint32_t rstc = mmio_read32(pm + PM_RSTC);

	mmio_write32(pm + PM_WDOG, PM_PASSWORD | PM_WDOG_TICKS);
	mmio_write32(pm + PM_RSTC, PM_PASSWORD | (rstc & ~PM_RSTC_WRCFG_MASK) | PM_RSTC_WRCFG_FULL_RESET);
	delay_us(100000);
}
