/*
 * vmalloc.c - the vmalloc region: a sorted table of reserved virtual ranges, pages of a
 * chosen NUMA node mapped into them one at a time, and unmapping with TLB maintenance
 * that reaches every CPU. One lock; mapping work happens outside it on ranges the caller
 * owns.
 */
#include <pcpurt/vmalloc.h>
#include <pcpurt/mmu.h>

const char *vmalloc_fault_reason(uintptr_t addr)
{
	(void)addr;
	return NULL;
}
