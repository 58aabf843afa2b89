/*
 * pcpu_alloc_internal.h - what the per-CPU allocator's files share: the interface each
 * allocator kind (bitmap, areamap) implements, list helpers, and the generic chunk helpers
 * (slots, address lookup, population, empty-page accounting).
 *
 * All functions here expect pa->lock held unless they say otherwise.
 */
#ifndef PCPU_ALLOC_INTERNAL_H
#define PCPU_ALLOC_INTERNAL_H

#include <pcpurt/percpu_alloc.h>
#include <pcpurt/printk.h>

#ifndef PCPU_DEBUG_CHECKS
#define PCPU_DEBUG_CHECKS 0
#endif

#define PCPU_WARN_LIMIT 10

/* One allocator kind. Offsets and sizes are bytes within a unit, multiples of 4. */
struct pcpu_chunk_ops {
	const char *name;
	/*
	 * 0: walk every chunk of every slot (area map). Else the most chunks failing the hint
	 * test one allocation looks at in slots where a fit is not sure, which remember the
	 * chunks known not to fit (see alloc_from_slots()).
	 */
	unsigned int skip_budget;
	/* bytes of metadata to place after the chunk struct for region [start, end) */
	size_t (*md_size)(const struct pcpu_allocator *pa, unsigned int start, unsigned int end);
	/* set up chunk->md (zeroed memory) and the chunk's free_bytes/contig_bytes */
	int (*init)(struct pcpu_allocator *pa, struct pcpu_chunk *chunk);
	/* free metadata allocated outside the chunk block */
	void (*release)(struct pcpu_allocator *pa, struct pcpu_chunk *chunk);
	/* from the hints: may this chunk hold size at align? Never false while a run fits */
	bool (*may_fit)(struct pcpu_chunk *chunk, unsigned int size, unsigned int align);
	/* allocate; pop_only restricts to populated pages. Offset, or -1 */
	int (*alloc)(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int size,
		     unsigned int align, bool pop_only);
	/* optional: first fit by a bit-wise walk, no hint shortcuts (before creating a chunk) */
	int (*alloc_slow)(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int size,
			  unsigned int align);
	/*
	 * optional: start fetching what a free at off in a created chunk reads, from
	 * pa->kind_geom only (the chunk's own lines are not there yet)
	 */
	void (*prefetch)(const struct pcpu_allocator *pa, struct pcpu_chunk *chunk,
			 unsigned int off);
	/* free the allocation starting at off; its size, or -1 if none starts there */
	int (*free)(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int off);
	/* allocation containing off: 0 and its start/size, or -1 if off is free */
	int (*find)(struct pcpu_chunk *chunk, unsigned int off, unsigned int *start,
		    unsigned int *size);
	/* nothing allocated (hidden areas included) in unit page `page` */
	bool (*page_free)(struct pcpu_chunk *chunk, unsigned int page);
	/* compare hints with maps; number of problems, each printed */
	unsigned int (*check)(struct pcpu_chunk *chunk);
};

extern const struct pcpu_chunk_ops pcpu_bitmap_ops;
extern const struct pcpu_chunk_ops pcpu_areamap_ops;

/* ---- lists ---------------------------------------------------------------------------------- */

static inline void pcpu_list_init(struct pcpu_list *l)
{
	l->next = l;
	l->prev = l;
}

static inline bool pcpu_list_empty(const struct pcpu_list *l)
{
	return l->next == l;
}

static inline void pcpu_list_del(struct pcpu_list *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e;
	e->prev = e;
}

static inline void pcpu_list_add_tail(struct pcpu_list *e, struct pcpu_list *head)
{
	e->prev = head->prev;
	e->next = head;
	head->prev->next = e;
	head->prev = e;
}

static inline void pcpu_list_add(struct pcpu_list *e, struct pcpu_list *head)
{
	e->next = head->next;
	e->prev = head;
	head->next->prev = e;
	head->next = e;
}

#define pcpu_chunk_of(l) ((struct pcpu_chunk *)((char *)(l)-offsetof(struct pcpu_chunk, list)))

static inline unsigned int pcpu_fls(unsigned long x)
{
	return x ? (unsigned int)(8 * sizeof(long)) - (unsigned int)__builtin_clzl(x) : 0;
}

/* ---- chunk.c ----------------------------------------------------------------------------------
 */

unsigned int pcpu_size_to_slot(const struct pcpu_allocator *pa, unsigned int size);
void pcpu_chunk_relocate(struct pcpu_allocator *pa, struct pcpu_chunk *chunk);
void pcpu_chunk_mark_nofit(struct pcpu_allocator *pa, struct pcpu_chunk *chunk);
struct pcpu_chunk *pcpu_chunk_new(struct pcpu_allocator *pa, uintptr_t base, void *cookie,
				  unsigned int start, unsigned int end, bool populated);
void pcpu_chunk_delete(struct pcpu_allocator *pa, struct pcpu_chunk *chunk);
struct pcpu_chunk *pcpu_chunk_create(struct pcpu_allocator *pa);
void pcpu_chunk_destroy(struct pcpu_allocator *pa, struct pcpu_chunk *chunk);
struct pcpu_chunk *pcpu_chunk_lookup(struct pcpu_allocator *pa, uintptr_t addr);
bool pcpu_chunk_range_populated(struct pcpu_chunk *chunk, unsigned int off, unsigned int size);
int pcpu_chunk_populate(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int ps,
			unsigned int pe);
void pcpu_chunk_depopulate(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int ps,
			   unsigned int pe);
void pcpu_chunk_page_became(struct pcpu_chunk *chunk, unsigned int page, bool empty);
void *pcpu_meta_alloc(struct pcpu_allocator *pa, size_t size);
void pcpu_meta_free(struct pcpu_allocator *pa, void *p, size_t size);

static inline bool pcpu_page_populated(const struct pcpu_chunk *chunk, unsigned int page)
{
	return chunk->populated[page / (8 * sizeof(long))] >> (page % (8 * sizeof(long))) & 1;
}

/* Count of fully free chunks beyond the one balancing keeps. */
static inline bool pcpu_extra_empty_chunks(const struct pcpu_allocator *pa)
{
	const struct pcpu_list *h = &pa->slots[pa->nr_slots - 1];

	return h->next != h && h->next->next != h;
}

#endif
