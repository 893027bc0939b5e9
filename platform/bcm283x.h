/*
 * What the Raspberry Pi boards share (BCM2837 on the Pi 3, BCM2711 on the Pi 4):
 * the same peripheral blocks at the same offsets from a per-SoC base (BCM2835
 * ARM Peripherals; BCM2711 ARM Peripherals §1.2). Only the GPIO pull controls
 * differ: BCM2835-BCM2837 clock a pull into the pads with GPPUD/GPPUDCLK0,
 * BCM2711 has per-pin GPIO_PUP_PDN_CNTRL registers.
 */
#ifndef BBMPROBE_PLATFORM_BCM283X_H
#define BBMPROBE_PLATFORM_BCM283X_H

#include <stddef.h>
#include <stdint.h>

#include "platform/platform.h"

#define BCM283X_PL011_OFFSET 0x201000ul     /* UART0 */
#define BCM283X_MINI_UART_OFFSET 0x215040ul /* AUX_MU_IO_REG of UART1 */

enum bcm283x_pulls {
	BCM283X_PULLS_GPPUD,   /* BCM2835/6/7: GPPUD + GPPUDCLK0 sequence (BCM2835 ARM Peripherals §6.1) */
	BCM283X_PULLS_PUP_PDN, /* BCM2711: GPIO_PUP_PDN_CNTRL_REG0 (BCM2711 ARM Peripherals §5.2) */
};

struct bcm283x_soc {
	uintptr_t periph_base; /* ARM physical address of VPU bus 0x7e000000 */
	enum bcm283x_pulls pulls;
};

/*
 * Route GPIO14 (TX) and GPIO15 (RX) to cfg->console when it is this SoC's PL011
 * (ALT0) or mini UART (ALT5): TX without pull, RX pulled up (idle high). Writes
 * what the registers read back to `note` for the banner.
 */
void bcm283x_console_pins(const struct bcm283x_soc *soc, const struct board_config *cfg, char *note,
			  size_t note_len);

/* Full reset through the PM watchdog; returns only if the reset did not happen within 100 ms. */
void bcm283x_watchdog_reset(const struct bcm283x_soc *soc);

#endif
