/*
 * pgtable_alloc.c - pages for page tables: from the early allocator while it owns memory,
 * from the page allocator once memory was handed over. Node-local when it can be.
 */
#include <pcpurt/mmu.h>
#include <pcpurt/memblock.h>
#include <pcpurt/page_alloc.h>
#include <string.h>

uint64_t mmu_alloc_table_page(int node)
{
	uint64_t pa;

	if (page_alloc_ready()) {
		pa = alloc_pages_node(node, 4096, 4096);	/* falls back to any node */
	} else {
		pa = memblock_alloc_node(4096, 4096, node, NULL);
	}
	if (pa)
		memset((void *)(uintptr_t)pa, 0, 4096);
	return pa;
}
