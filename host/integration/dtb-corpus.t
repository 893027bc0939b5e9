#!/usr/bin/env bash
# Malformed DTBs, made at test time from QEMU's own virt DTB (-M virt,dumpdtb=) with one edit each
# (fdtput), loaded with -dtb (QEMU passes it in x0). Every one ends with one SUMMARY and one EXIT
# line, last, and says what it could not use. (QEMU puts back /memory and /psci itself, so those
# two cases are the fuzz target's: host/fuzz_intake.c.)
. "$(dirname "$0")/lib.sh"
plan 73
dir="$top/build/logs/dtb-corpus"
rm -rf "$dir" && mkdir -p "$dir"
base="$dir/virt.dtb"
qemu-system-aarch64 -M virt,dumpdtb="$base" -cpu cortex-a72 -m 512M -display none -nic none >/dev/null 2>&1
[ -s "$base" ] || { echo "Bail out! qemu-system-aarch64 -M virt,dumpdtb= made no DTB"; exit 1; }

# variant NAME EDIT...: a copy of the base DTB with fdtput edits (each EDIT one quoted fdtput command line)
variant() {
	local name=$1 edit
	shift
	cp "$base" "$dir/$name.dtb"
	for edit in "$@"; do
		eval "fdtput $edit" || { echo "Bail out! fdtput $edit failed"; exit 1; }
	done
}
uart=/pl011@9000000
variant reg-missing "-d \$dir/reg-missing.dtb $uart reg"
variant reg-unmapped "-t x \$dir/reg-unmapped.dtb $uart reg 0 0x9100000 0 0x1000"
variant mini-compatible "-t s \$dir/mini-compatible.dtb $uart compatible brcm,bcm2835-aux-uart"
variant console-in-ram "-t x \$dir/console-in-ram.dtb $uart reg 0 0x48000000 0 0x1000"
variant no-memory "-d \$dir/no-memory.dtb /memory@40000000 device_type"
# A bus with 3 address cells holding the console: its reg cannot be read into 64 bits.
variant cells3 "-c \$dir/cells3.dtb /bus3 /bus3/serial" "-t i \$dir/cells3.dtb /bus3 '#address-cells' 3" \
	"-t i \$dir/cells3.dtb /bus3 '#size-cells' 2" "-t s \$dir/cells3.dtb /bus3 ranges ''" \
	"-t s \$dir/cells3.dtb /bus3/serial compatible arm,pl011" "-t x \$dir/cells3.dtb /bus3/serial reg 0 0 0x9000000 0 0x1000" \
	"-t s \$dir/cells3.dtb /chosen stdout-path /bus3/serial"
variant huge-bootargs "-t s \$dir/huge-bootargs.dtb /chosen bootargs $(printf 'x%.0s' $(seq 2000))"
variant int-bootargs "-t i \$dir/int-bootargs.dtb /chosen bootargs 0x41414141 0x42424242"
variant gic-unmapped "-t x \$dir/gic-unmapped.dtb /intc@8000000 reg 0 0x8800000 0 0x10000 0 0x8810000 0 0x10000"
# In virt's high PCIe window reads return all ones: a UART that never becomes ready, a GIC that is not one.
variant all-ones "-t x \$dir/all-ones.dtb $uart reg 0x80 0 0 0x1000" \
	"-t x \$dir/all-ones.dtb /intc@8000000 reg 0x90 0 0 0x10000 0xa0 0 0 0x10000"

# A console the firmware cannot use is replaced by the board default, and the banner says why.
for c in \
	"reg-missing|^# console: pl011 at 0x9000000 \(board default; DTB: its reg cannot be translated to a CPU address\)$" \
	"reg-unmapped|^# warning: console pl011 at 0x9100000 faulted (during init|while draining) \(synchronous external abort at 0x91000[0-9a-f]{2}\)" \
	"mini-compatible|^# warning: console mini-uart at 0x9000000 faulted during init \(synchronous external abort at 0x8ffffc4\)" \
	"console-in-ram|^# console: pl011 at 0x9000000 \(board default; DTB: the stdout-path UART's registers overlap the DTB's RAM\)$" \
	"cells3|^# console: pl011 at 0x9000000 \(board default; DTB: its reg cannot be translated to a CPU address\)$" \
	"gic-unmapped|^# watchdog: off: the interrupt controller faulted when started \(arm,cortex-a15-gic\)" \
	"all-ones|^# warning: console pl011 at 0x8000000000 never became ready while draining \(a bounded wait timed out\)" \
	"all-ones|^# watchdog: off: the interrupt controller does not take the timer's enable"; do
	name=${c%%|*} want=${c#*|}
	name_prefix="dtb $name"
	[ "${last:-}" = "$name" ] || boot "dtb-$name" --dtb "$dir/$name.dtb" -- tests=selftest/counter
	last=$name
	expect_status 0
	expect_line "$want" "says what it could not use"
	expect_line '^ok 1 - selftest/counter$' "the run goes on"
	expect_closing_lines 0
done

name_prefix="dtb no-memory"
boot dtb-no-memory --dtb "$dir/no-memory.dtb" -- tests=selftest/counter
expect_status 0
expect_closing_lines 0

# Boot arguments come from the DTB only without -append (no semihosting): the EXIT line carries the status.
name_prefix="dtb huge-bootargs"
boot dtb-huge-bootargs --no-semihosting --dtb "$dir/huge-bootargs.dtb"
expect_line '^Bail out! bad boot arguments: boot arguments are 2000 characters long; at most 1023$' "refused, with the length"
expect_line '^# bootargs: "x{1000,}\.\.\."$' "the echo is cut short visibly"
expect_closing_lines 2

name_prefix="dtb int-bootargs"
boot dtb-int-bootargs --no-semihosting --dtb "$dir/int-bootargs.dtb"
expect_line '^Bail out! bad boot arguments: /chosen/bootargs is not a string \(no terminating NUL\)$' "refused as not a string"
expect_closing_lines 2
# PSCI over HVC where there is no EL2 (virt entered at EL3; QEMU keeps a DTB's /psci only when it
# emulates no PSCI itself): the HVC traps, is caught, and the run halts after its one exit line.
el3="$dir/el3.dtb"
qemu-system-aarch64 -M virt,secure=on,dumpdtb="$el3" -cpu cortex-a72 -m 512M -display none -nic none >/dev/null 2>&1
cp "$el3" "$dir/psci-hvc-el3.dtb"
fdtput -c "$dir/psci-hvc-el3.dtb" /psci
fdtput -t s "$dir/psci-hvc-el3.dtb" /psci compatible arm,psci-1.0
fdtput -t s "$dir/psci-hvc-el3.dtb" /psci method hvc
name_prefix="dtb psci-hvc at EL3"
BOOT_TIMEOUT=6 boot dtb-psci-hvc-el3 --el 3 --no-semihosting --dtb "$dir/psci-hvc-el3.dtb" -- tests=selftest/counter
expect_status 124
expect_line '^# psci: hvc$' "the DTB's conduit is used"
expect_no_line 'PANIC' "the trapping HVC does not panic"
expect_one_exit_then_halt 0

# A structure whose walk never ends in libfdt 1.6.1 (a property length of 0xfffffff4; the fuzz seed
# host/fuzz-seeds/prop-len-wraps.dtb). QEMU's own libfdt has the same flaw, so the blob is copied raw
# into RAM beside QEMU's DTB and passed in x0 (--x0-dtb), not with --dtb. It is refused before any
# query and its 2 MiB window unmapped (outside the 128 MiB the defaults count as RAM: normal-is-ram
# would fail). Without a DTB there are no boot arguments: every test runs, then the CPU halts (no PSCI).
name_prefix="dtb prop-len-wraps"
BOOT_TIMEOUT=30 boot dtb-prop-len-wraps --x0-dtb "$top/host/fuzz-seeds/prop-len-wraps.dtb"
expect_status 124
expect_line "^# dtb: none \(magic found but not usable: a property's length runs past the end of the DTB\); using the virt board defaults\$" \
	"refused before any query, with the reason"
expect_line '^ok [0-9]+ - mmu/normal-is-ram$' "the refused DTB's window is not left mapped as Normal memory"
expect_line '^SUMMARY: [0-9]+ passed, 0 failed, [0-9]+ skipped$' "the whole suite runs on the board defaults"
expect_no_line 'PANIC' "no panic"
expect_one_exit_then_halt 0
finish
