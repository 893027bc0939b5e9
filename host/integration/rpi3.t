#!/usr/bin/env bash
# The same kernel8.img on QEMU raspi3b (-dtb platform/dts/rpi3.dts): board from the DTB (Pi 3 B and
# B+ compatibles), the Cortex-A53, both consoles on the UART that carries them, GPIO14/15 muxing read
# back, and the PM watchdog exit at the BCM2837's peripheral base.
. "$(dirname "$0")/lib.sh"
plan 51

# Default console: /chosen/stdout-path = serial0 = the mini UART. Only the mini UART reaches stdout.
# The default suite with 200 iterations per scenario (single-threaded TCG, scripts/run-qemu).
name_prefix="raspi3b default console"
boot rpi3-default --board rpi3 --uart mini -- iters=200
expect_status 0
expect_lines <<'EOF'
^# board: rpi3 \(from DTB compatible\), model: Raspberry Pi 3 Model B$	board rpi3 from the DTB compatible
^# cpu: Arm Cortex-A53 r[0-9]+p[0-9]+ \(MIDR 0x410fd03[0-9a-f],	CPU decoded as Cortex-A53
^# entry: EL2, running at EL1; image at 0x80000-	entered at EL2 at 0x80000, runs at EL1
^# console: mini-uart at 0x3f215040 \(/soc/serial@7e215040\)$	mini UART from stdout-path, through /soc ranges
^# memory: 0x0-0x3bffffff \(960 MiB\)$	memory as QEMU rewrites it (0-0x3bffffff, below the peripherals)
^# psci: none$	no PSCI on the Pi
^# cpus: 4, secondaries start from the spin table \(release address 0xd8 \+ 8 \* cpu\)$	spin-table secondaries
^# board setup: GPIO14/15 set to ALT5 \(mini UART\), RX pull-up; GPFSEL1 0x00012000, pulls set with GPPUD/GPPUDCLK0$	GPIO14/15 read back as ALT5, pulls through GPPUD/GPPUDCLK0 (BCM2837, not BCM2711's PUP_PDN)
EOF
for i in 1 2 3; do
	expect_line "^# cpu $i: MPIDR 0x8000000$i, Arm Cortex-A53 r[0-9]p[0-9] \\(MIDR 0x[0-9a-f]{8}\\), online \\(spin table at 0x$(printf %x $((0xd8 + 8 * i)))\\)$" \
		"CPU $i released from the spin table and online"
done
expect_line '^ok [0-9]+ - smp/online: 3 secondaries checked: ' "smp/online runs on the three secondaries"
expect_no_line '^# warning' "no warnings (RAM and peripherals mapped in their shared 1 GiB region)"
expect_no_line '^not ok ' "every test passes"
expect_result_lines 57 # 31 seed and live rows, 4 cont rows, 4 cont2m rows, 8 asid rows, 10 ttbr1 rows; bbml2 skips (FEAT_BBM level 0)
expect_line '^# result scenario=seed/remap variant=linux-4\.14 policy=linux-4\.14 board=rpi3 cpu=0x410fd03[0-9a-f] .* allowed=new,fault-t3,tlb-conflict verdict=hazard-(possible|seen)$' \
	"the report's sequence ran; the model allows new, fault-t3, tlb-conflict"
expect_line '^# emulator: probably QEMU \(CNTFRQ_EL0 is 62\.5 MHz, QEMU.s default; ' "says it is probably QEMU, and why"
expect_line '^# Q1 \(' "answers Q1"
expect_line '^# Q2 \(' "answers Q2"
expect_consistent_tap
expect_closing_lines 0

# console=pl011: only the PL011 reaches stdout; the pins move to ALT0.
name_prefix="raspi3b console=pl011"
boot rpi3-pl011 --board rpi3 --uart pl011 -- console=pl011 tests=selftest
expect_status 0
expect_line '^# console: pl011 at 0x3f201000 \(console=pl011\)$' "PL011 chosen by the boot argument"
expect_line '^# board setup: GPIO14/15 set to ALT0 \(PL011\), RX pull-up; GPFSEL1 0x00024000, ' "GPIO14/15 read back as ALT0"
expect_line '^ok [0-9]+ - selftest/fault-expected$' "tests run"
expect_closing_lines 0

# The routing is real: with the default console, nothing arrives on the PL011.
name_prefix="raspi3b default console, PL011 listened to"
boot rpi3-wrong-uart --board rpi3 --uart pl011 -- tests=selftest/counter
expect_status 125
expect_no_line '^TAP version 13' "no output on the PL011 when the mini UART is the console"

# A Pi 3 B+ device tree (the firmware's bcm2710-rpi-3-b-plus.dtb root compatible) names the same board.
name_prefix="raspi3b with a 3 B+ compatible"
bplus="$top/build/logs/it-rpi3-bplus"
rm -rf "$bplus" && mkdir -p "$bplus" && cp "$build/kernel8.img" "$build/rpi3.dtb" "$bplus/" &&
	fdtput -t s "$bplus/rpi3.dtb" / compatible raspberrypi,3-model-b-plus brcm,bcm2837 &&
	fdtput -t s "$bplus/rpi3.dtb" / model "Raspberry Pi 3 Model B Plus"
ok $? "$name_prefix: fdtput rewrites the DTB's root compatible and model"
build="$bplus" boot rpi3-bplus --board rpi3 --uart mini -- tests=selftest/counter
expect_status 0
expect_line '^# board: rpi3 \(from DTB compatible\), model: Raspberry Pi 3 Model B Plus$' "board rpi3 from raspberrypi,3-model-b-plus"

expect_pi_bad_console_is_usage_error rpi3 raspi3b

expect_pi_watchdog_reset rpi3 raspi3b

# A core raspi3b does not have is refused, not silently replaced (QEMU ignores -cpu there).
name_prefix="raspi3b --cpu cortex-a72"
boot rpi3-bad-cpu --board rpi3 --cpu cortex-a72
expect_status 2
expect_line '^run-qemu: raspi3b has a fixed cortex-a53; --cpu cortex-a72 \(CPU\) is not supported there$' "says why"
finish
