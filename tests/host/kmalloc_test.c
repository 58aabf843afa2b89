/*
 * kmalloc_test.c - host tests of kmalloc (mm/kmalloc.c) over the page
 * allocator: sizes 1..12345 zeroed, aligned, non-overlapping, in node 0's low memory;
 * size classes and whole pages in kmalloc_bytes_in_use and in pages taken; kfree and reuse
 * (zeroed again); a randomized run with pattern checks; running out of pages.
 * See page_alloc_test.h for the set-up every phase starts from.
 */
#include "page_alloc_test.h"


/* ---- kmalloc -------------------------------------------------------------------------- */

/* What kmalloc_bytes_in_use() counts for @size. */
static size_t slot(size_t size)
{
	size_t c = 16;

	if (size > 2048)
		return ALIGN_UP(size, P);
	while (c < size)
		c *= 2;
	return c;
}

static bool all_bytes(const void *p, int c, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != (uint8_t)c)
			return false;
	return true;
}

struct kobj {
	uint8_t *p;
	size_t size;
	uint8_t fill;
};

static int kobj_cmp(const void *a, const void *b)
{
	const struct kobj *x = a, *y = b;

	return x->p < y->p ? -1 : x->p > y->p;
}

static struct kobj kobjs[8192];

static void test_kmalloc(void)
{
	uint64_t free0 = st().free_bytes, pages_big = 0, pages_small = 0;
	unsigned long per_class[8] = { 0 };
	size_t sizes[] = { 15, 16, 17, 31, 32, 33, 1023, 1024, 1025, 2047, 2048, 2049, 4095,
			   4096, 4097, 8192, 8193, 12345 };
	size_t in_use = 0, s;
	unsigned long n = 0, i;

	EXPECT_EQ(kmalloc_bytes_in_use(), 0);
	EXPECT(kmalloc(0) == NULL);
	kfree(NULL, 16);
	EXPECT_EQ(kmalloc_bytes_in_use(), 0);

	for (s = 1; s <= 4200; s += s < 300 ? 1 : 37)
		kobjs[n++].size = s;
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		kobjs[n++].size = sizes[i];
	for (i = 0; i < n; i++) {
		struct kobj *o = &kobjs[i];

		o->p = kmalloc(o->size);
		o->fill = (uint8_t)(i * 7 + 1);
		EXPECT(o->p != NULL);
		if (!o->p)
			return;
		EXPECT(all_bytes(o->p, 0, o->size));
		EXPECT(IS_ALIGNED((uintptr_t)o->p, MIN(slot(o->size), P)));
		EXPECT(in_buf((uintptr_t)o->p, slot(o->size)));
		EXPECT_EQ(page_node((uintptr_t)o->p), 0);
		in_use += slot(o->size);
		EXPECT_EQ(kmalloc_bytes_in_use(), in_use);
		memset(o->p, o->fill, o->size);
		if (o->size > 2048) {
			pages_big += slot(o->size) / P;
		} else {
			unsigned int c = __builtin_ctzl(slot(o->size)) - 4;

			if (per_class[c]++ % (P / slot(o->size)) == 0)
				pages_small++;
		}
	}
	/* exactly the pages the size classes and the big requests need, low in memory */
	EXPECT_EQ(free0 - st().free_bytes, (pages_big + pages_small) * P);
	EXPECT(page_range_free_below(~0ULL, P, 0) == B + NODE_SIZE - 12 * SZ_1K);
	/* no two objects overlap, every pattern is intact */
	qsort(kobjs, n, sizeof(kobjs[0]), kobj_cmp);
	for (i = 0; i < n; i++) {
		EXPECT(all_bytes(kobjs[i].p, kobjs[i].fill, kobjs[i].size));
		if (i + 1 < n)
			EXPECT(kobjs[i].p + slot(kobjs[i].size) <= kobjs[i + 1].p);
	}

	/* kfree, then the same size comes back from the same place, zeroed again */
	for (i = 0; i < n; i += 5) {
		struct kobj *o = &kobjs[i];
		uint8_t *q;

		kfree(o->p, o->size);
		EXPECT_EQ(kmalloc_bytes_in_use(), in_use - slot(o->size));
		if (o->size > 2048)
			EXPECT(page_range_is_free((uintptr_t)o->p, slot(o->size)));
		q = kmalloc(o->size);
		EXPECT(q != NULL);
		if (o->size <= 2048)
			EXPECT(q == o->p);
		EXPECT(all_bytes(q, 0, o->size));
		EXPECT_EQ(kmalloc_bytes_in_use(), in_use);
		o->p = q;
		memset(q, o->fill, o->size);
	}

	/* free everything: only the big requests' pages go back */
	for (i = 0; i < n; i++) {
		EXPECT(all_bytes(kobjs[i].p, kobjs[i].fill, kobjs[i].size));
		kfree(kobjs[i].p, kobjs[i].size);
		in_use -= slot(kobjs[i].size);
		EXPECT_EQ(kmalloc_bytes_in_use(), in_use);
	}
	EXPECT_EQ(kmalloc_bytes_in_use(), 0);
	EXPECT_EQ(free0 - st().free_bytes, pages_small * P);
	/* the same small requests again take no new page */
	for (i = 0; i < n; i++)
		if (kobjs[i].size <= 2048) {
			kobjs[i].p = kmalloc(kobjs[i].size);
			EXPECT(kobjs[i].p && all_bytes(kobjs[i].p, 0, kobjs[i].size));
		}
	EXPECT_EQ(free0 - st().free_bytes, pages_small * P);
	for (i = 0; i < n; i++)
		if (kobjs[i].size <= 2048)
			kfree(kobjs[i].p, kobjs[i].size);
	EXPECT_EQ(kmalloc_bytes_in_use(), 0);
}

static void test_kmalloc_random(void)
{
	unsigned long step, n = 0;
	size_t in_use = 0;

	rng_state = 0x2545f4914f6cdd1dULL;
	for (step = 0; step < 20000; step++) {
		int before = failures;

		if (n < 2000 && (n == 0 || rnd_below(100) < 55)) {
			struct kobj *o = &kobjs[n];
			unsigned long r = rnd_below(100);

			o->size = r < 80 ? 1 + rnd_below(256) : r < 97 ? 1 + rnd_below(2048) :
				  2049 + rnd_below(3 * P);
			o->fill = (uint8_t)(1 + rnd_below(255));
			o->p = kmalloc(o->size);
			EXPECT(o->p && all_bytes(o->p, 0, o->size));
			if (!o->p)
				return;
			memset(o->p, o->fill, o->size);
			in_use += slot(o->size);
			n++;
		} else {
			unsigned long k = rnd_below(n);

			EXPECT(all_bytes(kobjs[k].p, kobjs[k].fill, kobjs[k].size));
			kfree(kobjs[k].p, kobjs[k].size);
			in_use -= slot(kobjs[k].size);
			kobjs[k] = kobjs[--n];
		}
		EXPECT_EQ(kmalloc_bytes_in_use(), in_use);
		if (failures != before) {
			fprintf(stderr, "kmalloc random: diverged at step %lu\n", step);
			return;
		}
	}
	while (n) {
		n--;
		EXPECT(all_bytes(kobjs[n].p, kobjs[n].fill, kobjs[n].size));
		kfree(kobjs[n].p, kobjs[n].size);
	}
	EXPECT_EQ(kmalloc_bytes_in_use(), 0);
}

static void test_kmalloc_oom(void)
{
	uint64_t last = 0, p;
	void *a;

	while ((p = alloc_pages_node(-1, P, 0)))
		last = p;
	EXPECT_EQ(st().free_bytes, 0);
	EXPECT(kmalloc(16) == NULL);
	EXPECT(kmalloc(3000) == NULL);
	EXPECT_EQ(kmalloc_bytes_in_use(), 0);
	/* one page back: the 64-byte class takes it and carves it */
	free_pages(last, P);
	a = kmalloc(64);
	EXPECT((uintptr_t)a >= last && (uintptr_t)a < last + P);
	EXPECT_EQ(st().free_bytes, 0);
	EXPECT(kmalloc(128) == NULL);
	EXPECT(kmalloc(40) != NULL);		/* same class, same page */
	EXPECT_EQ(kmalloc_bytes_in_use(), 128);
}

/* ---- main ----------------------------------------------------------------------------- */

int main(void)
{
	static const struct page_alloc_phase phases[] = {
		{ "kmalloc", test_kmalloc },
		{ "kmalloc_random", test_kmalloc_random },
		{ "kmalloc_oom", test_kmalloc_oom },
	};

	return page_alloc_test_main("kmalloc_test", phases, ARRAY_SIZE(phases));
}
