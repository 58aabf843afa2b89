/*
 * mmu.c (riscv) - the early identity map: Sv39 with 1 GiB pages over the lower 256 GiB
 * (all that Sv39 can map one-to-one). RAM is readable, writable and executable; other
 * regions are readable and writable only. Cacheability comes from the platform's PMAs,
 * which is all RISC-V offers without Svpbmt.
 */
#include <pcpurt/arch.h>
#include <pcpurt/dt.h>
#include <pcpurt/smp.h>
#include <stdio.h>

#define PTE_V	(1UL << 0)
#define PTE_R	(1UL << 1)
#define PTE_W	(1UL << 2)
#define PTE_X	(1UL << 3)
#define PTE_G	(1UL << 5)
#define PTE_A	(1UL << 6)
#define PTE_D	(1UL << 7)
#define SATP_SV39 (8UL << 60)

static uint64_t root_table[512] __aligned(4096);
static char mmu_desc[64];

static bool has_ram(const struct dt_info *dt, uint64_t base, uint64_t size)
{
	int i;

	for (i = 0; i < dt->nr_mem; i++)
		if (dt->mem[i].base < base + size && dt->mem[i].base + dt->mem[i].size > base)
			return true;
	return false;
}

int arch_mmu_init(const struct dt_info *dt)
{
	int i;

	/* entries 256..511 would map the upper (sign-extended) half: leave them invalid */
	for (i = 0; i < 256; i++) {
		uint64_t pa = (uint64_t)i << 30;
		uint64_t prot = PTE_V | PTE_R | PTE_W | PTE_A | PTE_D | PTE_G;

		if (has_ram(dt, pa, SZ_1G))
			prot |= PTE_X;
		root_table[i] = ((pa >> 12) << 10) | prot;
	}
	arch_secondary_mmu_on();
	snprintf(mmu_desc, sizeof(mmu_desc), "identity map, Sv39, 1G pages");
	return 0;
}

/* Turn on translation with the boot hart's table (boot hart and secondaries). */
void arch_secondary_mmu_on(void)
{
	__asm__ __volatile__("sfence.vma" : : : "memory");
	csr_write(satp, SATP_SV39 | ((uintptr_t)root_table >> 12));
	__asm__ __volatile__("sfence.vma" : : : "memory");
}

bool arch_mmu_enabled(void)
{
	return (csr_read(satp) >> 60) != 0;
}

const char *arch_mmu_describe(void)
{
	return mmu_desc;
}

const char *arch_atomics_describe(void)
{
	return "A extension (AMO, LR/SC)";
}

/* --- placeholders until page-granular tables land (issue 5) --- */
#include <pcpurt/mmu.h>

uintptr_t arch_vmalloc_start(void)
{
	return 0;
}

uintptr_t arch_vmalloc_end(void)
{
	return 0;
}

int arch_map_kernel_page(uintptr_t va, uint64_t pa, unsigned int prot)
{
	(void)va, (void)pa, (void)prot;
	return -1;
}

void arch_unmap_kernel_page(uintptr_t va)
{
	(void)va;
}

void arch_flush_tlb_kernel_range(uintptr_t start, uintptr_t end)
{
	(void)start, (void)end;
}

bool arch_translate(uintptr_t va, uint64_t *pa, unsigned int *prot)
{
	(void)va, (void)pa, (void)prot;
	return false;
}
