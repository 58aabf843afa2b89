/*
 * cpumask.h - sets of CPUs as bitmaps of NR_CPUS bits, as in the kernel: the possible,
 * present and online masks and the operations on them. Pure C (kernel/cpumask.c), also
 * built on the host.
 */
#ifndef PCPURT_CPUMASK_H
#define PCPURT_CPUMASK_H

#include <pcpurt/compiler.h>

#ifndef NR_CPUS
#define NR_CPUS		512
#endif
#define BITS_PER_LONG	(8 * (int)sizeof(unsigned long))
#define CPUMASK_LONGS	((NR_CPUS + BITS_PER_LONG - 1) / BITS_PER_LONG)

struct cpumask {
	unsigned long bits[CPUMASK_LONGS];
};

extern struct cpumask cpu_possible_mask, cpu_present_mask, cpu_online_mask;
extern unsigned int nr_cpu_ids;	/* highest possible CPU + 1 */

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_or(&m->bits[cpu / BITS_PER_LONG], 1UL << (cpu % BITS_PER_LONG),
			  __ATOMIC_RELAXED);
}

static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_and(&m->bits[cpu / BITS_PER_LONG], ~(1UL << (cpu % BITS_PER_LONG)),
			   __ATOMIC_RELAXED);
}

static inline bool cpumask_test_cpu(unsigned int cpu, const struct cpumask *m)
{
	return cpu < NR_CPUS &&
	       ((__atomic_load_n(&m->bits[cpu / BITS_PER_LONG], __ATOMIC_RELAXED) >>
		 (cpu % BITS_PER_LONG)) & 1);
}

void cpumask_clear(struct cpumask *m);
/* cpumask_next() - first set CPU after @cpu (-1 to start), or NR_CPUS when none. */
unsigned int cpumask_next(int cpu, const struct cpumask *m);
unsigned int cpumask_first(const struct cpumask *m);
unsigned int cpumask_weight(const struct cpumask *m);
bool cpumask_equal(const struct cpumask *a, const struct cpumask *b);
void cpumask_and(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b);
/* cpumask_print() - ranges like "0-3,8" into @buf; returns what snprintf would. */
int cpumask_print(char *buf, size_t size, const struct cpumask *m);

#define for_each_cpu(cpu, mask)							\
	for ((cpu) = cpumask_next(-1, (mask)); (cpu) < NR_CPUS;			\
	     (cpu) = cpumask_next((cpu), (mask)))
#define for_each_possible_cpu(cpu) for_each_cpu((cpu), &cpu_possible_mask)
#define for_each_present_cpu(cpu)  for_each_cpu((cpu), &cpu_present_mask)
#define for_each_online_cpu(cpu)   for_each_cpu((cpu), &cpu_online_mask)

static inline unsigned int num_possible_cpus(void)
{
	return cpumask_weight(&cpu_possible_mask);
}

static inline unsigned int num_online_cpus(void)
{
	return cpumask_weight(&cpu_online_mask);
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, &cpu_online_mask);
}

static inline bool cpu_possible(unsigned int cpu)
{
	return cpumask_test_cpu(cpu, &cpu_possible_mask);
}

#endif
