#!/usr/bin/env bash
# The remap scenarios on QEMU virt, asserted on their "# result" key lines. What is QEMU-specific
# lives here, not in the firmware's verdicts (QEMU target/arm: TCG caches final translations only, docs/scenarios.md): QEMU caches final translations only,
# so a live 4K->2M change without TLBI reads the old page and the seed's walk-cache race never shows.
. "$(dirname "$0")/lib.sh"
plan 50
N=200

# result VARIANT-KEY: the key line of one scenario run, e.g. result 'live/4k-to-2m variant=nobbm policy=linux-4.14'
result() {
	local scenario=${1%% *} rest=${1#* }
	echo "$out" | grep -E "^# result scenario=$scenario $rest n=" | head -1
}
# field LINE KEY: the value of KEY= in a key line
field() { echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
# expect_fields 'SCENARIO variant=V policy=P' 'k=v k=v ...' DESCRIPTION
expect_fields() {
	local line want k v bad=0
	line=$(result "$1")
	for want in $2; do
		k=${want%%=*} v=${want#*=}
		[[ "$(field "$line" "$k")" =~ ^($v)$ ]] || bad=1
	done
	[ -n "$line" ] && [ $bad = 0 ]
	ok $? "$name_prefix: $1: $3"
	[ -n "$line" ] && [ $bad = 0 ] || echo "# got: ${line:-no result line}"
}

name_prefix="scenarios iters=$N"
boot scenarios -- tests=seed,seed1g,live iters=$N
expect_status 0
expect_consistent_tap
expect_no_line '^not ok ' "every scenario passes"
expect_no_line 'verdict=forbidden' "no outcome the architecture forbids"
expect_line '^# result scenario=[^ ]+ variant=[^ ]+ policy=[^ ]+ n=[0-9]+ new=[0-9]+ old=[0-9]+ fault-t0=[0-9]+ fault-t1=[0-9]+ fault-t2=[0-9]+ fault-t3=[0-9]+ fault-af=[0-9]+ fault-perm=[0-9]+ tlb-conflict=[0-9]+ other=[0-9]+ leaked=[0-9]+ violations=[0-9]+ verdict=(clean|hazard)$' \
	"key lines have every field in order"
[ "$(echo "$out" | grep -c '^# result ')" = 29 ]
ok $? "$name_prefix: 29 key lines (12 leak runs, 8 seed/remap, 2 seed1g/remap, 7 live)"

# QEMU shows the stale translation of a valid 4K page after a PMD table->block change without TLBI.
expect_fields 'live/4k-to-2m variant=nobbm policy=linux-4.14' "n=$N old=[1-9][0-9]* verdict=hazard leaked=$N violations=$N" \
	"old > 0 on QEMU (stale 4K translation), one leak and one live-change per iteration"
expect_line "^ok [0-9]+ - live/4k-to-2m-nobbm: hazard observed: [1-9][0-9]* of $N; leaked $N; violations $N\$" \
	"the TAP line says 'hazard observed: X of N'"
expect_line "^# hazard observed: [1-9][0-9]* of $N\$" "and so does a diagnostic"
expect_fields 'live/4k-to-2m variant=bbm policy=replace-bbm' "n=$N new=$N old=0 verdict=no-hazard leaked=0 violations=0" \
	"with BBM only new"
expect_fields 'live/2m-to-4k variant=nobbm policy=unsafe-write' "old=[1-9][0-9]* violations=$N leaked=0" "stale block on QEMU"
expect_fields 'live/2m-to-4k variant=bbm policy=replace-bbm' "new=$N violations=0 leaked=0" "with BBM only new"
expect_fields 'live/oa-change variant=nobbm policy=linux-4.14' "old=[1-9][0-9]* violations=$N" "stale OA on QEMU"
expect_fields 'live/oa-change variant=bbm policy=replace-bbm' "new=$N violations=0" "with BBM only new"
expect_fields 'live/oa-change variant=attr-only policy=refuse-live' "new=$N violations=0 verdict=no-hazard" \
	"a permitted attribute change is not a violation"

# The seed's own race needs a walk cache; QEMU has none, so the new block is always seen.
expect_fields 'seed/remap variant=nobbm policy=linux-4.14' "new=$N leaked=$N violations=$N verdict=no-hazard" \
	"QEMU never shows the walk-cache hazard; leak and violation counted anyway"
expect_line "^# hazard not observed in $N iterations; the BBM monitor counted $N violations\$" \
	"says when the hazard was not observed, with the monitor's count"
expect_fields 'seed/remap variant=bbm policy=linux-fixed' "new=$N leaked=0 violations=0" "fixed path: new, no leak, no violation"

# seed/leak: linux-4.14 leaks one PTE page per remap, two pages at the PUD level; linux-fixed none.
for va in same-va many-va; do
	expect_fields "seed/leak variant=$va policy=linux-4.14" "leaked=$N violations=$N" "4.14 leaks one page per remap"
	expect_fields "seed/leak variant=$va policy=linux-fixed" "leaked=0 violations=0" "fixed leaks none"
	expect_fields "seed/leak variant=$va policy=refuse-live" "fault-t3=$N leaked=0 violations=0" \
		"refuse-live refuses: the cleared page faults"
	expect_fields "seed1g/leak variant=$va policy=linux-4.14" "leaked=$((2 * N)) violations=$N" \
		"PUD: two pages per remap"
	expect_fields "seed1g/leak variant=$va policy=linux-fixed" "leaked=0 violations=0" "PUD fixed: none"
done
expect_fields 'seed1g/remap variant=nobbm policy=linux-4.14' "new=$N leaked=$((2 * N))" "PUD table->block without BBM"
expect_fields 'seed1g/remap variant=bbm policy=linux-fixed' "new=$N leaked=0 violations=0" "pud_free_pmd_page first"

# The monitor flags each broken variant by its own rule (plus the later free of the PTE table), and
# cannot see the missing ISB (it does not model accesses).
for v in no-tlbi:no-tlbi leaf-tlbi:leaf-tlbi-table no-dsb-before-tlbi:tlbi-before-dsb \
	no-dsb-after-tlbi:tlbi-not-complete tlbi-before-clear:tlbi-before-break; do
	variant=bbm-${v%%:*} rule=${v#*:}
	expect_fields "seed/remap variant=$variant policy=unsafe-bbm-seq" "violations=$((2 * N)) leaked=0" "flagged"
	echo "$out" | grep -A14 "^# seed/remap $variant " | grep -Eq "^# BBM monitor: $((2 * N)) violations: $rule=$N free-parent-not-clean=$N\$"
	ok $? "$name_prefix: seed/remap-$variant: rule $rule once per iteration"
done
expect_fields 'seed/remap variant=bbm-no-isb policy=unsafe-bbm-seq' "violations=0" "invisible to the monitor"

name_prefix="progress"
boot scenarios-progress -- tests=live/oa-change-attr iters=10000
expect_status 0
[ "$(echo "$out" | grep -cE '^# progress live/oa-change-attr-only: [0-9]+/10000 \([0-9]+%\)$')" = 9 ]
ok $? "$name_prefix: a long run prints a progress line every 10%"

name_prefix="bench"
boot bench -- tests=bench iters=50
expect_status 0
expect_line '^# bench seed-cycle policy=linux-4.14 monitor=off n=10 ns/iter=[1-9][0-9]* baseline ns/iter=[1-9][0-9]* ratio=[0-9]+\.[0-9]{2} \(target <= 1.30 with the monitor off\)$' \
	"prints ns/iter, the baseline and the ratio"
expect_line '^# bench seed-cycle policy=linux-fixed monitor=on n=10 ns/iter=[1-9][0-9]* baseline ns/iter=[1-9][0-9]* ratio=[0-9]+\.[0-9]{2} \(monitor cost; no target\) violations=0$' \
	"and the monitor-on cost separately"
expect_closing_lines 0
finish
