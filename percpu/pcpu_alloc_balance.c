/*
 * pcpu_alloc_balance.c - balancing of the per-CPU allocator, run outside the allocation fast
 * path (pcpu_allocator_balance(), when pcpu_allocator_balance_needed() says so): releases
 * fully free chunks beyond one, then keeps the empty populated pages of dynamic chunks
 * between the low and high watermarks by depopulating or populating pages (creating a chunk
 * when no chunk has pages left to populate). After an atomic request failed for lack of
 * populated pages, it populates `high` more pages whatever the count (Linux does the same).
 */
#include "pcpu_alloc_internal.h"

bool pcpu_allocator_balance_needed(struct pcpu_allocator *pa)
{
	return READ_ONCE(pa->balance_pending);
}

/* Destroys all fully free created chunks but one (the first chunk counts as that one). */
static void release_free_chunks(struct pcpu_allocator *pa)
{
	struct pcpu_list *head = &pa->slots[pa->nr_slots - 1], *pos, *next;
	bool kept = pa->first_chunk && !pa->first_chunk->nr_alloc;

	for (pos = head->next; pos != head; pos = next) {
		struct pcpu_chunk *chunk = pcpu_chunk_of(pos);

		next = pos->next;
		if (chunk->immutable)
			continue;
		if (!kept) {
			kept = true;
			continue;
		}
		pcpu_chunk_destroy(pa, chunk);
	}
}

/* Gives back empty populated pages, fullest chunks' last, until at most `high` remain. */
static void depopulate_extra(struct pcpu_allocator *pa)
{
	unsigned int high = pa->cfg.empty_pages_high, i, p;

	for (i = pa->nr_by_addr; i-- > 0 && pa->nr_empty_pop_pages > high;) {
		struct pcpu_chunk *chunk = pa->by_addr[i];

		for (p = chunk->nr_pages; p-- > 0 && pa->nr_empty_pop_pages > high;)
			if (pcpu_page_populated(chunk, p) && pa->ops->page_free(chunk, p))
				pcpu_chunk_depopulate(pa, chunk, p, p + 1);
	}
}

/* Populates free pages until `high` empty populated pages exist; 0, or -1 if stuck. */
static int populate_to(struct pcpu_allocator *pa, unsigned int high)
{
	unsigned int i, p;

	for (i = 0; i < pa->nr_by_addr && pa->nr_empty_pop_pages < high; i++) {
		struct pcpu_chunk *chunk = pa->by_addr[i];

		for (p = 0; p < chunk->nr_pages && pa->nr_empty_pop_pages < high; p++)
			if (!pcpu_page_populated(chunk, p) && pa->ops->page_free(chunk, p) &&
			    pcpu_chunk_populate(pa, chunk, p, p + 1))
				return -1;
	}
	return pa->nr_empty_pop_pages < high ? -1 : 0;
}

void pcpu_allocator_balance(struct pcpu_allocator *pa)
{
	unsigned int low = pa->cfg.empty_pages_low, high = pa->cfg.empty_pages_high;
	unsigned long irq;

	if (!pa->ready)
		return;
	irq = spin_lock_irqsave(&pa->lock);
	pa->balance_pending = false;
	pa->nr_balance_runs++;
	release_free_chunks(pa);
	if (pa->atomic_failed) {
		/* the empty pages there are did not serve: bring `high` more */
		pa->atomic_failed = false;
		low = high = pa->nr_empty_pop_pages + high;
	} else if (pa->cfg.backend->depopulate && pa->nr_empty_pop_pages > high) {
		depopulate_extra(pa);
	}
	if (pa->nr_empty_pop_pages < low && populate_to(pa, high) &&
	    pa->nr_empty_pop_pages < low) {
		/* nothing left to populate: a new chunk brings free pages */
		if (pcpu_chunk_create(pa))
			populate_to(pa, high);
	}
	spin_unlock_irqrestore(&pa->lock, irq);
}
