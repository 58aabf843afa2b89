/* cpumask.c - the global CPU masks and the cpumask operations that are not inline. */
#include <pcpurt/cpumask.h>
#include <stdio.h>

struct cpumask cpu_possible_mask, cpu_present_mask, cpu_online_mask;
unsigned int nr_cpu_ids = 1;

void cpumask_clear(struct cpumask *m)
{
	int i;

	for (i = 0; i < CPUMASK_LONGS; i++)
		m->bits[i] = 0;
}

unsigned int cpumask_next(int cpu, const struct cpumask *m)
{
	unsigned int c = cpu + 1;

	while (c < NR_CPUS) {
		unsigned long w = __atomic_load_n(&m->bits[c / BITS_PER_LONG], __ATOMIC_RELAXED);

		w >>= c % BITS_PER_LONG;
		if (w)
			return c + __builtin_ctzl(w);
		c = (c / BITS_PER_LONG + 1) * BITS_PER_LONG;
	}
	return NR_CPUS;
}

unsigned int cpumask_first(const struct cpumask *m)
{
	return cpumask_next(-1, m);
}

unsigned int cpumask_weight(const struct cpumask *m)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < CPUMASK_LONGS; i++)
		n += __builtin_popcountl(__atomic_load_n(&m->bits[i], __ATOMIC_RELAXED));
	return n;
}

bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	int i;

	for (i = 0; i < CPUMASK_LONGS; i++)
		if (a->bits[i] != b->bits[i])
			return false;
	return true;
}

void cpumask_and(struct cpumask *dst, const struct cpumask *a, const struct cpumask *b)
{
	int i;

	for (i = 0; i < CPUMASK_LONGS; i++)
		dst->bits[i] = a->bits[i] & b->bits[i];
}

int cpumask_print(char *buf, size_t size, const struct cpumask *m)
{
	unsigned int cpu = cpumask_first(m);
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	while (cpu < NR_CPUS) {
		unsigned int last = cpu;
		size_t at = MIN(len, size);

		while (last + 1 < NR_CPUS && cpumask_test_cpu(last + 1, m))
			last++;
		/* with no room left, snprintf(NULL, 0) only measures */
		if (last == cpu)
			len += snprintf(at < size ? buf + at : NULL, size - at, "%s%u",
					len ? "," : "", cpu);
		else
			len += snprintf(at < size ? buf + at : NULL, size - at, "%s%u-%u",
					len ? "," : "", cpu, last);
		cpu = cpumask_next(last, m);
	}
	return (int)len;
}
