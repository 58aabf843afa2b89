/* cpufeature.c (arm64) - CPU features the rest of the system asks about. */
#include <pcpurt/arch.h>

/* ID_AA64ISAR0_EL1.Atomic (bits 23:20) >= 2 means LSE atomics (LDADD, CAS, ...). */
bool arm64_has_lse(void)
{
	return ((read_sysreg(id_aa64isar0_el1) >> 20) & 0xf) >= 2;
}

const char *arch_atomics_describe(void)
{
	return arm64_has_lse() ? "LSE (ARMv8.1 atomics)" : "LL/SC (ARMv8.0 exclusives)";
}
