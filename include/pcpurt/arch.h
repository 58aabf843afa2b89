/*
 * arch.h - what generic code may ask of the architecture.
 *
 * Inline helpers (MMIO, barriers, counters, irq masking) come from <asm/arch.h>, which
 * each arch provides; the functions below are implemented in the arch folders.
 */
#ifndef PCPURT_ARCH_H
#define PCPURT_ARCH_H

#include <pcpurt/compiler.h>
#include <asm/arch.h>

struct dt_info;

/* What the arch entry code hands to boot_main(). */
struct boot_info {
	const void *fdt;	/* the device tree blob as found at entry */
	const char *fdt_source;	/* how it was found ("x0", "a1", "scan") */
	uintptr_t image_start;	/* where the image runs */
	uintptr_t image_end;	/* end of BSS, page aligned */
	uint64_t boot_hwid;	/* MPIDR affinity or hart id of the boot CPU */
	char entry_mode[32];	/* "EL2", "EL1", "S-mode" ... */
};

void boot_main(struct boot_info *bi) __noreturn;

/* arch_dt_init() - take what the arch needs from the parsed tree (PSCI conduit, finisher). */
void arch_dt_init(const struct dt_info *dt);

/* arch_mmu_init() - identity map RAM as normal memory, the rest as device; MMU and caches on. */
int arch_mmu_init(const struct dt_info *dt);
bool arch_mmu_enabled(void);
const char *arch_mmu_describe(void);

/* arch_poweroff() - end the run; under QEMU the exit status equals @status. */
void arch_poweroff(int status) __noreturn;
/*
 * arch_poweroff_missing() - NULL when arch_poweroff() has a way to power off, else why it
 * has none (it will halt): said before the RESULT line, which stays the last line.
 */
const char *arch_poweroff_missing(void);

/*
 * arch_trap_selftest() - raise a breakpoint trap on purpose and check that the trap path
 * saved the state, recognised the trap and resumed after it. Returns 0 on success.
 */
int arch_trap_selftest(void);

/* arch_panic_now() - take an unexpected exception on purpose (for the PANIC path test). */
void arch_panic_now(void) __noreturn;

/* arch_atomics_describe() - which atomic instructions this CPU uses ("LSE", "LL/SC" ...). */
const char *arch_atomics_describe(void);

/*
 * arch_atomics_code_ok() - the code of the this_cpu_* operations matches that choice (arm64:
 * every call site patched at boot is a NOP with LSE and still a branch without). True where
 * nothing is patched.
 */
bool arch_atomics_code_ok(void);

#endif
