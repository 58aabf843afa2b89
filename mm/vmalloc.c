/*
 * vmalloc.c - the vmalloc region: a sorted table of reserved virtual ranges, pages of a
 * chosen NUMA node mapped into them one at a time, and unmapping with TLB maintenance
 * that reaches every CPU.
 *
 * The table lock covers reserving and releasing ranges only; mapping and unmapping work
 * on ranges their caller owns, through the arch's page-table functions. Every range is
 * followed by at least one page that is never reserved, so running off the end of one
 * range faults instead of landing in the next. Pages come from the early allocator while
 * it owns memory and from the page allocator afterwards.
 */
#include <pcpurt/vmalloc.h>
#include <pcpurt/mmu.h>
#include <pcpurt/memblock.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/spinlock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VM_PAGE		4096UL
#define VM_MAX_AREAS	2048

struct vm_area {
	uintptr_t va;
	size_t size;
	unsigned int kind;
};

static struct vm_area areas[VM_MAX_AREAS];	/* sorted by va */
static unsigned int nr_areas;
static DEFINE_SPINLOCK(vm_lock);
static size_t vmalloc_limit;			/* `vmalloc=` boot parameter, 0: none */
static unsigned long vm_pages_mapped, vm_pages_unmapped;

static const char *const kind_names[] = { "vmalloc", "per-CPU chunk", "stack" };

/* vmalloc=SIZE[KMG]: use at most SIZE bytes of the region (Linux's x86/arm32 option). */
static int set_vmalloc(const char *v)
{
	char *end;
	unsigned long long n = strtoull(v, &end, 0);

	switch (*end) {
	case 'G': case 'g': n <<= 10; /* fall through */
	case 'M': case 'm': n <<= 10; /* fall through */
	case 'K': case 'k': n <<= 10; end++; break;
	}
	if (end == v || *end || n < (1ULL << 20))
		return -1;
	vmalloc_limit = n;
	return 0;
}
DEFINE_BOOT_PARAM("vmalloc", set_vmalloc);

static uintptr_t region_end(void)
{
	uintptr_t s = arch_vmalloc_start(), e = arch_vmalloc_end();

	if (vmalloc_limit && vmalloc_limit < e - s)
		e = s + vmalloc_limit;
	return e;
}

size_t vm_vmalloc_size(void)
{
	return region_end() - arch_vmalloc_start();
}

uintptr_t vm_reserve(size_t size, size_t align, unsigned int kind)
{
	uintptr_t start = arch_vmalloc_start(), end = region_end(), va = 0, cand;
	unsigned long flags;
	unsigned int i;

	if (!size || start == end)
		return 0;
	size = (size + VM_PAGE - 1) & ~(VM_PAGE - 1);
	if (align < VM_PAGE || (align & (align - 1)))
		align = VM_PAGE;
	flags = spin_lock_irqsave(&vm_lock);
	if (nr_areas == VM_MAX_AREAS)
		goto out;
	/* first fit: the gap before area i starts one page past the end of area i-1 */
	cand = start;
	for (i = 0; i <= nr_areas; i++) {
		uintptr_t limit = i < nr_areas ? areas[i].va : end;
		uintptr_t a = (cand + align - 1) & ~(uintptr_t)(align - 1);

		if (a >= cand && a < limit && limit - a >= size + (i < nr_areas ? VM_PAGE : 0)) {
			va = a;
			break;
		}
		if (i < nr_areas)
			cand = areas[i].va + areas[i].size + VM_PAGE;
	}
	if (va) {
		memmove(&areas[i + 1], &areas[i], (nr_areas - i) * sizeof(areas[0]));
		areas[i] = (struct vm_area){ .va = va, .size = size, .kind = kind };
		nr_areas++;
	}
out:
	spin_unlock_irqrestore(&vm_lock, flags);
	return va;
}

/* find_area() - index of the area holding @addr, or -1; vm_lock held. */
static int find_area(uintptr_t addr)
{
	int lo = 0, hi = (int)nr_areas - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (addr < areas[mid].va)
			hi = mid - 1;
		else if (addr - areas[mid].va >= areas[mid].size)
			lo = mid + 1;
		else
			return mid;
	}
	return -1;
}

void vm_release(uintptr_t va)
{
	unsigned long flags = spin_lock_irqsave(&vm_lock);
	int i = find_area(va);

	if (i >= 0 && areas[i].va == va) {
		memmove(&areas[i], &areas[i + 1], (nr_areas - i - 1) * sizeof(areas[0]));
		nr_areas--;
	} else {
		pr_warn("vmalloc: release of 0x%lx, which is not a reserved range\n",
			(unsigned long)va);
	}
	spin_unlock_irqrestore(&vm_lock, flags);
}

static uint64_t page_get(int node)
{
	if (page_alloc_ready())
		return alloc_pages_node(node, VM_PAGE, VM_PAGE);
	return memblock_alloc_node(VM_PAGE, VM_PAGE, node, NULL);
}

static void page_put(uint64_t pa)
{
	if (page_alloc_ready())
		free_pages(pa, VM_PAGE);
	else
		memblock_free(pa, VM_PAGE);
}

int vm_map_pages(uintptr_t va, size_t size, int node, bool zero)
{
	size_t done;

	for (done = 0; done < size; done += VM_PAGE) {
		uint64_t pa = page_get(node);

		if (!pa)
			goto fail;
		if (zero)
			memset((void *)(uintptr_t)pa, 0, VM_PAGE);
		if (arch_map_kernel_page(va + done, pa, VM_PROT_RW)) {
			page_put(pa);
			goto fail;
		}
		__atomic_fetch_add(&vm_pages_mapped, 1, __ATOMIC_RELAXED);
	}
	return 0;
fail:
	if (done)
		vm_unmap_pages(va, done);
	return -1;
}

size_t vm_unmap_pages(uintptr_t va, size_t size)
{
	size_t total = 0;
	static uint64_t pas[64];
	static DEFINE_SPINLOCK(batch_lock);
	size_t off = 0;

	/* batches of 64 pages: unmap, one TLB flush for the batch, then free the pages */
	while (off < size) {
		unsigned long flags = spin_lock_irqsave(&batch_lock);
		unsigned int n = 0, i;
		uintptr_t first = va + off;

		for (; off < size && n < 64; off += VM_PAGE) {
			uint64_t pa;

			if (!arch_translate(va + off, &pa, NULL))
				continue;
			arch_unmap_kernel_page(va + off);
			pas[n++] = pa;
		}
		arch_flush_tlb_kernel_range(first, va + off);
		for (i = 0; i < n; i++)
			page_put(pas[i]);
		vm_pages_unmapped += n;
		total += n;
		spin_unlock_irqrestore(&batch_lock, flags);
	}
	return total;
}

const char *vmalloc_fault_reason(uintptr_t addr)
{
	static char why[80];
	const char *kind;
	unsigned long flags;
	int i;

	if (addr < arch_vmalloc_start() || addr >= arch_vmalloc_end())
		return NULL;
	/* a fault may come from a CPU holding the lock: never wait for it here */
	flags = arch_local_irq_save();
	if (!spin_trylock(&vm_lock)) {
		arch_local_irq_restore(flags);
		return "vmalloc: address in the vmalloc area (range table busy)";
	}
	i = find_area(addr);
	kind = i < 0 ? NULL : kind_names[areas[i].kind < 3 ? areas[i].kind : 0];
	spin_unlock(&vm_lock);
	arch_local_irq_restore(flags);
	if (!kind)
		return "vmalloc: address in no reserved range";
	if (!strcmp(kind, "per-CPU chunk"))
		return "unpopulated per-CPU page";
	snprintf(why, sizeof(why), "vmalloc: unmapped page of a %s range", kind);
	return why;
}

bool vm_area_of(uintptr_t addr, uintptr_t *start, size_t *size)
{
	unsigned long flags = spin_lock_irqsave(&vm_lock);
	int i = find_area(addr);

	if (i >= 0) {
		*start = areas[i].va;
		*size = areas[i].size;
	}
	spin_unlock_irqrestore(&vm_lock, flags);
	return i >= 0;
}

void vm_stats(unsigned long *mapped, unsigned long *unmapped, unsigned int *ranges)
{
	*mapped = vm_pages_mapped;
	*unmapped = vm_pages_unmapped;
	*ranges = nr_areas;
}

uintptr_t vm_alloc_stack(size_t size, int node)
{
	uintptr_t va = vm_reserve(size + VM_PAGE, VM_PAGE, VM_KIND_STACK);

	if (!va)
		return 0;
	if (vm_map_pages(va + VM_PAGE, size, node, false)) {
		vm_release(va);
		return 0;
	}
	mm_register_stack_guard(va, VM_PAGE);
	return va + VM_PAGE + size;
}
