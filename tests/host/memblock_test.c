/*
 * memblock_test.c - host tests of the early memory allocator (mm/memblock.c).
 *
 * Checked: add/reserve merging (touching and overlapping ranges, nodes kept apart), free
 * cutting heads, tails and middles and spanning several regions, full tables refusing
 * without changing anything; top-down allocation with alignment, skipping gaps the
 * alignment does not fit, never at address 0, under memblock.limit; node-local allocation,
 * fallback to another node (counted, one warning, got_node) and running out (0, nothing
 * changed, no fallback counted); free then allocate again; memblock_init_dt from a
 * hand-built struct dt_info; and a randomized run against a byte-map model of a small
 * address space (every allocation must be exactly the highest aligned fit the model finds,
 * the reserved table must be exactly the model's maximal runs).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcpurt/dt.h>
#include <pcpurt/memblock.h>
#include <pcpurt/printk.h>
#define TEST_CAPTURE_PRINTK
#include "test_util.h"

/* ---- helpers ------------------------------------------------------------------------- */

/* The table @t as "[base-end) node ..." text (end exclusive), for exact comparisons. */
static const char *table(const struct memblock_type *t)
{
	static char buf[1 << 15];
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < t->cnt && len < sizeof(buf) - 64; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s[%llx-%llx)%d", i ? " " : "",
				(unsigned long long)t->regions[i].base,
				(unsigned long long)(t->regions[i].base + t->regions[i].size),
				t->regions[i].node);
	return buf;
}
#define MEM()	table(&memblock.memory)
#define RESV()	table(&memblock.reserved)

/* Tables sorted, no overlap, no empty region; touching same-node regions merged. */
static bool tables_sane(void)
{
	const struct memblock_type *ts[] = { &memblock.memory, &memblock.reserved };
	unsigned int k;
	int i;

	for (k = 0; k < ARRAY_SIZE(ts); k++)
		for (i = 0; i < ts[k]->cnt; i++) {
			const struct memblock_region *r = &ts[k]->regions[i];

			if (!r->size)
				return false;
			if (i && (r[-1].base + r[-1].size > r->base ||
				  (r[-1].base + r[-1].size == r->base && r[-1].node == r->node)))
				return false;
		}
	return true;
}

struct snapshot {
	struct memblock_region mem[MEMBLOCK_MAX_MEMORY], resv[MEMBLOCK_MAX_RESERVED];
	int mem_cnt, resv_cnt;
	unsigned long fallbacks;
};

static void snap(struct snapshot *s)
{
	s->mem_cnt = memblock.memory.cnt;
	s->resv_cnt = memblock.reserved.cnt;
	memcpy(s->mem, memblock.memory.regions, sizeof(s->mem));
	memcpy(s->resv, memblock.reserved.regions, sizeof(s->resv));
	s->fallbacks = memblock.fallbacks;
}

static bool same(const struct snapshot *s)
{
	return s->mem_cnt == memblock.memory.cnt && s->resv_cnt == memblock.reserved.cnt &&
	       !memcmp(s->mem, memblock.memory.regions, s->mem_cnt * sizeof(s->mem[0])) &&
	       !memcmp(s->resv, memblock.reserved.regions, s->resv_cnt * sizeof(s->resv[0])) &&
	       s->fallbacks == memblock.fallbacks;
}

/* ---- region tables ------------------------------------------------------------------- */

static void test_add(void)
{
	memblock_reset();
	EXPECT_EQ(memblock_add(0x1000, 0x1000, 0), 0);
	EXPECT_EQ(memblock_add(0x2000, 0x1000, 0), 0);		/* touching: merged */
	EXPECT_STR(MEM(), "[1000-3000)0");
	EXPECT_EQ(memblock_add(0x1800, 0x1000, 0), 0);		/* inside: nothing new */
	EXPECT_STR(MEM(), "[1000-3000)0");
	EXPECT_EQ(memblock_add(0x3000, 0x1000, 1), 0);		/* touching, other node */
	EXPECT_STR(MEM(), "[1000-3000)0 [3000-4000)1");
	EXPECT_EQ(memblock_add(0x5000, 0x1000, 0), 0);
	EXPECT_EQ(memblock_add(0x4000, 0x1000, 0), 0);		/* joins the right one only */
	EXPECT_STR(MEM(), "[1000-3000)0 [3000-4000)1 [4000-6000)0");
	EXPECT_EQ(memblock_add(0x0, 0x800, 0), 0);		/* before everything */
	EXPECT_STR(MEM(), "[0-800)0 [1000-3000)0 [3000-4000)1 [4000-6000)0");
	EXPECT_EQ(memblock_add(0x400, 0xc00, 0), 0);		/* bridges a hole */
	EXPECT_STR(MEM(), "[0-3000)0 [3000-4000)1 [4000-6000)0");
	EXPECT_EQ(memblock_add(0x1000, 0, 0), -1);		/* empty */
	EXPECT_EQ(memblock_add(~0ULL - 0xff, 0x1000, 0), -1);	/* wraps */
	EXPECT_STR(MEM(), "[0-3000)0 [3000-4000)1 [4000-6000)0");
	EXPECT(tables_sane());
	EXPECT_EQ(memblock.reserved.cnt, 0);
}

static void test_reserve_free(void)
{
	struct snapshot s;

	memblock_reset();
	EXPECT_EQ(memblock_reserve(0x100, 0x100), 0);
	EXPECT_EQ(memblock_reserve(0x300, 0x100), 0);
	EXPECT_STR(RESV(), "[100-200)-1 [300-400)-1");
	EXPECT_EQ(memblock_reserve(0x180, 0x200), 0);		/* overlaps both */
	EXPECT_STR(RESV(), "[100-400)-1");
	EXPECT_EQ(memblock_reserve(0x400, 0x100), 0);		/* touching */
	EXPECT_EQ(memblock_reserve(0x50, 0xb0), 0);		/* touching from below */
	EXPECT_STR(RESV(), "[50-500)-1");
	/* five apart, then one over all of them */
	EXPECT_EQ(memblock_reserve(0x1000, 0x10), 0);
	EXPECT_EQ(memblock_reserve(0x1100, 0x10), 0);
	EXPECT_EQ(memblock_reserve(0x1200, 0x10), 0);
	EXPECT_EQ(memblock_reserve(0x1300, 0x10), 0);
	EXPECT_EQ(memblock_reserve(0x1400, 0x10), 0);
	EXPECT_EQ(memblock.reserved.cnt, 6);
	EXPECT_EQ(memblock_reserve(0x1008, 0x400), 0);
	EXPECT_STR(RESV(), "[50-500)-1 [1000-1410)-1");
	EXPECT_EQ(memblock_reserve(0x0, 0), -1);
	EXPECT(memblock_is_reserved(0x4ff, 1));
	EXPECT(!memblock_is_reserved(0x500, 0xb00));
	EXPECT(memblock_is_reserved(0x500, 0xb01));
	EXPECT(!memblock_is_reserved(0x0, 0x50));

	memblock_reset();
	EXPECT_EQ(memblock_reserve(0x1000, 0x4000), 0);
	EXPECT_EQ(memblock_free(0x2000, 0x1000), 0);		/* middle: split */
	EXPECT_STR(RESV(), "[1000-2000)-1 [3000-5000)-1");
	EXPECT_EQ(memblock_free(0x1000, 0x800), 0);		/* head */
	EXPECT_STR(RESV(), "[1800-2000)-1 [3000-5000)-1");
	EXPECT_EQ(memblock_free(0x4800, 0x1800), 0);		/* tail and beyond */
	EXPECT_STR(RESV(), "[1800-2000)-1 [3000-4800)-1");
	EXPECT_EQ(memblock_free(0x1900, 0x1800), 0);		/* across two */
	EXPECT_STR(RESV(), "[1800-1900)-1 [3100-4800)-1");
	snap(&s);
	EXPECT_EQ(memblock_free(0x2000, 0x1000), 0);		/* nothing there */
	EXPECT_EQ(memblock_free(0x3000, 0), 0);
	EXPECT(same(&s));
	EXPECT_EQ(memblock_free(0x0, 0x10000), 0);		/* everything */
	EXPECT_EQ(memblock.reserved.cnt, 0);
	EXPECT(tables_sane());
}

/* Full tables refuse a new region and change nothing; merging still works. */
static void test_full_tables(void)
{
	struct snapshot s;
	int i;

	memblock_reset();
	for (i = 0; i < MEMBLOCK_MAX_RESERVED; i++)
		EXPECT_EQ(memblock_reserve(0x1000 + 0x100 * i, 0x10), 0);
	EXPECT_EQ(memblock.reserved.cnt, MEMBLOCK_MAX_RESERVED);
	snap(&s);
	EXPECT_EQ(memblock_reserve(0x10, 0x10), -1);		/* a new one: no room */
	EXPECT_EQ(memblock_reserve(0x1000 + 0x100 * MEMBLOCK_MAX_RESERVED, 0x10), -1);
	EXPECT(same(&s));
	EXPECT_EQ(memblock_free(0x1004, 0x4), -1);		/* a split: no room */
	EXPECT(same(&s));
	EXPECT_EQ(memblock_reserve(0x1010, 0x10), 0);		/* touching: merges */
	EXPECT_EQ(memblock.reserved.cnt, MEMBLOCK_MAX_RESERVED);
	EXPECT_EQ(memblock.reserved.regions[0].size, 0x20);
	EXPECT_EQ(memblock_free(0x1000, 0x10), 0);		/* a head cut needs no room */
	EXPECT(tables_sane());

	memblock_reset();
	for (i = 0; i < MEMBLOCK_MAX_MEMORY; i++)
		EXPECT_EQ(memblock_add(0x100000 * (i + 1), 0x1000, i % 2), 0);
	snap(&s);
	EXPECT_EQ(memblock_add(0x10, 0x10, 0), -1);
	EXPECT(same(&s));
	EXPECT_EQ(memblock_add(0x100000 + 0x1000, 0x1000, 0), 0);	/* merges */
	EXPECT_EQ(memblock.memory.cnt, MEMBLOCK_MAX_MEMORY);
}

/* ---- allocation ---------------------------------------------------------------------- */

static void test_alloc_top_down(void)
{
	struct snapshot s;

	memblock_reset();
	memblock_add(0x10000, 0x10000, 0);
	EXPECT_EQ(memblock_alloc(0x100, 0x1000), 0x1f000);	/* highest 4K-aligned fit */
	EXPECT_EQ(memblock_alloc(0x100, 0x10), 0x1ff00);	/* the gap above it */
	EXPECT_EQ(memblock_alloc(0xe00, 0x100), 0x1f100);	/* fills the rest exactly */
	EXPECT_STR(RESV(), "[1f000-20000)-1");
	EXPECT_EQ(memblock_alloc(0x1000, 0x1000), 0x1e000);
	EXPECT_EQ(memblock_free_bytes(NUMA_NO_NODE), 0xe000);
	EXPECT_EQ(memblock_free_bytes(0), 0xe000);
	EXPECT_EQ(memblock_free_bytes(1), 0);

	/* bad arguments: nothing happens */
	snap(&s);
	EXPECT_EQ(memblock_alloc(0, 0x10), 0);
	EXPECT_EQ(memblock_alloc(0x10, 0), 0);
	EXPECT_EQ(memblock_alloc(0x10, 0x30), 0);		/* not a power of two */
	EXPECT_EQ(memblock_alloc(0xe001, 1), 0);		/* one byte too many */
	EXPECT(same(&s));
	EXPECT_EQ(memblock_alloc(0xe000, 1), 0x10000);		/* all that is left */
	EXPECT_EQ(memblock_free_bytes(NUMA_NO_NODE), 0);
	EXPECT_EQ(memblock_alloc(1, 1), 0);

	/* a gap big enough but not at the alignment asked for is passed over */
	memblock_reset();
	memblock_add(0x10000, 0x10000, 0);
	memblock_reserve(0x1f800, 0x800);
	memblock_reserve(0x1e000, 0x1000);
	EXPECT_EQ(memblock_alloc(0x800, 0x2000), 0x1c000);
	EXPECT_EQ(memblock_alloc(0x800, 0x1000), 0x1f000);	/* that gap, 4K-aligned */
	EXPECT_EQ(memblock_alloc(0x800, 0x10000), 0x10000);
	EXPECT_EQ(memblock_alloc(0x800, 0x10000), 0);		/* no other 64K boundary */

	/* a reserved range straddling the bottom of the memory */
	memblock_reset();
	memblock_add(0x10000, 0x2000, 0);
	memblock_reserve(0xf000, 0x1800);
	EXPECT_EQ(memblock_alloc(0x1800, 0x800), 0x10800);
	EXPECT_EQ(memblock_alloc(0x10, 1), 0);

	/* never address 0, which means failure */
	memblock_reset();
	memblock_add(0x0, 0x1000, 0);
	EXPECT_EQ(memblock_alloc(0x1000, 0x1000), 0);
	EXPECT_EQ(memblock.reserved.cnt, 0);
	EXPECT_EQ(memblock_alloc(0x800, 0x800), 0x800);
	EXPECT_EQ(memblock_alloc(0x800, 0x1), 0);

	/* the limit */
	memblock_reset();
	memblock_add(0x10000, 0x10000, 0);
	memblock.limit = 0x18000;
	EXPECT_EQ(memblock_alloc(0x1000, 0x1000), 0x17000);
	memblock.limit = 0x10000;				/* nothing below it */
	EXPECT_EQ(memblock_alloc(0x1000, 0x1000), 0);
	memblock.limit = 0;
	EXPECT_EQ(memblock_alloc(0x1000, 0x1000), 0x1f000);
	EXPECT(tables_sane());
}

static void test_nodes(void)
{
	struct snapshot s;
	int got;

	memblock_reset();
	memblock_add(0x10000, 0x10000, 0);
	memblock_add(0x20000, 0x10000, 1);
	memblock_add(0x40000, 0x10000, 0);			/* node 0 again, above a hole */
	EXPECT_STR(MEM(), "[10000-20000)0 [20000-30000)1 [40000-50000)0");
	EXPECT_EQ(memblock_addr_node(0x1ffff), 0);
	EXPECT_EQ(memblock_addr_node(0x20000), 1);
	EXPECT_EQ(memblock_addr_node(0x30000), NUMA_NO_NODE);
	EXPECT_EQ(memblock_addr_node(0x0), NUMA_NO_NODE);

	cap_reset();
	EXPECT_EQ(memblock_alloc_node(0x1000, 0x1000, 1, &got), 0x2f000);
	EXPECT_EQ(got, 1);
	EXPECT_EQ(memblock_alloc_node(0x1000, 0x1000, 0, &got), 0x4f000);
	EXPECT_EQ(got, 0);
	EXPECT_EQ(memblock_alloc_node(0x1000, 0x1000, NUMA_NO_NODE, &got), 0x4e000);
	EXPECT_EQ(got, 0);
	/* node 0's upper range is filled, then its lower one serves */
	EXPECT_EQ(memblock_alloc_node(0xe000, 0x1000, 0, &got), 0x40000);
	EXPECT_EQ(memblock_alloc_node(0x1000, 0x1000, 0, &got), 0x1f000);
	EXPECT_EQ(got, 0);
	EXPECT_EQ(memblock_free_bytes(1), 0xf000);
	EXPECT_EQ(memblock.fallbacks, 0);
	EXPECT_STR(cap, "");

	/* node 1 full: served by node 0, counted, said once */
	EXPECT_EQ(memblock_alloc_node(0xf000, 0x1000, 1, &got), 0x20000);
	EXPECT_EQ(memblock_free_bytes(1), 0);
	EXPECT_EQ(memblock_alloc_node(0x2000, 0x1000, 1, &got), 0x1d000);
	EXPECT_EQ(got, 0);
	EXPECT_EQ(memblock.fallbacks, 1);
	EXPECT_STR(cap, "WARNING: memblock: no room for 8192 bytes on node 1, using node 0\n");
	/* a node with no memory at all */
	cap_reset();
	EXPECT_EQ(memblock_alloc_node(0x1000, 0x1000, 5, &got), 0x1c000);
	EXPECT_EQ(got, 0);
	EXPECT_EQ(memblock.fallbacks, 2);
	EXPECT_STR(cap, "WARNING: memblock: no room for 4096 bytes on node 5, using node 0\n");
	EXPECT_EQ(memblock_alloc_node(0x1000, 0x1000, 0, NULL), 0x1b000);	/* NULL got */

	/* running out: 0, nothing changed, no fallback counted, nothing said */
	cap_reset();
	snap(&s);
	got = 7;
	EXPECT_EQ(memblock_alloc_node(0x20000, 0x1000, 1, &got), 0);
	EXPECT_EQ(got, NUMA_NO_NODE);
	EXPECT_EQ(memblock_alloc_node(0x20000, 0x1000, NUMA_NO_NODE, &got), 0);
	EXPECT_EQ(memblock_alloc_node(0x20000, 0x1000, 0, NULL), 0);
	EXPECT(same(&s));
	EXPECT_STR(cap, "");

	/* free, then the same request gets the same place back */
	EXPECT_EQ(memblock_free(0x2f000, 0x1000), 0);
	EXPECT_EQ(memblock_free_bytes(1), 0x1000);
	EXPECT_EQ(memblock_alloc_node(0x1000, 0x1000, 1, &got), 0x2f000);
	EXPECT_EQ(got, 1);
	EXPECT_EQ(memblock_free(0x1b000, 0x2000), 0);
	EXPECT_EQ(memblock_alloc_node(0x2000, 0x1000, 0, &got), 0x1b000);
	EXPECT(tables_sane());
}

/* An allocation never spans two ranges, even adjacent ones (different nodes). */
static void test_no_span(void)
{
	memblock_reset();
	memblock_add(0x10000, 0x10000, 0);
	memblock_add(0x20000, 0x10000, 1);
	memblock_reserve(0x10000, 0xf800);
	memblock_reserve(0x20800, 0xf800);
	EXPECT_EQ(memblock_free_bytes(NUMA_NO_NODE), 0x1000);
	EXPECT_EQ(memblock_alloc(0x1000, 1), 0);
	EXPECT_EQ(memblock_alloc(0x800, 1), 0x20000);
	EXPECT_EQ(memblock_alloc(0x800, 1), 0x1f800);
}

/* memblock_init_dt: /memory (no node -> 0) minus every reserved range of the tree. */
static void test_init_dt(void)
{
	static struct dt_info dt;

	memset(&dt, 0, sizeof(dt));
	dt.mem[0] = (struct dt_mem_range){ 0x80000000, 0x40000000, 1 };
	dt.mem[1] = (struct dt_mem_range){ 0x40000000, 0x40000000, DT_NO_NODE };
	dt.nr_mem = 2;
	dt.resv[0] = (struct dt_resv_range){ 0x48000000, 0x100000, DT_RESV_DTB, false };
	dt.resv[1] = (struct dt_resv_range){ 0x40200000, 0x53000, DT_RESV_IMAGE, false };
	dt.resv[2] = (struct dt_resv_range){ 0x40000000, 0x200000, DT_RESV_NODE, true };
	dt.nr_resv = 3;

	memblock_reset();
	memblock_add(0x1000, 0x1000, 3);			/* replaced, not added to */
	memblock.fallbacks = 9;
	cap_reset();
	memblock_init_dt(&dt);
	EXPECT_STR(MEM(), "[40000000-80000000)0 [80000000-c0000000)1");
	EXPECT_STR(RESV(), "[40000000-40253000)-1 [48000000-48100000)-1");
	EXPECT_EQ(memblock.fallbacks, 0);
	EXPECT_EQ(memblock_free_bytes(0), 0x40000000 - 0x253000 - 0x100000);
	EXPECT_EQ(memblock_free_bytes(1), 0x40000000);
	EXPECT_STR(cap, "");
	EXPECT_EQ(memblock_alloc_node(0x1000, 0x1000, 0, NULL), 0x7ffff000);
}

/*
 * memblock_add() of a range overlapping memory of another node (a tree whose /memory nodes
 * overlap with different numa-node-ids) keeps the table sorted and non-overlapping: the
 * memory already there keeps its node and only the part not yet covered is added, as
 * Linux does. (This once left the table unsorted.)
 */
static void test_add_overlap_other_node(void)
{
	memblock_reset();
	EXPECT_EQ(memblock_add(0x0, 0x100, 0), 0);
	EXPECT_EQ(memblock_add(0x80, 0x100, 1), 0);
	EXPECT(tables_sane());
	EXPECT_STR(MEM(), "[0-100)0 [100-180)1");		/* got "[80-180)1 [0-100)0" */
	EXPECT_EQ(memblock_free_bytes(NUMA_NO_NODE), 0x180);	/* not 0x200 */

	memblock_reset();
	EXPECT_EQ(memblock_add(0x100, 0x100, 0), 0);
	EXPECT_EQ(memblock_add(0x0, 0x180, 1), 0);
	EXPECT(tables_sane());
	EXPECT_STR(MEM(), "[0-100)1 [100-200)0");		/* got "[0-180)1 [100-200)0" */
}

/* ---- randomized, against a byte map ---------------------------------------------------- */

#define M_BASE	0x10000ULL	/* model space [M_BASE, M_BASE + M_SIZE) */
#define M_SIZE	1000		/* at most 500 reserved runs: under MEMBLOCK_MAX_RESERVED */
#define M_NODES	3

static signed char m_node[M_SIZE];	/* node of the memory at each byte, -1 no memory */
static bool m_resv[M_SIZE];
static unsigned long m_fallbacks;

static unsigned int rnd(unsigned int n)
{
	return (unsigned int)rand() % n;
}

/* The highest aligned fit the allocator must find on @node (-1: any), or 0. */
static uint64_t m_find(uint64_t size, uint64_t align, int node)
{
	int64_t a;

	for (a = M_SIZE - (int64_t)size; a >= 0; a--) {
		uint64_t addr = M_BASE + a, i;

		if (addr % align)
			continue;
		if (m_node[a] < 0 || (node >= 0 && m_node[a] != node))
			continue;
		for (i = 0; i < size; i++)
			if (m_resv[a + i] || m_node[a + i] != m_node[a])
				break;
		if (i == size)
			return addr;
	}
	return 0;
}

static void m_mark(uint64_t base, uint64_t size, bool v)
{
	uint64_t i;

	for (i = 0; i < size; i++)
		m_resv[base - M_BASE + i] = v;
}

/* The reserved table must be exactly the model's maximal runs. */
static bool m_check_reserved(void)
{
	const struct memblock_type *t = &memblock.reserved;
	int i = 0, a = 0;

	while (a < M_SIZE) {
		int b;

		if (!m_resv[a]) {
			a++;
			continue;
		}
		for (b = a; b < M_SIZE && m_resv[b]; b++)
			;
		if (i >= t->cnt || t->regions[i].base != M_BASE + a ||
		    t->regions[i].size != (uint64_t)(b - a))
			return false;
		i++;
		a = b;
	}
	return i == t->cnt;
}

static uint64_t m_free_bytes(int node)
{
	uint64_t n = 0;
	int a;

	for (a = 0; a < M_SIZE; a++)
		n += m_node[a] >= 0 && (node < 0 || m_node[a] == node) && !m_resv[a];
	return n;
}

/* Random memory layout: up to 5 ranges of random nodes, with holes between some. */
static void m_layout(void)
{
	int a = rnd(40), r;

	memset(m_node, -1, sizeof(m_node));
	memset(m_resv, 0, sizeof(m_resv));
	memblock_reset();
	m_fallbacks = 0;
	for (r = 0; r < 5 && a < M_SIZE; r++) {
		int len = 1 + rnd(M_SIZE / 3), node = rnd(M_NODES), i;

		len = MIN(len, M_SIZE - a);
		for (i = a; i < a + len; i++)
			m_node[i] = node;
		EXPECT_EQ(memblock_add(M_BASE + a, len, node), 0);
		a += len + (rnd(2) ? rnd(50) : 0);
	}
}

static void test_random(void)
{
	unsigned int round, step;
	unsigned long allocs = 0, hits = 0, fallbacks = 0;

	srand(20240601);
	for (round = 0; round < 60 && !failures; round++) {
		m_layout();
		for (step = 0; step < 1500 && !failures; step++) {
			unsigned int op = rnd(100);
			uint64_t base = M_BASE + rnd(M_SIZE), size, p, want;
			int node, got, rc;

			size = 1 + rnd(op < 60 ? 40 : 80);
			if (op < 60) {				/* allocate */
				uint64_t align = 1ULL << rnd(7);

				node = (int)rnd(M_NODES + 2) - 1;	/* -1 .. M_NODES */
				want = m_find(size, align, node);
				if (!want && node >= 0) {
					want = m_find(size, align, -1);
					m_fallbacks += want != 0;
				}
				p = memblock_alloc_node(size, align, node, &got);
				allocs++;
				hits += p != 0;
				if (p != want) {
					fprintf(stderr, "round %u step %u: alloc(%llu, %llu, "
						"node %d) = 0x%llx, model 0x%llx\n", round, step,
						(unsigned long long)size, (unsigned long long)align,
						node, (unsigned long long)p,
						(unsigned long long)want);
					failures++;
					break;
				}
				if (p) {
					m_mark(p, size, true);
					EXPECT_EQ(got, m_node[p - M_BASE]);
				} else {
					EXPECT_EQ(got, NUMA_NO_NODE);
				}
			} else if (op < 85) {			/* free a random range */
				size = MIN(size, M_BASE + M_SIZE - base);
				rc = memblock_free(base, size);
				if (rc == 0)
					m_mark(base, size, false);
			} else if (op < 95) {			/* reserve a random range */
				size = MIN(size, M_BASE + M_SIZE - base);
				rc = memblock_reserve(base, size);
				EXPECT_EQ(rc, 0);
				m_mark(base, size, true);
			} else {				/* queries */
				size = MIN(size, M_BASE + M_SIZE - base);
				{
					bool r = false;
					uint64_t i;

					for (i = 0; i < size; i++)
						r |= m_resv[base - M_BASE + i];
					EXPECT_EQ(memblock_is_reserved(base, size), r);
				}
				EXPECT_EQ(memblock_addr_node(base), m_node[base - M_BASE]);
				for (node = -1; node < M_NODES; node++)
					EXPECT_EQ(memblock_free_bytes(node), m_free_bytes(node));
			}
			if (!m_check_reserved() || !tables_sane()) {
				fprintf(stderr, "round %u step %u: reserved table %s\n", round,
					step, RESV());
				failures++;
				break;
			}
			EXPECT_EQ(memblock.fallbacks, m_fallbacks);
		}
		fallbacks += m_fallbacks;
	}
	if (getenv("MEMBLOCK_TEST_VERBOSE"))
		printf("random: %lu allocations, %lu served, %lu fallbacks\n", allocs, hits,
		       fallbacks);
	/* the run must have exercised both outcomes and the fallback */
	EXPECT(hits > allocs / 4);
	EXPECT(hits < allocs);
	EXPECT(fallbacks > 0);
}

int main(void)
{
	test_add();
	test_reserve_free();
	test_full_tables();
	test_alloc_top_down();
	test_nodes();
	test_no_span();
	test_init_dt();
	cap_reset();
	test_random();
	test_add_overlap_other_node();
	if (failures) {
		fprintf(stderr, "memblock_test: %d failures\n", failures);
		return 1;
	}
	printf("memblock_test: all passed\n");
	return 0;
}
