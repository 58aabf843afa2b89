/*
 * percpu-bench.c - host benchmark of the dynamic per-CPU allocator, both kinds side by side.
 *
 * For each object size (4, 16, 64, 256, 1024 bytes at 4-byte alignment, and 4 bytes at
 * 8-byte alignment) and each live count (1K, 16K, 256K, 1M objects), it fills an allocator
 * with that many objects, then times batches of frees of random live objects followed by as
 * many allocations, and reports nanoseconds per allocation and per free, the bitmap
 * allocator's alloc+free time with zeroing of new memory turned off (the allocator alone:
 * zeroing touches cold memory once millions of objects live), the area-map to bitmap ratio,
 * and the allocator's metadata bytes per 4 KiB of unit. The 4-at-8 state is
 * built by allocating each object with a 4-byte filler behind it and freeing the fillers,
 * which gives the same layout as plain allocation without its quadratic cost in the area map
 * (with plain allocation every chunk holds misaligned 4-byte holes, so every allocation walks
 * every chunk's map).
 *
 * The measuring itself is tests/target/bench_core.c, shared with the runtime workload
 * `run=percpu-bench` (tests/target/workload_percpu_bench.c); the bitmap allocator's "bare" time is
 * a second timed phase on the same filled state with zeroing turned off.
 *
 *   percpu-bench [-u unit_kib] [-c cpus] [-t seconds_per_case] [-m max_live] [-o file.md]
 *                [-s object] [-k bitmap|areamap] [-b fill_budget_seconds]
 *                [-d fill_drain_budget_seconds] [-r raw_lines] [-l live]
 *
 * -r writes the results as `bench:` lines, the workload's format, for tests/qemu/bench.py.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <pcpurt/percpu_alloc.h>
#include "percpu_bench.h"

#define NC    PCPU_BENCH_NR_CASES
#define NL    PCPU_BENCH_NR_LIVES
#define BATCH PCPU_BENCH_BATCH

static const struct pcpu_bench_case *const cases = pcpu_bench_cases;
static const unsigned long *const lives = pcpu_bench_lives;

struct result {
	double alloc_ns, free_ns, meta_per_4k;
	double bare_ns; /* alloc + free with zeroing turned off */
	double bare_alloc_ns, bare_free_ns;
	unsigned long ops;
	unsigned int chunks;
	bool done;
	/* Linux's fill and drain: slowest fill and drain per op, zeroing on and off */
	double fd_alloc_ns, fd_free_ns, fd_bare_alloc_ns, fd_bare_free_ns;
	bool fd_done;
};

static struct result res[2][NC][NL];
static struct pcpu_bench_result raw[2][NC][NL];
static bool ran[2][NC][NL];
static size_t unit_size = 64 * 1024;
static unsigned int nr_cpus = 1;
static double case_seconds = 0.5;
static double fill_seconds; /* -b: fill budget, 0 = none */
static double fd_seconds = 5; /* -d: fill-and-drain budget per case, 0 = none */
static unsigned long max_live = PCPU_BENCH_MAX_LIVE;
static const char *only_case; /* -s: run one object case */
static unsigned long only_live; /* -l: run one live count */
static int only_kind = -1;    /* -k: run one allocator kind */
static unsigned long unit_off[64];

static uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

static double now(void)
{
	return clock_ns() * 1e-9;
}

/*
 * Memory for the backend: two arenas (units, metadata) in 2 MiB pages where the kernel gives
 * them (MADV_HUGEPAGE). The runtime's km chunks and all its metadata live in the linear map,
 * which is mapped in 2 MiB and larger blocks, so a 4 KiB-page heap would add TLB misses the
 * runtime does not have. Bump allocation, freed blocks kept on per-size lists, reset per case.
 */
struct arena {
	char *base, *next, *end;
	struct {
		size_t size;
		void *head;
	} free[32];
};

static struct arena unit_arena, meta_arena;

static void arena_reset(struct arena *a, size_t reserve)
{
	if (!a->base) {
		a->base = mmap(NULL, reserve, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (a->base == MAP_FAILED) {
			fprintf(stderr, "cannot reserve %zu bytes\n", reserve);
			exit(1);
		}
		/* start on a 2 MiB boundary so that the pages can be huge */
		a->end = a->base + reserve;
		a->base = (char *)(((uintptr_t)a->base + (2UL << 20) - 1) & ~((2UL << 20) - 1));
		madvise(a->base, (size_t)(a->end - a->base), MADV_HUGEPAGE);
	} else {
		madvise(a->base, (size_t)(a->next - a->base), MADV_DONTNEED);
	}
	a->next = a->base;
	memset(a->free, 0, sizeof(a->free));
}

static void *arena_alloc(struct arena *a, size_t size, size_t align)
{
	char *p;
	unsigned int i;

	size = (size + 63) & ~(size_t)63;
	for (i = 0; i < 32 && a->free[i].size; i++) {
		if (a->free[i].size == size && a->free[i].head) {
			p = a->free[i].head;
			a->free[i].head = *(void **)p;
			return p;
		}
	}
	p = (char *)(((uintptr_t)a->next + align - 1) & ~(uintptr_t)(align - 1));
	if (p + size > a->end)
		return NULL;
	a->next = p + size;
	return p;
}

static void arena_free(struct arena *a, void *p, size_t size)
{
	unsigned int i;

	size = (size + 63) & ~(size_t)63;
	for (i = 0; i < 32; i++) {
		if (!a->free[i].size)
			a->free[i].size = size;
		if (a->free[i].size == size) {
			*(void **)p = a->free[i].head;
			a->free[i].head = p;
			return;
		}
	}
	/* more sizes than lists: the block stays unused until the next reset */
}

/* km-style backend: whole chunks and metadata from the arenas */
static int be_create(void *priv, const struct pcpu_layout *l, uintptr_t *base, void **cookie)
{
	void *m = arena_alloc(&unit_arena, l->unit_size * l->nr_units, PCPU_PAGE_SIZE);

	if (!m)
		return -1;
	*base = (uintptr_t)m;
	*cookie = m;
	return 0;
}

static void be_destroy(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie)
{
	arena_free(&unit_arena, cookie, l->unit_size * l->nr_units);
}

static int be_populate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
		       unsigned int ps, unsigned int pe)
{
	return 0;
}

static void *be_meta_alloc(void *priv, size_t size)
{
	return arena_alloc(&meta_arena, size, 64);
}

static void be_meta_free(void *priv, void *p, size_t size)
{
	arena_free(&meta_arena, p, size);
}

static struct pcpu_layout layout;
static const struct pcpu_backend backend = {
	.name = "bench-km",
	.populated_on_create = true,
	.chunk_create = be_create,
	.chunk_destroy = be_destroy,
	.populate = be_populate,
	.meta_alloc = be_meta_alloc,
	.meta_free = be_meta_free,
};

/* A phase's alloc or free side in ns per operation (the clock counts ns); 0 if it has none. */
static double ns_per_op(const struct pcpu_bench_phase *p, bool alloc)
{
	return p->ops ? (double)(alloc ? p->alloc_ticks : p->free_ticks) / p->ops : 0;
}

static void run_case(enum pcpu_allocator_kind kind, const struct pcpu_bench_case *bc,
		     unsigned long n, struct result *r, struct pcpu_bench_result *pr)
{
	static void **handles, **fillers;
	void *first;
	struct pcpu_bench_env env = {
		.layout = &layout,
		.backend = &backend,
		.static_size = unit_size / 4,
		.reserved_size = unit_size / 8,
		.max_live = max_live,
		.clock = clock_ns,
		.freq = 1000000000,
		.measure_ticks = (uint64_t)(case_seconds * 1e9),
		.rounds = 5,
		.fill_budget = (uint64_t)(fill_seconds * 1e9),
		.bare = kind == PCPU_ALLOCATOR_BITMAP,
		.fill_drain = true,
		.fd_budget = (uint64_t)(fd_seconds * 1e9),
	};

	arena_reset(&unit_arena, (size_t)64 << 30);
	arena_reset(&meta_arena, (size_t)16 << 30);
	first = arena_alloc(&unit_arena, unit_size * nr_cpus, PCPU_PAGE_SIZE);
	if (!handles) {
		handles = malloc(max_live * sizeof(*handles));
		fillers = malloc(max_live * sizeof(*fillers));
	}
	if (!first || !handles || !fillers) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	env.first_base = (uintptr_t)first;
	env.handles = handles;
	env.fillers = fillers;
	pcpu_bench_run_case(&env, kind, bc, n, pr);
	if (pr->status == PCPU_BENCH_FAILED) {
		fprintf(stderr, "allocator setup failed\n");
		exit(1);
	}
	r->done = pr->status == PCPU_BENCH_DONE;
	r->meta_per_4k = (double)pr->meta_bytes / ((double)pr->chunks * unit_size / 4096);
	r->chunks = pr->chunks;
	r->ops = pr->zero.ops;
	if (r->done) {
		r->alloc_ns = ns_per_op(&pr->zero, true);
		r->free_ns = ns_per_op(&pr->zero, false);
		r->bare_alloc_ns = ns_per_op(&pr->bare, true);
		r->bare_free_ns = ns_per_op(&pr->bare, false);
		r->bare_ns = r->bare_alloc_ns + r->bare_free_ns;
	}
	r->fd_done = r->done && pr->fd_status == PCPU_BENCH_DONE && pr->fd.ops;
	if (r->fd_done) {
		r->fd_alloc_ns = ns_per_op(&pr->fd, true);
		r->fd_free_ns = ns_per_op(&pr->fd, false);
		r->fd_bare_alloc_ns = ns_per_op(&pr->fd_bare, true);
		r->fd_bare_free_ns = ns_per_op(&pr->fd_bare, false);
	}
}

static const char *live_name(unsigned long n)
{
	static char buf[4][16];
	static int k;

	k = (k + 1) % 4;
	if (n >= 1UL << 20)
		snprintf(buf[k], sizeof(buf[k]), "%luM", n >> 20);
	else
		snprintf(buf[k], sizeof(buf[k]), "%luK", n >> 10);
	return buf[k];
}

/* one table cell: the value (one decimal below 10 for ratios), or "-" when not measured */
static void num(char *buf, bool ok, double v, const char *unit)
{
	if (!ok)
		snprintf(buf, 24, "-");
	else
		snprintf(buf, 24, *unit && v < 10 ? "%.1f%s" : "%.0f%s", v, unit);
}

static void report(FILE *f, bool md)
{
	const char *sep = md ? " | " : "  ";
	double worst_growth = 0, worst_bare = 0, worst_meta = 0, ratio_4at8 = 0;
	double fd_growth = 0, fd_bare = 0;
	unsigned int c, l;

	if (md) {
		fprintf(f,
			"| object | live | bitmap alloc ns | bitmap free ns | bitmap no-zero ns | "
			"areamap alloc ns | areamap free ns | areamap/bitmap | bitmap meta B/4K | "
			"areamap meta B/4K |\n");
		fprintf(f, "|---|---|---|---|---|---|---|---|---|---|\n");
	} else {
		fprintf(f, "%-6s%s%5s%s%9s%s%8s%s%8s%s%10s%s%9s%s%8s%s%8s%s%8s\n", "object", sep,
			"live", sep, "bm alloc", sep, "bm free", sep, "bm bare", sep, "am alloc",
			sep, "am free", sep, "am/bm", sep, "bm B/4K", sep, "am B/4K");
	}
	for (c = 0; c < NC; c++) {
		for (l = 0; l < NL; l++) {
			struct result *b = &res[0][c][l], *a = &res[1][c][l];
			char cell[8][24];
			double ratio;

			if (!b->done && !a->done)
				continue;
			ratio = b->done && a->done
				    ? (a->alloc_ns + a->free_ns) / (b->alloc_ns + b->free_ns)
				    : 0;
			num(cell[0], b->done, b->alloc_ns, "");
			num(cell[1], b->done, b->free_ns, "");
			num(cell[2], b->done && b->bare_ns > 0, b->bare_ns, "");
			num(cell[3], a->done, a->alloc_ns, "");
			num(cell[4], a->done, a->free_ns, "");
			num(cell[5], ratio > 0, ratio, "x");
			num(cell[6], b->done, b->meta_per_4k, "");
			num(cell[7], a->done, a->meta_per_4k, "");
			if (md)
				fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
					cases[c].name, live_name(lives[l]), cell[0], cell[1],
					cell[2], cell[3], cell[4], cell[5], cell[6], cell[7]);
			else
				fprintf(f, "%-6s%s%5s%s%9s%s%8s%s%8s%s%10s%s%9s%s%8s%s%8s%s%8s\n",
					cases[c].name, sep, live_name(lives[l]), sep, cell[0], sep,
					cell[1], sep, cell[2], sep, cell[3], sep, cell[4], sep,
					cell[5], sep, cell[6], sep, cell[7]);
			if (c == NC - 1 && lives[l] == 1UL << 20)
				ratio_4at8 = ratio;
		}
	}
	for (c = 0; c < NC; c++) {
		struct result *lo = &res[0][c][0], *hi = NULL;

		for (l = 0; l < NL; l++) {
			if (res[0][c][l].done)
				hi = &res[0][c][l];
			if (res[0][c][l].done)
				worst_meta = MAX(worst_meta, res[0][c][l].meta_per_4k);
		}
		if (lo->done && hi) {
			worst_growth = MAX(worst_growth, (hi->alloc_ns + hi->free_ns) /
							     (lo->alloc_ns + lo->free_ns));
			worst_bare = MAX(worst_bare, hi->bare_ns / lo->bare_ns);
		}
		for (hi = NULL, l = 0; l < NL; l++)
			if (res[0][c][l].fd_done)
				hi = &res[0][c][l];
		if (lo->fd_done && hi) {
			fd_growth = MAX(fd_growth, (hi->fd_alloc_ns + hi->fd_free_ns) /
						       (lo->fd_alloc_ns + lo->fd_free_ns));
			fd_bare = MAX(fd_bare, (hi->fd_bare_alloc_ns + hi->fd_bare_free_ns) /
						   (lo->fd_bare_alloc_ns + lo->fd_bare_free_ns));
		}
	}
	fprintf(f, "\n");
	if (ratio_4at8 > 0)
		fprintf(f,
			"%sarea map / bitmap, 1M live 4-byte objects at 8-byte alignment: %.0fx "
			"(target >= 100x)\n",
			md ? "- " : "", ratio_4at8);
	else
		fprintf(f,
			"%sarea map / bitmap, 1M live 4-byte objects at 8-byte alignment: not "
			"measured (target >= 100x)\n",
			md ? "- " : "");
	fprintf(f,
		"%sbitmap time per operation, largest live count / 1K, worst object: %.2fx "
		"without zeroing (target <= 2x), %.2fx with zeroing\n",
		md ? "- " : "", worst_bare, worst_growth);
	fprintf(f,
		"%sthe same growth measured as Linux did (fill, then drain in order, alternating, "
		"reverse; slowest): %.2fx without zeroing, %.2fx with zeroing\n",
		md ? "- " : "", fd_bare, fd_growth);
	fprintf(f, "%sbitmap metadata per 4 KiB of unit, worst case: %.0f bytes (target <= 288)\n",
		md ? "- " : "", worst_meta);
}

/* One progress line on stderr for case (kind k, object c, live count l). */
static void progress(unsigned int k, unsigned int c, unsigned int l, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "  %-7s %-4s %4s: ", k ? "areamap" : "bitmap", cases[c].name,
		live_name(lives[l]));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* The results as bench: lines (the runtime workload's format), for tests/qemu/bench.py. */
static int write_raw(const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned int c, l, k;
	char line[1024];

	if (!f) {
		perror(path);
		return 1;
	}
	fprintf(f, "bench: start unit=%zu cpus=%u freq=1000000000 measure_ms=%.0f\n", unit_size,
		nr_cpus, case_seconds * 1e3);
	for (c = 0; c < NC; c++)
		for (l = 0; l < NL; l++)
			for (k = 0; k < 2; k++) {
				if (!ran[k][c][l])
					continue;
				pcpu_bench_format(line, sizeof(line),
						  k ? PCPU_ALLOCATOR_AREAMAP
						    : PCPU_ALLOCATOR_BITMAP,
						  &cases[c], &raw[k][c][l], 1000000000);
				fprintf(f, "%s\n", line);
			}
	fprintf(f, "bench: end\n");
	return fclose(f) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *raw_out = NULL;
	struct result *r;
	unsigned int c, l, k;
	int opt;

	while ((opt = getopt(argc, argv, "u:c:t:m:o:s:k:b:d:r:l:")) != -1) {
		switch (opt) {
		case 'u':
			unit_size = strtoul(optarg, NULL, 0) * 1024;
			break;
		case 'c':
			nr_cpus = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 't':
			case_seconds = atof(optarg);
			break;
		case 'm':
			max_live = strtoul(optarg, NULL, 0);
			break;
		case 'o':
			out = optarg;
			break;
		case 'b':
			fill_seconds = atof(optarg);
			break;
		case 'd':
			fd_seconds = atof(optarg);
			break;
		case 'r':
			raw_out = optarg;
			break;
		case 's':
			only_case = optarg;
			break;
		case 'l':
			only_live = strtoul(optarg, NULL, 0);
			break;
		case 'k': {
			enum pcpu_allocator_kind kk;

			if (pcpu_allocator_parse(optarg, &kk))
				return 2;
			only_kind = (int)kk;
			break;
		}
		default:
			fprintf(stderr,
				"usage: %s [-u unit_kib] [-c cpus] [-t s] [-m max_live] "
				"[-o file.md] [-s object] [-k kind] [-b fill_budget_s] "
				"[-d fill_drain_budget_s] [-r raw_lines] [-l live]\n",
				argv[0]);
			return 2;
		}
	}
	if (max_live < lives[0] || max_live > PCPU_BENCH_MAX_LIVE) {
		fprintf(stderr, "max_live must be within [%lu, %lu]\n", lives[0],
			PCPU_BENCH_MAX_LIVE);
		return 2;
	}
	if (!nr_cpus || nr_cpus > ARRAY_SIZE(unit_off)) {
		fprintf(stderr, "bad cpu count\n");
		return 2;
	}
	for (c = 0; c < nr_cpus; c++)
		unit_off[c] = c * unit_size;
	layout.nr_cpus = layout.nr_units = nr_cpus;
	layout.unit_size = unit_size;
	layout.unit_off = unit_off;
	printf("per-CPU allocator benchmark: unit %zu KiB, %u CPU(s), %.2f s per case; "
	       "ns per operation\n",
	       unit_size / 1024, nr_cpus, case_seconds);
	for (c = 0; c < NC; c++) {
		for (l = 0; l < NL && lives[l] <= max_live; l++) {
			for (k = 0; k < 2; k++) {
				double t = now();

				if ((only_case && strcmp(only_case, cases[c].name)) ||
				    (only_kind >= 0 && only_kind != (int)k) ||
				    (only_live && only_live != lives[l]))
					continue;
				run_case(k ? PCPU_ALLOCATOR_AREAMAP : PCPU_ALLOCATOR_BITMAP,
					 &cases[c], lives[l], &res[k][c][l], &raw[k][c][l]);
				ran[k][c][l] = true;
				r = &res[k][c][l];
				if (!r->done) {
					progress(k, c, l, "%s (%.1f s)\n",
						 pcpu_bench_status_name(raw[k][c][l].status),
						 now() - t);
					continue;
				}
				progress(k, c, l,
					 "%8.0f ns alloc %8.0f ns free, bare %6.0f + %6.0f, "
					 "%u chunks (%.1f s)\n",
					 r->alloc_ns, r->free_ns, r->bare_alloc_ns, r->bare_free_ns,
					 r->chunks, now() - t);
				if (r->fd_done)
					progress(k, c, l,
						 "fill+drain %6.0f + %6.0f, bare %6.0f + %6.0f\n",
						 r->fd_alloc_ns, r->fd_free_ns, r->fd_bare_alloc_ns,
						 r->fd_bare_free_ns);
			}
		}
	}
	report(stdout, false);
	if (raw_out && write_raw(raw_out))
		return 1;
	if (out) {
		FILE *f = fopen(out, "w");

		if (!f) {
			perror(out);
			return 1;
		}
		fprintf(f, "# Per-CPU allocator benchmark\n\n");
		fprintf(f,
			"Host run of `tools/percpu-bench` (unit %zu KiB, %u CPU(s), %.2f s per "
			"case). Times are nanoseconds per operation: a batch of %d frees of random "
			"live objects, then as many allocations of the same size.\n\n",
			unit_size / 1024, nr_cpus, case_seconds, BATCH);
		report(f, true);
		fclose(f);
	}
	return 0;
}
