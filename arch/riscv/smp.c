/*
 * smp.c (riscv) - starting harts through SBI HSM hart_start (each with its own trap
 * stack), and waiting.
 */
#include <pcpurt/smp.h>
#include <pcpurt/arch.h>
#include <pcpurt/errno.h>
#include <pcpurt/memblock.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/printk.h>
#include <asm/layout.h>
#include <asm/sbi.h>
#include <asm/trap.h>

extern char secondary_entry[];

_Static_assert(__builtin_offsetof(struct secondary_boot, hwid) == 8 * 512, "head.S SB_HWID");
_Static_assert(__builtin_offsetof(struct secondary_boot, nr) == 16 * 512, "head.S SB_NR");
_Static_assert(NR_CPUS == 512, "head.S assumes NR_CPUS 512");

static const char *sbi_error(long e)
{
	switch (e) {
	case -1: return "SBI: failed";
	case -2: return "SBI: not supported";
	case -3: return "SBI: invalid parameter";
	case -4: return "SBI: denied";
	case -5: return "SBI: invalid address";
	case -6: return "SBI: already available";
	default: return "SBI: error";
	}
}

uintptr_t riscv_trap_stack_top[NR_CPUS];

/* trap_stack() - a trap stack for @cpu on @node (its memory node; identity mapped), or 0. */
static uintptr_t trap_stack(unsigned int cpu, int node)
{
	uint64_t base;

	if (riscv_trap_stack_top[cpu])
		return riscv_trap_stack_top[cpu];
	if (page_alloc_ready())
		base = alloc_pages_node(node, TRAP_STACK_SIZE, 4096);
	else
		base = memblock_alloc_node(TRAP_STACK_SIZE, 16, node, NULL);
	return base ? base + TRAP_STACK_SIZE : 0;
}

/* Runs on the boot hart: the CPU's trap stack first, then SBI hart_start. */
int arch_cpu_start(unsigned int cpu, const struct cpu_map_entry *e, const char **why)
{
	bool fresh = !riscv_trap_stack_top[cpu];
	struct sbiret r;

	riscv_trap_stack_top[cpu] = trap_stack(cpu, e->mem_node);
	if (!riscv_trap_stack_top[cpu]) {
		*why = "no memory for its trap stack";
		return -1;
	}
	smp_mb();
	r = sbi_ecall(SBI_EXT_HSM, 0, e->hwid, (uintptr_t)secondary_entry, cpu);
	if (r.error && fresh) {
		/* the hart will not run: give its trap stack back to the allocator it came from */
		uint64_t base = riscv_trap_stack_top[cpu] - TRAP_STACK_SIZE;

		riscv_trap_stack_top[cpu] = 0;
		if (page_alloc_ready())
			free_pages(base, TRAP_STACK_SIZE);
		else
			memblock_free(base, TRAP_STACK_SIZE);
	}
	if (r.error) {
		*why = sbi_error(r.error);
		return (int)r.error;
	}
	return 0;
}

void riscv_secondary_start(unsigned int cpu, unsigned long hartid);

/* From head.S, translation on, on its own stack; hartid bit 63: came through stray_hart. */
void riscv_secondary_start(unsigned int cpu, unsigned long hartid)
{
	if (hartid >> 63)
		printk("CPU%u: hart %lu entered at the boot entry (SBI hart start race), "
		       "joined as a secondary\n", cpu, hartid & ~(1UL << 63));
	arch_cpu_wake_init(cpu);
	secondary_start(cpu);
}

#define SBI_EXT_IPI	0x735049
#define SIE_SSIE	(1UL << 1)

#define SBI_EXT_TIME	0x54494d45
#define SIE_STIE	(1UL << 5)
#define NAP_US		50

static bool have_ipi, have_time;

void arch_smp_prepare(const struct dt_info *dt)
{
	(void)dt;
	have_ipi = sbi_probe_extension(SBI_EXT_IPI) != 0;
	have_time = sbi_probe_extension(SBI_EXT_TIME) != 0;
	arch_cpu_wake_init(0);
}

/* Supervisor software interrupts (the IPI) enabled; taken whenever sstatus.SIE is set. */
void arch_cpu_wake_init(unsigned int cpu)
{
	(void)cpu;
	if (have_ipi)
		__asm__ __volatile__("csrs sie, %0" : : "r"(SIE_SSIE) : "memory");
}

/* an interrupt was taken on this hart since its last idle wait began */
static volatile bool irq_seen[NR_CPUS];

/*
 * WFI with interrupts masked (a pending IPI still ends it), then the caller's interrupt
 * state back: the IPI is taken there and runs the call queue.
 */
void arch_cpu_idle_wait(void)
{
	unsigned int cpu = smp_processor_id();
	unsigned long flags;

	if (!have_ipi) {
		arch_cpu_relax();
		return;
	}
	flags = arch_local_irq_save();
	if (!irq_seen[cpu])
		__asm__ __volatile__("wfi" : : : "memory");
	arch_local_irq_restore(flags);
	irq_seen[cpu] = false;
}

bool arch_has_ipi(void)
{
	return have_ipi;
}

static void (*tick_fn[NR_CPUS])(void);
static uint64_t tick_period[NR_CPUS];	/* timebase ticks */
static uint64_t tick_due[NR_CPUS];	/* when the armed tick fires */
static bool in_tick[NR_CPUS];		/* the tick's handler is running */

static void tick_arm(unsigned int cpu, uint64_t when)
{
	tick_due[cpu] = when;
	sbi_ecall(SBI_EXT_TIME, 0, when, 0, 0);
}

int arch_tick_start(unsigned int period_us, void (*fn)(void))
{
	unsigned int cpu = smp_processor_id();

	if (!have_time)
		return -1;
	tick_period[cpu] = arch_counter_freq() * period_us / 1000000 ?: 1;
	tick_fn[cpu] = fn;
	tick_arm(cpu, arch_counter() + tick_period[cpu]);
	__asm__ __volatile__("csrs sie, %0" : : "r"(SIE_STIE) : "memory");
	arch_local_irq_enable();
	return 0;
}

/* The timer off; interrupts stay as they were (on: the IPIs still have to come in). */
void arch_tick_stop(void)
{
	unsigned long flags = arch_local_irq_save();

	__asm__ __volatile__("csrc sie, %0" : : "r"(SIE_STIE) : "memory");
	sbi_ecall(SBI_EXT_TIME, 0, ~0UL, 0, 0);
	tick_fn[smp_processor_id()] = NULL;
	arch_local_irq_restore(flags);
}

/*
 * riscv_irq() - an interrupt taken as a trap: the tick (supervisor timer) run and then
 * re-armed a full period from the end of its handler, so a late tick does not fire again at
 * once and the interrupted code runs for a period between two ticks; a software interrupt
 * (the IPI) cleared, then this hart's call queue run. One interrupt per trap: trap.S then
 * resumes the interrupted code. The timer is silenced (set to never) before the handler,
 * so that no interrupt stays pending while the handler spins on a lock: under QEMU a
 * pending interrupt, even a masked one, sends the vCPU through QEMU's global lock between
 * translation blocks (a `pause` ends one). False for any other cause.
 */
bool riscv_irq(unsigned long code)
{
	unsigned int cpu = smp_processor_id();

	irq_seen[cpu] = true;
	if (code == 5) {
		/* quiet first: no interrupt left pending while the handler spins on a lock */
		sbi_ecall(SBI_EXT_TIME, 0, ~0UL, 0, 0);
		if (tick_fn[cpu]) {
			in_tick[cpu] = true;
			tick_fn[cpu]();
			in_tick[cpu] = false;
			tick_arm(cpu, arch_counter() + tick_period[cpu]);
		}
		return true;
	}
	if (code == 1) {
		__asm__ __volatile__("csrc sip, %0" : : "r"(SIE_SSIE) : "memory");
		smp_call_ipi();
		return true;
	}
	return false;
}

/*
 * tick_nap() - a nap while this hart's tick runs, for a lock waited on with interrupts masked
 * outside the tick's handler (spin_lock_irqsave): a WFI ended by the tick's own timer, first
 * moved to NAP_US from now if it was due sooner. The tick then comes late, never early, and
 * the vCPU stops instead of spinning with a pending interrupt (which under QEMU sends it
 * through the global lock between translation blocks). Elsewhere a relax: inside the
 * handler the timer is off, and with interrupts unmasked the tick is taken as it comes.
 */
static void tick_nap(unsigned int cpu)
{
	uint64_t soon = arch_counter() + arch_counter_freq() * NAP_US / 1000000;
	unsigned long sstatus;

	__asm__ __volatile__("csrr %0, sstatus" : "=r"(sstatus));
	if (in_tick[cpu] || (sstatus & SSTATUS_SIE)) {
		arch_cpu_relax();
		return;
	}
	if (tick_due[cpu] < soon)
		tick_arm(cpu, soon);
	__asm__ __volatile__("wfi" : : : "memory");
}

/*
 * A nap is a WFI, interrupts masked, ended by an SBI timer interrupt or an IPI; the timer
 * is off again before the caller's interrupt state comes back (a pending IPI is taken then).
 * While the tick runs, tick_nap().
 */
void arch_cpu_nap(void)
{
	unsigned long flags;

	if (!have_time) {
		arch_cpu_relax();
		return;
	}
	if (tick_fn[smp_processor_id()]) {
		tick_nap(smp_processor_id());
		return;
	}
	flags = arch_local_irq_save();
	__asm__ __volatile__("csrs sie, %0" : : "r"(SIE_STIE) : "memory");
	sbi_ecall(SBI_EXT_TIME, 0, arch_counter() + arch_counter_freq() * NAP_US / 1000000, 0, 0);
	__asm__ __volatile__("wfi" : : : "memory");
	sbi_ecall(SBI_EXT_TIME, 0, ~0UL, 0, 0);
	__asm__ __volatile__("csrc sie, %0" : : "r"(SIE_STIE) : "memory");
	arch_local_irq_restore(flags);
}

void arch_cpu_kick(int cpu)
{
	smp_mb();
	if (!have_ipi)
		return;
	if (cpu < 0)
		sbi_ecall(SBI_EXT_IPI, 0, 0, (unsigned long)-1, 0);
	else
		sbi_ecall(SBI_EXT_IPI, 0, 1, cpu_map.cpu[cpu].hwid, 0);
}

const char *arch_wake_describe(void)
{
	return have_ipi ? "WFI, woken by SBI IPIs" : "polling";
}

#define HSM_HART_STOP		1
#define HSM_HART_GET_STATUS	2
#define HSM_STATUS_STOPPED	1
#define DEAD_POLL_MS		1000

const char *arch_cpu_cannot_stop(unsigned int cpu)
{
	(void)cpu;
	return NULL;
}

void arch_cpu_die(void)
{
	unsigned int cpu = smp_processor_id();
	struct sbiret r;

	arch_local_irq_disable();
	__asm__ __volatile__("csrw sie, zero" : : : "memory");
	tick_fn[cpu] = NULL;
	if (have_time)
		sbi_ecall(SBI_EXT_TIME, 0, ~0UL, 0, 0);
	r = sbi_ecall(SBI_EXT_HSM, HSM_HART_STOP, 0, 0, 0);
	printk("CPU%u: SBI HSM HART_STOP returned %ld (%s): parked\n", cpu, r.error,
	       sbi_error(r.error));
	arch_wait_forever();
	__builtin_unreachable();
}

int arch_cpu_wait_dead(unsigned int cpu)
{
	uint64_t t0 = arch_counter(), freq = arch_counter_freq(), ms;
	struct sbiret r;

	do {
		r = sbi_ecall(SBI_EXT_HSM, HSM_HART_GET_STATUS, cpu_map.cpu[cpu].hwid, 0, 0);
		ms = (arch_counter() - t0) * 1000 / freq;
		if (!r.error && r.value == HSM_STATUS_STOPPED) {
			printk("CPU%u: off (hart %llu stopped, polled %llu ms)\n", cpu,
			       (unsigned long long)cpu_map.cpu[cpu].hwid, (unsigned long long)ms);
			return 0;
		}
		arch_cpu_nap();
	} while (ms < DEAD_POLL_MS);
	printk("CPU%u may not have shut down cleanly (HART_GET_STATUS: %ld/%ld)\n", cpu,
	       r.error, r.value);
	return -ETIMEDOUT;
}
