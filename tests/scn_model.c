/*
 * The scenario engine's link to the architectural model (mmu/model.h). The
 * model observes a whole run: attached once to the live tables, it is fed the
 * untimed events (cleanup) as they happen, while the events of the sequence
 * under test are only appended to a buffer (the cheap part, inside the timed
 * loop) and replayed after the access, which gives the allowed set of that
 * access.
 *
 * The model reads table memory when it replays an overwrite or a free. The
 * replay runs right after the access and before the cleanup, so it reads the
 * tables as the access found them; a step that rewrites a page the model may
 * read (OP_POISON) replays what came before it first (scn_model_flush).
 */
#include <stdio.h>
#include <string.h>

#include "mmu/arch_event.h"
#include "mmu/boot_map.h"
#include "mmu/tlb.h"
#include "tests/scn_internal.h"

/* The longest sequence: 512 writes to fill a table, and the rest. */
#define SCN_TRACE_MAX 1024u

static struct arch_event trace[SCN_TRACE_MAX];
static unsigned trace_n;
static bool trace_overflow;
static bool recording;  /* buffer the events (the sequence) or feed them at once (the rest) */
static bool subscribed;
static bool print_trace; /* print the events as they are replayed (verbose=2, first iteration) */
static struct model model;

static void take_event(const struct arch_event *ev)
{
	if (!recording) {
		if (ev->kind != ARCH_EV_ACCESS)
			(void)model_on_event(&model, ev->cpu, ev->kind, ev->a, ev->b, ev->c);
	} else if (trace_n < SCN_TRACE_MAX) {
		trace[trace_n++] = *ev;
	} else {
		trace_overflow = true;
	}
}

static void sink(void *ctx, const struct arch_event *evs, unsigned n)
{
	(void)ctx;
	for (unsigned i = 0; i < n; i++)
		take_event(&evs[i]);
}

/*
 * Start observing both live spaces (TTBR0's, and TTBR1's kernel space whichever the row maps in):
 * nothing cached but what the tables say, once a full TLBI has completed.
 */
static bool attach(const struct scn_env *env)
{
	const struct pt_space *kernel = boot_map_kernel_space();

	tlbi_all();
	arch_event_sync(); /* what was queued belongs to the model before the attach */
	return model_attach(&model, env->user->root, env->user->start_level) == MODEL_OK &&
	       (!kernel->root || model_attach_ttbr1(&model, kernel->root) == MODEL_OK);
}

bool scn_model_open(const struct scn_env *env, unsigned feat_bbm, char *why, size_t len)
{
	struct model_config cfg;

	model_config_default(&cfg); /* one CPU: what every scenario runs on */
	cfg.feat_bbm = feat_bbm;
	cfg.contiguous = true; /* a hint any CPU may honour (rule 6c); nothing changes without PTE_CONT */
	enum model_status st = model_init(&model, &cfg);
	if (st == MODEL_OK && !attach(env))
		st = model.status;
	recording = false;
	subscribed = st == MODEL_OK && arch_event_subscribe(sink, 0);
	if (!subscribed && len)
		snprintf(why, len, "the model cannot observe: %s", model_status_name(st));
	return subscribed;
}

void scn_model_close(void)
{
	arch_event_unsubscribe(sink, 0);
	subscribed = false;
}

bool scn_model_begin(const struct scn_env *env)
{
	/* An error is sticky in the model: after the cleanup's full TLBI, start afresh. */
	if (model.status != MODEL_OK && !attach(env))
		return false;
	arch_event_sync(); /* queued events were emitted before recording starts */
	trace_n = 0;
	trace_overflow = false;
	recording = subscribed;
	return subscribed;
}

void scn_model_end(void)
{
	arch_event_sync(); /* queued events were emitted while recording */
	recording = false;
}

static void print_event(const struct arch_event *ev)
{
	const char *name = arch_event_name(ev->kind);

	switch (ev->kind) {
	case ARCH_EV_WRITE:
		printf("#   write [0x%llx] 0x%016llx -> 0x%016llx\n", (unsigned long long)ev->a, (unsigned long long)ev->b,
		       (unsigned long long)ev->c);
		break;
	case ARCH_EV_TABLE_ALLOC:
	case ARCH_EV_TABLE_FREE:
		printf("#   %s 0x%llx (level %llu, VA 0x%llx)\n", name, (unsigned long long)ev->a, (unsigned long long)ev->b,
		       (unsigned long long)ev->c);
		break;
	case ARCH_EV_ACCESS:
		printf("#   access %s 0x%llx: %s\n", arch_access_name((enum arch_access_kind)ev->b), (unsigned long long)ev->a,
		       ev->c < OUTCOME_COUNT ? outcome_name((enum outcome)ev->c) : "not classified");
		break;
	case ARCH_EV_ASID_SWITCH:
		printf("#   %s to ASID %llu\n", name, (unsigned long long)ev->a);
		break;
	default:
		if (ev->a)
			printf("#   %s 0x%llx", name, (unsigned long long)ev->a);
		else
			printf("#   %s", name);
		printf(ev->b ? " ASID %llu\n" : "\n", (unsigned long long)ev->b); /* TLBIs by ASID */
		break;
	}
}

void scn_model_print_next(void)
{
	print_trace = true;
	printf("# events of iteration 0, as the model receives them:\n");
}

/*
 * Replay what was recorded so far. A step that is about to change memory the
 * model reads on replay (a freed table page it reuses) calls it first, so the
 * model reads that memory as it was when the events happened.
 */
void scn_model_flush(void)
{
	arch_event_sync();
	if (!recording)
		return;
	for (unsigned i = 0; i < trace_n; i++) {
		const struct arch_event *ev = &trace[i];
		if (print_trace)
			print_event(ev);
		/* Accesses are for trace readers: the model counts every reachable entry as cacheable anyway. */
		if (ev->kind != ARCH_EV_ACCESS)
			(void)model_on_event(&model, ev->cpu, ev->kind, ev->a, ev->b, ev->c);
	}
	trace_n = 0;
}

void scn_model_note_access(uint64_t va, enum arch_access_kind kind, enum outcome seen)
{
	arch_event_emit(ARCH_EV_ACCESS, va, kind, seen);
}

unsigned scn_model_events(bool *overflow)
{
	arch_event_sync();
	*overflow = trace_overflow;
	return trace_n;
}

enum model_status scn_model_answer(const struct scn_iter *it, struct model_answer *ans)
{
	struct model_markers mk = {.new_pa = it->env->pa_new, .old_pa = it->env->pa_old};
	enum model_access_kind kind = it->row->access == ACCESS_STORE ? MODEL_ACCESS_WRITE : MODEL_ACCESS_READ;

	memset(ans, 0, sizeof(*ans));
	recording = true;
	scn_model_flush();
	recording = false;
	print_trace = false;
	return model_access(&model, 0, it->probe_va, kind, &mk, ans);
}
