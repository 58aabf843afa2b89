/*
 * selftest_smp.c - SMP primitives under contention on every online CPU: the ticket lock
 * (mutual exclusion, and fairness: every CPU gets the lock about as often), and the
 * barrier (no CPU runs ahead of a round); printk from every CPU at once; a panic on a
 * secondary CPU.
 */
#include <pcpurt/arch.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <pcpurt/spinlock.h>
#include <stdlib.h>

/* lock/unlock pairs over all CPUs: a ticket lock under an oversubscribed emulator is slow */
#define LOCK_TOTAL	2000
#define LOCK_MIN	10
#define BARRIER_ROUNDS	50	/* smp_barrier_rounds=N: more, as a stress case */

static DEFINE_SPINLOCK(test_lock);
static unsigned long shared_count;	/* protected by test_lock, updated non-atomically */
static volatile unsigned long round_count;

static unsigned long lock_rounds;

static int lock_before(void)
{
	shared_count = 0;
	lock_rounds = MAX(LOCK_MIN, LOCK_TOTAL / num_online_cpus());
	return 0;
}

static int lock_run(void)
{
	unsigned long i;

	for (i = 0; i < lock_rounds; i++) {
		unsigned long flags = spin_lock_irqsave(&test_lock);
		unsigned long v = shared_count;

		barrier();
		shared_count = v + 1;
		spin_unlock_irqrestore(&test_lock, flags);
	}
	run_note("%lu lock/unlock pairs", lock_rounds);
	return 0;
}

static int lock_after(void)
{
	unsigned long want = (unsigned long)num_online_cpus() * lock_rounds;

	if (shared_count != want)
		return test_fail("counter %lu under the lock, want %lu", shared_count, want);
	if (spin_is_locked(&test_lock))
		return test_fail("lock left held");
	return 0;
}
DEFINE_SMP_TEST("smp-lock", lock_run, "ticket spin lock excludes every other CPU",
		lock_before, lock_after);

static unsigned long barrier_rounds = BARRIER_ROUNDS;

static int set_barrier_rounds(const char *v)
{
	char *end;

	barrier_rounds = strtoul(v, &end, 10);
	return end == v || *end || !barrier_rounds ? -1 : 0;
}
DEFINE_BOOT_PARAM("smp_barrier_rounds", set_barrier_rounds);

static int barrier_before(void)
{
	round_count = 0;
	return 0;
}

/* each round: all meet, each adds one, all meet, each sees every CPU's add and no more */
static int barrier_run(void)
{
	unsigned long n = smp_barrier_members(), r;

	if (n != num_online_cpus())
		return test_fail("%lu CPUs at the barrier, %u online", n, num_online_cpus());
	for (r = 0; r < barrier_rounds; r++) {
		smp_barrier();
		__atomic_fetch_add(&round_count, 1, __ATOMIC_RELAXED);
		smp_barrier();
		if (round_count != (r + 1) * n)
			return test_fail("round %lu: count %lu, want %lu", r, round_count,
					 (r + 1) * n);
	}
	run_note("%lu barrier rounds", barrier_rounds);
	return 0;
}
DEFINE_SMP_TEST("smp-barrier", barrier_run, "every online CPU meets at a barrier each round",
		barrier_before, NULL);

/*
 * printk-smp: every online CPU prints PRINTK_LINES lines at once, each a fixed pattern
 * with its CPU and line number; the QEMU runner checks that every line arrived whole (no
 * two CPUs' output mixed within a line).
 */
#define PRINTK_LINES	20

static int printk_run(void)
{
	unsigned int cpu = smp_processor_id(), i;

	for (i = 0; i < PRINTK_LINES; i++)
		printk("printk-smp: CPU%03u line %02u abcdefghijklmnopqrstuvwxyz0123456789 end\n",
		       cpu, i);
	run_note("%d lines", PRINTK_LINES);
	return 0;
}
DEFINE_SMP_WORKLOAD("printk-smp", printk_run,
		    "every CPU prints at once; each line must arrive whole", NULL, NULL);

/* panic-secondary: the highest online CPU takes an unexpected exception, the others wait */
static int panic_secondary_run(void)
{
	unsigned int cpu = smp_processor_id(), last = 0, c;

	if (num_online_cpus() < 2)
		return test_fail("needs a second CPU");
	for_each_online_cpu(c)
		last = c;
	if (cpu == last)
		arch_panic_now();
	for (;;)
		arch_cpu_relax();	/* the panic powers the machine off */
	return 0;
}
DEFINE_SMP_WORKLOAD("panic-secondary", panic_secondary_run,
		    "a secondary CPU takes an unexpected exception: PANIC names that CPU", NULL,
		    NULL);
