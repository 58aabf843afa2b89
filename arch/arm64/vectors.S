/*
 * vectors.S (arm64) - the EL1 exception vector table and the register save/restore
 * around arm64_trap(). Every slot saves the full register file into a struct trap_frame
 * on the current stack, so C sees the interrupted state and can resume it by returning.
 *
 * Kernel code runs on SP_EL0 (head.S), so its exceptions arrive in the "current EL with
 * SP_EL0" group (slots 0-3) and the frame goes on SP_EL1, this CPU's exception stack:
 * a fault on an overflowed stack is reported from a good one. Slots 4-7 are exceptions
 * taken while already on the exception stack (inside a handler, or before head.S set
 * the stacks up).
 */
#define FRAME_SIZE	304	/* sizeof(struct trap_frame), 16-byte aligned */

	.macro	vector_slot idx
	.balign	128
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x0, #\idx
	b	trap_common
	.endm

	.text
	.balign	2048
	.globl	vectors
vectors:
	vector_slot 0	/* current EL, SP_EL0 (kernel code): sync */
	vector_slot 1	/* irq */
	vector_slot 2	/* fiq */
	vector_slot 3	/* serror */
	vector_slot 4	/* current EL, SP_EL1 (exception stack): sync */
	vector_slot 5
	vector_slot 6
	vector_slot 7
	vector_slot 8	/* lower EL, AArch64 */
	vector_slot 9
	vector_slot 10
	vector_slot 11
	vector_slot 12	/* lower EL, AArch32 */
	vector_slot 13
	vector_slot 14
	vector_slot 15

trap_common:
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
	cmp	x0, #4
	b.hs	1f
	mrs	x1, sp_el0			/* interrupted code ran on SP_EL0 */
	b	2f
1:	add	x1, sp, #FRAME_SIZE		/* ... or on this stack */
2:	stp	x30, x1, [sp, #240]		/* lr, interrupted sp */
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x1, x2, [sp, #256]
	mrs	x1, esr_el1
	mrs	x2, far_el1
	stp	x1, x2, [sp, #272]
	str	x0, [sp, #288]			/* vector index */
	mov	x0, sp
	bl	arm64_trap
	ldp	x1, x2, [sp, #256]
	msr	elr_el1, x1
	msr	spsr_el1, x2
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
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
