/* Arm PrimeCell PL011 UART (DDI 0183): QEMU virt, QEMU raspi, Pi 4 UART0. */
#ifndef BBM_LIB_UART_PL011_H
#define BBM_LIB_UART_PL011_H

#include <stdint.h>

/* Program 115200 8N1 from the reference clock; clock_hz 0 keeps the firmware's setup. */
void pl011_init(uintptr_t base, uint32_t clock_hz);
void pl011_putc(uintptr_t base, char c);
void pl011_flush(uintptr_t base);

#endif
