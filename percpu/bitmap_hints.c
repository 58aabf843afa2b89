/*
 * bitmap_hints.c - the bitmap allocator's map updates and hint upkeep: marking an area used
 * or free updates the block hints of the blocks it touches and the chunk-wide hint, mostly
 * in constant time; a block is rescanned (word at a time) only when its largest run is cut,
 * and the chunk hint is rebuilt from block hints only when the chunk's largest run is cut.
 * Also the first-fit search that walks block hints instead of bits.
 */
#include "bitmap_alloc.h"

void pcpu_bm_block_init_free(struct pcpu_bm_block *blk)
{
	blk->contig = BB;
	blk->contig_start = 0;
	blk->scan = 0;
	blk->scan_start = 0;
	blk->first_free = 0;
	blk->left_free = BB;
	blk->right_free = BB;
}

static void block_init_full(struct pcpu_bm_block *blk)
{
	blk->contig = 0;
	blk->contig_start = BB;
	blk->scan = 0;
	blk->scan_start = 0;
	blk->first_free = BB;
	blk->left_free = 0;
	blk->right_free = 0;
}

static inline void set_run(uint16_t *len, uint16_t *start, unsigned int l, unsigned int s)
{
	*len = (uint16_t)l;
	*start = (uint16_t)s;
}

/* Is a run at block-relative start x better aligned than one at y (0 is the best)? */
static inline bool better_aligned(unsigned int x, unsigned int y)
{
	return y && (!x || __builtin_ctz(x) > __builtin_ctz(y));
}

/*
 * The best-aligned start in [lo, BB) of block bi of a zero run of len bits, len being the
 * block's longest (so any aligned position with len zero bits after it starts such a run),
 * or start if none is better aligned than start.
 */
static unsigned int best_aligned_run(const struct pcpu_bm_chunk *bc, unsigned int bi,
				     unsigned int lo, unsigned int len, unsigned int start)
{
	unsigned int base = bi * BB;

	/* each search asks for one more trailing zero than the best start so far */
	while (start) {
		unsigned int a = 2u << __builtin_ctz(start);
		int s;

		if (a > BB)
			break;
		s = bm_find_fit(bc->alloc_map, base + lo, base + BB, len, a);
		if (s < 0)
			break;
		start = (unsigned int)s - base;
	}
	return start;
}

/*
 * The contig run of block bi was cut: finds the longest run again (of equal ones, the
 * best-aligned start, as Linux's block hint update keeps) and keeps the scan rule. Runs
 * before the scan run are no longer than it, so the search starts after it unless the scan
 * run itself is as long as anything after it.
 */
static void block_new_contig(struct pcpu_bm_chunk *bc, unsigned int bi)
{
	struct pcpu_bm_block *blk = &bc->blocks[bi];
	unsigned int base = bi * BB, p, start;
	struct bm_run best, prior;

	p = blk->scan ? blk->scan_start + blk->scan : blk->first_free;
	bm_longest_zero(bc->alloc_map, base + p, base + BB, &best, &prior);
	if (blk->scan && best.len <= blk->scan) {
		/* the scan run is a longest one; equal runs may lie anywhere */
		start = best_aligned_run(bc, bi, blk->first_free, blk->scan, blk->scan_start);
		set_run(&blk->contig, &blk->contig_start, blk->scan, start);
		if (start <= blk->scan_start)
			blk->scan = 0;
		return;
	}
	if (!best.len) {
		set_run(&blk->contig, &blk->contig_start, 0, BB);
		blk->scan = 0;
		return;
	}
	/* best is the first longest run: runs before it are shorter */
	start = best_aligned_run(bc, bi, p, best.len, best.start - base);
	set_run(&blk->contig, &blk->contig_start, best.len, start);
	if (start != best.start - base)
		set_run(&blk->scan, &blk->scan_start, best.len, best.start - base);
	else if (prior.len > blk->scan)
		set_run(&blk->scan, &blk->scan_start, prior.len, prior.start - base);
}

/*
 * Block bi had block-relative bits [a, b) taken (already set in the map). Keeps every block
 * hint rule; rescans part of the block only when the contig run was cut.
 */
static void block_update_alloc(struct pcpu_bm_chunk *bc, unsigned int bi, unsigned int a,
			       unsigned int b)
{
	struct pcpu_bm_block *blk = &bc->blocks[bi];
	const unsigned long *map = bc->alloc_map;
	unsigned int base = bi * BB, ra;

	if (a == 0 && b == BB) {
		block_init_full(blk);
		return;
	}
	ra = bm_zero_run_start(map, base, base + a) - base;
	if (a == blk->first_free)
		blk->first_free = (uint16_t)(bm_next_zero(map, base + b, base + BB) - base);
	if (a < blk->left_free)
		blk->left_free = (uint16_t)a;
	if (b > BB - blk->right_free)
		blk->right_free = (uint16_t)(BB - b);

	if (blk->contig && ra == blk->contig_start)
		block_new_contig(bc, bi);
	else if (blk->scan && ra == blk->scan_start)
		blk->scan = 0;
}

/* Block bi had block-relative bits [a, b) given back (already clear in the map). */
static void block_update_free(struct pcpu_bm_chunk *bc, unsigned int bi, unsigned int a,
			      unsigned int b)
{
	struct pcpu_bm_block *blk = &bc->blocks[bi];
	const unsigned long *map = bc->alloc_map;
	unsigned int base = bi * BB, fa, fb, len;
	bool c_in, s_in;

	fa = bm_zero_run_start(map, base, base + a) - base;
	fb = bm_next_set(map, base + b, base + BB) - base;
	if (fa == 0 && fb == BB) {
		pcpu_bm_block_init_free(blk);
		return;
	}
	if (fa < blk->first_free)
		blk->first_free = (uint16_t)fa;
	if (fa == 0)
		blk->left_free = (uint16_t)fb;
	if (fb == BB)
		blk->right_free = (uint16_t)(BB - fa);
	len = fb - fa;
	c_in = blk->contig && blk->contig_start >= fa && blk->contig_start < fb;
	s_in = blk->scan && blk->scan_start >= fa && blk->scan_start < fb;

	if (len > blk->contig) {
		if (blk->contig && !c_in && blk->contig_start < fa)
			set_run(&blk->scan, &blk->scan_start, blk->contig, blk->contig_start);
		else if (s_in || (blk->scan && blk->scan_start > fa))
			blk->scan = 0;
		set_run(&blk->contig, &blk->contig_start, len, fa);
	} else if (len == blk->contig && better_aligned(fa, blk->contig_start)) {
		/* as long and better aligned: it becomes the contig run */
		if (blk->contig_start < fa)
			set_run(&blk->scan, &blk->scan_start, blk->contig, blk->contig_start);
		else if (s_in || (blk->scan && blk->scan_start > fa))
			blk->scan = 0;
		blk->contig_start = (uint16_t)fa;
	} else if (fa < blk->contig_start) {
		if (len == blk->contig) {
			if (blk->scan < len)
				set_run(&blk->scan, &blk->scan_start, len, fa);
		} else if (s_in || (blk->scan && blk->scan_start > fa && len > blk->scan)) {
			set_run(&blk->scan, &blk->scan_start, len, fa);
		}
	}
}

/* Is (len, start) a better chunk contig candidate than (best, bstart)? */
static inline bool chunk_better(unsigned int len, unsigned int start, unsigned int best,
				unsigned int bstart)
{
	return len > best || (len && len == best && better_aligned(start, bstart));
}

/*
 * Rebuilds the chunk contig hint from block hints (runs may cross blocks): a longest run,
 * of equal ones the best-aligned start.
 */
void pcpu_bm_chunk_refresh(struct pcpu_bm_chunk *bc)
{
	unsigned int i, carry = 0, cstart = 0, best = 0, bstart = bc->nr_bits;

	for (i = bc->first_free / BB; i < bc->nr_blocks; i++) {
		const struct pcpu_bm_block *blk = &bc->blocks[i];
		unsigned int base = i * BB;

		if (blk->contig == BB) {
			if (!carry)
				cstart = base;
			carry += BB;
			continue;
		}
		if (chunk_better(carry + blk->left_free, carry ? cstart : base, best, bstart)) {
			best = carry + blk->left_free;
			bstart = carry ? cstart : base;
		}
		if (chunk_better(blk->contig, base + blk->contig_start, best, bstart)) {
			best = blk->contig;
			bstart = base + blk->contig_start;
		}
		carry = blk->right_free;
		cstart = base + BB - carry;
	}
	if (chunk_better(carry, cstart, best, bstart)) {
		best = carry;
		bstart = cstart;
	}
	bc->contig = best;
	bc->contig_start = bstart;
}

static void page_became(struct pcpu_chunk *chunk, struct pcpu_bm_chunk *bc, unsigned int bi,
			bool empty)
{
	pcpu_chunk_page_became(chunk, bc->map_base / PCPU_PAGE_SIZE + bi, empty);
}

/* Marks [bit, bit + bits) used as one allocation and updates all hints. */
void pcpu_bm_mark_alloc(struct pcpu_chunk *chunk, unsigned int bit, unsigned int bits)
{
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	unsigned int end = bit + bits, sb = bit / BB, eb = (end - 1) / BB, i;

	bm_set_range(bc->alloc_map, bit, bits);
	bm_set(bc->bound_map, bit);
	bm_set(bc->bound_map, end);
	for (i = sb; i <= eb; i++) {
		unsigned int a = i == sb ? bit - i * BB : 0;
		unsigned int b = i == eb ? end - i * BB : BB;

		if (bc->blocks[i].contig == BB)
			page_became(chunk, bc, i, false);
		block_update_alloc(bc, i, a, b);
	}
	bc->nr_free -= bits;
	if (bit == bc->first_free) {
		unsigned int lim = MIN(bc->nr_bits, (eb + 1) * BB);
		unsigned int f = bm_next_zero(bc->alloc_map, end, lim);

		if (f == lim) {
			for (i = eb + 1; i < bc->nr_blocks && bc->blocks[i].first_free == BB; i++)
				;
			f = i < bc->nr_blocks ? i * BB + bc->blocks[i].first_free : bc->nr_bits;
		}
		bc->first_free = f;
	}
	if (bc->contig && bit < bc->contig_start + bc->contig && end > bc->contig_start)
		pcpu_bm_chunk_refresh(bc);
	chunk->free_bytes = bc->nr_free * PCPU_MIN_ALLOC_SIZE;
	chunk->contig_bytes = bc->contig * PCPU_MIN_ALLOC_SIZE;
}

/* Marks the allocation [bit, bit + bits) free again and updates all hints. */
void pcpu_bm_mark_free(struct pcpu_chunk *chunk, unsigned int bit, unsigned int bits)
{
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	unsigned int end = bit + bits, sb = bit / BB, eb = (end - 1) / BB, i, rs, re;

	bm_clear_range(bc->alloc_map, bit, bits);
	if (!bit || !bm_test(bc->alloc_map, bit - 1))
		bm_clear(bc->bound_map, bit);
	if (end < bc->nr_bits && !bm_test(bc->alloc_map, end))
		bm_clear(bc->bound_map, end);
	for (i = sb; i <= eb; i++) {
		unsigned int a = i == sb ? bit - i * BB : 0;
		unsigned int b = i == eb ? end - i * BB : BB;

		block_update_free(bc, i, a, b);
		if (bc->blocks[i].contig == BB)
			page_became(chunk, bc, i, true);
	}
	bc->nr_free += bits;

	/* the free run now holding [bit, end), across blocks */
	rs = bm_zero_run_start(bc->alloc_map, sb * BB, bit);
	for (i = sb; rs == i * BB && i > 0; i--) {
		const struct pcpu_bm_block *prev = &bc->blocks[i - 1];

		rs -= prev->right_free;
		if (prev->contig != BB)
			break;
	}
	re = bm_next_set(bc->alloc_map, end, MIN(bc->nr_bits, (eb + 1) * BB));
	for (i = eb + 1; re == i * BB && i < bc->nr_blocks; i++) {
		const struct pcpu_bm_block *next = &bc->blocks[i];

		re += next->left_free;
		if (next->contig != BB)
			break;
	}
	if (rs < bc->first_free)
		bc->first_free = rs;
	if (chunk_better(re - rs, rs, bc->contig, bc->contig_start)) {
		bc->contig = re - rs;
		bc->contig_start = rs;
	}
	chunk->free_bytes = bc->nr_free * PCPU_MIN_ALLOC_SIZE;
	chunk->contig_bytes = bc->contig * PCPU_MIN_ALLOC_SIZE;
}

/*
 * First fit of bits at align starting at or after bit `from`, found by walking block hints:
 * runs crossing blocks come from right/left free counts, and a block is searched bit-wise
 * only when its largest run is long enough (and, if exactly as long as the request, starts
 * aligned), from its first free bit or past its scan run (no run before that is long
 * enough). Exact: whenever a fit exists the first one is returned, a largest run that is
 * misaligned included. Returns the bit, or -1.
 */
int pcpu_bm_find_fit(struct pcpu_bm_chunk *bc, unsigned int bits, unsigned int align,
		     unsigned int from)
{
	unsigned int start = MAX(from, bc->first_free), i, carry = 0, cstart = 0;

	if (start >= bc->nr_bits)
		return -1;
	for (i = start / BB; i < bc->nr_blocks; i++) {
		const struct pcpu_bm_block *blk = &bc->blocks[i];
		unsigned int base = i * BB, lo = start > base ? start - base : 0;

		if (carry) {
			unsigned int s = ALIGN_UP(cstart, align);

			if (s + bits <= base + blk->left_free)
				return (int)s;
		}
		if (blk->contig == BB && !lo) {
			if (!carry)
				cstart = base;
			carry += BB;
			continue;
		}
		/*
		 * A largest run of exactly bits fits only where it starts aligned, and
		 * contig_start is the best-aligned of them: no search when it is not aligned.
		 */
		if (blk->contig > bits ||
		    (blk->contig == bits && (base + blk->contig_start) % align == 0)) {
			unsigned int p = MAX(lo, blk->first_free);
			int s;

			if (blk->scan && bits > blk->scan)
				p = MAX(p, (unsigned int)blk->scan_start + blk->scan);
			s = bm_find_fit(bc->alloc_map, base + p, base + BB, bits, align);
			if (s >= 0)
				return s;
		}
		carry = blk->right_free;
		cstart = base + BB - carry;
		if (cstart < start) {
			cstart = start;
			carry = base + BB > start ? base + BB - start : 0;
		}
	}
	/* a run reaching the end of the map */
	if (carry && ALIGN_UP(cstart, align) + bits <= bc->nr_bits)
		return (int)ALIGN_UP(cstart, align);
	return -1;
}
