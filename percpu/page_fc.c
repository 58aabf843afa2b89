/*
 * page_fc.c - the page first chunk (Linux's pcpu_page_first_chunk): one group, units of
 * whole pages, each unit built from pages of its CPU's node and mapped into one
 * contiguous virtual range, so that memory of different nodes may lie anywhere.
 * Pure C: pages, the virtual range and the mapping come through callbacks.
 */
#include <pcpurt/percpu_first_chunk.h>
#include <pcpurt/printk.h>
#include <string.h>

/* Unmap and free the first @nr_pages pages mapped so far, in unit order. */
static void undo(const struct pcpu_page_fc_ops *ops, uintptr_t vm, size_t unit_size,
		 size_t nr_pages)
{
	size_t i, unit_pages = unit_size / PCPU_PAGE_SIZE;

	for (i = 0; i < nr_pages; i++) {
		uintptr_t va = vm + (i / unit_pages) * unit_size + (i % unit_pages) * PCPU_PAGE_SIZE;

		ops->unmap_free(va, ops->ctx);
	}
	ops->vm_release(vm, ops->ctx);
}

int pcpu_page_first_chunk(const void *tmpl, size_t static_size, size_t reserved_size,
			  const struct pcpu_topology *topo, const struct pcpu_page_fc_ops *ops,
			  pcpu_info_alloc_fn_t info_alloc, void *info_ctx,
			  struct pcpu_first_chunk *fc)
{
	struct pcpu_topology one_group = *topo;
	struct pcpu_alloc_info *ai;
	struct pcpu_group_info *gi;
	size_t unit_pages, done = 0;
	uintptr_t vm;
	int u, rc;

	memset(fc, 0, sizeof(*fc));
	one_group.distance = NULL;	/* no grouping: the mapping hides where pages are */
	rc = pcpu_build_alloc_info(static_size, reserved_size, 0, PCPU_PAGE_SIZE, &one_group,
				   info_alloc, info_ctx, &ai);
	if (rc)
		return rc;
	if (ai->nr_groups != 1)
		return -PCPU_EINVAL;
	gi = &ai->groups[0];
	unit_pages = ai->unit_size / PCPU_PAGE_SIZE;

	vm = ops->vm_reserve(gi->nr_units * ai->unit_size, ops->ctx);
	if (!vm) {
		pr_warn("percpu: no virtual space for the page first chunk\n");
		return -PCPU_ENOMEM;
	}
	for (u = 0; u < gi->nr_units; u++) {
		unsigned int cpu = gi->cpu_map[u];
		int node = cpu == PCPU_UNIT_NONE ? -1 : ops->cpu_to_node(cpu, ops->ctx);
		size_t p;

		for (p = 0; p < unit_pages; p++, done++) {
			uintptr_t va = vm + u * ai->unit_size + p * PCPU_PAGE_SIZE;

			if (ops->alloc_map(va, node, ops->ctx)) {
				pr_warn("percpu: failed to map page %zu of unit %d\n", p, u);
				undo(ops, vm, ai->unit_size, done);
				return -PCPU_ENOMEM;
			}
		}
		/* the unit is mapped: copy the template, clear the rest */
		memcpy((void *)(vm + u * ai->unit_size), tmpl, static_size);
		memset((char *)(vm + u * ai->unit_size) + static_size, 0,
		       ai->unit_size - static_size);
	}
	gi->base_offset = 0;
	fc->group_node[0] = -1;
	fc->max_distance = gi->nr_units * ai->unit_size;
	pr_info("percpu: %zu 4K pages/cpu s%zu r%zu d%zu\n", unit_pages, ai->static_size,
		ai->reserved_size, ai->dyn_size);

	rc = pcpu_setup_first_chunk(ai, &one_group, vm, fc);
	if (rc)
		undo(ops, vm, ai->unit_size, done);
	return rc;
}
