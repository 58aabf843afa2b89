/*
 * workload_percpu_dyn.c - workloads of the dynamic per-CPU allocator on the running system:
 *
 *   percpu-stress   every CPU at once allocates and frees random sizes and alignments,
 *                   writes a pattern unique to (allocation, CPU) into every CPU's copy,
 *                   checks them all before each free, and checks new memory is zero; the
 *                   run passes only if nothing was lost or overwritten and every allocation
 *                   was given back (live count back to where it started)
 *   percpu-misuse   bad sizes, alignments and frees are refused or reported and change
 *                   nothing; running out of memory returns NULL and keeps what exists
 *   percpu-stats    prints the allocator's statistics and each chunk's occupancy map
 *                   ("percpu-stats: chunk ..." lines), checking the map against the
 *                   chunk's own free count; percpu_stats_churn=N first allocates N
 *                   objects of mixed sizes and frees two in three, so the map shows
 *                   fragmentation, and frees the rest after printing
 *   percpu-alloc    a short single-CPU check: alloc_percpu, per_cpu_ptr, this_cpu_ptr,
 *                   reserved allocations, the address check, a percpu_counter
 */
#include <pcpurt/arch.h>
#include <pcpurt/percpu.h>
#include <pcpurt/percpu_alloc.h>
#include <pcpurt/percpu_alloc_counter.h>
#include "percpu_alloc_selftest.h"
#include <pcpurt/page_alloc.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <stdlib.h>
#include <string.h>

#define STRESS_MAX_LIVE		64
#define STRESS_ITERATIONS	4000

static unsigned long stress_iterations = STRESS_ITERATIONS;
static struct pcpu_stress_slot stress_slots[NR_CPUS][STRESS_MAX_LIVE];
static struct pcpu_stress_stats stress_stats[NR_CPUS];
static uint64_t live_before;

static int set_stress_iterations(const char *v)
{
	char *end;

	stress_iterations = strtoul(v, &end, 0);
	return end == v || *end || !stress_iterations ? -1 : 0;
}
DEFINE_BOOT_PARAM("percpu_stress_iterations", set_stress_iterations);

static uint64_t live_allocations(void)
{
	struct pcpu_stats st;

	pcpu_allocator_stats(&pcpu_default, &st);
	return st.nr_cur_alloc;
}

static int stress_before(void)
{
	memset(stress_stats, 0, sizeof(stress_stats));
	live_before = live_allocations();
	return 0;
}

static int stress_run(void)
{
	unsigned int cpu = smp_processor_id();
	struct pcpu_stress_stats *st = &stress_stats[cpu];
	int rc;

	rc = pcpu_stress_run(&pcpu_default, cpu, 0x9e3779b97f4a7c15ULL * (cpu + 1) ^ arch_counter(),
			     stress_iterations, stress_slots[cpu], STRESS_MAX_LIVE, st);
	run_note("%llu allocs, %llu frees, %llu failed, %llu zero / %llu pattern errors",
		 (unsigned long long)st->allocs, (unsigned long long)st->frees,
		 (unsigned long long)st->failed, (unsigned long long)st->zero_errors,
		 (unsigned long long)st->pattern_errors);
	return rc;
}

static int stress_after(void)
{
	uint64_t live = live_allocations();
	unsigned int problems;

	percpu_balance_step();
	pcpu_allocator_print_stats(&pcpu_default);
	percpu_backend_print();
	problems = pcpu_allocator_check(&pcpu_default);
	if (problems)
		return test_fail("allocator metadata check found %u problems", problems);
	if (live != live_before)
		return test_fail("%llu allocations live after the stress, %llu before",
				 (unsigned long long)live, (unsigned long long)live_before);
	return 0;
}
DEFINE_SMP_WORKLOAD("percpu-stress", stress_run,
		    "all CPUs allocate, pattern-fill, check and free per-CPU memory at once",
		    stress_before, stress_after);

#define CHURN_MAX	1024

static unsigned long stats_churn;
static void *churn_objs[CHURN_MAX];

static int set_stats_churn(const char *v)
{
	char *end;

	stats_churn = strtoul(v, &end, 0);
	return end == v || *end || stats_churn > CHURN_MAX ? -1 : 0;
}
DEFINE_BOOT_PARAM("percpu_stats_churn", set_stats_churn);

/* Each chunk's map must account for the chunk's free bytes and range exactly. */
static int check_maps(void)
{
	static struct pcpu_chunk_map map;
	struct pcpu_chunk_stats cs[16];
	unsigned int n, i, r, p, free_sum, used_sum;
	int err = 0;

	n = pcpu_allocator_chunk_stats(&pcpu_default, cs, ARRAY_SIZE(cs));
	for (i = 0; i < n && pcpu_allocator_chunk_map(&pcpu_default, i, &map) == 0; i++) {
		if (map.nr_runs > PCPU_MAP_MAX_RUNS || map.nr_pages > PCPU_MAP_MAX_PAGES)
			continue;
		for (free_sum = 0, r = 0; r < map.nr_runs; r++)
			free_sum += map.run_len[r];
		for (used_sum = 0, p = 0; p < map.nr_pages; p++)
			used_sum += map.used[p];
		if (map.base != cs[i].base || free_sum != cs[i].free_bytes ||
		    free_sum + used_sum != map.end - map.start)
			err |= test_fail("chunk %u map: free %u + used %u, chunk says free %u "
					 "of %u", i, free_sum, used_sum, cs[i].free_bytes,
					 map.end - map.start);
	}
	return err;
}

static int stats_run(void)
{
	static const unsigned short sizes[] = { 8, 24, 64, 200, 512, 1500, 16, 3000 };
	unsigned int i, n = 0;
	int err;

	for (i = 0; i < stats_churn; i++) {
		churn_objs[i] = __alloc_percpu(sizes[i % ARRAY_SIZE(sizes)], 8);
		n += churn_objs[i] != NULL;
	}
	for (i = 0; i < stats_churn; i++)
		if (i % 3) {
			free_percpu(churn_objs[i]);
			churn_objs[i] = NULL;
		}
	if (stats_churn)
		printk("percpu-stats: churn %lu allocations (%u made), two in three freed\n",
		       stats_churn, n);
	pcpu_allocator_print_stats(&pcpu_default);
	pcpu_allocator_print_chunk_maps(&pcpu_default);
	err = check_maps();
	for (i = 0; i < stats_churn; i++) {
		free_percpu(churn_objs[i]);
		churn_objs[i] = NULL;
	}
	return err;
}
DEFINE_WORKLOAD("percpu-stats", stats_run,
		"print the dynamic allocator's statistics and chunk maps");

/* Allocate 32 KiB objects until the memory runs out; all must survive; then free them. */
static int oom_check(void)
{
	enum { MAX_OBJS = 200000 };
	static void *objs[MAX_OBJS];
	struct page_alloc_stats ps;
	int n = 0, i, err = 0;
	uint32_t *keep = alloc_percpu(uint32_t);
	unsigned int cpu;

	if (!keep)
		return test_fail("no memory for the witness allocation");
	for_each_possible_cpu(cpu)
		*per_cpu_ptr(keep, cpu) = 0xc0ffee00 + cpu;
	while (n < MAX_OBJS) {
		objs[n] = __alloc_percpu_gfp(32 * 1024, 4096, PCPU_GFP_NOWARN);
		if (!objs[n])
			break;
		n++;
	}
	page_alloc_stats(&ps);
	printk("  out of memory after %d allocations of 32 KiB (page allocator: %llu bytes "
	       "free)\n", n, (unsigned long long)ps.free_bytes);
	if (n == MAX_OBJS)
		err |= test_fail("memory never ran out in %d allocations", MAX_OBJS);
	for_each_possible_cpu(cpu)
		if (*per_cpu_ptr(keep, cpu) != 0xc0ffee00 + cpu)
			err |= test_fail("CPU%u's copy of an existing allocation changed", cpu);
	for (i = 0; i < n; i++)
		free_percpu(objs[i]);
	free_percpu(keep);
	percpu_balance_step();
	return err;
}

static int misuse_run(void)
{
	static uint64_t foreign[8];
	unsigned int failed = pcpu_selftest_misuse(&pcpu_default, foreign);

	if (failed)
		return test_fail("%u misuse checks failed", failed);
	return oom_check();
}
DEFINE_WORKLOAD("percpu-misuse", misuse_run,
		"bad sizes, alignments and frees are refused; out of memory keeps what exists");

static int alloc_run(void)
{
	struct percpu_counter ctr;
	struct pcpu_addr_info info;
	uint64_t *p = alloc_percpu(uint64_t), *r = __alloc_reserved_percpu(64, 64);
	unsigned int cpu;
	int err = 0;

	if (!p || !r)
		return test_fail("alloc_percpu failed");
	for_each_possible_cpu(cpu) {
		if (*per_cpu_ptr(p, cpu) != 0)
			err |= test_fail("CPU%u's copy not zero", cpu);
		*per_cpu_ptr(p, cpu) = cpu * 3;
	}
	if (*this_cpu_ptr(p) != smp_processor_id() * 3)
		err |= test_fail("this_cpu_ptr does not reach this CPU's copy");
	if (!pcpu_addr_info(per_cpu_ptr(p, nr_cpu_ids - 1), &info) || info.cpu != nr_cpu_ids - 1 ||
	    info.alloc_handle != p || info.region != PCPU_REGION_DYNAMIC)
		err |= test_fail("address check of the last CPU's copy");
	if (!pcpu_addr_info(per_cpu_ptr(r, 0), &info) || info.region != PCPU_REGION_RESERVED)
		err |= test_fail("reserved allocation not in the reserved region");
	if (pcpu_addr_info(&ctr, NULL))
		err |= test_fail("a stack address taken for a per-CPU one");
	free_percpu(p);
	free_percpu(r);
	if (percpu_counter_init(&ctr, &pcpu_default, 5, 8))
		return test_fail("percpu_counter_init failed");
	for (cpu = 0; cpu < 100; cpu++)
		percpu_counter_add(&ctr, 2);
	if (percpu_counter_sum(&ctr) != 205)
		err |= test_fail("percpu_counter_sum %lld, want 205",
				 (long long)percpu_counter_sum(&ctr));
	percpu_counter_destroy(&ctr);
	return err;
}
DEFINE_TEST("percpu-alloc", alloc_run,
	    "alloc_percpu, per_cpu_ptr, this_cpu_ptr, reserved, address check, percpu_counter");
