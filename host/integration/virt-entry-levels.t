#!/usr/bin/env bash
# The default suite on QEMU virt, entered at EL1, EL2 (virtualization=on) and EL3 (secure=on, ELF),
# with 100 iterations per scenario: this is about the entry paths, scenarios.t about the scenarios.
. "$(dirname "$0")/lib.sh"
plan 39
for el in 1 2 3; do
	name_prefix="virt EL$el"
	boot "virt-el$el" --el $el -- iters=100
	expect_status 0
	expect_line '^TAP version 13$' "starts TAP 13"
	expect_line "^# entry: EL$el, running at EL1" "banner reports entry at EL$el and drops to EL1"
	expect_line '^# cpu: Arm Cortex-A72 r0p3 ' "banner decodes the CPU"
	expect_line '^# mmu: FEAT_BBM level [0-2], ' "banner reports the FEAT_BBM level"
	expect_line '^ok [0-9]+ - selftest/fault-expected$' "selftest/fault-expected passes"
	expect_consistent_tap
	expect_result_lines 57 # 31 seed and live rows, 4 cont rows, 4 cont2m rows, 8 asid rows, 10 ttbr1 rows; bbml2 skips (FEAT_BBM level 0)
	expect_closing_lines 0
done
finish
