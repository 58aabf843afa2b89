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
	uint64_t nr_slow_fits;	/* fits the hint search missed and the slow path found: 0 */
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

/* Most unit pages and free runs one struct pcpu_chunk_map holds (the rest is counted). */
#define PCPU_MAP_MAX_PAGES 256
#define PCPU_MAP_MAX_RUNS  128

/*
 * Occupancy of one chunk (percpu/stats_map.c): per unit page whether it is populated and
 * how many bytes of [start, end) on it are allocated, and the free runs in offset order.
 * Offsets are bytes within a unit; page i of the map is unit page first_page + i.
 */
struct pcpu_chunk_map {
	uintptr_t base;
	bool reserved;
	bool first;
	unsigned int start, end; /* bytes of a unit the chunk serves: [start, end) */
	unsigned int nr_alloc;	 /* live allocations */
	unsigned int first_page; /* unit page of start */
	unsigned int nr_pages;	 /* pages [start, end) touches */
	unsigned int nr_runs;	 /* free runs, all of them (only the first MAX kept) */
	bool populated[PCPU_MAP_MAX_PAGES];
	unsigned int used[PCPU_MAP_MAX_PAGES]; /* allocated bytes on the page */
	unsigned int run_off[PCPU_MAP_MAX_RUNS];
	unsigned int run_len[PCPU_MAP_MAX_RUNS];
};

/*
 * pcpu_allocator_chunk_map() - the map of chunk @index, numbered as
 * pcpu_allocator_chunk_stats() numbers them (reserved chunk, first chunk, then created
 * chunks by address). Reads the allocator under its lock and changes nothing. Returns 0, or
 * -1 when there is no such chunk.
 */
int pcpu_allocator_chunk_map(struct pcpu_allocator *pa, unsigned int index,
			     struct pcpu_chunk_map *map);

/*
 * pcpu_allocator_print_chunk_maps() - every chunk's map as "percpu-stats: " lines, each
 * under 100 columns, for tools/percpu-chunks-svg.py:
 *   percpu-stats: map unit U page P chunks N
 *   percpu-stats: chunk I KIND base 0xB range S-E pages FIRST+N live L
 *   percpu-stats: chunk I pages FIRST: P4096 .0 ...    ('P' populated, '.' not; bytes used)
 *   percpu-stats: chunk I free OFF+LEN ...
 *   percpu-stats: chunk I end runs R
 * KIND is reserved, first or dynamic; page and free lines repeat (8 pages, 6 runs a line),
 * each page line naming its first page. Not reentrant (one static map).
 */
void pcpu_allocator_print_chunk_maps(struct pcpu_allocator *pa);

#endif
