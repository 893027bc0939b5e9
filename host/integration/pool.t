#!/usr/bin/env bash
# A firmware built with a small table pool (make PT_POOL_PAGES=8, in build/gcc-pool8): running out of
# table pages is a harness error (status 4, verdict=harness-error), said once per test with a count,
# never an architecture claim.
. "$(dirname "$0")/lib.sh"
build=${BBMPROBE_POOL8_BUILD:-$top/build/gcc-pool8}
plan 16
name_prefix="PT_POOL_PAGES=8"
if [ ! -f "$build/kernel8.img" ]; then
	for i in $(seq 16); do echo "ok $i - # SKIP $build/kernel8.img not built (make PT_POOL_PAGES=8 image)"; done
	exit 0
fi
boot pool8 -- iters=100
expect_status 4
expect_line '^# page tables: pool of 8 pages \(32 KiB\), 5 used by the boot map$' "the banner shows the small pool (the TTBR0 map and TTBR1's root)"
expect_no_line 'verdict=(forbidden|hazard)' "no result line claims a hazard or a forbidden outcome"
expect_line 'verdict=harness-error$' "result lines say harness-error"
# Each failing test is a harness error, and 'out of table pages' is said once or twice per test (the
# verdict line and the failed check), never once per iteration.
bad=$(echo "$out" | grep -E '^not ok ' | grep -vc ': harness error')
[ "$bad" = 0 ]
ok $? "$name_prefix: every failed test is a harness error ($bad are not)"
failed=$(echo "$out" | grep -cE '^not ok ')
msgs=$(echo "$out" | grep -c 'out of table pages')
[ "$failed" -gt 0 ] && [ "$msgs" -le $((2 * failed)) ]
ok $? "$name_prefix: 'out of table pages' at most twice per failed test ($msgs lines, $failed tests)"
expect_line '^ok [0-9]+ - selftest/fault-expected$' "tests that need no pages still pass"
expect_closing_lines 4

# A DTB whose interrupt controller sits in two far regions: the board's map needs more pages than
# the 8-page pool has left, which stops the run before any test, saying why.
dtb="$top/build/logs/pool8-far-gic.dtb"
qemu-system-aarch64 -M virt,dumpdtb="$dtb" -cpu cortex-a72 -m 512M -display none -nic none >/dev/null 2>&1
fdtput -t x "$dtb" /intc@8000000 reg 0x90 0 0 0x10000 0xa0 0 0 0x10000
name_prefix="PT_POOL_PAGES=8, board map too big"
boot pool8-far --dtb "$dtb" -- tests=selftest/counter
expect_status 4
expect_line '^# harness error: the page-table pool \(8 pages, PT_POOL_PAGES\) is too small for the boot map' "says why, before any test"
expect_no_line '^ok ' "runs no test"
expect_closing_lines 4
finish
