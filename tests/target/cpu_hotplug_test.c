/*
 * cpu_hotplug_test.c - cpu-hotplug: CPUs go down and come back while the others work, and
 * every CPU's per-CPU data comes through whole.
 *
 * Every online CPU but the driver runs a worker (interrupts on): in a section with
 * interrupts masked it adds one to static per-CPU counters of 1, 2, 4 and 8 bytes, to a
 * percpu_counter and to its own count of increments, and checks its copy of every dynamic
 * allocation. A CPU going down stops its worker between two sections (the IPI that takes
 * it down lands outside them); back up, it gets a new worker. For hotplug_cycles=N cycles
 * (default 10) a random CPU goes down, a dynamic allocation is made and checked zero in
 * every CPU's copy (the offline one's too) and filled with a pattern per CPU, and the CPU
 * comes back. Then: each counter of each CPU equals its increments (mod its width), the
 * percpu_counter's sum equals the total and its fast read is within the batch bound,
 * every pattern is intact, every unit where it was, and no allocation or stack leaked.
 *
 * Before the cycles: the refusals (impossible CPU, online/offline twice, the driver
 * itself, the last online CPU with 2 CPUs, a firmware refusal of the start) and the
 * rollback of a failing step at each level, both ways; a machine whose CPUs cannot be
 * stopped (spin-table) must refuse cpu_down with -EOPNOTSUPP, and the run passes.
 */
#include <pcpurt/arch.h>
#include <pcpurt/cpuhp.h>
#include <pcpurt/errno.h>
#include <pcpurt/kmalloc.h>
#include <pcpurt/percpu.h>
#include <pcpurt/percpu_alloc.h>
#include <pcpurt/percpu_alloc_counter.h>
#include <pcpurt/percpu_alloc_stats.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <pcpurt/vmalloc.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ALLOCS	64
#define ALLOC_WORDS	8

static unsigned long cycles = 10;
static unsigned long seed = 1;
static bool no_workers;		/* hotplug_workers=0: the others idle (the bench's case) */
static bool boot_cpu_down;	/* hotplug_boot_cpu=1: the run moves off CPU 0, CPU 0 goes down */

static int set_boot_cpu(const char *v)
{
	boot_cpu_down = !strcmp(v, "1");
	return boot_cpu_down || !strcmp(v, "0") ? 0 : -1;
}
DEFINE_BOOT_PARAM("hotplug_boot_cpu", set_boot_cpu);

static int set_workers(const char *v)
{
	no_workers = !strcmp(v, "0");
	return no_workers || !strcmp(v, "1") ? 0 : -1;
}
DEFINE_BOOT_PARAM("hotplug_workers", set_workers);

static int set_cycles(const char *v)
{
	char *end;

	cycles = strtoul(v, &end, 10);
	return end == v || *end ? -1 : 0;
}
DEFINE_BOOT_PARAM("hotplug_cycles", set_cycles);

static int set_seed(const char *v)
{
	char *end;

	seed = strtoul(v, &end, 10);
	return end == v || *end ? -1 : 0;
}
DEFINE_BOOT_PARAM("hotplug_seed", set_seed);

struct hp_counts {
	uint8_t c8;
	uint16_t c16;
	uint32_t c32;
	uint64_t c64;
	uint64_t incs;		/* the worker's own count, in the same masked section */
	uint64_t bad_pattern;
};
static DEFINE_PER_CPU(struct hp_counts, hp);

static struct percpu_counter hp_counter;
static uint64_t *allocs[MAX_ALLOCS];
static volatile unsigned int nr_allocs;
static volatile int stop;
static int worker_done[NR_CPUS];
static uint64_t unit_addr[NR_CPUS];
static uint32_t down_us[1024], up_us[1024], cycle_us[1024];

/* cross-CPU calls the workers send each other while CPUs come and go */
static uint64_t calls_sent, calls_refused, calls_ran;

static void call_counted(void *info)
{
	(void)info;
	__atomic_fetch_add(&calls_ran, 1, __ATOMIC_RELAXED);
}

/* one call to another CPU, counted in the same masked section as it is queued */
static void send_call(unsigned int me, unsigned int n)
{
	unsigned int cpu = (me + 1 + n % (nr_cpu_ids - 1)) % nr_cpu_ids;
	unsigned long flags = arch_local_irq_save();
	int rc = smp_call_function_single((int)cpu, call_counted, NULL, 0);

	if (!rc)
		__atomic_fetch_add(&calls_sent, 1, __ATOMIC_RELAXED);
	else if (rc == -ENXIO)
		__atomic_fetch_add(&calls_refused, 1, __ATOMIC_RELAXED);
	arch_local_irq_restore(flags);
}

/* under cpus_read_lock() the online set stays what it was: walked twice, the same */
static uint64_t read_walks, read_walks_changed;

static void read_locked_walk(void)
{
	struct cpumask first;
	unsigned int i;

	cpus_read_lock();
	cpumask_and(&first, &cpu_online_mask, &cpu_online_mask);
	for (i = 0; i < 2000; i++)
		arch_cpu_relax();
	if (!cpumask_equal(&first, &cpu_online_mask))
		__atomic_fetch_add(&read_walks_changed, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&read_walks, 1, __ATOMIC_RELAXED);
	cpus_read_unlock();
}

static uint64_t pattern(unsigned int cpu, unsigned int a, unsigned int w)
{
	return 0x5eed000000000000ULL ^ ((uint64_t)cpu << 32) ^ ((uint64_t)a << 16) ^ w;
}

static int worker(void)
{
	unsigned int me = smp_processor_id(), a, w, n = 0;

	read_locked_walk();
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		unsigned long flags = arch_local_irq_save();

		this_cpu_inc(hp.c8);
		this_cpu_inc(hp.c16);
		this_cpu_inc(hp.c32);
		this_cpu_inc(hp.c64);
		percpu_counter_add(&hp_counter, 1);
		this_cpu_inc(hp.incs);
		arch_local_irq_restore(flags);
		if (++n % 256)
			continue;
		if (nr_cpu_ids > 1)
			send_call(me, n / 256);
		if (n % 1024 == 0)
			read_locked_walk();
		for (a = 0; a < __atomic_load_n(&nr_allocs, __ATOMIC_ACQUIRE); a++) {
			uint64_t *p = per_cpu_ptr(allocs[a], me);

			for (w = 0; w < ALLOC_WORDS; w++)
				if (p[w] != pattern(me, a, w))
					this_cpu_inc(hp.bad_pattern);
		}
	}
	return 0;
}

static uint64_t now_us(void)
{
	return arch_counter() * 1000000 / arch_counter_freq();
}

static unsigned long rnd(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned long)(seed >> 33);
}

/* the test's own steps at each level: count where they ran, fail once when armed */
static int fail_level = -1, fail_down_level = -1;
static unsigned int step_runs[CPUHP_LEVELS][2], step_wrong;
static int step_ids[CPUHP_LEVELS];

static int step(enum cpuhp_level level, unsigned int cpu, bool up)
{
	if (level != CPUHP_PREPARE && cpu != smp_processor_id())
		step_wrong++;
	step_runs[level][up]++;
	if ((up ? fail_level : fail_down_level) == (int)level) {
		fail_level = fail_down_level = -1;
		return -EIO;
	}
	return 0;
}
static int prep_up(unsigned int cpu) { return step(CPUHP_PREPARE, cpu, true); }
static int prep_down(unsigned int cpu) { return step(CPUHP_PREPARE, cpu, false); }
static int start_up(unsigned int cpu) { return step(CPUHP_STARTING, cpu, true); }
static int start_down(unsigned int cpu) { return step(CPUHP_STARTING, cpu, false); }
static int online_up(unsigned int cpu) { return step(CPUHP_ONLINE, cpu, true); }
static int online_down(unsigned int cpu) { return step(CPUHP_ONLINE, cpu, false); }

static int expect(int rc, int want, const char *what, unsigned int cpu)
{
	if (rc == want)
		return 0;
	return test_fail("%s CPU%u returned %d, want %d", what, cpu, rc, want);
}

/* refusals, and the rollback of a step failing at each level going up and down */
static int bad_inputs(unsigned int me, unsigned int victim)
{
	static const char *const names[CPUHP_LEVELS] = { "prepare", "starting", "online" };
	int err = 0, lvl;

	err |= expect(cpu_down(nr_cpu_ids), -EINVAL, "cpu_down of impossible", nr_cpu_ids);
	err |= expect(cpu_up(nr_cpu_ids + 7), -EINVAL, "cpu_up of impossible", nr_cpu_ids + 7);
	err |= expect(cpu_up(me), -EALREADY, "cpu_up of online", me);
	err |= expect(cpu_down(me), -EBUSY, "cpu_down of self", me);
	err |= expect(cpu_down(victim), 0, "cpu_down", victim);
	err |= expect(cpu_down(victim), -EALREADY, "cpu_down of offline", victim);
	if (num_online_cpus() == 1)
		err |= expect(cpu_down(me), -EBUSY, "cpu_down of the last online", me);
	cpu_hotplug_test_refuse_next_start();
	err |= expect(cpu_up(victim), -EIO, "cpu_up refused by firmware:", victim);
	if (cpu_online(victim))
		err |= test_fail("CPU%u online after a refused start", victim);
	for (lvl = 0; lvl < CPUHP_LEVELS; lvl++) {
		fail_level = lvl;
		printk("run: cpu-hotplug: a %s step fails going up:\n", names[lvl]);
		err |= expect(cpu_up(victim), -EIO, "cpu_up with a failing step,", victim);
		if (cpu_online(victim) || cpuhp_steps_done(victim))
			err |= test_fail("CPU%u not rolled back (%s): steps 0x%x", victim,
					 names[lvl], cpuhp_steps_done(victim));
	}
	err |= expect(cpu_up(victim), 0, "cpu_up", victim);
	for (lvl = 0; lvl < CPUHP_LEVELS; lvl++) {
		fail_down_level = lvl;
		printk("run: cpu-hotplug: a %s step fails going down:\n", names[lvl]);
		err |= expect(cpu_down(victim), -EIO, "cpu_down with a failing step,", victim);
		if (!cpu_online(victim))
			err |= test_fail("CPU%u not back online (%s)", victim, names[lvl]);
	}
	return err;
}

/*
 * A down request in a nested queue run: on the victim, call A waits (interrupts masked, as
 * in its IPI) for call C on a helper CPU, running its own queue meanwhile; B and the down
 * request land in those nested runs (C holds A until the victim's queue counted the run
 * that took the request). The victim must finish A and run every call once before it dies.
 */
static volatile unsigned int nd_a, nd_b, nd_c, nd_a_cpu, nd_b_cpu, nd_victim;
static volatile unsigned long nd_release_at;	/* C returns once the victim ran this many */

static void nd_call_c(void *info)
{
	uint64_t t0 = now_us();

	(void)info;
	nd_c++;
	while (smp_call_count(nd_victim) < __atomic_load_n(&nd_release_at, __ATOMIC_ACQUIRE) &&
	       now_us() - t0 < 2000000)
		arch_cpu_relax();
}

static void nd_call_a(void *info)
{
	int *helper = info;

	if (smp_call_function_single(*helper, nd_call_c, NULL, 1))
		test_fail("nested down: call to helper CPU%d refused", *helper);
	nd_a_cpu = smp_processor_id();
	nd_a++;
}

static void nd_call_b(void *info)
{
	(void)info;
	nd_b_cpu = smp_processor_id();
	nd_b++;
}

static int nested_down(unsigned int me, unsigned int victim)
{
	static int helper;
	unsigned long base = smp_call_count(victim);
	unsigned int cpu;
	uint64_t t0;
	int err = 0;

	helper = -1;
	for_each_online_cpu(cpu)
		if (cpu != me && cpu != victim)
			helper = (int)cpu;
	if (helper < 0) {
		printk("run: cpu-hotplug: nested down skipped: needs 3 online CPUs\n");
		return 0;
	}
	nd_a = nd_b = nd_c = 0;
	nd_a_cpu = nd_b_cpu = NR_CPUS;
	nd_victim = victim;
	nd_release_at = ~0UL;
	err |= expect(smp_call_function_single((int)victim, nd_call_a, &helper, 0), 0,
		      "nested down: call A to", victim);
	for (t0 = now_us(); !nd_c && now_us() - t0 < 1000000;)
		arch_cpu_relax();
	err |= expect(smp_call_function_single((int)victim, nd_call_b, NULL, 0), 0,
		      "nested down: call B to", victim);
	/* B ran in a nested run (counted): the next nested run is the one with the request */
	for (t0 = now_us(); smp_call_count(victim) < base + 1 && now_us() - t0 < 1000000;)
		arch_cpu_relax();
	__atomic_store_n(&nd_release_at, base + 2, __ATOMIC_RELEASE);
	err |= expect(cpu_down(victim), 0, "nested down: cpu_down", victim);
	printk("run: cpu-hotplug: nested down of CPU%u: A %u B %u C %u (helper CPU%d)\n",
	       victim, nd_a, nd_b, nd_c, helper);
	if (nd_a != 1 || nd_b != 1 || nd_c != 1 || nd_a_cpu != victim || nd_b_cpu != victim)
		err |= test_fail("nested down: calls ran A %u B %u C %u times, want once each",
				 nd_a, nd_b, nd_c);
	err |= expect(cpu_up(victim), 0, "nested down: cpu_up", victim);
	return err;
}

static void sort32(uint32_t *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j && v[j - 1] > v[j]; j--) {
			uint32_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static void print_times(const char *what, uint32_t *v, unsigned int n)
{
	if (!n)
		return;
	sort32(v, n);
	printk("run: cpu-hotplug: %s us min/median/max %u/%u/%u over %u cycles\n", what, v[0],
	       v[n / 2], v[n - 1], n);
}

/* new_alloc() - one more dynamic allocation: zero in every CPU's copy, then patterned. */
static int new_alloc(void)
{
	unsigned int a = nr_allocs, cpu, w;
	uint64_t *p;

	if (a == MAX_ALLOCS)
		return 0;
	p = __alloc_percpu(ALLOC_WORDS * sizeof(uint64_t), 8);
	if (!p)
		return test_fail("alloc_percpu failed");
	for_each_possible_cpu(cpu) {
		uint64_t *c = per_cpu_ptr(p, cpu);

		for (w = 0; w < ALLOC_WORDS; w++) {
			if (c[w])
				return test_fail("new allocation not zero in CPU%u's copy%s", cpu,
						 cpu_online(cpu) ? "" : " (offline)");
			c[w] = pattern(cpu, a, w);
		}
	}
	allocs[a] = p;
	__atomic_store_n(&nr_allocs, a + 1, __ATOMIC_RELEASE);
	return 0;
}

static void start_workers(unsigned int me)
{
	unsigned int cpu;

	if (no_workers)
		return;
	for_each_online_cpu(cpu)
		if (cpu != me)
			smp_run_on(cpu, worker, NULL, &worker_done[cpu]);
}

/* start_held_back() - CPUs present but not started at boot (maxcpus=), as Linux's online */
static int start_held_back(void)
{
	unsigned int cpu, n = 0;
	int err = 0;

	for_each_present_cpu(cpu) {
		if (cpu_online(cpu) || cpu_map.cpu[cpu].dt_disabled)
			continue;
		err |= expect(cpu_up(cpu), 0, "cpu_up of a CPU held back at boot,", cpu);
		n++;
	}
	if (n)
		printk("run: cpu-hotplug: %u CPUs held back at boot started by cpu_up(), %u "
		       "online\n", n, num_online_cpus());
	return err;
}

static int check_end(unsigned int ndone)
{
	uint64_t total = 0;
	int64_t exact, fast;
	unsigned int cpu, a, w, bad = 0;
	int err = 0;

	for_each_possible_cpu(cpu) {
		struct hp_counts *c = per_cpu_ptr(&hp, cpu);

		total += c->incs;
		if (c->c64 != c->incs || c->c32 != (uint32_t)c->incs ||
		    c->c16 != (uint16_t)c->incs || c->c8 != (uint8_t)c->incs)
			err |= test_fail("CPU%u: counters %llu/%u/%u/%u, want %llu (mod width)",
					 cpu, (unsigned long long)c->c64, c->c32, c->c16, c->c8,
					 (unsigned long long)c->incs);
		if (c->bad_pattern)
			err |= test_fail("CPU%u saw %llu bad pattern words", cpu,
					 (unsigned long long)c->bad_pattern);
		if ((uint64_t)(uintptr_t)per_cpu_ptr(&hp, cpu) != unit_addr[cpu])
			err |= test_fail("CPU%u's unit moved", cpu);
		for (a = 0; a < nr_allocs; a++)
			for (w = 0; w < ALLOC_WORDS; w++)
				bad += ((uint64_t *)per_cpu_ptr(allocs[a], cpu))[w] !=
				       pattern(cpu, a, w);
	}
	if (bad)
		err |= test_fail("%u dynamic pattern words changed", bad);
	/* every call accepted ran exactly once, on a CPU that was up or came down meanwhile */
	for (cpu = 0; cpu < 1000 && __atomic_load_n(&calls_ran, __ATOMIC_ACQUIRE) < calls_sent;
	     cpu++)
		arch_cpu_nap();
	if (calls_ran != calls_sent)
		err |= test_fail("%llu cross-CPU calls accepted, %llu ran",
				 (unsigned long long)calls_sent, (unsigned long long)calls_ran);
	printk("run: cpu-hotplug: %llu cross-CPU calls accepted and run once each, %llu refused "
	       "(-ENXIO: target offline)\n", (unsigned long long)calls_sent,
	       (unsigned long long)calls_refused);
	if (!read_walks && !no_workers && ndone)
		err |= test_fail("no worker walked the online CPUs under cpus_read_lock()");
	if (read_walks_changed)
		err |= test_fail("the online set changed under cpus_read_lock() %llu times",
				 (unsigned long long)read_walks_changed);
	printk("run: cpu-hotplug: %llu walks of the online CPUs under cpus_read_lock(), the "
	       "set unchanged in each\n", (unsigned long long)read_walks);
	exact = percpu_counter_sum(&hp_counter);
	fast = percpu_counter_read(&hp_counter);
	if (exact != (int64_t)total)
		err |= test_fail("percpu_counter sum %lld, want %llu", (long long)exact,
				 (unsigned long long)total);
	if (exact - fast >= (int64_t)hp_counter.batch * nr_cpu_ids || fast > exact)
		err |= test_fail("percpu_counter read %lld, sum %lld: beyond the batch bound",
				 (long long)fast, (long long)exact);
	printk("run: cpu-hotplug: %llu increments on %u possible CPUs, counters exact, "
	       "percpu_counter sum %lld read %lld (batch %d), %u allocations intact\n",
	       (unsigned long long)total, num_possible_cpus(), (long long)exact,
	       (long long)fast, hp_counter.batch, nr_allocs);
	return err;
}

static int hotplug_run(void)
{
	unsigned int me = smp_processor_id(), cpu, i, ndown = 0, victim = me, a;
	unsigned long kbefore, mapped0, mapped1, unmapped;
	unsigned int ranges, new_stacks = 0;
	struct pcpu_stats st0, st1;
	const char *why;
	int err = 0, lvl;

	for_each_online_cpu(cpu)
		if (cpu != me) {
			victim = cpu;
			break;
		}
	if (victim == me)
		return test_fail("needs two online CPUs");
	if (boot_cpu_down && me == 0) {
		run_move_driver(victim);	/* returns only if it could not */
		return test_fail("could not move the run off the boot CPU");
	}
	why = arch_cpu_cannot_stop(victim);
	if (why) {
		err = expect(cpu_down(victim), -EOPNOTSUPP, "cpu_down of unstoppable", victim);
		printk("run: cpu-hotplug: cpu_down refused as it must (%s): no cycles\n", why);
		return err;
	}
	kbefore = kmalloc_bytes_in_use();
	pcpu_allocator_stats(&pcpu_default, &st0);
	vm_stats(&mapped0, &unmapped, &ranges);
	for_each_possible_cpu(cpu) {
		unit_addr[cpu] = (uintptr_t)per_cpu_ptr(&hp, cpu);
		memset(per_cpu_ptr(&hp, cpu), 0, sizeof(struct hp_counts));
		new_stacks += cpu != me && !secondary_boot.stack_top[cpu];
	}
	step_ids[0] = cpuhp_setup_state(CPUHP_PREPARE, "test:prepare", prep_up, prep_down);
	step_ids[1] = cpuhp_setup_state(CPUHP_STARTING, "test:starting", start_up, start_down);
	step_ids[2] = cpuhp_setup_state(CPUHP_ONLINE, "test:online", online_up, online_down);
	if (step_ids[0] < 0 || step_ids[1] < 0 || step_ids[2] < 0)
		return test_fail("could not register the test's steps");
	if (percpu_counter_init(&hp_counter, &pcpu_default, 0, 0))
		return test_fail("percpu_counter_init failed");
	nr_allocs = 0;
	stop = 0;
	calls_sent = calls_refused = calls_ran = 0;
	read_walks = read_walks_changed = 0;
	err |= new_alloc();
	err |= start_held_back();
	err |= bad_inputs(me, victim);
	err |= nested_down(me, victim);
	start_workers(me);
	/* each worker's first walk under the read lock before the first cpu_down (max 1 s) */
	for (i = 0; !no_workers && i < 20000 &&
	     __atomic_load_n(&read_walks, __ATOMIC_ACQUIRE) < num_online_cpus() - 1; i++)
		arch_cpu_nap();
	for (i = 0; i < cycles && !err; i++) {
		unsigned int n = 0, pick;
		uint64_t t0, t1, t2;

		pick = rnd() % (num_online_cpus() - 1);
		for_each_online_cpu(cpu)
			if (cpu != me && n++ == pick)
				break;
		if (boot_cpu_down && i == 0)
			cpu = 0;	/* the boot CPU first: the run is driven from elsewhere */
		t0 = now_us();
		err |= expect(cpu_down(cpu), 0, "cpu_down", cpu);
		t1 = now_us();
		if (cpu_online(cpu))
			err |= test_fail("CPU%u still online after cpu_down", cpu);
		if (!no_workers && __atomic_load_n(&worker_done[cpu], __ATOMIC_ACQUIRE) != -1)
			err |= test_fail("CPU%u's worker not reported abandoned (done %d)", cpu,
					 worker_done[cpu]);
		err |= new_alloc();
		t2 = now_us();
		err |= expect(cpu_up(cpu), 0, "cpu_up", cpu);
		if (ndown < ARRAY_SIZE(down_us)) {
			down_us[ndown] = (uint32_t)(t1 - t0);
			up_us[ndown] = (uint32_t)(now_us() - t2);
			cycle_us[ndown] = down_us[ndown] + up_us[ndown];
			ndown++;
		}
		if ((uintptr_t)per_cpu_ptr(&hp, cpu) != unit_addr[cpu])
			err |= test_fail("CPU%u's unit moved", cpu);
		if (!no_workers)
			smp_run_on(cpu, worker, NULL, &worker_done[cpu]);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for_each_online_cpu(cpu)
		while (cpu != me && !no_workers &&
		       !__atomic_load_n(&worker_done[cpu], __ATOMIC_ACQUIRE))
			arch_cpu_idle_wait();
	err |= check_end(ndown);
	if (step_wrong)
		err |= test_fail("%u starting/online steps ran on another CPU", step_wrong);
	for (lvl = 0; lvl < CPUHP_LEVELS; lvl++)
		cpuhp_remove_state(step_ids[lvl]);
	print_times("cpu_down", down_us, ndown);
	print_times("cpu_up", up_us, ndown);
	print_times("cycle", cycle_us, ndown);	/* down + up of the same cycle */
	for (a = 0; a < nr_allocs; a++)
		free_percpu(allocs[a]);
	percpu_counter_destroy(&hp_counter);
	pcpu_allocator_stats(&pcpu_default, &st1);
	vm_stats(&mapped1, &unmapped, &ranges);
	printk("run: cpu-hotplug: leaks: kmalloc %lu -> %lu bytes, per-CPU allocations %llu -> "
	       "%llu, vmalloc pages %lu -> %lu (%u new stacks)\n", kbefore,
	       (unsigned long)kmalloc_bytes_in_use(), (unsigned long long)st0.nr_cur_alloc,
	       (unsigned long long)st1.nr_cur_alloc, mapped0, mapped1, new_stacks);
	if (st1.nr_cur_alloc != st0.nr_cur_alloc)
		err |= test_fail("per-CPU allocations leaked");
	if (mapped1 != mapped0 + new_stacks * (16384 / 4096))
		err |= test_fail("vmalloc pages %lu -> %lu, want %u more (new stacks only)",
				 mapped0, mapped1, new_stacks * 4);
	if (kmalloc_bytes_in_use() != kbefore)
		err |= test_fail("kmalloc bytes in use changed");
	run_note("%u cycles", ndown);
	return err;
}
DEFINE_WORKLOAD("cpu-hotplug", hotplug_run,
		"CPUs go down and come back while the others work; per-CPU data intact");
