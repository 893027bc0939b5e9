/*
 * System registers: bit values used by the boot path (Arm ARM D19/D23), shared
 * by C and assembly, and the one set of accessors C code uses to read and write
 * them (Linux read_sysreg()/write_sysreg() style). Host builds have no system
 * registers: code that needs them is target-only.
 */
#ifndef BBMPROBE_BOOT_SYSREGS_H
#define BBMPROBE_BOOT_SYSREGS_H

/* SCTLR_EL1: RES1 bits for Armv8.0 (11, 20, 22, 23, 28, 29), plus what we turn on. */
#define SCTLR_EL1_RES1 ((1 << 11) | (1 << 20) | (1 << 22) | (1 << 23) | (1 << 28) | (1 << 29))
#define SCTLR_EL1_M (1 << 0)
#define SCTLR_EL1_C (1 << 2)
#define SCTLR_EL1_SA (1 << 3)
#define SCTLR_EL1_I (1 << 12)

/* HCR_EL2.RW: EL1 is AArch64. Nothing else is trapped to EL2. */
#define HCR_EL2_RW (1 << 31)
/* HCR_EL2.AMO routes SErrors through EL2, VSE makes a virtual SError pending for EL1. */
#define HCR_EL2_AMO (1 << 5)
#define HCR_EL2_VSE (1 << 8)
/*
 * The EL2 stub (head.S) answers HVCs when bbmprobe entered at EL2: this one
 * pends a virtual SError (inject=serror); any other returns -1, PSCI's
 * NOT_SUPPORTED, as there is no PSCI behind an EL2 bbmprobe owns.
 */
#define HVC_STUB_PEND_VSERROR 0xbb000001
/* CNTHCTL_EL2: EL1 may use the physical counter and timer. */
#define CNTHCTL_EL2_EL1PCTEN (1 << 0)
#define CNTHCTL_EL2_EL1PCEN (1 << 1)
/* CPTR_EL2 with no traps (RES1 bits 0-7, 9, 12, 13). */
#define CPTR_EL2_NOTRAP 0x33ff

/* SCR_EL3: NS, RES1 bits 4-5, SMC enabled (SMD=0), HVC enabled, lower ELs AArch64. */
#define SCR_EL3_NS (1 << 0)
#define SCR_EL3_RES1 (3 << 4)
#define SCR_EL3_HCE (1 << 8)
#define SCR_EL3_RW (1 << 10)

/* SPSR for the eret into EL1h with D, A, I, F masked. */
#define SPSR_EL1H_MASKED 0x3c5

/* CPACR_EL1.FPEN = 0b11: FP/SIMD not trapped (picolibc's string code uses SIMD). */
#define CPACR_EL1_FPEN (3 << 20)

#if !defined(__ASSEMBLER__) && !defined(BBMPROBE_HOST)
#include <stdint.h>

/* mrs/msr by name; a name the assembler lacks can be given by encoding (s3_0_c0_c7_2). */
#define read_sysreg(name)                                                                                              \
	({                                                                                                             \
		uint64_t v_;                                                                                           \
		__asm__ volatile("mrs %0, " #name : "=r"(v_));                                                         \
		v_;                                                                                                    \
	})
#define write_sysreg(name, v) __asm__ volatile("msr " #name ", %0" ::"r"((uint64_t)(v)) : "memory")

/* Counter reads behind an ISB, so they are not hoisted over the code being timed (Linux does the same). */
static inline uint64_t read_cntvct_ordered(void)
{
	__asm__ volatile("isb" ::: "memory");
	return read_sysreg(cntvct_el0);
}

/* Let SError exceptions be taken (PSTATE.A clear). */
static inline void serror_unmask(void)
{
	__asm__ volatile("msr daifclr, #4" ::: "memory");
}

/* IRQ masking (PSTATE.I): interrupts are taken only while a test runs (the watchdog). */
static inline uint64_t irq_save_mask(void)
{
	uint64_t daif = read_sysreg(daif);

	__asm__ volatile("msr daifset, #2" ::: "memory");
	return daif;
}

static inline void irq_restore(uint64_t daif)
{
	write_sysreg(daif, daif);
}

static inline void irq_unmask(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline uint64_t read_cntpct_ordered(void)
{
	__asm__ volatile("isb" ::: "memory");
	return read_sysreg(cntpct_el0);
}
#endif

#endif
