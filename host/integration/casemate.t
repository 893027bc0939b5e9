#!/usr/bin/env bash
# trace=casemate (docs/casemate.md): `# cm` lines only when asked, one trace per scenario row and
# traced iteration, every record in casemate-check 3.0.2's grammar, writes, barriers and TLBIs all
# there, and scripts/casemate-extract's files and errors. With CASEMATE_CHECK naming a built
# casemate-check, every trace is checked by Casemate against bbmprobe's monitor
# (scripts/casemate-crosscheck and the divergence table in docs/casemate.md); without, that is skipped.
. "$(dirname "$0")/lib.sh"
plan 29
extract="$top/scripts/casemate-extract"
dir="$top/build/logs/it-casemate"
rm -rf "$dir"
mkdir -p "$dir"

name_prefix="no trace"
boot casemate-off -- tests=seed/remap-linux-4.14 iters=2
expect_status 0
expect_no_line '^# cm' "no '# cm' line without trace=casemate"

# The default suite with 2 GiB (the seed1g rows run too), traced.
name_prefix="trace=casemate"
boot casemate-all --mem 2G -- iters=2 trace=casemate
all_log=$log
expect_status 0
expect_consistent_tap
# Every row but the ttbr1 group's, which says why it has none (docs/casemate.md, divergence 5).
results=$(echo "$out" | grep '^# result ' | grep -vc ' scenario=ttbr1/')
begins=$(echo "$out" | grep -c '^# cm-trace begin ')
untraced=$(echo "$out" | grep -c "^# trace=casemate: no trace for a TTBR1 row ")
[ "$results" -ge 30 ] && [ "$begins" = "$results" ] && [ "$untraced" = 10 ]
ok $? "$name_prefix: one trace per scenario row outside TTBR1 ($begins traces, $results result lines, $untraced TTBR1 rows)"
expect_no_line '^# cm-trace begin .* iter=[1-9]' "only the first iteration is traced"
# Each trace sits inside its own test: begin after the previous TAP line, and its test's result after it.
order=$(echo "$out" | awk '/^# cm-trace begin /{n=$4}
	/^# result /{split($3,s,"="); split($4,v,"="); if (n != s[2] "-" v[2] && s[2] !~ /^ttbr1\//) bad++; n=""}
	END{print bad+0}')
[ "$order" = 0 ]
ok $? "$name_prefix: every trace is followed by its own scenario's result line ($order are not)"
list=$("$extract" "$all_log" --list --check-syntax 2>&1)
ok $? "$name_prefix: casemate-extract --check-syntax accepts every record"
[ "$(echo "$list" | wc -l)" = "$begins" ]
ok $? "$name_prefix: casemate-extract lists every trace"
"$extract" "$all_log" -o "$dir/all" >/dev/null
files=$(ls "$dir/all" | wc -l)
[ "$files" = "$begins" ]
ok $? "$name_prefix: -o writes one file per trace ($files)"
! grep -ql $'\r' "$dir"/all/*.cm && ! grep -q '^# cm' "$dir"/all/*.cm && ! grep -qv '^(' "$dir"/all/*.cm
ok $? "$name_prefix: the files hold bare records: no '# cm' prefix, no carriage return"
recs=$(cat "$dir"/all/*.cm)
for want in '^\(mem-init .*\(size 0x1000\)' '^\(mem-write .*\(mem-order plain\)' \
	'^\(sysreg-write .*\(sysreg ttbr0_el2\)' \
	'^\(mem-free ' '^\(barrier .* dsb \(kind ishst\)' '^\(barrier .* dsb \(kind ish\)' '^\(barrier .* isb ' \
	'^\(tlbi .* vale2is \(value 0x' '^\(tlbi .* vae2is \(value 0x' '^\(tlbi .* alle2is '; do
	echo "$recs" | grep -Eq -- "$want"
	ok $? "$name_prefix: the traces have records matching $want"
done
# The block write the monitor flags in the seed sequence is in its trace, with the same value.
example='s/^# BBM monitor example: .* new=0x0*\([0-9a-f]*\).*/\1/p'
new=$(echo "$out" | sed -n "/^# cm-trace end seed\/remap-linux-4.14 /,/^# result /$example" | head -1)
[ -n "$new" ] && grep -q "^(mem-write .*(value 0x$new) " "$dir/all/seed_remap-linux-4.14@0.cm"
ok $? "$name_prefix: the write the BBM monitor flags in seed/remap-linux-4.14 (0x$new) is in its trace"

name_prefix="trace-iters=2"
boot casemate-iters --  tests=seed/remap-linux-4.14 iters=3 trace=casemate trace-iters=2
expect_status 0
got=$("$extract" "$log" --list --check-syntax 2>&1 | tr '\n' ';')
echo "$got" | grep -Eq '^seed/remap-linux-4\.14 0 [0-9]+;seed/remap-linux-4\.14 1 [0-9]+;$'
ok $? "$name_prefix: two traces, iterations 0 and 1, each with ids from 0 ($got)"

# A log cut inside a trace, or a record outside the grammar, is an error, not a shorter trace.
name_prefix="casemate-extract"
grep -v '^# cm-trace end seed/remap-linux-4.14 ' "$all_log" >"$dir/cut.log"
! "$extract" "$dir/cut.log" --list >/dev/null 2>&1
ok $? "$name_prefix: a trace without its end line fails"
sed '0,/(kind ishst)/s/(kind ishst)/(kind osh)/' "$all_log" >"$dir/bad.log"
! "$extract" "$dir/bad.log" --list --check-syntax >/dev/null 2>&1
ok $? "$name_prefix: a record outside Casemate's grammar fails --check-syntax"

name_prefix="casemate-check"
if [ -n "${CASEMATE_CHECK:-}" ] && [ -x "$CASEMATE_CHECK" ]; then
	cross=$("$top/scripts/casemate-crosscheck" "$all_log" --casemate-check "$CASEMATE_CHECK" 2>&1)
	ok $? "$name_prefix: Casemate agrees with bbmprobe's monitor on every trace but the listed divergences"
	echo "$cross" | sed 's/^/# /'
	# The check can fail: without its row in the divergence table, the fixed sequence is a mismatch.
	printf '## Known divergences\n\n| `none/none` | `! none` | 0 | - |\n' >"$dir/empty.md"
	tr -d '\r' <"$all_log" |
		sed -n '/^# cm-trace begin seed\/remap-linux-5\.x iter=0$/,/^# result scenario=seed\/remap variant=linux-5\.x /p' \
		>"$dir/fixed.log"
	! "$top/scripts/casemate-crosscheck" "$dir/fixed.log" --casemate-check "$CASEMATE_CHECK" \
		--divergences "$dir/empty.md" >"$dir/mismatch.out" 2>&1 &&
		grep -q '^MISMATCH seed/remap-linux-5.x: ' "$dir/mismatch.out"
	ok $? "$name_prefix: without the table, seed/remap-linux-5.x is reported as a mismatch"
else
	echo "# CASEMATE_CHECK not set: the cross-check with Casemate is skipped (docs/casemate.md)"
	ok 0 "# SKIP CASEMATE_CHECK not set: cross-check with casemate-check skipped"
	ok 0 "# SKIP CASEMATE_CHECK not set: cross-check with casemate-check skipped"
fi
finish
