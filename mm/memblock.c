/*
 * memblock.c - early physical memory: "memory" and "reserved" region tables kept sorted
 * and merged; allocation finds the highest free gap of a node's memory that fits.
 */
#include <pcpurt/memblock.h>
#include <pcpurt/dt.h>
#include <pcpurt/printk.h>
#include <string.h>

static struct memblock_region memory_regions[MEMBLOCK_MAX_MEMORY];
static struct memblock_region reserved_regions[MEMBLOCK_MAX_RESERVED];

struct memblock memblock = {
	.memory = { 0, MEMBLOCK_MAX_MEMORY, memory_regions },
	.reserved = { 0, MEMBLOCK_MAX_RESERVED, reserved_regions },
};

void memblock_reset(void)
{
	memblock.memory.cnt = 0;
	memblock.reserved.cnt = 0;
	memblock.limit = 0;
	memblock.fallbacks = 0;
}

static void remove_at(struct memblock_type *t, int i)
{
	memmove(&t->regions[i], &t->regions[i + 1], (t->cnt - i - 1) * sizeof(t->regions[0]));
	t->cnt--;
}

/*
 * insert_range() - add [base, end) to @t, merging with neighbours that touch or overlap
 * and have the same node. Returns -1 (and changes nothing) when the table is full.
 */
static int insert_range(struct memblock_type *t, uint64_t base, uint64_t end, int node)
{
	int i = 0, j;

	while (i < t->cnt && (t->regions[i].base + t->regions[i].size < base ||
			      (t->regions[i].base + t->regions[i].size == base &&
			       t->regions[i].node != node)))
		i++;
	/* merge every region from i that touches [base, end) */
	for (j = i; j < t->cnt && t->regions[j].base <= end; j++) {
		if (t->regions[j].node != node)
			break;
		base = MIN(base, t->regions[j].base);
		end = MAX(end, t->regions[j].base + t->regions[j].size);
	}
	if (j == i) {
		if (t->cnt == t->max)
			return -1;
		memmove(&t->regions[i + 1], &t->regions[i], (t->cnt - i) * sizeof(t->regions[0]));
		t->cnt++;
	} else {
		while (j - i > 1) {
			remove_at(t, i + 1);
			j--;
		}
	}
	t->regions[i].base = base;
	t->regions[i].size = end - base;
	t->regions[i].node = node;
	return 0;
}

/*
 * memblock_add() - add [base, base+size) on @node. Parts already present as memory of
 * another node keep their first node (as Linux does); only the uncovered parts are added.
 */
int memblock_add(uint64_t base, uint64_t size, int node)
{
	struct memblock_type *t = &memblock.memory;
	uint64_t end = base + size;
	int i;

	if (!size || end < base)
		return -1;
	for (i = 0; i < t->cnt && base < end; i++) {
		uint64_t rb = t->regions[i].base, re = rb + t->regions[i].size;

		if (t->regions[i].node == node || re <= base || rb >= end)
			continue;
		if (rb > base && insert_range(t, base, rb, node))
			return -1;
		base = re;
		i = -1;	/* the table changed: rescan from the start */
	}
	if (base >= end)
		return 0;
	return insert_range(t, base, end, node);
}

int memblock_reserve(uint64_t base, uint64_t size)
{
	if (!size || base + size < base)
		return -1;
	return insert_range(&memblock.reserved, base, base + size, NUMA_NO_NODE);
}

/* Cut [base, end) out of the reserved table; may split one region in two. */
int memblock_free(uint64_t base, uint64_t size)
{
	struct memblock_type *t = &memblock.reserved;
	uint64_t end = base + size;
	int i;

	if (!size)
		return 0;
	for (i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &t->regions[i];
		uint64_t rb = r->base, re = r->base + r->size;

		if (re <= base || rb >= end)
			continue;
		if (rb < base && re > end) {
			if (t->cnt == t->max)
				return -1;
			memmove(r + 1, r, (t->cnt - i) * sizeof(*r));
			t->cnt++;
			r->size = base - rb;
			r[1].base = end;
			r[1].size = re - end;
			return 0;
		}
		if (rb < base) {
			r->size = base - rb;
		} else if (re > end) {
			r->base = end;
			r->size = re - end;
		} else {
			remove_at(t, i);
			i--;
		}
	}
	return 0;
}

void memblock_init_dt(const struct dt_info *dt)
{
	int i;

	memblock_reset();
	for (i = 0; i < dt->nr_mem; i++)
		if (memblock_add(dt->mem[i].base, dt->mem[i].size,
				 dt->mem[i].node < 0 ? 0 : dt->mem[i].node))
			pr_warn("memblock: memory table full, dropping [mem 0x%llx+0x%llx]\n",
				(unsigned long long)dt->mem[i].base,
				(unsigned long long)dt->mem[i].size);
	for (i = 0; i < dt->nr_resv; i++)
		if (memblock_reserve(dt->resv[i].base, dt->resv[i].size))
			pr_warn("memblock: reserved table full\n");
}

bool memblock_is_reserved(uint64_t base, uint64_t size)
{
	const struct memblock_type *t = &memblock.reserved;
	int i;

	for (i = 0; i < t->cnt; i++)
		if (t->regions[i].base < base + size &&
		    t->regions[i].base + t->regions[i].size > base)
			return true;
	return false;
}

/* Highest aligned @size-byte gap inside [lo, hi) that no reserved region touches; 0 if none. */
static uint64_t find_top_down(uint64_t lo, uint64_t hi, uint64_t size, uint64_t align)
{
	const struct memblock_type *t = &memblock.reserved;
	int i = t->cnt - 1;
	uint64_t top = hi;

	for (;;) {
		uint64_t floor = lo;
		uint64_t cand;

		/* skip reserved regions at or above top */
		while (i >= 0 && t->regions[i].base >= top)
			i--;
		if (i >= 0 && t->regions[i].base + t->regions[i].size > floor)
			floor = t->regions[i].base + t->regions[i].size;
		if (floor > top)
			floor = top;
		if (top - floor >= size) {
			cand = ALIGN_DOWN(top - size, align);
			if (cand >= floor && cand != 0)
				return cand;
		}
		if (i < 0 || floor <= lo)
			return 0;
		top = t->regions[i].base;
		i--;
	}
}

static uint64_t alloc_on(uint64_t size, uint64_t align, int node)
{
	const struct memblock_type *m = &memblock.memory;
	int i;

	for (i = m->cnt - 1; i >= 0; i--) {
		uint64_t lo = m->regions[i].base, hi = lo + m->regions[i].size, p;

		if (node != NUMA_NO_NODE && m->regions[i].node != node)
			continue;
		if (memblock.limit && hi > memblock.limit)
			hi = memblock.limit;
		if (hi <= lo)
			continue;
		p = find_top_down(lo, hi, size, align);
		if (p && memblock_reserve(p, size) == 0)
			return p;
	}
	return 0;
}

uint64_t memblock_alloc_node(uint64_t size, uint64_t align, int node, int *got_node)
{
	uint64_t p;

	if (!size || !align || (align & (align - 1)))
		return 0;
	p = alloc_on(size, align, node);
	if (!p && node != NUMA_NO_NODE) {
		p = alloc_on(size, align, NUMA_NO_NODE);
		if (p) {
			memblock.fallbacks++;
			pr_warn("memblock: no room for %llu bytes on node %d, using node %d\n",
				(unsigned long long)size, node, memblock_addr_node(p));
		}
	}
	if (got_node)
		*got_node = p ? memblock_addr_node(p) : NUMA_NO_NODE;
	return p;
}

uint64_t memblock_alloc(uint64_t size, uint64_t align)
{
	return memblock_alloc_node(size, align, NUMA_NO_NODE, NULL);
}

int memblock_addr_node(uint64_t addr)
{
	const struct memblock_type *m = &memblock.memory;
	int i;

	for (i = 0; i < m->cnt; i++)
		if (addr >= m->regions[i].base && addr - m->regions[i].base < m->regions[i].size)
			return m->regions[i].node;
	return NUMA_NO_NODE;
}

uint64_t memblock_free_bytes(int node)
{
	const struct memblock_type *m = &memblock.memory, *r = &memblock.reserved;
	uint64_t total = 0;
	int i, j;

	for (i = 0; i < m->cnt; i++) {
		uint64_t lo = m->regions[i].base, hi = lo + m->regions[i].size;

		if (node != NUMA_NO_NODE && m->regions[i].node != node)
			continue;
		total += hi - lo;
		for (j = 0; j < r->cnt; j++) {
			uint64_t s = MAX(lo, r->regions[j].base);
			uint64_t e = MIN(hi, r->regions[j].base + r->regions[j].size);

			if (e > s)
				total -= e - s;
		}
	}
	return total;
}
