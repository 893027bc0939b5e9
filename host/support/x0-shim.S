/*
 * QEMU virt with a chosen x0 (scripts/run-qemu --x0): QEMU enters this ELF's
 * entry, which loads x0 from 0x40170000 (put there by run-qemu's
 * -device loader) and jumps to kernel8.img, linked at 0x40200000 as data.
 * How bbmprobe copes with x0 pointing at memory that does not exist is
 * tested this way (host/integration/faults.t).
 */
	.text
	.globl	_start
_start:
	ldr	x1, =0x40170000
	ldr	x0, [x1]
	ldr	x1, =0x40200000
	br	x1
	.ltorg
