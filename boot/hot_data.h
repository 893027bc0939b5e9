/*
 * HOT_DATA: the few variables the library touches on every map, unmap, event
 * and fault-armed access, kept together in one page (linker/bbmprobe.ld's
 * .data.hot, asserted to fit). On QEMU TCG each data page an access touches
 * after a TLBI that empties the emulator's software TLB costs a refill; spread
 * over six pages they made the seed cycle ~0.1 slower against the hand-written
 * loop than in one (make bench, docs/scenarios.md). Only fixed-size state
 * belongs here: nothing whose size grows with a build option.
 *
 * HOT_TEXT and HOT_TEXT_MONITOR: the same for code. The out-of-line functions
 * of the map/unmap path (pool alloc and free, pmd_free_pte_page(), the event
 * flush), then the monitor's, page-aligned at the start of .text, so each
 * code page a cycle enters is one refill wherever the linker puts the rest;
 * left to the link order they moved the bench ratio by up to 0.1 between
 * unrelated commits. HOT_TEXT_BENCH_BASELINE: the bench's hand-written cycle,
 * on a page of its own after them, so that both sides of the comparison have
 * a fixed code layout (tests/bench.c).
 *
 * Pages matter for code a second way: QEMU TCG chains translation blocks
 * directly only within one guest page (translator_use_goto_tb()); a jump to
 * another page, taken or fallen through, looks the next block up in a hash
 * table (helper_lookup_tb_ptr), about 11 ns here. So the monitor's sink starts
 * on a page of its own (linker/bbmprobe.ld) with what it calls per event
 * right after it (HOT_TEXT_MONITOR_CALLEE), and what runs at most once a
 * cycle last (HOT_TEXT_MONITOR_ONCE): the linux-fixed cycle crossed pages 57
 * times with the monitor on, now 16.
 */
#ifndef BBMPROBE_BOOT_HOT_DATA_H
#define BBMPROBE_BOOT_HOT_DATA_H

#ifdef BBMPROBE_HOST
#define HOT_DATA
#define HOT_TEXT
#define HOT_TEXT_MONITOR
#define HOT_TEXT_MONITOR_CALLEE
#define HOT_TEXT_MONITOR_ONCE
#define HOT_TEXT_BENCH_BASELINE
#else
#define HOT_DATA __attribute__((section(".data.hot")))
#define HOT_TEXT __attribute__((section(".text.hot_path.0")))
#define HOT_TEXT_MONITOR __attribute__((section(".text.hot_path.1")))
#define HOT_TEXT_MONITOR_CALLEE __attribute__((section(".text.hot_path.1.1")))
#define HOT_TEXT_MONITOR_ONCE __attribute__((section(".text.hot_path.1.2")))
#define HOT_TEXT_BENCH_BASELINE __attribute__((section(".text.hot_path.2")))
#endif

#endif
