/*
 * cpuhp_test.c - host tests of the CPU hotplug state machine (kernel/cpuhp.c) with the
 * machine stubbed: "starting" a CPU calls cpuhp_ap_up() for it at once, "interrupting" it
 * calls cpuhp_ap_down(), and the stubs log what the machine was asked, in one trace with
 * the callbacks. Checked: the order of the steps up (prepare, the start, starting, online;
 * registration order within a level) and down (the reverse, the death between starting and
 * prepare); where each ran (prepare on the controlling CPU, the others on the CPU itself);
 * registration running the startup on the online CPUs only, and undone when one fails;
 * a failing step at each level, up and down, rolling the CPU back to where it was; every
 * refusal (impossible, online/offline already, last, self, unstoppable, firmware refusal)
 * returning its error with one line and changing nothing; a CPU that never takes the
 * request to go down (interrupts masked): timed out, withdrawn, still online.
 */
#define TEST_CAPTURE_PRINTK
#include <pcpurt/cpuhp.h>
#include <pcpurt/errno.h>
#include "test_util.h"

static char trace[4096];
static unsigned int cur;		/* the CPU the code "runs" on */
static int fail_start, fail_at = -1, fail_down_at = -1;
static bool masked;			/* the CPU does not take the request (interrupts off) */
static bool unstoppable[NR_CPUS];

static void t(const char *fmt, unsigned int cpu)
{
	size_t n = strlen(trace);

	snprintf(trace + n, sizeof(trace) - n, fmt, cpu);
	strncat(trace, " ", sizeof(trace) - strlen(trace) - 1);
}

static unsigned int this_cpu(void)
{
	return cur;
}

static const char *cannot_stop(unsigned int cpu)
{
	return unstoppable[cpu] ? "spin-table" : NULL;
}

/* runs @fn as @cpu would, then back on the controlling CPU */
static int as_cpu(unsigned int cpu, int (*fn)(unsigned int))
{
	unsigned int me = cur;
	int rc;

	cur = cpu;
	rc = fn(cpu);
	cur = me;
	return rc;
}

static int start(unsigned int cpu, const char **why)
{
	t("start%u", cpu);
	if (fail_start) {
		fail_start = 0;
		*why = "firmware says no";
		return -EIO;
	}
	as_cpu(cpu, cpuhp_ap_up);
	return 0;
}

static int request_down(unsigned int cpu)
{
	if (!masked)
		as_cpu(cpu, cpuhp_ap_down);
	return 0;
}

static int run_on(unsigned int cpu, cpuhp_cb_t fn)
{
	return as_cpu(cpu, fn);
}

static void dying(unsigned int cpu) { t("dying%u", cpu); }
static void revive(unsigned int cpu) { t("revive%u", cpu); }
static void die(unsigned int cpu) { t("die%u", cpu); }
static int wait_dead(unsigned int cpu) { t("dead%u", cpu); return 0; }
static void relax(void) { }
static uint64_t clock_us;
static uint64_t now_us(void) { return clock_us += 10; }

static const struct cpuhp_ops ops = {
	this_cpu, cannot_stop, start, request_down, run_on, dying, revive, die, wait_dead,
	relax, now_us,
};

/* step callbacks: log "<name><+|-><cpu>@<where it ran>", fail once when armed */
#define STEP(name, idx)								\
	static int name##_up(unsigned int cpu)					\
	{									\
		char f[32];							\
		snprintf(f, sizeof(f), #name "+%%u@%u", cur);			\
		t(f, cpu);							\
		if (fail_at == idx) {						\
			fail_at = -1;						\
			return -EIO;						\
		}								\
		return 0;							\
	}									\
	static int name##_down(unsigned int cpu)				\
	{									\
		char f[32];							\
		snprintf(f, sizeof(f), #name "-%%u@%u", cur);			\
		t(f, cpu);							\
		if (fail_down_at == idx) {					\
			fail_down_at = -1;					\
			return -EIO;						\
		}								\
		return 0;							\
	}
STEP(P1, 0)
STEP(S1, 1)
STEP(O1, 2)
STEP(P2, 3)
STEP(O2, 4)

static void reset(void)
{
	trace[0] = '\0';
	cap_reset();
}

static void setup(void)
{
	unsigned int cpu;

	nr_cpu_ids = 4;
	for (cpu = 0; cpu < 4; cpu++) {
		cpumask_set_cpu(cpu, &cpu_possible_mask);
		cpumask_set_cpu(cpu, &cpu_present_mask);
	}
	cpumask_set_cpu(0, &cpu_online_mask);
	cpumask_set_cpu(1, &cpu_online_mask);
	cpuhp_init(&ops);
	/* registration runs the startup on the online CPUs only, each where its level says */
	reset();
	EXPECT_EQ(cpuhp_setup_state(CPUHP_PREPARE, "P1", P1_up, P1_down), 0);
	EXPECT_EQ(cpuhp_setup_state(CPUHP_STARTING, "S1", S1_up, S1_down), 1);
	EXPECT_EQ(cpuhp_setup_state(CPUHP_ONLINE, "O1", O1_up, O1_down), 2);
	EXPECT_EQ(cpuhp_setup_state(CPUHP_PREPARE, "P2", P2_up, P2_down), 3);
	EXPECT_EQ(cpuhp_setup_state(CPUHP_ONLINE, "O2", O2_up, O2_down), 4);
	EXPECT_STR(trace, "P1+0@0 P1+1@0 S1+0@0 S1+1@1 O1+0@0 O1+1@1 P2+0@0 P2+1@0 O2+0@0 "
			  "O2+1@1 ");
	EXPECT_EQ(cpuhp_steps_done(1), 0x1f);
	EXPECT_EQ(cpuhp_steps_done(2), 0);
}

static void test_order(void)
{
	reset();
	EXPECT_EQ(cpu_up(2), 0);
	EXPECT_STR(trace, "P1+2@0 P2+2@0 start2 S1+2@2 O1+2@2 O2+2@2 ");
	EXPECT(cpu_online(2));
	EXPECT_EQ(cpuhp_steps_done(2), 0x1f);
	reset();
	EXPECT_EQ(cpu_down(2), 0);
	EXPECT_STR(trace, "O2-2@2 O1-2@2 dying2 S1-2@2 die2 dead2 P2-2@0 P1-2@0 ");
	EXPECT(!cpu_online(2));
	EXPECT_EQ(cpuhp_steps_done(2), 0);
	EXPECT(strstr(cap, "CPU2: shutdown\n"));
}

/* a step failing going up at each level: cpu_up fails, CPU 2 as it was (offline, nothing) */
static void test_rollback_up(void)
{
	static const struct {
		int step;
		const char *trace;
	} cases[] = {
		{ 3, "P1+2@0 P2+2@0 P1-2@0 " },
		{ 1, "P1+2@0 P2+2@0 start2 S1+2@2 dying2 die2 dead2 P2-2@0 P1-2@0 " },
		{ 4, "P1+2@0 P2+2@0 start2 S1+2@2 O1+2@2 O2+2@2 O1-2@2 dying2 S1-2@2 die2 "
		     "dead2 P2-2@0 P1-2@0 " },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		reset();
		fail_at = cases[i].step;
		EXPECT_EQ(cpu_up(2), -EIO);
		EXPECT_STR(trace, cases[i].trace);
		EXPECT(!cpu_online(2));
		EXPECT_EQ(cpuhp_steps_done(2), 0);
	}
	/* the firmware refuses the start: prepare undone, offline, and it can be tried again */
	reset();
	fail_start = 1;
	EXPECT_EQ(cpu_up(2), -EIO);
	EXPECT_STR(trace, "P1+2@0 P2+2@0 start2 P2-2@0 P1-2@0 ");
	EXPECT(strstr(cap, "cpu_up: CPU2: failed to start (firmware says no, error -5)"));
	EXPECT(!cpu_online(2));
	EXPECT_EQ(cpu_up(2), 0);
	EXPECT(cpu_online(2));
}

/* a step failing going down at each level: cpu_down fails, CPU 2 online with every step */
static void test_rollback_down(void)
{
	static const struct {
		int step;
		const char *trace;
	} cases[] = {
		{ 2, "O2-2@2 O1-2@2 O2+2@2 " },
		{ 1, "O2-2@2 O1-2@2 dying2 S1-2@2 revive2 O1+2@2 O2+2@2 " },
		{ 0, "O2-2@2 O1-2@2 dying2 S1-2@2 die2 dead2 P2-2@0 P1-2@0 P2+2@0 start2 S1+2@2 "
		     "O1+2@2 O2+2@2 " },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		reset();
		fail_down_at = cases[i].step;
		EXPECT_EQ(cpu_down(2), -EIO);
		EXPECT_STR(trace, cases[i].trace);
		EXPECT(cpu_online(2));
		EXPECT_EQ(cpuhp_steps_done(2), 0x1f);
	}
}

static void test_refusals(void)
{
	struct cpumask before = cpu_online_mask;

	reset();
	EXPECT_EQ(cpu_down(4), -EINVAL);
	EXPECT_EQ(cpu_down(600), -EINVAL);
	EXPECT_EQ(cpu_up(5), -EINVAL);
	EXPECT_EQ(cpu_up(2), -EALREADY);
	EXPECT_EQ(cpu_down(0), -EBUSY);		/* it runs cpu_down() */
	EXPECT_EQ(cpu_down(3), -EALREADY);
	cpumask_clear_cpu(3, &cpu_present_mask);
	EXPECT_EQ(cpu_up(3), -ENODEV);
	cpumask_set_cpu(3, &cpu_present_mask);
	unstoppable[1] = true;
	EXPECT_EQ(cpu_down(1), -EOPNOTSUPP);
	unstoppable[1] = false;
	EXPECT_STR(trace, "");			/* the machine was asked nothing */
	EXPECT(cpumask_equal(&before, &cpu_online_mask));
	EXPECT(strstr(cap, "cpu_down: CPU1: refused: spin-table (-95)\n"));
	EXPECT(strstr(cap, "cpu_up: CPU3: refused: not present (-19)\n"));
	/* the last online CPU: take 1 and 2 down from CPU 0, then CPU 0 is alone */
	EXPECT_EQ(cpu_down(1), 0);
	EXPECT_EQ(cpu_down(2), 0);
	reset();
	EXPECT_EQ(cpu_down(0), -EBUSY);
	EXPECT(strstr(cap, "cpu_down: CPU0: refused: the last online CPU (-16)\n"));
	EXPECT_EQ(cpu_up(1), 0);
	EXPECT_EQ(cpu_up(2), 0);
}

/* a startup failing on one CPU at registration: undone on the others, step not added */
static void test_register_fails(void)
{
	reset();
	fail_at = 1;		/* S1_up is reused for the new step: it fails on CPU 0 first */
	EXPECT_EQ(cpuhp_setup_state(CPUHP_STARTING, "bad", S1_up, S1_down), -EIO);
	EXPECT_STR(trace, "S1+0@0 ");
	EXPECT_EQ(cpuhp_steps_done(0), 0x1f);
	reset();
	EXPECT_EQ(cpuhp_remove_state(4), 0);
	EXPECT_STR(trace, "O2-0@0 O2-1@1 O2-2@2 ");
	EXPECT_EQ(cpuhp_steps_done(1), 0x0f);
	EXPECT_EQ(cpuhp_remove_state(4), -EINVAL);
}

/* a CPU that never takes the request: timed out, withdrawn; its late arrival does nothing */
static void test_down_timeout(void)
{
	reset();
	masked = true;
	EXPECT_EQ(cpu_down(2), -ETIMEDOUT);
	masked = false;
	EXPECT(cpu_online(2));
	EXPECT(strstr(cap, "cpu_down: CPU2: no answer within 5000 ms (interrupts masked?): "
			   "request withdrawn, still online\n"));
	EXPECT_EQ(as_cpu(2, cpuhp_ap_down), 0);	/* the stale request, taken at last */
	EXPECT_STR(trace, "");
	EXPECT(cpu_online(2));
	EXPECT_EQ(cpuhp_steps_done(2), 0x1f);
	EXPECT_EQ(cpu_down(2), 0);		/* and a new one works */
	EXPECT_EQ(cpu_up(2), 0);
}

int main(void)
{
	setup();
	test_order();
	test_rollback_up();
	test_rollback_down();
	test_refusals();
	test_down_timeout();
	test_register_fails();
	if (failures)
		fprintf(stderr, "cpuhp_test: %d failures\n", failures);
	return failures != 0;
}
