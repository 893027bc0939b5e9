#!/usr/bin/env bash
# console= in Linux's earlycon syntax on QEMU virt: a UART given by driver and address works, with or
# without a rate to program; a malformed or unsafe one is a usage error with a reason and status 2.
. "$(dirname "$0")/lib.sh"
cases=(
	"console=pl011,banana|'console=pl011,banana': 'banana' is not a UART address"
	"console=pl011,0x40000000|'console=pl011,0x40000000': 0x40000000 is RAM in the DTB's /memory, not a UART"
	"console=uart8250,io,0x3f8|there is no port I/O on arm64"
	"console=acme,0x9000000|unknown console 'acme'; NAME is one of pl011, uart8250"
	"console=pl011,0x9000000,115200e7|only 8 data bits, no parity"
)
plan $((13 + ${#cases[@]} * 5))

name_prefix="console=pl011,0x9000000"
boot console-earlycon -- console=pl011,0x9000000 tests=selftest
expect_status 0
expect_line '^# console: pl011 at 0x9000000 \(console=pl011,0x9000000\)$' "the banner names the earlycon choice"
expect_line '^# uart: baud as the boot loader set it$' "no rate asked: the divisors are left alone"
expect_line '^ok [0-9]+ - selftest/svc-roundtrip$' "tests run"
expect_closing_lines 0

name_prefix="console=pl011,mmio32,...,115200,24000000"
boot console-earlycon-baud -- console=pl011,mmio32,0x9000000,115200,24000000 tests=selftest/counter
expect_status 0
expect_line '^# uart: baud 115200 from a 24000000 Hz reference clock$' "the rate is programmed from the clock given"
expect_line '^ok 1 - selftest/counter$' "output continues after reprogramming"
expect_closing_lines 0

for c in "${cases[@]}"; do
	arg=${c%%|*} msg=${c#*|}
	name_prefix="'$arg'"
	boot console-bad -- "$arg"
	expect_status 2
	expect_line "^Bail out! bad boot arguments: .*$msg" "says what is wrong"
	expect_closing_lines 2
done
finish
