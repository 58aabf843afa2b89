/*
 * bitmap_alloc.c - the bitmap allocator kind: chunk metadata layout, allocation, free and
 * lookup on the allocation and boundary maps. Hint upkeep is in bitmap_hints.c.
 */
#include <string.h>
#include "bitmap_alloc.h"

static void region_bits(const struct pcpu_allocator *pa, unsigned int start, unsigned int end,
			unsigned int *map_base, unsigned int *nr_bits)
{
	unsigned int mb = ALIGN_DOWN(start, PCPU_PAGE_SIZE);

	*map_base = mb;
	*nr_bits = (ALIGN_UP(end, PCPU_PAGE_SIZE) - mb) / PCPU_MIN_ALLOC_SIZE;
}

static size_t bm_md_size(const struct pcpu_allocator *pa, unsigned int start, unsigned int end)
{
	unsigned int mb, nr_bits;

	region_bits(pa, start, end, &mb, &nr_bits);
	return ALIGN_UP(sizeof(struct pcpu_bm_chunk) + nr_bits / BB * sizeof(struct pcpu_bm_block),
			8) +
	       BM_WORDS(nr_bits) * 8 + BM_WORDS(nr_bits + 1) * 8;
}

/* Lays the maps out after the chunk struct and hides what lies outside [start, end). */
static int bm_init(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	struct pcpu_bm_chunk *bc = chunk->md;
	char *p;
	unsigned int i, head, tail;

	/* hints first, next to the chunk header; the maps after them */
	region_bits(pa, chunk->start_off, chunk->end_off, &bc->map_base, &bc->nr_bits);
	bc->nr_blocks = bc->nr_bits / BB;
	bc->blocks = (struct pcpu_bm_block *)(bc + 1);
	p = (char *)bc + ALIGN_UP(sizeof(*bc) + bc->nr_blocks * sizeof(struct pcpu_bm_block), 8);
	bc->alloc_map = (unsigned long *)p;
	p += BM_WORDS(bc->nr_bits) * 8;
	bc->bound_map = (unsigned long *)p;
	for (i = 0; i < bc->nr_blocks; i++)
		pcpu_bm_block_init_free(&bc->blocks[i]);
	bm_set(bc->bound_map, bc->nr_bits);
	bc->nr_free = bc->nr_bits;
	bc->first_free = 0;
	bc->contig = bc->nr_bits;
	bc->contig_start = 0;

	head = (chunk->start_off - bc->map_base) / PCPU_MIN_ALLOC_SIZE;
	tail = (chunk->end_off - bc->map_base) / PCPU_MIN_ALLOC_SIZE;
	if (head)
		pcpu_bm_mark_alloc(chunk, 0, head);
	if (tail < bc->nr_bits)
		pcpu_bm_mark_alloc(chunk, tail, bc->nr_bits - tail);
	chunk->free_bytes = bc->nr_free * PCPU_MIN_ALLOC_SIZE;
	chunk->contig_bytes = bc->contig * PCPU_MIN_ALLOC_SIZE;
	if (chunk->start_off == 0 && chunk->end_off == pa->layout.unit_size) {
		/* every created chunk is laid out alike: remember where, for bm_prefetch() */
		pa->kind_geom[0] = (unsigned int)((char *)bc->alloc_map - (char *)chunk);
		pa->kind_geom[1] = (unsigned int)((char *)bc->bound_map - (char *)chunk);
		pa->kind_geom[2] = (unsigned int)((char *)bc->blocks - (char *)chunk);
	}
	return 0;
}

/* The map words and the block hint a free at off reads, from the layout alone. */
static void bm_prefetch(const struct pcpu_allocator *pa, struct pcpu_chunk *chunk,
			unsigned int off)
{
	unsigned int bit = off / PCPU_MIN_ALLOC_SIZE;
	char *c = (char *)chunk;

	if (!pa->kind_geom[0])
		return;
	__builtin_prefetch(c + pa->kind_geom[0] + bit / BM_BPL * sizeof(unsigned long));
	__builtin_prefetch(c + pa->kind_geom[1] + bit / BM_BPL * sizeof(unsigned long));
	__builtin_prefetch(c + pa->kind_geom[2] + bit / BB * sizeof(struct pcpu_bm_block));
}

static void bm_release(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
}

/*
 * Exact: does a free run hold size at align (population aside)? The chunk hint answers when
 * its run is too short or fits; otherwise (a misaligned largest run) the block hints do.
 */
static bool bm_may_fit(struct pcpu_chunk *chunk, unsigned int size, unsigned int align)
{
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	unsigned int bits = size / PCPU_MIN_ALLOC_SIZE, ab = align / PCPU_MIN_ALLOC_SIZE;

	if (bc->contig < bits)
		return false;
	if (ALIGN_UP(bc->contig_start, ab) + bits <= bc->contig_start + bc->contig)
		return true;
	/* runs of exactly bits fit only aligned; contig_start is the best-aligned of them */
	if (bc->contig == bits)
		return false;
	return pcpu_bm_find_fit(bc, bits, ab, 0) >= 0;
}

static int bm_alloc(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int size,
		    unsigned int align, bool pop_only)
{
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	unsigned int bits = size / PCPU_MIN_ALLOC_SIZE, ab = align / PCPU_MIN_ALLOC_SIZE;
	unsigned int from = 0;
	int bit;

	for (;;) {
		unsigned int off, page, pe;

		bit = pcpu_bm_find_fit(bc, bits, ab, from);
		if (bit < 0)
			return -1;
		off = bc->map_base + (unsigned int)bit * PCPU_MIN_ALLOC_SIZE;
		if (!pop_only || pcpu_chunk_range_populated(chunk, off, size))
			break;
		/* skip past the first unpopulated page of the candidate */
		pe = (off + size - 1) / PCPU_PAGE_SIZE;
		for (page = off / PCPU_PAGE_SIZE; page <= pe; page++)
			if (!pcpu_page_populated(chunk, page))
				break;
		from = (page + 1) * PCPU_PAGE_SIZE;
		if (from <= bc->map_base)
			return -1;
		from = (from - bc->map_base) / PCPU_MIN_ALLOC_SIZE;
	}
	pcpu_bm_mark_alloc(chunk, (unsigned int)bit, bits);
	return (int)(bc->map_base + (unsigned int)bit * PCPU_MIN_ALLOC_SIZE);
}

/* Exact first fit over the whole map, for when the hints said no but room may exist. */
static int bm_alloc_slow(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int size,
			 unsigned int align)
{
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	unsigned int bits = size / PCPU_MIN_ALLOC_SIZE, ab = align / PCPU_MIN_ALLOC_SIZE;
	int bit = bm_find_fit(bc->alloc_map, bc->first_free, bc->nr_bits, bits, ab);

	if (bit < 0)
		return -1;
	pcpu_bm_mark_alloc(chunk, (unsigned int)bit, bits);
	return (int)(bc->map_base + (unsigned int)bit * PCPU_MIN_ALLOC_SIZE);
}

static int bm_free(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int off)
{
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	unsigned int bit, end;

	if (off < bc->map_base || off % PCPU_MIN_ALLOC_SIZE)
		return -1;
	bit = (off - bc->map_base) / PCPU_MIN_ALLOC_SIZE;
	if (bit >= bc->nr_bits || !bm_test(bc->bound_map, bit) || !bm_test(bc->alloc_map, bit))
		return -1;
	end = bm_next_set(bc->bound_map, bit + 1, bc->nr_bits + 1);
	pcpu_bm_mark_free(chunk, bit, end - bit);
	return (int)((end - bit) * PCPU_MIN_ALLOC_SIZE);
}

static int bm_find(struct pcpu_chunk *chunk, unsigned int off, unsigned int *start,
		   unsigned int *size)
{
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	unsigned int bit, s, e;

	if (off < bc->map_base)
		return -1;
	bit = (off - bc->map_base) / PCPU_MIN_ALLOC_SIZE;
	if (bit >= bc->nr_bits || !bm_test(bc->alloc_map, bit))
		return -1;
	/* the last boundary at or before bit starts the allocation */
	s = bm_zero_run_start(bc->bound_map, 0, bit + 1);
	if (s == 0)
		return -1;
	s -= 1;
	e = bm_next_set(bc->bound_map, s + 1, bc->nr_bits + 1);
	*start = bc->map_base + s * PCPU_MIN_ALLOC_SIZE;
	*size = (e - s) * PCPU_MIN_ALLOC_SIZE;
	return 0;
}

static bool bm_page_free(struct pcpu_chunk *chunk, unsigned int page)
{
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	unsigned int first = bc->map_base / PCPU_PAGE_SIZE;

	if (page < first || page - first >= bc->nr_blocks)
		return false;
	return bc->blocks[page - first].contig == BB;
}

const struct pcpu_chunk_ops pcpu_bitmap_ops = {
	.name = "bitmap",
	.skip_budget = 16,
	.md_size = bm_md_size,
	.init = bm_init,
	.release = bm_release,
	.may_fit = bm_may_fit,
	.alloc = bm_alloc,
	.alloc_slow = bm_alloc_slow,
	.prefetch = bm_prefetch,
	.free = bm_free,
	.find = bm_find,
	.page_free = bm_page_free,
	.check = pcpu_bm_check,
};
