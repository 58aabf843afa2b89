/*
 * printf_test.c - lib/vsnprintf.c against glibc's vsnprintf.
 *
 * lib/vsnprintf.c is built with -Ilib/include and its functions renamed pc_vsnprintf and
 * pc_snprintf (tests/host/dt.mk). Every format spec this test generates - flags, width and
 * precision (also '*', negative too), length modifiers hh h l ll z, conversions d i u x X o
 * c s p % - is formatted by both with the same arguments, into buffers of many sizes
 * (0, 1, 2, a few bytes, exactly the length, the length + 1, plenty): the return values and
 * the bytes written must be the same, and nothing may be written past the size given.
 *
 * Only combinations the C standard defines are generated (no '#' with d, no '0' or
 * precision with c, s and p, no length modifier with c and s). Known, accepted
 * differences, not tested: NULL for %p (glibc prints "(nil)"), and NULL for %s with a
 * precision below 6 (glibc prints nothing, pcpurt a cut "(null)").
 *
 * The sanitizers stop a process at the first error, so the cases run in groups, each in a
 * child process (every corner case alone, the generated ones by conversion and flag set):
 * a group that crashes is reported and the others still run.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sanitizer/common_interface_defs.h>

int pc_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int pc_snprintf(char *buf, size_t size, const char *fmt, ...);

#define BUF	 1024
#define SENTINEL 0x5a
#define MIN_SZ(n, m) ((n) < 0 ? 0 : (size_t)(n) < (m) ? (size_t)(n) : (m))

static long nr_cases, nr_calls, nr_failed;	/* in the current process */
#define MAX_SHOWN 3			/* failures printed per group */
static bool sweep;		/* also try the small buffer sizes for this case */
static char what[160];		/* the arguments, for messages */
static const char *cur_fmt;	/* the format being checked, for the death callback */

static void on_death(void)
{
	if (cur_fmt)
		fprintf(stderr, "  crashed formatting \"%s\" with %s\n", cur_fmt, what);
}

static void show(const char *label, const char *s, int n)
{
	int i;

	printf("  %-6s %4d \"", label, n);
	for (i = 0; i < n && i < 200; i++) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("\"\n");
}

/* Format with both into a buffer of @size (inside a larger one full of SENTINEL). */
static bool compare_size(const char *fmt, size_t size, va_list ap)
{
	char want[BUF], got[BUF];
	int wn, gn;
	size_t i, cmp;
	va_list a1, a2;

	memset(want, SENTINEL, sizeof(want));
	memset(got, SENTINEL, sizeof(got));
	va_copy(a1, ap);
	va_copy(a2, ap);
	wn = vsnprintf(want, size, fmt, a1);
	gn = pc_vsnprintf(got, size, fmt, a2);
	va_end(a1);
	va_end(a2);
	nr_calls++;
	cmp = size;
	if (wn >= 0 && (size_t)wn + 1 < cmp)
		cmp = wn + 1;
	if (wn == gn && !memcmp(want, got, cmp)) {
		for (i = size; i < sizeof(got); i++)
			if (got[i] != SENTINEL)
				break;
		if (i == sizeof(got))
			return true;
		if (nr_failed++ < MAX_SHOWN)
			printf("FAIL \"%s\" %s, size %zu: byte %zu written, past the size\n", fmt,
			       what, size, i);
		return false;
	}
	if (nr_failed++ < MAX_SHOWN) {
		printf("FAIL \"%s\" %s, size %zu:\n", fmt, what, size);
		show("glibc", want, size ? (int)MIN_SZ(wn, size - 1) : 0);
		printf("  glibc returned %d\n", wn);
		show("pcpurt", got, size ? (int)MIN_SZ(gn, size - 1) : 0);
		printf("  pcpurt returned %d\n", gn);
	}
	return false;
}

static void check(const char *fmt, ...)
{
	static const size_t small[] = { 0, 1, 2, 3, 5, 8 };
	va_list ap, a1;
	char tmp[BUF];
	int n;
	size_t i;

	nr_cases++;
	cur_fmt = fmt;
	va_start(ap, fmt);
	if (!compare_size(fmt, BUF, ap) || !sweep) {
		va_end(ap);
		return;
	}
	va_copy(a1, ap);
	n = vsnprintf(tmp, sizeof(tmp), fmt, a1);
	va_end(a1);
	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++)
		if (!compare_size(fmt, small[i], ap))
			goto out;
	if (n >= 1 && n + 1 < BUF && compare_size(fmt, n, ap))
		compare_size(fmt, n + 1, ap);
out:
	va_end(ap);
}

/* Call check() with the '*' arguments the format asks for before the value. */
#define CHECK_STAR(fmt, ws, ps, w, p, v) \
	((ws) && (ps) ? check(fmt, w, p, v) : (ws) ? check(fmt, w, v) : \
	 (ps) ? check(fmt, p, v) : check(fmt, v))

static const long long ivals[] = {
	0, 1, -1, 7, -8, 42, 99, 127, -128, 128, 255, 256, 4095, 32767, -32768, 65535, 65536,
	1000000, INT_MAX, INT_MIN, UINT_MAX, 0x123456789abcdefLL, -0x123456789abcdefLL,
	LLONG_MAX, LLONG_MIN,
};
static const char *const svals[] = { "", "a", "hello", "hello, world, a longer string", NULL };
static const int cvals[] = { 'A', ' ', 0, 0xe9, '%' };
static const int star_w[] = { 5, -7, 0, 12 };
static const int star_p[] = { 2, -3, 0, 9 };

static const char *const widths[] = { "", "1", "6", "21", "*" };
static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".23", ".*" };
static const char *const lengths[] = { "", "hh", "h", "l", "ll", "z" };

static void build(char *fmt, int flags, const char *flagset, const char *w, const char *p,
		  const char *len, char conv)
{
	int i;

	*fmt++ = '%';
	for (i = 0; flagset[i]; i++)
		if (flags & (1 << i))
			*fmt++ = flagset[i];
	fmt += sprintf(fmt, "%s%s%s%c", w, p, len, conv);
}

/* Every flag set @flags (a bit mask over its flag set) of the conversion convs[@conv]. */
static const char convs[] = "diuxXo";

static void integers(int arg)
{
	const char *c = &convs[arg / 64];
	/* '#' is defined for o, x and X only */
	const char *flagset = (*c == 'd' || *c == 'i') ? "-+ 0" : "-+ 0#";
	bool is_signed = *c == 'd' || *c == 'i';
	int f = arg % 64;
	unsigned long k = arg;
	size_t wi, pi, li, vi;

	for (wi = 0; wi < sizeof(widths) / sizeof(*widths); wi++)
	for (pi = 0; pi < sizeof(precs) / sizeof(*precs); pi++)
	for (li = 0; li < sizeof(lengths) / sizeof(*lengths); li++) {
		char fmt[32];
		bool ws = widths[wi][0] == '*', ps = !strcmp(precs[pi], ".*");
		const char *len = lengths[li];

		build(fmt, f, flagset, widths[wi], precs[pi], len, *c);
		for (vi = 0; vi < sizeof(ivals) / sizeof(*ivals); vi++) {
			long long v = ivals[vi];
			int w = star_w[k % 4], p = star_p[(k / 4) % 4];

			k++;
			sweep = k % 5 == 0;
			snprintf(what, sizeof(what), "value %lld as %s%s, '*' args w %d p %d", v,
				 is_signed ? "" : "unsigned ", *len ? len : "int", w, p);
			if (!*len || !strcmp(len, "h") || !strcmp(len, "hh")) {
				if (is_signed)
					CHECK_STAR(fmt, ws, ps, w, p, (int)v);
				else
					CHECK_STAR(fmt, ws, ps, w, p, (unsigned int)v);
			} else if (!strcmp(len, "l")) {
				if (is_signed)
					CHECK_STAR(fmt, ws, ps, w, p, (long)v);
				else
					CHECK_STAR(fmt, ws, ps, w, p, (unsigned long)v);
			} else if (!strcmp(len, "ll")) {
				if (is_signed)
					CHECK_STAR(fmt, ws, ps, w, p, v);
				else
					CHECK_STAR(fmt, ws, ps, w, p, (unsigned long long)v);
			} else {
				if (is_signed)
					CHECK_STAR(fmt, ws, ps, w, p, (ssize_t)v);
				else
					CHECK_STAR(fmt, ws, ps, w, p, (size_t)v);
			}
		}
	}
}

static void strings_chars_pointers(int arg)
{
	(void)arg;
	unsigned long k = 0;
	size_t wi, pi, vi;
	int f;

	for (f = 0; f < 2; f++)
	for (wi = 0; wi < sizeof(widths) / sizeof(*widths); wi++) {
		bool ws = widths[wi][0] == '*';
		char fmt[32];

		for (pi = 0; pi < sizeof(precs) / sizeof(*precs); pi++) {
			bool ps = !strcmp(precs[pi], ".*");

			build(fmt, f, "-", widths[wi], precs[pi], "", 's');
			for (vi = 0; vi < sizeof(svals) / sizeof(*svals); vi++) {
				const char *s = svals[vi];
				int w = star_w[k % 4], p = star_p[(k / 4) % 4], prec = -1;

				k++;
				sweep = true;
				if (ps)
					prec = p < 0 ? -1 : p;
				else if (precs[pi][0])
					prec = atoi(precs[pi] + 1);	/* "." is 0 */
				/* glibc prints nothing for NULL with a precision below 6 */
				if (!s && prec >= 0 && prec < 6)
					continue;
				snprintf(what, sizeof(what), "string %s w %d p %d",
					 s ? s : "NULL", w, p);
				CHECK_STAR(fmt, ws, ps, w, p, s);
			}
		}

		build(fmt, f, "-", widths[wi], "", "", 'c');
		for (vi = 0; vi < sizeof(cvals) / sizeof(*cvals); vi++) {
			int w = star_w[k++ % 4];

			snprintf(what, sizeof(what), "char %#x w %d", cvals[vi], w);
			CHECK_STAR(fmt, ws, false, w, 0, cvals[vi]);
		}

		build(fmt, f, "-", widths[wi], "", "", 'p');
		{
			int local;
			void *ptrs[] = { (void *)1, (void *)0xdeadbeef, &local,
					 (void *)UINTPTR_MAX, (void *)0x8000000000000000ULL };

			for (vi = 0; vi < sizeof(ptrs) / sizeof(*ptrs); vi++) {
				int w = star_w[k++ % 4];

				snprintf(what, sizeof(what), "pointer %p w %d", ptrs[vi], w);
				CHECK_STAR(fmt, ws, false, w, 0, ptrs[vi]);
			}
		}
	}
}

#define CORNER(...) do { if (corner_seen++ == arg) check(__VA_ARGS__); } while (0)

/* Hand-picked corner cases and whole lines. */
static int corner_seen;

/* Runs corner case number @arg only (counting them all in corner_seen). */
static void corners(int arg)
{
	corner_seen = 0;
	sweep = true;
	strcpy(what, "(corner case)");
	CORNER("");
	CORNER("plain text, no conversion");
	CORNER("%%");
	CORNER("100%% sure %d%%", 5);
	CORNER("%d", INT_MIN);
	CORNER("%i", INT_MAX);
	CORNER("%lld", LLONG_MIN);
	CORNER("%lli", LLONG_MAX);
	CORNER("%llu", ULLONG_MAX);
	CORNER("%llx", ULLONG_MAX);
	CORNER("%llo", ULLONG_MAX);
	CORNER("%zu", SIZE_MAX);
	CORNER("%zd", (ssize_t)-1);
	CORNER("%zx", (size_t)0);
	CORNER("%.0d", 0);
	CORNER("%.0i|%5.0d|%-5.0d|%+.0d|% .0d", 0, 0, 0, 0, 0);
	CORNER("%.0u|%.0x|%#.0x|%.0o|%#.0o|%#.0X", 0u, 0u, 0u, 0u, 0u, 0u);
	CORNER("%#o|%#x|%#X", 0u, 0u, 0u);
	CORNER("%#.5o|%#.2o|%#5o|%#05o", 8u, 8u, 8u, 8u);
	CORNER("%#.3o|%#.4o", 0777u, 0777u);
	CORNER("%#.5x|%#08x|%#-8x|", 0xabu, 0xabu, 0xabu);
	CORNER("%-08d|%0-8d|%+ d|% +d", 42, 42, 42, 42);
	CORNER("%08.3d|%-8.3d|%08d", -5, -5, -5);
	CORNER("%hhd|%hhu|%hhx", 300, 300, 300);
	CORNER("%hd|%hu|%hx", 70000, 70000, 70000);
	CORNER("%hhd|%hd", -129, -32769);
	CORNER("%300d|", 1);
	CORNER("%-300s|", "x");
	CORNER("%.300d|", -1);
	CORNER("%*d|%-*d|%*d", 6, 1, 6, 2, -6, 3);
	CORNER("%.*d|%.*d|%.*s", -1, 7, 0, 0, 3, "abcdef");
	CORNER("%*.*x", -10, 4, 0x1fu);
	CORNER("%s=%d, %s=%#x, %c%c%c", "a", 1, "b", 2u, 'x', 'y', 'z');
	CORNER("%p and %p", (void *)0x1000, (void *)0xffff000000000000ULL);
	CORNER("CPU%u: MPIDR %#llx node %d method %s", 3u, 0x80000103ULL, -1, "psci");
	CORNER("%s", (const char *)NULL);
	CORNER("%10s|%-10s|%.6s", (const char *)NULL, (const char *)NULL, (const char *)NULL);
	CORNER("%c", 0);
	CORNER("[%5c][%-5c]", 'a', 'b');
}

/*
 * Run @fn(@arg) in a child process with its output captured; add up its counts, or count
 * it failed when it crashed. The output of the first few failing groups is shown (cut),
 * of the others only the first line that says what went wrong.
 */
static long total_cases, total_calls, total_failed, groups, failed_groups, crashed;
static char more[2048], verdict[32];	/* failing groups not shown in full */
static size_t more_len;

static void show_output(FILE *cap, bool full)
{
	char line[512];
	int shown = 0;

	rewind(cap);
	while (full && shown < 10 && fgets(line, sizeof(line), cap)) {
		printf("    %s", line);
		shown++;
	}
}

static void group(const char *name, void (*fn)(int), int arg)
{
	long r[4];
	int fds[2], st;
	ssize_t n;
	pid_t pid;
	FILE *cap = tmpfile();

	fflush(stdout);
	if (!cap || pipe(fds) || (pid = fork()) < 0) {
		perror("printf_test: tmpfile/pipe/fork");
		exit(2);
	}
	if (pid == 0) {
		close(fds[0]);
		__sanitizer_set_death_callback(on_death);
		dup2(fileno(cap), 1);
		dup2(fileno(cap), 2);
		fn(arg);
		r[0] = nr_cases, r[1] = nr_calls, r[2] = nr_failed, r[3] = corner_seen;
		fflush(stdout);
		if (write(fds[1], r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], r, sizeof(r));
	close(fds[0]);
	waitpid(pid, &st, 0);
	groups++;
	if (n != sizeof(r) || !WIFEXITED(st) || WEXITSTATUS(st)) {
		total_failed++;
		crashed++;
		corner_seen = arg + 2;	/* go on with the next corner case */
		snprintf(verdict, sizeof(verdict), "crashed");
	} else {
		total_cases += r[0];
		total_calls += r[1];
		total_failed += r[2];
		corner_seen = r[3];
		if (!r[2]) {
			fclose(cap);
			return;
		}
		snprintf(verdict, sizeof(verdict), "%ld mismatches", r[2]);
	}
	if (failed_groups++ < 3) {
		printf("FAIL %s: %s\n", name, verdict);
		show_output(cap, true);
	} else if (more_len < sizeof(more)) {
		more_len += snprintf(more + more_len, sizeof(more) - more_len, "%s%s (%s)",
				     more_len ? ", " : "", name, verdict);
	}
	fclose(cap);
}

int main(void)
{
	char name[64];
	int i, f;

	for (i = 0; i == 0 || i < corner_seen; i++) {
		snprintf(name, sizeof(name), "corner case %d", i);
		group(name, corners, i);
	}
	for (i = 0; convs[i]; i++) {
		for (f = 0; f < (i < 2 ? 16 : 32); f++) {
			const char *flagset = i < 2 ? "-+ 0" : "-+ 0#";
			char flags[8], *p = flags;
			int b;

			for (b = 0; flagset[b]; b++)
				if (f & (1 << b))
					*p++ = flagset[b];
			*p = '\0';
			snprintf(name, sizeof(name), "%%%c with flags '%s'", convs[i], flags);
			group(name, integers, i * 64 + f);
		}
	}
	group("%s, %c and %p", strings_chars_pointers, 0);
	if (more_len)
		printf("FAIL also: %s\n", more);
	printf("printf_test: %ld groups (%ld failed, %ld of them crashed), %ld cases, "
	       "%ld formatting pairs, %ld failures\n", groups, failed_groups, crashed, total_cases,
	       total_calls, total_failed);
	return total_failed ? 1 : 0;
}
