/*
 * percpu_alloc_backend.h - a malloc-based chunk backend for host tests of the per-CPU
 * allocator: "km" mode (chunks populated at creation) or "vm" mode (pages populated on
 * demand, unpopulated pages poisoned for AddressSanitizer), injectable failures for chunk
 * creation, population and metadata, and counters and page state for tests to inspect.
 */
#ifndef PERCPU_ALLOC_BACKEND_H
#define PERCPU_ALLOC_BACKEND_H

#include <pcpurt/percpu_alloc.h>

#define TB_MAX_CPUS   16
#define TB_MAX_CHUNKS 4096

struct tb_chunk {
	uintptr_t base;
	void *mem;
	size_t span;
	unsigned char *pop; /* per unit page */
};

struct test_backend {
	struct pcpu_backend be;
	struct pcpu_layout layout;
	unsigned long unit_off[TB_MAX_CPUS];
	bool vm;
	/* failure injection: fail the n-th next call (1 = the next one); 0 = never */
	long fail_create_in, fail_populate_in, fail_meta_in;
	long max_chunks; /* refuse to create more than this many (0 = no limit) */
	/* counters */
	long nr_live_chunks, nr_creates, nr_destroys, nr_populates, nr_depopulates;
	long meta_live_bytes;
	struct tb_chunk chunks[TB_MAX_CHUNKS];
	/* first chunk */
	void *first_mem;
	uintptr_t first_base;
};

/* Sets up layout (nr_cpus units, unit_size, optional gap after half the units) and backend. */
void tb_init(struct test_backend *tb, unsigned int nr_cpus, size_t unit_size, bool vm, bool gap);
/* Allocates the first chunk memory and fills a config for it. */
void tb_config(struct test_backend *tb, struct pcpu_config *cfg, enum pcpu_allocator_kind kind,
	       size_t static_size, size_t reserved_size);
void tb_fini(struct test_backend *tb);
struct tb_chunk *tb_find(struct test_backend *tb, uintptr_t base);
/* Is unit page `page` of the chunk holding addr populated (first chunk: always)? */
bool tb_addr_populated(struct test_backend *tb, struct pcpu_allocator *pa, const void *handle,
		       size_t size);

#endif
