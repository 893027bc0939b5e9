/*
 * Time from the generic timer's virtual counter (CNTVCT_EL0, CNTFRQ_EL0). The
 * ISB keeps the read from being hoisted over the code being measured (Linux
 * arch_timer_read_cntvct_el0 does the same).
 */
#ifndef BBMPROBE_LIB_TIMING_H
#define BBMPROBE_LIB_TIMING_H

#include <stdint.h>

#ifndef BBMPROBE_HOST
static inline uint64_t timer_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

static inline uint64_t timer_frequency(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}
#endif

/* Counter ticks to nanoseconds without overflowing for runs of up to hours. */
static inline uint64_t timer_ticks_to_ns(uint64_t ticks, uint64_t freq)
{
	if (!freq)
		return 0;
	return (ticks / freq) * 1000000000ull + (ticks % freq) * 1000000000ull / freq;
}

#endif
