#!/usr/bin/env bash
# Global and non-global pages, ASIDs and the TLBI forms that differ only there (tests/asid.c,
# docs/scenarios.md) on QEMU virt: the model's allowed set for a load under ASID 1 after a BBM whose
# TLBI has the right or the wrong ASID scope (Arm ARM D8.16.3.1 "Global and process-specific
# translation table entries", D8.17.5.4 "TLB maintenance instruction scope"), and the BBM monitor's
# no-tlbi rule exactly when the TLBI missed an ASID that may hold the old entry. Then the ttbr1 group
# (tests/ttbr1.c): kernel-style global pages in TTBR1's space next to TTBR0's ASIDs, a kernel PTE
# table freed with vaae1is or vae1is of one ASID, and nG changed live or with BBM (docs/model.md
# rule 6d: a global and a non-global entry for one VA may both hit, a TLB conflict).
. "$(dirname "$0")/lib.sh"
plan 62
N=200

SAFE="allowed=new violations=0 verdict=safe"
STALE="allowed=new,old violations=$N verdict=hazard-(possible|seen)"
for cpu in cortex-a72 max; do
	name_prefix="asid -cpu $cpu iters=$N"
	boot "asid-$cpu" --cpu $cpu -- tests=asid iters=$N
	expect_status 0
	expect_result_lines 8
	expect_line "^# QEMU TCG tags no translation with an ASID: " "the run says QEMU cannot show another ASID's stale entry"
	expect_no_line 'verdict=(forbidden-seen|harness-error)' "no forbidden outcome, no harness error"
	expect_fields asid/ng-page vale1is-own-asid "$SAFE policy=bbm-asid" "flush_tlb_page (vale1is, the mm's ASID): only new"
	expect_fields asid/ng-page vale1is-other-asid "$STALE" "vale1is of another ASID: the nG entry may stay; no-tlbi"
	expect_fields asid/ng-page switch-away "$STALE" "cached under ASID 1, flushed for ASID 2, back to 1: old allowed"
	expect_fields asid/ng-page switch-away-vaale1is "$SAFE" "the same switch away with vaale1is: every ASID's copy goes"
	expect_fields asid/ng-page aside1is "$SAFE" "flush_tlb_mm (aside1is) removes the ASID's nG entry"
	expect_fields asid/global-page vae1is-other-asid "$SAFE" "a by-VA TLBI reaches global entries whatever the ASID"
	expect_fields asid/global-page vaale1is "$SAFE" "flush_tlb_kernel_range (vaale1is): only new"
	expect_fields asid/global-page aside1is "$STALE" "aside1is leaves global entries: old allowed; no-tlbi"
done

name_prefix="asid -cpu max iters=$N"
echo "$out" | grep -A20 '^# asid/ng-page switch-away ' | grep -qx "# BBM monitor: $N violations: no-tlbi=$N"
ok $? "$name_prefix: one no-tlbi per iteration when the TLBI missed ASID 1"
expect_line '^# sequence: TTBR0_EL1.ASID=1; isb; map 4K -> B, nG; load \(B\); TTBR0_EL1.ASID=2; isb; W\(pte\)=0; dsb ishst; tlbi vale1is ASID 2; dsb ish; isb; W\(pte\)=A.s page; dsb ishst; isb; TTBR0_EL1.ASID=1; isb; then one load$' \
	"switch-away prints its sequence"
CONFLICT="allowed=new,tlb-conflict verdict=hazard-(possible|seen)"
for cpu in cortex-a72 max; do
	name_prefix="ttbr1 -cpu $cpu iters=$N"
	boot "ttbr1-$cpu" --cpu $cpu -- tests=ttbr1 iters=$N
	expect_status 0
	expect_result_lines 10
	expect_line "^# QEMU TCG's tlbi aside1is empties its whole TLB, global \\(TTBR1\\) entries too" \
		"the run says QEMU cannot show the global entry aside1is leaves"
	expect_no_line 'verdict=(forbidden-seen|harness-error)' "no forbidden outcome, no harness error"
	expect_line '^# ttbr1/kernel-page vaale1is .*probe VA 0xffff0080[0-9a-f]{8}$' "the kernel page is in TTBR1's range"
	expect_fields ttbr1/kernel-page vaale1is "$SAFE policy=bbm-asid" "flush_tlb_kernel_range (vaale1is): only new"
	expect_fields ttbr1/kernel-page vale1is-other-asid "$SAFE" "vale1is of another ASID reaches the global leaf"
	expect_fields ttbr1/kernel-page aside1is "$STALE" "aside1is (flush_tlb_mm) leaves the global entry; no-tlbi"
	expect_fields ttbr1/kernel-page asid-switch "$STALE" "a TTBR0 ASID switch leaves TTBR1's global entry"
	expect_fields ttbr1/kernel-pgtable vaae1is "$SAFE policy=pgtable-asid" "__flush_tlb_kernel_pgtable (vaae1is): only new"
	expect_fields ttbr1/kernel-pgtable vae1is-running-asid \
		"allowed=new,tlb-conflict,poison violations=$((2 * N)) verdict=hazard-(possible|seen)" \
		"vae1is of the running ASID: ASID 1's table entry survives into a freed page"
	expect_fields ttbr1/ng-to-global live "$CONFLICT violations=$N" "nG -> global live: two entries may hit; live-change"
	expect_fields ttbr1/ng-to-global bbm "$SAFE policy=ng-bbm" "nG -> global with BBM: only new"
	expect_fields ttbr1/global-to-ng live "$CONFLICT violations=0" "global -> nG live: a conflict allowed, Linux permits it"
	expect_fields ttbr1/global-to-ng bbm "$SAFE" "global -> nG with BBM: only new"
done
echo "$out" | grep -A20 '^# ttbr1/kernel-pgtable vae1is-running-asid ' |
	grep -qx "# BBM monitor: $((2 * N)) violations: no-tlbi=$N free-parent-not-clean=$N"
ok $? "$name_prefix: the freed kernel table: no-tlbi and free-parent-not-clean once per iteration"
echo "$out" | grep -A20 '^# ttbr1/ng-to-global live ' | grep -qx "# BBM monitor: $N violations: live-change=$N"
ok $? "$name_prefix: nG -> global live: one live-change per iteration"
finish
