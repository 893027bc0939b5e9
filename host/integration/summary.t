#!/usr/bin/env bash
# The end-of-run table and the progress lines (docs/output.md, "The summary table", "Progress lines").
# The table must agree with the TAP and "# result" lines of the same run; progress lines must come at
# every 10% of a long run and never closer together than progress= seconds otherwise.
. "$(dirname "$0")/lib.sh"
plan 31

# progress_lines TEST: "i n pct ms rest" per progress line of TEST
progress_lines() {
	echo "$out" | sed -nE "s|^# progress $1: ([0-9]+)/([0-9]+) \(([0-9]+)%\), ([0-9]+) ms: (.*)$|\1 \2 \3 \4 \5|p"
}

name_prefix="table, scenarios"
boot summary -- tests=seed,seed1g,live,selftest iters=50 progress=3600
expect_status 0
expect_table
expect_line '^# table +# result +test +verdict +n +hazards +forbidden +leaked +violations +errors$' \
	"a header names the columns"
expect_line '^# table: QEMU TCG caches no table \(walk-cache\) entries' "says what QEMU cannot show"
expect_no_line '^# progress ' "no progress lines under 10000 iterations within progress= seconds"

name_prefix="table, failures"
boot summary-fail -- tests=seed/remap-linux-4.14,seed1g/remap-linux-5.x,inject,selftest/counter iters=50
expect_status 1
expect_table
expect_line '^# table +[0-9]+ fail +inject/swap-markers-seed-remap-linux-5\.x +forbidden-seen +50 +0 +50 ' \
	"a forbidden outcome is a failed row with its count"
expect_line '^# table +[0-9]+ harness +inject/exhaust-pool-seed-remap-linux-5\.x +harness-error +50 .* 50$' \
	"a harness error is its own result, with its count"
expect_line '^# table +[0-9]+ skip +seed1g/remap-linux-5\.x +-( +-){6}$' "a skipped scenario is listed, with no counts"

name_prefix="table, panic"
boot summary-panic -- tests=selftest/counter,selftest/nested-panic,seed/remap-linux-5.x iters=50
expect_status 3
expect_table
expect_line '^# table: 2 of 3 tests ran: ' "says how many of the planned tests ran"

# The 10% marks of a long run, each with the outcomes so far.
name_prefix="progress marks"
boot progress -- tests=live/oa-change-attr iters=10000
expect_status 0
lines=$(progress_lines live/oa-change-attr)
marks=$(echo "$lines" | awk '$1 % 1000 == 0 && $3 == $1 / 100 { printf "%d ", $1 }')
[ "$marks" = "1000 2000 3000 4000 5000 6000 7000 8000 9000 " ]
ok $? "$name_prefix: one line at each 10% mark (got: $marks)"
echo "$lines" | awk -v outcomes="$OUTCOMES" '
	NF { seen++; sum = 0
	     for (i = 5; i <= NF; i++) { split($i, p, "="); if (index(" " outcomes " ", " " p[1] " ")) sum += p[2] }
	     if ($2 != 10000 || $1 <= last_i || $4 < last_ms || sum != $1) bad = 1; last_i = $1; last_ms = $4 }
	END { exit bad || !seen }'
ok $? "$name_prefix: i and the time only grow, and the outcome counts add up to i"
echo "$lines" | grep -qE ' hazards=[0-9]+ forbidden=0 harness-errors=0$'
ok $? "$name_prefix: each line ends with the hazard, forbidden and harness-error counts"
# Other lines than the marks appear only after progress= seconds (10) of silence.
echo "$lines" | awk 'NF { if (!($1 % 1000 == 0) && $4 - last < 10000) exit 1; last = $4 }'
ok $? "$name_prefix: no line between the marks sooner than progress= seconds after the last"
expect_line "^# table +1 pass +live/oa-change-attr +hazard-seen +10000 " "the table follows"

# Under 10000 iterations only time speaks: a line at least every progress= seconds, never sooner.
# live/2m-to-4k-bbm fills a 512-entry table per iteration, the slowest row per iteration.
name_prefix="progress by time"
boot progress-time -- tests=live/2m-to-4k-bbm iters=3000 progress=1
expect_status 0
lines=$(progress_lines live/2m-to-4k-bbm)
loop_ms=$(echo "$out" | sed -nE 's/^# live\/2m-to-4k bbm .*: 3000 iterations in ([0-9]+) ms.*/\1/p')
echo "$lines" | awk 'NF { if ($4 - last < 1000 || $1 <= last_i) exit 1; last = $4; last_i = $1 }'
ok $? "$name_prefix: consecutive lines at least progress=1 s apart, i growing"
# A loop of two seconds or more must have printed: only one iteration over a second could hide it.
[ -n "$loop_ms" ] && { [ "$loop_ms" -lt 2000 ] || [ -n "$lines" ]; }
ok $? "$name_prefix: a loop of ${loop_ms:-?} ms printed $(echo "$lines" | grep -c .) lines"
finish
