/*
 * percpu_layout_test.c - host tests of percpu/alloc_info.c against layouts worked out by
 * hand from the algorithm (the working is in the comment above each case).
 *
 * Constants used in the working: page 4096, PCPU_MIN_UNIT_SIZE 32768,
 * PERCPU_DYNAMIC_EARLY_SIZE 12288. Terms: sum = page_align(s + r + max(d, 12288)),
 * d' = sum - s - r, min_unit = max(sum, 32768), alloc = roundup(min_unit, atom),
 * max_upa = largest upa <= alloc / min_unit dividing alloc into page-aligned units;
 * then from max_upa down: skip upa wasting more than n/3 units (n possible CPUs), stop
 * when allocations would grow; unit = alloc / upa.
 * Dump: gw = digits(nr_groups), cw = digits(n), width = upa * (cw + 1) + gw + 3,
 * allocations per line apl = pow2_floor(max(60 / width, 1)).
 *
 * The test has its own printk, which records every call, so the dump's text and its
 * one-line-per-call property are both checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcpurt/percpu_layout.h>
#include <pcpurt/printk.h>
#include "test_util.h"

/* ---- printk capture ------------------------------------------------------------------ */

static char cap[1 << 17];
static size_t cap_len;
static int cap_calls;
static int cap_bad_calls;	/* calls that were not exactly one "\n"-terminated line */

int vprintk(const char *fmt, va_list ap)
{
	char tmp[4096];
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	size_t len = strlen(tmp);

	cap_calls++;
	if (!len || tmp[len - 1] != '\n' || strchr(tmp, '\n') != tmp + len - 1)
		cap_bad_calls++;
	if (cap_len + len < sizeof(cap)) {
		memcpy(cap + cap_len, tmp, len + 1);
		cap_len += len;
	}
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static void cap_reset(void)
{
	cap_len = 0;
	cap[0] = '\0';
	cap_calls = 0;
	cap_bad_calls = 0;
}

/* Dump @ai through the default printer and return the text; checks one call per line. */
static const char *dump_of(const struct pcpu_alloc_info *ai)
{
	int lines = 0;
	size_t i;

	cap_reset();
	pcpu_dump_alloc_info(ai, NULL);
	for (i = 0; i < cap_len; i++)
		lines += cap[i] == '\n';
	EXPECT_EQ(cap_bad_calls, 0);
	EXPECT_EQ(cap_calls, lines);
	return cap;
}

/* The @n-th line (from 0) of the captured text, without its newline. */
static const char *cap_line(int n)
{
	static char line[4096];
	const char *p = cap, *e;

	while (n-- > 0 && (p = strchr(p, '\n')))
		p++;
	if (!p || !*p)
		return "";
	e = strchr(p, '\n');
	snprintf(line, sizeof(line), "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
	return line;
}

static int cap_nr_lines(void)
{
	int lines = 0;
	size_t i;

	for (i = 0; i < cap_len; i++)
		lines += cap[i] == '\n';
	return lines;
}

/* ---- topologies ----------------------------------------------------------------------- */

struct numa {
	int node_of[PCPU_MAX_CPUS];
	unsigned char dist[64][64];
};

static int numa_distance(unsigned int from, unsigned int to, void *ctx)
{
	struct numa *n = ctx;

	return n->dist[n->node_of[from]][n->node_of[to]];
}

/* 10 on the diagonal, 20 elsewhere. */
static void numa_default(struct numa *n)
{
	int a, b;

	memset(n, 0, sizeof(*n));
	for (a = 0; a < 64; a++)
		for (b = 0; b < 64; b++)
			n->dist[a][b] = a == b ? LOCAL_DISTANCE : 20;
}

/* Arbitrary CPU-to-CPU distances for the odd cases. */
static int cpu_matrix[8][8];

static int matrix_distance(unsigned int from, unsigned int to, void *ctx)
{
	return cpu_matrix[from][to];
}

static int all_remote_distance(unsigned int from, unsigned int to, void *ctx)
{
	return from == to ? LOCAL_DISTANCE : 20;
}

static struct pcpu_topology topo_all(unsigned int nr, struct numa *n)
{
	struct pcpu_topology t = {
		.nr_cpu_ids = nr,
		.possible = NULL,
		.distance = n ? numa_distance : NULL,
		.distance_ctx = n,
	};
	return t;
}

/* ---- building -------------------------------------------------------------------------- */

static unsigned char arena[1 << 16] __aligned(16);
static struct pcpu_bump bump;

static struct pcpu_alloc_info *build(size_t s, size_t r, size_t d, size_t atom,
				     const struct pcpu_topology *t)
{
	struct pcpu_alloc_info *ai = NULL;
	int ret;

	bump.base = arena;
	bump.size = sizeof(arena);
	bump.used = 0;
	ret = pcpu_build_alloc_info(s, r, d, atom, t, pcpu_bump_alloc, &bump, &ai);
	EXPECT_EQ(ret, 0);
	if (ret || !ai) {
		fprintf(stderr, "build failed (%d), aborting\n", ret);
		exit(1);
	}
	return ai;
}

/* "g<i>@<base_offset>:[cpu cpu - ...]" for every group, space separated. */
static const char *groups_of(const struct pcpu_alloc_info *ai)
{
	static char out[1 << 14];
	size_t len = 0;
	int g, i;

	out[0] = '\0';
	for (g = 0; g < ai->nr_groups; g++) {
		const struct pcpu_group_info *gi = &ai->groups[g];

		len += snprintf(out + len, sizeof(out) - len, "%sg%d@%lu:[", g ? " " : "", g,
				gi->base_offset);
		for (i = 0; i < gi->nr_units; i++) {
			if (gi->cpu_map[i] == PCPU_UNIT_NONE)
				len += snprintf(out + len, sizeof(out) - len, "%s-", i ? " " : "");
			else
				len += snprintf(out + len, sizeof(out) - len, "%s%u", i ? " " : "",
						gi->cpu_map[i]);
		}
		len += snprintf(out + len, sizeof(out) - len, "]");
	}
	return out;
}

static const char *embedded_of(const struct pcpu_alloc_info *ai)
{
	static char buf[200];

	pcpu_format_embedded(buf, sizeof(buf), ai);
	return buf;
}

/* ---- cases ------------------------------------------------------------------------------- */

/*
 * 1 CPU, s 20000 (not a page multiple), r 8192, d 20480, atom 4096.
 * sum = align(20000 + 8192 + 20480 = 48672) = 49152 (12 pages); d' = 49152 - 28192 = 20960.
 * min_unit 49152 = alloc; upa 1; unit 49152. One group, base 0.
 * Dump: gw 1, cw 1, width 6, apl 8; alloc = 49152 / 4096 = 12.
 */
static void test_one_cpu(void)
{
	struct pcpu_topology t = topo_all(1, NULL);
	struct pcpu_alloc_info *ai = build(20000, 8192, 20480, 4096, &t);

	EXPECT_EQ(ai->static_size, 20000);
	EXPECT_EQ(ai->reserved_size, 8192);
	EXPECT_EQ(ai->dyn_size, 20960);
	EXPECT_EQ(ai->unit_size, 49152);
	EXPECT_EQ(ai->alloc_size, 49152);
	EXPECT_EQ(ai->atom_size, 4096);
	EXPECT_EQ(pcpu_ai_upa(ai), 1);
	EXPECT_EQ(pcpu_ai_size_sum(ai), 49152);
	EXPECT_EQ(ai->nr_groups, 1);
	/* 64-byte header + one 24-byte group + one 4-byte entry, page aligned */
	EXPECT_EQ(ai->__ai_size, 4096);
	EXPECT_EQ(bump.used, 4096);
	EXPECT_STR(groups_of(ai), "g0@0:[0]");
	EXPECT_STR(dump_of(ai),
		   "pcpu-alloc: s20000 r8192 d20960 u49152 alloc=12*4096\n"
		   "pcpu-alloc: [0] 0 \n");
	EXPECT_STR(embedded_of(ai), "percpu: Embedded 12 pages/cpu s20000 r8192 d20960 u49152");
}

/*
 * 4 CPUs, one node, s 16384, r 0, d 0, atom 2 MiB (x86-64 style).
 * sum = align(16384 + 12288) = 28672; d' 12288; min_unit 32768; alloc 2097152;
 * max_upa = 64 (2M / 64 = 32 KiB). n = 4, n/3 = 1:
 *   upa 64 wastes 60, 32 wastes 28, 16 wastes 12, 8 wastes 4: rejected;
 *   upa 4: 1 alloc, 0 wasted: best; upa 2: 2 allocs > 1: stop. unit = 2M / 4 = 524288.
 * Dump: upa 4, width 4*2+1+3 = 12, apl 4.
 * Same result with no distance function and with an all-local one.
 */
static void test_four_cpus_one_node(void)
{
	static struct numa n;
	struct pcpu_topology t = topo_all(4, NULL);
	struct pcpu_alloc_info *ai;
	const char *want = "pcpu-alloc: s16384 r0 d12288 u524288 alloc=1*2097152\n"
			   "pcpu-alloc: [0] 0 1 2 3 \n";
	int pass;

	numa_default(&n);
	for (pass = 0; pass < 2; pass++) {
		if (pass)
			t = topo_all(4, &n);	/* every CPU on node 0 */
		ai = build(16384, 0, 0, SZ_2M, &t);
		EXPECT_EQ(ai->dyn_size, 12288);
		EXPECT_EQ(ai->unit_size, 524288);
		EXPECT_EQ(ai->alloc_size, SZ_2M);
		EXPECT_EQ(pcpu_ai_upa(ai), 4);
		EXPECT_EQ(ai->nr_groups, 1);
		EXPECT_STR(groups_of(ai), "g0@0:[0 1 2 3]");
		EXPECT_STR(dump_of(ai), want);
		EXPECT_STR(embedded_of(ai),
			   "percpu: Embedded 7 pages/cpu s16384 r0 d12288 u524288");
	}
}

/*
 * 4 CPUs in 2 nodes (0,1 | 2,3; distance 20), s 40960, r 8192, d 20480.
 * sum = 69632 (17 pages, exact); d' 20480; min_unit 69632.
 * Groups: leader 0 takes 1; leader 2 takes 3.
 * atom 4096: alloc 69632, upa 1, unit 69632; g1 base = 2 * 69632 = 139264.
 *   Dump: width 6, apl 8: all four allocations on one line.
 * atom 2M: max_upa = 16 (2M/69632 = 30, first fit going down is 16: 128 KiB units).
 *   n/3 = 1: 16 wastes 28, 8 wastes 12, 4 wastes 4 (2 allocs): rejected; 2: 2 allocs,
 *   0 wasted: best; 1: 4 allocs: stop. unit 1 MiB; g1 base = 2 MiB.
 *   Dump: upa 2, width 8, apl 4.
 */
static void test_four_cpus_two_nodes(void)
{
	static struct numa n;
	struct pcpu_topology t = topo_all(4, &n);
	struct pcpu_alloc_info *ai;

	numa_default(&n);
	n.node_of[2] = n.node_of[3] = 1;

	ai = build(40960, 8192, 20480, 4096, &t);
	EXPECT_EQ(ai->dyn_size, 20480);
	EXPECT_EQ(ai->unit_size, 69632);
	EXPECT_EQ(ai->alloc_size, 69632);
	EXPECT_EQ(ai->nr_groups, 2);
	EXPECT_STR(groups_of(ai), "g0@0:[0 1] g1@139264:[2 3]");
	EXPECT_STR(dump_of(ai), "pcpu-alloc: s40960 r8192 d20480 u69632 alloc=17*4096\n"
				"pcpu-alloc: [0] 0 [0] 1 [1] 2 [1] 3 \n");
	EXPECT_STR(embedded_of(ai), "percpu: Embedded 17 pages/cpu s40960 r8192 d20480 u69632");

	ai = build(40960, 8192, 20480, SZ_2M, &t);
	EXPECT_EQ(ai->unit_size, SZ_1M);
	EXPECT_EQ(pcpu_ai_upa(ai), 2);
	EXPECT_STR(groups_of(ai), "g0@0:[0 1] g1@2097152:[2 3]");
	EXPECT_STR(dump_of(ai), "pcpu-alloc: s40960 r8192 d20480 u1048576 alloc=1*2097152\n"
				"pcpu-alloc: [0] 0 1 [1] 2 3 \n");
}

/*
 * hip07-d05: 64 CPUs, nodes of 16 (0-15, 16-31, 32-47, 48-63), distance map
 *   10 15 20 25 / 15 10 25 30 / 20 25 10 15 / 25 30 15 10 (as in the board's tree).
 * s 73896, r 8192, d 28672: 110760 -> 28 pages = 114688; d' = 114688 - 82088 = 32600.
 * atom 4096: alloc = unit = 114688, upa 1; four groups of 16; bases k * 16 * 114688.
 *   Dump: gw 1, cw 2, width 1*3+1+3 = 7, apl 8: 8 lines of 8 "[g] cc".
 * atom 2M: max_upa: 2M/114688 = 18, first page-aligned divisor going down is 16.
 *   n/3 = 21: upa 16: 4 allocs, 0 wasted: best; 8: 8 allocs: stop. unit 131072;
 *   bases k * 2 MiB. Dump: width 16*3+5 = 52, apl 1: a line per group.
 */
static void test_hip07_d05(void)
{
	static const unsigned char d05[4][4] = {
		{ 10, 15, 20, 25 }, { 15, 10, 25, 30 }, { 20, 25, 10, 15 }, { 25, 30, 15, 10 },
	};
	static struct numa n;
	struct pcpu_topology t = topo_all(64, &n);
	struct pcpu_alloc_info *ai;
	char want[4096];
	size_t len;
	int cpu, a, b, g;

	memset(&n, 0, sizeof(n));
	for (a = 0; a < 4; a++)
		for (b = 0; b < 4; b++)
			n.dist[a][b] = d05[a][b];
	for (cpu = 0; cpu < 64; cpu++)
		n.node_of[cpu] = cpu / 16;

	ai = build(73896, 8192, 28672, 4096, &t);
	EXPECT_EQ(ai->dyn_size, 32600);
	EXPECT_EQ(ai->unit_size, 114688);
	EXPECT_EQ(ai->alloc_size, 114688);
	EXPECT_EQ(ai->nr_groups, 4);
	for (g = 0; g < 4; g++) {
		EXPECT_EQ(ai->groups[g].nr_units, 16);
		EXPECT_EQ(ai->groups[g].base_offset, (unsigned long)g * 16 * 114688);
		EXPECT_EQ(ai->groups[g].cpu_map[0], g * 16);
		EXPECT_EQ(ai->groups[g].cpu_map[15], g * 16 + 15);
	}
	EXPECT_EQ(ai->groups[3].base_offset, 5505024);
	EXPECT_STR(embedded_of(ai), "percpu: Embedded 28 pages/cpu s73896 r8192 d32600 u114688");
	dump_of(ai);
	EXPECT_EQ(cap_nr_lines(), 9);
	EXPECT_STR(cap_line(0), "pcpu-alloc: s73896 r8192 d32600 u114688 alloc=28*4096");
	EXPECT_STR(cap_line(1),
		   "pcpu-alloc: [0] 00 [0] 01 [0] 02 [0] 03 [0] 04 [0] 05 [0] 06 [0] 07 ");
	EXPECT_STR(cap_line(2),
		   "pcpu-alloc: [0] 08 [0] 09 [0] 10 [0] 11 [0] 12 [0] 13 [0] 14 [0] 15 ");
	EXPECT_STR(cap_line(3),
		   "pcpu-alloc: [1] 16 [1] 17 [1] 18 [1] 19 [1] 20 [1] 21 [1] 22 [1] 23 ");
	EXPECT_STR(cap_line(8),
		   "pcpu-alloc: [3] 56 [3] 57 [3] 58 [3] 59 [3] 60 [3] 61 [3] 62 [3] 63 ");
	/* every line: the same 8-allocation pattern */
	len = 0;
	for (cpu = 0; cpu < 64; cpu++) {
		if (!(cpu % 8))
			len += snprintf(want + len, sizeof(want) - len, "pcpu-alloc: ");
		len += snprintf(want + len, sizeof(want) - len, "[%d] %02d ", cpu / 16, cpu);
		if (cpu % 8 == 7)
			len += snprintf(want + len, sizeof(want) - len, "\n");
	}
	EXPECT_STR(strchr(cap, '\n') + 1, want);

	ai = build(73896, 8192, 28672, SZ_2M, &t);
	EXPECT_EQ(ai->unit_size, 131072);
	EXPECT_EQ(pcpu_ai_upa(ai), 16);
	EXPECT_EQ(ai->nr_groups, 4);
	EXPECT_EQ(ai->groups[2].base_offset, 2 * SZ_2M);
	dump_of(ai);
	EXPECT_EQ(cap_nr_lines(), 5);
	EXPECT_STR(cap_line(0), "pcpu-alloc: s73896 r8192 d32600 u131072 alloc=1*2097152");
	EXPECT_STR(cap_line(1), "pcpu-alloc: [0] 00 01 02 03 04 05 06 07 08 09 10 11 12 13 "
				"14 15 ");
	EXPECT_STR(cap_line(4), "pcpu-alloc: [3] 48 49 50 51 52 53 54 55 56 57 58 59 60 61 "
				"62 63 ");
}

/*
 * Unequal groups and a group of one, CPUs interleaved: nodes of cpus 0..6 are
 * 0 0 1 2 1 0 1. Groups: leader 0 takes 1, 5; leader 2 takes 4, 6; leader 3 alone.
 * s 30000, r 0, d 0, atom 2M: 30000 + 12288 = 42288 -> 11 pages = 45056; d' 15056.
 * max_upa: 2M / 45056 = 46, down to 32 (64 KiB units). n = 7, n/3 = 2. Waste:
 *   32: 29+29+31, 16: 13+13+15, 8: 5+5+7, 4: 1+1+3 = 5, 2: 1+1+1 = 3: all over 2;
 *   1: nothing. unit = 2 MiB. Bases: 0, 3 * 2M, 6 * 2M.
 * Dump: width 6, apl 8: the 7 allocations on one line.
 */
static void test_unequal_groups(void)
{
	static const int nodes[7] = { 0, 0, 1, 2, 1, 0, 1 };
	static struct numa n;
	struct pcpu_topology t = topo_all(7, &n);
	struct pcpu_alloc_info *ai;

	numa_default(&n);
	memcpy(n.node_of, nodes, sizeof(nodes));
	ai = build(30000, 0, 0, SZ_2M, &t);
	EXPECT_EQ(ai->dyn_size, 15056);
	EXPECT_EQ(ai->unit_size, SZ_2M);
	EXPECT_EQ(pcpu_ai_upa(ai), 1);
	EXPECT_EQ(ai->nr_groups, 3);
	EXPECT_STR(groups_of(ai), "g0@0:[0 1 5] g1@6291456:[2 4 6] g2@12582912:[3]");
	EXPECT_STR(dump_of(ai), "pcpu-alloc: s30000 r0 d15056 u2097152 alloc=1*2097152\n"
				"pcpu-alloc: [0] 0 [0] 1 [0] 5 [1] 2 [1] 4 [1] 6 [2] 3 \n");
}

/*
 * The seeds' example: 6 CPUs, one node, s 180224, r 8192, d 28672, atom 2M.
 * sum = 217088 (53 pages, exact); max_upa: 2M/217088 = 9, down to 8 (256 KiB units).
 * n/3 = 2: upa 8 wastes 2: best (1 alloc); 4: 2 allocs: stop. unit 262144; units 6 and
 * 7 unused. Dump: width 8*2+5 = 20, apl 2; one allocation.
 *
 * Then 8 CPUs in groups of 5 (0-4) and 3 (5-7), same sizes. n/3 = 2:
 *   8: waste 3+5; 4: waste 3+1 (3 allocs); 2: waste 1+1 = 2, 5 allocs: best;
 *   1: 8 allocs: stop. unit 1 MiB; group 0 has 6 units, group 1 (base 6 MiB) has 4.
 *   Dump: upa 2, width 8, apl 4: allocations 0-3 on the first line (the line breaks
 *   inside group 1), allocation 4 on the second.
 */
static void test_empty_units(void)
{
	static struct numa n;
	struct pcpu_topology t = topo_all(6, NULL);
	struct pcpu_alloc_info *ai;
	int cpu;

	ai = build(180224, 8192, 28672, SZ_2M, &t);
	EXPECT_EQ(ai->unit_size, 262144);
	EXPECT_EQ(pcpu_ai_upa(ai), 8);
	EXPECT_STR(groups_of(ai), "g0@0:[0 1 2 3 4 5 - -]");
	EXPECT_STR(dump_of(ai), "pcpu-alloc: s180224 r8192 d28672 u262144 alloc=1*2097152\n"
				"pcpu-alloc: [0] 0 1 2 3 4 5 - - \n");
	EXPECT_STR(embedded_of(ai), "percpu: Embedded 53 pages/cpu s180224 r8192 d28672 u262144");

	numa_default(&n);
	for (cpu = 5; cpu < 8; cpu++)
		n.node_of[cpu] = 1;
	t = topo_all(8, &n);
	ai = build(180224, 8192, 28672, SZ_2M, &t);
	EXPECT_EQ(ai->unit_size, SZ_1M);
	EXPECT_EQ(pcpu_ai_upa(ai), 2);
	EXPECT_EQ(ai->groups[0].nr_units, 6);
	EXPECT_EQ(ai->groups[1].nr_units, 4);
	EXPECT_STR(groups_of(ai), "g0@0:[0 1 2 3 4 -] g1@6291456:[5 6 7 -]");
	EXPECT_STR(dump_of(ai), "pcpu-alloc: s180224 r8192 d28672 u1048576 alloc=1*2097152\n"
				"pcpu-alloc: [0] 0 1 [0] 2 3 [0] 4 - [1] 5 6 \n"
				"pcpu-alloc: [1] 7 - \n");
}

/*
 * More CPUs than one allocation holds: 100 CPUs, one node, s 16384, r 0, d 0.
 * atom 2M: min_unit 32768, max_upa 64. n/3 = 33: upa 64: 2 allocs, 28 wasted <= 33: best;
 *   32: 4 allocs: stop. unit 32768, 128 units, 100..127 unused.
 *   Dump: cw 3, width 64*4+1+3 = 260, apl 1: two lines of 64 units; the second ends in
 *   28 "---".
 * atom 4K: alloc = unit = 32768, upa 1, 100 units. Dump: width 1*4+1+3 = 8, apl 4: 25
 *   lines of four "[0] ccc".
 */
static void test_many_cpus_per_alloc(void)
{
	struct pcpu_topology t = topo_all(100, NULL);
	struct pcpu_alloc_info *ai;
	char want[1024];
	size_t len;
	int i;

	ai = build(16384, 0, 0, SZ_2M, &t);
	EXPECT_EQ(ai->unit_size, 32768);
	EXPECT_EQ(pcpu_ai_upa(ai), 64);
	EXPECT_EQ(ai->groups[0].nr_units, 128);
	EXPECT_EQ(ai->groups[0].cpu_map[99], 99);
	EXPECT_EQ(ai->groups[0].cpu_map[100], PCPU_UNIT_NONE);
	EXPECT_EQ(ai->groups[0].cpu_map[127], PCPU_UNIT_NONE);
	dump_of(ai);
	EXPECT_EQ(cap_nr_lines(), 3);
	EXPECT_STR(cap_line(0), "pcpu-alloc: s16384 r0 d12288 u32768 alloc=1*2097152");
	len = snprintf(want, sizeof(want), "pcpu-alloc: [0] ");
	for (i = 0; i < 64; i++)
		len += snprintf(want + len, sizeof(want) - len, "%03d ", i);
	EXPECT_STR(cap_line(1), want);
	EXPECT_EQ(strlen(cap_line(1)), 12 + 4 + 64 * 4);
	len = snprintf(want, sizeof(want), "pcpu-alloc: [0] ");
	for (i = 64; i < 128; i++) {
		if (i < 100)
			len += snprintf(want + len, sizeof(want) - len, "%03d ", i);
		else
			len += snprintf(want + len, sizeof(want) - len, "--- ");
	}
	EXPECT_STR(cap_line(2), want);

	ai = build(16384, 0, 0, 4096, &t);
	EXPECT_EQ(ai->unit_size, 32768);
	EXPECT_EQ(ai->alloc_size, 32768);
	EXPECT_EQ(pcpu_ai_upa(ai), 1);
	dump_of(ai);
	EXPECT_EQ(cap_nr_lines(), 26);
	EXPECT_STR(cap_line(1), "pcpu-alloc: [0] 000 [0] 001 [0] 002 [0] 003 ");
	EXPECT_STR(cap_line(25), "pcpu-alloc: [0] 096 [0] 097 [0] 098 [0] 099 ");
}

/*
 * 512 CPUs in 64 nodes of 8 (node = cpu / 8), s 65536, r 8192, d 28672.
 * sum = 102400 (25 pages, exact).
 * atom 4K: upa 1, unit 102400; group k base = k * 8 * 102400 = k * 819200.
 *   Dump: gw 2, cw 3, width 1*4+2+3 = 9, apl 4: 128 lines.
 * atom 2M: max_upa: 2M/102400 = 20, down to 16 (128 KiB). n/3 = 170: upa 16 wastes
 *   64 * 8 = 512; upa 8: 64 allocs, 0 wasted: best; 4: 128 allocs: stop. unit 256 KiB,
 *   group k base = k * 2 MiB. Dump: width 8*4+5 = 37, apl 1: a line per group.
 * One node, atom 2M: upa 16 (32 allocs, no waste), unit 131072, 32 lines of 16.
 * Every CPU its own group (all remote): 512 groups, gw 3, upa 1 with atom 4K
 *   (sum 28672 -> unit 32768): group k base = k * 32768; width 4+3+3 = 10, apl 4.
 *   alloc_info: 64 + 512 * 24 + 512 * 4 = 14400 bytes -> 16384.
 */
static void test_512_cpus(void)
{
	static struct numa n;
	struct pcpu_topology t = topo_all(512, &n);
	struct pcpu_alloc_info *ai;
	int cpu;

	numa_default(&n);
	for (cpu = 0; cpu < 512; cpu++)
		n.node_of[cpu] = cpu / 8;

	ai = build(65536, 8192, 28672, 4096, &t);
	EXPECT_EQ(ai->unit_size, 102400);
	EXPECT_EQ(ai->nr_groups, 64);
	EXPECT_EQ(ai->groups[1].base_offset, 819200);
	EXPECT_EQ(ai->groups[63].base_offset, 51609600);
	EXPECT_EQ(ai->groups[63].cpu_map[7], 511);
	/* 64 + 64 * 24 + 512 * 4 = 3648 -> one page */
	EXPECT_EQ(ai->__ai_size, 4096);
	dump_of(ai);
	EXPECT_EQ(cap_nr_lines(), 129);
	EXPECT_STR(cap_line(0), "pcpu-alloc: s65536 r8192 d28672 u102400 alloc=25*4096");
	EXPECT_STR(cap_line(1), "pcpu-alloc: [00] 000 [00] 001 [00] 002 [00] 003 ");
	EXPECT_STR(cap_line(3), "pcpu-alloc: [01] 008 [01] 009 [01] 010 [01] 011 ");
	EXPECT_STR(cap_line(128), "pcpu-alloc: [63] 508 [63] 509 [63] 510 [63] 511 ");

	ai = build(65536, 8192, 28672, SZ_2M, &t);
	EXPECT_EQ(ai->unit_size, 262144);
	EXPECT_EQ(pcpu_ai_upa(ai), 8);
	EXPECT_EQ(ai->groups[63].base_offset, 63 * SZ_2M);
	dump_of(ai);
	EXPECT_EQ(cap_nr_lines(), 65);
	EXPECT_STR(cap_line(1), "pcpu-alloc: [00] 000 001 002 003 004 005 006 007 ");
	EXPECT_STR(cap_line(64), "pcpu-alloc: [63] 504 505 506 507 508 509 510 511 ");

	t = topo_all(512, NULL);
	ai = build(65536, 8192, 28672, SZ_2M, &t);
	EXPECT_EQ(ai->unit_size, 131072);
	EXPECT_EQ(pcpu_ai_upa(ai), 16);
	EXPECT_EQ(ai->nr_groups, 1);
	dump_of(ai);
	EXPECT_EQ(cap_nr_lines(), 33);
	EXPECT_STR(cap_line(32), "pcpu-alloc: [0] 496 497 498 499 500 501 502 503 504 505 506 "
				 "507 508 509 510 511 ");

	t.distance = all_remote_distance;
	ai = build(16384, 0, 0, 4096, &t);
	EXPECT_EQ(ai->nr_groups, 512);
	EXPECT_EQ(ai->unit_size, 32768);
	EXPECT_EQ(ai->groups[511].base_offset, 511 * 32768UL);
	EXPECT_EQ(ai->groups[511].cpu_map[0], 511);
	EXPECT_EQ(ai->__ai_size, 16384);
	dump_of(ai);
	EXPECT_EQ(cap_nr_lines(), 129);
	EXPECT_STR(cap_line(1), "pcpu-alloc: [000] 000 [001] 001 [002] 002 [003] 003 ");
	EXPECT_STR(cap_line(128), "pcpu-alloc: [508] 508 [509] 509 [510] 510 [511] 511 ");
}

/*
 * Sizes.
 * s 4095, r 0, d 12288: 16383 -> 16384, so d' = 12289; unit is the 32 KiB minimum.
 * s 3 MiB, r 0, d 0, atom 2M, 2 CPUs: sum 3158016 = min_unit; alloc = 4 MiB (2 atoms);
 *   upa 4M / 3158016 = 1; unit 4 MiB. Dump "alloc=2*2097152", width 6, apl 8.
 * atom 24 pages (98304), s 16384: min_unit 32768, max_upa 3 (98304 / 3 = 32768).
 *   3 CPUs: upa 3: 1 alloc, no waste: best; 2 (49152): 2 allocs: stop. unit 32768.
 *   4 CPUs: n/3 = 1: upa 3 wastes 2; 2: 2 allocs, none wasted: best; 1: 4 allocs: stop.
 *   unit 49152.
 * atom 60 pages (245760), s 16384, 5 CPUs: max_upa 7 -> 6 (10-page units; 7 does not
 *   divide). n/3 = 1: upa 6: 1 alloc, 1 wasted: taken; 5 (12 pages): still 1 alloc,
 *   none wasted: taken, as equal allocations keep the search going; 4: 2 allocs: stop.
 *   unit 49152. Dump: width 5*2+5 = 14, apl 4.
 */
static void test_sizes(void)
{
	struct pcpu_topology t = topo_all(1, NULL);
	struct pcpu_alloc_info *ai;

	ai = build(4095, 0, 12288, 4096, &t);
	EXPECT_EQ(ai->dyn_size, 12289);
	EXPECT_EQ(ai->unit_size, 32768);
	EXPECT_STR(embedded_of(ai), "percpu: Embedded 4 pages/cpu s4095 r0 d12289 u32768");

	t = topo_all(2, NULL);
	ai = build(3 * SZ_1M, 0, 0, SZ_2M, &t);
	EXPECT_EQ(ai->dyn_size, 12288);
	EXPECT_EQ(ai->alloc_size, 4 * SZ_1M);
	EXPECT_EQ(ai->unit_size, 4 * SZ_1M);
	EXPECT_STR(groups_of(ai), "g0@0:[0 1]");
	EXPECT_STR(dump_of(ai), "pcpu-alloc: s3145728 r0 d12288 u4194304 alloc=2*2097152\n"
				"pcpu-alloc: [0] 0 [0] 1 \n");
	EXPECT_STR(embedded_of(ai), "percpu: Embedded 771 pages/cpu s3145728 r0 d12288 u4194304");

	t = topo_all(3, NULL);
	ai = build(16384, 0, 0, 98304, &t);
	EXPECT_EQ(ai->unit_size, 32768);
	EXPECT_EQ(pcpu_ai_upa(ai), 3);
	EXPECT_STR(dump_of(ai), "pcpu-alloc: s16384 r0 d12288 u32768 alloc=1*98304\n"
				"pcpu-alloc: [0] 0 1 2 \n");

	t = topo_all(4, NULL);
	ai = build(16384, 0, 0, 98304, &t);
	EXPECT_EQ(ai->unit_size, 49152);
	EXPECT_EQ(pcpu_ai_upa(ai), 2);
	EXPECT_STR(groups_of(ai), "g0@0:[0 1 2 3]");

	t = topo_all(5, NULL);
	ai = build(16384, 0, 0, 245760, &t);
	EXPECT_EQ(ai->unit_size, 49152);
	EXPECT_EQ(pcpu_ai_upa(ai), 5);
	EXPECT_STR(dump_of(ai), "pcpu-alloc: s16384 r0 d12288 u49152 alloc=1*245760\n"
				"pcpu-alloc: [0] 0 1 2 3 4 \n");
}

/*
 * Sparse possible mask: nr_cpu_ids 8, possible {0, 2, 3, 7}; s 16384, atom 4K:
 * unit 32768, upa 1. One node: one group [0 2 3 7]; cw = digits(4) = 1.
 * Two nodes (cpu 0, 3 on node 1; 2, 7 on node 0): leader 0 takes 3; leader 2 takes 7.
 */
static void test_sparse_possible(void)
{
	static const unsigned long mask = 0x8d;	/* 0, 2, 3, 7 */
	static struct numa n;
	struct pcpu_topology t = { .nr_cpu_ids = 8, .possible = &mask };
	struct pcpu_alloc_info *ai;

	EXPECT_EQ(pcpu_num_possible(&t), 4);
	EXPECT(pcpu_cpu_possible(&t, 7));
	EXPECT(!pcpu_cpu_possible(&t, 1));
	EXPECT(!pcpu_cpu_possible(&t, 8));

	ai = build(16384, 0, 0, 4096, &t);
	EXPECT_STR(groups_of(ai), "g0@0:[0 2 3 7]");
	EXPECT_STR(dump_of(ai), "pcpu-alloc: s16384 r0 d12288 u32768 alloc=8*4096\n"
				"pcpu-alloc: [0] 0 [0] 2 [0] 3 [0] 7 \n");

	numa_default(&n);
	n.node_of[0] = n.node_of[3] = 1;
	t.distance = numa_distance;
	t.distance_ctx = &n;
	ai = build(16384, 0, 0, 4096, &t);
	EXPECT_STR(groups_of(ai), "g0@0:[0 3] g1@65536:[2 7]");
}

/*
 * The grouping rule is Linux's (since 5.11): the group leader alone decides, and only
 * a distance of exactly LOCAL_DISTANCE both ways counts.
 * 0-1 local, 0-2 local, 1-2 remote: leader 0 takes 1 and 2: one group.
 * 0->1 is 10 but 1->0 is 20: two groups. A distance below 10 is not local either.
 */
static void test_grouping_rule(void)
{
	struct pcpu_topology t = { .nr_cpu_ids = 3, .distance = matrix_distance };
	struct pcpu_alloc_info *ai;
	int a, b;

	for (a = 0; a < 8; a++)
		for (b = 0; b < 8; b++)
			cpu_matrix[a][b] = a == b ? 10 : 20;
	cpu_matrix[0][1] = cpu_matrix[1][0] = 10;
	cpu_matrix[0][2] = cpu_matrix[2][0] = 10;
	ai = build(16384, 0, 0, 4096, &t);
	EXPECT_STR(groups_of(ai), "g0@0:[0 1 2]");

	cpu_matrix[1][0] = 20;
	ai = build(16384, 0, 0, 4096, &t);
	EXPECT_STR(groups_of(ai), "g0@0:[0 2] g1@65536:[1]");

	cpu_matrix[1][0] = 10;
	cpu_matrix[0][2] = cpu_matrix[2][0] = 5;
	ai = build(16384, 0, 0, 4096, &t);
	EXPECT_STR(groups_of(ai), "g0@0:[0 1] g1@65536:[2]");
}

/*
 * Placement and unit offsets (pcpu_setup_first_chunk's maths) on the hip07 layout with
 * atom 4K (unit 114688 = 0x1c000, 16 units per group, group size 0x1c0000).
 * Groups allocated at 0x80400000, 0x40200000, 0x100000000, 0xc0000000:
 * base 0x40200000; offsets 0x40200000, 0, 0xbfe00000, 0x7fe00000;
 * max_distance 0xbfe00000 + 16 * 0x1c000 (to the end of the highest group).
 * cpu 17: unit 17, offset 0x1c000; cpu 0: 0x40200000; cpu 63: 0x7fe00000 + 15 * 0x1c000 =
 * 0x7ffa4000. Lowest unit: cpu 16 (offset 0); highest: cpu 47 (0xbffa4000).
 * __per_cpu_start 0x40100000: delta 0x100000, so cpu 17 gets 0x11c000.
 */
static void test_unit_offsets(void)
{
	static struct numa n;
	static unsigned int unit_map[64];
	static unsigned long unit_off[64], group_offsets[4], offsets[64];
	static size_t group_sizes[4];
	const uintptr_t areas[4] = { 0x80400000, 0x40200000, 0x100000000, 0xc0000000 };
	struct pcpu_topology t = topo_all(64, &n);
	struct pcpu_unit_map um = {
		.unit_map = unit_map,
		.unit_off = unit_off,
		.group_offsets = group_offsets,
		.group_sizes = group_sizes,
	};
	struct pcpu_alloc_info *ai;
	uintptr_t base = 0;
	size_t max_distance = 0;
	int cpu;

	numa_default(&n);
	for (cpu = 0; cpu < 64; cpu++)
		n.node_of[cpu] = cpu / 16;
	ai = build(73896, 8192, 28672, 4096, &t);
	EXPECT_EQ(pcpu_group_first_cpu(&ai->groups[2]), 32);

	pcpu_place_groups(ai, areas, &base, &max_distance);
	EXPECT_EQ(base, 0x40200000);
	EXPECT_EQ(max_distance, 0xbfe00000 + 0x1c0000);
	EXPECT_EQ(ai->groups[0].base_offset, 0x40200000);
	EXPECT_EQ(ai->groups[1].base_offset, 0);
	EXPECT_EQ(ai->groups[2].base_offset, 0xbfe00000);
	EXPECT_EQ(ai->groups[3].base_offset, 0x7fe00000);

	EXPECT_EQ(pcpu_map_units(ai, &t, base, &um), 0);
	EXPECT(um.why == NULL);
	EXPECT_EQ(um.nr_units, 64);
	for (cpu = 0; cpu < 64; cpu++)
		EXPECT_EQ(unit_map[cpu], cpu);
	EXPECT_EQ(unit_off[17], 0x1c000);
	EXPECT_EQ(unit_off[0], 0x40200000);
	EXPECT_EQ(unit_off[63], 0x7ffa4000);
	EXPECT_EQ(um.low_unit_cpu, 16);
	EXPECT_EQ(um.high_unit_cpu, 47);
	EXPECT_EQ(group_offsets[2], 0xbfe00000);
	EXPECT_EQ(group_sizes[3], 0x1c0000);

	memset(offsets, 0xaa, sizeof(offsets));
	pcpu_cpu_offsets(&um, 64, base, 0x40100000, offsets);
	EXPECT_EQ(offsets[17], 0x11c000);
	EXPECT_EQ(offsets[0], 0x40300000);
	/* a base below the section: the offset wraps and still adds up */
	pcpu_cpu_offsets(&um, 64, base, 0x80000000, offsets);
	EXPECT_EQ(offsets[16] + 0x80000000UL, 0x40200000);
}

/* Unit offsets on a sparse mask with empty units: cpus without a unit stay untouched. */
static void test_unit_offsets_sparse(void)
{
	static const unsigned long mask = 0x8d;	/* 0, 2, 3, 7 */
	unsigned int unit_map[8];
	unsigned long unit_off[8], offsets[8];
	struct pcpu_topology t = { .nr_cpu_ids = 8, .possible = &mask };
	struct pcpu_unit_map um = { .unit_map = unit_map, .unit_off = unit_off };
	struct pcpu_alloc_info *ai;

	/* 4 CPUs, atom 2M, s 16384: upa 4 (as in the 4-CPU case): unit 524288 */
	ai = build(16384, 0, 0, SZ_2M, &t);
	EXPECT_EQ(ai->unit_size, 524288);
	EXPECT_EQ(pcpu_map_units(ai, &t, 0x200000, &um), 0);
	EXPECT_EQ(unit_map[7], 3);
	EXPECT_EQ(unit_off[7], 3 * 524288);
	EXPECT_EQ(unit_map[1], PCPU_UNIT_NONE);
	EXPECT_EQ(um.low_unit_cpu, 0);
	EXPECT_EQ(um.high_unit_cpu, 7);
	offsets[1] = 12345;
	pcpu_cpu_offsets(&um, 8, 0x200000, 0x100000, offsets);
	EXPECT_EQ(offsets[1], 12345);
	EXPECT_EQ(offsets[3], 0x100000 + 2 * 524288);
}

/* pcpu_map_units() refuses what pcpu_setup_first_chunk() would BUG on, naming the check. */
static void test_map_units_checks(void)
{
	unsigned int unit_map[4];
	unsigned long unit_off[4];
	struct pcpu_topology t = topo_all(4, NULL);
	struct pcpu_unit_map um = { .unit_map = unit_map, .unit_off = unit_off };
	struct pcpu_alloc_info *ai;

#define EXPECT_REFUSED(ai_, base_, text)						\
	do {									\
		EXPECT_EQ(pcpu_map_units(ai_, &t, base_, &um), -PCPU_EINVAL);	\
		EXPECT(um.why && strstr(um.why, text));				\
	} while (0)

	ai = build(16384, 0, 0, 4096, &t);
	EXPECT_EQ(pcpu_map_units(ai, &t, 0x10000, &um), 0);
	EXPECT_REFUSED(ai, 0, "!base_addr");
	EXPECT_REFUSED(ai, 0x10010, "pcpu_page_aligned(base_addr)");

	ai->groups[0].cpu_map[1] = 0;
	EXPECT_REFUSED(ai, 0x10000, "unit_map[cpu] != PCPU_UNIT_NONE");
	ai->groups[0].cpu_map[1] = 4;
	EXPECT_REFUSED(ai, 0x10000, "cpu >= nr_ids");
	ai->groups[0].cpu_map[1] = PCPU_UNIT_NONE;
	EXPECT_REFUSED(ai, 0x10000, "um->unit_map[cpu] == PCPU_UNIT_NONE");

	ai = build(16384, 0, 0, 4096, &t);
	ai->unit_size = 28672 - 4096;
	EXPECT_REFUSED(ai, 0x10000, "unit_size < pcpu_ai_size_sum(ai)");
	ai = build(16384, 0, 0, 4096, &t);
	ai->unit_size = 32768 + 8;
	EXPECT_REFUSED(ai, 0x10000, "pcpu_page_aligned(ai->unit_size)");
	ai = build(16384, 0, 0, 4096, &t);
	ai->dyn_size = 8192;
	EXPECT_REFUSED(ai, 0x10000, "PERCPU_DYNAMIC_EARLY_SIZE");
	ai = build(16384, 2, 0, 4096, &t);
	EXPECT_REFUSED(ai, 0x10000, "PCPU_MIN_ALLOC_SIZE");
	ai = build(16384, 0, 0, 4096, &t);
	ai->static_size = 0;
	EXPECT_REFUSED(ai, 0x10000, "!ai->static_size");

	/* a CPU the topology does not have */
	{
		static const unsigned long three = 0x7;

		ai = build(16384, 0, 0, 4096, &t);
		t.possible = &three;
		EXPECT_REFUSED(ai, 0x10000, "!pcpu_cpu_possible(topo, cpu)");
		t.possible = NULL;
	}
#undef EXPECT_REFUSED
}

static void *failing_alloc(size_t size, void *ctx)
{
	return NULL;
}

static void *misaligned_alloc(size_t size, void *ctx)
{
	return arena + 4;
}

/* Arguments pcpu_build_alloc_info() refuses, and allocation failures. */
static void test_build_errors(void)
{
	static const unsigned long none;
	struct pcpu_topology t = topo_all(4, NULL);
	struct pcpu_alloc_info *ai = (void *)1;
	unsigned char small[1024] __aligned(16);
	struct pcpu_bump b = { .base = small, .size = sizeof(small) };

	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, failing_alloc, NULL, &ai),
		  -PCPU_ENOMEM);
	EXPECT(ai == NULL);
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, misaligned_alloc, NULL, &ai),
		  -PCPU_ENOMEM);
	/* the info needs a page: a 1 KiB buffer is too small */
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, pcpu_bump_alloc, &b, &ai),
		  -PCPU_ENOMEM);

	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 0, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 6000, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, NULL, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, NULL, NULL, &ai), -PCPU_EINVAL);
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, pcpu_bump_alloc, &bump, NULL),
		  -PCPU_EINVAL);
	EXPECT_EQ(pcpu_build_alloc_info(SIZE_MAX, 0, 0, 4096, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	t.nr_cpu_ids = 0;
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	t.nr_cpu_ids = PCPU_MAX_CPUS + 1;
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	t.nr_cpu_ids = 4;
	t.possible = &none;
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
}

/* pcpu_alloc_alloc_info(): layout, sentinel fill and __ai_size. */
static void test_alloc_alloc_info(void)
{
	struct pcpu_alloc_info *ai;
	int i;

	bump.base = arena;
	bump.size = sizeof(arena);
	bump.used = 0;
	ai = pcpu_alloc_alloc_info(3, 10, pcpu_bump_alloc, &bump);
	EXPECT(ai != NULL);
	if (!ai)
		return;
	EXPECT_EQ(ai->nr_groups, 3);
	EXPECT_EQ(ai->__ai_size, 4096);
	EXPECT((char *)ai->groups[0].cpu_map >= (char *)&ai->groups[3]);
	EXPECT((char *)(ai->groups[0].cpu_map + 10) <= (char *)ai + ai->__ai_size);
	for (i = 0; i < 10; i++)
		EXPECT_EQ(ai->groups[0].cpu_map[i], PCPU_UNIT_NONE);
	EXPECT(ai->groups[1].cpu_map == NULL);
	EXPECT(pcpu_alloc_alloc_info(0, 1, pcpu_bump_alloc, &bump) == NULL);
}

/* A caller printer gets the lines instead of printk; the embedded line printed whole. */
static char other[4096];
static int other_calls;

static int other_printer(const char *fmt, ...)
{
	va_list ap;
	size_t len = strlen(other);
	int n;

	va_start(ap, fmt);
	n = vsnprintf(other + len, sizeof(other) - len, fmt, ap);
	va_end(ap);
	other_calls++;
	return n;
}

static void test_printers(void)
{
	struct pcpu_topology t = topo_all(2, NULL);
	struct pcpu_alloc_info *ai = build(16384, 0, 0, 4096, &t);

	cap_reset();
	other[0] = '\0';
	pcpu_dump_alloc_info(ai, other_printer);
	EXPECT_EQ(cap_calls, 0);
	EXPECT_EQ(other_calls, 2);
	EXPECT_STR(other, "pcpu-alloc: s16384 r0 d12288 u32768 alloc=8*4096\n"
			  "pcpu-alloc: [0] 0 [0] 1 \n");

	cap_reset();
	pcpu_print_embedded(ai, NULL);
	EXPECT_EQ(cap_calls, 1);
	EXPECT_EQ(cap_bad_calls, 0);
	EXPECT_STR(cap, "percpu: Embedded 7 pages/cpu s16384 r0 d12288 u32768\n");
}

int main(void)
{
	test_one_cpu();
	test_four_cpus_one_node();
	test_four_cpus_two_nodes();
	test_hip07_d05();
	test_unequal_groups();
	test_empty_units();
	test_many_cpus_per_alloc();
	test_512_cpus();
	test_sizes();
	test_sparse_possible();
	test_grouping_rule();
	test_unit_offsets();
	test_unit_offsets_sparse();
	test_map_units_checks();
	test_build_errors();
	test_alloc_alloc_info();
	test_printers();

	if (failures) {
		fprintf(stderr, "percpu_layout_test: %d check(s) failed\n", failures);
		return 1;
	}
	printf("percpu_layout_test: all checks passed\n");
	return 0;
}
