/*
 * percpu_alloc_random.c - randomized test of the per-CPU allocator against a model (an
 * interval set of live allocations), for both allocator kinds and both backend modes.
 *
 * Mixed operations: allocations of random sizes and alignments (some reserved, some atomic),
 * frees of random live allocations, bad frees, and balancing. Every allocation is checked
 * to overlap no live one, to be aligned and zeroed in every CPU's copy and to sit on
 * populated pages; it is then filled with a pattern that is verified before its free. Free
 * space reported by the allocator must match the model at every step. The granule model of
 * percpu_model.c sits in front of the backend: a failed allocation of any kind (atomic and
 * reserved ones included) while a fitting free run existed, or a chunk created while one
 * did, fails the test.
 *
 * Built twice: normally it runs a million operations per allocator kind with a full
 * consistency check periodically; with PCPU_DEBUG_CHECKS=1 the allocator verifies the
 * touched chunk's hints against its maps after every operation, and the test checks every
 * chunk every 50 steps on longer runs and after every single step on short ones.
 */
#include <search.h>
#include "percpu_alloc_backend.h"
#include "percpu_alloc_test.h"
#include "percpu_model.h"

#define STATIC_SIZE   (3 * 1024 + 8)
#define RESERVED_SIZE (12 * 1024)

struct live {
	void *h;
	uint32_t size; /* rounded up to 4 */
	uint32_t id;
	bool reserved;
};

struct run_cfg {
	enum pcpu_allocator_kind kind;
	bool vm;
	unsigned int nr_cpus;
	size_t unit;
	unsigned long ops;
	unsigned long full_check_every; /* 1: every step */
	unsigned int max_live;
	uint64_t seed;
};

static struct test_backend tb;
static struct pcpu_allocator pa;
static struct pm model;
static struct live *lives;
static unsigned int nlive;
static void *tree;
static uint64_t rng;
static size_t live_dyn_bytes, live_res_bytes;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static int cmp_ival(const void *a, const void *b)
{
	const struct live *x = a, *y = b;
	uintptr_t xs = (uintptr_t)x->h, ys = (uintptr_t)y->h;

	if (xs + x->size <= ys)
		return -1;
	if (ys + y->size <= xs)
		return 1;
	return 0;
}

static uint64_t word_of(uint32_t id, unsigned int cpu)
{
	return (id * 0x9E3779B97F4A7C15ULL) ^ (cpu * 0xC2B2AE3D27D4EB4FULL) ^ 0x5555;
}

/* Fills (or checks, or checks zero) the first size bytes of every CPU copy. */
static bool walk(const struct live *l, int mode)
{
	unsigned int c, i;

	for (c = 0; c < tb.layout.nr_cpus; c++) {
		unsigned char *p = pcpu_allocator_ptr(&pa, l->h, c);
		uint64_t w = mode == 2 ? 0 : word_of(l->id, c);

		for (i = 0; i + 8 <= l->size; i += 8) {
			if (mode == 0)
				memcpy(p + i, &w, 8);
			else if (memcmp(p + i, &w, 8))
				return false;
		}
		for (; i < l->size; i++) {
			unsigned char b = (unsigned char)(w >> (8 * (i % 8)));

			if (mode == 0)
				p[i] = b;
			else if (p[i] != b)
				return false;
		}
	}
	return true;
}

static size_t rand_size(void)
{
	unsigned int r = rnd() % 100;

	if (r < 55)
		return 1 + rnd() % 64;
	if (r < 85)
		return 65 + rnd() % 960;
	if (r < 98)
		return 1025 + rnd() % 7168;
	return 8193 + rnd() % (PCPU_MIN_UNIT_SIZE - 8192);
}

static size_t rand_align(void)
{
	unsigned int r = rnd() % 100;

	if (r < 35)
		return 1u << (rnd() % 3);
	if (r < 70)
		return 8;
	if (r < 88)
		return 16u << (rnd() % 3);
	if (r < 97)
		return 128u << (rnd() % 4);
	return 2048u << (rnd() % 2);
}

static unsigned long step;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "step %lu: ", step);                                               \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fprintf(stderr, "\n0 passed, 1 failed\n");                                         \
		exit(1);                                                                           \
	} while (0)

static bool do_alloc(const struct run_cfg *rc, uint32_t id)
{
	size_t size = rand_size(), align = rand_align();
	unsigned int flags = PCPU_GFP_NOWARN, r = rnd() % 100, c;
	struct live *l = &lives[nlive], **found;
	unsigned long serial = model.serial;
	uintptr_t where;
	void *h;

	if (r < 8) {
		flags |= PCPU_GFP_RESERVED;
		size = 1 + size % 512;
	} else if (r < 14) {
		flags |= PCPU_GFP_ATOMIC;
	}
	h = pcpu_allocator_alloc(&pa, size, align, flags);
	if (model.serial != serial && pm_fit(&model, size, align, flags, serial + 1, &where))
		FAIL("allocation of %zu/%zu (flags %#x) created a chunk while %#lx fit", size,
		     align, flags, (unsigned long)where);
	if (!h) {
		if (!(flags & (PCPU_GFP_RESERVED | PCPU_GFP_ATOMIC)))
			FAIL("allocation of %zu/%zu failed", size, align);
		if (pm_fit(&model, size, align, flags, ~0UL, &where))
			FAIL("allocation of %zu/%zu (flags %#x) failed while %#lx fit", size, align,
			     flags, (unsigned long)where);
		return true;
	}
	if (pm_take(&model, h, size, align, flags))
		FAIL("model: %s", model.err);
	l->h = h;
	l->size = (uint32_t)ALIGN_UP(size, 4);
	l->id = id;
	l->reserved = flags & PCPU_GFP_RESERVED;
	found = tsearch(l, &tree, cmp_ival);
	if (!found || *found != l)
		FAIL("allocation %p+%u overlaps live %p+%u", h, l->size, found ? (*found)->h : 0,
		     found ? (*found)->size : 0);
	if (l->reserved) {
		uintptr_t a = (uintptr_t)h + pa.cfg.ptr_delta - tb.first_base;

		if (a < STATIC_SIZE || a + l->size > STATIC_SIZE + RESERVED_SIZE)
			FAIL("reserved allocation %p outside the reserved region", h);
	}
	for (c = 0; c < tb.layout.nr_cpus; c++)
		if ((uintptr_t)pcpu_allocator_ptr(&pa, h, c) % align)
			FAIL("allocation %p misaligned for %zu", h, align);
	if (!tb_addr_populated(&tb, &pa, h, l->size))
		FAIL("allocation %p on unpopulated pages", h);
	if (!walk(l, 2))
		FAIL("allocation %p not zeroed", h);
	if (pcpu_allocator_size(&pa, h) != l->size)
		FAIL("size of %p is %zu, not %u", h, pcpu_allocator_size(&pa, h), l->size);
	walk(l, 0);
	if (l->reserved)
		live_res_bytes += l->size;
	else
		live_dyn_bytes += l->size;
	nlive++;
	return true;
}

static bool do_free(unsigned int i)
{
	struct live *l = &lives[i];

	if (!walk(l, 1))
		FAIL("pattern of %p+%u overwritten", l->h, l->size);
	if (!tdelete(l, &tree, cmp_ival))
		FAIL("model lost %p", l->h);
	if (pm_release(&model, l->h) != (int)l->size)
		FAIL("granule model: %s", model.err);
	pcpu_allocator_free(&pa, l->h);
	if (l->reserved)
		live_res_bytes -= l->size;
	else
		live_dyn_bytes -= l->size;
	/* the tree holds pointers into lives[]: move the last entry with care */
	if (i != nlive - 1) {
		struct live *last = &lives[nlive - 1];

		tdelete(last, &tree, cmp_ival);
		*l = *last;
		tsearch(l, &tree, cmp_ival);
	}
	nlive--;
	return true;
}

/* Frees something that is not a live allocation start; nothing may change. */
static bool do_bad_free(void)
{
	struct pcpu_stats a, b;
	struct live probe;
	void *bad;

	if (!nlive)
		return true;
	probe = lives[rnd() % nlive];
	if (probe.size <= 4 || (rnd() & 1)) {
		bad = (char *)probe.h + probe.size; /* just past it: maybe free space */
		probe.h = bad;
		probe.size = 1;
		if (tfind(&probe, &tree, cmp_ival)) {
			struct live **f = tfind(&probe, &tree, cmp_ival);

			if ((*f)->h == bad)
				return true; /* a live start: not a bad free */
		}
	} else {
		bad = (char *)probe.h + 4 * (1 + rnd() % (probe.size / 4 - 1));
	}
	pcpu_allocator_stats(&pa, &a);
	pcpu_allocator_free(&pa, bad);
	pcpu_allocator_stats(&pa, &b);
	if (b.nr_bad_free != a.nr_bad_free + 1 || b.free_bytes != a.free_bytes ||
	    b.nr_cur_alloc != a.nr_cur_alloc || b.reserved_free_bytes != a.reserved_free_bytes)
		FAIL("bad free of %p was not refused cleanly", bad);
	return true;
}

static bool check_space(const struct run_cfg *rc)
{
	struct pcpu_stats st;
	size_t cap_dyn,
	    cap_res = ALIGN_DOWN(STATIC_SIZE + RESERVED_SIZE, 4) - ALIGN_UP(STATIC_SIZE, 4);

	pcpu_allocator_stats(&pa, &st);
	cap_dyn =
	    rc->unit - ALIGN_DOWN(STATIC_SIZE + RESERVED_SIZE, 4) + (st.nr_chunks - 1) * rc->unit;
	if (st.free_bytes != cap_dyn - live_dyn_bytes)
		FAIL("free bytes %zu, model says %zu", st.free_bytes, cap_dyn - live_dyn_bytes);
	if (st.reserved_free_bytes != cap_res - live_res_bytes)
		FAIL("reserved free %zu, model says %zu", st.reserved_free_bytes,
		     cap_res - live_res_bytes);
	if (st.nr_cur_alloc != nlive)
		FAIL("live %llu, model says %u", (unsigned long long)st.nr_cur_alloc, nlive);
	if (pa.debug_errors)
		FAIL("debug checks found %lu problems", pa.debug_errors);
	return true;
}

static bool full_check(void)
{
	unsigned int i;

	if (pcpu_allocator_check(&pa))
		FAIL("consistency check failed");
	for (i = 0; i < nlive; i++)
		if (!walk(&lives[i], 1))
			FAIL("pattern of %p overwritten", lives[i].h);
	return true;
}

static void run(const struct run_cfg *rc)
{
	unsigned long fail0 = t_fail, target = rc->max_live / 2;
	struct pcpu_config cfg;
	struct pcpu_stats st;
	uint32_t id = 1;

	rng = rc->seed;
	tb_init(&tb, rc->nr_cpus, rc->unit, rc->vm, rc->nr_cpus > 2);
	tb_config(&tb, &cfg, rc->kind, STATIC_SIZE, RESERVED_SIZE);
	pm_init(&model, &tb.be, rc->unit);
	cfg.backend = &model.be;
	cfg.ptr_delta = 0x1000;
	CHECK(pcpu_allocator_init(&pa, &cfg) == 0);
	pm_attach(&model, &cfg);
	lives = calloc(rc->max_live + 1, sizeof(*lives));
	nlive = 0;
	live_dyn_bytes = live_res_bytes = 0;
	for (step = 0; step < rc->ops && t_fail == fail0; step++) {
		unsigned int r = rnd() % 1000;

		if (step % 20000 == 0)
			target = 1 + rnd() % rc->max_live;
		if (r < 5) {
			do_bad_free();
		} else if (r < 8 || pcpu_allocator_balance_needed(&pa)) {
			if (pcpu_allocator_balance_needed(&pa) || r < 8)
				pcpu_allocator_balance(&pa);
		}
		if (nlive < rc->max_live && (nlive < target ? r < 650 : r < 350) && r >= 8)
			do_alloc(rc, id++);
		else if (nlive)
			do_free(rnd() % nlive);
		if (!check_space(rc))
			break;
		if (step % rc->full_check_every == 0 && !full_check())
			break;
	}
	if (t_fail == fail0)
		full_check();
	while (nlive)
		do_free(nlive - 1);
	pcpu_allocator_balance(&pa);
	pcpu_allocator_stats(&pa, &st);
	CHECK(st.nr_cur_alloc == 0 && st.nr_chunks <= 2);
	CHECK(pcpu_allocator_check(&pa) == 0);
	pcpu_allocator_teardown(&pa);
	CHECK(tb.nr_live_chunks == 0 && tb.meta_live_bytes == 0);
	CHECK(tree == NULL);
	pm_fini(&model);
	free(lives);
	tb_fini(&tb);
	fprintf(stderr,
		"%-8s %s cpus=%u unit=%zuK ops=%lu check every %lu: %s (peak chunks %u, "
		"allocs %llu)\n",
		pcpu_allocator_name(rc->kind), rc->vm ? "vm" : "km", rc->nr_cpus, rc->unit / 1024,
		step, rc->full_check_every, t_fail == fail0 ? "ok" : "FAILED", st.nr_max_chunks,
		(unsigned long long)st.nr_alloc);
	if (t_fail == fail0)
		t_pass++;
}

int main(void)
{
#if PCPU_DEBUG_CHECKS
	static const struct run_cfg runs[] = {
	    {PCPU_ALLOCATOR_BITMAP, false, 2, 32 * 1024, 40000, 50, 150, 1},
	    {PCPU_ALLOCATOR_BITMAP, true, 4, 64 * 1024, 20000, 50, 300, 2},
	    {PCPU_ALLOCATOR_AREAMAP, false, 2, 32 * 1024, 40000, 50, 150, 3},
	    {PCPU_ALLOCATOR_AREAMAP, true, 4, 64 * 1024, 20000, 50, 300, 4},
	    /* every chunk fully checked after every step */
	    {PCPU_ALLOCATOR_BITMAP, true, 2, 32 * 1024, 4000, 1, 120, 5},
	    {PCPU_ALLOCATOR_AREAMAP, true, 2, 32 * 1024, 4000, 1, 120, 6},
	};
#else
	static const struct run_cfg runs[] = {
	    {PCPU_ALLOCATOR_BITMAP, false, 2, 64 * 1024, 1000000, 50000, 2000, 11},
	    {PCPU_ALLOCATOR_AREAMAP, false, 2, 64 * 1024, 1000000, 50000, 2000, 12},
	    {PCPU_ALLOCATOR_BITMAP, true, 4, 128 * 1024, 150000, 10000, 3000, 13},
	    {PCPU_ALLOCATOR_AREAMAP, true, 4, 128 * 1024, 150000, 10000, 3000, 14},
	};
#endif
	unsigned int i;

	/* bad frees print a warning each; keep them off the console */
	if (!freopen("/dev/null", "w", stdout))
		return 1;
	for (i = 0; i < ARRAY_SIZE(runs); i++)
		run(&runs[i]);
	fprintf(stderr, "%lu passed, %lu failed\n", t_pass, t_fail);
	return t_fail ? 1 : 0;
}
