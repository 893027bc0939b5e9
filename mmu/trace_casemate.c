/* The Casemate trace exporter: a sink on the event stream printing `# cm` lines (see trace_casemate.h). */
#include "mmu/trace_casemate.h"

#include <stdio.h>

#include "mmu/arch_event.h"
#include "mmu/casemate_fmt.h"
#include "mmu/geometry.h"
#include "mmu/pt_write.h"

/* Longest record: a mem-write with two 64-bit values and a scenario name of up to ~90 characters. */
#define CM_RECORD_MAX 256

struct cm_trace {
	bool on;
	uint64_t next_id;
	struct cm_src src;
};

static struct cm_trace trace;

static void put_record(const char *record)
{
	printf("# cm %s\n", record);
	trace.next_id++;
}

static void cm_sink(void *ctx, const struct arch_event *evs, unsigned n)
{
	char buf[CM_RECORD_MAX];

	(void)ctx;
	for (unsigned i = 0; i < n; i++)
		if (cm_format_event(buf, sizeof(buf), trace.next_id, &evs[i], &trace.src) > 0)
			put_record(buf);
}

/*
 * One table page and everything under it: the page first (mem-init), its
 * tables, then its non-zero entries. At the root only entry `only` (-1: all).
 */
static void put_table(const pt_entry_t *table, int level, int only)
{
	char buf[CM_RECORD_MAX];

	cm_format_mem_init(buf, sizeof(buf), trace.next_id, 0, (uint64_t)(uintptr_t)table, PT_GRANULE_SIZE,
			   &trace.src);
	put_record(buf);
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		pt_entry_t d = pt_read_desc(&table[i]);
		if (!d || (only >= 0 && i != (unsigned)only))
			continue;
		if (desc_type(d, level) == DESC_TABLE && level < PT_LAST_LEVEL)
			put_table((const pt_entry_t *)(uintptr_t)desc_oa(d, level), level + 1, -1);
		cm_format_mem_write(buf, sizeof(buf), trace.next_id, 0, (uint64_t)(uintptr_t)&table[i], d, &trace.src);
		put_record(buf);
	}
}

bool cm_trace_begin(const struct pt_space *s, uint64_t va, const char *name, uint64_t iter)
{
	char buf[CM_RECORD_MAX];

	if (trace.on || !s || !s->root || arch_event_sink_count >= ARCH_EVENT_MAX_SINKS)
		return false;
	trace.next_id = 0;
	trace.src.name = name;
	trace.src.line = iter;
	printf("# cm-trace begin %s iter=%llu\n", name, (unsigned long long)iter);
	put_table(s->root, s->start_level, (int)pt_va_index(va, s->start_level));
	cm_format_ttbr(buf, sizeof(buf), trace.next_id, 0, (uint64_t)(uintptr_t)s->root, &trace.src);
	put_record(buf);
	trace.on = arch_event_subscribe(cm_sink, &trace);
	return trace.on;
}

void cm_trace_end(void)
{
	if (!trace.on)
		return;
	arch_event_unsubscribe(cm_sink, &trace);
	trace.on = false;
	printf("# cm-trace end %s iter=%llu records=%llu\n", trace.src.name, (unsigned long long)trace.src.line,
	       (unsigned long long)trace.next_id);
}
