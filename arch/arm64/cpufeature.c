/*
 * cpufeature.c (arm64) - CPU features the rest of the system asks about, and the one piece
 * of boot-time code patching they need: the LSE choice of the this_cpu_* operations.
 */
#include <pcpurt/arch.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <asm/cpufeature.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* set once every site is patched: the this_cpu_* operations use LSE instructions */
static bool arm64_use_lse;
static bool lse_forced_off;

/* percpu_atomics=llsc forces the ARMv8.0 path even on a CPU with LSE (for tests). */
static int set_percpu_atomics(const char *v)
{
	if (!strcmp(v, "llsc"))
		lse_forced_off = true;
	else if (strcmp(v, "auto"))
		return -1;
	return 0;
}
DEFINE_BOOT_PARAM("percpu_atomics", set_percpu_atomics);

/* ID_AA64ISAR0_EL1.Atomic (bits 23:20) >= 2 means LSE atomics (LDADD, CAS, ...). */
bool arm64_has_lse(void)
{
	return ((read_sysreg(id_aa64isar0_el1) >> 20) & 0xf) >= 2;
}

static uint32_t *lse_site(const int32_t *entry)
{
	return (uint32_t *)((uintptr_t)entry + *entry);
}

/*
 * Turns every site in [start, end) from a `b` into a NOP, or none of them when any site does
 * not hold a `b` (*bad is then the first such site). Returns how many were patched, or -1.
 */
int arm64_patch_sites(const int32_t *start, const int32_t *end, uint32_t **bad)
{
	const int32_t *e;

	for (e = start; e < end; e++) {
		if ((*lse_site(e) & A64_B_MASK) != A64_B) {
			*bad = lse_site(e);
			return -1;
		}
	}
	for (e = start; e < end; e++)
		*lse_site(e) = A64_NOP;
	/* the instruction cache may hold the old branches */
	__asm__ __volatile__("dsb sy\n\tic iallu\n\tdsb sy\n\tisb" : : : "memory");
	return (int)(end - start);
}

/*
 * arm64_patch_lse_sites() - when the CPU has LSE and percpu_atomics=llsc was not given,
 * turn every recorded `b` to an LL/SC version into a NOP. Call with the MMU off (the text
 * is still writable and data accesses go straight to memory), after the boot parameters,
 * before anything runs on another CPU. All or nothing: if any site does not hold a `b`,
 * nothing is patched and the LL/SC code (correct everywhere) stays in use.
 */
void arm64_patch_lse_sites(void)
{
	uint32_t *bad;

	if (!arm64_has_lse() || lse_forced_off)
		return;
	if (arm64_patch_sites(__lse_sites_start, __lse_sites_end, &bad) < 0)
		pr_err("cpufeature: LSE call site %p holds %08x, not a branch: using LL/SC\n",
		       (void *)bad, (unsigned int)*bad);
	else
		arm64_use_lse = true;
}

bool arm64_lse_in_use(void)
{
	return arm64_use_lse;
}

/* Every LSE call site holds what the choice says: a NOP if LSE is used, else the b. */
bool arch_atomics_code_ok(void)
{
	const int32_t *e;

	for (e = __lse_sites_start; e < __lse_sites_end; e++) {
		uint32_t insn = *lse_site(e);

		if (arm64_use_lse ? insn != A64_NOP : (insn & A64_B_MASK) != A64_B)
			return false;
	}
	return true;
}

const char *arch_atomics_describe(void)
{
	static char desc[96];

	if (arm64_use_lse) {
		snprintf(desc, sizeof(desc), "LSE (ARMv8.1 atomics; %d call sites patched at boot)",
			 (int)(__lse_sites_end - __lse_sites_start));
		return desc;
	}
	return arm64_has_lse() ? "LL/SC (ARMv8.0 exclusives; LSE present, not used)"
			       : "LL/SC (ARMv8.0 exclusives)";
}
