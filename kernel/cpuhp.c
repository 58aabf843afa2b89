/*
 * cpuhp.c - the CPU hotplug state machine: the hotplug lock, the table of steps, walking a
 * CPU's steps of one level up or down with rollback, and the cpu_up()/cpu_down() sequences
 * between the controlling CPU and the CPU that changes state (include/pcpurt/cpuhp.h).
 *
 * Pure C over struct cpuhp_ops: the machine's part (starting a CPU, interrupting it,
 * handing it to the firmware, waiting for its death) is kernel/cpu.c on the target and
 * stubs in tests/host/cpuhp_test.c.
 *
 * The CPU that changes state reports to the controlling CPU through ap_result/ap_reported:
 * going up once its ONLINE steps ran (or it failed and is dying), going down once it left
 * the online mask and ran its STARTING teardowns (or a teardown failed and it is back).
 */
#include <pcpurt/cpuhp.h>
#include <pcpurt/errno.h>
#include <pcpurt/printk.h>
#include <pcpurt/spinlock.h>

struct cpuhp_step {
	const char *name;
	cpuhp_cb_t startup, teardown;
	enum cpuhp_level level;
	bool used;
};

static const char *const level_names[CPUHP_LEVELS] = { "prepare", "starting", "online" };

static struct cpuhp_step steps[CPUHP_MAX_STEPS];
static unsigned int nr_steps;		/* ids are never reused: order = id */
static uint32_t done[NR_CPUS];		/* per CPU: the steps whose startup ran */
static const struct cpuhp_ops *ops;

static int ap_result[NR_CPUS];
static int ap_reported[NR_CPUS];
static int down_wanted[NR_CPUS];	/* a request to go down that the CPU has not taken yet */

static int readers, writer;		/* the hotplug lock */

void cpus_read_lock(void)
{
	for (;;) {
		/* masked: an interrupt that takes this CPU down never finds readers half-counted */
		unsigned long flags = arch_local_irq_save();

		if (!__atomic_load_n(&writer, __ATOMIC_SEQ_CST)) {
			__atomic_fetch_add(&readers, 1, __ATOMIC_SEQ_CST);
			if (!__atomic_load_n(&writer, __ATOMIC_SEQ_CST)) {
				arch_local_irq_restore(flags);
				return;
			}
			__atomic_fetch_sub(&readers, 1, __ATOMIC_SEQ_CST);
		}
		arch_local_irq_restore(flags);
		ops->relax();
	}
}

void cpus_read_unlock(void)
{
	__atomic_fetch_sub(&readers, 1, __ATOMIC_RELEASE);
}

static void cpus_write_lock(void)
{
	int zero = 0;

	while (!__atomic_compare_exchange_n(&writer, &zero, 1, false, __ATOMIC_SEQ_CST,
					    __ATOMIC_RELAXED)) {
		zero = 0;
		ops->relax();
	}
	while (__atomic_load_n(&readers, __ATOMIC_SEQ_CST))
		ops->relax();
}

static void cpus_write_unlock(void)
{
	__atomic_store_n(&writer, 0, __ATOMIC_RELEASE);
}

uint32_t cpuhp_steps_done(unsigned int cpu)
{
	return __atomic_load_n(&done[cpu], __ATOMIC_ACQUIRE);
}

static bool in_level(unsigned int id, enum cpuhp_level level)
{
	return steps[id].used && steps[id].level == level;
}

/* undo_up() - teardowns of the steps in @mask, newest first (errors only reported). */
static void undo_up(unsigned int cpu, uint32_t mask)
{
	int id;

	for (id = CPUHP_MAX_STEPS - 1; id >= 0; id--) {
		if (!(mask & (1U << id)))
			continue;
		if (steps[id].teardown && steps[id].teardown(cpu))
			printk("cpuhp: CPU%u: %s: teardown failed during rollback\n", cpu,
			       steps[id].name);
		done[cpu] &= ~(1U << id);
	}
}

/* undo_down() - startups of the steps in @mask, oldest first (errors only reported). */
static void undo_down(unsigned int cpu, uint32_t mask)
{
	unsigned int id;

	for (id = 0; id < CPUHP_MAX_STEPS; id++) {
		if (!(mask & (1U << id)))
			continue;
		if (steps[id].startup && steps[id].startup(cpu))
			printk("cpuhp: CPU%u: %s: startup failed during rollback\n", cpu,
			       steps[id].name);
		done[cpu] |= 1U << id;
	}
}

/*
 * walk_up() - @cpu's startups of @level not yet done, in order. On a failure the ones this
 * walk did are torn down again, newest first, and the error returned.
 */
static int walk_up(unsigned int cpu, enum cpuhp_level level)
{
	uint32_t walked = 0;
	unsigned int id;
	int rc;

	for (id = 0; id < nr_steps; id++) {
		if (!in_level(id, level) || (done[cpu] & (1U << id)))
			continue;
		rc = steps[id].startup ? steps[id].startup(cpu) : 0;
		if (rc) {
			printk("cpuhp: CPU%u: %s (%s) startup failed (%d): rolling back\n", cpu,
			       steps[id].name, level_names[level], rc);
			undo_up(cpu, walked);
			return rc;
		}
		done[cpu] |= 1U << id;
		walked |= 1U << id;
	}
	return 0;
}

/* walk_down() - @cpu's teardowns of @level done so far, newest first; rollback as above. */
static int walk_down(unsigned int cpu, enum cpuhp_level level)
{
	uint32_t walked = 0;
	int id, rc;

	for (id = (int)nr_steps - 1; id >= 0; id--) {
		if (!in_level(id, level) || !(done[cpu] & (1U << id)))
			continue;
		rc = steps[id].teardown ? steps[id].teardown(cpu) : 0;
		if (rc) {
			printk("cpuhp: CPU%u: %s (%s) teardown failed (%d): rolling back\n", cpu,
			       steps[id].name, level_names[level], rc);
			undo_down(cpu, walked);
			return rc;
		}
		done[cpu] &= ~(1U << id);
		walked |= 1U << id;
	}
	return 0;
}

static void report(unsigned int cpu, int rc)
{
	ap_result[cpu] = rc;
	__atomic_store_n(&ap_reported[cpu], 1, __ATOMIC_RELEASE);
}

/* wait_report() - until @cpu reported, at most CPUHP_AP_TIMEOUT_US; false on timeout. */
static bool wait_report(unsigned int cpu)
{
	uint64_t t0 = ops->now_us();

	while (!__atomic_load_n(&ap_reported[cpu], __ATOMIC_ACQUIRE)) {
		if (ops->now_us() - t0 > CPUHP_AP_TIMEOUT_US)
			return false;
		ops->relax();
	}
	return true;
}

void cpuhp_init(const struct cpuhp_ops *o)
{
	ops = o;
}

int cpuhp_prepare_boot(unsigned int cpu)
{
	return walk_up(cpu, CPUHP_PREPARE);
}

int cpuhp_ap_up(unsigned int cpu)
{
	int rc = walk_up(cpu, CPUHP_STARTING);

	if (rc) {
		ops->dying(cpu);
		report(cpu, rc);
		ops->die(cpu);
		return rc;
	}
	cpumask_set_cpu(cpu, &cpu_online_mask);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	arch_local_irq_enable();
	rc = walk_up(cpu, CPUHP_ONLINE);
	if (rc) {
		arch_local_irq_disable();
		cpumask_clear_cpu(cpu, &cpu_online_mask);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		ops->dying(cpu);
		walk_down(cpu, CPUHP_STARTING);
		report(cpu, rc);
		ops->die(cpu);
		return rc;
	}
	report(cpu, 0);
	return 0;
}

int cpuhp_ap_down(unsigned int cpu)
{
	int rc;

	/* a request the controlling CPU gave up on (it timed out) is dropped */
	if (!__atomic_exchange_n(&down_wanted[cpu], 0, __ATOMIC_ACQ_REL))
		return 0;
	rc = walk_down(cpu, CPUHP_ONLINE);

	if (rc) {
		report(cpu, rc);
		return rc;
	}
	cpumask_clear_cpu(cpu, &cpu_online_mask);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ops->dying(cpu);
	rc = walk_down(cpu, CPUHP_STARTING);
	if (rc) {
		/* back online as it was: its queue opens again, its ONLINE steps run again */
		ops->revive(cpu);
		cpumask_set_cpu(cpu, &cpu_online_mask);
		walk_up(cpu, CPUHP_ONLINE);
		report(cpu, rc);
		return rc;
	}
	printk("CPU%u: shutdown\n", cpu);
	report(cpu, 0);
	ops->die(cpu);
	return 0;
}

static int refuse(const char *what, unsigned int cpu, int rc, const char *why)
{
	printk("%s: CPU%u: refused: %s (%d)\n", what, cpu, why, rc);
	return rc;
}

/* do_up() - with the hotplug lock held, @cpu offline: prepare, start, wait for its report. */
static int do_up(unsigned int cpu)
{
	const char *why = "";
	int rc = walk_up(cpu, CPUHP_PREPARE);

	if (rc) {
		printk("cpu_up: CPU%u: a prepare step failed (%d): rolled back, still offline\n",
		       cpu, rc);
		return rc;
	}
	ap_reported[cpu] = 0;
	rc = ops->start(cpu, &why);
	if (rc) {
		printk("cpu_up: CPU%u: failed to start (%s, error %d): rolled back, still "
		       "offline\n", cpu, why, rc);
		walk_down(cpu, CPUHP_PREPARE);
		return rc;
	}
	if (!wait_report(cpu)) {
		printk("cpu_up: CPU%u: failed to come online (no sign of life within %u ms)\n",
		       cpu, CPUHP_AP_TIMEOUT_US / 1000);
		walk_down(cpu, CPUHP_PREPARE);
		return -ETIMEDOUT;
	}
	rc = ap_result[cpu];
	if (rc) {
		ops->wait_dead(cpu);
		walk_down(cpu, CPUHP_PREPARE);
		printk("cpu_up: CPU%u: a step on the CPU failed (%d): rolled back, still offline\n",
		       cpu, rc);
	}
	return rc;
}

int cpu_up(unsigned int cpu)
{
	int rc;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return refuse("cpu_up", cpu, -EINVAL, "not a possible CPU");
	if (!cpumask_test_cpu(cpu, &cpu_present_mask))
		return refuse("cpu_up", cpu, -ENODEV, "not present");
	cpus_write_lock();
	if (cpu_online(cpu)) {
		cpus_write_unlock();
		return refuse("cpu_up", cpu, -EALREADY, "already online");
	}
	rc = do_up(cpu);
	cpus_write_unlock();
	return rc;
}

/* do_down() - with the hotplug lock held: ask @cpu down, confirm its death, run PREPARE. */
static int do_down(unsigned int cpu)
{
	int rc;

	ap_reported[cpu] = 0;
	__atomic_store_n(&down_wanted[cpu], 1, __ATOMIC_RELEASE);
	rc = ops->request_down(cpu);
	if (rc) {
		down_wanted[cpu] = 0;
		return refuse("cpu_down", cpu, rc, "could not reach it");
	}
	/*
	 * No answer in time: withdraw the request if the CPU has not taken it (it stays online,
	 * as it was), else it is on its way: wait for it as long again.
	 */
	if (!wait_report(cpu)) {
		if (__atomic_exchange_n(&down_wanted[cpu], 0, __ATOMIC_ACQ_REL)) {
			printk("cpu_down: CPU%u: no answer within %u ms (interrupts masked?): "
			       "request withdrawn, still online\n", cpu,
			       CPUHP_AP_TIMEOUT_US / 1000);
			return -ETIMEDOUT;
		}
		if (!wait_report(cpu)) {
			printk("cpu_down: CPU%u: took the request but did not finish within %u ms\n",
			       cpu, 2 * CPUHP_AP_TIMEOUT_US / 1000);
			return -ETIMEDOUT;
		}
	}
	rc = ap_result[cpu];
	if (rc) {
		printk("cpu_down: CPU%u: a step on the CPU failed (%d): rolled back, still online\n",
		       cpu, rc);
		return rc;
	}
	if (ops->wait_dead(cpu))
		printk("CPU%u may not have shut down cleanly\n", cpu);
	rc = walk_down(cpu, CPUHP_PREPARE);
	if (rc) {
		printk("cpu_down: CPU%u: a prepare teardown failed (%d): bringing it back\n", cpu,
		       rc);
		do_up(cpu);
	}
	return rc;
}

int cpu_down(unsigned int cpu)
{
	const char *why;
	int rc;

	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return refuse("cpu_down", cpu, -EINVAL, "not a possible CPU");
	cpus_write_lock();
	if (!cpu_online(cpu))
		rc = refuse("cpu_down", cpu, -EALREADY, "already offline");
	else if (num_online_cpus() == 1)
		rc = refuse("cpu_down", cpu, -EBUSY, "the last online CPU");
	else if (cpu == ops->this_cpu())
		rc = refuse("cpu_down", cpu, -EBUSY, "it runs cpu_down() itself");
	else if ((why = ops->cannot_stop(cpu)))
		rc = refuse("cpu_down", cpu, -EOPNOTSUPP, why);
	else
		rc = do_down(cpu);
	cpus_write_unlock();
	return rc;
}

/* invoke() - @fn for @cpu in the context of @level: here for PREPARE, on the CPU else. */
static int invoke(enum cpuhp_level level, unsigned int cpu, cpuhp_cb_t fn)
{
	if (!fn)
		return 0;
	return level == CPUHP_PREPARE ? fn(cpu) : ops->run_on(cpu, fn);
}

int cpuhp_setup_state(enum cpuhp_level level, const char *name, cpuhp_cb_t startup,
		      cpuhp_cb_t teardown)
{
	unsigned int id, cpu, undo;
	int rc = 0;

	if (level >= CPUHP_LEVELS || !name)
		return -EINVAL;
	cpus_write_lock();
	if (nr_steps == CPUHP_MAX_STEPS) {
		cpus_write_unlock();
		printk("cpuhp: %s: no room for another step (%d)\n", name, -ENOMEM);
		return -ENOMEM;
	}
	id = nr_steps++;
	steps[id] = (struct cpuhp_step){ name, startup, teardown, level, true };
	for_each_online_cpu(cpu) {
		rc = invoke(level, cpu, startup);
		if (rc)
			break;
		done[cpu] |= 1U << id;
	}
	if (rc) {
		printk("cpuhp: %s: startup failed on CPU%u (%d): not added\n", name, cpu, rc);
		for_each_online_cpu(undo)
			if (done[undo] & (1U << id)) {
				invoke(level, undo, teardown);
				done[undo] &= ~(1U << id);
			}
		steps[id].used = false;
	}
	cpus_write_unlock();
	return rc ? rc : (int)id;
}

int cpuhp_remove_state(int id)
{
	unsigned int cpu;

	if (id < 0 || id >= (int)nr_steps || !steps[id].used)
		return -EINVAL;
	cpus_write_lock();
	for_each_online_cpu(cpu)
		if (done[cpu] & (1U << id)) {
			invoke(steps[id].level, cpu, steps[id].teardown);
			done[cpu] &= ~(1U << id);
		}
	steps[id].used = false;
	cpus_write_unlock();
	return 0;
}
