/*
 * run.c - run the tests and workloads the command line picked and close the run.
 *
 * `run=a,b,...` names entries of the registry; an unknown name is reported and fails the
 * run (after the named ones that exist have run); several run= parameters add up. Without
 * run=, every registered test runs, and a second walk of the registry checks that each one
 * was marked as run (`run_skip=NAME` leaves one out on purpose, to show the check fails).
 * The last line is always "RESULT: PASS" or "RESULT: FAIL <why>".
 */
#include <pcpurt/run.h>
#include <pcpurt/arch.h>
#include <pcpurt/panic.h>
#include <pcpurt/percpu.h>
#include <pcpurt/printk.h>
#include <pcpurt/smp.h>
#include <stdio.h>
#include <string.h>

#define RUN_LIST_MAX 256
#define RUN_ENTRIES_MAX 256

extern const struct run_entry __run_start[], __run_end[];

static char run_list[RUN_LIST_MAX];
static bool run_given;
static char run_skip[32];
static bool entry_ran[RUN_ENTRIES_MAX];	/* by index in the registry */

/* run=a,b: appended to what earlier run= parameters named */
static int set_run(const char *value)
{
	size_t len = strlen(run_list);

	if (len && len + 1 < sizeof(run_list))
		run_list[len++] = ',';
	if (len + strlcpy(run_list + len, value, sizeof(run_list) - len) >= sizeof(run_list))
		return -1;
	run_given = true;
	return 0;
}
DEFINE_BOOT_PARAM("run", set_run);

static int set_run_skip(const char *value)
{
	return strlcpy(run_skip, value, sizeof(run_skip)) >= sizeof(run_skip) ? -1 : 0;
}
DEFINE_BOOT_PARAM("run_skip", set_run_skip);

int test_fail(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("  check failed: %s\n", msg);
	return -1;
}

static size_t strcspn_comma(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ',')
		n++;
	return n;
}

static const struct run_entry *find_entry(const char *name, size_t len)
{
	const struct run_entry *e;

	for (e = __run_start; e < __run_end; e++)
		if (strlen(e->name) == len && !strncmp(e->name, name, len))
			return e;
	return NULL;
}

static char notes[NR_CPUS][64];
static int results[NR_CPUS];

/* the closing table: one row per CPU, one column per all-CPU entry that ran */
#define SUMMARY_COLS 16
static const char *summary_name[SUMMARY_COLS];
static uint8_t summary[NR_CPUS][SUMMARY_COLS];	/* 0 not run, 1 ok, 2 failed */
static unsigned int summary_cols;

void run_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(notes[smp_processor_id()], sizeof(notes[0]), fmt, ap);
	va_end(ap);
}

/* One line per online CPU: its node, hardware id, result and note. */
static void print_cpu_table(const struct run_entry *e)
{
	unsigned int cpu;

	printk("run: %s: CPU  node  hwid          result  %s\n", e->name, "summary");
	for_each_online_cpu(cpu)
		printk("run: %s: %3u  %4d  0x%-10llx  %-6s  %s\n", e->name, cpu, cpu_to_node(cpu),
		       (unsigned long long)cpu_map.cpu[cpu].hwid, results[cpu] ? "FAIL" : "ok",
		       notes[cpu]);
}

static void summary_add(const struct run_entry *e)
{
	unsigned int cpu;

	if (summary_cols == SUMMARY_COLS)
		return;
	for_each_online_cpu(cpu)
		summary[cpu][summary_cols] = results[cpu] ? 2 : 1;
	summary_name[summary_cols++] = e->name;
}

/* The per-CPU results of every all-CPU test and workload of the run, in one table. */
static void print_summary(void)
{
	char line[SUMMARY_COLS * 24 + 64];
	unsigned int cpu, c;
	int n;

	if (!summary_cols)
		return;
	n = snprintf(line, sizeof(line), "run: summary: CPU  node  hwid       ");
	for (c = 0; c < summary_cols; c++)
		n += snprintf(line + n, sizeof(line) - n, " %s", summary_name[c]);
	printk("%s\n", line);
	for_each_online_cpu(cpu) {
		n = snprintf(line, sizeof(line), "run: summary: %3u  %4d  0x%-8llx", cpu,
			     cpu_to_node(cpu), (unsigned long long)cpu_map.cpu[cpu].hwid);
		for (c = 0; c < summary_cols; c++)
			n += snprintf(line + n, sizeof(line) - n, " %-*s",
				      c + 1 < summary_cols ? (int)strlen(summary_name[c]) : 0,
				      summary[cpu][c] == 1 ? "ok" : summary[cpu][c] ? "FAIL" : "-");
		printk("%s\n", line);
	}
}

/* the run's progress, kept here so that another CPU can carry it on (run_move_driver()) */
static const struct run_entry *run_order[RUN_ENTRIES_MAX];
static unsigned int run_count, run_next;
static int nr_ran, nr_passed, nr_unknown, nr_rejected;
static const struct run_entry *running;
static uint64_t running_t0;

/* run_begin() - the entry's line and its before(); 0 or before()'s error. */
static int run_begin(const struct run_entry *e)
{
	running = e;
	running_t0 = arch_counter();
	printk("run: %s: %s\n", e->name, e->desc);
	return e->before ? e->before() : 0;
}

/* run_body() - the entry on every online CPU when it asks, else here. */
static int run_body(const struct run_entry *e)
{
	int rc;

	if (!(e->kind & RUN_ALL_CPUS))
		return e->fn();
	memset(notes, 0, sizeof(notes));
	memset(results, 0, sizeof(results));
	rc = smp_call_all(e->fn, results);
	print_cpu_table(e);
	summary_add(e);
	return rc;
}

/* run_end() - after(), the allocator's background step, the result line with the time. */
static bool run_end(const struct run_entry *e, int rc)
{
	uint64_t dt;

	if (e->after && !rc)
		rc = e->after();
	percpu_balance_step();	/* the allocator's background step, off every fast path */
	dt = (arch_counter() - running_t0) * 1000000 / arch_counter_freq();
	printk("run: %s: %s (%llu us)\n", e->name, rc ? "FAIL" : "PASS", (unsigned long long)dt);
	entry_ran[e - __run_start] = true;	/* run_selected() checked the bound */
	running = NULL;
	return rc == 0;
}

/* run_one() - run @e (on every online CPU when it asks), print its result and time. */
static bool run_one(const struct run_entry *e)
{
	int rc = run_begin(e);

	if (!rc)
		rc = run_body(e);
	return run_end(e, rc);
}

static void run_finish(void) __noreturn;

/* run_rest() - the entries from run_next on, then the end of the run. */
static void run_rest(void) __noreturn;
static void run_rest(void)
{
	while (run_next < run_count) {
		nr_ran++;
		nr_passed += run_one(run_order[run_next++]);
	}
	run_finish();
}

/* On the new driver: the moved entry again (it sees where it runs), then the rest. */
static int run_resume(void)
{
	const struct run_entry *e = running;

	nr_passed += run_end(e, run_body(e));
	run_rest();
}

void run_move_driver(unsigned int cpu)
{
	unsigned int me = smp_processor_id();
	int rc = smp_run_on(cpu, run_resume, NULL, NULL);

	if (rc) {
		printk("run: cannot move the run to CPU%u (%d)\n", cpu, rc);
		return;
	}
	printk("run: the run goes on on CPU%u; CPU%u idles\n", cpu, me);
	smp_secondary_idle(me);
}

void run_selected(int params_rejected)
{
	const struct run_entry *e;

	if (__run_end - __run_start > RUN_ENTRIES_MAX)
		fatal("run: %d registry entries, at most %d", (int)(__run_end - __run_start),
		      RUN_ENTRIES_MAX);
	nr_rejected = params_rejected;
	if (!run_given) {
		for (e = __run_start; e < __run_end; e++) {
			if (!(e->kind & RUN_TEST))
				continue;
			if (!strcmp(e->name, run_skip)) {
				printk("run: %s: skipped (run_skip=)\n", e->name);
				continue;
			}
			run_order[run_count++] = e;
		}
	} else {
		const char *p = run_list;

		while (*p) {
			size_t len = strcspn_comma(p);

			if (len) {
				e = find_entry(p, len);
				if (!e) {
					printk("run: unknown test or workload \"%.*s\"\n", (int)len,
					       p);
					nr_unknown++;
				} else if (run_count < RUN_ENTRIES_MAX) {
					run_order[run_count++] = e;
				}
			}
			p += len;
			if (*p == ',')
				p++;
		}
	}
	run_rest();
}

static void run_finish(void)
{
	const struct run_entry *e;
	int registered = 0, done = 0;
	char why[128] = "";

	if (!run_given) {
		/* the check: walk the registry again, count the tests marked as run */
		for (e = __run_start; e < __run_end; e++) {
			if (!(e->kind & RUN_TEST))
				continue;
			registered++;
			if (entry_ran[e - __run_start])
				done++;
			else
				printk("run: %s: registered but did not run\n", e->name);
		}
		printk("run: %d of %d registered tests ran, %d passed\n", done, registered,
		       nr_passed);
		if (done != registered)
			snprintf(why, sizeof(why), "only %d of %d registered tests ran", done,
				 registered);
	} else {
		printk("run: %d selected, %d passed, %d unknown\n", nr_ran, nr_passed, nr_unknown);
		if (nr_unknown)
			snprintf(why, sizeof(why), "%d unknown name%s in run=", nr_unknown,
				 nr_unknown == 1 ? "" : "s");
	}
	print_summary();
	if (!why[0] && nr_passed != nr_ran)
		snprintf(why, sizeof(why), "%d of %d failed", nr_ran - nr_passed, nr_ran);
	if (!why[0] && nr_rejected)
		snprintf(why, sizeof(why), "%d boot parameter%s rejected", nr_rejected,
			 nr_rejected == 1 ? "" : "s");
	if (!why[0] && nr_ran == 0)
		snprintf(why, sizeof(why), "nothing ran");
	result_exit(why[0] == '\0', why);
}
