/*
 * A secondary CPU's first C: head.S's secondary_entry calls it at EL1 with the
 * MMU off, on the CPU's own stack, with TPIDR_EL1 = its index. It joins the
 * boot CPU's tables (shared, cleaned to memory by CPU0: platform/smp.c), sets
 * its own TLS, then serves CPU0's mailbox forever.
 */
#include <stdint.h>

#include "boot/cpu.h"
#include "boot/exception.h"
#include "main/tls.h"
#include "mmu/enable.h"
#include "platform/smp.h"

extern char smp_stacks[];

void secondary_main(unsigned cpu) __attribute__((noreturn));
void secondary_main(unsigned cpu)
{
	/* MMU off: aligned accesses only, nothing from libc, until the tables are live. */
	mmu_enable_secondary(smp_boot_ttbr0(), smp_boot_ttbr1());
	(void)tls_init();
	uintptr_t top = (uintptr_t)smp_stacks + (uintptr_t)cpu * CPU_SECONDARY_STACK_SIZE;
	exception_set_cpu_stack(cpu, top - CPU_SECONDARY_STACK_SIZE, top);
	smp_secondary_serve(cpu);
}
