#!/usr/bin/env bash
# `make sdcard`'s recipe (scripts/mk-sdcard): the partition table, the FAT32 file system, the files
# and config.txt's keys; then the card's own kernel8.img and DTB boot on QEMU raspi4b with a
# firmware-style command line (the firmware's Linux words, then cmdline.txt). The same for the Pi 3
# card (`make sdcard BOARD=rpi3`) on raspi3b.
. "$(dirname "$0")/lib.sh"

# config.txt keys every card needs: each set exactly once, with a comment on the line above (6 points).
expect_card_config() { # FILE DTB_NAME
	local config kv
	config=$(tr -d '\r' <"$1" 2>/dev/null)
	for kv in arm_64bit=1 kernel=kernel8.img kernel_address=0x80000 enable_uart=1 uart_2ndstage=1 \
		device_tree="$2"; do
		[ "$(echo "$config" | grep -c "^${kv%%=*}=")" = 1 ] && echo "$config" | grep -B1 -x "$kv" | head -1 | grep -q '^#'
		ok $? "$name_prefix: config.txt sets $kv, with a comment"
	done
}
plan 46
built=$build # the first boot below points $build at the card's files
name_prefix="sdcard"
img="$top/build/logs/it-sdcard.img"
extract="$top/build/logs/it-sdcard.files"
firmware=/usr/lib/raspi-firmware

"$top/scripts/mk-sdcard" --build "$build" --out "$img" -- tests=selftest verbose=2 2>/dev/null
ok $? "$name_prefix: scripts/mk-sdcard builds the image"
"$top/scripts/mk-sdcard" --build "$build" --out "$img.bad" -- semihosting 2>/dev/null
[ $? = 2 ] && [ ! -e "$img.bad" ]
ok $? "$name_prefix: refuses 'semihosting' (it would crash a real board) and writes nothing"

table=$(sfdisk --dump "$img" 2>&1)
echo "$table" | grep -q '^label: dos$'
ok $? "$name_prefix: DOS partition table"
[ "$(echo "$table" | grep -c 'start=')" = 1 ]
ok $? "$name_prefix: exactly one partition"
echo "$table" | grep -Eq 'start= *2048, size= *[0-9]+, type=c, bootable$'
ok $? "$name_prefix: partition 1 starts at 1 MiB, type 0x0c (FAT32 LBA), bootable"
minfo -i "$img@@1M" :: 2>/dev/null | grep -q 'disk type="FAT32   "'
ok $? "$name_prefix: the partition holds a FAT32 file system"

listing=$(mdir -b -i "$img@@1M" :: 2>&1)
for f in start4.elf fixup4.dat config.txt cmdline.txt kernel8.img bcm2711-rpi-4-b.dtb; do
	echo "$listing" | grep -qx "::/$f"
	ok $? "$name_prefix: holds $f"
done

rm -rf "$extract" && mkdir -p "$extract"
mcopy -n -i "$img@@1M" '::*' "$extract/" 2>/dev/null
cmp -s "$extract/kernel8.img" "$build/kernel8.img"
ok $? "$name_prefix: kernel8.img is the built image"
cmp -s "$extract/start4.elf" "$firmware/start4.elf" && cmp -s "$extract/fixup4.dat" "$firmware/fixup4.dat"
ok $? "$name_prefix: start4.elf and fixup4.dat are Debian's raspi-firmware files"

expect_card_config "$extract/config.txt" bcm2711-rpi-4-b.dtb
[ "$(cat "$extract/cmdline.txt" 2>/dev/null)" = "-- tests=selftest verbose=2" ]
ok $? "$name_prefix: cmdline.txt holds the boot arguments after a lone --"

# Boot what is on the card. The Pi firmware puts its own Linux words before cmdline.txt; the
# runner adds "semihosting" after them, among bbmprobe's words (never on a real card).
cp "$extract/bcm2711-rpi-4-b.dtb" "$extract/rpi4.dtb"
build="$extract"
name_prefix="sdcard contents on raspi4b"
boot sdcard-raspi4b --board rpi4 --uart mini -- coherent_pool=1M 8250.nr_uarts=1 $(cat "$extract/cmdline.txt")
expect_status 0
expect_line '^# board: rpi4 \(from DTB compatible\)' "the card's DTB names the board"
expect_line '^ok [0-9]+ - selftest/svc-roundtrip$' "cmdline.txt's tests=selftest ran"

# ---- The Pi 3 card: bootcode.bin first (the Pi 3 has no EEPROM), start.elf, the Pi 3 DTB name.
build=$built
name_prefix="sdcard rpi3"
img3="$top/build/logs/it-sdcard-rpi3.img"
extract3="$top/build/logs/it-sdcard-rpi3.files"
"$top/scripts/mk-sdcard" --board rpi3 --build "$build" --out "$img3" -- tests=selftest 2>/dev/null
ok $? "$name_prefix: scripts/mk-sdcard --board rpi3 builds the image"
"$top/scripts/mk-sdcard" --board rpi5 --build "$build" --out "$img3.bad" 2>/dev/null
[ $? = 2 ] && [ ! -e "$img3.bad" ]
ok $? "$name_prefix: refuses an unknown board and writes nothing"
sfdisk --dump "$img3" 2>&1 | grep -Eq 'start= *2048, size= *[0-9]+, type=c, bootable$'
ok $? "$name_prefix: partition 1 starts at 1 MiB, type 0x0c (FAT32 LBA), bootable"
listing=$(mdir -b -i "$img3@@1M" :: 2>&1)
for f in bootcode.bin start.elf fixup.dat config.txt cmdline.txt kernel8.img bcm2710-rpi-3-b.dtb; do
	echo "$listing" | grep -qx "::/$f"
	ok $? "$name_prefix: holds $f"
done
! echo "$listing" | grep -q -e start4.elf -e bcm2711
ok $? "$name_prefix: no Pi 4 firmware or DTB on it"
rm -rf "$extract3" && mkdir -p "$extract3"
mcopy -n -i "$img3@@1M" '::*' "$extract3/" 2>/dev/null
same=0
for f in bootcode.bin start.elf fixup.dat; do cmp -s "$extract3/$f" "$firmware/$f" || same=1; done
ok $same "$name_prefix: bootcode.bin, start.elf and fixup.dat are Debian's raspi-firmware files"
cmp -s "$extract3/bcm2710-rpi-3-b.dtb" "$build/rpi3.dtb"
ok $? "$name_prefix: bcm2710-rpi-3-b.dtb is platform/dts/rpi3.dts"
expect_card_config "$extract3/config.txt" bcm2710-rpi-3-b.dtb

cp "$extract3/bcm2710-rpi-3-b.dtb" "$extract3/rpi3.dtb"
build="$extract3"
name_prefix="sdcard rpi3 contents on raspi3b"
boot sdcard-raspi3b --board rpi3 --uart mini -- coherent_pool=1M 8250.nr_uarts=1 $(cat "$extract3/cmdline.txt")
expect_status 0
expect_line '^# board: rpi3 \(from DTB compatible\)' "the card's DTB names the board"
expect_line '^ok [0-9]+ - selftest/svc-roundtrip$' "cmdline.txt's tests=selftest ran"
finish
