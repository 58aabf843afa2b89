/*
 * pcpu-layout.c - print the per-CPU first-chunk layout pcpurt would use on a machine, from
 * its device tree, on the host.
 *
 *   pcpu-layout [--static N] [--reserved N] [--dyn N] [--atom N] [--boot-hwid X]
 *               [--arch arm64|riscv64] [--max-nodes N] [--svg OUT.svg] FILE.dtb
 *
 * The same code as the runtime does the work: dt_check() and dt_parse() (drivers/of/dt*.c over
 * libfdt) read the tree, cpu_map_build() (kernel/cpu_map.c) numbers the CPUs with the boot
 * CPU first, and pcpu_build_alloc_info() (percpu/alloc_info.c) lays out the first chunk with
 * CPU distances from cpu_map_distance(). Standard output gets exactly the runtime's lines:
 * "percpu: Embedded ..." then the "pcpu-alloc: ..." lines. Notes (the static size used and
 * where it came from, CPUs left out, tree warnings) go to standard error, among them the
 * runtime's lines for the topology: a /distance-map Linux rejects ("OF: NUMA: Invalid
 * distance[...]", "NUMA: Faking a node at ..."; every CPU then in one group), a node of
 * CPUs without memory ("NUMA: node N has no memory: ... from node M ..."; its CPUs keep
 * their own group), CPUs the tree marks "disabled" (arm64: possible, in the layout). --svg
 * also draws the layout into OUT.svg (tools/pcpu_layout_svg.c). --max-nodes N reads the
 * tree as a Linux kernel built for at most N nodes would (MAX_NUMNODES, 1 << NODES_SHIFT:
 * Debian's riscv64 kernel has 4; pcpurt and the default: 64), see limit_nodes().
 *
 * Defaults: --reserved 8192 (PERCPU_MODULE_RESERVE), --dyn 28672 (PERCPU_DYNAMIC_RESERVE),
 * --atom 4096 (the runtime's atom, one page), --static the runtime's .data..percpu size,
 * measured from build/arm64-qemu-virt/pcpurt.elf when the tool was built (see
 * tests/host/pcpu_layout_tool.mk), else PCPU_LAYOUT_FALLBACK_STATIC. --boot-hwid defaults
 * to the first usable CPU in the tree, --arch to riscv64 when a cpu node is compatible
 * with "riscv", else arm64. Numbers: decimal or 0x hex, with an optional K or M suffix.
 *
 * Exit status: 0, or 2 with one line on standard error for bad input (unreadable file,
 * broken tree, no usable CPU, bad option or number, sizes the runtime would reject).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>
#include <pcpurt/cpu_map.h>
#include <pcpurt/dt.h>
#include <pcpurt/percpu_first_chunk.h>
#include <pcpurt/percpu_layout.h>
#include <pcpurt/printk.h>
#include "pcpu_layout_svg.h"

/*
 * The runtime's static per-CPU size of each arch, when no image could be measured at build
 * time: the qemu-virt images' .data..percpu (__per_cpu_end - __per_cpu_start) when this
 * was written. The build passes the measured values as PCPU_LAYOUT_STATIC_{ARM64,RISCV64}.
 */
#ifndef PCPU_LAYOUT_STATIC_ARM64
#define PCPU_LAYOUT_STATIC_ARM64 260
#define PCPU_LAYOUT_STATIC_ARM64_FROM "fallback constant: no arm64 image when the tool was built"
#endif
#ifndef PCPU_LAYOUT_STATIC_RISCV64
#define PCPU_LAYOUT_STATIC_RISCV64 324
#define PCPU_LAYOUT_STATIC_RISCV64_FROM \
	"fallback constant: no riscv64 image when the tool was built"
#endif

#define MAX_DTB_SIZE	(64UL << 20)
#define EXIT_BAD_INPUT	2

static const char *prog = "pcpu-layout";

/*
 * Notes (the shared code's messages: tree warnings, CPUs left out; and our own) are kept
 * until the layout is known: a run that fails says one line only, a run that works writes
 * them to standard error before the layout.
 */
static char *notes_buf;
static size_t notes_len;
static FILE *notes;

static FILE *notes_file(void)
{
	if (!notes)
		notes = open_memstream(&notes_buf, &notes_len);
	return notes ? notes : stderr;
}

int vprintk(const char *fmt, va_list ap)
{
	FILE *f = notes_file();

	fprintf(f, "%s: ", prog);
	return vfprintf(f, fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static void flush_notes(void)
{
	if (!notes)
		return;
	fclose(notes);
	notes = NULL;
	fwrite(notes_buf, 1, notes_len, stderr);
	free(notes_buf);
	notes_buf = NULL;
}

/* The layout lines: standard output, one call one line, exactly as the runtime logs them. */
static int out_print(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

static void __printf(1, 2) __noreturn die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_BAD_INPUT);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [--static N] [--reserved N] [--dyn N] [--atom N] [--boot-hwid X]\n"
		   "       %*s [--arch arm64|riscv64] [--max-nodes N] [--svg OUT.svg] FILE.dtb\n"
		   "Prints the \"percpu: Embedded\" and \"pcpu-alloc:\" lines pcpurt logs on the\n"
		   "machine FILE.dtb describes. Numbers: decimal or 0x hex, optional K or M.\n"
		   "Defaults:\n"
		   "  --static    arm64 %d (%s),\n"
		   "              riscv64 %d (%s)\n"
		   "  --reserved  %lu\n"
		   "  --dyn       %lu\n"
		   "  --atom      %lu\n"
		   "  --boot-hwid the first usable CPU in the tree\n"
		   "  --arch      riscv64 if a cpu node is compatible with \"riscv\", else arm64\n"
		   "  --max-nodes %d (a kernel built for fewer nodes ignores higher node ids)\n"
		   "  --svg       none; OUT.svg gets a picture of the layout\n",
		prog, (int)strlen(prog), "", PCPU_LAYOUT_STATIC_ARM64,
		PCPU_LAYOUT_STATIC_ARM64_FROM, PCPU_LAYOUT_STATIC_RISCV64,
		PCPU_LAYOUT_STATIC_RISCV64_FROM,
		PERCPU_MODULE_RESERVE, PERCPU_DYNAMIC_RESERVE, PCPU_PAGE_SIZE, MAX_NUMNODES);
}

/*
 * parse_number() - "123", "0x7b", with an optional K (x1024) or M (x1048576) suffix when
 * @suffixes. Returns 0, or -1 for anything else (empty, sign, junk, overflow).
 */
static int parse_number(const char *s, bool suffixes, uint64_t *out)
{
	uint64_t v = 0, mul = 1, digit;
	int base = 10, ndigits = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++, ndigits++) {
		if (*s >= '0' && *s <= '9')
			digit = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			digit = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			digit = *s - 'A' + 10;
		else
			break;
		if (v > (UINT64_MAX - digit) / base)
			return -1;
		v = v * base + digit;
	}
	if (!ndigits)
		return -1;
	if (suffixes && (*s == 'K' || *s == 'k'))
		mul = 1ULL << 10, s++;
	else if (suffixes && (*s == 'M' || *s == 'm'))
		mul = 1ULL << 20, s++;
	if (*s || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

struct options {
	uint64_t static_size, reserved_size, dyn_size, atom_size, boot_hwid;
	bool static_given, boot_given;
	int arch;		/* -1 from the tree, 0 arm64, 1 riscv64 */
	int max_nodes;		/* --max-nodes: the node ids a Linux build can hold */
	const char *file;
	const char *svg;	/* --svg OUT.svg, or NULL */
};

/* "--name VALUE" or "--name=VALUE": the value, advancing *@i past it; NULL if no match. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n])
		return NULL;
	if (*i + 1 >= argc)
		die("%s needs a value", name);
	return argv[++*i];
}

static uint64_t size_opt(const char *name, const char *v, bool suffixes)
{
	uint64_t x;

	if (parse_number(v, suffixes, &x))
		die("%s '%s': not a number (decimal or 0x hex%s)", name, v,
		    suffixes ? ", optional K or M suffix" : "");
	return x;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	const char *v;
	int i;

	*o = (struct options){ .static_size = 0,	/* the arch's, once the arch is known */
			       .reserved_size = PERCPU_MODULE_RESERVE,
			       .dyn_size = PERCPU_DYNAMIC_RESERVE,
			       .atom_size = PCPU_PAGE_SIZE,
			       .arch = -1, .max_nodes = MAX_NUMNODES };
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if ((v = opt_value(argc, argv, &i, "--static"))) {
			o->static_size = size_opt("--static", v, true);
			o->static_given = true;
		} else if ((v = opt_value(argc, argv, &i, "--reserved"))) {
			o->reserved_size = size_opt("--reserved", v, true);
		} else if ((v = opt_value(argc, argv, &i, "--dyn"))) {
			o->dyn_size = size_opt("--dyn", v, true);
		} else if ((v = opt_value(argc, argv, &i, "--atom"))) {
			o->atom_size = size_opt("--atom", v, true);
		} else if ((v = opt_value(argc, argv, &i, "--boot-hwid"))) {
			o->boot_hwid = size_opt("--boot-hwid", v, false);
			o->boot_given = true;
		} else if ((v = opt_value(argc, argv, &i, "--arch"))) {
			if (!strcmp(v, "arm64"))
				o->arch = 0;
			else if (!strcmp(v, "riscv64"))
				o->arch = 1;
			else
				die("--arch '%s': arm64 or riscv64", v);
		} else if ((v = opt_value(argc, argv, &i, "--max-nodes"))) {
			uint64_t n = size_opt("--max-nodes", v, false);

			if (n < 1 || n > MAX_NUMNODES)
				die("--max-nodes %s: 1 to %d", v, MAX_NUMNODES);
			o->max_nodes = (int)n;
		} else if ((v = opt_value(argc, argv, &i, "--svg"))) {
			if (!*v)
				die("--svg needs a file name");
			o->svg = v;
		} else if (!strcmp(a, "--")) {
			if (i + 2 != argc)
				die("expected one FILE.dtb after --");
			o->file = argv[i + 1];
			break;
		} else if (a[0] == '-' && a[1]) {
			die("unknown option '%s' (--help lists them)", a);
		} else if (o->file) {
			die("one FILE.dtb only ('%s' and '%s')", o->file, a);
		} else {
			o->file = a;
		}
	}
	if (!o->file)
		die("no FILE.dtb given (--help for usage)");
	/* the checks pcpu_build_alloc_info() makes, said in the options' own terms */
	if (!o->atom_size || o->atom_size % PCPU_PAGE_SIZE || o->atom_size > PCPU_MAX_ATOM_SIZE)
		die("--atom %llu: must be a nonzero multiple of %lu up to %lu",
		    (unsigned long long)o->atom_size, PCPU_PAGE_SIZE, PCPU_MAX_ATOM_SIZE);
	if (o->static_size > SIZE_MAX / 8 || o->reserved_size > SIZE_MAX / 8 ||
	    o->dyn_size > SIZE_MAX / 8)
		die("a size is too large");
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, len = 0, n;
	char *buf;

	if (!f)
		die("%s: %s", path, strerror(errno));
	buf = calloc(1, cap);	/* zeroed: libfdt may look past a short file's end */
	if (!buf)
		die("out of memory");
	while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
		len += n;
		if (len == cap) {
			if (cap >= MAX_DTB_SIZE)
				die("%s: larger than %lu MiB, not a device tree", path,
				    MAX_DTB_SIZE >> 20);
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("out of memory");
			memset(buf + len, 0, cap - len);
		}
	}
	if (ferror(f)) {
		int err = errno;

		free(buf);	/* die() exits: LeakSanitizer would count it */
		die("%s: %s", path, strerror(err));
	}
	fclose(f);
	if (!len)
		die("%s: empty file, not a device tree", path);
	*size = len;
	return buf;
}

/* riscv64 when any cpu node is compatible with "riscv". */
static bool tree_is_riscv(const void *fdt, const struct dt_info *dt)
{
	int i;

	for (i = 0; i < dt->nr_cpus; i++)
		if (fdt_stringlist_search(fdt, dt->cpus[i].offset, "compatible", "riscv") >= 0)
			return true;
	return false;
}

/*
 * The first usable CPU in tree order, as cpu_map_build() judges usability: number the CPUs
 * with a boot hwid no cpu node has; logical CPU 1 is then the first usable one, unless the
 * tree marks it "disabled" (arm64 counts those possible, but none boots the machine).
 */
static bool first_usable_hwid(const struct dt_info *dt, bool is_riscv, struct cpu_map *map,
			      uint64_t *hwid)
{
	uint64_t absent = UINT64_MAX - 1;
	int i;

	for (i = 0; i < dt->nr_cpus; i++)
		if (dt->cpus[i].hwid == absent) {
			absent--;
			i = -1;
		}
	cpu_map_build(dt, absent, is_riscv, map, true);
	for (i = 1; i < (int)map->nr; i++)
		if (!map->cpu[i].dt_disabled) {
			*hwid = map->cpu[i].hwid;
			return true;
		}
	return false;
}

/*
 * --max-nodes N: the tree as Linux reads it when built for N nodes (Linux's of_numa.c).
 * A memory node with a numa-node-id of N or more makes Linux give up NUMA ("bad property in
 * memory node"; one node faked: every CPU on node 0); a cpu node's is ignored, the CPU going
 * to node 0 (early_map_cpu_to_node()'s fallback); distances naming such nodes are dropped.
 * Afterwards every node id is below N, and nr_nodes counts the nodes left.
 */
static void limit_nodes(struct dt_info *dt, int max)
{
	int i, top = 0;

	if (dt->numa_off || dt->nr_nodes <= max)
		return;
	for (i = 0; i < dt->nr_mem; i++) {
		if (dt->mem[i].node < max)
			continue;
		printk("OF: NUMA: Node id %d exceeds maximum value (--max-nodes %d)\n",
		       dt->mem[i].node, max);
		printk("NUMA: 1 node, faked: a memory node's id is beyond --max-nodes\n");
		dt->numa_off = true;
		dt->nr_nodes = 1;
		for (i = 0; i < dt->nr_mem; i++)
			dt->mem[i].node = 0;
		for (i = 0; i < dt->nr_cpus; i++)
			dt->cpus[i].node = 0;
		return;
	}
	for (i = 0; i < dt->nr_cpus; i++) {
		if (dt->cpus[i].node >= max) {
			printk("OF: NUMA: Node id %d exceeds maximum value (--max-nodes %d): "
			       "cpu hwid 0x%llx on node 0\n", dt->cpus[i].node, max,
			       (unsigned long long)dt->cpus[i].hwid);
			dt->cpus[i].node = 0;
		}
		if (dt->cpus[i].node > top)
			top = dt->cpus[i].node;
	}
	for (i = 0; i < dt->nr_mem; i++)
		if (dt->mem[i].node > top)
			top = dt->mem[i].node;
	dt->nr_nodes = top + 1;
}

struct distance_ctx {
	const struct dt_info *dt;
	const struct cpu_map *map;
};

static int distance(unsigned int a, unsigned int b, void *ctx)
{
	const struct distance_ctx *d = ctx;

	return cpu_map_distance(d->dt, d->map, a, b);
}

static void *info_alloc(size_t size, void *ctx)
{
	void *p = NULL;

	if (posix_memalign(&p, PCPU_PAGE_SIZE, size))
		return NULL;
	memset(p, 0, size);
	*(void **)ctx = p;
	return p;
}

/* The --svg picture of @ai into @path: titled with the tree's file name and the machine. */
static void write_svg(const char *path, const char *dtb, const struct pcpu_alloc_info *ai,
		      const struct cpu_map *map, bool is_riscv, int nr_nodes)
{
	static int node[PCPU_MAX_CPUS];
	struct pcpu_svg_desc d = { .cpu_node = node, .nr_cpus = map->nr };
	const char *base = strrchr(dtb, '/');
	char sub[128];
	unsigned int cpu;
	FILE *f;

	for (cpu = 0; cpu < map->nr && cpu < PCPU_MAX_CPUS; cpu++)
		node[cpu] = map->cpu[cpu].node;
	snprintf(sub, sizeof(sub), "%s, %u CPUs, %d NUMA node%s, boot CPU hwid 0x%llx",
		 is_riscv ? "riscv64" : "arm64", map->nr, nr_nodes, nr_nodes == 1 ? "" : "s",
		 (unsigned long long)map->cpu[0].hwid);
	d.title = base ? base + 1 : dtb;
	d.subtitle = sub;
	f = fopen(path, "w");
	if (!f)
		die("--svg %s: %s", path, strerror(errno));
	if (pcpu_layout_svg(f, ai, &d) | fclose(f))
		die("--svg %s: write failed", path);
}

int main(int argc, char **argv)
{
	static struct dt_info dt;
	static struct cpu_map map;
	static unsigned long unit_map_off[PCPU_MAX_CPUS];
	static unsigned int unit_map[PCPU_MAX_CPUS];
	struct pcpu_unit_map um = { .unit_map = unit_map, .unit_off = unit_map_off };
	struct distance_ctx dctx = { &dt, &map };
	struct pcpu_topology topo;
	struct pcpu_alloc_info *ai;
	struct cpumask possible;
	struct options o;
	static void *fdt;	/* static: still reachable when die() exits (LeakSanitizer) */
	void *ai_mem = NULL;
	size_t size;
	bool is_riscv;
	unsigned int cpu;
	int err;

	parse_args(argc, argv, &o);
	fdt = read_file(o.file, &size);
	err = dt_check(fdt, size);
	if (err)
		die("%s: not a valid device tree (%s)", o.file, fdt_strerror(err));
	err = dt_parse(fdt, &dt);
	if (err)
		die("%s: cannot read the device tree (%s)", o.file, fdt_strerror(err));
	is_riscv = o.arch < 0 ? tree_is_riscv(fdt, &dt) : o.arch == 1;
	limit_nodes(&dt, o.max_nodes);
	if (!o.boot_given && !first_usable_hwid(&dt, is_riscv, &map, &o.boot_hwid))
		die("%s: no usable CPU in /cpus (%d cpu nodes)", o.file, dt.nr_cpus);

	if (!o.static_given)
		o.static_size = is_riscv ? PCPU_LAYOUT_STATIC_RISCV64 : PCPU_LAYOUT_STATIC_ARM64;
	printk("static size %llu bytes (%s)\n",
		(unsigned long long)o.static_size,
		o.static_given ? "--static" : is_riscv ? PCPU_LAYOUT_STATIC_RISCV64_FROM :
		PCPU_LAYOUT_STATIC_ARM64_FROM);
	cpu_map_build(&dt, o.boot_hwid, is_riscv, &map, false);
	printk("%s, boot CPU hwid 0x%llx, %u CPUs, %d NUMA node%s%s\n",
		is_riscv ? "riscv64" : "arm64", (unsigned long long)o.boot_hwid, map.nr,
		dt.nr_nodes, dt.nr_nodes == 1 ? "" : "s",
		dt.numa_off ? " (faked: Linux rejects the /distance-map, NUMA off)" :
		dt.distance_map ? ", distances from /distance-map" : "");
	if (map.nr_dt_disabled)
		printk("%u of them marked disabled in the device tree: possible (units in the "
		       "layout) as in arm64 Linux, left offline by the runtime\n",
		       map.nr_dt_disabled);

	/* the runtime's topology: CPUs 0..nr-1 possible, distances through the cpu map */
	cpumask_clear(&possible);
	for (cpu = 0; cpu < map.nr; cpu++)
		cpumask_set_cpu(cpu, &possible);
	topo = (struct pcpu_topology){ .nr_cpu_ids = map.nr, .possible = possible.bits,
				       .distance = distance, .distance_ctx = &dctx };
	err = pcpu_build_alloc_info(o.static_size, o.reserved_size, o.dyn_size, o.atom_size,
				    &topo, info_alloc, &ai_mem, &ai);
	if (err)
		die("pcpu_build_alloc_info: error %d for s%llu r%llu d%llu atom %llu", err,
		    (unsigned long long)o.static_size, (unsigned long long)o.reserved_size,
		    (unsigned long long)o.dyn_size, (unsigned long long)o.atom_size);
	/* pcpu_setup_first_chunk()'s checks: the runtime would stop on a layout they reject */
	err = pcpu_map_units(ai, &topo, PCPU_PAGE_SIZE, &um);
	if (err)
		die("the runtime would reject this layout (pcpu_setup_first_chunk: %s)", um.why);

	if (o.svg)
		write_svg(o.svg, o.file, ai, &map, is_riscv, dt.nr_nodes);
	flush_notes();
	pcpu_print_embedded(ai, out_print);
	pcpu_dump_alloc_info(ai, out_print);
	free(ai_mem);
	free(fdt);
	return fflush(stdout) ? EXIT_BAD_INPUT : 0;
}
