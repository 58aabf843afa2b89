/*
 * smp.c (arm64) - starting secondary CPUs (PSCI CPU_ON or spin-table) and waiting. Each
 * secondary gets an exception stack on its node before it starts (head.S loads it into
 * SP_EL1); the boot CPU's is static (head.S).
 */
#include <pcpurt/smp.h>
#include <pcpurt/arch.h>
#include <pcpurt/psci.h>
#include <pcpurt/dt.h>
#include <pcpurt/irq.h>
#include <pcpurt/errno.h>
#include <pcpurt/memblock.h>
#include <pcpurt/page_alloc.h>
#include <pcpurt/printk.h>
#include <asm/layout.h>
#include <asm/percpu.h>

_Static_assert(__builtin_offsetof(struct secondary_boot, hwid) == 8 * 512, "head.S SB_HWID");
_Static_assert(__builtin_offsetof(struct secondary_boot, nr) == 16 * 512, "head.S SB_NR");
_Static_assert(NR_CPUS == 512, "head.S assumes NR_CPUS 512");

extern char secondary_entry_psci[], secondary_entry_spin[];

static const char *psci_error(long rc)
{
	switch (rc) {
	case PSCI_RET_NOT_SUPPORTED: return "PSCI: not supported";
	case PSCI_RET_INVALID_PARAMS: return "PSCI: invalid parameters";
	case PSCI_RET_DENIED: return "PSCI: denied";
	case PSCI_RET_ALREADY_ON: return "PSCI: already on";
	case PSCI_RET_ON_PENDING: return "PSCI: on pending";
	case PSCI_RET_INTERNAL_FAILURE: return "PSCI: internal failure";
	default: return "PSCI: error";
	}
}

/* top of each secondary's exception stack; head.S reads it once its MMU is on */
extern uintptr_t arm64_exc_stack_top[NR_CPUS];
uintptr_t arm64_exc_stack_top[NR_CPUS];

int arch_cpu_start(unsigned int cpu, const struct cpu_map_entry *e, const char **why)
{
	if (!arm64_exc_stack_top[cpu]) {
		/* kept for the CPU's later starts (cpu_up() after cpu_down()) */
		uint64_t base = page_alloc_ready() ?
			alloc_pages_node(e->mem_node, EXC_STACK_SIZE, 4096) :
			memblock_alloc_node(EXC_STACK_SIZE, 16, e->mem_node, NULL);

		if (!base) {
			*why = "no memory for its exception stack";
			return -1;
		}
		arm64_exc_stack_top[cpu] = base + EXC_STACK_SIZE;
	}
	if (e->method == DT_EN_PSCI) {
		long rc = psci_call(psci_cpu_on_fn(), e->hwid, (uintptr_t)secondary_entry_psci,
				    cpu);

		if (rc != PSCI_RET_SUCCESS) {
			*why = psci_error(rc);
			return (int)rc;
		}
		return 0;
	}
	if (e->method == DT_EN_SPIN_TABLE) {
		volatile uint64_t *slot = (volatile uint64_t *)(uintptr_t)e->release_addr;

		*slot = (uintptr_t)secondary_entry_spin;
		arch_dcache_clean_inval((const void *)slot, sizeof(*slot));
		__asm__ __volatile__("sev" : : : "memory");
		return 0;
	}
	*why = "no enable method";
	return -1;
}

void arm64_secondary_start(unsigned int cpu);

/* head.S comes here with the MMU on and the stacks and per-CPU base loaded. */
void arm64_secondary_start(unsigned int cpu)
{
	arch_cpu_wake_init(cpu);
	secondary_start(cpu);
}

static bool wake_ready[NR_CPUS];

void arch_smp_prepare(const struct dt_info *dt)
{
	gic_init(dt);
	arch_cpu_wake_init(0);
}

void arch_cpu_wake_init(unsigned int cpu)
{
	wake_ready[cpu] = gic_ready() && gic_cpu_init(cpu);
}

/* an interrupt was taken on this CPU since its last idle wait began */
static volatile bool irq_seen[NR_CPUS];

/*
 * WFI with interrupts masked when the GIC can wake us (QEMU then stops the vCPU), then the
 * caller's interrupt state back: a pending IPI or timer interrupt is taken there. Without
 * a GIC, WFE (woken by SEV).
 */
void arch_cpu_idle_wait(void)
{
	unsigned int cpu = smp_processor_id();
	unsigned long flags;

	if (!wake_ready[cpu]) {
		__asm__ __volatile__("wfe" : : : "memory");
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
	return gic_ready();
}

#define TIMER_PPI	27	/* EL1 virtual timer, as enabled by gic_cpu_init() */
#define NAP_US		50
#define DAIF_I		(1UL << 7)	/* IRQs masked */

static void (*tick_fn[NR_CPUS])(void);
static uint64_t tick_period[NR_CPUS];	/* counter ticks */
static bool in_tick[NR_CPUS];		/* the tick's handler is running */

int arch_tick_start(unsigned int period_us, void (*fn)(void))
{
	unsigned int cpu = smp_processor_id();

	if (!wake_ready[cpu])
		return -1;
	tick_period[cpu] = arch_counter_freq() * period_us / 1000000 ?: 1;
	tick_fn[cpu] = fn;
	write_sysreg(tick_period[cpu], cntv_tval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	arch_local_irq_enable();
	return 0;
}

/* The timer off; interrupts stay as they were (on: the IPIs still have to come in). */
void arch_tick_stop(void)
{
	unsigned long flags = arch_local_irq_save();

	write_sysreg(0, cntv_ctl_el0);
	isb();
	tick_fn[smp_processor_id()] = NULL;
	arch_local_irq_restore(flags);
}

/*
 * arm64_irq() - an IRQ exception: one interrupt acknowledged, handled and ended, then back
 * to the interrupted code. Another pending interrupt is taken as a new exception once the
 * code is resumed, never in a loop here: a loop "while anything is pending" lets a tick
 * whose handler outlasts the period keep the CPU from ever returning. The IPI (SGI 0) runs
 * this CPU's call queue once it has ended, so that a call queued meanwhile raises it again.
 * The tick is re-armed last, a full period from the end of its handler and its EOI (a late
 * tick never catches up); IRQs stay masked until the ERET, and the re-arm drops the timer's
 * level, so the GIC's pending state that the EOI may have seen from the old level goes with
 * it (at worst one spurious IRQ, which the ack turns into a plain return).
 */
void arm64_irq(void)
{
	unsigned int cpu = smp_processor_id();
	int iar = gic_irq_ack();

	irq_seen[cpu] = true;
	if (iar < 0)
		return;		/* spurious: nothing pending any more */
	if ((iar & 0x3ff) != TIMER_PPI) {
		gic_irq_eoi(iar);
		if ((iar & 0x3ff) == 0)
			smp_call_ipi();
		return;
	}
	if (tick_fn[cpu]) {
		in_tick[cpu] = true;
		tick_fn[cpu]();
		in_tick[cpu] = false;
	}
	gic_irq_eoi(iar);
	if (tick_fn[cpu])
		write_sysreg(tick_period[cpu], cntv_tval_el0);	/* from now */
	else
		write_sysreg(0, cntv_ctl_el0);
	isb();
}

/*
 * tick_nap() - a nap while this CPU's tick runs, for a lock waited on with interrupts masked
 * outside the tick's handler (spin_lock_irqsave): a WFI ended by the tick's own timer, first
 * moved to NAP_US from now if it was due sooner. The tick then comes late, never early, and
 * the vCPU stops instead of spinning with a pending interrupt (which under QEMU sends it
 * through the global lock at every translation block). Elsewhere a relax: inside the
 * handler the tick's interrupt is active and could not end the WFI, and with interrupts
 * unmasked the tick is taken as it comes.
 */
static void tick_nap(unsigned int cpu)
{
	uint64_t soon = arch_counter() + arch_counter_freq() * NAP_US / 1000000;

	if (in_tick[cpu] || !(read_sysreg(daif) & DAIF_I)) {
		arch_cpu_relax();
		return;
	}
	if (read_sysreg(cntv_cval_el0) < soon) {
		write_sysreg(soon, cntv_cval_el0);
		isb();
	}
	__asm__ __volatile__("wfi" : : : "memory");
}

/*
 * A nap is a WFI, interrupts masked, ended by the virtual timer (PPI 27, enabled with the
 * SGI) or any other interrupt, so an emulator really stops the vCPU; the timer is off
 * again (its level gone) before the caller's interrupt state comes back, and a pending IPI
 * is taken then. Without a GIC it is a plain yield.
 */
void arch_cpu_nap(void)
{
	unsigned int cpu = smp_processor_id();
	unsigned long flags;

	if (!smp_started() || !wake_ready[cpu]) {
		arch_cpu_relax();
		return;
	}
	if (tick_fn[cpu]) {
		tick_nap(cpu);
		return;
	}
	flags = arch_local_irq_save();
	write_sysreg(arch_counter_freq() * NAP_US / 1000000, cntv_tval_el0);
	write_sysreg(1, cntv_ctl_el0);
	isb();
	__asm__ __volatile__("wfi" : : : "memory");
	write_sysreg(0, cntv_ctl_el0);
	isb();
	arch_local_irq_restore(flags);
}

void arch_cpu_kick(int cpu)
{
	__asm__ __volatile__("dsb ish\n\tsev" : : : "memory");
	gic_wake(cpu);
}

const char *arch_wake_describe(void)
{
	return gic_ready() ? gic_describe() : "WFE/SEV";
}

const char *arch_cpu_cannot_stop(unsigned int cpu)
{
	if (cpu_map.cpu[cpu].method == DT_EN_SPIN_TABLE)
		return "spin-table CPUs cannot be handed back to the firmware (no PSCI CPU_OFF)";
	if (cpu_map.cpu[cpu].method != DT_EN_PSCI)
		return "no enable method that can stop it";
	return NULL;
}

void arch_cpu_die(void)
{
	unsigned int cpu = smp_processor_id();
	long rc;

	arch_local_irq_disable();
	write_sysreg(0, cntv_ctl_el0);
	isb();
	tick_fn[cpu] = NULL;
	rc = psci_call(PSCI_0_2_FN_CPU_OFF, 0, 0, 0);
	printk("CPU%u: PSCI CPU_OFF returned %ld (%s): parked\n", cpu, rc, psci_error(rc));
	arch_wait_forever();
	__builtin_unreachable();
}

#define DEAD_POLL_MS	1000

int arch_cpu_wait_dead(unsigned int cpu)
{
	uint64_t t0 = arch_counter(), freq = arch_counter_freq(), ms;
	long rc;

	do {
		rc = psci_call(PSCI_0_2_FN64_AFFINITY_INFO, cpu_map.cpu[cpu].hwid, 0, 0);
		ms = (arch_counter() - t0) * 1000 / freq;
		if (rc == PSCI_AFFINITY_OFF) {
			printk("psci: CPU%u killed (polled %llu ms)\n", cpu, (unsigned long long)ms);
			return 0;
		}
		arch_cpu_nap();
	} while (ms < DEAD_POLL_MS);
	printk("psci: CPU%u may not have shut down cleanly (AFFINITY_INFO: %ld)\n", cpu, rc);
	return -ETIMEDOUT;
}
