/* hello_percpu.c - every CPU counts in its own per-CPU variable; the boot CPU adds up. */
#include <pcpurt/percpu.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <stdlib.h>

static DEFINE_PER_CPU(unsigned long, count);	/* one copy per CPU */
static unsigned long rounds = 1000;		/* hello_rounds=N on the command line */

static int set_rounds(const char *v)
{
	char *end;

	rounds = strtoul(v, &end, 0);
	return end == v || *end ? -1 : 0;	/* -1: value refused, the run fails */
}
DEFINE_BOOT_PARAM("hello_rounds", set_rounds);

/* every online CPU at once: CPU n counts to rounds x (n + 1) */
static int hello_run(void)
{
	unsigned long i, mine = rounds * (smp_processor_id() + 1);

	this_cpu_write(count, 0);		/* a second run starts again from 0 */
	for (i = 0; i < mine; i++)
		this_cpu_inc(count);
	run_note("counted to %lu", this_cpu_read(count));	/* this CPU's table row */
	return this_cpu_read(count) == mine ? 0 : -1;
}

/* the boot CPU, once, after every CPU returned: read every CPU's copy */
static int hello_after(void)
{
	unsigned long sum = 0, want = 0;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		sum += per_cpu(count, cpu);
		want += rounds * (cpu + 1);
	}
	printk("hello-percpu: %lu counted in all, want %lu\n", sum, want);
	return sum == want ? 0 : test_fail("sum %lu, want %lu", sum, want);
}
DEFINE_SMP_WORKLOAD("hello-percpu", hello_run, "every CPU counts in its own variable",
		    NULL, hello_after);
