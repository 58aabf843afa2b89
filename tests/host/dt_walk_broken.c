/*
 * dt_walk_broken.c - broken trees: each tree broken in memory (truncated, a property name
 * offset past the strings block, ...) must be refused by dt_check(), and
 * dt_parse_unchecked() on it (the boot's FATAL path) must end and, where it can, find what
 * the intact tree holds; once, buffers shorter than a header and a named root node.
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

/* ---- broken trees --------------------------------------------------------------------- */

/* find_tag() - the structure-block offset of the first (with @last, the last) @tag, or -1 */
static int find_tag(const void *fdt, uint32_t tag, bool last)
{
	int off = 0, next, found = -1;
	uint32_t t;

	do {
		t = fdt_next_tag(fdt, off, &next);
		if (t == tag) {
			found = off;
			if (!last)
				break;
		}
		off = next;
	} while (t != FDT_END && next >= 0);
	return found;
}

static void set_struct_word(void *fdt, int off, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);

	memcpy((char *)fdt + fdt_off_dt_struct(fdt) + off, &be, 4);
}

static void set_header_word(void *fdt, int idx, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);

	memcpy((char *)fdt + 4 * idx, &be, 4);
}

/* dt_check() must reject @fdt (@size bytes); @what says how it was broken. */
static void expect_reject(const char *what, const void *fdt, size_t size)
{
	int err = dt_check(fdt, size);

	nr_checks++;
	if (err == 0)
		fail("broken tree accepted by dt_check: %s", what);
	else if (verbose)
		printf("  rejected (%s): %s\n", fdt_strerror(err), what);
}

static void on_alarm(int sig)
{
	static const char msg[] = "dt_walk_test: dt_parse_unchecked() ran 10 s: a hang\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(2);
}

/*
 * check_salvage() - dt_parse_unchecked() on a tree dt_check() refused (the boot's FATAL
 * path) ends (a 10 s alarm kills a hang), and when @same is set the console, PSCI and test
 * finisher it finds are those of the intact tree (@info, from check_tree()).
 */
void check_salvage(const char *what, const void *fdt, bool same)
{
	static struct dt_info u;

	nr_checks++;
	signal(SIGALRM, on_alarm);
	alarm(10);
	dt_parse_unchecked(fdt, &u);
	alarm(0);
	if (!same)
		return;
	if (u.uart.found != info.uart.found || u.uart.base != info.uart.base ||
	    u.psci_conduit != info.psci_conduit || u.test_finisher != info.test_finisher ||
	    u.test_finisher_base != info.test_finisher_base ||
	    !u.bootargs != !info.bootargs)
		fail("salvage (%s): console %d 0x%llx psci %d finisher %d, intact tree: console "
		     "%d 0x%llx psci %d finisher %d", what, u.uart.found,
		     (unsigned long long)u.uart.base, u.psci_conduit, u.test_finisher,
		     info.uart.found, (unsigned long long)info.uart.base, info.psci_conduit,
		     info.test_finisher);
}

void check_broken(const void *good, size_t size)
{
	size_t total = fdt_totalsize(good);
	char *b = malloc(total), *half;
	int off;

	/* a blob shorter than its header says */
	expect_reject("bufsize one byte short of totalsize", good, total - 1);
	half = malloc(total / 2);
	memcpy(half, good, total / 2);
	expect_reject("first half of the blob only", half, total / 2);
	expect_reject("header only", half, 40);
	expect_reject("no blob", NULL, 0);
	free(half);

	/* the last property's name offset just past the strings block, then far past it */
	memcpy(b, good, total);
	off = find_tag(b, FDT_PROP, true);
	set_struct_word(b, off + 8, fdt_size_dt_strings(b));
	expect_reject("last property's nameoff = size_dt_strings", b, total);
	set_struct_word(b, off + 8, 0xfffffff0);
	expect_reject("last property's nameoff = 0xfffffff0", b, total);
	check_salvage("last property's nameoff = 0xfffffff0", b, false);

	/* a length that wraps the walk around (libfdt's own walkers loop on it) */
	memcpy(b, good, total);
	set_struct_word(b, off + 4, 0xfffffff0);
	expect_reject("last property's length wraps the offset", b, total);
	check_salvage("last property's length wraps the offset", b, false);
	memcpy(b, good, total);
	set_struct_word(b, find_tag(b, FDT_PROP, false) + 4, 0xfffffff0);
	expect_reject("first property's length wraps the offset", b, total);
	check_salvage("first property's length wraps the offset", b, false);

	/* FDT_END turned into an unknown tag: all but /cpus is salvaged */
	memcpy(b, good, total);
	set_struct_word(b, find_tag(b, FDT_END, true), 0x7);
	expect_reject("FDT_END replaced by tag 7", b, total);
	check_salvage("FDT_END replaced by tag 7", b, true);

	/* a property whose length runs past the structure block */
	memcpy(b, good, total);
	set_struct_word(b, off + 4, fdt_size_dt_struct(b));
	expect_reject("last property's length past the structure block", b, total);

	/* the root never closed: its FDT_END_NODE turned into FDT_NOP */
	memcpy(b, good, total);
	set_struct_word(b, find_tag(b, FDT_END_NODE, true), FDT_NOP);
	expect_reject("root node not closed", b, total);

	/* an unknown tag */
	memcpy(b, good, total);
	set_struct_word(b, off, 0x7);
	expect_reject("unknown tag 7", b, total);

	/* header fields */
	memcpy(b, good, total);
	set_header_word(b, 0, 0xd00dfeee);
	expect_reject("bad magic", b, total);
	memcpy(b, good, total);
	set_header_word(b, 1, total + 8);
	expect_reject("totalsize larger than the buffer", b, total);
	memcpy(b, good, total);
	set_header_word(b, 9, fdt_size_dt_struct(good) - 8);
	expect_reject("size_dt_struct 8 bytes short (FDT_END cut)", b, total);
	memcpy(b, good, total);
	set_header_word(b, 4, total);
	expect_reject("memory reservation block at the end of the blob", b, total);

	/* and the untouched copy still passes */
	memcpy(b, good, total);
	expect_int("dt_check(intact copy)", dt_check(b, size), 0);
	free(b);
}

/*
 * Checks made once, on the first tree: a buffer shorter than the header its version field
 * describes, and a root node with a name. Each short buffer sits right before an
 * inaccessible page, and dt_check() runs in a child process: a read past the header
 * (even inside the uninstrumented libfdt.so) kills the child instead of going unnoticed.
 */
void check_once(const void *good)
{
	long page = sysconf(_SC_PAGESIZE);
	char *area = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	size_t total = fdt_totalsize(good), n;
	char *b;

	nr_checks++;
	if (area == MAP_FAILED || mprotect(area + page, page, PROT_NONE)) {
		fail("mmap: %s", strerror(errno));
		return;
	}
	/*
	 * libfdt wants 8-byte aligned trees: the buffer starts 32 bytes before the guard page,
	 * so reading header bytes 32..39 (size_dt_strings, size_dt_struct) faults.
	 */
	for (n = FDT_V1_SIZE; n <= 32; n += 4) {
		char *p = area + page - 32;
		pid_t pid;
		int st;

		memcpy(p, good, n);	/* a version 17 header: 40 bytes */
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			/* the sanitizer's report would only repeat what fuzz_fdt_check says */
			if (!verbose && !freopen("/dev/null", "w", stderr))
				_exit(5);
			_exit(dt_check(p, n) ? 3 : 4);
		}
		nr_checks++;
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			fail("fork: %s", strerror(errno));
		else if (WIFEXITED(st) && WEXITSTATUS(st) == 4)
			fail("dt_check() accepted the first %zu bytes of a tree", n);
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 3)
			fail("dt_check() on the first %zu bytes of a tree (a version 17 header "
			     "is 40) read past the buffer and crashed (%s %d)", n,
			     WIFSIGNALED(st) ? "signal" : "exit status",
			     WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	}
	munmap(area, 2 * page);

	/* the root node's name is the empty string: "ab" instead (libfdt rejects it) */
	b = malloc(total);
	memcpy(b, good, total);
	memcpy(b + fdt_off_dt_struct(b) + 4, "ab", 3);
	expect_reject("root node named \"ab\"", b, total);
	free(b);
}
