/*
 * Raspberry Pi 4 Model B (BCM2711) in low-peripheral mode: ARM peripherals at
 * 0xFE000000 (BCM2711 ARM Peripherals §1.2).
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
 * 0xd8 + 8 * cpu), and the board resets through the PM watchdog (Raspberry Pi armstub8.S spin table; Linux drivers/watchdog/bcm2835_wdt.c).
 */
#include "platform/bcm283x.h"
#include "platform/platform.h"

#define RPI4_PERIPH_BASE 0xfe000000ul
#define RPI4_PL011_BASE (RPI4_PERIPH_BASE + BCM283X_PL011_OFFSET)
#define RPI4_MINI_UART_BASE (RPI4_PERIPH_BASE + BCM283X_MINI_UART_OFFSET)

/* BCM2711: pulls through GPIO_PUP_PDN_CNTRL_REG0 (BCM2711 ARM Peripherals §5.2). */
static const struct bcm283x_soc bcm2711 = {.periph_base = RPI4_PERIPH_BASE, .pulls = BCM283X_PULLS_PUP_PDN};

static const char *const rpi4_compatible[] = {"raspberrypi,4-model-b", "brcm,bcm2711", NULL};

/* Route GPIO14 (TX) and GPIO15 (RX) to the console UART: TX without pull, RX pulled up (idle high). */
static void rpi4_init(const struct board_config *cfg, char *note, size_t note_len)
{
	bcm283x_console_pins(&bcm2711, cfg, note, note_len);
}

/* Full reset through the PM watchdog; returns only if the reset did not happen within 100 ms. */
static void rpi4_reset(void)
{
	bcm283x_watchdog_reset(&bcm2711);
}

PLATFORM_BOARD(platform_rpi4) = {
	.name = "rpi4",
	.compatible = rpi4_compatible,
	.defaults = {
		/* RAM every Pi 4 has: 1 GiB less the firmware's default 76 MiB GPU split. The DTB gives the rest. */
		.mem = {{.base = 0, .size = 0x3b400000}},
		.mem_count = 1,
		.psci = PSCI_NONE,
		/* Main peripherals 0xFC000000-0xFF7FFFFF, then ARM local peripherals and the GIC up to 4 GiB. */
		.devices = {{.base = 0xfc000000, .size = 0x04000000}},
		.device_count = 1,
		.cpus = {.count = 4, .method = CPU_ENABLE_SPIN_TABLE, .release = {0xd8, 0xe0, 0xe8, 0xf0}, .release_count = 4},
	},
	.dtb_probe_addr = 0,
	.uarts = {
		{.name = "mini", .driver = "mini-uart", .port = {.base = RPI4_MINI_UART_BASE, .clock_hz = 500000000, .baud = 115200}},
		{.name = "pl011", .driver = "pl011", .port = {.base = RPI4_PL011_BASE, .clock_hz = 48000000, .baud = 115200}},
	},
	.uart_count = 2,
	.init = rpi4_init,
	.reset = rpi4_reset,
};
