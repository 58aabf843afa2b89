/*
 * percpu_fuzz.c - libFuzzer target for the per-CPU allocator: the input picks the allocator
 * kind, backend mode, CPU count, unit size and first-chunk regions, then turns into a
 * sequence of allocations (any size, alignment and flags, valid or not), frees, bad frees,
 * balancing and checks. A small model of live allocations catches overlap, lost contents
 * and unzeroed memory; the granule model of percpu_model.c catches a failed allocation (of
 * any kind) or a chunk creation while a fitting free run existed; built with
 * PCPU_DEBUG_CHECKS=1 so every operation's chunk is verified.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "percpu_alloc_backend.h"
#include "percpu_model.h"

#define MAX_LIVE 512

struct fz_live {
	unsigned char *h;
	size_t size;
	unsigned char tag;
};

static struct test_backend tb;
static struct pcpu_allocator pa;
static struct pm model;
static struct fz_live live[MAX_LIVE];
static unsigned int nlive;

#define ensure(c)                                                                                  \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "percpu_fuzz: %s failed at line %d\n", #c, __LINE__);      \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

static bool copies_are(const struct fz_live *l, bool zero)
{
	unsigned int c;
	size_t i;

	for (c = 0; c < tb.layout.nr_cpus; c++) {
		unsigned char *p = pcpu_allocator_ptr(&pa, l->h, c);

		for (i = 0; i < l->size; i++)
			if (p[i] != (zero ? 0 : (unsigned char)(l->tag + c)))
				return false;
	}
	return true;
}

static void fill(const struct fz_live *l)
{
	unsigned int c;

	for (c = 0; c < tb.layout.nr_cpus; c++)
		memset(pcpu_allocator_ptr(&pa, l->h, c), (unsigned char)(l->tag + c), l->size);
}

static void do_alloc(const uint8_t *b, unsigned char tag)
{
	size_t size = ((size_t)b[1] | (size_t)b[2] << 8) % 33500;
	size_t align = b[3] & 0x80 ? b[3] & 0x7f : 1u << (b[3] % 14);
	unsigned int flags = (b[0] >> 3) & (PCPU_GFP_ATOMIC | PCPU_GFP_RESERVED);
	bool valid = size && size <= PCPU_MIN_UNIT_SIZE && align <= 4096 && !(align & (align - 1));
	unsigned long serial = model.serial;
	struct fz_live *l;
	uintptr_t where;
	unsigned int i;
	void *h;

	if (b[2] & 0x80)
		size %= 200; /* mostly small ones */
	valid = size && size <= PCPU_MIN_UNIT_SIZE && align <= 4096 && !(align & (align - 1));
	h = pcpu_allocator_alloc(&pa, size, align, flags | PCPU_GFP_NOWARN);
	if (!valid) {
		ensure(!h);
		return;
	}
	/* no chunk created, no failure, while a fit existed */
	ensure(model.serial == serial || !pm_fit(&model, size, align, flags, serial + 1, &where));
	if (!h) {
		/* only an atomic, reserved or out-of-chunks request may fail, and only if nothing
		 * fits */
		ensure(flags || tb.nr_live_chunks >= tb.max_chunks);
		ensure(!pm_fit(&model, size, align, flags, ~0UL, &where));
		return;
	}
	ensure(pm_take(&model, h, size, align, flags) == 0);
	if (nlive == MAX_LIVE) {
		ensure(pm_release(&model, h) >= 0);
		pcpu_allocator_free(&pa, h);
		return;
	}
	l = &live[nlive];
	l->h = h;
	l->size = size;
	l->tag = tag;
	for (i = 0; i < nlive; i++)
		ensure(l->h + ALIGN_UP(size, 4) <= live[i].h ||
		       live[i].h + ALIGN_UP(live[i].size, 4) <= l->h);
	ensure(((uintptr_t)pcpu_allocator_ptr(&pa, h, 0) & (MAX(align, 1) - 1)) == 0);
	ensure(copies_are(l, true));
	ensure(pcpu_allocator_size(&pa, h) == ALIGN_UP(size, 4));
	fill(l);
	nlive++;
}

static void do_free(unsigned int i)
{
	ensure(copies_are(&live[i], false));
	ensure(pm_release(&model, live[i].h) == (int)ALIGN_UP(live[i].size, 4));
	pcpu_allocator_free(&pa, live[i].h);
	live[i] = live[--nlive];
}

static void do_bad_free(const uint8_t *b)
{
	struct pcpu_stats s0, s1;
	unsigned char *bad;
	unsigned int i;

	if (nlive && b[1] & 1) {
		const struct fz_live *l = &live[b[2] % nlive];

		bad = l->h + 1 + b[3] % ALIGN_UP(l->size, 4);
	} else {
		bad = (unsigned char *)(tb.first_base - pa.cfg.ptr_delta) + (b[2] | b[3] << 8) * 4;
	}
	for (i = 0; i < nlive; i++)
		if (live[i].h == bad)
			return;
	pcpu_allocator_stats(&pa, &s0);
	pcpu_allocator_free(&pa, bad);
	pcpu_allocator_stats(&pa, &s1);
	ensure(s1.nr_bad_free == s0.nr_bad_free + 1 && s1.free_bytes == s0.free_bytes &&
	       s1.reserved_free_bytes == s0.reserved_free_bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcpu_config cfg;
	unsigned int i, ops = 0;
	size_t unit;

	if (size < 3)
		return 0;
	unit = (data[0] & 0x10) ? 64 * 1024 : 32 * 1024;
	tb_init(&tb, 1 + (data[0] >> 2) % 3, unit, data[0] & 2, data[0] & 0x20);
	tb.max_chunks = 6;
	tb_config(&tb, &cfg, data[0] & 1 ? PCPU_ALLOCATOR_AREAMAP : PCPU_ALLOCATOR_BITMAP,
		  (size_t)data[1] * 36, (size_t)(data[2] % 16) * 1000);
	pm_init(&model, &tb.be, unit);
	cfg.backend = &model.be;
	cfg.ptr_delta = data[2] & 0x40 ? 0x12345000 : 0;
	cfg.empty_pages_low = 1 + data[2] % 3;
	cfg.empty_pages_high = cfg.empty_pages_low + data[1] % 5;
	ensure(pcpu_allocator_init(&pa, &cfg) == 0);
	pm_attach(&model, &cfg);
	nlive = 0;
	for (i = 3; i + 4 <= size && ops < 4000; i += 4, ops++) {
		const uint8_t *b = &data[i];

		switch (b[0] & 7) {
		case 0:
		case 1:
		case 2:
		case 3:
			do_alloc(b, (unsigned char)i);
			break;
		case 4:
		case 5:
			if (nlive)
				do_free(b[1] % nlive);
			break;
		case 6:
			do_bad_free(b);
			break;
		default:
			if (b[1] & 1)
				pcpu_allocator_balance(&pa);
			else
				ensure(pcpu_allocator_check(&pa) == 0);
			break;
		}
		if (pcpu_allocator_balance_needed(&pa) && (b[1] & 2))
			pcpu_allocator_balance(&pa);
		ensure(pa.debug_errors == 0);
	}
	ensure(pcpu_allocator_check(&pa) == 0);
	while (nlive)
		do_free(nlive - 1);
	pcpu_allocator_balance(&pa);
	ensure(pcpu_allocator_check(&pa) == 0);
	ensure(pa.nr_cur_alloc == 0);
	pcpu_allocator_teardown(&pa);
	ensure(tb.nr_live_chunks == 0 && tb.meta_live_bytes == 0);
	pm_fini(&model);
	tb_fini(&tb);
	return 0;
}
