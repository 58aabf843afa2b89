/*
 * embed.c - the embedding first chunk: every group's units in one block of its node's
 * memory, the static template copied in, leftovers returned (Linux's
 * pcpu_embed_first_chunk followed by pcpu_setup_first_chunk's checks and bookkeeping).
 */
#include <pcpurt/percpu_first_chunk.h>
#include <pcpurt/printk.h>
#include <string.h>

int pcpu_setup_first_chunk(struct pcpu_alloc_info *ai, const struct pcpu_topology *topo,
			   uintptr_t base, struct pcpu_first_chunk *fc)
{
	struct pcpu_unit_map um;
	int rc;

	pcpu_dump_alloc_info(ai, NULL);
	um.unit_map = fc->unit_map;
	um.unit_off = fc->unit_off;
	um.group_offsets = fc->group_off;
	um.group_sizes = fc->group_size;
	rc = pcpu_map_units(ai, topo, base, &um);
	if (rc) {
		pr_err("percpu: bad first chunk layout: %s\n", um.why ? um.why : "?");
		return rc;
	}
	fc->ai = ai;
	fc->base = base;
	fc->unit_size = ai->unit_size;
	fc->static_size = ai->static_size;
	fc->reserved_size = ai->reserved_size;
	fc->dyn_size = ai->dyn_size;
	fc->nr_units = um.nr_units;
	fc->nr_groups = ai->nr_groups;
	fc->low_unit_cpu = um.low_unit_cpu;
	fc->high_unit_cpu = um.high_unit_cpu;
	return 0;
}

int pcpu_embed_first_chunk(const void *tmpl, size_t static_size, size_t reserved_size,
			   size_t dyn_size, size_t atom_size, const struct pcpu_topology *topo,
			   const struct pcpu_fc_ops *ops, pcpu_info_alloc_fn_t info_alloc,
			   void *info_ctx, struct pcpu_first_chunk *fc)
{
	static uintptr_t areas[PCPU_MAX_CPUS];
	struct pcpu_alloc_info *ai;
	size_t size_sum;
	int g, i, rc;

	memset(fc, 0, sizeof(*fc));
	rc = pcpu_build_alloc_info(static_size, reserved_size, dyn_size, atom_size, topo,
				   info_alloc, info_ctx, &ai);
	if (rc)
		return rc;
	size_sum = pcpu_ai_size_sum(ai);

	for (g = 0; g < ai->nr_groups; g++) {
		struct pcpu_group_info *gi = &ai->groups[g];
		unsigned int cpu = pcpu_group_first_cpu(gi);
		int node = cpu == PCPU_UNIT_NONE ? 0 : ops->cpu_to_node(cpu, ops->ctx);

		areas[g] = ops->alloc(gi->nr_units * ai->unit_size, atom_size, node, ops->ctx);
		if (!areas[g]) {
			pr_warn("percpu: failed to allocate %zu bytes for group %d\n",
				gi->nr_units * ai->unit_size, g);
			while (--g >= 0)
				ops->free(areas[g], ai->groups[g].nr_units * ai->unit_size,
					  ops->ctx);
			return -PCPU_ENOMEM;
		}
		fc->group_node[g] = node;
	}

	/* Linux: groups too far apart for the vmalloc area fail, to fall back to pages */
	pcpu_place_groups(ai, areas, &fc->base, &fc->max_distance);
	if (ops->vm_total && fc->max_distance > ops->vm_total / 4 * 3) {
		pr_warn("percpu: max_distance=0x%zx too large for vmalloc space 0x%zx\n",
			fc->max_distance, ops->vm_total);
		for (g = 0; g < ai->nr_groups; g++)
			ops->free(areas[g], ai->groups[g].nr_units * ai->unit_size, ops->ctx);
		return -PCPU_EINVAL;
	}

	/* copy the template into used units, give back unused units and tails */
	for (g = 0; g < ai->nr_groups; g++) {
		struct pcpu_group_info *gi = &ai->groups[g];

		for (i = 0; i < gi->nr_units; i++) {
			uintptr_t unit = areas[g] + i * ai->unit_size;

			if (gi->cpu_map[i] == PCPU_UNIT_NONE) {
				ops->free(unit, ai->unit_size, ops->ctx);
				continue;
			}
			memcpy((void *)unit, tmpl, static_size);
			memset((char *)unit + static_size, 0, size_sum - static_size);
			if (ai->unit_size > size_sum)
				ops->free(unit + size_sum, ai->unit_size - size_sum, ops->ctx);
		}
	}
	pcpu_print_embedded(ai, NULL);

	rc = pcpu_setup_first_chunk(ai, topo, fc->base, fc);
	if (rc) {
		for (g = 0; g < ai->nr_groups; g++)
			for (i = 0; i < ai->groups[g].nr_units; i++)
				if (ai->groups[g].cpu_map[i] != PCPU_UNIT_NONE)
					ops->free(areas[g] + i * ai->unit_size, size_sum, ops->ctx);
		return rc;
	}
	return 0;
}
