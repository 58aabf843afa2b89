/*
 * dt_walk_check.c - check_tree(): what dt_parse() found in one tree (CPUs, memory,
 * reservations, console, PSCI, NUMA distances and maps, timebase, test finisher) against
 * that tree's expectations, one counted check per field.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libfdt.h>
#include <pcpurt/dt.h>
#include "dt_walk_test.h"

/* ---- checking a parsed tree ----------------------------------------------------------- */

static void check_cpu(int i, const struct dt_cpu *c, const struct exp_cpu *e)
{
	char what[64];

#define WHAT(field) (snprintf(what, sizeof(what), "cpu[%d].%s", i, field), what)
	expect_u64(WHAT("hwid"), c->hwid, e->hwid);
	expect_int(WHAT("node"), c->node, e->node);
	nr_checks++;
	if (c->enable_method != e->method)
		fail("cpu[%d].enable_method = %s, expected %s", i,
		     dt_enable_method_name(c->enable_method), dt_enable_method_name(e->method));
	expect_int(WHAT("okay"), c->okay, e->okay);
	expect_int(WHAT("has_release_addr"), c->has_release_addr, e->has_rel);
	if (e->has_rel)
		expect_u64(WHAT("release_addr"), c->release_addr, e->rel);
	expect_str(WHAT("isa"), c->isa, e->isa);
	expect_str(WHAT("mmu_type"), c->mmu_type, e->mmu);
	expect_int(WHAT("has_mmu"), c->has_mmu, e->has_mmu);
#undef WHAT
}

/* The distance matrix, and dt_node_distance() agreeing with it. @want NULL: defaults. */
void check_distances(int nr_nodes, const uint8_t *want)
{
	int a, b, bad = 0;

	for (a = 0; a < MAX_NUMNODES; a++) {
		for (b = 0; b < MAX_NUMNODES; b++) {
			int w = a == b ? LOCAL_DISTANCE : REMOTE_DISTANCE;

			if (want && a < nr_nodes && b < nr_nodes)
				w = want[a * nr_nodes + b];
			nr_checks++;
			if (info.distance[a][b] != w || dt_node_distance(&info, a, b) != w) {
				if (bad++ < 8)
					fail("distance[%d][%d] = %d (dt_node_distance %d), "
					     "expected %d", a, b, info.distance[a][b],
					     dt_node_distance(&info, a, b), w);
			}
		}
	}
	if (bad > 8)
		fail("... %d wrong distances in all", bad);
	/* no numa-node-id counts as node 0 */
	expect_int("dt_node_distance(-1, 0)", dt_node_distance(&info, DT_NO_NODE, 0),
		   info.distance[0][0]);
}

void check_tree(const struct exp_tree *t, const void *fdt, size_t size)
{
	int i, err;

	err = dt_check(fdt, size);
	expect_int("dt_check", err, 0);
	if (err)
		return;
	expect_int("dt_check(bufsize 0)", dt_check(fdt, 0), 0);
	err = dt_parse(fdt, &info);
	expect_int("dt_parse", err, 0);
	if (err)
		return;

	expect_str("model", info.model, t->model);
	if (t->compatible)
		expect_str("compatible", info.compatible, t->compatible);

	expect_int("nr_cpus", info.nr_cpus, t->nr_cpus);
	expect_int("nr_cpus_dropped", info.nr_cpus_dropped, 0);
	for (i = 0; i < info.nr_cpus && i < t->nr_cpus; i++) {
		char what[32];

		check_cpu(i, &info.cpus[i], &t->cpus[i]);
		snprintf(what, sizeof(what), "cpu[%d].status", i);
		if (t->status)
			expect_int(what, info.cpus[i].status, t->status[i]);
		else	/* without a table: okay exactly when the status says so */
			expect_int(what, info.cpus[i].status == DT_CPU_OKAY, t->cpus[i].okay);
	}

	expect_int("nr_mem", info.nr_mem, t->nr_mem);
	for (i = 0; i < info.nr_mem && i < t->nr_mem; i++) {
		char what[32];

		snprintf(what, sizeof(what), "mem[%d].base", i);
		expect_u64(what, info.mem[i].base, t->mem[i].base);
		snprintf(what, sizeof(what), "mem[%d].size", i);
		expect_u64(what, info.mem[i].size, t->mem[i].size);
		snprintf(what, sizeof(what), "mem[%d].node", i);
		expect_int(what, info.mem[i].node, t->mem[i].node);
	}

	/* the tree's reserved ranges, then the DTB itself */
	expect_int("nr_resv", info.nr_resv, t->nr_resv + 1);
	expect_int("resv_overflow", info.resv_overflow, 0);
	for (i = 0; i < info.nr_resv && i < t->nr_resv; i++) {
		char what[32];

		snprintf(what, sizeof(what), "resv[%d].base", i);
		expect_u64(what, info.resv[i].base, t->resv[i].base);
		snprintf(what, sizeof(what), "resv[%d].size", i);
		expect_u64(what, info.resv[i].size, t->resv[i].size);
		snprintf(what, sizeof(what), "resv[%d].kind", i);
		expect_int(what, info.resv[i].kind, t->resv[i].kind);
		snprintf(what, sizeof(what), "resv[%d].nomap", i);
		expect_int(what, info.resv[i].nomap, t->resv[i].nomap);
	}
	if (info.nr_resv == t->nr_resv + 1) {
		const struct dt_resv_range *r = &info.resv[t->nr_resv];

		expect_int("DTB resv kind", r->kind, DT_RESV_DTB);
		expect_u64("DTB resv base", r->base, (uintptr_t)fdt);
		expect_u64("DTB resv size", r->size, fdt_totalsize(fdt));
	}

	expect_str("bootargs", info.bootargs, t->bootargs);
	expect_str("stdout_path", info.stdout_path, t->stdout_path);
	expect_int("uart.found", info.uart.found, t->uart_compat != NULL);
	if (t->uart_compat && info.uart.found) {
		const char *c = info.uart.compat;
		int l1 = strlen(t->uart_compat) + 1;

		expect_str("uart.compat", c, t->uart_compat);
		expect_str("uart.source", info.uart.source,
			   t->uart_source ? t->uart_source : "stdout-path");
		if (t->uart_compat2) {
			expect_int("uart.compat_len", info.uart.compat_len,
				   l1 + strlen(t->uart_compat2) + 1);
			if (info.uart.compat_len > l1)
				expect_str("uart.compat[1]", c + l1, t->uart_compat2);
		}
		expect_u64("uart.base", info.uart.base, t->uart_base);
		expect_int("uart.reg_shift", info.uart.reg_shift, t->reg_shift);
		expect_int("uart.reg_io_width", info.uart.reg_io_width, t->reg_io_width);
		expect_int("uart.clock", info.uart.clock, t->uart_clock);
		nr_checks++;
		if (info.uart.offset <= 0 ||
		    fdt_getprop(fdt, info.uart.offset, "compatible", NULL) != info.uart.compat)
			fail("uart.offset %d is not the console's node", info.uart.offset);
	}

	expect_int("psci", info.psci, t->psci != DT_PSCI_NONE);
	expect_int("psci_conduit", info.psci_conduit, t->psci);
	expect_int("psci_v02", info.psci_v02, t->psci_v02);
	expect_u64("psci_cpu_on", info.psci_cpu_on, t->psci_cpu_on);

	expect_int("nr_nodes", info.nr_nodes, t->nr_nodes);
	expect_int("distance_map", info.distance_map, t->map == MAP_OK);
	expect_int("distance_map_bad", info.distance_map_bad, t->map == MAP_BAD);
	expect_int("numa_off", info.numa_off, t->numa_off);
	check_distances(t->nr_nodes, t->dist);
	for (i = 0; t->mem_node && i < t->nr_nodes; i++) {
		char what[40];

		snprintf(what, sizeof(what), "dt_nearest_mem_node(%d)", i);
		expect_int(what, dt_nearest_mem_node(&info, i), t->mem_node[i]);
		snprintf(what, sizeof(what), "dt_node_has_memory(%d)", i);
		expect_int(what, dt_node_has_memory(&info, i), t->mem_node[i] == i);
	}

	expect_u64("timebase_freq", info.timebase_freq, t->timebase);
	expect_int("test_finisher", info.test_finisher, t->finisher != 0);
	expect_u64("test_finisher_base", info.test_finisher_base, t->finisher);
}
