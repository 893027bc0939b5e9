/*
 * smp: the secondaries came up as bring-up promises (platform/smp.c). Each
 * online CPU reports its MPIDR, whether its MMU is on over the boot CPU's
 * tables, and takes an expected translation fault into its own fault slot
 * while CPU0's slot stays armed and untouched.
 */
#include <stdint.h>

#include "boot/exception.h"
#include "boot/sysregs.h"
#include "mmu/boot_map.h"
#include "tests/cpus.h"
#include "tests/registry.h"

/* A VA no board here maps (bit 46: above every RAM and device window of the boards bbmprobe runs on). */
#define SMP_UNMAPPED_VA 0x400000000000ull

struct cpu_probe {
	uint64_t mpidr, ttbr0, ttbr1, tcr, sctlr;
	unsigned index;
	struct fault_record rec;
	uint64_t value;
};

static void probe_this_cpu(void *arg)
{
	struct cpu_probe *p = arg;

	p->mpidr = read_sysreg(mpidr_el1);
	p->ttbr0 = read_sysreg(ttbr0_el1);
	p->ttbr1 = read_sysreg(ttbr1_el1);
	p->tcr = read_sysreg(tcr_el1);
	p->sctlr = read_sysreg(sctlr_el1);
	p->index = this_cpu();
	p->value = probe_read64(SMP_UNMAPPED_VA, 0x5a5a, &p->rec);
}

static void check_probe(struct test_ctx *t, unsigned cpu, const struct cpu_probe *p)
{
	const struct smp_cpu *c = smp_cpu_info(cpu);

	CHECK(t, p->index == cpu, "CPU %u ran the work as index %u", cpu, p->index);
	CHECK(t, p->mpidr == c->mpidr, "CPU %u: MPIDR 0x%llx, the banner says 0x%llx", cpu,
	      (unsigned long long)p->mpidr, (unsigned long long)c->mpidr);
	CHECK(t, p->sctlr & SCTLR_EL1_M, "CPU %u runs with its MMU off (SCTLR_EL1 0x%llx)", cpu,
	      (unsigned long long)p->sctlr);
	CHECK(t, p->ttbr0 == read_sysreg(ttbr0_el1), "CPU %u: TTBR0 0x%llx, CPU0 0x%llx (not the shared tables)", cpu,
	      (unsigned long long)p->ttbr0, (unsigned long long)read_sysreg(ttbr0_el1));
	/* The kernel space (TTBR1) and how both halves are walked: the same on every CPU (mmu_enable_secondary()). */
	CHECK(t, p->ttbr1 == read_sysreg(ttbr1_el1) && p->tcr == read_sysreg(tcr_el1),
	      "CPU %u: TTBR1 0x%llx TCR 0x%llx, CPU0 0x%llx 0x%llx", cpu, (unsigned long long)p->ttbr1,
	      (unsigned long long)p->tcr, (unsigned long long)read_sysreg(ttbr1_el1),
	      (unsigned long long)read_sysreg(tcr_el1));
	CHECK(t, p->rec.taken && p->rec.kind == FAULT_TRANSLATION && p->value == 0x5a5a,
	      "CPU %u: the load at 0x%llx should take a translation fault into its own slot (taken %d, FSC 0x%x)", cpu,
	      SMP_UNMAPPED_VA, p->rec.taken, (unsigned)p->rec.fsc);
}

TEST_CASE(smp_online, "smp", "online",
	  "every online CPU runs with its MMU on over the shared tables and takes its own expected faults")
{
	struct cpu_probe probes[CPU_MAX] = {0};
	struct fault_record cpu0_rec;
	unsigned ran = 0;

	if (!cpus_need(t, 2))
		return;
	if (boot_map_covers(SMP_UNMAPPED_VA)) {
		test_skip(t, "0x%llx is mapped on this board: no fault to take", SMP_UNMAPPED_VA);
		return;
	}
	cpus_note_missing(t);
	/* CPU0 holds an armed slot all along: a secondary's fault must not land in it. */
	fault_arm(&cpu0_rec, 0);
	for (unsigned i = 1; i < smp_cpu_count(); i++) {
		if (smp_cpu_info(i)->state != SMP_CPU_ONLINE)
			continue;
		if (cpus_run(t, i, probe_this_cpu, &probes[i]))
			check_probe(t, i, &probes[i]);
		ran++;
	}
	bool cpu0_untouched = !cpu0_rec.taken && fault_slots[0].record == &cpu0_rec;
	fault_disarm();
	CHECK(t, cpu0_untouched, "a secondary's fault was recorded in CPU0's slot");
	test_note(t, "%u secondar%s checked: MMU on over the shared tables, faults in its own slot", ran,
		  ran == 1 ? "y" : "ies");
}
