/*
 * The interrupt controller, just enough for the watchdog: take one private
 * interrupt (the generic timer's), and silence any other that fires. Found in
 * the DTB (lib/dtb.c). Driven: GICv2 (GIC-400; QEMU virt's default, the
 * Raspberry Pi 4) and the BCM2836 local controller (Raspberry Pi 3), whose
 * per-core timer lines are named by their GIC INTIDs here (29, 30, 26, 27) so
 * the watchdog reads the same on both. Anything else (GICv3, no DTB) is
 * reported by name and the watchdog stays off.
 */
#ifndef BBMPROBE_LIB_IRQ_H
#define BBMPROBE_LIB_IRQ_H

#include <stdbool.h>
#include <stdint.h>

enum irqc_kind {
	IRQC_NONE = 0,
	IRQC_GICV2,
	IRQC_BCM2836,     /* ARM local block: core 0's timer interrupt routing */
	IRQC_UNSUPPORTED, /* an interrupt controller bbmprobe does not drive */
};

struct irqc_desc {
	enum irqc_kind kind;
	uintptr_t dist;         /* GICv2: distributor; BCM2836: the local block */
	uintptr_t cpu;          /* GICv2: CPU interface */
	const char *compatible; /* what the DTB called it */
};

#define IRQ_SPURIOUS 1023u

/* Start the controller with every interrupt disabled. False (with why) if it cannot be used. */
bool irq_init(const struct irqc_desc *desc, const char **why);
bool irq_ready(void);
/* Enable one interrupt for this CPU; false if the controller ignored it (e.g. Secure-only). */
bool irq_enable(unsigned intid);
void irq_disable(unsigned intid);
/*
 * A wake-up for an idle CPU parked in WFI (a pending interrupt wakes WFI even
 * while PSTATE.I masks it: Arm ARM "Wait for Interrupt", DDI 0487 K.a). On
 * the CPU to be woken: enable SGI `sgi` at its GICv2 CPU interface; returns
 * its target-list bit, 0 if it cannot be woken this way (no GICv2, or a
 * uniprocessor one). On the waker: irq_wake(that bit, sgi).
 */
uint8_t irq_wake_init(unsigned sgi);
void irq_wake(uint8_t mask, unsigned sgi);
/* Acknowledge the highest pending interrupt: its INTID, or IRQ_SPURIOUS. */
unsigned irq_ack(void);
void irq_eoi(unsigned intid);
/* "GICv2 at 0x8000000", for the banner. */
const char *irq_describe(void);

#endif
