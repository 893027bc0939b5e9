/*
 * The running ASID. Non-global (nG=1) entries are tagged in the TLB with the
 * ASID of TTBR0_EL1 (TCR_EL1.A1 = 0, as mmu/enable.c leaves it); global ones
 * (nG=0, every boot-map entry) match any ASID (Arm ARM DDI 0487 M.a.a, D8.16.3.1
 * "Global and process-specific translation table entries"). Switching ASID is
 * a TTBR0_EL1 write with the same table and another ASID, then an ISB (the
 * write takes effect at a context synchronization event). The ASID tags
 * non-global entries of both halves, TTBR0's and TTBR1's, whichever register
 * holds it. Linux keeps it in TTBR1_EL1 (TCR_EL1.A1 = 1, cpu_do_switch_mm(),
 * since "arm64: mm: Move ASID from TTBR0 to TTBR1", for KPTI and SW PAN, which
 * swap TTBR0 alone); nothing here swaps TTBR0 without the ASID, so TTBR0
 * carries it and a switch stays one register write (docs/mmu.md, "Two
 * spaces"). TTBR1_EL1 holds only the kernel space's root. The ASID is 8 bits wide here
 * (TCR_EL1.AS = 0): scenarios use small ASIDs, which every CPU supports.
 */
#ifndef BBMPROBE_MMU_ASID_H
#define BBMPROBE_MMU_ASID_H

#include <stdint.h>

#include "mmu/pt.h"

#define TTBR_ASID_SHIFT 48

/* What TTBR0_EL1.ASID holds now (0 after boot: mmu_enable() writes the table address alone). */
extern uint16_t mmu_running_asid;

/*
 * TTBR0_EL1 = s->root with ASID `asid`; the ARCH_EV_ASID_SWITCH event; isb.
 * The host build writes no register. The code runs through global entries, so
 * it keeps running whichever ASID is current.
 */
void mmu_switch_asid(const struct pt_space *s, uint16_t asid);

#endif
