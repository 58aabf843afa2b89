/*
 * embed_test.c - host tests of the embedding first chunk (percpu/embed.c:
 * pcpu_embed_first_chunk) with malloc-backed memory callbacks that record every call.
 *
 * Checked: each group is one allocation of nr_units * unit_size bytes, aligned to the
 * atom, from the node of the group's first CPU; the static template is copied into every
 * used unit and the rest of the unit's data is zeroed; unused units and every unit's tail
 * past static + reserved + dynamic are given back, so that what is kept plus what is given
 * back covers each allocation exactly once; the first-chunk record (base, unit offsets and
 * map, group offsets and sizes, sizes, lowest/highest unit CPUs) and the log lines; and on
 * failure (the 1st, 2nd or 3rd group's allocation, a layout pcpu_setup_first_chunk's checks
 * reject, a bad atom) every byte allocated is given back exactly once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcpurt/percpu_first_chunk.h>
#include <pcpurt/printk.h>
#define TEST_CAPTURE_PRINTK
#include "test_util.h"

/* ---- recording memory callbacks ------------------------------------------------------ */

struct rec {
	uintptr_t addr;
	size_t size, align;
	int node;
};

#define MAX_RECS 1024

struct env {
	struct rec allocs[MAX_RECS], frees[MAX_RECS];
	int nr_allocs, nr_frees;
	int alloc_calls;
	int fail_at;			/* the alloc call (1-based) that fails, 0 none */
	const int *node_of;		/* cpu -> node */
	unsigned int nr_node_of;
};

static struct env env;

static uintptr_t t_alloc(size_t size, size_t align, int node, void *ctx)
{
	struct env *e = ctx;
	void *p;

	e->alloc_calls++;
	if (e->alloc_calls == e->fail_at || e->nr_allocs == MAX_RECS)
		return 0;
	if (posix_memalign(&p, align, size))
		return 0;
	memset(p, 0xaa, size);		/* so a missing copy or clear shows */
	e->allocs[e->nr_allocs++] = (struct rec){ (uintptr_t)p, size, align, node };
	return (uintptr_t)p;
}

static void t_free(uintptr_t addr, size_t size, void *ctx)
{
	struct env *e = ctx;

	if (e->nr_frees < MAX_RECS)
		e->frees[e->nr_frees++] = (struct rec){ addr, size, 0, -1 };
}

static int t_cpu_to_node(unsigned int cpu, void *ctx)
{
	struct env *e = ctx;

	return cpu < e->nr_node_of ? e->node_of[cpu] : -99;
}

static const struct pcpu_fc_ops ops = {
	.alloc = t_alloc, .free = t_free, .cpu_to_node = t_cpu_to_node, .ctx = &env,
};

/* Distance: LOCAL_DISTANCE for CPUs of the same node, 20 otherwise. */
static int t_distance(unsigned int a, unsigned int b, void *ctx)
{
	const int *node_of = ctx;

	return node_of[a] == node_of[b] ? LOCAL_DISTANCE : 20;
}

static unsigned char info_buf[1 << 20] __aligned(4096);
static struct pcpu_bump bump;

static unsigned char tmpl[16384];
static struct pcpu_first_chunk fc;

static void env_reset(const int *node_of, unsigned int n, int fail_at)
{
	int i;

	for (i = 0; i < env.nr_allocs; i++)
		free((void *)env.allocs[i].addr);
	memset(&env, 0, sizeof(env));
	env.node_of = node_of;
	env.nr_node_of = n;
	env.fail_at = fail_at;
	bump = (struct pcpu_bump){ info_buf, sizeof(info_buf), 0 };
	cap_len = 0;
	cap[0] = '\0';
	for (i = 0; i < (int)sizeof(tmpl); i++)
		tmpl[i] = (unsigned char)(i * 7 + 3);
}

static int embed(size_t s, size_t r, size_t d, size_t atom, const struct pcpu_topology *topo)
{
	return pcpu_embed_first_chunk(tmpl, s, r, d, atom, topo, &ops, pcpu_bump_alloc, &bump,
				      &fc);
}

/*
 * Every allocation is covered exactly once by the frees plus the @nr_kept ranges
 * @kept[] (the data of the used units), and every free lies inside an allocation.
 */
static bool coverage_exact(const struct rec *kept, int nr_kept, int line)
{
	bool ok = true;
	int a, i;

	for (i = 0; i < env.nr_frees; i++) {
		const struct rec *f = &env.frees[i];

		for (a = 0; a < env.nr_allocs; a++)
			if (f->addr >= env.allocs[a].addr &&
			    f->addr + f->size <= env.allocs[a].addr + env.allocs[a].size)
				break;
		if (a == env.nr_allocs || !f->size) {
			fprintf(stderr, "%s:%d: FAILED: free 0x%lx+%zu is not inside an "
				"allocation\n", __FILE__, line, (unsigned long)f->addr, f->size);
			ok = false;
		}
	}
	for (a = 0; a < env.nr_allocs; a++) {
		const struct rec *al = &env.allocs[a];
		unsigned char *cnt = calloc(1, al->size);
		size_t b;

		for (i = 0; i < env.nr_frees + nr_kept; i++) {
			const struct rec *x = i < env.nr_frees ? &env.frees[i] :
							       &kept[i - env.nr_frees];

			if (x->addr < al->addr || x->addr + x->size > al->addr + al->size)
				continue;
			for (b = 0; b < x->size; b++)
				cnt[x->addr - al->addr + b]++;
		}
		for (b = 0; b < al->size; b++)
			if (cnt[b] != 1) {
				fprintf(stderr, "%s:%d: FAILED: allocation %d byte %zu covered %d "
					"times\n", __FILE__, line, a, b, cnt[b]);
				ok = false;
				break;
			}
		free(cnt);
	}
	if (!ok)
		failures++;
	return ok;
}

/*
 * After a successful embed of @topo: each possible CPU's unit holds the template then
 * zeros up to size_sum, units do not overlap, and coverage is exact.
 */
static void check_units(const struct pcpu_topology *topo, size_t s, int line)
{
	static struct rec kept[PCPU_MAX_CPUS];
	size_t sum = fc.static_size + fc.reserved_size + fc.dyn_size, b;
	unsigned int cpu;
	int n = 0;

	for (cpu = 0; cpu < topo->nr_cpu_ids; cpu++) {
		const unsigned char *u = (const unsigned char *)(fc.base + fc.unit_off[cpu]);

		if (!pcpu_cpu_possible(topo, cpu)) {
			if (fc.unit_map[cpu] != PCPU_UNIT_NONE) {
				fprintf(stderr, "%s:%d: FAILED: impossible CPU%u has a unit\n",
					__FILE__, line, cpu);
				failures++;
			}
			continue;
		}
		if (memcmp(u, tmpl, s)) {
			fprintf(stderr, "%s:%d: FAILED: CPU%u: template not copied\n", __FILE__,
				line, cpu);
			failures++;
		}
		for (b = s; b < sum; b++)
			if (u[b]) {
				fprintf(stderr, "%s:%d: FAILED: CPU%u: unit byte %zu is 0x%x, "
					"not 0\n", __FILE__, line, cpu, b, u[b]);
				failures++;
				break;
			}
		kept[n++] = (struct rec){ (uintptr_t)u, sum, 0, 0 };
	}
	coverage_exact(kept, n, line);
}

/* Every free is one of the expected (addr, size) pairs, each freed once. */
static void expect_frees(const struct rec *want, int n, int line)
{
	bool used[MAX_RECS] = { false };
	int i, j;

	if (env.nr_frees != n) {
		fprintf(stderr, "%s:%d: FAILED: %d frees, want %d\n", __FILE__, line,
			env.nr_frees, n);
		failures++;
		return;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++)
			if (!used[j] && env.frees[j].addr == want[i].addr &&
			    env.frees[j].size == want[i].size)
				break;
		if (j == n) {
			fprintf(stderr, "%s:%d: FAILED: no free of 0x%lx+%zu\n", __FILE__, line,
				(unsigned long)want[i].addr, want[i].size);
			failures++;
			return;
		}
		used[j] = true;
	}
}

/* ---- cases --------------------------------------------------------------------------- */

/*
 * 4 CPUs, one node, s 100 r 8192 d 0: sum = page_align(100 + 8192 + 12288) = 24576
 * (d' 16284), unit 32768 (the minimum): one allocation of 4 units, 4 tails of 8192 given
 * back.
 */
static void test_one_group_tails(void)
{
	static const int node_of[] = { 3, 3, 3, 3 };
	struct pcpu_topology topo = { .nr_cpu_ids = 4 };
	struct rec want[4];
	unsigned int cpu;
	int rc;

	env_reset(node_of, 4, 0);
	rc = embed(100, 8192, 0, 4096, &topo);
	EXPECT_EQ(rc, 0);
	EXPECT_EQ(env.nr_allocs, 1);
	EXPECT_EQ(env.allocs[0].size, 4 * 32768);
	EXPECT_EQ(env.allocs[0].align, 4096);
	EXPECT_EQ(env.allocs[0].node, 3);
	EXPECT_EQ(fc.base, env.allocs[0].addr);
	EXPECT_EQ(fc.unit_size, 32768);
	EXPECT_EQ(fc.static_size, 100);
	EXPECT_EQ(fc.reserved_size, 8192);
	EXPECT_EQ(fc.dyn_size, 16284);
	EXPECT_EQ(fc.nr_units, 4);
	EXPECT_EQ(fc.nr_groups, 1);
	EXPECT_EQ(fc.group_node[0], 3);
	EXPECT_EQ(fc.group_off[0], 0);
	EXPECT_EQ(fc.group_size[0], 4 * 32768);
	EXPECT_EQ(fc.low_unit_cpu, 0);
	EXPECT_EQ(fc.high_unit_cpu, 3);
	EXPECT(fc.ai != NULL);
	for (cpu = 0; cpu < 4; cpu++) {
		EXPECT_EQ(fc.unit_map[cpu], cpu);
		EXPECT_EQ(fc.unit_off[cpu], cpu * 32768);
		want[cpu] = (struct rec){ fc.base + cpu * 32768 + 24576, 8192, 0, 0 };
	}
	expect_frees(want, 4, __LINE__);
	check_units(&topo, 100, __LINE__);
	EXPECT_STR(cap, "percpu: Embedded 6 pages/cpu s100 r8192 d16284 u32768\n"
			"pcpu-alloc: s100 r8192 d16284 u32768 alloc=8*4096\n"
			"pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 \n");
}

/*
 * 6 CPUs on nodes 1 0 1 2 0 2: groups {0,2} {1,4} {3,5}, allocated on nodes 1, 0, 2 (the
 * first CPU's). s 256 r 8192 d 28672: sum = page_align(37120) = 40960 = unit: no tails,
 * nothing given back.
 */
static const int six_nodes[] = { 1, 0, 1, 2, 0, 2 };

static void test_groups_nodes(void)
{
	static const unsigned int group_of[] = { 0, 1, 0, 2, 1, 2 }, index_of[] = {
		0, 0, 1, 0, 1, 1 };
	struct pcpu_topology topo = { .nr_cpu_ids = 6, .distance = t_distance,
				      .distance_ctx = (void *)six_nodes };
	uintptr_t lowest = UINTPTR_MAX;
	unsigned int cpu;
	int g, rc;

	env_reset(six_nodes, 6, 0);
	rc = embed(256, 8192, 28672, 4096, &topo);
	EXPECT_EQ(rc, 0);
	EXPECT_EQ(env.nr_allocs, 3);
	EXPECT_EQ(env.allocs[0].node, 1);
	EXPECT_EQ(env.allocs[1].node, 0);
	EXPECT_EQ(env.allocs[2].node, 2);
	for (g = 0; g < 3; g++) {
		EXPECT_EQ(env.allocs[g].size, 2 * 40960);
		EXPECT_EQ(fc.group_node[g], env.allocs[g].node);
		lowest = MIN(lowest, env.allocs[g].addr);
	}
	EXPECT_EQ(fc.base, lowest);
	EXPECT_EQ(fc.unit_size, 40960);
	EXPECT_EQ(fc.dyn_size, 40960 - 256 - 8192);
	EXPECT_EQ(fc.nr_units, 6);
	EXPECT_EQ(fc.nr_groups, 3);
	for (g = 0; g < 3; g++) {
		EXPECT_EQ(fc.group_off[g], env.allocs[g].addr - lowest);
		EXPECT_EQ(fc.group_size[g], 2 * 40960);
	}
	for (cpu = 0; cpu < 6; cpu++) {
		EXPECT_EQ(fc.unit_map[cpu], group_of[cpu] * 2 + index_of[cpu]);
		EXPECT_EQ(fc.unit_off[cpu],
			  env.allocs[group_of[cpu]].addr - lowest + index_of[cpu] * 40960);
	}
	EXPECT_EQ(env.nr_frees, 0);
	check_units(&topo, 256, __LINE__);
	EXPECT_STR(cap, "percpu: Embedded 10 pages/cpu s256 r8192 d32512 u40960\n"
			"pcpu-alloc: s256 r8192 d32512 u40960 alloc=10*4096\n"
			"pcpu-alloc: [0] 0 [0] 2 [1] 1 [1] 4 [2] 3 [2] 5 \n");
}

/*
 * 5 CPUs, groups {0,1,2} {3,4}, atom 128K: s 100 r 8192 d 28672 -> sum 40960,
 * alloc 131072, max upa 2 (3 does not divide it); upa 2 wastes 1 <= 5/3 in 3 allocations,
 * upa 1 needs 5: upa 2, unit 65536. Group 0 has units 0 1 2 -, group 1 has 3 4. Given
 * back: group 0's unit 3 whole, and 24576-byte tails of the 5 used units.
 */
static void test_unused_units(void)
{
	static const int node_of[] = { 0, 0, 0, 1, 1 };
	struct pcpu_topology topo = { .nr_cpu_ids = 5, .distance = t_distance,
				      .distance_ctx = (void *)node_of };
	struct rec want[6];
	uintptr_t a0, a1;
	int rc, i;

	env_reset(node_of, 5, 0);
	rc = embed(100, 8192, 28672, 128 << 10, &topo);
	EXPECT_EQ(rc, 0);
	EXPECT_EQ(env.nr_allocs, 2);
	if (env.nr_allocs != 2)
		return;
	a0 = env.allocs[0].addr;
	a1 = env.allocs[1].addr;
	EXPECT_EQ(env.allocs[0].size, 4 * 65536);
	EXPECT_EQ(env.allocs[1].size, 2 * 65536);
	EXPECT_EQ(env.allocs[0].align, 128 << 10);
	EXPECT_EQ(env.allocs[0].node, 0);
	EXPECT_EQ(env.allocs[1].node, 1);
	EXPECT_EQ(fc.unit_size, 65536);
	EXPECT_EQ(fc.nr_units, 6);
	EXPECT_EQ(fc.unit_map[3], 4);			/* unit 3 is the unused one */
	EXPECT_EQ(fc.unit_map[4], 5);
	for (i = 0; i < 3; i++)
		want[i] = (struct rec){ a0 + i * 65536 + 40960, 24576, 0, 0 };
	want[3] = (struct rec){ a0 + 3 * 65536, 65536, 0, 0 };
	want[4] = (struct rec){ a1 + 40960, 24576, 0, 0 };
	want[5] = (struct rec){ a1 + 65536 + 40960, 24576, 0, 0 };
	expect_frees(want, 6, __LINE__);
	check_units(&topo, 100, __LINE__);
	EXPECT_STR(cap, "percpu: Embedded 10 pages/cpu s100 r8192 d32668 u65536\n"
			"pcpu-alloc: s100 r8192 d32668 u65536 alloc=1*131072\n"
			"pcpu-alloc: [0] 0 1 [0] 2 - [1] 3 4 \n");
	EXPECT_EQ(fc.low_unit_cpu, a0 < a1 ? 0 : 3);
	EXPECT_EQ(fc.high_unit_cpu, a0 < a1 ? 4 : 2);
}

/* CPU 2 is not possible: it gets no unit; CPU 3 takes the third. */
static void test_possible_hole(void)
{
	static const int node_of[] = { 0, 0, 0, 0 };
	static const unsigned long possible[1] = { 0xb };	/* 0, 1, 3 */
	struct pcpu_topology topo = { .nr_cpu_ids = 4, .possible = possible };
	int rc;

	env_reset(node_of, 4, 0);
	rc = embed(4096, 8192, 28672, 4096, &topo);
	EXPECT_EQ(rc, 0);
	EXPECT_EQ(env.nr_allocs, 1);
	EXPECT_EQ(env.allocs[0].size, 3 * 40960);
	EXPECT_EQ(fc.unit_map[2], PCPU_UNIT_NONE);
	EXPECT_EQ(fc.unit_map[3], 2);
	EXPECT_EQ(fc.unit_off[3], 2 * 40960);
	EXPECT_EQ(env.nr_frees, 0);
	check_units(&topo, 4096, __LINE__);
	EXPECT_STR(cap, "percpu: Embedded 10 pages/cpu s4096 r8192 d28672 u40960\n"
			"pcpu-alloc: s4096 r8192 d28672 u40960 alloc=10*4096\n"
			"pcpu-alloc: [0] 0 [0] 1 [0] 3 \n");
}

/* The 1st, 2nd or 3rd group's allocation fails: whatever was allocated goes back whole. */
static void test_alloc_failure(void)
{
	struct pcpu_topology topo = { .nr_cpu_ids = 6, .distance = t_distance,
				      .distance_ctx = (void *)six_nodes };
	int fail_at, rc;

	for (fail_at = 1; fail_at <= 3; fail_at++) {
		char want[128];
		int g;

		env_reset(six_nodes, 6, fail_at);
		rc = embed(256, 8192, 28672, 4096, &topo);
		EXPECT_EQ(rc, -PCPU_ENOMEM);
		EXPECT_EQ(env.alloc_calls, fail_at);
		EXPECT_EQ(env.nr_allocs, fail_at - 1);
		EXPECT_EQ(env.nr_frees, fail_at - 1);
		for (g = 0; g < env.nr_frees; g++) {
			/* given back whole, latest first */
			EXPECT_EQ(env.frees[g].addr, env.allocs[fail_at - 2 - g].addr);
			EXPECT_EQ(env.frees[g].size, 2 * 40960);
		}
		coverage_exact(NULL, 0, __LINE__);
		snprintf(want, sizeof(want),
			 "WARNING: percpu: failed to allocate 81920 bytes for group %d\n",
			 fail_at - 1);
		EXPECT_STR(cap, want);
	}
}

/*
 * A layout pcpu_setup_first_chunk's checks reject (no static area) after the memory is
 * allocated, tails returned and the template copied: every byte goes back exactly once.
 */
static void test_setup_rejects(void)
{
	static const int node_of[] = { 0, 0, 0, 1, 1 };
	struct pcpu_topology topo = { .nr_cpu_ids = 5, .distance = t_distance,
				      .distance_ctx = (void *)node_of };
	int rc;

	env_reset(node_of, 5, 0);
	rc = embed(0, 8192, 28672, 128 << 10, &topo);
	EXPECT_EQ(rc, -PCPU_EINVAL);
	EXPECT_EQ(env.nr_allocs, 2);
	coverage_exact(NULL, 0, __LINE__);
	EXPECT(strstr(cap, "ERROR: percpu: bad first chunk layout: !ai->static_size\n"));

	/* a bad atom: refused before any memory is asked for */
	env_reset(node_of, 5, 0);
	rc = embed(100, 8192, 28672, 1000, &topo);
	EXPECT_EQ(rc, -PCPU_EINVAL);
	EXPECT_EQ(env.alloc_calls, 0);
	EXPECT_EQ(env.nr_frees, 0);
}

/*
 * fc.max_distance is the span from base to the end of the highest group (Linux adds the
 * highest group's nr_units units): one group of 4 units of 32 KiB spans 131072 bytes.
 */
static void test_max_distance(void)
{
	static const int node_of[] = { 0, 0, 0, 0 };
	struct pcpu_topology topo = { .nr_cpu_ids = 4 };

	env_reset(node_of, 4, 0);
	EXPECT_EQ(embed(100, 8192, 0, 4096, &topo), 0);
	EXPECT_EQ(fc.max_distance, 4 * 32768);
}

int main(void)
{
	test_one_group_tails();
	test_groups_nodes();
	test_unused_units();
	test_possible_hole();
	test_alloc_failure();
	test_setup_rejects();
	test_max_distance();
	env_reset(NULL, 0, 0);
	if (failures) {
		fprintf(stderr, "embed_test: %d failures\n", failures);
		return 1;
	}
	printf("embed_test: all passed\n");
	return 0;
}
