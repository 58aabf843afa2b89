/*
 * smp_call_test.c - smp-call: cross-CPU function calls, all to all, while every target is
 * busy with interrupts on.
 *
 * Every online CPU, at once, sends each other CPU, for a number of rounds: a call through
 * smp_call_function_single() without waiting, one waiting, one waiting from a section with
 * interrupts masked (its target may be waiting for it at the same moment: the waiter must
 * run its own queue), and smp_call_function_many() to all the others without and with
 * waiting. Then it stays busy, interrupts on, until every call meant for it has arrived.
 * Each call says who sent it and to whom; the callee checks it runs on the right CPU and
 * counts it in a sender x target matrix: every cell must end at exactly the number sent.
 * Waited-for single calls give the latency (send to start of the function on the target),
 * min/median/max per CPU in the table and over all CPUs in one line. Calls to an offline
 * and to an impossible CPU must fail with -ENXIO.
 */
#include <pcpurt/arch.h>
#include <pcpurt/errno.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <string.h>

#define KINDS		5	/* calls from one CPU to another per round */
#define MAX_SECONDS	120
#define BUSY_SPINS	20000
#define LAT_MAX		1024	/* latency samples kept per CPU */

struct wait_call {
	unsigned int src, dst;
	uint64_t sent, ran;
};

static unsigned int rounds, ncpu;
static uint32_t *hits;		/* [src * nr_cpu_ids + dst] */
static uint32_t *wrong;		/* [dst]: calls that ran on another CPU than meant */
static uint32_t *lat;		/* [cpu * LAT_MAX + i], counter ticks */
static unsigned int nlat[NR_CPUS];
static volatile uint32_t received[NR_CPUS];
static uint64_t mem, mem_size;
static bool skipped;

static void count(unsigned int src, unsigned int dst)
{
	unsigned int me = smp_processor_id();

	if (dst != me && dst != NR_CPUS) {
		__atomic_fetch_add(&wrong[me], 1, __ATOMIC_RELAXED);
		return;
	}
	if (dst == NR_CPUS && me == src) {		/* many: anyone but the sender */
		__atomic_fetch_add(&wrong[me], 1, __ATOMIC_RELAXED);
		return;
	}
	__atomic_fetch_add(&hits[src * nr_cpu_ids + me], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&received[me], 1, __ATOMIC_RELAXED);
}

/* no-wait calls: who sent it and to whom is in the pointer itself */
static void call_nowait(void *info)
{
	uintptr_t v = (uintptr_t)info;

	count(v >> 16, v & 0xffff);
}

static void call_wait(void *info)
{
	struct wait_call *c = info;

	c->ran = arch_counter();
	count(c->src, c->dst);
}

static void *encode(unsigned int src, unsigned int dst)
{
	return (void *)(uintptr_t)(src << 16 | dst);
}

static int call_before(void)
{
	size_t n;

	ncpu = num_online_cpus();
	rounds = ncpu <= 8 ? 8 : ncpu <= 16 ? 4 : 2;
	n = (size_t)nr_cpu_ids * nr_cpu_ids + nr_cpu_ids + (size_t)nr_cpu_ids * LAT_MAX;
	mem_size = ALIGN_UP(n * sizeof(uint32_t), SZ_4K);
	mem = alloc_pages_node(cpu_to_mem(smp_processor_id()), mem_size, SZ_4K);
	if (!mem)
		return test_fail("no memory for the call matrix");
	memset((void *)(uintptr_t)mem, 0, mem_size);
	hits = (uint32_t *)(uintptr_t)mem;
	wrong = hits + (size_t)nr_cpu_ids * nr_cpu_ids;
	lat = wrong + nr_cpu_ids;
	memset(nlat, 0, sizeof(nlat));
	memset((void *)received, 0, sizeof(received));
	skipped = !arch_has_ipi();
	return 0;
}

/* sort_u32() - Shell sort (gaps 3k+1): tens of thousands of samples, no library sort. */
static void sort_u32(uint32_t *v, unsigned int n)
{
	unsigned int gap = 1, i, j;

	while (gap < n / 3)
		gap = 3 * gap + 1;
	for (; gap; gap /= 3)
		for (i = gap; i < n; i++) {
			uint32_t t = v[i];

			for (j = i; j >= gap && v[j - gap] > t; j -= gap)
				v[j] = v[j - gap];
			v[j] = t;
		}
}

static unsigned long ticks_us(uint64_t t)
{
	return (unsigned long)(t * 1000000 / arch_counter_freq());
}

static int single_wait(unsigned int me, unsigned int dst, bool masked)
{
	struct wait_call c = { me, dst, 0, 0 };
	unsigned long flags = masked ? arch_local_irq_save() : 0;
	int rc;

	c.sent = arch_counter();
	rc = smp_call_function_single((int)dst, call_wait, &c, 1);
	if (masked)
		arch_local_irq_restore(flags);
	if (rc)
		return test_fail("CPU%u -> CPU%u: waited call returned %d", me, dst, rc);
	if (!c.ran)
		return test_fail("CPU%u -> CPU%u: waited call returned before it ran", me, dst);
	if (nlat[me] < LAT_MAX)
		lat[me * LAT_MAX + nlat[me]++] = (uint32_t)(c.ran - c.sent);
	return 0;
}

static int call_run(void)
{
	unsigned int me = smp_processor_id(), dst, r, n;
	uint32_t want = (ncpu - 1) * KINDS * rounds, *l = lat + me * LAT_MAX;
	uint64_t start, limit = arch_counter_freq() * MAX_SECONDS;
	struct cpumask others;
	int err = 0, rc;

	if (skipped) {
		run_note("skipped: the IPI is no interrupt on this machine");
		return 0;
	}
	smp_barrier();
	start = arch_counter();
	cpumask_and(&others, &cpu_online_mask, &cpu_online_mask);
	cpumask_clear_cpu(me, &others);
	for (r = 0; r < rounds && !err; r++) {
		for_each_cpu(dst, &others) {
			rc = smp_call_function_single((int)dst, call_nowait, encode(me, dst), 0);
			if (rc)
				err |= test_fail("CPU%u -> CPU%u: call returned %d", me, dst, rc);
			err |= single_wait(me, dst, false);
			err |= single_wait(me, dst, true);
		}
		rc = smp_call_function_many(&others, call_nowait, encode(me, NR_CPUS), false);
		rc |= smp_call_function_many(&others, call_nowait, encode(me, NR_CPUS), true);
		if (rc)
			err |= test_fail("CPU%u: smp_call_function_many returned %d", me, rc);
	}
	/*
	 * Busy, interrupts on, until every call meant for this CPU has come; after a while with
	 * naps between the spins (still interrupts on between them): with 64 vCPUs on a few
	 * host cores, spinning ones would starve the senders still at work.
	 */
	for (n = 0; __atomic_load_n(&received[me], __ATOMIC_ACQUIRE) < want &&
	     arch_counter() - start < limit; n++) {
		if (n < BUSY_SPINS)
			arch_cpu_relax();
		else
			arch_cpu_nap();
	}
	if (received[me] != want)
		err |= test_fail("CPU%u received %u calls, want %u", me, received[me], want);
	n = nlat[me];
	sort_u32(l, n);
	if (n)
		run_note("%u calls in, latency us min/med/max %lu/%lu/%lu", received[me],
			 ticks_us(l[0]), ticks_us(l[n / 2]), ticks_us(l[n - 1]));
	smp_barrier();
	return err;
}

static int call_after(void)
{
	unsigned int src, dst, cpu, bad = 0, nall = 0, i;
	uint32_t want = KINDS * rounds;
	uint32_t *all = lat;		/* sorted per CPU already: merged by a sort of all */
	unsigned long long total = 0;
	int err = 0, rc;

	if (skipped) {
		printk("run: smp-call: skipped (%s: no IPI interrupt)\n", arch_wake_describe());
		goto misuse;
	}
	for_each_online_cpu(src)
		for_each_online_cpu(dst) {
			uint32_t h = hits[src * nr_cpu_ids + dst];

			total += h;
			if (src != dst && h != want && bad++ < 4)
				printk("run: smp-call: CPU%u -> CPU%u ran %u times, want %u\n", src,
				       dst, h, want);
			if (src == dst && h && bad++ < 4)
				printk("run: smp-call: CPU%u ran %u calls of its own\n", src, h);
		}
	for_each_online_cpu(cpu)
		if (wrong[cpu]) {
			printk("run: smp-call: %u calls ran on CPU%u, meant elsewhere\n", wrong[cpu],
			       cpu);
			bad++;
		}
	if (bad)
		err = test_fail("%u sender/target pairs with a wrong count", bad);
	for_each_online_cpu(cpu) {
		for (i = 0; i < nlat[cpu]; i++)
			all[nall + i] = lat[cpu * LAT_MAX + i];
		nall += nlat[cpu];
	}
	sort_u32(all, nall);
	if (nall)
		printk("run: smp-call: %llu calls on %u CPUs, each ran once on its target; "
		       "latency us min/median/max %lu/%lu/%lu (%u waited calls)\n", total, ncpu,
		       ticks_us(all[0]), ticks_us(all[nall / 2]), ticks_us(all[nall - 1]), nall);
misuse:
	/* an impossible CPU, then the first possible CPU that is offline (if any) */
	rc = smp_call_function_single((int)nr_cpu_ids, call_nowait, NULL, 1);
	if (rc != -ENXIO)
		err |= test_fail("call to CPU%u (impossible) returned %d, want -ENXIO", nr_cpu_ids,
				 rc);
	for_each_possible_cpu(cpu)
		if (!cpu_online(cpu)) {
			rc = smp_call_function_single((int)cpu, call_nowait, NULL, 1);
			printk("run: smp-call: call to offline CPU%u: %d\n", cpu, rc);
			if (rc != -ENXIO)
				err |= test_fail("call to offline CPU%u returned %d", cpu, rc);
			break;
		}
	free_pages(mem, mem_size);
	return err;
}
DEFINE_SMP_TEST("smp-call", call_run,
		"cross-CPU calls all to all (single, many, waiting or not) to busy CPUs",
		call_before, call_after);
