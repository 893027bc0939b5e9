#!/usr/bin/env bash
# QEMU xlnx-versal-virt: no board file and no tree of ours. QEMU's generated DTB names the PL011 at
# 0xFF000000, the RAM, two Cortex-A72s and PSCI; bbmprobe runs on the generic board from that alone.
# The default suite at iters=100 (about 1 s of CPU; at 1000 it adds nothing the virt runs do not show).
. "$(dirname "$0")/lib.sh"
plan 22

name_prefix="versal default suite"
boot versal --board versal -- iters=100
expect_lines <<'EOF'
^# board: generic \(no board file for "xlnx-versal-virt"; all from the DTB\), model: Xilinx Versal Virtual development board$	generic board, named by QEMU's root compatible
^# cpu: Arm Cortex-A72 	CPU decoded as Cortex-A72
^# entry: EL2, running at EL1; image at 0x80000-	entered at EL2 at 0x80000 (DDR at 0)
^# memory: 0x0-0x1fffffff \(512 MiB\)$	memory from the DTB
^# console: pl011 at 0xff000000 \(/uart@ff000000\)$	PL011 from stdout-path
^# uart: baud as the boot loader set it$	baud rate left alone (no clock, no request)
^# psci: smc$	PSCI conduit from the /psci node QEMU adds
^# cpus: 2, secondaries start with PSCI CPU_ON$	two A72s, PSCI enable method
^ok [0-9]+ - (seed|live)/	the remap scenarios run
EOF
expect_clean_run

expect_psci_exit versal --board versal
finish
