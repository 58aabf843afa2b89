/*
 * smp_call.c - running work on every online CPU at once, and a barrier they can meet at.
 *
 * The boot CPU publishes a function and bumps a generation number; idle secondaries see
 * the new generation, run the function, store its result and count themselves done. The
 * barrier is a sense-reversing counter over the online CPUs.
 */
#include <pcpurt/smp.h>
#include <pcpurt/arch.h>
#include <pcpurt/percpu.h>

static struct {
	int (*volatile fn)(void);
	volatile unsigned long gen;
	volatile unsigned int done;
	unsigned int waiting;		/* CPUs that must finish */
	unsigned int caller;
	int *results;
} work;

static struct {
	volatile unsigned int count;
	volatile unsigned int sense;
} bar;

DEFINE_PER_CPU(unsigned long, idle_wakeups);

static void run_work(unsigned int cpu)
{
	int rc = work.fn();

	if (work.results)
		work.results[cpu] = rc;
	if (__atomic_add_fetch(&work.done, 1, __ATOMIC_ACQ_REL) == work.waiting)
		arch_cpu_kick(work.caller);
}

void smp_secondary_idle(unsigned int cpu) __noreturn;

void smp_secondary_idle(unsigned int cpu)
{
	unsigned long seen = __atomic_load_n(&work.gen, __ATOMIC_ACQUIRE);

	for (;;) {
		unsigned long gen = __atomic_load_n(&work.gen, __ATOMIC_ACQUIRE);

		if (gen == seen) {
			arch_cpu_idle_wait();
			this_cpu_inc(idle_wakeups);
			continue;
		}
		seen = gen;
		run_work(cpu);
	}
}

int smp_call_all(int (*fn)(void), int *results)
{
	unsigned int cpu, n = num_online_cpus(), failed = 0;

	work.fn = fn;
	work.results = results;
	work.done = 0;
	work.waiting = n;
	work.caller = smp_processor_id();
	__atomic_fetch_add(&work.gen, 1, __ATOMIC_RELEASE);
	arch_cpu_kick(-1);
	run_work(smp_processor_id());
	while (__atomic_load_n(&work.done, __ATOMIC_ACQUIRE) < n)
		arch_cpu_idle_wait();
	if (results)
		for_each_online_cpu(cpu)
			failed += results[cpu] != 0;
	return failed;
}

void smp_barrier(void)
{
	unsigned int sense = __atomic_load_n(&bar.sense, __ATOMIC_ACQUIRE);

	if (__atomic_add_fetch(&bar.count, 1, __ATOMIC_ACQ_REL) == num_online_cpus()) {
		bar.count = 0;
		__atomic_store_n(&bar.sense, !sense, __ATOMIC_RELEASE);
		arch_cpu_kick(-1);
		return;
	}
	while (__atomic_load_n(&bar.sense, __ATOMIC_ACQUIRE) == sense)
		arch_cpu_idle_wait();
}
