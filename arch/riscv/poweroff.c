/*
 * poweroff.c (riscv) - end the run. The SiFive test finisher the tree names (QEMU virt's
 * test@100000) makes QEMU exit with the status; without one (boards, QEMU sifive_u), SBI
 * system reset (SRST) shuts down, and the legacy SBI shutdown call is the last resort.
 * Nothing is assumed at build time: the same Image runs on every riscv64 machine.
 */
#include <pcpurt/arch.h>
#include <pcpurt/dt.h>
#include <asm/sbi.h>

#define FINISHER_PASS	0x5555
#define FINISHER_FAIL	0x3333

static uintptr_t finisher;	/* none until the tree names one */
static uint32_t timebase;

void arch_dt_init(const struct dt_info *dt)
{
	if (dt->test_finisher)
		finisher = dt->test_finisher_base;
	else
		finisher = 0;
	timebase = dt->timebase_freq;
}

uint64_t arch_counter_freq(void)
{
	return timebase ? timebase : 10000000;
}

const char *arch_poweroff_missing(void)
{
	if (finisher || sbi_probe_extension(SBI_EXT_SRST))
		return NULL;
	return "no test finisher in the device tree and no SBI system reset";
}

void arch_poweroff(int status)
{
	arch_local_irq_disable();
	if (finisher)
		writel(status ? ((uint32_t)status << 16) | FINISHER_FAIL : FINISHER_PASS, finisher);
	/* SRST: type 0 shutdown, reason 0 none / 1 system failure */
	sbi_ecall(SBI_EXT_SRST, 0, 0, status ? 1 : 0, 0);
	sbi_ecall(0x08, 0, 0, 0, 0);
	arch_wait_forever();
	__builtin_unreachable();
}
