/*
 * irq.h - the interrupt controller, as far as pcpurt uses it: a software-generated
 * interrupt, the IPI (wake-up and cross-CPU calls), and the timer's PPI, both taken as IRQ
 * exceptions through the acknowledge/end pair. arm64 only (drivers/irq/gic.c); RISC-V
 * uses SBI.
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
/* gic_irq_ack() - the IAR value of the highest pending interrupt (now active), or -1. */
int gic_irq_ack(void);
/* gic_irq_eoi() - end the interrupt gic_irq_ack() returned. */
void gic_irq_eoi(int iar);
const char *gic_describe(void);

#endif
