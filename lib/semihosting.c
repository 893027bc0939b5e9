/* Semihosting calls (see semihosting.h). */
#include "lib/semihosting.h"

#define SYS_WRITE0 0x04
#define SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026

static uint64_t call(uint64_t op, uint64_t arg)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = arg;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

void semihosting_write0(const char *s)
{
	(void)call(SYS_WRITE0, (uint64_t)(uintptr_t)s);
}

void semihosting_exit(int code)
{
	static volatile uint64_t block[2];

	block[0] = ADP_STOPPED_APPLICATION_EXIT;
	block[1] = (uint64_t)(int64_t)code;
	(void)call(SYS_EXIT_EXTENDED, (uint64_t)(uintptr_t)block);
}
