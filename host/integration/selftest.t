#!/usr/bin/env bash
# Selection, listing, the exception machinery's own group, and the nested-exception panic.
. "$(dirname "$0")/lib.sh"
plan 21
name_prefix="tests=selftest"
boot selftest -- tests=selftest verbose=2
expect_status 0
for t in counter fault-expected fault-unexpected svc-roundtrip; do
	expect_line "^ok [0-9]+ - selftest/$t\$" "selftest/$t passes"
done
expect_line '^# EXCEPTION: synchronous, current EL with SP_ELx \(vector 4, unexpected\)$' "the provoked fault is reported"
expect_line '^#   EC 0x25 data abort \(same EL\): translation fault \(FSC 0x04\), level 0$' "with EC and fault status decoded"
expect_line '^#   ESR 0x0000000096000004  FAR 0x0000ff8000000000 \(valid\)  access: read$' "with ESR, FAR and its validity"
expect_line '^#   backtrace \(elf addresses\): 0x[0-9a-f]+( <- 0x[0-9a-f]+)+' "with a backtrace"
expect_closing_lines 0

name_prefix="list"
boot list -- list
expect_status 0
expect_line '^#   selftest/nested-panic +.*\[runs only when named exactly\]' "marks tests that run only when named"
expect_no_line '^ok ' "runs nothing"

name_prefix="nested panic"
boot panic -- tests=selftest/nested-panic
expect_status 3
expect_line '^# PANIC: exception inside the exception handler; stopping.$' "prints a panic line"
expect_line '^not ok 1 - selftest/nested-panic$' "fails the running test"
expect_closing_lines 3
finish
