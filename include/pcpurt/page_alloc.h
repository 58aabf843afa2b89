/*
 * page_alloc.h - the page allocator that takes over from memblock after boot
 * (mm/page_alloc.c). Free memory is kept as page-aligned extents per NUMA node; requests
 * are served top-down from the node asked for, falling back to other nodes (counted), and
 * a caller can also claim an exact range (the per-CPU km backend places every group of a
 * new chunk at the same offsets as the first chunk's groups). One lock, interrupts masked.
 */
#ifndef PCPURT_PAGE_ALLOC_H
#define PCPURT_PAGE_ALLOC_H

#include <pcpurt/compiler.h>

#define PAGE_SIZE	4096UL
#define PAGE_ALLOC_MAX_EXTENTS	4096

struct page_alloc_stats {
	uint64_t free_bytes;
	uint64_t total_bytes;		/* handed over at init */
	unsigned long allocs, frees, fallbacks, failures;
	unsigned int extents;
};

/* page_alloc_init_from_memblock() - take every free memblock range (whole pages). */
void page_alloc_init_from_memblock(void);
void page_alloc_add(uint64_t base, uint64_t size, int node);
/* page_alloc_ready() - true once memory was handed over (before: use memblock). */
bool page_alloc_ready(void);

/* alloc_pages_node() - @size bytes (page multiple) aligned to @align on @node, or 0. */
uint64_t alloc_pages_node(int node, uint64_t size, uint64_t align);
/*
 * alloc_pages_low() - @size bytes from the lowest free memory of any node, or 0. For
 * long-lived small things (metadata) so that they do not sit between the chunks that
 * alloc_pages_node() and alloc_pages_exact() stack down from the top of each node.
 */
uint64_t alloc_pages_low(uint64_t size);
/* alloc_pages_exact() - claim exactly [base, base+size) if all free; 0 or -1. */
int alloc_pages_exact(uint64_t base, uint64_t size);
/*
 * page_range_free_below() - the highest page address a <= @limit such that
 * [a, a + size) is free on @node (-1: any), or 0 when there is none. A read-only helper
 * for callers that place several ranges at fixed distances (claim with
 * alloc_pages_exact(), which fails cleanly if another CPU took the range meanwhile).
 */
uint64_t page_range_free_below(uint64_t limit, uint64_t size, int node);
bool page_range_is_free(uint64_t base, uint64_t size);
void free_pages(uint64_t base, uint64_t size);
int page_node(uint64_t addr);
void page_alloc_stats(struct page_alloc_stats *st);
void page_alloc_lock(unsigned long *flags);
void page_alloc_unlock(unsigned long flags);

#endif
