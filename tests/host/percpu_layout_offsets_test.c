/*
 * percpu_layout_offsets_test.c - host tests of the placement and unit offsets of the
 * first chunk (pcpu_setup_first_chunk's maths) and of what pcpu_map_units() refuses.
 * The terms of the working are explained in percpu_layout_test.h.
 */
#include "percpu_layout_test.h"


/* ---- cases ------------------------------------------------------------------------------- */

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

int main(void)
{
	test_unit_offsets();
	test_unit_offsets_sparse();
	test_map_units_checks();

	if (failures) {
		fprintf(stderr, "percpu_layout_offsets_test: %d check(s) failed\n", failures);
		return 1;
	}
	printf("percpu_layout_offsets_test: all checks passed\n");
	return 0;
}
