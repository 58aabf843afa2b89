/*
 * chunk_km.c - the km chunk backend: chunks as physically contiguous groups from a page
 * allocator, populated at creation, never depopulated.
 */
#include <pcpurt/percpu_alloc_km.h>

/* Group g of layout l: offset from the chunk base, bytes, node. One group if none given. */
static void group_of(const struct pcpu_layout *l, unsigned int g, unsigned long *off, size_t *size,
		     int *node)
{
	unsigned int c;

	if (!l->nr_groups) {
		unsigned long max = 0;

		for (c = 0; c < l->nr_cpus; c++)
			max = MAX(max, l->unit_off[c]);
		*off = 0;
		*size = MAX((size_t)max + l->unit_size, l->nr_units * l->unit_size);
		*node = -1;
		return;
	}
	*off = l->group_off[g];
	*size = ALIGN_UP(l->group_size[g], PCPU_PAGE_SIZE);
	*node = l->group_node ? l->group_node[g] : -1;
}

static void free_groups(struct pcpu_km_backend *km, const struct pcpu_layout *l, uintptr_t base,
			unsigned int upto)
{
	unsigned long off;
	unsigned int g;
	size_t size;
	int node;

	for (g = 1; g < upto; g++) {
		group_of(l, g, &off, &size, &node);
		km->pages.free(km->pages.priv, (void *)(base + off), size);
	}
}

/*
 * Places group 0 anywhere on its node and the others at base + group_off. A failed
 * placement keeps its group 0 memory until the end so the next try lands elsewhere.
 */
static int km_create(void *priv, const struct pcpu_layout *l, uintptr_t *basep, void **cookie)
{
	struct pcpu_km_backend *km = priv;
	unsigned int nr = l->nr_groups ? l->nr_groups : 1, g, t, held = 0;
	void *failed[PCPU_KM_TRIES];
	unsigned long off0, off;
	size_t size0, size;
	int node0, node, ret = -1;

	if (nr > 1 && !km->pages.alloc_at)
		return -1;
	group_of(l, 0, &off0, &size0, &node0);
	for (t = 0; t < PCPU_KM_TRIES && ret; t++) {
		void *g0 = km->pages.alloc(km->pages.priv, node0, size0, PCPU_PAGE_SIZE);
		uintptr_t base;

		if (!g0)
			break;
		base = (uintptr_t)g0 - off0;
		for (g = 1; g < nr; g++) {
			group_of(l, g, &off, &size, &node);
			if (!km->pages.alloc_at(km->pages.priv, node, base + off, size))
				break;
		}
		if (g == nr) {
			*basep = base;
			*cookie = NULL;
			ret = 0;
		} else {
			free_groups(km, l, base, g);
			failed[held++] = g0;
		}
	}
	while (held--)
		km->pages.free(km->pages.priv, failed[held], size0);
	return ret;
}

static void km_destroy(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie)
{
	struct pcpu_km_backend *km = priv;
	unsigned long off;
	size_t size;
	int node;

	group_of(l, 0, &off, &size, &node);
	km->pages.free(km->pages.priv, (void *)(base + off), size);
	free_groups(km, l, base, l->nr_groups ? l->nr_groups : 1);
}

static int km_populate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
		       unsigned int page_start, unsigned int page_end)
{
	return 0; /* everything is populated at creation */
}

static void *km_meta_alloc(void *priv, size_t size)
{
	struct pcpu_km_backend *km = priv;

	if (km->pages.meta_alloc)
		return km->pages.meta_alloc(km->pages.priv, size);
	return km->pages.alloc(km->pages.priv, -1, ALIGN_UP(size, PCPU_PAGE_SIZE), PCPU_PAGE_SIZE);
}

static void km_meta_free(void *priv, void *p, size_t size)
{
	struct pcpu_km_backend *km = priv;

	if (km->pages.meta_free)
		km->pages.meta_free(km->pages.priv, p, size);
	else
		km->pages.free(km->pages.priv, p, ALIGN_UP(size, PCPU_PAGE_SIZE));
}

void pcpu_km_backend_init(struct pcpu_km_backend *km, const struct pcpu_km_pages *pages)
{
	km->pages = *pages;
	km->be.name = "km";
	km->be.priv = km;
	km->be.populated_on_create = true;
	km->be.chunk_create = km_create;
	km->be.chunk_destroy = km_destroy;
	km->be.populate = km_populate;
	km->be.depopulate = NULL;
	km->be.meta_alloc = km_meta_alloc;
	km->be.meta_free = km_meta_free;
}
