/*
 * trap.S (riscv) - the S-mode trap vector: saves every register into a struct trap_frame,
 * calls riscv_trap(), and resumes the interrupted code on return.
 *
 * The frame goes on this hart's trap stack, never on the interrupted stack, so that a
 * stack overflow (a store into the guard page below it) can still be reported. While the
 * hart runs outside a trap, sscratch holds its trap stack's top; the entry swaps it with
 * sp and sets sscratch to 0 for the time of the handler. A trap inside the handler then
 * finds 0 and stays on the stack it is on. The frame's x[0] slot keeps the value sscratch
 * gets back on return. sscratch 0 (before the trap stack exists) means "no switch".
 */
#define FRAME_SIZE	288	/* sizeof(struct trap_frame) */

	.text
	.balign	4
	.globl	trap_entry
trap_entry:
	csrrw	sp, sscratch, sp		/* sp = trap stack top, sscratch = old sp */
	bnez	sp, 1f
	csrrw	sp, sscratch, sp		/* 0: nested, stay where we are (sscratch 0) */
1:	addi	sp, sp, -FRAME_SIZE
	sd	x5, 40(sp)
	sd	x6, 48(sp)
	csrrw	t0, sscratch, zero		/* the interrupted sp if we switched, else 0 */
	addi	t1, sp, FRAME_SIZE
	bnez	t0, 2f
	mv	t0, t1				/* nested: interrupted sp is just above */
	li	t1, 0				/* and sscratch stays 0 on return */
2:	sd	t0, 16(sp)			/* interrupted sp */
	sd	t1, 0(sp)			/* sscratch on return */
	sd	x1, 8(sp)
	sd	x3, 24(sp)
	sd	x4, 32(sp)
	sd	x7, 56(sp)
	sd	x8, 64(sp)
	sd	x9, 72(sp)
	sd	x10, 80(sp)
	sd	x11, 88(sp)
	sd	x12, 96(sp)
	sd	x13, 104(sp)
	sd	x14, 112(sp)
	sd	x15, 120(sp)
	sd	x16, 128(sp)
	sd	x17, 136(sp)
	sd	x18, 144(sp)
	sd	x19, 152(sp)
	sd	x20, 160(sp)
	sd	x21, 168(sp)
	sd	x22, 176(sp)
	sd	x23, 184(sp)
	sd	x24, 192(sp)
	sd	x25, 200(sp)
	sd	x26, 208(sp)
	sd	x27, 216(sp)
	sd	x28, 224(sp)
	sd	x29, 232(sp)
	sd	x30, 240(sp)
	sd	x31, 248(sp)
	csrr	t0, sepc
	sd	t0, 256(sp)
	csrr	t0, sstatus
	sd	t0, 264(sp)
	csrr	t0, scause
	sd	t0, 272(sp)
	csrr	t0, stval
	sd	t0, 280(sp)
	mv	a0, sp
	call	riscv_trap
	ld	t0, 256(sp)
	addi	t1, sp, 256
	sc.d	zero, t0, (t1)			/* drop any LR reservation of the interrupted code */
	csrw	sepc, t0
	ld	t0, 264(sp)
	csrw	sstatus, t0
	ld	t0, 0(sp)
	csrw	sscratch, t0
	ld	x1, 8(sp)
	ld	x3, 24(sp)
	ld	x4, 32(sp)
	ld	x5, 40(sp)
	ld	x6, 48(sp)
	ld	x7, 56(sp)
	ld	x8, 64(sp)
	ld	x9, 72(sp)
	ld	x10, 80(sp)
	ld	x11, 88(sp)
	ld	x12, 96(sp)
	ld	x13, 104(sp)
	ld	x14, 112(sp)
	ld	x15, 120(sp)
	ld	x16, 128(sp)
	ld	x17, 136(sp)
	ld	x18, 144(sp)
	ld	x19, 152(sp)
	ld	x20, 160(sp)
	ld	x21, 168(sp)
	ld	x22, 176(sp)
	ld	x23, 184(sp)
	ld	x24, 192(sp)
	ld	x25, 200(sp)
	ld	x26, 208(sp)
	ld	x27, 216(sp)
	ld	x28, 224(sp)
	ld	x29, 232(sp)
	ld	x30, 240(sp)
	ld	x31, 248(sp)
	ld	sp, 16(sp)			/* the interrupted sp, last */
	sret
