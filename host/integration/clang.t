#!/usr/bin/env bash
# The image built by clang/lld runs the default suite too.
. "$(dirname "$0")/lib.sh"
build="$top/build/clang"
plan 8
name_prefix="clang build"
if [ ! -f "$build/kernel8.img" ]; then
	for i in 1 2 3 4 5 6 7 8; do echo "ok $i - # SKIP build/clang/kernel8.img not built (make CC=clang image)"; done
	exit 0
fi
boot clang -- iters=100
expect_status 0
expect_consistent_tap
expect_result_lines 57 # 31 seed and live rows, 4 cont rows, 4 cont2m rows, 8 asid rows, 10 ttbr1 rows; bbml2 skips (FEAT_BBM level 0)
expect_closing_lines 0
finish
