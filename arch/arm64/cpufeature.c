/* cpufeature.c (arm64) - CPU features the rest of the system asks about. */
#include <pcpurt/arch.h>
#include <pcpurt/run.h>
#include <asm/cpufeature.h>
#include <string.h>

/* this_cpu_* use LSE instructions when set; starts false (LL/SC works on every CPU) */
bool arm64_use_lse;
static bool lse_forced_off;

/* percpu_atomics=llsc forces the ARMv8.0 path even on a CPU with LSE (for tests). */
static int set_percpu_atomics(const char *v)
{
	if (!strcmp(v, "llsc"))
		lse_forced_off = true;
	else if (strcmp(v, "auto"))
		return -1;
	arm64_use_lse = arm64_has_lse() && !lse_forced_off;
	return 0;
}
DEFINE_BOOT_PARAM("percpu_atomics", set_percpu_atomics);

/* ID_AA64ISAR0_EL1.Atomic (bits 23:20) >= 2 means LSE atomics (LDADD, CAS, ...). */
bool arm64_has_lse(void)
{
	return ((read_sysreg(id_aa64isar0_el1) >> 20) & 0xf) >= 2;
}

void arm64_detect_features(void)
{
	arm64_use_lse = arm64_has_lse() && !lse_forced_off;
}

const char *arch_atomics_describe(void)
{
	if (arm64_use_lse)
		return "LSE (ARMv8.1 atomics)";
	return arm64_has_lse() ? "LL/SC (ARMv8.0 exclusives; LSE present, not used)" :
				 "LL/SC (ARMv8.0 exclusives)";
}
