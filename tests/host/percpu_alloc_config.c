/*
 * percpu_alloc_config.c - host tests of setting the per-CPU allocator up: allocator names
 * (pcpu_allocator_parse), configurations pcpu_allocator_init() must refuse (static area
 * larger than a unit, a bad unit size, a misaligned first chunk, no memory for the
 * metadata: one "unusable" line each, nothing leaked), and the runtime's default instance
 * through the Linux-like interface (alloc_percpu, __alloc_reserved_percpu, free_percpu,
 * statistics, balancing).
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

/* The Linux-like interface on the runtime's instance. */
static void test_default_instance(void)
{
	struct pcpu_config cfg;
	struct pcpu_addr_info info;
	uint64_t *v;
	int *r;
	unsigned int c;

	tb_init(&tb, NR_CPUS, UNIT, false, false);
	tb_config(&tb, &cfg, PCPU_ALLOCATOR_BITMAP, STATIC_SIZE, RESERVED_SIZE);
	CHECK(pcpu_allocator_init(&pcpu_default, &cfg) == 0);
	v = alloc_percpu(uint64_t);
	r = __alloc_reserved_percpu(sizeof(int), sizeof(int));
	CHECK(v && r && ((uintptr_t)v & 7) == 0);
	for (c = 0; c < NR_CPUS; c++) {
		CHECK(*pcpu_ptr(v, c) == 0 && *pcpu_ptr(r, c) == 0);
		*pcpu_ptr(v, c) = c;
	}
	CHECK(*pcpu_this_ptr(v) == 0);
	CHECK(pcpu_addr_info(pcpu_ptr(v, 3), &info) && info.cpu == 3 && info.handle == v);
	CHECK(info.region == PCPU_REGION_DYNAMIC && info.alloc_size == 8);
	CHECK(pcpu_addr_info(pcpu_ptr(r, 1), &info) && info.region == PCPU_REGION_RESERVED);
	free_percpu(v);
	free_percpu(r);
	free_percpu(NULL);
	CHECK(__alloc_percpu(0, 4) == NULL);
	CHECK(__alloc_percpu_gfp(16, 16, PCPU_GFP_ATOMIC) != NULL);
	{
		struct pcpu_stats st;

		pcpu_get_stats(&st);
		CHECK(st.nr_alloc == 3 && st.nr_cur_alloc == 1 && st.nr_bad_args == 1);
		if (pcpu_balance_needed())
			pcpu_balance();
		CHECK(!pcpu_balance_needed());
	}
	CHECK(pcpu_allocator_check(&pcpu_default) == 0);
	pcpu_allocator_teardown(&pcpu_default);
	CHECK(tb.meta_live_bytes == 0 && tb.nr_live_chunks == 0);
	tb_fini(&tb);
}

static void test_bad_config(void)
{
	struct pcpu_allocator p2;
	struct pcpu_config cfg;
	struct t_capture cap;

	tb_init(&tb, 2, UNIT, false, false);
	tb_config(&tb, &cfg, PCPU_ALLOCATOR_BITMAP, 4096, 4096);
	t_capture_start(&cap);
	cfg.static_size = UNIT;
	CHECK(pcpu_allocator_init(&p2, &cfg) < 0);
	cfg.static_size = 4096;
	tb.layout.unit_size = 12345;
	CHECK(pcpu_allocator_init(&p2, &cfg) < 0);
	tb.layout.unit_size = UNIT;
	cfg.first_base += 8;
	CHECK(pcpu_allocator_init(&p2, &cfg) < 0);
	cfg.first_base -= 8;
	tb.fail_meta_in = 1;
	CHECK(pcpu_allocator_init(&p2, &cfg) < 0);
	CHECK(t_capture_end(&cap, "unusable", NULL, 0) == 4);
	CHECK(tb.meta_live_bytes == 0);
	CHECK(pcpu_allocator_alloc(&p2, 8, 8, 0) == NULL);
	tb_fini(&tb);
}

int main(void)
{
	enum pcpu_allocator_kind k;

	CHECK(pcpu_allocator_parse("bitmap", &k) == 0 && k == PCPU_ALLOCATOR_BITMAP);
	CHECK(pcpu_allocator_parse("areamap", &k) == 0 && k == PCPU_ALLOCATOR_AREAMAP);
	CHECK(pcpu_allocator_parse("slab", &k) < 0);
	test_default_instance();
	test_bad_config();
	return t_finish();
}
