/*
 * trace_rings.c - per-CPU event ring buffers, the way Linux's per-CPU trace buffers work:
 * each CPU logs events into its own ring with no lock and no atomic (no other CPU writes
 * there), and a reader merges the rings in time order afterwards.
 *
 * Every online CPU logs trace_events= "work" events (a little busy work between them, so
 * the CPUs interleave in time), then one "barrier-in" event, meets the others at
 * smp_barrier(), and logs one "barrier-out" event. The boot CPU then reads every ring and
 * checks that no event was lost (a full ring overwrites its oldest event and counts it),
 * that none is torn (each carries a checksum of its fields, its CPU and its sequence
 * number), that each ring is in time order, and, after the merge, that every barrier-out
 * comes after every barrier-in: the CPUs share one time base, so the merged order is the
 * order in which things happened.
 */
#include <pcpurt/arch.h>
#include <pcpurt/percpu.h>
#include <pcpurt/percpu_alloc.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <stdlib.h>

#define RING_EVENTS	256	/* per CPU */

enum event_kind { EV_WORK, EV_BARRIER_IN, EV_BARRIER_OUT };
static const char *const kind_name[] = { "work", "barrier-in", "barrier-out" };

struct event {
	uint64_t time;		/* arch_counter() when logged */
	uint32_t seq;		/* this CPU's event number, from 0 */
	uint16_t cpu;
	uint16_t kind;
	uint64_t value;
	uint64_t check;		/* event_check() of the fields above */
};

struct ring {
	uint32_t head;		/* events ever logged; the next goes to ev[head % RING_EVENTS] */
	uint32_t overwritten;	/* events lost to a full ring */
	struct event ev[RING_EVENTS];
};

static struct ring *rings;	/* alloc_percpu(): one ring per CPU */
static unsigned long work_events = 200;

static int set_work_events(const char *v)
{
	char *end;

	work_events = strtoul(v, &end, 0);
	return end == v || *end || work_events > 100000 ? -1 : 0;
}
DEFINE_BOOT_PARAM("trace_events", set_work_events);

static uint64_t event_check(const struct event *e)
{
	uint64_t h = e->time ^ ((uint64_t)e->seq << 32 | (uint64_t)e->cpu << 16 | e->kind);

	h = (h ^ e->value) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

/* Log one event on this CPU's ring: no lock, only this CPU writes its ring. */
static void trace_event(enum event_kind kind, uint64_t value)
{
	struct ring *r = this_cpu_ptr(rings);
	struct event *e = &r->ev[r->head % RING_EVENTS];

	if (r->head >= RING_EVENTS)
		r->overwritten++;
	e->time = arch_counter();
	e->seq = r->head;
	e->cpu = smp_processor_id();
	e->kind = kind;
	e->value = value;
	e->check = event_check(e);
	r->head++;
}

static int rings_before(void)
{
	rings = alloc_percpu(struct ring);
	return rings ? 0 : test_fail("alloc_percpu of %zu bytes failed", sizeof(struct ring));
}

static int rings_run(void)
{
	unsigned int cpu = smp_processor_id();
	uint64_t x = cpu + 1;
	unsigned long i, j;

	for (i = 0; i < work_events; i++) {
		for (j = 0; j < (i * 7 + cpu * 13) % 64; j++)	/* some work to log */
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		trace_event(EV_WORK, x);
	}
	trace_event(EV_BARRIER_IN, 0);
	smp_barrier();
	trace_event(EV_BARRIER_OUT, 0);
	run_note("%u events logged, %u overwritten", this_cpu_ptr(rings)->head,
		 this_cpu_ptr(rings)->overwritten);
	return 0;
}

/* One CPU's ring: nothing lost, nothing torn, in time order. Returns the problems found. */
static int check_ring(unsigned int cpu, const struct ring *r)
{
	uint32_t i;

	if (r->overwritten)
		return test_fail("CPU%u lost %u events: its ring holds %u", cpu, r->overwritten,
				 RING_EVENTS);
	if (r->head != work_events + 2)
		return test_fail("CPU%u logged %u events, want %lu", cpu, r->head, work_events + 2);
	for (i = 0; i < r->head; i++) {
		const struct event *e = &r->ev[i];

		if (e->check != event_check(e) || e->seq != i || e->cpu != cpu)
			return test_fail("CPU%u event %u torn (seq %u, cpu %u)", cpu, i, e->seq,
					 e->cpu);
		if (i && e->time < r->ev[i - 1].time)
			return test_fail("CPU%u event %u is older than the one before", cpu, i);
	}
	return 0;
}

static void print_event(const struct event *e, uint64_t t0)
{
	uint64_t ns = (e->time - t0) * 1000000000ULL / arch_counter_freq();

	printk("trace-rings:   +%8llu ns  CPU%-3u #%-5u %s\n", (unsigned long long)ns, e->cpu,
	       e->seq, kind_name[e->kind]);
}

/* The reader: check each ring, then merge them by time (ties by CPU) and check the merge. */
static int rings_after(void)
{
	static uint32_t next[NR_CPUS];	/* next unread event of each CPU's ring */
	uint64_t t0 = 0, last = 0, last_in = 0, first_out = UINT64_MAX, merged = 0, want = 0;
	unsigned int cpu;
	int err = 0;

	for_each_online_cpu(cpu) {
		err |= check_ring(cpu, per_cpu_ptr(rings, cpu));
		next[cpu] = 0;
		want += work_events + 2;
	}
	if (err)
		goto out;
	printk("trace-rings: merged in time order, the barrier events:\n");
	for (;;) {
		const struct event *e = NULL, *c;

		for_each_online_cpu(cpu) {
			const struct ring *r = per_cpu_ptr(rings, cpu);

			if (next[cpu] == r->head)
				continue;
			c = &r->ev[next[cpu]];
			if (!e || c->time < e->time)
				e = c;
		}
		if (!e)
			break;
		next[e->cpu]++;
		if (!merged)
			t0 = e->time;
		if (e->kind != EV_WORK)
			print_event(e, t0);
		if (e->time < last)
			err |= test_fail("merge out of order at event %llu",
					 (unsigned long long)merged);
		last = e->time;
		if (e->kind == EV_BARRIER_IN && e->time > last_in)
			last_in = e->time;
		if (e->kind == EV_BARRIER_OUT && e->time < first_out)
			first_out = e->time;
		merged++;
	}
	printk("trace-rings: %llu events from %u CPUs merged, %llu ns from first to last\n",
	       (unsigned long long)merged, num_online_cpus(),
	       (unsigned long long)((last - t0) * 1000000000ULL / arch_counter_freq()));
	if (merged != want)
		err |= test_fail("merged %llu events, want %llu", (unsigned long long)merged,
				 (unsigned long long)want);
	if (first_out < last_in)
		err |= test_fail("a barrier-out event is older than a barrier-in event");
	if (!err)
		printk("trace-rings: none lost, none torn, every barrier-out after every "
		       "barrier-in\n");
out:
	free_percpu(rings);
	return err;
}
DEFINE_SMP_WORKLOAD("trace-rings", rings_run,
		    "per-CPU event rings with no lock, merged in time order; nothing lost or torn",
		    rings_before, rings_after);
