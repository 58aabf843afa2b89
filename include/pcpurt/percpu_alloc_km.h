/*
 * percpu_alloc_km.h - the "km" chunk backend of the per-CPU allocator: every chunk is
 * physically contiguous memory per group, taken from a page allocator (node-local where the
 * group has a node) and fully populated at creation. Groups must sit at the same offsets from
 * the chunk base as in the first chunk, so groups after the first are asked for at an exact
 * address; when that fails another placement is tried.
 */
#ifndef PCPURT_PERCPU_ALLOC_KM_H
#define PCPURT_PERCPU_ALLOC_KM_H

#include <pcpurt/percpu_alloc_types.h>

/* What the backend needs from the page allocator. Sizes are multiples of PCPU_PAGE_SIZE. */
struct pcpu_km_pages {
	void *priv;
	/* size bytes on node (-1: any) aligned to align, or NULL */
	void *(*alloc)(void *priv, int node, size_t size, size_t align);
	/* exactly [addr, addr + size) on node, or NULL if not free; NULL hook: one group only */
	void *(*alloc_at)(void *priv, int node, uintptr_t addr, size_t size);
	void (*free)(void *priv, void *p, size_t size);
	/* small metadata; NULL hooks: whole pages from alloc/free */
	void *(*meta_alloc)(void *priv, size_t size);
	void (*meta_free)(void *priv, void *p, size_t size);
};

#define PCPU_KM_TRIES 8 /* placements tried for a multi-group chunk */

struct pcpu_km_backend {
	struct pcpu_backend be;
	struct pcpu_km_pages pages;
};

/* Fills km->be (to pass as pcpu_config.backend) around the page allocator hooks. */
void pcpu_km_backend_init(struct pcpu_km_backend *km, const struct pcpu_km_pages *pages);

#endif
