/*
 * Exception capture: the saved context, the expected-fault mechanism tests use,
 * and isolation so that an unexpected exception fails one test, not the run.
 */
#ifndef BBMPROBE_BOOT_EXCEPTION_H
#define BBMPROBE_BOOT_EXCEPTION_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu.h"
#include "esr.h"

/* Layout shared with boot/vectors.S. */
struct exception_frame {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
	uint64_t fpsr;
	uint64_t fpcr;
	__uint128_t q[32];
};
_Static_assert(offsetof(struct exception_frame, sp) == 248, "vectors.S FRAME_SP");
_Static_assert(offsetof(struct exception_frame, elr) == 256, "vectors.S FRAME_ELR");
_Static_assert(offsetof(struct exception_frame, esr) == 272, "vectors.S FRAME_ESR");
_Static_assert(offsetof(struct exception_frame, fpsr) == 288, "vectors.S FRAME_FPSR");
_Static_assert(offsetof(struct exception_frame, q) == 304, "vectors.S FRAME_Q");
_Static_assert(sizeof(struct exception_frame) == 816, "vectors.S FRAME_SIZE");

/* What the handler saw for one exception. */
struct fault_record {
	bool taken;
	unsigned vector;   /* 0-15, index into the vector table */
	uint64_t esr;
	uint32_t ec;
	uint32_t fsc;
	enum fault_kind kind;
	int level;         /* lookup level, -1 if none */
	uint64_t far;
	bool far_valid;
	uint64_t elr;
};

/*
 * Expected faults. Arm a record just around one access; the next synchronous
 * exception is recorded into it and execution resumes at `fixup` (0: at the
 * instruction after the faulting one). Disarm after the access. One-shot: the
 * first exception disarms it.
 */
struct fault_slot {
	struct fault_record *volatile record; /* read by the handler */
	uintptr_t fixup;
} __attribute__((aligned(64))); /* one slot per cache line: CPUs arm theirs concurrently */
/* Each CPU arms its own slot (this_cpu()), so an observer's fault never lands in another CPU's record. */
extern struct fault_slot fault_slots[CPU_MAX];

/* Inline: scenarios arm around every probed access, and a call costs more than the access. */
static inline void fault_arm(struct fault_record *rec, uintptr_t fixup)
{
	struct fault_slot *s = &fault_slots[this_cpu()];

	rec->taken = false;
	s->fixup = fixup;
	__asm__ volatile("" ::: "memory");
	s->record = rec;
}

static inline void fault_disarm(void)
{
	fault_slots[this_cpu()].record = NULL;
	__asm__ volatile("" ::: "memory");
}

/*
 * Load 64 bits from `va` with a fault armed. Returns the value, or `poison` if
 * the load faulted (then rec->taken is true and says why).
 */
static inline uint64_t probe_read64(uintptr_t va, uint64_t poison, struct fault_record *rec)
{
	uint64_t v = poison;

	fault_arm(rec, 0);
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
	fault_disarm();
	return v;
}

/* Store with a fault armed. Returns true if the store completed. */
static inline bool probe_write64(uintptr_t va, uint64_t value, struct fault_record *rec)
{
	fault_arm(rec, 0);
	__asm__ volatile("str %0, [%1]" : : "r"(value), "r"(va) : "memory");
	fault_disarm();
	return !rec->taken;
}

/*
 * Run fn(arg) so that an unexpected exception inside it is reported, recorded
 * in *what (if not NULL) and ends fn, instead of ending the run. Returns true if
 * fn returned normally. Nests.
 */
bool isolated_call(void (*fn)(void *), void *arg, struct fault_record *what);

/*
 * Run fn(arg) where the hardware it touches may be absent (a UART, an exit
 * conduit): a synchronous exception inside it is recorded in *what (if not
 * NULL) and ends fn silently, with no report. Works inside the exception
 * handler too, so the panic path can use it. Returns true if fn returned.
 */
bool guarded_call(void (*fn)(void *), void *arg, struct fault_record *what);

/* Unexpected exceptions seen since boot (reported ones, including isolated). */
unsigned exception_unexpected_count(void);

/* SVC service numbers handled by the dispatcher (selftest uses ECHO). */
#define SVC_ECHO 0x42             /* returns ~x0 in x0 and the immediate in x1 */
#define SVC_FAULT_IN_HANDLER 0x43 /* the handler loads from x0: proves the nested-exception panic */

/* Decode and print a fault report for a frame (used by the handler; exposed for tests). */
void exception_report(const struct exception_frame *f, unsigned vector, const char *why);

/*
 * A secondary CPU never prints (the console is CPU0's): an unexpected exception there is
 * saved with its frame, ends the isolated call it happened in, and CPU0 reports it.
 */
struct saved_exception {
	bool valid;
	unsigned vector;
	uint64_t mpidr;
	struct exception_frame frame;
};
/* Take (and clear) what `cpu` saved; false if nothing. */
bool exception_take_saved(unsigned cpu, struct saved_exception *out);
/* Print a saved exception as exception_report does, naming the CPU that took it. */
void exception_report_saved(const struct saved_exception *s, unsigned cpu, const char *why);

/*
 * How the layers above end a run from here: write a message without stdio, and
 * stop with the panic status. Installed once at boot; until then a panic waits
 * in WFE (this file sits below the console and the exit code).
 */
struct exception_hooks {
	void (*write_raw)(const char *s);
	void (*panic)(void); /* must not return; if it does, the CPU waits in WFE */
	/*
	 * An IRQ: acknowledge it; return true to resume, or false after printing
	 * why the running test must end (watchdog, unexpected interrupt).
	 */
	bool (*irq)(const struct exception_frame *f, unsigned vector);
};
void exception_set_hooks(const struct exception_hooks *h);

/* Image placement, for backtraces printed as link-time (ELF) addresses. */
void exception_set_image_range(uintptr_t base, uintptr_t stack_lo, uintptr_t stack_hi);
/* A secondary CPU's stack, for the backtraces in its reports. */
void exception_set_cpu_stack(unsigned cpu, uintptr_t stack_lo, uintptr_t stack_hi);

#endif
