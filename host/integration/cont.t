#!/usr/bin/env bash
# Contiguous runs (tests/cont.c, docs/scenarios.md) on QEMU virt: the model's allowed set for a
# misprogrammed run (any page's translation, an amalgamation, a TLB conflict abort; Arm ARM
# "Misprogramming the Contiguous bit"), nothing but the new mapping after Linux's contpte fold and
# unfold (BBM of the whole run), and the BBM monitor's cont-misprogrammed rule once per iteration;
# the same for the cont2m group's run of 16 x 2M blocks (tests/cont2m.c; hugetlb's contiguous PMDs).
. "$(dirname "$0")/lib.sh"
plan 24
N=200

for cpu in cortex-a72 max; do
	name_prefix="cont -cpu $cpu iters=$N"
	boot "cont-$cpu" --cpu $cpu -- tests=cont,cont2m iters=$N
	expect_status 0
	expect_result_lines 8
	expect_fields cont/one-page nobbm "allowed=new,old,tlb-conflict,other violations=$((2 * N)) verdict=hazard-(possible|seen)" \
		"a page moved live: any page's translation, an amalgamation or a conflict; live-change and cont-misprogrammed"
	expect_fields cont/one-page bbm "allowed=new,old,tlb-conflict,other violations=$N verdict=hazard-(possible|seen)" \
		"BBM of one page only: the other 15 may still translate it"
	for v in fold unfold; do
		expect_fields cont/$v bbm "allowed=new policy=contpte violations=0 verdict=safe" "contpte with BBM of the run: only new"
	done
	expect_fields cont2m/one-block nobbm "allowed=new,old,tlb-conflict,other violations=$((2 * N)) verdict=hazard-(possible|seen)" \
		"a 2M block of a contiguous run moved live: any block's translation, an amalgamation or a conflict"
	expect_fields cont2m/one-block bbm "allowed=new,old,tlb-conflict,other violations=$N verdict=hazard-(possible|seen)" \
		"BBM of one block only: the other 15 may still translate it"
	for v in fold unfold; do
		expect_fields cont2m/$v bbm "allowed=new policy=hugetlb-cont violations=0 verdict=safe" \
			"hugetlb's clear_flush and rewrite of the 16 blocks: only new"
	done
done
name_prefix="cont -cpu max iters=$N"
echo "$out" | grep -A20 '^# cont/one-page nobbm ' | grep -qx "# BBM monitor: $((2 * N)) violations: live-change=$N cont-misprogrammed=$N"
ok $? "$name_prefix: one live-change and one cont-misprogrammed per iteration"
echo "$out" | grep -A20 '^# cont2m/one-block nobbm ' | grep -qx "# BBM monitor: $((2 * N)) violations: live-change=$N cont-misprogrammed=$N"
ok $? "$name_prefix: a 2M block moved live: one live-change and one cont-misprogrammed per iteration"
finish
