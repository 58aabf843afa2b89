/* irqflags.h (host shim) - no interrupts on the host: masking is a no-op. */
#ifndef HOST_ASM_IRQFLAGS_H
#define HOST_ASM_IRQFLAGS_H

#include <sched.h>
#include <stdbool.h>

static inline unsigned long arch_local_irq_save(void)
{
	return 0;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	(void)flags;
}

static inline void arch_local_irq_enable(void)
{
}

static inline void arch_local_irq_disable(void)
{
}

static inline bool arch_irqs_disabled(void)
{
	return false;
}

static inline void arch_cpu_relax(void)
{
	__builtin_ia32_pause();
}

/* On the host a nap is a yield to the scheduler. */
static inline void arch_cpu_nap(void)
{
	sched_yield();
}

#endif
