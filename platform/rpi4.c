/*
 * Raspberry Pi 4 Model B (BCM2711) in low-peripheral mode: ARM peripherals at
 * 0xFE000000 (BCM2711 ARM Peripherals §1.2; DESIGN.md §5).
 *
 * Consoles: the mini UART (AUX, 0xFE215040) is what the Pi 4 puts on the
 * header pins GPIO14/15 by default and what LAVA's bcm2711-rpi-4-b device type
 * reads, so it is the default. The PL011 (UART0, 0xFE201000) normally drives
 * Bluetooth; Debian's raspi-firmware has no disable-bt overlay to move it, so
 * for console=pl011 bbmprobe sets GPIO14/15 to ALT0 itself.
 *
 * Clocks: the PL011's reference clock is 48 MHz (firmware default). The mini
 * UART's baud rate derives from the VPU core clock; with enable_uart=1 the
 * firmware locks the core clock at its maximum, 500 MHz on a Pi 4 (Raspberry Pi
 * engineers in raspberrypi/linux#4123 and raspberrypi/documentation#1614).
 * That is an assumption: hdmi_enable_4kp60 or core_freq change it (use
 * console=pl011 then).
 *
 * No PSCI: secondaries wait on the firmware's spin table (release addresses
 * 0xd8 + 8 * cpu), and the board resets through the PM watchdog (DESIGN.md §4).
 */
#include <stdio.h>

#include "lib/mmio.h"
#include "platform/platform.h"

#define RPI4_PERIPH_BASE 0xfe000000ul
#define RPI4_PL011_BASE (RPI4_PERIPH_BASE + 0x201000)
#define RPI4_MINI_UART_BASE (RPI4_PERIPH_BASE + 0x215040)

/* GPIO (BCM2711 ARM Peripherals §5.2). */
#define GPIO_BASE (RPI4_PERIPH_BASE + 0x200000)
#define GPFSEL1 0x04                   /* GPIO10-19, 3 bits each */
#define GPIO_PUP_PDN_CNTRL_REG0 0xe4   /* GPIO0-15, 2 bits each */
#define FSEL_SHIFT(pin) (((pin) % 10) * 3)
#define FSEL_ALT0 4u                   /* GPIO14/15: PL011 TXD0/RXD0 */
#define FSEL_ALT5 2u                   /* GPIO14/15: mini UART TXD1/RXD1 */
#define PULL_SHIFT(pin) ((pin) * 2)
#define PULL_NONE 0u
#define PULL_UP 1u

/* Power management watchdog (Linux drivers/watchdog/bcm2835_wdt.c; DESIGN.md §4). */
#define PM_BASE (RPI4_PERIPH_BASE + 0x100000)
#define PM_RSTC 0x1c
#define PM_WDOG 0x24
#define PM_PASSWORD 0x5a000000u
#define PM_RSTC_WRCFG_MASK 0x30u
#define PM_RSTC_WRCFG_FULL_RESET 0x20u
#define PM_WDOG_TICKS 10u /* about 16 us each */

static const char *const rpi4_compatible[] = {"raspberrypi,4-model-b", "brcm,bcm2711", NULL};

/* Route GPIO14 (TX) and GPIO15 (RX) to the console UART: TX without pull, RX pulled up (idle high). */
static void rpi4_init(const struct board_config *cfg, char *note, size_t note_len)
{
	uint32_t alt;
	const char *alt_name;

	if (cfg->console.kind == UART_PL011 && cfg->console.base == RPI4_PL011_BASE) {
		alt = FSEL_ALT0;
		alt_name = "ALT0 (PL011)";
	} else if (cfg->console.kind == UART_MINI && cfg->console.base == RPI4_MINI_UART_BASE) {
		alt = FSEL_ALT5;
		alt_name = "ALT5 (mini UART)";
	} else {
		snprintf(note, note_len, "GPIO14/15 untouched: the console is not UART0 or the mini UART");
		return;
	}
	uint32_t fsel = mmio_read32(GPIO_BASE + GPFSEL1);
	fsel &= ~((7u << FSEL_SHIFT(14)) | (7u << FSEL_SHIFT(15)));
	fsel |= (alt << FSEL_SHIFT(14)) | (alt << FSEL_SHIFT(15));
	mmio_write32(GPIO_BASE + GPFSEL1, fsel);

	uint32_t pull = mmio_read32(GPIO_BASE + GPIO_PUP_PDN_CNTRL_REG0);
	pull &= ~((3u << PULL_SHIFT(14)) | (3u << PULL_SHIFT(15)));
	pull |= (PULL_NONE << PULL_SHIFT(14)) | (PULL_UP << PULL_SHIFT(15));
	mmio_write32(GPIO_BASE + GPIO_PUP_PDN_CNTRL_REG0, pull);

	/* Read back, so the banner shows what the hardware (or QEMU) holds, not what we meant. */
	snprintf(note, note_len, "GPIO14/15 set to %s, RX pull-up; GPFSEL1 0x%08x, PUP_PDN0 0x%08x", alt_name,
		 (unsigned)mmio_read32(GPIO_BASE + GPFSEL1), (unsigned)mmio_read32(GPIO_BASE + GPIO_PUP_PDN_CNTRL_REG0));
}

static uint64_t counter_ticks(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

/* Full reset through the PM watchdog; returns only if the reset did not happen within 100 ms. */
static void rpi4_reset(void)
{
	uint32_t rstc = mmio_read32(PM_BASE + PM_RSTC);
	uint64_t freq;

	mmio_write32(PM_BASE + PM_WDOG, PM_PASSWORD | PM_WDOG_TICKS);
	mmio_write32(PM_BASE + PM_RSTC, PM_PASSWORD | (rstc & ~PM_RSTC_WRCFG_MASK) | PM_RSTC_WRCFG_FULL_RESET);
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	for (uint64_t start = counter_ticks(); counter_ticks() - start < freq / 10;)
		;
}

const struct platform platform_rpi4 = {
	.name = "rpi4",
	.compatible = rpi4_compatible,
	.defaults = {
		.console = {.kind = UART_MINI, .base = RPI4_MINI_UART_BASE, .clock_hz = 500000000},
		/* RAM every Pi 4 has: 1 GiB less the firmware's default 76 MiB GPU split. The DTB gives the rest. */
		.mem = {{.base = 0, .size = 0x3b400000}},
		.mem_count = 1,
		.psci = PSCI_NONE,
		/* Main peripherals 0xFC000000-0xFF7FFFFF, then ARM local peripherals and the GIC up to 4 GiB. */
		.devices = {{.base = 0xfc000000, .size = 0x04000000}},
		.device_count = 1,
	},
	.dtb_probe_addr = 0,
	.uarts = {
		{.name = "mini", .desc = {.kind = UART_MINI, .base = RPI4_MINI_UART_BASE, .clock_hz = 500000000}},
		{.name = "pl011", .desc = {.kind = UART_PL011, .base = RPI4_PL011_BASE, .clock_hz = 48000000}},
	},
	.uart_count = 2,
	.cpu_start = CPU_START_SPIN_TABLE,
	.spin_table = 0xd8,
	.init = rpi4_init,
	.reset = rpi4_reset,
};
