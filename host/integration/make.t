#!/usr/bin/env bash
# The make wrappers: ARGS reaches the firmware unchanged whatever it holds, for every target that
# takes it; make sdcard checks ARGS before it writes; an unknown BOARD and knobs a target ignores
# are errors with a message and status 2, never dropped.
. "$(dirname "$0")/lib.sh"
plan 30

# A plain make of this tree, as a user types it (not the MAKEFLAGS of a make that runs this test),
# bounded: make debug has no timeout of its own.
mk() { # mk TARGET VAR=VALUE...: sets $out and $status
	out=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL timeout 300 make -s --no-print-directory -C "$top" "$@" 2>&1 </dev/null)
	status=$?
}

# Quotes, $, a backslash, a glob and two spaces. A pasted `$(ARGS)` made the quote a shell syntax
# error, and make's own expansion would eat `$H`. The test pattern matches nothing, so each run
# stops early with the firmware's message, which quotes the pattern.
weird="verbose=1  tests=selftest/counter,'\$HOME\\y\"z\"*"
pattern="selftest/counter,'\$HOME\\y\"z\"*"
bad_pattern="'\$HOME\\y\"z\"*"
# The firmware echoes every byte as typed except those outside printable ASCII and the backslash,
# which it writes as \xNN so that an echo can never forge a line or be read two ways.
shown() { printf '%s' "${1//\\/\\x5c}"; }
banner_has() { # banner_has EXPECTED_BOOTARGS DESCRIPTION
	echo "$out" | grep -qxF "# bootargs: \"$(shown "$1")\""
	ok $? "$name_prefix: $2"
}

name_prefix="make run ARGS=<quotes, \$, backslash>"
mk run ARGS="$weird"
banner_has "$weird semihosting" "the banner's bootargs are ARGS as typed"
echo "$out" | grep -qxF "Bail out! bad boot arguments: '$(shown "$bad_pattern")' matches no test (tests=$(shown "$pattern"))"
ok $? "$name_prefix: the firmware quotes the pattern unchanged"
[ "$status" = 2 ]
ok $? "$name_prefix: make fails with status 2 (got $status)"

name_prefix="make bench ARGS=<same>"
mk bench ARGS="$weird"
banner_has "tests=bench $weird semihosting" "the banner's bootargs hold ARGS as typed"

name_prefix="make run-uboot ARGS=<same>"
mk run-uboot ARGS="$weird"
banner_has "$weird semihosting" "the banner's bootargs are ARGS as typed (through U-Boot's env import)"

name_prefix="make debug ARGS=<same>"
port=$((20000 + RANDOM % 20000))
gdbinit="$top/build/logs/virt-el1.gdbinit"
rm -f "$gdbinit"
# gdb connects once run-qemu has written its gdbinit (QEMU starts right after; gdb retries meanwhile).
(for _ in $(seq 120); do grep -qs ":$port\$" "$gdbinit" && break; sleep 0.5; done
	timeout 60 gdb-multiarch -batch -x "$gdbinit" -ex continue >/dev/null 2>&1) &
mk debug GDB_PORT=$port ARGS="$weird"
wait
banner_has "$weird semihosting" "the banner's bootargs are ARGS as typed (gdb continued the run)"

# ---- make sdcard: the firmware's checks on the host, before anything is written.
card="$top/build/rpi4/sdcard.img"
fingerprint() { [ -e "$card" ] && stat -c '%Y %s %i' "$card" && md5sum <"$card" || echo absent; }
before=$(fingerprint)
name_prefix="make sdcard ARGS=tests=nosuch"
mk sdcard ARGS=tests=nosuch
[ "$status" = 2 ]
ok $? "$name_prefix: status 2 (got $status)"
echo "$out" | grep -qxF "bad boot arguments: tests=nosuch: 'nosuch' matches no test"
ok $? "$name_prefix: the firmware's message"
[ "$(fingerprint)" = "$before" ]
ok $? "$name_prefix: $card is not written"
name_prefix="make sdcard ARGS=<quotes, \$, backslash>"
mk sdcard ARGS="$weird"
echo "$out" | grep -qxF "bad boot arguments: tests=$pattern: '$bad_pattern' matches no test"
ok $? "$name_prefix: the check quotes the pattern unchanged"
name_prefix="make sdcard ARGS=iters=0"
mk sdcard ARGS=iters=0
[ "$status" = 2 ] && echo "$out" | grep -qxF "bad boot arguments: 'iters=0' is out of range: 1 to 100000000"
ok $? "$name_prefix: status 2 and the parser's message"
name_prefix="make sdcard ARGS=tests=selftest/nested-pan*"
mk sdcard "ARGS=tests=selftest/nested-pan*"
[ "$status" = 2 ]
ok $? "$name_prefix: a test that runs only when named exactly is not matched by a glob, as in the runner"
[ "$(fingerprint)" = "$before" ]
ok $? "make sdcard: no bad ARGS wrote $card"
# The same check when scripts/mk-sdcard is called directly.
name_prefix="scripts/mk-sdcard -- tests=nosuch"
nosuch_img="$top/build/logs/it-make-nosuch.img"
rm -f "$nosuch_img" # an earlier run's must not decide this one
"$top/scripts/mk-sdcard" --build "$build" --out "$nosuch_img" -- tests=nosuch >/dev/null 2>&1
[ $? = 2 ] && [ ! -e "$nosuch_img" ]
ok $? "$name_prefix: status 2 and no image"

# ---- An unknown BOARD is an error everywhere, before anything runs or waits for gdb.
for target in run bench bench-layouts debug run-uboot sdcard; do
	name_prefix="make $target BOARD=rpi5"
	mk "$target" BOARD=rpi5
	[ "$status" = 2 ] && echo "$out" | grep -q "unknown board 'rpi5'"
	ok $? "$name_prefix: status 2 (got $status), 'unknown board'"
done

# ---- Knobs a target or board would ignore are refused, not dropped.
refused() { # refused DESCRIPTION MESSAGE TARGET VAR=VALUE...
	local what=$1 msg=$2
	shift 2
	name_prefix="make $*"
	mk "$@"
	[ "$status" = 2 ] && echo "$out" | grep -qF -- "$msg"
	ok $? "$name_prefix: refused ($what; status $status)"
}
refused "no entry EL on the Pi machine" "raspi4b always enters at EL2" run BOARD=rpi4 EL=1
refused "fixed CPUs" "raspi3b always has 4 CPUs" bench BOARD=rpi3 SMP=2
refused "fixed RAM" "raspi4b always has 2G of RAM" run BOARD=rpi4 MEM=512M
refused "semihosting decides the exit" "'exit=reset' has no effect under semihosting" run ARGS=exit=reset
refused "QEMU settings on a card" "make sdcard: SMP: QEMU settings" sdcard SMP=2
refused "U-Boot runs on virt only" "--uboot runs on virt only" run-uboot BOARD=rpi4
refused "no timeout in a debugging session" "make debug: TIMEOUT: a debugging session has no timeout" debug TIMEOUT=5
refused "GDB_PORT is for make debug" "make run: GDB_PORT: only for make debug" run GDB_PORT=4321
refused "BENCH_RUNS is for make bench" "make run: BENCH_RUNS: only for make bench" run BENCH_RUNS=2

# Without semihosting, exit= is honoured and the status still comes back.
name_prefix="make run SEMIHOSTING=0 ARGS='exit=auto tests=nosuch'"
mk run SEMIHOSTING=0 ARGS="exit=auto tests=nosuch"
[ "$status" = 2 ] && echo "$out" | grep -qx '# exit: PSCI SYSTEM_OFF'
ok $? "$name_prefix: status 2 through PSCI SYSTEM_OFF (got $status)"
finish
