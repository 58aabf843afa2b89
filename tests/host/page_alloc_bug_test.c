/*
 * page_alloc_bug_test.c - checks of page allocator bugs found and fixed, each
 * in its own child (before the fix they corrupted the allocator): a wrapping exact range,
 * freeing zero, unaligned and cross-node frees, a full extent table.
 * See page_alloc_test.h for the set-up every phase starts from.
 */
#include "page_alloc_test.h"


/* ---- bugs found and fixed (each in its own child: before the fix they corrupted it) ------ */

/* alloc_pages_exact() / page_range_is_free(): base + size wraps around. */
static void bug_exact_wrap(void)
{
	struct page_alloc_stats s0 = st(), s1;
	uint64_t top = ~0ULL & ~(P - 1);

	EXPECT(!page_range_is_free(top, P));
	EXPECT(alloc_pages_exact(top, P) == -1);
	s1 = st();
	s0.failures++;	/* the refused claim counts as a failure, nothing else changes */
	EXPECT(same_stats(&s0, &s1) && !page_range_is_free(B + BUF_SIZE + SZ_1M, P));
}

/* free_pages(base, 0) inserts an empty extent that later blocks a legitimate free. */
static void bug_free_zero(void)
{
	uint64_t p = alloc_pages_node(0, 2 * P, 0);
	struct page_alloc_stats s0 = st(), s1;

	free_pages(p + P, 0);
	s1 = st();
	EXPECT(s1.extents == s0.extents && s1.frees == s0.frees);
	cap_reset();
	free_pages(p, 2 * P);
	EXPECT(page_range_is_free(p, 2 * P) && !cap_has("bad free"));
}

/* free_pages() takes an unaligned base, and alloc_pages_low() then returns it. */
static void bug_free_unaligned(void)
{
	struct page_alloc_stats s0;
	uint64_t a, p;

	EXPECT_EQ(alloc_pages_low(2 * P), B + SZ_1M);		/* the 2-page gap */
	a = alloc_pages_low(3 * P);				/* pages a, a+P, a+2P */
	EXPECT_EQ(a, B + SZ_1M + 12 * SZ_1K);
	s0 = st();
	cap_reset();
	free_pages(a + P + 8, P);
	EXPECT(st().free_bytes == s0.free_bytes && cap_has("bad free"));
	p = alloc_pages_low(P);
	EXPECT(IS_ALIGNED(p, P));
}

/* free_pages() takes the node from memblock, not from what page_alloc_add() was told. */
static void bug_free_node(void)
{
	uint8_t *extra = aligned_alloc(SZ_64K, SZ_64K);
	uint64_t f = (uintptr_t)extra;
	unsigned int e0;

	if (!extra)
		return;
	page_alloc_add(f, SZ_64K, 1);		/* memory memblock does not know */
	e0 = st().extents;
	EXPECT_EQ(alloc_pages_exact(f, P), 0);
	EXPECT_EQ(st().extents, e0);
	free_pages(f, P);
	EXPECT(st().extents == e0 && page_range_free_below(f, P, 1) == f);
	cap_reset();
	free_pages(0x1000000000000000ULL, P);
	EXPECT(cap_has("bad free") && !page_range_is_free(0x1000000000000000ULL, P));
}

/* More than PAGE_ALLOC_MAX_EXTENTS holes: free_pages() drops memory. */
static void bug_table_full(void)
{
	static uint64_t pages[NPAGES];
	unsigned long n = 0, i, accepted = 0, tried = 0;
	uint64_t p;

	while ((p = alloc_pages_node(-1, P, 0)))
		pages[n++] = p;		/* top-down: descending */
	EXPECT_EQ(st().extents, 0);
	cap_reset();
	for (i = 0; i < n; i += 2) {
		unsigned long f0 = st().frees;

		free_pages(pages[i], P);
		tried++;
		if (st().frees == f0 + 1) {
			accepted++;
			EXPECT(page_range_is_free(pages[i], P));
		}
	}
	/* whatever was accepted is consistent */
	EXPECT_EQ(st().free_bytes, accepted * P);
	EXPECT(st().extents <= PAGE_ALLOC_MAX_EXTENTS);
	EXPECT_EQ(st().extents, accepted);
	EXPECT_KNOWN_BUG(accepted == tried,
			 "with PAGE_ALLOC_MAX_EXTENTS extents, free_pages() refuses the "
			 "free as a \"bad free\" and the page is lost for good");
	cap_reset();
}

/* ---- main ----------------------------------------------------------------------------- */

int main(void)
{
	static const struct page_alloc_phase phases[] = {
		{ "bug_exact_wrap", bug_exact_wrap },
		{ "bug_free_zero", bug_free_zero },
		{ "bug_free_unaligned", bug_free_unaligned },
		{ "bug_free_node", bug_free_node },
		{ "bug_table_full", bug_table_full },
	};

	return page_alloc_test_main("page_alloc_bug_test", phases, ARRAY_SIZE(phases));
}
