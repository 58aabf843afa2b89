/*
 * dt_util.c - small readers on top of libfdt: cells, status, compatible, reg with the
 * parents' ranges applied (libfdt reads properties; it does not translate addresses).
 */
#include "dt_internal.h"
#include <string.h>

uint64_t dt_read_cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_ld(p++);
	return v;
}

const char *dt_get_string(const void *fdt, int node, const char *name)
{
	int len;
	const char *s = fdt_getprop(fdt, node, name, &len);

	return s && len > 0 && s[len - 1] == '\0' ? s : NULL;
}

bool dt_node_okay(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	if (!s)
		return true;
	s = dt_get_string(fdt, node, "status");
	return s && (!strcmp(s, "okay") || !strcmp(s, "ok"));
}

bool dt_compat_has(const void *fdt, int node, const char *compat)
{
	return fdt_node_check_compatible(fdt, node, compat) == 0;
}

int dt_get_u32(const void *fdt, int node, const char *name, uint32_t *out)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || len < 4)
		return -1;
	*out = fdt32_ld(p);
	return 0;
}

int dt_node_numa_id(const void *fdt, int node)
{
	uint32_t id;

	if (dt_get_u32(fdt, node, "numa-node-id", &id))
		return DT_NO_NODE;
	return id < MAX_NUMNODES ? (int)id : DT_NO_NODE;
}

/*
 * translate() - map @addr, an address on the bus @node sits on, up to the root's address
 * space through each ancestor's "ranges". Returns 0, or -1 when some ancestor has no
 * ranges (the address is not visible to the CPU) or no range covers it.
 */
static int translate(const void *fdt, int node, uint64_t *addr)
{
	int bus = fdt_parent_offset(fdt, node);

	while (bus > 0) {
		int parent = fdt_parent_offset(fdt, bus);
		int ac = fdt_address_cells(fdt, bus), sc = fdt_size_cells(fdt, bus);
		int pac = parent >= 0 ? fdt_address_cells(fdt, parent) : 2;
		int len, i, entry;
		const fdt32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
		bool hit = false;

		if (parent < 0 || ac < 0 || sc < 0 || pac < 0)
			return -1;
		if (!r)
			return -1;
		entry = (ac + pac + sc) * 4;
		if (len == 0 || entry == 0)
			hit = true; /* identity */
		for (i = 0; !hit && i + entry <= len; i += entry) {
			const fdt32_t *e = r + i / 4;
			uint64_t child = dt_read_cells(e, ac);
			uint64_t par = dt_read_cells(e + ac, pac);
			uint64_t size = dt_read_cells(e + ac + pac, sc);

			if (*addr >= child && *addr - child < size) {
				*addr = *addr - child + par;
				hit = true;
			}
		}
		if (!hit)
			return -1;
		bus = parent;
	}
	return 0;
}

int dt_get_reg(const void *fdt, int node, int idx, uint64_t *base, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac, sc, len;
	const fdt32_t *reg;

	if (parent < 0)
		return -1;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac <= 0 || ac > 2 || sc < 0 || sc > 2)
		return -1;
	if ((idx + 1) * (ac + sc) * 4 > len)
		return -1;
	reg += idx * (ac + sc);
	*base = dt_read_cells(reg, ac);
	*size = dt_read_cells(reg + ac, sc);
	return translate(fdt, node, base);
}
