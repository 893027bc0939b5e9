#!/usr/bin/env bash
# Echoed input cannot forge output lines; errors name the bad part first; the runner keeps each
# run's log to itself and refuses to run without a timeout.
. "$(dirname "$0")/lib.sh"
plan 26

# A newline in the boot arguments must not start a line of its own: no forged test point or exit line.
name_prefix="newline in bootargs"
boot msg-forge -- "$(printf 'tests=selftest/counter x\nnot ok 9 - forged\nSUMMARY: 9 passed, 0 failed, 0 skipped\nEXIT: STATUS=0')"
expect_status 2
expect_no_line '^not ok 9 - forged' "no forged 'not ok' line"
expect_line '^# bootargs: ".*x\\x0anot ok 9 - forged\\x0aSUMMARY: 9 passed.*\\x0aEXIT: STATUS=0"$' "the echo shows \\x0a"
[ "$(echo "$out" | grep -c '^EXIT: ')" = 1 ] && [ "$(echo "$out" | grep -c '^SUMMARY: ')" = 1 ]
ok $? "$name_prefix: one SUMMARY and one EXIT line"
expect_closing_lines 2

# ESC and BEL never reach the terminal, in the echo or in an error message.
name_prefix="ESC in bootargs"
boot msg-esc -- "$(printf 'tests=\033[2J\007nomatch')"
expect_status 2
expect_line "^Bail out! bad boot arguments: '\\\\x1b\\[2J\\\\x07nomatch' matches no test" "the bad pattern is escaped"
! grep -q "$(printf '\033')" <<<"$out"
ok $? "$name_prefix: no raw ESC byte in the output"
name_prefix="ESC in a key"
boot msg-esc-key -- "$(printf 'bo\033gus=1')"
expect_line "^Bail out! bad boot arguments: unknown boot argument 'bo\\\\x1bgus'" "the unknown key is escaped"

# A long tests= list: the bad pattern comes first and whole, however long the list.
list=$(printf 'selftest/counter,%.0s' $(seq 12))no-such-test
name_prefix="long tests= list"
boot msg-long -- "tests=$list"
expect_status 2
expect_line "^Bail out! bad boot arguments: 'no-such-test' matches no test \\(tests=selftest/counter," "names the bad pattern first"

name_prefix="list tests=nomatch"
boot msg-list-nomatch -- list tests=nomatch
expect_status 2
expect_line "^Bail out! bad boot arguments: 'nomatch' matches no test" "is validated before listing"
expect_closing_lines 2

name_prefix="timeout=0"
boot msg-timeout0 -- timeout=0
expect_status 2
expect_line "^Bail out! bad boot arguments: 'timeout=0' is out of range: 1 to 86400$" "is refused: the watchdog cannot be turned off"

name_prefix="run-qemu --timeout 0"
msg=$("$top/scripts/run-qemu" --build "$build" --timeout 0 -- tests=selftest/counter 2>&1)
st=$?
[ $st = 2 ] && grep -q -- '--timeout must be a number of seconds (at least 1: 0 would disable it)' <<<"$msg"
ok $? "$name_prefix: refused with status 2 and why (got $st)"
name_prefix="make TIMEOUT=0"
msg=$(make -C "$top" --no-print-directory run TIMEOUT=0 ARGS=tests=selftest/counter 2>&1)
grep -q -- '--timeout must be a number of seconds' <<<"$msg"
ok $? "$name_prefix: the run is refused by the runner"

# Two runs at once: each gets a log of its own and its own status.
name_prefix="two runs at once"
marker="$top/build/logs/.concurrent-marker"
touch "$marker"
sleep 1
"$top/scripts/run-qemu" --build "$build" --timeout 60 -- tests=selftest/counter >/dev/null 2>&1 &
a=$!
"$top/scripts/run-qemu" --build "$build" --timeout 60 -- bogus=1 >/dev/null 2>&1 &
b=$!
wait $a; sa=$?
wait $b; sb=$?
[ $sa = 0 ] && [ $sb = 2 ]
ok $? "$name_prefix: each returns its own status (0 and 2; got $sa and $sb)"
logs=$(find "$top/build/logs" -maxdepth 1 -name 'virt-el1*.log' -newer "$marker")
[ "$(echo "$logs" | grep -c .)" = 2 ]
ok $? "$name_prefix: two separate logs"
for l in $logs; do
	[ "$(grep -c '^EXIT: STATUS=' "$l")" = 1 ] || { ok 1 "$name_prefix: $l holds one EXIT line"; continue; }
	ok 0 "$name_prefix: $(basename "$l") holds one EXIT line"
done
rm -f "$marker"
finish
