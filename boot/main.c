/*
 * main.c - the one C entry for both arches. boot_main() runs the boot steps in order,
 * each a named function below; arch code (arch/<arch>/head.S and start.c) gets here with
 * the MMU off, interrupts masked, BSS clear, a stack, and the trap vector installed.
 */
#include <pcpurt/cpuhp.h>
#include <pcpurt/boot.h>
#include <pcpurt/console.h>
#include <pcpurt/memblock.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/percpu_alloc.h>
#include <pcpurt/percpu.h>
#include <pcpurt/smp.h>
#include <pcpurt/panic.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

static struct dt_info dt;
static struct boot_info *bi;

extern const char pcpurt_version[]; /* build/<arch>-<platform>/obj/version.c */

/*
 * Step 1: the banner's first line. No console exists yet (no address is a UART on every
 * machine): printk keeps it in the console buffer until the tree names the console.
 */

static void early_banner(void)
{
	printk("\npcpurt %s (%s) booting\n", pcpurt_version, PCPURT_ARCH);
}

/*
 * Step 2: libfdt's full check before anything reads the tree. A tree that fails it is
 * still asked for its console and test finisher, so that the report reaches the serial
 * line and the exit status.
 */
static void check_device_tree(void)
{
	int err;

	if (!bi->fdt)
		fatal("device tree: none found (x0/a1 was 0 and no tree at the start of RAM)");
	err = dt_check(bi->fdt, 0);
	if (err) {
		dt_parse_unchecked(bi->fdt, &dt);
		arch_dt_init(&dt);
		console_init_dt(&dt, "of the unchecked tree");
		fatal("device tree: %s", fdt_strerror(err));
	}
}

/*
 * Step 3: the tree becomes struct dt_info; the image itself is reserved memory. From here
 * on the rest of the system reads it through boot_dt() (kernel/boot_state.c).
 */
static void parse_device_tree(void)
{
	dt_parse(bi->fdt, &dt);
	dt_add_reserved(&dt, bi->image_start, bi->image_end - bi->image_start, DT_RESV_IMAGE);
	boot_state_set(&dt, bi);
	arch_dt_init(&dt);
}

/*
 * Step 4: the console /chosen/stdout-path names (else the board's default UART); the
 * buffered lines come out first.
 */
static void init_console(void)
{
	console_init_dt(&dt, NULL);
}

static const char *resv_kind_name(unsigned int k)
{
	static const char *const names[] = { "memreserve", "reserved-memory", "image", "dtb" };

	return k < ARRAY_SIZE(names) ? names[k] : "?";
}

#define CPU_RUN_MIN 8

/* Would b's banner line be a's but for its id, the next one? */
static bool cpus_alike(const struct dt_cpu *a, const struct dt_cpu *b)
{
	return b->hwid == a->hwid + 1 && b->enable_method == a->enable_method &&
	       b->node == a->node && b->okay == a->okay && b->has_mmu == a->has_mmu &&
	       (a->isa && b->isa ? !strcmp(a->isa, b->isa) : a->isa == b->isa);
}

/*
 * One line naming the CPUs whose status is "disabled" (up to what fits, then "..."), and
 * what each arch does with them (kernel/cpu_map.c): arm64 counts them possible and pcpurt
 * leaves them offline; RISC-V skips them.
 */
static void print_disabled_cpus(void)
{
	char list[160];
	int i, n = 0, count = 0;

	list[0] = 0;
	for (i = 0; i < dt.nr_cpus; i++) {
		if (dt.cpus[i].status != DT_CPU_DISABLED)
			continue;
		count++;
		if (n < (int)sizeof(list) - 24)
			n += snprintf(list + n, sizeof(list) - n, " cpu@%llx",
				      (unsigned long long)dt.cpus[i].hwid);
		else if (n < (int)sizeof(list) - 4)
			n += snprintf(list + n, sizeof(list) - n, " ...");
	}
	if (!count)
		return;
	printk("CPUs: %d marked disabled in the device tree:%s (%s)\n", count, list,
	       !strcmp(PCPURT_ARCH, "riscv64") ? "skipped, as RISC-V Linux does" :
	       "possible and present as in arm64 Linux, left offline");
}

/* Step 5: say who we are and what the tree describes. */
static void print_banner(void)
{
	char id[48];
	int i, j;

	printk("Entry: %s, boot CPU hwid 0x%llx, image at 0x%lx-0x%lx\n", bi->entry_mode,
	       (unsigned long long)bi->boot_hwid, (unsigned long)bi->image_start,
	       (unsigned long)bi->image_end - 1);
	printk("Device tree: at 0x%lx (%s), %u bytes\n", (unsigned long)(uintptr_t)bi->fdt,
	       bi->fdt_source, dt.fdt_size);
	printk("Machine model: %s\n", dt.model ? dt.model : "(none)");
	printk("Console: %s\n", console_describe());
	for (i = 0; i < dt.nr_mem; i++)
		printk("Memory: [mem 0x%016llx-0x%016llx] node %d\n",
		       (unsigned long long)dt.mem[i].base,
		       (unsigned long long)(dt.mem[i].base + dt.mem[i].size - 1),
		       dt.mem[i].node < 0 ? 0 : dt.mem[i].node);
	for (i = 0; i < dt.nr_resv; i++)
		printk("Reserved: [mem 0x%016llx-0x%016llx] %s%s\n",
		       (unsigned long long)dt.resv[i].base,
		       (unsigned long long)(dt.resv[i].base + dt.resv[i].size - 1),
		       resv_kind_name(dt.resv[i].kind), dt.resv[i].nomap ? " no-map" : "");
	if (dt.resv_overflow)
		pr_warn("more than %d reserved ranges: the rest are not tracked\n", DT_MAX_RESV);
	printk("CPUs: %d in the device tree%s\n", dt.nr_cpus,
	       dt.nr_cpus_dropped ? " (more dropped)" : "");
	for (i = 0; i < dt.nr_cpus; i = j) {
		const struct dt_cpu *c = &dt.cpus[i];

		/* runs of CPUs alike but for consecutive ids: one line when 8 or more */
		for (j = i + 1; j < dt.nr_cpus && cpus_alike(&dt.cpus[j - 1], &dt.cpus[j]); j++)
			;
		if (j - i < CPU_RUN_MIN)
			j = i + 1;
		if (j - i > 1)
			snprintf(id, sizeof(id), "%llx-%llx (%d CPUs)", (unsigned long long)c->hwid,
				 (unsigned long long)dt.cpus[j - 1].hwid, j - i);
		else
			snprintf(id, sizeof(id), "%llx", (unsigned long long)c->hwid);
		printk("  cpu@%s: %s, node %d%s%s%s%s\n", id, dt_enable_method_name(c->enable_method),
		       c->node < 0 ? 0 : c->node, c->okay ? "" : ", disabled", c->isa ? ", " : "",
		       c->isa ? c->isa : "", c->isa && !c->has_mmu ? ", no MMU" : "");
	}
	print_disabled_cpus();
	printk("NUMA: %d node%s, %s\n", dt.nr_nodes, dt.nr_nodes == 1 ? "" : "s",
	       dt.numa_off ? "faked: Linux rejects the /distance-map, NUMA off" :
	       dt.distance_map ? "distances from /distance-map" : "default distances");
	for (i = 0; dt.distance_map && i < dt.nr_nodes && dt.nr_nodes <= 8; i++) {
		char row[64];
		int n = 0;

		for (j = 0; j < dt.nr_nodes; j++)
			n += snprintf(row + n, sizeof(row) - n, " %d", dt.distance[i][j]);
		printk("NUMA: node %d distances:%s\n", i, row);
	}
	printk("Kernel command line: %s\n", dt.bootargs ? dt.bootargs : "");
}

/* Step 7: identity map with caches; exclusives and atomics need normal memory. */
static void enable_mmu(void)
{
	if (arch_mmu_init(&dt))
		panic("mmu: could not enable the MMU");
	printk("MMU: %s\n", arch_mmu_describe());
}

/* Step 8: the early allocator: /memory minus every reserved range. */
static void init_memory(void)
{
	memblock_init_dt(&dt);
}

/* Step 9: number the CPUs (boot CPU first), per-CPU areas, then start the others. */
static void init_smp(void)
{
	smp_init_cpus(&dt, bi->boot_hwid);
	setup_per_cpu_areas();
	smp_bring_up();
}

/* Step 10: memblock's free memory goes to the page allocator; dynamic per-CPU allocator. */
static void init_dynamic_memory(void)
{
	page_alloc_init_from_memblock();
	percpu_dynamic_init();
	cpu_hotplug_steps();
}

/*
 * Step 6: boot parameters, before the MMU: arm64 patches its atomics by them while the text
 * is still writable. Step 11: the selected tests and workloads, then poweroff.
 */
void boot_main(struct boot_info *info)
{
	int rejected;

	bi = info;
	early_banner();
	check_device_tree();
	parse_device_tree();
	init_console();
	print_banner();
	rejected = parse_boot_params(dt.bootargs);
	enable_mmu();
	init_memory();
	init_smp();
	init_dynamic_memory();
	run_selected(rejected);
}
