#!/usr/bin/env bash
# make bench's group on QEMU virt (tests/bench.c, docs/scenarios.md "Benchmark"): every policy and
# monitor setting prints one line a script can read, and the run asserts that it measured. Timing
# is never asserted here: met=yes or met=no both pass, only the line's presence and format count.
. "$(dirname "$0")/lib.sh"
plan 30
N=50
name_prefix="bench iters=$N"
boot bench -- tests=bench iters=$N
expect_status 0
expect_no_line '^not ok ' "every bench test passes (it measured; the library did the baseline's work)"
for policy in linux-4.14 linux-fixed refuse-live; do
	expect_line "^# bench policy=$policy per cycle: writes=[1-9][0-9]* barriers=[1-9][0-9]* tlbis=[1-9][0-9]* new-tables=1, library = baseline\$" \
		"$policy: the library issued the baseline's writes, barriers and TLBIs"
	for monitor in off on; do
		target=2.00
		[ $monitor = off ] && target=1.20
		r='[0-9]+\.[0-9]{2}'
		expect_line "^# bench policy=$policy monitor=$monitor ratio=$r target=$target met=(yes|no) spread=$r\\.\\.$r range=$r\\.\\.$r ns=[1-9][0-9]* baseline_ns=[1-9][0-9]* n=$N rounds=5\$" \
			"$policy, monitor $monitor: one machine-readable ratio line"
	done
done
# A script reads the lines back: one per policy and setting, each with a ratio it can parse.
lines=$(echo "$out" | grep -cE '^# bench policy=[^ ]+ monitor=(on|off) ratio=')
[ "$lines" = 6 ]
ok $? "$name_prefix: six ratio lines (got $lines)"
ratios=$(echo "$out" | sed -n 's/^# bench policy=[^ ]* monitor=[^ ]* ratio=\([0-9.]*\) .*/\1/p' | awk '$1 > 0' | wc -l)
[ "$ratios" = 6 ]
ok $? "$name_prefix: every ratio parses as a positive number"
expect_closing_lines 0

# make bench's wrapper: each run's lines, then per policy and setting the median over the runs.
name_prefix="scripts/bench --runs 2"
out=$("$top/scripts/bench" --runs 2 --build "$build" --timeout 90 -- tests=bench iters=$N 2>&1)
status=$?
expect_status 0
[ "$(echo "$out" | grep -c '^== bench run [12] of 2 (log: build/logs/bench-run[12].log)$')" = 2 ]
ok $? "$name_prefix: announces both runs and their logs"
r='[0-9]+\.[0-9]{2}'
summary=$(echo "$out" | grep -E "^# bench summary policy=(linux-4.14|linux-fixed|refuse-live) monitor=(on|off) ratio=$r target=(1.20|2.00) met=(yes|no) runs=2 ratios=$r,$r\$" | wc -l)
[ "$summary" = 6 ]
ok $? "$name_prefix: six summary lines with both runs' ratios (got $summary)"
# The summary's ratio is the median (here the mean of two) of the runs' own lines.
line=$(echo "$out" | grep '^# bench summary policy=refuse-live monitor=off ')
a=$(echo "$line" | sed 's/.* ratios=\([0-9.]*\),.*/\1/') b=$(echo "$line" | sed 's/.* ratios=[0-9.]*,\([0-9.]*\)$/\1/')
want=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (a + b) / 2 }')
echo "$line" | grep -q " ratio=$want "
ok $? "$name_prefix: the summary ratio is the runs' median ($a, $b -> $want)"
# make bench-layouts' wrapper: scripts/bench on each linked layout, then the worst layout per policy and setting.
name_prefix="scripts/bench-layouts --runs 1"
out=$("$top/scripts/bench-layouts" --runs 1 --build "$build" --timeout 90 -- tests=bench iters=$N 2>&1)
status=$?
expect_status 0
layouts=$(echo "$out" | grep -cE '^== layout hot[0-9]+-text[0-9]+$')
[ "$layouts" = 4 ]
ok $? "$name_prefix: runs the bench on each of the four layouts (got $layouts)"
logs=$(echo "$out" | grep -cE '^== bench run 1 of 1 \(log: build/logs/bench-hot[0-9]+-text[0-9]+-run1\.log\)$')
[ "$logs" = 4 ] && [ -s "$top/build/logs/bench-hot0-text0-run1.log" ]
ok $? "$name_prefix: each layout's run keeps a log of its own (got $logs)"
l='hot[0-9]+-text[0-9]+'
worst=$(echo "$out" | grep -E "^# bench layouts policy=(linux-4.14|linux-fixed|refuse-live) monitor=(on|off) worst=$r target=(1.20|2.00) met=(yes|no) layouts=4 ratios=$l:$r,$l:$r,$l:$r,$l:$r\$" | wc -l)
[ "$worst" = 6 ]
ok $? "$name_prefix: six lines with each layout's ratio (got $worst)"
# worst is the largest layout ratio, and met compares it with the target.
echo "$out" | grep '^# bench layouts ' | awk '{
	for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	n = split(f["ratios"], rs, ","); max = 0
	for (i = 1; i <= n; i++) { split(rs[i], lr, ":"); if (lr[2] + 0 > max) max = lr[2] + 0 }
	if (sprintf("%.2f", max) != f["worst"] || (max <= f["target"] + 0 ? "yes" : "no") != f["met"]) bad++
} END { exit bad > 0 }'
ok $? "$name_prefix: worst is the largest layout ratio and met says whether it is within the target"
name_prefix="scripts/bench-layouts, no layouts linked"
empty=$(mktemp -d)
out=$("$top/scripts/bench-layouts" --build "$empty" -- tests=bench 2>&1)
status=$?
rmdir "$empty"
expect_status 4
expect_line "^scripts/bench-layouts: no layout images under .*/layouts \\(make bench-layouts links them\\)\$" "says what is missing and what links it"
name_prefix="scripts/bench --runs 0"
out=$("$top/scripts/bench" --runs 0 --build "$build" -- tests=bench 2>&1)
status=$?
expect_status 2
expect_line "^scripts/bench: BENCH_RUNS/--runs must be 1 to 99, not '0'\$" "a bad run count is refused before QEMU starts"
name_prefix="scripts/bench --log-name ../x"
out=$("$top/scripts/bench" --log-name ../x --build "$build" -- tests=bench 2>&1)
status=$?
expect_status 2
finish
