/*
 * Entry point: arm64 Image header, then the boot CPU's path to C.
 *
 * Loaders enter at offset 0 with x0 = DTB (or 0 / ATAGs; checked later), MMU and
 * D-cache off, at EL3, EL2 or EL1 (QEMU -kernel with an arm64 Image header enters at EL1, EL2 with virtualization=on; an ELF at EL3; the Pi firmware at EL2). We park secondaries, drop to
 * EL1, apply our own relocations (static PIE linked at 0), zero BSS, set the
 * stack and vectors, and call boot_main(dtb, entry_el, load_base).
 */
#include "cpu.h"
#include "sysregs.h"

#define R_AARCH64_RELATIVE 1027
#define DT_RELA 7
#define DT_RELASZ 8
#define IMAGE_TEXT_OFFSET 0x80000
/* flags: little endian, 4K pages, may be placed anywhere in RAM. */
#define IMAGE_FLAGS ((1 << 1) | (1 << 3))

	.section .head.text, "ax"
	.globl _start
_start:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	IMAGE_TEXT_OFFSET		/* text_offset */
	.quad	_image_size			/* image_size (includes BSS) */
	.quad	IMAGE_FLAGS
	.quad	0, 0, 0				/* res2-res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

primary_entry:
	mov	x19, x0				/* DTB pointer as given */
	/* Only the CPU with affinity 0.0.0 boots; others wait (raspi ELF starts all four). */
	mrs	x1, mpidr_el1
	and	x1, x1, #0xffffff
	cbnz	x1, park_cpu

	adr	x24, at_el1			/* x24 = where the drop to EL1 lands */
drop_to_el1:
	mrs	x20, CurrentEL
	lsr	x20, x20, #2			/* x20 = entry EL, kept for the banner */
	cmp	x20, #3
	b.eq	from_el3
	cmp	x20, #2
	b.eq	from_el2
	br	x24

from_el3:
	mov	x0, #(SCR_EL3_NS | SCR_EL3_RES1 | SCR_EL3_HCE | SCR_EL3_RW)
	msr	scr_el3, x0
	/* An SMC from EL1 must land somewhere: there is no firmware behind this EL3. */
	adr	x0, el3_stub_vectors
	msr	vbar_el3, x0
	msr	cptr_el3, xzr			/* no FP/SIMD traps */
	/* If EL2 exists, make it transparent too (ID_AA64PFR0_EL1.EL2, bits 11:8). */
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #8, #4
	cbz	x0, 1f
	bl	el2_setup
1:	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el3, x0
	msr	elr_el3, x24
	isb
	eret

from_el2:
	bl	el2_setup
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	msr	elr_el2, x24
	isb
	eret

/* EL2 state for an EL1 guest that owns the machine. Clobbers x0. */
el2_setup:
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	/* An HVC from EL1 must land somewhere: the loader's VBAR_EL2 is unknown (Linux's hyp-stub idea). */
	adr	x0, el2_stub_vectors
	msr	vbar_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #(CNTHCTL_EL2_EL1PCTEN | CNTHCTL_EL2_EL1PCEN)
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #CPTR_EL2_NOTRAP
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	/* VPIDR/VMPIDR reset to UNKNOWN on hardware; EL1 must see the real IDs. */
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	ret

at_el1:
	ldr	x0, =SCTLR_EL1_RES1		/* MMU and caches off until mmu_enable() */
	msr	sctlr_el1, x0
	mov	x0, #CPACR_EL1_FPEN
	msr	cpacr_el1, x0
	msr	tpidr_el1, xzr			/* CPU index 0 (boot/cpu.h) */
	isb

	/*
	 * Relocate: *(base + r_offset) = base + r_addend for every RELATIVE entry.
	 * The table is found through _DYNAMIC (DT_RELA, DT_RELASZ), as a static-pie
	 * loader would: only ld knows its final size.
	 */
	adr	x21, _start			/* x21 = load base */
	adr	x1, _DYNAMIC
	mov	x2, xzr				/* DT_RELA */
	mov	x3, xzr				/* DT_RELASZ */
5:	ldp	x4, x5, [x1], #16
	cbz	x4, 6f				/* DT_NULL */
	cmp	x4, #DT_RELA
	csel	x2, x5, x2, eq
	cmp	x4, #DT_RELASZ
	csel	x3, x5, x3, eq
	b	5b
6:	add	x1, x21, x2
	add	x2, x1, x3
	cbz	x3, 2f
1:	cmp	x1, x2
	b.hs	2f
	ldp	x3, x4, [x1], #16		/* r_offset, r_info */
	ldr	x5, [x1], #8			/* r_addend */
	cmp	w4, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x5, x5, x21
	str	x5, [x21, x3]
	b	1b
2:
	/* Zero BSS (16-byte aligned by the linker script). ADRP: the BSS may end past ADR's 1 MiB reach. */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
3:	cmp	x1, x2
	b.hs	4f
	stp	xzr, xzr, [x1], #16
	b	3b
4:
	adrp	x0, boot_stack_top
	add	x0, x0, :lo12:boot_stack_top
	mov	sp, x0
	mov	x29, xzr			/* no caller: see the bl boot_main below */
	mov	x30, xzr
	adr	x0, exception_vectors
	msr	vbar_el1, x0
	isb

	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	/*
	 * The outermost frame: x29 = x30 = 0 ends the firmware's own frame-chain walk, and the return
	 * address marked undefined in .debug_frame (not loaded; .eh_frame is discarded) ends gdb's `bt`.
	 */
	.cfi_sections .debug_frame
	.cfi_startproc
	.cfi_undefined x30
	bl	boot_main
	/* boot_main does not return; if it ever does, stop here. */
	b	park_cpu
	.cfi_endproc

park_cpu:
	wfe
	b	park_cpu

/*
 * Secondary CPUs enter here, MMU off, from PSCI CPU_ON or a spin-table release
 * (platform/smp.c). The CPU finds its index by its MPIDR in smp_boot_mpidr (cleaned
 * to memory by CPU0 before the release), drops to EL1 like the boot CPU, takes its
 * own stack from .smp_stacks and calls secondary_main(index). An MPIDR not in the
 * table parks. ADRP, not ADR: .smp_stacks lies past the image's 1 MiB ADR reach.
 */
	.globl secondary_entry
secondary_entry:
	mrs	x1, mpidr_el1
	ldr	x2, =CPU_MPIDR_AFF_MASK
	and	x1, x1, x2
	adrp	x3, smp_boot_mpidr
	add	x3, x3, :lo12:smp_boot_mpidr
	mov	x23, #1
1:	cmp	x23, #CPU_MAX
	b.hs	park_cpu
	ldr	x5, [x3, x23, lsl #3]
	cmp	x5, x1
	b.eq	2f
	add	x23, x23, #1
	b	1b
2:	adr	x24, secondary_el1
	b	drop_to_el1

secondary_el1:
	ldr	x0, =SCTLR_EL1_RES1		/* MMU off until secondary_main turns it on */
	msr	sctlr_el1, x0
	mov	x0, #CPACR_EL1_FPEN
	msr	cpacr_el1, x0
	msr	tpidr_el1, x23
	adrp	x0, smp_stacks
	add	x0, x0, :lo12:smp_stacks
	mov	x1, #CPU_SECONDARY_STACK_SIZE
	madd	x0, x1, x23, x0			/* CPU n's stack tops at smp_stacks + n * size */
	mov	sp, x0
	adr	x0, exception_vectors
	msr	vbar_el1, x0
	isb
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x23
	bl	secondary_main
	b	park_cpu

	.ltorg

/*
 * EL2 stub vectors: only "synchronous from lower EL, AArch64" (offset 0x400)
 * is served: an HVC gets HVC_STUB_PEND_VSERROR's effect or -1 in x0. There is
 * no EL2 stack; x9 is saved in TPIDR_EL2. Anything else parks the CPU.
 */
	.balign 2048
el2_stub_vectors:
	.rept	8
	.balign	128
	b	el2_stub_park
	.endr
	.balign	128
	b	el2_stub_sync
	.rept	7
	.balign	128
	b	el2_stub_park
	.endr

el2_stub_sync:
	msr	tpidr_el2, x9
	mrs	x9, esr_el2
	lsr	x9, x9, #26
	cmp	x9, #0x16			/* EC: HVC from AArch64 */
	b.ne	el2_stub_park
	ldr	x9, =HVC_STUB_PEND_VSERROR
	cmp	x0, x9
	mov	x0, #-1
	b.ne	1f
	mrs	x9, hcr_el2
	orr	x9, x9, #HCR_EL2_AMO
	orr	x9, x9, #HCR_EL2_VSE
	msr	hcr_el2, x9
	mov	x0, xzr
1:	mrs	x9, tpidr_el2
	eret

el2_stub_park:
	wfe
	b	el2_stub_park

/* EL3 stub vectors: an SMC from EL1 returns -1 (PSCI NOT_SUPPORTED); anything else parks the CPU. */
	.balign 2048
el3_stub_vectors:
	.rept	8
	.balign	128
	b	el2_stub_park
	.endr
	.balign	128
	mov	x0, #-1
	eret
	.rept	7
	.balign	128
	b	el2_stub_park
	.endr

	.ltorg

	.bss
	.balign 16
boot_stack:
	.space	64 * 1024
	.globl boot_stack_top
boot_stack_top:

	/* Secondaries' stacks (CPUs 1..CPU_MAX-1): not zeroed, outside the BSS that head.S clears by ADR. */
	.section .smp_stacks, "aw", %nobits
	.balign 16
	.globl smp_stacks
smp_stacks:
	.space	(CPU_MAX - 1) * CPU_SECONDARY_STACK_SIZE
