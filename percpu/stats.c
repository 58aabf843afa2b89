/*
 * stats.c - statistics of the per-CPU allocator: a snapshot as structs, and a printout
 * (the run=percpu-stats workload prints this).
 */
#include "pcpu_alloc_internal.h"

void pcpu_allocator_stats(struct pcpu_allocator *pa, struct pcpu_stats *st)
{
	unsigned long irq;
	unsigned int i;

	*st = (struct pcpu_stats){0};
	if (!pa->ready)
		return;
	irq = spin_lock_irqsave(&pa->lock);
	st->allocator = pa->ops->name;
	st->nr_alloc = pa->nr_alloc_total;
	st->nr_dealloc = pa->nr_free_total;
	st->nr_cur_alloc = pa->nr_cur_alloc;
	st->nr_max_alloc = pa->nr_max_alloc;
	st->nr_failed = pa->nr_failed;
	st->nr_bad_free = pa->nr_bad_free;
	st->nr_bad_args = pa->nr_bad_args;
	st->nr_balance_runs = pa->nr_balance_runs;
	st->nr_slow_fits = pa->nr_slow_fits;
	st->nr_chunks = pa->nr_chunks;
	st->nr_max_chunks = pa->nr_max_chunks;
	st->unit_size = pa->layout.unit_size;
	st->min_alloc_size = pa->min_alloc_size;
	st->max_alloc_size = pa->max_alloc_size;
	st->empty_pop_pages = pa->nr_empty_pop_pages;
	st->meta_bytes = pa->meta_bytes;
	if (pa->reserved_chunk)
		st->reserved_free_bytes = pa->reserved_chunk->free_bytes;
	if (pa->first_chunk) {
		st->free_bytes += pa->first_chunk->free_bytes;
		st->populated_pages += pa->first_chunk->nr_populated;
	}
	for (i = 0; i < pa->nr_by_addr; i++) {
		st->free_bytes += pa->by_addr[i]->free_bytes;
		st->populated_pages += pa->by_addr[i]->nr_populated;
	}
	spin_unlock_irqrestore(&pa->lock, irq);
}

static void fill_chunk(struct pcpu_allocator *pa, const struct pcpu_chunk *chunk,
		       struct pcpu_chunk_stats *cs)
{
	cs->base = chunk->base;
	cs->reserved = chunk->reserved;
	cs->first = chunk == pa->first_chunk;
	cs->nr_alloc = chunk->nr_alloc;
	cs->free_bytes = chunk->free_bytes;
	cs->contig_bytes = chunk->contig_bytes;
	cs->nr_pages = (ALIGN_UP(chunk->end_off, PCPU_PAGE_SIZE) -
			ALIGN_DOWN(chunk->start_off, PCPU_PAGE_SIZE)) /
		       PCPU_PAGE_SIZE;
	cs->nr_populated = chunk->nr_populated;
	cs->empty_pop_pages = chunk->nr_empty_pop_pages;
	cs->meta_bytes = chunk->meta_size;
}

unsigned int pcpu_allocator_chunk_stats(struct pcpu_allocator *pa, struct pcpu_chunk_stats *out,
					unsigned int max)
{
	unsigned int n = 0, i;
	unsigned long irq;

	if (!pa->ready)
		return 0;
	irq = spin_lock_irqsave(&pa->lock);
	if (pa->reserved_chunk && n < max)
		fill_chunk(pa, pa->reserved_chunk, &out[n++]);
	if (pa->first_chunk && n < max)
		fill_chunk(pa, pa->first_chunk, &out[n++]);
	for (i = 0; i < pa->nr_by_addr && n < max; i++)
		fill_chunk(pa, pa->by_addr[i], &out[n++]);
	spin_unlock_irqrestore(&pa->lock, irq);
	return n;
}

void pcpu_allocator_print_stats(struct pcpu_allocator *pa)
{
	struct pcpu_chunk_stats cs[16];
	struct pcpu_stats st;
	unsigned int n, i;

	pcpu_allocator_stats(pa, &st);
	if (!st.allocator) {
		pr_info("percpu: allocator not set up\n");
		return;
	}
	pr_info("percpu stats (%s allocator, unit %zu bytes):\n", st.allocator, st.unit_size);
	pr_info("  allocations %llu, frees %llu, live %llu (peak %llu), failed %llu\n",
		(unsigned long long)st.nr_alloc, (unsigned long long)st.nr_dealloc,
		(unsigned long long)st.nr_cur_alloc, (unsigned long long)st.nr_max_alloc,
		(unsigned long long)st.nr_failed);
	pr_info("  refused: %llu bad frees, %llu bad sizes/alignments; balance runs %llu, "
		"slow-path fits %llu\n",
		(unsigned long long)st.nr_bad_free, (unsigned long long)st.nr_bad_args,
		(unsigned long long)st.nr_balance_runs, (unsigned long long)st.nr_slow_fits);
	pr_info("  chunks %u (peak %u), sizes asked %zu..%zu bytes\n", st.nr_chunks,
		st.nr_max_chunks, st.min_alloc_size, st.max_alloc_size);
	pr_info("  free %zu bytes per unit (reserved %zu), populated pages %u, empty %u\n",
		st.free_bytes, st.reserved_free_bytes, st.populated_pages, st.empty_pop_pages);
	pr_info("  metadata %zu bytes\n", st.meta_bytes);
	n = pcpu_allocator_chunk_stats(pa, cs, ARRAY_SIZE(cs));
	for (i = 0; i < n; i++)
		pr_info("  chunk %#lx%s: %u live, free %u, largest run %u, pages %u/%u "
			"populated, %u empty\n",
			(unsigned long)cs[i].base,
			cs[i].reserved ? " (reserved)"
			: cs[i].first  ? " (first)"
				       : "",
			cs[i].nr_alloc, cs[i].free_bytes, cs[i].contig_bytes, cs[i].nr_populated,
			cs[i].nr_pages, cs[i].empty_pop_pages);
	if (st.nr_chunks + (pa->reserved_chunk ? 1 : 0) > n)
		pr_info("  ... %u more chunks\n", st.nr_chunks + (pa->reserved_chunk ? 1 : 0) - n);
}
