/*
 * smp.h - CPUs: logical numbering, bring-up, and running work on every online CPU
 * (kernel/smp.c, kernel/smp_call.c). The arch hooks at the end are in arch/<arch>/smp.c.
 */
#ifndef PCPURT_SMP_H
#define PCPURT_SMP_H

#include <pcpurt/cpu_map.h>
#include <pcpurt/cpumask.h>

struct dt_info;

extern struct cpu_map cpu_map;	/* logical CPU -> hwid, node, enable method */

/* smp_started() - true once any secondary CPU may be running. */
bool smp_started(void);

/* smp_processor_id() - this CPU's logical number (0 = boot CPU), from per-CPU data. */
unsigned int smp_processor_id(void);

static inline int cpu_to_node(unsigned int cpu)
{
	return cpu_map.cpu[cpu].node;
}

/*
 * cpu_to_mem() - the node @cpu's memory comes from (Linux's name): its own node, or for a
 * CPU on a node without memory the nearest node with memory (dt_nearest_mem_node()).
 */
static inline int cpu_to_mem(unsigned int cpu)
{
	return cpu_map.cpu[cpu].mem_node;
}

/* smp_init_cpus() - number the tree's CPUs; fills cpu_map, possible/present masks. */
void smp_init_cpus(const struct dt_info *dt, uint64_t boot_hwid);

/*
 * smp_bring_up() - start the possible CPUs (at most maxcpus=), report each failure. CPUs the
 * tree marks "disabled" (arm64: possible and present) are not started: they stay offline.
 */
void smp_bring_up(void);

/* smp_call_all() - run @fn on every online CPU at once; returns the number that failed. */
int smp_call_all(int (*fn)(void), int *results);

/* smp_barrier() - every online CPU waits here until all have arrived. */
void smp_barrier(void);

/* secondary_start() - generic part of a secondary's start; never returns. */
void secondary_start(unsigned int cpu) __noreturn;

/* arch hooks */
struct secondary_boot {
	uintptr_t stack_top[NR_CPUS];
	uint64_t hwid[NR_CPUS];
	unsigned int nr;		/* entries in hwid[] (spin-table lookup) */
};
extern struct secondary_boot secondary_boot;
/* arch_cpu_start() - ask firmware to start @cpu; 0, or a negative firmware error. */
int arch_cpu_start(unsigned int cpu, const struct cpu_map_entry *e, const char **why);
/* arch_smp_prepare() - on the boot CPU before bring-up: the wake-up path (GIC, SBI IPI). */
void arch_smp_prepare(const struct dt_info *dt);
/* arch_cpu_wake_init() - this CPU can be woken from arch_cpu_idle_wait() (each CPU). */
void arch_cpu_wake_init(unsigned int cpu);
/*
 * arch_cpu_idle_wait() - sleep until woken by arch_cpu_kick() or some other event; may
 * return early. Callers re-check their condition in a loop, so a kick sent between the
 * check and the wait is never lost (it stays pending and ends the next wait).
 */
void arch_cpu_idle_wait(void);
/* arch_cpu_kick() - wake @cpu, or every other online CPU when @cpu is -1. */
void arch_cpu_kick(int cpu);
/*
 * arch_tick_start() - a timer interrupt on this CPU about every @period_us, each calling
 * @fn in interrupt context (interrupts masked, on the exception stack), and interrupts
 * unmasked. The next tick comes no sooner than @period_us after @fn returned (re-armed
 * then, never catching up), so the interrupted code runs between any two ticks. Returns
 * -1, changing nothing, when this machine has no interrupt path we drive (arm64 without a
 * GIC, as the Pi 3's local controller; riscv without SBI TIME).
 * While the tick runs, arch_cpu_nap() waits for the tick's timer only with interrupts
 * masked outside the handler (moving it to a nap's length from now if it was due sooner:
 * later, never earlier), and elsewhere only relaxes.
 */
int arch_tick_start(unsigned int period_us, void (*fn)(void));
/* arch_tick_stop() - interrupts masked again and the tick off, nothing left pending. */
void arch_tick_stop(void);
const char *arch_wake_describe(void);
/* arch_secondary_mmu_on() - this secondary enables the boot CPU's tables. */
void arch_secondary_mmu_on(void);

#endif
