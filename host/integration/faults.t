#!/usr/bin/env bash
# The faults group (inject=, never in the default suite) and the boot faults: every case ends with one
# SUMMARY and one EXIT line, last; a hang is ended by the watchdog and the suite goes on.
. "$(dirname "$0")/lib.sh"
plan 94
elf="$build/bbmprobe.elf"

# one_line REGEX DESCRIPTION: exactly one matching line
one_line() {
	[ "$(echo "$out" | grep -cE -- "$1")" = 1 ]
	ok $? "$name_prefix: $2"
}

# The hang's ELR resolves to the test that hung: the report says where it was.
expect_elr_in() { # FUNCTION
	local elr fn
	elr=$(echo "$out" | grep -A5 "vector 5, watchdog" | sed -n 's/^#   ELR 0x[0-9a-f]* (elf \(0x[0-9a-f]*\)).*/\1/p' | head -1)
	fn=$(aarch64-linux-gnu-addr2line -fe "$elf" "$elr" 2>/dev/null | head -1)
	[ "$fn" = "$1" ]
	ok $? "$name_prefix: the report's ELR ($elr) is in $1 (got '$fn')"
}

for board in virt rpi4; do
	opts=(--board "$board")
	[ "$board" = rpi4 ] && opts+=(--uart mini)
	name_prefix="$board inject=hang"
	boot "faults-hang-$board" "${opts[@]}" -- tests=faults inject=hang timeout=1
	expect_status 1
	[ "$(echo "$out" | grep -c '^# WATCHDOG: the test ran past its deadline of 1 s')" = 2 ]
	ok $? "$name_prefix: the watchdog fired twice (busy loop, WFE)"
	expect_line '^not ok 2 - faults/hang-loop$' "the busy loop fails"
	expect_line '^not ok 3 - faults/hang-wfe$' "the WFE wait fails"
	expect_line '^# faults/hang-wfe ended by the watchdog \(timeout=1 s\)$' "the runner says the watchdog ended it"
	expect_line '^#   backtrace \(elf addresses\): 0x' "with a backtrace"
	expect_elr_in faults_hang_loop
	expect_line '^ok 5 - faults/pool-exhaust # SKIP' "the suite goes on after the hangs"
	expect_closing_lines 1

	name_prefix="$board inject=undef"
	boot "faults-undef-$board" "${opts[@]}" -- tests=faults inject=undef
	expect_status 3
	expect_line '^# PANIC: unexpected exception outside a test; stopping\.$' "an undefined instruction before the runner panics"
	one_line '^SUMMARY: 0 passed, 0 failed, 0 skipped$' "one SUMMARY, with nothing run"
	one_line '^EXIT: ' "one EXIT line"
	expect_closing_lines 3

	name_prefix="$board inject=console-fault"
	boot "faults-console-$board" "${opts[@]}" -- tests=faults inject=console-fault
	expect_status 0
	expect_line '^# console: [a-z0-9-]+ at 0xff8000000000 faulted while writing \(translation fault at 0xff80000000[0-9a-f]+\); disabled, output continues here$' \
		"the dead console is named on semihosting"
	expect_line '^ok 1 - faults/console-fault$' "the test saw the console disabled"
	expect_closing_lines 0
done

# raspi3b: the watchdog through the BCM2836 local interrupt controller.
name_prefix="rpi3 inject=hang"
boot faults-hang-rpi3 --board rpi3 --uart mini -- tests=faults/hang-loop,faults/irq-storm inject=hang timeout=1
expect_status 1
expect_line '^# watchdog: 1 s per test \(boot argument timeout=\); virtual timer, INTID 27 through the BCM2836 local controller at 0x40000000$' \
	"the banner names the local controller"
expect_line '^not ok 1 - faults/hang-loop$' "the watchdog ends the hang"
expect_line '^ok 2 - faults/irq-storm # SKIP' "the suite goes on"
expect_closing_lines 1

name_prefix="inject=irq-storm"
boot faults-irq -- tests=faults inject=irq-storm
expect_status 1
one_line '^# unexpected interrupt INTID 30: disabled at the interrupt controller$' "the stuck interrupt is reported once"
expect_line '^not ok 4 - faults/irq-storm$' "and fails the test it hit"
expect_line '^ok 5 - faults/pool-exhaust # SKIP' "the next test runs undisturbed"
expect_closing_lines 1

name_prefix="inject=pool-exhaust"
boot faults-pool -- tests=faults inject=pool-exhaust iters=50
expect_status 4
one_line 'out of table pages' "'out of table pages' printed once, not per iteration"
expect_line '^# result scenario=faults/pool-exhaust .* verdict=harness-error$' "the result line says harness-error"
expect_no_line 'verdict=forbidden' "never verdict=forbidden"
expect_line '^not ok 5 - faults/pool-exhaust: harness error: 4k: 50 of 50 iterations did not run \(50 table pages refused; PT_POOL_PAGES=128\)$' \
	"the TAP line says harness error, with the count"
expect_closing_lines 4

name_prefix="inject=serror at EL2"
boot faults-serror --el 2 -- tests=faults inject=serror
expect_status 3
expect_line '^# EXCEPTION: SError, current EL with SP_ELx \(vector 7, outside any test\)$' "the pending SError is taken at boot"
one_line '^SUMMARY: 0 passed, 0 failed, 0 skipped$' "one SUMMARY"
expect_closing_lines 3

name_prefix="inject=serror at EL1"
boot faults-serror-el1 -- tests=faults inject=serror
expect_status 2
expect_line '^Bail out! bad boot arguments: inject=serror needs entry at EL2' "is refused with the reason"

name_prefix="inject without the faults tests"
boot faults-not-selected -- inject=hang
expect_status 2
expect_line '^Bail out! bad boot arguments: inject= is honoured only by the faults tests' "is refused"
expect_closing_lines 2

name_prefix="default suite"
boot faults-list -- list
expect_line '^#   faults/hang-loop +.*\[not in the default suite\]$' "the faults tests are not in the default suite"

# x0 pointing at memory that does not exist (a shim ELF sets it): the read faults, is caught with
# the MMU off, and the DTB QEMU put at the start of RAM for an ELF is used instead.
for x0 in 0x7000000000:'synchronous external abort' 0x100000000000:'address size fault'; do
	value=${x0%%:*} what=${x0#*:}
	name_prefix="x0=$value"
	boot "faults-x0-$value" --x0 "$value" -- tests=selftest/counter
	expect_status 0
	expect_line "^# dtb: 0x40000000, [0-9]+ bytes \\(reading x0 $value faulted \\($what\\); found at the board's default address\\)\$" \
		"the fault is caught and named"
	expect_closing_lines 0
done
finish
