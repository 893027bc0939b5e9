/*
 * Time from the generic timer's virtual counter (CNTVCT_EL0, CNTFRQ_EL0). The
 * ISB keeps the read from being hoisted over the code being measured (Linux
 * arch_timer_read_cntvct_el0 does the same).
 */
#ifndef BBMPROBE_LIB_TIMING_H
#define BBMPROBE_LIB_TIMING_H

#include <stdint.h>

#include "boot/sysregs.h"

#ifndef BBMPROBE_HOST
static inline uint64_t timer_counter(void)
{
	return read_cntvct_ordered();
}

static inline uint64_t timer_frequency(void)
{
	return read_sysreg(cntfrq_el0);
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
