/*
 * page_alloc_test.c - host tests of the page allocator (mm/page_alloc.c) and kmalloc
 * (mm/kmalloc.c) over a real 64 MiB buffer standing in for physical memory: two fake NUMA
 * nodes of 32 MiB (memblock_add), a few reserved ranges (aligned, unaligned, one across the
 * node boundary, one outside memory), then page_alloc_init_from_memblock().
 *
 * The allocator keeps static state with no reset, so the parent sets it up once and checks
 * the hand-over; every later phase runs in a forked child that starts from that state:
 *   init       free = memory minus reserved pages, extents = free runs, memblock empty after
 *   node       alloc_pages_node: top-down on the node, rounding, page and larger alignments,
 *              fallback to the other node (counted), failure (0, counted, nothing changed)
 *   exact      alloc_pages_exact: claims exactly; refuses allocated, overlapping, reserved,
 *              outside, unaligned and empty ranges without changing anything
 *   free       free_pages: holes and merges (extent count back down), double and partial
 *              double frees refused with a warning and nothing changed, no merge across nodes
 *   below      page_range_free_below: highest start <= limit on the node, 0 when none
 *   low        alloc_pages_low: lowest free memory that fits, any node
 *   random     thousands of mixed alloc / low / exact / free / partial free / double free /
 *              query operations against a page model: every result must be exactly what the
 *              model predicts (so no two live allocations overlap and each lies in free
 *              memory of the asked node when it has room), free bytes, extents and all
 *              counters equal the model's after every step, page tags survive until freed
 *   kmalloc    sizes 1..12345 zeroed, aligned, non-overlapping, in node 0's low memory;
 *              size classes and whole pages in kmalloc_bytes_in_use and in pages taken;
 *              kfree and reuse (zeroed again); a randomized run with pattern checks; running
 *              out of pages
 *   bug_*      checks that show reported, still unfixed bugs (one child each: they corrupt
 *              the allocator); they print "KNOWN BUG" and do not fail the run
 * PAGE_ALLOC_TEST_SEED=n picks the random seed, PAGE_ALLOC_TEST_VERBOSE=1 prints its counts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pcpurt/kmalloc.h>
#include <pcpurt/memblock.h>
#include <pcpurt/page_alloc.h>
#define TEST_CAPTURE_PRINTK
#include "test_util.h"

#define BUF_SIZE	(64 * SZ_1M)
#define NODE_SIZE	(32 * SZ_1M)
#define NPAGES		(BUF_SIZE / PAGE_SIZE)
#define P		PAGE_SIZE

/* Counted across the forked phases. */
struct shared {
	int known_bugs;
};
static struct shared *shared;

/* A check that fails because of a reported bug: printed, not counted as a failure. */
#define EXPECT_KNOWN_BUG(cond, what)						\
	do {									\
		if (!(cond)) {							\
			printf("KNOWN BUG (%s:%d): %s\n", __FILE__, __LINE__, what); \
			shared->known_bugs++;					\
		} else {							\
			printf("%s:%d: known bug no longer seen, unguard it: %s\n",	\
			       __FILE__, __LINE__, what);			\
		}								\
	} while (0)

static uint64_t B;	/* the buffer: node 0 is [B, B+32M), node 1 [B+32M, B+64M) */

/* Reserved at boot, as offsets from B (the last one lies outside memory). */
static const struct { uint64_t off, size; } resv[] = {
	{ 0, SZ_1M },					/* "kernel image" */
	{ SZ_1M + 8 * SZ_1K, 4 * SZ_1K },		/* leaves a 2-page gap at 1M */
	{ 5 * SZ_1M + 100, 8900 },			/* unaligned: 3 pages */
	{ NODE_SIZE - 8 * SZ_1K, 16 * SZ_1K },		/* across the node boundary */
	{ 40 * SZ_1M, 1 },				/* one byte: one page */
	{ BUF_SIZE - SZ_64K, SZ_64K },			/* top of node 1 */
	{ BUF_SIZE + 4 * SZ_1K, 4 * SZ_1K },		/* not memory */
};

/* ---- page model ------------------------------------------------------------------------
 * One word per page of the buffer: M_FREE, M_RESV (never free) or the id of the live
 * allocation holding it. m_run[i] counts the free pages of page i's node from i upward, so
 * the allocator's extents are exactly the model's maximal runs.
 */
#define M_FREE	0u
#define M_RESV	0xffffffffu

static uint32_t m_page[NPAGES];
static uint32_t m_run[NPAGES];
static unsigned long m_nfree, m_nruns;
static unsigned long m_allocs, m_frees, m_fallbacks, m_failures;

static int m_node(unsigned long i)
{
	return i < NODE_SIZE / P ? 0 : 1;
}

static uint64_t addr(unsigned long i)
{
	return B + i * P;
}

static unsigned long pg(uint64_t a)
{
	return (a - B) / P;
}

static bool in_buf(uint64_t a, uint64_t size)
{
	return a >= B && a <= B + BUF_SIZE && size <= B + BUF_SIZE - a;
}

static void m_update(void)
{
	unsigned long i;

	m_nfree = m_nruns = 0;
	for (i = NPAGES; i-- > 0;) {
		if (m_page[i] != M_FREE) {
			m_run[i] = 0;
			continue;
		}
		m_nfree++;
		if (i + 1 < NPAGES && m_run[i + 1] && m_node(i + 1) == m_node(i)) {
			m_run[i] = m_run[i + 1] + 1;
		} else {
			m_run[i] = 1;
			m_nruns++;
		}
	}
}

static void m_set(uint64_t a, unsigned long npages, uint32_t v)
{
	unsigned long i;

	for (i = pg(a); i < pg(a) + npages; i++)
		m_page[i] = v;
	m_update();
}

/* What alloc_pages_node(node, npages pages, align) must return (no fallback), or 0. */
static uint64_t m_top(int node, unsigned long npages, uint64_t align)
{
	unsigned long i;

	for (i = NPAGES - npages + 1; i-- > 0;)
		if (m_run[i] >= npages && (node < 0 || m_node(i) == node) &&
		    IS_ALIGNED(addr(i), align))
			return addr(i);
	return 0;
}

static uint64_t m_low(unsigned long npages)
{
	unsigned long i;

	for (i = 0; i + npages <= NPAGES; i++)
		if (m_run[i] >= npages)
			return addr(i);
	return 0;
}

static uint64_t m_below(uint64_t limit, uint64_t size, int node)
{
	unsigned long np = DIV_ROUND_UP(size, P), i;

	if (limit < B)
		return 0;
	i = MIN(pg(limit), NPAGES - 1) + 1;
	while (i-- > 0)
		if (m_run[i] >= np && (node < 0 || m_node(i) == node))
			return addr(i);
	return 0;
}

static bool m_is_free(uint64_t a, uint64_t size)
{
	return size && in_buf(a, size) && IS_ALIGNED(a, P) &&
	       m_run[pg(a)] >= DIV_ROUND_UP(size, P);
}

static void m_init(void)
{
	unsigned long i, k;

	for (i = 0; i < NPAGES; i++)
		m_page[i] = M_FREE;
	for (k = 0; k < ARRAY_SIZE(resv); k++)
		for (i = resv[k].off / P; i < DIV_ROUND_UP(resv[k].off + resv[k].size, P); i++)
			if (i < NPAGES)
				m_page[i] = M_RESV;
	m_update();
}

static struct page_alloc_stats st(void)
{
	struct page_alloc_stats s;

	page_alloc_stats(&s);
	return s;
}

/* The allocator's stats against the model; false (and counted) on any difference. */
static bool check_model(void)
{
	struct page_alloc_stats s = st();
	int before = failures;

	EXPECT_EQ(s.free_bytes, m_nfree * P);
	EXPECT_EQ(s.extents, m_nruns);
	EXPECT_EQ(s.allocs, m_allocs);
	EXPECT_EQ(s.frees, m_frees);
	EXPECT_EQ(s.fallbacks, m_fallbacks);
	EXPECT_EQ(s.failures, m_failures);
	return failures == before;
}

static bool same_stats(const struct page_alloc_stats *a, const struct page_alloc_stats *b)
{
	return a->free_bytes == b->free_bytes && a->total_bytes == b->total_bytes &&
	       a->allocs == b->allocs && a->frees == b->frees && a->fallbacks == b->fallbacks &&
	       a->failures == b->failures && a->extents == b->extents;
}

/* alloc_pages_node() with the model's prediction checked and the model updated. */
static uint64_t m_alloc_node(int node, uint64_t size, uint64_t align, uint32_t id)
{
	unsigned long np = DIV_ROUND_UP(size, P);
	uint64_t a = align < P ? P : align;
	uint64_t want = m_top(node, np, a), got;

	if (!want && node >= 0) {
		want = m_top(-1, np, a);
		if (want)
			m_fallbacks++;
	}
	got = alloc_pages_node(node, size, align);
	EXPECT_EQ(got, want);
	if (got && got == want) {
		m_set(got, np, id);
		m_allocs++;
	} else if (!want) {
		m_failures++;
	}
	return got;
}

static void m_free_pages(uint64_t a, uint64_t size)
{
	m_set(a, DIV_ROUND_UP(size, P), M_FREE);
	m_frees++;
	free_pages(a, size);
}

/* ---- phases ------------------------------------------------------------------------- */

/* In the parent: the hand-over from memblock. */
static void test_init(void)
{
	struct page_alloc_stats s;
	unsigned long k;

	memblock_reset();
	EXPECT_EQ(memblock_add(B, NODE_SIZE, 0), 0);
	EXPECT_EQ(memblock_add(B + NODE_SIZE, NODE_SIZE, 1), 0);
	for (k = 0; k < ARRAY_SIZE(resv); k++)
		EXPECT_EQ(memblock_reserve(B + resv[k].off, resv[k].size), 0);
	EXPECT_EQ(memblock.memory.cnt, 2);
	page_alloc_init_from_memblock();
	m_init();

	s = st();
	EXPECT_EQ(m_nruns, 5);
	EXPECT_EQ(m_nfree, NPAGES - 256 - 1 - 3 - 4 - 1 - 16);
	EXPECT_EQ(s.total_bytes, m_nfree * P);
	EXPECT(check_model());
	/* memblock must not hand out what now belongs to the page allocator */
	EXPECT_EQ(memblock_free_bytes(NUMA_NO_NODE), 0);
	EXPECT_EQ(memblock_alloc(P, P), 0);
	/* the gaps are free, the reserved pages are not */
	EXPECT(page_range_is_free(B + SZ_1M, 8 * SZ_1K));
	EXPECT(!page_range_is_free(B + SZ_1M, 12 * SZ_1K));
	EXPECT(page_range_is_free(B + SZ_1M + 12 * SZ_1K, 4 * SZ_1M - 12 * SZ_1K));
	EXPECT(!page_range_is_free(B + 5 * SZ_1M - P, 2 * P));
	EXPECT(!page_range_is_free(B + 5 * SZ_1M + 8 * SZ_1K, P));
	EXPECT(page_range_is_free(B + 5 * SZ_1M + 12 * SZ_1K, P));
	EXPECT(page_range_is_free(B + NODE_SIZE - 12 * SZ_1K, P));
	EXPECT(!page_range_is_free(B + NODE_SIZE - 8 * SZ_1K, P));
	EXPECT(!page_range_is_free(B + 40 * SZ_1M, P));
	EXPECT(page_range_is_free(B + 40 * SZ_1M + P, P));
	EXPECT(!page_range_is_free(B + BUF_SIZE - SZ_64K, P));
	EXPECT(!page_range_is_free(B, P));
	/* page_node() follows memblock's memory table */
	EXPECT_EQ(page_node(B), 0);
	EXPECT_EQ(page_node(B + NODE_SIZE - 1), 0);
	EXPECT_EQ(page_node(B + NODE_SIZE), 1);
	EXPECT_EQ(page_node(B + BUF_SIZE - 1), 1);
	EXPECT_EQ(page_node(B + BUF_SIZE), NUMA_NO_NODE);
	EXPECT_EQ(page_node(B - 1), NUMA_NO_NODE);
}

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

/* alloc_pages_exact() that must fail and leave everything but the failure count alone. */
static void exact_refused(uint64_t base, uint64_t size, bool counted)
{
	struct page_alloc_stats s0 = st(), s1;

	EXPECT_EQ(alloc_pages_exact(base, size), -1);
	s1 = st();
	if (counted)
		s0.failures++;
	EXPECT(same_stats(&s0, &s1));
	m_failures = s1.failures;
}

static void exact_ok(uint64_t base, uint64_t size, int dext)
{
	unsigned int e0 = st().extents;

	EXPECT_EQ(alloc_pages_exact(base, size), 0);
	m_set(base, size / P, 1);
	m_allocs++;
	EXPECT_EQ(st().extents, e0 + dext);
	EXPECT(!page_range_is_free(base, P));
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

static bool cap_has(const char *s)
{
	return strstr(cap, s) != NULL;
}

/* free_pages() that must be refused with a warning and change nothing. */
static void free_refused(uint64_t base, uint64_t size)
{
	struct page_alloc_stats s0 = st(), s1;

	cap_reset();
	free_pages(base, size);
	s1 = st();
	EXPECT(same_stats(&s0, &s1));
	EXPECT(cap_has("bad free"));
	cap_reset();
}

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

/* ---- randomized run ------------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

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

/* ---- kmalloc -------------------------------------------------------------------------- */

/* What kmalloc_bytes_in_use() counts for @size. */
static size_t slot(size_t size)
{
	size_t c = 16;

	if (size > 2048)
		return ALIGN_UP(size, P);
	while (c < size)
		c *= 2;
	return c;
}

static bool all_bytes(const void *p, int c, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (uint8_t)c)
			return false;
	return true;
}

struct kobj {
	uint8_t *p;
	size_t size;
	uint8_t fill;
};

static int kobj_cmp(const void *a, const void *b)
{
	const struct kobj *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

static struct kobj kobjs[8192];

static void test_kmalloc(void)
{
	uint64_t free0 = st().free_bytes, pages_big = 0, pages_small = 0;
	unsigned long per_class[8] = { 0 };
	size_t sizes[] = { 15, 16, 17, 31, 32, 33, 1023, 1024, 1025, 2047, 2048, 2049, 4095,
			   4096, 4097, 8192, 8193, 12345 };
	size_t in_use = 0, s;
	unsigned long n = 0, i;

	EXPECT_EQ(kmalloc_bytes_in_use(), 0);
	EXPECT(kmalloc(0) == NULL);
	kfree(NULL, 16);
	EXPECT_EQ(kmalloc_bytes_in_use(), 0);

	for (s = 1; s <= 4200; s += s < 300 ? 1 : 37)
		kobjs[n++].size = s;
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		kobjs[n++].size = sizes[i];
	for (i = 0; i < n; i++) {
		struct kobj *o = &kobjs[i];

		o->p = kmalloc(o->size);
		o->fill = (uint8_t)(i * 7 + 1);
		EXPECT(o->p != NULL);
		if (!o->p)
			return;
		EXPECT(all_bytes(o->p, 0, o->size));
		EXPECT(IS_ALIGNED((uintptr_t)o->p, MIN(slot(o->size), P)));
		EXPECT(in_buf((uintptr_t)o->p, slot(o->size)));
		EXPECT_EQ(page_node((uintptr_t)o->p), 0);
		in_use += slot(o->size);
		EXPECT_EQ(kmalloc_bytes_in_use(), in_use);
		memset(o->p, o->fill, o->size);
		if (o->size > 2048) {
			pages_big += slot(o->size) / P;
		} else {
			unsigned int c = __builtin_ctzl(slot(o->size)) - 4;

			if (per_class[c]++ % (P / slot(o->size)) == 0)
				pages_small++;
		}
	}
	/* exactly the pages the size classes and the big requests need, low in memory */
	EXPECT_EQ(free0 - st().free_bytes, (pages_big + pages_small) * P);
	EXPECT(page_range_free_below(~0ULL, P, 0) == B + NODE_SIZE - 12 * SZ_1K);
	/* no two objects overlap, every pattern is intact */
	qsort(kobjs, n, sizeof(kobjs[0]), kobj_cmp);
	for (i = 0; i < n; i++) {
		EXPECT(all_bytes(kobjs[i].p, kobjs[i].fill, kobjs[i].size));
		if (i + 1 < n)
			EXPECT(kobjs[i].p + slot(kobjs[i].size) <= kobjs[i + 1].p);
	}

	/* kfree, then the same size comes back from the same place, zeroed again */
	for (i = 0; i < n; i += 5) {
		struct kobj *o = &kobjs[i];
		uint8_t *q;

		kfree(o->p, o->size);
		EXPECT_EQ(kmalloc_bytes_in_use(), in_use - slot(o->size));
		if (o->size > 2048)
			EXPECT(page_range_is_free((uintptr_t)o->p, slot(o->size)));
		q = kmalloc(o->size);
		EXPECT(q != NULL);
		if (o->size <= 2048)
			EXPECT(q == o->p);
		EXPECT(all_bytes(q, 0, o->size));
		EXPECT_EQ(kmalloc_bytes_in_use(), in_use);
		o->p = q;
		memset(q, o->fill, o->size);
	}

	/* free everything: only the big requests' pages go back */
	for (i = 0; i < n; i++) {
		EXPECT(all_bytes(kobjs[i].p, kobjs[i].fill, kobjs[i].size));
		kfree(kobjs[i].p, kobjs[i].size);
		in_use -= slot(kobjs[i].size);
		EXPECT_EQ(kmalloc_bytes_in_use(), in_use);
	}
	EXPECT_EQ(kmalloc_bytes_in_use(), 0);
	EXPECT_EQ(free0 - st().free_bytes, pages_small * P);
	/* the same small requests again take no new page */
	for (i = 0; i < n; i++)
		if (kobjs[i].size <= 2048) {
			kobjs[i].p = kmalloc(kobjs[i].size);
			EXPECT(kobjs[i].p && all_bytes(kobjs[i].p, 0, kobjs[i].size));
		}
	EXPECT_EQ(free0 - st().free_bytes, pages_small * P);
	for (i = 0; i < n; i++)
		if (kobjs[i].size <= 2048)
			kfree(kobjs[i].p, kobjs[i].size);
	EXPECT_EQ(kmalloc_bytes_in_use(), 0);
}

static void test_kmalloc_random(void)
{
	unsigned long step, n = 0;
	size_t in_use = 0;

	rng_state = 0x2545f4914f6cdd1dULL;
	for (step = 0; step < 20000; step++) {
		int before = failures;

		if (n < 2000 && (n == 0 || rnd_below(100) < 55)) {
			struct kobj *o = &kobjs[n];
			unsigned long r = rnd_below(100);

			o->size = r < 80 ? 1 + rnd_below(256) : r < 97 ? 1 + rnd_below(2048) :
				  2049 + rnd_below(3 * P);
			o->fill = (uint8_t)(1 + rnd_below(255));
			o->p = kmalloc(o->size);
			EXPECT(o->p && all_bytes(o->p, 0, o->size));
			if (!o->p)
				return;
			memset(o->p, o->fill, o->size);
			in_use += slot(o->size);
			n++;
		} else {
			unsigned long k = rnd_below(n);

			EXPECT(all_bytes(kobjs[k].p, kobjs[k].fill, kobjs[k].size));
			kfree(kobjs[k].p, kobjs[k].size);
			in_use -= slot(kobjs[k].size);
			kobjs[k] = kobjs[--n];
		}
		EXPECT_EQ(kmalloc_bytes_in_use(), in_use);
		if (failures != before) {
			fprintf(stderr, "kmalloc random: diverged at step %lu\n", step);
			return;
		}
	}
	while (n) {
		n--;
		EXPECT(all_bytes(kobjs[n].p, kobjs[n].fill, kobjs[n].size));
		kfree(kobjs[n].p, kobjs[n].size);
	}
	EXPECT_EQ(kmalloc_bytes_in_use(), 0);
}

static void test_kmalloc_oom(void)
{
	uint64_t last = 0, p;
	void *a;

	while ((p = alloc_pages_node(-1, P, 0)))
		last = p;
	EXPECT_EQ(st().free_bytes, 0);
	EXPECT(kmalloc(16) == NULL);
	EXPECT(kmalloc(3000) == NULL);
	EXPECT_EQ(kmalloc_bytes_in_use(), 0);
	/* one page back: the 64-byte class takes it and carves it */
	free_pages(last, P);
	a = kmalloc(64);
	EXPECT((uintptr_t)a >= last && (uintptr_t)a < last + P);
	EXPECT_EQ(st().free_bytes, 0);
	EXPECT(kmalloc(128) == NULL);
	EXPECT(kmalloc(40) != NULL);		/* same class, same page */
	EXPECT_EQ(kmalloc_bytes_in_use(), 128);
}

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

static void run(const char *name, void (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		failures++;
		return;
	}
	if (pid == 0) {
		failures = 0;		/* the parent's count stays with the parent */
		fn();
		if (failures)
			fprintf(stderr, "page_alloc_test: %s: %d failures\n", name, failures);
		fflush(NULL);
		_exit(failures ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "page_alloc_test: phase %s failed\n", name);
		failures++;
	}
}

int main(void)
{
	void *buf = aligned_alloc(NODE_SIZE, BUF_SIZE);

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (!buf || shared == MAP_FAILED) {
		perror("page_alloc_test: memory");
		return 1;
	}
	memset(buf, 0xa5, BUF_SIZE);	/* so that "zeroed" means something */
	B = (uintptr_t)buf;

	test_init();
	run("node", test_node);
	run("exact", test_exact);
	run("free", test_free);
	run("below", test_below);
	run("low", test_low);
	run("random", test_random);
	run("kmalloc", test_kmalloc);
	run("kmalloc_random", test_kmalloc_random);
	run("kmalloc_oom", test_kmalloc_oom);
	run("bug_exact_wrap", bug_exact_wrap);
	run("bug_free_zero", bug_free_zero);
	run("bug_free_unaligned", bug_free_unaligned);
	run("bug_free_node", bug_free_node);
	run("bug_table_full", bug_table_full);
	free(buf);
	if (failures) {
		fprintf(stderr, "page_alloc_test: %d failures\n", failures);
		return 1;
	}
	printf("page_alloc_test: all passed (%d known bugs)\n", shared->known_bugs);
	return 0;
}
