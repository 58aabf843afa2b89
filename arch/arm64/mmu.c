/*
 * mmu.c (arm64) - the early identity map: 4 KiB granule, 39-bit addresses starting at
 * level 1. A 1 GiB region that is all RAM or has no RAM is one block; a region that mixes
 * both (the Pis' RAM and peripherals share one) gets a level-2 table of 2 MiB blocks.
 * RAM is Normal write-back, inner shareable; everything else Device-nGnRE, never executable.
 */
#include <pcpurt/arch.h>
#include <pcpurt/dt.h>
#include <pcpurt/printk.h>
#include <pcpurt/smp.h>
#include <stdio.h>

#define PTE_VALID	(1UL << 0)
#define PTE_TABLE	(3UL << 0)
#define PTE_BLOCK	(1UL << 0)
#define PTE_ATTR(i)	((unsigned long)(i) << 2)
#define PTE_SH_INNER	(3UL << 8)
#define PTE_AF		(1UL << 10)
#define PTE_PXN		(1UL << 53)
#define PTE_UXN		(1UL << 54)

#define ATTR_DEVICE	0	/* MAIR attr0: Device-nGnRE */
#define ATTR_NORMAL	1	/* MAIR attr1: Normal, inner/outer write-back RW-allocate */
#define MAIR_VALUE	((0x04UL << (8 * ATTR_DEVICE)) | (0xffUL << (8 * ATTR_NORMAL)))

#define VA_BITS		39
#define L1_ENTRIES	512
#define NR_L2_TABLES	16

#define PROT_NORMAL	(PTE_BLOCK | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF)
#define PROT_DEVICE	(PTE_BLOCK | PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)

static uint64_t l1_table[L1_ENTRIES] __aligned(4096);
static uint64_t l2_tables[NR_L2_TABLES][512] __aligned(4096);
static int nr_l2_used;

/* what secondaries load: computed once by the boot CPU, cleaned to the point of coherency */
static struct {
	uint64_t mair, tcr, ttbr, sctlr;
} mmu_regs;
static char mmu_desc[96];

extern char _text[], _end[];

/* How much of [base, base+size) is RAM: 0 none, 1 some, 2 all. */
static int ram_coverage(const struct dt_info *dt, uint64_t base, uint64_t size)
{
	uint64_t covered = 0;
	int i;

	for (i = 0; i < dt->nr_mem; i++) {
		uint64_t s = MAX(base, dt->mem[i].base);
		uint64_t e = MIN(base + size, dt->mem[i].base + dt->mem[i].size);

		if (e > s)
			covered += e - s;
	}
	return covered == 0 ? 0 : covered >= size ? 2 : 1;
}

static void inval_dcache_range(uintptr_t start, uintptr_t end)
{
	for (start &= ~(uintptr_t)(CACHE_LINE - 1); start < end; start += CACHE_LINE)
		__asm__ __volatile__("dc ivac, %0" : : "r"(start) : "memory");
	dsb(sy);
}

int arch_mmu_init(const struct dt_info *dt)
{
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	uint64_t tcr;
	int gib, j, mixed = 0;

	for (gib = 0; gib < L1_ENTRIES; gib++) {
		uint64_t base = (uint64_t)gib << 30;
		int cov = ram_coverage(dt, base, SZ_1G);

		if (cov != 1) {
			l1_table[gib] = base | (cov ? PROT_NORMAL : PROT_DEVICE);
			continue;
		}
		if (nr_l2_used == NR_L2_TABLES) {
			pr_warn("mmu: too many mixed RAM/device GiBs, mapping 0x%llx as device\n",
				(unsigned long long)base);
			l1_table[gib] = base | PROT_DEVICE;
			continue;
		}
		uint64_t *l2 = l2_tables[nr_l2_used++];

		for (j = 0; j < 512; j++) {
			uint64_t b = base + ((uint64_t)j << 21);

			l2[j] = b | (ram_coverage(dt, b, SZ_2M) == 2 ? PROT_NORMAL : PROT_DEVICE);
		}
		l1_table[gib] = (uintptr_t)l2 | PTE_TABLE;
		mixed++;
	}

	if (parange > 5)
		parange = 5;
	tcr = (64 - VA_BITS) | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) |
	      (parange << 32);

	/*
	 * Everything so far was written with the MMU (and so the data cache) off. Lines the
	 * boot loader left in the cache for these addresses are stale: drop them, never
	 * write them back.
	 */
	inval_dcache_range((uintptr_t)_text, (uintptr_t)_end);
	mmu_regs.mair = MAIR_VALUE;
	mmu_regs.tcr = tcr;
	mmu_regs.ttbr = (uintptr_t)l1_table;
	mmu_regs.sctlr = read_sysreg(sctlr_el1) | (1UL << 0) | (1UL << 2) | (1UL << 12);
	arch_secondary_mmu_on();
	arch_dcache_clean_inval(&mmu_regs, sizeof(mmu_regs));
	snprintf(mmu_desc, sizeof(mmu_desc),
		 "identity map, 4K granule, %d-bit VA, %d mixed GiB split in 2M blocks", VA_BITS,
		 mixed);
	return 0;
}

/* Load the boot CPU's tables and turn the MMU and caches on (boot CPU and secondaries). */
void arch_secondary_mmu_on(void)
{
	__asm__ __volatile__("tlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
	write_sysreg(mmu_regs.mair, mair_el1);
	write_sysreg(mmu_regs.tcr, tcr_el1);
	write_sysreg(mmu_regs.ttbr, ttbr0_el1);
	isb();
	write_sysreg(mmu_regs.sctlr, sctlr_el1);
	isb();
}

bool arch_mmu_enabled(void)
{
	return read_sysreg(sctlr_el1) & 1;
}

const char *arch_mmu_describe(void)
{
	return mmu_desc;
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
