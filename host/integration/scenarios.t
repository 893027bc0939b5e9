#!/usr/bin/env bash
# The remap scenarios on QEMU virt, asserted on their "# result" lines (docs/output.md). Pass
# conditions come from architecture rules: the model's allowed set the run prints, checked against
# the counts of every line, and the allowed sets the Arm ARM gives the key sequences. What QEMU
# happens to do is asserted only in the block that says it documents QEMU.
. "$(dirname "$0")/lib.sh"
plan 80
N=200

# result 'SCENARIO variant=V': the result line of one scenario run
result() {
	local scenario=${1%% *} rest=${1#* }
	echo "$out" | grep -E "^# result scenario=$scenario $rest " | head -1
}
# field LINE KEY: the value of KEY= in a result line
field() { echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
# expect_fields 'SCENARIO variant=V' 'k=v k=v ...' DESCRIPTION (values are extended regexes)
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
# 20 seed rows and 11 live rows; seed1g skips on 512 MiB (no whole GiB of RAM for a 1G block).
expect_result_lines 31
[ "$(echo "$out" | grep -cE '^ok [0-9]+ - seed1g/.* # SKIP no 1 GiB of RAM by the DTB')" = 8 ]
ok $? "$name_prefix: seed1g skips where a 1G block would cover non-RAM"
expect_no_line 'verdict=(forbidden-seen|harness-error)' "no forbidden outcome, no harness error"

# The report's sequence: the architecture allows new, a level 3 fault through the cached PMD table
# pointer, or a TLB conflict abort; old is forbidden after iounmap's all-levels TLBI.
for v in linux-4.14 linux-4.14-prfm linux-4.14-at; do
	expect_fields "seed/remap variant=$v" "policy=linux-4.14 allowed=new,fault-t3,tlb-conflict leaked=$N violations=$N verdict=hazard-(possible|seen)" \
		"allowed new,fault-t3,tlb-conflict (model); one leak and one live-change per iteration"
done
expect_line '^# sequence: map 4K -> B; load \(B\); unmap 4K: W\(pte\)=0; dsb ishst; tlbi vaae1is; dsb ish; isb; re-walk: ldr \(must fault at L3\); table->block by linux-4.14; then one load$' \
	"seed/remap-linux-4.14 prints the report's sequence"
expect_line '^# witness fault-t3: L0\.\.L1 from memory, L2 table pointer 0x[0-9a-f]+ from the walk cache .*L3\[0\]=0 from memory$' \
	"the fault-t3 witness walk names the cached PMD table pointer and the zeroed PTE"
expect_fields 'seed/remap-leafunmap variant=linux-4.14' "allowed=new,fault-t3,tlb-conflict leaked=$N" "the stress form allows the same"
# The fixes: complete BBM (the ISB-less first fix included) leaves only the new block.
for v in remap:linux-4.18 remap:linux-5.x remap:linux-5.x-poison remap-leafunmap:linux-5.x; do
	expect_fields "seed/${v%%:*} variant=${v#*:}" "allowed=new verdict=safe leaked=0 violations=0" "correct BBM: only new"
done
# The broken fixes free a table a walk may still reach: poison (anything) is allowed.
for v in no-tlbi leaf-tlbi leaf-tlbi-poison no-dsb-before-tlbi no-dsb-after-tlbi tlbi-before-clear; do
	expect_fields "seed/remap variant=bbm-$v" "allowed=new,.*poison verdict=hazard-(possible|seen)" "broken BBM allows poison"
done

# seed/leak: one line per policy and regime.
for va in same-va many-va; do
	expect_fields "seed/leak variant=linux-4.14-$va" "leaked=$N violations=$N" "4.14 leaks one PTE page per remap"
	expect_fields "seed/leak variant=linux-4.16-$va" "allowed=fault-t3 fault-t3=$N leaked=0 violations=0 verdict=safe" \
		"refuse-live refuses: the cleared page faults, nothing else is allowed"
	expect_fields "seed/leak variant=linux-5.x-$va" "allowed=new leaked=0 violations=0 verdict=safe" "the fix leaks nothing"
done

# Live changes: CoWT1 (a TLBI after the change, no break) forbids old; the RO change allows the old
# writable translation without TLBI and only the permission fault after it.
for v in 4k-to-2m oa-change; do
	expect_fields "live/$v variant=tlbi" "allowed=new verdict=safe" "TLBI after a live change: old forbidden"
	expect_fields "live/$v variant=bbm" "allowed=new verdict=safe violations=0" "BBM: only new"
done
expect_fields 'live/2m-to-4k variant=bbm' "allowed=new verdict=safe violations=0" "BBM: only new"
expect_fields 'live/oa-change variant=attr' "allowed=old,fault-perm violations=0" "store after a live RO change: old or permission fault"
expect_fields 'live/oa-change variant=attr-tlbi' "allowed=fault-perm fault-perm=$N verdict=safe" "after the TLBI only the fault"
expect_fields 'live/4k-to-2m variant=conflict' "allowed=new,old,tlb-conflict" "both sizes may be cached: a conflict is allowed"
for v in 4k-to-2m 2m-to-4k oa-change; do
	line=$(result "live/$v variant=nobbm")
	[ -n "$line" ] && [[ "$(field "$line" allowed)" != *fault-t* ]]
	ok $? "$name_prefix: live/$v-nobbm: no translation fault allowed (every entry involved stays valid)"
done

# The monitor flags each broken variant by its own rule plus the later free of the PTE table.
for v in no-tlbi:no-tlbi leaf-tlbi:leaf-tlbi-table no-dsb-before-tlbi:tlbi-before-dsb \
	no-dsb-after-tlbi:tlbi-not-complete tlbi-before-clear:tlbi-before-break; do
	variant=bbm-${v%%:*} rule=${v#*:}
	echo "$out" | grep -A24 "^# seed/remap $variant " | grep -Eq "^# BBM monitor: $((2 * N)) violations: $rule=$N free-parent-not-clean=$N\$"
	ok $? "$name_prefix: seed/remap-$variant: rule $rule once per iteration"
done

# What a QEMU run says about itself, and the two answers.
expect_line '^# emulator: QEMU \(DTB root compatible "linux,dummy-virt"\)$' "the banner says QEMU, from the DTB"
expect_line '^# QEMU TCG caches final translations only: no table \(walk-cache\) entries and never invalid$' \
	"the banner says what QEMU cannot show"
expect_line '^# QEMU: the witnesses of fault-t3,tlb-conflict need a cached table entry' "and so does each affected scenario"
expect_line '^# Q1 \(is the PTE table page leaked .*\): Linux 4\.14: yes, 1 table page\(s\) per remap \('"$((2 * N)) in $((2 * N))"' remaps\); .*Linux 4\.18 on \(pmd_free_pte_page first\): no \(0 in '"$((2 * N))"' remaps\);' \
	"Q1 answers per policy with counts"
expect_line '^# Q2 \(can the PMD table->block change without BBM fault from a stale table pointer\?\): yes, the architecture allows it: the model allows fault-t3,tlb-conflict after seed/remap-linux-4\.14.*; this machine showed a hazard in [0-9]+ of [0-9]+ iterations' \
	"Q2 answers from the model and this machine"

# Documents QEMU's behaviour (not an architecture rule): TCG keeps the final translation of a valid
# page until a TLBI, so a live change without one reads the old page; it has no walk cache, so the
# seed's stale-pointer fault never shows.
name_prefix="QEMU behaviour, documented"
expect_fields 'live/4k-to-2m variant=nobbm' "old=$N verdict=hazard-seen" "QEMU TCG reads the old 4K page every time"
expect_fields 'seed/remap variant=linux-4.14' "new=$N fault-t3=0 verdict=hazard-possible" "QEMU TCG never shows the stale-pointer fault"

# The PUD level needs a whole GiB of RAM: 2 GiB of virt RAM has one.
name_prefix="seed1g with 2 GiB"
boot scenarios-1g --mem 2G -- tests=seed1g,mmu/roundtrip-blocks iters=$N
expect_status 0
expect_result_lines 8
expect_line '^ok [0-9]+ - mmu/roundtrip-blocks$' "the 1G alias runs where a GiB is all RAM"
expect_fields 'seed1g/remap variant=linux-4.14' "allowed=new,fault-t3,tlb-conflict leaked=$((2 * N)) violations=$N" \
	"PUD table->block: PMD and PTE page leaked per remap"
expect_fields 'seed1g/remap variant=linux-5.x' "allowed=new leaked=0 verdict=safe" "pud_free_pmd_page first"
expect_fields 'seed1g/leak variant=linux-4.14-many-va' "leaked=$((2 * N))" "two pages per remap at K VAs"

# The outcome check can fail: a harness bug (markers swapped at classification) on the fixed
# sequence makes the access read "old", which the model forbids; the same sequence without it passes.
name_prefix="inject swap-markers"
boot inject -- tests=inject/swap-markers-* iters=50
expect_status 1
expect_line '^# FAIL tests/scenario\.c:[0-9]+: inject/swap-markers seed-remap-linux-5\.x: outcome old forbidden by the architecture: CPU/emulator erratum or harness bug; 50 of 50 iterations, first at iteration 0$' \
	"fails as forbidden by the architecture, with the outcome, count and first iteration"
expect_line '^not ok 1 - inject/swap-markers-seed-remap-linux-5\.x: FORBIDDEN old seen: 50 of 50$' "the TAP line fails"
expect_result_lines 1
expect_closing_lines 1
name_prefix="inject: the same sequence, no injection"
boot inject-control -- tests=seed/remap-linux-5.x iters=50
expect_status 0
expect_line '^ok 1 - seed/remap-linux-5\.x: safe in 50; leaked 0; violations 0$' "passes"

# A harness error (no table page left) is never an erratum claim: its own status, 4, when alone; a
# finding in the same run keeps status 1.
name_prefix="inject exhaust-pool"
boot inject-pool -- tests=inject/exhaust-pool-* iters=50
expect_status 4
expect_line '^# FAIL tests/scenario\.c:[0-9]+: harness error: inject/exhaust-pool seed-remap-linux-5\.x: 50 of 50 iterations \(first at iteration 0: map 4K at 0x[0-9a-f]+ failed: out of table pages\)$' \
	"says harness error, with the reason"
expect_no_line 'erratum' "claims nothing about the CPU"
expect_line '^not ok 1 - inject/exhaust-pool-seed-remap-linux-5\.x: harness error in 50 of 50$' "the TAP line fails"
expect_result_lines 1
expect_closing_lines 4
name_prefix="inject, both"
boot inject-both -- tests=inject iters=20
expect_status 1

finish
