/*
 * bitmap_alloc.h - metadata of the bitmap allocator kind, shared by its files.
 *
 * A chunk's map covers the pages [map_base, map_end) of a unit around the region it serves;
 * bit i is the 4 bytes at map_base + 4 * i. Bits outside the region are held by hidden
 * allocations. Each 4 KiB block (1024 bits) keeps hints, and the chunk keeps a chunk-wide
 * largest-free-run hint. Hint rules (checked by bitmap_check.c):
 *
 *   block first_free	first zero bit of the block (1024 if none)
 *   left/right_free	zero bits from the block's start / up to its end
 *   contig		length of a longest zero run inside the block; contig_start starts
 *			such a run, which is maximal (1024 when contig is 0); of equally long
 *			runs the best-aligned start (most trailing zeros, 0 best)
 *   scan		0, or a maximal zero run [scan_start, +scan) with scan_start before
 *			contig_start such that no zero run starting before scan_start is longer:
 *			a search for more than scan bits may start after the scan run
 *   chunk contig	longest zero run of the whole map (runs cross blocks) and the
 *			best-aligned start of one
 *   chunk first_free	first zero bit of the map
 */
#ifndef PCPU_BITMAP_ALLOC_H
#define PCPU_BITMAP_ALLOC_H

#include "pcpu_alloc_internal.h"
#include "bitmap_ops.h"

#define BB PCPU_BLOCK_BITS

struct pcpu_bm_block {
	uint16_t contig;
	uint16_t contig_start;
	uint16_t scan;
	uint16_t scan_start;
	uint16_t first_free;
	uint16_t left_free;
	uint16_t right_free;
};

struct pcpu_bm_chunk {
	unsigned int map_base; /* byte offset in the unit of bit 0, page aligned */
	unsigned int nr_bits;
	unsigned int nr_blocks;
	unsigned int contig; /* chunk hint, bits */
	unsigned int contig_start;
	unsigned int first_free;
	unsigned int nr_free;	      /* zero bits */
	unsigned long *alloc_map;     /* [nr_bits] */
	unsigned long *bound_map;     /* [nr_bits + 1]: starts and ends of allocations */
	struct pcpu_bm_block *blocks; /* [nr_blocks] */
};

static inline struct pcpu_bm_chunk *bm_chunk(struct pcpu_chunk *chunk)
{
	return chunk->md;
}

/* bitmap_hints.c */
void pcpu_bm_block_init_free(struct pcpu_bm_block *blk);
void pcpu_bm_mark_alloc(struct pcpu_chunk *chunk, unsigned int bit, unsigned int bits);
void pcpu_bm_mark_free(struct pcpu_chunk *chunk, unsigned int bit, unsigned int bits);
void pcpu_bm_chunk_refresh(struct pcpu_bm_chunk *bc);
int pcpu_bm_find_fit(struct pcpu_bm_chunk *bc, unsigned int bits, unsigned int align,
		     unsigned int from);

/* bitmap_check.c */
unsigned int pcpu_bm_check(struct pcpu_chunk *chunk);

#endif
