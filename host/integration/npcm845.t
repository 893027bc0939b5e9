#!/usr/bin/env bash
# QEMU npcm845-evb (Nuvoton NPCM845, four Cortex-A35s) with platform/dts/npcm845-evb.dts (QEMU generates
# no tree): an 8250 console with registers 4 bytes apart and 32-bit accesses (reg-shift 2,
# reg-io-width 4) on the generic board. The default suite at iters=100 under multi-threaded TCG
# (scripts/run-qemu says why), about 3 s.
. "$(dirname "$0")/lib.sh"
plan 23

name_prefix="npcm845 default suite"
boot npcm845 --board npcm845 -- iters=100
expect_line '^# board: generic \(no board file for "nuvoton,npcm845-evb"; all from the DTB\), model: ' "generic board"
expect_line '^# cpu: Arm Cortex-A35 ' "CPU decoded as Cortex-A35"
expect_line '^# entry: EL2, running at EL1; image at 0x80000-' "entered at EL2 at 0x80000"
expect_line '^# memory: 0x0-0x1fffffff \(512 MiB\)$' "memory from the DTB as QEMU rewrites it"
expect_line '^# console: uart8250 at 0xf0000000 \(/apb@f0000000/serial@0\)$' "8250 from stdout-path, through the bus ranges"
expect_line '^# uart: baud as the boot loader set it \(stdout-path options: 115200n8\); reg-shift 2, reg-io-width 4$' \
	"reg-shift and reg-io-width from the DT"
expect_line '^# psci: none$' "no PSCI in QEMU's model"
expect_line '^# cpus: 4, no enable-method: secondaries cannot be started$' "four CPUs, no way to start them"
expect_line '^ok [0-9]+ - (seed|live)/' "the remap scenarios run"
expect_clean_run

# The earlycon form with a rate and clock: LCR.DLAB on, divisor, DLAB off again, or nothing would follow.
name_prefix="npcm845 console=uart8250,mmio32 with baud and clock"
boot npcm845-baud --board npcm845 -- console=uart8250,mmio32,0xf0000000,115200,24000000 tests=selftest/counter
expect_status 0
expect_line '^# uart: baud 115200 from a 24000000 Hz reference clock; reg-shift 2, reg-io-width 4$' \
	"mmio32 means reg-shift 2, 32-bit accesses; the rate is programmed"
expect_line '^ok 1 - selftest/counter$' "tests run"
expect_closing_lines 0
finish
