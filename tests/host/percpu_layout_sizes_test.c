/*
 * percpu_layout_sizes_test.c - host tests of percpu/alloc_info.c on sizes and CPU
 * counts, against layouts worked out by hand: more CPUs than one allocation holds, 512
 * CPUs in 64 nodes, static / reserved / dynamic sizes, a sparse possible mask.
 * The terms of the working are explained in percpu_layout_test.h.
 */
#include "percpu_layout_test.h"

/* ---- cases ------------------------------------------------------------------------------- */

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

int main(void)
{
	test_many_cpus_per_alloc();
	test_512_cpus();
	test_sizes();
	test_sparse_possible();

	if (failures) {
		fprintf(stderr, "percpu_layout_sizes_test: %d check(s) failed\n", failures);
		return 1;
	}
	printf("percpu_layout_sizes_test: all checks passed\n");
	return 0;
}
