/*
 * pcpu_alloc.c - the per-CPU allocator's entry points: setup from the first chunk, allocation
 * (reserved chunk, slot walk, chunk creation, population, zeroing), free by address, address
 * queries and the consistency check. Balancing is in pcpu_alloc_balance.c.
 */
#include <string.h>
#include "pcpu_alloc_internal.h"

const char *pcpu_allocator_name(enum pcpu_allocator_kind kind)
{
	return kind == PCPU_ALLOCATOR_AREAMAP ? "areamap" : "bitmap";
}

int pcpu_allocator_parse(const char *s, enum pcpu_allocator_kind *kind)
{
	if (!strcmp(s, "bitmap"))
		*kind = PCPU_ALLOCATOR_BITMAP;
	else if (!strcmp(s, "areamap"))
		*kind = PCPU_ALLOCATOR_AREAMAP;
	else
		return -1;
	return 0;
}

static int bad_config(const char *why)
{
	pr_warn("percpu: unusable configuration: %s\n", why);
	return -1;
}

static int check_config(const struct pcpu_config *cfg)
{
	const struct pcpu_layout *l = cfg->layout;
	const struct pcpu_backend *be = cfg->backend;
	unsigned long min_off = ~0UL;
	unsigned int c;

	if (!l || !be || !be->meta_alloc || !be->meta_free || !be->chunk_destroy || !be->populate)
		return bad_config("layout or backend missing");
	if (!l->nr_cpus || !l->unit_off || l->unit_size % PCPU_PAGE_SIZE ||
	    l->unit_size < PCPU_MIN_UNIT_SIZE || l->unit_size > (1UL << 30))
		return bad_config("unit size or CPUs");
	for (c = 0; c < l->nr_cpus; c++) {
		if (l->unit_off[c] % PCPU_PAGE_SIZE)
			return bad_config("unit offset not page aligned");
		min_off = MIN(min_off, l->unit_off[c]);
	}
	if (min_off)
		return bad_config("no unit at the chunk base");
	if (cfg->first_base % PCPU_PAGE_SIZE)
		return bad_config("first chunk base not page aligned");
	if (cfg->static_size + cfg->reserved_size + cfg->dyn_size > l->unit_size)
		return bad_config("regions exceed the unit");
	if (cfg->kind != PCPU_ALLOCATOR_BITMAP && cfg->kind != PCPU_ALLOCATOR_AREAMAP)
		return bad_config("allocator kind");
	return 0;
}

int pcpu_allocator_init(struct pcpu_allocator *pa, const struct pcpu_config *cfg)
{
	unsigned int s, rstart, rend, dend;

	memset(pa, 0, sizeof(*pa));
	if (check_config(cfg))
		return -1;
	spin_lock_init(&pa->lock);
	pa->cfg = *cfg;
	pa->layout = *cfg->layout;
	if (!pa->cfg.empty_pages_low)
		pa->cfg.empty_pages_low = 2;
	if (pa->cfg.empty_pages_high < pa->cfg.empty_pages_low)
		pa->cfg.empty_pages_high = MAX(4, pa->cfg.empty_pages_low);
	pa->ops = cfg->kind == PCPU_ALLOCATOR_AREAMAP ? &pcpu_areamap_ops : &pcpu_bitmap_ops;
	pa->nr_slots = pcpu_fls(pa->layout.unit_size) + 2;
	for (s = 0; s < pa->nr_slots; s++)
		pcpu_list_init(&pa->slots[s]);
	pa->warn_left = PCPU_WARN_LIMIT;

	rstart = ALIGN_UP((unsigned int)cfg->static_size, PCPU_MIN_ALLOC_SIZE);
	rend = ALIGN_DOWN(rstart + (unsigned int)cfg->reserved_size, PCPU_MIN_ALLOC_SIZE);
	dend = cfg->dyn_size ? ALIGN_DOWN(rend + (unsigned int)cfg->dyn_size, PCPU_MIN_ALLOC_SIZE)
			     : (unsigned int)pa->layout.unit_size;
	if (rend > rstart) {
		pa->reserved_chunk = pcpu_chunk_new(pa, cfg->first_base, NULL, rstart, rend, true);
		if (!pa->reserved_chunk)
			goto fail;
		pa->reserved_chunk->immutable = true;
		pa->reserved_chunk->reserved = true;
	}
	if (dend > rend) {
		pa->first_chunk = pcpu_chunk_new(pa, cfg->first_base, NULL, rend, dend, true);
		if (!pa->first_chunk)
			goto fail;
		pa->first_chunk->immutable = true;
		pa->nr_chunks = pa->nr_max_chunks = 1;
		pa->nr_empty_pop_pages = pa->first_chunk->nr_empty_pop_pages;
		pcpu_chunk_relocate(pa, pa->first_chunk);
	}
	pa->ready = true;
	return 0;
fail:
	pcpu_allocator_teardown(pa);
	return bad_config("no memory for metadata");
}

void pcpu_allocator_teardown(struct pcpu_allocator *pa)
{
	while (pa->nr_by_addr)
		pcpu_chunk_destroy(pa, pa->by_addr[pa->nr_by_addr - 1]);
	if (pa->by_addr)
		pcpu_meta_free(pa, pa->by_addr,
			       pa->by_addr_cap * (sizeof(*pa->by_addr) + sizeof(uintptr_t)));
	if (pa->first_chunk)
		pcpu_chunk_delete(pa, pa->first_chunk);
	if (pa->reserved_chunk)
		pcpu_chunk_delete(pa, pa->reserved_chunk);
	if (pa->addr_hash)
		pcpu_meta_free(pa, pa->addr_hash, pa->addr_hash_cap * 2 * sizeof(uintptr_t));
	pa->addr_hash = NULL;
	pa->addr_hash_cap = 0;
	pa->by_addr = NULL;
	pa->first_chunk = NULL;
	pa->reserved_chunk = NULL;
	pa->ready = false;
}

static inline void debug_check(struct pcpu_allocator *pa, struct pcpu_chunk *chunk)
{
#if PCPU_DEBUG_CHECKS
	pa->debug_errors += pa->ops->check(chunk);
#endif
}

/* Allocation in one chunk with the global empty-page count kept in step. */
static int chunk_alloc(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int size,
		       unsigned int align, bool pop_only)
{
	unsigned int before = chunk->nr_empty_pop_pages;
	int off = pa->ops->alloc(pa, chunk, size, align, pop_only);

	if (!chunk->reserved)
		pa->nr_empty_pop_pages += chunk->nr_empty_pop_pages - before;
	return off;
}

static int chunk_free(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, unsigned int off)
{
	unsigned int before = chunk->nr_empty_pop_pages;
	int size = pa->ops->free(pa, chunk, off);

	if (!chunk->reserved)
		pa->nr_empty_pop_pages += chunk->nr_empty_pop_pages - before;
	return size;
}

/*
 * Walks the slots from the one that can hold size upward and allocates from the first chunk
 * that takes the request. From the slot where every chunk's largest run fits the request
 * whatever its alignment ("sure"), the first chunk serves. Below it, a chunk may fail the
 * hint test; such chunks move to the list's no-fit region, which later requests at least as
 * large and as aligned skip, so a slot full of unsuitable chunks costs one step per chunk
 * that changed since. At most ops->skip_budget failing chunks are looked at per call.
 * With `all` set (or a kind without a budget) every chunk of every slot is tried and the
 * no-fit regions are ignored: then a request fails only if no chunk holds a fit (on
 * populated pages for pop_only), as may_fit and alloc are exact.
 */
static int alloc_from_slots(struct pcpu_allocator *pa, unsigned int size, unsigned int align,
			    bool pop_only, bool all, struct pcpu_chunk **out)
{
	unsigned int budget = pa->ops->skip_budget, s;
	bool limited = budget != 0 && !all;

	for (s = pcpu_size_to_slot(pa, size); s < pa->nr_slots; s++) {
		struct pcpu_list *head = &pa->slots[s], *pos, *next, *stop = head;
		bool sure = s == pa->nr_slots - 1 || (s && (1u << (s - 1)) >= size + align - 4);

		if (limited && !sure) {
			if (!pa->nofit[s] || size < pa->nofit_size[s] ||
			    align < pa->nofit_align[s]) {
				pa->nofit[s] = head;
				pa->nofit_size[s] = size;
				pa->nofit_align[s] = align;
			}
			stop = pa->nofit[s];
		}
		for (pos = head->next; pos != stop && pos != head; pos = next) {
			struct pcpu_chunk *chunk = pcpu_chunk_of(pos);
			int off;

			next = pos->next;
			if (!pa->ops->may_fit(chunk, size, align)) {
				if (!limited || sure)
					continue;
				if (!budget)
					break;
				budget--;
				pcpu_chunk_mark_nofit(pa, chunk);
				if (stop == head)
					stop = pa->nofit[s];
				continue;
			}
			off = chunk_alloc(pa, chunk, size, align, pop_only);
			if (off >= 0) {
				*out = chunk;
				return off;
			}
			/* no room after all (may_fit is exact: not expected): remember it */
			if (limited && !sure && !pop_only) {
				pcpu_chunk_mark_nofit(pa, chunk);
				if (stop == head)
					stop = pa->nofit[s];
				continue;
			}
			pcpu_chunk_relocate(pa, chunk);
		}
	}
	return -1;
}

/*
 * Last try before creating a chunk: every chunk whose largest run could hold size is
 * searched bit by bit, so space the hints could not vouch for (a misaligned largest run, a
 * skipped slot) is used rather than memory grown. Costs a walk of those chunks' maps, once
 * per chunk creation at most.
 */
static int alloc_slow(struct pcpu_allocator *pa, unsigned int size, unsigned int align,
		      struct pcpu_chunk **out)
{
	unsigned int s;

	if (!pa->ops->alloc_slow)
		return -1;
	for (s = pcpu_size_to_slot(pa, size); s < pa->nr_slots; s++) {
		struct pcpu_list *head = &pa->slots[s], *pos;

		for (pos = head->next; pos != head; pos = pos->next) {
			struct pcpu_chunk *chunk = pcpu_chunk_of(pos);
			unsigned int before = chunk->nr_empty_pop_pages;
			int off;

			if (chunk->contig_bytes < size)
				continue;
			off = pa->ops->alloc_slow(pa, chunk, size, align);
			pa->nr_empty_pop_pages += chunk->nr_empty_pop_pages - before;
			if (off >= 0) {
				/* the hint search should have found it: tests count these */
				pa->nr_slow_fits++;
				*out = chunk;
				return off;
			}
		}
	}
	return -1;
}

static bool warn_ok(struct pcpu_allocator *pa)
{
	if (!pa->warn_left)
		return false;
	pa->warn_left--;
	return true;
}

void *pcpu_allocator_alloc(struct pcpu_allocator *pa, size_t size, size_t align, unsigned int flags)
{
	bool atomic = flags & PCPU_GFP_ATOMIC, reserved = flags & PCPU_GFP_RESERVED;
	struct pcpu_chunk *chunk = NULL;
	unsigned long irq;
	const char *err;
	unsigned int sz, al, c;
	uintptr_t addr;
	bool warn;
	int off;

	if (!pa->ready)
		return NULL;
	if (unlikely(!size || size > PCPU_MIN_UNIT_SIZE || align > PCPU_MAX_ALIGN ||
		     (align & (align - 1)))) {
		irq = spin_lock_irqsave(&pa->lock);
		pa->nr_bad_args++;
		warn = warn_ok(pa);
		spin_unlock_irqrestore(&pa->lock, irq);
		if (warn)
			pr_warn("percpu: bad allocation size %zu or alignment %zu refused\n", size,
				align);
		return NULL;
	}
	sz = ALIGN_UP((unsigned int)size, PCPU_MIN_ALLOC_SIZE);
	al = MAX((unsigned int)align, PCPU_MIN_ALLOC_SIZE);

	irq = spin_lock_irqsave(&pa->lock);
	if (reserved) {
		chunk = pa->reserved_chunk;
		err = "reserved chunk full";
		if (!chunk || !pa->ops->may_fit(chunk, sz, al))
			goto fail;
		off = chunk_alloc(pa, chunk, sz, al, false);
		if (off < 0)
			goto fail;
		goto found;
	}
	for (c = 0;; c++) {
		off = alloc_from_slots(pa, sz, al, atomic, false, &chunk);
		if (off >= 0)
			break;
		/* the budget may have left chunks unseen: every chunk before giving up */
		if (pa->ops->skip_budget)
			off = alloc_from_slots(pa, sz, al, atomic, true, &chunk);
		if (off >= 0)
			break;
		err = "no populated space for an atomic allocation";
		if (atomic)
			goto fail;
		off = alloc_slow(pa, sz, al, &chunk);
		if (off >= 0)
			break;
		/* a fresh chunk always fits; a second creation would mean a backend bug */
		err = "cannot create a chunk";
		if (c || !pcpu_chunk_create(pa))
			goto fail;
	}
	if (!atomic && pcpu_chunk_populate(pa, chunk, (unsigned int)off / PCPU_PAGE_SIZE,
					   ((unsigned int)off + sz - 1) / PCPU_PAGE_SIZE + 1)) {
		chunk_free(pa, chunk, (unsigned int)off);
		pcpu_chunk_relocate(pa, chunk);
		err = "cannot populate";
		goto fail;
	}
found:
	chunk->nr_alloc++;
	pcpu_chunk_relocate(pa, chunk);
	debug_check(pa, chunk);
	pa->nr_alloc_total++;
	pa->nr_cur_alloc++;
	pa->nr_max_alloc = MAX(pa->nr_max_alloc, pa->nr_cur_alloc);
	if (!pa->min_alloc_size || size < pa->min_alloc_size)
		pa->min_alloc_size = size;
	pa->max_alloc_size = MAX(pa->max_alloc_size, size);
	if (pa->nr_empty_pop_pages < pa->cfg.empty_pages_low)
		pa->balance_pending = true;
	spin_unlock_irqrestore(&pa->lock, irq);

	for (c = 0; c < pa->layout.nr_cpus && !pa->cfg.no_zero; c++)
		memset((void *)(chunk->base + pa->layout.unit_off[c] + (unsigned int)off), 0, sz);
	addr = chunk->base + (unsigned int)off - pa->cfg.ptr_delta;
	return (void *)addr;

fail:
	pa->nr_failed++;
	if (atomic && !reserved) {
		pa->balance_pending = true;
		pa->atomic_failed = true;
	}
	warn = !(flags & PCPU_GFP_NOWARN) && warn_ok(pa);
	spin_unlock_irqrestore(&pa->lock, irq);
	if (warn)
		pr_warn("percpu: allocation of %zu bytes (align %zu%s%s) failed: %s\n", size, align,
			atomic ? ", atomic" : "", reserved ? ", reserved" : "", err);
	return NULL;
}

/* Chunk holding unit offset *off of the allocation handle at address addr; NULL if none. */
static struct pcpu_chunk *chunk_of(struct pcpu_allocator *pa, uintptr_t addr, unsigned int *off)
{
	struct pcpu_chunk *chunk;

	if (addr - pa->cfg.first_base < pa->layout.unit_size) {
		*off = (unsigned int)(addr - pa->cfg.first_base);
		chunk = pa->reserved_chunk;
		if (chunk && *off >= chunk->start_off && *off < chunk->end_off)
			return chunk;
		chunk = pa->first_chunk;
	} else {
		chunk = pcpu_chunk_lookup(pa, addr);
		if (!chunk)
			return NULL;
		*off = (unsigned int)(addr - chunk->base);
	}
	if (!chunk || *off < chunk->start_off || *off >= chunk->end_off)
		return NULL;
	return chunk;
}

void pcpu_allocator_free(struct pcpu_allocator *pa, void *ptr)
{
	uintptr_t addr = (uintptr_t)ptr + pa->cfg.ptr_delta;
	struct pcpu_chunk *chunk;
	unsigned long irq;
	unsigned int off;
	int size = -1;

	if (!ptr || !pa->ready)
		return;
	irq = spin_lock_irqsave(&pa->lock);
	chunk = chunk_of(pa, addr, &off);
	if (chunk)
		size = chunk_free(pa, chunk, off);
	if (size < 0) {
		pa->nr_bad_free++;
		spin_unlock_irqrestore(&pa->lock, irq);
		pr_warn("percpu: free of %p refused: not a live per-CPU allocation\n", ptr);
		return;
	}
	chunk->nr_alloc--;
	pcpu_chunk_relocate(pa, chunk);
	debug_check(pa, chunk);
	pa->nr_free_total++;
	pa->nr_cur_alloc--;
	if (pcpu_extra_empty_chunks(pa) ||
	    (pa->nr_empty_pop_pages > pa->cfg.empty_pages_high && pa->cfg.backend->depopulate))
		pa->balance_pending = true;
	spin_unlock_irqrestore(&pa->lock, irq);
}

size_t pcpu_allocator_size(struct pcpu_allocator *pa, void *ptr)
{
	uintptr_t addr = (uintptr_t)ptr + pa->cfg.ptr_delta;
	struct pcpu_chunk *chunk;
	unsigned int off, start, size = 0;
	unsigned long irq;

	if (!ptr || !pa->ready)
		return 0;
	irq = spin_lock_irqsave(&pa->lock);
	chunk = chunk_of(pa, addr, &off);
	if (chunk && !pa->ops->find(chunk, off, &start, &size) && start != off)
		size = 0;
	spin_unlock_irqrestore(&pa->lock, irq);
	return size;
}

void *pcpu_allocator_ptr(struct pcpu_allocator *pa, void *ptr, unsigned int cpu)
{
	return (void *)((uintptr_t)ptr + pa->cfg.ptr_delta + pa->layout.unit_off[cpu]);
}

void *pcpu_allocator_this_ptr(struct pcpu_allocator *pa, void *ptr)
{
	return pcpu_allocator_ptr(pa, ptr, pa->cfg.this_cpu ? pa->cfg.this_cpu() : 0);
}

/* Fills *info if addr is in CPU copy of chunk (base, region chunk). */
static bool addr_in_chunk(struct pcpu_allocator *pa, uintptr_t base, uintptr_t addr,
			  struct pcpu_addr_info *info)
{
	const struct pcpu_layout *l = &pa->layout;
	struct pcpu_chunk *chunk;
	unsigned int c, off, start, size;

	for (c = 0; c < l->nr_cpus; c++)
		if (addr - (base + l->unit_off[c]) < l->unit_size)
			break;
	if (c == l->nr_cpus)
		return false;
	off = (unsigned int)(addr - base - l->unit_off[c]);
	info->cpu = c;
	info->handle = (void *)(base + off - pa->cfg.ptr_delta);
	info->allocated = false;
	info->alloc_handle = NULL;
	info->alloc_size = 0;
	info->region = PCPU_REGION_DYNAMIC;
	if (base == pa->cfg.first_base) {
		if (off < pa->cfg.static_size)
			info->region = PCPU_REGION_STATIC;
		else if (off < pa->cfg.static_size + pa->cfg.reserved_size)
			info->region = PCPU_REGION_RESERVED;
	}
	chunk = chunk_of(pa, base + off, &off);
	if (chunk && !pa->ops->find(chunk, off, &start, &size) && start >= chunk->start_off &&
	    start < chunk->end_off) {
		info->allocated = true;
		info->alloc_handle = (void *)(base + start - pa->cfg.ptr_delta);
		info->alloc_size = size;
	}
	return true;
}

bool pcpu_allocator_addr_info(struct pcpu_allocator *pa, const void *addr,
			      struct pcpu_addr_info *info)
{
	struct pcpu_addr_info dummy;
	unsigned long irq;
	unsigned int i;
	bool found;

	if (!pa->ready)
		return false;
	if (!info)
		info = &dummy;
	irq = spin_lock_irqsave(&pa->lock);
	found = addr_in_chunk(pa, pa->cfg.first_base, (uintptr_t)addr, info);
	for (i = 0; !found && i < pa->nr_by_addr; i++)
		found = addr_in_chunk(pa, pa->by_addr[i]->base, (uintptr_t)addr, info);
	spin_unlock_irqrestore(&pa->lock, irq);
	return found;
}

static unsigned int check_chunk(struct pcpu_allocator *pa, struct pcpu_chunk *chunk,
				unsigned int *empty, unsigned int *unlisted)
{
	unsigned int errors = pa->ops->check(chunk), p, pop = 0, e = 0;

	for (p = 0; p < chunk->nr_pages; p++) {
		if (!pcpu_page_populated(chunk, p))
			continue;
		pop++;
		e += pa->ops->page_free(chunk, p);
	}
	if (pop != chunk->nr_populated || e != chunk->nr_empty_pop_pages) {
		pr_err("percpu check: chunk %#lx: populated %u/%u, empty %u/%u\n",
		       (unsigned long)chunk->base, pop, chunk->nr_populated, e,
		       chunk->nr_empty_pop_pages);
		errors++;
	}
	if (!chunk->reserved) {
		unsigned int want =
		    chunk->nr_alloc ? pcpu_size_to_slot(pa, chunk->contig_bytes) : pa->nr_slots - 1;

		if (chunk->slot != (int)want || pcpu_list_empty(&chunk->list) != !want) {
			pr_err("percpu check: chunk %#lx: in slot %d (%slisted), belongs in %u\n",
			       (unsigned long)chunk->base, chunk->slot,
			       pcpu_list_empty(&chunk->list) ? "not " : "", want);
			errors++;
		}
		*empty += e;
		/* full chunks (slot 0) are on no list */
		*unlisted += !want;
	}
	return errors;
}

unsigned int pcpu_allocator_check(struct pcpu_allocator *pa)
{
	unsigned int errors = 0, empty = 0, i, listed = 0, s, unlisted = 0, hashed = 0;
	unsigned long irq;

	if (!pa->ready)
		return 0;
	irq = spin_lock_irqsave(&pa->lock);
	if (pa->reserved_chunk)
		errors += check_chunk(pa, pa->reserved_chunk, &empty, &unlisted);
	if (pa->first_chunk)
		errors += check_chunk(pa, pa->first_chunk, &empty, &unlisted);
	for (i = 0; i < pa->nr_by_addr; i++) {
		errors += check_chunk(pa, pa->by_addr[i], &empty, &unlisted);
		if ((i && pa->by_addr[i - 1]->base >= pa->by_addr[i]->base) ||
		    pa->by_addr_base[i] != pa->by_addr[i]->base ||
		    pcpu_chunk_lookup(pa, pa->by_addr[i]->base) != pa->by_addr[i] ||
		    pcpu_chunk_lookup(pa, pa->by_addr[i]->base + pa->layout.unit_size - 1) !=
			pa->by_addr[i]) {
			pr_err("percpu check: address table or hash wrong at %u\n", i);
			errors++;
		}
		hashed += (unsigned int)(((pa->by_addr[i]->base + pa->layout.unit_size - 1) >>
					  pa->addr_hash_shift) -
					 (pa->by_addr[i]->base >> pa->addr_hash_shift)) +
			  1;
	}
	for (s = 0; s < pa->nr_slots; s++) {
		struct pcpu_list *pos;

		for (pos = pa->slots[s].next; pos != &pa->slots[s]; pos = pos->next)
			listed++;
	}
	if (hashed != pa->addr_hash_used) {
		pr_err("percpu check: %u address hash entries, %u expected\n", pa->addr_hash_used,
		       hashed);
		errors++;
	}
	if (empty != pa->nr_empty_pop_pages || listed + unlisted != pa->nr_chunks ||
	    pa->nr_chunks != pa->nr_by_addr + !!pa->first_chunk) {
		pr_err("percpu check: empty pages %u/%u, listed chunks %u + %u full/%u\n", empty,
		       pa->nr_empty_pop_pages, listed, unlisted, pa->nr_chunks);
		errors++;
	}
	spin_unlock_irqrestore(&pa->lock, irq);
	return errors;
}
