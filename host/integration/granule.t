#!/usr/bin/env bash
# granule=16k/64k (docs/scenarios.md "Granules"): the boot map and the MMU at that granule
# (TCR_EL1.TG0), the seed and live rows at its page and smallest block (16K + 32M, 64K + 512M),
# with the same allowed sets, leaks and monitor verdicts as at 4K; the rows whose shape is 4K's
# skip with the reason. cortex-a72 has no 16K granule (ID_AA64MMFR0_EL1.TGran16 = 0): a usage
# error, status 2. Nothing here depends on what QEMU did: the verdicts are checked against each
# line's own counts and the model's allowed set (expect_result_lines).
. "$(dirname "$0")/lib.sh"
plan 138
N=50

# Per row: scenario variant policy leaked-per-iteration violations-per-iteration allowed.
# These are the 4K values (host/test_granules.c checks the seed's at every granule on the host).
ROWS='seed/leak linux-4.14-same-va linux-4.14 1 1 new,fault-t3,tlb-conflict
seed/leak linux-4.14-many-va linux-4.14 1 1 new,fault-t3,tlb-conflict
seed/leak linux-4.16-same-va refuse-live 0 0 fault-t3
seed/leak linux-4.16-many-va refuse-live 0 0 fault-t3
seed/leak linux-5.x-same-va linux-fixed 0 0 new
seed/leak linux-5.x-many-va linux-fixed 0 0 new
seed/remap linux-4.14 linux-4.14 1 1 new,fault-t3,tlb-conflict
seed/remap linux-4.14-prfm linux-4.14 1 1 new,fault-t3,tlb-conflict
seed/remap linux-4.14-at linux-4.14 1 1 new,fault-t3,tlb-conflict
seed/remap linux-4.18 bbm-seq 0 0 new
seed/remap linux-5.x linux-fixed 0 0 new
seed/remap linux-5.x-poison linux-fixed 0 0 new
seed/remap-leafunmap linux-4.14 linux-4.14 1 1 new,fault-t3,tlb-conflict
seed/remap-leafunmap linux-5.x linux-fixed 0 0 new
seed/remap bbm-no-tlbi bbm-seq 0 2 new,tlb-conflict,poison
seed/remap bbm-leaf-tlbi bbm-seq 0 2 new,tlb-conflict,poison
seed/remap bbm-tlbi-before-clear bbm-seq 0 2 new,tlb-conflict,poison
live/4k-to-2m nobbm linux-4.14 1 1 new,old,tlb-conflict
live/4k-to-2m bbm replace-bbm 0 0 new
live/4k-to-2m tlbi linux-4.14 1 1 new'

# One point per row: policy, leaks and violations exactly, the allowed set, and a verdict of
# safe exactly where the model allows one outcome.
expect_rows() { # [PREFIX]: only the rows whose scenario starts with it
	local scn var pol leak viol allowed verdict
	while read -r scn var pol leak viol allowed; do
		[[ "$scn" = "${1:-}"* ]] || continue
		verdict='hazard-(possible|seen)'
		[[ "$allowed" = *,* ]] || verdict=safe
		expect_fields "$scn" "$var" "policy=$pol leaked=$((leak * N)) violations=$((viol * N)) allowed=$allowed verdict=$verdict" \
			"leaked $leak and $viol violation(s) per iteration, allowed $allowed (as at 4K)"
	done <<<"$ROWS"
}

# The rows that skip, with their reason: 1 point.
expect_granule_skips() { # GRANULE_NAME
	echo "$out" | grep -Eq "^ok [0-9]+ - live/oa-change-bbm # SKIP $1 granule: the old block B would need a second block of RAM" &&
		echo "$out" | grep -Eq "^ok [0-9]+ - live/2m-to-4k-bbm # SKIP $1 granule: "
	ok $? "$name_prefix: the live rows needing a second RAM block skip with the reason"
}

for run in "cortex-a72:64k:64K:512:1:" "max:64k:64K:512:1:tests=seed,live" "max:16k:16K:32:0:tests=seed,live"; do
	IFS=: read -r cpu arg gname block start tests <<<"$run"
	name_prefix="granule=$arg -cpu $cpu${tests:+ $tests} iters=$N"
	boot "granule-$arg-$cpu" --cpu "$cpu" -- granule=$arg $tests iters=$N
	expect_clean_run
	expect_line "^# granule: $gname \(TCR_EL1.TG0\): $gname pages, blocks of $block MiB at level 2, walks from level $start$" \
		"the banner says the run is at $gname, $block MiB blocks, walks from level $start"
	expect_line '^# page tables: pool of [0-9]+ pages \(512 KiB\), [0-9]+ used by the boot map$' \
		"the pool keeps its storage, in pages of the granule"
	expect_line "^# sequence: map $gname -> B; load \(B\); unmap $gname: W\(pte\)=0; dsb ishst; tlbi vaae1is; dsb ish; isb; re-walk: ldr \(must fault at L3\); table->block by linux-4.14; then one load$" \
		"the seed's sequence maps and unmaps one $gname page"
	expect_rows
	expect_granule_skips "$gname"
done
# RAM that does not end on a 64K boundary (512 MiB less 32 KiB): its partial last page stays
# unmapped, never a Normal mapping of what lies past RAM.
name_prefix="granule=64k --mem 524256K"
boot granule-64k-oddram --cpu cortex-a72 --mem 524256K -- granule=64k tests=mmu
expect_status 0
expect_line '^ok [0-9]+ - mmu/normal-is-ram$' "every Normal leaf is RAM by the DTB"
expect_line '^ok [0-9]+ - mmu/boot-map$' "RAM's whole 64K pages are mapped Normal, to its last one"

# raspi3b (Cortex-A53: 4K and 64K, entry at EL2, four CPUs from the spin table): the seed at 64K
# under the first GiB's all-RAM 512M block, and the secondaries' MMUs on the 64K tables.
name_prefix="granule=64k raspi3b tests=seed,smp iters=$N"
boot granule-64k-rpi3 --board rpi3 -- granule=64k tests=seed,smp iters=$N
expect_status 0
expect_no_line '^not ok ' "every test passes"
expect_rows seed/
expect_line '^ok [0-9]+ - smp/online: 3 secondaries checked' "the three secondaries run on the 64K tables"

# scripts/results (labs) records the granule of each run from the banner.
name_prefix="scripts/results"
got=$("$top/scripts/results" --csv - "$top/build/logs/it-granule-64k-cortex-a72.log" "$top/build/logs/it-granule-16k-max.log" |
	python3 -c 'import csv, sys; print(" ".join(sorted({r["granule"] for r in csv.DictReader(sys.stdin)})))')
[ "$got" = "16K 64K" ]
ok $? "$name_prefix: the records' granule column says 16K and 64K (got '$got')"

# The first run was the default suite: the 4K-only rows say why they skip there.
boot granule-64k-a72-default --cpu cortex-a72 -- granule=64k tests=seed1g,mmu iters=$N
name_prefix="granule=64k -cpu cortex-a72 tests=seed1g,mmu"
expect_status 0
expect_line '^ok [0-9]+ - seed1g/remap-linux-4.14 # SKIP 64K granule: no level-1 block without FEAT_LPA' \
	"seed1g skips: no level-1 block at 64K"
expect_line '^ok [0-9]+ - mmu/roundtrip-blocks # SKIP 64K granule: ' "the 4K round trips skip with the reason"
expect_line '^ok [0-9]+ - mmu/boot-map$' "the boot map at 64K: RAM Normal, devices Device, per walk, AT and load"
expect_line '^ok [0-9]+ - mmu/sweep-clean$' "the live 64K tree has no leaked or dangling page"

# With RAM enough for two 1 GiB windows the cont2m rows would run at 16K: they are written for 16 x 2M
# runs, so they skip with the reason (before, each iteration was a harness error: status 4).
boot granule-16k-cont2m --cpu max --mem 4G -- granule=16k tests=cont2m iters=$N
name_prefix="granule=16k -cpu max --mem 4G tests=cont2m"
expect_status 0
expect_line '^ok 4 - cont2m/unfold-bbm # SKIP 16K granule: the cont2m rows are written for 16 x 2M runs' \
	"the block-run rows skip with the reason, every one"

# cortex-a72 lacks the 16K granule: a usage error that names it, before any test runs.
name_prefix="granule=16k -cpu cortex-a72"
boot granule-16k-a72 --cpu cortex-a72 -- granule=16k
expect_status 2
expect_line '^Bail out! bad boot arguments: granule=16k: this CPU does not implement the 16K translation granule \(ID_AA64MMFR0_EL1 0x[0-9a-f]+\); it has: 4k 64k$' \
	"the message names the missing granule and those the CPU has"
expect_line '^# mmu: .* granules 4K:yes 16K:no 64K:yes' "the banner shows no 16K granule"
expect_line '^# granule: 4K \(TCR_EL1.TG0\)' "the run stays at 4K"
expect_closing_lines 2

# A pool with no room for the map at 64K (make PT_POOL_PAGES=8: 32 KiB, no 64K table page): a usage
# error that says so, after a run that stayed at 4K.
name_prefix="granule=64k PT_POOL_PAGES=8"
pool8=${BBMPROBE_POOL8_BUILD:-$top/build/gcc-pool8}
if [ -f "$pool8/kernel8.img" ]; then
	build=$pool8 boot granule-64k-pool8 -- granule=64k
	expect_status 2
	expect_line '^Bail out! bad boot arguments: granule=64k: the page-table pool cannot hold the boot map at this granule \(out of table pages\); rebuild with a larger PT_POOL_PAGES$' \
		"the message names the pool"
else
	for i in 1 2; do ok 0 "# SKIP $pool8/kernel8.img not built (make PT_POOL_PAGES=8 image)"; done
fi
# make sdcard's host check (build/host/bootargs-check) runs the firmware's parser: the same values pass.
name_prefix="bootargs-check granule="
check=$top/build/host/bootargs-check
if [ -x "$check" ] && [ -f "$build/tests.list" ]; then
	"$check" --tests "$build/tests.list" "granule=16k" && "$check" --tests "$build/tests.list" "granule=64k"
	ok $? "$name_prefix: accepts 16k and 64k"
	msg=$("$check" --tests "$build/tests.list" "granule=8k" 2>&1)
	[ $? = 2 ] && [[ "$msg" = *"'granule=8k' is not a valid choice; valid: 4k, 16k, 64k"* ]]
	ok $? "$name_prefix: refuses 8k with the firmware's message and status 2"
else
	for i in 1 2; do ok 0 "# SKIP $check or $build/tests.list not built"; done
fi
finish
