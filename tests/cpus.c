/* Running test code on secondary CPUs (see cpus.h). */
#include "tests/cpus.h"

#include <stdio.h>

static bool other_cpu_missing(unsigned *which)
{
	for (unsigned i = 1; i < smp_cpu_count(); i++) {
		if (smp_cpu_info(i)->state != SMP_CPU_ONLINE) {
			*which = i;
			return true;
		}
	}
	return false;
}

bool cpus_need(struct test_ctx *t, unsigned n)
{
	char why[96];
	unsigned missing;

	smp_reap_lost();
	if (smp_online_count() >= n)
		return true;
	/* Short: the TAP line has room for little; the banner's "# cpu N:" line says why. */
	if (other_cpu_missing(&missing))
		snprintf(why, sizeof(why), "CPU %u (MPIDR 0x%llx) %s", missing,
			 (unsigned long long)smp_cpu_info(missing)->mpidr, smp_state_name(smp_cpu_info(missing)->state));
	else
		snprintf(why, sizeof(why), "the DTB lists %u (QEMU virt: SMP=%u)", smp_cpu_count(), n);
	test_skip(t, "needs %u CPUs online: %s", n, why);
	return false;
}

void cpus_note_missing(struct test_ctx *t)
{
	char why[160];

	for (unsigned i = 1; i < smp_cpu_count(); i++) {
		if (smp_cpu_info(i)->state == SMP_CPU_ONLINE)
			continue;
		smp_describe_unavailable(i, why, sizeof(why));
		test_diag(t, "left out: %s", why);
	}
}

bool cpus_start(struct test_ctx *t, unsigned cpu, void (*fn)(void *), void *arg)
{
	char why[160];

	if (smp_post(cpu, fn, arg))
		return true;
	smp_describe_unavailable(cpu, why, sizeof(why));
	test_harness_error(t, __FILE__, __LINE__, "cannot run on %s", why);
	return false;
}

bool cpus_finish(struct test_ctx *t, unsigned cpu)
{
	struct saved_exception exc;

	if (smp_wait(cpu))
		return true;
	if (exception_take_saved(cpu, &exc)) {
		exception_report_saved(&exc, cpu, "unexpected, on a secondary CPU");
		test_fail_at(t, __FILE__, __LINE__, "CPU %u (MPIDR 0x%llx) took an unexpected exception", cpu,
			     (unsigned long long)exc.mpidr);
	} else {
		test_fail_at(t, __FILE__, __LINE__, "CPU %u did not return from its work", cpu);
	}
	return false;
}

bool cpus_run(struct test_ctx *t, unsigned cpu, void (*fn)(void *), void *arg)
{
	return cpus_start(t, cpu, fn, arg) && cpus_finish(t, cpu);
}
