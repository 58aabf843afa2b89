/*
 * areamap.c - the area-map allocator kind, the older design kept as the measured baseline:
 * a chunk is described by map[], a list of signed area sizes in address order (positive:
 * free, negative: in use), searched linearly first-fit and split or merged in place. It
 * keeps an exact largest-free-area hint; a per-page count of areas tells which pages are
 * empty. No two free areas are ever adjacent.
 */
#include <string.h>
#include "pcpu_alloc_internal.h"

#define AM_MIN_ENTRIES 16

struct pcpu_am_chunk {
	int *map;
	unsigned int used;   /* entries in use */
	unsigned int cap;    /* entries allocated */
	bool hidden_head;    /* map[0] covers [0, start_off) */
	unsigned int contig; /* largest free area, bytes */
	unsigned int free;
	uint16_t *refs; /* [nr_pages] areas touching each page (+1 if partial) */
};

static inline unsigned int am_abs(int v)
{
	return (unsigned int)(v < 0 ? -v : v);
}

static inline struct pcpu_am_chunk *am_chunk(struct pcpu_chunk *chunk)
{
	return chunk->md;
}

static size_t am_md_size(const struct pcpu_allocator *pa, unsigned int start, unsigned int end)
{
	return ALIGN_UP(sizeof(struct pcpu_am_chunk), 8) +
	       pa->layout.unit_size / PCPU_PAGE_SIZE * sizeof(uint16_t);
}

static bool page_partial(struct pcpu_chunk *chunk, unsigned int page)
{
	unsigned int s = page * PCPU_PAGE_SIZE;

	return s < chunk->start_off || s + PCPU_PAGE_SIZE > chunk->end_off;
}

static int am_init(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	struct pcpu_am_chunk *ac = chunk->md;
	unsigned int i;

	ac->refs = (uint16_t *)((char *)ac + ALIGN_UP(sizeof(*ac), 8));
	for (i = 0; i < chunk->nr_pages; i++)
		ac->refs[i] = page_partial(chunk, i);
	ac->map = pcpu_meta_alloc(pa, AM_MIN_ENTRIES * sizeof(int));
	if (!ac->map)
		return -1;
	ac->cap = AM_MIN_ENTRIES;
	ac->used = 0;
	ac->hidden_head = chunk->start_off > 0;
	if (ac->hidden_head)
		ac->map[ac->used++] = -(int)chunk->start_off;
	ac->map[ac->used++] = (int)(chunk->end_off - chunk->start_off);
	ac->free = chunk->end_off - chunk->start_off;
	ac->contig = ac->free;
	chunk->free_bytes = ac->free;
	chunk->contig_bytes = ac->contig;
	return 0;
}

static void am_release(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	struct pcpu_am_chunk *ac = am_chunk(chunk);

	if (ac->map)
		pcpu_meta_free(pa, ac->map, ac->cap * sizeof(int));
	ac->map = NULL;
}

/* Makes room for two more entries (an area split in three). */
static int am_need_to_extend(struct pcpu_allocator *pa, struct pcpu_am_chunk *ac)
{
	unsigned int cap = ac->cap;
	int *map;

	if (ac->used + 2 <= cap)
		return 0;
	while (cap < ac->used + 2)
		cap *= 2;
	map = pcpu_meta_alloc(pa, cap * sizeof(int));
	if (!map)
		return -1;
	memcpy(map, ac->map, ac->used * sizeof(int));
	pcpu_meta_free(pa, ac->map, ac->cap * sizeof(int));
	ac->map = map;
	ac->cap = cap;
	return 0;
}

static unsigned int am_max_free(const struct pcpu_am_chunk *ac)
{
	unsigned int i, best = 0;

	for (i = 0; i < ac->used; i++)
		if (ac->map[i] > 0 && (unsigned int)ac->map[i] > best)
			best = (unsigned int)ac->map[i];
	return best;
}

static void am_ref_pages(struct pcpu_chunk *chunk, unsigned int off, unsigned int size, int d)
{
	struct pcpu_am_chunk *ac = am_chunk(chunk);
	unsigned int p, pe = (off + size - 1) / PCPU_PAGE_SIZE;

	for (p = off / PCPU_PAGE_SIZE; p <= pe; p++) {
		if (d > 0 && ac->refs[p]++ == 0)
			pcpu_chunk_page_became(chunk, p, false);
		else if (d < 0 && --ac->refs[p] == 0)
			pcpu_chunk_page_became(chunk, p, true);
	}
}

static bool am_may_fit(struct pcpu_chunk *chunk, unsigned int size, unsigned int align)
{
	return am_chunk(chunk)->contig >= size;
}

/* Replaces free entry i by [head free][size used][tail free], empty parts left out. */
static void am_split_block(struct pcpu_am_chunk *ac, unsigned int i, unsigned int head,
			   unsigned int size, unsigned int tail)
{
	unsigned int n = (head ? 1 : 0) + 1 + (tail ? 1 : 0);

	memmove(&ac->map[i + n], &ac->map[i + 1], (ac->used - i - 1) * sizeof(int));
	ac->used += n - 1;
	if (head)
		ac->map[i++] = (int)head;
	ac->map[i++] = -(int)size;
	if (tail)
		ac->map[i] = (int)tail;
}

/*
 * First aligned offset of a size-byte piece of the free area [off, end) lying on populated
 * pages only, or -1: past each unpopulated page a candidate touches, the next one is tried.
 */
static int am_populated_fit(struct pcpu_chunk *chunk, unsigned int off, unsigned int end,
			    unsigned int size, unsigned int align)
{
	unsigned int s = ALIGN_UP(off, align);

	while (s + size <= end) {
		unsigned int p, last = ~0u;

		for (p = s / PCPU_PAGE_SIZE; p <= (s + size - 1) / PCPU_PAGE_SIZE; p++)
			if (!pcpu_page_populated(chunk, p))
				last = p;
		if (last == ~0u)
			return (int)s;
		s = ALIGN_UP((last + 1) * (unsigned int)PCPU_PAGE_SIZE, align);
	}
	return -1;
}

/*
 * First fit by a linear walk of the map, splitting the area found in up to three. With
 * pop_only every populated part of each free area is considered, not only its start.
 */
static int am_alloc(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int size,
		    unsigned int align, bool pop_only)
{
	struct pcpu_am_chunk *ac = am_chunk(chunk);
	unsigned int i, off = 0;

	if (am_need_to_extend(pa, ac))
		return -1;
	for (i = 0; i < ac->used; i++) {
		int sz = ac->map[i];
		unsigned int head;
		bool was_contig;

		if (sz < 0) {
			off += (unsigned int)-sz;
			continue;
		}
		head = ALIGN_UP(off, align) - off;
		if ((unsigned int)sz < head + size) {
			off += (unsigned int)sz;
			continue;
		}
		if (pop_only && !pcpu_chunk_range_populated(chunk, off + head, size)) {
			int s = am_populated_fit(chunk, off, off + (unsigned int)sz, size, align);

			if (s < 0) {
				off += (unsigned int)sz;
				continue;
			}
			head = (unsigned int)s - off;
		}
		was_contig = (unsigned int)sz == ac->contig;
		am_split_block(ac, i, head, size, (unsigned int)sz - head - size);
		ac->free -= size;
		if (was_contig)
			ac->contig = am_max_free(ac);
		am_ref_pages(chunk, off + head, size, 1);
		chunk->free_bytes = ac->free;
		chunk->contig_bytes = ac->contig;
		return (int)(off + head);
	}
	return -1;
}

static void am_remove(struct pcpu_am_chunk *ac, unsigned int i)
{
	memmove(&ac->map[i], &ac->map[i + 1], (ac->used - i - 1) * sizeof(int));
	ac->used--;
}

static int am_free(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int off)
{
	struct pcpu_am_chunk *ac = am_chunk(chunk);
	unsigned int i, cur = 0, size;

	for (i = 0; i < ac->used && cur < off; i++)
		cur += am_abs(ac->map[i]);
	if (i >= ac->used || cur != off || ac->map[i] >= 0)
		return -1;
	size = (unsigned int)-ac->map[i];
	ac->map[i] = (int)size;
	ac->free += size;
	if (i + 1 < ac->used && ac->map[i + 1] > 0) {
		ac->map[i] += ac->map[i + 1];
		am_remove(ac, i + 1);
	}
	if (i > 0 && ac->map[i - 1] > 0) {
		ac->map[i - 1] += ac->map[i];
		am_remove(ac, i);
		i--;
	}
	if ((unsigned int)ac->map[i] > ac->contig)
		ac->contig = (unsigned int)ac->map[i];
	am_ref_pages(chunk, off, size, -1);
	chunk->free_bytes = ac->free;
	chunk->contig_bytes = ac->contig;
	return (int)size;
}

static int am_find(struct pcpu_chunk *chunk, unsigned int off, unsigned int *start,
		   unsigned int *size)
{
	struct pcpu_am_chunk *ac = am_chunk(chunk);
	unsigned int i, cur = 0;

	for (i = 0; i < ac->used; i++) {
		unsigned int sz = am_abs(ac->map[i]);

		if (off < cur + sz) {
			if (ac->map[i] > 0)
				return -1;
			*start = cur;
			*size = sz;
			return 0;
		}
		cur += sz;
	}
	return -1;
}

static bool am_page_free(struct pcpu_chunk *chunk, unsigned int page)
{
	return am_chunk(chunk)->refs[page] == 0;
}

static unsigned int am_check(struct pcpu_chunk *chunk)
{
	struct pcpu_am_chunk *ac = am_chunk(chunk);
	unsigned int i, p, cur = 0, nfree = 0, best = 0, errors = 0;

	for (i = 0; i < ac->used; i++) {
		int sz = ac->map[i];
		unsigned int a = am_abs(sz);

		if (!sz || a % PCPU_MIN_ALLOC_SIZE || (i && sz > 0 && ac->map[i - 1] > 0)) {
			pr_err("percpu check: chunk %#lx: bad map entry %u: %d\n",
			       (unsigned long)chunk->base, i, sz);
			errors++;
		}
		if (sz > 0) {
			nfree += a;
			best = MAX(best, a);
		}
		cur += a;
	}
	if (cur != chunk->end_off || nfree != ac->free || best != ac->contig ||
	    chunk->free_bytes != nfree || chunk->contig_bytes != best) {
		pr_err("percpu check: chunk %#lx: map covers %u of %u, free %u/%u, contig %u/%u\n",
		       (unsigned long)chunk->base, cur, chunk->end_off, nfree, ac->free, best,
		       ac->contig);
		errors++;
	}
	/* page counts from the map, walking pages and areas together */
	for (p = 0, i = 0, cur = 0; p < chunk->nr_pages; p++) {
		unsigned int want = page_partial(chunk, p), s = p * PCPU_PAGE_SIZE, j, c;

		while (i < ac->used && cur + am_abs(ac->map[i]) <= s)
			cur += am_abs(ac->map[i++]);
		for (j = i, c = cur; j < ac->used && c < s + PCPU_PAGE_SIZE; j++) {
			if (ac->map[j] < 0 && !(j == 0 && ac->hidden_head))
				want++;
			c += am_abs(ac->map[j]);
		}
		if (want != ac->refs[p]) {
			pr_err("percpu check: chunk %#lx: page %u has %u areas, count says %u\n",
			       (unsigned long)chunk->base, p, want, ac->refs[p]);
			errors++;
		}
	}
	return errors;
}

const struct pcpu_chunk_ops pcpu_areamap_ops = {
	.name = "areamap",
	.skip_budget = 0,
	.md_size = am_md_size,
	.init = am_init,
	.release = am_release,
	.may_fit = am_may_fit,
	.alloc = am_alloc,
	.free = am_free,
	.find = am_find,
	.page_free = am_page_free,
	.check = am_check,
};
