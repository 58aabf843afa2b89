/*
 * setup_percpu.c - the runtime side of the first chunk: memblock supplies node-local
 * memory, the tree supplies distances, percpu/embed.c builds the chunk; then every CPU's
 * offset is recorded and the boot CPU's base register switched to its own unit.
 */
#include <pcpurt/percpu.h>
#include <pcpurt/percpu_first_chunk.h>
#include <pcpurt/arch.h>
#include <pcpurt/boot.h>
#include <pcpurt/memblock.h>
#include <pcpurt/panic.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <pcpurt/vmalloc.h>
#include <string.h>

unsigned long __per_cpu_offset[NR_CPUS];

/* percpu_alloc=embed|page, as Linux: which first chunk to try first */
static bool want_page_fc;

static int set_percpu_alloc(const char *v)
{
	if (!strcmp(v, "embed") || !strcmp(v, "page")) {
		want_page_fc = !strcmp(v, "page");
		return 0;
	}
	pr_warn("percpu: unknown allocator %s specified\n", v);
	return -1;
}
DEFINE_BOOT_PARAM("percpu_alloc", set_percpu_alloc);
struct pcpu_first_chunk pcpu_first_chunk;
const char *pcpu_first_chunk_kind = "embed";
static unsigned long possible_bits[CPUMASK_LONGS];

static uintptr_t fc_alloc(size_t size, size_t align, int node, void *ctx)
{
	return memblock_alloc_node(size, align, node, NULL);
}

static void fc_free(uintptr_t addr, size_t size, void *ctx)
{
	memblock_free(addr, size);
}

/* where a CPU's unit comes from: its node, or the nearest with memory (cpu_to_mem()) */
static int fc_cpu_to_node(unsigned int cpu, void *ctx)
{
	return cpu_to_mem(cpu);
}

static int fc_distance(unsigned int a, unsigned int b, void *ctx)
{
	return cpu_map_distance(boot_dt(), &cpu_map, a, b);
}

static void *fc_info_alloc(size_t size, void *ctx)
{
	uintptr_t p = memblock_alloc(size, PCPU_PAGE_SIZE);

	if (p)
		memset((void *)p, 0, size);
	return (void *)p;
}

static uintptr_t pfc_vm_reserve(size_t size, void *ctx)
{
	return vm_reserve(size, PCPU_PAGE_SIZE, VM_KIND_PERCPU);
}

static void pfc_vm_release(uintptr_t va, void *ctx)
{
	vm_release(va);
}

static int pfc_alloc_map(uintptr_t va, int node, void *ctx)
{
	return vm_map_pages(va, PCPU_PAGE_SIZE, node, false);
}

static void pfc_unmap_free(uintptr_t va, void *ctx)
{
	vm_unmap_pages(va, PCPU_PAGE_SIZE);
}

void setup_per_cpu_areas(void)
{
	static const struct pcpu_page_fc_ops page_ops = {
		.vm_reserve = pfc_vm_reserve, .vm_release = pfc_vm_release,
		.alloc_map = pfc_alloc_map, .unmap_free = pfc_unmap_free,
		.cpu_to_node = fc_cpu_to_node,
	};
	struct pcpu_fc_ops ops = {
		.alloc = fc_alloc, .free = fc_free, .cpu_to_node = fc_cpu_to_node,
		.vm_total = vm_vmalloc_size(),
	};
	struct pcpu_topology topo = {
		.nr_cpu_ids = nr_cpu_ids, .possible = possible_bits, .distance = fc_distance,
	};
	size_t static_size = __per_cpu_end - __per_cpu_start;
	bool have_vm = vm_vmalloc_size() != 0;
	unsigned int cpu;
	int rc = -1;

	memcpy(possible_bits, cpu_possible_mask.bits, sizeof(possible_bits));
	printk("percpu: NR_CPUS:%d nr_cpumask_bits:%d nr_cpu_ids:%u nr_node_ids:%d\n", NR_CPUS,
	       NR_CPUS, nr_cpu_ids, boot_dt()->nr_nodes);
	if (want_page_fc && !have_vm)
		pr_warn("percpu: percpu_alloc=page needs the vmalloc area (MMU), using embed\n");
	if (!want_page_fc || !have_vm) {
		rc = pcpu_embed_first_chunk(__per_cpu_load, static_size, PERCPU_MODULE_RESERVE,
					    PERCPU_DYNAMIC_RESERVE, PCPU_PAGE_SIZE, &topo, &ops,
					    fc_info_alloc, NULL, &pcpu_first_chunk);
		if (rc < 0 && have_vm)
			pr_warn("percpu: embed allocator failed (%d), falling back to page size\n",
				rc);
	}
	if (rc < 0 && have_vm) {
		rc = pcpu_page_first_chunk(__per_cpu_load, static_size, PERCPU_MODULE_RESERVE,
					   &topo, &page_ops, fc_info_alloc, NULL,
					   &pcpu_first_chunk);
		pcpu_first_chunk_kind = "page";
	}
	if (rc)
		panic("percpu: cannot set up the first chunk (error %d)", rc);
	for_each_possible_cpu(cpu) {
		__per_cpu_offset[cpu] = pcpu_first_chunk.base - (uintptr_t)__per_cpu_start +
					pcpu_first_chunk.unit_off[cpu];
		per_cpu(cpu_number, cpu) = cpu;
	}
	arch_set_percpu_offset(__per_cpu_offset[0]);
	printk("percpu: this_cpu ops use %s\n", arch_atomics_describe());
}
