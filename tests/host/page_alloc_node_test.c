/*
 * page_alloc_node_test.c - host tests of alloc_pages_node (top-down on the node,
 * rounding, page and larger alignments, fallback to the other node, failure) and
 * alloc_pages_exact (claims exactly; refuses allocated, overlapping, reserved, outside,
 * unaligned and empty ranges without changing anything), after the hand-over (init).
 * See page_alloc_test.h for the set-up every phase starts from.
 */
#include "page_alloc_test.h"


static void test_node(void)
{
	struct page_alloc_stats s0, s1;
	uint64_t p, q, n0;
	unsigned long i;

	/* top-down on the node asked for, sizes rounded up to pages */
	EXPECT_EQ(m_alloc_node(0, P, 0, 1), B + NODE_SIZE - 12 * SZ_1K);
	EXPECT_EQ(m_alloc_node(1, 1, 0, 2), B + BUF_SIZE - SZ_64K - P);
	EXPECT_EQ(m_alloc_node(0, 5000, P, 3), B + NODE_SIZE - 20 * SZ_1K);
	EXPECT_EQ(page_node(B + NODE_SIZE - 20 * SZ_1K), 0);
	EXPECT(check_model());
	/* alignments below a page are a page; larger ones split the extent */
	EXPECT_EQ(m_alloc_node(0, P, 100, 4), B + NODE_SIZE - 24 * SZ_1K);
	EXPECT_EQ(m_alloc_node(0, P, SZ_1M, 5), B + 31 * SZ_1M);
	EXPECT_EQ(m_alloc_node(1, SZ_64K, SZ_2M, 6), B + 62 * SZ_1M);
	EXPECT_EQ(m_alloc_node(0, 3 * P, 16 * SZ_1M, 7), B + 16 * SZ_1M);
	EXPECT(check_model());
	EXPECT_EQ(st().extents, 5 + 3);
	/* no node: the highest fit anywhere */
	EXPECT_EQ(m_alloc_node(-1, P, 0, 8), B + BUF_SIZE - 72 * SZ_1K);
	EXPECT(check_model());

	/* bad arguments: 0, nothing changed */
	s0 = st();
	EXPECT_EQ(alloc_pages_node(0, 0, 0), 0);
	EXPECT_EQ(alloc_pages_node(0, P, 3 * P), 0);
	EXPECT_EQ(alloc_pages_node(0, ~0ULL - 100, 0), 0);
	s1 = st();
	EXPECT_EQ(s1.free_bytes, s0.free_bytes);
	EXPECT_EQ(s1.extents, s0.extents);
	EXPECT_EQ(s1.allocs, s0.allocs);
	m_failures = s1.failures;	/* whether bad arguments count as failures is not fixed */

	/* fill node 0 page by page: no fallback until it is full */
	n0 = 0;
	for (i = 0; i < NPAGES / 2; i++)
		if (m_page[i] == M_FREE)
			n0++;
	for (i = 0; i < n0; i++) {
		p = m_alloc_node(0, P, 0, 100);
		if (!p || page_node(p) != 0)
			break;
	}
	EXPECT_EQ(i, n0);
	EXPECT_EQ(st().fallbacks, 0);
	EXPECT(check_model());
	/* then node 0 requests are served from node 1, each counted */
	q = m_alloc_node(0, P, 0, 101);
	EXPECT_EQ(page_node(q), 1);
	EXPECT_EQ(st().fallbacks, 1);
	q = m_alloc_node(0, 2 * P, SZ_64K, 102);
	EXPECT_EQ(page_node(q), 1);
	EXPECT(IS_ALIGNED(q, SZ_64K));
	EXPECT_EQ(st().fallbacks, 2);
	/* a node without memory falls back too */
	q = m_alloc_node(7, P, 0, 103);
	EXPECT_EQ(page_node(q), 1);
	EXPECT_EQ(st().fallbacks, 3);
	/* node 1 requests are not fallbacks */
	m_alloc_node(1, P, 0, 104);
	EXPECT_EQ(st().fallbacks, 3);
	EXPECT(check_model());

	/* more than is left: 0, counted, nothing else changes */
	s0 = st();
	EXPECT_EQ(m_alloc_node(1, m_nfree * P + P, 0, 105), 0);
	EXPECT_EQ(m_alloc_node(0, 24 * SZ_1M, 0, 106), 0);
	s1 = st();
	EXPECT_EQ(s1.failures, s0.failures + 2);
	EXPECT_EQ(s1.free_bytes, s0.free_bytes);
	EXPECT_EQ(s1.extents, s0.extents);
	EXPECT_EQ(s1.fallbacks, s0.fallbacks);
	EXPECT_EQ(s1.allocs, s0.allocs);
	EXPECT(check_model());

	/* everything: then nothing fits anywhere */
	while (m_alloc_node(1, P, 0, 107))
		;
	EXPECT_EQ(st().free_bytes, 0);
	EXPECT_EQ(st().extents, 0);
	EXPECT_EQ(alloc_pages_low(P), 0);
	m_failures++;
	EXPECT(check_model());
}

static void test_exact(void)
{
	exact_ok(B + 2 * SZ_1M, 2 * P, +1);		/* middle of an extent: split */
	exact_refused(B + 2 * SZ_1M, P, true);		/* allocated */
	exact_refused(B + 2 * SZ_1M + P, P, true);
	exact_refused(B + 2 * SZ_1M - P, 2 * P, true);	/* half free, half allocated */
	exact_refused(B + 2 * SZ_1M + P, 2 * P, true);
	exact_refused(B + 2 * SZ_1M - P, 4 * P, true);	/* around it */
	exact_refused(B + 3 * SZ_1M + 1, P, false);	/* unaligned base */
	exact_refused(B + 3 * SZ_1M, P + 1, false);	/* unaligned size */
	exact_refused(B + 3 * SZ_1M, 0, false);		/* empty */
	exact_refused(B, P, true);			/* reserved */
	exact_refused(B + 5 * SZ_1M, P, true);
	exact_refused(B + SZ_1M, 4 * P, true);		/* two extents, reserved between */
	exact_refused(B + NODE_SIZE - 12 * SZ_1K, 6 * P, true);	/* across the nodes */
	exact_refused(B + BUF_SIZE, P, true);		/* outside memory */
	exact_refused(B - P, P, true);
	exact_refused(B + 6 * SZ_1M, 27 * SZ_1M, true);	/* longer than the extent */
	EXPECT(check_model());

	exact_ok(B + SZ_1M + 12 * SZ_1K, P, 0);		/* extent start */
	exact_ok(B + 5 * SZ_1M - P, P, 0);		/* extent end */
	exact_ok(B + SZ_1M, 2 * P, -1);			/* a whole extent */
	exact_ok(B + NODE_SIZE + 8 * SZ_1K, 8 * SZ_1M - 8 * SZ_1K, -1);	/* whole, node 1 */
	exact_ok(B + BUF_SIZE - SZ_64K - P, P, 0);	/* top page of node 1 */
	/* an allocation made by exact claims is not handed out again */
	EXPECT(m_alloc_node(1, P, 0, 2) != B + BUF_SIZE - SZ_64K - P);
	EXPECT(check_model());
}

/* ---- main ----------------------------------------------------------------------------- */

int main(void)
{
	static const struct page_alloc_phase phases[] = {
		{ "node", test_node },
		{ "exact", test_exact },
	};

	return page_alloc_test_main("page_alloc_node_test", phases, ARRAY_SIZE(phases));
}
