/*
 * Raspberry Pi 3 Model B and B+ (BCM2837): ARM peripherals at 0x3F000000, the
 * ARM local peripherals at 0x40000000 (BCM2835 ARM Peripherals §1.2, which
 * BCM2836/7 share apart from the base; platform/boards/rpi4.c is the Pi 4 counterpart).
 *
 * Consoles, as on the Pi 4: the PL011 (UART0, 0x3F201000) drives Bluetooth and
 * the mini UART (AUX, 0x3F215040) is on the header pins GPIO14/15 by default,
 * so the mini UART is the default and console=pl011 moves GPIO14/15 to ALT0.
 * The pin code is shared with the Pi 4 (bcm283x.c); only the pulls differ
 * (GPPUD/GPPUDCLK0 on BCM2837).
 *
 * Clocks: the PL011's reference clock is 48 MHz (firmware default). The mini
 * UART counts from the VPU core clock, which enable_uart=1 fixes at 250 MHz on
 * a Pi 3 (Raspberry Pi documentation, configuration/uart.md: "This also fixes
 * the core_freq to 250Mhz (unless force_turbo is set...)"). With force_turbo
 * or core_freq set, use console=pl011.
 *
 * No PSCI: secondaries wait on the firmware's spin table (release addresses
 * 0xd8 + 8 * cpu), and the board resets through the PM watchdog (Raspberry Pi armstub8.S spin table; Linux drivers/watchdog/bcm2835_wdt.c).
 */
#include "platform/bcm283x.h"
#include "platform/platform.h"

#define RPI3_PERIPH_BASE 0x3f000000ul
#define RPI3_PL011_BASE (RPI3_PERIPH_BASE + BCM283X_PL011_OFFSET)
#define RPI3_MINI_UART_BASE (RPI3_PERIPH_BASE + BCM283X_MINI_UART_OFFSET)
#define RPI3_CORE_CLOCK_HZ 250000000u /* with enable_uart=1 */

static const struct bcm283x_soc bcm2837 = {.periph_base = RPI3_PERIPH_BASE, .pulls = BCM283X_PULLS_GPPUD};

static const char *const rpi3_compatible[] = {"raspberrypi,3-model-b", "raspberrypi,3-model-b-plus", "brcm,bcm2837",
					      NULL};

/* Route GPIO14 (TX) and GPIO15 (RX) to the console UART: TX without pull, RX pulled up (idle high). */
static void rpi3_init(const struct board_config *cfg, char *note, size_t note_len)
{
	bcm283x_console_pins(&bcm2837, cfg, note, note_len);
}

static void rpi3_reset(void)
{
	bcm283x_watchdog_reset(&bcm2837);
}

PLATFORM_BOARD(platform_rpi3) = {
	.name = "rpi3",
	.compatible = rpi3_compatible,
	.defaults = {
		/*
		 * RAM every Pi 3 has: 1 GiB less a 76 MiB GPU split (gpu_mem varies; the DTB gives the real value).
		 * It ends below the peripherals at 0x3F000000, in the same 1 GiB region: the boot map uses 2M/4K there.
		 */
		.mem = {{.base = 0, .size = 0x3b400000}},
		.mem_count = 1,
		.psci = PSCI_NONE,
		/* Peripherals 0x3F000000-0x3FFFFFFF; ARM local peripherals (BCM2836 ARM-local doc) from 0x40000000. */
		.devices = {{.base = 0x3f000000, .size = 0x01000000}, {.base = 0x40000000, .size = 0x01000000}},
		.device_count = 2,
		.cpus = {.count = 4, .method = CPU_ENABLE_SPIN_TABLE, .release = {0xd8, 0xe0, 0xe8, 0xf0}, .release_count = 4},
	},
	.dtb_probe_addr = 0,
	.uarts = {
		{.name = "mini", .driver = "mini-uart", .port = {.base = RPI3_MINI_UART_BASE, .clock_hz = RPI3_CORE_CLOCK_HZ, .baud = 115200}},
		{.name = "pl011", .driver = "pl011", .port = {.base = RPI3_PL011_BASE, .clock_hz = 48000000, .baud = 115200}},
	},
	.uart_count = 2,
	.init = rpi3_init,
	.reset = rpi3_reset,
};
