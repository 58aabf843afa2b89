/*
 * head.S (arm64) - the Linux arm64 Image header and the primary CPU's entry.
 *
 * Entry contract (Linux arm64 boot protocol): x0 = DTB physical address (0 when QEMU
 * starts the ELF directly), MMU off, at EL2 or EL1. We drop EL2 to EL1, mask interrupts,
 * install the vector table, apply our own relocations (the image is a PIE and may run
 * anywhere), clear BSS, take the boot stack and call arm64_start_primary() in C.
 *
 * Stacks: C runs on SP_EL0 (SPSel = 0); exceptions switch to SP_EL1, which points at a
 * per-CPU exception stack, so that a fault on an overflowed stack is still reported.
 */
#include <asm/layout.h>

#define R_AARCH64_RELATIVE	1027
#define SCTLR_EL1_RES1		0x30d00800	/* MMU, caches, alignment checks off */
#define SPSR_EL1H_MASKED	0x3c5		/* DAIF set, return to EL1 using SP_EL1 */

	.section .head.text, "ax"
	.globl	_head
_head:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset: load at a 2 MiB boundary */
	.quad	__image_size			/* effective size, BSS included */
	.quad	0xa				/* LE, 4K pages, anywhere in RAM */
	.quad	0, 0, 0				/* res2, res3, res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

	.section .text.entry, "ax"
primary_entry:
	mov	x19, x0				/* DTB (or 0) */
	mrs	x20, CurrentEL
	lsr	x20, x20, #2			/* entry EL for the banner */
	bl	el2_to_el1
	adr	x0, _text			/* where we run */
	movz	x1, #(LINK_BASE >> 16), lsl #16	/* where we were linked */
	sub	x21, x0, x1			/* relocation delta */
	adrp	x2, __rela_start
	add	x2, x2, :lo12:__rela_start
	adrp	x3, __rela_end
	add	x3, x3, :lo12:__rela_end
1:	cmp	x2, x3
	b.hs	2f
	ldp	x4, x5, [x2], #16		/* r_offset, r_info */
	ldr	x6, [x2], #8			/* r_addend */
	cmp	x5, #R_AARCH64_RELATIVE
	b.ne	1b				/* tools/check-elf.sh allows no other kind */
	add	x6, x6, x21
	str	x6, [x4, x21]
	b	1b
2:	adrp	x2, __bss_start
	add	x2, x2, :lo12:__bss_start
	adrp	x3, __bss_end
	add	x3, x3, :lo12:__bss_end
3:	cmp	x2, x3
	b.hs	4f
	stp	xzr, xzr, [x2], #16
	b	3b
4:	msr	spsel, #1
	adrp	x2, boot_exc_stack
	add	x2, x2, :lo12:boot_exc_stack
	add	sp, x2, #EXC_STACK_SIZE		/* SP_EL1: exceptions only */
	msr	spsel, #0
	adrp	x2, boot_stack
	add	x2, x2, :lo12:boot_stack
	add	sp, x2, #BOOT_STACK_SIZE	/* SP_EL0: everything else */
	mov	x29, xzr
	msr	tpidr_el1, xzr			/* per-CPU base: the template until the layout is set */
	mov	x0, x19
	mov	x1, x20
	adr	x2, _text
	bl	arm64_start_primary
5:	wfe
	b	5b

/*
 * el2_to_el1 - if at EL2, configure EL2 so that EL1 runs unhindered (AArch64 EL1, timers
 * and GICv3 system registers reachable, no FP traps) and return to the caller at EL1.
 * At EL1 it only resets SCTLR_EL1. Also installs the EL1 vector table. Clobbers x0-x2.
 */
	.globl	el2_to_el1
el2_to_el1:
	mrs	x0, CurrentEL
	cmp	x0, #(2 << 2)
	b.ne	1f
	mov	x0, #(1 << 31)			/* HCR_EL2.RW */
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2
	orr	x0, x0, #3			/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	mov	x0, #0x33ff			/* CPTR_EL2: RES1 bits, nothing trapped */
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4			/* GIC system register interface? */
	cbz	x0, 2f
	mrs	x0, S3_4_C12_C9_5		/* ICC_SRE_EL2 */
	orr	x0, x0, #0xf			/* Enable | DIB | DFB | SRE */
	msr	S3_4_C12_C9_5, x0
	isb
2:	movz	x0, #(SCTLR_EL1_RES1 & 0xffff)
	movk	x0, #(SCTLR_EL1_RES1 >> 16), lsl #16
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	msr	elr_el2, x30
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	eret
1:	msr	daifset, #0xf
	movz	x0, #(SCTLR_EL1_RES1 & 0xffff)
	movk	x0, #(SCTLR_EL1_RES1 >> 16), lsl #16
	msr	sctlr_el1, x0
	adr	x0, vectors
	msr	vbar_el1, x0
	isb
	ret


/*
 * Secondary CPUs. PSCI CPU_ON enters secondary_entry_psci with x0 = logical CPU number;
 * spin-table CPUs jump to secondary_entry_spin with nothing, and find their number by
 * looking their MPIDR up in secondary_boot.hwid[]. Both then turn the MMU on with the
 * boot CPU's tables (their stack may be mapped only there), load their exception stack
 * (SP_EL1), stack (SP_EL0) and per-CPU base (TPIDR_EL1) before any C runs, and call
 * arm64_secondary_start(cpu). The boot CPU cleaned secondary_boot, __per_cpu_offset and
 * arm64_mmu_regs to the point of coherency: they are read here with the caches off.
 */
#define SB_STACK	0		/* offsetof(struct secondary_boot, stack_top) */
#define SB_HWID		(8 * 512)	/* offsetof(..., hwid), NR_CPUS = 512 */
#define SB_NR		(16 * 512)	/* offsetof(..., nr) */

	.section .text.entry, "ax"
	.globl	secondary_entry_psci
secondary_entry_psci:
	mov	x19, x0
	bl	el2_to_el1
	b	secondary_common

	.globl	secondary_entry_spin
secondary_entry_spin:
	bl	el2_to_el1
	mrs	x1, mpidr_el1
	movz	x2, #0xffff
	movk	x2, #0xff, lsl #16
	movk	x2, #0xff, lsl #32		/* MPIDR affinity mask 0xff00ffffff */
	and	x1, x1, x2
	adrp	x3, secondary_boot
	add	x3, x3, :lo12:secondary_boot
	ldr	w4, [x3, #SB_NR]
	add	x5, x3, #SB_HWID
	mov	x19, xzr
1:	cmp	x19, x4
	b.hs	2f
	ldr	x6, [x5, x19, lsl #3]
	cmp	x6, x1
	b.eq	secondary_common
	add	x19, x19, #1
	b	1b
2:	wfe					/* not ours: park */
	b	2b

secondary_common:
	adrp	x3, secondary_boot
	add	x3, x3, :lo12:secondary_boot
	ldr	x4, [x3, x19, lsl #3]		/* stack_top[cpu] */
	cbz	x4, 3f				/* no boot data for us: park */
	adrp	x3, __per_cpu_offset
	add	x3, x3, :lo12:__per_cpu_offset
	ldr	x20, [x3, x19, lsl #3]
	bl	secondary_mmu_on
	adrp	x3, arm64_exc_stack_top
	add	x3, x3, :lo12:arm64_exc_stack_top
	ldr	x5, [x3, x19, lsl #3]		/* written with caches on: read after MMU on */
	msr	spsel, #1
	mov	sp, x5
	msr	spsel, #0
	mov	sp, x4
	msr	tpidr_el1, x20
	mov	x29, xzr
	mov	x0, x19
	bl	arm64_secondary_start
3:	wfe
	b	3b

/*
 * secondary_mmu_on - what arch_secondary_mmu_on() does for the boot CPU, without a stack:
 * drop stale TLB entries, load MAIR/TCR/TTBR0 from arm64_mmu_regs, enable MMU and caches.
 * The code runs identity mapped, so execution goes on at the next instruction. Clobbers
 * x0-x3.
 */
#define MMU_MAIR_TCR	0		/* offsetof(struct arm64_mmu_regs, mair) */
#define MMU_TTBR_SCTLR	16		/* offsetof(..., ttbr) */

secondary_mmu_on:
	adrp	x0, arm64_mmu_regs
	add	x0, x0, :lo12:arm64_mmu_regs
	ldp	x1, x2, [x0, #MMU_MAIR_TCR]
	ldp	x3, x0, [x0, #MMU_TTBR_SCTLR]
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	mair_el1, x1
	msr	tcr_el1, x2
	msr	ttbr0_el1, x3
	isb
	msr	sctlr_el1, x0
	isb
	ret

/* the boot CPU's exception stack (secondaries' come from their node, arch_cpu_start) */
	.section .bss.exc_stack, "aw", %nobits
	.balign	16
boot_exc_stack:
	.space	EXC_STACK_SIZE
