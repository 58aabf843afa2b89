/*
 * head.S (riscv) - the Linux RISC-V Image header and the boot hart's entry.
 *
 * Entry contract (SBI, Linux RISC-V boot): S-mode, a0 = hart id, a1 = DTB, MMU off. The
 * boot hart can be any hart. We mask interrupts, install the trap vector, apply our own
 * relocations (the image is a PIE and may run anywhere), clear BSS, take the boot stack
 * and the boot trap stack (sscratch, see trap.S) and call riscv_start_primary() in C.
 * Secondaries turn translation on here, before they touch their stacks (which may live
 * in the vmalloc region, not identity mapped).
 */
#include <asm/layout.h>

#define R_RISCV_RELATIVE	3

	.section .head.text, "ax"
	.option	push
	.option	norvc
	.globl	_head
_head:
	j	primary_entry			/* code0 */
	.word	0				/* code1 */
	.dword	0x200000			/* text_offset, as Linux rv64 */
	.dword	__image_size			/* effective size, BSS included */
	.dword	0				/* flags: little endian */
	.word	2				/* header version 0.2 */
	.word	0				/* res1 */
	.dword	0				/* res2 */
	.ascii	"RISCV\0\0\0"			/* magic */
	.ascii	"RSC\x05"			/* magic2 */
	.word	0				/* res3 */
	.option	pop

	.section .text.entry, "ax"
primary_entry:
	csrw	sie, zero
	csrw	sip, zero
	csrw	sscratch, zero			/* no trap stack yet */
	/*
	 * Hart lottery, as Linux's head.S has: only the first hart here is the boot hart.
	 * OpenSBI 1.1 marks a hart START_PENDING before it stores the start address, so a
	 * hart still on its way through OpenSBI's warm boot when we call hart_start can be
	 * sent to the firmware's old address (this entry, a1 = DTB) instead of
	 * secondary_entry. Such a hart must not relocate or clear BSS again: it finds its
	 * logical CPU number from its hart id and joins as a secondary.
	 */
	lla	t0, boot_lottery
	li	t1, 1
	amoswap.w.aqrl t1, t1, (t0)
	bnez	t1, stray_hart
	lla	t0, trap_entry
	csrw	stvec, t0
	mv	s0, a0				/* hart id */
	mv	s1, a1				/* DTB */
	lla	t0, _text
	li	t1, LINK_BASE
	sub	s2, t0, t1			/* relocation delta */
	lla	t0, __rela_start
	lla	t1, __rela_end
	li	t5, R_RISCV_RELATIVE
1:	bgeu	t0, t1, 2f
	ld	t2, 0(t0)			/* r_offset */
	ld	t3, 8(t0)			/* r_info */
	ld	t4, 16(t0)			/* r_addend */
	addi	t0, t0, 24
	bne	t3, t5, 1b			/* tools/check-elf.sh allows no other kind */
	add	t4, t4, s2
	add	t2, t2, s2
	sd	t4, 0(t2)
	j	1b
2:	lla	t0, __bss_start
	lla	t1, __bss_end
3:	bgeu	t0, t1, 4f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	3b
4:	lla	sp, boot_stack
	li	t0, BOOT_STACK_SIZE
	add	sp, sp, t0
	lla	t0, boot_trap_stack
	li	t1, TRAP_STACK_SIZE
	add	t0, t0, t1
	csrw	sscratch, t0
	mv	tp, zero
	mv	a0, s0
	mv	a1, s1
	lla	a2, _text
	call	riscv_start_primary
5:	wfi
	j	5b


/*
 * stray_hart: a0 = hart id. Look it up in secondary_boot.hwid[] (filled before any
 * hart_start); found: continue as secondary_entry with a1 = its CPU number; not found
 * (a hart nobody started): park.
 */
#define SB_HWID		(8 * 512)	/* offsetof(struct secondary_boot, hwid), checked in smp.c */
#define SB_NR		(16 * 512)	/* offsetof(struct secondary_boot, nr) */
	.section .text.entry, "ax"
stray_hart:
	lla	t0, secondary_boot
	li	t2, SB_NR
	add	t2, t0, t2
	lwu	t2, 0(t2)
	li	t3, SB_HWID
	add	t3, t0, t3
	li	t1, 0
1:	bgeu	t1, t2, 3f
	ld	t4, 0(t3)
	beq	t4, a0, 2f
	addi	t1, t1, 1
	addi	t3, t3, 8
	j	1b
2:	beqz	t1, 3f				/* CPU 0 is the boot hart itself */
	mv	a1, t1
	li	t0, 1
	slli	t0, t0, 63
	or	a0, a0, t0			/* tell C it came this way */
	j	secondary_entry
3:	wfi
	j	3b

	.data
	.balign	4
boot_lottery:
	.word	0

	/* the boot hart's trap stack (secondaries' come from smp.c) */
	.section .bss.boot_trap_stack, "aw", @nobits
	.balign	16
boot_trap_stack:
	.skip	TRAP_STACK_SIZE

/*
 * Secondary harts: SBI HSM hart_start enters here in S-mode with a0 = hart id and
 * a1 = the opaque value, our logical CPU number. Translation goes on first, with the
 * tables the boot hart made (riscv_satp, 0: stay untranslated), then the stack, the
 * trap stack (sscratch) and the per-CPU base (tp) are loaded before any C runs; then
 * riscv_secondary_start(cpu, hartid).
 */
	.section .text.entry, "ax"
	.globl	secondary_entry
secondary_entry:
	csrw	sie, zero
	csrw	sip, zero
	csrw	sscratch, zero
	lla	t0, trap_entry
	csrw	stvec, t0
	lla	t0, riscv_satp
	ld	t0, 0(t0)
	beqz	t0, 1f
	sfence.vma
	csrw	satp, t0
	sfence.vma
1:	slli	t1, a1, 3
	lla	t0, secondary_boot		/* stack_top[] is its first member */
	add	t0, t0, t1
	ld	sp, 0(t0)
	beqz	sp, 2f				/* no boot data for us: park */
	lla	t0, riscv_trap_stack_top
	add	t0, t0, t1
	ld	t0, 0(t0)
	csrw	sscratch, t0
	lla	t0, __per_cpu_offset
	add	t0, t0, t1
	ld	tp, 0(t0)
	mv	t0, a0
	mv	a0, a1
	mv	a1, t0
	call	riscv_secondary_start
2:	wfi
	j	2b
