/*
 * smp.c (riscv) - starting harts through SBI HSM hart_start, and waiting.
 */
#include <pcpurt/smp.h>
#include <pcpurt/arch.h>
#include <asm/sbi.h>

extern char secondary_entry[];

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
	(void)hartid;
	arch_secondary_mmu_on();
	secondary_start(cpu);
}

void arch_cpu_idle_wait(void)
{
	arch_cpu_relax();
}

void arch_cpu_kick(void)
{
	smp_mb();
}
