/*
 * percpu_model.h - an independent, brute-force model of the per-CPU allocator's memory for
 * host tests: one byte per 4-byte granule of every chunk (free, used, or outside the region
 * the chunk serves) and one byte per unit page saying whether it is populated. It sits
 * between the allocator and the real backend as a backend of its own, so it sees every chunk
 * creation, destruction, population and depopulation without reading allocator metadata.
 *
 * With it a test checks every allocation (inside its chunk's region, aligned, on populated
 * pages, overlapping nothing) and every failure: pm_fit() says whether a fitting free run
 * existed, so a failed allocation or a chunk created while one did is caught.
 */
#ifndef PERCPU_MODEL_H
#define PERCPU_MODEL_H

#include <pcpurt/percpu_alloc.h>

#define PM_MAX_CHUNKS 4096

enum { PM_FREE = 0, PM_USED = 1, PM_HIDDEN = 2 };

/* Per-page summary of granules, recomputed only when the page changed. */
struct pm_page {
	uint16_t nfree;	  /* free granules */
	uint16_t first;	  /* first free granule (1024: none) */
	uint16_t left;	  /* free granules from the page start */
	uint16_t right;	  /* free granules up to the page end */
	uint16_t longest; /* longest free run inside the page */
	uint16_t best_tz; /* most trailing zero bits of a longest run's start (11 for 0) */
	bool dirty;
	bool changed; /* granules changed since the test last cleared this */
};

/* Summary of a chunk from its granules. */
struct pm_stats {
	unsigned int free_bytes;
	unsigned int contig_bytes; /* longest free run */
	unsigned int nr_populated;
	unsigned int empty_pop_pages; /* populated, every granule in the region and free */
};

struct pm_chunk {
	bool live;
	bool reserved;
	bool first;
	uintptr_t base;
	unsigned int start, end; /* bytes of the unit served */
	unsigned int nalloc;
	unsigned long serial; /* creation order: 0 for the first chunk's two parts */
	bool changed;	      /* touched since the test last looked */
	bool stale;	      /* st needs recomputing */
	struct pm_stats st;   /* cached summary */
	unsigned char *g;     /* per granule: PM_FREE, PM_USED or PM_HIDDEN */
	uint16_t *starts;     /* per granule: granules of the allocation starting here, or 0 */
	unsigned char *pop;   /* per page */
	struct pm_page *pages;
};

struct pm {
	struct pcpu_backend be; /* hand this to the allocator */
	const struct pcpu_backend *inner;
	size_t unit;
	unsigned int npages, ngran;
	unsigned long ptr_delta;
	struct pm_chunk res, first;
	struct pm_chunk *ch; /* created chunks, [PM_MAX_CHUNKS] */
	unsigned int nch;    /* entries of ch[] ever used */
	unsigned long serial;
	unsigned long creates, destroys, populates, depopulates;
	char err[256]; /* why the last check failed */
};

/* Wraps inner; give &m->be to the allocator, then call pm_attach() after its init. */
void pm_init(struct pm *m, const struct pcpu_backend *inner, size_t unit);
/* The first chunk's regions, as the allocator's config has them. */
void pm_attach(struct pm *m, const struct pcpu_config *cfg);
void pm_fini(struct pm *m);

/*
 * Records allocation h (size bytes at align, flags PCPU_GFP_*) and checks it: inside the
 * region the flags allow, aligned, on populated pages, over free granules only. 0, or -1
 * with m->err set.
 */
int pm_take(struct pm *m, void *h, size_t size, size_t align, unsigned int flags);
/* Records the free of h; its size in bytes, or -1 (m->err) if no allocation starts there. */
int pm_release(struct pm *m, void *h);

/*
 * Does a free run fit size at align in some chunk the flags allow (reserved: the reserved
 * chunk; atomic: populated pages of dynamic chunks; else any dynamic chunk), among chunks
 * created before serial `before` (~0UL: all)? If so, *where gets the chunk base + offset.
 */
bool pm_fit(struct pm *m, size_t size, size_t align, unsigned int flags, unsigned long before,
	    uintptr_t *where);

void pm_chunk_stats(struct pm *m, struct pm_chunk *c, struct pm_stats *st);
/* Page p's summary, fresh. */
const struct pm_page *pm_page(struct pm *m, struct pm_chunk *c, unsigned int p);
/* The chunk holding unit offset 0 at base (reserved: the reserved part), or NULL. */
struct pm_chunk *pm_chunk_at(struct pm *m, uintptr_t base, bool reserved);
/* Live created chunks and allocations over all chunks. */
unsigned int pm_nr_chunks(const struct pm *m);
unsigned long pm_nr_alloc(const struct pm *m);

#endif
