/*
 * percpu_model_test.c - model-based test of the per-CPU allocator: random allocations
 * (normal, atomic, reserved; sizes up to 32 KiB, alignments up to 4 KiB), frees and
 * balancing, run against the brute-force model of percpu_model.c, for both allocator kinds,
 * km and vm backends, several unit sizes and CPU counts.
 *
 * After every operation each chunk is compared with the model: free bytes, largest free run,
 * allocation count, populated and empty populated pages, slot, and for the bitmap kind every
 * block hint (first free, left/right free, largest run, whose start must be a best-aligned
 * start of a largest run) and the chunk hint; then the allocator-wide counts. Every failed
 * allocation is checked against the model: failing while a fitting free run exists (on
 * populated pages, for an atomic one) fails the test, and so does creating a chunk while an
 * existing one had a fit, or a fit found only by the allocator's bit-by-bit slow path.
 * After an atomic failure the test balances and retries: the balance must have populated up
 * to the high watermark if memory remained.
 *
 * A fixed set of runs by default (make test-host); under make fuzz, FUZZ_TIME=SECONDS adds
 * runs with new seeds, each picking its configuration, for that long (percpu_model_fuzz.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "pcpu_alloc_internal.h"
#include "bitmap_alloc.h"
#include "percpu_alloc_backend.h"
#include "percpu_model.h"

struct cfg {
	enum pcpu_allocator_kind kind;
	bool vm;
	unsigned int nr_cpus;
	size_t unit;
	unsigned long ops;
	uint64_t seed;
};

struct lv {
	void *h;
	size_t size;
};

#define MAX_LIVE 3000

static struct test_backend tb;
static struct pm m;
static struct pcpu_allocator pa;
static struct pcpu_config pcfg;
static struct lv live[MAX_LIVE];
static unsigned int nlive, max_live;
static uint64_t rng;
static unsigned long step, total_ops, n_fail[3], n_retry, n_created;
static const struct cfg *cur;
static bool skip_align_hints; /* PM_SKIP_ALIGN=1: while debugging other rules */

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "%s %s cpus=%u unit=%zuK seed=%llu step %lu: ",                    \
			pcpu_allocator_name(cur->kind), cur->vm ? "vm" : "km", cur->nr_cpus,       \
			cur->unit / 1024, (unsigned long long)cur->seed, step);                    \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fprintf(stderr, "\n0 passed, 1 failed\n");                                         \
		exit(1);                                                                           \
	} while (0)

static size_t rand_size(void)
{
	unsigned int r = rnd() % 100;

	if (r < 45)
		return 1 + rnd() % 64;
	if (r < 72)
		return 65 + rnd() % 960;
	if (r < 88)
		return 1025 + rnd() % 3072;
	if (r < 98)
		return 4097 + rnd() % 8192;
	return 12289 + rnd() % (PCPU_MIN_UNIT_SIZE - 12288);
}

static size_t rand_align(void)
{
	unsigned int r = rnd() % 100;

	if (r < 40)
		return 1u << (rnd() % 4);
	if (r < 75)
		return 16u << (rnd() % 4);
	if (r < 93)
		return 256u << (rnd() % 3);
	return 2048u << (rnd() % 2);
}

static unsigned int fls_u(unsigned int x)
{
	unsigned int n = 0;

	while (x) {
		n++;
		x >>= 1;
	}
	return n;
}

static struct pcpu_chunk *alloc_chunk_of(struct pm_chunk *c)
{
	if (c == &m.res)
		return pa.reserved_chunk;
	if (c == &m.first)
		return pa.first_chunk;
	return pcpu_chunk_lookup(&pa, c->base);
}

/* Granules [s, e) all free: bytes, then 8 at a time. */
static bool all_free(const struct pm_chunk *c, unsigned int s, unsigned int e)
{
	uint64_t w;

	for (; s < e && s % 8; s++)
		if (c->g[s] != PM_FREE)
			return false;
	for (; s + 8 <= e; s += 8) {
		memcpy(&w, c->g + s, 8);
		if (w)
			return false;
	}
	for (; s < e; s++)
		if (c->g[s] != PM_FREE)
			return false;
	return true;
}

/* Start s (granule of the unit) begins a free run of exactly len granules inside [lo, hi). */
static bool is_run(const struct pm_chunk *c, unsigned int s, unsigned int len, unsigned int lo,
		   unsigned int hi)
{
	if (s < lo || s + len > hi || (s > lo && c->g[s - 1] == PM_FREE))
		return false;
	return all_free(c, s, s + len) && (s + len == hi || c->g[s + len] != PM_FREE);
}

static unsigned int tz(unsigned int s)
{
	return s ? (unsigned int)__builtin_ctz(s) : 31;
}

/*
 * Most trailing zeros of the start (map bit, from page summaries) of a free run of len
 * granules, len being the chunk's longest: such a run lies inside one page or is made of a
 * page's right run, free pages and the next page's left run.
 */
static unsigned int best_chunk_tz(struct pm_chunk *c, unsigned int mb, unsigned int nblocks,
				  unsigned int len)
{
	unsigned int b, carry = 0, cs = 0, best = 0;

	for (b = 0; b < nblocks; b++) {
		const struct pm_page *pg = pm_page(&m, c, mb / BB + b);

		if (pg->nfree == BB) {
			if (!carry)
				cs = b * BB;
			carry += BB;
			continue;
		}
		if (carry && carry + pg->left == len)
			best = MAX(best, tz(cs));
		if (pg->longest == len)
			best = MAX(best, pg->best_tz >= 10 ? tz(b * BB) : pg->best_tz);
		carry = pg->right;
		cs = (b + 1) * BB - carry;
	}
	if (carry == len)
		best = MAX(best, tz(cs));
	return best;
}

/* Block and chunk hints of a bitmap chunk against the model's granules. */
static void compare_bitmap(struct pm_chunk *c, struct pcpu_chunk *ac, const struct pm_stats *st)
{
	struct pcpu_bm_chunk *bc = bm_chunk(ac);
	unsigned int mb = bc->map_base / 4, b, first = bc->nr_bits, want_tz;

	for (b = 0; b < bc->nr_blocks; b++) {
		const struct pcpu_bm_block *blk = &bc->blocks[b];
		const struct pm_page *pg = pm_page(&m, c, mb / BB + b);
		unsigned int lo = mb + b * BB;

		if (first == bc->nr_bits && pg->first < BB)
			first = b * BB + pg->first;
		if (!pg->changed)
			continue;
		((struct pm_page *)pg)->changed = false;
		if (blk->first_free != pg->first || blk->left_free != pg->left ||
		    blk->right_free != pg->right || blk->contig != pg->longest)
			FAIL("chunk %#lx block %u hints first %u left %u right %u contig %u; model "
			     "%u %u %u %u",
			     (unsigned long)c->base, b, blk->first_free, blk->left_free,
			     blk->right_free, blk->contig, pg->first, pg->left, pg->right,
			     pg->longest);
		if (pg->longest && !is_run(c, lo + blk->contig_start, pg->longest, lo, lo + BB))
			FAIL("chunk %#lx block %u contig start %u is no free run of %u",
			     (unsigned long)c->base, b, blk->contig_start, pg->longest);
		if (!skip_align_hints && pg->longest &&
		    tz(blk->contig_start) < MIN(pg->best_tz, 31))
			FAIL("chunk %#lx block %u contig %u at %u: a run as long starts at a "
			     "better aligned bit (%u trailing zeros)",
			     (unsigned long)c->base, b, blk->contig, blk->contig_start,
			     pg->best_tz);
	}
	if (bc->nr_free * 4 != st->free_bytes || bc->contig * 4 != st->contig_bytes ||
	    bc->first_free != first)
		FAIL("chunk %#lx hints free %u contig %u first %u; model %u %u %u",
		     (unsigned long)c->base, bc->nr_free, bc->contig, bc->first_free,
		     st->free_bytes / 4, st->contig_bytes / 4, first);
	if (!bc->contig)
		return;
	if (!is_run(c, mb + bc->contig_start, bc->contig, mb, mb + bc->nr_bits))
		FAIL("chunk %#lx contig start %u is no free run of %u", (unsigned long)c->base,
		     bc->contig_start, bc->contig);
	want_tz = best_chunk_tz(c, mb, bc->nr_blocks, bc->contig);
	if (!skip_align_hints && tz(bc->contig_start) < want_tz)
		FAIL("chunk %#lx contig %u at %u: a run as long starts at a better aligned bit",
		     (unsigned long)c->base, bc->contig, bc->contig_start);
}

static void compare_chunk(struct pm_chunk *c, unsigned int *empty)
{
	struct pcpu_chunk *ac = alloc_chunk_of(c);
	unsigned int want_slot;
	struct pm_stats st;

	if (!ac || ac->base != c->base)
		FAIL("model chunk %#lx unknown to the allocator", (unsigned long)c->base);
	pm_chunk_stats(&m, c, &st);
	if (ac->free_bytes != st.free_bytes || ac->contig_bytes != st.contig_bytes ||
	    ac->nr_alloc != c->nalloc || ac->nr_populated != st.nr_populated ||
	    ac->nr_empty_pop_pages != st.empty_pop_pages)
		FAIL("chunk %#lx: free %u contig %u allocs %u populated %u empty %u; model %u %u "
		     "%u %u %u",
		     (unsigned long)c->base, ac->free_bytes, ac->contig_bytes, ac->nr_alloc,
		     ac->nr_populated, ac->nr_empty_pop_pages, st.free_bytes, st.contig_bytes,
		     c->nalloc, st.nr_populated, st.empty_pop_pages);
	if (!c->reserved) {
		*empty += st.empty_pop_pages;
		want_slot = !c->nalloc
				? fls_u((unsigned int)cur->unit) + 1
				: MIN(fls_u(st.contig_bytes), fls_u((unsigned int)cur->unit));
		if (ac->slot != (int)want_slot)
			FAIL("chunk %#lx in slot %d, model says %u", (unsigned long)c->base,
			     ac->slot, want_slot);
	}
	if (c->changed && cur->kind == PCPU_ALLOCATOR_BITMAP)
		compare_bitmap(c, ac, &st);
	c->changed = false;
}

static void compare(void)
{
	unsigned int i, empty = 0;

	if (m.res.live)
		compare_chunk(&m.res, &empty);
	if (m.first.live)
		compare_chunk(&m.first, &empty);
	for (i = 0; i < m.nch; i++)
		if (m.ch[i].live)
			compare_chunk(&m.ch[i], &empty);
	if (pa.nr_empty_pop_pages != empty || pa.nr_chunks != pm_nr_chunks(&m) + m.first.live ||
	    pa.nr_cur_alloc != pm_nr_alloc(&m) || pm_nr_alloc(&m) != nlive)
		FAIL("allocator: empty pages %u chunks %u allocs %llu; model %u %u %lu (test %u)",
		     pa.nr_empty_pop_pages, pa.nr_chunks, (unsigned long long)pa.nr_cur_alloc,
		     empty, pm_nr_chunks(&m) + m.first.live, pm_nr_alloc(&m), nlive);
	if (pa.nr_slow_fits)
		FAIL("the slow path found %llu fits the hint search missed",
		     (unsigned long long)pa.nr_slow_fits);
	if (pa.debug_errors)
		FAIL("allocator debug checks found %lu problems", pa.debug_errors);
}

/* Any unpopulated page of a dynamic chunk with nothing on it (balance could populate it)? */
static bool model_unpopulated_free_page(void)
{
	unsigned int i, p;

	for (i = 0; i < m.nch; i++)
		for (p = 0; m.ch[i].live && p < m.npages; p++)
			if (!m.ch[i].pop[p] && pm_page(&m, &m.ch[i], p)->nfree == BB)
				return true;
	return false;
}

static const char *kind_of(unsigned int flags)
{
	return flags & PCPU_GFP_RESERVED ? "reserved"
	       : flags & PCPU_GFP_ATOMIC ? "atomic"
					 : "normal";
}

/* One allocation, checked against the model whatever its outcome. Returns it or NULL. */
static void *try_alloc(size_t size, size_t align, unsigned int flags)
{
	unsigned long serial = m.serial;
	uintptr_t where;
	void *h;

	h = pcpu_allocator_alloc(&pa, size, align, flags | PCPU_GFP_NOWARN);
	if (m.serial != serial) {
		n_created++;
		if (pm_fit(&m, size, align, flags, serial + 1, &where))
			FAIL("%s allocation of %zu at %zu created a chunk while %#lx fit",
			     kind_of(flags), size, align, (unsigned long)where);
	}
	if (!h) {
		n_fail[flags & PCPU_GFP_RESERVED ? 2 : flags & PCPU_GFP_ATOMIC ? 1 : 0]++;
		if (pm_fit(&m, size, align, flags, ~0UL, &where))
			FAIL("%s allocation of %zu at %zu failed while %#lx fit", kind_of(flags),
			     size, align, (unsigned long)where);
		if (!(flags & (PCPU_GFP_ATOMIC | PCPU_GFP_RESERVED)) &&
		    tb.nr_live_chunks < tb.max_chunks)
			FAIL("normal allocation of %zu at %zu failed below the chunk limit", size,
			     align);
		return NULL;
	}
	if (pm_take(&m, h, size, align, flags))
		FAIL("%s allocation of %zu at %zu: %s", kind_of(flags), size, align, m.err);
	live[nlive].h = h;
	live[nlive].size = size;
	nlive++;
	return h;
}

static void do_alloc(void)
{
	unsigned int r = rnd() % 100, flags = 0;
	size_t size = rand_size(), align = rand_align();

	if (r < 10) {
		flags = PCPU_GFP_RESERVED;
		size = 1 + size % 768;
		align = MIN(align, 512);
	} else if (r < 50) {
		flags = PCPU_GFP_ATOMIC;
	}
	if (try_alloc(size, align, flags) || !(flags & PCPU_GFP_ATOMIC) || nlive == max_live)
		return;
	/* atomic failure: the next balance must bring populated pages, then retry */
	if (rnd() % 4)
		return;
	pcpu_allocator_balance(&pa);
	compare();
	if (pa.nr_empty_pop_pages < pcfg.empty_pages_high && tb.nr_live_chunks < tb.max_chunks &&
	    model_unpopulated_free_page())
		FAIL("balance after an atomic failure left %u empty populated pages (high %u)",
		     pa.nr_empty_pop_pages, pcfg.empty_pages_high);
	n_retry++;
	if (!try_alloc(size, align, flags) && size <= PCPU_PAGE_SIZE && pa.nr_empty_pop_pages >= 1)
		FAIL("atomic retry of %zu at %zu failed with %u empty populated pages", size, align,
		     pa.nr_empty_pop_pages);
}

static void do_free(unsigned int i)
{
	int sz = pm_release(&m, live[i].h);

	if (sz < 0)
		FAIL("%s", m.err);
	if (pcpu_allocator_size(&pa, live[i].h) != (size_t)sz)
		FAIL("size of %p is %zu, model %d", live[i].h, pcpu_allocator_size(&pa, live[i].h),
		     sz);
	pcpu_allocator_free(&pa, live[i].h);
	live[i] = live[--nlive];
}

static void run(const struct cfg *c)
{
	unsigned int target;

	cur = c;
	rng = c->seed * 0x9E3779B97F4A7C15ULL + 1;
	tb_init(&tb, c->nr_cpus, c->unit, c->vm, c->nr_cpus > 2);
	/* small units: many chunks, so slot walks run out of their skip budget */
	tb.max_chunks = c->unit <= 32 * 1024 ? 24 + (long)(rnd() % 24) : 3 + (long)(rnd() % 6);
	pm_init(&m, &tb.be, c->unit);
	tb_config(&tb, &pcfg, c->kind, 1024 + rnd() % 4096, 2048 + rnd() % 8192);
	pcfg.backend = &m.be;
	pcfg.ptr_delta = rnd() & 1 ? 0x4000 : 0;
	pcfg.empty_pages_low = 1 + (unsigned int)(rnd() % 3);
	pcfg.empty_pages_high = pcfg.empty_pages_low + (unsigned int)(rnd() % 5);
	if (pcpu_allocator_init(&pa, &pcfg))
		FAIL("init failed");
	pm_attach(&m, &pcfg);
	max_live = MIN(MAX_LIVE, (unsigned int)(c->unit / 64) * (unsigned int)tb.max_chunks / 4);
	target = max_live / 2;
	nlive = 0;
	compare();
	for (step = 0; step < c->ops; step++) {
		unsigned int r = rnd() % 1000;

		if (step % 5000 == 0)
			target = 1 + (unsigned int)(rnd() % max_live);
		if (r < 15 || (pcpu_allocator_balance_needed(&pa) && r < 200))
			pcpu_allocator_balance(&pa);
		else if (nlive < max_live && (nlive < target ? r < 640 : r < 380))
			do_alloc();
		else if (nlive)
			do_free((unsigned int)(rnd() % nlive));
		compare();
	}
	while (nlive)
		do_free(nlive - 1);
	pcpu_allocator_balance(&pa);
	compare();
	if (pcpu_allocator_check(&pa))
		FAIL("consistency check failed");
	pcpu_allocator_teardown(&pa);
	if (tb.nr_live_chunks || tb.meta_live_bytes)
		FAIL("teardown left %ld chunks, %ld metadata bytes", tb.nr_live_chunks,
		     tb.meta_live_bytes);
	pm_fini(&m);
	tb_fini(&tb);
	total_ops += step;
}

/* The configuration a seed picks in timed runs (-t, -s). */
static void cfg_of_seed(struct cfg *c, uint64_t seed, unsigned long ops)
{
	c->kind = seed % 2 ? PCPU_ALLOCATOR_AREAMAP : PCPU_ALLOCATOR_BITMAP;
	c->vm = seed / 2 % 2;
	c->nr_cpus = 1 + (unsigned int)(seed / 4 % 5);
	c->unit = (32u * 1024) << (seed / 20 % 3);
	c->ops = ops;
	c->seed = seed;
}

static void summary(unsigned long runs)
{
	fprintf(stderr,
		"percpu_model: %lu runs, %lu operations, failures normal %lu atomic %lu "
		"reserved %lu (each checked against the model), %lu atomic retries, %lu "
		"chunks created (each checked)\n",
		runs, total_ops, n_fail[0], n_fail[1], n_fail[2], n_retry, n_created);
	fprintf(stderr, "%lu passed, 0 failed\n", runs);
}

/*
 * percpu_model_test [-n OPS]: the fixed runs (both kinds, km and vm, three unit sizes and
 * CPU counts), OPS operations each. -t SECONDS: instead, runs with seeds from -s SEED (or
 * the clock) upward, each picking its configuration, for that long; -s SEED alone: that
 * one run (a failure prints its seed).
 */
int main(int argc, char **argv)
{
	static const struct {
		unsigned int cpus;
		size_t unit;
	} shapes[] = {{1, 32 * 1024}, {2, 64 * 1024}, {4, 128 * 1024}};
	unsigned long ops = 250000, runs = 0, secs = 0;
	uint64_t seed = 0;
	bool timed = false, one = false;
	time_t t0 = time(NULL);
	unsigned int k, v, sh;
	struct cfg c;
	int opt;

	while ((opt = getopt(argc, argv, "n:t:s:")) != -1) {
		if (opt == 'n') {
			ops = strtoul(optarg, NULL, 0);
		} else if (opt == 't') {
			secs = strtoul(optarg, NULL, 0);
			timed = true;
		} else if (opt == 's') {
			seed = strtoull(optarg, NULL, 0);
			one = true;
		} else {
			fprintf(stderr, "usage: %s [-n OPS] [-t SECONDS] [-s SEED]\n", argv[0]);
			return 2;
		}
	}
	skip_align_hints = getenv("PM_SKIP_ALIGN");
	/* failures print warnings; keep them off the console */
	if (!freopen("/dev/null", "w", stdout))
		return 1;
	if (timed || one) {
		if (!one)
			seed = (uint64_t)t0 * 1000;
		fprintf(stderr, "percpu_model: seeds from %llu\n", (unsigned long long)seed);
		do {
			cfg_of_seed(&c, seed++, ops);
			run(&c);
			runs++;
		} while (timed && (unsigned long)(time(NULL) - t0) < secs);
		summary(runs);
		return 0;
	}
	for (k = 0; k < 2; k++)
		for (v = 0; v < 2; v++)
			for (sh = 0; sh < ARRAY_SIZE(shapes); sh++) {
				c.kind = k ? PCPU_ALLOCATOR_AREAMAP : PCPU_ALLOCATOR_BITMAP;
				c.vm = v;
				c.nr_cpus = shapes[sh].cpus;
				c.unit = shapes[sh].unit;
				c.ops = ops;
				c.seed = 1 + runs++;
				run(&c);
			}
	summary(runs);
	return 0;
}
