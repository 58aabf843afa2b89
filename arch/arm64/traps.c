/*
 * traps.c (arm64) - decode exceptions taken to EL1. Nothing is expected yet except the
 * trap self-test's breakpoint, so every other exception ends the run with a PANIC line
 * (what mm/ knows about the faulting address first, e.g. a stack guard page), ESR, ELR,
 * FAR and the registers. Handlers run on this CPU's exception stack (vectors.S).
 */
#include <pcpurt/arch.h>
#include <pcpurt/irq.h>
#include <pcpurt/mmu.h>
#include <pcpurt/panic.h>
#include <pcpurt/printk.h>
#include <pcpurt/psci.h>
#include <asm/trap.h>
#include <stdio.h>

#define ESR_EC(esr)	(((esr) >> 26) & 0x3f)
#define ESR_FNV		(1UL << 10)	/* abort: FAR not valid */
#define EC_BRK64	0x3c
#define SELFTEST_BRK	0x5c3

static volatile int selftest_hits;

/* kernel code runs with SP_EL0 (EL1t); EL1h means on the exception stack already */
static const char *const vector_names[16] = {
	"sync", "irq", "fiq", "serror",
	"sync (EL1h)", "irq (EL1h)", "fiq (EL1h)", "serror (EL1h)",
	"sync (lower EL)", "irq (lower EL)", "fiq (lower EL)", "serror (lower EL)",
	"sync (AArch32)", "irq (AArch32)", "fiq (AArch32)", "serror (AArch32)",
};

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason / undefined instruction";
	case 0x01: return "WFI/WFE trapped";
	case 0x07: return "FP/SIMD access trapped";
	case 0x0e: return "illegal execution state";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x17: return "SMC";
	case 0x18: return "system register access trapped";
	case 0x20: return "instruction abort (lower EL)";
	case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort (lower EL)";
	case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x2f: return "SError";
	case 0x3c: return "BRK";
	default: return "exception";
	}
}

/* Fault status code of an abort, in words. */
static const char *fsc_name(uint64_t esr)
{
	unsigned int fsc = esr & 0x3f;

	if (fsc <= 0x03)
		return "address size fault";
	if (fsc <= 0x07)
		return "translation fault";
	if (fsc <= 0x0b)
		return "access flag fault";
	if (fsc <= 0x0f)
		return "permission fault";
	if (fsc == 0x10)
		return "synchronous external abort";
	if (fsc == 0x21)
		return "alignment fault";
	return "other fault";
}

/* " at level N" for the fault kinds that carry the table level in the FSC. */
static const char *fsc_level(uint64_t esr)
{
	static const char *const names[4] = {
		" at level 0", " at level 1", " at level 2", " at level 3",
	};

	return (esr & 0x3f) <= 0x0f ? names[esr & 3] : "";
}

static bool is_abort(unsigned int ec)
{
	return ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25;
}

/* ", write" / ", read" / ", fetch" for an abort: data aborts give WnR in ESR bit 6. */
static const char *abort_access(unsigned int ec, uint64_t esr)
{
	if (ec == 0x20 || ec == 0x21)
		return ", fetch";
	return esr & (1UL << 6) ? ", write" : ", read";
}

void arm64_trap(struct trap_frame *f);
void arm64_irq(void);

void arm64_trap(struct trap_frame *f)
{
	unsigned int ec = ESR_EC(f->esr);
	const char *reason = NULL;
	char cause[96];
	int i;

	if ((f->vector == 1 || f->vector == 5) && gic_ready()) {	/* IRQ at EL1 */
		arm64_irq();
		return;
	}
	if (arm64_semihosting_fixup(f))
		return;

	if ((f->vector == 4 || f->vector == 0) && ec == EC_BRK64 &&
	    (f->esr & 0xffff) == SELFTEST_BRK && selftest_hits >= 0) {
		selftest_hits++;
		f->elr += 4;
		return;
	}
	if (is_abort(ec)) {
		snprintf(cause, sizeof(cause), "%s, %s%s%s (%s)", ec_name(ec), fsc_name(f->esr),
			 fsc_level(f->esr), abort_access(ec, f->esr),
			 vector_names[f->vector & 15]);
		if (!(f->esr & ESR_FNV))
			reason = mm_fault_reason(f->far);
	} else {
		snprintf(cause, sizeof(cause), "%s (%s)", ec_name(ec),
			 vector_names[f->vector & 15]);
	}
	panic_begin();
	printk("PANIC: CPU%u: %s%s%s: ESR=0x%08llx ELR=0x%016llx FAR=0x%016llx\n", panic_cpu(),
	       reason ? reason : "", reason ? ": " : "", cause, (unsigned long long)f->esr,
	       (unsigned long long)f->elr, (unsigned long long)f->far);
	for (i = 0; i < 30; i += 3)
		printk(" x%-2d %016llx  x%-2d %016llx  x%-2d %016llx\n", i,
		       (unsigned long long)f->x[i], i + 1, (unsigned long long)f->x[i + 1], i + 2,
		       (unsigned long long)f->x[i + 2]);
	printk(" x30 %016llx  sp  %016llx  spsr %08llx\n", (unsigned long long)f->x[30],
	       (unsigned long long)f->sp, (unsigned long long)f->spsr);
	if (reason)
		panic_end("%s: %s", reason, cause);
	panic_end("unexpected exception: %s", cause);
}

int arch_trap_selftest(void)
{
	int before = selftest_hits;

	__asm__ __volatile__("brk %0" : : "i"(SELFTEST_BRK) : "memory");
	return selftest_hits == before + 1 ? 0 : -1;
}

void arch_panic_now(void)
{
	__asm__ __volatile__("udf #0x51");
	__builtin_unreachable();
}
