/*
 * workload_percpu_pages.c - per-CPU memory seen through the page tables.
 *
 *   percpu-page-walk    walks the page tables for every page of every CPU's unit in the
 *                       first chunk and of a fresh dynamic allocation, and checks that
 *                       each page is mapped, writable, not executable and lies in the
 *                       memory of that CPU's memory node (cpu_to_mem(): its own node, or
 *                       the nearest with memory when its node has none)
 *   percpu-unpopulated  touches a page of a vm chunk that is not populated: must end in a
 *                       fault reported as "unpopulated per-CPU page"
 */
#include <pcpurt/percpu.h>
#include <pcpurt/percpu_alloc.h>
#include <pcpurt/percpu_first_chunk.h>
#include <pcpurt/memblock.h>
#include <pcpurt/mmu.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <pcpurt/vmalloc.h>

extern struct pcpu_first_chunk pcpu_first_chunk;
extern const char *pcpu_first_chunk_kind;

/* Check @pages pages from @va for @cpu; returns the number of bad pages. */
static unsigned int walk(unsigned int cpu, uintptr_t va, size_t pages, const char *what)
{
	unsigned int bad = 0;
	size_t i;

	for (i = 0; i < pages; i++) {
		uintptr_t v = va + i * 4096;
		unsigned int prot = 0;
		uint64_t pa;
		int node;

		if (!arch_translate(v, &pa, &prot)) {
			if (!bad++)
				printk("  CPU%u %s page 0x%lx: not mapped\n", cpu, what,
				       (unsigned long)v);
			continue;
		}
		node = memblock_addr_node(pa);
		if (node != cpu_to_mem(cpu) || !(prot & VM_PROT_WRITE) || (prot & VM_PROT_EXEC)) {
			if (!bad++)
				printk("  CPU%u %s page 0x%lx -> 0x%llx: node %d (want %d), prot %#x\n",
				       cpu, what, (unsigned long)v, (unsigned long long)pa, node,
				       cpu_to_mem(cpu), prot);
		}
	}
	return bad;
}

static int page_walk(void)
{
	const struct pcpu_first_chunk *fc = &pcpu_first_chunk;
	size_t unit_pages = fc->unit_size / 4096, used_pages;
	unsigned int cpu, bad = 0, checked = 0;
	void *p;

	if (!vm_vmalloc_size())
		return test_fail("no page-granular MMU: nothing to walk");
	/* embed units give their tail past static+reserved+dynamic back: walk what is kept */
	used_pages = (fc->static_size + fc->reserved_size + fc->dyn_size + 4095) / 4096;
	if (used_pages > unit_pages)
		used_pages = unit_pages;
	p = __alloc_percpu(4096, 4096);
	if (!p)
		return test_fail("cannot allocate a page of per-CPU memory");
	for_each_possible_cpu(cpu) {
		bad += walk(cpu, fc->base + fc->unit_off[cpu], used_pages, "first-chunk");
		bad += walk(cpu, (uintptr_t)per_cpu_ptr(p, cpu), 1, "dynamic");
		checked += used_pages + 1;
	}
	free_percpu(p);
	printk("percpu-page-walk: %s first chunk, %u CPUs, %u pages walked, %u wrong\n",
	       pcpu_first_chunk_kind, num_possible_cpus(), checked, bad);
	return bad ? test_fail("%u per-CPU pages not mapped right or not on their CPU's node",
			       bad) : 0;
}
DEFINE_WORKLOAD("percpu-page-walk", page_walk,
		"walks the page tables of every CPU's per-CPU pages: mapped RW NX, node-local");

static int unpopulated(void)
{
	uintptr_t start, end, va;
	size_t size;
	void *p;

	/* a 32 KiB allocation cannot come from the first chunk's dynamic region */
	p = __alloc_percpu(32768, 4096);
	if (!p)
		return test_fail("cannot allocate 32 KiB of per-CPU memory");
	va = (uintptr_t)per_cpu_ptr(p, 0);
	if (!vm_area_of(va, &start, &size))
		return test_fail("0x%lx is not in a vm chunk: boot with percpu_chunks=vm",
				 (unsigned long)va);
	for (end = start + size, va = start; va < end; va += 4096)
		if (!arch_translate(va, NULL, NULL))
			break;
	if (va == end)
		return test_fail("every page of the chunk is populated");
	printk("percpu-unpopulated: reading 0x%lx, a page of a vm chunk nobody populated\n",
	       (unsigned long)va);
	(void)*(volatile char *)va;
	return test_fail("reading an unpopulated per-CPU page did not fault");
}
DEFINE_WORKLOAD("percpu-unpopulated", unpopulated,
		"reads an unpopulated page of a vm chunk: must end in a reported fault");
