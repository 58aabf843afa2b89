/*
 * percpu_layout_groups_test.c - host tests of how percpu/alloc_info.c puts CPUs into
 * groups and units, against layouts worked out by hand: 1 CPU, 4 CPUs on one and on two
 * nodes, hip07-d05 (64 CPUs, 4 nodes), unequal groups, empty units, and the grouping rule.
 * The terms of the working are explained in percpu_layout_test.h.
 */
#include "percpu_layout_test.h"


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

int main(void)
{
	test_one_cpu();
	test_four_cpus_one_node();
	test_four_cpus_two_nodes();
	test_hip07_d05();
	test_unequal_groups();
	test_empty_units();
	test_grouping_rule();

	if (failures) {
		fprintf(stderr, "percpu_layout_groups_test: %d check(s) failed\n", failures);
		return 1;
	}
	printf("percpu_layout_groups_test: all checks passed\n");
	return 0;
}
