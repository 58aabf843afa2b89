/*
 * mmu.c (riscv) - the kernel page tables, one set shared by all harts.
 *
 * Sv48 when the boot hart's device tree node says it has it (mmu-type riscv,sv48 or
 * riscv,sv57) and satp keeps mode 9 when written, else Sv39. The lower half of the address
 * space is an identity map of 1 GiB pages, readable and writable, never executable (RAM
 * and devices alike: without Svpbmt the platform's PMAs alone decide cacheability). The
 * image is mapped again over that with 4 KiB pages: text read-execute, rodata read-only,
 * data/bss/boot stack read-write, and the boot stack's guard page not at all, so the
 * kernel is W^X and a boot stack overflow faults. The first quarter of the upper half is
 * the vmalloc region, whose tables are made on demand.
 */
#include <pcpurt/arch.h>
#include <pcpurt/dt.h>
#include <pcpurt/mmu.h>
#include <pcpurt/printk.h>
#include <pcpurt/smp.h>
#include <pcpurt/spinlock.h>
#include <asm/sbi.h>
#include <asm/trap.h>
#include <stdio.h>
#include <string.h>

#define PTE_V		(1UL << 0)
#define PTE_R		(1UL << 1)
#define PTE_W		(1UL << 2)
#define PTE_X		(1UL << 3)
#define PTE_G		(1UL << 5)
#define PTE_A		(1UL << 6)
#define PTE_D		(1UL << 7)
#define PTE_RWX		(PTE_R | PTE_W | PTE_X)
#define PTE_PPN_SHIFT	10
#define PTE_PPN_MASK	((1UL << 44) - 1)
/* every kernel leaf: valid, global, accessed and dirty set (nothing updates them for us) */
#define PTE_KERNEL	(PTE_V | PTE_G | PTE_A | PTE_D)

#define SATP_MODE_SHIFT	60
#define SATP_SV39	8UL
#define SATP_SV48	9UL

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PT_ENTRIES	512
#define NR_POOL_TABLES	16	/* static tables for the boot-time map */
#define FLUSH_ALL_PAGES	64	/* a local flush of more pages than this flushes everything */

#define SBI_EXT_LEGACY_REMOTE_SFENCE_VMA 0x06
#define SBI_RFENCE_REMOTE_SFENCE_VMA	1

typedef uint64_t pte_t;

extern char _text[], _etext[], _sdata[], _end[];
extern char __stack_guard_start[], __stack_guard_end[];

static pte_t root_table[PT_ENTRIES] __aligned(PAGE_SIZE);
static pte_t pool[NR_POOL_TABLES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int pool_used;
static int levels;		/* 3 (Sv39) or 4 (Sv48); 0 while translation is off */
static DEFINE_SPINLOCK(table_lock);	/* making intermediate tables after boot */
static unsigned long map_seq;		/* bumped by every new vmalloc mapping */
static int rfence;			/* 0 not probed, 1 SBI RFENCE, -1 legacy only */
static char mmu_desc[256];

/* what every hart writes to satp; head.S loads it for secondaries before their stack */
uint64_t riscv_satp;

static inline unsigned int level_shift(int level)
{
	return PAGE_SHIFT + 9 * level;
}

static inline unsigned int pt_index(uintptr_t va, int level)
{
	return (va >> level_shift(level)) & (PT_ENTRIES - 1);
}

static inline uint64_t pte_pa(pte_t e)
{
	return ((e >> PTE_PPN_SHIFT) & PTE_PPN_MASK) << PAGE_SHIFT;
}

static inline pte_t *pte_table(pte_t e)
{
	return (pte_t *)(uintptr_t)pte_pa(e);	/* tables live in identity-mapped memory */
}

static inline pte_t mk_pte(uint64_t pa, uint64_t flags)
{
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) | flags;
}

static inline bool pte_is_leaf(pte_t e)
{
	return (e & PTE_V) && (e & PTE_RWX);
}

static inline unsigned int va_bits(void)
{
	return levels ? level_shift(levels) : 0;
}

static inline void local_flush_all(void)
{
	__asm__ __volatile__("sfence.vma" : : : "memory");
}

static inline void local_flush_page(uintptr_t va)
{
	__asm__ __volatile__("sfence.vma %0, zero" : : "r"(va) : "memory");
}

/* --- the boot-time map, built in static tables with translation still off --- */

/* early_table() - a zeroed table from the static pool, NULL when it is used up. */
static pte_t *early_table(void)
{
	return pool_used < NR_POOL_TABLES ? pool[pool_used++] : NULL;
}

/*
 * early_pte() - the entry for @va at @level, making the tables on the way. A larger leaf
 * met on the way is split into a table of leaves with the same permissions.
 */
static pte_t *early_pte(uintptr_t va, int level)
{
	pte_t *t = root_table;
	int l, i;

	for (l = levels - 1; l > level; l--) {
		pte_t *e = &t[pt_index(va, l)];

		if (!(*e & PTE_V) || pte_is_leaf(*e)) {
			pte_t *n = early_table();

			if (!n)
				return NULL;
			if (pte_is_leaf(*e))
				for (i = 0; i < PT_ENTRIES; i++)
					n[i] = *e + ((uint64_t)i << (9 * (l - 1) + PTE_PPN_SHIFT));
			*e = mk_pte((uintptr_t)n, PTE_V);
		}
		t = pte_table(*e);
	}
	return &t[pt_index(va, level)];
}

/* What the image's page at @va may do: text RX, rodata R, the rest RW (0: guard page). */
static uint64_t image_prot(uintptr_t va)
{
	if (va >= (uintptr_t)__stack_guard_start && va < (uintptr_t)__stack_guard_end)
		return 0;
	if (va < (uintptr_t)_etext)
		return PTE_R | PTE_X;
	if (va < (uintptr_t)_sdata)
		return PTE_R;
	return PTE_R | PTE_W;
}

/* identity_gib() - map the 1 GiB at @pa one-to-one, read-write. */
static bool identity_gib(uint64_t pa)
{
	pte_t *e = early_pte(pa, 2);

	if (!e)
		return false;
	*e = mk_pte(pa, PTE_KERNEL | PTE_R | PTE_W);
	return true;
}

/*
 * build_tables() - the whole boot-time map for the current number of levels: the
 * identity map (the lower 256 GiB with Sv39; the lower 512 GiB plus any GiB holding RAM
 * with Sv48), then the image page by page. false when the static pool ran out.
 */
static bool build_tables(const struct dt_info *dt, uint64_t *ident_end)
{
	uint64_t half = 1UL << (va_bits() - 1), limit = levels == 3 ? half : 512 * SZ_1G;
	uintptr_t va;
	uint64_t pa;
	int i;

	memset(root_table, 0, sizeof(root_table));
	memset(pool, 0, sizeof(pool[0]) * pool_used);
	pool_used = 0;
	for (pa = 0; pa < limit; pa += SZ_1G)
		if (!identity_gib(pa))
			return false;
	*ident_end = limit;
	for (i = 0; i < dt->nr_mem; i++) {
		uint64_t s = ALIGN_DOWN(dt->mem[i].base, SZ_1G);
		uint64_t e = MIN(ALIGN_UP(dt->mem[i].base + dt->mem[i].size, SZ_1G), half);

		for (pa = MAX(s, limit); pa < e; pa += SZ_1G) {
			if (!identity_gib(pa))
				return false;
			*ident_end = MAX(*ident_end, pa + SZ_1G);
		}
	}
	for (va = (uintptr_t)_text; va < (uintptr_t)_end; va += PAGE_SIZE) {
		pte_t *e = early_pte(va, 0);
		uint64_t prot = image_prot(va);

		if (!e)
			return false;
		*e = prot ? mk_pte(va, PTE_KERNEL | prot) : 0;
	}
	return true;
}

/* try_satp() - turn translation on in @mode; true when satp kept the mode. */
static bool try_satp(unsigned long mode)
{
	uint64_t satp = (mode << SATP_MODE_SHIFT) | ((uintptr_t)root_table >> PAGE_SHIFT);

	local_flush_all();
	csr_write(satp, satp);
	local_flush_all();
	if ((csr_read(satp) >> SATP_MODE_SHIFT) != mode)
		return false;
	riscv_satp = satp;
	return true;
}

/* The boot hart's mmu-type from the tree, or NULL. */
static const char *boot_mmu_type(const struct dt_info *dt)
{
	int i;

	for (i = 0; i < dt->nr_cpus; i++)
		if (dt->cpus[i].hwid == riscv_boot_hartid)
			return dt->cpus[i].mmu_type;
	return NULL;
}

int arch_mmu_init(const struct dt_info *dt)
{
	const char *type = boot_mmu_type(dt);
	bool want48 = type && (!strcmp(type, "riscv,sv48") || !strcmp(type, "riscv,sv57"));
	const char *why = type ? type : "no mmu-type";
	char note[96] = "";
	uint64_t ident_end = 0;
	int i;

	if (want48) {
		levels = 4;
		if (!build_tables(dt, &ident_end))
			snprintf(note, sizeof(note), " (tree: %s, but Sv48 tables did not fit)", why);
		else if (try_satp(SATP_SV48))
			goto on;
		else
			snprintf(note, sizeof(note), " (tree: %s, but satp refused Sv48)", why);
	} else {
		snprintf(note, sizeof(note), " (tree: %s)", why);
	}
	levels = 3;
	if (!build_tables(dt, &ident_end) || !try_satp(SATP_SV39)) {
		levels = 0;
		return -1;
	}
on:
	for (i = 0; i < dt->nr_mem; i++)
		if (dt->mem[i].base + dt->mem[i].size > ident_end)
			pr_warn("mmu: RAM above 0x%llx is not mapped\n",
				(unsigned long long)ident_end);
	if (!note[0])
		snprintf(note, sizeof(note), " (tree: %s)", why);
	snprintf(mmu_desc, sizeof(mmu_desc),
		 "Sv%u%s, 4K pages for the image, kernel W^X (text RX, rodata R, data RW), "
		 "RAM/devices identity mapped below 0x%llx (1G pages), vmalloc 0x%lx-0x%lx",
		 va_bits(), note, (unsigned long long)ident_end,
		 (unsigned long)arch_vmalloc_start(), (unsigned long)arch_vmalloc_end());
	return 0;
}

/* Turn on translation with the boot hart's tables (secondaries do it in head.S). */
void arch_secondary_mmu_on(void)
{
	local_flush_all();
	csr_write(satp, riscv_satp);
	local_flush_all();
}

bool arch_mmu_enabled(void)
{
	return (csr_read(satp) >> SATP_MODE_SHIFT) != 0;
}

const char *arch_mmu_describe(void)
{
	return mmu_desc;
}

const char *arch_atomics_describe(void)
{
	return "A extension (AMO, LR/SC)";
}

bool arch_atomics_code_ok(void)
{
	return true;	/* nothing is patched: the A extension is required */
}

/* --- the vmalloc region: the first quarter of the upper half --- */

uintptr_t arch_vmalloc_start(void)
{
	return levels ? -(1UL << (va_bits() - 1)) : 0;
}

uintptr_t arch_vmalloc_end(void)
{
	return levels ? arch_vmalloc_start() + (1UL << (va_bits() - 2)) : 0;
}

static bool in_vmalloc(uintptr_t va)
{
	return levels && va >= arch_vmalloc_start() && va < arch_vmalloc_end();
}

/* new_table() - a zeroed page for a table after boot; the static pool is the last resort. */
static uint64_t new_table(void)
{
	uint64_t pa = mmu_alloc_table_page(-1);
	pte_t *t;

	if (pa)
		return pa;
	t = early_table();
	return t ? (uintptr_t)t : 0;
}

/*
 * vmalloc_pte() - the last-level entry for @va, making the missing tables when @create.
 * Tables are only ever added, never freed, so a walk without the lock is safe; the lock
 * only keeps two harts from making the same table. A table is zeroed before the entry
 * pointing to it is published (release store). NULL when there is no table (or no
 * memory for one).
 */
static pte_t *vmalloc_pte(uintptr_t va, bool create)
{
	pte_t *t = root_table;
	int l;

	for (l = levels - 1; l > 0; l--) {
		pte_t *e = &t[pt_index(va, l)];
		pte_t v = __atomic_load_n(e, __ATOMIC_ACQUIRE);

		if (!(v & PTE_V)) {
			unsigned long flags;
			uint64_t pa;

			if (!create)
				return NULL;
			flags = spin_lock_irqsave(&table_lock);
			v = __atomic_load_n(e, __ATOMIC_ACQUIRE);
			if (!(v & PTE_V)) {
				pa = new_table();
				if (pa) {
					v = mk_pte(pa, PTE_V);
					__atomic_store_n(e, v, __ATOMIC_RELEASE);
				}
			}
			spin_unlock_irqrestore(&table_lock, flags);
			if (!(v & PTE_V))
				return NULL;
		}
		if (pte_is_leaf(v))
			return NULL;	/* never in the vmalloc region */
		t = pte_table(v);
	}
	return &t[pt_index(va, 0)];
}

/*
 * arch_map_kernel_page() - the leaf is written with a compare-and-swap (an existing
 * mapping is refused), then this hart fences the address. Other harts need no fence
 * from us: QEMU never caches invalid entries, and hardware that does takes a page fault
 * that riscv_mmu_spurious_fault() recognises (the tables allow the access), fences
 * locally and retries.
 */
int arch_map_kernel_page(uintptr_t va, uint64_t pa, unsigned int prot)
{
	pte_t *e, old = 0, leaf = PTE_KERNEL;

	if (!in_vmalloc(va) || !IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE))
		return -1;
	if (prot & VM_PROT_READ)
		leaf |= PTE_R;
	if (prot & VM_PROT_WRITE)
		leaf |= PTE_R | PTE_W;	/* write-only is a reserved encoding */
	if (prot & VM_PROT_EXEC)
		leaf |= PTE_X;
	if (!(leaf & PTE_RWX))
		return -1;
	e = vmalloc_pte(va, true);
	if (!e)
		return -2;
	leaf |= mk_pte(pa, 0);
	if (!__atomic_compare_exchange_n(e, &old, leaf, false, __ATOMIC_RELEASE,
					 __ATOMIC_RELAXED))
		return -1;
	__atomic_fetch_add(&map_seq, 1, __ATOMIC_RELAXED);
	local_flush_page(va);
	return 0;
}

void arch_unmap_kernel_page(uintptr_t va)
{
	pte_t *e;

	if (!in_vmalloc(va))
		return;
	e = vmalloc_pte(va, false);
	if (e)
		__atomic_store_n(e, 0, __ATOMIC_RELEASE);
}

/*
 * remote_sfence() - SBI fences [start, start + size) on every online hart but this one,
 * grouped in 64-hart windows (hart_mask, hart_mask_base). The legacy call (no RFENCE)
 * can only name harts 0..63.
 */
static void remote_sfence(uintptr_t start, size_t size)
{
	static bool warned;
	struct cpumask todo = cpu_online_mask;
	unsigned int cpu, other;

	cpumask_clear_cpu(smp_processor_id(), &todo);
	if (!cpumask_weight(&todo))
		return;
	if (!rfence)
		rfence = sbi_probe_extension(SBI_EXT_RFENCE) ? 1 : -1;
	for_each_cpu(cpu, &todo) {
		uint64_t base = cpu_map.cpu[cpu].hwid & ~63UL;
		unsigned long mask = 0;
		struct sbiret r;

		for_each_cpu(other, &todo) {
			uint64_t h = cpu_map.cpu[other].hwid;

			if (h - base < 64) {
				mask |= 1UL << (h - base);
				cpumask_clear_cpu(other, &todo);
			}
		}
		if (rfence > 0)
			r = sbi_ecall5(SBI_EXT_RFENCE, SBI_RFENCE_REMOTE_SFENCE_VMA, mask, base,
				       start, size, 0);
		else if (base == 0)
			r = sbi_ecall(SBI_EXT_LEGACY_REMOTE_SFENCE_VMA, 0, (uintptr_t)&mask,
				      start, size);
		else
			r.error = -2;
		if (r.error && !warned) {
			warned = true;
			pr_warn("mmu: remote sfence.vma for harts 0x%llx+%llx failed (%ld)\n",
				(unsigned long long)base, (unsigned long long)mask, r.error);
		}
	}
}

void arch_flush_tlb_kernel_range(uintptr_t start, uintptr_t end)
{
	uintptr_t va;

	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (end <= start)
		return;
	if ((end - start) / PAGE_SIZE > FLUSH_ALL_PAGES)
		local_flush_all();
	else
		for (va = start; va < end; va += PAGE_SIZE)
			local_flush_page(va);
	remote_sfence(start, end - start);
}

bool arch_translate(uintptr_t va, uint64_t *pa, unsigned int *prot)
{
	unsigned int bits = va_bits(), p = 0;
	pte_t *t = root_table;
	int l;

	if (!bits || (uintptr_t)((intptr_t)(va << (64 - bits)) >> (64 - bits)) != va)
		return false;
	for (l = levels - 1; l >= 0; l--) {
		pte_t e = __atomic_load_n(&t[pt_index(va, l)], __ATOMIC_ACQUIRE);

		if (!(e & PTE_V))
			return false;
		if (pte_is_leaf(e)) {
			if (pa)
				*pa = pte_pa(e) + (va & ((1UL << level_shift(l)) - 1));
			if (e & PTE_R)
				p |= VM_PROT_READ;
			if (e & PTE_W)
				p |= VM_PROT_WRITE;
			if (e & PTE_X)
				p |= VM_PROT_EXEC;
			if (prot)
				*prot = p;
			return true;
		}
		t = pte_table(e);
	}
	return false;
}

/*
 * riscv_mmu_spurious_fault() - a page fault (scause @cause) at @addr that the tables
 * allow: a hart may have cached the entry as invalid before another hart mapped it.
 * Fences this hart and returns true so the access is retried; a second fault at the same
 * pc and address with no new mapping in between is real (false).
 */
bool riscv_mmu_spurious_fault(unsigned long cause, uintptr_t addr, uintptr_t pc)
{
	static struct {
		uintptr_t addr, pc;
		unsigned long seq;
	} last[NR_CPUS];
	unsigned int cpu = smp_processor_id() % NR_CPUS, need, prot;
	unsigned long seq = __atomic_load_n(&map_seq, __ATOMIC_RELAXED);

	need = cause == CAUSE_FETCH_PAGE_FAULT ? VM_PROT_EXEC :
	       cause == CAUSE_STORE_PAGE_FAULT ? VM_PROT_WRITE : VM_PROT_READ;
	if (!in_vmalloc(addr) || !arch_translate(addr, NULL, &prot) || !(prot & need))
		return false;
	if (last[cpu].addr == addr && last[cpu].pc == pc && last[cpu].seq == seq)
		return false;
	last[cpu].addr = addr;
	last[cpu].pc = pc;
	last[cpu].seq = seq;
	local_flush_all();
	return true;
}
