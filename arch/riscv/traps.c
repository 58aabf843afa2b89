/*
 * traps.c (riscv) - decode S-mode traps. Expected are the trap self-test's ebreak and
 * spurious page faults on vmalloc addresses another hart has just mapped (the tables
 * allow the access: fence and retry). Every other trap ends the run through panic with
 * scause, sepc, stval, what the address is (a stack guard page, a page without the needed
 * permission) and the registers. Traps run on a per-hart trap stack (trap.S).
 */
#include <pcpurt/arch.h>
#include <pcpurt/mmu.h>
#include <pcpurt/panic.h>
#include <pcpurt/printk.h>
#include <asm/trap.h>
#include <stdio.h>

static volatile int selftest_hits;
static volatile uintptr_t selftest_pc;

static const char *const exc_names[] = {
	"instruction address misaligned", "instruction access fault", "illegal instruction",
	"breakpoint", "load address misaligned", "load access fault",
	"store/AMO address misaligned", "store/AMO access fault", "environment call from U-mode",
	"environment call from S-mode", "reserved", "environment call from M-mode",
	"instruction page fault", "load page fault", "reserved", "store/AMO page fault",
};

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
	"a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
	"t3", "t4", "t5", "t6",
};

void riscv_trap(struct trap_frame *f);

static bool is_page_fault(unsigned long code)
{
	return code == CAUSE_FETCH_PAGE_FAULT || code == CAUSE_LOAD_PAGE_FAULT ||
	       code == CAUSE_STORE_PAGE_FAULT;
}

/*
 * describe_fault() - the panic's cause for exception @code at @addr: what mm/ knows of
 * the address first ("kernel stack overflow: ..."), and for a page fault on a mapped
 * page the permissions that refused it.
 */
static void describe_fault(char *buf, size_t size, unsigned long code, uintptr_t addr)
{
	const char *name = code < ARRAY_SIZE(exc_names) ? exc_names[code] : "exception";
	const char *reason = NULL;
	unsigned int prot;
	int n;

	if (is_page_fault(code))
		reason = mm_fault_reason(addr);
	if (reason)
		n = snprintf(buf, size, "%s: %s", reason, name);
	else
		n = snprintf(buf, size, "%s", name);
	if (n < 0 || (size_t)n >= size)
		return;
	if (is_page_fault(code) && !reason && arch_translate(addr, NULL, &prot))
		snprintf(buf + n, size - n, " (permission: page is %c%c%c)",
			 prot & VM_PROT_READ ? 'r' : '-', prot & VM_PROT_WRITE ? 'w' : '-',
			 prot & VM_PROT_EXEC ? 'x' : '-');
}

bool riscv_irq(unsigned long code);

void riscv_trap(struct trap_frame *f)
{
	bool irq = f->scause >> 63;
	unsigned long code = f->scause & ~(1UL << 63);
	char cause[128];
	int i;

	if (!irq && code == CAUSE_BREAKPOINT && f->sepc == selftest_pc) {
		selftest_hits++;
		f->sepc += 4;
		return;
	}
	if (!irq && is_page_fault(code) && riscv_mmu_spurious_fault(code, f->stval, f->sepc))
		return;
	if (irq && riscv_irq(code))
		return;
	if (irq)
		snprintf(cause, sizeof(cause), "unexpected interrupt %lu", code);
	else
		describe_fault(cause, sizeof(cause), code, f->stval);
	panic_begin();
	printk("PANIC: CPU%u: %s: scause=0x%lx sepc=0x%016lx stval=0x%016lx\n", panic_cpu(),
	       cause, (unsigned long)f->scause, (unsigned long)f->sepc,
	       (unsigned long)f->stval);
	for (i = 1; i < 32; i += 3) {
		char line[96];
		int n = 0, j;

		for (j = i; j < i + 3 && j < 32; j++)
			n += snprintf(line + n, sizeof(line) - n, " %-4s %016lx ", reg_names[j],
				      (unsigned long)f->x[j]);
		printk("%s\n", line);
	}
	printk(" sstatus %016lx\n", (unsigned long)f->sstatus);
	panic_end("unexpected trap: %s", cause);
}

int arch_trap_selftest(void)
{
	int before = selftest_hits;
	uintptr_t pc;

	__asm__ __volatile__(".option push\n\t.option norvc\n\t"
			     "lla %0, 1f\n\t"
			     "sd %0, 0(%1)\n\t"
			     "1: ebreak\n\t"
			     ".option pop"
			     : "=&r"(pc) : "r"(&selftest_pc) : "memory");
	selftest_pc = 0;
	return selftest_hits == before + 1 ? 0 : -1;
}

void arch_panic_now(void)
{
	__asm__ __volatile__(".4byte 0"); /* all-zero: always an illegal instruction */
	__builtin_unreachable();
}
