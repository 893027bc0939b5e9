/*
 * BCM2835/BCM2711 AUX mini UART (BCM2835 ARM Peripherals §2.2; BCM2711 ARM
 * Peripherals §2.2): an 8250-like UART whose baud rate derives from the VPU
 * core clock. `base` is the AUX_MU_IO_REG address (the DT node's reg, e.g.
 * 0xFE215040 on the Pi 4); the AUX block's enable register sits 0x3c below it.
 */
#ifndef BBM_LIB_UART_MINI_H
#define BBM_LIB_UART_MINI_H

#include <stdint.h>

/*
 * Enable the mini UART in AUX, 8-bit mode, transmitter on, 115200 baud from
 * `core_clock_hz` (0: keep the firmware's divisor, just make sure it is on).
 */
void mini_uart_init(uintptr_t base, uint32_t core_clock_hz);
void mini_uart_putc(uintptr_t base, char c);
void mini_uart_flush(uintptr_t base);

#endif
