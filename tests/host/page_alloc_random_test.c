/*
 * page_alloc_random_test.c - the randomized run of the page allocator: thousands of
 * mixed alloc / low / exact / free / partial free / double free / query operations
 * against the page model: every result must be exactly what the model predicts (so no two
 * live allocations overlap and each lies in free memory of the asked node when it has
 * room), free bytes, extents and all counters equal the model's after every step, page
 * tags survive until freed. PAGE_ALLOC_TEST_SEED=n picks the random seed,
 * PAGE_ALLOC_TEST_VERBOSE=1 prints its counts.
 * See page_alloc_test.h for the set-up every phase starts from.
 */
#include "page_alloc_test.h"


/* ---- randomized run ------------------------------------------------------------------- */

struct live {
	uint64_t base;
	unsigned long npages;
	uint32_t id;
};

static struct live live[NPAGES];
static unsigned long nr_live;
static uint32_t next_id = 1;

/* Each page of a live allocation holds its id in its first word. */
static void tag(uint64_t base, unsigned long npages, uint32_t id)
{
	unsigned long i;

	for (i = 0; i < npages; i++)
		*(volatile uint32_t *)(uintptr_t)(base + i * P) = id;
}

static bool tags_ok(uint64_t base, unsigned long npages, uint32_t id)
{
	unsigned long i;

	for (i = 0; i < npages; i++)
		if (*(volatile uint32_t *)(uintptr_t)(base + i * P) != id)
			return false;
	return true;
}

static void live_add(uint64_t base, unsigned long npages, uint32_t id)
{
	if (!npages)
		return;
	live[nr_live++] = (struct live){ base, npages, id };
	tag(base, npages, id);
}

static unsigned long rnd_npages(void)
{
	unsigned long r = rnd_below(100);

	if (r < 70)
		return 1 + rnd_below(8);
	if (r < 95)
		return 9 + rnd_below(248);
	return 512 + rnd_below(8192);
}

static uint64_t rnd_bytes(unsigned long npages)
{
	/* sometimes not a page multiple: the allocator rounds up */
	return rnd_below(4) ? npages * P : (npages - 1) * P + 1 + rnd_below(P);
}

static void test_random(void)
{
	static const uint64_t aligns[] = { 0, 1, P, 2 * P, 16 * P, SZ_64K, SZ_1M, SZ_2M };
	unsigned long step, steps = 6000, i;
	unsigned long n_fallback = 0, n_fail = 0, n_exact = 0, n_exact_bad = 0, n_partial = 0;
	unsigned long n_double = 0, n_low = 0, n_query = 0;
	const char *s = getenv("PAGE_ALLOC_TEST_SEED");
	uint64_t seed = s ? strtoull(s, NULL, 0) : 0x9e3779b97f4a7c15ULL;

	rng_state = seed ? seed : 1;
	for (step = 0; step < steps; step++) {
		unsigned long op = rnd_below(100), np = rnd_npages();
		int before = failures, node = (int)rnd_below(3) - 1;
		uint64_t got, want, sz;

		if (nr_live > 500 && op < 60)
			op += 40;
		if (op < 30) {				/* alloc_pages_node */
			uint64_t align = aligns[rnd_below(ARRAY_SIZE(aligns))];
			unsigned long fb = m_fallbacks, fl = m_failures;

			got = m_alloc_node(node, rnd_bytes(np), align, next_id);
			n_fallback += m_fallbacks - fb;
			n_fail += m_failures - fl;
			if (got) {
				EXPECT(IS_ALIGNED(got, MAX(align, P)));
				if (m_fallbacks == fb && node >= 0)
					EXPECT_EQ(page_node(got), node);
				live_add(got, np, next_id++);
			}
		} else if (op < 38) {			/* alloc_pages_low */
			want = m_low(np);
			got = alloc_pages_low(rnd_bytes(np));
			EXPECT_EQ(got, want);
			if (got && got == want) {
				m_set(got, np, next_id);
				m_allocs++;
				live_add(got, np, next_id++);
				n_low++;
			} else {
				m_failures++;
			}
		} else if (op < 55) {			/* find a place, claim it exactly */
			np = 1 + rnd_below(16);
			if (rnd_below(2)) {
				uint64_t lim = B + rnd_below(BUF_SIZE + SZ_1M);

				got = page_range_free_below(lim, np * P, node);
				EXPECT_EQ(got, m_below(lim, np * P, node));
				want = got ? got : B + rnd_below(NPAGES) * P;
			} else {
				want = B - 16 * P + rnd_below(NPAGES + 32) * P;
			}
			sz = np * P;
			if (m_is_free(want, sz)) {
				EXPECT_EQ(alloc_pages_exact(want, sz), 0);
				m_set(want, np, next_id);
				m_allocs++;
				live_add(want, np, next_id++);
				n_exact++;
			} else {
				EXPECT_EQ(alloc_pages_exact(want, sz), -1);
				m_failures++;
				n_exact_bad++;
			}
		} else if (op < 61) {			/* a free that overlaps free memory */
			for (i = 0; i < 20; i++) {
				unsigned long k = rnd_below(NPAGES), lo, hi;

				if (m_page[k] != M_FREE)
					continue;
				lo = k > 2 ? k - rnd_below(3) : k;
				hi = MIN(NPAGES, k + 1 + rnd_below(4));
				free_refused(addr(lo), (hi - lo) * P);
				n_double++;
				break;
			}
		} else if (op < 68) {			/* queries */
			uint64_t lim = B - SZ_1M + rnd_below(BUF_SIZE + 2 * SZ_1M);
			uint64_t a = B + rnd_below(NPAGES) * P;

			sz = rnd_bytes(np);
			EXPECT_EQ(page_range_free_below(lim, sz, node), m_below(lim, sz, node));
			EXPECT_EQ(page_range_is_free(a, np * P), m_is_free(a, np * P));
			EXPECT_EQ(page_node(lim), lim >= B && lim < B + BUF_SIZE ?
				  m_node(pg(lim)) : NUMA_NO_NODE);
			n_query++;
		} else if (nr_live) {			/* free all or part of a live one */
			unsigned long k = rnd_below(nr_live), a0 = 0, a1;
			struct live l = live[k];

			a1 = l.npages;
			if (rnd_below(3) == 0 && l.npages > 1) {
				a0 = rnd_below(l.npages);
				a1 = a0 + 1 + rnd_below(l.npages - a0);
				n_partial += a1 - a0 < l.npages;
			}
			EXPECT(tags_ok(l.base, l.npages, l.id));
			live[k] = live[--nr_live];
			m_free_pages(l.base + a0 * P, rnd_bytes(a1 - a0));
			live_add(l.base, a0, l.id);
			live_add(l.base + a1 * P, l.npages - a1, l.id);
		}
		if (!check_model() || failures != before) {
			fprintf(stderr, "random: seed 0x%llx, diverged at step %lu (op %lu)\n",
				(unsigned long long)seed, step, op);
			return;
		}
	}
	for (i = 0; i < nr_live; i++)
		EXPECT(tags_ok(live[i].base, live[i].npages, live[i].id));
	/* give everything back: the free memory is whole again */
	while (nr_live) {
		nr_live--;
		m_free_pages(live[nr_live].base, live[nr_live].npages * P);
	}
	EXPECT(check_model());
	EXPECT_EQ(st().extents, 5);
	EXPECT_EQ(st().free_bytes, st().total_bytes);
	if (getenv("PAGE_ALLOC_TEST_VERBOSE"))
		printf("random: %lu steps, %lu fallbacks, %lu failures, %lu exact, %lu exact "
		       "refused, %lu partial frees, %lu double frees, %lu low, %lu queries\n",
		       steps, n_fallback, n_fail, n_exact, n_exact_bad, n_partial, n_double,
		       n_low, n_query);
	/* the run must have gone through every path */
	EXPECT(n_fallback > 0);
	EXPECT(n_fail > 0);
	EXPECT(n_exact > 100);
	EXPECT(n_exact_bad > 100);
	EXPECT(n_partial > 50);
	EXPECT(n_double > 50);
	EXPECT(n_low > 50);
}

/* ---- main ----------------------------------------------------------------------------- */

int main(void)
{
	static const struct page_alloc_phase phases[] = {
		{ "random", test_random },
	};

	return page_alloc_test_main("page_alloc_random_test", phases, ARRAY_SIZE(phases));
}
