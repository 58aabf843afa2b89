/*
 * dt_numa.c - NUMA distances from /distance-map ("numa-distance-map-v1").
 *
 * Linux's binding rules: the distance from a node to itself is 10 (LOCAL_DISTANCE); to
 * another node it is more than 10; distances fit in a byte; a triple <A B d> also sets
 * B->A to d unless the map gives B->A itself. Pairs the map does not mention keep the
 * defaults (10 same node, 20 otherwise). A map that breaks a rule, or whose length is not
 * whole triples (Linux ignores the tail; we refuse a malformed map), is rejected whole with
 * one warning: it is checked completely before any of it is applied.
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

/* Returns 0 and fills @d, or -1 after printing why the map is unusable. */
static int read_map(const void *fdt, int map, struct dt_info *info,
		    uint8_t d[MAX_NUMNODES][MAX_NUMNODES])
{
	static uint8_t given[MAX_NUMNODES][MAX_NUMNODES];
	int len, i, n;
	const fdt32_t *m = fdt_getprop(fdt, map, "distance-matrix", &len);

	if (!m || len < 12) {
		pr_warn("NUMA: /distance-map has no distance-matrix, using default distances\n");
		return -1;
	}
	n = len / 12;
	if (len % 12) {
		pr_warn("NUMA: distance-matrix length %d is not whole triples, distance map "
			"ignored\n", len);
		return -1;
	}
	memset(given, 0, sizeof(given));
	for (i = 0; i < n; i++) {
		uint32_t a = fdt32_ld(&m[3 * i]), b = fdt32_ld(&m[3 * i + 1]);
		uint32_t dist = fdt32_ld(&m[3 * i + 2]);

		if (a >= MAX_NUMNODES || b >= MAX_NUMNODES || dist > 255 ||
		    (a == b && dist != LOCAL_DISTANCE) || (a != b && dist <= LOCAL_DISTANCE)) {
			pr_warn("NUMA: invalid distance[node%u -> node%u] = %u, "
				"distance map ignored\n", a, b, dist);
			return -1;
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

void dt_parse_numa(const void *fdt, struct dt_info *info)
{
	static uint8_t tmp[MAX_NUMNODES][MAX_NUMNODES];
	int i, map;

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
	if (read_map(fdt, map, info, tmp)) {
		info->distance_map_bad = true;
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
