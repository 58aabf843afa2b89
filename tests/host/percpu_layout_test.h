/*
 * percpu_layout_test.h - what the host tests of percpu/alloc_info.c share. The tests check
 * layouts worked out by hand from the algorithm (the working is in the comment above each
 * case):
 *   percpu_layout_groups_test.c   CPUs into groups: 1 and 4 CPUs, two nodes, hip07-d05,
 *                                 unequal groups, empty units, the grouping rule
 *   percpu_layout_sizes_test.c    more CPUs than an allocation holds, 512 CPUs, sizes,
 *                                 a sparse possible mask
 *   percpu_layout_offsets_test.c  placement, unit offsets, pcpu_map_units() refusals
 *   percpu_layout_build_test.c    build errors, pcpu_alloc_alloc_info(), printers
 *
 * Constants used in the working: page 4096, PCPU_MIN_UNIT_SIZE 32768,
 * PERCPU_DYNAMIC_EARLY_SIZE 12288. Terms: sum = page_align(s + r + max(d, 12288)),
 * d' = sum - s - r, min_unit = max(sum, 32768), alloc = roundup(min_unit, atom),
 * max_upa = largest upa <= alloc / min_unit dividing alloc into page-aligned units;
 * then from max_upa down: skip upa wasting more than n/3 units (n possible CPUs), stop
 * when allocations would grow; unit = alloc / upa.
 * Dump: gw = digits(nr_groups), cw = digits(n), width = upa * (cw + 1) + gw + 3,
 * allocations per line apl = pow2_floor(max(60 / width, 1)).
 *
 * This header holds the topologies and builders the cases use, and the tests' own printk,
 * which records every call, so the dump's text and its one-line-per-call property are both
 * checked. Include once per test program.
 */
#ifndef TESTS_HOST_PERCPU_LAYOUT_TEST_H
#define TESTS_HOST_PERCPU_LAYOUT_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcpurt/percpu_layout.h>
#include <pcpurt/printk.h>
#include "test_util.h"

/* ---- printk capture ------------------------------------------------------------------ */

static char cap[1 << 17];
static size_t cap_len;
static int cap_calls;
static int cap_bad_calls;	/* calls that were not exactly one "\n"-terminated line */

int vprintk(const char *fmt, va_list ap)
{
	char tmp[4096];
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	size_t len = strlen(tmp);

	cap_calls++;
	if (!len || tmp[len - 1] != '\n' || strchr(tmp, '\n') != tmp + len - 1)
		cap_bad_calls++;
	if (cap_len + len < sizeof(cap)) {
		memcpy(cap + cap_len, tmp, len + 1);
		cap_len += len;
	}
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static inline void cap_reset(void)
{
	cap_len = 0;
	cap[0] = '\0';
	cap_calls = 0;
	cap_bad_calls = 0;
}

/* Dump @ai through the default printer and return the text; checks one call per line. */
static inline const char *dump_of(const struct pcpu_alloc_info *ai)
{
	int lines = 0;
	size_t i;

	cap_reset();
	pcpu_dump_alloc_info(ai, NULL);
	for (i = 0; i < cap_len; i++)
		lines += cap[i] == '\n';
	EXPECT_EQ(cap_bad_calls, 0);
	EXPECT_EQ(cap_calls, lines);
	return cap;
}

/* The @n-th line (from 0) of the captured text, without its newline. */
static inline const char *cap_line(int n)
{
	static char line[4096];
	const char *p = cap, *e;

	while (n-- > 0 && (p = strchr(p, '\n')))
		p++;
	if (!p || !*p)
		return "";
	e = strchr(p, '\n');
	snprintf(line, sizeof(line), "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
	return line;
}

static inline int cap_nr_lines(void)
{
	int lines = 0;
	size_t i;

	for (i = 0; i < cap_len; i++)
		lines += cap[i] == '\n';
	return lines;
}

/* ---- topologies ----------------------------------------------------------------------- */

struct numa {
	int node_of[PCPU_MAX_CPUS];
	unsigned char dist[64][64];
};

static inline int numa_distance(unsigned int from, unsigned int to, void *ctx)
{
	struct numa *n = ctx;

	return n->dist[n->node_of[from]][n->node_of[to]];
}

/* 10 on the diagonal, 20 elsewhere. */
static inline void numa_default(struct numa *n)
{
	int a, b;

	memset(n, 0, sizeof(*n));
	for (a = 0; a < 64; a++)
		for (b = 0; b < 64; b++)
			n->dist[a][b] = a == b ? LOCAL_DISTANCE : 20;
}

/* Arbitrary CPU-to-CPU distances for the odd cases. */
static int cpu_matrix[8][8];

static inline int matrix_distance(unsigned int from, unsigned int to, void *ctx)
{
	return cpu_matrix[from][to];
}

static inline int all_remote_distance(unsigned int from, unsigned int to, void *ctx)
{
	return from == to ? LOCAL_DISTANCE : 20;
}

static inline struct pcpu_topology topo_all(unsigned int nr, struct numa *n)
{
	struct pcpu_topology t = {
		.nr_cpu_ids = nr,
		.possible = NULL,
		.distance = n ? numa_distance : NULL,
		.distance_ctx = n,
	};
	return t;
}

/* ---- building -------------------------------------------------------------------------- */

static unsigned char arena[1 << 16] __aligned(16);
static struct pcpu_bump bump;

static inline struct pcpu_alloc_info *build(size_t s, size_t r, size_t d, size_t atom,
				     const struct pcpu_topology *t)
{
	struct pcpu_alloc_info *ai = NULL;
	int ret;

	bump.base = arena;
	bump.size = sizeof(arena);
	bump.used = 0;
	ret = pcpu_build_alloc_info(s, r, d, atom, t, pcpu_bump_alloc, &bump, &ai);
	EXPECT_EQ(ret, 0);
	if (ret || !ai) {
		fprintf(stderr, "build failed (%d), aborting\n", ret);
		exit(1);
	}
	return ai;
}

/* "g<i>@<base_offset>:[cpu cpu - ...]" for every group, space separated. */
static inline const char *groups_of(const struct pcpu_alloc_info *ai)
{
	static char out[1 << 14];
	size_t len = 0;
	int g, i;

	out[0] = '\0';
	for (g = 0; g < ai->nr_groups; g++) {
		const struct pcpu_group_info *gi = &ai->groups[g];

		len += snprintf(out + len, sizeof(out) - len, "%sg%d@%lu:[", g ? " " : "", g,
				gi->base_offset);
		for (i = 0; i < gi->nr_units; i++) {
			if (gi->cpu_map[i] == PCPU_UNIT_NONE)
				len += snprintf(out + len, sizeof(out) - len, "%s-", i ? " " : "");
			else
				len += snprintf(out + len, sizeof(out) - len, "%s%u", i ? " " : "",
						gi->cpu_map[i]);
		}
		len += snprintf(out + len, sizeof(out) - len, "]");
	}
	return out;
}

static inline const char *embedded_of(const struct pcpu_alloc_info *ai)
{
	static char buf[200];

	pcpu_format_embedded(buf, sizeof(buf), ai);
	return buf;
}

#endif
