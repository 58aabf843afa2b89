/*
 * arch.h (host shim for smp_call_test) - the arch inlines kernel/smp_call.c uses, turned
 * into hooks of the test: interrupt masking is a flag the test sets, and a waiter's
 * relax/nap lets the test play the other CPUs (tests/host/smp_call_test.c).
 */
#ifndef HOST_SMP_CALL_ASM_ARCH_H
#define HOST_SMP_CALL_ASM_ARCH_H

#include <stdbool.h>
#include <stdint.h>

extern bool host_irqs_masked;
void host_other_cpus(void);

static inline unsigned long arch_local_irq_save(void)
{
	bool was = host_irqs_masked;

	host_irqs_masked = true;
	return was;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	host_irqs_masked = flags;
}

static inline bool arch_irqs_disabled(void)
{
	return host_irqs_masked;
}

static inline void arch_cpu_relax(void)
{
	host_other_cpus();
}

static inline void arch_cpu_nap(void)
{
	host_other_cpus();
}

#endif
