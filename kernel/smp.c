/*
 * smp.c - logical CPU numbering, the possible/present/online masks, and bringing the
 * secondary CPUs up: all at once (up to maxcpus), each given a stack on its memory node
 * (cpu_to_mem()), waited
 * for with a bound on progress; a CPU that does not come up is reported and the others go
 * on.
 */
#include <pcpurt/smp.h>
#include <pcpurt/arch.h>
#include <pcpurt/boot.h>
#include <pcpurt/cpuhp.h>
#include <pcpurt/memblock.h>
#include <pcpurt/percpu.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/vmalloc.h>
#include <stdlib.h>
#include <string.h>

#define SECONDARY_STACK_SIZE	(16 * 1024)
#define ONLINE_TIMEOUT_MS	5000	/* Linux's arm64 __cpu_up() waits as long */
#define ONLINE_STEP_CAP_MS	20	/* of one wait step at most this counts (wait_online) */

/* a started CPU's claim on its place: the boot CPU gives up on it or it arrives, not both */
enum { BOOT_NONE, BOOT_WAITING, BOOT_ARRIVED, BOOT_ABANDONED };
static unsigned char boot_claim[NR_CPUS];

struct cpu_map cpu_map;
struct secondary_boot secondary_boot;
DEFINE_PER_CPU_READ_MOSTLY(unsigned int, cpu_number);

static bool secondaries_started, bring_up_done;
static unsigned int max_cpus = NR_CPUS;
static unsigned int silent_cpu;	/* test hook: this CPU is started without boot data */
static unsigned int late_cpu;	/* test hook: this CPU arrives once it was given up on */

/* smp_test_silent=N starts CPU N with no stack: it parks, which tests the timeout path. */
static int set_silent(const char *v)
{
	char *end;

	silent_cpu = strtoul(v, &end, 10);
	return end == v || *end ? -1 : 0;
}
DEFINE_BOOT_PARAM("smp_test_silent", set_silent);

/* smp_test_late=N: CPU N waits until bring-up gave up on it, then arrives (and must park). */
static int set_late(const char *v)
{
	char *end;

	late_cpu = strtoul(v, &end, 10);
	return end == v || *end ? -1 : 0;
}
DEFINE_BOOT_PARAM("smp_test_late", set_late);

static int set_maxcpus(const char *v)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);

	if (end == v || *end)
		return -1;
	max_cpus = n ? n : 1;
	return 0;
}
DEFINE_BOOT_PARAM("maxcpus", set_maxcpus);

bool smp_started(void)
{
	return secondaries_started;
}

bool smp_booted(void)
{
	return bring_up_done;
}

unsigned int smp_processor_id(void)
{
	return this_cpu_read(cpu_number);
}

static unsigned int nr_online_nodes;

static void mark_node(bool *seen, int node)
{
	if (node >= 0 && node < MAX_NUMNODES && !seen[node]) {
		seen[node] = true;
		nr_online_nodes++;
	}
}

/* count the distinct nodes of @dt's memory ranges and of the possible CPUs */
static void count_online_nodes(const struct dt_info *dt)
{
	static bool seen[MAX_NUMNODES];
	unsigned int cpu;
	int i;

	memset(seen, 0, sizeof(seen));
	nr_online_nodes = 0;
	for (i = 0; i < dt->nr_mem; i++)
		mark_node(seen, dt->mem[i].node == DT_NO_NODE ? 0 : dt->mem[i].node);
	for (cpu = 0; cpu < cpu_map.nr; cpu++)
		mark_node(seen, cpu_map.cpu[cpu].node);
}

void smp_init_cpus(const struct dt_info *dt, uint64_t boot_hwid)
{
	unsigned int cpu;

	cpu_map_build(dt, boot_hwid, !strcmp(ARCH_NAME, "riscv64"), &cpu_map, false);
	cpumask_clear(&cpu_possible_mask);
	cpumask_clear(&cpu_present_mask);
	cpumask_clear(&cpu_online_mask);
	for (cpu = 0; cpu < cpu_map.nr; cpu++) {
		cpumask_set_cpu(cpu, &cpu_possible_mask);
		cpumask_set_cpu(cpu, &cpu_present_mask);
		secondary_boot.hwid[cpu] = cpu_map.cpu[cpu].hwid;
	}
	secondary_boot.nr = cpu_map.nr;
	nr_cpu_ids = cpu_map.nr;
	count_online_nodes(dt);
	cpumask_set_cpu(0, &cpu_online_mask);
}

/* give_up() - true when @cpu had not arrived and now never joins; false: it is arriving. */
static bool give_up(unsigned int cpu)
{
	unsigned char want = BOOT_WAITING;

	return __atomic_compare_exchange_n(&boot_claim[cpu], &want, BOOT_ABANDONED, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* progress() - signs of life in @pending: each CPU that arrived, and each that is online. */
static unsigned int progress(const struct cpumask *pending)
{
	unsigned int cpu, n = 0;

	for_each_cpu(cpu, pending)
		n += (__atomic_load_n(&boot_claim[cpu], __ATOMIC_ACQUIRE) == BOOT_ARRIVED) +
		     cpu_online(cpu);
	return n;
}

/*
 * Waits for every CPU in @pending to come online. Gives up on a CPU, reporting it, only when
 * no CPU of @pending showed a sign of life (arrived in secondary_start(), or came online)
 * for ONLINE_TIMEOUT_MS; returns how many it gave up on. A bound on progress, not on the
 * batch: a large batch under an emulator on few host cores takes longer than the bound, a
 * stuck CPU still ends the wait. Of each step between two looks at most ONLINE_STEP_CAP_MS
 * counts: a step is a nap of tens of microseconds, and a longer one means this vCPU was not
 * run by a starved host, which is time no other CPU could use either. A CPU given up on
 * that arrives later parks (secondary_start()); one that arrived is waited for again.
 */
static unsigned int wait_online(struct cpumask *pending)
{
	uint64_t limit = arch_counter_freq() * ONLINE_TIMEOUT_MS / 1000;
	uint64_t cap = arch_counter_freq() * ONLINE_STEP_CAP_MS / 1000;
	uint64_t prev = arch_counter(), waited = 0;
	unsigned int cpu, seen = progress(pending), failed = 0;

	for (;;) {
		uint64_t now = arch_counter();
		unsigned int p = progress(pending), left = 0;

		for_each_cpu(cpu, pending)
			left += !cpu_online(cpu);
		if (!left)
			return failed;
		waited = p > seen ? 0 : waited + MIN(now - prev, cap);
		seen = MAX(seen, p);
		prev = now;
		if (waited > limit) {
			for_each_cpu(cpu, pending) {
				if (cpu_online(cpu) || !give_up(cpu))
					continue;
				printk("CPU%u: failed to come online (no sign of life within %d "
				       "ms)\n", cpu, ONLINE_TIMEOUT_MS);
				cpumask_clear_cpu(cpu, pending);
				smp_call_cpu_shut(cpu);
				failed++;
			}
			seen = progress(pending);
			waited = 0;	/* those that arrived get a bound of their own */
		}
		/* a short sleep, not a spin: under an emulator the starting CPUs need the host */
		arch_cpu_nap();
	}
}

/*
 * online_nodes() - Linux's num_online_nodes() at this point: every node the tree's memory
 * or CPUs name is online (arch_numa sets the parsed nodes online), whether or not one of
 * its CPUs came up.
 */
static unsigned int online_nodes(void)
{
	return nr_online_nodes;
}

/*
 * smp_secondary_stack() - the top of @cpu's stack, from its node: in the vmalloc region with
 * a guard page below when the MMU maps pages, else plain memory. 0 when out of memory.
 */
uint64_t smp_secondary_stack(unsigned int cpu)
{
	uint64_t stack;

	if (vm_vmalloc_size())
		return vm_alloc_stack(SECONDARY_STACK_SIZE, cpu_to_mem(cpu));
	stack = memblock_alloc_node(SECONDARY_STACK_SIZE, 16, cpu_to_mem(cpu), NULL);
	return stack ? stack + SECONDARY_STACK_SIZE : 0;
}

/*
 * Starts up to @want CPUs from *next on, all at once, and waits for them. Returns how many
 * failed. All at once because a CPU still waiting in firmware may spin there (OpenSBI 1.1
 * under QEMU does), which slows every other CPU down; once started, a CPU idles in WFI.
 */
static unsigned int bring_up_batch(unsigned int *next, unsigned int want)
{
	struct cpumask pending;
	unsigned int cpu, failed = 0;

	cpumask_clear(&pending);
	for (; *next < nr_cpu_ids && cpumask_weight(&pending) < want; (*next)++) {
		uint64_t stack;

		if (cpu_map.cpu[*next].dt_disabled)
			continue;
		if (cpuhp_prepare_boot(*next)) {
			printk("CPU%u: failed to come online (a prepare step failed)\n", *next);
			failed++;
			continue;
		}
		stack = smp_secondary_stack(*next);
		if (!stack) {
			printk("CPU%u: failed to come online (no memory for its stack)\n", *next);
			failed++;
			continue;
		}
		secondary_boot.stack_top[*next] = *next == silent_cpu ? 0 : stack;
		__atomic_store_n(&boot_claim[*next], BOOT_WAITING, __ATOMIC_RELEASE);
		smp_call_cpu_open(*next);
		cpumask_set_cpu(*next, &pending);
	}
	/* the secondaries read these with their MMU and caches off */
	arch_dcache_clean_inval(&secondary_boot, sizeof(secondary_boot));
	arch_dcache_clean_inval(__per_cpu_offset, sizeof(__per_cpu_offset));
	for_each_cpu(cpu, &pending) {
		const char *why = NULL;
		int rc = arch_cpu_start(cpu, &cpu_map.cpu[cpu], &why);

		if (rc) {
			printk("CPU%u: failed to come online (%s, error %d)\n", cpu, why, rc);
			cpumask_clear_cpu(cpu, &pending);
			failed++;
		}
	}
	return failed + wait_online(&pending);
}

void smp_bring_up(void)
{
	unsigned int next = 1, failed = 0;
	char mask[128];

	arch_smp_prepare(boot_dt());
	smp_call_init();
	cpu_hotplug_init();
	/* from here on every CPU runs with interrupts on, masked only in critical sections */
	arch_local_irq_enable();
	printk("smp: Bringing up secondary CPUs ...\n");
	printk("smp: idle CPUs wait with %s\n", arch_wake_describe());
	secondaries_started = true;
	/* a CPU that fails leaves its place under maxcpus to the next one, as in Linux */
	while (next < nr_cpu_ids && num_online_cpus() < max_cpus)
		failed += bring_up_batch(&next, max_cpus - num_online_cpus());
	cpumask_print(mask, sizeof(mask), &cpu_online_mask);
	printk("smp: Brought up %u node%s, %u CPU%s\n", online_nodes(),
	       online_nodes() == 1 ? "" : "s", num_online_cpus(),
	       num_online_cpus() == 1 ? "" : "s");
	printk("smp: online CPUs %s%s\n", mask, failed ? " (some failed: see above)" : "");
	if (cpu_map.nr_dt_disabled) {
		struct cpumask off;
		unsigned int cpu;

		cpumask_clear(&off);
		for (cpu = 0; cpu < nr_cpu_ids; cpu++)
			if (cpu_map.cpu[cpu].dt_disabled)
				cpumask_set_cpu(cpu, &off);
		cpumask_print(mask, sizeof(mask), &off);
		printk("smp: CPUs %s possible and present, left offline: disabled in the device "
		       "tree\n", mask);
	}
	/* the counter starts at reset on QEMU virt and the boards: firmware time included */
	printk("smp: all online %llu us after reset (MMU on, per-CPU areas ready)\n",
	       (unsigned long long)(arch_counter() * 1000000 / arch_counter_freq()));
	bring_up_done = true;
}

/* Secondary CPUs reach here from their arch entry with their stack and base register set. */
void secondary_start(unsigned int cpu)
{
	unsigned char claim = BOOT_WAITING;

	if (cpu == late_cpu && !bring_up_done)
		while (__atomic_load_n(&boot_claim[cpu], __ATOMIC_ACQUIRE) == BOOT_WAITING)
			arch_cpu_nap();
	/* at boot bring-up: arrive, or park if the boot CPU gave up on this CPU already */
	if (!__atomic_compare_exchange_n(&boot_claim[cpu], &claim, BOOT_ARRIVED, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE) &&
	    claim == BOOT_ABANDONED) {
		printk("CPU%u: arrived after bring-up gave up on it: parked, left offline\n", cpu);
		arch_local_irq_disable();
		arch_wait_forever();
	}
	if (smp_processor_id() != cpu)
		printk("CPU%u: per-CPU base points at CPU%u's unit\n", cpu, smp_processor_id());
	if (bring_up_done)	/* started again by cpu_up() (or late, after maxcpus=) */
		printk("CPU%u: Booted secondary processor 0x%010llx\n", cpu,
		       (unsigned long long)cpu_map.cpu[cpu].hwid);
	/* STARTING steps, online, interrupts on, ONLINE steps (on failure it dies there) */
	cpuhp_ap_up(cpu);
	smp_secondary_idle(cpu);
}
