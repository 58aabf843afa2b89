/*
 * page_alloc_free_test.c - host tests of free_pages (holes and merges, double and
 * partial double frees refused with a warning and nothing changed, no merge across
 * nodes), page_range_free_below (highest start <= limit on the node, 0 when none) and
 * alloc_pages_low (lowest free memory that fits, any node).
 * See page_alloc_test.h for the set-up every phase starts from.
 */
#include "page_alloc_test.h"


static void test_free(void)
{
	uint64_t x = B + 8 * SZ_1M, e, f, g;
	unsigned int e0 = st().extents;
	uint8_t *extra;

	exact_ok(x, 3 * P, +1);
	m_free_pages(x + P, P);				/* a hole in the middle */
	EXPECT_EQ(st().extents, e0 + 2);
	EXPECT(check_model());
	m_free_pages(x, P);				/* merges both sides */
	EXPECT_EQ(st().extents, e0 + 1);
	EXPECT(check_model());
	m_free_pages(x + 2 * P, 10);			/* size rounds up; merges both sides */
	EXPECT_EQ(st().extents, e0);
	EXPECT(check_model());
	EXPECT(page_range_is_free(B + 5 * SZ_1M + 12 * SZ_1K, NODE_SIZE - 5 * SZ_1M - 20 * SZ_1K));

	/* double frees, whole and partial */
	free_refused(x, P);
	free_refused(x - P, 3 * P);
	exact_ok(x, 2 * P, +1);
	free_refused(x, 4 * P);				/* tail already free */
	free_refused(x - P, 2 * P);			/* head already free */
	free_refused(x + P, 2 * P);
	EXPECT(check_model());
	m_free_pages(x, 2 * P);
	EXPECT_EQ(st().extents, e0);
	EXPECT(check_model());

	/* free what came from alloc_pages_node: the top of node 1 comes back whole */
	e = m_alloc_node(1, SZ_1M, 0, 9);
	f = m_alloc_node(1, SZ_1M, 0, 10);
	g = m_alloc_node(1, SZ_1M, SZ_1M, 11);
	EXPECT_EQ(f, e - SZ_1M);
	EXPECT(check_model());
	m_free_pages(f, SZ_1M);
	EXPECT(check_model());
	m_free_pages(g, SZ_1M);
	EXPECT(check_model());
	m_free_pages(e, SZ_1M);
	EXPECT_EQ(st().extents, e0);
	EXPECT(check_model());
	free_refused(e, P);

	/*
	 * No merging across nodes: more memory, node 0 and node 1 touching. The model only
	 * covers the main buffer, so check by hand from here on.
	 */
	extra = aligned_alloc(SZ_1M, 2 * SZ_1M);
	EXPECT(extra);
	if (!extra)
		return;
	e = (uintptr_t)extra;
	EXPECT_EQ(memblock_add(e, SZ_1M, 0), 0);
	EXPECT_EQ(memblock_add(e + SZ_1M, SZ_1M, 1), 0);
	page_alloc_add(e, SZ_1M, 0);
	page_alloc_add(e + SZ_1M, SZ_1M, 1);
	EXPECT_EQ(st().extents, e0 + 2);
	EXPECT_EQ(st().free_bytes, m_nfree * P + 2 * SZ_1M);
	EXPECT_EQ(st().total_bytes, m_nfree * P + 2 * SZ_1M);
	EXPECT(page_range_is_free(e, SZ_1M));
	EXPECT(page_range_is_free(e + SZ_1M, SZ_1M));
	EXPECT(!page_range_is_free(e + SZ_1M - P, 2 * P));
	EXPECT_EQ(alloc_pages_exact(e + SZ_1M - P, 2 * P), -1);
	EXPECT_EQ(page_range_free_below(e + SZ_1M, P, 0), e + SZ_1M - P);
	EXPECT_EQ(page_range_free_below(e + 2 * SZ_1M, P, 1), e + 2 * SZ_1M - P);
	EXPECT_EQ(alloc_pages_exact(e + SZ_1M - P, P), 0);
	EXPECT_EQ(alloc_pages_exact(e + SZ_1M, P), 0);
	free_pages(e + SZ_1M - P, P);
	free_pages(e + SZ_1M, P);
	EXPECT_EQ(st().extents, e0 + 2);
	EXPECT(page_range_is_free(e + SZ_1M, SZ_1M));
	EXPECT_EQ(page_node(e + SZ_1M - 1), 0);
	EXPECT_EQ(page_node(e + SZ_1M), 1);
	/* the buffer stays allocated: the child exits with it */
}

static void test_below(void)
{
	const uint64_t top0 = B + NODE_SIZE - 12 * SZ_1K, top1 = B + BUF_SIZE - SZ_64K - P;

	EXPECT_EQ(page_range_free_below(~0ULL, P, 0), top0);
	EXPECT_EQ(page_range_free_below(~0ULL, P, 1), top1);
	EXPECT_EQ(page_range_free_below(~0ULL, P, -1), top1);
	EXPECT_EQ(page_range_free_below(~0ULL, 3 * P, 0), top0 - 2 * P);
	EXPECT_EQ(page_range_free_below(~0ULL, 3 * P - 1, 0), top0 - 2 * P);
	EXPECT_EQ(page_range_free_below(B + 50 * SZ_1M, P, 0), top0);
	EXPECT_EQ(page_range_free_below(B + 20 * SZ_1M, P, 1), 0);	/* below node 1 */
	EXPECT_EQ(page_range_free_below(B + 5 * SZ_1M + P, P, 0), B + 5 * SZ_1M - P);
	EXPECT_EQ(page_range_free_below(B + 5 * SZ_1M + P, 2 * P, -1), B + 5 * SZ_1M - 2 * P);
	EXPECT_EQ(page_range_free_below(B + 2 * SZ_1M + 123, P, 0), B + 2 * SZ_1M);
	EXPECT_EQ(page_range_free_below(B + 2 * SZ_1M + 123, P, -1), B + 2 * SZ_1M);
	/* the 2-page gap at 1M, with reserved memory under and over it */
	EXPECT_EQ(page_range_free_below(B + SZ_1M + 4 * SZ_1K, P, 0), B + SZ_1M + 4 * SZ_1K);
	EXPECT_EQ(page_range_free_below(B + SZ_1M + 4 * SZ_1K, 2 * P, 0), B + SZ_1M);
	EXPECT_EQ(page_range_free_below(B + SZ_1M + 8 * SZ_1K, 2 * P, 0), B + SZ_1M);
	EXPECT_EQ(page_range_free_below(B + SZ_1M + 4 * SZ_1K, 3 * P, 0), 0);
	EXPECT_EQ(page_range_free_below(B + SZ_1M + 4 * SZ_1K, 3 * P, -1), 0);
	EXPECT_EQ(page_range_free_below(B + SZ_1M - 1, P, -1), 0);
	EXPECT_EQ(page_range_free_below(B + 30 * SZ_1M, 28 * SZ_1M, 0), 0);	/* too big */
	/* limit on a reserved page: below it; just above it: the next extent's start */
	EXPECT_EQ(page_range_free_below(B + 40 * SZ_1M, 2 * P, 1), B + 40 * SZ_1M - 2 * P);
	EXPECT_EQ(page_range_free_below(B + 40 * SZ_1M + P, 2 * P, 1), B + 40 * SZ_1M + P);
	/* follows allocations; read-only */
	exact_ok(top0 - P, 2 * P, 0);
	EXPECT_EQ(page_range_free_below(~0ULL, P, 0), top0 - 2 * P);
	EXPECT_EQ(page_range_free_below(top0, P, 0), top0 - 2 * P);
	exact_ok(B + 20 * SZ_1M, P, +1);
	EXPECT_EQ(page_range_free_below(B + 20 * SZ_1M, SZ_64K + P, 0),
		  B + 20 * SZ_1M - SZ_64K - P);
	EXPECT_EQ(page_range_free_below(B + 20 * SZ_1M + P, SZ_64K, 0), B + 20 * SZ_1M + P);
	EXPECT_EQ(page_range_free_below(B + 20 * SZ_1M + P - 1, SZ_64K, 0),
		  B + 20 * SZ_1M - SZ_64K);
	EXPECT(check_model());
}

static void test_low(void)
{
	uint64_t p;

	EXPECT_EQ(alloc_pages_low(3 * P), B + SZ_1M + 12 * SZ_1K);	/* skips the 2-page gap */
	m_set(B + SZ_1M + 12 * SZ_1K, 3, 1);
	EXPECT_EQ(alloc_pages_low(2 * P), B + SZ_1M);			/* fills it */
	m_set(B + SZ_1M, 2, 1);
	EXPECT_EQ(alloc_pages_low(1), B + SZ_1M + 24 * SZ_1K);
	m_set(B + SZ_1M + 24 * SZ_1K, 1, 1);
	m_allocs += 3;
	EXPECT(check_model());
	EXPECT_EQ(alloc_pages_low(0), 0);
	EXPECT(check_model());
	/* node 0 too fragmented for 20M: the first node 1 extent that fits */
	exact_ok(B + 16 * SZ_1M, P, +1);
	p = alloc_pages_low(20 * SZ_1M);
	EXPECT_EQ(p, B + 40 * SZ_1M + P);
	EXPECT_EQ(page_node(p), 1);
	m_set(p, 20 * SZ_1M / P, 1);
	m_allocs++;
	EXPECT(check_model());
	EXPECT_EQ(alloc_pages_low(20 * SZ_1M), 0);
	m_failures++;
	EXPECT(check_model());
	/* what alloc_pages_low() hands out comes back like any other range */
	m_free_pages(B + SZ_1M, 2 * P);
	EXPECT_EQ(alloc_pages_low(2 * P), B + SZ_1M);
	m_set(B + SZ_1M, 2, 1);
	m_allocs++;
	EXPECT(check_model());
}

/* ---- main ----------------------------------------------------------------------------- */

int main(void)
{
	static const struct page_alloc_phase phases[] = {
		{ "free", test_free },
		{ "below", test_below },
		{ "low", test_low },
	};

	return page_alloc_test_main("page_alloc_free_test", phases, ARRAY_SIZE(phases));
}
