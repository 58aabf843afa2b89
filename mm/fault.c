/*
 * fault.c - naming a faulting address for the panic line: stack guard pages (the boot
 * stack's from the linker script, others registered as stacks are made) and the vmalloc
 * region (unpopulated per-CPU pages, unmapped holes).
 */
#include <pcpurt/mmu.h>
#include <pcpurt/vmalloc.h>
#include <pcpurt/cpumask.h>

#define MAX_GUARDS	(NR_CPUS + 8)

static struct {
	uintptr_t start;
	size_t size;
} guards[MAX_GUARDS];
static unsigned int nr_guards;

/* Called by the boot CPU only (stacks are made before the CPUs that use them start). */
void mm_register_stack_guard(uintptr_t guard_start, size_t size)
{
	if (nr_guards < MAX_GUARDS) {
		guards[nr_guards].start = guard_start;
		guards[nr_guards].size = size;
		nr_guards++;
	}
}

const char *mm_fault_reason(uintptr_t addr)
{
	extern char __stack_guard_start[], __stack_guard_end[];
	unsigned int i;

	if (addr >= (uintptr_t)__stack_guard_start && addr < (uintptr_t)__stack_guard_end)
		return "kernel stack overflow";
	for (i = 0; i < nr_guards; i++)
		if (addr - guards[i].start < guards[i].size)
			return "kernel stack overflow";
	return vmalloc_fault_reason(addr);
}
