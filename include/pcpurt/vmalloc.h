/*
 * vmalloc.h - the vmalloc region (mm/vmalloc.c): reserve virtual ranges, map pages of
 * given NUMA nodes into them, unmap with TLB maintenance on every CPU.
 */
#ifndef PCPURT_VMALLOC_H
#define PCPURT_VMALLOC_H

#include <pcpurt/compiler.h>

/* vm_reserve() - a free virtual range of @size bytes aligned to @align; 0 when none. */
uintptr_t vm_reserve(size_t size, size_t align, unsigned int kind);
/* vm_release() - give back what vm_reserve() returned; its pages must be unmapped. */
void vm_release(uintptr_t va);
/*
 * vm_map_pages() - back [va, va+size) with fresh pages of @node (falling back to any
 * node); zeroed when @zero. 0, or -1 with nothing left mapped when memory is out.
 */
int vm_map_pages(uintptr_t va, size_t size, int node, bool zero);
/*
 * vm_unmap_pages() - unmap [va, va+size), flush every CPU's TLB, free the pages; returns
 * how many pages were mapped there.
 */
size_t vm_unmap_pages(uintptr_t va, size_t size);

/* what a reserved range is for (named in fault reports) */
#define VM_KIND_OTHER	0
#define VM_KIND_PERCPU	1
#define VM_KIND_STACK	2

const char *vmalloc_fault_reason(uintptr_t addr);
/* vm_vmalloc_size() - usable size of the region (the `vmalloc=` boot parameter caps it) */
size_t vm_vmalloc_size(void);

/* vm_area_of() - the reserved range holding @addr: true and its start and size. */
bool vm_area_of(uintptr_t addr, uintptr_t *start, size_t *size);
/* pages mapped and unmapped since boot, ranges reserved now */
void vm_stats(unsigned long *mapped, unsigned long *unmapped, unsigned int *ranges);
/*
 * vm_alloc_stack() - a stack of @size bytes from pages of @node with an unmapped guard
 * page below it (registered with mm_register_stack_guard()); returns its top, or 0.
 */
uintptr_t vm_alloc_stack(size_t size, int node);

#endif
