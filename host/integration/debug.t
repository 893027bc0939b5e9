#!/usr/bin/env bash
# Debugging (make debug = scripts/run-qemu --gdb): at every entry EL, on the Pi machine and under
# U-Boot, gdb-multiarch in batch mode loads the symbols at the right address (a breakpoint on a C
# function is hit and named), the backtrace ends at the entry code (head.S marks the outermost
# frame), and the run then goes on to its own exit status.
. "$(dirname "$0")/lib.sh"
cases=("virt EL1|--el 1" "virt EL2|--el 2" "virt EL3|--el 3" "raspi4b|--board rpi4 --uart mini" "U-Boot|--uboot")
plan $((${#cases[@]} * 4))

for c in "${cases[@]}"; do
	name_prefix="gdb, ${c%%|*}"
	read -r -a opts <<<"${c#*|}"
	log="$top/build/logs/it-debug.log"
	gdbinit="${log%.log}.gdbinit"
	port=$((20000 + RANDOM % 20000))
	rm -f "$gdbinit"
	# A debugging session has no timeout of its own: bound it here, in case gdb never continues it.
	timeout 150 "$top/scripts/run-qemu" --build "$build" --log "$log" --gdb --gdb-port $port "${opts[@]}" \
		-- tests=selftest/counter >"$log.out" 2>&1 &
	runner=$!
	for _ in $(seq 120); do [ -s "$gdbinit" ] && break; sleep 0.5; done
	bt=$(timeout 90 gdb-multiarch -batch -x "$gdbinit" -ex 'break runner_run' -ex continue -ex bt -ex continue 2>&1)
	wait $runner
	status=$?
	echo "$bt" | grep -Eq '^(Thread [0-9]+ hit )?Breakpoint 1, runner_run \(.*\) at tests/runner\.c:[0-9]+$'
	ok $? "$name_prefix: the breakpoint on runner_run is hit at its source line (symbols at the load address)"
	echo "$bt" | grep -Eq '^#2  0x[0-9a-f]+ in at_el1 \(\) at boot/head\.S:[0-9]+$' &&
		[ "$(echo "$bt" | grep -c '^#')" = 3 ]
	ok $? "$name_prefix: bt is runner_run, boot_main, the entry code, and ends there"
	! echo "$bt" | grep -q 'Backtrace stopped'
	ok $? "$name_prefix: gdb does not stop the backtrace on a corrupt-looking frame"
	[ "$status" = 0 ]
	ok $? "$name_prefix: the run continues to the firmware's status (got $status)"
	[ "$status" = 0 ] && [ "$(echo "$bt" | grep -c '^#')" = 3 ] || echo "$bt" | sed 's/^/# /'
done
finish
