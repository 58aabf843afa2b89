/*
 * percpu_layout_build_test.c - host tests of building a layout that cannot be built
 * (allocators that fail or misalign), of pcpu_alloc_alloc_info() and of the printers.
 * The terms of the working are explained in percpu_layout_test.h.
 */
#include "percpu_layout_test.h"


/* ---- cases ------------------------------------------------------------------------------- */

static void *failing_alloc(size_t size, void *ctx)
{
	return NULL;
}

static void *misaligned_alloc(size_t size, void *ctx)
{
	return arena + 4;
}

/* Arguments pcpu_build_alloc_info() refuses, and allocation failures. */
static void test_build_errors(void)
{
	static const unsigned long none;
	struct pcpu_topology t = topo_all(4, NULL);
	struct pcpu_alloc_info *ai = (void *)1;
	unsigned char small[1024] __aligned(16);
	struct pcpu_bump b = { .base = small, .size = sizeof(small) };

	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, failing_alloc, NULL, &ai),
		  -PCPU_ENOMEM);
	EXPECT(ai == NULL);
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, misaligned_alloc, NULL, &ai),
		  -PCPU_ENOMEM);
	/* the info needs a page: a 1 KiB buffer is too small */
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, pcpu_bump_alloc, &b, &ai),
		  -PCPU_ENOMEM);

	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 0, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 6000, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, NULL, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, NULL, NULL, &ai), -PCPU_EINVAL);
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, pcpu_bump_alloc, &bump, NULL),
		  -PCPU_EINVAL);
	EXPECT_EQ(pcpu_build_alloc_info(SIZE_MAX, 0, 0, 4096, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	t.nr_cpu_ids = 0;
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	t.nr_cpu_ids = PCPU_MAX_CPUS + 1;
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
	t.nr_cpu_ids = 4;
	t.possible = &none;
	EXPECT_EQ(pcpu_build_alloc_info(0, 0, 0, 4096, &t, pcpu_bump_alloc, &bump, &ai),
		  -PCPU_EINVAL);
}

/* pcpu_alloc_alloc_info(): layout, sentinel fill and __ai_size. */
static void test_alloc_alloc_info(void)
{
	struct pcpu_alloc_info *ai;
	int i;

	bump.base = arena;
	bump.size = sizeof(arena);
	bump.used = 0;
	ai = pcpu_alloc_alloc_info(3, 10, pcpu_bump_alloc, &bump);
	EXPECT(ai != NULL);
	if (!ai)
		return;
	EXPECT_EQ(ai->nr_groups, 3);
	EXPECT_EQ(ai->__ai_size, 4096);
	EXPECT((char *)ai->groups[0].cpu_map >= (char *)&ai->groups[3]);
	EXPECT((char *)(ai->groups[0].cpu_map + 10) <= (char *)ai + ai->__ai_size);
	for (i = 0; i < 10; i++)
		EXPECT_EQ(ai->groups[0].cpu_map[i], PCPU_UNIT_NONE);
	EXPECT(ai->groups[1].cpu_map == NULL);
	EXPECT(pcpu_alloc_alloc_info(0, 1, pcpu_bump_alloc, &bump) == NULL);
}

/* A caller printer gets the lines instead of printk; the embedded line printed whole. */
static char other[4096];
static int other_calls;

static int other_printer(const char *fmt, ...)
{
	va_list ap;
	size_t len = strlen(other);
	int n;

	va_start(ap, fmt);
	n = vsnprintf(other + len, sizeof(other) - len, fmt, ap);
	va_end(ap);
	other_calls++;
	return n;
}

static void test_printers(void)
{
	struct pcpu_topology t = topo_all(2, NULL);
	struct pcpu_alloc_info *ai = build(16384, 0, 0, 4096, &t);

	cap_reset();
	other[0] = '\0';
	pcpu_dump_alloc_info(ai, other_printer);
	EXPECT_EQ(cap_calls, 0);
	EXPECT_EQ(other_calls, 2);
	EXPECT_STR(other, "pcpu-alloc: s16384 r0 d12288 u32768 alloc=8*4096\n"
			  "pcpu-alloc: [0] 0 [0] 1 \n");

	cap_reset();
	pcpu_print_embedded(ai, NULL);
	EXPECT_EQ(cap_calls, 1);
	EXPECT_EQ(cap_bad_calls, 0);
	EXPECT_STR(cap, "percpu: Embedded 7 pages/cpu s16384 r0 d12288 u32768\n");
}

int main(void)
{
	test_build_errors();
	test_alloc_alloc_info();
	test_printers();

	if (failures) {
		fprintf(stderr, "percpu_layout_build_test: %d check(s) failed\n", failures);
		return 1;
	}
	printf("percpu_layout_build_test: all checks passed\n");
	return 0;
}
