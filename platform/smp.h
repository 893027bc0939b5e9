/*
 * Secondary CPUs: started from what the DTB's /cpus says (PSCI CPU_ON through
 * /psci's conduit, or the spin table's cpu-release-addr), then idle in a
 * mailbox loop, each running one function at a time for CPU0 (the console and
 * the verdicts stay on CPU0). Indexes: 0 is the boot CPU, then the other /cpus
 * nodes in order, at most CPU_MAX in all.
 *
 *   smp_start(cfg, 0, ttbr0);                 // at boot, after the board map
 *   smp_post(1, fn, arg); ... smp_wait(1);    // fn(arg) runs on CPU 1, isolated
 */
#ifndef BBMPROBE_PLATFORM_SMP_H
#define BBMPROBE_PLATFORM_SMP_H

#include <stdbool.h>
#include <stdint.h>

#include "boot/cpu.h"
#include "boot/exception.h"
#include "platform/platform.h"

enum smp_cpu_state {
	SMP_CPU_NOT_STARTED = 0, /* not tried: no way to start it, or beyond CPU_MAX */
	SMP_CPU_ONLINE,          /* arrived with its MMU on; takes work */
	SMP_CPU_FAILED,          /* told to start, never arrived */
	SMP_CPU_LOST,            /* came up, then did not finish its work (it is not given more) */
};

struct smp_cpu {
	uint64_t mpidr;  /* MPIDR_EL1 as the CPU read it; until it arrives, the affinity its /cpus reg gives */
	uint64_t midr;   /* written by the CPU itself; 0 until it arrives */
	uint64_t ttbr0;  /* the tables it runs on, read on it after its MMU came on */
	enum smp_cpu_state state;
	char why[112];   /* not online: why; online: how it was started */
};

/*
 * Start every secondary /cpus lists and wait, bounded, for each to arrive.
 * `hold` (boot argument cpu_fail=N; 0 = none) is a CPU that is deliberately not
 * released, to exercise the failure path. `ttbr0` is the shared boot map the
 * secondaries turn their MMUs on with; its tables must be in memory (cleaned).
 */
void smp_start(const struct board_config *cfg, unsigned hold, uint64_t ttbr0);
/* CPUs known (1 + the secondaries listed, at most CPU_MAX), and how many are online (CPU0 included). */
unsigned smp_cpu_count(void);
unsigned smp_online_count(void);
const struct smp_cpu *smp_cpu_info(unsigned cpu);
/* "# cpu N: ..." banner lines, one per CPU. */
void smp_print_banner(void);
/* "online", "failed to start", "not started", "lost". */
const char *smp_state_name(enum smp_cpu_state s);
/* One-line reason why `cpu` cannot take work ("CPU 2 (MPIDR 0x2) failed to start: ..."). */
void smp_describe_unavailable(unsigned cpu, char *buf, unsigned len);

/* Give fn(arg) to an online idle secondary; false if it is not online (or still busy: it is then lost). */
bool smp_post(unsigned cpu, void (*fn)(void *), void *arg);
/*
 * Wait for the posted function to end (no time limit: the running test's watchdog
 * is the bound). True if it returned; false if an unexpected exception ended it
 * (exception_take_saved(cpu, ...) then has the report).
 */
bool smp_wait(unsigned cpu);
/*
 * Mark `lost` every online secondary still busy with earlier work (its test was ended by the
 * watchdog while it ran): called between tests, when none should be busy.
 */
void smp_reap_lost(void);
/* True once the posted function has ended (for CPU0 loops that run alongside it). */
bool smp_done(unsigned cpu);

/* The secondary's side. Before its MMU is on: the tables to use (read from memory). */
uint64_t smp_boot_ttbr0(void);
/* ... and the TTBR1 (kernel) space's root, read from CPU0's TTBR1_EL1 at smp_start(). */
uint64_t smp_boot_ttbr1(void);
/* After its MMU is on: announce itself, then serve the mailbox forever. */
void smp_secondary_serve(unsigned cpu) __attribute__((noreturn));

#endif
