/*
 * fault_tests.c - workloads that must end in a reported fault: the MMU's permissions and
 * guard pages at work. Each one that returns has failed (the access was allowed).
 */
#include <pcpurt/arch.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>

extern char _text[];

static int fault_text_write(void)
{
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)fault_text_write;

	printk("fault-text-write: writing to kernel text at %p\n", (void *)p);
	*p = *p;
	return test_fail("the write to kernel text was allowed");
}
DEFINE_WORKLOAD("fault-text-write", fault_text_write,
		"writes to kernel text: must end in a permission fault");

/* one "return" instruction, in writable data */
static uint32_t data_insn[4] __aligned(16) = { ARCH_RET_INSN, ARCH_RET_INSN };

static int fault_exec_data(void)
{
	void (*fn)(void) = (void (*)(void))(uintptr_t)data_insn;

	printk("fault-exec-data: calling into data at %p\n", (void *)data_insn);
	arch_sync_icache((uintptr_t)data_insn, sizeof(data_insn));
	fn();
	return test_fail("executing from data was allowed");
}
DEFINE_WORKLOAD("fault-exec-data", fault_exec_data,
		"executes from a data page: must end in an instruction fault");

static volatile unsigned long recursion_sink;

/* Recurse with a 512-byte frame until the stack runs into its guard page. */
static __attribute__((noinline)) unsigned long recurse(unsigned long depth)
{
	volatile char frame[512];

	frame[0] = (char)depth;
	frame[511] = (char)depth;
	if (depth > 1000000)
		return frame[0];
	return recurse(depth + 1) + frame[511];
}

static int fault_stack_overflow(void)
{
	printk("fault-stack-overflow: recursing on CPU0's boot stack\n");
	recursion_sink = recurse(0);
	return test_fail("the stack overflowed without a fault");
}
DEFINE_WORKLOAD("fault-stack-overflow", fault_stack_overflow,
		"overflows the stack: must end in a fault reported as a stack overflow");
