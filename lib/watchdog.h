/*
 * Per-test watchdog: the EL1 virtual timer (CNTV_*, its private interrupt
 * through lib/irq.h) fires at the deadline; the IRQ reports where the test
 * was (ELR, backtrace) and the exception handler ends the test through the
 * runner's isolated_call, so the suite goes on. Without an interrupt
 * controller bbmprobe drives it is off, and the banner says why.
 */
#ifndef BBMPROBE_LIB_WATCHDOG_H
#define BBMPROBE_LIB_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/exception.h"

/* The architecture's recommended virtual timer interrupt (PPI 11). */
#define WATCHDOG_DEFAULT_INTID 27u

/* Use `intid` (the DTB's virtual timer interrupt) on a controller irq_init() started. */
bool watchdog_init(unsigned intid, const char **why);
bool watchdog_available(void);
unsigned watchdog_intid(void);
/* Start the deadline for the next test (no-op when unavailable). */
void watchdog_arm(uint64_t seconds);
void watchdog_disarm(void);
/* Whether the deadline passed since the last watchdog_arm(). */
bool watchdog_fired(void);
/* exception_hooks.irq: the watchdog's interrupt, or any other (disabled at the controller). */
bool watchdog_irq(const struct exception_frame *f, unsigned vector);

#endif
