/*
 * percpu_first_chunk.h - building the first chunk (percpu/embed.c): the "embed" way
 * (Linux's pcpu_embed_first_chunk + pcpu_setup_first_chunk), pure C with the memory
 * supplied through callbacks, so the runtime (memblock) and host tests (malloc) share it.
 */
#ifndef PCPURT_PERCPU_FIRST_CHUNK_H
#define PCPURT_PERCPU_FIRST_CHUNK_H

#include <pcpurt/percpu_layout.h>

#define PERCPU_MODULE_RESERVE	(8UL << 10)
#define PERCPU_DYNAMIC_RESERVE	(28UL << 10)

struct pcpu_fc_ops {
	/* @size bytes aligned to @align on @node; 0 on failure */
	uintptr_t (*alloc)(size_t size, size_t align, int node, void *ctx);
	void (*free)(uintptr_t addr, size_t size, void *ctx);
	int (*cpu_to_node)(unsigned int cpu, void *ctx);
	void *ctx;
	/*
	 * Size of the virtual area dynamic chunks are placed in; 0: no limit. Embedding
	 * fails (-PCPU_EINVAL, after a warning) when the groups lie more than three quarters
	 * of it apart, as Linux's does when a page first chunk is there to fall back to.
	 */
	size_t vm_total;
};

/* What the page first chunk needs: pages mapped one by one into a virtual range. */
struct pcpu_page_fc_ops {
	/* reserve @size bytes of contiguous virtual space; 0 on failure */
	uintptr_t (*vm_reserve)(size_t size, void *ctx);
	void (*vm_release)(uintptr_t va, void *ctx);
	/* back the page at @va with a new page of @node (falling back to any); 0 or < 0 */
	int (*alloc_map)(uintptr_t va, int node, void *ctx);
	/* unmap the page at @va and free it */
	void (*unmap_free)(uintptr_t va, void *ctx);
	int (*cpu_to_node)(unsigned int cpu, void *ctx);
	void *ctx;
};

/* What the first chunk ended up as: pcpu_setup_first_chunk()'s globals, in one place. */
struct pcpu_first_chunk {
	struct pcpu_alloc_info *ai;
	uintptr_t base;			/* pcpu_base_addr: lowest unit */
	size_t unit_size;
	size_t static_size, reserved_size, dyn_size;
	size_t max_distance;		/* span from base to the end of the last unit */
	int nr_units;
	unsigned int nr_groups;
	unsigned long unit_off[PCPU_MAX_CPUS];	/* cpu -> unit offset from base */
	unsigned int unit_map[PCPU_MAX_CPUS];	/* cpu -> unit number */
	unsigned long group_off[PCPU_MAX_CPUS];	/* group -> offset from base */
	size_t group_size[PCPU_MAX_CPUS];
	int group_node[PCPU_MAX_CPUS];
	unsigned int low_unit_cpu, high_unit_cpu;
};

/*
 * pcpu_embed_first_chunk() - lay out the first chunk for @topo, allocate each group's
 * units from the node of the group's first CPU, copy the @static_size-byte template at
 * @tmpl into every used unit, give back the unused units and each unit's tail past
 * static + reserved + dynamic, print "percpu: Embedded ..." and the pcpu-alloc lines, and
 * fill @fc. Returns 0, or a negative PCPU_E* after giving back everything it allocated.
 */
int pcpu_embed_first_chunk(const void *tmpl, size_t static_size, size_t reserved_size,
			   size_t dyn_size, size_t atom_size, const struct pcpu_topology *topo,
			   const struct pcpu_fc_ops *ops, pcpu_info_alloc_fn_t info_alloc,
			   void *info_ctx, struct pcpu_first_chunk *fc);

/*
 * pcpu_setup_first_chunk() - the bookkeeping both first chunks end with, as Linux's does:
 * print the pcpu-alloc lines, check @ai's layout at @base (pcpu_map_units()) and record
 * the result in @fc. 0, or the check's negative PCPU_E* after an error line; the caller
 * gives its memory back.
 */
int pcpu_setup_first_chunk(struct pcpu_alloc_info *ai, const struct pcpu_topology *topo,
			   uintptr_t base, struct pcpu_first_chunk *fc);

/*
 * pcpu_page_first_chunk() - Linux's page first chunk: the layout from
 * pcpu_build_alloc_info() with page atoms, one group (distances ignored) and the early
 * minimum of dynamic space; each unit's pages from its CPU's node, mapped into one
 * contiguous virtual range; template copied; "percpu: N 4K pages/cpu s r d" and the
 * pcpu-alloc lines printed; @fc filled. 0, or a negative PCPU_E* with nothing left.
 */
int pcpu_page_first_chunk(const void *tmpl, size_t static_size, size_t reserved_size,
			  const struct pcpu_topology *topo, const struct pcpu_page_fc_ops *ops,
			  pcpu_info_alloc_fn_t info_alloc, void *info_ctx,
			  struct pcpu_first_chunk *fc);

#endif
