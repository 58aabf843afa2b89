/*
 * percpu_alloc.h - the dynamic per-CPU allocator: alloc_percpu()/free_percpu() and friends.
 *
 * Two allocator kinds sit behind one interface: "bitmap" (allocation and boundary bitmaps at
 * 4-byte granularity with per-4KiB-block hints) and "areamap" (the older map of signed area
 * sizes), chosen at init. State lives in a struct pcpu_allocator; the runtime uses the
 * instance pcpu_default through the Linux-like wrappers at the bottom. Everything is safe
 * from any CPU: one spinlock taken with interrupts masked guards the allocator state.
 */
#ifndef PCPURT_PERCPU_ALLOC_H
#define PCPURT_PERCPU_ALLOC_H

#include <pcpurt/percpu_alloc_types.h>
#include <pcpurt/percpu_alloc_stats.h>

/* What pcpu_allocator_addr_info() says about an address. */
enum pcpu_region {
	PCPU_REGION_STATIC,   /* first chunk, static variables */
	PCPU_REGION_RESERVED, /* first chunk, reserved chunk */
	PCPU_REGION_DYNAMIC,  /* first chunk's dynamic part or a created chunk */
};

struct pcpu_addr_info {
	unsigned int cpu; /* whose copy the address is in */
	enum pcpu_region region;
	void *handle;	    /* per-CPU pointer of that byte (what per_cpu_ptr() takes) */
	bool allocated;	    /* inside a live dynamic or reserved allocation */
	void *alloc_handle; /* if allocated: the allocation's handle and size */
	size_t alloc_size;
};

/*
 * Sets up the allocator from the first chunk. Returns 0, or -1 (with a warning) when the
 * configuration is unusable or metadata cannot be had.
 */
int pcpu_allocator_init(struct pcpu_allocator *pa, const struct pcpu_config *cfg);
/* Destroys every created chunk and all metadata; the first chunk's memory is the caller's. */
void pcpu_allocator_teardown(struct pcpu_allocator *pa);

/*
 * Allocates size bytes aligned to align in every possible CPU's copy, zeroed. flags are
 * PCPU_GFP_*. Returns the handle, or NULL on bad arguments (one rate-limited warning) or
 * lack of memory (existing allocations untouched).
 */
void *pcpu_allocator_alloc(struct pcpu_allocator *pa, size_t size, size_t align,
			   unsigned int flags);
/* Frees a handle. NULL is ignored; anything not a live allocation is reported and ignored. */
void pcpu_allocator_free(struct pcpu_allocator *pa, void *ptr);
/* Size of the live allocation starting at ptr, or 0. */
size_t pcpu_allocator_size(struct pcpu_allocator *pa, void *ptr);
/* CPU cpu's copy of handle ptr. */
void *pcpu_allocator_ptr(struct pcpu_allocator *pa, void *ptr, unsigned int cpu);
/* The current CPU's copy, through the config's this_cpu callback. */
void *pcpu_allocator_this_ptr(struct pcpu_allocator *pa, void *ptr);
/* Is addr inside some CPU's copy of a chunk; if so fill *info (may be NULL). */
bool pcpu_allocator_addr_info(struct pcpu_allocator *pa, const void *addr,
			      struct pcpu_addr_info *info);

/* Balancing (population watermarks, release of free chunks), kept off the fast path. */
bool pcpu_allocator_balance_needed(struct pcpu_allocator *pa);
void pcpu_allocator_balance(struct pcpu_allocator *pa);

/* Full consistency check of every chunk's metadata; returns the number of problems. */
unsigned int pcpu_allocator_check(struct pcpu_allocator *pa);

const char *pcpu_allocator_name(enum pcpu_allocator_kind kind);
/* Parses "bitmap" or "areamap" (the percpu_allocator= option); returns 0 or -1. */
int pcpu_allocator_parse(const char *s, enum pcpu_allocator_kind *kind);

/* ---- the runtime's instance and the Linux-like interface --------------------------------- */

extern struct pcpu_allocator pcpu_default;

void *__alloc_percpu_gfp(size_t size, size_t align, unsigned int gfp);
void *__alloc_percpu(size_t size, size_t align);
void *__alloc_reserved_percpu(size_t size, size_t align);
void free_percpu(void *ptr);
bool pcpu_addr_info(const void *addr, struct pcpu_addr_info *info);
/* Balancing and statistics of pcpu_default (see the pcpu_allocator_* forms above). */
bool pcpu_balance_needed(void);
void pcpu_balance(void);
void pcpu_get_stats(struct pcpu_stats *st);
void pcpu_print_stats(void);

#define alloc_percpu_gfp(type, gfp)                                                                \
	((__typeof__(type) *)__alloc_percpu_gfp(sizeof(type), __alignof__(type), gfp))
#define alloc_percpu(type) alloc_percpu_gfp(type, 0)

/* Copies of dynamic memory of pcpu_default (per_cpu_ptr() in percpu.h works as well). */
#define pcpu_ptr(ptr, cpu) ((__typeof__(ptr))pcpu_allocator_ptr(&pcpu_default, (void *)(ptr), cpu))
#define pcpu_this_ptr(ptr) ((__typeof__(ptr))pcpu_allocator_this_ptr(&pcpu_default, (void *)(ptr)))

#endif
