/* irqflags.h (riscv) - mask and restore S-mode interrupts through sstatus.SIE. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <stdbool.h>

#define SSTATUS_SIE	(1UL << 1)

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("csrrc %0, sstatus, %1" : "=r"(flags) : "r"(SSTATUS_SIE) : "memory");
	return flags & SSTATUS_SIE;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("csrs sstatus, %0" : : "r"(flags & SSTATUS_SIE) : "memory");
}

static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("csrs sstatus, %0" : : "r"(SSTATUS_SIE) : "memory");
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("csrc sstatus, %0" : : "r"(SSTATUS_SIE) : "memory");
}

/* arch_irqs_disabled() - true while S-mode interrupts are masked (sstatus.SIE clear). */
static inline bool arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("csrr %0, sstatus" : "=r"(flags) : : "memory");
	return !(flags & SSTATUS_SIE);
}

static inline void arch_cpu_relax(void)
{
	/* "pause" (Zihintpause) encodes as a FENCE hint: a no-op where not implemented. */
	__asm__ __volatile__(".4byte 0x0100000f" : : : "memory");
}

/* arch_cpu_nap() - wait a few tens of microseconds, giving the CPU away if it can. */
void arch_cpu_nap(void);

#endif
