/* Device register access: single 32-bit accesses the compiler may not merge or split. */
#ifndef BBM_LIB_MMIO_H
#define BBM_LIB_MMIO_H

#include <stdint.h>

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile const uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

#endif
