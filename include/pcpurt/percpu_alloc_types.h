/*
 * percpu_alloc_types.h - data types of the dynamic per-CPU allocator: the unit layout it is
 * given, the chunk backend interface, its configuration, chunks and the allocator state.
 *
 * A chunk holds one unit per possible CPU. CPU c's copy of the area at chunk offset `off`
 * lives at `base + unit_off[c] + off`. Handles returned to users are `base + off - ptr_delta`
 * so that `handle + ptr_delta + unit_off[c]` (the runtime's per-CPU offset) reaches a copy.
 */
#ifndef PCPURT_PERCPU_ALLOC_TYPES_H
#define PCPURT_PERCPU_ALLOC_TYPES_H

#include <pcpurt/compiler.h>
#include <pcpurt/spinlock.h>
#include <pcpurt/percpu_defs.h>

#define PCPU_MAX_ALIGN	    PCPU_PAGE_SIZE
#define PCPU_BLOCK_BITS	    (PCPU_PAGE_SIZE / PCPU_MIN_ALLOC_SIZE) /* bits per block */
#define PCPU_MAX_SLOTS	    40

/* Allocation flags (the gfp-style argument). */
#define PCPU_GFP_ATOMIC	  0x1u /* populated pages only: never create or populate */
#define PCPU_GFP_NOWARN	  0x2u /* no warning line when the allocation fails */
#define PCPU_GFP_RESERVED 0x4u /* from the reserved chunk only */

enum pcpu_allocator_kind {
	PCPU_ALLOCATOR_BITMAP,
	PCPU_ALLOCATOR_AREAMAP,
};

/* How units sit in a chunk; every chunk is laid out the same way as the first. */
struct pcpu_layout {
	unsigned int nr_cpus;		/* possible CPUs */
	unsigned int nr_units;		/* per chunk; >= nr_cpus if groups are padded */
	size_t unit_size;		/* bytes per unit, multiple of the page size */
	const unsigned long *unit_off;	/* [nr_cpus]: CPU c's unit from a chunk base */
	unsigned int nr_groups;		/* groups for the backend; 0 means one group */
	const unsigned long *group_off; /* [nr_groups]: group start from the chunk base */
	const size_t *group_size;	/* [nr_groups]: bytes of the group's units */
	const int *group_node;		/* [nr_groups]: NUMA node, or NULL */
};

/*
 * Where chunk memory and allocator metadata come from. Pages are unit pages: populating
 * page p means page p of every unit of the chunk.
 */
struct pcpu_backend {
	const char *name;
	void *priv;
	bool populated_on_create; /* a new chunk is fully populated (km) */
	int (*chunk_create)(void *priv, const struct pcpu_layout *l, uintptr_t *base,
			    void **cookie);
	void (*chunk_destroy)(void *priv, const struct pcpu_layout *l, uintptr_t base,
			      void *cookie);
	int (*populate)(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
			unsigned int page_start, unsigned int page_end);
	/* may be NULL: the backend cannot give pages back */
	void (*depopulate)(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
			   unsigned int page_start, unsigned int page_end);
	void *(*meta_alloc)(void *priv, size_t size);
	void (*meta_free)(void *priv, void *p, size_t size);
};

struct pcpu_config {
	const struct pcpu_layout *layout;
	const struct pcpu_backend *backend;
	enum pcpu_allocator_kind kind;
	uintptr_t first_base;		/* base of the first chunk (all units populated) */
	size_t static_size;		/* [0, static): static per-CPU variables */
	size_t reserved_size;		/* [static, static + reserved): reserved chunk */
	size_t dyn_size;		/* dynamic region after it; 0 means up to unit_size */
	unsigned long ptr_delta;	/* handle = chunk base + offset - ptr_delta */
	unsigned int (*this_cpu)(void); /* current CPU number; NULL means CPU 0 */
	unsigned int empty_pages_low;	/* balance below this many empty populated pages */
	unsigned int empty_pages_high;	/* and depopulate above this many */
	bool no_zero;			/* benchmarks only: hand out memory unzeroed */
};

struct pcpu_list {
	struct pcpu_list *next, *prev;
};

/* One chunk; the fields below md are kept by the generic code, md by the allocator kind. */
struct pcpu_chunk {
	struct pcpu_list list; /* on a slot list */
	uintptr_t base;
	void *cookie;		/* backend's */
	int slot;		/* -1 when on no list */
	unsigned int start_off; /* bytes of a unit this chunk serves: [start, end) */
	unsigned int end_off;
	unsigned int free_bytes;   /* free bytes in [start, end) */
	unsigned int contig_bytes; /* largest free run, bytes */
	unsigned int nr_alloc;	   /* live allocations */
	unsigned int nr_pages;	   /* pages per unit */
	unsigned int nr_populated;
	unsigned int nr_empty_pop_pages; /* populated pages with nothing allocated */
	bool immutable;			 /* first/reserved: never (de)populated or freed */
	bool reserved;
	bool nofit;		  /* maybe in its slot's no-fit region */
	size_t meta_size;	  /* bytes of metadata (this struct included) */
	unsigned long *populated; /* bitmap of populated unit pages */
	void *md;		  /* allocator kind's metadata */
};

struct pcpu_chunk_ops;

struct pcpu_allocator {
	spinlock_t lock;
	struct pcpu_config cfg;
	struct pcpu_layout layout;
	const struct pcpu_chunk_ops *ops;
	bool ready;
	bool balance_pending;
	bool atomic_failed; /* an atomic request lacked populated pages: balance populates more */
	unsigned int nr_slots; /* slot nr_slots - 1 holds fully free chunks */
	struct pcpu_list slots[PCPU_MAX_SLOTS];
	/* per slot: chunks from nofit[s] to the list end cannot hold nofit_size at nofit_align */
	struct pcpu_list *nofit[PCPU_MAX_SLOTS];
	unsigned int nofit_size[PCPU_MAX_SLOTS];
	unsigned int nofit_align[PCPU_MAX_SLOTS];
	struct pcpu_chunk *first_chunk; /* dynamic part of the first chunk, or NULL */
	struct pcpu_chunk *reserved_chunk;
	struct pcpu_chunk **by_addr; /* created chunks sorted by base */
	uintptr_t *by_addr_base;     /* their bases, searched without touching the chunks */
	unsigned int nr_by_addr;
	unsigned int by_addr_cap;
	/*
	 * free's address lookup: open-addressed hash of (base | tag, chunk) pairs, a granule
	 * being addr >> addr_hash_shift (at most unit size); a chunk is filed under each
	 * granule its first unit touches
	 */
	uintptr_t *addr_hash;
	unsigned int addr_hash_cap; /* entries (pairs), a power of two, or 0 */
	unsigned int addr_hash_used;
	unsigned int addr_hash_shift;
	/* the kind's layout of a created chunk's metadata, for ops->prefetch (0: unknown) */
	unsigned int kind_geom[3];
	unsigned int nr_empty_pop_pages; /* over dynamic chunks */
	unsigned int warn_left;		 /* warnings left (rate limit) */
	/* statistics */
	size_t meta_bytes;
	uint64_t nr_alloc_total;
	uint64_t nr_free_total;
	uint64_t nr_cur_alloc;
	uint64_t nr_max_alloc;
	uint64_t nr_failed;
	uint64_t nr_bad_free;
	uint64_t nr_bad_args;
	uint64_t nr_balance_runs;
	uint64_t nr_slow_fits; /* fits only the bit-by-bit slow path found (hints missed them) */
	unsigned int nr_chunks; /* dynamic chunks, first included */
	unsigned int nr_max_chunks;
	size_t min_alloc_size;
	size_t max_alloc_size;
	unsigned long debug_errors; /* consistency errors found by debug checks */
};

#endif
