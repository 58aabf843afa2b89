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
 * which gives the same layout as plain allocation without its quadratic cost in the area map.
 *
 *   percpu-bench [-u unit_kib] [-c cpus] [-t seconds_per_case] [-m max_live] [-o file.md]
 *                [-s object] [-k bitmap|areamap]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pcpurt/percpu_alloc.h>

struct bench_case {
	const char *name;
	size_t size;
	size_t align;
};

static const struct bench_case cases[] = {
	{"4", 4, 4}, {"16", 16, 4}, {"64", 64, 4}, {"256", 256, 4}, {"1024", 1024, 4}, {"4@8", 4, 8},
};
static const unsigned long lives[] = {1UL << 10, 1UL << 14, 1UL << 18, 1UL << 20};

#define NC    ARRAY_SIZE(cases)
#define NL    ARRAY_SIZE(lives)
#define BATCH 64

struct result {
	double alloc_ns, free_ns, meta_per_4k;
	double bare_ns; /* alloc + free with zeroing turned off */
	unsigned long ops;
	unsigned int chunks;
	bool done;
};

static struct result res[2][NC][NL];
static size_t unit_size = 64 * 1024;
static unsigned int nr_cpus = 1;
static double case_seconds = 0.5;
static unsigned long max_live = 1UL << 20;
static const char *only_case; /* -s: run one object case */
static int only_kind = -1;    /* -k: run one allocator kind */
static unsigned long unit_off[64];
static uint64_t rng = 0x853c49e6748fea9bULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* km-style backend: whole chunks from aligned_alloc, metadata from malloc */
static int be_create(void *priv, const struct pcpu_layout *l, uintptr_t *base, void **cookie)
{
	void *m = aligned_alloc(PCPU_PAGE_SIZE, l->unit_size * l->nr_units);

	if (!m)
		return -1;
	*base = (uintptr_t)m;
	*cookie = m;
	return 0;
}

static void be_destroy(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie)
{
	free(cookie);
}

static int be_populate(void *priv, const struct pcpu_layout *l, uintptr_t base, void *cookie,
		       unsigned int ps, unsigned int pe)
{
	return 0;
}

static void *be_meta_alloc(void *priv, size_t size)
{
	return malloc(size);
}

static void be_meta_free(void *priv, void *p, size_t size)
{
	free(p);
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

static void run_case(enum pcpu_allocator_kind kind, const struct bench_case *bc, unsigned long n,
		     struct result *r, bool no_zero)
{
	static struct pcpu_allocator pa;
	struct pcpu_config cfg = {0};
	struct pcpu_stats st;
	void **h = malloc(n * sizeof(*h)), *first;
	unsigned long i, idx[BATCH];
	double t0, ta = 0, tf = 0, start;

	first = aligned_alloc(PCPU_PAGE_SIZE, unit_size * nr_cpus);
	cfg.layout = &layout;
	cfg.backend = &backend;
	cfg.kind = kind;
	cfg.first_base = (uintptr_t)first;
	cfg.static_size = unit_size / 4;
	cfg.reserved_size = unit_size / 8;
	cfg.no_zero = no_zero;
	if (pcpu_allocator_init(&pa, &cfg)) {
		fprintf(stderr, "init failed\n");
		exit(1);
	}
	if (bc->align > bc->size) {
		void **fill = malloc(n * sizeof(*fill));

		for (i = 0; i < n; i++) {
			h[i] = pcpu_allocator_alloc(&pa, bc->size, bc->align, 0);
			fill[i] = pcpu_allocator_alloc(&pa, bc->align - bc->size, 4, 0);
		}
		for (i = n; i-- > 0;)
			pcpu_allocator_free(&pa, fill[i]);
		free(fill);
	} else {
		for (i = 0; i < n; i++)
			h[i] = pcpu_allocator_alloc(&pa, bc->size, bc->align, 0);
	}
	for (i = 0; i < n; i++) {
		if (!h[i]) {
			fprintf(stderr, "fill failed\n");
			exit(1);
		}
	}
	pcpu_allocator_stats(&pa, &st);
	r->meta_per_4k = (double)st.meta_bytes / ((double)st.nr_chunks * unit_size / 4096);
	r->chunks = st.nr_chunks;
	r->ops = 0;
	start = now();
	do {
		void *batch[BATCH];
		unsigned int k;

		/* pick and gather outside the timed part: h[] itself is cold at 1M */
		for (k = 0; k < BATCH; k++) {
			do
				idx[k] = rnd() % n;
			while (!h[idx[k]]);
			batch[k] = h[idx[k]];
			h[idx[k]] = NULL;
		}
		t0 = now();
		for (k = 0; k < BATCH; k++)
			pcpu_allocator_free(&pa, batch[k]);
		tf += now() - t0;
		t0 = now();
		for (k = 0; k < BATCH; k++)
			batch[k] = pcpu_allocator_alloc(&pa, bc->size, bc->align, 0);
		ta += now() - t0;
		for (k = 0; k < BATCH; k++)
			h[idx[k]] = batch[k];
		r->ops += BATCH;
	} while (now() - start < case_seconds || r->ops < 4 * BATCH);
	r->alloc_ns = ta * 1e9 / r->ops;
	r->free_ns = tf * 1e9 / r->ops;
	r->done = true;
	pcpu_allocator_teardown(&pa);
	free(first);
	free(h);
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

static void report(FILE *f, bool md)
{
	const char *sep = md ? " | " : "  ";
	double worst_growth = 0, worst_bare = 0, worst_meta = 0, ratio_4at8 = 0;
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
			double ratio;

			if (!b->done && !a->done)
				continue;
			ratio = b->done && a->done ? (a->alloc_ns + a->free_ns) /
							 (b->alloc_ns + b->free_ns)
						   : 0;
			if (md)
				fprintf(
				    f,
				    "| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.1fx | %.0f | "
				    "%.0f |\n",
				    cases[c].name, live_name(lives[l]), b->alloc_ns, b->free_ns,
				    b->bare_ns, a->alloc_ns, a->free_ns, ratio, b->meta_per_4k,
				    a->meta_per_4k);
			else
				fprintf(
				    f,
				    "%-6s%s%5s%s%9.0f%s%8.0f%s%8.0f%s%10.0f%s%9.0f%s%7.1fx%s%8.0f%s"
				    "%8.0f\n",
				    cases[c].name, sep, live_name(lives[l]), sep, b->alloc_ns, sep,
				    b->free_ns, sep, b->bare_ns, sep, a->alloc_ns, sep, a->free_ns,
				    sep, ratio, sep, b->meta_per_4k, sep, a->meta_per_4k);
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
	}
	fprintf(f, "\n");
	fprintf(f,
		"%sarea map / bitmap, 1M live 4-byte objects at 8-byte alignment: %.0fx "
		"(target >= 100x)\n",
		md ? "- " : "", ratio_4at8);
	fprintf(f,
		"%sbitmap time per operation, largest live count / 1K, worst object: %.2fx "
		"without zeroing (target <= 2x), %.2fx with zeroing\n",
		md ? "- " : "", worst_bare, worst_growth);
	fprintf(f, "%sbitmap metadata per 4 KiB of unit, worst case: %.0f bytes (target <= 288)\n",
		md ? "- " : "", worst_meta);
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	unsigned int c, l, k;
	int opt;

	while ((opt = getopt(argc, argv, "u:c:t:m:o:s:k:")) != -1) {
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
		case 's':
			only_case = optarg;
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
				"[-o file.md] [-s object] [-k kind]\n",
				argv[0]);
			return 2;
		}
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
				    (only_kind >= 0 && only_kind != (int)k))
					continue;
				run_case(k ? PCPU_ALLOCATOR_AREAMAP : PCPU_ALLOCATOR_BITMAP,
					 &cases[c], lives[l], &res[k][c][l], false);
				if (!k) {
					struct result bare;

					run_case(PCPU_ALLOCATOR_BITMAP, &cases[c], lives[l], &bare,
						 true);
					res[k][c][l].bare_ns = bare.alloc_ns + bare.free_ns;
				}
				fprintf(stderr,
					"  %-7s %-4s %4s: %8.0f ns alloc %8.0f ns free, "
					"%u chunks (%.1f s)\n",
					k ? "areamap" : "bitmap", cases[c].name,
					live_name(lives[l]), res[k][c][l].alloc_ns,
					res[k][c][l].free_ns, res[k][c][l].chunks, now() - t);
			}
		}
	}
	report(stdout, false);
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
