/*
 * dt.c - check the device tree and turn it into struct dt_info: model, memory, reserved
 * ranges, /chosen and its console, PSCI, the test finisher. CPUs and NUMA are read in
 * dt_cpus.c and dt_numa.c. Everything goes through libfdt.
 */
#include "dt_internal.h"
#include <pcpurt/printk.h>
#include <string.h>

int dt_check(const void *fdt, size_t bufsize)
{
	if (!fdt)
		return -FDT_ERR_BADMAGIC;
	if (bufsize == 0) {
		int err = fdt_check_header(fdt);

		if (err)
			return err;
		bufsize = fdt_totalsize(fdt);
	}
	return fdt_check_full(fdt, bufsize);
}

void dt_add_reserved(struct dt_info *info, uint64_t base, uint64_t size, enum dt_resv_kind kind)
{
	struct dt_resv_range *r;

	if (!size)
		return;
	if (info->nr_resv == DT_MAX_RESV) {
		info->resv_overflow = true;
		return;
	}
	r = &info->resv[info->nr_resv++];
	r->base = base;
	r->size = size;
	r->kind = kind;
	r->nomap = false;
}

static void parse_memory(const void *fdt, struct dt_info *info)
{
	int node;

	for (node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7);
	     node >= 0;
	     node = fdt_node_offset_by_prop_value(fdt, node, "device_type", "memory", 7)) {
		uint64_t base, size;
		int i;

		if (!dt_node_okay(fdt, node))
			continue;
		for (i = 0; dt_get_reg(fdt, node, i, &base, &size) == 0; i++) {
			if (!size)
				continue;
			if (info->nr_mem == DT_MAX_MEM) {
				pr_warn("dt: more than %d memory ranges, ignoring the rest\n",
					DT_MAX_MEM);
				return;
			}
			info->mem[info->nr_mem].base = base;
			info->mem[info->nr_mem].size = size;
			info->mem[info->nr_mem].node = dt_node_numa_id(fdt, node);
			info->nr_mem++;
		}
	}
}

static void parse_reserved(const void *fdt, struct dt_info *info)
{
	int i, n = fdt_num_mem_rsv(fdt), node, child;

	for (i = 0; i < n; i++) {
		uint64_t base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
			dt_add_reserved(info, base, size, DT_RESV_MEMRESERVE);
	}
	node = fdt_path_offset(fdt, "/reserved-memory");
	if (node < 0)
		return;
	fdt_for_each_subnode(child, fdt, node) {
		uint64_t base, size;
		int j;

		if (!dt_node_okay(fdt, child))
			continue;
		/* a node with only "size" is memory the OS would allocate: nothing fixed */
		for (j = 0; dt_get_reg(fdt, child, j, &base, &size) == 0; j++) {
			if (!size || info->nr_resv == DT_MAX_RESV) {
				info->resv_overflow |= size != 0;
				continue;
			}
			dt_add_reserved(info, base, size, DT_RESV_NODE);
			info->resv[info->nr_resv - 1].nomap =
				fdt_getprop(fdt, child, "no-map", NULL) != NULL;
		}
	}
}

/* read the UART at @node into info->uart; false when it is not a usable one */
static bool read_uart(const void *fdt, int node, struct dt_info *info, const char *source)
{
	struct dt_uart *u = &info->uart;
	uint64_t size;
	uint32_t v;

	if (node < 0 || !dt_node_okay(fdt, node))
		return false;
	u->compat = fdt_getprop(fdt, node, "compatible", &u->compat_len);
	if (!u->compat || u->compat_len <= 0 || u->compat[u->compat_len - 1] != '\0')
		return false;
	if (dt_get_reg(fdt, node, 0, &u->base, &size))
		return false;
	if (!dt_get_u32(fdt, node, "reg-shift", &v))
		u->reg_shift = v;
	if (!dt_get_u32(fdt, node, "reg-io-width", &v))
		u->reg_io_width = v;
	if (!dt_get_u32(fdt, node, "clock-frequency", &v))
		u->clock = v;
	u->offset = node;
	u->source = source;
	u->found = true;
	return true;
}

/*
 * Platform defaults, used only when /chosen names no console: the board (root compatible)
 * says which kind of UART its console is, and the tree says where the first enabled one
 * is. Aliases serial0 comes first, as U-Boot and most boards number the console port 0.
 */
static const struct {
	const char *board;	/* root compatible */
	const char *uart;	/* compatible of its console UART */
	const char *source;
} default_consoles[] = {
	{ "linux,dummy-virt", "arm,pl011", "platform default of QEMU virt (arm64)" },
	{ "riscv-virtio", "ns16550a", "platform default of QEMU virt (riscv64)" },
	{ "raspberrypi,4-model-b", "brcm,bcm2835-aux-uart", "platform default of the Pi 4" },
	{ "raspberrypi,3-model-b", "brcm,bcm2835-aux-uart", "platform default of the Pi 3" },
	{ "starfive,jh7110", "snps,dw-apb-uart", "platform default of the JH7110" },
	{ "sifive,fu540", "sifive,uart0", "platform default of the FU540" },
	{ "sifive,fu740", "sifive,uart0", "platform default of the FU740" },
};

static void default_console(const void *fdt, struct dt_info *info)
{
	const char *alias = fdt_get_alias(fdt, "serial0");
	unsigned int i;
	int node;

	if (alias && read_uart(fdt, fdt_path_offset(fdt, alias), info, "aliases/serial0"))
		return;
	for (i = 0; i < ARRAY_SIZE(default_consoles); i++) {
		if (!dt_compat_has(fdt, 0, default_consoles[i].board))
			continue;
		for (node = fdt_node_offset_by_compatible(fdt, -1, default_consoles[i].uart);
		     node >= 0;
		     node = fdt_node_offset_by_compatible(fdt, node, default_consoles[i].uart))
			if (read_uart(fdt, node, info, default_consoles[i].source))
				return;
	}
}

/*
 * The node /chosen/stdout-path names (a path or an alias, options after ':'); only when
 * there is no stdout-path, a platform default. A stdout-path that names no usable UART
 * gets no default: the tree said where the console is.
 */
void dt_parse_chosen(const void *fdt, struct dt_info *info)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path = NULL, *colon;
	int len;

	if (chosen >= 0) {
		info->bootargs = fdt_getprop(fdt, chosen, "bootargs", &len);
		if (info->bootargs && (len <= 0 || info->bootargs[len - 1] != '\0'))
			info->bootargs = NULL;
		path = fdt_getprop(fdt, chosen, "stdout-path", &len);
		if (!path)
			path = fdt_getprop(fdt, chosen, "linux,stdout-path", &len);
	}
	if (!path) {
		default_console(fdt, info);
		return;
	}
	if (len <= 1 || path[len - 1] != '\0')
		return;
	info->stdout_path = path;
	colon = strchr(path, ':');
	read_uart(fdt, fdt_path_offset_namelen(fdt, path, colon ? (int)(colon - path) :
					       (int)strlen(path)), info, "stdout-path");
}

void dt_parse_psci(const void *fdt, struct dt_info *info)
{
	int node = fdt_path_offset(fdt, "/psci");
	const char *method;
	uint32_t v;

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0 || !dt_node_okay(fdt, node))
		return;
	method = dt_get_string(fdt, node, "method");
	if (method && !strcmp(method, "hvc"))
		info->psci_conduit = DT_PSCI_HVC;
	else if (method && !strcmp(method, "smc"))
		info->psci_conduit = DT_PSCI_SMC;
	else
		return;
	info->psci = true;
	info->psci_v02 = dt_compat_has(fdt, node, "arm,psci-0.2") ||
			 dt_compat_has(fdt, node, "arm,psci-1.0");
	if (!dt_get_u32(fdt, node, "cpu_on", &v))
		info->psci_cpu_on = v;
}

void dt_parse_finisher(const void *fdt, struct dt_info *info)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "sifive,test1");
	uint64_t size;

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "sifive,test0");
	if (node >= 0 && dt_node_okay(fdt, node) &&
	    dt_get_reg(fdt, node, 0, &info->test_finisher_base, &size) == 0)
		info->test_finisher = true;
}

static void parse_gic(const void *fdt, struct dt_info *info)
{
	static const char *const v2[] = { "arm,cortex-a15-gic", "arm,gic-400", "arm,gic-v2",
					   "arm,cortex-a9-gic" };
	uint64_t size;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	unsigned int i;

	if (node >= 0 && dt_node_okay(fdt, node)) {
		uint32_t n = 1;

		dt_get_u32(fdt, node, "#redistributor-regions", &n);
		if (dt_get_reg(fdt, node, 0, &info->gic.dist, &size))
			return;
		for (i = 0; i < n && i < ARRAY_SIZE(info->gic.redist); i++)
			if (dt_get_reg(fdt, node, 1 + i, &info->gic.redist[i],
				       &info->gic.redist_size[i]) == 0)
				info->gic.nr_redist++;
		info->gic.version = info->gic.nr_redist ? 3 : 0;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(v2); i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, v2[i]);
		if (node >= 0 && dt_node_okay(fdt, node) &&
		    dt_get_reg(fdt, node, 0, &info->gic.dist, &size) == 0 &&
		    dt_get_reg(fdt, node, 1, &info->gic.cpuif, &size) == 0) {
			info->gic.version = 2;
			return;
		}
	}
}

int dt_parse(const void *fdt, struct dt_info *info)
{
	memset(info, 0, sizeof(*info));
	info->fdt = fdt;
	info->fdt_size = fdt_totalsize(fdt);
	info->model = dt_get_string(fdt, 0, "model");
	info->compatible = dt_get_string(fdt, 0, "compatible");
	parse_memory(fdt, info);
	parse_reserved(fdt, info);
	dt_add_reserved(info, (uintptr_t)fdt, info->fdt_size, DT_RESV_DTB);
	dt_parse_chosen(fdt, info);
	dt_parse_psci(fdt, info);
	dt_parse_finisher(fdt, info);
	parse_gic(fdt, info);
	dt_parse_cpus(fdt, info);
	dt_parse_numa(fdt, info);
	return 0;
}

const char *dt_enable_method_name(enum dt_enable_method m)
{
	switch (m) {
	case DT_EN_PSCI: return "psci";
	case DT_EN_SPIN_TABLE: return "spin-table";
	case DT_EN_SBI_HSM: return "sbi-hsm";
	case DT_EN_OTHER: return "unknown";
	default: return "none";
	}
}
