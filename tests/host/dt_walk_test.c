/*
 * dt_walk_test.c - host test of the device-tree walk (drivers/of/dt*.c and lib/fdt_check.c).
 *
 * Without arguments: runs dt_check() and dt_parse() on every board tree in ../shared/dtb
 * (PCPURT_DTB_DIR overrides the folder) and on the hand-written trees of tests/host/data
 * (compiled by dtc into build/host/dt/), and compares what the walk found with the tables
 * below. The board expectations were worked out by hand from `dtc -I dtb -O dts` of each
 * tree, not by running the walk. Then it breaks each tree in memory (truncated, a
 * property name offset past the strings block, ...) and checks that dt_check() rejects
 * every broken copy, and once that dt_check() reads nothing past a buffer shorter than a
 * header.
 * PCPURT_DT_SYNTH_DIR overrides build/host/dt; PCPURT_TEST_VERBOSE=1 shows more.
 *
 * With --qemu it checks one tree that QEMU generated (tests/host/dt_qemu_trees.sh) against
 * the QEMU command line that made it:
 *   dt_walk_test --qemu arm64|riscv64 FILE NCPUS MEM_MB NODES DISTS
 * NODES is "-" (no NUMA) or the CPU ranges of nodes 0, 1, ... ("0-1,2-3"), each node with
 * MEM_MB / nodes of memory; DISTS is "-" or the -numa dist triples "src:dst:val,...".
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libfdt.h>
#include <pcpurt/dt.h>

#ifndef DT_REPO_DIR
#define DT_REPO_DIR "."
#endif
#ifndef DT_SHARED_DIR
#define DT_SHARED_DIR "../shared/dtb"
#endif
#ifndef DT_SYNTH_DIR
#define DT_SYNTH_DIR "build/host/dt"
#endif

static struct dt_info info;
static const char *cur;		/* tree being checked, for messages */
static int nr_checks, nr_failed;
static bool verbose;		/* PCPURT_TEST_VERBOSE set: also show what passed */

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	nr_failed++;
	printf("FAIL %s: ", cur);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void expect_u64(const char *what, uint64_t got, uint64_t want)
{
	nr_checks++;
	if (got != want)
		fail("%s = %#llx, expected %#llx", what, (unsigned long long)got,
		     (unsigned long long)want);
}

static void expect_int(const char *what, long long got, long long want)
{
	nr_checks++;
	if (got != want)
		fail("%s = %lld, expected %lld", what, got, want);
}

/* @want NULL: the walk must have found nothing. */
static void expect_str(const char *what, const char *got, const char *want)
{
	nr_checks++;
	if (!want && got)
		fail("%s = \"%s\", expected none", what, got);
	else if (want && !got)
		fail("%s missing, expected \"%s\"", what, want);
	else if (want && strcmp(got, want))
		fail("%s = \"%s\", expected \"%s\"", what, got, want);
}

static void *load(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc(n);	/* malloc's alignment satisfies libfdt's 8 bytes */
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = n;
	return buf;
}

/* ---- expectations ------------------------------------------------------------------- */

struct exp_cpu {
	uint64_t hwid;
	int node;
	uint8_t method;		/* enum dt_enable_method */
	bool okay;
	bool has_rel;
	uint64_t rel;		/* cpu-release-addr */
	const char *isa;
	const char *mmu;
	bool has_mmu;
};

#define NONODE DT_NO_NODE
#define SPIN(id, rel)	{ id, NONODE, DT_EN_SPIN_TABLE, true, true, rel, NULL, NULL, false }
#define PSCI(id, node)	{ id, node, DT_EN_PSCI, true, false, 0, NULL, NULL, false }
#define HART(id, ok, isa, mmu, has_mmu) \
			{ id, NONODE, DT_EN_SBI_HSM, ok, false, 0, isa, mmu, has_mmu }

struct exp_mem {
	uint64_t base, size;
	int node;
};

struct exp_resv {
	uint64_t base, size;
	uint8_t kind;		/* enum dt_resv_kind */
	bool nomap;
};

enum { MAP_NONE, MAP_OK, MAP_BAD };

struct exp_tree {
	const char *file;
	bool synth;		/* in DT_SYNTH_DIR, else in the shared folder */
	const char *model;
	const char *compatible;	/* first string of the root's compatible */
	int nr_cpus;
	const struct exp_cpu *cpus;
	int nr_mem;
	const struct exp_mem *mem;
	int nr_resv;		/* the entries before the walk's own DTB entry */
	const struct exp_resv *resv;
	const char *bootargs;
	const char *stdout_path;
	const char *uart_compat;/* first compatible string of the console; NULL: none found */
	const char *uart_compat2; /* second one, when the test cares */
	uint64_t uart_base;
	const char *uart_source; /* how it was chosen; NULL: "stdout-path" */
	uint32_t reg_shift, reg_io_width, uart_clock;
	uint8_t psci;		/* enum dt_psci_conduit; DT_PSCI_NONE: no usable PSCI node */
	bool psci_v02;
	uint32_t psci_cpu_on;
	int nr_nodes;
	const uint8_t *dist;	/* nr_nodes x nr_nodes; NULL: the defaults (10 / 20) */
	uint8_t map;		/* MAP_* */
	bool numa_off;		/* a map Linux rejects: one node faked */
	const int8_t *mem_node;	/* [nr_nodes]: dt_nearest_mem_node(); NULL: not checked */
	const uint8_t *status;	/* [nr_cpus]: enum dt_cpu_status; NULL: from okay */
	uint32_t timebase;
	uint64_t finisher;	/* test finisher base; 0: none */
};

/*
 * Raspberry Pi 3 B and 4 B: four cores, MPIDR 0..3, started by the firmware's spin-table:
 * cpu-release-addr <0x0 0xd8>, <0x0 0xe0>, <0x0 0xe8>, <0x0 0xf0>. No numa-node-id.
 */
static const struct exp_cpu rpi_cpus[] = {
	SPIN(0, 0xd8), SPIN(1, 0xe0), SPIN(2, 0xe8), SPIN(3, 0xf0),
};
/* Both trees: /memreserve/ 0x0 0x1000 (the spin-table page). */
static const struct exp_resv rpi_resv[] = { { 0, 0x1000, DT_RESV_MEMRESERVE, false } };
/* Pi 3: memory@0 reg = <0x0 0x40000000> (#address-cells 1, #size-cells 1). */
static const struct exp_mem rpi3_mem[] = { { 0, 0x40000000, NONODE } };

/*
 * Hip07 D05: 64 Cortex-A72 in 4 nodes of 4 clusters of 4 cores, all psci. reg is the MPIDR:
 * Aff2 = 0x01, 0x03, 0x05, 0x07 for nodes 0..3, Aff1 = cluster 0..3, Aff0 = core 0..3.
 */
#define D05_CLUSTER(aff2, aff1, node) \
	PSCI((aff2) << 16 | (aff1) << 8 | 0, node), PSCI((aff2) << 16 | (aff1) << 8 | 1, node), \
	PSCI((aff2) << 16 | (aff1) << 8 | 2, node), PSCI((aff2) << 16 | (aff1) << 8 | 3, node)
static const struct exp_cpu d05_cpus[] = {
	D05_CLUSTER(1, 0, 0), D05_CLUSTER(1, 1, 0), D05_CLUSTER(1, 2, 0), D05_CLUSTER(1, 3, 0),
	D05_CLUSTER(3, 0, 1), D05_CLUSTER(3, 1, 1), D05_CLUSTER(3, 2, 1), D05_CLUSTER(3, 3, 1),
	D05_CLUSTER(5, 0, 2), D05_CLUSTER(5, 1, 2), D05_CLUSTER(5, 2, 2), D05_CLUSTER(5, 3, 2),
	D05_CLUSTER(7, 0, 3), D05_CLUSTER(7, 1, 3), D05_CLUSTER(7, 2, 3), D05_CLUSTER(7, 3, 3),
};
/* memory@0 reg = <0x0 0x0 0x0 0x40000000>, numa-node-id 0 (firmware adds the rest). */
static const struct exp_mem d05_mem[] = { { 0, 0x40000000, 0 } };
/* /distance-map: all 16 pairs given. */
static const uint8_t d05_dist[] = {
	10, 15, 20, 25,
	15, 10, 25, 30,
	20, 25, 10, 15,
	25, 30, 15, 10,
};

/*
 * HiFive Unmatched (FU740): hart 0 is the S7 monitor core, rv64imac, no mmu-type, status
 * "disabled"; harts 1-4 are U74, rv64imafdc, riscv,sv39. No enable-method: SBI HSM.
 */
static const struct exp_cpu unmatched_cpus[] = {
	HART(0, false, "rv64imac", NULL, false),
	HART(1, true, "rv64imafdc", "riscv,sv39", true),
	HART(2, true, "rv64imafdc", "riscv,sv39", true),
	HART(3, true, "rv64imafdc", "riscv,sv39", true),
	HART(4, true, "rv64imafdc", "riscv,sv39", true),
};
/* memory@80000000 reg = <0x0 0x80000000 0x4 0x0>: 16 GiB. */
static const struct exp_mem unmatched_mem[] = { { 0x80000000, 0x400000000ULL, NONODE } };

/* BeagleV Starlight (JH7100): two U74 harts, rv64imafdc, sv39. */
static const struct exp_cpu jh7100_cpus[] = {
	HART(0, true, "rv64imafdc", "riscv,sv39", true),
	HART(1, true, "rv64imafdc", "riscv,sv39", true),
};
/* memory@80000000 reg = <0x0 0x80000000 0x2 0x0>: 8 GiB. */
static const struct exp_mem jh7100_mem[] = { { 0x80000000, 0x200000000ULL, NONODE } };

/* ---- hand-written trees (tests/host/data) ---------------------------------------------- */

/* dt-numa-*.dts: one psci CPU in each of nodes 0..3, memory in node 0. */
static const struct exp_cpu numa_cpus[] = { PSCI(0, 0), PSCI(1, 1), PSCI(2, 2), PSCI(3, 3) };
static const struct exp_mem numa_mem[] = { { 0x40000000, 0x10000000, 0 } };
/* the same four CPUs once NUMA is given up: every one on node 0 */
static const struct exp_cpu numa_off_cpus[] = { PSCI(0, 0), PSCI(1, 0), PSCI(2, 0), PSCI(3, 0) };
/* dt-numa-memless.dts: five nodes, memory in nodes 1 and 3 (see the table in the .dts) */
static const struct exp_cpu memless_cpus[] = {
	PSCI(0, 0), PSCI(1, 1), PSCI(2, 2), PSCI(3, 3), PSCI(4, 4),
};
static const struct exp_mem memless_mem[] = {
	{ 0x40000000, 0x10000000, 1 }, { 0x80000000, 0x10000000, 3 },
};
static const uint8_t memless_dist[] = {
	10, 30, 20, 20, 20,
	30, 10, 25, 20, 40,
	20, 25, 10, 25, 20,
	20, 20, 25, 10, 15,
	20, 40, 20, 15, 10,
};
static const int8_t memless_mem_node[] = { 3, 1, 1, 3, 3 };
/* every tree whose only memory is in node 0 */
static const int8_t numa_mem_node[] = { 0, 0, 0, 0, 0, 0 };
/* dt-cpus-status.dts: absent, okay, disabled, fail, fail-sss, reserved, ok */
static const struct exp_cpu status_cpus[] = {
	PSCI(0, NONODE), PSCI(1, NONODE),
	{ 0x2, NONODE, DT_EN_PSCI, false, false, 0, NULL, NULL, false },
	{ 0x3, NONODE, DT_EN_PSCI, false, false, 0, NULL, NULL, false },
	{ 0x4, NONODE, DT_EN_PSCI, false, false, 0, NULL, NULL, false },
	{ 0x5, NONODE, DT_EN_PSCI, false, false, 0, NULL, NULL, false },
	PSCI(6, NONODE),
};
static const uint8_t status_status[] = {
	DT_CPU_OKAY, DT_CPU_OKAY, DT_CPU_DISABLED, DT_CPU_FAIL, DT_CPU_FAIL, DT_CPU_OTHER,
	DT_CPU_OKAY,
};
static const struct exp_mem status_mem[] = { { 0x40000000, 0x10000000, NONODE } };
/* dt-cpus.dts: okay, disabled, okay x4 ("ok" among them), fail */
static const uint8_t cpus_status[] = {
	DT_CPU_OKAY, DT_CPU_DISABLED, DT_CPU_OKAY, DT_CPU_OKAY, DT_CPU_OKAY, DT_CPU_OKAY,
	DT_CPU_FAIL,
};
/* dt-psci-firmware.dts: two psci CPUs without numa-node-id. */
static const struct exp_cpu psci_cpus[] = { PSCI(0, NONODE), PSCI(1, NONODE) };
/* dt-numa-partial.dts (see the table in the .dts): nodes 0..5. */
static const uint8_t partial_dist[] = {
	10, 30, 25, 45, 20, 20,
	30, 10, 40, 20, 20, 20,
	35, 40, 10, 20, 20, 20,
	50, 20, 20, 10, 20, 20,
	20, 20, 20, 20, 10, 60,
	20, 20, 20, 20, 60, 10,
};

/* dt-cpus.dts, in tree order (cpu-map and l2-cache0 are not CPUs). */
static const struct exp_cpu cpus_cpus[] = {
	/* cpu@0: psci, "okay", node 1 */
	{ 0x0, 1, DT_EN_PSCI, true, false, 0, NULL, NULL, false },
	/* cpu@1: psci, "disabled" */
	{ 0x1, NONODE, DT_EN_PSCI, false, false, 0, NULL, NULL, false },
	/* cpu@100: spin-table, 64-bit release address */
	{ 0x100, NONODE, DT_EN_SPIN_TABLE, true, true, 0x8000fff8, NULL, NULL, false },
	/* cpu@101: spin-table without cpu-release-addr */
	{ 0x101, NONODE, DT_EN_SPIN_TABLE, true, false, 0, NULL, NULL, false },
	/* cpu@102: spin-table, one-cell release address */
	{ 0x102, NONODE, DT_EN_SPIN_TABLE, true, true, 0xe0, NULL, NULL, false },
	/* cpu@180000103: reg <0x1 0x80000103>: Aff3 = 1, bit 31 is not affinity; "ok" */
	{ 0x100000103ULL, NONODE, DT_EN_NONE, true, false, 0, NULL, NULL, false },
	/* cpu@200: "acme,smp", status "fail", numa-node-id 70 is out of range */
	{ 0x200, NONODE, DT_EN_OTHER, false, false, 0, NULL, NULL, false },
};
static const struct exp_mem cpus_mem[] = { { 0x40000000, 0x8000000, NONODE } };

/* dt-resv.dts */
static const struct exp_mem resv_mem[] = {
	{ 0x40000000, 0x20000000, 0 },
	{ 0x100000000ULL, 0x40000000, 0 },
	{ 0x300000000ULL, 0x1000000, 1 },
};
static const struct exp_resv resv_resv[] = {
	{ 0x1000, 0x2000, DT_RESV_MEMRESERVE, false },
	{ 0x80000000, 0x100000, DT_RESV_MEMRESERVE, false },
	{ 0x48000000, 0x200000, DT_RESV_NODE, true },
	{ 0x49000000, 0x10000, DT_RESV_NODE, false },
	{ 0x4a000000, 0x20000, DT_RESV_NODE, false },
};

/* dt-dw-uart.dts */
static const struct exp_cpu dw_cpus[] = {
	HART(0, true, "rv64imac", "riscv,none", false),
	HART(1, true, "rv64imafdc_zicsr", "riscv,sv39", true),
	HART(3, true, "rv64imafdc", "riscv,sv57", true),
};
static const struct exp_mem dw_mem[] = { { 0x80000000, 0x40000000, NONODE } };

static const struct exp_tree trees[] = {
	{
		.file = "bcm2837-rpi-3-b.dtb",
		.model = "Raspberry Pi 3 Model B",
		.compatible = "raspberrypi,3-model-b",
		.nr_cpus = 4, .cpus = rpi_cpus,
		.nr_mem = 1, .mem = rpi3_mem,
		/* /reserved-memory/linux,cma has only a size: nothing fixed */
		.nr_resv = 1, .resv = rpi_resv,
		/* serial1 = /soc/serial@7e215040, the mini UART; /soc ranges map bus
		 * 0x7e000000 to 0x3f000000 */
		.stdout_path = "serial1:115200n8",
		.uart_compat = "brcm,bcm2835-aux-uart", .uart_base = 0x3f215040,
		.nr_nodes = 1,
	},
	{
		.file = "bcm2711-rpi-4-b.dtb",
		.model = "Raspberry Pi 4 Model B",
		.compatible = "raspberrypi,4-model-b",
		.nr_cpus = 4, .cpus = rpi_cpus,
		/* memory@0 reg = <0x0 0x0 0x0>: size 0, the firmware fills it in */
		.nr_mem = 0,
		/* nvram@0 is disabled, linux,cma has only a size */
		.nr_resv = 1, .resv = rpi_resv,
		/* /soc ranges <0x7e000000 0x0 0xfe000000 0x1800000 ...> */
		.stdout_path = "serial1:115200n8",
		.uart_compat = "brcm,bcm2835-aux-uart", .uart_base = 0xfe215040,
		.nr_nodes = 1,
	},
	{
		.file = "hip07-d05.dtb",
		.model = "Hisilicon Hip07 D05 Development Board",
		.compatible = "hisilicon,hip07-d05",
		.nr_cpus = 64, .cpus = d05_cpus,
		.nr_mem = 1, .mem = d05_mem,
		/* serial0 = /soc/uart@602b0000, /soc has empty ranges; reg-io-width 4 */
		.stdout_path = "serial0:115200n8",
		.uart_compat = "arm,sbsa-uart", .uart_base = 0x602b0000, .reg_io_width = 4,
		/* psci { compatible = "arm,psci-0.2"; method = "smc"; } */
		.psci = DT_PSCI_SMC, .psci_v02 = true,
		.nr_nodes = 4, .dist = d05_dist, .map = MAP_OK,
	},
	{
		.file = "hifive-unmatched-a00.dtb",
		.model = "SiFive HiFive Unmatched A00",
		.compatible = "sifive,hifive-unmatched-a00",
		.nr_cpus = 5, .cpus = unmatched_cpus,
		.nr_mem = 1, .mem = unmatched_mem,
		/* serial0 = /soc/serial@10010000, no options */
		.stdout_path = "serial0",
		.uart_compat = "sifive,fu740-c000-uart", .uart_compat2 = "sifive,uart0",
		.uart_base = 0x10010000,
		.nr_nodes = 1,
		.timebase = 1000000,	/* 0xf4240 */
	},
	{
		.file = "jh7100-beaglev-starlight.dtb",
		.model = "BeagleV Starlight Beta",
		.compatible = "beagle,beaglev-starlight-jh7100-r0",
		.nr_cpus = 2, .cpus = jh7100_cpus,
		.nr_mem = 1, .mem = jh7100_mem,
		/* serial0 = /soc/serial@12440000: DesignWare, reg-shift 2, reg-io-width 4 */
		.stdout_path = "serial0:115200n8",
		.uart_compat = "starfive,jh7100-uart", .uart_compat2 = "snps,dw-apb-uart",
		.uart_base = 0x12440000, .reg_shift = 2, .reg_io_width = 4,
		.nr_nodes = 1,
		.timebase = 6250000,	/* 0x5f5e10 */
	},

	/*
	 * Distance maps Linux rejects: NUMA given up, one node faked (every CPU and memory
	 * range on node 0, default distances).
	 */
	{ .file = "dt-numa-bad-self.dtb", .synth = true, .model = "pcpurt test: numa",
	  .nr_cpus = 4, .cpus = numa_off_cpus, .nr_mem = 1, .mem = numa_mem,
	  .nr_nodes = 1, .map = MAP_BAD, .numa_off = true, .mem_node = numa_mem_node },
	{ .file = "dt-numa-bad-remote.dtb", .synth = true, .model = "pcpurt test: numa",
	  .nr_cpus = 4, .cpus = numa_off_cpus, .nr_mem = 1, .mem = numa_mem,
	  .nr_nodes = 1, .map = MAP_BAD, .numa_off = true, .mem_node = numa_mem_node },
	{ .file = "dt-numa-bad-nomatrix.dtb", .synth = true, .model = "pcpurt test: numa",
	  .nr_cpus = 4, .cpus = numa_off_cpus, .nr_mem = 1, .mem = numa_mem,
	  .nr_nodes = 1, .map = MAP_BAD, .numa_off = true },
	{ .file = "dt-numa-bad-cells.dtb", .synth = true, .model = "pcpurt test: numa",
	  .nr_cpus = 4, .cpus = numa_off_cpus, .nr_mem = 1, .mem = numa_mem,
	  .nr_nodes = 1, .map = MAP_BAD, .numa_off = true },
	/*
	 * Maps Linux takes (ignoring the entry or the tail) but pcpurt refuses: ignored whole,
	 * every distance keeps its default, the nodes stay; nodes 1-3 have no memory and all
	 * take node 0's.
	 */
	{ .file = "dt-numa-bad-id.dtb", .synth = true, .model = "pcpurt test: numa",
	  .nr_cpus = 4, .cpus = numa_cpus, .nr_mem = 1, .mem = numa_mem,
	  .nr_nodes = 4, .map = MAP_BAD, .mem_node = numa_mem_node },
	{ .file = "dt-numa-bad-byte.dtb", .synth = true, .model = "pcpurt test: numa",
	  .nr_cpus = 4, .cpus = numa_cpus, .nr_mem = 1, .mem = numa_mem,
	  .nr_nodes = 4, .map = MAP_BAD },
	{ .file = "dt-numa-bad-trailing.dtb", .synth = true, .model = "pcpurt test: numa",
	  .nr_cpus = 4, .cpus = numa_cpus, .nr_mem = 1, .mem = numa_mem,
	  .nr_nodes = 4, .map = MAP_BAD, },
	/* Nodes without memory: the nearest node with memory, the lower on a tie. */
	{ .file = "dt-numa-memless.dtb", .synth = true, .model = "pcpurt test: numa memless",
	  .nr_cpus = 5, .cpus = memless_cpus, .nr_mem = 2, .mem = memless_mem,
	  .nr_nodes = 5, .dist = memless_dist, .map = MAP_OK, .mem_node = memless_mem_node },
	/* One CPU for each kind of status. */
	{ .file = "dt-cpus-status.dtb", .synth = true, .model = "pcpurt test: cpu status",
	  .nr_cpus = 7, .cpus = status_cpus, .status = status_status, .nr_mem = 1,
	  .mem = status_mem, .psci = DT_PSCI_SMC, .psci_v02 = true, .nr_nodes = 1 },
	/* A valid map with one-way, two-way and missing pairs. */
	{ .file = "dt-numa-partial.dtb", .synth = true, .model = "pcpurt test: numa",
	  .nr_cpus = 4, .cpus = numa_cpus, .nr_mem = 1, .mem = numa_mem,
	  .nr_nodes = 6, .dist = partial_dist, .map = MAP_OK },
	{
		.file = "dt-cpus.dtb", .synth = true,
		.model = "pcpurt test: cpus", .compatible = "pcpurt,test-cpus",
		.nr_cpus = 7, .cpus = cpus_cpus, .status = cpus_status,
		.nr_mem = 1, .mem = cpus_mem,
		/* arm,psci (0.1): function ids from the node */
		.psci = DT_PSCI_HVC, .psci_v02 = false, .psci_cpu_on = 0x84000002,
		.nr_nodes = 2,	/* cpu@0 is in node 1 */
	},
	{
		.file = "dt-psci-firmware.dtb", .synth = true,
		.model = "pcpurt test: psci under /firmware",
		.nr_cpus = 2, .cpus = psci_cpus,
		.psci = DT_PSCI_SMC, .psci_v02 = true,
		.nr_nodes = 1,
	},
	{
		.file = "dt-resv.dtb", .synth = true, .model = "pcpurt test: reserved",
		.nr_mem = 3, .mem = resv_mem,
		.nr_resv = 5, .resv = resv_resv,
		.nr_nodes = 2,
	},
	{
		.file = "dt-chosen-alias.dtb", .synth = true,
		.model = "pcpurt test: chosen alias", .compatible = "pcpurt,test-chosen",
		.bootargs = "run=smoke,percpu",
		.stdout_path = "serial2:115200n8",
		.uart_compat = "ns16550a", .uart_base = 0x10201000, .uart_clock = 3686400,
		.nr_nodes = 1,
		.finisher = 0x10100000,
	},
	{
		.file = "dt-dw-uart.dtb", .synth = true, .model = "pcpurt test: dw uart",
		.nr_cpus = 3, .cpus = dw_cpus,
		.nr_mem = 1, .mem = dw_mem,
		.stdout_path = "/soc/serial@12440000",
		.uart_compat = "starfive,jh7100-uart", .uart_compat2 = "snps,dw-apb-uart",
		.uart_base = 0x12440000, .reg_shift = 2, .reg_io_width = 4,
		.uart_clock = 100000000,
		.nr_nodes = 1,
		.timebase = 10000000,
	},
	{
		.file = "dt-uart-noranges.dtb", .synth = true,
		.model = "pcpurt test: uart behind a bus without ranges",
		.stdout_path = "/bus@100000/serial@100:115200",	/* and no console */
		.nr_nodes = 1,
	},
	{
		.file = "dt-uart-disabled.dtb", .synth = true,
		.stdout_path = "serial0:115200n8",		/* and no console */
		.nr_nodes = 1,
	},
	{
		.file = "dt-uart-default.dtb", .synth = true,
		.bootargs = "run=dt",
		.uart_compat = "arm,pl011", .uart_compat2 = "arm,primecell",
		.uart_base = 0x9000000,
		.uart_source = "platform default of QEMU virt (arm64)",
		.nr_nodes = 1,
	},
	{
		.file = "dt-uart-alias-default.dtb", .synth = true,
		.uart_compat = "sifive,uart0", .uart_base = 0x10010000,
		.uart_source = "aliases/serial0",
		.nr_nodes = 1,
	},
	{
		.file = "dt-uart-linux-stdout.dtb", .synth = true,
		.stdout_path = "/pl011@9000000",
		.uart_compat = "arm,pl011", .uart_compat2 = "arm,primecell",
		.uart_base = 0x9000000, .uart_clock = 24000000,
		.nr_nodes = 1,
	},
};

/* ---- checking a parsed tree ----------------------------------------------------------- */

static void check_cpu(int i, const struct dt_cpu *c, const struct exp_cpu *e)
{
	char what[64];

#define WHAT(field) (snprintf(what, sizeof(what), "cpu[%d].%s", i, field), what)
	expect_u64(WHAT("hwid"), c->hwid, e->hwid);
	expect_int(WHAT("node"), c->node, e->node);
	nr_checks++;
	if (c->enable_method != e->method)
		fail("cpu[%d].enable_method = %s, expected %s", i,
		     dt_enable_method_name(c->enable_method), dt_enable_method_name(e->method));
	expect_int(WHAT("okay"), c->okay, e->okay);
	expect_int(WHAT("has_release_addr"), c->has_release_addr, e->has_rel);
	if (e->has_rel)
		expect_u64(WHAT("release_addr"), c->release_addr, e->rel);
	expect_str(WHAT("isa"), c->isa, e->isa);
	expect_str(WHAT("mmu_type"), c->mmu_type, e->mmu);
	expect_int(WHAT("has_mmu"), c->has_mmu, e->has_mmu);
#undef WHAT
}

/* The distance matrix, and dt_node_distance() agreeing with it. @want NULL: defaults. */
static void check_distances(int nr_nodes, const uint8_t *want)
{
	int a, b, bad = 0;

	for (a = 0; a < MAX_NUMNODES; a++) {
		for (b = 0; b < MAX_NUMNODES; b++) {
			int w = a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;

			if (want && a < nr_nodes && b < nr_nodes)
				w = want[a * nr_nodes + b];
			nr_checks++;
			if (info.distance[a][b] != w || dt_node_distance(&info, a, b) != w) {
				if (bad++ < 8)
					fail("distance[%d][%d] = %d (dt_node_distance %d), "
					     "expected %d", a, b, info.distance[a][b],
					     dt_node_distance(&info, a, b), w);
			}
		}
	}
	if (bad > 8)
		fail("... %d wrong distances in all", bad);
	/* no numa-node-id counts as node 0 */
	expect_int("dt_node_distance(-1, 0)", dt_node_distance(&info, DT_NO_NODE, 0),
		   info.distance[0][0]);
}

static void check_tree(const struct exp_tree *t, const void *fdt, size_t size)
{
	int i, err;

	err = dt_check(fdt, size);
	expect_int("dt_check", err, 0);
	if (err)
		return;
	expect_int("dt_check(bufsize 0)", dt_check(fdt, 0), 0);
	err = dt_parse(fdt, &info);
	expect_int("dt_parse", err, 0);
	if (err)
		return;

	expect_str("model", info.model, t->model);
	if (t->compatible)
		expect_str("compatible", info.compatible, t->compatible);

	expect_int("nr_cpus", info.nr_cpus, t->nr_cpus);
	expect_int("nr_cpus_dropped", info.nr_cpus_dropped, 0);
	for (i = 0; i < info.nr_cpus && i < t->nr_cpus; i++) {
		char what[32];

		check_cpu(i, &info.cpus[i], &t->cpus[i]);
		snprintf(what, sizeof(what), "cpu[%d].status", i);
		if (t->status)
			expect_int(what, info.cpus[i].status, t->status[i]);
		else	/* without a table: okay exactly when the status says so */
			expect_int(what, info.cpus[i].status == DT_CPU_OKAY, t->cpus[i].okay);
	}

	expect_int("nr_mem", info.nr_mem, t->nr_mem);
	for (i = 0; i < info.nr_mem && i < t->nr_mem; i++) {
		char what[32];

		snprintf(what, sizeof(what), "mem[%d].base", i);
		expect_u64(what, info.mem[i].base, t->mem[i].base);
		snprintf(what, sizeof(what), "mem[%d].size", i);
		expect_u64(what, info.mem[i].size, t->mem[i].size);
		snprintf(what, sizeof(what), "mem[%d].node", i);
		expect_int(what, info.mem[i].node, t->mem[i].node);
	}

	/* the tree's reserved ranges, then the DTB itself */
	expect_int("nr_resv", info.nr_resv, t->nr_resv + 1);
	expect_int("resv_overflow", info.resv_overflow, 0);
	for (i = 0; i < info.nr_resv && i < t->nr_resv; i++) {
		char what[32];

		snprintf(what, sizeof(what), "resv[%d].base", i);
		expect_u64(what, info.resv[i].base, t->resv[i].base);
		snprintf(what, sizeof(what), "resv[%d].size", i);
		expect_u64(what, info.resv[i].size, t->resv[i].size);
		snprintf(what, sizeof(what), "resv[%d].kind", i);
		expect_int(what, info.resv[i].kind, t->resv[i].kind);
		snprintf(what, sizeof(what), "resv[%d].nomap", i);
		expect_int(what, info.resv[i].nomap, t->resv[i].nomap);
	}
	if (info.nr_resv == t->nr_resv + 1) {
		const struct dt_resv_range *r = &info.resv[t->nr_resv];

		expect_int("DTB resv kind", r->kind, DT_RESV_DTB);
		expect_u64("DTB resv base", r->base, (uintptr_t)fdt);
		expect_u64("DTB resv size", r->size, fdt_totalsize(fdt));
	}

	expect_str("bootargs", info.bootargs, t->bootargs);
	expect_str("stdout_path", info.stdout_path, t->stdout_path);
	expect_int("uart.found", info.uart.found, t->uart_compat != NULL);
	if (t->uart_compat && info.uart.found) {
		const char *c = info.uart.compat;
		int l1 = strlen(t->uart_compat) + 1;

		expect_str("uart.compat", c, t->uart_compat);
		expect_str("uart.source", info.uart.source,
			   t->uart_source ? t->uart_source : "stdout-path");
		if (t->uart_compat2) {
			expect_int("uart.compat_len", info.uart.compat_len,
				   l1 + strlen(t->uart_compat2) + 1);
			if (info.uart.compat_len > l1)
				expect_str("uart.compat[1]", c + l1, t->uart_compat2);
		}
		expect_u64("uart.base", info.uart.base, t->uart_base);
		expect_int("uart.reg_shift", info.uart.reg_shift, t->reg_shift);
		expect_int("uart.reg_io_width", info.uart.reg_io_width, t->reg_io_width);
		expect_int("uart.clock", info.uart.clock, t->uart_clock);
		nr_checks++;
		if (info.uart.offset <= 0 ||
		    fdt_getprop(fdt, info.uart.offset, "compatible", NULL) != info.uart.compat)
			fail("uart.offset %d is not the console's node", info.uart.offset);
	}

	expect_int("psci", info.psci, t->psci != DT_PSCI_NONE);
	expect_int("psci_conduit", info.psci_conduit, t->psci);
	expect_int("psci_v02", info.psci_v02, t->psci_v02);
	expect_u64("psci_cpu_on", info.psci_cpu_on, t->psci_cpu_on);

	expect_int("nr_nodes", info.nr_nodes, t->nr_nodes);
	expect_int("distance_map", info.distance_map, t->map == MAP_OK);
	expect_int("distance_map_bad", info.distance_map_bad, t->map == MAP_BAD);
	expect_int("numa_off", info.numa_off, t->numa_off);
	check_distances(t->nr_nodes, t->dist);
	for (i = 0; t->mem_node && i < t->nr_nodes; i++) {
		char what[40];

		snprintf(what, sizeof(what), "dt_nearest_mem_node(%d)", i);
		expect_int(what, dt_nearest_mem_node(&info, i), t->mem_node[i]);
		snprintf(what, sizeof(what), "dt_node_has_memory(%d)", i);
		expect_int(what, dt_node_has_memory(&info, i), t->mem_node[i] == i);
	}

	expect_u64("timebase_freq", info.timebase_freq, t->timebase);
	expect_int("test_finisher", info.test_finisher, t->finisher != 0);
	expect_u64("test_finisher_base", info.test_finisher_base, t->finisher);
}

/* ---- broken trees --------------------------------------------------------------------- */

/* find_tag() - the structure-block offset of the first (with @last, the last) @tag, or -1 */
static int find_tag(const void *fdt, uint32_t tag, bool last)
{
	int off = 0, next, found = -1;
	uint32_t t;

	do {
		t = fdt_next_tag(fdt, off, &next);
		if (t == tag) {
			found = off;
			if (!last)
				break;
		}
		off = next;
	} while (t != FDT_END && next >= 0);
	return found;
}

static void set_struct_word(void *fdt, int off, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);

	memcpy((char *)fdt + fdt_off_dt_struct(fdt) + off, &be, 4);
}

static void set_header_word(void *fdt, int idx, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);

	memcpy((char *)fdt + 4 * idx, &be, 4);
}

/* dt_check() must reject @fdt (@size bytes); @what says how it was broken. */
static void expect_reject(const char *what, const void *fdt, size_t size)
{
	int err = dt_check(fdt, size);

	nr_checks++;
	if (err == 0)
		fail("broken tree accepted by dt_check: %s", what);
	else if (verbose)
		printf("  rejected (%s): %s\n", fdt_strerror(err), what);
}

static void on_alarm(int sig)
{
	static const char msg[] = "dt_walk_test: dt_parse_unchecked() ran 10 s: a hang\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(2);
}

/*
 * check_salvage() - dt_parse_unchecked() on a tree dt_check() refused (the boot's FATAL
 * path) ends (a 10 s alarm kills a hang), and when @same is set the console, PSCI and test
 * finisher it finds are those of the intact tree (@info, from check_tree()).
 */
static void check_salvage(const char *what, const void *fdt, bool same)
{
	static struct dt_info u;

	nr_checks++;
	signal(SIGALRM, on_alarm);
	alarm(10);
	dt_parse_unchecked(fdt, &u);
	alarm(0);
	if (!same)
		return;
	if (u.uart.found != info.uart.found || u.uart.base != info.uart.base ||
	    u.psci_conduit != info.psci_conduit || u.test_finisher != info.test_finisher ||
	    u.test_finisher_base != info.test_finisher_base ||
	    !u.bootargs != !info.bootargs)
		fail("salvage (%s): console %d 0x%llx psci %d finisher %d, intact tree: console "
		     "%d 0x%llx psci %d finisher %d", what, u.uart.found,
		     (unsigned long long)u.uart.base, u.psci_conduit, u.test_finisher,
		     info.uart.found, (unsigned long long)info.uart.base, info.psci_conduit,
		     info.test_finisher);
}

static void check_broken(const void *good, size_t size)
{
	size_t total = fdt_totalsize(good);
	char *b = malloc(total), *half;
	int off;

	/* a blob shorter than its header says */
	expect_reject("bufsize one byte short of totalsize", good, total - 1);
	half = malloc(total / 2);
	memcpy(half, good, total / 2);
	expect_reject("first half of the blob only", half, total / 2);
	expect_reject("header only", half, 40);
	expect_reject("no blob", NULL, 0);
	free(half);

	/* the last property's name offset just past the strings block, then far past it */
	memcpy(b, good, total);
	off = find_tag(b, FDT_PROP, true);
	set_struct_word(b, off + 8, fdt_size_dt_strings(b));
	expect_reject("last property's nameoff = size_dt_strings", b, total);
	set_struct_word(b, off + 8, 0xfffffff0);
	expect_reject("last property's nameoff = 0xfffffff0", b, total);
	check_salvage("last property's nameoff = 0xfffffff0", b, false);

	/* a length that wraps the walk around (libfdt's own walkers loop on it) */
	memcpy(b, good, total);
	set_struct_word(b, off + 4, 0xfffffff0);
	expect_reject("last property's length wraps the offset", b, total);
	check_salvage("last property's length wraps the offset", b, false);
	memcpy(b, good, total);
	set_struct_word(b, find_tag(b, FDT_PROP, false) + 4, 0xfffffff0);
	expect_reject("first property's length wraps the offset", b, total);
	check_salvage("first property's length wraps the offset", b, false);

	/* FDT_END turned into an unknown tag: all but /cpus is salvaged */
	memcpy(b, good, total);
	set_struct_word(b, find_tag(b, FDT_END, true), 0x7);
	expect_reject("FDT_END replaced by tag 7", b, total);
	check_salvage("FDT_END replaced by tag 7", b, true);

	/* a property whose length runs past the structure block */
	memcpy(b, good, total);
	set_struct_word(b, off + 4, fdt_size_dt_struct(b));
	expect_reject("last property's length past the structure block", b, total);

	/* the root never closed: its FDT_END_NODE turned into FDT_NOP */
	memcpy(b, good, total);
	set_struct_word(b, find_tag(b, FDT_END_NODE, true), FDT_NOP);
	expect_reject("root node not closed", b, total);

	/* an unknown tag */
	memcpy(b, good, total);
	set_struct_word(b, off, 0x7);
	expect_reject("unknown tag 7", b, total);

	/* header fields */
	memcpy(b, good, total);
	set_header_word(b, 0, 0xd00dfeee);
	expect_reject("bad magic", b, total);
	memcpy(b, good, total);
	set_header_word(b, 1, total + 8);
	expect_reject("totalsize larger than the buffer", b, total);
	memcpy(b, good, total);
	set_header_word(b, 9, fdt_size_dt_struct(good) - 8);
	expect_reject("size_dt_struct 8 bytes short (FDT_END cut)", b, total);
	memcpy(b, good, total);
	set_header_word(b, 4, total);
	expect_reject("memory reservation block at the end of the blob", b, total);

	/* and the untouched copy still passes */
	memcpy(b, good, total);
	expect_int("dt_check(intact copy)", dt_check(b, size), 0);
	free(b);
}

/*
 * Checks made once, on the first tree: a buffer shorter than the header its version field
 * describes, and a root node with a name. Each short buffer sits right before an
 * inaccessible page, and dt_check() runs in a child process: a read past the header
 * (even inside the uninstrumented libfdt.so) kills the child instead of going unnoticed.
 */
static void check_once(const void *good)
{
	long page = sysconf(_SC_PAGESIZE);
	char *area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	size_t total = fdt_totalsize(good), n;
	char *b;

	nr_checks++;
	if (area == MAP_FAILED || mprotect(area + page, page, PROT_NONE)) {
		fail("mmap: %s", strerror(errno));
		return;
	}
	/*
	 * libfdt wants 8-byte aligned trees: the buffer starts 32 bytes before the guard page,
	 * so reading header bytes 32..39 (size_dt_strings, size_dt_struct) faults.
	 */
	for (n = FDT_V1_SIZE; n <= 32; n += 4) {
		char *p = area + page - 32;
		pid_t pid;
		int st;

		memcpy(p, good, n);	/* a version 17 header: 40 bytes */
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			/* the sanitizer's report would only repeat what fuzz_fdt_check says */
			if (!verbose && !freopen("/dev/null", "w", stderr))
				_exit(5);
			_exit(dt_check(p, n) ? 3 : 4);
		}
		nr_checks++;
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			fail("fork: %s", strerror(errno));
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 4)
			fail("dt_check() accepted the first %zu bytes of a tree", n);
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 3)
			fail("dt_check() on the first %zu bytes of a tree (a version 17 header "
			     "is 40) read past the buffer and crashed (%s %d)", n,
			     WIFSIGNALED(st) ? "signal" : "exit status",
			     WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
	munmap(area, 2 * page);

	/* the root node's name is the empty string: "ab" instead (libfdt rejects it) */
	b = malloc(total);
	memcpy(b, good, total);
	memcpy(b + fdt_off_dt_struct(b) + 4, "ab", 3);
	expect_reject("root node named \"ab\"", b, total);
	free(b);
}

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

static int qemu_check(int argc, char **argv)
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

int main(int argc, char **argv)
{
	const char *shared = getenv("PCPURT_DTB_DIR");
	const char *synth = getenv("PCPURT_DT_SYNTH_DIR");
	static char recap[4096];
	void *keep = NULL;	/* the first tree, for check_once() */
	size_t i, r = 0;

	verbose = getenv("PCPURT_TEST_VERBOSE") != NULL;
	if (argc > 1 && !strcmp(argv[1], "--qemu"))
		return qemu_check(argc, argv);
	if (!shared || !*shared)
		shared = DT_SHARED_DIR;
	if (!synth || !*synth)
		synth = DT_SYNTH_DIR;

	for (i = 0; i < ARRAY_SIZE(trees); i++) {
		const struct exp_tree *t = &trees[i];
		char path[4096];
		int before = nr_failed, checks = nr_checks;
		size_t size;
		void *fdt;

		snprintf(path, sizeof(path), "%s/%s", t->synth ? synth : shared, t->file);
		cur = t->file;
		fdt = load(path, &size);
		nr_checks++;
		if (!fdt) {
			fail("cannot read %s: %s", path, strerror(errno));
		} else {
			check_tree(t, fdt, size);
			check_broken(fdt, size);
			printf("%s %s: %d CPUs, %d memory ranges, %d nodes, %d checks\n",
			       nr_failed > before ? "FAIL" : "ok  ", path, info.nr_cpus,
			       info.nr_mem, info.nr_nodes, nr_checks - checks);
			if (!keep)
				keep = fdt;
			else
				free(fdt);
		}
		if (nr_failed > before && r < sizeof(recap))
			r += snprintf(recap + r, sizeof(recap) - r, "failed: %s (%d checks)\n",
				      t->file, nr_failed - before);
	}
	if (keep) {
		int before = nr_failed;

		cur = "short buffers and root name";
		check_once(keep);
		printf("%s %s\n", nr_failed > before ? "FAIL" : "ok  ", cur);
		if (nr_failed > before && r < sizeof(recap))
			r += snprintf(recap + r, sizeof(recap) - r,
				      "failed: %s (%d checks): fdt_check_full must refuse a buffer "
				      "shorter than the header and a named root node\n", cur,
				      nr_failed - before);
		free(keep);
	}
	{
		/*
		 * Trees found by the differential fuzzer, which dt_check must refuse: a
		 * property length that wraps the walk's offset around (Debian's libfdt 1.6.1
		 * loops forever on it) and an FDT_NOP after the root node closed; and one
		 * fuzz_dt found in dt_salvage(): a property length of -1; and a 32-byte
		 * version 2 header, which libfdt's fdt_check_header() reads 4 bytes past.
		 */
		static const char *const bad[] = { "fdt-check-offset-wrap.bin",
						   "fdt-check-nop-after-root.bin",
						   "fdt-salvage-negative-len.bin",
						   "fdt-v2-header-32-bytes.bin" };
		char path[512];

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			size_t wsize;
			void *w;

			snprintf(path, sizeof(path), "%s/tests/host/data/%s", DT_REPO_DIR, bad[i]);
			w = load(path, &wsize);
			cur = bad[i];
			nr_checks++;
			if (!w)
				fail("cannot read the regression input");
			else if (dt_check(w, wsize) == 0)
				fail("dt_check accepted it");
			else if (wsize >= 40 && !fdt_check_header(w) && fdt_totalsize(w) <= wsize)
				check_salvage(bad[i], w, false);
			free(w);
		}
	}
	{
		/* every .dtb in the shared folder has expectations above: none is skipped */
		DIR *d = opendir(shared);
		struct dirent *de;
		size_t n;

		cur = shared;
		nr_checks++;
		if (!d)
			fail("cannot list %s: %s", shared, strerror(errno));
		while (d && (de = readdir(d))) {
			n = strlen(de->d_name);
			if (n < 5 || strcmp(de->d_name + n - 4, ".dtb"))
				continue;
			for (i = 0; i < ARRAY_SIZE(trees); i++)
				if (!trees[i].synth && !strcmp(trees[i].file, de->d_name))
					break;
			nr_checks++;
			if (i == ARRAY_SIZE(trees))
				fail("%s/%s has no expectations in dt_walk_test.c: add them", shared,
				     de->d_name);
		}
		if (d)
			closedir(d);
	}
	printf("%s", recap);
	printf("dt_walk_test: %zu trees, %d checks, %d failed\n", ARRAY_SIZE(trees), nr_checks,
	       nr_failed);
	return nr_failed ? 1 : 0;
}
