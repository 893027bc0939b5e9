/*
 * The one event stream: every descriptor write, barrier, TLB maintenance
 * instruction, table-page allocation and free the library performs, and every
 * classified access a scenario makes, goes through arch_event_emit(). Consumers
 * (the BBM monitor, the architectural model, the host event log, trace
 * exporters) subscribe a sink; none is special-cased at the call sites, and
 * the host build differs only in which sinks subscribe.
 *
 * With no sink subscribed an emit costs one load and a not-taken branch, so
 * timed loops run at hand-written speed; with sinks it queues the event and
 * sinks take a batch at a time (below).
 */
#ifndef BBMPROBE_MMU_ARCH_EVENT_H
#define BBMPROBE_MMU_ARCH_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/cpu.h"

enum arch_event_kind {
	ARCH_EV_WRITE = 1,      /* a = ptep, b = old, c = new */
	ARCH_EV_DSB_ISHST,
	ARCH_EV_DSB_ISH,
	ARCH_EV_DSB_SY,
	ARCH_EV_DSB_NSH,
	ARCH_EV_ISB,
	ARCH_EV_TLBI_VALE1IS,   /* a = va, b = asid; last level only, broadcast */
	ARCH_EV_TLBI_VAE1IS,    /* a = va, b = asid; all levels, one ASID (and global entries) */
	ARCH_EV_TLBI_VAAE1IS,   /* a = va; all levels, all ASIDs */
	ARCH_EV_TLBI_VMALLE1IS, /* everything at EL1&0, broadcast */
	ARCH_EV_TLBI_VMALLE1,   /* everything at EL1&0, this CPU only */
	ARCH_EV_TABLE_ALLOC,    /* a = table page, b = level, c = VA base */
	ARCH_EV_TABLE_FREE,     /* a = table page, b = level, c = VA base */
	ARCH_EV_ACCESS,         /* a = va, b = enum arch_access_kind, c = enum outcome observed */
	/* Local (this CPU only) forms and the all-ASID last-level forms; the TLB model consumes them. */
	ARCH_EV_TLBI_VALE1,     /* a = va, b = asid; last level only, this CPU */
	ARCH_EV_TLBI_VAE1,      /* a = va, b = asid; all levels, one ASID (and global leaves), this CPU */
	ARCH_EV_TLBI_VAAE1,     /* a = va; all levels, all ASIDs, this CPU */
	ARCH_EV_TLBI_VAALE1,    /* a = va; last level only, all ASIDs, this CPU */
	ARCH_EV_TLBI_VAALE1IS,  /* a = va; last level only, all ASIDs, broadcast */
	/* ASIDs (mmu/asid.h): the ASID-only TLBI and a switch of the running ASID. */
	ARCH_EV_TLBI_ASIDE1IS,  /* b = asid; every non-global entry of the ASID, any VA, any level; broadcast */
	ARCH_EV_ASID_SWITCH,    /* a = the new running ASID: TTBR0_EL1.ASID written (an ISB follows) */
	ARCH_EV_KIND_COUNT
};

/* What a scenario's classified access was (ARCH_EV_ACCESS b). */
enum arch_access_kind {
	ARCH_ACCESS_READ,
	ARCH_ACCESS_WRITE,
	ARCH_ACCESS_PRFM, /* prefetch: never faults, may walk */
	ARCH_ACCESS_AT,   /* AT S1E1R: walks, reports in PAR_EL1, never faults */
};

struct arch_event {
	enum arch_event_kind kind;
	unsigned cpu; /* the CPU that performed it: this_cpu() (boot/cpu.h), 0 = boot CPU */
	uint64_t a, b, c; /* see enum arch_event_kind */
};

/*
 * A sink receives events in batches, in emit order: one call per batch, not
 * per event. On QEMU TCG every indirect branch (a call through a pointer, a
 * return) costs a translation-cache lookup, and after a TLBI has emptied the
 * emulator's TLB and jump cache a dear one; per-event calls made the seed cycle
 * with the monitor on twice as slow as the hand-written loop before the
 * monitor did any work (make bench, docs/scenarios.md).
 */
typedef void (*arch_event_sink)(void *ctx, const struct arch_event *evs, unsigned n);

#define ARCH_EVENT_MAX_SINKS 4
#define ARCH_EVENT_BATCH 32

/* Events emitted and not yet delivered. */
struct arch_event_queue {
	unsigned n;
	struct arch_event ev[ARCH_EVENT_BATCH];
};

/* Number of subscribed sinks: the emit fast path tests only this. */
extern unsigned arch_event_sink_count;
extern struct arch_event_queue arch_event_queue;

/* Add a sink; false if ARCH_EVENT_MAX_SINKS are already subscribed or it already is. Flushes first. */
bool arch_event_subscribe(arch_event_sink fn, void *ctx);
/* Remove a sink (no effect if it is not subscribed), after delivering what is queued. */
void arch_event_unsubscribe(arch_event_sink fn, void *ctx);
/* Deliver the queued events to every sink, in subscription order. A sink must not emit. */
void arch_event_flush(void);

/*
 * When events reach sinks: at the latest when the queue fills, when a table
 * page is freed (consumers read the page and the pool's metadata for it, which
 * change right after), after a write whose judgement reads the tables around it
 * (pt_write_desc(), mmu/pt_write.h), at (un)subscribe, and when anyone calls
 * arch_event_flush() or arch_event_sync(). A consumer
 * flushes before it reads its own state (the monitor's counts, the model's
 * verdict, a log), so what it reports is never behind what was emitted.
 */
static inline bool arch_event_flushes_now(enum arch_event_kind kind)
{
	return kind == ARCH_EV_TABLE_FREE;
}

/*
 * The emit point. Sinks are not made for concurrent events: while any is
 * subscribed only one CPU emits through the library at a time (a secondary's
 * steps in tests/smp_tlb.c are raw instructions, fed to its model directly).
 */
static inline void arch_event_emit(enum arch_event_kind kind, uint64_t a, uint64_t b, uint64_t c)
{
	if (__builtin_expect(arch_event_sink_count != 0, 0)) {
		struct arch_event_queue *q = &arch_event_queue;
		struct arch_event *ev = &q->ev[q->n];
		ev->kind = kind;
		ev->cpu = this_cpu();
		ev->a = a;
		ev->b = b;
		ev->c = c;
		if (++q->n == ARCH_EVENT_BATCH || arch_event_flushes_now(kind))
			arch_event_flush();
	}
}

/* Deliver what is queued, if anything: what a reader of a consumer's state calls first. */
static inline void arch_event_sync(void)
{
	if (arch_event_queue.n)
		arch_event_flush();
}

const char *arch_event_name(enum arch_event_kind kind);
const char *arch_access_name(enum arch_access_kind kind);

#endif
