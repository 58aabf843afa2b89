/*
 * page_fc_test.c - host tests of the page first chunk (percpu/page_fc.c) and of the
 * embedding first chunk's three-quarters rule (percpu/embed.c), with callbacks that keep
 * a virtual range in malloc'd memory and record which node backs each page.
 *
 * Checked: one group, page-sized units holding static + reserved + the early dynamic
 * minimum; every page of CPU c's unit mapped once and backed from c's node; the template
 * copied and the rest zeroed; Linux's "percpu: N 4K pages/cpu sS rR dD" line; unit offsets
 * c * unit_size from the base; on a failed page mapping everything mapped is undone and
 * the range released. Embed: groups further apart than 3/4 of vm_total fail with Linux's
 * warning and give back every byte (embed_test covers layouts within the limit).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcpurt/percpu_first_chunk.h>
#include <pcpurt/printk.h>
#define TEST_CAPTURE_PRINTK
#include "test_util.h"

#define MAX_PAGES 4096

static struct {
	unsigned char *vm;		/* the "virtual range" */
	size_t vm_size;
	int node_of_page[MAX_PAGES];	/* -2: not mapped */
	int maps, unmaps, fail_at, released;
	const int *cpu_node;
} t;

static uintptr_t t_vm_reserve(size_t size, void *ctx)
{
	int i;

	t.vm = aligned_alloc(4096, size);
	t.vm_size = size;
	memset(t.vm, 0xaa, size);
	for (i = 0; i < MAX_PAGES; i++)
		t.node_of_page[i] = -2;
	return (uintptr_t)t.vm;
}

static void t_vm_release(uintptr_t va, void *ctx)
{
	EXPECT(va == (uintptr_t)t.vm);
	t.released++;
}

static int t_alloc_map(uintptr_t va, int node, void *ctx)
{
	size_t page = (va - (uintptr_t)t.vm) / 4096;

	if (++t.maps == t.fail_at)
		return -1;
	EXPECT(page < MAX_PAGES && (va & 4095) == 0);
	EXPECT(t.node_of_page[page] == -2);
	t.node_of_page[page] = node;
	return 0;
}

static void t_unmap_free(uintptr_t va, void *ctx)
{
	size_t page = (va - (uintptr_t)t.vm) / 4096;

	EXPECT(t.node_of_page[page] != -2);
	t.node_of_page[page] = -2;
	t.unmaps++;
}

static int t_cpu_to_node(unsigned int cpu, void *ctx)
{
	return t.cpu_node[cpu];
}

static const struct pcpu_page_fc_ops page_ops = {
	.vm_reserve = t_vm_reserve, .vm_release = t_vm_release, .alloc_map = t_alloc_map,
	.unmap_free = t_unmap_free, .cpu_to_node = t_cpu_to_node,
};

static unsigned char info_buf[1 << 20] __aligned(4096);
static unsigned char tmpl[8192];
static struct pcpu_first_chunk fc;

static int distance(unsigned int a, unsigned int b, void *ctx)
{
	return t.cpu_node[a] == t.cpu_node[b] ? 10 : 20;
}

static void test_page_fc(void)
{
	static const int nodes[8] = { 0, 0, 1, 1, 2, 2, 3, 3 };
	struct pcpu_topology topo = { .nr_cpu_ids = 8, .distance = distance };
	struct pcpu_bump bump = { info_buf, sizeof(info_buf), 0 };
	size_t i, static_size = 5000, up;
	unsigned int cpu;
	int rc;

	for (i = 0; i < sizeof(tmpl); i++)
		tmpl[i] = (unsigned char)(i * 13 + 1);
	memset(&t, 0, sizeof(t));
	t.cpu_node = nodes;
	cap_reset();
	rc = pcpu_page_first_chunk(tmpl, static_size, 8192, &topo, &page_ops, pcpu_bump_alloc,
				   &bump, &fc);
	EXPECT_EQ(rc, 0);
	EXPECT_EQ(fc.nr_groups, 1);
	EXPECT_EQ(fc.nr_units, 8);
	EXPECT_EQ(fc.base, (uintptr_t)t.vm);
	EXPECT_EQ(fc.dyn_size, 12288 + 4096 - ((5000 + 8192) & 4095)); /* early minimum, page end */
	up = fc.unit_size / 4096;
	EXPECT(fc.unit_size >= 32768);
	EXPECT_EQ(t.maps, 8 * up);
	for (cpu = 0; cpu < 8; cpu++) {
		unsigned char *unit = t.vm + fc.unit_off[cpu];

		EXPECT_EQ(fc.unit_off[cpu], cpu * fc.unit_size);
		for (i = 0; i < up; i++)
			EXPECT_EQ(t.node_of_page[fc.unit_off[cpu] / 4096 + i], nodes[cpu]);
		EXPECT(!memcmp(unit, tmpl, static_size));
		for (i = static_size; i < fc.unit_size; i++)
			if (unit[i]) {
				EXPECT(!"unit tail not zeroed");
				break;
			}
	}
	{
		char want[96];

		snprintf(want, sizeof(want), "percpu: %zu 4K pages/cpu s%zu r8192 d%zu\n", up,
			 static_size, fc.dyn_size);
		EXPECT(strstr(cap, want));
		EXPECT(strstr(cap, "pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 [0] 4 [0] 5 [0] 6 [0] 7"));
	}
	free(t.vm);

	/* a mapping that fails half way: all undone, range released */
	memset(&t, 0, sizeof(t));
	t.cpu_node = nodes;
	t.fail_at = 20;
	bump = (struct pcpu_bump){ info_buf, sizeof(info_buf), 0 };
	rc = pcpu_page_first_chunk(tmpl, static_size, 8192, &topo, &page_ops, pcpu_bump_alloc,
				   &bump, &fc);
	EXPECT(rc < 0);
	EXPECT_EQ(t.unmaps, 19);
	EXPECT_EQ(t.released, 1);
	for (i = 0; i < MAX_PAGES; i++)
		EXPECT(t.node_of_page[i] == -2);
	free(t.vm);
}

/* ---- embed and the three-quarters rule ---------------------------------------------- */

static size_t allocated, freed;
static uintptr_t next_addr[4];

/* Each node's memory sits 1 GiB apart, starting at 1 GiB (never dereferenced). */
static uintptr_t e_alloc(size_t size, size_t align, int node, void *ctx)
{
	uintptr_t p = next_addr[node];

	next_addr[node] += size;
	allocated += size;
	return p;
}

static void e_free(uintptr_t addr, size_t size, void *ctx)
{
	freed += size;
}

static void test_three_quarters(void)
{
	static const int nodes[4] = { 0, 1, 2, 3 };
	struct pcpu_topology topo = { .nr_cpu_ids = 4, .distance = distance };
	struct pcpu_fc_ops ops = { .alloc = e_alloc, .free = e_free,
				   .cpu_to_node = t_cpu_to_node };
	struct pcpu_bump bump = { info_buf, sizeof(info_buf), 0 };
	int n, rc;

	t.cpu_node = nodes;
	for (n = 0; n < 4; n++)
		next_addr[n] = (uintptr_t)(n + 1) << 30;
	/* groups span just over 3 GiB: fails against a 4 GiB area */
	ops.vm_total = 4ULL << 30;
	allocated = freed = 0;
	cap_reset();
	rc = pcpu_embed_first_chunk(NULL, 0, 8192, 28672, 4096, &topo, &ops, pcpu_bump_alloc,
				    &bump, &fc);
	EXPECT_EQ(rc, -PCPU_EINVAL);
	EXPECT(strstr(cap, "percpu: max_distance=0x"));
	EXPECT(strstr(cap, " too large for vmalloc space 0x100000000\n"));
	EXPECT_EQ(allocated, freed);
}

int main(void)
{
	test_page_fc();
	test_three_quarters();
	if (failures) {
		fprintf(stderr, "page_fc_test: %d failures\n", failures);
		return 1;
	}
	printf("page_fc_test: all passed\n");
	return 0;
}
