/*
 * smp_call.c - cross-CPU function calls (Linux's kernel/smp.c model).
 *
 * Each CPU has a queue of pending calls: a lock-free LIFO list of call_single_data that any
 * CPU pushes onto with a compare-and-swap. The push that finds the queue empty sends the
 * target one IPI (arch_cpu_kick()); later pushes ride on it. The target's IPI handler
 * (smp_call_ipi(), interrupt context) takes the whole list with one swap, puts it back in
 * arrival order and runs it. A call the caller waits for is unlocked after its function
 * returned; any other is unlocked before, so the caller may reuse it at once.
 *
 * A queue is closed by storing QUEUE_CLOSED in its head: pushes then fail with -ENXIO. A
 * CPU going down runs what is queued and closes its queue in one step (a swap that must
 * find the queue empty), so a call is either run or refused, never dropped.
 *
 * Nesting: a call that waits for another CPU with interrupts masked runs its own queue
 * meanwhile (csd_wait()), so queue runs nest on one CPU. A CPU must never die inside a nested
 * run: the outer run's remaining calls (and the outer call itself, half done, its caller
 * perhaps waiting) would be lost. So each queue counts its runs in progress (depth), and a
 * call that ends this CPU (the hotplug down request) goes through smp_call_outermost(): in a
 * nested run it is only recorded, and the outermost run calls it once its own list is done,
 * as a call of its own. When the CPU then dies, no run is left on its stack; the dying path
 * (smp_call_cpu_close()) runs whatever is queued or detached and closes the queue.
 *
 * Storage for calls the caller does not wait for: each calling CPU has one
 * call_single_data per target (allocated on its first call, from its memory node), reused
 * once the previous call through it was taken; a call that is waited for lives on the
 * caller's stack.
 */
#include <pcpurt/smp.h>
#include <pcpurt/arch.h>
#include <pcpurt/errno.h>
#include <pcpurt/memblock.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/printk.h>
#include <string.h>

#define QUEUE_CLOSED	((struct call_single_data *)1)
#define WAIT_SPINS	256	/* spins before a waiter naps (an emulator's vCPUs need the host) */

static struct call_queue {
	struct call_single_data *head;
	struct call_single_data *rest;	/* taken off the queue, not run yet (oldest first) */
	unsigned long ran;		/* calls run from this queue */
	unsigned int depth;		/* queue runs in progress on this CPU (nested runs) */
	smp_call_func_t later;		/* smp_call_outermost() deferred from a nested run */
	void *later_info;
} __aligned(64) queues[NR_CPUS];

static struct call_single_data *cfd[NR_CPUS];	/* per caller: one per target CPU */

void smp_call_init(void)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		queues[cpu].head = QUEUE_CLOSED;
	queues[smp_processor_id()].head = NULL;
}

void smp_call_cpu_open(unsigned int cpu)
{
	if (cpu != smp_processor_id()) {
		/* a CPU about to start: the runs it died in are gone with its old stack */
		queues[cpu].depth = 0;
		queues[cpu].rest = NULL;
		queues[cpu].later = NULL;
	}
	__atomic_store_n(&queues[cpu].head, NULL, __ATOMIC_RELEASE);
}

void smp_call_cpu_shut(unsigned int cpu)
{
	__atomic_store_n(&queues[cpu].head, QUEUE_CLOSED, __ATOMIC_RELEASE);
}

unsigned long smp_call_count(unsigned int cpu)
{
	return __atomic_load_n(&queues[cpu].ran, __ATOMIC_RELAXED);
}

/* queue_push() - 1 when @csd went onto an empty queue (send the IPI), 0, or -ENXIO closed. */
static int queue_push(unsigned int cpu, struct call_single_data *csd)
{
	struct call_single_data *head = __atomic_load_n(&queues[cpu].head, __ATOMIC_RELAXED);

	do {
		if (head == QUEUE_CLOSED)
			return -ENXIO;
		csd->next = head;
	} while (!__atomic_compare_exchange_n(&queues[cpu].head, &head, csd, true,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	return head == NULL;
}

/*
 * run_fifo() - run @fifo's calls in order; returns how many. What is left of the list is
 * kept in the queue's rest while each call runs, and taken from there after it: a call
 * that takes this CPU down runs (and takes) the rest before it dies (smp_call_cpu_close()),
 * and a nested run (a waiter with interrupts masked) keeps the outer run's rest.
 */
static unsigned int run_fifo(struct call_queue *q, struct call_single_data *fifo)
{
	struct call_single_data *outer = q->rest;
	unsigned int n = 0;

	q->depth++;
	while (fifo) {
		smp_call_func_t func = fifo->func;
		void *info = fifo->info;

		q->rest = fifo->next;
		if (fifo->flags & CSD_SYNC) {
			func(info);
			__atomic_store_n(&fifo->flags, 0, __ATOMIC_RELEASE);
		} else {
			__atomic_store_n(&fifo->flags, 0, __ATOMIC_RELEASE);
			func(info);
		}
		n++;
		fifo = q->rest;
	}
	q->rest = outer;
	q->depth--;
	return n;
}

/* run_list() - run the calls of a list taken from a queue (newest first) oldest first. */
static unsigned int run_list(struct call_queue *q, struct call_single_data *list)
{
	struct call_single_data *fifo = NULL, *next;

	while (list) {
		next = list->next;
		list->next = fifo;
		fifo = list;
		list = next;
	}
	return run_fifo(q, fifo);
}

/*
 * run_later() - in the outermost run, once its list is done: the call a nested run deferred
 * (smp_call_outermost()), run as a call of its own (depth 1, nothing detached around it).
 */
static void run_later(struct call_queue *q)
{
	smp_call_func_t fn = q->later;

	if (!fn)
		return;
	q->later = NULL;
	q->depth++;
	fn(q->later_info);
	q->depth--;
}

int smp_call_outermost(smp_call_func_t fn, void *info)
{
	struct call_queue *q = &queues[smp_processor_id()];

	if (q->depth <= 1) {
		fn(info);
		return 0;
	}
	if (q->later)
		return -EBUSY;
	q->later = fn;
	q->later_info = info;
	return 1;
}

/* flush_queue() - run this CPU's pending calls (interrupts masked); how many ran. */
static unsigned int flush_queue(unsigned int cpu)
{
	struct call_single_data *list = __atomic_load_n(&queues[cpu].head, __ATOMIC_ACQUIRE);
	unsigned int n;

	do {
		if (!list || list == QUEUE_CLOSED)
			return 0;
	} while (!__atomic_compare_exchange_n(&queues[cpu].head, &list, NULL, true,
					      __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE));
	n = run_list(&queues[cpu], list);
	__atomic_fetch_add(&queues[cpu].ran, n, __ATOMIC_RELAXED);
	if (!queues[cpu].depth)
		run_later(&queues[cpu]);
	return n;
}

void smp_call_ipi(void)
{
	flush_queue(smp_processor_id());
}

unsigned int smp_call_cpu_close(void)
{
	unsigned int cpu = smp_processor_id(), n = 0;

	if (queues[cpu].rest) {	/* called from a call: those taken with it first */
		struct call_single_data *rest = queues[cpu].rest;

		queues[cpu].rest = NULL;
		n += run_fifo(&queues[cpu], rest);
	}
	for (;;) {
		struct call_single_data *empty = NULL;

		if (__atomic_compare_exchange_n(&queues[cpu].head, &empty, QUEUE_CLOSED, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return n;
		n += flush_queue(cpu);
	}
}

/*
 * csd_wait() - until @csd is unlocked. With interrupts masked this CPU runs its own queue
 * meanwhile (its callers may be waiting for it while it waits for them).
 */
static void csd_wait(struct call_single_data *csd)
{
	unsigned int spins = 0;

	while (__atomic_load_n(&csd->flags, __ATOMIC_ACQUIRE) & CSD_LOCK) {
		if (arch_irqs_disabled())
			smp_call_ipi();
		if (++spins < WAIT_SPINS) {
			arch_cpu_relax();
		} else {
			arch_cpu_nap();
			spins = 0;
		}
	}
}

/* this_cfd() - this CPU's per-target call storage, allocated on first use; NULL: no memory. */
static struct call_single_data *this_cfd(unsigned int me)
{
	size_t size = ALIGN_UP(nr_cpu_ids * sizeof(struct call_single_data), SZ_4K);
	uint64_t mem;

	if (cfd[me])
		return cfd[me];
	if (page_alloc_ready())
		mem = alloc_pages_node(cpu_to_mem(me), size, SZ_4K);
	else
		mem = memblock_alloc_node(size, SZ_4K, cpu_to_mem(me), NULL);
	if (!mem)
		return NULL;
	memset((void *)(uintptr_t)mem, 0, size);
	cfd[me] = (struct call_single_data *)(uintptr_t)mem;
	return cfd[me];
}

/* queue_call() - @csd set up and queued on @cpu, the IPI sent when needed; 0 or -ENXIO. */
static int queue_call(unsigned int cpu, struct call_single_data *csd, smp_call_func_t func,
		      void *info, bool wait, unsigned int me)
{
	int rc;

	csd->func = func;
	csd->info = info;
	csd->src = me;
	__atomic_store_n(&csd->flags, CSD_LOCK | (wait ? CSD_SYNC : 0), __ATOMIC_RELAXED);
	rc = queue_push(cpu, csd);
	if (rc < 0) {
		__atomic_store_n(&csd->flags, 0, __ATOMIC_RELAXED);
		return rc;
	}
	if (rc)
		arch_cpu_kick((int)cpu);
	return 0;
}

int smp_call_function_single(int cpu, smp_call_func_t func, void *info, int wait)
{
	struct call_single_data on_stack, *csd;
	unsigned long flags;
	unsigned int me;
	int rc;

	if (cpu < 0 || (unsigned int)cpu >= nr_cpu_ids || !cpu_online(cpu))
		return -ENXIO;
	flags = arch_local_irq_save();
	me = smp_processor_id();
	if ((unsigned int)cpu == me) {
		func(info);
		arch_local_irq_restore(flags);
		return 0;
	}
	if (wait) {
		csd = &on_stack;
	} else {
		csd = this_cfd(me);
		if (!csd) {
			arch_local_irq_restore(flags);
			return -ENOMEM;
		}
		csd += cpu;
		csd_wait(csd);
	}
	rc = queue_call(cpu, csd, func, info, wait, me);
	arch_local_irq_restore(flags);
	if (!rc && wait)
		csd_wait(csd);
	return rc;
}

int smp_call_function_many(const struct cpumask *mask, smp_call_func_t func, void *info,
			   bool wait)
{
	struct call_single_data *csds;
	unsigned int cpu, me, missing = 0;
	unsigned long flags;

	flags = arch_local_irq_save();
	me = smp_processor_id();
	csds = this_cfd(me);
	if (!csds) {
		arch_local_irq_restore(flags);
		return -ENOMEM;
	}
	for_each_cpu(cpu, mask) {
		if (cpu == me)
			continue;
		if (cpu >= nr_cpu_ids || !cpu_online(cpu)) {
			missing++;
			continue;
		}
		csd_wait(&csds[cpu]);
		if (queue_call(cpu, &csds[cpu], func, info, wait, me))
			missing++;
	}
	arch_local_irq_restore(flags);
	if (wait)
		for_each_cpu(cpu, mask)
			if (cpu != me && cpu < nr_cpu_ids)
				csd_wait(&csds[cpu]);
	return missing ? -ENXIO : 0;
}

int on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	unsigned long flags;
	int rc = smp_call_function_many(&cpu_online_mask, func, info, wait);

	flags = arch_local_irq_save();
	func(info);
	arch_local_irq_restore(flags);
	return rc;
}
