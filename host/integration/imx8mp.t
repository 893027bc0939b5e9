#!/usr/bin/env bash
# QEMU imx8mp-evk (i.MX 8M Plus, four Cortex-A53s) with Debian's imx8mp-evk.dtb, the board's own tree
# (QEMU generates none): the i.MX UART2 console, RAM from 0x40000000 and a no-map reserved region
# (dsp@92400000) that must stay out of the map. 2 GiB so the region falls inside RAM. The default
# suite at iters=100 (about 1 s of CPU).
. "$(dirname "$0")/lib.sh"
plan 31

name_prefix="imx8mp default suite"
boot imx8mp --board imx8mp --mem 2G -- iters=100
expect_lines <<'EOF'
^# board: generic \(no board file for "fsl,imx8mp-evk"; all from the DTB\), model: NXP i.MX8MPlus EVK board$	generic board, named by the kernel DTB's root compatible
^# cpu: Arm Cortex-A53 	CPU decoded as Cortex-A53
^# entry: EL2, running at EL1; image at 0x40080000-	entered at EL2 at 0x40080000 (RAM base + text_offset)
^# memory: 0x40000000-0x923fffff \(1316 MiB\)$	RAM below the no-map region
^# memory: 0x94400000-0xbfffffff \(700 MiB\)$	RAM above the no-map region
^# reserved: 0x92400000-0x943fffff \(dsp@92400000, no-map: not mapped\)$	the DSP's no-map region is reported
^# console: imx at 0x30890000 \(/soc@0/bus@30800000/serial@30890000\)$	i.MX UART2 from stdout-path
^# psci: smc$	PSCI over SMC, as the DTB says
^# cpus: 4, secondaries start with PSCI CPU_ON$	four CPUs, PSCI enable method
^ok [0-9]+ - mmu/boot-map$	boot-map passes: the no-map region is unmapped, the UART window Device
^ok [0-9]+ - (seed|live)/	the remap scenarios run
EOF
expect_clean_run

# A rate and reference clock on the command line: the driver programs UBIR/UBMR, and output continues.
name_prefix="imx8mp console=ec_imx6q with baud and clock"
boot imx8mp-baud --board imx8mp -- console=ec_imx6q,0x30890000,115200,24000000 tests=selftest/counter
expect_status 0
expect_line '^# console: imx at 0x30890000 \(console=ec_imx6q,0x30890000,115200,24000000\)$' "Linux's earlycon name accepted"
expect_line '^# uart: baud 115200 from a 24000000 Hz reference clock$' "the rate is programmed"
expect_line '^ok 1 - selftest/counter$' "tests run"
expect_closing_lines 0

expect_psci_exit imx8mp --board imx8mp
finish
