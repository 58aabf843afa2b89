/*
 * smp.c (riscv) - starting harts through SBI HSM hart_start, and waiting.
 */
#include <pcpurt/smp.h>
#include <pcpurt/arch.h>
#include <pcpurt/printk.h>
#include <asm/sbi.h>

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

int arch_cpu_start(unsigned int cpu, const struct cpu_map_entry *e, const char **why)
{
	struct sbiret r = sbi_ecall(SBI_EXT_HSM, 0, e->hwid, (uintptr_t)secondary_entry, cpu);

	if (r.error) {
		*why = sbi_error(r.error);
		return (int)r.error;
	}
	return 0;
}

void riscv_secondary_start(unsigned int cpu, unsigned long hartid);

void riscv_secondary_start(unsigned int cpu, unsigned long hartid)
{
	arch_secondary_mmu_on();
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

/* Supervisor software interrupts wake WFI; sstatus.SIE stays clear so none is taken. */
void arch_cpu_wake_init(unsigned int cpu)
{
	(void)cpu;
	if (have_ipi)
		__asm__ __volatile__("csrs sie, %0" : : "r"(SIE_SSIE) : "memory");
}

void arch_cpu_idle_wait(void)
{
	if (!have_ipi) {
		arch_cpu_relax();
		return;
	}
	__asm__ __volatile__("wfi" : : : "memory");
	__asm__ __volatile__("csrc sip, %0" : : "r"(SIE_SSIE) : "memory");
}

/* A nap is a WFI ended by an SBI timer interrupt (never taken: sstatus.SIE is clear). */
void arch_cpu_nap(void)
{
	if (!have_time) {
		arch_cpu_relax();
		return;
	}
	__asm__ __volatile__("csrs sie, %0" : : "r"(SIE_STIE) : "memory");
	sbi_ecall(SBI_EXT_TIME, 0, arch_counter() + arch_counter_freq() * NAP_US / 1000000, 0, 0);
	__asm__ __volatile__("wfi" : : : "memory");
	sbi_ecall(SBI_EXT_TIME, 0, ~0UL, 0, 0);
	__asm__ __volatile__("csrc sie, %0" : : "r"(SIE_STIE) : "memory");
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
