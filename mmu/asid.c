/* The running ASID and the switch (mmu/asid.h). */
#include "mmu/asid.h"
#include "boot/hot_data.h"

#include "mmu/arch_event.h"
#include "mmu/tlb.h"

#ifndef BBMPROBE_HOST
#include "boot/sysregs.h"
#endif

HOT_DATA uint16_t mmu_running_asid;

void mmu_switch_asid(const struct pt_space *s, uint16_t asid)
{
	uint64_t ttbr = (uint64_t)(uintptr_t)s->root | ((uint64_t)asid << TTBR_ASID_SHIFT);

#ifndef BBMPROBE_HOST
	write_sysreg(ttbr0_el1, ttbr);
#else
	(void)ttbr;
#endif
	mmu_running_asid = asid;
	arch_event_emit(ARCH_EV_ASID_SWITCH, asid, 0, 0);
	isb(); /* the new TTBR0_EL1 (and its ASID) applies from here */
}
