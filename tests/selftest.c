/*
 * selftest: proves the machinery the scenarios rely on. Each test asserts on
 * what the exception handler actually recorded, so a broken vector table,
 * decoder or fixup path fails here first.
 */
#include <stdint.h>

#include "boot/assert.h"
#include "boot/exception.h"
#include "boot/sysregs.h"
#include "mmu/geometry.h"
#include "tests/registry.h"

/*
 * TTBR0 addresses no boot map ever covers: at 4K L0 index 511, and L0 0 / L1 index 448. The walk
 * starts at level 1 at 64K (granule=64k), so each faults one level deeper there.
 */
#define VA_UNMAPPED_L0 0x0000ff8000000000ull
#define VA_UNMAPPED_L1 0x0000007000000000ull
#define POISON 0x5afe5afe5afe5afeull

static void check_translation_fault(struct test_ctx *t, const struct fault_record *rec, uint64_t va, int level,
				    bool write)
{
	CHECK(t, rec->taken, "access to 0x%llx did not fault", (unsigned long long)va);
	CHECK_EQ_U64(t, rec->ec, ESR_EC_DABT_CUR);
	CHECK(t, rec->kind == FAULT_TRANSLATION, "fault kind %s, expected translation fault",
	      fault_kind_name(rec->kind));
	CHECK(t, rec->level == level, "fault level %d, expected %d", rec->level, level);
	CHECK(t, rec->far_valid, "FAR marked not valid");
	CHECK_EQ_U64(t, rec->far, va);
	CHECK_EQ_U64(t, (rec->esr >> 6) & 1, write ? 1 : 0); /* ISS.WnR */
	CHECK_EQ_U64(t, rec->vector, 4);                     /* synchronous, current EL, SP_ELx */
}

TEST_CASE(selftest_fault_expected, "selftest", "fault-expected",
	 "an armed translation fault at L0 and L1 is caught, decoded and resumed")
{
	struct fault_record rec;

	uint64_t v = probe_read64(VA_UNMAPPED_L0, POISON, &rec);
	check_translation_fault(t, &rec, VA_UNMAPPED_L0, PT_START_LEVEL, false);
	CHECK_EQ_U64(t, v, POISON);

	v = probe_read64(VA_UNMAPPED_L1, POISON, &rec);
	check_translation_fault(t, &rec, VA_UNMAPPED_L1, PT_START_LEVEL + 1, false);
	CHECK_EQ_U64(t, v, POISON);

	bool stored = probe_write64(VA_UNMAPPED_L0 + 8, 1, &rec);
	CHECK(t, !stored, "store to an unmapped address reported success");
	check_translation_fault(t, &rec, VA_UNMAPPED_L0 + 8, PT_START_LEVEL, true);

	/* A mapped access with the fault armed must not be recorded. */
	static volatile uint64_t mapped = 0x1234;
	v = probe_read64((uintptr_t)&mapped, POISON, &rec);
	CHECK(t, !rec.taken, "a good access was recorded as a fault");
	CHECK_EQ_U64(t, v, 0x1234);
}

static volatile bool ran_past_fault;

static void fault_without_arming(void *arg)
{
	(void)arg;
	ran_past_fault = false;
	(void)*(volatile uint64_t *)(uintptr_t)VA_UNMAPPED_L0;
	ran_past_fault = true;
}

TEST_CASE(selftest_fault_unexpected, "selftest", "fault-unexpected",
	 "an unarmed fault is reported, ends only its own call, and the run goes on")
{
	struct fault_record what;
	unsigned before = exception_unexpected_count();
	uint64_t daif = read_sysreg(daif);

	test_diag(t, "the exception report below is expected: this test provokes it");
	bool returned = isolated_call(fault_without_arming, NULL, &what);
	/* The unwind masks interrupts; the caller must get its own mask back, or the watchdog goes deaf. */
	CHECK_EQ_U64(t, read_sysreg(daif), daif);
	CHECK(t, !returned, "the faulting call returned normally");
	CHECK(t, !ran_past_fault, "execution continued past the faulting load");
	CHECK(t, what.taken, "no exception was recorded");
	CHECK_EQ_U64(t, what.ec, ESR_EC_DABT_CUR);
	CHECK(t, what.kind == FAULT_TRANSLATION && what.level == PT_START_LEVEL, "recorded %s level %d",
	      fault_kind_name(what.kind), what.level);
	CHECK_EQ_U64(t, what.far, VA_UNMAPPED_L0);
	CHECK_EQ_U64(t, exception_unexpected_count(), before + 1);
}

static void assert_false(void *arg)
{
	ASSERT(arg == NULL); /* called with a non-NULL arg: must fail */
}

TEST_CASE(selftest_assert, "selftest", "assert",
	 "a failed ASSERT reports file:line and ends only its own call, through the exception path")
{
	struct fault_record what;
	static int dummy;

	test_diag(t, "the ASSERT report below is expected: this test provokes it");
	bool returned = isolated_call(assert_false, &dummy, &what);
	CHECK(t, !returned, "the call with a failed ASSERT returned normally");
	CHECK(t, what.taken, "no exception was recorded");
	CHECK_EQ_U64(t, what.ec, ESR_EC_BRK64);
	CHECK_EQ_U64(t, what.esr & 0xffff, ASSERT_BRK_IMM); /* ISS.Comment */
}

static uint64_t svc_echo(uint64_t value, uint64_t *imm)
{
	register uint64_t x0 __asm__("x0") = value;
	register uint64_t x1 __asm__("x1") = 0;

	__asm__ volatile("svc %2" : "+r"(x0), "+r"(x1) : "i"(SVC_ECHO) : "memory");
	*imm = x1;
	return x0;
}

TEST_CASE(selftest_svc, "selftest", "svc-roundtrip", "an SVC reaches the handler, which returns a result in x0")
{
	uint64_t imm;

	CHECK_EQ_U64(t, svc_echo(0x0123456789abcdefull, &imm), ~0x0123456789abcdefull);
	CHECK_EQ_U64(t, imm, SVC_ECHO);
	CHECK_EQ_U64(t, svc_echo(0, &imm), ~0ull);
}

TEST_CASE(selftest_counter, "selftest", "counter", "the generic timer counter runs (benchmarks and timeouts use it)")
{
	uint64_t freq, c0, c1;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(c0));
	for (volatile int i = 0; i < 100000; i++)
		;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(c1));
	CHECK(t, freq != 0, "CNTFRQ_EL0 is 0: firmware did not set the counter frequency");
	CHECK(t, c1 > c0, "CNTVCT_EL0 did not advance (%llu -> %llu)", (unsigned long long)c0, (unsigned long long)c1);
	test_verbose(t, 1, "counter: %llu Hz", (unsigned long long)freq);
}

TEST_CASE_FLAGS(selftest_nested_panic, "selftest", "nested-panic",
	       "a fault inside the exception handler stops the run with status 3", TEST_EXPLICIT)
{
	test_diag(t, "asking the SVC handler to fault: the run must end with a PANIC line and status 3");
	/* Declared after the call above: a call in between would clobber x0. */
	register uint64_t x0 __asm__("x0") = VA_UNMAPPED_L0;
	__asm__ volatile("svc %1" : "+r"(x0) : "i"(SVC_FAULT_IN_HANDLER) : "memory");
	CHECK(t, false, "the handler survived a fault inside itself");
}
