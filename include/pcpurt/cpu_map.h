/*
 * cpu_map.h - logical CPU numbers for the CPUs of a device tree (kernel/cpu_map.c).
 *
 * Linux's rule: the boot CPU is CPU 0; the other usable CPUs take 1, 2, ... in
 * device-tree order. Unusable CPUs are left out and said so: on RISC-V a status not "okay",
 * on arm64 a status "fail" or one neither "okay" nor "disabled" (arm64 Linux counts a
 * "disabled" CPU as possible: it gets a number and a per-CPU unit, and pcpurt keeps it
 * present but offline), a RISC-V hart without an MMU (a monitor core), an arm64 CPU with no
 * enable-method pcpurt knows, a duplicate id, and CPUs beyond NR_CPUS. Pure C over struct
 * dt_info: the runtime and the host tools number CPUs the same way.
 */
#ifndef PCPURT_CPU_MAP_H
#define PCPURT_CPU_MAP_H

#include <pcpurt/cpumask.h>
#include <pcpurt/dt.h>

struct cpu_map_entry {
	uint64_t hwid;
	int dt_index;		/* index in dt_info.cpus, -1 if the tree lacks the boot CPU */
	int node;		/* NUMA node (0 when the tree gives none) */
	int mem_node;		/* node its memory comes from: node, or the nearest with memory */
	bool dt_disabled;	/* arm64: the tree says "disabled": possible, not started at boot */
	uint8_t method;		/* enum dt_enable_method */
	uint64_t release_addr;	/* spin-table */
};

struct cpu_map {
	unsigned int nr;	/* logical CPUs 0..nr-1 (the possible CPUs) */
	struct cpu_map_entry cpu[NR_CPUS];
	unsigned int skipped;	/* cpu nodes left out, all reasons */
	unsigned int beyond_nr_cpus;
	unsigned int nr_dt_disabled;	/* possible CPUs with dt_disabled set */
};

/*
 * cpu_map_build() - number the tree's CPUs with the boot CPU (@boot_hwid) first. Prints
 * one line per CPU left out and one per node of possible CPUs without memory (where their
 * memory comes from). @quiet suppresses those lines (host tools).
 */
void cpu_map_build(const struct dt_info *dt, uint64_t boot_hwid, bool is_riscv,
		   struct cpu_map *map, bool quiet);

/* Distance between the nodes of two logical CPUs, from the tree's distance matrix. */
int cpu_map_distance(const struct dt_info *dt, const struct cpu_map *map, unsigned int a,
		     unsigned int b);

#endif
