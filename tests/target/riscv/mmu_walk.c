/*
 * mmu_walk.c (riscv) - the "mmu-walk" self-check of the page-table functions mm/vmalloc.c
 * builds on (arch/riscv/mmu.c): the image mapped W^X and the boot stack's guard page not at
 * all; a page mapped at the top of the vmalloc region, found again by walking the tables,
 * used through both addresses, unmapped and flushed; and the spurious-fault decision of
 * riscv_mmu_spurious_fault(), which QEMU never exercises.
 */
#include <pcpurt/arch.h>
#include <pcpurt/mmu.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <asm/trap.h>

extern char _etext[], _sdata[];
extern char __stack_guard_start[], __stack_guard_end[];

/* The translation's virtual address bits, from where the vmalloc region starts: -2^(bits-1). */
static unsigned int va_bits(void)
{
	return 65 - __builtin_clzl(~arch_vmalloc_start());
}

static uint8_t walk_page[PAGE_SIZE] __aligned(PAGE_SIZE);

/* check_prot() - @va translates to itself with exactly @want (or is unmapped: ~0u). */
static int check_prot(const char *what, uintptr_t va, unsigned int want)
{
	uint64_t pa;
	unsigned int prot;

	if (!arch_translate(va, &pa, &prot)) {
		if (want == ~0u)
			return 0;
		return test_fail("%s (0x%lx) is not mapped", what, (unsigned long)va);
	}
	if (want == ~0u)
		return test_fail("%s (0x%lx) is mapped", what, (unsigned long)va);
	if (pa != va || prot != want)
		return test_fail("%s (0x%lx): pa 0x%llx prot 0x%x, want identity prot 0x%x", what,
				 (unsigned long)va, (unsigned long long)pa, prot, want);
	return 0;
}

/*
 * The spurious-fault decision, which QEMU never exercises (it caches no invalid entry):
 * with @va mapped RW, a load or store fault there is taken for a stale entry once (retry)
 * and is real the second time at the same pc; an instruction fetch there, a fault below
 * the vmalloc region, and any fault once @va is unmapped are real.
 */
static int test_spurious(uintptr_t va, bool mapped)
{
	uintptr_t pc = (uintptr_t)test_spurious;

	if (!mapped) {
		if (riscv_mmu_spurious_fault(CAUSE_LOAD_PAGE_FAULT, va + 8, pc + 8))
			return test_fail("a fault on unmapped 0x%lx taken as spurious",
					 (unsigned long)va);
		return 0;
	}
	if (!riscv_mmu_spurious_fault(CAUSE_LOAD_PAGE_FAULT, va, pc))
		return test_fail("a load fault on mapped 0x%lx not retried", (unsigned long)va);
	if (riscv_mmu_spurious_fault(CAUSE_LOAD_PAGE_FAULT, va, pc))
		return test_fail("a repeated load fault at 0x%lx retried again", (unsigned long)va);
	if (!riscv_mmu_spurious_fault(CAUSE_STORE_PAGE_FAULT, va + 8, pc + 4))
		return test_fail("a store fault on mapped 0x%lx not retried", (unsigned long)va);
	if (riscv_mmu_spurious_fault(CAUSE_FETCH_PAGE_FAULT, va, va))
		return test_fail("a fetch fault on non-executable 0x%lx retried",
				 (unsigned long)va);
	if (riscv_mmu_spurious_fault(CAUSE_LOAD_PAGE_FAULT, arch_vmalloc_start() - PAGE_SIZE, pc))
		return test_fail("a fault below the vmalloc region retried");
	return 0;
}

/*
 * Maps walk_page at the top page of the vmalloc region (mm/vmalloc.c hands out the
 * region from the bottom, and the `vmalloc=` cap never reaches the top), checks the
 * walk, writes and reads through both addresses, unmaps and flushes it. Also checks the
 * image's W^X layout and the guard page through arch_translate().
 */
static int test_mmu_walk(void)
{
	volatile uint64_t *alias;
	uintptr_t va = arch_vmalloc_end() - PAGE_SIZE;
	uint64_t pa;
	unsigned int prot;
	int err = 0;

	if (!arch_mmu_enabled())
		return test_fail("translation is off");
	err |= check_prot("text", (uintptr_t)test_mmu_walk, VM_PROT_READ | VM_PROT_EXEC);
	err |= check_prot("rodata", (uintptr_t)_etext, VM_PROT_READ);
	err |= check_prot("data", (uintptr_t)_sdata, VM_PROT_RW);
	err |= check_prot("bss", (uintptr_t)walk_page, VM_PROT_RW);
	err |= check_prot("boot stack guard", (uintptr_t)__stack_guard_start, ~0u);
	err |= check_prot("boot stack", (uintptr_t)__stack_guard_end, VM_PROT_RW);
	if (err)
		return err;
	if (arch_map_kernel_page(arch_vmalloc_start() - PAGE_SIZE, (uintptr_t)walk_page,
				 VM_PROT_RW) != -1)
		return test_fail("a page below the vmalloc region was mapped");
	if (arch_translate(va, NULL, NULL))
		return test_fail("0x%lx is already mapped", (unsigned long)va);
	err = arch_map_kernel_page(va, (uintptr_t)walk_page, VM_PROT_RW);
	if (err)
		return test_fail("mapping 0x%lx failed (%d)", (unsigned long)va, err);
	if (arch_map_kernel_page(va, (uintptr_t)walk_page, VM_PROT_RW) != -1)
		return test_fail("mapping 0x%lx twice was allowed", (unsigned long)va);
	if (!arch_translate(va + 0x123, &pa, &prot) || pa != (uintptr_t)walk_page + 0x123 ||
	    prot != VM_PROT_RW)
		return test_fail("0x%lx translates to 0x%llx prot 0x%x, want 0x%lx prot 0x%x",
				 (unsigned long)va + 0x123, (unsigned long long)pa, prot,
				 (unsigned long)walk_page + 0x123, VM_PROT_RW);
	alias = (volatile uint64_t *)va;
	alias[1] = 0x5a5aa5a5deadbeefULL;
	*(volatile uint64_t *)&walk_page[64] = 0x0123456789abcdefULL;
	if (READ_ONCE(*(uint64_t *)&walk_page[8]) != 0x5a5aa5a5deadbeefULL ||
	    alias[8] != 0x0123456789abcdefULL)
		return test_fail("the alias at 0x%lx does not reach its page", (unsigned long)va);
	err = test_spurious(va, true);
	if (err)
		return err;
	arch_unmap_kernel_page(va);
	arch_flush_tlb_kernel_range(va, va + PAGE_SIZE);
	if (arch_translate(va, NULL, NULL))
		return test_fail("0x%lx still translates after unmap", (unsigned long)va);
	err = test_spurious(va, false);
	if (err)
		return err;
	printk("  mmu-walk: Sv%u, vmalloc page 0x%lx mapped, used, unmapped; spurious-fault "
	       "retry decided right\n",
	       va_bits(), (unsigned long)va);
	return 0;
}
DEFINE_TEST("mmu-walk", test_mmu_walk,
	    "page tables: image W^X and guard page, a vmalloc page mapped, walked, unmapped");
