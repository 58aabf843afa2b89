/*
 * pcpu_alloc_selftest.c - the per-CPU allocator's misuse check and stress worker, shared by
 * the runtime's workloads and the host tests.
 */
#include "percpu_alloc_selftest.h"
#include <pcpurt/printk.h>

#define NR_LIVE 6

static uint32_t pattern(uint32_t id, unsigned int cpu, uint32_t i)
{
	uint32_t x = id * 0x9E3779B1u ^ (cpu + 1) * 0x85EBCA77u ^ i * 0xC2B2AE3Du;

	return x ^ (x >> 15);
}

/* Writes (mode 0) or checks (1) the pattern, or checks zero (2), in every CPU's copy. */
static bool walk(struct pcpu_allocator *pa, void *ptr, uint32_t size, uint32_t id, int mode)
{
	unsigned int c, i;

	for (c = 0; c < pa->layout.nr_cpus; c++) {
		uint32_t *p = pcpu_allocator_ptr(pa, ptr, c);

		for (i = 0; i < size / 4; i++) {
			uint32_t want = mode == 2 ? 0 : pattern(id, c, i);

			if (mode == 0)
				WRITE_ONCE(p[i], want);
			else if (READ_ONCE(p[i]) != want)
				return false;
		}
	}
	return true;
}

struct misuse_ctx {
	struct pcpu_allocator *pa;
	void *live[NR_LIVE];
	uint32_t size[NR_LIVE];
	unsigned int failures;
};

static void fail(struct misuse_ctx *m, const char *what)
{
	pr_err("percpu misuse: %s\n", what);
	m->failures++;
}

/* Nothing but the refusal counters may have changed since *before. */
static void unchanged(struct misuse_ctx *m, const struct pcpu_stats *before, const char *what)
{
	struct pcpu_stats now;
	unsigned int i;

	pcpu_allocator_stats(m->pa, &now);
	if (now.nr_alloc != before->nr_alloc || now.nr_dealloc != before->nr_dealloc ||
	    now.nr_cur_alloc != before->nr_cur_alloc || now.free_bytes != before->free_bytes ||
	    now.reserved_free_bytes != before->reserved_free_bytes ||
	    now.nr_chunks != before->nr_chunks)
		fail(m, what);
	for (i = 0; i < NR_LIVE; i++)
		if (m->live[i] && !walk(m->pa, m->live[i], m->size[i], i + 1, 1))
			fail(m, "a live allocation changed");
}

static void bad_free(struct misuse_ctx *m, void *ptr, const char *what)
{
	struct pcpu_stats before, after;

	pcpu_allocator_stats(m->pa, &before);
	pcpu_allocator_free(m->pa, ptr);
	pcpu_allocator_stats(m->pa, &after);
	if (after.nr_bad_free != before.nr_bad_free + 1)
		fail(m, what);
	unchanged(m, &before, what);
}

unsigned int pcpu_selftest_misuse(struct pcpu_allocator *pa, const void *foreign)
{
	static const struct {
		size_t size, align;
	} bad_args[] = {
	    {0, 4}, {PCPU_MIN_UNIT_SIZE + 1, 4}, {8, 3}, {8, 24}, {8, 2 * PCPU_MAX_ALIGN}};
	struct misuse_ctx m = {.pa = pa};
	struct pcpu_stats before, after;
	unsigned int i;
	void *freed;

	for (i = 0; i < NR_LIVE; i++) {
		m.size[i] = 16u << i;
		m.live[i] = pcpu_allocator_alloc(pa, m.size[i], 8,
						 i == 1 ? PCPU_GFP_RESERVED | PCPU_GFP_NOWARN : 0);
		if (m.live[i])
			walk(pa, m.live[i], m.size[i], i + 1, 0);
		else if (i != 1)
			fail(&m, "setup allocation failed");
	}

	pcpu_allocator_stats(pa, &before);
	for (i = 0; i < ARRAY_SIZE(bad_args); i++)
		if (pcpu_allocator_alloc(pa, bad_args[i].size, bad_args[i].align, 0))
			fail(&m, "a bad size or alignment was accepted");
	pcpu_allocator_stats(pa, &after);
	if (after.nr_bad_args != before.nr_bad_args + ARRAY_SIZE(bad_args))
		fail(&m, "bad arguments not counted");
	unchanged(&m, &before, "bad arguments changed the allocator");

	pcpu_allocator_stats(pa, &before);
	pcpu_allocator_free(pa, NULL);
	pcpu_allocator_stats(pa, &after);
	if (after.nr_bad_free != before.nr_bad_free)
		fail(&m, "free of NULL was counted as bad");
	unchanged(&m, &before, "free of NULL changed the allocator");

	bad_free(&m, (char *)m.live[0] + 4, "free inside an allocation");
	if (m.live[1])
		bad_free(&m, (char *)m.live[1] + 8, "free inside a reserved allocation");
	bad_free(&m, (void *)foreign, "free of memory that is not per-CPU");
	if (pa->cfg.static_size)
		bad_free(&m, (void *)(pa->cfg.first_base - pa->cfg.ptr_delta),
			 "free of a static per-CPU variable");
	for (i = 0; i < pa->layout.nr_cpus; i++)
		if (pa->layout.unit_off[i])
			break;
	if (i < pa->layout.nr_cpus)
		bad_free(&m, pcpu_allocator_ptr(pa, m.live[2], i), "free of a CPU's copy");

	freed = pcpu_allocator_alloc(pa, 24, 4, 0);
	pcpu_allocator_free(pa, freed);
	if (!pcpu_allocator_addr_info(pa, pcpu_allocator_ptr(pa, freed, 0), NULL))
		fail(&m, "a per-CPU address was not recognised");
	bad_free(&m, freed, "double free");

	if (pcpu_allocator_addr_info(pa, foreign, NULL))
		fail(&m, "foreign memory taken for per-CPU memory");
	if (pcpu_allocator_check(pa))
		fail(&m, "consistency check");
	for (i = 0; i < NR_LIVE; i++)
		pcpu_allocator_free(pa, m.live[i]);
	return m.failures;
}

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void stress_free(struct pcpu_allocator *pa, struct pcpu_stress_slot *sl,
			struct pcpu_stress_stats *st)
{
	if (!walk(pa, sl->ptr, sl->size, sl->id, 1))
		st->pattern_errors++;
	pcpu_allocator_free(pa, sl->ptr);
	st->frees++;
	sl->ptr = NULL;
}

int pcpu_stress_run(struct pcpu_allocator *pa, unsigned int cpu, uint64_t seed,
		    unsigned long iterations, struct pcpu_stress_slot *slots, unsigned int max_live,
		    struct pcpu_stress_stats *st)
{
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL + cpu + 1, errors0;
	uint32_t next_id = 1;
	unsigned int i, n = 0;
	unsigned long it;

	errors0 = st->zero_errors + st->pattern_errors;
	for (it = 0; it < iterations; it++) {
		uint64_t r = next_rand(&s);

		if (n < max_live && (!n || r % 100 < 55)) {
			struct pcpu_stress_slot *sl = &slots[n];
			size_t size = 1 + (r >> 8) % (r % 64 ? 4096 : PCPU_MIN_UNIT_SIZE);
			size_t align = (size_t)1 << ((r >> 32) % 13);

			if ((r >> 40) % 4)
				size = 1 + size % 256;
			sl->ptr = pcpu_allocator_alloc(pa, size, align, PCPU_GFP_NOWARN);
			if (!sl->ptr) {
				st->failed++;
				continue;
			}
			sl->size = (uint32_t)ALIGN_UP(size, 4);
			sl->id = (cpu << 24) ^ next_id++;
			st->allocs++;
			if (!walk(pa, sl->ptr, sl->size, 0, 2))
				st->zero_errors++;
			walk(pa, sl->ptr, sl->size, sl->id, 0);
			n++;
		} else if (n) {
			i = (unsigned int)((r >> 16) % n);
			stress_free(pa, &slots[i], st);
			slots[i] = slots[--n];
		}
	}
	while (n)
		stress_free(pa, &slots[--n], st);
	return st->zero_errors + st->pattern_errors == errors0 ? 0 : -1;
}
