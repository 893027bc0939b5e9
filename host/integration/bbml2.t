#!/usr/bin/env bash
# FEAT_BBM level 2 shapes (tests/bbml2.c, docs/scenarios.md): a live block's size changed without a
# break, same output addresses and attributes. On QEMU -cpu max (FEAT_BBM level 2, 2 GiB so the 1G
# shapes run) every shape runs, the model allows new or a TLB conflict abort (never old, never an
# amalgamation at level 2), the monitor counts the changes as permitted, and the "# bbml2:" line
# sums the result lines. On cortex-a72 (level 0) every shape is not applicable. Nothing here
# depends on what QEMU did, except the block that says so.
. "$(dirname "$0")/lib.sh"
plan 30
N=200


name_prefix="bbml2 -cpu max iters=$N"
boot bbml2-max --cpu max --mem 2G -- tests=bbml2 iters=$N
expect_status 0
expect_consistent_tap
expect_no_line '^not ok ' "every shape passes"
expect_result_lines 6
expect_line '^# mmu: FEAT_BBM level 2, ' "the banner reads FEAT_BBM level 2 from ID_AA64MMFR2_EL1"

# Per shape: the architecture's set, what leaks, what the monitor says (permitted, not violations).
for s in split-2m:nobbm:0:1 split-2m:touch:0:1 split-2m:nt:0:2 fold-2m:nobbm:$N:1 split-1g:nobbm:0:1 fold-1g:nobbm:$N:1; do
	IFS=: read -r fam var leaked permitted <<<"$s"
	line=$(result "bbml2/$fam" "$var")
	[ "$(field "$line" allowed)" = new,tlb-conflict ] && [ "$(field "$line" policy)" = bbml2 ] &&
		[ "$(field "$line" leaked)" = "$leaked" ] && [ "$(field "$line" violations)" = 0 ] &&
		[[ "$(field "$line" verdict)" =~ ^hazard-(possible|seen)$ ]]
	ok $? "$name_prefix: bbml2/$fam-$var: allowed new,tlb-conflict, leaked $leaked, no violation"
	[ -n "$line" ] || echo "# no result line for bbml2/$fam-$var"
	want="^# BBM monitor: $((permitted * N)) live changes of block size permitted by FEAT_BBM level 2 (not violations)$"
	echo "$out" | grep -A20 "^# bbml2/$fam $var " | grep -q "$want"
	ok $? "$name_prefix: bbml2/$fam-$var: the monitor counts $permitted permitted change(s) per iteration"
done
expect_line '^# FEAT_BBM: the change keeps the output address and attributes, only the block size changes: permitted without a break from FEAT_BBM level 1 \(this CPU: level 2\)' \
	"the nT sequence needs only level 1 (model)"
expect_line '^# witness tlb-conflict: L2\[[0-9]+\]=0x[0-9a-f]+ \(table 0x[0-9a-f]+\) from memory and L2 block 0x[0-9a-f]+ from the TLB' \
	"the conflict witness: the new table and the stale block"

# The one line per run: its counts are the sums of the result lines, and noabort says whether they are 0.
bl=$(echo "$out" | grep -E '^# bbml2: level=')
shapes=fold-1g-nobbm,fold-2m-nobbm,split-1g-nobbm,split-2m-nobbm,split-2m-nt,split-2m-touch
[[ "$bl" =~ ^'# bbml2: level=2 noabort='(yes|no)' shapes='$shapes' iterations='$((6 * N))' conflict_aborts='[0-9]+' stale='[0-9]+' skipped=0'$ ]]
ok $? "$name_prefix: one '# bbml2:' line with level 2, the six shapes and $((6 * N)) iterations"
[ -n "$bl" ] || echo "# no bbml2 line"
sums=$(echo "$out" | awk '/^# result scenario=bbml2\// {
	for (i = 3; i <= NF; i++) { split($i, p, "="); kv[p[1]] = p[2] }
	c += kv["tlb-conflict"]; s += kv["n"] - kv["new"] - kv["tlb-conflict"] - kv["harness-errors"] }
	END { print c + 0, s + 0 }')
read -r want_c want_s <<<"$sums"
want_noabort=yes
[ "$want_c" = 0 ] && [ "$want_s" = 0 ] || want_noabort=no
[ "$(field "$bl" conflict_aborts)" = "$want_c" ] && [ "$(field "$bl" stale)" = "$want_s" ] &&
	[ "$(field "$bl" noabort)" = "$want_noabort" ]
ok $? "$name_prefix: conflict_aborts=$want_c stale=$want_s noabort=$want_noabort, from the result lines"
[ "$(echo "$out" | grep -c '^# bbml2: level=')" = 1 ]
ok $? "$name_prefix: exactly one bbml2 line"

# What QEMU cannot show, said in the run.
expect_line '^# bbml2: QEMU TCG never raises a TLB conflict abort' "the run says QEMU never raises a conflict abort"

name_prefix="bbml2 cortex-a72"
boot bbml2-a72 -- tests=bbml2 iters=$N
expect_status 0
[ "$(echo "$out" | grep -cE '^ok [0-9]+ - bbml2/.* # SKIP FEAT_BBM level 0, the row needs [12] \(ID_AA64MMFR2_EL1\.BBM\): not applicable$')" = 6 ]
ok $? "$name_prefix: every shape is not applicable at FEAT_BBM level 0 (SKIP with the reason)"
expect_result_lines 0
expect_line '^# bbml2: level=0 noabort=n/a shapes=none iterations=0 conflict_aborts=0 stale=0 skipped=6$' \
	"the bbml2 line says not applicable"
finish
