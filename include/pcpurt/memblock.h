/*
 * memblock.h - the early memory allocator: physical ranges from /memory, minus every
 * reserved range, allocated top-down, each range with its NUMA node. Used before any
 * other allocator exists (per-CPU areas, secondary stacks). Pure C (mm/memblock.c), also
 * built on the host. Physical = virtual here (identity map).
 */
#ifndef PCPURT_MEMBLOCK_H
#define PCPURT_MEMBLOCK_H

#include <pcpurt/compiler.h>

#define MEMBLOCK_MAX_MEMORY	64
#define MEMBLOCK_MAX_RESERVED	512
#define NUMA_NO_NODE		(-1)

struct memblock_region {
	uint64_t base;
	uint64_t size;
	int node;
};

struct memblock_type {
	int cnt;
	int max;
	struct memblock_region *regions;	/* sorted by base, never overlapping */
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
	uint64_t limit;				/* allocate below this (0: no limit) */
	unsigned long fallbacks;		/* node allocations served elsewhere */
};

extern struct memblock memblock;

struct dt_info;

void memblock_reset(void);
/* memblock_add() / memblock_reserve(): 0, or -1 when the table is full (nothing changed). */
int memblock_add(uint64_t base, uint64_t size, int node);
int memblock_reserve(uint64_t base, uint64_t size);
/* memblock_free() - hand [base, base+size) back: it may be allocated again. */
int memblock_free(uint64_t base, uint64_t size);
/* memblock_init_dt() - memory and reserved ranges of a parsed tree. */
void memblock_init_dt(const struct dt_info *dt);

/*
 * memblock_alloc_node() - @size bytes aligned to @align (a power of two), zeroed is NOT
 * implied, from @node's memory, highest address first. When @node has no room it warns
 * once per call and takes any node (counted in memblock.fallbacks); *@got_node (may be
 * NULL) tells which node served. Returns the address, or 0 when no memory is left.
 */
uint64_t memblock_alloc_node(uint64_t size, uint64_t align, int node, int *got_node);
uint64_t memblock_alloc(uint64_t size, uint64_t align);

/* Node of the memory range holding @addr, NUMA_NO_NODE when none does. */
int memblock_addr_node(uint64_t addr);
/* Free bytes on @node (NUMA_NO_NODE: all nodes). */
uint64_t memblock_free_bytes(int node);
bool memblock_is_reserved(uint64_t base, uint64_t size);

#endif
