/*
 * percpu_alloc_thread.c - concurrency test of the per-CPU allocator on the host: one thread
 * per "CPU" allocates and frees random sizes and alignments at the same time as the others,
 * writes a pattern unique to (allocation, CPU) into every CPU's copy, checks new memory is
 * zero and all patterns before freeing, and bumps a shared percpu_counter on its own CPU.
 * Runs for both allocator kinds; ends with a full consistency check. Two threads only:
 * with more threads than cores, a fair spin lock makes every handoff wait for a preempted
 * waiter.
 */
#include <pthread.h>
#include <time.h>
#include <pcpurt/percpu_alloc_counter.h>
#include "percpu_alloc_selftest.h"
#include "percpu_alloc_backend.h"
#include "percpu_alloc_test.h"

#define NR_THREADS 2 /* ticket locks convoy when threads outnumber cores */
#define NR_CPUS	   4
#define OPS	   40000
#define MAX_LIVE   400

static struct test_backend tb;
static struct pcpu_allocator pa;
static struct percpu_counter counter;
static __thread unsigned int my_cpu;
static int thread_errors;
static int64_t counted_ops;

/* Each phase stops early after this long: a preempted ticket holder stalls everyone. */
#define PHASE_SECONDS 3

static double deadline;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static unsigned int this_cpu(void)
{
	return my_cpu;
}

struct item {
	unsigned char *h;
	unsigned int size;
	unsigned char tag;
};

static unsigned char tagged(const struct item *it, unsigned int cpu)
{
	return (unsigned char)(it->tag * 16 + cpu + 1);
}

static bool copies_are(const struct item *it, bool zero)
{
	unsigned int c, i;

	for (c = 0; c < NR_CPUS; c++) {
		unsigned char *p = pcpu_allocator_ptr(&pa, it->h, c);

		for (i = 0; i < it->size; i++)
			if (p[i] != (zero ? 0 : tagged(it, c)))
				return false;
	}
	return true;
}

static void *worker(void *arg)
{
	static struct item items[NR_THREADS][MAX_LIVE];
	unsigned int me = (unsigned int)(uintptr_t)arg, n = 0, op, c;
	struct item *mine = items[me];
	uint64_t r = 0x9E3779B97F4A7C15ULL * (me + 1);

	my_cpu = me;
	for (op = 0; op < OPS; op++) {
		if (op % 256 == 0 && now() > deadline)
			break;
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		percpu_counter_add(&counter, 1);
		__atomic_add_fetch(&counted_ops, 1, __ATOMIC_RELAXED);
		if (n < MAX_LIVE && (n == 0 || r % 100 < 52)) {
			struct item *it = &mine[n];
			size_t size = 1 + (r >> 8) % (r % 10 ? 200 : 6000);

			it->h = pcpu_allocator_alloc(&pa, size, 1u << ((r >> 20) % 8), 0);
			if (!it->h) {
				__atomic_add_fetch(&thread_errors, 1, __ATOMIC_RELAXED);
				break;
			}
			it->size = (unsigned int)size;
			it->tag = (unsigned char)(op * NR_THREADS + me);
			if (!copies_are(it, true))
				__atomic_add_fetch(&thread_errors, 1, __ATOMIC_RELAXED);
			for (c = 0; c < NR_CPUS; c++)
				memset(pcpu_allocator_ptr(&pa, it->h, c), tagged(it, c), it->size);
			n++;
		} else if (n) {
			unsigned int i = (unsigned int)((r >> 16) % n);

			if (!copies_are(&mine[i], false))
				__atomic_add_fetch(&thread_errors, 1, __ATOMIC_RELAXED);
			pcpu_allocator_free(&pa, mine[i].h);
			mine[i] = mine[--n];
		}
		if (me == 0 && pcpu_allocator_balance_needed(&pa))
			pcpu_allocator_balance(&pa);
	}
	while (n--) {
		if (!copies_are(&mine[n], false))
			__atomic_add_fetch(&thread_errors, 1, __ATOMIC_RELAXED);
		pcpu_allocator_free(&pa, mine[n].h);
	}
	return NULL;
}

static struct pcpu_stress_stats stress_st[NR_THREADS];

/* The runtime's stress worker, one per thread. */
static void *stress(void *arg)
{
	static struct pcpu_stress_slot slots[NR_THREADS][MAX_LIVE];
	unsigned int me = (unsigned int)(uintptr_t)arg;

	my_cpu = me;
	unsigned long done;

	for (done = 0; done < OPS / 4 && now() < deadline; done += 1000)
		if (pcpu_stress_run(&pa, me, 42 + done, 1000, slots[me], MAX_LIVE / 4,
				    &stress_st[me]))
			__atomic_add_fetch(&thread_errors, 1, __ATOMIC_RELAXED);
	return NULL;
}

static void run(enum pcpu_allocator_kind kind)
{
	pthread_t th[NR_THREADS];
	struct pcpu_config cfg;
	struct pcpu_stats st;
	unsigned int i;

	tb_init(&tb, NR_CPUS, 64 * 1024, false, true);
	tb_config(&tb, &cfg, kind, 8192, 8192);
	cfg.this_cpu = this_cpu;
	CHECK(pcpu_allocator_init(&pa, &cfg) == 0);
	CHECK(percpu_counter_init(&counter, &pa, 0, 8) == 0);
	thread_errors = 0;
	counted_ops = 0;
	deadline = now() + PHASE_SECONDS;
	for (i = 0; i < NR_THREADS; i++)
		CHECK(pthread_create(&th[i], NULL, worker, (void *)(uintptr_t)i) == 0);
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	CHECK(thread_errors == 0);
	CHECK(percpu_counter_sum(&counter) == counted_ops);
	memset(stress_st, 0, sizeof(stress_st));
	deadline = now() + PHASE_SECONDS;
	for (i = 0; i < NR_THREADS; i++)
		CHECK(pthread_create(&th[i], NULL, stress, (void *)(uintptr_t)i) == 0);
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	CHECK(thread_errors == 0);
	for (i = 0; i < NR_THREADS; i++)
		CHECK(stress_st[i].allocs > 10 && stress_st[i].allocs == stress_st[i].frees &&
		      !stress_st[i].failed && !stress_st[i].zero_errors &&
		      !stress_st[i].pattern_errors);
	percpu_counter_destroy(&counter);
	pcpu_allocator_stats(&pa, &st);
	CHECK(st.nr_cur_alloc == 0 && st.nr_bad_free == 0 && st.nr_failed == 0);
	CHECK(st.nr_alloc == st.nr_dealloc);
	CHECK(pcpu_allocator_check(&pa) == 0);
	fprintf(stderr, "%-8s %u threads: %llu allocations, peak %llu live, %u peak chunks\n",
		pcpu_allocator_name(kind), NR_THREADS, (unsigned long long)st.nr_alloc,
		(unsigned long long)st.nr_max_alloc, st.nr_max_chunks);
	pcpu_allocator_teardown(&pa);
	CHECK(tb.meta_live_bytes == 0 && tb.nr_live_chunks == 0);
	tb_fini(&tb);
}

int main(void)
{
	run(PCPU_ALLOCATOR_BITMAP);
	run(PCPU_ALLOCATOR_AREAMAP);
	return t_finish();
}
