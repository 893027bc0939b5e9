#!/usr/bin/env bash
# Contiguous runs (tests/cont.c, docs/scenarios.md) on QEMU virt: the model's allowed set for a
# misprogrammed run (any page's translation, an amalgamation, a TLB conflict abort; Arm ARM
# "Misprogramming the Contiguous bit"), nothing but the new mapping after Linux's contpte fold and
# unfold (BBM of the whole run), and the BBM monitor's cont-misprogrammed rule once per iteration.
. "$(dirname "$0")/lib.sh"
plan 15
N=200

for cpu in cortex-a72 max; do
	name_prefix="cont -cpu $cpu iters=$N"
	boot "cont-$cpu" --cpu $cpu -- tests=cont iters=$N
	expect_status 0
	expect_result_lines 4
	expect_fields cont/one-page nobbm "allowed=new,old,tlb-conflict,other violations=$((2 * N)) verdict=hazard-(possible|seen)" \
		"a page moved live: any page's translation, an amalgamation or a conflict; live-change and cont-misprogrammed"
	expect_fields cont/one-page bbm "allowed=new,old,tlb-conflict,other violations=$N verdict=hazard-(possible|seen)" \
		"BBM of one page only: the other 15 may still translate it"
	for v in fold unfold; do
		expect_fields cont/$v bbm "allowed=new policy=contpte violations=0 verdict=safe" "contpte with BBM of the run: only new"
	done
done
name_prefix="cont -cpu max iters=$N"
echo "$out" | grep -A20 '^# cont/one-page nobbm ' | grep -qx "# BBM monitor: $((2 * N)) violations: live-change=$N cont-misprogrammed=$N"
ok $? "$name_prefix: one live-change and one cont-misprogrammed per iteration"
finish
