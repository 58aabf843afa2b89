/*
 * chunk.c - chunks of the per-CPU allocator, independent of the allocator kind: metadata
 * blocks, slot lists ordered by largest free run, the sorted address table used by free,
 * creation and destruction through the backend, page population and empty-page counts.
 */
#include <string.h>
#include "pcpu_alloc_internal.h"

void *pcpu_meta_alloc(struct pcpu_allocator *pa, size_t size)
{
	void *p = pa->cfg.backend->meta_alloc(pa->cfg.backend->priv, size);

	if (p) {
		memset(p, 0, size);
		pa->meta_bytes += size;
	}
	return p;
}

void pcpu_meta_free(struct pcpu_allocator *pa, void *p, size_t size)
{
	pa->cfg.backend->meta_free(pa->cfg.backend->priv, p, size);
	pa->meta_bytes -= size;
}

/* Slot of a largest free run of size bytes: fls(size); 0 when nothing is free. */
unsigned int pcpu_size_to_slot(const struct pcpu_allocator *pa, unsigned int size)
{
	return MIN(pcpu_fls(size), pa->nr_slots - 2);
}

static unsigned int chunk_slot(const struct pcpu_allocator *pa, const struct pcpu_chunk *chunk)
{
	if (!chunk->nr_alloc)
		return pa->nr_slots - 1;
	return pcpu_size_to_slot(pa, chunk->contig_bytes);
}

/*
 * Takes a chunk off its slot list, keeping the slot's no-fit boundary on a listed entry. A
 * chunk in slot 0 is on no list (its entry points to itself).
 */
static void slot_unlink(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	int s = chunk->slot;

	if (s <= 0) {
		chunk->slot = -1;
		return;
	}
	if (pa->nofit[s] == &chunk->list)
		pa->nofit[s] = chunk->list.next;
	pcpu_list_del(&chunk->list);
	chunk->slot = -1;
}

/*
 * Files a dynamic chunk on the slot list matching its hints after they changed. A full chunk
 * (slot 0) is on no list: no request ever searches slot 0, and leaving a list costs nothing
 * for its neighbours, so freeing into a full chunk (the common case with many live objects)
 * touches no other chunk's metadata; chunk->slot still says 0. Bitmap
 * chunks that change slot, or may sit in the slot's no-fit region, go to the head of the
 * list, ahead of that region, so a chunk whose hint changed is looked at again. Area-map chunks
 * move only when their slot changes, like the original: to the head when they gained free space, to
 * the tail when they lost some.
 */
void pcpu_chunk_relocate(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	unsigned int slot;
	int old = chunk->slot;

	if (chunk->reserved)
		return;
	slot = chunk_slot(pa, chunk);
	if (!slot) {
		slot_unlink(pa, chunk);
		chunk->nofit = false;
	} else if (!pa->ops->skip_budget) {
		if (old == (int)slot)
			return;
		slot_unlink(pa, chunk);
		if (old < (int)slot)
			pcpu_list_add(&chunk->list, &pa->slots[slot]);
		else
			pcpu_list_add_tail(&chunk->list, &pa->slots[slot]);
	} else {
		if (old == (int)slot && !chunk->nofit)
			return;
		slot_unlink(pa, chunk);
		pcpu_list_add(&chunk->list, &pa->slots[slot]);
		chunk->nofit = false;
	}
	chunk->slot = (int)slot;
}

/* Moves a chunk that cannot hold the slot's no-fit request into the slot's no-fit region. */
void pcpu_chunk_mark_nofit(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	struct pcpu_list *head = &pa->slots[chunk->slot];

	pcpu_list_del(&chunk->list);
	pcpu_list_add_tail(&chunk->list, head);
	chunk->nofit = true;
	if (pa->nofit[chunk->slot] == head)
		pa->nofit[chunk->slot] = &chunk->list;
}

/* The allocator kind says page `page` now is (or no longer is) free of allocations. */
void pcpu_chunk_page_became(struct pcpu_chunk *chunk, unsigned int page, bool empty)
{
	if (!pcpu_page_populated(chunk, page))
		return;
	if (empty)
		chunk->nr_empty_pop_pages++;
	else
		chunk->nr_empty_pop_pages--;
}

bool pcpu_chunk_range_populated(struct pcpu_chunk *chunk, unsigned int off, unsigned int size)
{
	unsigned int p, pe = (off + size - 1) / PCPU_PAGE_SIZE;

	if (chunk->nr_populated == chunk->nr_pages)
		return true;
	for (p = off / PCPU_PAGE_SIZE; p <= pe; p++)
		if (!pcpu_page_populated(chunk, p))
			return false;
	return true;
}

static void account_pages(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, int d)
{
	if (!chunk->reserved)
		pa->nr_empty_pop_pages += d;
}

static void set_populated(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int p,
			  bool on)
{
	unsigned long bit = 1UL << (p % (8 * sizeof(long)));

	if (on) {
		chunk->populated[p / (8 * sizeof(long))] |= bit;
		chunk->nr_populated++;
	} else {
		chunk->populated[p / (8 * sizeof(long))] &= ~bit;
		chunk->nr_populated--;
	}
	if (pa->ops->page_free(chunk, p)) {
		chunk->nr_empty_pop_pages += on ? 1 : -1;
		account_pages(pa, chunk, on ? 1 : -1);
	}
}

/* Populates every unpopulated page in [ps, pe); 0, or -1 if the backend failed (pages it
 * did populate before failing stay populated and counted). */
int pcpu_chunk_populate(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int ps,
			unsigned int pe)
{
	const struct pcpu_backend *be = pa->cfg.backend;
	unsigned int rs = ps, re, p;

	while (rs < pe) {
		while (rs < pe && pcpu_page_populated(chunk, rs))
			rs++;
		if (rs >= pe)
			break;
		for (re = rs; re < pe && !pcpu_page_populated(chunk, re); re++)
			;
		if (chunk->immutable ||
		    be->populate(be->priv, &pa->layout, chunk->base, chunk->cookie, rs, re))
			return -1;
		for (p = rs; p < re; p++)
			set_populated(pa, chunk, p, true);
		rs = re;
	}
	return 0;
}

/* Gives back populated pages in [ps, pe); each must be free of allocations. */
void pcpu_chunk_depopulate(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int ps,
			   unsigned int pe)
{
	const struct pcpu_backend *be = pa->cfg.backend;
	unsigned int p;

	be->depopulate(be->priv, &pa->layout, chunk->base, chunk->cookie, ps, pe);
	for (p = ps; p < pe; p++)
		set_populated(pa, chunk, p, false);
}

/*
 * Builds a chunk object serving [start, end) of each unit at base; its pages are all
 * populated or none. Returns NULL if metadata cannot be had.
 */
struct pcpu_chunk *pcpu_chunk_new(struct pcpu_allocator *pa, uintptr_t base, void *cookie,
				  unsigned int start, unsigned int end, bool populated)
{
	unsigned int nr_pages = (unsigned int)(pa->layout.unit_size / PCPU_PAGE_SIZE), p;
	size_t pop_bytes = DIV_ROUND_UP(nr_pages, 8 * sizeof(long)) * sizeof(long);
	size_t head = ALIGN_UP(sizeof(struct pcpu_chunk), 8);
	size_t size = head + pop_bytes + pa->ops->md_size(pa, start, end);
	struct pcpu_chunk *chunk = pcpu_meta_alloc(pa, size);

	if (!chunk)
		return NULL;
	pcpu_list_init(&chunk->list);
	chunk->slot = -1;
	chunk->base = base;
	chunk->cookie = cookie;
	chunk->start_off = start;
	chunk->end_off = end;
	chunk->nr_pages = nr_pages;
	chunk->meta_size = size;
	chunk->populated = (unsigned long *)((char *)chunk + head);
	chunk->md = (char *)chunk + head + pop_bytes;
	if (pa->ops->init(pa, chunk)) {
		pa->ops->release(pa, chunk);
		pcpu_meta_free(pa, chunk, size);
		return NULL;
	}
	if (populated) {
		for (p = 0; p < nr_pages; p++)
			chunk->populated[p / (8 * sizeof(long))] |= 1UL << (p % (8 * sizeof(long)));
		chunk->nr_populated = nr_pages;
		for (p = 0; p < nr_pages; p++)
			chunk->nr_empty_pop_pages += pa->ops->page_free(chunk, p);
	}
	return chunk;
}

/* Frees a chunk object's metadata (not its memory). */
void pcpu_chunk_delete(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	pa->ops->release(pa, chunk);
	pcpu_meta_free(pa, chunk, chunk->meta_size);
}

/* Index of the first table entry whose base is above addr. */
static unsigned int by_addr_upper(const struct pcpu_allocator *pa, uintptr_t addr)
{
	unsigned int lo = 0, hi = pa->nr_by_addr;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (pa->by_addr_base[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Address hash: a chunk's first unit [base, base + unit_size) touches at most three granules
 * of 2^addr_hash_shift <= unit_size bytes, and a granule is touched by at most two chunks, so
 * a lookup hashes the address's granule and tests the one or two chunks filed under it: one
 * or two cache lines of the table whatever the number of chunks, where a binary search over
 * the sorted table walks log2(chunks) dependent lines. An entry is (base | tag, chunk), the
 * tag (1 to 3, in the page offset bits of the page-aligned base) saying which of the chunk's
 * granules it is filed under; the base in the entry lets a lookup test the chunk, and start
 * fetching everything a free reads, without waiting for the chunk struct.
 */
static unsigned int hash_home(const struct pcpu_allocator *pa, uintptr_t key)
{
	return (unsigned int)((uint64_t)key * 0x9e3779b97f4a7c15ULL >> 32) &
	       (pa->addr_hash_cap - 1);
}

/* The granule an entry's first word files it under. */
static uintptr_t entry_key(const struct pcpu_allocator *pa, uintptr_t w)
{
	return ((w & ~(uintptr_t)(PCPU_PAGE_SIZE - 1)) >> pa->addr_hash_shift) +
	       (w & (PCPU_PAGE_SIZE - 1)) - 1;
}

static void hash_put(uintptr_t *tab, unsigned int cap, unsigned int home, uintptr_t w,
		     struct pcpu_chunk *chunk)
{
	unsigned int i;

	for (i = home; tab[2 * i]; i = (i + 1) & (cap - 1))
		;
	tab[2 * i] = w;
	tab[2 * i + 1] = (uintptr_t)chunk;
}

/* Granules [*first, *last] touched by the first unit of chunk base. */
static void hash_keys(const struct pcpu_allocator *pa, uintptr_t base, uintptr_t *first,
		      uintptr_t *last)
{
	*first = base >> pa->addr_hash_shift;
	*last = (base + pa->layout.unit_size - 1) >> pa->addr_hash_shift;
}

/*
 * Room for `more` entries at a load of at most three quarters (the table counts as metadata:
 * 16 bytes an entry, two or three entries a chunk, about 4 bytes per 4 KiB of 64 KiB units);
 * -1 if no memory for the table.
 */
static int hash_reserve(struct pcpu_allocator *pa, unsigned int more)
{
	unsigned int cap = pa->addr_hash_cap ? pa->addr_hash_cap : 8, i, old = pa->addr_hash_cap;
	uintptr_t *tab, *prev = pa->addr_hash;

	while ((pa->addr_hash_used + more) * 4 > cap * 3)
		cap *= 2;
	if (cap == old)
		return 0;
	tab = pcpu_meta_alloc(pa, cap * 2 * sizeof(uintptr_t));
	if (!tab)
		return -1;
	pa->addr_hash = tab;
	pa->addr_hash_cap = cap;
	pa->addr_hash_shift = pcpu_fls(pa->layout.unit_size) - 1;
	for (i = 0; i < old; i++)
		if (prev[2 * i])
			hash_put(tab, cap, hash_home(pa, entry_key(pa, prev[2 * i])), prev[2 * i],
				 (struct pcpu_chunk *)prev[2 * i + 1]);
	if (prev)
		pcpu_meta_free(pa, prev, old * 2 * sizeof(uintptr_t));
	return 0;
}

static void hash_insert(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	uintptr_t k, first, last;

	hash_keys(pa, chunk->base, &first, &last);
	for (k = first; k <= last; k++) {
		hash_put(pa->addr_hash, pa->addr_hash_cap, hash_home(pa, k),
			 chunk->base | (k - first + 1), chunk);
		pa->addr_hash_used++;
	}
}

/* Removes entry (key, chunk), shifting later entries of the probe run back into the hole. */
static void hash_remove_one(struct pcpu_allocator *pa, uintptr_t key, struct pcpu_chunk *chunk)
{
	uintptr_t *tab = pa->addr_hash;
	unsigned int mask = pa->addr_hash_cap - 1, i, j, h;

	for (i = hash_home(pa, key); tab[2 * i]; i = (i + 1) & mask)
		if (entry_key(pa, tab[2 * i]) == key && tab[2 * i + 1] == (uintptr_t)chunk)
			break;
	if (!tab[2 * i])
		return;
	for (j = i;;) {
		j = (j + 1) & mask;
		if (!tab[2 * j])
			break;
		h = hash_home(pa, entry_key(pa, tab[2 * j]));
		/* the entry at j may move to i if its home is not in (i, j] (cyclically) */
		if (i <= j ? (h <= i || h > j) : (h <= i && h > j)) {
			tab[2 * i] = tab[2 * j];
			tab[2 * i + 1] = tab[2 * j + 1];
			i = j;
		}
	}
	tab[2 * i] = 0;
	tab[2 * i + 1] = 0;
	pa->addr_hash_used--;
}

static void hash_remove(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	uintptr_t k, first, last;

	hash_keys(pa, chunk->base, &first, &last);
	for (k = first; k <= last; k++)
		hash_remove_one(pa, k, chunk);
}

/* The created chunk whose [base, base + unit_size) holds addr, or NULL. O(1). */
struct pcpu_chunk *pcpu_chunk_lookup(struct pcpu_allocator *pa, uintptr_t addr)
{
	const uintptr_t *tab = pa->addr_hash;
	uintptr_t key = addr >> pa->addr_hash_shift;
	unsigned int i;

	if (!tab)
		return NULL;
	for (i = hash_home(pa, key); tab[2 * i]; i = (i + 1) & (pa->addr_hash_cap - 1)) {
		uintptr_t base = tab[2 * i] & ~(uintptr_t)(PCPU_PAGE_SIZE - 1);
		struct pcpu_chunk *chunk = (struct pcpu_chunk *)tab[2 * i + 1];

		if (addr - base >= pa->layout.unit_size)
			continue;
		/*
		 * At scale the chunk's metadata is not cached: ask for the lines of its struct
		 * and those the kind will read for this offset at once, rather than one after
		 * another as each pointer arrives.
		 */
		__builtin_prefetch(chunk);
		__builtin_prefetch((char *)chunk + 64);
		__builtin_prefetch((char *)chunk + 128);
		if (pa->ops->prefetch)
			pa->ops->prefetch(pa, chunk, (unsigned int)(addr - base));
		return chunk;
	}
	return NULL;
}

static bool ranges_overlap(uintptr_t a, uintptr_t b, size_t len)
{
	return a < b + len && b < a + len;
}

static int by_addr_insert(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	size_t us = pa->layout.unit_size;
	unsigned int i = by_addr_upper(pa, chunk->base);

	if ((i && ranges_overlap(pa->by_addr[i - 1]->base, chunk->base, us)) ||
	    (i < pa->nr_by_addr && ranges_overlap(pa->by_addr[i]->base, chunk->base, us)) ||
	    ranges_overlap(pa->cfg.first_base, chunk->base, us)) {
		pr_warn("percpu: backend chunk at %#lx overlaps another chunk\n",
			(unsigned long)chunk->base);
		return -1;
	}
	if (hash_reserve(pa, 3))
		return -1;
	if (pa->nr_by_addr == pa->by_addr_cap) {
		unsigned int cap = pa->by_addr_cap ? pa->by_addr_cap * 2 : 16;
		size_t esz = sizeof(struct pcpu_chunk *) + sizeof(uintptr_t);
		struct pcpu_chunk **t = pcpu_meta_alloc(pa, cap * esz);
		uintptr_t *tb = (uintptr_t *)(t + cap);

		if (!t)
			return -1;
		if (pa->by_addr) {
			memcpy(t, pa->by_addr, pa->nr_by_addr * sizeof(*t));
			memcpy(tb, pa->by_addr_base, pa->nr_by_addr * sizeof(*tb));
			pcpu_meta_free(pa, pa->by_addr, pa->by_addr_cap * esz);
		}
		pa->by_addr = t;
		pa->by_addr_base = tb;
		pa->by_addr_cap = cap;
	}
	memmove(&pa->by_addr[i + 1], &pa->by_addr[i], (pa->nr_by_addr - i) * sizeof(chunk));
	memmove(&pa->by_addr_base[i + 1], &pa->by_addr_base[i],
		(pa->nr_by_addr - i) * sizeof(uintptr_t));
	pa->by_addr[i] = chunk;
	pa->by_addr_base[i] = chunk->base;
	pa->nr_by_addr++;
	hash_insert(pa, chunk);
	return 0;
}

static void by_addr_remove(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	unsigned int i = by_addr_upper(pa, chunk->base) - 1;

	hash_remove(pa, chunk);
	memmove(&pa->by_addr[i], &pa->by_addr[i + 1], (pa->nr_by_addr - i - 1) * sizeof(chunk));
	memmove(&pa->by_addr_base[i], &pa->by_addr_base[i + 1],
		(pa->nr_by_addr - i - 1) * sizeof(uintptr_t));
	pa->nr_by_addr--;
}

/* Creates a new dynamic chunk through the backend and files it (empty slot). NULL on failure,
 * with nothing left behind. */
struct pcpu_chunk *pcpu_chunk_create(struct pcpu_allocator *pa)
{
	const struct pcpu_backend *be = pa->cfg.backend;
	struct pcpu_chunk *chunk;
	uintptr_t base;
	void *cookie = NULL;

	if (!be->chunk_create || be->chunk_create(be->priv, &pa->layout, &base, &cookie))
		return NULL;
	if (base % PCPU_PAGE_SIZE) {
		pr_warn("percpu: backend chunk base %#lx not page aligned\n", (unsigned long)base);
		goto destroy;
	}
	chunk = pcpu_chunk_new(pa, base, cookie, 0, (unsigned int)pa->layout.unit_size,
			       be->populated_on_create);
	if (!chunk)
		goto destroy;
	if (by_addr_insert(pa, chunk)) {
		pcpu_chunk_delete(pa, chunk);
		goto destroy;
	}
	pa->nr_chunks++;
	pa->nr_max_chunks = MAX(pa->nr_max_chunks, pa->nr_chunks);
	account_pages(pa, chunk, (int)chunk->nr_empty_pop_pages);
	pcpu_chunk_relocate(pa, chunk);
	return chunk;
destroy:
	be->chunk_destroy(be->priv, &pa->layout, base, cookie);
	return NULL;
}

/* Destroys a created chunk, which must hold no allocation. */
void pcpu_chunk_destroy(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
	const struct pcpu_backend *be = pa->cfg.backend;
	uintptr_t base = chunk->base;
	void *cookie = chunk->cookie;

	slot_unlink(pa, chunk);
	by_addr_remove(pa, chunk);
	account_pages(pa, chunk, -(int)chunk->nr_empty_pop_pages);
	pa->nr_chunks--;
	pcpu_chunk_delete(pa, chunk);
	be->chunk_destroy(be->priv, &pa->layout, base, cookie);
}
