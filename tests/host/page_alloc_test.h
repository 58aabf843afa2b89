/*
 * page_alloc_test.h - what the page allocator and kmalloc host tests share (mm/page_alloc.c,
 * mm/kmalloc.c): a real 64 MiB buffer standing in for physical memory, two fake NUMA nodes of
 * 32 MiB (memblock_add), a few reserved ranges (aligned, unaligned, one across the node
 * boundary, one outside memory), then page_alloc_init_from_memblock(); a page model the
 * allocator's results are checked against; the checks the phases share; and the main that
 * runs them.
 *
 * The allocator keeps static state with no reset, so the parent sets it up once and checks
 * the hand-over (test_init, run by every program: free = memory minus reserved pages,
 * extents = free runs, memblock empty after); every later phase runs in a forked child that
 * starts from that state. The phases are in:
 *   page_alloc_node_test.c    init, node, exact
 *   page_alloc_free_test.c    free, below, low
 *   page_alloc_random_test.c  random
 *   kmalloc_test.c            kmalloc, kmalloc_random, kmalloc_oom
 *   page_alloc_bug_test.c     bug_* (bugs found and fixed)
 * Include once per test program, after nothing else of the test's own.
 */
#ifndef TESTS_HOST_PAGE_ALLOC_TEST_H
#define TESTS_HOST_PAGE_ALLOC_TEST_H

#include <errno.h>
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

static inline int m_node(unsigned long i)
{
	return i < NODE_SIZE / P ? 0 : 1;
}

static inline uint64_t addr(unsigned long i)
{
	return B + i * P;
}

static inline unsigned long pg(uint64_t a)
{
	return (a - B) / P;
}

static inline bool in_buf(uint64_t a, uint64_t size)
{
	return a >= B && a <= B + BUF_SIZE && size <= B + BUF_SIZE - a;
}

static inline void m_update(void)
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

static inline void m_set(uint64_t a, unsigned long npages, uint32_t v)
{
	unsigned long i;

	for (i = pg(a); i < pg(a) + npages; i++)
		m_page[i] = v;
	m_update();
}

/* What alloc_pages_node(node, npages pages, align) must return (no fallback), or 0. */
static inline uint64_t m_top(int node, unsigned long npages, uint64_t align)
{
	unsigned long i;

	for (i = NPAGES - npages + 1; i-- > 0;)
		if (m_run[i] >= npages && (node < 0 || m_node(i) == node) &&
		    IS_ALIGNED(addr(i), align))
			return addr(i);
	return 0;
}

static inline uint64_t m_low(unsigned long npages)
{
	unsigned long i;

	for (i = 0; i + npages <= NPAGES; i++)
		if (m_run[i] >= npages)
			return addr(i);
	return 0;
}

static inline uint64_t m_below(uint64_t limit, uint64_t size, int node)
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

static inline bool m_is_free(uint64_t a, uint64_t size)
{
	return size && in_buf(a, size) && IS_ALIGNED(a, P) &&
	       m_run[pg(a)] >= DIV_ROUND_UP(size, P);
}

static inline void m_init(void)
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

static inline struct page_alloc_stats st(void)
{
	struct page_alloc_stats s;

	page_alloc_stats(&s);
	return s;
}

/* The allocator's stats against the model; false (and counted) on any difference. */
static inline bool check_model(void)
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

static inline bool same_stats(const struct page_alloc_stats *a, const struct page_alloc_stats *b)
{
	return a->free_bytes == b->free_bytes && a->total_bytes == b->total_bytes &&
	       a->allocs == b->allocs && a->frees == b->frees && a->fallbacks == b->fallbacks &&
	       a->failures == b->failures && a->extents == b->extents;
}

/* alloc_pages_node() with the model's prediction checked and the model updated. */
static inline uint64_t m_alloc_node(int node, uint64_t size, uint64_t align, uint32_t id)
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

static inline void m_free_pages(uint64_t a, uint64_t size)
{
	m_set(a, DIV_ROUND_UP(size, P), M_FREE);
	m_frees++;
	free_pages(a, size);
}

/* ---- phases ------------------------------------------------------------------------- */

/* In the parent: the hand-over from memblock. */
static inline void test_init(void)
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

/* ---- checks the phases share ----------------------------------------------------------- */

/* alloc_pages_exact() that must fail and leave everything but the failure count alone. */
static inline void exact_refused(uint64_t base, uint64_t size, bool counted)
{
	struct page_alloc_stats s0 = st(), s1;

	EXPECT_EQ(alloc_pages_exact(base, size), -1);
	s1 = st();
	if (counted)
		s0.failures++;
	EXPECT(same_stats(&s0, &s1));
	m_failures = s1.failures;
}

static inline void exact_ok(uint64_t base, uint64_t size, int dext)
{
	unsigned int e0 = st().extents;

	EXPECT_EQ(alloc_pages_exact(base, size), 0);
	m_set(base, size / P, 1);
	m_allocs++;
	EXPECT_EQ(st().extents, e0 + dext);
	EXPECT(!page_range_is_free(base, P));
	EXPECT(check_model());
}

static inline bool cap_has(const char *s)
{
	return strstr(cap, s) != NULL;
}

/* free_pages() that must be refused with a warning and change nothing. */
static inline void free_refused(uint64_t base, uint64_t size)
{
	struct page_alloc_stats s0 = st(), s1;

	cap_reset();
	free_pages(base, size);
	s1 = st();
	EXPECT(same_stats(&s0, &s1));
	EXPECT(cap_has("bad free"));
	cap_reset();
}

/* The random generator of the randomized runs (xorshift64). */
static uint64_t rng_state;

static inline uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static inline uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* ---- main ----------------------------------------------------------------------------- */

struct page_alloc_phase {
	const char *name;
	void (*fn)(void);
};

static const char *test_name;

static inline void run(const char *name, void (*fn)(void))
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
			fprintf(stderr, "%s: %s: %d failures\n", test_name, name, failures);
		fflush(NULL);
		_exit(failures ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "%s: phase %s failed\n", test_name, name);
		failures++;
	}
}

/*
 * The main of each page allocator test program: sets up the buffer and the allocator once
 * (test_init, in the parent), runs each of the @n phases in its own child, and returns the
 * exit status (0 only when the set-up and every phase passed).
 */
static inline int page_alloc_test_main(const char *name, const struct page_alloc_phase *phases,
				       size_t n)
{
	void *buf = aligned_alloc(NODE_SIZE, BUF_SIZE);
	size_t i;

	test_name = name;
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	if (!buf || shared == MAP_FAILED) {
		fprintf(stderr, "%s: memory: %s\n", name, strerror(errno));
		return 1;
	}
	memset(buf, 0xa5, BUF_SIZE);	/* so that "zeroed" means something */
	B = (uintptr_t)buf;

	test_init();
	for (i = 0; i < n; i++)
		run(phases[i].name, phases[i].fn);
	free(buf);
	if (failures) {
		fprintf(stderr, "%s: %d failures\n", name, failures);
		return 1;
	}
	printf("%s: all passed (%d known bugs)\n", name, shared->known_bugs);
	return 0;
}

#endif
