/*
 * bitmap_ops.c - word-at-a-time bitmap primitives of the per-CPU bitmap allocator.
 *
 * Searches work on 64-bit words with count-zeros instructions and shift-and run detection,
 * so a 1024-bit block costs 16 word steps however fragmented it is.
 */
#include "bitmap_ops.h"

typedef unsigned __int128 bm_u128;

/* Mask of bits [lo, hi) of one word, 0 <= lo <= hi <= 64. */
static inline unsigned long word_mask(unsigned int lo, unsigned int hi)
{
	unsigned long m = hi >= BM_BPL ? ~0UL : (1UL << hi) - 1;

	return lo >= BM_BPL ? 0 : m & (~0UL << lo);
}

void bm_set_range(unsigned long *map, unsigned int start, unsigned int n)
{
	unsigned int end = start + n;

	while (start < end) {
		unsigned int w = start / BM_BPL, lo = start % BM_BPL;
		unsigned int hi = MIN(BM_BPL, lo + (end - start));

		map[w] |= word_mask(lo, hi);
		start += hi - lo;
	}
}

void bm_clear_range(unsigned long *map, unsigned int start, unsigned int n)
{
	unsigned int end = start + n;

	while (start < end) {
		unsigned int w = start / BM_BPL, lo = start % BM_BPL;
		unsigned int hi = MIN(BM_BPL, lo + (end - start));

		map[w] &= ~word_mask(lo, hi);
		start += hi - lo;
	}
}

/* Shared walker: first bit in [start, end) equal to `want` (invert = want zero). */
static unsigned int next_bit(const unsigned long *map, unsigned int start, unsigned int end,
			     unsigned long invert)
{
	unsigned int w, pos;
	unsigned long x;

	if (start >= end)
		return end;
	w = start / BM_BPL;
	x = (map[w] ^ invert) & (~0UL << (start % BM_BPL));
	for (;;) {
		if (x) {
			pos = w * BM_BPL + (unsigned int)__builtin_ctzl(x);
			return MIN(pos, end);
		}
		w++;
		if (w * BM_BPL >= end)
			return end;
		x = map[w] ^ invert;
	}
}

unsigned int bm_next_set(const unsigned long *map, unsigned int start, unsigned int end)
{
	return next_bit(map, start, end, 0);
}

unsigned int bm_next_zero(const unsigned long *map, unsigned int start, unsigned int end)
{
	return next_bit(map, start, end, ~0UL);
}

unsigned int bm_zero_run_start(const unsigned long *map, unsigned int lo, unsigned int pos)
{
	unsigned int w;
	unsigned long x;

	if (pos <= lo)
		return pos;
	w = (pos - 1) / BM_BPL;
	x = map[w] & word_mask(0, (pos - 1) % BM_BPL + 1);
	for (;;) {
		unsigned int wstart = w * BM_BPL;

		if (wstart < lo)
			x &= word_mask(lo - wstart, BM_BPL);
		if (x)
			return MAX(lo, wstart + 64 - (unsigned int)__builtin_clzl(x));
		if (wstart <= lo)
			return lo;
		w--;
		x = map[w];
	}
}

unsigned int bm_weight(const unsigned long *map, unsigned int start, unsigned int end)
{
	unsigned int n = 0;

	while (start < end) {
		unsigned int w = start / BM_BPL, lo = start % BM_BPL;
		unsigned int hi = MIN(BM_BPL, lo + (end - start));

		n += (unsigned int)__builtin_popcountl(map[w] & word_mask(lo, hi));
		start += hi - lo;
	}
	return n;
}

/* Longest run of ones in x (first of equals): its length, start in *pos. */
static unsigned int word_longest_ones(unsigned long x, unsigned int *pos)
{
	unsigned int n = 0;
	unsigned long last = x;

	while (x) {
		last = x;
		x &= x >> 1;
		n++;
	}
	*pos = n ? (unsigned int)__builtin_ctzl(last) : 0;
	return n;
}

/* Record candidate run (start, len), candidates coming in increasing start order. */
static void consider(struct bm_run *best, struct bm_run *prior, unsigned int start,
		     unsigned int len, unsigned int before_len, unsigned int before_start)
{
	if (len <= best->len)
		return;
	/* the new best's prior: the old best or a shorter run just before it, whichever longer */
	if (before_len > best->len) {
		prior->start = before_start;
		prior->len = before_len;
	} else {
		*prior = *best;
	}
	best->start = start;
	best->len = len;
}

void bm_longest_zero(const unsigned long *map, unsigned int start, unsigned int end,
		     struct bm_run *best, struct bm_run *prior)
{
	unsigned int carry = 0, cstart = start, w;

	best->start = end;
	best->len = 0;
	prior->start = end;
	prior->len = 0;
	if (start >= end)
		return;
	for (w = start / BM_BPL; w * BM_BPL < end; w++) {
		unsigned int base = w * BM_BPL;
		unsigned int lo = start > base ? start - base : 0;
		unsigned int hi = MIN(BM_BPL, end - base);
		unsigned long fr = ~map[w] & word_mask(lo, hi);
		unsigned int low, high, ipos, ilen;
		unsigned long mid;

		if (fr == ~0UL) {
			if (!carry)
				cstart = base;
			carry += BM_BPL;
			continue;
		}
		low = (unsigned int)__builtin_ctzl(~fr);
		if (carry + low) {
			consider(best, prior, carry ? cstart : base, carry + low, 0, 0);
		}
		high = (unsigned int)__builtin_clzl(~fr);
		mid = fr & ~word_mask(0, low) & ~word_mask(BM_BPL - high, BM_BPL);
		if (mid) {
			ilen = word_longest_ones(mid, &ipos);
			if (ilen > best->len) {
				unsigned int plen = 0, ppos = 0;
				unsigned long before = mid & word_mask(0, ipos);

				if (before)
					plen = word_longest_ones(before, &ppos);
				consider(best, prior, base + ipos, ilen, plen, base + ppos);
			}
		}
		carry = high;
		cstart = base + BM_BPL - high;
	}
	if (carry)
		consider(best, prior, cstart, carry, 0, 0);
}

/* Bit i of the result set iff bits i .. i + n - 1 of x are all set (1 <= n <= 64). */
static inline bm_u128 runs_of(bm_u128 x, unsigned int n)
{
	unsigned int have = 1;

	while (have < n) {
		unsigned int step = MIN(have, n - have);

		x &= x >> step;
		have += step;
	}
	return x;
}

/* Bits at positions that are multiples of align (< 64) within a word. */
static inline unsigned long align_mask(unsigned int align)
{
	switch (align) {
	case 1:
		return ~0UL;
	case 2:
		return 0x5555555555555555UL;
	case 4:
		return 0x1111111111111111UL;
	case 8:
		return 0x0101010101010101UL;
	case 16:
		return 0x0001000100010001UL;
	default:
		return 0x0000000100000001UL;
	}
}

/* Free bits of word w limited to [start, end), as ones. */
static inline unsigned long free_word(const unsigned long *map, unsigned int w, unsigned int start,
				      unsigned int end)
{
	unsigned int base = w * BM_BPL;

	if (base >= end)
		return 0;
	return ~map[w] & word_mask(start > base ? start - base : 0, MIN(BM_BPL, end - base));
}

/* Aligned steps: candidates are multiples of align only. */
static int find_fit_stepping(const unsigned long *map, unsigned int start, unsigned int end,
			     unsigned int n, unsigned int align)
{
	unsigned int s = ALIGN_UP(start, align);

	while (s < end && s + n <= end) {
		unsigned int e = bm_next_set(map, s, s + n);

		if (e == s + n)
			return (int)s;
		s = ALIGN_UP(bm_next_zero(map, e, end), align);
	}
	return -1;
}

int bm_find_fit(const unsigned long *map, unsigned int start, unsigned int end, unsigned int n,
		unsigned int align)
{
	unsigned long pat;
	unsigned int w, cur;

	if (!n || start >= end || n > end - start)
		return -1;
	if (align >= BM_BPL)
		return find_fit_stepping(map, start, end, n, align);
	pat = align_mask(align);
	if (n <= BM_BPL) {
		for (w = start / BM_BPL; w * BM_BPL < end; w++) {
			bm_u128 x = (bm_u128)free_word(map, w + 1, start, end) << 64 |
				    free_word(map, w, start, end);
			unsigned long hit = (unsigned long)runs_of(x, n) & pat;

			if (hit)
				return (int)(w * BM_BPL + (unsigned int)__builtin_ctzl(hit));
		}
		return -1;
	}
	/* long runs: find where 64 free bits start, then measure that run */
	cur = start;
	while (cur < end && n <= end - cur) {
		unsigned int p = end, rend, s;

		for (w = cur / BM_BPL; w * BM_BPL < end; w++) {
			bm_u128 x = (bm_u128)free_word(map, w + 1, cur, end) << 64 |
				    free_word(map, w, cur, end);
			unsigned long hit = (unsigned long)runs_of(x, BM_BPL);

			if (hit) {
				p = w * BM_BPL + (unsigned int)__builtin_ctzl(hit);
				break;
			}
		}
		if (p >= end)
			return -1;
		rend = bm_next_set(map, p, end);
		s = ALIGN_UP(p, align);
		if (s + n <= rend)
			return (int)s;
		cur = rend;
	}
	return -1;
}
