/*
 * smp.c - logical CPU numbering, the possible/present/online masks, and bringing the
 * secondary CPUs up: one at a time, each given a stack on its own node, each waited for
 * with a bound; a CPU that does not come up is reported and the others go on.
 */
#include <pcpurt/smp.h>
#include <pcpurt/arch.h>
#include <pcpurt/boot.h>
#include <pcpurt/memblock.h>
#include <pcpurt/percpu.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/vmalloc.h>
#include <stdlib.h>
#include <string.h>

#define SECONDARY_STACK_SIZE	(16 * 1024)
#define ONLINE_TIMEOUT_MS	2000

struct cpu_map cpu_map;
struct secondary_boot secondary_boot;
DEFINE_PER_CPU_READ_MOSTLY(unsigned int, cpu_number);

static bool secondaries_started;
static unsigned int max_cpus = NR_CPUS;
static unsigned int silent_cpu;	/* test hook: this CPU is started without boot data */

/* smp_test_silent=N starts CPU N with no stack: it parks, which tests the timeout path. */
static int set_silent(const char *v)
{
	char *end;

	silent_cpu = strtoul(v, &end, 10);
	return end == v || *end ? -1 : 0;
}
DEFINE_BOOT_PARAM("smp_test_silent", set_silent);

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

unsigned int smp_processor_id(void)
{
	return this_cpu_read(cpu_number);
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
	cpumask_set_cpu(0, &cpu_online_mask);
}

static bool wait_online(unsigned int cpu)
{
	uint64_t start = arch_counter();
	uint64_t limit = arch_counter_freq() * ONLINE_TIMEOUT_MS / 1000;

	while (!cpu_online(cpu)) {
		if (arch_counter() - start > limit)
			return false;
		arch_cpu_relax();
	}
	return true;
}

static unsigned int online_nodes(void)
{
	static bool seen[MAX_NUMNODES];
	unsigned int cpu, n = 0;

	memset(seen, 0, sizeof(seen));
	for_each_online_cpu(cpu) {
		int node = cpu_to_node(cpu);

		if (node >= 0 && node < MAX_NUMNODES && !seen[node]) {
			seen[node] = true;
			n++;
		}
	}
	return n;
}

/*
 * secondary_stack() - the top of @cpu's stack, from its node: in the vmalloc region with
 * a guard page below when the MMU maps pages, else plain memory. 0 when out of memory.
 */
static uint64_t secondary_stack(unsigned int cpu)
{
	uint64_t stack;

	if (vm_vmalloc_size())
		return vm_alloc_stack(SECONDARY_STACK_SIZE, cpu_to_node(cpu));
	stack = memblock_alloc_node(SECONDARY_STACK_SIZE, 16, cpu_to_node(cpu), NULL);
	return stack ? stack + SECONDARY_STACK_SIZE : 0;
}

void smp_bring_up(void)
{
	unsigned int cpu, failed = 0;
	char mask[128];

	arch_smp_prepare(boot_dt());
	printk("smp: Bringing up secondary CPUs ... (idle: %s)\n", arch_wake_describe());
	secondaries_started = true;
	for (cpu = 1; cpu < nr_cpu_ids; cpu++) {
		const char *why = NULL;
		uint64_t stack;
		int rc;

		if (num_online_cpus() >= max_cpus)
			break;
		stack = secondary_stack(cpu);
		if (!stack) {
			printk("CPU%u: failed to come online (no memory for its stack)\n", cpu);
			failed++;
			continue;
		}
		secondary_boot.stack_top[cpu] = cpu == silent_cpu ? 0 : stack;
		/* the secondary reads these with its MMU and caches off */
		arch_dcache_clean_inval(&secondary_boot, sizeof(secondary_boot));
		arch_dcache_clean_inval(&__per_cpu_offset[cpu], sizeof(__per_cpu_offset[0]));
		rc = arch_cpu_start(cpu, &cpu_map.cpu[cpu], &why);
		if (rc) {
			printk("CPU%u: failed to come online (%s, error %d)\n", cpu, why, rc);
			failed++;
			continue;
		}
		if (!wait_online(cpu)) {
			printk("CPU%u: failed to come online (no sign of life within %d ms)\n",
			       cpu, ONLINE_TIMEOUT_MS);
			failed++;
		}
	}
	cpumask_print(mask, sizeof(mask), &cpu_online_mask);
	printk("smp: Brought up %u node%s, %u CPU%s\n", online_nodes(),
	       online_nodes() == 1 ? "" : "s", num_online_cpus(),
	       num_online_cpus() == 1 ? "" : "s");
	printk("smp: online CPUs %s%s\n", mask, failed ? " (some failed: see above)" : "");
	/* the counter starts at reset on QEMU virt and the boards: firmware time included */
	printk("smp: all online %llu us after reset (MMU on, per-CPU areas ready)\n",
	       (unsigned long long)(arch_counter() * 1000000 / arch_counter_freq()));
}

/* Secondary CPUs reach here from their arch entry with their stack and base register set. */
void secondary_start(unsigned int cpu)
{
	extern void smp_secondary_idle(unsigned int cpu) __noreturn;

	if (smp_processor_id() != cpu)
		printk("CPU%u: per-CPU base points at CPU%u's unit\n", cpu, smp_processor_id());
	cpumask_set_cpu(cpu, &cpu_online_mask);
	smp_mb();
	smp_secondary_idle(cpu);
}
