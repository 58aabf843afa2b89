/*
 * mmu_walk.c (arm64) - the "mmu-walk" self-check of the page-table functions mm/vmalloc.c
 * builds on: map a page in the vmalloc region, find it again by walking the tables, use
 * it through both addresses, unmap and flush it, and check that it is gone. Also checks
 * that the image is mapped W^X and the boot stack's guard page not at all.
 */
#include <pcpurt/arch.h>
#include <pcpurt/mmu.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/run.h>
#include <pcpurt/vmalloc.h>

extern char _text[], _sdata[], __stack_guard_start[];

/* What the identity map says about the image: text RX, data RW NX, guard page absent. */
static int check_image_map(void)
{
	unsigned int prot;
	uint64_t pa;

	if (!arch_translate((uintptr_t)_text, &pa, &prot) || pa != (uintptr_t)_text ||
	    (prot & (VM_PROT_WRITE | VM_PROT_EXEC)) != VM_PROT_EXEC)
		return test_fail("text at %p: not mapped read-execute", (void *)_text);
	if (!arch_translate((uintptr_t)_sdata, &pa, &prot) ||
	    (prot & (VM_PROT_WRITE | VM_PROT_EXEC)) != VM_PROT_WRITE)
		return test_fail("data at %p: not mapped read-write no-execute", (void *)_sdata);
	if (arch_translate((uintptr_t)__stack_guard_start, NULL, NULL))
		return test_fail("boot stack guard page %p is mapped", (void *)__stack_guard_start);
	return 0;
}

static int test_mmu_walk(void)
{
	uintptr_t va = vm_reserve(4096, 4096, VM_KIND_OTHER);
	uint64_t page = alloc_pages_node(-1, 4096, 4096), pa = 0;
	volatile uint64_t *alias = (volatile uint64_t *)va;
	unsigned int prot = 0;
	int rc = -1;

	if (!va || !page) {
		rc = test_fail("no virtual range (0x%lx) or page (0x%llx)", va,
			       (unsigned long long)page);
		goto out;
	}
	if (arch_map_kernel_page(va, page, VM_PROT_RW)) {
		rc = test_fail("arch_map_kernel_page(0x%lx) failed", va);
		goto out;
	}
	if (!arch_translate(va, &pa, &prot) || pa != page || prot != VM_PROT_RW)
		rc = test_fail("0x%lx translates to 0x%llx prot %#x, want 0x%llx prot %#x", va,
			       (unsigned long long)pa, prot, (unsigned long long)page, VM_PROT_RW);
	else if ((alias[1] = 0x5a5aa5a5c3c33c3cULL, *(volatile uint64_t *)(page + 8)) !=
		 0x5a5aa5a5c3c33c3cULL)
		rc = test_fail("a write through 0x%lx is not seen at 0x%llx", va,
			       (unsigned long long)page);
	else
		rc = check_image_map();
	arch_unmap_kernel_page(va);
	arch_flush_tlb_kernel_range(va, va + 4096);
	if (!rc && arch_translate(va, NULL, NULL))
		rc = test_fail("0x%lx still translates after unmap", va);
out:
	if (page)
		free_pages(page, 4096);
	if (va)
		vm_release(va);
	return rc;
}
DEFINE_TEST("mmu-walk", test_mmu_walk,
	    "map a vmalloc page, walk, use, unmap; image mapped W^X, guard page unmapped");
