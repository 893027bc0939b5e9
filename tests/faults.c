/*
 * faults: deliberate failures, never in the default suite. Each test does
 * nothing (skips) unless the boot argument inject= names its case, and
 * inject= is refused unless tests= selects this group. The integration test
 * host/integration/faults.t checks how the run copes: the watchdog ends a
 * hang, a stray interrupt is silenced, a dead console hands over to
 * semihosting, and pool exhaustion is a harness error, never a finding. The
 * boot-phase cases (inject=undef, serror) are injected by main before the
 * runner (main/boot_guard.c). inject=secondary-undef needs a second CPU online.
 */
#include <string.h>

#include "boot/sysregs.h"
#include "lib/console.h"
#include "lib/irq.h"
#include "mmu/pool.h"
#include "tests/cpus.h"
#include "tests/registry.h"
#include "tests/scenario.h"

/* The physical timer's interrupt (PPI 14): a source the watchdog does not own. */
#define CNTP_INTID 30u

static bool injected(struct test_ctx *t, const char *what)
{
	if (strcmp(t->inject, what)) {
		test_skip(t, "runs only with inject=%s", what);
		return false;
	}
	return true;
}

TEST_CASE_FLAGS(faults_hang_loop, "faults", "hang-loop", "inject=hang: spins forever; the watchdog must end it",
		TEST_NOT_DEFAULT)
{
	if (!injected(t, "hang"))
		return;
	test_diag(t, "spinning until the watchdog fires (%llu s)", (unsigned long long)t->timeout_s);
	for (volatile uint64_t n = 0;; n++)
		;
}

TEST_CASE_FLAGS(faults_hang_wfe, "faults", "hang-wfe", "inject=hang: waits in WFE forever; the watchdog must end it",
		TEST_NOT_DEFAULT)
{
	if (!injected(t, "hang"))
		return;
	test_diag(t, "waiting in WFE until the watchdog fires (%llu s)", (unsigned long long)t->timeout_s);
	for (;;)
		__asm__ volatile("wfe");
}

TEST_CASE_FLAGS(faults_irq_storm, "faults", "irq-storm",
		"inject=irq-storm: a level interrupt stuck high is reported once and disabled", TEST_NOT_DEFAULT)
{
	if (!injected(t, "irq-storm"))
		return;
	if (!irq_ready() || !irq_enable(CNTP_INTID)) {
		test_skip(t, "no interrupt controller bbmprobe drives, or INTID %u cannot be enabled", CNTP_INTID);
		return;
	}
	test_diag(t, "the physical timer's condition is met from now on: INTID %u stays asserted", CNTP_INTID);
	write_sysreg(cntp_cval_el0, 0);
	write_sysreg(cntp_ctl_el0, 1);
	__asm__ volatile("isb" ::: "memory");
	for (unsigned i = 0; i < 1000000; i++)
		__asm__ volatile("nop");
	CHECK(t, false, "INTID %u was enabled and asserted, but no interrupt ended this test", CNTP_INTID);
}

TEST_CASE_FLAGS(faults_console_fault, "faults", "console-fault",
		"inject=console-fault: the console UART faults mid-run; it is disabled and output goes on elsewhere",
		TEST_NOT_DEFAULT)
{
	if (!injected(t, "console-fault"))
		return;
	test_diag(t, "moving the console to an unmapped address: the next byte faults");
	console_test_break();
	test_diag(t, "written after the console faulted: reaches semihosting, if on, or nowhere");
	CHECK(t, !console_alive(), "the console still counts as up after faulting");
}

/* The scenario engine with its table pool exhausted mid-sequence (the engine's own INJECT_EXHAUST_POOL). */
static void faults_pool_exhaust(struct test_ctx *t)
{
	if (!injected(t, "pool-exhaust"))
		return;
	test_diag(t, "seed/remap-linux-5.x with no table page left: every iteration is a harness error");
	scn_test(t);
	CHECK(t, t->failures && t->harness_failures == t->failures,
	      "an exhausted pool was not reported as harness errors only (%u of %u failures)", t->harness_failures,
	      t->failures);
}

static const struct scn_row pool_exhaust_row = {
	.scenario = "faults/pool-exhaust", .variant = "seed-remap-linux-5.x",
	.steps = STEPS(STEP(OP_MAP_PAGE, 0), STEP(OP_WARM, 0), STEP(OP_UNMAP_PAGE, PT_TLBI_ALL_LEVELS),
		       STEP(OP_REWALK, REWALK_LOAD), STEP(OP_BLOCK, PT_POLICY_LINUX_FIXED)),
	.inject = INJECT_EXHAUST_POOL};
TEST_ROW(faults_pool_exhaust, "faults", "pool-exhaust",
	 "inject=pool-exhaust: a scenario whose table pool is empty is a harness error, not an erratum",
	 TEST_NOT_DEFAULT, faults_pool_exhaust, &pool_exhaust_row);

static void secondary_undef(void *arg)
{
	(void)arg;
	__asm__ volatile("udf #0x5ec");
}

static void secondary_alive(void *arg)
{
	*(volatile unsigned *)arg = this_cpu();
}

TEST_CASE_FLAGS(faults_secondary_undef, "faults", "secondary-undef",
		"inject=secondary-undef: CPU 1 takes an undefined instruction; reported with its registers, this test "
		"fails, CPU0 goes on and CPU 1 takes work again",
		TEST_NOT_DEFAULT)
{
	volatile unsigned alive = 0;

	if (!injected(t, "secondary-undef") || !cpus_need(t, 2))
		return;
	test_diag(t, "CPU 1 executes UDF #0x5ec");
	CHECK(t, !cpus_run(t, 1, secondary_undef, NULL), "UDF on CPU 1 returned normally");
	CHECK(t, cpus_run(t, 1, secondary_alive, (void *)&alive) && alive == 1,
	      "CPU 1 takes no work after its exception (ran as %u)", alive);
}

static void secondary_spin(void *arg)
{
	(void)arg;
	for (volatile uint64_t n = 0;; n++)
		;
}

TEST_CASE_FLAGS(faults_secondary_hang, "faults", "secondary-hang",
		"inject=secondary-hang: CPU 1 spins forever; the watchdog on CPU0 ends the test and CPU 1 is lost",
		TEST_NOT_DEFAULT)
{
	if (!injected(t, "secondary-hang") || !cpus_need(t, 2))
		return;
	test_diag(t, "CPU 1 spins forever; CPU0 waits for it until the watchdog fires (%llu s)",
		  (unsigned long long)t->timeout_s);
	if (cpus_start(t, 1, secondary_spin, NULL))
		(void)cpus_finish(t, 1);
	CHECK(t, false, "CPU 1 returned from an endless loop");
}
