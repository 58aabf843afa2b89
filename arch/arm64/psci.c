/*
 * psci.c (arm64) - PSCI calls through the conduit the device tree names, and poweroff.
 *
 * poweroff: with PCPURT_SEMIHOSTING (the Makefile sets it for QEMU builds) semihosting
 * SYS_EXIT hands QEMU the exit status; otherwise PSCI SYSTEM_OFF (QEMU exits 0, a board
 * powers down). Semihosting must stay off on hardware: its HLT traps there.
 */
#include <pcpurt/arch.h>
#include <pcpurt/dt.h>
#include <pcpurt/psci.h>

#define PSCI_SYSTEM_OFF		0x84000008U
#define SEMIHOST_SYS_EXIT	0x18
#define ADP_STOPPED_APP_EXIT	0x20026

static uint8_t psci_conduit = DT_PSCI_HVC;
static uint32_t psci_fn_cpu_on = PSCI_0_2_FN64_CPU_ON;

void arch_dt_init(const struct dt_info *dt)
{
	if (dt->psci) {
		psci_conduit = dt->psci_conduit;
		if (!dt->psci_v02 && dt->psci_cpu_on)
			psci_fn_cpu_on = dt->psci_cpu_on;
	}
}

uint32_t psci_cpu_on_fn(void)
{
	return psci_fn_cpu_on;
}

/* psci_call() - one PSCI call; returns x0 (a PSCI status for most functions). */
long psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (psci_conduit == DT_PSCI_SMC)
		__asm__ __volatile__("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	else
		__asm__ __volatile__("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (long)x0;
}

void arch_poweroff(int status)
{
	arch_local_irq_disable();
#ifdef PCPURT_SEMIHOSTING
	{
		static uint64_t block[2];
		register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
		register uint64_t x1 __asm__("x1") = (uintptr_t)block;

		block[0] = ADP_STOPPED_APP_EXIT;
		block[1] = (uint64_t)(unsigned int)status;
		__asm__ __volatile__("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
	}
#endif
	psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	arch_wait_forever();
	__builtin_unreachable();
}
