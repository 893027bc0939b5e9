/*
 * Which CPU is running: the index bbmprobe gave it (0 = the boot CPU, then the
 * /cpus nodes in order), kept in TPIDR_EL1, which nothing else here uses. head.S
 * writes it before any C runs on that CPU (its reset value is UNKNOWN: Arm ARM
 * "TPIDR_EL1, EL1 Software Thread ID Register", DDI 0487 K.a).
 */
#ifndef BBMPROBE_BOOT_CPU_H
#define BBMPROBE_BOOT_CPU_H

/* Most CPUs bbmprobe starts; the model's MODEL_MAX_CPUS matches. */
#define CPU_MAX 8
/* Each secondary's stack (head.S carves them out of .smp_stacks). */
#define CPU_SECONDARY_STACK_SIZE (16 * 1024)

/* MPIDR_EL1 affinity fields Aff3 and Aff2-Aff0: what /cpus reg and PSCI CPU_ON name a CPU by. */
#ifdef __ASSEMBLER__
#define CPU_MPIDR_AFF_MASK 0xff00ffffff /* clang's assembler takes no C suffix */
#else
#define CPU_MPIDR_AFF_MASK 0xff00ffffffull
#endif

#ifndef __ASSEMBLER__
#include <stdint.h>

#ifndef BBMPROBE_HOST
static inline unsigned this_cpu(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, tpidr_el1" : "=r"(v));
	return (unsigned)v & (CPU_MAX - 1);
}
#else
static inline unsigned this_cpu(void)
{
	return 0;
}
#endif
#endif

#endif
