#!/usr/bin/env bash
# QEMU xlnx-zcu102 (ZynqMP, four Cortex-A53s) with Debian's zynqmp-zcu102-rev1.0.dtb, the board's own
# tree (QEMU generates none): a Cadence UART console, found through stdout-path = "serial0:115200n8",
# on the generic board. The default suite at iters=100 (about 1 s of CPU).
. "$(dirname "$0")/lib.sh"
plan 33

name_prefix="zcu102 default suite"
boot zcu102 --board zcu102 -- iters=100
expect_lines <<'EOF'
^# board: generic \(no board file for "xlnx,zynqmp-zcu102-rev1.0"; all from the DTB\), model: ZynqMP ZCU102 Rev1.0$	generic board, named by the kernel DTB's root compatible
^# cpu: Arm Cortex-A53 	CPU decoded as Cortex-A53
^# entry: EL1, running at EL1; image at 0x80000-	entered at EL1 (no EL2/EL3 by default) at 0x80000
^# memory: 0x0-0x1fffffff \(512 MiB\)$	memory from the DTB as QEMU rewrites it
^# console: cdns at 0xff000000 \(/axi/serial@ff000000\)$	Cadence UART through the serial0 alias of stdout-path
^# uart: baud as the boot loader set it \(stdout-path options: 115200n8\)$	stdout-path options shown, rate kept
^# psci: smc$	PSCI over SMC, as the DTB says
^# cpus: 4, secondaries start with PSCI CPU_ON$	four CPUs, PSCI enable method
^ok [0-9]+ - (seed|live)/	the remap scenarios run
EOF
expect_clean_run

# virtualization=on: QEMU enters at EL2 and bbmprobe drops to EL1.
name_prefix="zcu102 EL2"
boot zcu102-el2 --board zcu102 --el 2 -- tests=selftest/counter
expect_status 0
expect_line '^# entry: EL2, running at EL1; ' "entered at EL2"
expect_closing_lines 0

# A rate and reference clock on the command line: the driver programs CD/BDIV, and output continues.
name_prefix="zcu102 console=cdns with baud and clock"
boot zcu102-baud --board zcu102 -- console=cdns,0xff000000,115200n8,100000000 tests=selftest/counter
expect_status 0
expect_line '^# console: cdns at 0xff000000 \(console=cdns,0xff000000,115200n8,100000000\)$' "earlycon form chosen"
expect_line '^# uart: baud 115200 from a 100000000 Hz reference clock$' "the rate is programmed"
expect_closing_lines 0

expect_psci_exit zcu102 --board zcu102
finish
