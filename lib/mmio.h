/* Device register access: single 8-, 16- or 32-bit accesses the compiler may not merge or split. */
#ifndef BBMPROBE_LIB_MMIO_H
#define BBMPROBE_LIB_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#ifdef BBMPROBE_HOST
/* Host unit tests put a register-level fake behind the accessors (host/test_uarts.c). */
uint32_t host_mmio_read(uintptr_t addr, unsigned bytes);
void host_mmio_write(uintptr_t addr, uint32_t value, unsigned bytes);

static inline uint8_t mmio_read8(uintptr_t addr)
{
	return (uint8_t)host_mmio_read(addr, 1);
}

static inline void mmio_write8(uintptr_t addr, uint8_t value)
{
	host_mmio_write(addr, value, 1);
}

static inline uint16_t mmio_read16(uintptr_t addr)
{
	return (uint16_t)host_mmio_read(addr, 2);
}

static inline void mmio_write16(uintptr_t addr, uint16_t value)
{
	host_mmio_write(addr, value, 2);
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return host_mmio_read(addr, 4);
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
	host_mmio_write(addr, value, 4);
}
#else
static inline uint8_t mmio_read8(uintptr_t addr)
{
	return *(volatile const uint8_t *)addr;
}

static inline void mmio_write8(uintptr_t addr, uint8_t value)
{
	*(volatile uint8_t *)addr = value;
}

static inline uint16_t mmio_read16(uintptr_t addr)
{
	return *(volatile const uint16_t *)addr;
}

static inline void mmio_write16(uintptr_t addr, uint16_t value)
{
	*(volatile uint16_t *)addr = value;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile const uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

#endif

/*
 * Spin until (reg & mask) == want, at most `polls` reads. A UART that never
 * drains (wrong driver for the device, clock off) must not hang the run: the
 * caller gets false and carries on.
 */
static inline bool mmio_wait32(uintptr_t addr, uint32_t mask, uint32_t want, uint32_t polls)
{
	while (polls--)
		if ((mmio_read32(addr) & mask) == want)
			return true;
	return false;
}

#endif
