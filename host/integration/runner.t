#!/usr/bin/env bash
# scripts/run-qemu tells the truth: the firmware's status in every mode (also without semihosting,
# where QEMU's own status says only how it stopped), the documented 124/125 otherwise, `semihosting`
# where the firmware reads it, options a board would drop refused, and output that is not held back.
. "$(dirname "$0")/lib.sh"
plan 33

# ---- Without semihosting the status comes from the EXIT line (QEMU exits 0 after PSCI SYSTEM_OFF).
for c in "0|tests=selftest/counter" "2|tests=nosuch" "3|tests=selftest/nested-panic"; do
	want=${c%%|*} arg=${c#*|}
	name_prefix="virt --no-semihosting $arg"
	boot "nosemi-$want" --no-semihosting -- "$arg"
	expect_status "$want"
	expect_line '^# exit: PSCI SYSTEM_OFF$' "the firmware exits through PSCI, not semihosting"
done
# The Pi's watchdog reset also ends QEMU with 0, whatever the firmware said.
name_prefix="raspi4b --no-semihosting exit=reset tests=nosuch"
boot nosemi-rpi4-reset --board rpi4 --uart mini --no-semihosting -- exit=reset tests=nosuch
expect_status 2

# Status 1 (a test failed) needs a failing test; no registered test fails on purpose, so a stand-in
# for QEMU prints what the firmware prints and exits 0 as after PSCI SYSTEM_OFF.
stub="$top/build/logs/it-runner-stub"
rm -rf "$stub" && mkdir -p "$stub"
cat >"$stub/qemu-system-aarch64" <<'EOF'
#!/bin/sh
# Stand-in for QEMU (host/integration/runner.t): a run whose test failed, CRLF like a UART.
printf 'TAP version 13\r\n1..1\r\nnot ok 1 - selftest/counter\r\nSUMMARY: 0 passed, 1 failed, 0 skipped\r\nEXIT: STATUS=1\r\n'
exit "${STUB_QEMU_STATUS:-0}"
EOF
chmod +x "$stub/qemu-system-aarch64"
name_prefix="stand-in QEMU, --no-semihosting, a failed test"
PATH="$stub:$PATH" boot stub-fail --no-semihosting -- tests=selftest/counter
expect_status 1
expect_no_line $'\r' "carriage returns are dropped"

# ---- QEMU that fails to start, or ends without an EXIT line: 125, never a firmware status.
name_prefix="QEMU fails to start (--cpu bogus)"
boot qemu-fails --cpu bogus -- tests=selftest/counter
expect_status 125
expect_line '^# run-qemu: QEMU ended \(status 1\) without an EXIT line' "says QEMU ended without an EXIT line"

# ---- semihosting goes where the firmware reads it: after a lone "--" of the user's.
name_prefix="virt, words before --"
boot words-virt -- console=auto linux=words -- tests=nosuch
expect_status 2
expect_line '^# bootargs: "console=auto linux=words -- tests=nosuch semihosting"$' "semihosting is added last"
expect_line '^# exit: semihosting SYS_EXIT_EXTENDED' "and the firmware uses it"
name_prefix="raspi4b, words before -- (a halt until the timeout before)"
BOOT_TIMEOUT=60 boot words-rpi4 --board rpi4 --uart mini -- coherent_pool=1M 8250.nr_uarts=1 -- tests=selftest/counter
expect_status 0
expect_line '^# exit: semihosting SYS_EXIT_EXTENDED' "the firmware exits through semihosting"
name_prefix="explicit semihosting"
boot words-explicit -- tests=selftest/counter semihosting
expect_status 0
expect_line '^# bootargs: "tests=selftest/counter semihosting"$' "is not added twice"

# ---- Options a board ignores are refused before QEMU starts (status 2, a message), never dropped.
refused() { # refused DESCRIPTION MESSAGE_REGEX run-qemu-args...
	local what=$1 msg=$2
	shift 2
	name_prefix="refuses $what"
	boot refused "$@"
	expect_status 2
	expect_line "^run-qemu: .*$msg" "says why"
}
refused "SMP on raspi4b" "raspi4b always has 4 CPUs; --smp 2 \(SMP\) is not supported" --board rpi4 --smp 2
refused "MEM on raspi3b" "raspi3b always has 1G of RAM; --mem 2G \(MEM\) is not supported" --board rpi3 --mem 2G
refused "EL=1 on raspi4b" "raspi4b always enters at EL2 .*--el 1 \(EL\) is not supported" --board rpi4 --el 1
refused "EL=3 on raspi3b" "raspi3b always enters at EL2 .*--el 3 \(EL\) is not supported" --board rpi3 --el 3
refused "exit=halt under semihosting" "'exit=halt' has no effect under semihosting" -- tests=selftest exit=halt
refused "an unknown board" "unknown board 'rpi5' \(known: virt, rpi3, rpi4, versal, zcu102, imx8mp, npcm845\)" --board rpi5

# The Pi's fixed values, written out, are what it has: honoured.
name_prefix="raspi4b --smp 4 --mem 2048M --el 2"
boot honoured --board rpi4 --uart mini --smp 4 --mem 2048M --el 2 -- tests=selftest/counter
expect_status 0

# ---- Output is not held back. With exit=halt and no semihosting QEMU never ends by itself, so a
# line that reaches us while QEMU still runs was not waiting in a buffer for QEMU to exit (a
# buffered pipe gives everything only at EOF, after the timeout has killed QEMU): no timing involved.
name_prefix="output as printed"
seed=$((RANDOM * 32768 + RANDOM))
qemu_running() { pgrep -f "^qemu-system-aarch64 .*seed=$seed( |\$)" >/dev/null; }
fifo="$top/build/logs/it-runner-unbuffered.fifo"
rm -f "$fifo" && mkfifo "$fifo"
"$top/scripts/run-qemu" --build "$build" --log "$top/build/logs/it-runner-unbuffered.log" --timeout 120 \
	--no-semihosting -- exit=halt tests=selftest/counter seed=$seed >"$fifo" 2>&1 &
runner=$!
first= exit_seen= first_live=1 exit_live=1
while IFS= read -r -t 150 line; do
	if [ -z "$first" ]; then first=$line; qemu_running || first_live=0; fi
	if [ "$line" = "EXIT: STATUS=0" ]; then exit_seen=1; qemu_running || exit_live=0; break; fi
done <"$fifo"
pkill -f "^qemu-system-aarch64 .*seed=$seed( |\$)"
wait $runner 2>/dev/null
rm -f "$fifo"
[ "$first" = "TAP version 13" ] && [ $first_live = 1 ]
ok $? "$name_prefix: the first line ('$first') arrives while QEMU still runs"
[ -n "$exit_seen" ] && [ $exit_live = 1 ]
ok $? "$name_prefix: so does the EXIT line, before the halted QEMU is stopped"
finish
