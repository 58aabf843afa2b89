/*
 * psci.c (arm64) - PSCI calls through the conduit the device tree names, and poweroff.
 *
 * poweroff: when semihosting answers (QEMU with -semihosting-config enable=on), SYS_EXIT
 * hands QEMU the exit status; otherwise PSCI SYSTEM_OFF (QEMU exits 0, a board powers
 * down) when the tree has PSCI, else every CPU halts (the Pi: spin-table firmware, no
 * PSCI; the run's end is the RESULT line). Whether it answers is probed at run time, once, with a harmless call (SYS_ERRNO):
 * where semihosting is off - every real board, QEMU without the option - the HLT is an
 * undefined instruction, the synchronous exception handler hands the trap to
 * arm64_semihosting_fixup(), which recognises the probe, records "absent" and steps over.
 */
#include <pcpurt/arch.h>
#include <pcpurt/console.h>
#include <pcpurt/dt.h>
#include <pcpurt/printk.h>
#include <pcpurt/psci.h>
#include <asm/trap.h>

#define PSCI_SYSTEM_OFF		0x84000008U
#define SEMIHOST_SYS_ERRNO	0x13
#define SEMIHOST_SYS_EXIT	0x18
#define ADP_STOPPED_APP_EXIT	0x20026

enum { SEMIHOST_UNKNOWN, SEMIHOST_PRESENT, SEMIHOST_ABSENT };

static int semihosting = SEMIHOST_UNKNOWN;
static volatile bool semihost_probing, semihost_trapped;
extern const char arm64_semihost_probe_insn[];

static bool psci_present;	/* the tree has a psci node (not the Pi: spin-table only) */
static uint8_t psci_conduit = DT_PSCI_HVC;
static uint32_t psci_fn_cpu_on = PSCI_0_2_FN64_CPU_ON;

/*
 * semihosting_probe() - one SYS_ERRNO call at the known address arm64_semihost_probe_insn.
 * noinline: the label must exist exactly once.
 */
static __attribute__((noinline)) void semihosting_probe(void)
{
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_ERRNO;
	register uint64_t x1 __asm__("x1") = 0;

	semihost_trapped = false;
	semihost_probing = true;
	__asm__ __volatile__(".global arm64_semihost_probe_insn\n"
			     "arm64_semihost_probe_insn:\n\t"
			     "hlt #0xf000"
			     : "+r"(x0) : "r"(x1) : "memory");
	semihost_probing = false;
	semihosting = semihost_trapped ? SEMIHOST_ABSENT : SEMIHOST_PRESENT;
}

/*
 * arm64_semihosting_fixup() - called first by the synchronous exception handler. True
 * (and the trap is done: ELR moved past the probe) when @f is the probe's HLT trapping.
 */
bool arm64_semihosting_fixup(struct trap_frame *f)
{
	if (!semihost_probing || f->elr != (uintptr_t)arm64_semihost_probe_insn)
		return false;
	semihost_trapped = true;
	f->elr += 4;
	return true;
}

bool arm64_semihosting_present(void)
{
	if (semihosting == SEMIHOST_UNKNOWN)
		semihosting_probe();
	return semihosting == SEMIHOST_PRESENT;
}

void arch_dt_init(const struct dt_info *dt)
{
	bool probed = semihosting == SEMIHOST_UNKNOWN;

	if (probed)
		semihosting_probe();
	if (dt->psci) {
		psci_present = true;
		psci_conduit = dt->psci_conduit;
		if (!dt->psci_v02 && dt->psci_cpu_on)
			psci_fn_cpu_on = dt->psci_cpu_on;
	}
	if (probed)
		printk("Semihosting: %s\n", semihosting == SEMIHOST_PRESENT ?
		       "present, exit status through SYS_EXIT" : psci_present ?
		       "absent, poweroff through PSCI SYSTEM_OFF" :
		       "absent, no PSCI: the CPUs halt after the RESULT line");
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

const char *arch_poweroff_missing(void)
{
	if (arm64_semihosting_present() || psci_present)
		return NULL;
	return "no semihosting and no PSCI in the device tree";
}

void arch_poweroff(int status)
{
	arch_local_irq_disable();
	if (arm64_semihosting_present()) {
		static uint64_t block[2];
		register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
		register uint64_t x1 __asm__("x1") = (uintptr_t)block;

		block[0] = ADP_STOPPED_APP_EXIT;
		block[1] = (uint64_t)(unsigned int)status;
		__asm__ __volatile__("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
	}
	if (psci_present)
		psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	arch_wait_forever();
	__builtin_unreachable();
}
