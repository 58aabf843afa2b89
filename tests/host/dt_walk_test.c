/*
 * dt_walk_test.c - host test of the device-tree walk (drivers/of/dt*.c and lib/fdt_check.c).
 *
 * Without arguments: runs dt_check() and dt_parse() on every board tree in ../shared/dtb
 * (PCPURT_DTB_DIR overrides the folder) and on the hand-written trees of tests/host/data
 * (compiled by dtc into build/host/dt/), and compares what the walk found with the tables
 * in dt_walk_trees.c. The board expectations were worked out by hand from
 * `dtc -I dtb -O dts` of each tree, not by running the walk. Then it breaks each tree in
 * memory (truncated, a property name offset past the strings block, ...) and checks that
 * dt_check() rejects every broken copy, and once that dt_check() reads nothing past a
 * buffer shorter than a header.
 * PCPURT_DT_SYNTH_DIR overrides build/host/dt; PCPURT_TEST_VERBOSE=1 shows more.
 *
 * With --qemu it checks one tree that QEMU generated (tests/host/dt_qemu_trees.sh) against
 * the QEMU command line that made it:
 *   dt_walk_test --qemu arm64|riscv64 FILE NCPUS MEM_MB NODES DISTS
 * NODES is "-" (no NUMA) or the CPU ranges of nodes 0, 1, ... ("0-1,2-3"), each node with
 * MEM_MB / nodes of memory; DISTS is "-" or the -numa dist triples "src:dst:val,...".
 *
 * The parts are listed in dt_walk_test.h.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libfdt.h>
#include <pcpurt/dt.h>

#ifndef DT_REPO_DIR
#define DT_REPO_DIR "."
#endif
#ifndef DT_SHARED_DIR
#define DT_SHARED_DIR "../shared/dtb"
#endif
#ifndef DT_SYNTH_DIR
#define DT_SYNTH_DIR "build/host/dt"
#endif
#include "dt_walk_test.h"

struct dt_info info;
const char *cur;		/* tree being checked, for messages */
int nr_checks, nr_failed;
bool verbose;		/* PCPURT_TEST_VERBOSE set: also show what passed */

void fail(const char *fmt, ...)
{
	va_list ap;

	nr_failed++;
	printf("FAIL %s: ", cur);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void expect_u64(const char *what, uint64_t got, uint64_t want)
{
	nr_checks++;
	if (got != want)
		fail("%s = %#llx, expected %#llx", what, (unsigned long long)got,
		     (unsigned long long)want);
}

void expect_int(const char *what, long long got, long long want)
{
	nr_checks++;
	if (got != want)
		fail("%s = %lld, expected %lld", what, got, want);
}

/* @want NULL: the walk must have found nothing. */
void expect_str(const char *what, const char *got, const char *want)
{
	nr_checks++;
	if (!want && got)
		fail("%s = \"%s\", expected none", what, got);
	else if (want && !got)
		fail("%s missing, expected \"%s\"", what, want);
	else if (want && strcmp(got, want))
		fail("%s = \"%s\", expected \"%s\"", what, got, want);
}

void *load(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc(n);	/* malloc's alignment satisfies libfdt's 8 bytes */
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = n;
	return buf;
}

int main(int argc, char **argv)
{
	const char *shared = getenv("PCPURT_DTB_DIR");
	const char *synth = getenv("PCPURT_DT_SYNTH_DIR");
	static char recap[4096];
	void *keep = NULL;	/* the first tree, for check_once() */
	size_t i, r = 0;

	verbose = getenv("PCPURT_TEST_VERBOSE") != NULL;
	if (argc > 1 && !strcmp(argv[1], "--qemu"))
		return qemu_check(argc, argv);
	if (!shared || !*shared)
		shared = DT_SHARED_DIR;
	if (!synth || !*synth)
		synth = DT_SYNTH_DIR;

	for (i = 0; i < nr_trees; i++) {
		const struct exp_tree *t = &trees[i];
		char path[4096];
		int before = nr_failed, checks = nr_checks;
		size_t size;
		void *fdt;

		snprintf(path, sizeof(path), "%s/%s", t->synth ? synth : shared, t->file);
		cur = t->file;
		fdt = load(path, &size);
		nr_checks++;
		if (!fdt) {
			fail("cannot read %s: %s", path, strerror(errno));
		} else {
			check_tree(t, fdt, size);
			check_broken(fdt, size);
			printf("%s %s: %d CPUs, %d memory ranges, %d nodes, %d checks\n",
			       nr_failed > before ? "FAIL" : "ok  ", path, info.nr_cpus,
			       info.nr_mem, info.nr_nodes, nr_checks - checks);
			if (!keep)
				keep = fdt;
			else
				free(fdt);
		}
		if (nr_failed > before && r < sizeof(recap))
			r += snprintf(recap + r, sizeof(recap) - r, "failed: %s (%d checks)\n",
				      t->file, nr_failed - before);
	}
	if (keep) {
		int before = nr_failed;

		cur = "short buffers and root name";
		check_once(keep);
		printf("%s %s\n", nr_failed > before ? "FAIL" : "ok  ", cur);
		if (nr_failed > before && r < sizeof(recap))
			r += snprintf(recap + r, sizeof(recap) - r,
				      "failed: %s (%d checks): fdt_check_full must refuse a buffer "
				      "shorter than the header and a named root node\n", cur,
				      nr_failed - before);
		free(keep);
	}
	{
		/*
		 * Trees found by the differential fuzzer, which dt_check must refuse: a
		 * property length that wraps the walk's offset around (Debian's libfdt 1.6.1
		 * loops forever on it) and an FDT_NOP after the root node closed; and one
		 * fuzz_dt found in dt_salvage(): a property length of -1; and a 32-byte
		 * version 2 header, which libfdt's fdt_check_header() reads 4 bytes past.
		 */
		static const char *const bad[] = { "fdt-check-offset-wrap.bin",
						   "fdt-check-nop-after-root.bin",
						   "fdt-salvage-negative-len.bin",
						   "fdt-v2-header-32-bytes.bin" };
		char path[512];

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			size_t wsize;
			void *w;

			snprintf(path, sizeof(path), "%s/tests/host/data/%s", DT_REPO_DIR, bad[i]);
			w = load(path, &wsize);
			cur = bad[i];
			nr_checks++;
			if (!w)
				fail("cannot read the regression input");
			else if (dt_check(w, wsize) == 0)
				fail("dt_check accepted it");
			else if (wsize >= 40 && !fdt_check_header(w) && fdt_totalsize(w) <= wsize)
				check_salvage(bad[i], w, false);
			free(w);
		}
	}
	{
		/* every .dtb in the shared folder has expectations above: none is skipped */
		DIR *d = opendir(shared);
		struct dirent *de;
		size_t n;

		cur = shared;
		nr_checks++;
		if (!d)
			fail("cannot list %s: %s", shared, strerror(errno));
		while (d && (de = readdir(d))) {
			n = strlen(de->d_name);
			if (n < 5 || strcmp(de->d_name + n - 4, ".dtb"))
				continue;
			for (i = 0; i < nr_trees; i++)
				if (!trees[i].synth && !strcmp(trees[i].file, de->d_name))
					break;
			nr_checks++;
			if (i == nr_trees)
				fail("%s/%s has no expectations in dt_walk_trees.c: add them",
				     shared, de->d_name);
		}
		if (d)
			closedir(d);
	}
	printf("%s", recap);
	printf("dt_walk_test: %zu trees, %d checks, %d failed\n", nr_trees, nr_checks,
	       nr_failed);
	return nr_failed ? 1 : 0;
}
