/*
 * cpumask_test.c - host tests of the cpumask operations (include/pcpurt/cpumask.h,
 * kernel/cpumask.c): set/clear/test, first/next, weight, equal/and, for_each_cpu, and the
 * range printing ("0-3,8", "0", "") with its snprintf-style truncation, at the edges of the
 * 512-bit mask (bits 0, 63/64, 511) and against a plain bool-array model on random masks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcpurt/cpumask.h>
#include "test_util.h"

/* The printed form of @m in a buffer big enough for any mask. */
static const char *print(const struct cpumask *m)
{
	static char buf[4096];
	int n = cpumask_print(buf, sizeof(buf), m);

	EXPECT_EQ(n, strlen(buf));
	return buf;
}

static void mask_of(struct cpumask *m, const unsigned int *cpus, int n)
{
	int i;

	cpumask_clear(m);
	for (i = 0; i < n; i++)
		cpumask_set_cpu(cpus[i], m);
}

static void test_basic(void)
{
	struct cpumask m;
	unsigned int cpu;

	memset(&m, 0xa5, sizeof(m));
	cpumask_clear(&m);
	EXPECT_EQ(cpumask_weight(&m), 0);
	EXPECT_EQ(cpumask_first(&m), NR_CPUS);
	EXPECT_EQ(cpumask_next(-1, &m), NR_CPUS);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		EXPECT(!cpumask_test_cpu(cpu, &m));

	cpumask_set_cpu(5, &m);
	EXPECT(cpumask_test_cpu(5, &m));
	EXPECT(!cpumask_test_cpu(4, &m));
	EXPECT(!cpumask_test_cpu(6, &m));
	EXPECT_EQ(cpumask_weight(&m), 1);
	cpumask_set_cpu(5, &m);			/* setting twice is setting once */
	EXPECT_EQ(cpumask_weight(&m), 1);
	EXPECT_EQ(cpumask_first(&m), 5);
	EXPECT_EQ(cpumask_next(-1, &m), 5);
	EXPECT_EQ(cpumask_next(4, &m), 5);
	EXPECT_EQ(cpumask_next(5, &m), NR_CPUS);
	cpumask_clear_cpu(5, &m);
	EXPECT(!cpumask_test_cpu(5, &m));
	EXPECT_EQ(cpumask_weight(&m), 0);
	cpumask_clear_cpu(5, &m);		/* clearing a clear bit changes nothing */
	EXPECT_EQ(cpumask_weight(&m), 0);

	/* a CPU number beyond the mask is never set */
	EXPECT(!cpumask_test_cpu(NR_CPUS, &m));
	EXPECT(!cpumask_test_cpu(NR_CPUS + 100, &m));
}

/* Bits 0, 63, 64, 127, 128, 510 and 511: word boundaries and the last bit. */
static void test_edges(void)
{
	static const unsigned int edge[] = { 0, 63, 64, 127, 128, 510, 511 };
	struct cpumask m, all, none;
	unsigned int i, cpu, n;

	EXPECT_EQ(NR_CPUS, 512);
	mask_of(&m, edge, ARRAY_SIZE(edge));
	EXPECT_EQ(cpumask_weight(&m), ARRAY_SIZE(edge));
	for (i = 0; i < ARRAY_SIZE(edge); i++) {
		EXPECT(cpumask_test_cpu(edge[i], &m));
		EXPECT_EQ(cpumask_next(i ? (int)edge[i - 1] : -1, &m), edge[i]);
		if (edge[i])			/* from just below the bit */
			EXPECT_EQ(cpumask_next(edge[i] - 1, &m), edge[i]);
	}
	EXPECT_EQ(cpumask_next(511, &m), NR_CPUS);
	EXPECT_EQ(cpumask_next(62, &m), 63);
	EXPECT_EQ(cpumask_next(65, &m), 127);
	EXPECT_EQ(cpumask_next(129, &m), 510);
	EXPECT_STR(print(&m), "0,63-64,127-128,510-511");

	cpumask_clear(&m);
	cpumask_set_cpu(511, &m);
	EXPECT_EQ(cpumask_first(&m), 511);
	EXPECT_EQ(cpumask_weight(&m), 1);
	EXPECT_STR(print(&m), "511");
	cpumask_clear_cpu(511, &m);
	EXPECT_EQ(cpumask_first(&m), NR_CPUS);

	/* every bit */
	cpumask_clear(&all);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		cpumask_set_cpu(cpu, &all);
	EXPECT_EQ(cpumask_weight(&all), 512);
	EXPECT_STR(print(&all), "0-511");
	n = 0;
	for_each_cpu(cpu, &all)
		EXPECT_EQ(cpu, n++);
	EXPECT_EQ(n, 512);
	cpumask_clear(&none);
	n = 0;
	for_each_cpu(cpu, &none)
		n++;
	EXPECT_EQ(n, 0);
	EXPECT_STR(print(&none), "");

	/* every other bit: 256 single CPUs */
	cpumask_clear(&m);
	for (cpu = 0; cpu < NR_CPUS; cpu += 2)
		cpumask_set_cpu(cpu, &m);
	EXPECT_EQ(cpumask_weight(&m), 256);
	n = 0;
	for_each_cpu(cpu, &m) {
		EXPECT_EQ(cpu, 2 * n);
		n++;
	}
	EXPECT_EQ(n, 256);
}

static void test_print(void)
{
	static const unsigned int a[] = { 0, 1, 2, 3, 8 }, b[] = { 0 }, c[] = { 1, 3, 5 };
	static const unsigned int d[] = { 4, 5, 6, 7, 9, 10, 100 };
	struct cpumask m;
	char small[8];
	int n;

	mask_of(&m, a, ARRAY_SIZE(a));
	EXPECT_STR(print(&m), "0-3,8");
	mask_of(&m, b, ARRAY_SIZE(b));
	EXPECT_STR(print(&m), "0");
	mask_of(&m, b, 0);
	EXPECT_STR(print(&m), "");
	mask_of(&m, c, ARRAY_SIZE(c));
	EXPECT_STR(print(&m), "1,3,5");
	mask_of(&m, d, ARRAY_SIZE(d));
	EXPECT_STR(print(&m), "4-7,9-10,100");

	/* truncation: what fits, terminated, and the full length returned */
	n = cpumask_print(small, sizeof(small), &m);
	EXPECT_EQ(n, strlen("4-7,9-10,100"));
	EXPECT_STR(small, "4-7,9-1");
	memset(small, 'x', sizeof(small));
	n = cpumask_print(small, 4, &m);
	EXPECT_EQ(n, 12);
	EXPECT_STR(small, "4-7");
	EXPECT_EQ(small[4], 'x');		/* nothing written past the size given */
	n = cpumask_print(small, 1, &m);
	EXPECT_EQ(n, 12);
	EXPECT_STR(small, "");
	memset(small, 'x', sizeof(small));
	n = cpumask_print(small, 0, &m);	/* size 0: nothing written at all */
	EXPECT_EQ(n, 12);
	EXPECT_EQ(small[0], 'x');
}

/*
 * cpumask_print(NULL, 0, m), snprintf's way of asking for the length, must only measure
 * (it once computed NULL + 0, which UBSan rejects).
 */
static void test_print_null(void)
{
	static const unsigned int d[] = { 4, 5, 6, 7, 9, 10, 100 };
	struct cpumask m;

	mask_of(&m, d, ARRAY_SIZE(d));
	EXPECT_EQ(cpumask_print(NULL, 0, &m), 12);
}

static void test_equal_and(void)
{
	static const unsigned int a[] = { 0, 1, 2, 3, 64, 200, 511 }, b[] = { 2, 3, 4, 64, 511 };
	struct cpumask ma, mb, r, want;
	static const unsigned int both[] = { 2, 3, 64, 511 };

	mask_of(&ma, a, ARRAY_SIZE(a));
	mask_of(&mb, b, ARRAY_SIZE(b));
	mask_of(&want, both, ARRAY_SIZE(both));
	cpumask_and(&r, &ma, &mb);
	EXPECT(cpumask_equal(&r, &want));
	EXPECT_STR(print(&r), "2-3,64,511");
	EXPECT(!cpumask_equal(&ma, &mb));
	EXPECT(cpumask_equal(&ma, &ma));
	cpumask_clear_cpu(511, &want);
	EXPECT(!cpumask_equal(&r, &want));
	/* dst may be a source */
	cpumask_and(&ma, &ma, &mb);
	EXPECT(cpumask_equal(&ma, &r));
}

/* The global masks and the helpers over them. */
static void test_globals(void)
{
	unsigned int cpu, n = 0;

	cpumask_clear(&cpu_possible_mask);
	cpumask_clear(&cpu_online_mask);
	for (cpu = 0; cpu < 6; cpu++)
		cpumask_set_cpu(cpu, &cpu_possible_mask);
	cpumask_set_cpu(0, &cpu_online_mask);
	cpumask_set_cpu(4, &cpu_online_mask);
	EXPECT_EQ(num_possible_cpus(), 6);
	EXPECT_EQ(num_online_cpus(), 2);
	EXPECT(cpu_online(4));
	EXPECT(!cpu_online(3));
	EXPECT(cpu_possible(5));
	EXPECT(!cpu_possible(6));
	for_each_possible_cpu(cpu)
		n++;
	EXPECT_EQ(n, 6);
}

/* Random masks against a bool array. */
static void test_random(void)
{
	static bool model[NR_CPUS];
	struct cpumask m;
	char want[4096], got[4096];
	unsigned int round, i, cpu, weight, next;

	srand(12345);
	for (round = 0; round < 300; round++) {
		int density = rand() % 100;
		size_t len = 0;

		cpumask_clear(&m);
		weight = 0;
		for (cpu = 0; cpu < NR_CPUS; cpu++) {
			model[cpu] = rand() % 100 < density;
			if (model[cpu]) {
				cpumask_set_cpu(cpu, &m);
				weight++;
			}
		}
		/* a few clears on top */
		for (i = 0; i < 20; i++) {
			cpu = rand() % NR_CPUS;
			cpumask_clear_cpu(cpu, &m);
			weight -= model[cpu];
			model[cpu] = false;
		}
		EXPECT_EQ(cpumask_weight(&m), weight);
		for (cpu = 0; cpu < NR_CPUS; cpu++)
			EXPECT_EQ(cpumask_test_cpu(cpu, &m), model[cpu]);
		for (i = 0; i < 50; i++) {
			int from = (int)(rand() % (NR_CPUS + 1)) - 1;

			for (next = from + 1; next < NR_CPUS && !model[next]; next++)
				;
			EXPECT_EQ(cpumask_next(from, &m), next);
		}
		want[0] = '\0';
		for (cpu = 0; cpu < NR_CPUS; cpu++) {
			unsigned int last = cpu;

			if (!model[cpu])
				continue;
			while (last + 1 < NR_CPUS && model[last + 1])
				last++;
			if (last == cpu)
				len += sprintf(want + len, "%s%u", len ? "," : "", cpu);
			else
				len += sprintf(want + len, "%s%u-%u", len ? "," : "", cpu, last);
			cpu = last;
		}
		EXPECT_EQ(cpumask_print(got, sizeof(got), &m), len);
		EXPECT_STR(got, want);
		if (failures)
			return;
	}
}

int main(void)
{
	test_basic();
	test_edges();
	test_print();
	test_equal_and();
	test_globals();
	test_random();
	test_print_null();
	if (failures) {
		fprintf(stderr, "cpumask_test: %d failures\n", failures);
		return 1;
	}
	printf("cpumask_test: all passed\n");
	return 0;
}
