/*
 * cpuhp.h - CPU hotplug: the hotplug lock, ordered steps with callbacks (Linux's hotplug
 * state machine, three levels), cpu_up() and cpu_down(). kernel/cpuhp.c holds the state
 * machine, pure C over a table of arch operations (struct cpuhp_ops), so it also builds on
 * the host with those stubbed; kernel/cpu.c gives the runtime's operations.
 *
 * Levels, in the order a CPU goes up (down: the reverse):
 *   PREPARE   on the controlling CPU, before the CPU starts / after it is dead;
 *   STARTING  on the CPU itself, interrupts masked, before it is online / after it left;
 *   ONLINE    on the CPU itself once online (going down: before it leaves the online mask;
 *             at registration: in interrupt context through a cross-CPU call).
 * Within a level, steps run in registration order going up and in reverse going down. A
 * step that fails rolls the CPU back to where it was, in reverse, and the call returns its
 * error.
 */
#ifndef PCPURT_CPUHP_H
#define PCPURT_CPUHP_H

#include <pcpurt/cpumask.h>

enum cpuhp_level { CPUHP_PREPARE, CPUHP_STARTING, CPUHP_ONLINE, CPUHP_LEVELS };

#define CPUHP_MAX_STEPS	32

typedef int (*cpuhp_cb_t)(unsigned int cpu);

/*
 * cpuhp_setup_state() - add a step at @level; @startup (may be NULL) runs at once on every
 * online CPU. Returns the step's id (>= 0), or a negative error: a failing @startup is
 * undone on the CPUs it ran on (with @teardown) and the step is not added.
 */
int cpuhp_setup_state(enum cpuhp_level level, const char *name, cpuhp_cb_t startup,
		      cpuhp_cb_t teardown);
/* cpuhp_remove_state() - @teardown of step @id on every online CPU, then the step removed. */
int cpuhp_remove_state(int id);

/*
 * cpu_up() / cpu_down() - from any online CPU, serialized by the hotplug lock. 0, or a
 * negative error with one line saying why; nothing changed on a refusal.
 */
int cpu_up(unsigned int cpu);
int cpu_down(unsigned int cpu);

/* The hotplug lock: readers keep the online set fixed (Linux's get/put_online_cpus). */
void cpus_read_lock(void);
void cpus_read_unlock(void);

/* What the state machine needs of the machine (kernel/cpu.c; stubs in the host test). */
struct cpuhp_ops {
	unsigned int (*this_cpu)(void);
	/* NULL, or why @cpu can never be stopped (a spin-table CPU) */
	const char *(*cannot_stop)(unsigned int cpu);
	/* start @cpu, which then calls cpuhp_ap_up(); 0 or a negative error, *why set */
	int (*start)(unsigned int cpu, const char **why);
	/* have @cpu call cpuhp_ap_down() (an interrupt on it); 0 or a negative error */
	int (*request_down)(unsigned int cpu);
	/* run @fn(@cpu) on online @cpu, interrupts masked, and wait; its return value */
	int (*run_on)(unsigned int cpu, cpuhp_cb_t fn);
	/* on the CPU going down, after it left the online mask: its pending calls, tick */
	void (*dying)(unsigned int cpu);
	/* on that CPU when a STARTING teardown failed: undo dying() (it stays online) */
	void (*revive)(unsigned int cpu);
	/* on the CPU going down, last: hand it to the firmware (returns only on the host) */
	void (*die)(unsigned int cpu);
	/* controlling CPU: wait for the firmware to report @cpu off; 0 or -ETIMEDOUT */
	int (*wait_dead)(unsigned int cpu);
	/* wait a little (a nap) while polling */
	void (*relax)(void);
	/* a monotonic clock in microseconds, for the bounds */
	uint64_t (*now_us)(void);
};

/* cpuhp_init() - the operations; the boot CPU (and those @online marks) start fully up. */
void cpuhp_init(const struct cpuhp_ops *ops);

/*
 * cpuhp_ap_up() - on a starting CPU with interrupts masked: its STARTING steps, online,
 * interrupts on, its ONLINE steps; reports to the controlling CPU. Returns 0 when it is
 * online; on an error it has already been taken down again (and died, on the target).
 */
int cpuhp_ap_up(unsigned int cpu);
/* cpuhp_ap_down() - on the CPU going down, interrupts masked; dies unless an error. */
int cpuhp_ap_down(unsigned int cpu);
/* cpuhp_prepare_boot() - the PREPARE steps for a CPU the boot's bring-up starts. */
int cpuhp_prepare_boot(unsigned int cpu);

/* cpuhp_steps_done() - bitmask of the step ids done for @cpu (tests). */
uint32_t cpuhp_steps_done(unsigned int cpu);

/* kernel/cpu.c: the runtime's operations (before bring-up), its own steps (after). */
void cpu_hotplug_init(void);
void cpu_hotplug_steps(void);
/* test hook: the next start is sent to a hardware id that does not exist (firmware refuses) */
void cpu_hotplug_test_refuse_next_start(void);

#define CPUHP_AP_TIMEOUT_US	5000000	/* a starting CPU must report within 5 s (Linux) */

#endif
