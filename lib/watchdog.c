/* The per-test watchdog (see watchdog.h). */
#include "lib/watchdog.h"

#include <stdio.h>

#include "boot/sysregs.h"
#include "lib/console.h"
#include "lib/irq.h"

#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK 2u

static bool available;
static unsigned timer_intid;
static volatile bool fired;
static uint64_t armed_seconds;

bool watchdog_init(unsigned intid, const char **why)
{
	write_sysreg(cntv_ctl_el0, 0);
	if (!irq_ready()) {
		*why = "no interrupt controller is up";
		return false;
	}
	if (!read_sysreg(cntfrq_el0)) {
		*why = "CNTFRQ_EL0 is 0 (the firmware did not set the timer frequency)";
		return false;
	}
	if (!irq_enable(intid)) {
		*why = "the interrupt controller does not take the timer's enable (a Secure-only interrupt, or no GIC there)";
		return false;
	}
	timer_intid = intid;
	available = true;
	return true;
}

bool watchdog_available(void)
{
	return available;
}

unsigned watchdog_intid(void)
{
	return timer_intid;
}

void watchdog_arm(uint64_t seconds)
{
	fired = false;
	armed_seconds = seconds;
	if (!available)
		return;
	write_sysreg(cntv_cval_el0, read_cntvct_ordered() + seconds * read_sysreg(cntfrq_el0));
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	__asm__ volatile("isb" ::: "memory");
}

void watchdog_disarm(void)
{
	if (available)
		write_sysreg(cntv_ctl_el0, 0);
}

bool watchdog_fired(void)
{
	return fired;
}

bool watchdog_irq(const struct exception_frame *f, unsigned vector)
{
	unsigned intid = irq_ack();

	if (intid == IRQ_SPURIOUS)
		return true;
	console_begin_line();
	if (available && intid == timer_intid) {
		write_sysreg(cntv_ctl_el0, 0); /* the level drops: no second interrupt */
		irq_eoi(intid);
		fired = true;
		printf("# WATCHDOG: the test ran past its deadline of %llu s; stopped where it was:\n",
		       (unsigned long long)armed_seconds);
		exception_report(f, vector, "watchdog");
		return false;
	}
	/* Anything else is unexpected; disabled so that a source stuck high cannot storm. */
	irq_disable(intid);
	irq_eoi(intid);
	printf("# unexpected interrupt INTID %u: disabled at the interrupt controller\n", intid);
	exception_report(f, vector, "unexpected interrupt");
	return false;
}
