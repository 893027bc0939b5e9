/*
 * Tests that use other CPUs: run a function on a secondary and turn what
 * happened there into this test's verdict (an unexpected exception on it is
 * reported with that CPU's registers and fails the test; CPU0 never hangs on
 * it: the test's watchdog bounds the wait), and skip with a reason when the
 * CPUs a test needs are not online.
 */
#ifndef BBMPROBE_TESTS_CPUS_H
#define BBMPROBE_TESTS_CPUS_H

#include <stdbool.h>

#include "platform/smp.h"
#include "tests/registry.h"

/* Skip t (and return false) unless at least `n` CPUs are online; the reason names a CPU that is not. */
bool cpus_need(struct test_ctx *t, unsigned n);
/* A "# " line for each listed CPU that is not online (why), so a partial run says what it left out. */
void cpus_note_missing(struct test_ctx *t);
/* Post fn(arg) to `cpu` (online) without waiting; false (test failed) if it cannot take work. */
bool cpus_start(struct test_ctx *t, unsigned cpu, void (*fn)(void *), void *arg);
/* Wait for it; false (and the test failed, the exception reported) if it did not return. */
bool cpus_finish(struct test_ctx *t, unsigned cpu);
/* cpus_start then cpus_finish. */
bool cpus_run(struct test_ctx *t, unsigned cpu, void (*fn)(void *), void *arg);

#endif
