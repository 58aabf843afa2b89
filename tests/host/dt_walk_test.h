/*
 * dt_walk_test.h - what the parts of the device-tree walk host test (dt_walk_test) share:
 * the walk's result being checked and the check counters, the checks that count and report
 * (fail, expect_*), the shape of the hand-written expectations (struct exp_tree and the
 * CPU, memory and reservation rows) and the functions each part gives the others:
 *   dt_walk_test.c     main: every tree against its expectations, regression inputs, no
 *                      board tree without expectations; the checks and load()
 *   dt_walk_trees.c    the expectations of every board and hand-written tree (trees[])
 *   dt_walk_check.c    check_tree(): one parsed tree against its expectations
 *   dt_walk_broken.c   broken trees dt_check() must refuse, short buffers, salvage
 *   dt_walk_qemu.c     --qemu: a QEMU-generated tree against its command line
 */
#ifndef TESTS_HOST_DT_WALK_TEST_H
#define TESTS_HOST_DT_WALK_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pcpurt/dt.h>

extern struct dt_info info;
extern const char *cur;		/* tree being checked, for messages */
extern int nr_checks, nr_failed;
extern bool verbose;		/* PCPURT_TEST_VERBOSE set: also show what passed */

void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void expect_u64(const char *what, uint64_t got, uint64_t want);
void expect_int(const char *what, long long got, long long want);
/* @want NULL: the walk must have found nothing. */
void expect_str(const char *what, const char *got, const char *want);
/* The whole file at @path in a malloc'ed buffer (its length in *@size), or NULL. */
void *load(const char *path, size_t *size);

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

extern const struct exp_tree trees[];
extern const size_t nr_trees;

/* dt_walk_check.c */
void check_distances(int nr_nodes, const uint8_t *want);
void check_tree(const struct exp_tree *t, const void *fdt, size_t size);
/* dt_walk_broken.c */
void check_salvage(const char *what, const void *fdt, bool same);
void check_broken(const void *good, size_t size);
void check_once(const void *good);
/* dt_walk_qemu.c */
int qemu_check(int argc, char **argv);

#endif
