/*
 * percpu_alloc_backend.c - malloc-based chunk backend for the per-CPU allocator host tests.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sanitizer/asan_interface.h>
#include "percpu_alloc_backend.h"

static size_t span_of(const struct pcpu_layout *l)
{
	unsigned long max = 0;
	unsigned int c;

	for (c = 0; c < l->nr_cpus; c++)
		max = MAX(max, l->unit_off[c]);
	return max + l->unit_size;
}

static void poison_page(struct test_backend *tb, uintptr_t base, unsigned int p, bool on)
{
	unsigned int c;

	for (c = 0; c < tb->layout.nr_cpus; c++) {
		char *a = (char *)(base + tb->unit_off[c] + (size_t)p * PCPU_PAGE_SIZE);

		if (on) {
			memset(a, 0x5a, PCPU_PAGE_SIZE);
			ASAN_POISON_MEMORY_REGION(a, PCPU_PAGE_SIZE);
		} else {
			ASAN_UNPOISON_MEMORY_REGION(a, PCPU_PAGE_SIZE);
		}
	}
}

static bool take_failure(long *in)
{
	if (*in > 0 && --*in == 0)
		return true;
	return false;
}

static int tb_create(void *priv, const struct pcpu_layout *l, uintptr_t *base, void **cookie)
{
	struct test_backend *tb = priv;
	struct tb_chunk *ch = NULL;
	unsigned int i, pages = (unsigned int)(l->unit_size / PCPU_PAGE_SIZE);

	if (take_failure(&tb->fail_create_in))
		return -1;
	if (tb->max_chunks && tb->nr_live_chunks >= tb->max_chunks)
		return -1;
	for (i = 0; i < TB_MAX_CHUNKS && !ch; i++)
		if (!tb->chunks[i].mem)
			ch = &tb->chunks[i];
	if (!ch)
		return -1;
	ch->span = span_of(l);
	ch->mem = aligned_alloc(PCPU_PAGE_SIZE, ch->span);
	ch->pop = calloc(pages, 1);
	if (!ch->mem || !ch->pop) {
		free(ch->mem);
		free(ch->pop);
		ch->mem = NULL;
		return -1;
	}
	memset(ch->mem, 0x6b, ch->span); /* garbage: the allocator must zero */
	ch->base = (uintptr_t)ch->mem;
	if (tb->vm) {
		for (i = 0; i < pages; i++)
			poison_page(tb, ch->base, i, true);
	} else {
		memset(ch->pop, 1, pages);
	}
	tb->nr_live_chunks++;
	tb->nr_creates++;
	*base = ch->base;
	*cookie = ch;
	return 0;
}

static void tb_destroy(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie)
{
	struct test_backend *tb = priv;
	struct tb_chunk *ch = cookie;

	if (!ch || ch->base != base) {
		fprintf(stderr, "backend: destroy of unknown chunk %#lx\n", (unsigned long)base);
		abort();
	}
	ASAN_UNPOISON_MEMORY_REGION(ch->mem, ch->span);
	free(ch->mem);
	free(ch->pop);
	memset(ch, 0, sizeof(*ch));
	tb->nr_live_chunks--;
	tb->nr_destroys++;
}

static int tb_populate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
		       unsigned int ps, unsigned int pe)
{
	struct test_backend *tb = priv;
	struct tb_chunk *ch = cookie;
	unsigned int p;

	if (take_failure(&tb->fail_populate_in))
		return -1;
	for (p = ps; p < pe; p++) {
		if (ch->pop[p]) {
			fprintf(stderr, "backend: page %u populated twice\n", p);
			abort();
		}
		ch->pop[p] = 1;
		poison_page(tb, base, p, false);
	}
	tb->nr_populates++;
	return 0;
}

static void tb_depopulate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
			  unsigned int ps, unsigned int pe)
{
	struct test_backend *tb = priv;
	struct tb_chunk *ch = cookie;
	unsigned int p;

	for (p = ps; p < pe; p++) {
		if (!ch->pop[p]) {
			fprintf(stderr, "backend: page %u depopulated twice\n", p);
			abort();
		}
		ch->pop[p] = 0;
		poison_page(tb, base, p, true);
	}
	tb->nr_depopulates++;
}

static void *tb_meta_alloc(void *priv, size_t size)
{
	struct test_backend *tb = priv;
	void *p;

	if (take_failure(&tb->fail_meta_in))
		return NULL;
	p = malloc(size);
	if (p)
		tb->meta_live_bytes += (long)size;
	return p;
}

static void tb_meta_free(void *priv, void *p, size_t size)
{
	struct test_backend *tb = priv;

	tb->meta_live_bytes -= (long)size;
	free(p);
}

void tb_init(struct test_backend *tb, unsigned int nr_cpus, size_t unit_size, bool vm, bool gap)
{
	unsigned int c;

	memset(tb, 0, sizeof(*tb));
	for (c = 0; c < nr_cpus; c++)
		tb->unit_off[c] =
		    (c + (gap && nr_cpus > 1 && c >= nr_cpus / 2 ? 2 : 0)) * unit_size;
	if (gap && nr_cpus > 1) {
		/* CPU order differs from unit order, as with groups on NUMA nodes */
		unsigned long t = tb->unit_off[0];

		tb->unit_off[0] = tb->unit_off[nr_cpus - 1];
		tb->unit_off[nr_cpus - 1] = t;
	}
	tb->layout.nr_cpus = nr_cpus;
	tb->layout.nr_units = nr_cpus;
	tb->layout.unit_size = unit_size;
	tb->layout.unit_off = tb->unit_off;
	tb->vm = vm;
	tb->be.name = vm ? "test-vm" : "test-km";
	tb->be.priv = tb;
	tb->be.populated_on_create = !vm;
	tb->be.chunk_create = tb_create;
	tb->be.chunk_destroy = tb_destroy;
	tb->be.populate = tb_populate;
	tb->be.depopulate = vm ? tb_depopulate : NULL;
	tb->be.meta_alloc = tb_meta_alloc;
	tb->be.meta_free = tb_meta_free;
}

void tb_config(struct test_backend *tb, struct pcpu_config *cfg, enum pcpu_allocator_kind kind,
	       size_t static_size, size_t reserved_size)
{
	size_t span = span_of(&tb->layout);

	tb->first_mem = aligned_alloc(PCPU_PAGE_SIZE, span);
	memset(tb->first_mem, 0x3c, span);
	tb->first_base = (uintptr_t)tb->first_mem;
	memset(cfg, 0, sizeof(*cfg));
	cfg->layout = &tb->layout;
	cfg->backend = &tb->be;
	cfg->kind = kind;
	cfg->first_base = tb->first_base;
	cfg->static_size = static_size;
	cfg->reserved_size = reserved_size;
}

void tb_fini(struct test_backend *tb)
{
	free(tb->first_mem);
	tb->first_mem = NULL;
}

struct tb_chunk *tb_find(struct test_backend *tb, uintptr_t base)
{
	unsigned int i;

	for (i = 0; i < TB_MAX_CHUNKS; i++)
		if (tb->chunks[i].mem && tb->chunks[i].base == base)
			return &tb->chunks[i];
	return NULL;
}

bool tb_addr_populated(struct test_backend *tb, struct pcpu_allocator *pa, const void *handle,
		       size_t size)
{
	struct pcpu_addr_info info;
	uintptr_t a, base;
	struct tb_chunk *ch;
	unsigned int p;

	if (!pcpu_allocator_addr_info(pa, pcpu_allocator_ptr(pa, (void *)handle, 0), &info))
		return false;
	a = (uintptr_t)handle + pa->cfg.ptr_delta;
	if (a - tb->first_base < tb->layout.unit_size)
		return true;
	for (p = 0; p < TB_MAX_CHUNKS; p++) {
		ch = &tb->chunks[p];
		base = ch->base;
		if (ch->mem && a - base < tb->layout.unit_size) {
			unsigned int off = (unsigned int)(a - base);

			for (p = off / PCPU_PAGE_SIZE; p <= (off + size - 1) / PCPU_PAGE_SIZE; p++)
				if (!ch->pop[p])
					return false;
			return true;
		}
	}
	return false;
}
