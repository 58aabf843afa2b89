/*
 * dt_walk_trees.c - what the device-tree walk must find in each tree dt_walk_test reads:
 * every board tree of ../shared/dtb and every hand-written tree of tests/host/data (the
 * shape of a row is in dt_walk_test.h). The board expectations were worked out by hand from
 * `dtc -I dtb -O dts` of each tree, not by running the walk.
 */
#include <pcpurt/compiler.h>
#include "dt_walk_test.h"

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

const struct exp_tree trees[] = {
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

const size_t nr_trees = ARRAY_SIZE(trees);
