/*
 * workload_irq.c - percpu-irq: this_cpu_* operations and spin locks against an interrupt on
 * the same CPU, with interrupts unmasked.
 *
 * Every online CPU starts a timer tick (arch_tick_start()) and, with interrupts on, does
 * this_cpu_inc() on static counters of 1, 2, 4 and 8 bytes while the tick's handler does
 * the same on the same counters of the same CPU. No update may be lost: each counter must
 * end at loop iterations + ticks (mod its width). Now and then the loop also takes a
 * shared ticket lock with spin_lock_irqsave() and counts under it, as the handler does with
 * spin_lock(): if irqsave let the tick in while the lock is held, the CPU would deadlock on
 * itself. The boot CPU then checks the shared count.
 *
 * The tick itself is checked too (arch_tick_start()'s promise): no tick may begin less than
 * a period after the previous handler ended (a late tick re-arms from the end of its
 * handler, it never catches up), and the interrupted loop must advance between ticks: a
 * run of STALL_TICKS ticks with no loop iteration between them fails. `percpu_irq_slow=US`
 * makes each handler busy-wait US microseconds (longer than the 1 ms period: the handler
 * of a contended lock), which an interrupt path that re-arms before the handler or loops
 * while a tick is pending turns into a CPU that only takes ticks. After STALL_TICKS such
 * ticks the handler stops waiting, so that a broken path still ends with a FAIL line.
 *
 * What it can show under QEMU: QEMU takes an interrupt only between translation blocks, so
 * a broken read-modify-write inside one block would still pass; the interrupt path itself
 * (vectors, controller, per-CPU data in the handler, resume) and lost-update freedom across
 * block boundaries are what this checks. A machine without a timer interrupt path we drive
 * (the Pi 3's local controller) reports "skipped" and passes.
 */
#include <pcpurt/arch.h>
#include <pcpurt/percpu.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <pcpurt/spinlock.h>
#include <stdlib.h>
#include <string.h>

/*
 * Under an oversubscribed emulator the tick is slow (QEMU's timers wait for its main
 * thread: a few per second was seen with 100 vCPUs on 2 host cores), and a ticket lock
 * contended by many vCPUs is slower still: few ticks are asked for, the time bound is
 * generous, and the loop's lock traffic is spread over all CPUs (one lock per
 * LOCK_EVERY x CPUs iterations, each CPU at its own phase: CPUs that start together would
 * otherwise all queue on the lock at the same iteration). The tick is 1 ms, longer with more
 * than TICK_CPUS CPUs (the machine's ticks per second stay at TICK_CPUS kHz): every tick is
 * a trip through QEMU's global lock (riscv: an SBI call that writes the timer; arm64: the
 * GIC), and 64 harts ticking every 100 us once kept QEMU in that lock for over two minutes;
 * at 1 ms a 64-hart riscv run still crawled about 1 boot in 10 on a loaded host.
 */
#define TICK_US		1000
#define TICK_CPUS	16
#define MIN_TICKS	5
#define MIN_LOOPS	20000
#define LOCK_EVERY	64
#define MAX_SECONDS	30
#define STALL_TICKS	20	/* ticks in a row without a loop iteration between them */
#define SLOW_MAX_US	1000000

/* one CPU's counters: those of each size are shared by the loop and the tick */
struct irq_counts {
	uint8_t c8;
	uint16_t c16;
	uint32_t c32;
	uint64_t c64;
	uint64_t ticks;
	uint64_t locked;	/* the loop's own counts under the lock */
	bool skipped;
	/* the tick's own checks, all written by the handler */
	uint64_t last_exit;	/* counter when the previous handler ended */
	uint64_t last_progress;	/* loop iterations seen by the previous tick */
	uint64_t min_gap, max_gap;	/* counter ticks from a handler's end to the next tick */
	uint64_t early;		/* ticks less than a period after the previous handler */
	unsigned int stall, max_stall;	/* ticks in a row with no loop iteration between */
	bool stalled;		/* STALL_TICKS reached: the slow wait is dropped */
};
static DEFINE_PER_CPU(struct irq_counts, irq);

static DEFINE_SPINLOCK(irq_lock);
static uint64_t irq_shared;
static unsigned long slow_us;
static unsigned int tick_us;
static uint64_t tick_period;	/* counter ticks */

static int set_slow(const char *v)
{
	char *end;

	slow_us = strtoul(v, &end, 0);
	return end == v || *end || slow_us > SLOW_MAX_US ? -1 : 0;
}
DEFINE_BOOT_PARAM("percpu_irq_slow", set_slow);

/* the increment both the loop and the tick make, one per size */
static inline void irq_inc_sizes(void)
{
	this_cpu_inc(irq.c8);
	this_cpu_inc(irq.c16);
	this_cpu_inc(irq.c32);
	this_cpu_inc(irq.c64);
}

/*
 * irq_check_tick() - at a tick's start: how long since the previous handler ended (never
 * less than a period), and whether the loop ran in between (c64 counts loop iterations
 * and ticks, so c64 - ticks is the loop's count).
 */
static void irq_check_tick(uint64_t now)
{
	struct irq_counts *c = this_cpu_ptr(&irq);
	uint64_t gap = now - c->last_exit, progress = c->c64 - c->ticks;

	if (gap < tick_period)
		c->early++;
	if (gap < c->min_gap)
		c->min_gap = gap;
	if (gap > c->max_gap)
		c->max_gap = gap;
	if (c->ticks && progress == c->last_progress) {
		if (++c->stall > c->max_stall)
			c->max_stall = c->stall;
		if (c->stall >= STALL_TICKS)
			c->stalled = true;
	} else {
		c->stall = 0;
	}
	c->last_progress = progress;
}

static void irq_tick(void)
{
	uint64_t now = arch_counter();

	irq_check_tick(now);
	this_cpu_inc(irq.ticks);
	irq_inc_sizes();
	spin_lock(&irq_lock);
	irq_shared++;
	spin_unlock(&irq_lock);
	if (slow_us && !this_cpu_read(irq.stalled))
		while (arch_counter() - now < arch_counter_freq() * slow_us / 1000000)
			arch_cpu_relax();
	this_cpu_write(irq.last_exit, arch_counter());
}

static uint64_t counter_us(uint64_t t)
{
	return t * 1000000 / arch_counter_freq();
}

static int irq_before(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		memset(per_cpu_ptr(&irq, cpu), 0, sizeof(irq));
		per_cpu(irq, cpu).min_gap = ~0ULL;
	}
	irq_shared = 0;
	tick_us = TICK_US * (num_online_cpus() > TICK_CPUS ? num_online_cpus() / TICK_CPUS : 1);
	tick_period = arch_counter_freq() * tick_us / 1000000 ?: 1;
	if (slow_us)
		printk("run: percpu-irq: each tick handler waits %lu us (percpu_irq_slow), "
		       "the period is %u us\n", slow_us, tick_us);
	return 0;
}

static int irq_run(void)
{
	uint64_t start = arch_counter(), limit = arch_counter_freq() * MAX_SECONDS, loops = 0;
	uint64_t lock_every = (uint64_t)LOCK_EVERY * num_online_cpus(), ticks, want;
	uint64_t phase = (uint64_t)LOCK_EVERY * smp_processor_id() % lock_every;
	struct irq_counts *c;
	unsigned long flags;
	int err = 0;

	/* read before the tick is armed: the first tick too comes a period after it */
	this_cpu_write(irq.last_exit, arch_counter());
	if (arch_tick_start(tick_us, irq_tick)) {
		this_cpu_write(irq.skipped, true);
		run_note("skipped: no timer interrupt path on this machine");
		return 0;
	}
	do {
		irq_inc_sizes();
		if (++loops % lock_every == phase) {
			flags = spin_lock_irqsave(&irq_lock);
			irq_shared++;
			spin_unlock_irqrestore(&irq_lock, flags);
			this_cpu_inc(irq.locked);
		}
	} while ((loops < MIN_LOOPS || this_cpu_read(irq.ticks) < MIN_TICKS) &&
		 arch_counter() - start < limit);
	arch_tick_stop();

	ticks = this_cpu_read(irq.ticks);
	want = loops + ticks;
	if (ticks < MIN_TICKS)
		err |= test_fail("only %llu timer interrupts in %d s", (unsigned long long)ticks,
				 MAX_SECONDS);
	if (this_cpu_read(irq.c64) != want || this_cpu_read(irq.c32) != (uint32_t)want ||
	    this_cpu_read(irq.c16) != (uint16_t)want || this_cpu_read(irq.c8) != (uint8_t)want)
		err |= test_fail("lost updates: c64 %llu c32 %u c16 %u c8 %u, want %llu",
				 (unsigned long long)this_cpu_read(irq.c64), this_cpu_read(irq.c32),
				 this_cpu_read(irq.c16), this_cpu_read(irq.c8),
				 (unsigned long long)want);
	c = this_cpu_ptr(&irq);
	if (c->early)
		err |= test_fail("CPU%u: %llu of %llu ticks came less than %d us after the "
				 "previous handler ended (shortest gap %llu us): a late tick "
				 "fired again at once", smp_processor_id(),
				 (unsigned long long)c->early, (unsigned long long)ticks,
				 tick_us, (unsigned long long)counter_us(c->min_gap));
	if (c->stalled)
		err |= test_fail("CPU%u: the interrupted loop stalled: %u ticks in a row with "
				 "no iteration between them", smp_processor_id(), c->max_stall);
	run_note("%llu incs, %llu ticks of %u us, gap %llu-%llu us, stall %u",
		 (unsigned long long)loops, (unsigned long long)ticks, tick_us,
		 (unsigned long long)counter_us(c->min_gap),
		 (unsigned long long)counter_us(c->max_gap), c->max_stall);
	return err;
}

/* the shared count: every CPU's locked loop counts and every tick */
static int irq_after(void)
{
	uint64_t want = 0;
	unsigned int cpu, skipped = 0;

	for_each_online_cpu(cpu) {
		want += per_cpu(irq, cpu).locked + per_cpu(irq, cpu).ticks;
		skipped += per_cpu(irq, cpu).skipped;
	}
	printk("run: percpu-irq: shared count %llu under the lock, want %llu%s\n",
	       (unsigned long long)irq_shared, (unsigned long long)want,
	       skipped ? " (no interrupts: skipped)" : "");
	return irq_shared == want ? 0 : test_fail("shared count %llu, want %llu",
						  (unsigned long long)irq_shared,
						  (unsigned long long)want);
}
DEFINE_SMP_TEST("percpu-irq", irq_run,
		"this_cpu ops and irqsave locks against a timer interrupt on the same CPU",
		irq_before, irq_after);
