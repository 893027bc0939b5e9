/* Host event log: a sink on the event stream, subscribed before main(). */
#include "host/support/arch_log.h"

#include <stdio.h>

static struct arch_event log_events[ARCH_LOG_MAX];
static size_t log_kept;
static uint64_t log_total;

static void log_sink(void *ctx, const struct arch_event *evs, unsigned n)
{
	(void)ctx;
	for (unsigned i = 0; i < n; i++) {
		log_total++;
		if (log_kept < ARCH_LOG_MAX)
			log_events[log_kept++] = evs[i];
	}
}

static void __attribute__((constructor)) log_subscribe(void)
{
	arch_event_subscribe(log_sink, NULL);
}

void arch_log_clear(void)
{
	arch_event_sync(); /* what was emitted so far */
	log_kept = 0;
	log_total = 0;
}

size_t arch_log_count(void)
{
	arch_event_sync(); /* what was emitted so far */
	return log_kept;
}

uint64_t arch_log_total(void)
{
	arch_event_sync(); /* what was emitted so far */
	return log_total;
}

const struct arch_event *arch_log_get(size_t i)
{
	arch_event_sync(); /* what was emitted so far */
	return i < log_kept ? &log_events[i] : NULL;
}

size_t arch_log_count_kind(enum arch_event_kind kind)
{
	arch_event_sync(); /* what was emitted so far */
	size_t n = 0;
	for (size_t i = 0; i < log_kept; i++)
		n += log_events[i].kind == kind;
	return n;
}

static bool is_bookkeeping(enum arch_event_kind k)
{
	return k == ARCH_EV_WRITE || k == ARCH_EV_TABLE_ALLOC || k == ARCH_EV_TABLE_FREE;
}

bool arch_log_barriers_are(const enum arch_event_kind *kinds, size_t n)
{
	arch_event_sync(); /* what was emitted so far */
	bool keep[ARCH_EV_KIND_COUNT] = {false};
	for (size_t j = 0; j < n; j++)
		if ((unsigned)kinds[j] < ARCH_EV_KIND_COUNT)
			keep[kinds[j]] = true;
	size_t j = 0;
	for (size_t i = 0; i < log_kept; i++) {
		enum arch_event_kind k = log_events[i].kind;
		if (is_bookkeeping(k) && !keep[k])
			continue;
		if (j == n || kinds[j] != k)
			return false;
		j++;
	}
	return j == n;
}

void arch_log_dump(void)
{
	arch_event_sync(); /* what was emitted so far */
	for (size_t i = 0; i < log_kept; i++)
		printf("# event %zu: %s a=0x%llx b=0x%llx c=0x%llx\n", i, arch_event_name(log_events[i].kind),
		       (unsigned long long)log_events[i].a, (unsigned long long)log_events[i].b,
		       (unsigned long long)log_events[i].c);
	if (log_total > log_kept)
		printf("# event log: %llu events not kept\n", (unsigned long long)(log_total - log_kept));
}
