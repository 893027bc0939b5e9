#!/usr/bin/env bash
# Boards no board file knows: device trees whose root compatible fdtput renamed. Each must give full
# output from its DTB alone, and a tree with no drivable console must not write anywhere.
. "$(dirname "$0")/lib.sh"
plan 51

# renamed SRC NAME COMPATIBLE: a copy of SRC with another root compatible; prints its path.
renamed() {
	local f="$top/build/logs/it-$2.dtb"
	cp "$1" "$f" && fdtput -t s "$f" / compatible "$3" && echo "$f"
}

# QEMU virt's own tree (PL011) under an unknown name: the generic board, not the virt board file.
name_prefix="unknown board, PL011"
virt=$(virt_dtb generic-virt)
dtb=$(renamed "$virt" generic-pl011 acme,unknown-pl011-board)
ok $? "$name_prefix: fdtput renames QEMU virt's DTB"
boot generic-pl011 --dtb "$dtb" -- tests=selftest,mmu
expect_status 0
expect_line '^# board: generic \(no board file for "acme,unknown-pl011-board"; all from the DTB\), model: linux,dummy-virt$' \
	"generic board"
expect_line '^# console: pl011 at 0x9000000 \(/pl011@9000000\)$' "PL011 from stdout-path"
expect_line '^# memory: 0x40000000-0x5fffffff \(512 MiB\)$' "memory from the DTB"
expect_line '^ok [0-9]+ - mmu/boot-map$' "the console window and RAM are mapped from the DTB alone"
expect_closing_lines 0

# The same with stdout-path gone and only QEMU's serial0 alias left (U-Boot's fallback too).
name_prefix="unknown board, serial0 alias only"
dtb=$(renamed "$virt" generic-alias acme,unknown-alias-board) && fdtput -d "$dtb" /chosen stdout-path &&
	[ "$(fdtget "$dtb" /aliases serial0)" = /pl011@9000000 ]
ok $? "$name_prefix: fdtput removes stdout-path, the alias names the PL011"
boot generic-alias --dtb "$dtb" -- tests=selftest/counter
expect_status 0
expect_line '^# console: pl011 at 0x9000000 \(/pl011@9000000, the serial0 alias: no stdout-path\)$' "PL011 through the alias"

# A Cadence console (the zcu102 kernel DTB renamed) and an 8250 one (npcm845-evb's, renamed).
for c in "zcu102|$top/build/deps/dtbs/zynqmp-zcu102-rev1.0.dtb|cdns at 0xff000000" \
	"npcm845|$build/npcm845-evb.dtb|uart8250 at 0xf0000000"; do
	IFS='|' read -r board src console <<<"$c"
	name_prefix="unknown board, $board's UART"
	dtb=$(renamed "$src" "generic-$board" "acme,unknown-$board-like")
	ok $? "$name_prefix: fdtput renames the DTB"
	boot "generic-$board" --board "$board" --dtb "$dtb" -- tests=selftest
	expect_status 0
	expect_line "^# board: generic \\(no board file for \"acme,unknown-$board-like\"; all from the DTB\\)" "generic board"
	expect_line "^# console: $console " "console from stdout-path"
	expect_closing_lines 0
done

# No console the firmware can drive (stdout-path gone, the UART's compatible unknown): with semihosting
# the banner and the reason go through SYS_WRITE0, and the status says it: 5.
name_prefix="no console, semihosting"
dtb=$(renamed "$virt" generic-nocon acme,unknown-silent-board) && fdtput -d "$dtb" /chosen stdout-path &&
	fdtput -t s "$dtb" /pl011@9000000 compatible acme,uart
ok $? "$name_prefix: fdtput removes the console"
boot generic-nocon --dtb "$dtb" -- tests=selftest/counter
expect_status 5
expect_line '^# console: semihosting \(no UART the firmware can drive: /pl011@9000000, compatible "acme,uart": no console driver claims it\)$' \
	"the banner says why, over semihosting"
expect_line '^Bail out! no console the firmware can drive' "bails out"
expect_closing_lines 5

# Without semihosting there is no channel left: nothing at all on the PL011 QEMU wires to stdout (the old
# fallback wrote the virt board's 0x09000000 blindly), and QEMU powers off through PSCI with no EXIT line.
name_prefix="no console, no semihosting"
boot generic-silent --dtb "$dtb" --no-semihosting -- tests=selftest/counter
expect_status 125
expect_no_line '^(TAP version 13|EXIT: )' "writes nothing to a UART it was not given"
# Reserved memory on QEMU virt's tree: a no-map region cut out of RAM and left unmapped, and a region
# that stays mapped but where no scenario may put its scratch blocks (without the reserved list the
# highest free 2 MiB blocks would land in it).
name_prefix="reserved memory"
dtb=$(renamed "$virt" generic-reserved linux,dummy-virt) && fdtput -c "$dtb" /reserved-memory &&
	fdtput -t x "$dtb" /reserved-memory '#address-cells' 2 && fdtput -t x "$dtb" /reserved-memory '#size-cells' 2 &&
	fdtput -t x "$dtb" /reserved-memory ranges && fdtput -c "$dtb" /reserved-memory/fw@5fc00000 &&
	fdtput -t x "$dtb" /reserved-memory/fw@5fc00000 reg 0 0x5fc00000 0 0x400000 &&
	fdtput -c "$dtb" /reserved-memory/secure@5e000000 && fdtput -t x "$dtb" /reserved-memory/secure@5e000000 no-map &&
	fdtput -t x "$dtb" /reserved-memory/secure@5e000000 reg 0 0x5e000000 0 0x200000
ok $? "$name_prefix: fdtput adds /reserved-memory to QEMU virt's DTB"
boot generic-reserved --dtb "$dtb" -- tests=mmu/boot-map,live iters=10 verbose=2
expect_status 0
expect_line '^# memory: 0x40000000-0x5dffffff \(480 MiB\)$' "RAM below the no-map region"
expect_line '^# memory: 0x5e200000-0x5fffffff \(30 MiB\)$' "RAM above it"
expect_line '^# reserved: 0x5e000000-0x5e1fffff \(secure@5e000000, no-map: not mapped\)$' "no-map region reported"
expect_line '^# reserved: 0x5fc00000-0x5fffffff \(fw@5fc00000, mapped, never used by tests\)$' "mapped reserved region reported"
expect_line '^ok [0-9]+ - mmu/boot-map$' "boot-map passes (it checks the no-map region is unmapped)"
blocks=$(echo "$out" | sed -n 's/.*scratch: new block A \(0x[0-9a-f]*\), old block B \(0x[0-9a-f]*\)\(, poison block C \(0x[0-9a-f]*\)\)\{0,1\}.*/\1 \2 \4/p' | tr ' ' '\n' | sort -u)
clear=0
for b in $blocks; do
	for r in "0x5e000000 0x5e200000" "0x5fc00000 0x60000000"; do
		set -- $r
		((b < $2 && $1 < b + 0x200000)) && clear=1 && echo "# scratch block $b overlaps reserved $1-$2"
	done
done
[ -n "$blocks" ] && [ $clear = 0 ]
ok $? "$name_prefix: the scenarios' scratch blocks ($(echo $blocks)) avoid both reserved regions"
expect_closing_lines 0

# A reserved region whose reg cannot be read (a one-byte `ranges`): tests cannot know what to avoid, so
# they take no scratch RAM at all.
name_prefix="unreadable reserved memory"
cp "$dtb" "${dtb%.dtb}-bad.dtb" && fdtput -t s "${dtb%.dtb}-bad.dtb" /reserved-memory ranges ""
ok $? "$name_prefix: fdtput breaks /reserved-memory's ranges"
boot generic-reserved-bad --dtb "${dtb%.dtb}-bad.dtb" -- tests=live iters=10
expect_status 0
expect_line '^# warning: 2 reserved region\(s\) not recorded' "the banner warns"
expect_line '^ok [0-9]+ - live/.* # SKIP no 2 MiB-aligned 6 MiB of RAM clear of the image, the DTB and reserved memory$' \
	"the scenarios skip instead of guessing"
expect_no_line '^ok [0-9]+ - live/[^#]*$' "no scenario ran on scratch RAM"
finish
