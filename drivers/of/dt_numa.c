/*
 * dt_numa.c - NUMA distances from /distance-map ("numa-distance-map-v1"), the fake single
 * node when Linux would give NUMA up, and the nearest node with memory.
 *
 * Linux's binding rules: the distance from a node to itself is 10 (LOCAL_DISTANCE); to
 * another node it is more than 10; distances fit in a byte; a triple <A B d> also sets
 * B->A to d unless the map gives B->A itself. Pairs the map does not mention keep the
 * defaults (10 same node, 20 otherwise).
 *
 * Two kinds of bad map. One that Linux's of_numa_init() rejects (no distance-matrix, one
 * that is not whole cells, a self distance other than 10 or a remote one of 10 or less in
 * any whole triple): Linux then drops NUMA and fakes one node over all memory, and so do
 * we, with its lines ("OF: NUMA: Invalid distance[...]", "NUMA: Faking a node at ...").
 * One that Linux takes but pcpurt refuses (a node id over 63, a distance over 255, cells
 * after the last whole triple, where Linux ignores the entry or the tail): the map is
 * ignored whole with one warning and the nodes keep the default distances. Either way the
 * map is checked completely before any of it is applied.
 */
#include "dt_internal.h"
#include <pcpurt/printk.h>
#include <string.h>

static void set_defaults(uint8_t d[MAX_NUMNODES][MAX_NUMNODES])
{
	int a, b;

	for (a = 0; a < MAX_NUMNODES; a++)
		for (b = 0; b < MAX_NUMNODES; b++)
			d[a][b] = a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
}

static void note_node(struct dt_info *info, int node)
{
	if (node >= 0 && node + 1 > info->nr_nodes)
		info->nr_nodes = node + 1;
}

#define MAP_IGNORED	(-1)	/* pcpurt refuses it: default distances */
#define MAP_LINUX_BAD	(-2)	/* Linux refuses it: NUMA off, one fake node */

/*
 * Linux's checks (of_numa_parse_distance_map_v1()), over the whole cells and triples as it
 * reads them. Returns 0 or MAP_LINUX_BAD after printing Linux's line for the first fault.
 */
static int linux_check(const fdt32_t *m, int len)
{
	int i, count;

	if (!m) {
		printk("OF: NUMA: No distance-matrix property in distance-map\n");
		return MAP_LINUX_BAD;
	}
	if (len <= 0 || len % 4) {
		printk("OF: NUMA: Invalid distance-matrix\n");
		return MAP_LINUX_BAD;
	}
	count = len / 4;
	for (i = 0; i + 2 < count; i += 3) {
		uint32_t a = fdt32_ld(&m[i]), b = fdt32_ld(&m[i + 1]), dist = fdt32_ld(&m[i + 2]);

		if ((a == b && dist != LOCAL_DISTANCE) || (a != b && dist <= LOCAL_DISTANCE)) {
			printk("OF: NUMA: Invalid distance[node%d -> node%d] = %d\n", (int)a,
			       (int)b, (int)dist);
			return MAP_LINUX_BAD;
		}
	}
	return 0;
}

/* Returns 0 and fills @d, or MAP_IGNORED / MAP_LINUX_BAD after printing why. */
static int read_map(const void *fdt, int map, struct dt_info *info,
		    uint8_t d[MAX_NUMNODES][MAX_NUMNODES])
{
	static uint8_t given[MAX_NUMNODES][MAX_NUMNODES];
	int len = 0, i, n;
	const fdt32_t *m = fdt_getprop(fdt, map, "distance-matrix", &len);

	if (linux_check(m, len))
		return MAP_LINUX_BAD;
	if (len < 12) {
		pr_warn("NUMA: distance-matrix has no whole <a b d> triple, using default "
			"distances\n");
		return MAP_IGNORED;
	}
	n = len / 12;
	if (len % 12) {
		pr_warn("NUMA: distance-matrix length %d is not whole triples, distance map "
			"ignored\n", len);
		return MAP_IGNORED;
	}
	memset(given, 0, sizeof(given));
	for (i = 0; i < n; i++) {
		uint32_t a = fdt32_ld(&m[3 * i]), b = fdt32_ld(&m[3 * i + 1]);
		uint32_t dist = fdt32_ld(&m[3 * i + 2]);

		if (a >= MAX_NUMNODES || b >= MAX_NUMNODES || dist > 255) {
			pr_warn("NUMA: distance[node%u -> node%u] = %u out of range, "
				"distance map ignored\n", a, b, dist);
			return MAP_IGNORED;
		}
		d[a][b] = dist;
		given[a][b] = 1;
	}
	for (i = 0; i < n; i++) {
		uint32_t a = fdt32_ld(&m[3 * i]), b = fdt32_ld(&m[3 * i + 1]);

		if (!given[b][a])
			d[b][a] = d[a][b];
		note_node(info, a);
		note_node(info, b);
	}
	return 0;
}

/*
 * Linux's dummy_numa_init(): one node 0 over [lowest memory, highest memory end), every
 * CPU and memory range on it, default distances.
 */
static void fake_one_node(struct dt_info *info)
{
	uint64_t start = UINT64_MAX, end = 0;
	int i;

	for (i = 0; i < info->nr_mem; i++) {
		if (info->mem[i].base < start)
			start = info->mem[i].base;
		if (info->mem[i].base + info->mem[i].size > end)
			end = info->mem[i].base + info->mem[i].size;
		info->mem[i].node = 0;
	}
	if (end > start)
		printk("NUMA: Faking a node at [mem 0x%016llx-0x%016llx]\n",
		       (unsigned long long)start, (unsigned long long)end - 1);
	else
		printk("NUMA: Faking a node (no memory in the tree)\n");
	for (i = 0; i < info->nr_cpus; i++)
		info->cpus[i].node = 0;
	info->nr_nodes = 1;
	info->numa_off = true;
	set_defaults(info->distance);
}

void dt_parse_numa(const void *fdt, struct dt_info *info)
{
	static uint8_t tmp[MAX_NUMNODES][MAX_NUMNODES];
	int i, map, rc;

	info->nr_nodes = 1;
	for (i = 0; i < info->nr_cpus; i++)
		note_node(info, info->cpus[i].node);
	for (i = 0; i < info->nr_mem; i++)
		note_node(info, info->mem[i].node);
	set_defaults(info->distance);

	map = fdt_node_offset_by_compatible(fdt, -1, "numa-distance-map-v1");
	if (map < 0)
		return;
	set_defaults(tmp);
	rc = read_map(fdt, map, info, tmp);
	if (rc) {
		info->distance_map_bad = true;
		if (rc == MAP_LINUX_BAD)
			fake_one_node(info);
		return;
	}
	memcpy(info->distance, tmp, sizeof(tmp));
	info->distance_map = true;
}

int dt_node_distance(const struct dt_info *info, int a, int b)
{
	if (a < 0)
		a = 0;
	if (b < 0)
		b = 0;
	if (a >= MAX_NUMNODES || b >= MAX_NUMNODES)
		return a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;
	return info->distance[a][b];
}

bool dt_node_has_memory(const struct dt_info *info, int node)
{
	int i;

	for (i = 0; i < info->nr_mem; i++)
		if ((info->mem[i].node < 0 ? 0 : info->mem[i].node) == node && info->mem[i].size)
			return true;
	return false;
}

int dt_nearest_mem_node(const struct dt_info *info, int node)
{
	int n, best = -1, best_d = 0;

	if (node < 0)
		node = 0;
	if (dt_node_has_memory(info, node))
		return node;
	for (n = 0; n < info->nr_nodes && n < MAX_NUMNODES; n++) {
		int d = dt_node_distance(info, node, n);

		/* strictly nearer only: on a tie the lower node, met first, stays */
		if (dt_node_has_memory(info, n) && (best < 0 || d < best_d)) {
			best = n;
			best_d = d;
		}
	}
	return best < 0 ? node : best;
}
