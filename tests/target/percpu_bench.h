/*
 * percpu_bench.h - the measurement core of the per-CPU allocator benchmark (tests/target/bench_core.c),
 * shared by the host tool (tools/percpu-bench.c) and the runtime workload `run=percpu-bench`
 * (tests/target/workload_percpu_bench.c), so that both measure the same way.
 *
 * One case: set up an allocator of one kind over the caller's first chunk and backend, fill it
 * with `live` objects of one size and alignment, then time batches of PCPU_BENCH_BATCH frees
 * of random live objects followed by as many allocations, first with new memory zeroed (what
 * alloc_percpu() does) and then, optionally, with zeroing turned off ("bare": the allocator
 * alone). The 4-at-8 state is built by allocating each object with a filler behind it and
 * freeing the fillers afterwards: the same layout as plain allocation, without the area map's
 * quadratic search through misaligned holes.
 *
 * With env->fill_drain, a case then also times Linux's own method (the bitmap allocator's
 * evaluation in 2017): from empty, allocate `live` objects one after another, then free them
 * all, in allocation order, alternating (even handles, then odd) and in reverse; the slowest
 * fill and the slowest drain of the three are kept, per operation, with zeroing on (and off,
 * with env->bare). These fills allocate the objects plainly, with no filler.
 *
 * Time is whatever monotonic tick counter the caller gives (ticks per second in `freq`);
 * results are kept in ticks and converted with integer arithmetic only (no floating point in
 * the runtime). A fill that cannot finish within its budget is given up and reported.
 */
#ifndef PCPURT_PERCPU_BENCH_H
#define PCPURT_PERCPU_BENCH_H

#include <pcpurt/percpu_alloc.h>

#define PCPU_BENCH_BATCH    64
#define PCPU_BENCH_NR_CASES 6
#define PCPU_BENCH_NR_LIVES 4
#define PCPU_BENCH_MAX_LIVE (1UL << 20)

struct pcpu_bench_case {
	const char *name; /* "4", "16", ..., "4@8" */
	size_t size;
	size_t align;
};

/* 4, 16, 64, 256, 1024 bytes at 4-byte alignment, then 4 bytes at 8-byte alignment */
extern const struct pcpu_bench_case pcpu_bench_cases[PCPU_BENCH_NR_CASES];
/* 1K, 16K, 256K, 1M live objects */
extern const unsigned long pcpu_bench_lives[PCPU_BENCH_NR_LIVES];

/* What a run needs from its caller. */
struct pcpu_bench_env {
	const struct pcpu_layout *layout;
	const struct pcpu_backend *backend;
	uintptr_t first_base; /* first chunk: layout's units, unit_size each, the caller's */
	size_t static_size;   /* first chunk split as in pcpu_config */
	size_t reserved_size;
	void **handles;		 /* room for the largest live count */
	void **fillers;		 /* same, for the 4-at-8 state */
	unsigned long max_live;	 /* entries of handles[] and fillers[] */
	uint64_t (*clock)(void); /* monotonic ticks */
	uint64_t freq;		 /* ticks per second */
	uint64_t measure_ticks;	 /* each timed phase runs at least this long ... */
	unsigned int rounds;	 /* ... in this many rounds of at least one batch (0: 1); the */
				 /* fastest round is kept, the least disturbed by other load */
	uint64_t measure_cap;	 /* a phase ends after this (0: no cap) once a round is done */
	uint64_t fill_budget;	 /* give a fill up past this or when projected past it (0: none) */
	uint64_t seed;		 /* random picks; each case starts from the same seed */
	bool bare;		 /* also time a phase with zeroing turned off */
	bool fill_drain;	 /* also time Linux's fill and drain (see above) ... */
	uint64_t fd_budget;	 /* ... given up past this, all three orders (0: no limit) */
};

enum pcpu_bench_status {
	PCPU_BENCH_DONE,
	PCPU_BENCH_SKIPPED, /* the fill would not finish within its budget */
	PCPU_BENCH_NOMEM,   /* an allocation failed (fill or timed phase) */
	PCPU_BENCH_FAILED,  /* the allocator could not be set up, or a case is too large */
};

/* One timed phase (its fastest round): ops frees and ops allocations. */
struct pcpu_bench_phase {
	uint64_t ops;
	uint64_t alloc_ticks;
	uint64_t free_ticks;
};

struct pcpu_bench_result {
	enum pcpu_bench_status status;
	unsigned long live;	      /* asked for */
	unsigned long filled;	      /* objects live when the fill ended */
	uint64_t fill_ticks;	      /* time the fill took (or ran before it was given up) */
	uint64_t projected_ticks;     /* for a fill given up: its estimated total time */
	uint64_t budget_ticks;	      /* the fill budget it was given up against */
	struct pcpu_bench_phase zero; /* new memory zeroed */
	struct pcpu_bench_phase bare; /* zeroing turned off (if env->bare) */
	/* fill and drain, slowest of the three orders: alloc = fill, free = drain; ops = 0 */
	/* when not run or given up (over the fill budget), fd_status says which */
	struct pcpu_bench_phase fd, fd_bare;
	enum pcpu_bench_status fd_status;
	bool fd_run; /* fill and drain was tried */
	size_t meta_bytes;	      /* allocator metadata after the fill */
	unsigned int chunks;	      /* dynamic chunks after the fill */
	size_t unit_size;
};

/* Runs one case; the allocator is set up and torn down inside. Returns r->status. */
enum pcpu_bench_status pcpu_bench_run_case(const struct pcpu_bench_env *env,
					   enum pcpu_allocator_kind kind,
					   const struct pcpu_bench_case *bc, unsigned long live,
					   struct pcpu_bench_result *r);

/* ticks * num / den without overflow for den < 2^32 and num <= 10^9 */
uint64_t pcpu_bench_scale(uint64_t ticks, uint64_t num, uint64_t den);
/* Tenths of a nanosecond per operation of a phase (alloc or free side); 0 if no ops. */
uint64_t pcpu_bench_dns_per_op(const struct pcpu_bench_phase *p, bool alloc, uint64_t freq);
/* Milliseconds of ticks. */
uint64_t pcpu_bench_ms(uint64_t ticks, uint64_t freq);
/* Metadata bytes per 4 KiB of unit over the dynamic chunks (integer, rounded down). */
unsigned long pcpu_bench_meta_per_4k(const struct pcpu_bench_result *r);
const char *pcpu_bench_status_name(enum pcpu_bench_status s);

/*
 * The result as one line (no newline) that tests/qemu/bench.py parses, the same from the host
 * tool and the runtime:
 *   bench: kind=bitmap obj=4 size=4 align=4 live=1024 status=done alloc_ns=75.3 free_ns=30.1
 *          ops=... bare_alloc_ns=... bare_free_ns=... bare_ops=... meta_per_4k=224
 *          meta_bytes=... chunks=1 fill_ms=12
 * followed, when fill and drain ran, by fd_alloc_ns=... fd_free_ns=... fd_ops=... and
 * fd_bare_alloc_ns=... (or fd_status=skipped|nomem). A case not done ends with
 * reason=<free text>. Returns what snprintf() returns.
 */
int pcpu_bench_format(char *buf, size_t len, enum pcpu_allocator_kind kind,
		      const struct pcpu_bench_case *bc, const struct pcpu_bench_result *r,
		      uint64_t freq);

#endif
