/*
 * irq.h - the interrupt controller, as far as pcpurt uses it so far: a software-generated
 * interrupt that wakes a CPU waiting in WFI with interrupts masked. No handler runs: the
 * waiter acknowledges the wake-up itself. arm64 only (drivers/irq/gic.c); RISC-V wakes
 * harts through SBI IPIs.
 */
#ifndef PCPURT_IRQ_H
#define PCPURT_IRQ_H

#include <pcpurt/compiler.h>

struct dt_info;

/* gic_init() - find the GIC in the tree and enable the distributor; false when none. */
bool gic_init(const struct dt_info *dt);
/* gic_cpu_init() - this CPU's interface (and v3 redistributor) ready for wake-ups. */
bool gic_cpu_init(unsigned int cpu);
bool gic_ready(void);
/* gic_wake() - send the wake-up SGI to @cpu, or to all others when @cpu is -1. */
void gic_wake(int cpu);
/* gic_ack() - acknowledge any pending wake-up SGI on this CPU. */
void gic_ack(void);
const char *gic_describe(void);

#endif
