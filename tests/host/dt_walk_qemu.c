/*
 * dt_walk_qemu.c - dt_walk_test --qemu arm64|riscv64 FILE NCPUS MEM_MB NODES DISTS: one tree
 * that QEMU generated (tests/host/dt_qemu_trees.sh) against the QEMU command line that made
 * it (CPUs, memory per node, NUMA map and distances).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libfdt.h>
#include <pcpurt/dt.h>
#include "dt_walk_test.h"

/* ---- QEMU trees ---------------------------------------------------------------------- */

static int parse_range(const char *s, int *lo, int *hi)
{
	char *end;

	*lo = strtol(s, &end, 10);
	*hi = *lo;
	if (*end == '-')
		*hi = strtol(end + 1, &end, 10);
	return *end == ',' || *end == '\0' ? (int)(end - s) : -1;
}

int qemu_check(int argc, char **argv)
{
	static int cpu_node[DT_MAX_CPUS];
	static int given[MAX_NUMNODES][MAX_NUMNODES];
	static uint8_t want[MAX_NUMNODES * MAX_NUMNODES];
	const char *arch, *nodes, *dists, *p;
	bool riscv;
	int ncpus, nr_nodes = 0, i, a, b;
	uint64_t mem_mb, node_mem[MAX_NUMNODES] = { 0 }, total = 0;
	size_t size;
	void *fdt;

	if (argc != 8) {
		fprintf(stderr, "usage: %s --qemu ARCH FILE NCPUS MEM_MB NODES DISTS\n", argv[0]);
		return 2;
	}
	arch = argv[2];
	cur = argv[3];
	ncpus = atoi(argv[4]);
	mem_mb = strtoull(argv[5], NULL, 0);
	nodes = argv[6];
	dists = argv[7];
	riscv = !strcmp(arch, "riscv64");
	if (ncpus <= 0 || ncpus > DT_MAX_CPUS || (!riscv && strcmp(arch, "arm64"))) {
		fprintf(stderr, "bad arguments\n");
		return 2;
	}

	for (i = 0; i < ncpus; i++)
		cpu_node[i] = DT_NO_NODE;
	if (strcmp(nodes, "-")) {
		for (p = nodes; *p; nr_nodes++) {
			int lo, hi, n = parse_range(p, &lo, &hi);

			if (n < 0 || lo < 0 || hi >= ncpus || nr_nodes == MAX_NUMNODES) {
				fprintf(stderr, "bad NODES '%s'\n", nodes);
				return 2;
			}
			for (i = lo; i <= hi; i++)
				cpu_node[i] = nr_nodes;
			p += n + (p[n] == ',');
		}
	}
	memset(given, 0, sizeof(given));
	if (strcmp(dists, "-")) {
		for (p = dists; *p;) {
			int v, n;

			if (sscanf(p, "%d:%d:%d%n", &a, &b, &v, &n) != 3 || a < 0 || b < 0 ||
			    a >= MAX_NUMNODES || b >= MAX_NUMNODES) {
				fprintf(stderr, "bad DISTS '%s'\n", dists);
				return 2;
			}
			given[a][b] = v;
			p += n + (p[n] == ',');
		}
	}
	/* QEMU completes a pair given one way with the same value the other way */
	for (a = 0; a < (nr_nodes ? nr_nodes : 1); a++)
		for (b = 0; b < (nr_nodes ? nr_nodes : 1); b++)
			want[a * (nr_nodes ? nr_nodes : 1) + b] =
				given[a][b] ? given[a][b] : given[b][a] ? given[b][a] :
				a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;

	fdt = load(cur, &size);
	if (!fdt) {
		fprintf(stderr, "%s: %s\n", cur, strerror(errno));
		return 1;
	}
	expect_int("dt_check", dt_check(fdt, size), 0);
	if (nr_failed)
		return 1;
	expect_int("dt_parse", dt_parse(fdt, &info), 0);

	expect_int("nr_cpus", info.nr_cpus, ncpus);
	expect_int("nr_cpus_dropped", info.nr_cpus_dropped, 0);
	for (i = 0; i < info.nr_cpus && i < ncpus; i++) {
		const struct dt_cpu *c = &info.cpus[i];
		/* virt: hart n has id n; arm64 MPIDR Aff0 = n % 16, Aff1 = n / 16 with GICv3
		 * (with GICv2 clusters have 8 CPUs, but GICv2 means at most 8 CPUs) */
		uint64_t hwid = riscv ? (uint64_t)i : (uint64_t)(i / 16) << 8 | (i % 16);
		char what[48];

		snprintf(what, sizeof(what), "cpu[%d].hwid", i);
		expect_u64(what, c->hwid, hwid);
		/* QEMU's arm64 virt leaves enable-method out when there is only one CPU */
		snprintf(what, sizeof(what), "cpu[%d].enable_method", i);
		expect_int(what, c->enable_method,
			   riscv ? DT_EN_SBI_HSM : ncpus > 1 ? DT_EN_PSCI : DT_EN_NONE);
		snprintf(what, sizeof(what), "cpu[%d].node", i);
		expect_int(what, c->node, cpu_node[i]);
		snprintf(what, sizeof(what), "cpu[%d].okay", i);
		expect_int(what, c->okay, true);
		if (riscv) {
			snprintf(what, sizeof(what), "cpu[%d].has_mmu", i);
			expect_int(what, c->has_mmu, true);
			nr_checks++;
			if (!c->isa || strncmp(c->isa, "rv64", 4))
				fail("cpu[%d].isa = %s, expected rv64...", i, c->isa);
		}
		if (nr_failed > 20)
			return 1;
	}

	/* memory: the -m size in all; with NUMA MEM_MB / nodes in each node */
	for (i = 0; i < info.nr_mem; i++) {
		int n = info.mem[i].node;

		total += info.mem[i].size;
		nr_checks++;
		if (nr_nodes ? n < 0 || n >= nr_nodes : n != DT_NO_NODE)
			fail("mem[%d].node = %d", i, n);
		else if (n >= 0)
			node_mem[n] += info.mem[i].size;
	}
	expect_u64("memory size", total, mem_mb << 20);
	for (i = 0; i < nr_nodes; i++) {
		char what[32];

		snprintf(what, sizeof(what), "node %d memory", i);
		expect_u64(what, node_mem[i], (mem_mb << 20) / nr_nodes);
	}

	expect_int("nr_nodes", info.nr_nodes, nr_nodes ? nr_nodes : 1);
	expect_int("distance_map", info.distance_map, strcmp(dists, "-") != 0);
	expect_int("distance_map_bad", info.distance_map_bad, false);
	check_distances(nr_nodes ? nr_nodes : 1, want);

	expect_int("uart.found", info.uart.found, true);
	expect_str("uart.compat", info.uart.compat, riscv ? "ns16550a" : "arm,pl011");
	expect_u64("uart.base", info.uart.base, riscv ? 0x10000000 : 0x09000000);
	if (riscv) {
		expect_str("model", info.model, "riscv-virtio,qemu");
		expect_int("psci", info.psci, false);
		expect_int("test_finisher", info.test_finisher, true);
		expect_u64("test_finisher_base", info.test_finisher_base, 0x100000);
		expect_u64("timebase_freq", info.timebase_freq, 10000000);
	} else {
		expect_str("model", info.model, "linux,dummy-virt");
		expect_int("psci", info.psci, true);
		expect_int("psci_conduit", info.psci_conduit, DT_PSCI_HVC);
		expect_int("psci_v02", info.psci_v02, true);
		expect_int("test_finisher", info.test_finisher, false);
	}
	printf("%s %s: %s %d CPUs, %d node%s, %llu MiB, %d checks\n", nr_failed ? "FAIL" : "ok  ",
	       cur, arch, info.nr_cpus, info.nr_nodes, info.nr_nodes == 1 ? "" : "s",
	       (unsigned long long)(total >> 20), nr_checks);
	free(fdt);
	return nr_failed ? 1 : 0;
}
