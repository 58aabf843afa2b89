/*
 * percpu_alloc_api.c - host tests of the per-CPU allocator's interface, run for both
 * allocator kinds and both backend modes: zeroed memory in every CPU's copy, alignment,
 * reserved allocations, bad sizes and alignments (refused, rate-limited warning), bad frees
 * (reported once with the address, nothing changed), running out of memory (nothing
 * changed), atomic allocations and population, balancing, address queries, statistics and
 * the batched percpu_counter. Allocator names, bad configurations and the default
 * instance: percpu_alloc_config.c.
 */
#include <pcpurt/percpu_alloc_counter.h>
#include "percpu_alloc_selftest.h"
#include "percpu_alloc_backend.h"
#include "percpu_alloc_test.h"

#define NR_CPUS	      4
#define UNIT	      (64 * 1024)
#define STATIC_SIZE   (5 * 1024 + 12)
#define RESERVED_SIZE (8 * 1024)

static struct test_backend tb;
static struct pcpu_allocator pa;
static const char *mode;

static void setup(enum pcpu_allocator_kind kind, bool vm, bool gap, unsigned long delta)
{
	struct pcpu_config cfg;

	tb_init(&tb, NR_CPUS, UNIT, vm, gap);
	tb_config(&tb, &cfg, kind, STATIC_SIZE, RESERVED_SIZE);
	cfg.ptr_delta = delta;
	cfg.empty_pages_low = 2;
	cfg.empty_pages_high = 4;
	CHECK(pcpu_allocator_init(&pa, &cfg) == 0);
}

static void teardown(void)
{
	CHECK(pcpu_allocator_check(&pa) == 0);
	pcpu_allocator_teardown(&pa);
	CHECK(tb.nr_live_chunks == 0);
	CHECK(tb.meta_live_bytes == 0);
	tb_fini(&tb);
}

static unsigned char pat(const void *h, unsigned int cpu, size_t i)
{
	return (unsigned char)(((uintptr_t)h >> 2) * 31 + cpu * 7 + i * 13 + 1);
}

static void fill(void *h, size_t size)
{
	unsigned int c;
	size_t i;

	for (c = 0; c < NR_CPUS; c++) {
		unsigned char *p = pcpu_allocator_ptr(&pa, h, c);

		for (i = 0; i < size; i++)
			p[i] = pat(h, c, i);
	}
}

static bool intact(void *h, size_t size)
{
	unsigned int c;
	size_t i;

	for (c = 0; c < NR_CPUS; c++) {
		unsigned char *p = pcpu_allocator_ptr(&pa, h, c);

		for (i = 0; i < size; i++)
			if (p[i] != pat(h, c, i))
				return false;
	}
	return true;
}

static bool zeroed(void *h, size_t size)
{
	unsigned int c;
	size_t i;

	for (c = 0; c < NR_CPUS; c++) {
		unsigned char *p = pcpu_allocator_ptr(&pa, h, c);

		for (i = 0; i < size; i++)
			if (p[i])
				return false;
	}
	return true;
}

static void test_basic(void)
{
	static const size_t sizes[] = {1, 3, 4, 8, 12, 60, 100, 1000, 4096, 5000, 16384, 32768};
	void *h[ARRAY_SIZE(sizes)];
	struct pcpu_stats st;
	unsigned int i, c;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		h[i] = pcpu_allocator_alloc(&pa, sizes[i], 4, 0);
		CHECK(h[i] != NULL);
		CHECK(zeroed(h[i], sizes[i]));
		CHECK(tb_addr_populated(&tb, &pa, h[i], sizes[i]));
		CHECK(pcpu_allocator_size(&pa, h[i]) == ALIGN_UP(sizes[i], 4));
		fill(h[i], sizes[i]);
		for (c = 1; c < NR_CPUS; c++)
			CHECK(pcpu_allocator_ptr(&pa, h[i], c) != pcpu_allocator_ptr(&pa, h[i], 0));
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		CHECK(intact(h[i], sizes[i]));
	pcpu_allocator_stats(&pa, &st);
	CHECK(st.nr_alloc == ARRAY_SIZE(sizes) && st.nr_cur_alloc == ARRAY_SIZE(sizes));
	CHECK(st.min_alloc_size == 1 && st.max_alloc_size == 32768);
	CHECK(pcpu_allocator_check(&pa) == 0);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		pcpu_allocator_free(&pa, h[i]);
	pcpu_allocator_stats(&pa, &st);
	CHECK(st.nr_dealloc == ARRAY_SIZE(sizes) && st.nr_cur_alloc == 0);
	CHECK(st.nr_max_alloc == ARRAY_SIZE(sizes));
	CHECK(st.nr_bad_free == 0);

	/* freed memory written with a pattern comes back zeroed */
	for (i = 0; i < 50; i++) {
		void *a = pcpu_allocator_alloc(&pa, 24, 8, 0);

		CHECK(a && zeroed(a, 24));
		fill(a, 24);
		pcpu_allocator_free(&pa, a);
	}
	/* per-CPU pointers are the layout's offsets apart */
	h[0] = pcpu_allocator_alloc(&pa, 16, 16, 0);
	for (c = 0; c < NR_CPUS; c++)
		CHECK((uintptr_t)pcpu_allocator_ptr(&pa, h[0], c) ==
		      (uintptr_t)h[0] + pa.cfg.ptr_delta + tb.unit_off[c]);
	pcpu_allocator_free(&pa, h[0]);
}

/* Filling with equal objects that tile the unit leaves no chunk with room unused. */
static void test_packing(void)
{
	static const size_t sizes[] = {4, 64, 1024, 4096, 32768};
	enum { N = 200 };
	struct pcpu_chunk_stats cs[64];
	static void *h[N];
	unsigned int i, k, n, roomy;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		size_t per_chunk = UNIT / sizes[k], count = MIN((size_t)N, 3 * per_chunk + 1);

		for (i = 0; i < count; i++) {
			h[i] = pcpu_allocator_alloc(&pa, sizes[k],
						    sizes[k] > 4096 ? 4096 : sizes[k], 0);
			CHECK(h[i] != NULL);
		}
		n = pcpu_allocator_chunk_stats(&pa, cs, ARRAY_SIZE(cs));
		/* of the created chunks in use, only the one being filled has room */
		for (i = 0, roomy = 0; i < n; i++)
			roomy += !cs[i].reserved && !cs[i].first && cs[i].nr_alloc &&
				 cs[i].free_bytes >= sizes[k];
		CHECK(roomy <= 1);
		for (i = 0; i < count; i++)
			pcpu_allocator_free(&pa, h[i]);
		pcpu_allocator_balance(&pa);
	}
}

static void test_align(void)
{
	void *h[64];
	unsigned int n = 0, a, c;

	for (a = 1; a <= PCPU_MAX_ALIGN; a <<= 1) {
		void *p = pcpu_allocator_alloc(&pa, 4, a, 0);
		void *q = pcpu_allocator_alloc(&pa, a + 4, a, 0);

		CHECK(p && q);
		for (c = 0; c < NR_CPUS; c++) {
			CHECK((uintptr_t)pcpu_allocator_ptr(&pa, p, c) % a == 0);
			CHECK((uintptr_t)pcpu_allocator_ptr(&pa, q, c) % a == 0);
		}
		h[n++] = p;
		h[n++] = q;
	}
	CHECK(pcpu_allocator_check(&pa) == 0);
	while (n)
		pcpu_allocator_free(&pa, h[--n]);
}

static void test_reserved(void)
{
	uintptr_t lo = tb.first_base + ALIGN_UP(STATIC_SIZE, 4) - pa.cfg.ptr_delta;
	uintptr_t hi = tb.first_base + STATIC_SIZE + RESERVED_SIZE - pa.cfg.ptr_delta;
	void *h[RESERVED_SIZE / 64 + 2], *d;
	struct pcpu_addr_info info;
	unsigned int n = 0, i;

	for (;;) {
		void *p = pcpu_allocator_alloc(&pa, 64, 8, PCPU_GFP_RESERVED | PCPU_GFP_NOWARN);

		if (!p)
			break;
		CHECK((uintptr_t)p >= lo && (uintptr_t)p + 64 <= hi);
		CHECK(zeroed(p, 64));
		fill(p, 64);
		h[n++] = p;
		if (n == ARRAY_SIZE(h))
			break;
	}
	CHECK(n == RESERVED_SIZE / 64 - 1 || n == RESERVED_SIZE / 64);
	CHECK(pcpu_allocator_addr_info(&pa, pcpu_allocator_ptr(&pa, h[0], 1), &info));
	CHECK(info.region == PCPU_REGION_RESERVED && info.cpu == 1 && info.allocated);
	/* dynamic allocations never land in the reserved region */
	for (i = 0; i < 100; i++) {
		d = pcpu_allocator_alloc(&pa, 64, 8, 0);
		CHECK(d && ((uintptr_t)d < lo || (uintptr_t)d >= hi));
		pcpu_allocator_free(&pa, d);
	}
	for (i = 0; i < n; i++)
		CHECK(intact(h[i], 64));
	for (i = 0; i < n; i++)
		pcpu_allocator_free(&pa, h[i]);
	CHECK(pcpu_allocator_alloc(&pa, RESERVED_SIZE + 4, 4,
				   PCPU_GFP_RESERVED | PCPU_GFP_NOWARN) == NULL);
	d = pcpu_allocator_alloc(&pa, RESERVED_SIZE - 16, 4, PCPU_GFP_RESERVED);
	CHECK(d != NULL);
	pcpu_allocator_free(&pa, d);
}

static void test_bad_args(void)
{
	static const struct {
		size_t size, align;
	} bad[] = {{0, 4},  {32769, 4}, {1 << 20, 8}, {8, 3},
		   {8, 12}, {8, 8192},	{8, 6},	      {(size_t)-1, 4}};
	struct t_capture cap;
	struct pcpu_stats before, after;
	unsigned int i, round;
	int lines;

	pcpu_allocator_stats(&pa, &before);
	t_capture_start(&cap);
	for (round = 0; round < 5; round++)
		for (i = 0; i < ARRAY_SIZE(bad); i++)
			CHECK(pcpu_allocator_alloc(&pa, bad[i].size, bad[i].align, 0) == NULL);
	lines = t_capture_end(&cap, "bad allocation size", NULL, 0);
	pcpu_allocator_stats(&pa, &after);
	CHECK(after.nr_bad_args == before.nr_bad_args + 5 * ARRAY_SIZE(bad));
	CHECK(lines >= 1 && lines <= 10); /* rate limited */
	CHECK(after.nr_alloc == before.nr_alloc && after.nr_chunks == before.nr_chunks);
	/* size 32768 and align 4096 are fine */
	{
		void *p = pcpu_allocator_alloc(&pa, 32768, 4096, 0);

		CHECK(p != NULL);
		pcpu_allocator_free(&pa, p);
	}
}

static void test_bad_free(void)
{
	void *live[8];
	struct t_capture cap;
	struct pcpu_stats before, after;
	char out[4096], want[64];
	int dummy, lines;
	unsigned int i;
	void *freed, *bad[8];

	for (i = 0; i < ARRAY_SIZE(live); i++) {
		live[i] = pcpu_allocator_alloc(&pa, 40, 8, i % 2 ? PCPU_GFP_RESERVED : 0);
		CHECK(live[i] != NULL);
		fill(live[i], 40);
	}
	freed = pcpu_allocator_alloc(&pa, 40, 8, 0);
	pcpu_allocator_free(&pa, freed);
	/* inside an allocation, inside a reserved one, double free, not per-CPU memory */
	bad[0] = (char *)live[0] + 4;
	bad[1] = (char *)live[1] + 8;
	bad[2] = freed;
	bad[3] = &dummy;
	/* static region, free dynamic space, a CPU's copy instead of the handle, unaligned */
	bad[4] = (void *)(tb.first_base + 64 - pa.cfg.ptr_delta);
	bad[5] = (void *)(tb.first_base + UNIT - 4 - pa.cfg.ptr_delta);
	bad[6] = pcpu_allocator_ptr(&pa, live[2], 1);
	bad[7] = (char *)live[2] + 2;

	pcpu_allocator_stats(&pa, &before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		t_capture_start(&cap);
		pcpu_allocator_free(&pa, bad[i]);
		lines = t_capture_end(&cap, NULL, out, sizeof(out));
		snprintf(want, sizeof(want), "%p", bad[i]);
		CHECK(lines == 1 && strstr(out, want) != NULL);
	}
	pcpu_allocator_free(&pa, NULL);
	pcpu_allocator_stats(&pa, &after);
	CHECK(after.nr_bad_free == before.nr_bad_free + ARRAY_SIZE(bad));
	CHECK(after.nr_cur_alloc == before.nr_cur_alloc && after.free_bytes == before.free_bytes);
	CHECK(after.reserved_free_bytes == before.reserved_free_bytes);
	CHECK(pcpu_allocator_check(&pa) == 0);
	for (i = 0; i < ARRAY_SIZE(live); i++) {
		CHECK(intact(live[i], 40));
		CHECK(pcpu_allocator_size(&pa, live[i]) == 40);
		pcpu_allocator_free(&pa, live[i]);
	}
}

/* Fill until the backend refuses chunks; failures must leave every allocation intact. */
static void test_oom(void)
{
	enum { MAXH = 4096 };
	static void *h[MAXH];
	static size_t sz[MAXH];
	struct pcpu_stats before, after;
	unsigned int n = 0, i, k;
	void *p;

	tb.max_chunks = 3;
	for (i = 0; n < MAXH; i++) {
		size_t s = 4 + (i * 37) % 3000;

		p = pcpu_allocator_alloc(&pa, s, 4 << (i % 4), PCPU_GFP_NOWARN);
		if (!p)
			break;
		fill(p, s);
		h[n] = p;
		sz[n++] = s;
	}
	CHECK(n > 0 && n < MAXH);
	pcpu_allocator_stats(&pa, &before);
	CHECK(before.nr_chunks == 4);
	for (k = 0; k < 20; k++)
		CHECK(pcpu_allocator_alloc(&pa, 32768, 4, PCPU_GFP_NOWARN) == NULL);
	pcpu_allocator_stats(&pa, &after);
	CHECK(after.nr_failed == before.nr_failed + 20);
	CHECK(after.free_bytes == before.free_bytes && after.nr_chunks == before.nr_chunks);
	tb.max_chunks = 0;

	/* injected failures of chunk creation, metadata and population */
	tb.fail_create_in = 1;
	CHECK(pcpu_allocator_alloc(&pa, 32768, 4, PCPU_GFP_NOWARN) == NULL);
	tb.fail_meta_in = 1;
	CHECK(pcpu_allocator_alloc(&pa, 32768, 4, PCPU_GFP_NOWARN) == NULL);
	CHECK(tb.nr_live_chunks == 3);
	if (tb.vm) {
		tb.fail_populate_in = 1;
		CHECK(pcpu_allocator_alloc(&pa, 32768, 4, PCPU_GFP_NOWARN) == NULL);
	}
	tb.fail_create_in = tb.fail_meta_in = tb.fail_populate_in = 0;
	CHECK(pcpu_allocator_check(&pa) == 0);
	for (i = 0; i < n; i++)
		CHECK(intact(h[i], sz[i]));
	for (i = 0; i < n; i++)
		pcpu_allocator_free(&pa, h[i]);
	pcpu_allocator_stats(&pa, &after);
	CHECK(after.nr_cur_alloc == 0);
	CHECK(pcpu_allocator_balance_needed(&pa));
	pcpu_allocator_balance(&pa);
	pcpu_allocator_stats(&pa, &after);
	CHECK(after.nr_chunks <= 2); /* the first chunk and at most one free chunk */
	CHECK(pcpu_allocator_check(&pa) == 0);
}

/* Atomic allocations use populated pages only; their failure asks for balancing. */
static void test_atomic(void)
{
	enum { MAXH = 4096 };
	static void *h[MAXH];
	unsigned int n = 0, i;
	struct pcpu_stats st;
	void *p;

	/* eat all populated free space with atomic allocations */
	while (n < MAXH &&
	       (p = pcpu_allocator_alloc(&pa, 512, 4, PCPU_GFP_ATOMIC | PCPU_GFP_NOWARN))) {
		CHECK(tb_addr_populated(&tb, &pa, p, 512));
		CHECK(zeroed(p, 512));
		h[n++] = p;
	}
	CHECK(n > 0 && n < MAXH);
	CHECK(pcpu_allocator_balance_needed(&pa));
	pcpu_allocator_stats(&pa, &st);
	pcpu_allocator_balance(&pa);
	CHECK(!pcpu_allocator_balance_needed(&pa));
	pcpu_allocator_stats(&pa, &st);
	CHECK(st.empty_pop_pages >= 2);
	p = pcpu_allocator_alloc(&pa, 512, 4, PCPU_GFP_ATOMIC);
	CHECK(p && tb_addr_populated(&tb, &pa, p, 512));
	h[n++] = p;
	for (i = 0; i < n; i++)
		pcpu_allocator_free(&pa, h[i]);
	pcpu_allocator_balance(&pa);
	pcpu_allocator_stats(&pa, &st);
	if (tb.vm)
		CHECK(st.empty_pop_pages <= 4 + UNIT / PCPU_PAGE_SIZE);
	CHECK(pcpu_allocator_check(&pa) == 0);
}

/* Population on demand (vm backend): pages are populated as they are handed out and
 * empty pages beyond the high watermark are given back by balancing. */
static void test_population(void)
{
	enum { N = 300 };
	static void *h[N];
	struct pcpu_stats st;
	unsigned int i;

	for (i = 0; i < N; i++) {
		h[i] = pcpu_allocator_alloc(&pa, 1024, 8, 0);
		CHECK(h[i] && tb_addr_populated(&tb, &pa, h[i], 1024));
		fill(h[i], 1024);
	}
	CHECK(tb.nr_populates > 0);
	for (i = 0; i < N; i += 2)
		pcpu_allocator_free(&pa, h[i]);
	for (i = 1; i < N; i += 2)
		CHECK(intact(h[i], 1024));
	/* keep the last one: its chunk stays, with empty pages to give back */
	for (i = 1; i < N - 1; i += 2)
		pcpu_allocator_free(&pa, h[i]);
	CHECK(pcpu_allocator_balance_needed(&pa));
	pcpu_allocator_balance(&pa);
	CHECK(intact(h[N - 1], 1024));
	pcpu_allocator_free(&pa, h[N - 1]);
	pcpu_allocator_balance(&pa);
	pcpu_allocator_stats(&pa, &st);
	CHECK(st.empty_pop_pages <= 4 + (UNIT - STATIC_SIZE - RESERVED_SIZE) / PCPU_PAGE_SIZE);
	CHECK(tb.nr_depopulates > 0);
	CHECK(st.nr_chunks <= 2);
	CHECK(pcpu_allocator_check(&pa) == 0);
}

static void test_addr_info(void)
{
	struct pcpu_addr_info info;
	void *p = pcpu_allocator_alloc(&pa, 100, 4, 0), *q;
	unsigned int c;
	int local;

	CHECK(p != NULL);
	for (c = 0; c < NR_CPUS; c++) {
		char *copy = pcpu_allocator_ptr(&pa, p, c);

		CHECK(pcpu_allocator_addr_info(&pa, copy + 50, &info));
		CHECK(info.cpu == c && info.handle == (char *)p + 50);
		CHECK(info.allocated && info.alloc_handle == p && info.alloc_size == 100);
	}
	CHECK(!pcpu_allocator_addr_info(&pa, &local, &info));
	CHECK(pcpu_allocator_addr_info(&pa, (void *)(tb.first_base + tb.unit_off[2] + 8), &info));
	CHECK(info.region == PCPU_REGION_STATIC && info.cpu == 2 && !info.allocated);
	q = pcpu_allocator_ptr(&pa, p, 3);
	pcpu_allocator_free(&pa, p);
	CHECK(pcpu_allocator_addr_info(&pa, q, &info) && !info.allocated);
	CHECK(pcpu_allocator_size(&pa, p) == 0);
}

static unsigned int cur_cpu;

static unsigned int get_cpu(void)
{
	return cur_cpu;
}

static void test_counter(void)
{
	struct percpu_counter fbc;
	int64_t expect = 1000;
	unsigned int i;

	pa.cfg.this_cpu = get_cpu;
	CHECK(percpu_counter_init(&fbc, &pa, 1000, 16) == 0);
	for (i = 0; i < 10000; i++) {
		int64_t d = (int64_t)(i % 7) - 2;

		cur_cpu = i % NR_CPUS;
		percpu_counter_add(&fbc, d);
		expect += d;
		CHECK(llabs(percpu_counter_read(&fbc) - expect) < 16 * NR_CPUS);
	}
	CHECK(percpu_counter_sum(&fbc) == expect);
	percpu_counter_inc(&fbc);
	percpu_counter_dec(&fbc);
	CHECK(percpu_counter_sum(&fbc) == expect);
	percpu_counter_set(&fbc, -5);
	CHECK(percpu_counter_sum(&fbc) == -5 && percpu_counter_read_positive(&fbc) == 0);
	CHECK(*(int32_t *)pcpu_allocator_this_ptr(&pa, fbc.counters) == 0);
	percpu_counter_destroy(&fbc);
	pa.cfg.this_cpu = NULL;
}

/* The misuse check the runtime runs: everything refused, reported once, nothing changed. */
static void test_misuse(void)
{
	struct pcpu_stats before, after;
	struct t_capture cap;
	int foreign, lines;

	pcpu_allocator_stats(&pa, &before);
	t_capture_start(&cap);
	CHECK(pcpu_selftest_misuse(&pa, &foreign) == 0);
	lines = t_capture_end(&cap, "refused: not a live", NULL, 0);
	pcpu_allocator_stats(&pa, &after);
	CHECK(after.nr_bad_free > before.nr_bad_free);
	CHECK(lines == (int)(after.nr_bad_free - before.nr_bad_free));
	CHECK(after.nr_cur_alloc == before.nr_cur_alloc);
}

static void test_stats_print(void)
{
	struct t_capture cap;
	void *p = pcpu_allocator_alloc(&pa, 64, 4, 0);
	int lines;

	t_capture_start(&cap);
	pcpu_allocator_print_stats(&pa);
	lines = t_capture_end(&cap, NULL, NULL, 0);
	CHECK(lines >= 6);
	pcpu_allocator_free(&pa, p);
}

static void run(enum pcpu_allocator_kind kind, bool vm, bool gap, unsigned long delta)
{
	unsigned long before = t_fail;

	mode = vm ? "vm" : "km";
	setup(kind, vm, gap, delta);
	test_basic();
	test_packing();
	test_align();
	test_reserved();
	test_bad_args();
	test_bad_free();
	test_addr_info();
	test_counter();
	test_misuse();
	test_stats_print();
	if (vm)
		test_population();
	test_atomic();
	test_oom();
	teardown();
	printf("%-8s %s%s delta=%#lx: %s\n", pcpu_allocator_name(kind), mode, gap ? " gap" : "",
	       delta, t_fail == before ? "ok" : "FAILED");
}

int main(void)
{
	enum pcpu_allocator_kind k;

	for (k = PCPU_ALLOCATOR_BITMAP; k <= PCPU_ALLOCATOR_AREAMAP; k++) {
		run(k, false, false, 0);
		run(k, true, false, 0);
		run(k, false, true, 0x10000);
	}
	return t_finish();
}
