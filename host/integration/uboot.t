#!/usr/bin/env bash
# The same kernel8.img started by Debian's U-Boot (u-boot-qemu, qemu_arm64) on QEMU virt: U-Boot's
# distro boot finds boot.scr on a FAT virtio disk, which loads kernel8.img and runs booti.
. "$(dirname "$0")/lib.sh"
plan 23

name_prefix="U-Boot booti"
boot uboot --uboot -- verbose=2 iters=200
expect_status 0
expect_line '^U-Boot 2023\.01' "Debian's U-Boot 2023.01 ran"
expect_line '^Found U-Boot script /boot\.scr$' "distro boot found boot.scr on the virtio disk"
expect_line '^Moving Image from 0x40400000 to 0x40480000' "booti moved the image to a 2 MiB boundary + text_offset"
expect_line '^# board: virt \(from DTB compatible\)' "board from U-Boot's DTB"
expect_line '^# entry: EL1, running at EL1; image at 0x40480000-' "entered at EL1 where booti put it"
expect_line '^# bootargs: "verbose=2 iters=200 semihosting"$' "bootargs from bootargs.txt reached /chosen"
expect_consistent_tap
expect_result_lines 57 # 31 seed and live rows, 4 cont rows, 4 cont2m rows, 8 asid rows, 10 ttbr1 rows; bbml2 skips (FEAT_BBM level 0)
expect_line '^# result scenario=seed/remap variant=linux-4\.14 policy=linux-4\.14 board=virt .* allowed=new,fault-t3,tlb-conflict verdict=hazard-(possible|seen)$' \
	"the report's sequence ran through U-Boot; the model allows new, fault-t3, tlb-conflict"
expect_line '^# emulator: QEMU \(DTB root compatible "linux,dummy-virt"\)$' "U-Boot passes QEMU's DTB on: QEMU from the DTB"
expect_closing_lines 0

name_prefix="U-Boot booti, EL2"
boot uboot-el2 --uboot --el 2 -- tests=selftest/counter
expect_status 0
expect_line '^# entry: EL2, running at EL1; ' "entered at EL2 (virtualization=on) and dropped to EL1"
expect_closing_lines 0

# A failing status travels through U-Boot's boot path too.
name_prefix="U-Boot booti, bad argument"
boot uboot-bad --uboot -- bogus=1
expect_status 2
expect_line "^Bail out! bad boot arguments: unknown boot argument 'bogus'" "says what is wrong"
finish
