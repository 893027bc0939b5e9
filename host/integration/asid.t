#!/usr/bin/env bash
# Global and non-global pages, ASIDs and the TLBI forms that differ only there (tests/asid.c,
# docs/scenarios.md) on QEMU virt: the model's allowed set for a load under ASID 1 after a BBM whose
# TLBI has the right or the wrong ASID scope (Arm ARM D8.16.3.1 "Global and process-specific
# translation table entries", D8.17.5.4 "TLB maintenance instruction scope"), and the BBM monitor's
# no-tlbi rule exactly when the TLBI missed an ASID that may hold the old entry.
. "$(dirname "$0")/lib.sh"
plan 26
N=200

SAFE="allowed=new violations=0 verdict=safe"
STALE="allowed=new,old violations=$N verdict=hazard-(possible|seen)"
for cpu in cortex-a72 max; do
	name_prefix="asid -cpu $cpu iters=$N"
	boot "asid-$cpu" --cpu $cpu -- tests=asid iters=$N
	expect_status 0
	expect_result_lines 7
	expect_line "^# QEMU TCG tags no translation with an ASID: " "the run says QEMU cannot show another ASID's stale entry"
	expect_no_line 'verdict=(forbidden-seen|harness-error)' "no forbidden outcome, no harness error"
	expect_fields asid/ng-page vale1is-own-asid "$SAFE policy=bbm-asid" "flush_tlb_page (vale1is, the mm's ASID): only new"
	expect_fields asid/ng-page vale1is-other-asid "$STALE" "vale1is of another ASID: the nG entry may stay; no-tlbi"
	expect_fields asid/ng-page switch-away "$STALE" "cached under ASID 1, flushed for ASID 2, back to 1: old allowed"
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
finish
