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

/*
 * smp_call_all() - run @fn on every online CPU at once, in thread context with interrupts
 * on (each other CPU runs it from its idle loop); returns the number that failed. A CPU that
 * goes down meanwhile counts as failed (said in one line): the call returns, never hangs.
 * CPUs that come up meanwhile do not take part.
 */
int smp_call_all(int (*fn)(void), int *results);

/*
 * smp_run_on() - have idle CPU @cpu run @fn (thread context, interrupts on) from its idle
 * loop; @fn's return value goes to *@result and *@done is set to 1 when it returns (either
 * may be NULL). -ENXIO when @cpu is not online, -EBUSY when it already has work.
 */
int smp_run_on(unsigned int cpu, int (*fn)(void), int *result, int *done);
/*
 * smp_run_abandon() - @cpu, dying, drops the work posted to it or running on it: its slot is
 * free for its next start, the poster's *result is -ENXIO and its *done -1, and it is kicked.
 */
void smp_run_abandon(unsigned int cpu);

/*
 * Cross-CPU function calls (kernel/smp_call.c), Linux's kernel/smp.c model: each CPU has a
 * queue of pending calls; a caller adds its call to the target's queue and sends one IPI
 * when the queue was empty; the target runs its queue in interrupt context, whether it
 * idles or is busy with interrupts on. With @wait the caller returns once every target
 * has finished @func. Callable with interrupts on or masked: a waiter with interrupts
 * masked runs its own queue while it waits, so two CPUs calling each other never deadlock.
 */
typedef void (*smp_call_func_t)(void *info);

struct call_single_data {
	struct call_single_data *next;	/* in the target's queue */
	smp_call_func_t func;
	void *info;
	unsigned int flags;		/* CSD_* */
	unsigned int src;		/* the calling CPU */
};
#define CSD_LOCK	1U		/* queued or running: not to be reused yet */
#define CSD_SYNC	2U		/* the caller waits: unlocked after func returns */

/*
 * smp_call_function_single() - run @func(@info) on @cpu (on this CPU directly, interrupts
 * masked). 0, or -ENXIO when @cpu is not online (nothing queued), -ENOMEM.
 */
int smp_call_function_single(int cpu, smp_call_func_t func, void *info, int wait);
/*
 * smp_call_function_many() - run @func(@info) on every online CPU of @mask but this one.
 * 0, or -ENXIO when some CPU of @mask (other than this one) is not online: the online
 * ones were called all the same.
 */
int smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			   bool wait);
/* on_each_cpu() - smp_call_function_many() on every online CPU, then here (masked). */
int on_each_cpu(smp_call_func_t func, void *info, int wait);
/* smp_call_ipi() - the arch's IPI handler: run this CPU's pending calls (interrupt context). */
void smp_call_ipi(void);
/* smp_call_init() - every queue closed but the boot CPU's (before any secondary starts). */
void smp_call_init(void);
/* smp_call_cpu_open() - @cpu's queue takes calls again (before it is started). */
void smp_call_cpu_open(unsigned int cpu);
/*
 * smp_call_cpu_close() - on a CPU going down, interrupts masked: run every pending call,
 * then close the queue so that later calls fail with -ENXIO instead of being dropped.
 * Returns how many calls it ran.
 */
unsigned int smp_call_cpu_close(void);
/*
 * smp_call_outermost() - from a call: run @fn(@info) as soon as no queue run of this CPU is
 * left on its stack. In the outermost run (or outside any) it runs now and 0 is returned;
 * in a nested run (a masked waiter running its queue) it is recorded, 1 is returned, and the
 * outermost run calls it when its own list is done. One may be pending per CPU: -EBUSY.
 * For calls that end the CPU (the hotplug down request), so that no call is dropped.
 */
int smp_call_outermost(smp_call_func_t fn, void *info);
/* smp_call_cpu_shut() - offline @cpu's queue closed again (its start failed). */
void smp_call_cpu_shut(unsigned int cpu);
/* smp_call_count() - calls @cpu has run from its queue since boot. */
unsigned long smp_call_count(unsigned int cpu);

/*
 * smp_barrier() - every CPU running the current smp_call_all() work waits here until all
 * have arrived (smp_barrier_members() of them: the online CPUs when the work was posted, so
 * a CPU coming online meanwhile is not waited for). A CPU that goes down inside leaves the
 * others waiting: not for runs that take CPUs down or up.
 */
void smp_barrier(void);
unsigned int smp_barrier_members(void);

/* smp_secondary_idle() - the idle loop (calls, posted work, WFI); never returns. */
void smp_secondary_idle(unsigned int cpu) __noreturn;

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
 * arch_cpu_idle_wait() - sleep until woken by arch_cpu_kick() or some other interrupt; may
 * return early. The wait itself is a WFI with interrupts masked; the caller's interrupt
 * state is restored after it, so a pending interrupt is taken there. An interrupt taken
 * since the previous wait (between the caller's check and this call) makes it return at
 * once: callers re-check their condition in a loop and no kick is lost.
 */
void arch_cpu_idle_wait(void);
/*
 * arch_cpu_kick() - wake @cpu, or every other online CPU when @cpu is -1: the IPI (GIC SGI
 * 0, SBI IPI). Taken as an interrupt, it runs the target's call queue (smp_call_ipi()).
 */
void arch_cpu_kick(int cpu);
/* arch_has_ipi() - an IPI reaches a busy CPU as an interrupt (false: Pi 3, no SBI IPI). */
bool arch_has_ipi(void);
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
/* arch_cpu_cannot_stop() - NULL, or why @cpu cannot be handed back to firmware (spin-table). */
const char *arch_cpu_cannot_stop(unsigned int cpu);
/*
 * arch_cpu_die() - on a CPU going down, interrupts masked, after it left the online mask:
 * its timer off, then the firmware stops it (PSCI CPU_OFF, SBI HSM HART_STOP).
 */
void arch_cpu_die(void) __noreturn;
/*
 * arch_cpu_wait_dead() - on the controlling CPU: ask the firmware until it reports @cpu
 * off (PSCI AFFINITY_INFO, SBI HSM HART_GET_STATUS), at most about a second; logs the
 * result as Linux does. 0, or -ETIMEDOUT.
 */
int arch_cpu_wait_dead(unsigned int cpu);
/* smp_secondary_stack() - the top of a new stack for @cpu on its node, or 0. */
uint64_t smp_secondary_stack(unsigned int cpu);
/* smp_booted() - the boot's bring-up has finished (later starts are cpu_up()'s). */
bool smp_booted(void);
/* arch_secondary_mmu_on() - this secondary enables the boot CPU's tables. */
void arch_secondary_mmu_on(void);

#endif
