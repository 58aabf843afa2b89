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
#include <string.h>

/*
 * Under an oversubscribed emulator the tick is slow (QEMU's timers wait for its main
 * thread: a few per second was seen with 100 vCPUs on 2 host cores), and a ticket lock
 * contended by many vCPUs is slower still: few ticks are asked for, the time bound is
 * generous, and the loop's lock traffic is spread over all CPUs (one lock per
 * LOCK_EVERY x CPUs iterations). The tick is 1 ms: every tick is a trip through QEMU's
 * global lock (riscv: an SBI call that writes the timer; arm64: the GIC), and 64 harts
 * ticking every 100 us once kept QEMU in that lock for over two minutes.
 */
#define TICK_US		1000
#define MIN_TICKS	5
#define MIN_LOOPS	20000
#define LOCK_EVERY	64
#define MAX_SECONDS	30

/* one CPU's counters: those of each size are shared by the loop and the tick */
struct irq_counts {
	uint8_t c8;
	uint16_t c16;
	uint32_t c32;
	uint64_t c64;
	uint64_t ticks;
	uint64_t locked;	/* the loop's own counts under the lock */
	bool skipped;
};
static DEFINE_PER_CPU(struct irq_counts, irq);

static DEFINE_SPINLOCK(irq_lock);
static uint64_t irq_shared;

/* the increment both the loop and the tick make, one per size */
static inline void irq_inc_sizes(void)
{
	this_cpu_inc(irq.c8);
	this_cpu_inc(irq.c16);
	this_cpu_inc(irq.c32);
	this_cpu_inc(irq.c64);
}

static void irq_tick(void)
{
	this_cpu_inc(irq.ticks);
	irq_inc_sizes();
	spin_lock(&irq_lock);
	irq_shared++;
	spin_unlock(&irq_lock);
}

static int irq_before(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&irq, cpu), 0, sizeof(irq));
	irq_shared = 0;
	return 0;
}

static int irq_run(void)
{
	uint64_t start = arch_counter(), limit = arch_counter_freq() * MAX_SECONDS, loops = 0;
	uint64_t lock_every = (uint64_t)LOCK_EVERY * num_online_cpus(), ticks, want;
	unsigned long flags;
	int err = 0;

	if (arch_tick_start(TICK_US, irq_tick)) {
		this_cpu_write(irq.skipped, true);
		run_note("skipped: no timer interrupt path on this machine");
		return 0;
	}
	do {
		irq_inc_sizes();
		if (++loops % lock_every == 0) {
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
	run_note("%llu incs, %llu ticks of %d us, each counter = incs + ticks",
		 (unsigned long long)loops, (unsigned long long)ticks, TICK_US);
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
