/*
 * percpu_alloc_map.c - host tests of the chunk occupancy map (percpu/stats_map.c) for both
 * allocator kinds, with chunks populated up front and on demand: the reserved chunk is one
 * free run; allocations of known sizes raise the bytes in use by exactly their sizes and
 * freeing them brings the map back; in every chunk used + free covers the range, free
 * matches the chunk's own count, runs are ordered and separate, and a page with bytes in
 * use is populated; the printed lines stay under 100 columns, one "end" line per chunk.
 */
#include <pcpurt/percpu_alloc.h>
#include "percpu_alloc_backend.h"
#include "percpu_alloc_test.h"

#define NR_CPUS	      4
#define UNIT	      (64 * 1024)
#define STATIC_SIZE   (5 * 1024 + 12)
#define RESERVED_SIZE (8 * 1024)
#define NR_OBJS	      120

static struct test_backend tb;
static struct pcpu_allocator pa;
static struct pcpu_chunk_map map;

struct totals {
	unsigned long used, free;
	unsigned int chunks;
};

/* Checks every chunk's map for consistency; the totals over the dynamic chunks. */
static struct totals check_maps(void)
{
	struct pcpu_chunk_stats cs[64];
	struct totals t = {0};
	unsigned int n, i, p, r, used, free;

	n = pcpu_allocator_chunk_stats(&pa, cs, 64);
	for (i = 0; pcpu_allocator_chunk_map(&pa, i, &map) == 0; i++) {
		CHECK(i < n && map.base == cs[i].base && map.reserved == cs[i].reserved);
		CHECK(map.nr_pages <= PCPU_MAP_MAX_PAGES && map.nr_runs <= PCPU_MAP_MAX_RUNS);
		CHECK(map.first_page == map.start / PCPU_PAGE_SIZE);
		for (used = 0, p = 0; p < map.nr_pages; p++) {
			CHECK(map.used[p] <= PCPU_PAGE_SIZE);
			if (map.used[p])
				CHECK(map.populated[p]);
			used += map.used[p];
		}
		for (free = 0, r = 0; r < map.nr_runs; r++) {
			CHECK(map.run_len[r] > 0 && map.run_off[r] >= map.start &&
			      map.run_off[r] + map.run_len[r] <= map.end);
			if (r) /* two touching runs would be one */
				CHECK(map.run_off[r - 1] + map.run_len[r - 1] < map.run_off[r]);
			free += map.run_len[r];
		}
		CHECK(free == cs[i].free_bytes);
		CHECK(used + free == map.end - map.start);
		CHECK(map.nr_alloc == cs[i].nr_alloc);
		if (!map.reserved) {
			t.used += used;
			t.free += free;
		}
	}
	CHECK(i == n);
	CHECK(pcpu_allocator_chunk_map(&pa, i, &map) == -1);
	t.chunks = i;
	return t;
}

/* The printed lines: under 100 columns, one header and one end line per chunk. */
static void check_print(unsigned int chunks)
{
	static char buf[1 << 16];
	struct t_capture c;
	char *line;
	int heads = 0, ends = 0;

	t_capture_start(&c);
	pcpu_allocator_print_chunk_maps(&pa);
	CHECK(t_capture_end(&c, NULL, buf, sizeof(buf)) > 0);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		CHECK(strlen(line) < 100);
		CHECK(!strncmp(line, "percpu-stats: ", 14));
		heads += strstr(line, " base 0x") != NULL || strstr(line, " base 0 ") != NULL;
		ends += strstr(line, " end runs ") != NULL;
	}
	CHECK(heads == (int)chunks && ends == (int)chunks);
}

static void run(enum pcpu_allocator_kind kind, bool vm)
{
	static const unsigned int sizes[] = {8, 24, 64, 200, 512, 1500, 16, 3000};
	static void *objs[NR_OBJS];
	struct totals base, t;
	unsigned long live = 0;
	struct pcpu_config cfg;
	unsigned int i;

	tb_init(&tb, NR_CPUS, UNIT, vm, false);
	tb_config(&tb, &cfg, kind, STATIC_SIZE, RESERVED_SIZE);
	CHECK(pcpu_allocator_chunk_map(&pa, 0, &map) == -1); /* not set up */
	CHECK(pcpu_allocator_init(&pa, &cfg) == 0);

	CHECK(pcpu_allocator_chunk_map(&pa, 0, &map) == 0);
	CHECK(map.reserved && map.start == STATIC_SIZE && map.end == STATIC_SIZE + RESERVED_SIZE);
	CHECK(map.nr_runs == 1 && map.run_off[0] == STATIC_SIZE && map.run_len[0] == RESERVED_SIZE);
	CHECK(pcpu_allocator_chunk_map(&pa, 1, &map) == 0 && map.first && !map.reserved);
	base = check_maps();

	for (i = 0; i < NR_OBJS; i++) {
		objs[i] = pcpu_allocator_alloc(&pa, sizes[i % 8], 4, 0);
		CHECK(objs[i] != NULL);
		live += sizes[i % 8];
	}
	t = check_maps();
	CHECK(t.chunks > 2); /* 60 KiB per unit: past the first chunk */
	CHECK(t.used == base.used + live);
	for (i = 0; i < NR_OBJS; i++)
		if (i % 3) {
			pcpu_allocator_free(&pa, objs[i]);
			live -= sizes[i % 8];
			objs[i] = NULL;
		}
	t = check_maps();
	CHECK(t.used == base.used + live);
	check_print(t.chunks);
	for (i = 0; i < NR_OBJS; i++)
		pcpu_allocator_free(&pa, objs[i]);
	t = check_maps();
	CHECK(t.used == base.used);

	CHECK(pcpu_allocator_check(&pa) == 0);
	pcpu_allocator_teardown(&pa);
	tb_fini(&tb);
}

int main(void)
{
	enum pcpu_allocator_kind k;

	for (k = PCPU_ALLOCATOR_BITMAP; k <= PCPU_ALLOCATOR_AREAMAP; k++) {
		run(k, false);
		run(k, true);
	}
	return t_finish();
}
