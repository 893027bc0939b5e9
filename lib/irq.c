/* GICv2 (Arm IHI 0048B): distributor and CPU interface, memory-mapped. */
#include "lib/irq.h"

#include <stdio.h>

#include "lib/mmio.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010

#define PRIORITY 0xa0u

static struct irqc_desc gic;
static bool ready;
static char description[48];

static unsigned lines(void)
{
	return 32 * ((mmio_read32(gic.dist + GICD_TYPER) & 0x1f) + 1);
}

bool irq_init(const struct irqc_desc *desc, const char **why)
{
	gic = *desc;
	ready = false;
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

	if (!ready || intid >= lines())
		return false;
	mmio_write32(prio, (mmio_read32(prio) & ~(0xffu << shift)) | (PRIORITY << shift));
	mmio_write32(gic.dist + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
	/* With the GIC's security extensions a Secure (Group 0) interrupt ignores a Non-secure enable. */
	return mmio_read32(gic.dist + GICD_ISENABLER + 4 * (intid / 32)) & (1u << (intid % 32));
}

void irq_disable(unsigned intid)
{
	if (ready && intid < lines())
		mmio_write32(gic.dist + GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

unsigned irq_ack(void)
{
	return ready ? mmio_read32(gic.cpu + GICC_IAR) & 0x3ff : IRQ_SPURIOUS;
}

void irq_eoi(unsigned intid)
{
	if (ready && intid != IRQ_SPURIOUS)
		mmio_write32(gic.cpu + GICC_EOIR, intid);
}

const char *irq_describe(void)
{
	return ready ? description : "none";
}
