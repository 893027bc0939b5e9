/*
 * EL1 exception vector table: 16 entries of 128 bytes (Arm ARM D1.10.2).
 * Every entry saves the whole context (x0-x30, SP, ELR, SPSR, ESR, FAR, FPSR,
 * FPCR, q0-q31) into a struct exception_frame on the current stack and calls
 * exception_dispatch(frame, vector_index). The handler may change ELR/SPSR and
 * x0-x30 in the frame (fault fixups, SVC results); they are restored before eret.
 * Offsets must match boot/exception.h (checked there with static asserts).
 */
#define FRAME_SIZE	816
#define FRAME_SP	248
#define FRAME_ELR	256
#define FRAME_SPSR	264
#define FRAME_ESR	272
#define FRAME_FAR	280
#define FRAME_FPSR	288
#define FRAME_FPCR	296
#define FRAME_Q		304

.macro vector_entry index
	.balign 128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\index
	b	vector_common
.endm

	.section .text.vectors, "ax"
	.balign 2048
	.globl exception_vectors
exception_vectors:
	/* Current EL with SP_EL0 */
	vector_entry 0
	vector_entry 1
	vector_entry 2
	vector_entry 3
	/* Current EL with SP_ELx: where all of bbmprobe's own exceptions arrive */
	vector_entry 4
	vector_entry 5
	vector_entry 6
	vector_entry 7
	/* Lower EL, AArch64 */
	vector_entry 8
	vector_entry 9
	vector_entry 10
	vector_entry 11
	/* Lower EL, AArch32 */
	vector_entry 12
	vector_entry 13
	vector_entry 14
	vector_entry 15

	.balign 128
vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	/* Interrupted SP: ours (SP_EL1) before the push, or SP_EL0 for vectors 0-3 and lower ELs. */
	add	x2, sp, #FRAME_SIZE
	cmp	x1, #4
	b.lo	1f
	cmp	x1, #8
	b.lo	2f
1:	mrs	x2, sp_el0
2:	stp	x30, x2, [sp, #240]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #FRAME_ELR]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #FRAME_ESR]
	mrs	x2, fpsr
	mrs	x3, fpcr
	stp	x2, x3, [sp, #FRAME_FPSR]
	add	x2, sp, #FRAME_Q
	stp	q0, q1, [x2, #0]
	stp	q2, q3, [x2, #32]
	stp	q4, q5, [x2, #64]
	stp	q6, q7, [x2, #96]
	stp	q8, q9, [x2, #128]
	stp	q10, q11, [x2, #160]
	stp	q12, q13, [x2, #192]
	stp	q14, q15, [x2, #224]
	stp	q16, q17, [x2, #256]
	stp	q18, q19, [x2, #288]
	stp	q20, q21, [x2, #320]
	stp	q22, q23, [x2, #352]
	stp	q24, q25, [x2, #384]
	stp	q26, q27, [x2, #416]
	stp	q28, q29, [x2, #448]
	stp	q30, q31, [x2, #480]

	/* A frame record so backtraces from the handler walk into the interrupted code. */
	ldr	x29, [sp, #232]
	mov	x0, sp
	bl	exception_dispatch

	add	x2, sp, #FRAME_Q
	ldp	q0, q1, [x2, #0]
	ldp	q2, q3, [x2, #32]
	ldp	q4, q5, [x2, #64]
	ldp	q6, q7, [x2, #96]
	ldp	q8, q9, [x2, #128]
	ldp	q10, q11, [x2, #160]
	ldp	q12, q13, [x2, #192]
	ldp	q14, q15, [x2, #224]
	ldp	q16, q17, [x2, #256]
	ldp	q18, q19, [x2, #288]
	ldp	q20, q21, [x2, #320]
	ldp	q22, q23, [x2, #352]
	ldp	q24, q25, [x2, #384]
	ldp	q26, q27, [x2, #416]
	ldp	q28, q29, [x2, #448]
	ldp	q30, q31, [x2, #480]
	ldp	x2, x3, [sp, #FRAME_FPSR]
	msr	fpsr, x2
	msr	fpcr, x3
	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME_SIZE
	eret
