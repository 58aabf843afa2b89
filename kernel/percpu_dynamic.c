/*
 * percpu_dynamic.c - the runtime's dynamic per-CPU allocator: pcpu_default set up on the
 * first chunk, with the "vm" chunk backend when the MMU gives a vmalloc area, else "km"
 * (`percpu_chunks=km|vm` chooses).
 *
 * km: a new chunk is physically contiguous memory per group, taken from the page
 * allocator, fully populated at creation. Every chunk must keep the first chunk's
 * relative layout (CPU c's copy of handle h is h + __per_cpu_offset[c], the same for all
 * chunks), so the backend looks for one base B such that every group g's range
 * [B + group_off[g], + group_size[g]) is free on the group's node, and claims them all.
 * With the groups of the first chunk at the top of each node's memory, new chunks stack
 * downwards in every node in step. Metadata comes from kmalloc.
 */
#include <pcpurt/percpu_alloc.h>
#include <pcpurt/percpu_first_chunk.h>
#include <pcpurt/percpu.h>
#include <pcpurt/kmalloc.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/panic.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <pcpurt/vmalloc.h>
#include <string.h>

extern struct pcpu_first_chunk pcpu_first_chunk;

static enum pcpu_allocator_kind allocator_kind = PCPU_ALLOCATOR_BITMAP;
static struct pcpu_layout layout;
static unsigned long km_chunks_created, km_chunks_destroyed;

static int set_allocator(const char *v)
{
	return pcpu_allocator_parse(v, &allocator_kind);
}
DEFINE_BOOT_PARAM("percpu_allocator", set_allocator);

static unsigned int group_count(const struct pcpu_layout *l)
{
	return l->nr_groups ? l->nr_groups : 1;
}

static unsigned long goff(const struct pcpu_layout *l, unsigned int g)
{
	return l->nr_groups ? l->group_off[g] : 0;
}

static size_t gsize(const struct pcpu_layout *l, unsigned int g)
{
	return l->nr_groups ? l->group_size[g] : l->nr_units * l->unit_size;
}

static int gnode(const struct pcpu_layout *l, unsigned int g, bool any)
{
	return any || !l->group_node ? -1 : l->group_node[g];
}

/*
 * km_find_base() - the highest B at which every group's range is free (on its node unless
 * @any). Each round either accepts B or moves it below a conflict, so it ends.
 */
static uint64_t km_find_base(const struct pcpu_layout *l, bool any)
{
	uint64_t top = page_range_free_below(~0ULL, gsize(l, 0), gnode(l, 0, any)), b;
	unsigned int g;

	if (!top || top < goff(l, 0))
		return 0;
	b = top - goff(l, 0);
	for (;;) {
		bool moved = false;

		for (g = 0; g < group_count(l) && !moved; g++) {
			uint64_t s = b + goff(l, g);
			uint64_t t = page_range_free_below(s, gsize(l, g), gnode(l, g, any));

			if (!t || t < goff(l, g))
				return 0;
			if (t != s) {
				b = t - goff(l, g);
				moved = true;
			}
		}
		if (!moved)
			return b;
	}
}

static int km_chunk_create(void *priv, const struct pcpu_layout *l, uintptr_t *base,
			   void **cookie)
{
	int attempt;

	for (attempt = 0; attempt < 8; attempt++) {
		uint64_t b = km_find_base(l, attempt >= 4);
		unsigned int g, got;

		if (!b)
			continue;
		for (got = 0; got < group_count(l); got++)
			if (alloc_pages_exact(b + goff(l, got), gsize(l, got)))
				break;
		if (got == group_count(l)) {
			for (g = 0; g < got; g++)
				memset((void *)(uintptr_t)(b + goff(l, g)), 0, gsize(l, g));
			*base = b;
			*cookie = NULL;
			km_chunks_created++;
			return 0;
		}
		/* another CPU took part of it meanwhile: give back and look again */
		for (g = 0; g < got; g++)
			free_pages(b + goff(l, g), gsize(l, g));
	}
	return -1;
}

static void km_chunk_destroy(void *priv, const struct pcpu_layout *l, uintptr_t base,
			     void *cookie)
{
	unsigned int g;

	for (g = 0; g < group_count(l); g++)
		free_pages(base + goff(l, g), gsize(l, g));
	km_chunks_destroyed++;
}

static int km_populate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
		       unsigned int page_start, unsigned int page_end)
{
	return 0;	/* everything is populated at creation */
}

static void *km_meta_alloc(void *priv, size_t size)
{
	return kmalloc(size);
}

static void km_meta_free(void *priv, void *p, size_t size)
{
	kfree(p, size);
}

static const struct pcpu_backend km_backend = {
	.name = "km",
	.populated_on_create = true,
	.chunk_create = km_chunk_create,
	.chunk_destroy = km_chunk_destroy,
	.populate = km_populate,
	.meta_alloc = km_meta_alloc,
	.meta_free = km_meta_free,
};

/*
 * vm: a new chunk is a reserved range of the vmalloc area spanning all groups at the first
 * chunk's offsets; nothing is mapped until the allocator populates pages, and then each
 * CPU's page comes from that CPU's node. Depopulating unmaps (with TLB maintenance on
 * every CPU) and frees the pages.
 */
static unsigned long vm_chunks_created, vm_chunks_destroyed, vm_pages_in, vm_pages_out,
		     vm_pages_with_chunks;

static size_t vm_span(const struct pcpu_layout *l)
{
	size_t span = 0;
	unsigned int g;

	for (g = 0; g < group_count(l); g++)
		span = MAX(span, goff(l, g) + gsize(l, g));
	return span;
}

static int vm_chunk_create(void *priv, const struct pcpu_layout *l, uintptr_t *base,
			   void **cookie)
{
	uintptr_t va = vm_reserve(vm_span(l), PCPU_PAGE_SIZE, VM_KIND_PERCPU);

	if (!va)
		return -1;
	*base = va;
	*cookie = NULL;
	__atomic_fetch_add(&vm_chunks_created, 1, __ATOMIC_RELAXED);
	return 0;
}

static void vm_depopulate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
			  unsigned int page_start, unsigned int page_end)
{
	unsigned int cpu;

	for (cpu = 0; cpu < l->nr_cpus; cpu++)
		vm_unmap_pages(base + l->unit_off[cpu] + page_start * PCPU_PAGE_SIZE,
			       (page_end - page_start) * PCPU_PAGE_SIZE);
	__atomic_fetch_add(&vm_pages_out, (unsigned long)(page_end - page_start) * l->nr_cpus,
			   __ATOMIC_RELAXED);
}

static int vm_populate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
		       unsigned int page_start, unsigned int page_end)
{
	size_t size = (page_end - page_start) * PCPU_PAGE_SIZE;
	unsigned int cpu;

	for (cpu = 0; cpu < l->nr_cpus; cpu++) {
		uintptr_t va = base + l->unit_off[cpu] + page_start * PCPU_PAGE_SIZE;

		if (vm_map_pages(va, size, cpu_to_mem(cpu), true)) {
			while (cpu--)
				vm_unmap_pages(base + l->unit_off[cpu] +
					       page_start * PCPU_PAGE_SIZE, size);
			return -1;
		}
	}
	__atomic_fetch_add(&vm_pages_in, (unsigned long)(page_end - page_start) * l->nr_cpus,
			   __ATOMIC_RELAXED);
	return 0;
}

static void vm_chunk_destroy(void *priv, const struct pcpu_layout *l, uintptr_t base,
			     void *cookie)
{
	unsigned long pages = 0;
	unsigned int cpu;

	/* pages still populated go with the chunk */
	for (cpu = 0; cpu < l->nr_cpus; cpu++)
		pages += vm_unmap_pages(base + l->unit_off[cpu], l->unit_size);
	__atomic_fetch_add(&vm_pages_with_chunks, pages, __ATOMIC_RELAXED);
	vm_release(base);
	__atomic_fetch_add(&vm_chunks_destroyed, 1, __ATOMIC_RELAXED);
}

static const struct pcpu_backend vm_backend = {
	.name = "vm",
	.populated_on_create = false,
	.chunk_create = vm_chunk_create,
	.chunk_destroy = vm_chunk_destroy,
	.populate = vm_populate,
	.depopulate = vm_depopulate,
	.meta_alloc = km_meta_alloc,
	.meta_free = km_meta_free,
};

/* percpu_chunks=km|vm: the chunk backend (vm needs the MMU's vmalloc area) */
static const struct pcpu_backend *chosen_backend;

static int set_chunks(const char *v)
{
	if (!strcmp(v, "km"))
		chosen_backend = &km_backend;
	else if (!strcmp(v, "vm"))
		chosen_backend = &vm_backend;
	else
		return -1;
	return 0;
}
DEFINE_BOOT_PARAM("percpu_chunks", set_chunks);

/* percpu_backend_print() - the chunk backend's counters, one line. */
void percpu_backend_print(void)
{
	if (chosen_backend == &vm_backend)
		printk("percpu: vm chunks: %lu created, %lu destroyed; %lu pages populated, "
		       "%lu depopulated (%lu by balancing, %lu with their chunks)\n",
		       vm_chunks_created, vm_chunks_destroyed, vm_pages_in,
		       vm_pages_out + vm_pages_with_chunks, vm_pages_out, vm_pages_with_chunks);
	else
		printk("percpu: km chunks: %lu created, %lu destroyed\n", km_chunks_created,
		       km_chunks_destroyed);
}

static unsigned int this_cpu_number(void)
{
	return smp_processor_id();
}

/* percpu_dynamic_init() - pcpu_default over the first chunk; after page_alloc is fed. */
void percpu_dynamic_init(void)
{
	const struct pcpu_first_chunk *fc = &pcpu_first_chunk;
	struct pcpu_config cfg = {
		.layout = &layout,
		.backend = NULL,
		.kind = allocator_kind,
		.first_base = fc->base,
		.static_size = fc->static_size,
		.reserved_size = fc->reserved_size,
		.dyn_size = fc->dyn_size,
		.ptr_delta = fc->base - (uintptr_t)__per_cpu_start,
		.this_cpu = this_cpu_number,
	};

	if (!chosen_backend || (chosen_backend == &vm_backend && !vm_vmalloc_size())) {
		if (chosen_backend)
			pr_warn("percpu: vm chunks need the vmalloc area (MMU), using km\n");
		chosen_backend = vm_vmalloc_size() ? &vm_backend : &km_backend;
	}
	cfg.backend = chosen_backend;
	layout = (struct pcpu_layout){
		.nr_cpus = nr_cpu_ids,
		.nr_units = fc->nr_units,
		.unit_size = fc->unit_size,
		.unit_off = fc->unit_off,
		.nr_groups = fc->nr_groups,
		.group_off = fc->group_off,
		.group_size = fc->group_size,
		.group_node = fc->group_node,
	};
	if (pcpu_allocator_init(&pcpu_default, &cfg))
		panic("percpu: cannot set up the dynamic allocator");
	printk("percpu: dynamic allocator %s, %s chunks, %zu dynamic + %zu reserved bytes per "
	       "unit in the first chunk\n", pcpu_allocator_name(allocator_kind), chosen_backend->name, fc->dyn_size,
	       fc->reserved_size);
}

/* percpu_balance_step() - the background step: balance when the allocator asked for it. */
void percpu_balance_step(void)
{
	if (pcpu_default.ready && pcpu_allocator_balance_needed(&pcpu_default))
		pcpu_allocator_balance(&pcpu_default);
}

void percpu_km_counts(unsigned long *created, unsigned long *destroyed)
{
	*created = km_chunks_created;
	*destroyed = km_chunks_destroyed;
}
