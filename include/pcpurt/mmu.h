/*
 * mmu.h - what generic code may ask of the page tables.
 *
 * Each arch keeps one set of kernel page tables shared by all CPUs. RAM and devices are
 * identity mapped (virtual address == physical address): RAM normal cacheable, read-write,
 * never executable; devices device memory. The image is mapped page by page with its
 * sections' permissions (text read-execute, rodata read-only, data/bss/per-CPU read-write
 * no-execute), and the boot stack has an unmapped guard page below it. Above the identity
 * map lies the vmalloc region, where mm/vmalloc.c maps pages one at a time.
 */
#ifndef PCPURT_MMU_H
#define PCPURT_MMU_H

#include <pcpurt/compiler.h>

/* protections for arch_map_kernel_page() and what arch_translate() reports */
#define VM_PROT_READ	0x1
#define VM_PROT_WRITE	0x2
#define VM_PROT_EXEC	0x4
#define VM_PROT_DEVICE	0x8
#define VM_PROT_RW	(VM_PROT_READ | VM_PROT_WRITE)

/* [start, end) of the vmalloc region the arch reserves in its virtual address space. */
uintptr_t arch_vmalloc_start(void);
uintptr_t arch_vmalloc_end(void);

/*
 * mmu_alloc_table_page() - a zeroed, page-aligned page for a page table, on @node if it
 * can (-1: any). Provided by mm/ (the early allocator until the page allocator is up).
 * Returns its physical (== identity virtual) address, or 0 when memory is out.
 */
uint64_t mmu_alloc_table_page(int node);

/*
 * arch_map_kernel_page() - map the page at @va (in the vmalloc region) to @pa with @prot.
 * Returns 0, -1 when @va is outside the region or already mapped, -2 when no memory for a
 * table. A new mapping needs no TLB maintenance: the arch makes it visible to all CPUs
 * (barriers) before returning.
 */
int arch_map_kernel_page(uintptr_t va, uint64_t pa, unsigned int prot);

/* arch_unmap_kernel_page() - clear the mapping of @va; the caller flushes the TLBs. */
void arch_unmap_kernel_page(uintptr_t va);

/*
 * arch_flush_tlb_kernel_range() - after it returns no CPU uses a stale translation for
 * [start, end): arm64 broadcasts inner-shareable TLBIs; RISC-V fences locally and asks
 * SBI (RFENCE) to fence every other online hart.
 */
void arch_flush_tlb_kernel_range(uintptr_t start, uintptr_t end);

/*
 * arch_translate() - walk the tables for @va (any region). true and *pa, *prot when it is
 * mapped (either out pointer may be NULL); false when it is not.
 */
bool arch_translate(uintptr_t va, uint64_t *pa, unsigned int *prot);

/*
 * mm_fault_reason() - what a faulting data or instruction address means, for the panic
 * line: "kernel stack overflow" (a stack guard page), "unpopulated per-CPU page" (inside
 * a vm per-CPU chunk but not populated), "vmalloc: unmapped address", or NULL.
 */
const char *mm_fault_reason(uintptr_t addr);

/* stack guard pages the fault reporter knows about (boot stack's comes from the lds) */
void mm_register_stack_guard(uintptr_t guard_start, size_t size);

#endif
