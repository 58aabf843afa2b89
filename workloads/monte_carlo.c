/*
 * monte_carlo.c - a parallel computation with per-CPU state: estimate pi by throwing random
 * points at a square and counting those inside the quarter circle.
 *
 * The samples are cut into blocks of BLOCK; CPUs take blocks from a shared ticket until none
 * is left. Each CPU keeps its random generator and its tallies in per-CPU variables
 * (DEFINE_PER_CPU, this_cpu_ptr) and counts hits in a percpu_counter: an increment touches
 * only this CPU's slot, and only every batch-th one takes the counter's lock. The generator
 * is seeded from (seed, block) at the start of each block, so the total is the same whatever
 * the CPU count and whichever CPU ran which block: for the default seed and sample count it
 * must be exactly EXPECTED_HITS (computed off-line, see docs/workloads.md); for any other it
 * must equal the boot CPU's recount, one block after the other.
 */
#include <pcpurt/percpu.h>
#include <pcpurt/percpu_alloc_counter.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <stdlib.h>

#define BLOCK		4096
#define DEFAULT_SEED	1
#define DEFAULT_SAMPLES	(256 * BLOCK)
#define EXPECTED_HITS	823736	/* hits for DEFAULT_SEED and DEFAULT_SAMPLES */

struct mc_state {
	uint64_t rng;		/* splitmix64 state */
	uint64_t blocks, hits;	/* this CPU's tallies, for its row of the table */
};

static DEFINE_PER_CPU(struct mc_state, mc);
static struct percpu_counter hits;
static unsigned long seed = DEFAULT_SEED, samples = DEFAULT_SAMPLES;
static unsigned long next_block;	/* the shared ticket: next block to take */

static int set_seed(const char *v)
{
	char *end;

	seed = strtoul(v, &end, 0);
	return end == v || *end ? -1 : 0;
}
DEFINE_BOOT_PARAM("monte_carlo_seed", set_seed);

static int set_samples(const char *v)
{
	char *end;

	samples = strtoul(v, &end, 0);
	return end == v || *end || !samples || samples % BLOCK ? -1 : 0;
}
DEFINE_BOOT_PARAM("monte_carlo_samples", set_samples);

/* splitmix64: a small, good 64-bit generator whose whole state is one number */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * One point (x, y), each a 32-bit fraction of the side: inside the quarter circle when
 * x^2 + y^2 < 2^64, that is when the 64-bit sum does not overflow.
 */
static bool throw_dart(uint64_t *state)
{
	uint64_t r = next_random(state), x = r >> 32, y = r & 0xffffffff, sum;

	return !__builtin_add_overflow(x * x, y * y, &sum);
}

static void seed_block(uint64_t *state, unsigned long block)
{
	*state = seed * 0xd1342543de82ef95ULL + block;
}

static int mc_before(void)
{
	unsigned int cpu;

	next_block = 0;
	for_each_possible_cpu(cpu) {
		per_cpu(mc, cpu).blocks = 0;
		per_cpu(mc, cpu).hits = 0;
	}
	if (percpu_counter_init(&hits, &pcpu_default, 0, PERCPU_COUNTER_DEFAULT_BATCH))
		return test_fail("percpu_counter_init failed");
	return 0;
}

/* Every online CPU: take blocks until none is left, count each hit in the percpu_counter. */
static int mc_run(void)
{
	struct mc_state *st = this_cpu_ptr(&mc);
	unsigned long block, i;

	while ((block = __atomic_fetch_add(&next_block, 1, __ATOMIC_RELAXED)) < samples / BLOCK) {
		seed_block(&st->rng, block);
		for (i = 0; i < BLOCK; i++) {
			if (throw_dart(&st->rng)) {
				percpu_counter_inc(&hits);
				st->hits++;
			}
		}
		st->blocks++;
	}
	run_note("%llu blocks, %llu hits", (unsigned long long)st->blocks,
		 (unsigned long long)st->hits);
	return 0;
}

/* pi ~ 4 hits / samples, printed with 6 decimals in integer arithmetic */
static void print_estimate(uint64_t n)
{
	uint64_t micro = n * 4000000 / samples;

	printk("monte-carlo: %llu of %lu points inside: pi ~ %llu.%06llu\n",
	       (unsigned long long)n, samples, (unsigned long long)(micro / 1000000),
	       (unsigned long long)(micro % 1000000));
}

static int mc_after(void)
{
	int64_t sum = percpu_counter_sum(&hits), read = percpu_counter_read(&hits);
	uint64_t want = 0, state, slack = (uint64_t)PERCPU_COUNTER_DEFAULT_BATCH * num_online_cpus();
	unsigned long block, i;
	int err = 0;

	print_estimate(sum);
	printk("monte-carlo: percpu_counter_read() %lld, percpu_counter_sum() %lld\n",
	       (long long)read, (long long)sum);
	if ((uint64_t)(sum - read) > slack)
		err |= test_fail("read() is %lld off the sum, more than batch x CPUs (%llu)",
				 (long long)(sum - read), (unsigned long long)slack);
	if (seed == DEFAULT_SEED && samples == DEFAULT_SAMPLES) {
		want = EXPECTED_HITS;
	} else {
		for (block = 0; block < samples / BLOCK; block++) {
			seed_block(&state, block);
			for (i = 0; i < BLOCK; i++)
				want += throw_dart(&state);
		}
	}
	if ((uint64_t)sum != want)
		err |= test_fail("%lld hits, want %llu", (long long)sum, (unsigned long long)want);
	else
		printk("monte-carlo: hits exact (%llu for seed %lu)\n", (unsigned long long)want,
		       seed);
	percpu_counter_destroy(&hits);
	return err;
}
DEFINE_SMP_WORKLOAD("monte-carlo", mc_run,
		    "pi by Monte Carlo: per-CPU generators, hits in a percpu_counter, exact count",
		    mc_before, mc_after);
