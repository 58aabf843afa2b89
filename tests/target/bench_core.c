/*
 * bench_core.c - the measurement core of the per-CPU allocator benchmark, shared by the host
 * tool and the runtime workload `run=percpu-bench` (see tests/target/percpu_bench.h).
 *
 * Pure C, integer arithmetic only, no allocation of its own: the caller hands in the first
 * chunk, the backend, the handle arrays and a tick counter. One case at a time; not reentrant
 * (the allocator instance is static).
 */
#include "percpu_bench.h"
#include <stdio.h>

const struct pcpu_bench_case pcpu_bench_cases[PCPU_BENCH_NR_CASES] = {
	{"4", 4, 4},	 {"16", 16, 4},	    {"64", 64, 4},
	{"256", 256, 4}, {"1024", 1024, 4}, {"4@8", 4, 8},
};

const unsigned long pcpu_bench_lives[PCPU_BENCH_NR_LIVES] = {
	1UL << 10,
	1UL << 14,
	1UL << 18,
	1UL << 20,
};

/* How often (in operations) a fill looks at the clock and its budget. */
#define FILL_CHECK_EVERY 256

static struct pcpu_allocator bench_pa;

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

uint64_t pcpu_bench_scale(uint64_t ticks, uint64_t num, uint64_t den)
{
	if (!den)
		return 0;
	return ticks / den * num + ticks % den * num / den;
}

uint64_t pcpu_bench_dns_per_op(const struct pcpu_bench_phase *p, bool alloc, uint64_t freq)
{
	uint64_t ns = pcpu_bench_scale(alloc ? p->alloc_ticks : p->free_ticks, 1000000000, freq);

	return p->ops ? ns * 10 / p->ops : 0;
}

uint64_t pcpu_bench_ms(uint64_t ticks, uint64_t freq)
{
	return pcpu_bench_scale(ticks, 1000, freq);
}

unsigned long pcpu_bench_meta_per_4k(const struct pcpu_bench_result *r)
{
	uint64_t unit_bytes = (uint64_t)r->chunks * r->unit_size;

	return unit_bytes ? (unsigned long)((uint64_t)r->meta_bytes * 4096 / unit_bytes) : 0;
}

const char *pcpu_bench_status_name(enum pcpu_bench_status s)
{
	switch (s) {
	case PCPU_BENCH_DONE:
		return "done";
	case PCPU_BENCH_SKIPPED:
		return "skipped";
	case PCPU_BENCH_NOMEM:
		return "nomem";
	default:
		return "failed";
	}
}

/*
 * Fill budget check, every FILL_CHECK_EVERY units of work: @done of @total so far. Gives up
 * when the budget is spent, or (once a sixteenth is done, so that the estimate rests on a
 * few chunks: the area map's fill is quadratic within a chunk, linear over chunks) when the
 * projected total exceeds it.
 */
static bool over_budget(const struct pcpu_bench_env *env, uint64_t budget, uint64_t start,
			uint64_t done, uint64_t total, struct pcpu_bench_result *r)
{
	uint64_t el;

	if (!budget || done % FILL_CHECK_EVERY)
		return false;
	el = env->clock() - start;
	r->projected_ticks = el / done * total + el % done * total / done;
	if (el > budget || (done >= total / 16 && r->projected_ticks > budget)) {
		r->fill_ticks = el;
		r->budget_ticks = budget;
		return true;
	}
	return false;
}

static bool fill_over_budget(const struct pcpu_bench_env *env, uint64_t start, uint64_t done,
			     uint64_t total, struct pcpu_bench_result *r)
{
	return over_budget(env, env->fill_budget, start, done, total, r);
}

/*
 * Fills handles[0, n); returns PCPU_BENCH_DONE, or the status to end the case with. Work is
 * counted in units for the projection: an allocation is 2, a filler's free 1 (it walks to
 * its place but does not recompute the area map's largest free area).
 */
static enum pcpu_bench_status fill(const struct pcpu_bench_env *env,
				   const struct pcpu_bench_case *bc, unsigned long n,
				   struct pcpu_bench_result *r)
{
	struct pcpu_allocator *pa = &bench_pa;
	bool filler = bc->align > bc->size;
	uint64_t total = (filler ? 5 : 2) * (uint64_t)n, done = 0, start = env->clock();
	unsigned long i;

	for (i = 0; i < n; i++) {
		env->handles[i] = pcpu_allocator_alloc(pa, bc->size, bc->align, PCPU_GFP_NOWARN);
		if (filler)
			env->fillers[i] =
			    pcpu_allocator_alloc(pa, bc->align - bc->size, 4, PCPU_GFP_NOWARN);
		r->filled = i + 1;
		if (!env->handles[i] || (filler && !env->fillers[i])) {
			if (!env->handles[i])
				r->filled = i;
			r->fill_ticks = env->clock() - start;
			return PCPU_BENCH_NOMEM;
		}
		done += filler ? 4 : 2;
		if (fill_over_budget(env, start, done, total, r))
			return PCPU_BENCH_SKIPPED;
	}
	/* free the fillers back to front, as the host tool always did */
	for (i = n; filler && i-- > 0;) {
		pcpu_allocator_free(pa, env->fillers[i]);
		env->fillers[i] = NULL;
		if (fill_over_budget(env, start, ++done, total, r))
			return PCPU_BENCH_SKIPPED;
	}
	r->fill_ticks = env->clock() - start;
	return PCPU_BENCH_DONE;
}

/* Is round a faster per operation pair than round b? */
static bool faster(const struct pcpu_bench_phase *a, const struct pcpu_bench_phase *b)
{
	return (a->alloc_ticks + a->free_ticks) * b->ops <
	       (b->alloc_ticks + b->free_ticks) * a->ops;
}

/*
 * One timed phase over the filled state: env->rounds rounds of batches, each at least
 * measure_ticks / rounds long; *ph gets the fastest round. Returns false if an allocation
 * failed.
 */
static bool measure(const struct pcpu_bench_env *env, const struct pcpu_bench_case *bc,
		    unsigned long n, uint64_t *seed, struct pcpu_bench_phase *ph)
{
	struct pcpu_allocator *pa = &bench_pa;
	unsigned int rounds = env->rounds ? env->rounds : 1, round;
	uint64_t start = env->clock(), round_ticks = env->measure_ticks / rounds, t0, t1;
	unsigned long idx[PCPU_BENCH_BATCH];
	void *batch[PCPU_BENCH_BATCH];
	bool ok = true;
	unsigned int k;

	*ph = (struct pcpu_bench_phase){0};
	for (round = 0; round < rounds && ok; round++) {
		struct pcpu_bench_phase cur = {0};
		uint64_t round_start = env->clock();

		do {
			/* pick and gather outside the timed part: handles[] is cold at 1M */
			for (k = 0; k < PCPU_BENCH_BATCH; k++) {
				do
					idx[k] = (unsigned long)(rnd(seed) % n);
				while (!env->handles[idx[k]]);
				batch[k] = env->handles[idx[k]];
				env->handles[idx[k]] = NULL;
			}
			t0 = env->clock();
			for (k = 0; k < PCPU_BENCH_BATCH; k++)
				pcpu_allocator_free(pa, batch[k]);
			t1 = env->clock();
			cur.free_ticks += t1 - t0;
			for (k = 0; k < PCPU_BENCH_BATCH; k++)
				batch[k] =
				    pcpu_allocator_alloc(pa, bc->size, bc->align, PCPU_GFP_NOWARN);
			t0 = env->clock();
			cur.alloc_ticks += t0 - t1;
			for (k = 0; k < PCPU_BENCH_BATCH; k++) {
				env->handles[idx[k]] = batch[k];
				ok &= batch[k] != NULL;
			}
			cur.ops += PCPU_BENCH_BATCH;
		} while (ok && t0 - round_start < round_ticks);
		if (!ph->ops || faster(&cur, ph))
			*ph = cur;
		if (env->measure_cap && env->clock() - start >= env->measure_cap)
			break;
	}
	return ok;
}

/* The k-th handle to free of n in drain order o: in order, alternating, reverse. */
static unsigned long drain_index(unsigned int o, unsigned long k, unsigned long n)
{
	unsigned long evens = (n + 1) / 2;

	if (o == 1)
		return k < evens ? 2 * k : 2 * (k - evens) + 1;
	if (o == 2)
		return n - 1 - k;
	return k;
}

/* Frees every live handle (and filler), untimed. */
static void drain_all(const struct pcpu_bench_env *env, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		pcpu_allocator_free(&bench_pa, env->handles[i]);
		pcpu_allocator_free(&bench_pa, env->fillers[i]);
		env->handles[i] = env->fillers[i] = NULL;
	}
}

/*
 * Linux's method on an empty allocator: for each drain order, time a plain fill of n objects
 * and a drain in that order; *ph gets the slowest fill and the slowest drain. Gives up (and
 * leaves the allocator empty) when an allocation fails, or when all three are over
 * env->fd_budget or projected to be (checked as a fill is, on the operations done so far).
 */
static enum pcpu_bench_status fill_drain(const struct pcpu_bench_env *env,
					 const struct pcpu_bench_case *bc, unsigned long n,
					 struct pcpu_bench_phase *ph)
{
	struct pcpu_allocator *pa = &bench_pa;
	uint64_t start = env->clock(), total = 6 * (uint64_t)n, done = 0, t0, t1, t2;
	struct pcpu_bench_result scratch;
	unsigned long i, k;
	unsigned int o;

	*ph = (struct pcpu_bench_phase){0};
	for (o = 0; o < 3; o++) {
		t0 = env->clock();
		for (i = 0; i < n; i++) {
			env->handles[i] =
			    pcpu_allocator_alloc(pa, bc->size, bc->align, PCPU_GFP_NOWARN);
			if (!env->handles[i] ||
			    over_budget(env, env->fd_budget, start, ++done, total, &scratch)) {
				enum pcpu_bench_status st =
				    env->handles[i] ? PCPU_BENCH_SKIPPED : PCPU_BENCH_NOMEM;

				drain_all(env, i + 1);
				*ph = (struct pcpu_bench_phase){0};
				return st;
			}
		}
		t1 = env->clock();
		for (k = 0; k < n; k++) {
			i = drain_index(o, k, n);
			pcpu_allocator_free(pa, env->handles[i]);
			env->handles[i] = NULL;
			if (over_budget(env, env->fd_budget, start, ++done, total, &scratch)) {
				drain_all(env, n);
				*ph = (struct pcpu_bench_phase){0};
				return PCPU_BENCH_SKIPPED;
			}
		}
		t2 = env->clock();
		ph->alloc_ticks = MAX(ph->alloc_ticks, t1 - t0);
		ph->free_ticks = MAX(ph->free_ticks, t2 - t1);
	}
	ph->ops = n;
	return PCPU_BENCH_DONE;
}

enum pcpu_bench_status pcpu_bench_run_case(const struct pcpu_bench_env *env,
					   enum pcpu_allocator_kind kind,
					   const struct pcpu_bench_case *bc, unsigned long live,
					   struct pcpu_bench_result *r)
{
	struct pcpu_allocator *pa = &bench_pa;
	struct pcpu_config cfg = {
		.layout = env->layout,
		.backend = env->backend,
		.kind = kind,
		.first_base = env->first_base,
		.static_size = env->static_size,
		.reserved_size = env->reserved_size,
	};
	uint64_t seed = env->seed ? env->seed : 0x853c49e6748fea9bULL;
	struct pcpu_stats st;
	unsigned long i;

	*r = (struct pcpu_bench_result){.live = live, .unit_size = env->layout->unit_size};
	if (live > env->max_live || live < PCPU_BENCH_BATCH || pcpu_allocator_init(pa, &cfg))
		return r->status = PCPU_BENCH_FAILED;
	for (i = 0; i < live; i++)
		env->handles[i] = env->fillers[i] = NULL;
	r->status = fill(env, bc, live, r);
	pcpu_allocator_stats(pa, &st);
	r->meta_bytes = st.meta_bytes;
	r->chunks = st.nr_chunks;
	if (r->status == PCPU_BENCH_DONE && !measure(env, bc, live, &seed, &r->zero))
		r->status = PCPU_BENCH_NOMEM;
	if (r->status == PCPU_BENCH_DONE && env->bare) {
		pa->cfg.no_zero = true;
		if (!measure(env, bc, live, &seed, &r->bare))
			r->status = PCPU_BENCH_NOMEM;
	}
	r->fd_status = PCPU_BENCH_SKIPPED;
	if (r->status == PCPU_BENCH_DONE && env->fill_drain) {
		drain_all(env, live);
		r->fd_run = true;
		pa->cfg.no_zero = false;
		r->fd_status = fill_drain(env, bc, live, &r->fd);
		if (r->fd_status == PCPU_BENCH_DONE && env->bare) {
			pa->cfg.no_zero = true;
			r->fd_status = fill_drain(env, bc, live, &r->fd_bare);
		}
	}
	pcpu_allocator_teardown(pa);
	return r->status;
}

/* appends to buf at *pos, keeping *pos within len */
static void put(char *buf, size_t len, size_t *pos, int n)
{
	if (n > 0)
		*pos = MIN(len ? len - 1 : 0, *pos + (size_t)n);
}

#define PUT(...) put(buf, len, &pos, snprintf(buf + pos, len - pos, __VA_ARGS__))

int pcpu_bench_format(char *buf, size_t len, enum pcpu_allocator_kind kind,
		      const struct pcpu_bench_case *bc, const struct pcpu_bench_result *r,
		      uint64_t freq)
{
	const struct pcpu_bench_phase *ph[4] = {&r->zero, &r->bare, &r->fd, &r->fd_bare};
	const char *pfx[4] = {"", "bare_", "fd_", "fd_bare_"};
	size_t pos = 0;
	unsigned int i;

	if (!len)
		return 0;
	buf[0] = 0;
	PUT("bench: kind=%s obj=%s size=%zu align=%zu live=%lu status=%s",
	    pcpu_allocator_name(kind), bc->name, bc->size, bc->align, r->live,
	    pcpu_bench_status_name(r->status));
	for (i = 0; i < 4 && r->status == PCPU_BENCH_DONE; i++) {
		uint64_t a = pcpu_bench_dns_per_op(ph[i], true, freq);
		uint64_t f = pcpu_bench_dns_per_op(ph[i], false, freq);

		if (i == 2 && r->fd_run && r->fd_status != PCPU_BENCH_DONE)
			PUT(" fd_status=%s", pcpu_bench_status_name(r->fd_status));
		if (!ph[i]->ops)
			continue;
		PUT(" %salloc_ns=%llu.%llu %sfree_ns=%llu.%llu %sops=%llu", pfx[i],
		    (unsigned long long)(a / 10), (unsigned long long)(a % 10), pfx[i],
		    (unsigned long long)(f / 10), (unsigned long long)(f % 10), pfx[i],
		    (unsigned long long)ph[i]->ops);
	}
	PUT(" meta_per_4k=%lu meta_bytes=%zu chunks=%u filled=%lu fill_ms=%llu",
	    pcpu_bench_meta_per_4k(r), r->meta_bytes, r->chunks, r->filled,
	    (unsigned long long)pcpu_bench_ms(r->fill_ticks, freq));
	switch (r->status) {
	case PCPU_BENCH_DONE:
		break;
	case PCPU_BENCH_SKIPPED:
		PUT(" projected_ms=%llu reason=fill given up after %llu.%llu s at %lu of %lu "
		    "objects: projected %llu s, budget %llu s",
		    (unsigned long long)pcpu_bench_ms(r->projected_ticks, freq),
		    (unsigned long long)pcpu_bench_ms(r->fill_ticks, freq) / 1000,
		    (unsigned long long)pcpu_bench_ms(r->fill_ticks, freq) % 1000 / 100, r->filled,
		    r->live, (unsigned long long)pcpu_bench_ms(r->projected_ticks, freq) / 1000,
		    (unsigned long long)pcpu_bench_ms(r->budget_ticks, freq) / 1000);
		break;
	case PCPU_BENCH_NOMEM:
		PUT(" reason=out of memory with %lu live objects", r->filled);
		break;
	default:
		PUT(" reason=allocator setup failed or case larger than the handle arrays");
		break;
	}
	return (int)pos;
}
