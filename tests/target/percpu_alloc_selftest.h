/*
 * percpu_alloc_selftest.h - checks of the per-CPU allocator that run on a live system as well
 * as in host tests: the misuse check behind run=percpu-misuse and one CPU's share of the
 * concurrent stress behind run=percpu-stress. Pure C, no memory of their own beyond what
 * the caller passes.
 */
#ifndef PCPURT_PERCPU_ALLOC_SELFTEST_H
#define PCPURT_PERCPU_ALLOC_SELFTEST_H

#include <pcpurt/percpu_alloc.h>

/*
 * Tries every misuse on pa: bad sizes and alignments (must give NULL), free_percpu(NULL),
 * and frees of a pointer inside an allocation, a freed one, a static per-CPU address, a
 * CPU's copy instead of the handle and `foreign` (memory that is not per-CPU). After each,
 * live allocations must be intact and the statistics unchanged but for the refusal counts.
 * Returns the number of failed checks (0: pass); each failure is printed.
 */
unsigned int pcpu_selftest_misuse(struct pcpu_allocator *pa, const void *foreign);

struct pcpu_stress_slot {
	void *ptr;
	uint32_t size;
	uint32_t id;
};

struct pcpu_stress_stats {
	uint64_t allocs;
	uint64_t frees;
	uint64_t failed;	 /* allocations that returned NULL */
	uint64_t zero_errors;	 /* new memory not zero in some CPU's copy */
	uint64_t pattern_errors; /* a pattern changed before its free */
};

/*
 * One CPU's share of the stress: `iterations` random allocations (sizes up to 4 KiB, some up
 * to 32 KiB, alignments up to 4 KiB) and frees, keeping at most max_live allocations in
 * slots[]. Each new allocation must be zero in every CPU's copy; it then gets a pattern
 * unique to (allocation, CPU) in every copy, checked again before it is freed. Everything is
 * freed at the end. Adds to *st; returns 0 if no error was seen.
 */
int pcpu_stress_run(struct pcpu_allocator *pa, unsigned int cpu, uint64_t seed,
		    unsigned long iterations, struct pcpu_stress_slot *slots, unsigned int max_live,
		    struct pcpu_stress_stats *st);

#endif
