/*
 * dt_cpus.c - the /cpus node: one struct dt_cpu per cpu node, in tree order, with its
 * hardware id, enable method, release address, NUMA node, status and RISC-V ISA/MMU.
 */
#include "dt_internal.h"
#include <pcpurt/printk.h>
#include <string.h>

#define MPIDR_HWID_MASK 0xff00ffffffULL

static uint8_t enable_method(const void *fdt, int node, bool riscv)
{
	const char *m = dt_get_string(fdt, node, "enable-method");

	if (!m)
		return riscv ? DT_EN_SBI_HSM : DT_EN_NONE;
	if (!strcmp(m, "psci"))
		return DT_EN_PSCI;
	if (!strcmp(m, "spin-table"))
		return DT_EN_SPIN_TABLE;
	return DT_EN_OTHER;
}

/* The status property as enum dt_cpu_status (Linux's __of_device_is_fail() for "fail"). */
static uint8_t cpu_status(const void *fdt, int node)
{
	const char *s;

	if (!fdt_getprop(fdt, node, "status", NULL))
		return DT_CPU_OKAY;
	s = dt_get_string(fdt, node, "status");
	if (!s)
		return DT_CPU_OTHER;
	if (!strcmp(s, "okay") || !strcmp(s, "ok"))
		return DT_CPU_OKAY;
	if (!strcmp(s, "disabled"))
		return DT_CPU_DISABLED;
	if (!strcmp(s, "fail") || !strncmp(s, "fail-", 5))
		return DT_CPU_FAIL;
	return DT_CPU_OTHER;
}

static void parse_one(const void *fdt, int node, int ac, struct dt_cpu *c)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	const fdt32_t *rel;
	bool riscv = fdt_stringlist_search(fdt, node, "compatible", "riscv") >= 0;

	memset(c, 0, sizeof(*c));
	c->offset = node;
	c->hwid = reg && len >= ac * 4 ? dt_read_cells(reg, ac) : ~0ULL;
	if (!riscv)
		c->hwid &= MPIDR_HWID_MASK;
	c->node = dt_node_numa_id(fdt, node);
	c->okay = dt_node_okay(fdt, node);
	c->status = cpu_status(fdt, node);
	c->enable_method = enable_method(fdt, node, riscv);
	rel = fdt_getprop(fdt, node, "cpu-release-addr", &len);
	if (rel && (len == 4 || len == 8)) {
		c->release_addr = dt_read_cells(rel, len / 4);
		c->has_release_addr = true;
	}
	c->isa = dt_get_string(fdt, node, "riscv,isa");
	c->mmu_type = dt_get_string(fdt, node, "mmu-type");
	c->has_mmu = c->mmu_type && strcmp(c->mmu_type, "riscv,none") != 0;
}

void dt_parse_cpus(const void *fdt, struct dt_info *info)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	int node, ac;
	uint32_t tb;

	if (cpus < 0)
		return;
	ac = fdt_address_cells(fdt, cpus);
	if (ac < 1 || ac > 2)
		ac = 1;
	if (!dt_get_u32(fdt, cpus, "timebase-frequency", &tb))
		info->timebase_freq = tb;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = dt_get_string(fdt, node, "device_type");

		if (!type || strcmp(type, "cpu"))
			continue;
		if (info->nr_cpus == DT_MAX_CPUS) {
			info->nr_cpus_dropped++;
			continue;
		}
		parse_one(fdt, node, ac, &info->cpus[info->nr_cpus++]);
	}
	if (!info->timebase_freq && info->nr_cpus &&
	    !dt_get_u32(fdt, info->cpus[0].offset, "timebase-frequency", &tb))
		info->timebase_freq = tb;
}
