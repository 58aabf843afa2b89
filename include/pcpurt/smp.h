/* smp.h - CPU numbering and the SMP state generic code needs (kernel/smp.c). */
#ifndef PCPURT_SMP_H
#define PCPURT_SMP_H

#include <pcpurt/compiler.h>

/* smp_started() - true once any secondary CPU may be running. */
bool smp_started(void);

/* smp_processor_id() - this CPU's logical number (0 = boot CPU). */
unsigned int smp_processor_id(void);

#endif
