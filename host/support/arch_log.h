/*
 * Host-only log of the event stream (mmu/arch_event.h): a sink subscribed
 * before main() in every host test program, keeping each barrier, TLBI,
 * descriptor write and table alloc/free. Tests clear it, run a sequence, then
 * read it back.
 */
#ifndef BBMPROBE_HOST_SUPPORT_ARCH_LOG_H
#define BBMPROBE_HOST_SUPPORT_ARCH_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmu/arch_event.h"

#define ARCH_LOG_MAX 8192

void arch_log_clear(void);
/* Events kept (the first ARCH_LOG_MAX since the last clear). */
size_t arch_log_count(void);
/* Events seen since the last clear, kept or not. */
uint64_t arch_log_total(void);
const struct arch_event *arch_log_get(size_t i);
/* Number of events of one kind kept. */
size_t arch_log_count_kind(enum arch_event_kind kind);
/*
 * True if the kept events, with writes/allocs/frees filtered out unless listed
 * in `kinds`, are exactly `kinds` in order. Lets a test state a barrier/TLBI
 * sequence without caring about unrelated bookkeeping.
 */
bool arch_log_barriers_are(const enum arch_event_kind *kinds, size_t n);
/* Print the log as "# " lines. */
void arch_log_dump(void);

#endif
