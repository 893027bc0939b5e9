/*
 * Observer CPUs for smp/observers-*: fault-armed loads stamped with the
 * generic timer, and a PRFM at each offset (tests/smp_observe.h).
 *
 * Stamps: the virtual counter is common to all CPUs (Arm ARM "The Generic
 * Timer", DDI 0487 K.a: one system counter), but a counter read may be
 * performed out of order with the accesses around it. The load is made
 * address-dependent on the first read (Linux arch_counter_enforce_ordering()
 * uses the same eor trick), and the second read follows `dsb ish; isb`, so
 * the load was performed between the two stamps.
 */
#include "tests/smp_observe.h"

#include "boot/exception.h"

#define OBS_POISON 0x0b5e0b5e0b5e0b5eull /* what a faulting load leaves in the register */

static void observe_load(uint64_t va, unsigned off, struct obs_record *r)
{
	struct fault_record rec;
	uint64_t v = OBS_POISON, t0, t1, dep;

	fault_arm(&rec, 0); /* a fault resumes at the next instruction: the dsb and the second stamp */
	__asm__ volatile("isb\n\t"
			 "mrs %[t0], cntvct_el0\n\t"
			 "eor %[dep], %[t0], %[t0]\n\t"
			 "ldr %[v], [%[va], %[dep]]\n\t"
			 "dsb ish\n\t"
			 "isb\n\t"
			 "mrs %[t1], cntvct_el0"
			 : [t0] "=&r"(t0), [t1] "=&r"(t1), [dep] "=&r"(dep), [v] "+r"(v)
			 : [va] "r"(va)
			 : "memory");
	fault_disarm();
	r->t0 = t0;
	r->t1 = t1;
	r->value = v;
	r->offset = (uint8_t)off;
	r->taken = rec.taken;
	r->kind = (uint8_t)rec.kind;
	r->level = (int8_t)rec.level;
	r->far = rec.far_valid ? rec.far : ~0ull;
}

/*
 * A PRFM never generates a synchronous Data Abort (Arm ARM "Prefetch memory", DDI 0487 K.a), and
 * returns nothing: armed anyway, so a fault would be counted rather than crash the run.
 */
static void observe_prfm(uint64_t va, struct obs_cpu *c)
{
	struct fault_record rec;

	fault_arm(&rec, 0);
	__asm__ volatile("prfm pldl1keep, [%0]" ::"r"(va) : "memory");
	fault_disarm();
	c->prfm++;
	if (rec.taken)
		c->prfm_faults++;
}

/* Record rounds of generation g, the newest overwriting the oldest, until two after the make (or g ends). */
static void observe_generation(struct obs_shared *sh, struct obs_cpu *c, uint64_t g)
{
	unsigned after = 0;

	while (__atomic_load_n(&sh->gen, __ATOMIC_ACQUIRE) == g) {
		if (__atomic_load_n(&sh->made, __ATOMIC_ACQUIRE) == g && ++after > 2)
			break;
		uint32_t n = c->n;
		for (unsigned k = 0; k < OBS_OFFSETS; k++)
			observe_load(sh->va[k], k, &c->rec[(n + k) % OBS_RECORDS]);
		for (unsigned k = 0; k < OBS_OFFSETS; k++)
			observe_prfm(sh->va[k], c);
		__atomic_store_n(&c->n, n + OBS_OFFSETS, __ATOMIC_RELEASE);
		__atomic_store_n(&c->rounds, c->rounds + 1, __ATOMIC_RELEASE);
		/* Single-threaded TCG switches vCPU at a YIELD: CPU 0 gets to run its sequence. A hint elsewhere. */
		__asm__ volatile("yield" ::: "memory");
	}
}

void obs_observe(void *shared)
{
	struct obs_shared *sh = shared;
	struct obs_cpu *c = &sh->cpu[this_cpu()];
	uint64_t done = 0; /* CPU 0 may publish generation 1 before this CPU gets here */

	while (!__atomic_load_n(&sh->quit, __ATOMIC_ACQUIRE)) {
		uint64_t g = __atomic_load_n(&sh->gen, __ATOMIC_ACQUIRE);
		if (!(g & 1) || g == done) {
			__asm__ volatile("wfe" ::: "memory"); /* CPU 0 issues SEV after each change of gen */
			continue;
		}
		observe_generation(sh, c, g);
		done = g;
		__atomic_store_n(&c->ack, g, __ATOMIC_RELEASE);
		__asm__ volatile("sev" ::: "memory");
	}
}
