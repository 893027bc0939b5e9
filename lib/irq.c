/*
 * GICv2 (Arm IHI 0048B): distributor and CPU interface, memory-mapped. And the
 * BCM2836 ARM local block (BCM2836 ARM-local peripherals, "QA7"): core 0's
 * timer interrupt control and IRQ source registers; no acknowledge, the level
 * drops when the timer is silenced.
 */
#include "lib/irq.h"

#include <stdio.h>

#include "lib/mmio.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xf00
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010

#define PRIORITY 0xa0u

#define LOCAL_TIMER_CTL_CORE0 0x40
#define LOCAL_IRQ_SOURCE_CORE0 0x60
/* Timer lines in the local block's bit order: secure physical, physical, hypervisor, virtual. */
static const unsigned local_timer_intid[4] = {29, 30, 26, 27};

static struct irqc_desc gic;
static bool ready;
static char description[48];

static unsigned lines(void)
{
	return 32 * ((mmio_read32(gic.dist + GICD_TYPER) & 0x1f) + 1);
}

static int local_bit(unsigned intid)
{
	for (int b = 0; b < 4; b++)
		if (local_timer_intid[b] == intid)
			return b;
	return -1;
}

static bool local_init(void)
{
	mmio_write32(gic.dist + LOCAL_TIMER_CTL_CORE0, 0);
	snprintf(description, sizeof(description), "BCM2836 local controller at 0x%llx", (unsigned long long)gic.dist);
	ready = true;
	return true;
}

bool irq_init(const struct irqc_desc *desc, const char **why)
{
	gic = *desc;
	ready = false;
	if (gic.kind == IRQC_BCM2836)
		return local_init();
	if (gic.kind != IRQC_GICV2) {
		*why = gic.kind == IRQC_NONE ? "no interrupt controller in the DTB" : "an interrupt controller bbmprobe does not drive";
		return false;
	}
	/* Nothing fires but what is enabled below: disable and clear everything the firmware left on. */
	for (unsigned n = 0; n < lines(); n += 32) {
		mmio_write32(gic.dist + GICD_ICENABLER + n / 8, 0xffffffffu);
		mmio_write32(gic.dist + GICD_ICPENDR + n / 8, 0xffffffffu);
	}
	mmio_write32(gic.dist + GICD_CTLR, 1);
	mmio_write32(gic.cpu + GICC_PMR, 0xff);
	mmio_write32(gic.cpu + GICC_BPR, 0);
	mmio_write32(gic.cpu + GICC_CTLR, 1);
	snprintf(description, sizeof(description), "GICv2 at 0x%llx", (unsigned long long)gic.dist);
	ready = true;
	return true;
}

bool irq_ready(void)
{
	return ready;
}

bool irq_enable(unsigned intid)
{
	uintptr_t prio = gic.dist + GICD_IPRIORITYR + (intid & ~3u);
	unsigned shift = 8 * (intid & 3);

	if (ready && gic.kind == IRQC_BCM2836) {
		int b = local_bit(intid);
		uintptr_t ctl = gic.dist + LOCAL_TIMER_CTL_CORE0;
		if (b < 0)
			return false;
		mmio_write32(ctl, mmio_read32(ctl) | 1u << b);
		return mmio_read32(ctl) & 1u << b;
	}
	uintptr_t set = gic.dist + GICD_ISENABLER + 4 * (intid / 32), clear = gic.dist + GICD_ICENABLER + 4 * (intid / 32);
	uint32_t bit = 1u << (intid % 32);

	if (!ready || intid >= lines())
		return false;
	/*
	 * The bit must read back 0 when disabled and 1 when enabled: a Secure-only
	 * (Group 0) interrupt ignores a Non-secure enable, and where no GIC answers
	 * (a bus that reads all ones) the bit never clears.
	 */
	mmio_write32(clear, bit);
	if (mmio_read32(set) & bit)
		return false;
	mmio_write32(prio, (mmio_read32(prio) & ~(0xffu << shift)) | (PRIORITY << shift));
	mmio_write32(set, bit);
	return mmio_read32(set) & bit;
}

void irq_disable(unsigned intid)
{
	if (ready && gic.kind == IRQC_BCM2836) {
		int b = local_bit(intid);
		uintptr_t ctl = gic.dist + LOCAL_TIMER_CTL_CORE0;
		if (b >= 0)
			mmio_write32(ctl, mmio_read32(ctl) & ~(1u << b));
		return;
	}
	if (ready && intid < lines())
		mmio_write32(gic.dist + GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

/*
 * Send `sgi` to this CPU only and take it: a parked CPU must never wait for an SGI that cannot reach
 * it (a Group 0 SGI is not sent for a Non-secure write to GICD_SGIR: GICv2 "Software Generated
 * Interrupt Register"). The EOI names the IAR's source CPU too, as GICv2 requires for an SGI.
 */
static bool self_sgi_arrives(unsigned sgi)
{
	mmio_write32(gic.dist + GICD_SGIR, 2u << 24 | sgi); /* TargetListFilter 0b10: this CPU */
	for (unsigned tries = 0; tries < 10000; tries++) {
		uint32_t iar = mmio_read32(gic.cpu + GICC_IAR);
		if ((iar & 0x3ff) == sgi) {
			mmio_write32(gic.cpu + GICC_EOIR, iar);
			return true;
		}
		if ((iar & 0x3ff) != IRQ_SPURIOUS)
			mmio_write32(gic.cpu + GICC_EOIR, iar);
	}
	return false;
}

uint8_t irq_wake_init(unsigned sgi)
{
	uintptr_t prio = gic.dist + GICD_IPRIORITYR + (sgi & ~3u);
	unsigned shift = 8 * (sgi & 3);

	if (!ready || gic.kind != IRQC_GICV2 || sgi > 15)
		return 0;
	/* GICv2 "Interrupt Processor Targets Registers": ITARGETSR0..7 read as this CPU's own interface bit. */
	uint8_t mask = (uint8_t)(mmio_read32(gic.dist + GICD_ITARGETSR) & 0xff);
	if (!mask)
		return 0; /* a uniprocessor GIC: no SGI targets */
	mmio_write32(prio, (mmio_read32(prio) & ~(0xffu << shift)) | (PRIORITY << shift));
	mmio_write32(gic.dist + GICD_ISENABLER, 1u << sgi); /* SGI enables may also be fixed at 1 (GICv2) */
	if (!(mmio_read32(gic.dist + GICD_ISENABLER) & 1u << sgi))
		return 0;
	mmio_write32(gic.cpu + GICC_PMR, 0xff);
	mmio_write32(gic.cpu + GICC_BPR, 0);
	mmio_write32(gic.cpu + GICC_CTLR, 1);
	return self_sgi_arrives(sgi) ? mask : 0;
}

void irq_wake(uint8_t mask, unsigned sgi)
{
	if (ready && gic.kind == IRQC_GICV2 && mask)
		mmio_write32(gic.dist + GICD_SGIR, (uint32_t)mask << 16 | (sgi & 0xf)); /* TargetListFilter 0: the list */
}

unsigned irq_ack(void)
{
	if (ready && gic.kind == IRQC_BCM2836) {
		/* Enabled timer lines only: another source (the GPU's, a mailbox) was never routed here by us. */
		uint32_t pending = mmio_read32(gic.dist + LOCAL_IRQ_SOURCE_CORE0) &
				   mmio_read32(gic.dist + LOCAL_TIMER_CTL_CORE0) & 0xf;
		for (int b = 3; b >= 0; b--)
			if (pending & 1u << b)
				return local_timer_intid[b];
		return IRQ_SPURIOUS;
	}
	return ready ? mmio_read32(gic.cpu + GICC_IAR) & 0x3ff : IRQ_SPURIOUS;
}

void irq_eoi(unsigned intid)
{
	if (ready && gic.kind == IRQC_GICV2 && intid != IRQ_SPURIOUS)
		mmio_write32(gic.cpu + GICC_EOIR, intid);
}

const char *irq_describe(void)
{
	return ready ? description : "none";
}
