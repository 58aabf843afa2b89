/* irqflags.h (arm64) - mask and restore interrupts through DAIF. */
#ifndef ASM_IRQFLAGS_H
#define ASM_IRQFLAGS_H

#include <stdbool.h>

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, daif\n\tmsr daifset, #3" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("msr daif, %0" : : "r"(flags) : "memory");
}

static inline void arch_local_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #3" : : : "memory");
}

static inline void arch_local_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #3" : : : "memory");
}

/* arch_irqs_disabled() - true while IRQs are masked on this CPU (DAIF.I). */
static inline bool arch_irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("mrs %0, daif" : "=r"(flags) : : "memory");
	return flags & (1UL << 7);
}

static inline void arch_cpu_relax(void)
{
	__asm__ __volatile__("yield" : : : "memory");
}

/* arch_cpu_nap() - wait a few tens of microseconds, giving the CPU away if it can. */
void arch_cpu_nap(void);

#endif
