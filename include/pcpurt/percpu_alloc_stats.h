/*
 * percpu_alloc_stats.h - statistics of the dynamic per-CPU allocator, in the spirit of
 * Linux's percpu_stats: counts of allocations and frees, live and peak allocations, chunks,
 * free space, and per-chunk free runs; returned as structs and printable.
 */
#ifndef PCPURT_PERCPU_ALLOC_STATS_H
#define PCPURT_PERCPU_ALLOC_STATS_H

#include <pcpurt/compiler.h>

struct pcpu_allocator;

struct pcpu_stats {
	const char *allocator; /* "bitmap" or "areamap" */
	uint64_t nr_alloc;     /* successful allocations so far */
	uint64_t nr_dealloc;   /* successful frees so far */
	uint64_t nr_cur_alloc; /* live allocations */
	uint64_t nr_max_alloc; /* peak of live allocations */
	uint64_t nr_failed;    /* allocations that returned NULL for lack of memory */
	uint64_t nr_bad_free;  /* refused frees */
	uint64_t nr_bad_args;  /* refused sizes or alignments */
	uint64_t nr_balance_runs;
	unsigned int nr_chunks; /* dynamic chunks, the first chunk included */
	unsigned int nr_max_chunks;
	size_t unit_size;
	size_t min_alloc_size; /* smallest size asked for (0 before any) */
	size_t max_alloc_size;
	size_t free_bytes; /* free bytes per unit over dynamic chunks */
	size_t reserved_free_bytes;
	unsigned int empty_pop_pages; /* populated unit pages with nothing allocated */
	unsigned int populated_pages; /* populated unit pages of dynamic chunks */
	size_t meta_bytes;	      /* allocator metadata in bytes */
};

struct pcpu_chunk_stats {
	uintptr_t base;
	bool reserved;
	bool first;
	unsigned int nr_alloc;
	unsigned int free_bytes;
	unsigned int contig_bytes; /* largest free run */
	unsigned int nr_pages;	   /* pages this chunk serves */
	unsigned int nr_populated;
	unsigned int empty_pop_pages;
	size_t meta_bytes;
};

void pcpu_allocator_stats(struct pcpu_allocator *pa, struct pcpu_stats *st);
/* Fills up to max entries (reserved chunk first, then dynamic chunks); returns the count. */
unsigned int pcpu_allocator_chunk_stats(struct pcpu_allocator *pa, struct pcpu_chunk_stats *out,
					unsigned int max);
void pcpu_allocator_print_stats(struct pcpu_allocator *pa);

#endif
