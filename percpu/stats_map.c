/*
 * stats_map.c - the occupancy map of each chunk (populated pages, bytes in use per page,
 * free runs) for run=percpu-stats and tools/percpu-chunks-svg.py. Read-only: it asks the
 * allocator kind where allocations are (ops->find) and reads the populated bitmap.
 */
#include <stdio.h>
#include "pcpu_alloc_internal.h"

/* Count [a, b) as allocated on the pages it covers. */
static void map_used(struct pcpu_chunk_map *m, unsigned int a, unsigned int b)
{
	while (a < b) {
		unsigned int page = a / PCPU_PAGE_SIZE;
		unsigned int stop = (page + 1) * PCPU_PAGE_SIZE;

		if (stop > b)
			stop = b;
		if (page - m->first_page < PCPU_MAP_MAX_PAGES)
			m->used[page - m->first_page] += stop - a;
		a = stop;
	}
}

static void map_run(struct pcpu_chunk_map *m, unsigned int off, unsigned int len)
{
	if (m->nr_runs < PCPU_MAP_MAX_RUNS) {
		m->run_off[m->nr_runs] = off;
		m->run_len[m->nr_runs] = len;
	}
	m->nr_runs++;
}

/*
 * Walk [start, end) in allocation steps: an allocation found at off is counted and
 * skipped whole; a free stretch is stepped over granule by granule until the next
 * allocation. Allocations reaching outside [start, end) (hidden areas) count only inside.
 */
static void fill_map(struct pcpu_allocator *pa, struct pcpu_chunk *chunk, struct pcpu_chunk_map *m)
{
	unsigned int off, s, sz, p, run = 0;
	bool in_run = false;

	*m = (struct pcpu_chunk_map){.base = chunk->base,
				     .reserved = chunk->reserved,
				     .first = chunk == pa->first_chunk,
				     .start = chunk->start_off,
				     .end = chunk->end_off,
				     .nr_alloc = chunk->nr_alloc};
	m->first_page = chunk->start_off / PCPU_PAGE_SIZE;
	m->nr_pages = (ALIGN_UP(chunk->end_off, PCPU_PAGE_SIZE) / PCPU_PAGE_SIZE) - m->first_page;
	for (p = 0; p < m->nr_pages && p < PCPU_MAP_MAX_PAGES; p++)
		m->populated[p] = m->first_page + p < chunk->nr_pages &&
				  pcpu_page_populated(chunk, m->first_page + p);
	for (off = chunk->start_off; off < chunk->end_off;) {
		if (pa->ops->find(chunk, off, &s, &sz) == 0 && s + sz > off) {
			unsigned int b = s + sz < chunk->end_off ? s + sz : chunk->end_off;

			if (in_run)
				map_run(m, run, off - run);
			in_run = false;
			map_used(m, off, b);
			off = b;
			continue;
		}
		if (!in_run)
			run = off;
		in_run = true;
		off += PCPU_MIN_ALLOC_SIZE;
	}
	if (in_run)
		map_run(m, run, chunk->end_off - run);
}

/* Chunk @index in pcpu_allocator_chunk_stats() order, or NULL (lock held). */
static struct pcpu_chunk *chunk_at(struct pcpu_allocator *pa, unsigned int index)
{
	if (pa->reserved_chunk && !index--)
		return pa->reserved_chunk;
	if (pa->first_chunk && !index--)
		return pa->first_chunk;
	return index < pa->nr_by_addr ? pa->by_addr[index] : NULL;
}

int pcpu_allocator_chunk_map(struct pcpu_allocator *pa, unsigned int index,
			     struct pcpu_chunk_map *map)
{
	struct pcpu_chunk *chunk;
	unsigned long irq;

	if (!pa->ready)
		return -1;
	irq = spin_lock_irqsave(&pa->lock);
	chunk = chunk_at(pa, index);
	if (chunk)
		fill_map(pa, chunk, map);
	spin_unlock_irqrestore(&pa->lock, irq);
	return chunk ? 0 : -1;
}

static const char *chunk_kind(const struct pcpu_chunk_map *m)
{
	return m->reserved ? "reserved" : m->first ? "first" : "dynamic";
}

/* One chunk's lines; @m filled. */
static void print_map(unsigned int i, const struct pcpu_chunk_map *m)
{
	unsigned int p, r, n = m->nr_pages < PCPU_MAP_MAX_PAGES ? m->nr_pages : PCPU_MAP_MAX_PAGES;
	unsigned int nr = m->nr_runs < PCPU_MAP_MAX_RUNS ? m->nr_runs : PCPU_MAP_MAX_RUNS;
	char line[100];
	int len = 0;

	printk("percpu-stats: chunk %u %s base %#lx range %u-%u pages %u+%u live %u\n", i,
	       chunk_kind(m), (unsigned long)m->base, m->start, m->end, m->first_page, m->nr_pages,
	       m->nr_alloc);
	for (p = 0; p < n; p++) {
		if (p % 8 == 0)
			len = snprintf(line, sizeof(line), "chunk %u pages %u:", i,
				       m->first_page + p);
		len += snprintf(line + len, sizeof(line) - len, " %c%u",
				m->populated[p] ? 'P' : '.', m->used[p]);
		if (p % 8 == 7 || p + 1 == n)
			printk("percpu-stats: %s\n", line);
	}
	for (r = 0; r < nr; r++) {
		if (r % 6 == 0)
			len = snprintf(line, sizeof(line), "chunk %u free", i);
		len += snprintf(line + len, sizeof(line) - len, " %u+%u", m->run_off[r],
				m->run_len[r]);
		if (r % 6 == 5 || r + 1 == nr)
			printk("percpu-stats: %s\n", line);
	}
	printk("percpu-stats: chunk %u end runs %u%s\n", i, m->nr_runs,
	       m->nr_runs > nr || m->nr_pages > n ? " (cut short)" : "");
}

void pcpu_allocator_print_chunk_maps(struct pcpu_allocator *pa)
{
	static struct pcpu_chunk_map map;
	struct pcpu_stats st;
	unsigned int i, nr;

	pcpu_allocator_stats(pa, &st);
	if (!st.allocator)
		return;
	nr = st.nr_chunks + (pa->reserved_chunk ? 1 : 0);
	printk("percpu-stats: map unit %zu page %lu chunks %u\n", st.unit_size,
	       (unsigned long)PCPU_PAGE_SIZE, nr);
	for (i = 0; pcpu_allocator_chunk_map(pa, i, &map) == 0; i++)
		print_map(i, &map);
}
