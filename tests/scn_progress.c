/*
 * Progress lines of a scenario's loop (docs/output.md, "Progress lines"), so a
 * console or a lab watching for silence sees a long run alive: one at every 10%
 * of the iterations for runs of PROGRESS_MIN_ITERS or more (any run at
 * verbose=3), and one whenever progress= seconds of timer time passed without
 * a line, whatever the run's length. Printed between iterations, outside the
 * timed sequences; tests/bench.c has its own loop and never prints one.
 */
#include <stdio.h>

#include "lib/timing.h"
#include "tests/scn_internal.h"

/* The 10% marks only from this many iterations: the default 1000 stays quiet. */
#define PROGRESS_MIN_ITERS 10000u

void scn_progress_start(struct scn_progress *p, const struct test_ctx *t)
{
	p->t = t;
	p->n = t->iters;
	p->marks = t->iters >= PROGRESS_MIN_ITERS || t->verbose >= 3;
	p->step = t->iters / 10 ? t->iters / 10 : 1;
	p->next_mark = p->step;
	p->freq = timer_frequency();
	p->interval = t->progress_s * p->freq;
	p->t0 = p->last = timer_counter();
}

void scn_progress_after(struct scn_progress *p, uint64_t done, const struct histogram *h)
{
	char counts[256];

	if (done >= p->n) /* the report follows at once */
		return;
	uint64_t now = timer_counter();
	if (!(p->marks && done >= p->next_mark) && now - p->last < p->interval)
		return;
	while (p->next_mark <= done)
		p->next_mark += p->step;
	p->last = now;
	histogram_format_counts(h, counts, sizeof(counts));
	printf("# progress %s/%s: %llu/%llu (%llu%%), %llu ms: %s\n", p->t->test->group, p->t->test->name,
	       (unsigned long long)done, (unsigned long long)p->n, (unsigned long long)(done * 100 / p->n),
	       (unsigned long long)(timer_ticks_to_ns(now - p->t0, p->freq) / 1000000), counts);
}
