#!/usr/bin/env bash
# The mmu group on the real MMU (QEMU virt, raspi3b and raspi4b): boot map, round trips, fault levels,
# every Normal leaf over RAM, sweep, and TTBR1's space (its root in TTBR1_EL1, a page used and unmapped).
. "$(dirname "$0")/lib.sh"
tests=(boot-map roundtrip-4k roundtrip-blocks fault-levels normal-is-ram sweep-clean ttbr1-roundtrip)
plan $((3 * (${#tests[@]} + 10)))
for board in virt rpi3 rpi4; do
	name_prefix="mmu on $board"
	boot "mmu-$board" --board $board -- tests=mmu verbose=2
	expect_status 0
	for t in "${tests[@]}"; do
		expect_line "^ok [0-9]+ - mmu/$t\$" "mmu/$t passes"
	done
	expect_no_line '^# warning' "no warnings in the banner (every RAM and device window mapped)"
	expect_line '^# 1G block: skipped: no 1024 MiB of RAM by the DTB' "no 1G alias: no board here has a whole GiB of RAM at 512 MiB / 960 MiB"
	expect_line '^# page tables: pool of [0-9]+ pages \([0-9]+ KiB\), [0-9]+ used by the boot map$' "banner reports the table pool"
	expect_line '^# pt_dump: root 0x[0-9a-f]+ \(L0\)$' "dumps the live tables at verbose=2"
	expect_closing_lines 0
	expect_consistent_tap
done
finish
