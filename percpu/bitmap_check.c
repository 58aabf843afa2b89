/*
 * bitmap_check.c - slow, bit-by-bit verification that a bitmap chunk's hints and boundary
 * map agree with its allocation map (the rules are listed in bitmap_alloc.h). Used by the
 * debug build after every operation and by pcpu_allocator_check().
 */
#include "bitmap_alloc.h"

#define bad(chunk, fmt, ...)                                                                       \
	({                                                                                         \
		pr_err("percpu check: chunk %#lx: " fmt "\n", (unsigned long)(chunk)->base,        \
		       ##__VA_ARGS__);                                                             \
		errors++;                                                                          \
	})

/* Length of the zero run starting at s, not past end. */
static unsigned int run_len(const unsigned long *map, unsigned int s, unsigned int end)
{
	unsigned int e = s;

	while (e < end && !bm_test(map, e))
		e++;
	return e - s;
}

static bool is_run_start(const unsigned long *map, unsigned int lo, unsigned int s)
{
	return !bm_test(map, s) && (s == lo || bm_test(map, s - 1));
}

/* Trailing zero bits of a run start, 0 counting as the best aligned. */
static unsigned int start_tz(unsigned int s)
{
	return s ? (unsigned int)__builtin_ctz(s) : 32;
}

static unsigned int check_block(struct pcpu_chunk *chunk, struct pcpu_bm_chunk *bc, unsigned int bi)
{
	const struct pcpu_bm_block *blk = &bc->blocks[bi];
	const unsigned long *map = bc->alloc_map;
	unsigned int base = bi * BB, end = base + BB, i, errors = 0;
	unsigned int first = BB, left, right, best = 0, before_scan_max = 0, best_tz = 0;

	for (i = base; i < end; i++) {
		if (!bm_test(map, i)) {
			first = i - base;
			break;
		}
	}
	left = run_len(map, base, end);
	for (right = 0; right < BB && !bm_test(map, end - 1 - right); right++)
		;
	for (i = base; i < end; i++) {
		if (is_run_start(map, base, i)) {
			unsigned int l = run_len(map, i, end);

			if (l > best || (l == best && start_tz(i - base) > best_tz))
				best_tz = start_tz(i - base);
			best = MAX(best, l);
			if (blk->scan && i - base < blk->scan_start)
				before_scan_max = MAX(before_scan_max, l);
		}
	}
	if (blk->first_free != first)
		bad(chunk, "block %u first_free %u, map says %u", bi, blk->first_free, first);
	if (blk->left_free != left || blk->right_free != right)
		bad(chunk, "block %u left/right %u/%u, map says %u/%u", bi, blk->left_free,
		    blk->right_free, left, right);
	if (blk->contig != best)
		bad(chunk, "block %u contig %u, map says %u", bi, blk->contig, best);
	else if (best && (blk->contig_start + best > BB ||
			  !is_run_start(map, base, base + blk->contig_start) ||
			  run_len(map, base + blk->contig_start, end) != best))
		bad(chunk, "block %u contig start %u is no run of %u", bi, blk->contig_start, best);
	else if (best && start_tz(blk->contig_start) < best_tz)
		bad(chunk, "block %u contig start %u: an equal run is better aligned", bi,
		    blk->contig_start);
	if (blk->scan) {
		if (blk->scan_start + blk->scan > BB ||
		    !is_run_start(map, base, base + blk->scan_start) ||
		    run_len(map, base + blk->scan_start, end) != blk->scan)
			bad(chunk, "block %u scan %u@%u is no maximal run", bi, blk->scan,
			    blk->scan_start);
		else if (blk->scan_start >= blk->contig_start || blk->scan > blk->contig)
			bad(chunk, "block %u scan %u@%u not before contig %u@%u", bi, blk->scan,
			    blk->scan_start, blk->contig, blk->contig_start);
		else if (before_scan_max > blk->scan)
			bad(chunk, "block %u run of %u before scan %u@%u", bi, before_scan_max,
			    blk->scan, blk->scan_start);
	}
	return errors;
}

unsigned int pcpu_bm_check(struct pcpu_chunk *chunk)
{
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	const unsigned long *map = bc->alloc_map, *bound = bc->bound_map;
	unsigned int i, errors = 0, nfree = 0, first = bc->nr_bits, best = 0, best_tz = 0;

	for (i = 0; i < bc->nr_blocks; i++)
		errors += check_block(chunk, bc, i);
	for (i = 0; i < bc->nr_bits; i++) {
		bool a0 = i && bm_test(map, i - 1), a1 = bm_test(map, i), bd = bm_test(bound, i);

		if (!a1) {
			nfree++;
			if (first == bc->nr_bits)
				first = i;
			if (is_run_start(map, 0, i)) {
				unsigned int l = run_len(map, i, bc->nr_bits);

				if (l > best || (l == best && start_tz(i) > best_tz))
					best_tz = start_tz(i);
				best = MAX(best, l);
			}
		}
		if (a0 != a1 && !bd)
			bad(chunk, "no boundary at bit %u", i);
		if (!a0 && !a1 && bd)
			bad(chunk, "stray boundary at free bit %u", i);
	}
	if (!bm_test(bound, bc->nr_bits))
		bad(chunk, "no boundary at the map end");
	if (nfree != bc->nr_free)
		bad(chunk, "nr_free %u, map says %u", bc->nr_free, nfree);
	if (first != bc->first_free)
		bad(chunk, "first_free %u, map says %u", bc->first_free, first);
	if (best != bc->contig)
		bad(chunk, "chunk contig %u, map says %u", bc->contig, best);
	else if (best && (!is_run_start(map, 0, bc->contig_start) ||
			  run_len(map, bc->contig_start, bc->nr_bits) != best))
		bad(chunk, "chunk contig start %u is no run of %u", bc->contig_start, best);
	else if (best && start_tz(bc->contig_start) < best_tz)
		bad(chunk, "chunk contig start %u: an equal run is better aligned", bc->contig_start);
	if (chunk->free_bytes != nfree * PCPU_MIN_ALLOC_SIZE ||
	    chunk->contig_bytes != best * PCPU_MIN_ALLOC_SIZE)
		bad(chunk, "chunk free/contig bytes %u/%u stale", chunk->free_bytes,
		    chunk->contig_bytes);
	return errors;
}
