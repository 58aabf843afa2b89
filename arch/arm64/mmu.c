/*
 * mmu.c (arm64) - the kernel page tables: 4 KiB granule, 48-bit virtual addresses, four
 * levels (0-3) reached through TTBR0_EL1 only, one set shared by every CPU.
 *
 * The lower 512 GiB are identity mapped: a 1 GiB region that is all RAM or has no RAM is
 * one block; a region that mixes both (the Pis' RAM and peripherals share one) or holds
 * the image gets a level-2 table of 2 MiB blocks. RAM is Normal write-back, inner
 * shareable, read-write and never executable; everything else Device-nGnRE, never
 * executable. The 2 MiB blocks under the image are split into 4 KiB pages so that it is
 * W^X: text read-execute, rodata (and .rela, .got) read-only, data/bss/stacks read-write
 * no-execute, and the boot stack's guard page unmapped.
 *
 * The vmalloc region [2^47, 2^47 + 2^46) starts empty; arch_map_kernel_page() builds its
 * tables on demand, from any CPU, with a compare-and-swap on each new table entry.
 */
#include <pcpurt/arch.h>
#include <asm/cpufeature.h>
#include <pcpurt/dt.h>
#include <pcpurt/mmu.h>
#include <pcpurt/printk.h>
#include <pcpurt/smp.h>
#include <stdio.h>

#define PTE_VALID	(1UL << 0)
#define PTE_TYPE_MASK	(3UL << 0)
#define PTE_BLOCK	(1UL << 0)	/* levels 1 and 2 */
#define PTE_TABLE	(3UL << 0)	/* levels 0 to 2 */
#define PTE_PAGE	(3UL << 0)	/* level 3 */
#define PTE_ATTR(i)	((uint64_t)(i) << 2)
#define PTE_ATTR_MASK	(7UL << 2)
#define PTE_RDONLY	(1UL << 7)	/* AP[2]; AP[1] stays 0: no EL0 access */
#define PTE_SH_INNER	(3UL << 8)
#define PTE_AF		(1UL << 10)
#define PTE_PXN		(1UL << 53)
#define PTE_UXN		(1UL << 54)
#define PTE_XN		(PTE_PXN | PTE_UXN)
#define PTE_ADDR_MASK	0x0000fffffffff000UL	/* output address, bits 47:12 */

#define ATTR_DEVICE	0	/* MAIR attr0: Device-nGnRE */
#define ATTR_NORMAL	1	/* MAIR attr1: Normal, inner/outer write-back RW-allocate */
#define MAIR_VALUE	((0x04UL << (8 * ATTR_DEVICE)) | (0xffUL << (8 * ATTR_NORMAL)))

/* attributes of the kinds of memory the identity map holds (type bits added per level) */
#define PROT_RAM	(PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_XN)
#define PROT_TEXT	(PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_RDONLY | PTE_UXN)
#define PROT_RODATA	(PROT_RAM | PTE_RDONLY)
#define PROT_DEVICE	(PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_XN)
#define PROT_NONE	0UL	/* left invalid: the boot stack's guard page */

#define VA_BITS		48
#define PTRS		512
#define IDMAP_GIBS	512		/* identity map: level 0 entry 0, the lower 512 GiB */
#define NR_L2_MIXED	16		/* level-2 tables for GiBs that mix RAM and devices */
#define NR_L2_TABLES	(NR_L2_MIXED + 2)	/* ... plus the GiB(s) holding the image */
#define NR_L3_TABLES	8		/* page tables under the image: up to 14 MiB of it */

#define VMALLOC_START	(1UL << 47)
#define VMALLOC_END	(VMALLOC_START + (1UL << 46))
#define TLBI_ALL_PAGES	512		/* flush everything beyond this many pages */

static uint64_t l0_table[PTRS] __aligned(4096);
static uint64_t l1_idmap[PTRS] __aligned(4096);
static uint64_t l2_tables[NR_L2_TABLES][PTRS] __aligned(4096);
static uint64_t l3_tables[NR_L3_TABLES][PTRS] __aligned(4096);
static int nr_l2_used, nr_l3_used;

/*
 * What secondaries load (head.S, with their MMU off): computed once by the boot CPU,
 * cleaned to the point of coherency. Layout fixed by head.S's MMU_* offsets.
 */
struct arm64_mmu_regs {
	uint64_t mair, tcr, ttbr, sctlr;
};
extern struct arm64_mmu_regs arm64_mmu_regs;
struct arm64_mmu_regs arm64_mmu_regs;
static char mmu_desc[128];

extern char _text[], _etext[], _sdata[], _end[];
extern char __stack_guard_start[], __stack_guard_end[];

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

static bool overlaps_image(uint64_t base, uint64_t size)
{
	return base < (uintptr_t)_end && base + size > (uintptr_t)_text;
}

/* Attributes of the image page at @pa (all addresses are where the image runs now). */
static uint64_t image_page_prot(uint64_t pa)
{
	if (pa < (uintptr_t)_etext)
		return PROT_TEXT;
	if (pa < (uintptr_t)_sdata)
		return PROT_RODATA;
	if (pa >= (uintptr_t)__stack_guard_start && pa < (uintptr_t)__stack_guard_end)
		return PROT_NONE;
	return PROT_RAM;
}

static uint64_t table_entry(const uint64_t *table)
{
	return (uintptr_t)table | PTE_TABLE;
}

/* A level-3 table for the 2 MiB at @base, which overlaps the image. */
static uint64_t *build_l3(const struct dt_info *dt, uint64_t base)
{
	uint64_t *l3;
	int k;

	if (nr_l3_used == NR_L3_TABLES)
		return NULL;
	l3 = l3_tables[nr_l3_used++];
	for (k = 0; k < PTRS; k++) {
		uint64_t pa = base + ((uint64_t)k << 12);
		uint64_t prot;

		if (overlaps_image(pa, SZ_4K))
			prot = image_page_prot(pa);
		else
			prot = ram_coverage(dt, pa, SZ_4K) == 2 ? PROT_RAM : PROT_DEVICE;
		l3[k] = prot ? pa | prot | PTE_PAGE : 0;
	}
	return l3;
}

/* A level-2 table for the GiB at @base: 2 MiB blocks, page tables under the image. */
static uint64_t *build_l2(const struct dt_info *dt, uint64_t base)
{
	uint64_t *l2 = l2_tables[nr_l2_used++];
	int j;

	for (j = 0; j < PTRS; j++) {
		uint64_t b = base + ((uint64_t)j << 21);
		uint64_t *l3;

		if (!overlaps_image(b, SZ_2M)) {
			l2[j] = b | PTE_BLOCK |
				(ram_coverage(dt, b, SZ_2M) == 2 ? PROT_RAM : PROT_DEVICE);
			continue;
		}
		l3 = build_l3(dt, b);
		if (!l3)
			return NULL;
		l2[j] = table_entry(l3);
	}
	return l2;
}

/*
 * Fill the identity map of the lower 512 GiB. Returns how many GiBs were split into 2 MiB
 * blocks, or -1 (image too big for the page-table pool).
 */
static int build_idmap(const struct dt_info *dt)
{
	int gib, mixed = 0;

	for (gib = 0; gib < IDMAP_GIBS; gib++) {
		uint64_t base = (uint64_t)gib << 30;
		int cov = ram_coverage(dt, base, SZ_1G);
		bool image = overlaps_image(base, SZ_1G);
		uint64_t *l2;

		if (cov != 1 && !image) {
			l1_idmap[gib] = base | PTE_BLOCK | (cov ? PROT_RAM : PROT_DEVICE);
			continue;
		}
		if (!image && mixed == NR_L2_MIXED) {
			pr_warn("mmu: too many mixed RAM/device GiBs, mapping 0x%llx as device\n",
				(unsigned long long)base);
			l1_idmap[gib] = base | PTE_BLOCK | PROT_DEVICE;
			continue;
		}
		l2 = build_l2(dt, base);
		if (!l2) {
			pr_err("mmu: image [0x%lx-0x%lx) needs more than %d page tables\n",
			       (uintptr_t)_text, (uintptr_t)_end, NR_L3_TABLES);
			return -1;
		}
		l1_idmap[gib] = table_entry(l2);
		mixed += !image;
	}
	l0_table[0] = table_entry(l1_idmap);
	return nr_l2_used;
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
	int split = build_idmap(dt);

	if (split < 0)
		return -1;
	/* the last moment the text is writable: the boot parameters have been read */
	arm64_patch_lse_sites();
	if (parange > 5)
		parange = 5;

	/*
	 * Everything so far was written with the MMU (and so the data cache) off. Lines the
	 * boot loader left in the cache for these addresses are stale: drop them, never
	 * write them back.
	 */
	inval_dcache_range((uintptr_t)_text, (uintptr_t)_end);
	arm64_mmu_regs.mair = MAIR_VALUE;
	/* T0SZ, walks inner/outer WB-WA inner shareable, 4K granule, no TTBR1 walks, IPS */
	arm64_mmu_regs.tcr = (64 - VA_BITS) | (1UL << 8) | (1UL << 10) | (3UL << 12) |
			     (1UL << 23) | (parange << 32);
	arm64_mmu_regs.ttbr = (uintptr_t)l0_table;
	arm64_mmu_regs.sctlr = read_sysreg(sctlr_el1) | (1UL << 0) | (1UL << 2) | (1UL << 12);
	arch_secondary_mmu_on();
	arch_dcache_clean_inval(&arm64_mmu_regs, sizeof(arm64_mmu_regs));
	snprintf(mmu_desc, sizeof(mmu_desc),
		 "4K pages, %d-bit VA, kernel W^X (text RX, rodata R, data RW NX), "
		 "RAM/devices identity mapped (%d GiB in 2M blocks)", VA_BITS, split);
	return 0;
}

/*
 * Load the boot CPU's tables and turn the MMU and caches on. The boot CPU calls it from
 * arch_mmu_init(); secondaries do the same in head.S, before they touch their stack.
 */
void arch_secondary_mmu_on(void)
{
	__asm__ __volatile__("tlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
	write_sysreg(arm64_mmu_regs.mair, mair_el1);
	write_sysreg(arm64_mmu_regs.tcr, tcr_el1);
	write_sysreg(arm64_mmu_regs.ttbr, ttbr0_el1);
	isb();
	write_sysreg(arm64_mmu_regs.sctlr, sctlr_el1);
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

uintptr_t arch_vmalloc_start(void)
{
	return VMALLOC_START;
}

uintptr_t arch_vmalloc_end(void)
{
	return VMALLOC_END;
}

static uint64_t *entry_table(uint64_t e)
{
	return (uint64_t *)(uintptr_t)(e & PTE_ADDR_MASK);
}

static unsigned int pte_index(uintptr_t va, int level)
{
	return (va >> (39 - 9 * level)) & (PTRS - 1);
}

/*
 * The table the entry at @slot points to, made (zeroed) if the entry is empty. Two CPUs
 * may race to make the same one: the compare-and-swap picks one table, and the loser's
 * page is leaked (it happens at most once per table ever made). NULL: no memory, or the
 * entry holds a block.
 */
static uint64_t *get_or_make_table(uint64_t *slot)
{
	uint64_t e = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (!e) {
		uint64_t page = mmu_alloc_table_page(-1);
		uint64_t want = page | PTE_TABLE;

		if (!page)
			return NULL;
		/* the zeroed page reaches the table walkers before the entry naming it */
		dsb(ishst);
		if (__atomic_compare_exchange_n(slot, &e, want, false, __ATOMIC_RELEASE,
						__ATOMIC_ACQUIRE))
			e = want;
	}
	if ((e & PTE_TYPE_MASK) != PTE_TABLE)
		return NULL;
	return entry_table(e);
}

/* The level-3 entry for @va (in the vmalloc region), NULL when a table is missing. */
static uint64_t *find_pte(uintptr_t va)
{
	uint64_t *table = l0_table;
	int level;

	for (level = 0; level < 3; level++) {
		uint64_t e = READ_ONCE(table[pte_index(va, level)]);

		if ((e & PTE_TYPE_MASK) != PTE_TABLE)
			return NULL;
		table = entry_table(e);
	}
	return &table[pte_index(va, 3)];
}

static uint64_t prot_to_pte(unsigned int prot)
{
	uint64_t d = PTE_AF | PTE_PAGE;

	if (prot & VM_PROT_DEVICE)
		d |= PTE_ATTR(ATTR_DEVICE) | PTE_XN;
	else
		d |= PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER;
	if (!(prot & VM_PROT_WRITE))
		d |= PTE_RDONLY;
	d |= prot & VM_PROT_EXEC ? PTE_UXN : PTE_XN;
	return d;
}

int arch_map_kernel_page(uintptr_t va, uint64_t pa, unsigned int prot)
{
	uint64_t *table = l0_table;
	uint64_t *pte;
	int level;

	if (va < VMALLOC_START || va >= VMALLOC_END || !IS_ALIGNED(va, SZ_4K) ||
	    !IS_ALIGNED(pa, SZ_4K) || (pa & ~PTE_ADDR_MASK))
		return -1;
	for (level = 0; level < 3; level++) {
		table = get_or_make_table(&table[pte_index(va, level)]);
		if (!table)
			return -2;
	}
	pte = &table[pte_index(va, 3)];
	if (READ_ONCE(*pte))
		return -1;
	WRITE_ONCE(*pte, pa | prot_to_pte(prot));
	/* visible to this CPU's and every other CPU's walks from now on */
	__asm__ __volatile__("dsb ishst\n\tisb" : : : "memory");
	return 0;
}

void arch_unmap_kernel_page(uintptr_t va)
{
	uint64_t *pte;

	if (va < VMALLOC_START || va >= VMALLOC_END)
		return;
	pte = find_pte(va);
	if (pte)
		WRITE_ONCE(*pte, 0);
}

void arch_flush_tlb_kernel_range(uintptr_t start, uintptr_t end)
{
	uintptr_t va;

	start = ALIGN_DOWN(start, SZ_4K);
	end = ALIGN_UP(end, SZ_4K);
	dsb(ishst);
	if ((end - start) / SZ_4K > TLBI_ALL_PAGES) {
		__asm__ __volatile__("tlbi vmalle1is" : : : "memory");
	} else {
		for (va = start; va < end; va += SZ_4K)
			__asm__ __volatile__("tlbi vaae1is, %0" : : "r"(va >> 12) : "memory");
	}
	__asm__ __volatile__("dsb ish\n\tisb" : : : "memory");
}

/* VM_PROT_* of a valid block or page descriptor. */
static unsigned int pte_to_prot(uint64_t e)
{
	unsigned int prot = VM_PROT_READ;

	if (!(e & PTE_RDONLY))
		prot |= VM_PROT_WRITE;
	if (!(e & PTE_PXN))
		prot |= VM_PROT_EXEC;
	if ((e & PTE_ATTR_MASK) == PTE_ATTR(ATTR_DEVICE))
		prot |= VM_PROT_DEVICE;
	return prot;
}

bool arch_translate(uintptr_t va, uint64_t *pa, unsigned int *prot)
{
	const uint64_t *table = l0_table;
	int level;

	if (va >> VA_BITS)
		return false;
	for (level = 0; level <= 3; level++) {
		uint64_t e = READ_ONCE(table[pte_index(va, level)]);
		uint64_t size = 1UL << (39 - 9 * level);

		if (!(e & PTE_VALID))
			return false;
		if (level < 3 && (e & PTE_TYPE_MASK) == PTE_TABLE) {
			table = entry_table(e);
			continue;
		}
		/* level 0 has no blocks; at level 3 type 1 is reserved */
		if (level == 0 || (level == 3 && (e & PTE_TYPE_MASK) != PTE_PAGE))
			return false;
		if (pa)
			*pa = (e & PTE_ADDR_MASK & ~(size - 1)) | (va & (size - 1));
		if (prot)
			*prot = pte_to_prot(e);
		return true;
	}
	return false;
}
