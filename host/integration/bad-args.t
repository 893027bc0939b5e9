#!/usr/bin/env bash
# Bad boot arguments: a readable message, the list of valid choices, SUMMARY, and status 2.
. "$(dirname "$0")/lib.sh"
cases=(
	"bogus=1|unknown boot argument 'bogus'"
	"iters=12x|'iters=12x' is not a number"
	"verbose=9|out of range: 0 to 3"
	"tests=no-such-test|'no-such-test' matches no test"
	"tests=$(printf 'x%.0s' $(seq 300))|at most 255"
	"exit=sideways|not a valid choice; valid: auto, halt, reset"
	"console=mini|'console=mini': the virt board has no such UART; it has: pl011"
)
plan $((${#cases[@]} * 7))
for c in "${cases[@]}"; do
	arg=${c%%|*} msg=${c#*|}
	name_prefix="'${arg:0:30}'"
	boot bad-args -- "$arg"
	expect_status 2
	expect_line "^Bail out! bad boot arguments: .*$msg" "says what is wrong"
	expect_line '^#   iters=N +iterations per scenario' "lists the valid keys"
	expect_line '^#   selftest/svc-roundtrip ' "lists the valid tests"
	expect_closing_lines 2
done
finish
