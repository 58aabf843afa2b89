/* cpu_map.c - logical CPU numbering from the device tree (see include/pcpurt/cpu_map.h). */
#include <pcpurt/cpu_map.h>
#include <pcpurt/printk.h>

/*
 * Why the CPU at dt index @i cannot be used, or NULL when it can. The status rule is each
 * arch's Linux: RISC-V takes only "okay" harts (riscv_of_processor_hartid()); arm64 walks
 * every cpu node but those with status "fail" (of_get_next_cpu_node()), so a "disabled" CPU
 * is possible there. Any other status pcpurt does not start on either arch.
 */
static const char *unusable(const struct dt_cpu *c, bool is_riscv)
{
	if (is_riscv && !c->okay)
		return "disabled in the device tree";
	if (!is_riscv && c->status == DT_CPU_FAIL)
		return "status \"fail\" in the device tree";
	if (!is_riscv && !c->okay && c->status != DT_CPU_DISABLED)
		return "status neither \"okay\" nor \"disabled\" in the device tree";
	if (is_riscv && !c->has_mmu)
		return "no MMU (mmu-type absent): a monitor core, cannot run S-mode with paging";
	if (!is_riscv && c->enable_method != DT_EN_PSCI && c->enable_method != DT_EN_SPIN_TABLE)
		return "no enable-method pcpurt knows";
	if (!is_riscv && c->enable_method == DT_EN_SPIN_TABLE && !c->has_release_addr)
		return "spin-table without cpu-release-addr";
	return NULL;
}

static void fill(const struct dt_info *dt, struct cpu_map_entry *e, const struct dt_cpu *c,
		 int idx, bool boot)
{
	e->hwid = c->hwid;
	e->dt_index = idx;
	e->node = c->node < 0 ? 0 : c->node;
	e->mem_node = dt_nearest_mem_node(dt, e->node);
	e->method = c->enable_method;
	e->release_addr = c->release_addr;
	e->dt_disabled = !boot && !c->okay && c->status == DT_CPU_DISABLED;
}

/* One line for each node of possible CPUs that has no memory of its own. */
static void report_memoryless(const struct dt_info *dt, const struct cpu_map *map)
{
	unsigned int cpu, other;

	for (cpu = 0; cpu < map->nr; cpu++) {
		const struct cpu_map_entry *e = &map->cpu[cpu];

		if (e->mem_node == e->node)
			continue;
		for (other = 0; other < cpu && map->cpu[other].node != e->node; other++)
			;
		if (other < cpu)
			continue;	/* said for this node already */
		printk("NUMA: node %d has no memory: its CPUs' per-CPU units and stacks come from "
		       "node %d, the nearest node with memory (distance %d)\n", e->node,
		       e->mem_node, dt_node_distance(dt, e->node, e->mem_node));
	}
}

void cpu_map_build(const struct dt_info *dt, uint64_t boot_hwid, bool is_riscv,
		   struct cpu_map *map, bool quiet)
{
	int i, j, boot_idx = -1;

	map->nr = 1;
	map->skipped = 0;
	map->beyond_nr_cpus = 0;
	map->nr_dt_disabled = 0;
	for (i = 0; i < dt->nr_cpus; i++)
		if (dt->cpus[i].hwid == boot_hwid) {
			boot_idx = i;
			break;
		}
	if (boot_idx >= 0) {
		fill(dt, &map->cpu[0], &dt->cpus[boot_idx], boot_idx, true);
	} else {
		map->cpu[0] = (struct cpu_map_entry){ .hwid = boot_hwid, .dt_index = -1,
						      .mem_node = dt_nearest_mem_node(dt, 0) };
		if (!quiet)
			pr_warn("smp: boot CPU 0x%llx is not in /cpus; using node 0\n",
				(unsigned long long)boot_hwid);
	}
	for (i = 0; i < dt->nr_cpus; i++) {
		const struct dt_cpu *c = &dt->cpus[i];
		const char *why = unusable(c, is_riscv);

		if (i == boot_idx)
			continue;
		for (j = 0; !why && j < i; j++)
			if (dt->cpus[j].hwid == c->hwid)
				why = "duplicate hardware id";
		if (!why && map->nr == NR_CPUS) {
			map->beyond_nr_cpus++;	/* one summary line below, not one each */
			map->skipped++;
			continue;
		}
		if (why) {
			map->skipped++;
			if (!quiet)
				printk("smp: skipping cpu@%llx: %s\n",
				       (unsigned long long)c->hwid, why);
			continue;
		}
		fill(dt, &map->cpu[map->nr], c, i, false);
		map->nr_dt_disabled += map->cpu[map->nr++].dt_disabled;
	}
	if (map->beyond_nr_cpus && !quiet)
		pr_warn("smp: %u CPUs beyond NR_CPUS=%d left out\n", map->beyond_nr_cpus, NR_CPUS);
	if (!quiet)
		report_memoryless(dt, map);
}

int cpu_map_distance(const struct dt_info *dt, const struct cpu_map *map, unsigned int a,
		     unsigned int b)
{
	return dt_node_distance(dt, map->cpu[a].node, map->cpu[b].node);
}
