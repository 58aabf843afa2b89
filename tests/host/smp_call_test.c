/*
 * smp_call_test.c - host test of the cross-CPU call queues (kernel/smp_call.c), one thread
 * playing every CPU: `cur` is the CPU the code runs on, a waiter's relax hands the machine to
 * a script of what the other CPUs do meanwhile, and a CPU "dies" by a longjmp out of its
 * stack. Checked: a request to go down that arrives in a nested queue run (a call waiting
 * for another CPU with interrupts masked runs its own queue) waits for the outermost run,
 * so the outer call finishes and every call queued or detached before the death runs
 * exactly once, on the right CPU, before the CPU dies; later calls are refused with -ENXIO;
 * the same after the CPU came back (its queue state reset), and for a request in an outer
 * run (taken at once, the rest of the detached list run by the dying path).
 */
#include <pcpurt/smp.h>
#include <pcpurt/errno.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/memblock.h>
#include <setjmp.h>
#include "test_util.h"

struct cpu_map cpu_map;
bool host_irqs_masked;
static unsigned int cur;
static bool kicked[NR_CPUS];
static jmp_buf dead;
static int step;		/* where the other CPUs' script is */
static unsigned int ran[8];	/* per call below: times it ran */
static unsigned int ran_on[8];	/* the CPU it last ran on */
static bool a_done_at_death, dying;
static unsigned int closed_ran;

enum { CALL_A, CALL_B, CALL_C, CALL_D, CALL_E, CALL_F };

unsigned int smp_processor_id(void)
{
	return cur;
}

void arch_cpu_kick(int cpu)
{
	kicked[cpu] = true;
}

bool page_alloc_ready(void)
{
	return false;
}

uint64_t alloc_pages_node(int node, uint64_t size, uint64_t align)
{
	return 0;
}

uint64_t memblock_alloc_node(uint64_t size, uint64_t align, int node, int *got_node)
{
	return (uint64_t)(uintptr_t)aligned_alloc(align, size);
}

static void note(unsigned int id)
{
	ran[id]++;
	ran_on[id] = cur;
}

/* on CPU 0: the runtime's dying path (kernel/cpu.c dying(), then the firmware stop) */
static void go_down(void *info)
{
	(void)info;
	a_done_at_death = ran[CALL_A] && !dying;
	cpumask_clear_cpu(cur, &cpu_online_mask);
	closed_ran = smp_call_cpu_close();
	longjmp(dead, 1);
}

static void call_d(void *info)
{
	note(CALL_D);
#ifdef DOWN_AT_ONCE	/* the old request: dies where it runs (the test must then fail) */
	go_down(info);
#else
	EXPECT_EQ(smp_call_outermost(go_down, info), *(int *)info);
#endif
}

static void call_plain(void *info)
{
	note((unsigned int)(uintptr_t)info);
}

/*
 * A: on CPU 0, waits with interrupts masked (as in its IPI) for a call C on CPU 2. Each
 * source CPU has one slot per target for calls not waited for, reused once taken: the calls
 * queued on CPU 0 come from different CPUs (1: A, D, E; 3: B) so that none waits for another.
 */
static void call_a(void *info)
{
	dying = true;
	EXPECT_EQ(smp_call_function_single(2, call_plain, (void *)CALL_C, 1), 0);
	dying = false;
	note(CALL_A);
}

static unsigned int as_cpu(unsigned int cpu)
{
	unsigned int me = cur;

	cur = cpu;
	return me;
}

static int queue_from(unsigned int from, unsigned int to, smp_call_func_t fn, void *info)
{
	unsigned int me = as_cpu(from);
	bool masked = host_irqs_masked;
	int rc;

	host_irqs_masked = false;
	rc = smp_call_function_single((int)to, fn, info, 0);
	host_irqs_masked = masked;
	cur = me;
	return rc;
}

/* the IPI taken on @cpu: its queue run with interrupts masked; true if it died */
static bool take_ipi(unsigned int cpu)
{
	unsigned int me = as_cpu(cpu);
	bool died = false;

	kicked[cpu] = false;
	host_irqs_masked = true;
	if (!setjmp(dead))
		smp_call_ipi();
	else
		died = true;
	host_irqs_masked = false;
	cur = me;
	return died;
}

static int nested_rc = 1;

/* what CPUs 1 and 2 do while A waits on CPU 0 */
void host_other_cpus(void)
{
	unsigned int me;

	switch (step++) {
	case 0:	/* CPU 1 asks CPU 0 to go down: D lands in A's nested run */
		EXPECT_EQ(queue_from(1, 0, call_d, &nested_rc), 0);
		break;
	case 1:	/* ...and queues E behind it, in CPU 0's queue again */
		EXPECT_EQ(queue_from(1, 0, call_plain, (void *)CALL_E), 0);
		break;
	case 2:	/* CPU 2 takes its IPI: C runs, A's wait ends */
		me = as_cpu(2);
		host_irqs_masked = true;
		smp_call_ipi();
		cur = me;
		break;
	default:	/* A never stops waiting: the test fails, it does not hang */
		if (step > 1000) {
			fprintf(stderr, "smp_call_test: FAIL: a waiter never returned\n");
			exit(1);
		}
		break;
	}
}

static void reset_counts(void)
{
	memset(ran, 0, sizeof(ran));
	memset(ran_on, 0xff, sizeof(ran_on));
	step = 0;
	a_done_at_death = false;
	closed_ran = 0;
}

static void check_nested_down(const char *round)
{
	reset_counts();
	/* CPU 1 queues A then B on CPU 0: one IPI, one detached list [A, B] */
	EXPECT_EQ(queue_from(1, 0, call_a, NULL), 0);
	EXPECT_EQ(queue_from(3, 0, call_plain, (void *)CALL_B), 0);
	EXPECT(kicked[0]);
	EXPECT(take_ipi(0));
	printf("%s: A %u B %u C %u D %u E %u (dying path ran %u)\n", round, ran[CALL_A],
	       ran[CALL_B], ran[CALL_C], ran[CALL_D], ran[CALL_E], closed_ran);
	EXPECT_EQ(ran[CALL_A], 1);
	EXPECT_EQ(ran[CALL_B], 1);
	EXPECT_EQ(ran[CALL_C], 1);
	EXPECT_EQ(ran[CALL_D], 1);
	EXPECT_EQ(ran[CALL_E], 1);
	EXPECT_EQ(ran_on[CALL_A], 0);
	EXPECT_EQ(ran_on[CALL_B], 0);
	EXPECT_EQ(ran_on[CALL_C], 2);
	EXPECT_EQ(ran_on[CALL_E], 0);
	EXPECT(a_done_at_death);
	/* the dead CPU refuses calls, nothing is queued for it */
	EXPECT_EQ(queue_from(1, 0, call_plain, (void *)CALL_F), -ENXIO);
	EXPECT_EQ(queue_from(2, 0, call_plain, (void *)CALL_F), -ENXIO);
	EXPECT_EQ(ran[CALL_F], 0);
}

int main(void)
{
	unsigned int cpu;

	nr_cpu_ids = 4;
	for (cpu = 0; cpu < 4; cpu++) {
		cpumask_set_cpu(cpu, &cpu_possible_mask);
		cpumask_set_cpu(cpu, &cpu_online_mask);
	}
	smp_call_init();
	smp_call_cpu_open(1);
	smp_call_cpu_open(2);
	smp_call_cpu_open(3);

	check_nested_down("nested down");

	/* CPU 0 comes back (opened by CPU 1, as kernel/cpu.c start() does) and again */
	cur = 1;
	smp_call_cpu_open(0);
	cpumask_set_cpu(0, &cpu_online_mask);
	cur = 0;
	check_nested_down("nested down after coming back");

	/* a request in the outermost run: taken at once, the run's rest by the dying path */
	cur = 1;
	smp_call_cpu_open(0);
	cpumask_set_cpu(0, &cpu_online_mask);
	cur = 0;
	reset_counts();
	nested_rc = 0;
	EXPECT_EQ(queue_from(1, 0, call_plain, (void *)CALL_B), 0);
	EXPECT_EQ(queue_from(2, 0, call_d, &nested_rc), 0);
	EXPECT_EQ(queue_from(3, 0, call_plain, (void *)CALL_E), 0);
	EXPECT(take_ipi(0));
	EXPECT_EQ(ran[CALL_B], 1);
	EXPECT_EQ(ran[CALL_D], 1);
	EXPECT_EQ(ran[CALL_E], 1);
	EXPECT_EQ(closed_ran, 1);
	EXPECT_EQ(queue_from(1, 0, call_plain, (void *)CALL_F), -ENXIO);

	printf("smp_call_test: %s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
