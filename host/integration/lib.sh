# Helpers for the QEMU integration tests (*.t, run by prove). Each boot goes through
# scripts/run-qemu, so these tests also exercise the runner users call.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BBMPROBE_BUILD:-$top/build/gcc}
[[ "$build" = /* ]] || build="$top/$build"
tap_n=0
tap_failed=0

plan() { echo "1..$1"; }

ok() { # ok CONDITION_STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=1
	fi
}

# boot NAME [run-qemu options] [-- boot args]: sets $out and $status.
boot() {
	local name=$1
	shift
	log="$top/build/logs/it-$name.log"
	out=$("$top/scripts/run-qemu" --build "$build" --log "$log" --timeout "${BOOT_TIMEOUT:-90}" "$@" 2>&1)
	status=$?
}

expect_status() { # expect_status N
	[ "$status" = "$1" ]
	ok $? "$name_prefix: QEMU exit status is $1 (got $status)"
	[ "$status" = "$1" ] || echo "$out" | tail -20 | sed 's/^/# /'
}

expect_line() { # expect_line EXTENDED_REGEX DESCRIPTION
	echo "$out" | grep -Eq -- "$1"
	ok $? "$name_prefix: $2"
}

# A scenario's "# result" line in $out (scenario, variant), one key's value from such a line, and a
# test point that the line's keys match the given regexes ('k=v ...').
result() { echo "$out" | grep -E "^# result scenario=$1 variant=$2 " | head -1; }
field() { echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
expect_fields() { # expect_fields SCENARIO VARIANT 'k=v ...' DESCRIPTION (values are extended regexes)
	local line want k v bad=0
	line=$(result "$1" "$2")
	for want in $3; do
		k=${want%%=*} v=${want#*=}
		[[ "$(field "$line" "$k")" =~ ^($v)$ ]] || bad=1
	done
	[ -n "$line" ] && [ $bad = 0 ]
	ok $? "$name_prefix: $1-$2: $4"
	[ -n "$line" ] && [ $bad = 0 ] || echo "# got: ${line:-no result line}"
}

# The banner lines a board must print, as data: one row per line on stdin,
# "EXTENDED_REGEX<TAB>DESCRIPTION", one test point each.
expect_lines() {
	local re desc
	while IFS=$'\t' read -r re desc; do
		[ -n "$re" ] && expect_line "$re" "$desc"
	done
}

expect_no_line() {
	! echo "$out" | grep -Eq -- "$1"
	ok $? "$name_prefix: $2"
}

# The closing lines every run must print, in this order, with a consistent count.
expect_closing_lines() { # expect_closing_lines STATUS
	local summary exit_line
	summary=$(echo "$out" | grep -E '^SUMMARY: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' | tail -1)
	exit_line=$(echo "$out" | grep -E '^EXIT: STATUS=[0-9]+$' | tail -1)
	[ -n "$summary" ]
	ok $? "$name_prefix: prints a SUMMARY line"
	[ "$exit_line" = "EXIT: STATUS=$1" ]
	ok $? "$name_prefix: last line is 'EXIT: STATUS=$1' (got '$exit_line')"
	[ "$(echo "$out" | grep -v '^# run-qemu' | tail -1)" = "$exit_line" ]
	ok $? "$name_prefix: nothing follows the EXIT line"
}

# A run the runner's timeout ended after a halt: one EXIT line, and nothing of the firmware's after
# it (QEMU's own "terminating on signal" and the runner's note follow it).
expect_one_exit_then_halt() { # expect_one_exit_then_halt STATUS
	[ "$(echo "$out" | grep -c '^EXIT: ')" = 1 ]
	ok $? "$name_prefix: one EXIT line"
	[ "$(echo "$out" | grep -vE '^(# run-qemu|qemu-system-aarch64: terminating on signal)' | tail -1)" = "EXIT: STATUS=$1" ]
	ok $? "$name_prefix: the firmware prints nothing after 'EXIT: STATUS=$1'"
}

# TAP consistency: the plan matches the number of test points and the summary.
expect_consistent_tap() {
	local planned points passed failed skipped
	planned=$(echo "$out" | sed -n 's/^1\.\.\([0-9]*\).*/\1/p' | head -1)
	points=$(echo "$out" | grep -cE '^(not )?ok [0-9]+ - ')
	[ -n "$planned" ] && [ "$planned" = "$points" ]
	ok $? "$name_prefix: plan 1..$planned matches $points test points"
	passed=$(echo "$out" | grep -E '^ok [0-9]+ - ' | grep -vc '# SKIP')
	failed=$(echo "$out" | grep -cE '^not ok [0-9]+ - ')
	skipped=$(echo "$out" | grep -cE '^ok [0-9]+ - .* # SKIP')
	echo "$out" | grep -qx "SUMMARY: $passed passed, $failed failed, $skipped skipped"
	ok $? "$name_prefix: SUMMARY agrees with the TAP lines ($passed/$failed/$skipped)"
}

finish() { exit $tap_failed; }

# Pi boards (BOARD = rpi3|rpi4, LABEL = how TAP lines name it): a UART the board lacks is a usage
# error reported on the default console (4 test points).
expect_pi_bad_console_is_usage_error() { # BOARD LABEL
	name_prefix="$2 console=bogus"
	boot "$1-bad-console" --board "$1" --uart mini -- console=bogus
	expect_status 2
	expect_line "^Bail out! bad boot arguments: 'console=bogus' is not a valid choice; valid: auto, pl011, mini" "says what is wrong"
	expect_closing_lines 2
}

# exit=reset without semihosting: the exit line, then the PM watchdog resets the board, which QEMU
# (-no-reboot) turns into a clean exit with status 0 whatever the result; the runner's status is
# the EXIT line's (6 test points).
expect_pi_watchdog_reset() { # BOARD LABEL
	name_prefix="$2 exit=reset"
	boot "$1-reset" --board "$1" --uart mini --no-semihosting -- exit=reset tests=selftest/counter
	expect_status 0
	expect_line '^# exit: board reset \(exit=reset\)$' "the banner says the board will reset"
	expect_no_line '^# exit: the board reset did not happen' "the watchdog reset happened"
	expect_closing_lines 0
}


# Every "# result" line of a run (docs/output.md), 2 test points: there are exactly N of them, all in
# the documented format; and each verdict is what the line's own counts and the model's allowed set
# (printed by the run) make it, with "what the tables give" from the scenario's "# allowed" line.
# Nothing here depends on what QEMU did.
RESULT_RE='^# result scenario=[a-z0-9]+/[a-z0-9.-]+ variant=[a-z0-9.-]+ policy=[a-z0-9.-]+ board=[a-z0-9]+ cpu=0x[0-9a-f]{8} version=[^ ]+ seed=[0-9]+ n=[0-9]+ new=[0-9]+ old=[0-9]+ fault-t0=[0-9]+ fault-t1=[0-9]+ fault-t2=[0-9]+ fault-t3=[0-9]+ fault-af=[0-9]+ fault-perm=[0-9]+ tlb-conflict=[0-9]+ poison=[0-9]+ other=[0-9]+ leaked=[0-9]+ violations=[0-9]+ harness-errors=[0-9]+ allowed=[a-z0-9,-]+ verdict=(safe|hazard-possible|hazard-seen|forbidden-seen|harness-error)$'
OUTCOMES='new old fault-t0 fault-t1 fault-t2 fault-t3 fault-af fault-perm tlb-conflict poison other'
expect_result_lines() { # expect_result_lines COUNT
	local got bad
	got=$(echo "$out" | grep -c '^# result ')
	bad=$(echo "$out" | grep '^# result ' | grep -cvE "$RESULT_RE")
	[ "$got" = "$1" ] && [ "$bad" = 0 ]
	ok $? "$name_prefix: $1 result lines, all in the documented format (got $got, $bad malformed)"
	bad=$(echo "$out" | awk -v outcomes="$OUTCOMES" '
		/^# allowed by the architecture \(model\): / { tables = $NF }
		/^# result / {
			delete kv; delete allowed
			for (i = 3; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
			split(kv["allowed"], a, ","); for (i in a) allowed[a[i]] = 1
			n = split(outcomes, o, " "); sum = 0; forb = 0; seen = 0; possible = 0
			for (i = 1; i <= n; i++) {
				c = kv[o[i]] + 0; sum += c
				permitted = (o[i] in allowed) || ("poison" in allowed)
				if (c > 0 && !permitted) forb = 1
				if (c > 0 && permitted && o[i] != tables) seen = 1
				if ((o[i] in allowed) && o[i] != tables) possible = 1
			}
			want = kv["harness-errors"] > 0 ? "harness-error" : forb ? "forbidden-seen" : seen ? "hazard-seen" : possible ? "hazard-possible" : "safe"
			if (sum != kv["n"] || want != kv["verdict"]) { print "# inconsistent (want " want "): " $0 > "/dev/stderr"; bad++ }
		}
		END { print bad + 0 }' | tail -1)
	[ "$bad" = 0 ]
	ok $? "$name_prefix: every verdict follows from its counts and the model's allowed set ($bad do not)"
}

# A default-suite run that must be clean: status 0, no banner warning, no failing test, consistent TAP
# and the closing lines (8 test points).
expect_clean_run() {
	expect_status 0
	expect_no_line '^# warning' "no warnings in the banner"
	expect_no_line '^not ok ' "every test passes"
	expect_consistent_tap
	expect_closing_lines 0
}

# Without semihosting the exit goes through PSCI SYSTEM_OFF over the DTB's conduit and ends QEMU
# (3 test points).
expect_psci_exit() { # expect_psci_exit LABEL RUN-QEMU-OPTIONS...
	name_prefix="$1 PSCI exit"
	boot "$1-psci" "${@:2}" --no-semihosting -- tests=selftest/counter
	expect_status 0
	expect_line '^# exit: PSCI SYSTEM_OFF$' "the banner says PSCI SYSTEM_OFF"
	expect_closing_lines 0
}

# QEMU virt's own device tree (-machine dumpdtb), for tests that edit it with fdtput: prints its path.
virt_dtb() { # NAME
	local f="$top/build/logs/it-$1.dtb"
	qemu-system-aarch64 -M virt,dumpdtb="$f" -cpu cortex-a72 -m 512M -display none -nic none >/dev/null 2>&1
	echo "$f"
}

# The end-of-run table (docs/output.md, "The summary table"), 4 test points: one row per scenario
# and per test that did not pass, each with its TAP number and result; every scenario row agrees
# with the "# result" line of the same test (verdict, n, hazards, forbidden, leaked, violations,
# errors; hazards and forbidden recomputed from the line's counts, its allowed set and what the
# tables give); the table sits after the last TAP line and before SUMMARY; its closing line's
# counts agree with SUMMARY.
expect_table() {
	local problems
	problems=$(echo "$out" | awk -v outcomes="$OUTCOMES" '
		function bad(kind, msg) { print kind ": " msg }
		/^# allowed by the architecture \(model\): / { tables = $NF }
		/^1\.\.[0-9]+/ && plan == "" { plan = substr($1, 4) + 0 }
		/^# result / { pending = $0; pending_tables = tables; next }
		/^(not )?ok [0-9]+ - / {
			n = ($1 == "not") ? $3 : $2
			word[n] = ($1 == "not") ? "fail|harness" : ($0 ~ / # SKIP/ ? "skip" : "pass")
			result[n] = pending; tables_of[n] = pending_tables; pending = ""; last_tap = NR; taps++
			next
		}
		/^# table / && !first_table { first_table = NR }
		/^# table +[0-9]+ / {
			n = $3; rows[n]++; row[n] = $0; last_table = NR
			if ($4 !~ "^(" word[n] ")$") bad("rows", "test " n " is " $4 ", TAP says " word[n])
			next
		}
		/^# table: [0-9]+ of [0-9]+ tests ran: / { closing = $0; last_table = NR }
		/^SUMMARY: / { summary = $0; summary_at = NR }
		END {
			for (n in word) {
				want = (result[n] != "" || word[n] != "pass") ? 1 : 0
				if (rows[n] + 0 != want) bad("rows", "test " n ": " rows[n] + 0 " rows, want " want)
				if (!want) unlisted++
				if (result[n] == "" || !rows[n]) continue
				delete kv; delete allowed
				split(result[n], f, " "); for (i in f) { split(f[i], p, "="); kv[p[1]] = p[2] }
				split(kv["allowed"], a, ","); for (i in a) allowed[a[i]] = 1
				k = split(outcomes, o, " "); hz = 0; fb = 0
				for (i = 1; i <= k; i++) {
					c = kv[o[i]] + 0
					permitted = (o[i] in allowed) || ("poison" in allowed)
					if (!permitted) fb += c; else if (o[i] != tables_of[n]) hz += c
				}
				split(row[n], r, " ")
				got = r[6] " " r[7] " " r[10] " " r[11] " " r[12]
				wanted = kv["verdict"] " " kv["n"] " " kv["leaked"] " " kv["violations"] " " kv["harness-errors"]
				if (kv["harness-errors"] == 0) { got = got " " r[8] " " r[9]; wanted = wanted " " hz " " fb }
				if (got != wanted) bad("values", "test " n ": table " got ", result line " wanted)
			}
			if (!first_table || first_table < last_tap || last_table > summary_at)
				bad("place", "not between the last TAP line and SUMMARY")
			split(summary, s, "[ ,]+"); split(closing, cl, "[ :;,]+")
			if (cl[3] != taps || cl[5] != plan || cl[8] != s[2] || cl[10] != s[4] || cl[12] != s[6] || cl[16] != unlisted + 0)
				bad("closing", "\"" closing "\" against \"" summary "\", 1.." plan ", " taps " tests, " unlisted + 0 " unlisted")
		}') || problems="rows: the table check itself failed"
	for k in rows values place closing; do
		! echo "$problems" | grep -q "^$k: "
		case $k in
		rows) ok $? "$name_prefix: the table has one row per scenario and per test that did not pass, with its TAP result" ;;
		values) ok $? "$name_prefix: every scenario row agrees with its # result line" ;;
		place) ok $? "$name_prefix: the table follows the last TAP line and precedes SUMMARY" ;;
		closing) ok $? "$name_prefix: the table's closing line agrees with SUMMARY" ;;
		esac
	done
	[ -z "$problems" ] || echo "$problems" | head -10 | sed 's/^/# /'
}
