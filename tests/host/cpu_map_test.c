/*
 * cpu_map_test.c - host tests of logical CPU numbering (kernel/cpu_map.c) on hand-built
 * struct dt_info values, no device tree needed.
 *
 * Checked: the boot CPU is CPU 0 wherever it sits in the tree and the others follow in
 * tree order; CPUs left out (disabled, RISC-V hart without MMU, arm64 CPU with no or an
 * unknown enable-method, spin-table without cpu-release-addr, duplicate hwid) with one
 * "smp: skipping" line each unless quiet; more usable CPUs than NR_CPUS (512): the first
 * 512 kept, the rest counted in beyond_nr_cpus with one summary line; a boot CPU missing
 * from the tree; nodes (none -> 0); cpu_map_distance() through the tree's distance matrix;
 * status by arch (arm64: "disabled" possible and flagged to stay offline, "fail" and others
 * left out; RISC-V: all but "okay" left out); the memory node of CPUs on a node without
 * memory (nearest with memory, lower on a tie) with one line per such node.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcpurt/cpu_map.h>
#include <pcpurt/printk.h>
#define TEST_CAPTURE_PRINTK
#include "test_util.h"


/* ---- tree building ------------------------------------------------------------------- */

static struct dt_info dt;
static struct cpu_map map;

static void dt_reset(void)
{
	int a, b;

	memset(&dt, 0, sizeof(dt));
	dt.nr_nodes = 1;
	for (a = 0; a < MAX_NUMNODES; a++)
		for (b = 0; b < MAX_NUMNODES; b++)
			dt.distance[a][b] = a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
}

/* An okay CPU with @method; node DT_NO_NODE, MMU present. Returns it for adjustments. */
static struct dt_cpu *add_cpu(uint64_t hwid, enum dt_enable_method method)
{
	struct dt_cpu *c = &dt.cpus[dt.nr_cpus];

	memset(c, 0, sizeof(*c));
	c->hwid = hwid;
	c->node = DT_NO_NODE;
	c->enable_method = method;
	c->okay = true;
	c->has_mmu = true;
	c->offset = 1000 + dt.nr_cpus;
	dt.nr_cpus++;
	return c;
}

/* map.cpu[i].hwid for i < map.nr equals @want[0..n-1]. */
static void expect_hwids(const uint64_t *want, unsigned int n, int line)
{
	unsigned int i;

	if (map.nr != n) {
		fprintf(stderr, "%s:%d: FAILED: map.nr %u, want %u\n", __FILE__, line, map.nr, n);
		failures++;
		return;
	}
	for (i = 0; i < n; i++)
		if (map.cpu[i].hwid != want[i]) {
			fprintf(stderr, "%s:%d: FAILED: CPU%u hwid 0x%llx, want 0x%llx\n",
				__FILE__, line, i, (unsigned long long)map.cpu[i].hwid,
				(unsigned long long)want[i]);
			failures++;
		}
}
#define EXPECT_HWIDS(...)							\
	do {									\
		static const uint64_t w_[] = { __VA_ARGS__ };			\
		expect_hwids(w_, ARRAY_SIZE(w_), __LINE__);			\
	} while (0)

/* ---- cases --------------------------------------------------------------------------- */

/* Four PSCI CPUs on two nodes; each in turn is the boot CPU. */
static void test_boot_first(void)
{
	static const uint64_t hw[] = { 0x0, 0x1, 0x100, 0x101 };
	int boot, i;

	dt_reset();
	for (i = 0; i < 4; i++)
		add_cpu(hw[i], DT_EN_PSCI)->node = i / 2;
	dt.nr_nodes = 2;

	for (boot = 0; boot < 4; boot++) {
		unsigned int cpu = 1;

		cap_reset();
		cpu_map_build(&dt, hw[boot], false, &map, false);
		EXPECT_EQ(map.nr, 4);
		EXPECT_EQ(map.skipped, 0);
		EXPECT_EQ(map.beyond_nr_cpus, 0);
		EXPECT_STR(cap, "");
		EXPECT_EQ(map.cpu[0].hwid, hw[boot]);
		EXPECT_EQ(map.cpu[0].dt_index, boot);
		EXPECT_EQ(map.cpu[0].node, boot / 2);
		for (i = 0; i < 4; i++) {
			if (i == boot)
				continue;
			EXPECT_EQ(map.cpu[cpu].hwid, hw[i]);
			EXPECT_EQ(map.cpu[cpu].dt_index, i);
			EXPECT_EQ(map.cpu[cpu].node, i / 2);
			EXPECT_EQ(map.cpu[cpu].method, DT_EN_PSCI);
			cpu++;
		}
	}
	/* boot CPU last: 3, 0, 1, 2 */
	cpu_map_build(&dt, 0x101, false, &map, true);
	EXPECT_HWIDS(0x101, 0x0, 0x1, 0x100);
}

/* Every reason an arm64 CPU is left out, each said once; the usable ones in order. */
static void test_arm64_skips(void)
{
	dt_reset();
	add_cpu(0x0, DT_EN_PSCI);			/* 0: boot */
	{
		struct dt_cpu *c = add_cpu(0x1, DT_EN_PSCI);	/* failed */

		c->okay = false;
		c->status = DT_CPU_FAIL;
	}
	add_cpu(0x2, DT_EN_OTHER);			/* unknown method */
	add_cpu(0x3, DT_EN_NONE);			/* no method */
	add_cpu(0x4, DT_EN_SPIN_TABLE);			/* no release address */
	{
		struct dt_cpu *c = add_cpu(0x5, DT_EN_SPIN_TABLE);

		c->has_release_addr = true;
		c->release_addr = 0xe0;
	}
	add_cpu(0x6, DT_EN_PSCI)->has_mmu = false;	/* mmu-type means nothing on arm64 */
	add_cpu(0x5, DT_EN_PSCI);			/* duplicate of 0x5 */
	add_cpu(0x0, DT_EN_PSCI);			/* duplicate of the boot CPU */
	add_cpu(0x7, DT_EN_SBI_HSM);			/* a RISC-V method on arm64 */

	cap_reset();
	cpu_map_build(&dt, 0x0, false, &map, false);
	EXPECT_HWIDS(0x0, 0x5, 0x6);
	EXPECT_EQ(map.skipped, 7);
	EXPECT_EQ(map.beyond_nr_cpus, 0);
	EXPECT_EQ(map.cpu[1].method, DT_EN_SPIN_TABLE);
	EXPECT_EQ(map.cpu[1].release_addr, 0xe0);
	EXPECT_EQ(map.cpu[1].dt_index, 5);
	EXPECT_EQ(map.cpu[2].dt_index, 6);
	EXPECT_STR(cap,
		   "smp: skipping cpu@1: status \"fail\" in the device tree\n"
		   "smp: skipping cpu@2: no enable-method pcpurt knows\n"
		   "smp: skipping cpu@3: no enable-method pcpurt knows\n"
		   "smp: skipping cpu@4: spin-table without cpu-release-addr\n"
		   "smp: skipping cpu@5: duplicate hardware id\n"
		   "smp: skipping cpu@0: duplicate hardware id\n"
		   "smp: skipping cpu@7: no enable-method pcpurt knows\n");

	/* quiet: the same map, no output */
	cap_reset();
	cpu_map_build(&dt, 0x0, false, &map, true);
	EXPECT_HWIDS(0x0, 0x5, 0x6);
	EXPECT_EQ(map.skipped, 7);
	EXPECT_STR(cap, "");

	/* the boot CPU comes after its duplicate: the first node with the id is the boot CPU */
	dt_reset();
	add_cpu(0x1, DT_EN_PSCI);
	add_cpu(0x2, DT_EN_PSCI)->node = 1;
	add_cpu(0x2, DT_EN_PSCI);
	cpu_map_build(&dt, 0x2, false, &map, true);
	EXPECT_HWIDS(0x2, 0x1);
	EXPECT_EQ(map.cpu[0].dt_index, 1);
	EXPECT_EQ(map.cpu[0].node, 1);
	EXPECT_EQ(map.skipped, 1);
}

/* RISC-V: harts without an MMU and disabled harts are left out; methods do not matter. */
static void test_riscv(void)
{
	dt_reset();
	{
		struct dt_cpu *c = add_cpu(0x0, DT_EN_SBI_HSM);	/* the monitor core */

		c->has_mmu = false;
		c->isa = "rv64imac";
	}
	add_cpu(0x1, DT_EN_SBI_HSM);
	add_cpu(0x2, DT_EN_SBI_HSM)->okay = false;
	add_cpu(0x3, DT_EN_NONE);			/* riscv: no method is fine */
	add_cpu(0x4, DT_EN_OTHER);
	add_cpu(0x5, DT_EN_SPIN_TABLE);			/* ... and so is any other */

	cap_reset();
	cpu_map_build(&dt, 0x3, true, &map, false);
	EXPECT_HWIDS(0x3, 0x1, 0x4, 0x5);
	EXPECT_EQ(map.skipped, 2);
	EXPECT(strstr(cap, "smp: skipping cpu@0: no MMU") == cap);
	EXPECT(strstr(cap, "\nsmp: skipping cpu@2: disabled in the device tree\n") != NULL);

	/* the same CPUs read as arm64: only methods arm64 knows count */
	cpu_map_build(&dt, 0x1, false, &map, true);
	EXPECT_HWIDS(0x1);
	EXPECT_EQ(map.skipped, 5);
}

/* More usable CPUs than NR_CPUS: the first 512 (boot CPU first) are kept. */
static void test_beyond_nr_cpus(void)
{
	unsigned int i;

	EXPECT_EQ(NR_CPUS, 512);
	dt_reset();
	for (i = 0; i < 600; i++)
		add_cpu(0x1000 + i, DT_EN_PSCI)->node = i / 300;
	for (i = 0; i < 4; i++)				/* unusable ones past the limit */
		add_cpu(0x5000 + i, DT_EN_OTHER);
	dt.nr_nodes = 2;

	/* the boot CPU sits beyond the limit in tree order and still is CPU 0 */
	cap_reset();
	cpu_map_build(&dt, 0x1000 + 550, false, &map, false);
	EXPECT_EQ(map.nr, NR_CPUS);
	EXPECT_EQ(map.cpu[0].hwid, 0x1000 + 550);
	EXPECT_EQ(map.cpu[0].node, 1);
	for (i = 1; i < NR_CPUS; i++)
		if (map.cpu[i].hwid != 0x1000 + i - 1 || map.cpu[i].dt_index != (int)i - 1) {
			fprintf(stderr, "%s:%d: FAILED: CPU%u hwid 0x%llx\n", __FILE__, __LINE__, i,
				(unsigned long long)map.cpu[i].hwid);
			failures++;
			break;
		}
	EXPECT_EQ(map.beyond_nr_cpus, 600 - 512);
	EXPECT_EQ(map.skipped, 600 - 512 + 4);
	/* one line per unusable CPU, one summary line for those beyond NR_CPUS */
	EXPECT(strstr(cap, "smp: skipping cpu@5000: no enable-method pcpurt knows\n"));
	EXPECT(strstr(cap, "WARNING: smp: 88 CPUs beyond NR_CPUS=512 left out\n"));
	{
		unsigned int lines = 0;
		const char *p;

		for (p = cap; (p = strchr(p, '\n')); p++)
			lines++;
		EXPECT_EQ(lines, 5);
	}

	/* exactly NR_CPUS usable: nothing beyond; one more: one beyond */
	dt_reset();
	for (i = 0; i < NR_CPUS; i++)
		add_cpu(i, DT_EN_PSCI);
	cap_reset();
	cpu_map_build(&dt, 0, false, &map, false);
	EXPECT_EQ(map.nr, NR_CPUS);
	EXPECT_EQ(map.beyond_nr_cpus, 0);
	EXPECT_STR(cap, "");
	add_cpu(NR_CPUS, DT_EN_PSCI);
	cpu_map_build(&dt, 0, false, &map, true);
	EXPECT_EQ(map.nr, NR_CPUS);
	EXPECT_EQ(map.beyond_nr_cpus, 1);
	EXPECT_EQ(map.cpu[NR_CPUS - 1].hwid, NR_CPUS - 1);
}

/* A boot CPU the tree does not list: CPU 0 all the same, node 0, and a warning. */
static void test_boot_missing(void)
{
	dt_reset();
	add_cpu(0x1, DT_EN_PSCI)->node = 1;
	add_cpu(0x2, DT_EN_PSCI)->node = 1;
	dt.nr_nodes = 2;

	/* the map is reset even when it held something */
	memset(&map, 0x5a, sizeof(map));
	cap_reset();
	cpu_map_build(&dt, 0x7, false, &map, false);
	EXPECT_HWIDS(0x7, 0x1, 0x2);
	EXPECT_EQ(map.cpu[0].dt_index, -1);
	EXPECT_EQ(map.cpu[0].node, 0);
	EXPECT_EQ(map.skipped, 0);
	EXPECT_EQ(map.beyond_nr_cpus, 0);
	EXPECT_STR(cap, "WARNING: smp: boot CPU 0x7 is not in /cpus; using node 0\n");
	cap_reset();
	cpu_map_build(&dt, 0x7, false, &map, true);
	EXPECT_STR(cap, "");

	/* an empty /cpus */
	dt_reset();
	cpu_map_build(&dt, 0x0, true, &map, true);
	EXPECT_HWIDS(0x0);
	EXPECT_EQ(map.cpu[0].dt_index, -1);
}

/* Nodes: none -> 0; distances through the tree's matrix, in both directions. */
static void test_nodes_and_distance(void)
{
	static const int node[] = { DT_NO_NODE, 2, 1, 0, 2 };
	unsigned int a, b, i;

	dt_reset();
	for (i = 0; i < ARRAY_SIZE(node); i++)
		add_cpu(0x10 + i, DT_EN_PSCI)->node = node[i];
	dt.nr_nodes = 3;
	dt.distance[0][1] = 15;
	dt.distance[1][0] = 25;			/* asymmetric */
	dt.distance[0][2] = 30;
	dt.distance[2][0] = 30;
	dt.distance[1][2] = 40;
	dt.distance[2][1] = 45;
	dt.distance_map = true;

	cpu_map_build(&dt, 0x12, false, &map, true);	/* boot on node 1 */
	EXPECT_HWIDS(0x12, 0x10, 0x11, 0x13, 0x14);
	{
		static const int want_node[] = { 1, 0, 2, 0, 2 };

		for (i = 0; i < map.nr; i++)
			EXPECT_EQ(map.cpu[i].node, want_node[i]);
	}
	for (a = 0; a < map.nr; a++)
		for (b = 0; b < map.nr; b++)
			EXPECT_EQ(cpu_map_distance(&dt, &map, a, b),
				  dt.distance[map.cpu[a].node][map.cpu[b].node]);
	EXPECT_EQ(cpu_map_distance(&dt, &map, 0, 1), 25);	/* node 1 -> node 0 */
	EXPECT_EQ(cpu_map_distance(&dt, &map, 1, 0), 15);
	EXPECT_EQ(cpu_map_distance(&dt, &map, 2, 4), 10);	/* both node 2 */
	EXPECT_EQ(cpu_map_distance(&dt, &map, 1, 3), 10);	/* no node and node 0 */
	EXPECT_EQ(cpu_map_distance(&dt, &map, 0, 2), 40);
	EXPECT_EQ(cpu_map_distance(&dt, &map, 2, 0), 45);
}

static struct dt_cpu *add_status(uint64_t hwid, enum dt_enable_method method, uint8_t status)
{
	struct dt_cpu *c = add_cpu(hwid, method);

	c->status = status;
	c->okay = status == DT_CPU_OKAY;
	return c;
}

/*
 * Status by arch: arm64 Linux counts "disabled" CPUs as possible (pcpurt flags them to stay
 * offline), leaves "fail" out; pcpurt also leaves other values out. RISC-V Linux takes only
 * "okay" harts. A disabled boot CPU is running: not flagged.
 */
static void test_status(void)
{
	dt_reset();
	add_status(0x0, DT_EN_PSCI, DT_CPU_OKAY);
	add_status(0x1, DT_EN_PSCI, DT_CPU_DISABLED);
	add_status(0x2, DT_EN_PSCI, DT_CPU_FAIL);
	add_status(0x3, DT_EN_PSCI, DT_CPU_OTHER);
	add_status(0x4, DT_EN_PSCI, DT_CPU_DISABLED)->node = 1;
	add_status(0x5, DT_EN_OTHER, DT_CPU_DISABLED);	/* disabled, and no method */
	add_status(0x6, DT_EN_PSCI, DT_CPU_OKAY);
	dt.nr_nodes = 2;

	cap_reset();
	cpu_map_build(&dt, 0x0, false, &map, false);
	EXPECT_HWIDS(0x0, 0x1, 0x4, 0x6);
	EXPECT_EQ(map.skipped, 3);
	EXPECT_EQ(map.nr_dt_disabled, 2);
	EXPECT_EQ(map.cpu[0].dt_disabled, false);
	EXPECT_EQ(map.cpu[1].dt_disabled, true);
	EXPECT_EQ(map.cpu[2].dt_disabled, true);
	EXPECT_EQ(map.cpu[2].node, 1);
	EXPECT_EQ(map.cpu[3].dt_disabled, false);
	EXPECT_STR(cap,
		   "smp: skipping cpu@2: status \"fail\" in the device tree\n"
		   "smp: skipping cpu@3: status neither \"okay\" nor \"disabled\" in the device "
		   "tree\n"
		   "smp: skipping cpu@5: no enable-method pcpurt knows\n");

	/* the boot CPU marked disabled: it runs, so it is not flagged */
	cpu_map_build(&dt, 0x1, false, &map, true);
	EXPECT_HWIDS(0x1, 0x0, 0x4, 0x6);
	EXPECT_EQ(map.cpu[0].dt_disabled, false);
	EXPECT_EQ(map.nr_dt_disabled, 1);

	/* RISC-V: the same statuses (harts), only the okay ones */
	dt_reset();
	add_status(0x0, DT_EN_SBI_HSM, DT_CPU_OKAY);
	add_status(0x1, DT_EN_SBI_HSM, DT_CPU_DISABLED);
	add_status(0x2, DT_EN_SBI_HSM, DT_CPU_FAIL);
	add_status(0x3, DT_EN_SBI_HSM, DT_CPU_OTHER);
	add_status(0x4, DT_EN_SBI_HSM, DT_CPU_OKAY);
	cap_reset();
	cpu_map_build(&dt, 0x0, true, &map, false);
	EXPECT_HWIDS(0x0, 0x4);
	EXPECT_EQ(map.nr_dt_disabled, 0);
	EXPECT_EQ(map.cpu[1].dt_disabled, false);
	EXPECT_STR(cap,
		   "smp: skipping cpu@1: disabled in the device tree\n"
		   "smp: skipping cpu@2: disabled in the device tree\n"
		   "smp: skipping cpu@3: disabled in the device tree\n");
}

/*
 * Memory-less nodes: four nodes, memory in 1 and 3. Node 0 is nearer to 3 (20) than to 1
 * (30); node 2 is as near to 1 as to 3 (25): the lower, 1. One line per node, however many
 * CPUs it has; none for nodes with memory; none when quiet.
 */
static void test_memless(void)
{
	static const int near[4] = { 3, 1, 1, 3 };
	static const uint8_t d[4][4] = {
		{ 10, 30, 25, 20 }, { 30, 10, 25, 20 }, { 25, 25, 10, 25 }, { 20, 20, 25, 10 },
	};
	unsigned int cpu;
	int a, b;

	dt_reset();
	for (a = 0; a < 4; a++)
		for (b = 0; b < 4; b++)
			dt.distance[a][b] = d[a][b];
	dt.nr_nodes = 4;
	dt.mem[0] = (struct dt_mem_range){ 0x40000000, 0x10000000, 1 };
	dt.mem[1] = (struct dt_mem_range){ 0x80000000, 0x10000000, 3 };
	dt.nr_mem = 2;
	for (cpu = 0; cpu < 8; cpu++)
		add_cpu(cpu, DT_EN_PSCI)->node = cpu / 2;

	cap_reset();
	cpu_map_build(&dt, 0x0, false, &map, false);
	EXPECT_EQ(map.nr, 8);
	for (cpu = 0; cpu < 8; cpu++) {
		EXPECT_EQ(map.cpu[cpu].node, (int)cpu / 2);
		EXPECT_EQ(map.cpu[cpu].mem_node, near[cpu / 2]);
	}
	EXPECT_STR(cap,
		   "NUMA: node 0 has no memory: its CPUs' per-CPU units and stacks come from "
		   "node 3, the nearest node with memory (distance 20)\n"
		   "NUMA: node 2 has no memory: its CPUs' per-CPU units and stacks come from "
		   "node 1, the nearest node with memory (distance 25)\n");
	cap_reset();
	cpu_map_build(&dt, 0x0, false, &map, true);
	EXPECT_STR(cap, "");
	/* the boot CPU on node 2: still one line for node 2, said when numbering reaches it */
	cap_reset();
	cpu_map_build(&dt, 0x5, false, &map, false);
	EXPECT_EQ(map.cpu[0].mem_node, 1);
	EXPECT_STR(cap,
		   "NUMA: node 2 has no memory: its CPUs' per-CPU units and stacks come from "
		   "node 1, the nearest node with memory (distance 25)\n"
		   "NUMA: node 0 has no memory: its CPUs' per-CPU units and stacks come from "
		   "node 3, the nearest node with memory (distance 20)\n");
}

int main(void)
{
	test_boot_first();
	test_arm64_skips();
	test_riscv();
	test_beyond_nr_cpus();
	test_boot_missing();
	test_nodes_and_distance();
	test_status();
	test_memless();
	if (failures) {
		fprintf(stderr, "cpu_map_test: %d failures\n", failures);
		return 1;
	}
	printf("cpu_map_test: all passed\n");
	return 0;
}
