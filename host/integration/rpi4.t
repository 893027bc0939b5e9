#!/usr/bin/env bash
# The same kernel8.img on QEMU raspi4b (-dtb platform/dts/rpi4.dts): board from the DTB, both
# consoles on the UART that carries them, GPIO14/15 muxing read back, and the PM watchdog exit.
. "$(dirname "$0")/lib.sh"
plan 46

# The default suite runs here, 200 iterations per scenario (scripts/run-qemu uses single-threaded TCG: with QEMU's default
# multi-threaded TCG each broadcast TLBI waits for all four raspi4b vCPU threads).

# Default console: /chosen/stdout-path = serial0 = the mini UART. Only the mini UART reaches stdout.
name_prefix="raspi4b default console"
boot rpi4-default --board rpi4 --uart mini -- iters=200
expect_status 0
expect_lines <<'EOF'
^# board: rpi4 \(from DTB compatible\), model: Raspberry Pi 4 Model B$	board rpi4 from the DTB compatible
^# entry: EL2, running at EL1; image at 0x80000-	entered at EL2 at 0x80000, runs at EL1
^# console: mini-uart at 0xfe215040 \(/soc/serial@7e215040\)$	mini UART from stdout-path, through /soc ranges
^# memory: 0x0-0x3bffffff \(960 MiB\)$	memory as QEMU rewrites it (0-0x3bffffff)
^# psci: none$	no PSCI on the Pi
^# cpus: 4, secondaries start from the spin table \(release address 0xd8 \+ 8 \* cpu\)$	spin-table secondaries
^# board setup: GPIO14/15 set to ALT5 \(mini UART\), RX pull-up; GPFSEL1 0x00012000, PUP_PDN0 0x4[0-9a-f]{7}$	GPIO14/15 read back as ALT5, GPIO15 pulled up, GPIO14 without pull
EOF
for i in 1 2 3; do
	expect_line "^# cpu $i: MPIDR 0x8000000$i, Arm Cortex-A72 r[0-9]p[0-9] \\(MIDR 0x[0-9a-f]{8}\\), online \\(spin table at 0x$(printf %x $((0xd8 + 8 * i)))\\)$" \
		"CPU $i released from the spin table and online"
done
expect_line '^ok [0-9]+ - smp/online: 3 secondaries checked: ' "smp/online runs on the three secondaries"
expect_consistent_tap
expect_result_lines 57 # 31 seed and live rows, 4 cont rows, 4 cont2m rows, 8 asid rows, 10 ttbr1 rows; bbml2 skips (FEAT_BBM level 0)
expect_line '^# result scenario=seed/remap variant=linux-4\.14 policy=linux-4\.14 board=rpi4 cpu=0x410fd083 .* allowed=new,fault-t3,tlb-conflict verdict=hazard-(possible|seen)$' \
	"the report's sequence ran; the model allows new, fault-t3, tlb-conflict"
expect_line '^# emulator: probably QEMU \(CNTFRQ_EL0 is 62\.5 MHz, QEMU.s default; ' "says it is probably QEMU, and why"
expect_line '^# Q1 \(' "answers Q1"
expect_line '^# Q2 \(' "answers Q2"
expect_closing_lines 0

# console=pl011: only the PL011 reaches stdout; the pins move to ALT0.
name_prefix="raspi4b console=pl011"
boot rpi4-pl011 --board rpi4 --uart pl011 -- console=pl011 iters=20
expect_status 0
expect_line '^# console: pl011 at 0xfe201000 \(console=pl011\)$' "PL011 chosen by the boot argument"
expect_line '^# board setup: GPIO14/15 set to ALT0 \(PL011\), RX pull-up; GPFSEL1 0x00024000, ' "GPIO14/15 read back as ALT0"
expect_line '^ok [0-9]+ - selftest/fault-expected$' "tests run"
expect_closing_lines 0

# The routing is real: with the default console, nothing arrives on the PL011.
name_prefix="raspi4b default console, PL011 listened to"
boot rpi4-wrong-uart --board rpi4 --uart pl011 -- tests=selftest/counter
expect_status 125
expect_no_line '^TAP version 13' "no output on the PL011 when the mini UART is the console"

expect_pi_bad_console_is_usage_error rpi4 raspi4b

expect_pi_watchdog_reset rpi4 raspi4b

# exit=halt (the default on a board without PSCI): the exit line, then QEMU keeps running.
name_prefix="raspi4b exit=halt"
BOOT_TIMEOUT=3 boot rpi4-halt --board rpi4 --uart mini --no-semihosting -- exit=halt tests=selftest/counter
expect_status 124
expect_line '^# exit: halt in wfi \(exit=halt\)$' "the banner says it will halt"
expect_line '^EXIT: STATUS=0$' "prints the exit line before halting"
finish
