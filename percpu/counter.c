/*
 * counter.c - batched per-CPU counters (percpu_counter) built on the dynamic allocator.
 * Every live counter is on one list, so that a CPU's death can fold its local counts into
 * the shared ones (percpu_counter_cpu_dead(), Linux's percpu_counter_cpu_dead()).
 */
#include <pcpurt/percpu_alloc_counter.h>

static DEFINE_SPINLOCK(counters_lock);
static struct percpu_counter *counters;	/* every initialised counter */

int percpu_counter_init(struct percpu_counter *fbc, struct pcpu_allocator *pa, int64_t amount,
			int32_t batch)
{
	unsigned long irq;

	spin_lock_init(&fbc->lock);
	fbc->count = amount;
	fbc->batch = batch > 0 ? batch : PERCPU_COUNTER_DEFAULT_BATCH;
	fbc->pa = pa;
	fbc->counters = pcpu_allocator_alloc(pa, sizeof(int32_t), sizeof(int32_t), 0);
	if (!fbc->counters)
		return -1;
	irq = spin_lock_irqsave(&counters_lock);
	fbc->next = counters;
	counters = fbc;
	spin_unlock_irqrestore(&counters_lock, irq);
	return 0;
}

void percpu_counter_destroy(struct percpu_counter *fbc)
{
	unsigned long irq = spin_lock_irqsave(&counters_lock);
	struct percpu_counter **p;

	for (p = &counters; *p; p = &(*p)->next)
		if (*p == fbc) {
			*p = fbc->next;
			break;
		}
	spin_unlock_irqrestore(&counters_lock, irq);
	pcpu_allocator_free(fbc->pa, fbc->counters);
	fbc->counters = NULL;
}

static inline int32_t *slot(struct percpu_counter *fbc, unsigned int cpu)
{
	return pcpu_allocator_ptr(fbc->pa, fbc->counters, cpu);
}

void percpu_counter_add_cpu(struct percpu_counter *fbc, int64_t amount, unsigned int cpu)
{
	unsigned long irq = arch_local_irq_save();
	int32_t *p = slot(fbc, cpu);
	int64_t n = READ_ONCE(*p) + amount;

	if (n >= fbc->batch || n <= -fbc->batch) {
		spin_lock(&fbc->lock);
		fbc->count += n;
		WRITE_ONCE(*p, 0);
		spin_unlock(&fbc->lock);
	} else {
		WRITE_ONCE(*p, (int32_t)n);
	}
	arch_local_irq_restore(irq);
}

void percpu_counter_add(struct percpu_counter *fbc, int64_t amount)
{
	struct pcpu_allocator *pa = fbc->pa;

	percpu_counter_add_cpu(fbc, amount, pa->cfg.this_cpu ? pa->cfg.this_cpu() : 0);
}

void percpu_counter_set(struct percpu_counter *fbc, int64_t amount)
{
	unsigned long irq = spin_lock_irqsave(&fbc->lock);
	unsigned int c;

	for (c = 0; c < fbc->pa->layout.nr_cpus; c++)
		WRITE_ONCE(*slot(fbc, c), 0);
	fbc->count = amount;
	spin_unlock_irqrestore(&fbc->lock, irq);
}

/* Every counter's slot of @cpu (a CPU that just died) added to its shared count. */
void percpu_counter_cpu_dead(unsigned int cpu)
{
	unsigned long irq = spin_lock_irqsave(&counters_lock);
	struct percpu_counter *fbc;

	for (fbc = counters; fbc; fbc = fbc->next) {
		unsigned long c = spin_lock_irqsave(&fbc->lock);

		if (cpu < fbc->pa->layout.nr_cpus) {
			fbc->count += READ_ONCE(*slot(fbc, cpu));
			WRITE_ONCE(*slot(fbc, cpu), 0);
		}
		spin_unlock_irqrestore(&fbc->lock, c);
	}
	spin_unlock_irqrestore(&counters_lock, irq);
}

int64_t percpu_counter_read(struct percpu_counter *fbc)
{
	return READ_ONCE(fbc->count);
}

int64_t percpu_counter_read_positive(struct percpu_counter *fbc)
{
	int64_t v = READ_ONCE(fbc->count);

	return v < 0 ? 0 : v;
}

int64_t percpu_counter_sum(struct percpu_counter *fbc)
{
	unsigned long irq = spin_lock_irqsave(&fbc->lock);
	int64_t v = fbc->count;
	unsigned int c;

	for (c = 0; c < fbc->pa->layout.nr_cpus; c++)
		v += READ_ONCE(*slot(fbc, c));
	spin_unlock_irqrestore(&fbc->lock, irq);
	return v;
}
