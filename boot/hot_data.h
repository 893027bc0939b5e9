/*
 * HOT_DATA: the few variables the library touches on every map, unmap, event
 * and fault-armed access, kept together in one page (linker/bbmprobe.ld's
 * .data.hot, asserted to fit). On QEMU TCG each data page an access touches
 * after a TLBI that empties the emulator's software TLB costs a refill; spread
 * over six pages they made the seed cycle ~0.1 slower against the hand-written
 * loop than in one (make bench, docs/scenarios.md). Only fixed-size state
 * belongs here: nothing whose size grows with a build option.
 */
#ifndef BBMPROBE_BOOT_HOT_DATA_H
#define BBMPROBE_BOOT_HOT_DATA_H

#ifdef BBMPROBE_HOST
#define HOT_DATA
#else
#define HOT_DATA __attribute__((section(".data.hot")))
#endif

#endif
