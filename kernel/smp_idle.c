/*
 * smp_idle.c - what an online CPU does when it has nothing to do, and running work on
 * CPUs in thread context: the idle loop, per-CPU work slots (smp_run_on(), smp_call_all())
 * and a barrier the online CPUs can meet at.
 *
 * An idle CPU waits in arch_cpu_idle_wait() with interrupts on between waits, so its call
 * queue runs as soon as an IPI arrives. It also looks at its queue itself each time round
 * (interrupts masked), which is how calls reach an idle CPU on a machine whose IPI is not
 * an interrupt (the Pi 3's WFE/SEV). Work posted to its slot runs in thread context with
 * interrupts on; the poster is kicked when it returns.
 *
 * The barrier counts the CPUs that run the current smp_call_all() work (its members), not
 * the online CPUs at the time of each arrival: a CPU that comes online meanwhile, or one
 * whose slot could not take the work, is not waited for.
 */
#include <pcpurt/smp.h>
#include <pcpurt/arch.h>
#include <pcpurt/errno.h>
#include <pcpurt/percpu.h>
#include <pcpurt/printk.h>

struct cpu_work {
	int (*fn)(void);
	int *result;
	int *done;
	unsigned int poster;
} __aligned(64);

static struct cpu_work slots[NR_CPUS];

/* a claimed slot: work is on its way, not to be run yet */
static int slot_claimed(void)
{
	return 0;
}

static struct {
	unsigned int count;	/* arrivals in this round */
	unsigned int sense;	/* flipped by the last arrival of each round */
	unsigned int members;	/* CPUs running the current smp_call_all() work */
} bar = { .members = 1 };

DEFINE_PER_CPU(unsigned long, idle_wakeups);

/* run_slot() - run @cpu's posted work, if any; true when there was some. */
static bool run_slot(unsigned int cpu)
{
	struct cpu_work *w = &slots[cpu];
	int (*fn)(void) = __atomic_load_n(&w->fn, __ATOMIC_ACQUIRE);
	int *result, *done, rc;
	unsigned int poster;
	unsigned long flags;

	if (!fn || fn == slot_claimed)
		return false;
	result = w->result;
	done = w->done;
	poster = w->poster;
	rc = fn();
	/* masked: a request to go down finds the work either finished or still to abandon */
	flags = arch_local_irq_save();
	if (result)
		*result = rc;
	__atomic_store_n(&w->fn, NULL, __ATOMIC_RELEASE);
	if (done)
		__atomic_store_n(done, 1, __ATOMIC_RELEASE);
	arch_local_irq_restore(flags);
	arch_cpu_kick((int)poster);
	return true;
}

/* The idle loop of every CPU but the one that drives the run. Interrupts are on here. */
void smp_secondary_idle(unsigned int cpu)
{
	for (;;) {
		unsigned long flags = arch_local_irq_save();

		smp_call_ipi();
		arch_local_irq_restore(flags);
		if (run_slot(cpu))
			continue;
		arch_cpu_idle_wait();
		this_cpu_inc(idle_wakeups);
	}
}

int smp_run_on(unsigned int cpu, int (*fn)(void), int *result, int *done)
{
	struct cpu_work *w;
	int (*none)(void) = NULL;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -ENXIO;
	w = &slots[cpu];
	if (__atomic_load_n(&w->fn, __ATOMIC_ACQUIRE))
		return -EBUSY;
	w->result = result;
	w->done = done;
	w->poster = smp_processor_id();
	if (done)
		*done = 0;
	if (!__atomic_compare_exchange_n(&w->fn, &none, fn, false, __ATOMIC_RELEASE,
					 __ATOMIC_RELAXED))
		return -EBUSY;
	arch_cpu_kick((int)cpu);
	return 0;
}

void smp_run_abandon(unsigned int cpu)
{
	struct cpu_work *w = &slots[cpu];
	int (*fn)(void) = __atomic_exchange_n(&w->fn, NULL, __ATOMIC_ACQ_REL);

	if (!fn || fn == slot_claimed)	/* claimed: smp_call_all() finds it gone */
		return;
	if (w->result)
		*w->result = -ENXIO;
	if (w->done)
		__atomic_store_n(w->done, -1, __ATOMIC_RELEASE);
	arch_cpu_kick((int)w->poster);
}

/* claim_slot() - @cpu's slot held for work to come (0), or -EBUSY. */
static int claim_slot(unsigned int cpu)
{
	int (*none)(void) = NULL;

	return __atomic_compare_exchange_n(&slots[cpu].fn, &none, slot_claimed, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED) ? 0 : -EBUSY;
}

/*
 * smp_call_all() claims every online CPU's slot first, so that the barrier's member count is
 * known before any member runs; a CPU whose slot is busy is reported and left out.
 */
int smp_call_all(int (*fn)(void), int *results)
{
	static int done[NR_CPUS];
	unsigned int cpu, me = smp_processor_id(), failed = 0;
	struct cpumask ran;
	bool all;

	cpumask_clear(&ran);
	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		if (claim_slot(cpu)) {
			printk("smp: CPU%u is busy with other work: left out of this run\n", cpu);
			failed++;
			continue;
		}
		cpumask_set_cpu(cpu, &ran);
	}
	__atomic_store_n(&bar.members, cpumask_weight(&ran) + 1, __ATOMIC_RELAXED);
	for_each_cpu(cpu, &ran) {
		struct cpu_work *w = &slots[cpu];
		int (*claimed)(void) = slot_claimed;

		w->result = results ? &results[cpu] : NULL;
		w->done = &done[cpu];
		w->poster = me;
		done[cpu] = 0;
		/* publishes the above; fails when the CPU went down since the claim */
		if (__atomic_compare_exchange_n(&w->fn, &claimed, fn, false, __ATOMIC_RELEASE,
						__ATOMIC_RELAXED))
			arch_cpu_kick((int)cpu);
		else
			done[cpu] = -1;
	}
	if (results)
		results[me] = fn();
	else
		fn();
	cpumask_set_cpu(me, &ran);
	done[me] = 1;
	do {
		all = true;
		for_each_cpu(cpu, &ran)
			all &= __atomic_load_n(&done[cpu], __ATOMIC_ACQUIRE) != 0;
		if (!all)
			arch_cpu_idle_wait();
	} while (!all);
	for_each_cpu(cpu, &ran) {
		if (done[cpu] < 0) {	/* it went down meanwhile: its part did not finish */
			printk("smp: CPU%u went down during the run: its part abandoned\n", cpu);
			failed++;
		} else if (results) {
			failed += results[cpu] != 0;
		}
	}
	return failed;
}

unsigned int smp_barrier_members(void)
{
	return __atomic_load_n(&bar.members, __ATOMIC_RELAXED);
}

/*
 * The count is back at 0 before the sense flips (the release orders them), so a CPU that
 * leaves and arrives at the next round at once counts there. Waiters sleep until an IPI
 * (the last arrival kicks every CPU after the flip) and look at the sense after each.
 */
void smp_barrier(void)
{
	unsigned int sense = __atomic_load_n(&bar.sense, __ATOMIC_ACQUIRE);
	unsigned int members = __atomic_load_n(&bar.members, __ATOMIC_RELAXED);

	if (__atomic_add_fetch(&bar.count, 1, __ATOMIC_ACQ_REL) == members) {
		__atomic_store_n(&bar.count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&bar.sense, !sense, __ATOMIC_RELEASE);
		arch_cpu_kick(-1);
		return;
	}
	while (__atomic_load_n(&bar.sense, __ATOMIC_ACQUIRE) == sense)
		arch_cpu_idle_wait();
}
