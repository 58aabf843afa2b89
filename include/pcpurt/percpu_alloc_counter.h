/*
 * percpu_alloc_counter.h - batched per-CPU counters on the dynamic per-CPU allocator.
 *
 * Each CPU adds into its own 32-bit slot; when a slot's magnitude reaches the batch it is
 * folded into the shared 64-bit count under the counter's lock. read() is the shared count
 * alone (off by less than batch per CPU), sum() adds every CPU's slot (exact when quiet).
 */
#ifndef PCPURT_PERCPU_ALLOC_COUNTER_H
#define PCPURT_PERCPU_ALLOC_COUNTER_H

#include <pcpurt/percpu_alloc.h>

#define PERCPU_COUNTER_DEFAULT_BATCH 32

struct percpu_counter {
	spinlock_t lock;
	int64_t count;
	int32_t batch;
	int32_t *counters; /* per-CPU handle */
	struct pcpu_allocator *pa;
	struct percpu_counter *next;	/* on the list of live counters */
};

/* 0, or -1 if the per-CPU slots cannot be allocated. batch <= 0 picks the default. */
int percpu_counter_init(struct percpu_counter *fbc, struct pcpu_allocator *pa, int64_t amount,
			int32_t batch);
void percpu_counter_destroy(struct percpu_counter *fbc);
/* Adds on CPU cpu's slot; the caller is running on cpu (interrupts are masked inside). */
void percpu_counter_add_cpu(struct percpu_counter *fbc, int64_t amount, unsigned int cpu);
/* Adds on the current CPU (the allocator's this_cpu callback). */
void percpu_counter_add(struct percpu_counter *fbc, int64_t amount);
void percpu_counter_set(struct percpu_counter *fbc, int64_t amount);
int64_t percpu_counter_read(struct percpu_counter *fbc);
int64_t percpu_counter_read_positive(struct percpu_counter *fbc);
int64_t percpu_counter_sum(struct percpu_counter *fbc);
/* percpu_counter_cpu_dead() - fold @cpu's slot of every counter into its shared count. */
void percpu_counter_cpu_dead(unsigned int cpu);

static inline void percpu_counter_inc(struct percpu_counter *fbc)
{
	percpu_counter_add(fbc, 1);
}

static inline void percpu_counter_dec(struct percpu_counter *fbc)
{
	percpu_counter_add(fbc, -1);
}

#endif
