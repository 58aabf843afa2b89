/*
 * percpu_alloc_bitmap.c - unit tests of the bitmap allocator's pieces: the word-at-a-time
 * bitmap primitives against naive bit loops on random maps, hint values in hand-made
 * situations, and random mark-used/mark-free sequences on a chunk (any pattern, not only
 * what first fit produces) with every hint verified after every step.
 */
#include "bitmap_alloc.h"
#include "percpu_alloc_backend.h"
#include "percpu_alloc_test.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define NBITS 2048

static bool naive_test(const unsigned long *m, unsigned int i)
{
	return m[i / 64] >> (i % 64) & 1;
}

static void random_map(unsigned long *m, unsigned int density)
{
	unsigned int i;

	memset(m, 0, BM_WORDS(NBITS) * 8);
	/* runs of random length, used with probability density% */
	for (i = 0; i < NBITS;) {
		unsigned int len = 1 + rnd() % (rnd() % 4 ? 8 : 200);
		bool used = rnd() % 100 < density;

		for (; len-- && i < NBITS; i++)
			if (used)
				m[i / 64] |= 1UL << (i % 64);
	}
}

static void test_primitives(void)
{
	unsigned long m[BM_WORDS(NBITS)];
	unsigned int iter;

	for (iter = 0; iter < 3000; iter++) {
		unsigned int s = rnd() % NBITS, e = s + rnd() % (NBITS - s + 1), i, w = 0;
		unsigned int n = 1 + rnd() % (rnd() % 3 ? 70 : 400), align = 1u << (rnd() % 11);
		struct bm_run best, prior;
		unsigned int nb = 0, nbs = e, np = 0, nps = e, run = 0, rs = 0;
		int fit = -1, got;

		random_map(m, (unsigned int)(rnd() % 100));
		for (i = s; i < e && !naive_test(m, i); i++)
			;
		CHECK(bm_next_set(m, s, e) == i);
		for (i = s; i < e && naive_test(m, i); i++)
			;
		CHECK(bm_next_zero(m, s, e) == i);
		for (i = e; i > s && !naive_test(m, i - 1); i--)
			;
		CHECK(bm_zero_run_start(m, s, e) == i);
		for (i = s; i < e; i++)
			w += naive_test(m, i);
		CHECK(bm_weight(m, s, e) == w);

		/* longest zero run (first of equals) and the longest before it */
		for (i = s; i <= e; i++) {
			if (i < e && !naive_test(m, i)) {
				if (!run++)
					rs = i;
				continue;
			}
			if (run > nb) {
				np = nb;
				nps = nbs;
				nb = run;
				nbs = rs;
			}
			run = 0;
		}
		bm_longest_zero(m, s, e, &best, &prior);
		CHECK(best.len == nb && (!nb || best.start == nbs));
		CHECK(prior.len == np && (!np || prior.start == nps));

		for (i = ALIGN_UP(s, align); fit < 0 && i + n <= e; i += align)
			if (bm_next_set(m, i, i + n) == i + n)
				fit = (int)i;
		got = bm_find_fit(m, s, e, n, align);
		CHECK(got == fit);
		if (got != fit)
			fprintf(stderr, "  find_fit [%u,%u) n=%u align=%u: %d, want %d\n", s, e, n,
				align, got, fit);
	}
	/* set/clear ranges */
	for (iter = 0; iter < 1000; iter++) {
		unsigned int s = rnd() % NBITS, n = rnd() % (NBITS - s + 1), i;
		bool ok = true;

		random_map(m, 50);
		bm_set_range(m, s, n);
		for (i = s; i < s + n; i++)
			ok &= naive_test(m, i);
		bm_clear_range(m, s, n);
		for (i = s; i < s + n; i++)
			ok &= !naive_test(m, i);
		CHECK(ok);
	}
}

static struct test_backend tb;
static struct pcpu_allocator pa;

static struct pcpu_chunk *setup(size_t static_size, size_t unit)
{
	struct pcpu_config cfg;

	tb_init(&tb, 2, unit, false, false);
	tb_config(&tb, &cfg, PCPU_ALLOCATOR_BITMAP, static_size, 0);
	CHECK(pcpu_allocator_init(&pa, &cfg) == 0);
	return pa.first_chunk;
}

static void teardown(void)
{
	pcpu_allocator_teardown(&pa);
	tb_fini(&tb);
}

/* Hand-made situations with known hint values. */
static void test_hints(void)
{
	struct pcpu_chunk *chunk = setup(4096 + 40, 32 * 1024); /* hidden head of 10 bits */
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	struct pcpu_bm_block *b0 = &bc->blocks[0], *b1 = &bc->blocks[1];

	CHECK(bc->map_base == 4096 && bc->nr_bits == 7 * BB && bc->nr_blocks == 7);
	CHECK(b0->first_free == 10 && b0->left_free == 0 && b0->right_free == BB - 10);
	CHECK(b0->contig == BB - 10 && b0->contig_start == 10 && b0->scan == 0);
	CHECK(bc->contig == 7 * BB - 10 && bc->contig_start == 10 && bc->first_free == 10);
	CHECK(chunk->free_bytes == 28 * 1024 - 40);

	/* [10,20) used: contig moves to 20 */
	pcpu_bm_mark_alloc(chunk, 10, 10);
	CHECK(b0->first_free == 20 && b0->contig == BB - 20 && b0->contig_start == 20);
	/* [30,40) used: contig cut; the run [20,30) before it becomes the scan hint */
	pcpu_bm_mark_alloc(chunk, 30, 10);
	CHECK(b0->contig == BB - 40 && b0->contig_start == 40);
	CHECK(b0->scan == 10 && b0->scan_start == 20);
	/* a short run before the scan run leaves it */
	pcpu_bm_mark_free(chunk, 10, 10);
	CHECK(b0->first_free == 10 && b0->scan == 20 && b0->scan_start == 10);
	/* a run crossing into block 1 */
	pcpu_bm_mark_alloc(chunk, 40, BB - 40 + 100);
	CHECK(b0->right_free == 0 && b0->contig == 20 && b0->contig_start == 10);
	CHECK(b1->left_free == 0 && b1->first_free == 100 && b1->contig == BB - 100);
	CHECK(bc->contig == 6 * BB - 100 && bc->contig_start == BB + 100);
	CHECK(pcpu_bm_check(chunk) == 0);
	/* freeing it merges across the block boundary */
	pcpu_bm_mark_free(chunk, 40, BB - 40 + 100);
	CHECK(b0->right_free == BB - 40 && b1->contig == BB && b1->left_free == BB);
	CHECK(bc->contig == 7 * BB - 40 && bc->contig_start == 40);
	/* the search skips the scan run for requests longer than it */
	CHECK(pcpu_bm_find_fit(bc, 5, 1, 0) == 10);
	CHECK(pcpu_bm_find_fit(bc, 50, 1, 0) == 40);
	CHECK(pcpu_bm_find_fit(bc, 8, 16, 0) == 16);
	CHECK(pcpu_bm_find_fit(bc, 2 * BB, 1024, 0) == BB);
	CHECK(pcpu_bm_check(chunk) == 0);
	teardown();
}

/* Random used/free marks on a chunk; all hints verified after each. */
static void test_random_marks(void)
{
	enum { MAXA = 4096 };
	static unsigned int start[MAXA], len[MAXA];
	struct pcpu_chunk *chunk = setup(12, 64 * 1024);
	struct pcpu_bm_chunk *bc = bm_chunk(chunk);
	unsigned int n = 0, iter, errors = 0;

	for (iter = 0; iter < 30000 && !errors; iter++) {
		if (n && (rnd() % 100 < 45 || n == MAXA)) {
			unsigned int i = rnd() % n;

			pcpu_bm_mark_free(chunk, start[i], len[i]);
			start[i] = start[--n];
			len[i] = len[n];
		} else {
			/* a random spot inside a random free run: any pattern can arise */
			unsigned int p = rnd() % bc->nr_bits, s, e, l;

			s = bm_next_zero(bc->alloc_map, p, bc->nr_bits);
			if (s >= bc->nr_bits)
				continue;
			e = bm_next_set(bc->alloc_map, s, bc->nr_bits);
			l = rnd() % 4 ? 16u : 3000u;
			l = 1 + rnd() % MIN(e - s, l);
			s += rnd() % (e - s - l + 1);
			pcpu_bm_mark_alloc(chunk, s, l);
			start[n] = s;
			len[n++] = l;
		}
		errors = pcpu_bm_check(chunk);
	}
	CHECK(errors == 0);
	CHECK(iter == 30000);
	while (n--)
		pcpu_bm_mark_free(chunk, start[n], len[n]);
	CHECK(pcpu_bm_check(chunk) == 0);
	CHECK(bc->nr_free == bc->nr_bits - 3);
	teardown();
}

int main(void)
{
	test_primitives();
	test_hints();
	test_random_marks();
	return t_finish();
}
