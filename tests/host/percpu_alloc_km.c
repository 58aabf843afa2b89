/*
 * percpu_alloc_km.c - host test of the km chunk backend over a fake page allocator with two
 * NUMA nodes: multi-group chunks get each group on its node at the first chunk's offsets
 * (retrying when the exact place is taken), every CPU's copy lands on its group's node,
 * metadata can come from pages or a small allocator, and everything goes back at the end.
 */
#include <pcpurt/percpu_alloc_km.h>
#include <pcpurt/percpu_alloc.h>
#include "percpu_alloc_test.h"

#define NODES	    2
#define ARENA_PAGES 4096
#define UNIT	    (32 * 1024)
#define UNIT_PAGES  (UNIT / PCPU_PAGE_SIZE)
#define FAR	    64 /* pages into node 1's arena where the first chunk's group 1 sits */

static unsigned char *arena[NODES];
static unsigned char used[NODES][ARENA_PAGES];
static long pages_in_use, meta_small;

static int node_of(uintptr_t a)
{
	int n;

	for (n = 0; n < NODES; n++)
		if (a - (uintptr_t)arena[n] < (size_t)ARENA_PAGES * PCPU_PAGE_SIZE)
			return n;
	return -1;
}

static bool take(int node, size_t first, size_t count)
{
	size_t i;

	if (first + count > ARENA_PAGES)
		return false;
	for (i = 0; i < count; i++)
		if (used[node][first + i])
			return false;
	memset(&used[node][first], 1, count);
	pages_in_use += (long)count;
	return true;
}

static void *fp_alloc(void *priv, int node, size_t size, size_t align)
{
	size_t count = size / PCPU_PAGE_SIZE, p, step = MAX(align / PCPU_PAGE_SIZE, (size_t)1);
	int n;

	for (n = 0; n < NODES; n++) {
		if (node >= 0 && n != node)
			continue;
		for (p = 0; p + count <= ARENA_PAGES; p += step)
			if (take(n, p, count))
				return arena[n] + p * PCPU_PAGE_SIZE;
	}
	return NULL;
}

static void *fp_alloc_at(void *priv, int node, uintptr_t addr, size_t size)
{
	int n = node_of(addr);

	if (n < 0 || (node >= 0 && n != node) || addr % PCPU_PAGE_SIZE)
		return NULL;
	if (!take(n, (addr - (uintptr_t)arena[n]) / PCPU_PAGE_SIZE, size / PCPU_PAGE_SIZE))
		return NULL;
	return (void *)addr;
}

static void fp_free(void *priv, void *p, size_t size)
{
	int n = node_of((uintptr_t)p);
	size_t first = ((uintptr_t)p - (uintptr_t)arena[n]) / PCPU_PAGE_SIZE, i;

	for (i = 0; i < size / PCPU_PAGE_SIZE; i++) {
		if (!used[n][first + i]) {
			fprintf(stderr, "page freed twice\n");
			abort();
		}
		used[n][first + i] = 0;
	}
	pages_in_use -= (long)(size / PCPU_PAGE_SIZE);
}

static void *small_alloc(void *priv, size_t size)
{
	meta_small += (long)size;
	return malloc(size);
}

static void small_free(void *priv, void *p, size_t size)
{
	meta_small -= (long)size;
	free(p);
}

static void run(enum pcpu_allocator_kind kind, bool groups, bool small_meta, bool block)
{
	static const int gnode[2] = {0, 1};
	unsigned long unit_off[4], group_off[2];
	size_t group_size[2] = {2 * UNIT, 2 * UNIT};
	struct pcpu_km_pages pages = {.alloc = fp_alloc, .alloc_at = fp_alloc_at, .free = fp_free};
	struct pcpu_allocator pa;
	struct pcpu_km_backend km;
	struct pcpu_layout l = {0};
	struct pcpu_config cfg = {0};
	static void *h[4000];
	unsigned int i, c, n = 0;
	long base_pages;
	struct pcpu_stats st;

	memset(used, 0, sizeof(used));
	pages_in_use = 0;
	group_off[0] = 0;
	group_off[1] = (uintptr_t)arena[1] + FAR * PCPU_PAGE_SIZE - (uintptr_t)arena[0];
	for (c = 0; c < 4; c++)
		unit_off[c] = groups ? group_off[c / 2] + (c % 2) * UNIT : c * UNIT;
	l.nr_cpus = l.nr_units = 4;
	l.unit_size = UNIT;
	l.unit_off = unit_off;
	if (groups) {
		l.nr_groups = 2;
		l.group_off = group_off;
		l.group_size = group_size;
		l.group_node = gnode;
	}
	/* the first chunk, placed as the early allocator would */
	CHECK(take(0, 0, groups ? 2 * UNIT_PAGES : 4 * UNIT_PAGES));
	if (groups)
		CHECK(take(1, FAR, 2 * UNIT_PAGES));
	/* a page in the way of the first placement try of group 1 */
	if (block && groups)
		CHECK(take(1, FAR + 2 * UNIT_PAGES + 1, 1));
	base_pages = pages_in_use;
	if (small_meta) {
		pages.meta_alloc = small_alloc;
		pages.meta_free = small_free;
	}
	pcpu_km_backend_init(&km, &pages);
	cfg.layout = &l;
	cfg.backend = &km.be;
	cfg.kind = kind;
	cfg.first_base = (uintptr_t)arena[0];
	cfg.static_size = 4096;
	cfg.reserved_size = 4096;
	CHECK(pcpu_allocator_init(&pa, &cfg) == 0);
	for (i = 0; i < ARRAY_SIZE(h); i++) {
		size_t size = 8 + (i * 7919) % 600;

		h[i] = pcpu_allocator_alloc(&pa, size, 8, PCPU_GFP_NOWARN);
		if (!h[i])
			break;
		n++;
		for (c = 0; c < 4; c++) {
			unsigned char *p = pcpu_allocator_ptr(&pa, h[i], c);

			CHECK(node_of((uintptr_t)p) == (groups ? (int)c / 2 : 0));
			CHECK(node_of((uintptr_t)p + size - 1) == node_of((uintptr_t)p));
			memset(p, (int)(i + c), size);
		}
	}
	CHECK(n == ARRAY_SIZE(h));
	pcpu_allocator_stats(&pa, &st);
	CHECK(st.nr_chunks > 10);
	for (i = 0; i < n; i++) {
		size_t size = 8 + (i * 7919) % 600, k;
		bool ok = true;

		for (c = 0; c < 4; c++) {
			unsigned char *p = pcpu_allocator_ptr(&pa, h[i], c);

			for (k = 0; k < size; k++)
				ok &= p[k] == (unsigned char)(i + c);
		}
		CHECK(ok);
		pcpu_allocator_free(&pa, h[i]);
	}
	pcpu_allocator_balance(&pa);
	pcpu_allocator_stats(&pa, &st);
	CHECK(st.nr_chunks <= 2);
	CHECK(pcpu_allocator_check(&pa) == 0);
	pcpu_allocator_teardown(&pa);
	CHECK(pages_in_use == base_pages);
	CHECK(meta_small == 0);
	fprintf(stderr, "%-8s %s%s%s: ok=%s\n", pcpu_allocator_name(kind),
		groups ? "2 groups on 2 nodes" : "1 group", small_meta ? ", small metadata" : "",
		block ? ", first placement blocked" : "", t_fail ? "no" : "yes");
}

int main(void)
{
	enum pcpu_allocator_kind k;
	int n;

	for (n = 0; n < NODES; n++)
		arena[n] = aligned_alloc(PCPU_PAGE_SIZE, (size_t)ARENA_PAGES * PCPU_PAGE_SIZE);
	for (k = PCPU_ALLOCATOR_BITMAP; k <= PCPU_ALLOCATOR_AREAMAP; k++) {
		run(k, false, false, false);
		run(k, true, false, false);
		run(k, true, true, true);
	}
	for (n = 0; n < NODES; n++)
		free(arena[n]);
	return t_finish();
}
