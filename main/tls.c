/*
 * picolibc's thread-local storage, one block per CPU (see tls.h).
 */
#include "main/tls.h"

#include <stdint.h>
#include <string.h>

#include "boot/cpu.h"
#include "boot/sysregs.h"

extern char __tdata_start[], __tdata_end[], __tbss_end[];

/*
 * picolibc keeps errno and friends in TLS (local-exec model). AArch64 TLS
 * variant 1: TPIDR_EL0 points at a 16-byte TCB, the block follows it.
 */
static uint8_t tls_area[CPU_MAX][16 + 512] __attribute__((aligned(16)));

/* Linker symbols are separate objects to C; measure the span between them as addresses. */
static size_t tls_template_size(void)
{
	return (uintptr_t)__tdata_end - (uintptr_t)__tdata_start;
}

size_t tls_needed(void)
{
	return (uintptr_t)__tbss_end - (uintptr_t)__tdata_start;
}

/* This CPU's TLS block (each CPU has its own errno). */
bool tls_init(void)
{
	uint8_t *area = tls_area[this_cpu()];
	size_t tdata = tls_template_size();
	size_t total = tls_needed();

	if (total > sizeof(tls_area[0]) - 16)
		return false;
	memcpy(area + 16, __tdata_start, tdata);
	memset(area + 16 + tdata, 0, total - tdata);
	write_sysreg(tpidr_el0, (uintptr_t)area);
	return true;
}

size_t tls_capacity(void)
{
	return sizeof(tls_area[0]) - 16;
}
