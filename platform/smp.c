/*
 * Secondary CPUs (see smp.h). Start: PSCI CPU_ON (DEN0022 "Arm Power State
 * Coordination Interface", function 0xC4000003, entry point and context id in
 * x2/x3) or the spin table (write the entry to cpu-release-addr, clean it to
 * memory, SEV: Linux Documentation/arch/arm64/booting.rst and
 * arch/arm64/kernel/smp_spin_table.c). A released CPU enters head.S's
 * secondary_entry with its MMU off, so what it reads first (its index table,
 * the page tables) must be in memory and no cache may hold a line of its stack.
 */
#include "platform/smp.h"

#include <stdio.h>
#include <string.h>

#include "boot/sysregs.h"
#include "lib/cache.h"
#include "lib/cpuinfo.h"
#include "lib/irq.h"
#include "lib/timing.h"

#define PSCI_CPU_ON_64 0xc4000003u
/* The Pi firmware's armstub polls 0xd8 + 8 * core (Raspberry Pi tools armstub8.S); QEMU raspi does the same. */
#define SPIN_TABLE_FALLBACK_BASE 0xd8u
/* How long a released CPU may take to arrive (bring-up only, never a test verdict). */
#define ARRIVAL_MS 2000u
/* CNTKCTL_EL1: an event each time counter bit EVNTI flips (bit 15: ~1 ms at 62.5 MHz), so WFE waits stay bounded. */
#define CNTKCTL_EVNTEN (1u << 2)
#define CNTKCTL_EVNTI(n) ((uint64_t)(n) << 4)

struct mailbox {
	void (*volatile fn)(void *);
	void *volatile arg;
	volatile uint64_t posted, done;
	volatile bool ok;
	volatile bool arrived;
	volatile bool parked; /* in WFI: smp_post() sends the wake-up SGI */
	uint8_t wake_mask;    /* its GICv2 target bit; 0: never parks (WFE only) */
} __attribute__((aligned(64)));

/*
 * An idle secondary waits in WFE; after SMP_PARK_AFTER_MS with no work it
 * parks in WFI until an SGI. Under multi-threaded TCG a vCPU in WFE (which
 * QEMU implements as a yield) keeps a host thread busy and every broadcast
 * TLBI waits for it to reach a safe point; a halted one does neither
 * (measured: docs/smp.md). A CPU a test keeps busy stays in WFE between posts.
 */
#define SMP_PARK_AFTER_MS 2u
#define SMP_WAKE_SGI 1u

/* Read by head.S with the MMU off: which MPIDR (affinity) each index is. UINT64_MAX: none. */
uint64_t smp_boot_mpidr[CPU_MAX] __attribute__((aligned(64)));
static uint64_t boot_ttbr0 __attribute__((aligned(64)));
static uint64_t boot_ttbr1 __attribute__((aligned(64)));
static struct mailbox mailbox[CPU_MAX];
static struct smp_cpu cpus[CPU_MAX];
static unsigned ncpus = 1;
static uint64_t released_to[CPU_MAX]; /* index -> spin-table release address, or 0 for PSCI */
static unsigned hold_unmatched; /* cpu_fail=N with no CPU N: said in the banner, not ignored silently */

extern char secondary_entry[], smp_stacks[];

unsigned smp_cpu_count(void)
{
	return ncpus;
}

unsigned smp_online_count(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ncpus; i++)
		n += cpus[i].state == SMP_CPU_ONLINE;
	return n;
}

const struct smp_cpu *smp_cpu_info(unsigned cpu)
{
	return cpu < ncpus ? &cpus[cpu] : NULL;
}

uint64_t smp_boot_ttbr0(void)
{
	return boot_ttbr0;
}

uint64_t smp_boot_ttbr1(void)
{
	return boot_ttbr1;
}

struct psci_call {
	enum psci_conduit conduit;
	uint64_t fn, a1, a2, a3;
	int64_t ret;
};

/* SMC Calling Convention: arguments in x0-x3, result in x0; x4-x17 may be clobbered (SMCCC 1.0). */
#define SMCCC_CLOBBERS "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", \
	"x14", "x15", "x16", "x17", "memory"

static void psci_call_raw(void *arg)
{
	struct psci_call *c = arg;
	int64_t ret;

	if (c->conduit == PSCI_HVC)
		__asm__ volatile("mov x0, %1\n\tmov x1, %2\n\tmov x2, %3\n\tmov x3, %4\n\thvc #0\n\tmov %0, x0"
				 : "=r"(ret)
				 : "r"(c->fn), "r"(c->a1), "r"(c->a2), "r"(c->a3)
				 : SMCCC_CLOBBERS);
	else
		__asm__ volatile("mov x0, %1\n\tmov x1, %2\n\tmov x2, %3\n\tmov x3, %4\n\tsmc #0\n\tmov %0, x0"
				 : "=r"(ret)
				 : "r"(c->fn), "r"(c->a1), "r"(c->a2), "r"(c->a3)
				 : SMCCC_CLOBBERS);
	c->ret = ret;
}

static const char *psci_error_name(int64_t r)
{
	switch (r) {
	case -1: return "NOT_SUPPORTED";
	case -2: return "INVALID_PARAMETERS";
	case -4: return "ALREADY_ON";
	case -5: return "ON_PENDING";
	case -6: return "INTERNAL_FAILURE";
	case -9: return "INVALID_ADDRESS";
	default: return "?";
	}
}

/* CPU_ON through the conduit; the context id (x0 at entry) is the index, though head.S goes by MPIDR. */
static bool release_psci(unsigned i, enum psci_conduit conduit)
{
	struct psci_call c = {conduit, PSCI_CPU_ON_64, cpus[i].mpidr, (uintptr_t)secondary_entry, i, -1};

	if (!guarded_call(psci_call_raw, &c, NULL)) {
		snprintf(cpus[i].why, sizeof(cpus[i].why), "PSCI CPU_ON (%s) trapped: no firmware behind the conduit",
			 conduit == PSCI_HVC ? "hvc" : "smc");
		return false;
	}
	if (c.ret != 0) {
		snprintf(cpus[i].why, sizeof(cpus[i].why), "PSCI CPU_ON returned %lld (%s)", (long long)c.ret,
			 psci_error_name(c.ret));
		return false;
	}
	snprintf(cpus[i].why, sizeof(cpus[i].why), "PSCI CPU_ON (%s)", conduit == PSCI_HVC ? "hvc" : "smc");
	return true;
}

static void write_release(void *arg)
{
	*(volatile uint64_t *)arg = (uintptr_t)secondary_entry;
}

/* The release address holds the entry point; the waiting CPU reads it with its caches off. */
static bool release_spin_table(unsigned i, uint64_t addr)
{
	if (!guarded_call(write_release, (void *)(uintptr_t)addr, NULL)) {
		snprintf(cpus[i].why, sizeof(cpus[i].why), "spin table: release address 0x%llx is not writable",
			 (unsigned long long)addr);
		return false;
	}
	dcache_clean_inval_range(addr, addr + 8);
	__asm__ volatile("sev" ::: "memory");
	snprintf(cpus[i].why, sizeof(cpus[i].why), "spin table at 0x%llx", (unsigned long long)addr);
	return true;
}

/* Index the CPUs: 0 is the one running, then the other /cpus nodes in order (at most CPU_MAX). */
static void discover(const struct cpu_topology *topo)
{
	uint64_t self = read_sysreg(mpidr_el1) & CPU_MPIDR_AFF_MASK;
	unsigned nodes = topo->count < CPU_MAX_RELEASE ? topo->count : CPU_MAX_RELEASE;

	memset(cpus, 0, sizeof(cpus));
	for (unsigned i = 0; i < CPU_MAX; i++)
		smp_boot_mpidr[i] = UINT64_MAX;
	cpus[0] = (struct smp_cpu){.mpidr = read_sysreg(mpidr_el1), .midr = read_sysreg(midr_el1), .ttbr0 = read_sysreg(ttbr0_el1),
				   .state = SMP_CPU_ONLINE};
	snprintf(cpus[0].why, sizeof(cpus[0].why), "boot CPU");
	ncpus = 1;
	for (unsigned n = 0; n < nodes && ncpus < CPU_MAX; n++) {
		if (topo->has_mpidr[n] && (topo->mpidr[n] & CPU_MPIDR_AFF_MASK) == self)
			continue;
		struct smp_cpu *c = &cpus[ncpus];
		c->mpidr = topo->mpidr[n] & CPU_MPIDR_AFF_MASK;
		c->state = SMP_CPU_NOT_STARTED;
		released_to[ncpus] = topo->release_of[n] ? topo->release_of[n] : SPIN_TABLE_FALLBACK_BASE + 8ull * n;
		if (!topo->has_mpidr[n])
			snprintf(c->why, sizeof(c->why), "its /cpus node has no usable reg (MPIDR)");
		else if (topo->method == CPU_ENABLE_OTHER)
			snprintf(c->why, sizeof(c->why), "enable-method \"%s\" is not supported",
				 topo->method_name ? topo->method_name : "?");
		else if (topo->method == CPU_ENABLE_NONE)
			snprintf(c->why, sizeof(c->why), "no enable-method in the DTB");
		else
			smp_boot_mpidr[ncpus] = c->mpidr;
		ncpus++;
	}
}

/* Everything a released CPU reads or writes with its MMU off, made coherent with memory. */
static void hand_over_memory(uint64_t ttbr0, uint64_t ttbr1)
{
	boot_ttbr0 = ttbr0;
	boot_ttbr1 = ttbr1;
	dcache_clean_range((uintptr_t)&boot_ttbr1, (uintptr_t)(&boot_ttbr1 + 1));
	dcache_clean_range((uintptr_t)smp_boot_mpidr, (uintptr_t)(smp_boot_mpidr + CPU_MAX));
	dcache_clean_range((uintptr_t)&boot_ttbr0, (uintptr_t)(&boot_ttbr0 + 1));
	dcache_clean_inval_range((uintptr_t)smp_stacks,
				 (uintptr_t)smp_stacks + (CPU_MAX - 1) * (uintptr_t)CPU_SECONDARY_STACK_SIZE);
}

static bool all_arrived(const bool *released)
{
	for (unsigned i = 1; i < ncpus; i++)
		if (released[i] && !mailbox[i].arrived)
			return false;
	return true;
}

/* Bounded wait (ARRIVAL_MS from now) for every released CPU; WFE, woken by their SEV or the event stream. */
static void wait_for_arrivals(const bool *released, unsigned hold)
{
	uint64_t freq = timer_frequency();
	uint64_t deadline = timer_counter() + (freq ? freq : 62500000u) / 1000u * ARRIVAL_MS;

	while (!all_arrived(released) && timer_counter() < deadline)
		__asm__ volatile("wfe" ::: "memory");
	__asm__ volatile("dmb ish" ::: "memory");
	for (unsigned i = 1; i < ncpus; i++) {
		if (!released[i] && i != hold)
			continue;
		if (released[i] && mailbox[i].arrived) {
			cpus[i].state = SMP_CPU_ONLINE;
			continue;
		}
		cpus[i].state = SMP_CPU_FAILED;
		if (i == hold)
			snprintf(cpus[i].why, sizeof(cpus[i].why),
				 "boot argument cpu_fail=%u: never released; not there after %u ms", i, ARRIVAL_MS);
		else
			snprintf(cpus[i].why + strlen(cpus[i].why), sizeof(cpus[i].why) - strlen(cpus[i].why),
				 ": did not arrive within %u ms", ARRIVAL_MS);
	}
}

void smp_start(const struct board_config *cfg, unsigned hold, uint64_t ttbr0)
{
	bool released[CPU_MAX] = {false};

	discover(&cfg->cpus);
	hold_unmatched = hold >= ncpus ? hold : 0;
	/* A periodic event, so that a WFE wait ends even if nobody signals (Linux arch_timer_evtstrm does the same). */
	write_sysreg(cntkctl_el1, read_sysreg(cntkctl_el1) | CNTKCTL_EVNTEN | CNTKCTL_EVNTI(15));
	if (ncpus == 1)
		return;
	hand_over_memory(ttbr0, read_sysreg(ttbr1_el1)); /* the TTBR1 space too: same kernel mappings on every CPU */
	for (unsigned i = 1; i < ncpus; i++) {
		if (smp_boot_mpidr[i] == UINT64_MAX)
			continue; /* not startable: why says so */
		if (i == hold)
			continue;
		if (cfg->cpus.method == CPU_ENABLE_PSCI && cfg->psci == PSCI_NONE) {
			snprintf(cpus[i].why, sizeof(cpus[i].why), "enable-method psci, but the DTB has no /psci conduit");
			continue; /* never tried: not started */
		}
		if (cfg->cpus.method == CPU_ENABLE_PSCI)
			released[i] = release_psci(i, cfg->psci);
		else
			released[i] = release_spin_table(i, released_to[i]);
		if (!released[i])
			cpus[i].state = SMP_CPU_FAILED;
	}
	wait_for_arrivals(released, hold);
}

const char *smp_state_name(enum smp_cpu_state s)
{
	switch (s) {
	case SMP_CPU_ONLINE: return "online";
	case SMP_CPU_FAILED: return "failed to start";
	case SMP_CPU_LOST: return "lost";
	default: return "not started";
	}
}

void smp_print_banner(void)
{
	if (hold_unmatched)
		printf("# warning: cpu_fail=%u names no CPU (%u listed); nothing was held back\n", hold_unmatched, ncpus);
	for (unsigned i = 0; i < ncpus; i++) {
		const struct smp_cpu *c = &cpus[i];
		char midr[96] = "MIDR unknown";

		if (c->midr) {
			char name[80];
			cpuinfo_describe_midr(c->midr, name, sizeof(name));
			snprintf(midr, sizeof(midr), "%s (MIDR 0x%08llx)", name, (unsigned long long)c->midr);
		}
		printf("# cpu %u: MPIDR 0x%llx, %s, %s (%s)\n", i, (unsigned long long)c->mpidr, midr,
		       smp_state_name(c->state), c->why);
	}
}

void smp_describe_unavailable(unsigned cpu, char *buf, unsigned len)
{
	if (cpu >= ncpus) {
		snprintf(buf, len, "CPU %u is not in the DTB (%u CPU%s listed)", cpu, ncpus, ncpus == 1 ? "" : "s");
		return;
	}
	snprintf(buf, len, "CPU %u (MPIDR 0x%llx) %s: %s", cpu, (unsigned long long)cpus[cpu].mpidr,
		 smp_state_name(cpus[cpu].state), cpus[cpu].why);
}

static void mark_lost(unsigned cpu)
{
	cpus[cpu].state = SMP_CPU_LOST;
	snprintf(cpus[cpu].why, sizeof(cpus[cpu].why), "never finished work it was given (a hang the watchdog ended)");
}

void smp_reap_lost(void)
{
	for (unsigned i = 1; i < ncpus; i++)
		if (cpus[i].state == SMP_CPU_ONLINE && !smp_done(i))
			mark_lost(i);
}

bool smp_post(unsigned cpu, void (*fn)(void *), void *arg)
{
	if (cpu == 0 || cpu >= ncpus || cpus[cpu].state != SMP_CPU_ONLINE)
		return false;
	struct mailbox *m = &mailbox[cpu];
	if (m->posted != m->done) {
		mark_lost(cpu);
		return false;
	}
	m->fn = fn;
	m->arg = arg;
	__asm__ volatile("dmb ish" ::: "memory");
	m->posted = m->posted + 1;
	__asm__ volatile("dsb ish\n\tsev" ::: "memory"); /* the post before reading parked: see wait_for_post() */
	if (m->parked)
		irq_wake(m->wake_mask, SMP_WAKE_SGI);
	return true;
}

bool smp_done(unsigned cpu)
{
	const struct mailbox *m = &mailbox[cpu % CPU_MAX];

	return m->done == m->posted;
}

bool smp_wait(unsigned cpu)
{
	while (!smp_done(cpu))
		__asm__ volatile("wfe" ::: "memory");
	__asm__ volatile("dmb ish" ::: "memory");
	return mailbox[cpu % CPU_MAX].ok;
}

/*
 * WFE until work is posted, parking in WFI after a while where an SGI can wake it. `parked` is
 * written before `posted` is read again and smp_post() writes `posted` before reading `parked`
 * (each with a full barrier between), so one of the two sees the other: no wake-up is lost.
 */
static void wait_for_post(struct mailbox *m, uint64_t seen)
{
	uint64_t since = timer_counter(), park_ticks = timer_frequency() / 1000 * SMP_PARK_AFTER_MS;

	while (m->posted == seen) {
		if (!m->wake_mask || timer_counter() - since < park_ticks) {
			__asm__ volatile("wfe" ::: "memory");
			continue;
		}
		m->parked = true;
		__asm__ volatile("dsb ish" ::: "memory");
		if (m->posted == seen)
			__asm__ volatile("wfi" ::: "memory");
		m->parked = false;
		/* IRQs stay masked here: take the SGI off the interface by hand (sent by CPU 0: source 0 in IAR). */
		unsigned id = irq_ack();
		irq_eoi(id);
		since = timer_counter();
	}
}

void smp_secondary_serve(unsigned cpu)
{
	struct mailbox *m = &mailbox[cpu];
	uint64_t seen = m->done;

	cpus[cpu].midr = read_sysreg(midr_el1);
	cpus[cpu].mpidr = read_sysreg(mpidr_el1); /* the whole register, as CPU0's (the DTB gave the affinity) */
	cpus[cpu].ttbr0 = read_sysreg(ttbr0_el1);
	write_sysreg(cntkctl_el1, read_sysreg(cntkctl_el1) | CNTKCTL_EVNTEN | CNTKCTL_EVNTI(15));
	m->wake_mask = irq_wake_init(SMP_WAKE_SGI);
	__asm__ volatile("dmb ish" ::: "memory");
	m->arrived = true;
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
	for (;;) {
		wait_for_post(m, seen);
		__asm__ volatile("dmb ish" ::: "memory");
		seen = m->posted;
		m->ok = isolated_call(m->fn, m->arg, NULL);
		__asm__ volatile("dmb ish" ::: "memory");
		m->done = seen;
		__asm__ volatile("dsb ish\n\tsev" ::: "memory");
	}
}
