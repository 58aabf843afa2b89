/*
 * page_alloc.c - free page extents per node, sorted by address and merged; top-down
 * allocation; exact-range claims for callers that place memory themselves.
 */
#include <pcpurt/page_alloc.h>
#include <pcpurt/memblock.h>
#include <pcpurt/printk.h>
#include <pcpurt/spinlock.h>
#include <string.h>

struct extent {
	uint64_t base, size;
	int node;
};

static struct extent ext[PAGE_ALLOC_MAX_EXTENTS];
static int nr_ext;

/* every range ever handed over, with its node: frees are checked and placed against it */
#define MAX_SPANS 128
static struct extent spans[MAX_SPANS];
static int nr_spans;
static DEFINE_SPINLOCK(lock);
static struct page_alloc_stats stats;

void page_alloc_lock(unsigned long *flags)
{
	*flags = spin_lock_irqsave(&lock);
}

void page_alloc_unlock(unsigned long flags)
{
	spin_unlock_irqrestore(&lock, flags);
}

/* Insert a free range, merging with neighbours of the same node. Lock held. */
static int insert_free(uint64_t base, uint64_t size, int node)
{
	int i = 0;

	while (i < nr_ext && ext[i].base + ext[i].size <= base)
		i++;
	if (i < nr_ext && ext[i].base < base + size)
		return -1;	/* overlaps something already free: a double free */
	if (i > 0 && ext[i - 1].base + ext[i - 1].size == base && ext[i - 1].node == node) {
		ext[i - 1].size += size;
		if (i < nr_ext && ext[i].base == base + size && ext[i].node == node) {
			ext[i - 1].size += ext[i].size;
			memmove(&ext[i], &ext[i + 1], (nr_ext - i - 1) * sizeof(ext[0]));
			nr_ext--;
		}
		return 0;
	}
	if (i < nr_ext && ext[i].base == base + size && ext[i].node == node) {
		ext[i].base = base;
		ext[i].size += size;
		return 0;
	}
	if (nr_ext == PAGE_ALLOC_MAX_EXTENTS)
		return -1;
	memmove(&ext[i + 1], &ext[i], (nr_ext - i) * sizeof(ext[0]));
	ext[i] = (struct extent){ base, size, node };
	nr_ext++;
	return 0;
}

/* Remove [base, base+size) from extent @i, which contains it. Lock held. */
static int carve(int i, uint64_t base, uint64_t size)
{
	struct extent *e = &ext[i];
	uint64_t end = base + size, eend = e->base + e->size;

	if (base == e->base && end == eend) {
		memmove(&ext[i], &ext[i + 1], (nr_ext - i - 1) * sizeof(ext[0]));
		nr_ext--;
	} else if (base == e->base) {
		e->base = end;
		e->size = eend - end;
	} else if (end == eend) {
		e->size = base - e->base;
	} else {
		if (nr_ext == PAGE_ALLOC_MAX_EXTENTS)
			return -1;
		memmove(&ext[i + 1], &ext[i], (nr_ext - i) * sizeof(ext[0]));
		nr_ext++;
		ext[i].size = base - ext[i].base;
		ext[i + 1].base = end;
		ext[i + 1].size = eend - end;
	}
	return 0;
}

void page_alloc_add(uint64_t base, uint64_t size, int node)
{
	unsigned long flags;
	uint64_t b = ALIGN_UP(base, PAGE_SIZE), e = ALIGN_DOWN(base + size, PAGE_SIZE);

	if (e <= b)
		return;
	page_alloc_lock(&flags);
	if (nr_spans < MAX_SPANS && insert_free(b, e - b, node) == 0) {
		spans[nr_spans++] = (struct extent){ b, e - b, node };
		stats.total_bytes += e - b;
		stats.free_bytes += e - b;
	}
	page_alloc_unlock(flags);
}

/* Node of the handed-over range holding all of [base, base+size), or -1. Lock held. */
static int span_node(uint64_t base, uint64_t size)
{
	int i;

	for (i = 0; i < nr_spans; i++)
		if (base >= spans[i].base && size <= spans[i].size &&
		    base - spans[i].base <= spans[i].size - size)
			return spans[i].node;
	return -1;
}

/* Every gap between memblock's reserved regions inside each memory region. */
bool page_alloc_ready(void)
{
	return __atomic_load_n(&nr_spans, __ATOMIC_ACQUIRE) > 0;
}

void page_alloc_init_from_memblock(void)
{
	const struct memblock_type *m = &memblock.memory, *r = &memblock.reserved;
	int i, j;

	for (i = 0; i < m->cnt; i++) {
		uint64_t cur = m->regions[i].base, end = cur + m->regions[i].size;

		for (j = 0; j < r->cnt && cur < end; j++) {
			uint64_t rb = r->regions[j].base, re = rb + r->regions[j].size;

			if (re <= cur || rb >= end)
				continue;
			if (rb > cur)
				page_alloc_add(cur, rb - cur, m->regions[i].node);
			cur = re;
		}
		if (cur < end)
			page_alloc_add(cur, end - cur, m->regions[i].node);
	}
	/* from now on memory belongs to this allocator: memblock must not hand it out */
	for (i = 0; i < m->cnt; i++)
		memblock_reserve(m->regions[i].base, m->regions[i].size);
}

/* Count an allocation of @size at @p (0: a failure). Lock held. */
static void account(uint64_t p, uint64_t size)
{
	if (p) {
		stats.allocs++;
		stats.free_bytes -= size;
	} else {
		stats.failures++;
	}
}

static uint64_t alloc_on(int node, uint64_t size, uint64_t align)
{
	int i;

	for (i = nr_ext - 1; i >= 0; i--) {
		uint64_t p;

		if (node >= 0 && ext[i].node != node)
			continue;
		if (ext[i].size < size)
			continue;
		p = ALIGN_DOWN(ext[i].base + ext[i].size - size, align);
		if (p < ext[i].base || !p)
			continue;
		if (carve(i, p, size))
			return 0;
		return p;
	}
	return 0;
}

uint64_t alloc_pages_node(int node, uint64_t size, uint64_t align)
{
	unsigned long flags;
	uint64_t p;

	size = ALIGN_UP(size, PAGE_SIZE);
	if (!size || align < PAGE_SIZE)
		align = PAGE_SIZE;
	if (!size || (align & (align - 1)))
		return 0;
	page_alloc_lock(&flags);
	p = alloc_on(node, size, align);
	if (!p && node >= 0) {
		p = alloc_on(-1, size, align);
		if (p)
			stats.fallbacks++;
	}
	account(p, size);
	page_alloc_unlock(flags);
	return p;
}

uint64_t alloc_pages_low(uint64_t size)
{
	unsigned long flags;
	uint64_t p = 0;
	int i;

	size = ALIGN_UP(size, PAGE_SIZE);
	if (!size)
		return 0;
	page_alloc_lock(&flags);
	for (i = 0; i < nr_ext; i++) {
		if (ext[i].size < size || !ext[i].base)
			continue;
		p = ext[i].base;
		if (carve(i, p, size))
			p = 0;
		break;
	}
	account(p, size);
	page_alloc_unlock(flags);
	return p;
}

static int find_containing(uint64_t base, uint64_t size)
{
	int i;

	for (i = 0; i < nr_ext; i++)	/* written so that base + size cannot wrap */
		if (base >= ext[i].base && size <= ext[i].size &&
		    base - ext[i].base <= ext[i].size - size)
			return i;
	return -1;
}

bool page_range_is_free(uint64_t base, uint64_t size)
{
	return find_containing(base, size) >= 0;
}

uint64_t page_range_free_below(uint64_t limit, uint64_t size, int node)
{
	int i;

	for (i = nr_ext - 1; i >= 0; i--) {
		uint64_t top;

		if ((node >= 0 && ext[i].node != node) || ext[i].size < size ||
		    ext[i].base > limit)
			continue;
		top = ALIGN_DOWN(MIN(limit, ext[i].base + ext[i].size - size), PAGE_SIZE);
		if (top >= ext[i].base)
			return top;
	}
	return 0;
}

int alloc_pages_exact(uint64_t base, uint64_t size)
{
	unsigned long flags;
	int i, rc = -1;

	if (!size || !IS_ALIGNED(base | size, PAGE_SIZE))
		return -1;
	page_alloc_lock(&flags);
	i = find_containing(base, size);
	if (i >= 0 && carve(i, base, size) == 0)
		rc = 0;
	account(rc ? 0 : base, size);
	page_alloc_unlock(flags);
	return rc;
}

/*
 * free_pages() - give back [base, base+size) (size rounded up to pages). A range that is
 * empty does nothing; one that is unaligned, not inside memory handed over, or already
 * free is refused with one warning and changes nothing.
 */
void free_pages(uint64_t base, uint64_t size)
{
	unsigned long flags;
	const char *why = NULL;
	int node;

	if (!size)
		return;
	size = ALIGN_UP(size, PAGE_SIZE);
	page_alloc_lock(&flags);
	node = span_node(base, size);
	if (!IS_ALIGNED(base, PAGE_SIZE))
		why = "not page aligned";
	else if (node < 0)
		why = "not memory of this allocator";
	else if (nr_ext == PAGE_ALLOC_MAX_EXTENTS)
		why = "extent table full, pages lost";
	else if (insert_free(base, size, node))
		why = "already free";
	if (!why) {
		stats.frees++;
		stats.free_bytes += size;
	}
	page_alloc_unlock(flags);
	if (why)
		pr_warn("page_alloc: bad free of [0x%llx+0x%llx] ignored: %s\n",
			(unsigned long long)base, (unsigned long long)size, why);
}

int page_node(uint64_t addr)
{
	unsigned long flags;
	int node;

	page_alloc_lock(&flags);
	node = span_node(addr, 1);
	page_alloc_unlock(flags);
	return node >= 0 ? node : memblock_addr_node(addr);	/* memory never handed over */
}

void page_alloc_stats(struct page_alloc_stats *st)
{
	unsigned long flags;

	page_alloc_lock(&flags);
	*st = stats;
	st->extents = nr_ext;
	page_alloc_unlock(flags);
}
