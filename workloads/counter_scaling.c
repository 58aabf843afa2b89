/*
 * counter_scaling.c - why per-CPU counters exist: the same count kept three ways, with 1, 2,
 * 4 and 8 CPUs incrementing at once.
 *
 *   per-CPU   this_cpu_inc() on a DEFINE_PER_CPU variable: each CPU writes only its own
 *             copy (its own cache line), so adding CPUs adds throughput
 *   atomic    one shared counter, __atomic_fetch_add(): every increment moves the one
 *             cache line between CPUs
 *   locked    one shared counter under a spin lock: the line moves, and CPUs wait in line
 *
 * Each phase (one way, one CPU count) runs for counter_scaling_ms= milliseconds of the
 * arch counter; the participating CPUs start together at a time the leader sets. After
 * every phase the leader checks that the counter holds exactly the sum of the increments
 * the CPUs say they made (the per-CPU one summed over every CPU's copy), and at the end it
 * prints the table of increments per second. The check is exact; the speeds are whatever
 * the machine gives (under QEMU they say little about real hardware).
 */
#include <pcpurt/arch.h>
#include <pcpurt/percpu.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <pcpurt/spinlock.h>
#include <stdio.h>
#include <stdlib.h>

enum { WAY_PERCPU, WAY_ATOMIC, WAY_LOCKED, NR_WAYS };
static const char *const way_name[NR_WAYS] = { "per-CPU", "atomic", "locked" };
static const unsigned int cpu_steps[] = { 1, 2, 4, 8 };
#define NR_STEPS	(sizeof(cpu_steps) / sizeof(cpu_steps[0]))
#define BURST		64	/* increments between two looks at the clock */

static unsigned long phase_ms = 20;

static DEFINE_PER_CPU(uint64_t, percpu_count);
static uint64_t atomic_count;
static DEFINE_SPINLOCK(count_lock);
static uint64_t locked_count;		/* under count_lock */

static uint64_t start_at, end_at;	/* the phase's window, in arch counter ticks */
static uint64_t done[NR_CPUS];		/* increments each CPU made in this phase */
static uint64_t ops[NR_STEPS][NR_WAYS];	/* every CPU's increments of a phase, summed */
static unsigned int steps_run;
static int mismatches;

static int set_phase_ms(const char *v)
{
	char *end;

	phase_ms = strtoul(v, &end, 0);
	return end == v || *end || !phase_ms || phase_ms > 1000 ? -1 : 0;
}
DEFINE_BOOT_PARAM("counter_scaling_ms", set_phase_ms);

/* This CPU's place among the online CPUs: 0 for the first online CPU, and so on. */
static unsigned int online_rank(unsigned int me)
{
	unsigned int cpu, rank = 0;

	for_each_online_cpu(cpu)
		rank += cpu < me;
	return rank;
}

/* Increment one way until the window closes; returns how many increments this CPU made. */
static uint64_t hammer(int way)
{
	uint64_t n = 0;
	int i;

	while (arch_counter() < start_at)
		;
	do {
		for (i = 0; i < BURST; i++) {
			if (way == WAY_PERCPU) {
				this_cpu_inc(percpu_count);
			} else if (way == WAY_ATOMIC) {
				__atomic_fetch_add(&atomic_count, 1, __ATOMIC_RELAXED);
			} else {
				spin_lock(&count_lock);
				locked_count++;
				spin_unlock(&count_lock);
			}
		}
		n += BURST;
	} while (arch_counter() < end_at);
	return n;
}

/* The count a way holds now (per-CPU: every CPU's copy added up). */
static uint64_t way_total(int way)
{
	uint64_t sum = 0;
	unsigned int cpu;

	if (way == WAY_ATOMIC)
		return atomic_count;
	if (way == WAY_LOCKED)
		return locked_count;
	for_each_possible_cpu(cpu)
		sum += per_cpu(percpu_count, cpu);
	return sum;
}

/* The leader's check after a phase: the counter equals the increments the CPUs reported. */
static void check_phase(unsigned int step, int way)
{
	uint64_t want = 0, got = way_total(way);
	unsigned int cpu;

	for_each_online_cpu(cpu)
		want += done[cpu];
	ops[step][way] = want;
	if (got != want) {
		printk("counter-scaling: %u CPUs, %s: counter %llu, the CPUs made %llu\n",
		       cpu_steps[step], way_name[way], (unsigned long long)got,
		       (unsigned long long)want);
		mismatches++;
	}
}

static int scaling_before(void)
{
	steps_run = 0;
	mismatches = 0;
	return 0;
}

/* Runs on every online CPU; the first online CPU leads (sets windows, checks counts). */
static int scaling_run(void)
{
	unsigned int me = smp_processor_id(), rank = online_rank(me), step, cpu;
	uint64_t mine[NR_WAYS] = { 0 };
	int way;

	for (step = 0; step < NR_STEPS && cpu_steps[step] <= num_online_cpus(); step++) {
		for (way = 0; way < NR_WAYS; way++) {
			if (rank == 0) {
				for_each_possible_cpu(cpu)
					per_cpu(percpu_count, cpu) = 0;
				atomic_count = locked_count = 0;
				/* 2 ms for every CPU to leave the barrier before the start */
				start_at = arch_counter() + arch_counter_freq() / 500;
				end_at = start_at + arch_counter_freq() * phase_ms / 1000;
			}
			smp_barrier();
			/* done[] is written only between the two barriers, read after them */
			done[me] = rank < cpu_steps[step] ? hammer(way) : 0;
			smp_barrier();
			if (rank == 0)
				check_phase(step, way);
			if (done[me])
				mine[way] = done[me];
		}
		if (rank == 0)
			steps_run = step + 1;
	}
	run_note("last phase: per-CPU %llu, atomic %llu, locked %llu",
		 (unsigned long long)mine[WAY_PERCPU], (unsigned long long)mine[WAY_ATOMIC],
		 (unsigned long long)mine[WAY_LOCKED]);
	return 0;
}

/* Millions of increments per second, with two decimals, for the table. */
static void print_mops(char *buf, size_t size, uint64_t n)
{
	uint64_t per_s = n * 1000 / phase_ms;

	snprintf(buf, size, "%6llu.%02llu", (unsigned long long)(per_s / 1000000),
		 (unsigned long long)(per_s / 10000 % 100));
}

static int scaling_after(void)
{
	char cell[NR_WAYS][16];
	unsigned int step;
	int way;

	printk("counter-scaling: increments per second (millions, all CPUs), %lu ms a phase\n",
	       phase_ms);
	printk("counter-scaling: CPUs   %9s  %9s  %9s\n", way_name[0], way_name[1], way_name[2]);
	for (step = 0; step < steps_run; step++) {
		for (way = 0; way < NR_WAYS; way++)
			print_mops(cell[way], sizeof(cell[way]), ops[step][way]);
		printk("counter-scaling: %4u   %9s  %9s  %9s\n", cpu_steps[step], cell[0],
		       cell[1], cell[2]);
	}
	if (mismatches)
		return test_fail("%d phases where a counter lost or gained increments", mismatches);
	printk("counter-scaling: every count exact (%u phases)\n", steps_run * NR_WAYS);
	return 0;
}
DEFINE_SMP_WORKLOAD("counter-scaling", scaling_run,
		    "per-CPU vs atomic vs locked counter on 1/2/4/8 CPUs: increments per second",
		    scaling_before, scaling_after);
