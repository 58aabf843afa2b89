/*
 * dt.h - the device tree turned into plain structs.
 *
 * drivers/of/dt*.c read the flattened tree through libfdt once, at boot, and fill one
 * struct dt_info. Everything after that (memory, SMP, NUMA, console, per-CPU layout,
 * host tools) reads these structs, never the tree. The same code builds on the host.
 */
#ifndef PCPURT_DT_H
#define PCPURT_DT_H

#include <pcpurt/compiler.h>

#define DT_MAX_MEM	  64	/* /memory ranges */
#define DT_MAX_RESV	  64	/* reserved ranges of all kinds */
#define DT_MAX_CPUS	  1024	/* cpu nodes read from the tree (NR_CPUS cuts later) */
#define MAX_NUMNODES	  64	/* NUMA node ids 0..63 */
#define LOCAL_DISTANCE	  10
#define REMOTE_DISTANCE	  20
#define DT_NO_NODE	  (-1)	/* "no numa-node-id" (treated as node 0 by NUMA code) */

enum dt_enable_method {
	DT_EN_NONE = 0,		/* no enable-method property */
	DT_EN_PSCI,		/* "psci" */
	DT_EN_SPIN_TABLE,	/* "spin-table" with cpu-release-addr */
	DT_EN_SBI_HSM,		/* RISC-V harts: started through SBI HSM */
	DT_EN_OTHER,		/* a method pcpurt does not know */
};

enum dt_psci_conduit { DT_PSCI_NONE = 0, DT_PSCI_HVC, DT_PSCI_SMC };

/* a cpu node's status property */
enum dt_cpu_status {
	DT_CPU_OKAY = 0,	/* absent, "okay" or "ok" */
	DT_CPU_DISABLED,	/* "disabled": quiescent, startable by its enable-method */
	DT_CPU_FAIL,		/* "fail" or "fail-<reason>" */
	DT_CPU_OTHER,		/* any other value, or not a string */
};

struct dt_mem_range {
	uint64_t base;
	uint64_t size;
	int node;		/* numa-node-id, DT_NO_NODE when absent; 0 when NUMA is off */
};

enum dt_resv_kind { DT_RESV_MEMRESERVE, DT_RESV_NODE, DT_RESV_IMAGE, DT_RESV_DTB };

struct dt_resv_range {
	uint64_t base;
	uint64_t size;
	uint8_t kind;		/* enum dt_resv_kind */
	bool nomap;		/* /reserved-memory child with no-map */
};

struct dt_cpu {
	uint64_t hwid;		/* arm64: MPIDR affinity bits from reg; riscv: hart id */
	int node;		/* numa-node-id, DT_NO_NODE when absent; 0 when NUMA is off */
	uint8_t enable_method;	/* enum dt_enable_method */
	bool okay;		/* status absent, "okay" or "ok" */
	uint8_t status;		/* enum dt_cpu_status */
	bool has_release_addr;
	bool has_mmu;		/* riscv: mmu-type present (and not "riscv,none") */
	uint64_t release_addr;	/* spin-table cpu-release-addr */
	const char *isa;	/* riscv,isa (points into the tree) or NULL */
	const char *mmu_type;	/* mmu-type (points into the tree) or NULL */
	int offset;		/* node offset in the tree */
};

struct dt_uart {
	bool found;
	const char *compat;	/* the node's compatible stringlist (points into the tree) */
	int compat_len;		/* its length in bytes */
	uint64_t base;		/* CPU physical address, parent ranges applied */
	uint32_t reg_shift;
	uint32_t reg_io_width;
	uint32_t clock;		/* clock-frequency, 0 when absent */
	int offset;
	const char *source;	/* how it was chosen: "stdout-path", or the default's reason */
};

struct dt_info {
	const void *fdt;
	uint32_t fdt_size;
	const char *model;
	const char *compatible;

	struct dt_mem_range mem[DT_MAX_MEM];
	int nr_mem;
	struct dt_resv_range resv[DT_MAX_RESV];
	int nr_resv;
	bool resv_overflow;

	struct dt_cpu cpus[DT_MAX_CPUS];
	int nr_cpus;		/* cpu nodes of device_type "cpu" in tree order */
	int nr_cpus_dropped;	/* cpu nodes beyond DT_MAX_CPUS */

	/* NUMA: distance[a][b]; valid only for a, b < nr_nodes */
	int nr_nodes;		/* highest node id seen + 1 (at least 1) */
	uint8_t distance[MAX_NUMNODES][MAX_NUMNODES];
	bool distance_map;	/* a valid /distance-map was applied */
	bool distance_map_bad;	/* a map was present and rejected */
	/*
	 * A map Linux rejects (a remote distance of 10 or less, a self distance other than
	 * 10, no or an unreadable distance-matrix): as Linux, NUMA is given up and one node
	 * faked. Every CPU and memory range is then on node 0, nr_nodes is 1.
	 */
	bool numa_off;

	const char *bootargs;	/* /chosen/bootargs or NULL */
	const char *stdout_path;/* /chosen/stdout-path (or linux,stdout-path) or NULL */
	struct dt_uart uart;	/* console named by stdout-path */

	/* arm64 PSCI node */
	bool psci;
	uint8_t psci_conduit;	/* enum dt_psci_conduit */
	bool psci_v02;		/* arm,psci-0.2 or later: standard function ids */
	uint32_t psci_cpu_on;	/* cpu_on id for arm,psci (0.1) */

	/* arm64 interrupt controller: GICv2 ("arm,cortex-a15-gic", "arm,gic-400") or v3 */
	struct {
		int version;		/* 0 none, 2 or 3 */
		uint64_t dist;		/* distributor */
		uint64_t cpuif;		/* v2 CPU interface */
		int nr_redist;		/* v3 redistributor regions */
		uint64_t redist[4], redist_size[4];
	} gic;

	uint32_t timebase_freq;	/* /cpus/timebase-frequency (riscv timer), 0 when absent */

	/* "sifive,test0/1" or "syscon-poweroff"-style test finisher */
	bool test_finisher;
	uint64_t test_finisher_base;
};

/* Messages from the walk (warnings about bad maps etc.) go to printk. */

/*
 * dt_check() - run libfdt's full structural check on the blob at @fdt.
 * Returns 0 or a negative libfdt error (fdt_strerror() names it).
 */
int dt_check(const void *fdt, size_t bufsize);

/*
 * dt_parse() - fill @info from a tree that passed dt_check(). Returns 0, or a negative
 * libfdt error when a part the system cannot do without is malformed.
 */
int dt_parse(const void *fdt, struct dt_info *info);

/*
 * dt_parse_unchecked() - only /chosen (the console), PSCI and the test finisher into a
 * zeroed @info, read from a copy of the valid beginning of a tree that failed dt_check()
 * (drivers/of/dt_salvage.c): enough to report the failure on the console and through the exit
 * status. Never walks the broken tree with libfdt's loops, so it cannot hang.
 */
void dt_parse_unchecked(const void *fdt, struct dt_info *info);

/* dt_add_reserved() - record an extra reserved range (the image, the DTB). */
void dt_add_reserved(struct dt_info *info, uint64_t base, uint64_t size, enum dt_resv_kind kind);

const char *dt_enable_method_name(enum dt_enable_method m);

/* Node distance with the defaults (10 same node, 20 otherwise) for nodes without a map. */
int dt_node_distance(const struct dt_info *info, int a, int b);

/* dt_node_has_memory() - does a /memory range of the tree lie on @node? */
bool dt_node_has_memory(const struct dt_info *info, int node);

/*
 * dt_nearest_mem_node() - where memory for @node comes from (Linux's cpu_to_mem()): @node
 * itself when it has memory, else the node with memory nearest to it by the distance
 * matrix, the lower node number on a tie. @node itself when no node has memory.
 */
int dt_nearest_mem_node(const struct dt_info *info, int node);

#endif
