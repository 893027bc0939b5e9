#!/usr/bin/env bash
# LAVA (docs/labs.md): the jobs rendered from lava/job.yaml.j2, checked with Debian's LAVA 2023.01
# as unpacked by scripts/deps-lava, with no lab: strict job schema, device dictionaries rendered like
# lava-server, lava-run --validate, logs of the current firmware replayed through LAVA's own
# monitors, and one real lava-run of the qemu job against the built image. Every lava-run keeps its
# files in build/lava-check (LAVA_SANDBOX, scripts/lava).
. "$(dirname "$0")/lib.sh"
work="$top/build/lava-check"
rm -rf "$work"
mkdir -p "$work"
export LAVA_SANDBOX="$work/sandbox"
lava() { "$top/scripts/lava" "$@"; }
mapfile -t jobs < <(sed -n 's/^\([a-z0-9-]*\):.*/\1/p' "$top/lava/jobs.yaml")
replays=(default panic bad-args skip progress)
plan $((3 + 4 * ${#jobs[@]} + 4 * ${#replays[@]} + 8))

# The cases LAVA should record for a firmware log, derived from the TAP lines without LAVA's
# patterns: RESULT CASE NAME (CASE as LAVA names it: lower case, runs of non-word characters "_"),
# then the exit line with the status as measurement.
expected_cases() {
	tr -d '\r' | awk '
	/^(not )?ok [0-9]+ - / {
		res = ($1 == "not") ? "fail" : "pass"
		if ($0 ~ / # SKIP/) res = "skip"
		name = $0; sub(/^(not )?ok [0-9]+ - /, "", name); sub(/[ :#].*/, "", name)
		c = tolower(name); gsub(/[^a-z0-9_]+/, "_", c)
		print res "\t" c "\t" name
	}
	/^EXIT: STATUS=[0-9]+$/ { s = substr($0, 14); print (s == "0" ? "pass" : "fail") "\texit_status\tEXIT: STATUS\t" s }'
}

# same_cases WANT GOT DESCRIPTION: the two case lists are identical (and not empty)
same_cases() {
	[ -s "$1" ] && cmp -s "$1" "$2"
	ok $? "$3 ($(wc -l <"$1") cases)"
	cmp -s "$1" "$2" || diff "$1" "$2" | head -10 | sed 's/^/# /'
}

name_prefix="lava"
mapfile -t files < <("$top/scripts/lava-jobs" --url "file://$build/" --args "iters=20" --out "$work/jobs")
[ ${#files[@]} = ${#jobs[@]} ] && [ ${#jobs[@]} -ge 6 ]
ok $? "$name_prefix: scripts/lava-jobs renders every job of lava/jobs.yaml (${#files[@]})"
! "$top/scripts/lava-jobs" --args "it's" --out "$work/bad" >/dev/null 2>&1 && [ ! -e "$work/bad" ]
ok $? "$name_prefix: boot arguments with a quote are refused (they would end the -append or setenv string)"
# The boot action's timeout is also the monitor's wait between two TAP lines (docs/labs.md): the
# firmware's watchdog per test (timeout=, else 60 + iters/100 s) plus a minute, at least the boot's own.
boot_timeouts() { # ARGS: "qemu-seconds rpi4-seconds"
	"$top/scripts/lava-jobs" --args "$1" --out "$work/timeouts" qemu-virt-a72-el1 rpi4 >/dev/null &&
		for j in qemu-virt-a72-el1 rpi4; do
			sed -n '/^- boot:/,/^- test:/s/^    timeout: {seconds: \([0-9]*\)}$/\1/p' "$work/timeouts/$j.yaml"
		done | paste -sd' '
}
[ "$(boot_timeouts iters=20)" = "120 300" ] && [ "$(boot_timeouts iters=20000)" = "320 320" ] &&
	[ "$(boot_timeouts 'iters=20000 timeout=5')" = "65 300" ]
ok $? "$name_prefix: the boot timeout covers the watchdog plus a minute (iters=20000: $(boot_timeouts iters=20000))"

# Per job: strict schema, a device dictionary rendered like lava-server, lava-run --validate (in
# the background, two at a time: each lava-run spends a second importing).
# schema_ok KIND FILE: lava-schema (run once for all files of a kind) found nothing wrong in FILE
schema_ok() {
	awk -v f="* $2" '$0 == f { on = 1; seen = 1; next } /^\* / { on = 0 } on && /->/ { bad = 1 }
		END { exit !(seen && !bad) }' "$work/schema-$1.out"
}
for j in "${jobs[@]}"; do
	case "$j" in qemu*) dict=qemu01 ;; *) dict=$j-01 ;; esac
	"$top/scripts/lava-device" "$top/lava/devices/$dict.jinja2" "$work/jobs/$j.yaml" >"$work/$j.device.yaml"
done
job_files=() device_files=()
for j in "${jobs[@]}"; do job_files+=("$work/jobs/$j.yaml") device_files+=("$work/$j.device.yaml"); done
lava lava-schema job --strict "${job_files[@]}" >"$work/schema-job.out" 2>&1
lava lava-schema device --no-render "${device_files[@]}" >"$work/schema-device.out" 2>&1
pids=()
for j in "${jobs[@]}"; do
	name_prefix="lava $j"
	schema_ok job "$work/jobs/$j.yaml"
	ok $? "$name_prefix: lava-schema job --strict"
	case "$j" in qemu*) dict=qemu01 ;; *) dict=$j-01 ;; esac
	[ -s "$work/$j.device.yaml" ] && schema_ok device "$work/$j.device.yaml"
	ok $? "$name_prefix: device dictionary $dict renders over the $(sed -n 's/^device_type: //p' "$work/jobs/$j.yaml") type and passes lava-schema device"
	case "$j" in
	qemu*)
		machine=$(sed -n 's/^  machine: //p' "$work/jobs/$j.yaml") cpu=$(sed -n 's/^  cpu: //p' "$work/jobs/$j.yaml")
		grep -qx -- "          - -machine $machine" "$work/$j.device.yaml" &&
			grep -qx -- "          - -cpu $cpu" "$work/$j.device.yaml" &&
			grep -q -- "-net nic,model=virtio-net-device," "$work/$j.device.yaml"
		ok $? "$name_prefix: the device runs -machine $machine -cpu $cpu with an MMIO virtio NIC (no option ROM)"
		;;
	*)
		grep -qx "    - \"setenv bootargs '-- console=mini iters=20'\"" "$work/jobs/$j.yaml" &&
			grep -q '^    - booti {KERNEL_ADDR} - {DTB_ADDR}$' "$work/jobs/$j.yaml"
		ok $? "$name_prefix: U-Boot gets the words after '--' on the mini UART, then booti without a ramdisk"
		;;
	esac
	[ ${#pids[@]} -ge 2 ] && { wait "${pids[0]}"; pids=("${pids[@]:1}"); }
	(lava lava-run --job-id "$j" --output-dir "$work/out-$j" --device "$work/$j.device.yaml" --validate \
		"$work/jobs/$j.yaml" >"$work/$j.validate.log" 2>&1; echo $? >"$work/$j.validate.rc") &
	pids+=($!)
done
wait
for j in "${jobs[@]}"; do
	[ "$(cat "$work/$j.validate.rc")" = 0 ] && [ "$("$top/scripts/lava-log" job "$work/$j.validate.log")" = pass ]
	ok $? "lava $j: lava-run --validate passes"
	[ "$(cat "$work/$j.validate.rc")" = 0 ] || "$top/scripts/lava-log" job "$work/$j.validate.log" | sed 's/^/# /'
done

# Logs of the firmware as it is now, replayed through lava-run: the qemu job with a device whose
# "QEMU" prints the log in half lines (scripts/lava-replay). Default suite, a panic (a diagnostic
# there names the exit line), bad arguments, a skipped test, progress lines. Every log also has the
# end-of-run "# table" lines, which must not become cases either.
boot_args() {
	case "$1" in
	default) echo "-- iters=20" ;;
	panic) echo "-- tests=selftest/counter,selftest/nested-panic" ;;
	bad-args) echo "-- bogus=1" ;;
	skip) echo "--mem 8M -- tests=selftest/counter,seed/remap-nobbm iters=5" ;;
	progress) echo "-- tests=live/oa-change-attr iters=10000" ;;
	esac
}
"$top/scripts/lava-device" --qemu-command "$top/scripts/lava-replay" "$top/lava/devices/qemu01.jinja2" \
	"$work/jobs/qemu-virt-a72-el1.yaml" >"$work/replay.device.yaml"
pids=()
for r in "${replays[@]}"; do
	name_prefix="lava replay $r"
	# shellcheck disable=SC2046
	boot "lava-$r" $(boot_args "$r")
	cp "$log" "$work/$r.log"
	grep -q '^EXIT: STATUS=' "$work/$r.log"
	ok $? "$name_prefix: recorded from the current firmware (status $status)"
	expected_cases <"$work/$r.log" >"$work/$r.want"
	sed "s|file://$build/kernel8.img|file://$work/$r.log|" "$work/jobs/qemu-virt-a72-el1.yaml" >"$work/$r.job.yaml"
	[ ${#pids[@]} -ge 2 ] && { wait "${pids[0]}"; pids=("${pids[@]:1}"); }
	(lava lava-run --job-id "replay-$r" --output-dir "$work/out-replay-$r" --device "$work/replay.device.yaml" \
		"$work/$r.job.yaml" >"$work/$r.lava.log" 2>&1; echo $? >"$work/$r.lava.rc") &
	pids+=($!)
done
wait
for r in "${replays[@]}"; do
	name_prefix="lava replay $r"
	[ "$(cat "$work/$r.lava.rc")" = 0 ] && [ "$("$top/scripts/lava-log" job "$work/$r.lava.log")" = pass ]
	ok $? "$name_prefix: the job completes (the monitors saw start and end)"
	"$top/scripts/lava-log" cases "$work/$r.lava.log" >"$work/$r.got"
	same_cases "$work/$r.want" "$work/$r.got" "$name_prefix: one LAVA case per TAP line, name intact, and the exit case"
	status=$(sed -n 's/^EXIT: STATUS=//p' "$work/$r.log")
	grep -qx "$([ "$status" = 0 ] && echo pass || echo fail)	exit_status	EXIT: STATUS	$status" "$work/$r.got"
	ok $? "$name_prefix: the exit case is $([ "$status" = 0 ] && echo pass || echo fail) with measurement $status"
done

# The real thing: lava-run boots the built image with QEMU from the rendered qemu device.
name_prefix="lava run qemu-virt-a72-el1"
start=$(date +%s)
lava lava-run --job-id run --output-dir "$work/out-run" --device "$work/qemu-virt-a72-el1.device.yaml" \
	"$work/jobs/qemu-virt-a72-el1.yaml" >"$work/run.lava.log" 2>&1
rc=$?
[ $rc = 0 ] && [ "$("$top/scripts/lava-log" job "$work/run.lava.log")" = pass ]
ok $? "$name_prefix: the job passes in $(($(date +%s) - start)) s"
"$top/scripts/lava-log" target "$work/run.lava.log" >"$work/run.target"
grep -q '^TAP version 13' "$work/run.target" && grep -qx 'EXIT: STATUS=0' "$work/run.target"
ok $? "$name_prefix: QEMU printed the whole run, TAP version 13 to EXIT: STATUS=0"
expected_cases <"$work/run.target" >"$work/run.want"
"$top/scripts/lava-log" cases "$work/run.lava.log" >"$work/run.got"
same_cases "$work/run.want" "$work/run.got" "$name_prefix: one LAVA case per TAP line, name intact, and the exit case"
planned=$(sed -n 's/^1\.\.\([0-9]*\).*/\1/p' "$work/run.target" | tr -d '\r')
[ -n "$planned" ] && [ "$(grep -c . "$work/run.got")" = $((planned + 1)) ]
ok $? "$name_prefix: $planned planned tests + the exit case = $(grep -c . "$work/run.got") LAVA cases"
# (LAVA's log escapes the quotes of target lines)
grep -Eq '^# bootargs: \\?"iters=20\\?"$' "$work/run.target"
ok $? "$name_prefix: the job's boot arguments reached the firmware, without semihosting"
grep -q "\"Root tmp directory removed at $LAVA_SANDBOX/tmp/run\"" "$work/run.lava.log" && [ ! -e "$LAVA_SANDBOX/tmp/run" ]
ok $? "$name_prefix: lava-run kept its temporary files under build/lava-check, not /var/lib/lava, and removed them"
# The lab's log feeds scripts/results as it is: lava-run's records, and the server's job log (the
# same records as a YAML list).
sed 's/^/- /' "$work/run.lava.log" >"$work/run.server-log.yaml"
for f in run.lava.log run.server-log.yaml; do
	"$top/scripts/results" --csv - "$work/$f" 2>/dev/null >"$work/$f.csv"
	/usr/bin/python3 -c 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
facts = {(r["board"], r["el"], r["accel"], r["machine"], r["iters"], r["exit_status"]) for r in rows}
sys.exit(len(rows) != int(sys.argv[2]) or facts != {("virt", "1", "tcg", "virt", "20", "0")})' \
		"$work/$f.csv" "$(grep -c '^# result ' "$work/run.target")"
	ok $? "$name_prefix: scripts/results reads $f: every result line, board virt, EL1, TCG, iters=20 from the job, status 0"
done
finish
