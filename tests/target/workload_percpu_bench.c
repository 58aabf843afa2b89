/*
 * workload_percpu_bench.c - `run=percpu-bench`: the per-CPU allocator benchmark on the running
 * system, on the boot CPU only.
 *
 * It measures what the host tool tools/percpu-bench.c measures, with the same core
 * (tests/target/bench_core.c): for objects of 4, 16, 64, 256, 1024 bytes and 4 bytes at 8-byte
 * alignment, with 1K, 16K, 256K and 1M live objects, nanoseconds per allocation and per free
 * for both allocator kinds, the bitmap allocator's times with zeroing turned off, and the
 * metadata bytes per 4 KiB of unit, and the same growth measured as Linux measured it (fill,
 * then drain in three orders). Each case sets up its own allocator instance (not
 * pcpu_default) over a layout of one 64 KiB unit, like the host tool's, with a backend that
 * takes chunks from the page allocator and metadata from kmalloc. Time is arch_counter().
 *
 * Every result is one `bench: ...` line (pcpu_bench_format()) that tests/qemu/bench.py parses.
 * Under emulation the area map's large cases are slow to build (its fill is quadratic within
 * a chunk), so each fill has a budget: a fill is skipped up front when the previous live
 * count's fill, scaled up, is over it, and given up (reported as skipped, with the reason)
 * when it runs past it or is projected to. The whole run has a budget too, after which the
 * remaining cases are reported as skipped; 4-byte objects at 8-byte alignment, the issue's
 * headline case, go first. A case whose memory would not fit in what the page allocator has
 * free is skipped up front. The run never fails on a time: only an allocator that cannot be
 * set up fails it.
 *
 * Boot parameters: percpu_bench_budget=<s> (whole run, default 480), percpu_bench_fill=<s>
 * (per fill, default 90), percpu_bench_measure_ms=<ms> (per timed phase, default 150),
 * percpu_bench_max_live=<n> (largest live count, default 1M), percpu_bench_fd=<s> (Linux's
 * fill-and-drain measurement, bitmap only, given up past this per case; 0 turns it off;
 * default 30).
 */
#include <pcpurt/arch.h>
#include <pcpurt/kmalloc.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/percpu_alloc.h>
#include "percpu_bench.h"
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BENCH_UNIT_SIZE (64 * 1024UL)

static unsigned long bench_budget_s = 480;
static unsigned long bench_fill_s = 90;
static unsigned long bench_measure_ms = 150;
static unsigned long bench_max_live = PCPU_BENCH_MAX_LIVE;
static unsigned long bench_fd_s = 30;

static int parse_ulong(const char *v, unsigned long *out, unsigned long min, unsigned long max)
{
	char *end;
	unsigned long n = strtoul(v, &end, 0);

	if (end == v || *end || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int set_budget(const char *v)
{
	return parse_ulong(v, &bench_budget_s, 1, 86400);
}
DEFINE_BOOT_PARAM("percpu_bench_budget", set_budget);

static int set_fill(const char *v)
{
	return parse_ulong(v, &bench_fill_s, 1, 86400);
}
DEFINE_BOOT_PARAM("percpu_bench_fill", set_fill);

static int set_measure(const char *v)
{
	return parse_ulong(v, &bench_measure_ms, 1, 600000);
}
DEFINE_BOOT_PARAM("percpu_bench_measure_ms", set_measure);

static int set_max_live(const char *v)
{
	return parse_ulong(v, &bench_max_live, PCPU_BENCH_BATCH, PCPU_BENCH_MAX_LIVE);
}
DEFINE_BOOT_PARAM("percpu_bench_max_live", set_max_live);

static int set_fd(const char *v)
{
	return parse_ulong(v, &bench_fd_s, 0, 86400);
}
DEFINE_BOOT_PARAM("percpu_bench_fd", set_fd);

/* ---- backend: one group, whole chunks from the page allocator, metadata from kmalloc ---- */

static int bench_chunk_create(void *priv, const struct pcpu_layout *l, uintptr_t *base,
			      void **cookie)
{
	uint64_t p = alloc_pages_node(-1, l->nr_units * l->unit_size, PAGE_SIZE);

	if (!p)
		return -1;
	*base = (uintptr_t)p;
	*cookie = NULL;
	return 0;
}

static void bench_chunk_destroy(void *priv, const struct pcpu_layout *l, uintptr_t base,
				void *cookie)
{
	free_pages(base, l->nr_units * l->unit_size);
}

static int bench_populate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
			  unsigned int page_start, unsigned int page_end)
{
	return 0; /* populated at creation */
}

static void *bench_meta_alloc(void *priv, size_t size)
{
	return kmalloc(size);
}

static void bench_meta_free(void *priv, void *p, size_t size)
{
	kfree(p, size);
}

static const struct pcpu_backend bench_backend = {
	.name = "bench-km",
	.populated_on_create = true,
	.chunk_create = bench_chunk_create,
	.chunk_destroy = bench_chunk_destroy,
	.populate = bench_populate,
	.meta_alloc = bench_meta_alloc,
	.meta_free = bench_meta_free,
};

static const unsigned long bench_unit_off[1] = {0};
static const struct pcpu_layout bench_layout = {
	.nr_cpus = 1,
	.nr_units = 1,
	.unit_size = BENCH_UNIT_SIZE,
	.unit_off = bench_unit_off,
};

/*
 * 4 bytes at 8-byte alignment first: the headline comparison, and the area map's
 * slowest fills, which should not be the ones the run's budget cuts off.
 */
static const unsigned int case_order[PCPU_BENCH_NR_CASES] = {5, 0, 1, 2, 3, 4};

static uint64_t bench_clock(void)
{
	return arch_counter();
}

/*
 * Memory a case needs, roughly: chunks for the objects (a 4-at-8 object holds 8 bytes while
 * the fillers live) and their metadata, which kmalloc serves in whole pages above 2 KiB.
 */
static uint64_t mem_needed(const struct pcpu_bench_case *bc, unsigned long live)
{
	uint64_t per = MAX(bc->size, bc->align);
	uint64_t chunks = (uint64_t)live * per / BENCH_UNIT_SIZE + 2;
	uint64_t meta = (BENCH_UNIT_SIZE / 4096) * 300 + 64 * 4 * (BENCH_UNIT_SIZE / per);

	return chunks * (BENCH_UNIT_SIZE + ALIGN_UP(meta, PAGE_SIZE)) + 16 * SZ_1M;
}

static void print_skip(enum pcpu_allocator_kind kind, const struct pcpu_bench_case *bc,
		       unsigned long live, const char *why)
{
	printk("bench: kind=%s obj=%s size=%zu align=%zu live=%lu status=skipped reason=%s\n",
	       pcpu_allocator_name(kind), bc->name, bc->size, bc->align, live, why);
}

static int bench_run(void)
{
	static char line[512];
	uint64_t freq = arch_counter_freq(), start = arch_counter(), first, handles, fillers;
	size_t arr = ALIGN_UP(bench_max_live * sizeof(void *), PAGE_SIZE);
	struct pcpu_bench_env env = {
		.layout = &bench_layout,
		.backend = &bench_backend,
		.static_size = BENCH_UNIT_SIZE / 4,
		.reserved_size = BENCH_UNIT_SIZE / 8,
		.max_live = bench_max_live,
		.clock = bench_clock,
		.freq = freq,
		.measure_ticks = pcpu_bench_scale(bench_measure_ms, freq, 1000),
		.rounds = 5,
		.measure_cap = 10 * freq,
		.fill_budget = bench_fill_s * freq,
		.bare = false,
		.fd_budget = bench_fd_s * freq,
	};
	struct page_alloc_stats ps;
	unsigned int c, l, k, failed = 0;

	first = alloc_pages_node(-1, BENCH_UNIT_SIZE, PAGE_SIZE);
	handles = alloc_pages_low(arr);
	fillers = alloc_pages_low(arr);
	if (!first || !handles || !fillers) {
		if (first)
			free_pages(first, BENCH_UNIT_SIZE);
		if (handles)
			free_pages(handles, arr);
		if (fillers)
			free_pages(fillers, arr);
		return test_fail("no memory for the benchmark's handle arrays");
	}
	env.first_base = (uintptr_t)first;
	env.handles = (void **)(uintptr_t)handles;
	env.fillers = (void **)(uintptr_t)fillers;
	page_alloc_stats(&ps);
	printk("bench: start unit=%lu cpus=1 freq=%llu measure_ms=%lu fill_budget_s=%lu "
	       "budget_s=%lu max_live=%lu mem_free_mb=%llu\n",
	       BENCH_UNIT_SIZE, (unsigned long long)freq, bench_measure_ms, bench_fill_s,
	       bench_budget_s, bench_max_live, (unsigned long long)(ps.free_bytes >> 20));
	for (c = 0; c < PCPU_BENCH_NR_CASES; c++) {
		const struct pcpu_bench_case *bc = &pcpu_bench_cases[case_order[c]];
		/* per kind: the last fill of this object that finished, for the projection */
		uint64_t last_fill[2] = {0, 0};
		unsigned long last_live[2] = {0, 0};

		for (l = 0; l < PCPU_BENCH_NR_LIVES; l++) {
			unsigned long live = pcpu_bench_lives[l];

			for (k = 0; k < 2; k++) {
				enum pcpu_allocator_kind kind =
				    k ? PCPU_ALLOCATOR_AREAMAP : PCPU_ALLOCATOR_BITMAP;
				struct pcpu_bench_result r;
				uint64_t need = mem_needed(bc, live), proj;

				if (live > bench_max_live) {
					print_skip(kind, bc, live, "above percpu_bench_max_live");
					continue;
				}
				if (arch_counter() - start > bench_budget_s * freq) {
					snprintf(line, sizeof(line),
						 "the run's %lu s budget (percpu_bench_budget) "
						 "was used up",
						 bench_budget_s);
					print_skip(kind, bc, live, line);
					continue;
				}
				page_alloc_stats(&ps);
				if (ps.free_bytes < need) {
					snprintf(line, sizeof(line),
						 "needs about %llu MiB, %llu MiB free (give QEMU "
						 "more memory)",
						 (unsigned long long)(need >> 20),
						 (unsigned long long)(ps.free_bytes >> 20));
					print_skip(kind, bc, live, line);
					continue;
				}
				/*
				 * A fill costs at least in proportion to the objects (the area
				 * map's is quadratic within a chunk, linear over chunks): skip it
				 * at once when the last live count's fill scaled up is over budget.
				 */
				proj = 0;
				if (last_live[k])
					proj = last_fill[k] / last_live[k] * live +
					       last_fill[k] % last_live[k] * live / last_live[k];
				if (proj > env.fill_budget) {
					unsigned long long ps = pcpu_bench_ms(proj, freq) / 1000;
					unsigned long long lm = pcpu_bench_ms(last_fill[k], freq);

					snprintf(line, sizeof(line),
						 "fill projected at about %llu s from the %lu-live "
						 "case's %llu ms, over its %lu s budget "
						 "(percpu_bench_fill)",
						 ps, last_live[k], lm, bench_fill_s);
					print_skip(kind, bc, live, line);
					continue;
				}
				env.bare = kind == PCPU_ALLOCATOR_BITMAP;
				/* fill and drain for the bitmap only: the area map's drain in */
				/* order moves its whole map per free, minutes under emulation */
				env.fill_drain = bench_fd_s && kind == PCPU_ALLOCATOR_BITMAP;
				if (pcpu_bench_run_case(&env, kind, bc, live, &r) ==
				    PCPU_BENCH_FAILED)
					failed++;
				if (r.status == PCPU_BENCH_DONE) {
					last_fill[k] = r.fill_ticks;
					last_live[k] = live;
				}
				pcpu_bench_format(line, sizeof(line), kind, bc, &r, freq);
				printk("%s\n", line);
			}
		}
	}
	page_alloc_stats(&ps);
	printk("bench: end total_ms=%llu mem_free_mb=%llu\n",
	       (unsigned long long)pcpu_bench_ms(arch_counter() - start, freq),
	       (unsigned long long)(ps.free_bytes >> 20));
	free_pages(first, BENCH_UNIT_SIZE);
	free_pages(handles, arr);
	free_pages(fillers, arr);
	if (failed)
		return test_fail("%u cases could not set up their allocator", failed);
	return 0;
}
DEFINE_WORKLOAD("percpu-bench", bench_run,
		"allocator benchmark: both kinds, 1K to 1M live objects, ns per operation");
