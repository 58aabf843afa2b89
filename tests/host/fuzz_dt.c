/*
 * fuzz_dt.c - libFuzzer target for the device-tree walk (drivers/of/dt*.c, lib/fdt_check.c).
 *
 * Input: any bytes. When dt_check() accepts them as a tree of that size, dt_parse() must
 * not crash or read outside the blob, and what it returns must be sane: counts within
 * their arrays, every string it hands out inside the blob and terminated there, node ids
 * and distances in range. Then the results are used the way the boot banner uses them
 * (formatted with %s and friends).
 *
 * ASan sees the accesses of our code, but libfdt is Debian's uninstrumented libfdt.so:
 * to catch its reads past the blob too, every input is copied so that it ends at an
 * inaccessible page (rounded up to libfdt's 8-byte alignment, so reads up to 7 bytes past
 * the end may go unnoticed). A fault there is a crash like any other.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <libfdt.h>
#include <pcpurt/dt.h>
#include <pcpurt/printk.h>

#define FUZZ_MAX_INPUT (1U << 20)
#include "fuzz_guard.h"

/* The walk's warnings: formatted (so bad arguments are caught), not printed. */
int vprintk(const char *fmt, va_list ap)
{
	char buf[512];

	return vsnprintf(buf, sizeof(buf), fmt, ap);
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

static void bug(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void bug(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_dt: BUG: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* @s (from the walk) must be NULL or a string inside [blob, end) terminated before end. */
static void check_string(const char *what, const char *s, const char *blob, const char *end)
{
	if (!s)
		return;
	if (s < blob || s >= end)
		bug("%s points outside the blob (%p, blob %p..%p)", what, (const void *)s,
		    (const void *)blob, (const void *)end);
	if (!memchr(s, 0, end - s))
		bug("%s is not terminated inside the blob", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dt_info info;
	static char line[4096];
	const char *blob, *end;
	int i, a, b;

	/*
	 * dt_check(fdt, 0) means "size unknown, trust the header": not for arbitrary bytes.
	 * Below 40 bytes (a version 17 header) no tree is valid. dt_check() refuses them
	 * without reading past them (fuzz_fdt_check covers that), but the FATAL path's
	 * fdt_check_header() reads 36 header bytes whatever the version: at boot the tree
	 * sits in RAM, here it would be a read past the buffer. Skipped, so that this
	 * target spends its time on dt_parse().
	 */
	if (size < FDT_V17_SIZE || size > FUZZ_MAX_INPUT)
		return 0;
	blob = guarded_copy(data, size);
	end = blob + size;
	if (dt_check(blob, size)) {
		/* the FATAL path: the header is trusted for the size, as at boot */
		if (!fdt_check_header(blob) && fdt_totalsize(blob) <= size) {
			dt_parse_unchecked(blob, &info);
			snprintf(line, sizeof(line), "%s %s", info.bootargs ? info.bootargs : "",
				 info.stdout_path ? info.stdout_path : "");
		}
		return 0;
	}
	if (dt_parse(blob, &info))
		return 0;

	if (info.nr_cpus < 0 || info.nr_cpus > DT_MAX_CPUS || info.nr_cpus_dropped < 0 ||
	    info.nr_mem < 0 || info.nr_mem > DT_MAX_MEM ||
	    info.nr_resv < 1 || info.nr_resv > DT_MAX_RESV ||
	    info.nr_nodes < 1 || info.nr_nodes > MAX_NUMNODES)
		bug("counts out of range: cpus %d (+%d) mem %d resv %d nodes %d", info.nr_cpus,
		    info.nr_cpus_dropped, info.nr_mem, info.nr_resv, info.nr_nodes);
	if (info.distance_map && info.distance_map_bad)
		bug("distance map both applied and rejected");

	check_string("model", info.model, blob, end);
	check_string("compatible", info.compatible, blob, end);
	check_string("bootargs", info.bootargs, blob, end);
	check_string("stdout_path", info.stdout_path, blob, end);
	if (info.uart.found) {
		if (!info.uart.compat || info.uart.compat_len <= 0 ||
		    info.uart.compat < blob || info.uart.compat + info.uart.compat_len > end)
			bug("uart.compat %p + %d outside the blob", (const void *)info.uart.compat,
			    info.uart.compat_len);
		check_string("uart.compat", info.uart.compat, blob, end);
	}
	for (i = 0; i < info.nr_cpus; i++) {
		const struct dt_cpu *c = &info.cpus[i];

		check_string("cpu isa", c->isa, blob, end);
		check_string("cpu mmu_type", c->mmu_type, blob, end);
		if (c->node != DT_NO_NODE && (c->node < 0 || c->node >= info.nr_nodes))
			bug("cpu %d node %d, nr_nodes %d", i, c->node, info.nr_nodes);
		if (c->enable_method > DT_EN_OTHER)
			bug("cpu %d enable_method %d", i, c->enable_method);
	}
	for (i = 0; i < info.nr_mem; i++)
		if (info.mem[i].node != DT_NO_NODE &&
		    (info.mem[i].node < 0 || info.mem[i].node >= info.nr_nodes))
			bug("mem %d node %d, nr_nodes %d", i, info.mem[i].node, info.nr_nodes);
	if (info.numa_off) {
		if (!info.distance_map_bad || info.nr_nodes != 1)
			bug("NUMA off with map_bad %d, %d nodes", info.distance_map_bad,
			    info.nr_nodes);
		for (i = 0; i < info.nr_cpus; i++)
			if (info.cpus[i].node != 0)
				bug("NUMA off, cpu %d on node %d", i, info.cpus[i].node);
		for (i = 0; i < info.nr_mem; i++)
			if (info.mem[i].node != 0)
				bug("NUMA off, mem %d on node %d", i, info.mem[i].node);
	}
	for (i = 0; i < info.nr_cpus; i++) {
		const struct dt_cpu *c = &info.cpus[i];

		if (c->status > DT_CPU_OTHER || (c->status == DT_CPU_OKAY) != c->okay)
			bug("cpu %d status %d, okay %d", i, c->status, c->okay);
	}
	/* the memory node of every node: itself or one with memory (when any has) */
	for (a = 0; a < info.nr_nodes; a++) {
		int m = dt_nearest_mem_node(&info, a);

		if (m != a && (m < 0 || m >= info.nr_nodes || !dt_node_has_memory(&info, m)))
			bug("memory node of %d is %d", a, m);
	}
	for (a = -1; a <= MAX_NUMNODES; a++) {
		for (b = -1; b <= MAX_NUMNODES; b++) {
			int d = dt_node_distance(&info, a, b);

			if ((a == b || (a <= 0 && b <= 0)) ? d != LOCAL_DISTANCE :
			    d <= LOCAL_DISTANCE || d > 255)
				bug("distance %d -> %d = %d", a, b, d);
		}
	}

	/* the boot banner's use of the results */
	snprintf(line, sizeof(line), "model %s compatible %s bootargs %s console %s %s",
		 info.model ? info.model : "-", info.compatible ? info.compatible : "-",
		 info.bootargs ? info.bootargs : "-", info.stdout_path ? info.stdout_path : "-",
		 info.uart.found ? info.uart.compat : "-");
	for (i = 0; i < info.nr_cpus; i++)
		snprintf(line, sizeof(line), "cpu %d hwid %#llx %s node %d isa %s mmu %s", i,
			 (unsigned long long)info.cpus[i].hwid,
			 dt_enable_method_name(info.cpus[i].enable_method), info.cpus[i].node,
			 info.cpus[i].isa ? info.cpus[i].isa : "-",
			 info.cpus[i].mmu_type ? info.cpus[i].mmu_type : "-");
	return 0;
}
