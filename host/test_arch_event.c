/* The event stream's queue (mmu/arch_event.c): order, when batches reach sinks, and who sees what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mmu/arch_event.h"
#include "mmu/pt_write.h"

#define SEEN_MAX 256

struct seen {
	unsigned calls; /* batches received */
	unsigned n;
	struct arch_event ev[SEEN_MAX];
};

static void record_sink(void *ctx, const struct arch_event *evs, unsigned n)
{
	struct seen *s = ctx;
	s->calls++;
	for (unsigned i = 0; i < n && s->n < SEEN_MAX; i++)
		s->ev[s->n++] = evs[i];
}

static void emit_isbs(unsigned n, uint64_t first)
{
	for (unsigned i = 0; i < n; i++)
		arch_event_emit(ARCH_EV_ISB, first + i, 0, 0);
}

/* Events arrive in emit order, all of them, and only when a flush point comes. */
static void batches_keep_order_and_wait_for_a_flush(void **state)
{
	static struct seen s;
	(void)state;
	memset(&s, 0, sizeof(s));
	assert_true(arch_event_subscribe(record_sink, &s));
	emit_isbs(3, 100);
	assert_int_equal(s.n, 0); /* queued, not delivered */
	arch_event_sync();
	assert_int_equal(s.n, 3);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(s.ev[i].a, 100 + i);
	arch_event_sync(); /* nothing queued: no empty batch */
	assert_int_equal(s.calls, 1);
	/* A full queue is delivered as one batch without anyone asking. */
	emit_isbs(ARCH_EVENT_BATCH, 200);
	assert_int_equal(s.n, 3 + ARCH_EVENT_BATCH);
	assert_int_equal(s.calls, 2);
	assert_int_equal(s.ev[3 + ARCH_EVENT_BATCH - 1].a, 200 + ARCH_EVENT_BATCH - 1);
	arch_event_unsubscribe(record_sink, &s);
}

/* A table free reaches sinks at once, after what came before it: they read the page while it is still described. */
static void table_free_is_delivered_at_once(void **state)
{
	static struct seen s;
	(void)state;
	memset(&s, 0, sizeof(s));
	assert_true(arch_event_subscribe(record_sink, &s));
	arch_event_emit(ARCH_EV_WRITE, 0x1000, 1, 0);
	arch_event_emit(ARCH_EV_TABLE_FREE, 0x2000, 3, 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ev[0].kind, ARCH_EV_WRITE);
	assert_int_equal(s.ev[1].kind, ARCH_EV_TABLE_FREE);
	arch_event_unsubscribe(record_sink, &s);
}

/* A new sink sees nothing emitted before it subscribed; a leaving one gets what was emitted while it listened. */
static void subscription_bounds_what_a_sink_sees(void **state)
{
	static struct seen early, late;
	(void)state;
	memset(&early, 0, sizeof(early));
	memset(&late, 0, sizeof(late));
	assert_true(arch_event_subscribe(record_sink, &early));
	emit_isbs(2, 300);
	assert_true(arch_event_subscribe(record_sink, &late));
	emit_isbs(1, 400);
	arch_event_unsubscribe(record_sink, &early);
	assert_int_equal(early.n, 3);
	/* The two early ones went to `early` alone when `late` came; the last went to both. */
	assert_int_equal(late.n, 1);
	assert_int_equal(late.ev[0].a, 400);
	arch_event_unsubscribe(record_sink, &late);
	assert_int_equal(late.n, 1);
	assert_false(arch_event_subscribe(NULL, NULL));
}

/* A live change and a contiguous-run write are delivered at once (their judgement reads the tables); a break waits. */
static void writes_judged_against_memory_are_delivered_at_once(void **state)
{
	static struct seen s;
	static pt_entry_t entry;
	(void)state;
	memset(&s, 0, sizeof(s));
	entry = desc_page(0x80000000, PT_PROT_NORMAL);
	assert_true(arch_event_subscribe(record_sink, &s));
	pt_write_desc(&entry, 0);
	assert_int_equal(s.n, 0); /* a break: queued */
	pt_write_desc(&entry, desc_page(0x80001000, PT_PROT_NORMAL));
	assert_int_equal(s.n, 0); /* a make: queued */
	pt_write_desc(&entry, desc_page(0x80002000, PT_PROT_NORMAL));
	assert_int_equal(s.n, 3); /* a live change: the queue went out with it */
	pt_write_desc(&entry, 0);
	pt_write_desc(&entry, desc_page(0x80001000, PT_PROT_NORMAL) | PTE_CONT);
	assert_int_equal(s.n, 5); /* a contiguous-run page */
	arch_event_unsubscribe(record_sink, &s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batches_keep_order_and_wait_for_a_flush),
		cmocka_unit_test(table_free_is_delivered_at_once),
		cmocka_unit_test(subscription_bounds_what_a_sink_sees),
		cmocka_unit_test(writes_judged_against_memory_are_delivered_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
