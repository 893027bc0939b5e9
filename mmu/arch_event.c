/* The event stream's sink list and dispatch, and event names for logs and diagnostics. */
#include "mmu/arch_event.h"
#include "boot/hot_data.h"

#include "lib/enum_names.h"

struct sink_slot {
	arch_event_sink fn;
	void *ctx;
};

HOT_DATA unsigned arch_event_sink_count;
HOT_DATA struct arch_event_queue arch_event_queue;
HOT_DATA static struct sink_slot sinks[ARCH_EVENT_MAX_SINKS];

bool arch_event_subscribe(arch_event_sink fn, void *ctx)
{
	arch_event_sync(); /* a new sink sees only what is emitted from now on */
	for (unsigned i = 0; i < arch_event_sink_count; i++)
		if (sinks[i].fn == fn && sinks[i].ctx == ctx)
			return false;
	if (!fn || arch_event_sink_count == ARCH_EVENT_MAX_SINKS)
		return false;
	sinks[arch_event_sink_count].fn = fn;
	sinks[arch_event_sink_count].ctx = ctx;
	arch_event_sink_count++;
	return true;
}

void arch_event_unsubscribe(arch_event_sink fn, void *ctx)
{
	arch_event_sync(); /* the leaving sink gets what was emitted while it was subscribed */
	for (unsigned i = 0; i < arch_event_sink_count; i++) {
		if (sinks[i].fn != fn || sinks[i].ctx != ctx)
			continue;
		/* Keep subscription order: later sinks move down one slot. */
		for (unsigned j = i + 1; j < arch_event_sink_count; j++)
			sinks[j - 1] = sinks[j];
		arch_event_sink_count--;
		return;
	}
}

HOT_TEXT void arch_event_flush(void)
{
	struct arch_event_queue *q = &arch_event_queue;
	/* Sinks do not emit (they observe): the queue holds still while they read it. */
	for (unsigned i = 0; q->n && i < arch_event_sink_count; i++)
		sinks[i].fn(sinks[i].ctx, q->ev, q->n);
	q->n = 0;
}

static const char *const event_names[ARCH_EV_KIND_COUNT] = {
	[ARCH_EV_WRITE] = "write",
	[ARCH_EV_DSB_ISHST] = "dsb ishst",
	[ARCH_EV_DSB_ISH] = "dsb ish",
	[ARCH_EV_DSB_SY] = "dsb sy",
	[ARCH_EV_DSB_NSH] = "dsb nsh",
	[ARCH_EV_ISB] = "isb",
	[ARCH_EV_TLBI_VALE1IS] = "tlbi vale1is",
	[ARCH_EV_TLBI_VAE1IS] = "tlbi vae1is",
	[ARCH_EV_TLBI_VAAE1IS] = "tlbi vaae1is",
	[ARCH_EV_TLBI_VMALLE1IS] = "tlbi vmalle1is",
	[ARCH_EV_TLBI_VMALLE1] = "tlbi vmalle1",
	[ARCH_EV_TABLE_ALLOC] = "table alloc",
	[ARCH_EV_TABLE_FREE] = "table free",
	[ARCH_EV_ACCESS] = "access",
	[ARCH_EV_TLBI_VALE1] = "tlbi vale1",
	[ARCH_EV_TLBI_VAE1] = "tlbi vae1",
	[ARCH_EV_TLBI_VAAE1] = "tlbi vaae1",
	[ARCH_EV_TLBI_VAALE1] = "tlbi vaale1",
	[ARCH_EV_TLBI_VAALE1IS] = "tlbi vaale1is",
	[ARCH_EV_TLBI_ASIDE1IS] = "tlbi aside1is",
	[ARCH_EV_ASID_SWITCH] = "asid switch",
};

const char *arch_event_name(enum arch_event_kind kind)
{
	return ENUM_NAME(event_names, kind, "?");
}

static const char *const access_names[] = {
	[ARCH_ACCESS_READ] = "read",
	[ARCH_ACCESS_WRITE] = "write",
	[ARCH_ACCESS_PRFM] = "prfm",
	[ARCH_ACCESS_AT] = "at",
};

const char *arch_access_name(enum arch_access_kind kind)
{
	return ENUM_NAME(access_names, kind, "?");
}
