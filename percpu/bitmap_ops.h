/*
 * bitmap_ops.h - word-at-a-time bitmap primitives for the per-CPU bitmap allocator: set and
 * clear ranges, find set/zero bits, longest zero run, and first aligned zero run of a length.
 * A set bit is "used", a zero bit is "free". Ranges are [start, end) bit indices.
 */
#ifndef PCPU_BITMAP_OPS_H
#define PCPU_BITMAP_OPS_H

#include <pcpurt/compiler.h>

#define BM_BPL	    64u
#define BM_WORDS(n) (((n) + BM_BPL - 1) / BM_BPL)

_Static_assert(sizeof(unsigned long) == 8, "64-bit longs expected");

struct bm_run {
	unsigned int start;
	unsigned int len;
};

static inline bool bm_test(const unsigned long *map, unsigned int i)
{
	return map[i / BM_BPL] >> (i % BM_BPL) & 1;
}

static inline void bm_set(unsigned long *map, unsigned int i)
{
	map[i / BM_BPL] |= 1UL << (i % BM_BPL);
}

static inline void bm_clear(unsigned long *map, unsigned int i)
{
	map[i / BM_BPL] &= ~(1UL << (i % BM_BPL));
}

void bm_set_range(unsigned long *map, unsigned int start, unsigned int n);
void bm_clear_range(unsigned long *map, unsigned int start, unsigned int n);
/* First set bit in [start, end), or end. */
unsigned int bm_next_set(const unsigned long *map, unsigned int start, unsigned int end);
/* First zero bit in [start, end), or end. */
unsigned int bm_next_zero(const unsigned long *map, unsigned int start, unsigned int end);
/* Start of the zero run that ends at pos, not below lo: one past the last set bit in [lo, pos). */
unsigned int bm_zero_run_start(const unsigned long *map, unsigned int lo, unsigned int pos);
/* Number of set bits in [start, end). */
unsigned int bm_weight(const unsigned long *map, unsigned int start, unsigned int end);
/*
 * Longest zero run inside [start, end) (runs cut at both ends), first of equals, in *best;
 * *prior gets the longest run that starts before best (first of equals), len 0 if none.
 */
void bm_longest_zero(const unsigned long *map, unsigned int start, unsigned int end,
		     struct bm_run *best, struct bm_run *prior);
/*
 * Lowest s >= start with s % align == 0 (align a power of two, in bits) and [s, s + n) zero
 * and s + n <= end. Returns s, or -1.
 */
int bm_find_fit(const unsigned long *map, unsigned int start, unsigned int end, unsigned int n,
		unsigned int align);

#endif
