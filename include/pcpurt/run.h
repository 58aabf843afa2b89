/*
 * run.h - the registry of things a boot can run, and of boot parameters.
 *
 * Any file adds a test or workload with DEFINE_TEST / DEFINE_WORKLOAD and a boot
 * parameter with DEFINE_BOOT_PARAM; the linker gathers them into tables. `run=a,b` on the
 * command line picks entries by name; with no run= every test runs, and the run checks
 * that every registered test did. Tests return 0 on success; a nonzero return fails the
 * run. Workloads run only when named (some are meant to fail, to test the failure paths).
 */
#ifndef PCPURT_RUN_H
#define PCPURT_RUN_H

#include <pcpurt/compiler.h>

enum run_kind {
	RUN_TEST = 1,		/* part of the default run */
	RUN_WORKLOAD = 2,	/* runs only when named */
	RUN_ALL_CPUS = 4,	/* fn runs on every online CPU at once */
};

struct run_entry {
	const char *name;
	const char *desc;
	unsigned long kind;
	int (*fn)(void);	/* 0 = pass; on each CPU with RUN_ALL_CPUS */
	int (*before)(void);	/* optional, boot CPU, before fn */
	int (*after)(void);	/* optional, boot CPU, after every CPU finished fn */
};

/*
 * Each entry also defines the global symbol "pcpurt_run_name:<name>" (empty, in .rodata,
 * dropped by --gc-sections): two entries of one name, in any two files, are a link error
 * that names both files. name_ must be a string literal.
 */
#define DEFINE_RUN(kind_, name_, fn_, desc_, before_, after_)				\
	__asm__(".pushsection .rodata.pcpurt_run_name,\"a\"\n"				\
		".globl \"pcpurt_run_name:" name_ "\"\n"					\
		"\"pcpurt_run_name:" name_ "\":\n"						\
		".popsection\n");								\
	static const struct run_entry __run_##fn_ __used __section(".run_entries")	\
		__aligned(8) = { name_, desc_, kind_, fn_, before_, after_ }
#define DEFINE_TEST(name, fn, desc)	DEFINE_RUN(RUN_TEST, name, fn, desc, NULL, NULL)
#define DEFINE_WORKLOAD(name, fn, desc)	DEFINE_RUN(RUN_WORKLOAD, name, fn, desc, NULL, NULL)
/* every online CPU runs fn; before/after (may be NULL) run on the boot CPU */
#define DEFINE_SMP_TEST(name, fn, desc, before, after) \
	DEFINE_RUN(RUN_TEST | RUN_ALL_CPUS, name, fn, desc, before, after)
#define DEFINE_SMP_WORKLOAD(name, fn, desc, before, after) \
	DEFINE_RUN(RUN_WORKLOAD | RUN_ALL_CPUS, name, fn, desc, before, after)

/*
 * run_move_driver() - from the running entry's fn on the CPU that drives the run: the run
 * goes on on @cpu (an online, idle CPU), where the same fn is called again, and this CPU
 * becomes an idle CPU like the others (so it can be taken down). Returns only when @cpu
 * cannot take it (one line says why).
 */
void run_move_driver(unsigned int cpu);

/* run_note() - this CPU's one-line summary for the per-CPU results table. */
void run_note(const char *fmt, ...) __printf(1, 2);

struct boot_param {
	const char *name;
	int (*set)(const char *value);	/* 0 accepted, else rejected (the run fails) */
};

#define DEFINE_BOOT_PARAM(name_, fn_)							\
	static const struct boot_param __param_##fn_ __used __section(".boot_params")	\
		__aligned(8) = { name_, fn_ }

/* test_fail() - print "  <name>: FAIL <why>" style detail and return -1 (for tests). */
int test_fail(const char *fmt, ...) __printf(1, 2);

/* parse_boot_params() - apply the command line; returns the number of rejected values. */
int parse_boot_params(const char *cmdline);

/*
 * run_selected() - run what run= chose (or every test) and end the run with RESULT;
 * @params_rejected boot parameters were refused, which fails the run too.
 */
void run_selected(int params_rejected) __noreturn;

#endif
