/*
 * percpu_model.c - the brute-force model of per-CPU allocator memory (see percpu_model.h):
 * a backend wrapper that mirrors chunks and populated pages, granule maps updated by the
 * test on every allocation and free, per-page summaries, and the exhaustive fit search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "percpu_model.h"

#define GPP (PCPU_PAGE_SIZE / PCPU_MIN_ALLOC_SIZE) /* granules per page */

/* The cookie the allocator holds for a created chunk: the inner one and the model's chunk. */
struct pm_cookie {
	void *inner;
	struct pm_chunk *c;
};

static void chunk_setup(struct pm *m, struct pm_chunk *c, uintptr_t base, unsigned int start,
			unsigned int end, bool populated)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->live = true;
	c->base = base;
	c->start = start;
	c->end = end;
	c->changed = c->stale = true;
	c->g = malloc(m->ngran);
	c->starts = calloc(m->ngran, sizeof(*c->starts));
	c->pop = malloc(m->npages);
	c->pages = calloc(m->npages, sizeof(*c->pages));
	if (!c->g || !c->starts || !c->pop || !c->pages)
		abort();
	for (i = 0; i < m->ngran; i++)
		c->g[i] = i * 4 >= start && i * 4 < end ? PM_FREE : PM_HIDDEN;
	memset(c->pop, populated, m->npages);
	for (i = 0; i < m->npages; i++)
		c->pages[i].dirty = c->pages[i].changed = true;
}

static void chunk_drop(struct pm_chunk *c)
{
	free(c->g);
	free(c->starts);
	free(c->pop);
	free(c->pages);
	memset(c, 0, sizeof(*c));
}

static int w_create(void *priv, const struct pcpu_layout *l, uintptr_t *base, void **cookie)
{
	struct pm *m = priv;
	struct pm_cookie *ck = malloc(sizeof(*ck));
	unsigned int i;

	if (!ck)
		return -1;
	if (m->inner->chunk_create(m->inner->priv, l, base, &ck->inner)) {
		free(ck);
		return -1;
	}
	for (i = 0; i < PM_MAX_CHUNKS && m->ch[i].live; i++)
		;
	if (i == PM_MAX_CHUNKS)
		abort();
	m->nch = MAX(m->nch, i + 1);
	chunk_setup(m, &m->ch[i], *base, 0, (unsigned int)m->unit, m->inner->populated_on_create);
	m->ch[i].serial = ++m->serial;
	ck->c = &m->ch[i];
	*cookie = ck;
	m->creates++;
	return 0;
}

static void w_destroy(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie)
{
	struct pm *m = priv;
	struct pm_cookie *ck = cookie;

	if (ck->c->base != base || ck->c->nalloc) {
		fprintf(stderr, "model: chunk %#lx destroyed with %u allocations\n",
			(unsigned long)base, ck->c->nalloc);
		abort();
	}
	m->inner->chunk_destroy(m->inner->priv, l, base, ck->inner);
	chunk_drop(ck->c);
	free(ck);
	m->destroys++;
}

static void mark_pop(struct pm_chunk *c, unsigned int ps, unsigned int pe, bool on)
{
	unsigned int p;

	for (p = ps; p < pe; p++) {
		if (c->pop[p] == on) {
			fprintf(stderr, "model: page %u of %#lx %spopulated twice\n", p,
				(unsigned long)c->base, on ? "" : "de");
			abort();
		}
		if (!on && memchr(c->g + p * GPP, PM_USED, GPP)) {
			fprintf(stderr, "model: page %u of %#lx depopulated while in use\n", p,
				(unsigned long)c->base);
			abort();
		}
		c->pop[p] = on;
	}
	c->changed = c->stale = true;
}

static int w_populate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
		      unsigned int ps, unsigned int pe)
{
	struct pm *m = priv;
	struct pm_cookie *ck = cookie;

	if (m->inner->populate(m->inner->priv, l, base, ck->inner, ps, pe))
		return -1;
	mark_pop(ck->c, ps, pe, true);
	m->populates++;
	return 0;
}

static void w_depopulate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
			 unsigned int ps, unsigned int pe)
{
	struct pm *m = priv;
	struct pm_cookie *ck = cookie;

	m->inner->depopulate(m->inner->priv, l, base, ck->inner, ps, pe);
	mark_pop(ck->c, ps, pe, false);
	m->depopulates++;
}

static void *w_meta_alloc(void *priv, size_t size)
{
	struct pm *m = priv;

	return m->inner->meta_alloc(m->inner->priv, size);
}

static void w_meta_free(void *priv, void *p, size_t size)
{
	struct pm *m = priv;

	m->inner->meta_free(m->inner->priv, p, size);
}

void pm_init(struct pm *m, const struct pcpu_backend *inner, size_t unit)
{
	memset(m, 0, sizeof(*m));
	m->inner = inner;
	m->unit = unit;
	m->npages = (unsigned int)(unit / PCPU_PAGE_SIZE);
	m->ngran = (unsigned int)(unit / PCPU_MIN_ALLOC_SIZE);
	m->ch = calloc(PM_MAX_CHUNKS, sizeof(*m->ch));
	if (!m->ch)
		abort();
	m->be = *inner;
	m->be.name = "model";
	m->be.priv = m;
	m->be.chunk_create = inner->chunk_create ? w_create : NULL;
	m->be.chunk_destroy = w_destroy;
	m->be.populate = w_populate;
	m->be.depopulate = inner->depopulate ? w_depopulate : NULL;
	m->be.meta_alloc = w_meta_alloc;
	m->be.meta_free = w_meta_free;
}

void pm_attach(struct pm *m, const struct pcpu_config *cfg)
{
	unsigned int rs = (unsigned int)ALIGN_UP(cfg->static_size, 4);
	unsigned int re = (unsigned int)ALIGN_DOWN(rs + cfg->reserved_size, 4);
	unsigned int de =
	    cfg->dyn_size ? (unsigned int)ALIGN_DOWN(re + cfg->dyn_size, 4) : (unsigned int)m->unit;

	m->ptr_delta = cfg->ptr_delta;
	if (re > rs) {
		chunk_setup(m, &m->res, cfg->first_base, rs, re, true);
		m->res.reserved = true;
	}
	if (de > re) {
		chunk_setup(m, &m->first, cfg->first_base, re, de, true);
		m->first.first = true;
	}
}

void pm_fini(struct pm *m)
{
	unsigned int i;

	for (i = 0; i < PM_MAX_CHUNKS; i++)
		if (m->ch[i].live)
			chunk_drop(&m->ch[i]);
	if (m->res.live)
		chunk_drop(&m->res);
	if (m->first.live)
		chunk_drop(&m->first);
	free(m->ch);
	m->ch = NULL;
}

struct pm_chunk *pm_chunk_at(struct pm *m, uintptr_t base, bool reserved)
{
	unsigned int i;

	if (m->first.live && base == m->first.base && !reserved)
		return &m->first;
	if (m->res.live && base == m->res.base && reserved)
		return &m->res;
	for (i = 0; i < m->nch; i++)
		if (m->ch[i].live && m->ch[i].base == base)
			return &m->ch[i];
	return NULL;
}

/* The chunk whose region holds byte address addr of CPU copy 0 (unit 0 at base). */
static struct pm_chunk *chunk_of(struct pm *m, uintptr_t addr, unsigned int *off)
{
	unsigned int i;

	for (i = 0; i < 2 + m->nch; i++) {
		struct pm_chunk *c = i == 0 ? &m->res : i == 1 ? &m->first : &m->ch[i - 2];

		if (c->live && addr - c->base < m->unit) {
			*off = (unsigned int)(addr - c->base);
			if (*off >= c->start && *off < c->end)
				return c;
		}
	}
	return NULL;
}

#define bad(...) (snprintf(m->err, sizeof(m->err), __VA_ARGS__), -1)

static void touch(struct pm_chunk *c, unsigned int off, unsigned int size)
{
	unsigned int p;

	for (p = off / PCPU_PAGE_SIZE; p <= (off + size - 1) / PCPU_PAGE_SIZE; p++)
		c->pages[p].dirty = c->pages[p].changed = true;
	c->changed = c->stale = true;
}

int pm_take(struct pm *m, void *h, size_t size, size_t align, unsigned int flags)
{
	uintptr_t addr = (uintptr_t)h + m->ptr_delta;
	unsigned int off, sz = (unsigned int)ALIGN_UP(size, 4), i, p;
	struct pm_chunk *c = chunk_of(m, addr, &off);

	align = MAX(align, 4);
	if (!c)
		return bad("allocation %p is in no chunk's region", h);
	if (c->reserved != !!(flags & PCPU_GFP_RESERVED))
		return bad("allocation %p (flags %#x) in the %s chunk", h, flags,
			   c->reserved ? "reserved" : "a dynamic");
	if (off % align)
		return bad("allocation %p at offset %#x not aligned to %zu", h, off, align);
	if (off + sz > c->end)
		return bad("allocation %p+%u runs past its region end %#x", h, sz, c->end);
	for (p = off / PCPU_PAGE_SIZE; p <= (off + sz - 1) / PCPU_PAGE_SIZE; p++)
		if (!c->pop[p])
			return bad("allocation %p+%u on unpopulated page %u", h, sz, p);
	for (i = off / 4; i < (off + sz) / 4; i++)
		if (c->g[i] != PM_FREE)
			return bad("allocation %p+%u overlaps a used granule at offset %#x", h, sz,
				   i * 4);
	memset(c->g + off / 4, PM_USED, sz / 4);
	c->starts[off / 4] = (uint16_t)(sz / 4);
	c->nalloc++;
	touch(c, off, sz);
	return 0;
}

int pm_release(struct pm *m, void *h)
{
	uintptr_t addr = (uintptr_t)h + m->ptr_delta;
	unsigned int off, n;
	struct pm_chunk *c = chunk_of(m, addr, &off);

	if (!c || off % 4 || !c->starts[off / 4])
		return bad("free of %p: no allocation starts there", h);
	n = c->starts[off / 4];
	c->starts[off / 4] = 0;
	memset(c->g + off / 4, PM_FREE, n);
	c->nalloc--;
	touch(c, off, n * 4);
	return (int)(n * 4);
}

/* Number of trailing zero bits of a run start, starts of 0 counting as the most aligned. */
static unsigned int start_tz(unsigned int s)
{
	return s ? (unsigned int)__builtin_ctz(s) : 31;
}

const struct pm_page *pm_page(struct pm *m, struct pm_chunk *c, unsigned int p)
{
	struct pm_page *pg = &c->pages[p];
	const unsigned char *g = c->g + p * GPP;
	unsigned int i, run = 0;

	bool changed = pg->changed;

	if (!pg->dirty)
		return pg;
	memset(pg, 0, sizeof(*pg));
	pg->changed = changed;
	pg->first = GPP;
	for (i = 0; i <= GPP; i++) {
		if (i < GPP && g[i] == PM_FREE) {
			pg->nfree++;
			if (pg->first == GPP)
				pg->first = (uint16_t)i;
			run++;
			continue;
		}
		if (run) {
			unsigned int s = i - run, tz = MIN(start_tz(s), 11);

			if (run > pg->longest || (run == pg->longest && tz > pg->best_tz)) {
				pg->longest = (uint16_t)run;
				pg->best_tz = (uint16_t)tz;
			}
			if (s == 0)
				pg->left = (uint16_t)run;
			if (i == GPP)
				pg->right = (uint16_t)run;
		}
		run = 0;
	}
	pg->dirty = false;
	return pg;
}

void pm_chunk_stats(struct pm *m, struct pm_chunk *c, struct pm_stats *st)
{
	unsigned int p, carry = 0, best = 0;

	if (!c->stale) {
		*st = c->st;
		return;
	}
	memset(st, 0, sizeof(*st));
	for (p = 0; p < m->npages; p++) {
		const struct pm_page *pg = pm_page(m, c, p);

		st->free_bytes += pg->nfree * 4;
		st->nr_populated += c->pop[p];
		if (c->pop[p] && pg->nfree == GPP)
			st->empty_pop_pages++;
		if (pg->nfree == GPP) {
			carry += GPP;
			continue;
		}
		best = MAX(best, MAX(carry + pg->left, (unsigned int)pg->longest));
		carry = pg->right;
	}
	st->contig_bytes = MAX(best, carry) * 4;
	c->st = *st;
	c->stale = false;
}

/* First fit of sz bytes at align in granules [lo, hi) of c; pop: on populated pages only. */
static int chunk_fit(struct pm *m, struct pm_chunk *c, unsigned int sz, unsigned int align,
		     bool pop)
{
	unsigned int i = c->start / 4, hi = c->end / 4;
	struct pm_stats st;

	/* the model's own summary: no run long enough, no fit */
	pm_chunk_stats(m, c, &st);
	if (st.contig_bytes < sz)
		return -1;
	while (i < hi) {
		unsigned int a, b, s;

		while (i < hi && c->g[i] != PM_FREE) {
			/* whole pages without a free granule are passed in one step */
			if (i % GPP == 0 && !pm_page(m, c, i / GPP)->nfree)
				i += GPP;
			else
				i++;
		}
		i = MIN(i, hi);
		a = i;
		while (i < hi && c->g[i] == PM_FREE)
			i++;
		b = i;
		if ((b - a) * 4 < sz)
			continue;
		for (s = ALIGN_UP(a * 4, align); s + sz <= b * 4;) {
			unsigned int p, q = ~0u;

			for (p = s / PCPU_PAGE_SIZE; pop && p <= (s + sz - 1) / PCPU_PAGE_SIZE; p++)
				if (!c->pop[p])
					q = p;
			if (q == ~0u)
				return (int)s;
			s = ALIGN_UP((q + 1) * (unsigned int)PCPU_PAGE_SIZE, align);
		}
	}
	return -1;
}

bool pm_fit(struct pm *m, size_t size, size_t align, unsigned int flags, unsigned long before,
	    uintptr_t *where)
{
	unsigned int sz = (unsigned int)ALIGN_UP(size, 4), al = (unsigned int)MAX(align, 4), i;
	bool pop = flags & PCPU_GFP_ATOMIC;
	int off;

	if (flags & PCPU_GFP_RESERVED) {
		if (!m->res.live || (off = chunk_fit(m, &m->res, sz, al, true)) < 0)
			return false;
		*where = m->res.base + (unsigned int)off;
		return true;
	}
	if (m->first.live && (off = chunk_fit(m, &m->first, sz, al, pop)) >= 0) {
		*where = m->first.base + (unsigned int)off;
		return true;
	}
	for (i = 0; i < m->nch; i++) {
		struct pm_chunk *c = &m->ch[i];

		if (!c->live || c->serial >= before)
			continue;
		off = chunk_fit(m, c, sz, al, pop);
		if (off >= 0) {
			*where = c->base + (unsigned int)off;
			return true;
		}
	}
	return false;
}

unsigned int pm_nr_chunks(const struct pm *m)
{
	unsigned int i, n = 0;

	for (i = 0; i < m->nch; i++)
		n += m->ch[i].live;
	return n;
}

unsigned long pm_nr_alloc(const struct pm *m)
{
	unsigned long n = m->res.nalloc + m->first.nalloc;
	unsigned int i;

	for (i = 0; i < m->nch; i++)
		n += m->ch[i].live ? m->ch[i].nalloc : 0;
	return n;
}
