/*
 * Exception dispatch: SVC services, expected faults (recorded and resumed),
 * unexpected exceptions (reported, then the current isolated call is ended),
 * and a panic for an exception inside the handler itself.
 * The fixup style follows kvm-unit-tests and Linux's exception tables: the
 * handler, not the faulting code, moves the PC on.
 */
#include "exception.h"
#include "boot/hot_data.h"

#include "boot/assert.h"
#include "boot/sysregs.h"

#include <stdio.h>

#define PSTATE_I (1u << 7)
#define PSTATE_F (1u << 6)

HOT_DATA struct fault_slot fault_slots[CPU_MAX];
static volatile unsigned unexpected_count;

/* Innermost isolated_call or guarded_call, if any: where an exception unwinds to. */
struct isolation {
	jmp_buf jb;
	struct fault_record *what;
	struct isolation *outer;
	bool quiet;     /* guarded_call: synchronous exceptions only, no report */
	unsigned depth; /* handler_depth when it was entered (a guard may run inside the handler) */
};
/* Each CPU's own: where its exceptions unwind to, and how deep in the handler it is. */
struct cpu_exception_state {
	struct isolation *current_isolation;
	struct isolation *unwind_target; /* the isolation isolation_unwind() jumps to */
	volatile unsigned handler_depth;
	uintptr_t stack_lo, stack_hi; /* for the backtrace's frame-pointer checks */
	struct saved_exception saved; /* secondaries: reported by CPU0 */
};
static struct cpu_exception_state cpu_state[CPU_MAX];
#define THIS (&cpu_state[this_cpu()])
#define fault_armed_record (fault_slots[this_cpu()].record)
#define fault_armed_fixup (fault_slots[this_cpu()].fixup)
#define handler_depth (THIS->handler_depth)
#define current_isolation (THIS->current_isolation)
#define unwind_target (THIS->unwind_target)

static uintptr_t image_base;
static struct exception_hooks hooks;

void exception_set_hooks(const struct exception_hooks *h)
{
	hooks = *h;
}

/* Raw output for the panic path: printf may be what faulted. */
static void panic_write(const char *s)
{
	if (hooks.write_raw)
		hooks.write_raw(s);
}

static void __attribute__((noreturn)) park_secondary(void)
{
	for (;;)
		__asm__ volatile("wfe");
}

static void __attribute__((noreturn)) panic_stop(void)
{
	if (this_cpu() != 0)
		park_secondary(); /* CPU0 owns the exit; it reports this CPU as lost */
	if (hooks.panic)
		hooks.panic();
	for (;;)
		__asm__ volatile("wfe");
}

static const char *const vector_names[16] = {
	"synchronous, current EL with SP_EL0", "IRQ, current EL with SP_EL0",
	"FIQ, current EL with SP_EL0",         "SError, current EL with SP_EL0",
	"synchronous, current EL with SP_ELx", "IRQ, current EL with SP_ELx",
	"FIQ, current EL with SP_ELx",         "SError, current EL with SP_ELx",
	"synchronous, lower EL (AArch64)",     "IRQ, lower EL (AArch64)",
	"FIQ, lower EL (AArch64)",             "SError, lower EL (AArch64)",
	"synchronous, lower EL (AArch32)",     "IRQ, lower EL (AArch32)",
	"FIQ, lower EL (AArch32)",             "SError, lower EL (AArch32)",
};

void exception_set_image_range(uintptr_t base, uintptr_t lo, uintptr_t hi)
{
	image_base = base;
	exception_set_cpu_stack(0, lo, hi);
}

void exception_set_cpu_stack(unsigned cpu, uintptr_t lo, uintptr_t hi)
{
	cpu_state[cpu % CPU_MAX].stack_lo = lo;
	cpu_state[cpu % CPU_MAX].stack_hi = hi;
}

unsigned exception_unexpected_count(void)
{
	return unexpected_count;
}

static void record_fault(struct fault_record *rec, const struct exception_frame *f, unsigned vector)
{
	struct esr_info e;

	esr_decode(f->esr, &e);
	rec->taken = true;
	rec->vector = vector;
	rec->esr = f->esr;
	rec->ec = e.ec;
	rec->fsc = e.fsc;
	rec->kind = e.kind;
	rec->level = e.level;
	rec->far = f->far;
	rec->far_valid = e.far_valid;
	rec->elr = f->elr;
}

static uint64_t elf_addr(uint64_t pc)
{
	return pc - image_base;
}

static bool frame_pointer_ok(unsigned cpu, uint64_t fp)
{
	const struct cpu_exception_state *c = &cpu_state[cpu];

	return fp && !(fp & 0xf) && fp >= c->stack_lo && fp + 16 <= c->stack_hi;
}

static void report_on(const struct exception_frame *f, unsigned vector, const char *why, unsigned cpu, uint64_t mpidr);

void exception_report(const struct exception_frame *f, unsigned vector, const char *why)
{
	report_on(f, vector, why, this_cpu(), read_sysreg(mpidr_el1));
}

void exception_report_saved(const struct saved_exception *s, unsigned cpu, const char *why)
{
	report_on(&s->frame, s->vector, why, cpu % CPU_MAX, s->mpidr);
}

bool exception_take_saved(unsigned cpu, struct saved_exception *out)
{
	struct saved_exception *s = &cpu_state[cpu % CPU_MAX].saved;

	__asm__ volatile("dmb ish" ::: "memory"); /* valid is written last by the secondary */
	if (!s->valid)
		return false;
	*out = *s;
	s->valid = false;
	return true;
}

/* A secondary's report: CPU0 prints it later (this CPU must not touch the console). */
static void save_for_cpu0(const struct exception_frame *f, unsigned vector)
{
	struct saved_exception *s = &THIS->saved;

	s->frame = *f;
	s->vector = vector;
	s->mpidr = read_sysreg(mpidr_el1);
	__asm__ volatile("dmb ish" ::: "memory");
	s->valid = true;
}

static void report_on(const struct exception_frame *f, unsigned vector, const char *why, unsigned cpu, uint64_t mpidr)
{
	struct esr_info e;
	unsigned kind = vector & 3;

	esr_decode(f->esr, &e);
	printf("# EXCEPTION: %s (vector %u, %s)\n", vector_names[vector & 15], vector, why);
	printf("#   on CPU %u, MPIDR 0x%llx\n", cpu, (unsigned long long)mpidr);
	if (kind == 0) {
		printf("#   EC 0x%02x %s", (unsigned)e.ec, e.ec_name);
		if (e.is_abort)
			printf(": %s (FSC 0x%02x)", e.fsc_name, (unsigned)e.fsc);
		if (e.is_abort && e.level >= 0)
			printf(", level %d", e.level);
		printf("\n");
		printf("#   ESR 0x%016llx  FAR 0x%016llx (%s)%s\n", (unsigned long long)f->esr,
		       (unsigned long long)f->far, e.far_valid ? "valid" : "not valid",
		       e.is_abort && (e.ec == ESR_EC_DABT_CUR || e.ec == ESR_EC_DABT_LOW)
			       ? (e.write ? "  access: write" : "  access: read")
			       : "");
	} else if (kind == 3) {
		printf("#   SError: ESR 0x%016llx (ISS 0x%07x)\n", (unsigned long long)f->esr, (unsigned)e.iss);
	} else {
		printf("#   %s\n", kind == 1 ? "IRQ" : "FIQ");
	}
	printf("#   ELR 0x%016llx (elf 0x%llx)  SPSR 0x%016llx  SP 0x%016llx\n", (unsigned long long)f->elr,
	       (unsigned long long)elf_addr(f->elr), (unsigned long long)f->spsr, (unsigned long long)f->sp);
	for (int i = 0; i < 31; i += 4) {
		printf("#  ");
		for (int j = i; j < i + 4 && j < 31; j++)
			printf(" x%-2d 0x%016llx", j, (unsigned long long)f->x[j]);
		printf("\n");
	}
	/* Frame-pointer backtrace (AAPCS64 frame records: [fp] = caller fp, [fp+8] = lr). */
	printf("#   backtrace (elf addresses): 0x%llx", (unsigned long long)elf_addr(f->elr));
	uint64_t fp = f->x[29];
	uint64_t lr = f->x[30];
	/* x30 is the caller unless the faulting function already saved it in its frame record. */
	bool lr_in_record = frame_pointer_ok(cpu, fp) && ((const uint64_t *)(uintptr_t)fp)[1] == lr;
	if (lr && !lr_in_record)
		printf(" <- 0x%llx", (unsigned long long)elf_addr(lr - 4));
	for (int depth = 0; depth < 8 && frame_pointer_ok(cpu, fp); depth++) {
		const uint64_t *rec = (const uint64_t *)(uintptr_t)fp;
		if (!rec[1])
			break;
		printf(" <- 0x%llx", (unsigned long long)elf_addr(rec[1] - 4));
		if (rec[0] <= fp)
			break;
		fp = rec[0];
	}
	printf("\n#   (resolve with: aarch64-linux-gnu-addr2line -fe build/<gcc|clang>/bbmprobe.elf ADDR...)\n");
}

/* Runs at the eret target after an unexpected exception: leave the isolated call. */
static void __attribute__((noreturn, used)) isolation_unwind(void)
{
	longjmp(unwind_target->jb, 1);
}

/* Resume in isolation_unwind with IRQ/FIQ masked so a stuck interrupt cannot loop. */
static void unwind_to(struct exception_frame *f, struct isolation *iso)
{
	unwind_target = iso;
	f->elr = (uint64_t)(uintptr_t)isolation_unwind;
	f->spsr |= PSTATE_I | PSTATE_F;
}

/* The innermost isolated_call (guards skipped), or with `outermost` the first one (the runner's). */
static struct isolation *isolation_for(bool outermost)
{
	struct isolation *found = NULL;

	for (struct isolation *iso = current_isolation; iso; iso = iso->outer) {
		if (iso->quiet)
			continue;
		found = iso;
		if (!outermost)
			break;
	}
	return found;
}

/*
 * A synchronous exception inside a guarded_call at the same handler depth ends
 * that call silently: the guard is how the console and the exit conduits touch
 * hardware that may be absent, including from inside the handler.
 */
static bool guard_catches(struct exception_frame *f, unsigned vector)
{
	struct isolation *iso = current_isolation;

	if ((vector & 3) != 0 || !iso || !iso->quiet || iso->depth != handler_depth)
		return false;
	if (iso->what)
		record_fault(iso->what, f, vector);
	fault_armed_record = NULL;
	unwind_to(f, iso);
	return true;
}

static void handle_svc(struct exception_frame *f, const struct esr_info *e)
{
	switch (e->iss & 0xffff) {
	case SVC_ECHO:
		f->x[0] = ~f->x[0];
		f->x[1] = e->iss & 0xffff;
		break;
	case SVC_FAULT_IN_HANDLER:
		(void)*(volatile uint64_t *)(uintptr_t)f->x[0];
		break;
	default:
		f->x[0] = (uint64_t)-1;
		break;
	}
	/* ELR already points after the SVC (preferred return address). */
}

static void __attribute__((noreturn)) panic_nested(const struct exception_frame *f, unsigned vector)
{
	if (this_cpu() != 0) {
		save_for_cpu0(f, vector);
		park_secondary();
	}
	panic_write("\n# PANIC: exception inside the exception handler; stopping.\n");
	panic_write("# PANIC: nested exception details follow (best effort).\n");
	handler_depth = 2; /* a third one just stops */
	exception_report(f, vector, "nested");
	panic_stop();
}

/* Not an SVC, an armed fault or a handled interrupt: report it and end the test it happened in. */
static void unexpected(struct exception_frame *f, unsigned vector, bool reported)
{
	bool irq = (vector & 3) == 1;
	/* An interrupt ends the whole test (the watchdog's), not a nested isolated call inside it. */
	struct isolation *iso = isolation_for(irq);

	__atomic_fetch_add(&unexpected_count, 1, __ATOMIC_RELAXED);
	fault_armed_record = NULL;
	if (this_cpu() != 0) {
		save_for_cpu0(f, vector);
		if (!iso)
			park_secondary();
		if (iso->what)
			record_fault(iso->what, f, vector);
		unwind_to(f, iso);
		return;
	}
	if (!iso) {
		if (!reported)
			exception_report(f, vector, "outside any test");
		panic_write("# PANIC: unexpected exception outside a test; stopping.\n");
		panic_stop();
	}
	if (!reported)
		exception_report(f, vector, "unexpected");
	if (iso->what)
		record_fault(iso->what, f, vector);
	unwind_to(f, iso);
}

void exception_dispatch(struct exception_frame *f, unsigned vector);
void exception_dispatch(struct exception_frame *f, unsigned vector)
{
	if (guard_catches(f, vector))
		return;
	if (handler_depth >= 2) {
		if (this_cpu() != 0)
			park_secondary();
		panic_write("\n# PANIC: exception while reporting a nested exception\n");
		panic_stop();
	}
	if (handler_depth++ > 0)
		panic_nested(f, vector);

	bool sync = (vector & 3) == 0;
	struct esr_info e;
	esr_decode(f->esr, &e);

	if (sync && e.ec == ESR_EC_SVC64) {
		handle_svc(f, &e);
	} else if (sync && fault_armed_record && (e.is_abort || e.ec == ESR_EC_UNKNOWN)) {
		struct fault_record *rec = fault_armed_record;
		fault_armed_record = NULL;
		record_fault(rec, f, vector);
		f->elr = fault_armed_fixup ? fault_armed_fixup : f->elr + 4;
	} else if ((vector & 3) == 1 && hooks.irq) {
		/* The hook acknowledges the interrupt; false: it reported why the test must end. */
		if (!hooks.irq(f, vector))
			unexpected(f, vector, true);
	} else {
		unexpected(f, vector, false);
	}
	handler_depth--;
}

void assert_failed(const char *file, int line, const char *expr)
{
	printf("# ASSERT failed: %s:%d: %s\n", file, line, expr);
	__asm__ volatile("brk %0" ::"i"(ASSERT_BRK_IMM));
	__builtin_unreachable();
}

static bool run_isolated(void (*fn)(void *), void *arg, struct fault_record *what, bool quiet)
{
	/* volatile: read after longjmp. */
	struct isolation iso;
	struct isolation *volatile saved_outer = current_isolation;

	/* The unwind masks IRQ/FIQ; the caller gets back the mask it had (a test keeps its watchdog). */
	const uint64_t daif = read_sysreg(daif);

	iso.what = what;
	iso.outer = saved_outer;
	iso.quiet = quiet;
	iso.depth = handler_depth;
	if (what)
		what->taken = false;
	if (setjmp(iso.jb) == 0) {
		current_isolation = &iso;
		fn(arg);
		current_isolation = saved_outer;
		return true;
	}
	current_isolation = saved_outer;
	fault_disarm();
	write_sysreg(daif, daif);
	return false;
}

bool isolated_call(void (*fn)(void *), void *arg, struct fault_record *what)
{
	return run_isolated(fn, arg, what, false);
}

bool guarded_call(void (*fn)(void *), void *arg, struct fault_record *what)
{
	return run_isolated(fn, arg, what, true);
}
