/*
 * cpu.c - the runtime's side of CPU hotplug: the operations kernel/cpuhp.c drives (start a
 * CPU through its enable method, interrupt it with a cross-CPU call so that it goes down,
 * hand it to the firmware, wait for the firmware to report it off), and the steps the
 * runtime itself registers (per-CPU counters fold a dead CPU's count).
 *
 * A CPU keeps everything across a down/up cycle: its unit (__per_cpu_offset is never
 * touched), its stack and exception/trap stack (allocated at its first start, reused at
 * every later one), its place in the masks other than online.
 */
#include <pcpurt/cpuhp.h>
#include <pcpurt/arch.h>
#include <pcpurt/errno.h>
#include <pcpurt/percpu.h>
#include <pcpurt/percpu_alloc_counter.h>
#include <pcpurt/printk.h>
#include <pcpurt/smp.h>
#include <string.h>

static unsigned int refuse_starts;	/* test hook: starts sent to a wrong hardware id */

void cpu_hotplug_test_refuse_next_start(void)
{
	refuse_starts++;
}

static unsigned int this_cpu(void)
{
	return smp_processor_id();
}

static int start(unsigned int cpu, const char **why)
{
	struct cpu_map_entry e = cpu_map.cpu[cpu];
	int rc;

	if (!secondary_boot.stack_top[cpu]) {
		uint64_t top = smp_secondary_stack(cpu);

		if (!top) {
			*why = "no memory for its stack";
			return -ENOMEM;
		}
		secondary_boot.stack_top[cpu] = top;
	}
	if (refuse_starts) {
		refuse_starts--;
		e.hwid = !strcmp(ARCH_NAME, "riscv64") ? 0x7fffffffUL : 0xff00ffUL;
	}
	smp_call_cpu_open(cpu);
	/* the CPU reads these with its MMU and caches off */
	arch_dcache_clean_inval(&secondary_boot, sizeof(secondary_boot));
	arch_dcache_clean_inval(__per_cpu_offset, sizeof(__per_cpu_offset));
	rc = arch_cpu_start(cpu, &e, why);
	if (rc) {
		smp_call_cpu_shut(cpu);
		return -EIO;
	}
	return 0;
}

static void go_down(void *info)
{
	(void)info;
	cpuhp_ap_down(smp_processor_id());
}

/* the request to go down: never inside a nested queue run (see kernel/smp_call.c) */
static void down_ipi(void *info)
{
	smp_call_outermost(go_down, info);
}

static int request_down(unsigned int cpu)
{
	return smp_call_function_single((int)cpu, down_ipi, NULL, 0);
}

struct run_on_args {
	cpuhp_cb_t fn;
	int rc;
};

static void run_on_ipi(void *info)
{
	struct run_on_args *a = info;

	a->rc = a->fn(smp_processor_id());
}

static int run_on(unsigned int cpu, cpuhp_cb_t fn)
{
	struct run_on_args a = { fn, 0 };
	int rc = smp_call_function_single((int)cpu, run_on_ipi, &a, 1);

	return rc ? rc : a.rc;
}

static void dying(unsigned int cpu)
{
	(void)cpu;
	smp_call_cpu_close();
}

static void revive(unsigned int cpu)
{
	smp_call_cpu_open(cpu);
}

/* its thread work is abandoned only now: a down rolled back after dying() resumes it */
static void die(unsigned int cpu)
{
	smp_run_abandon(cpu);
	arch_cpu_die();
}

static uint64_t now_us(void)
{
	return arch_counter() * 1000000 / arch_counter_freq();
}

static const struct cpuhp_ops runtime_ops = {
	.this_cpu = this_cpu,
	.cannot_stop = arch_cpu_cannot_stop,
	.start = start,
	.request_down = request_down,
	.run_on = run_on,
	.dying = dying,
	.revive = revive,
	.die = die,
	.wait_dead = arch_cpu_wait_dead,
	.relax = arch_cpu_nap,
	.now_us = now_us,
};

/* percpu_counter: a dead CPU's local count goes into the shared count (Linux's dead step) */
static int counters_dead(unsigned int cpu)
{
	percpu_counter_cpu_dead(cpu);
	return 0;
}

void cpu_hotplug_init(void)
{
	cpuhp_init(&runtime_ops);
}

/* The runtime's own steps, once the allocators run (before any test or workload). */
void cpu_hotplug_steps(void)
{
	cpuhp_setup_state(CPUHP_PREPARE, "percpu_counter:dead", NULL, counters_dead);
}
