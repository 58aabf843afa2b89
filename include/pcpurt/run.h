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

enum run_kind { RUN_TEST = 1, RUN_WORKLOAD = 2 };

struct run_entry {
	const char *name;
	const char *desc;
	unsigned long kind;
	int (*fn)(void);
};

#define DEFINE_RUN(kind_, name_, fn_, desc_)						\
	static const struct run_entry __run_##fn_ __used __section(".run_entries")	\
		__aligned(8) = { name_, desc_, kind_, fn_ }
#define DEFINE_TEST(name, fn, desc)	DEFINE_RUN(RUN_TEST, name, fn, desc)
#define DEFINE_WORKLOAD(name, fn, desc)	DEFINE_RUN(RUN_WORKLOAD, name, fn, desc)

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
