/* panic.c - ending the run on errors: PANIC and FATAL lines, the RESULT line, poweroff. */
#include <pcpurt/panic.h>
#include <pcpurt/arch.h>
#include <pcpurt/printk.h>
#include <pcpurt/console.h>
#include <pcpurt/smp.h>
#include <stdio.h>

static uintptr_t panic_sp;	/* stack of the CPU that panicked first */

unsigned int panic_cpu(void)
{
	return smp_processor_id();
}

/* result_line() - the closing line, after a note when the run will halt, not power off. */
static void result_line(const char *prefix, const char *why)
{
	const char *missing = arch_poweroff_missing();

	if (missing)
		printk("poweroff: %s: the CPUs halt after the RESULT line\n", missing);
	if (why)
		printk("RESULT: FAIL %s%s\n", prefix, why);
	else
		printk("RESULT: PASS\n");
}

void result_exit(bool pass, const char *why)
{
	result_line("", pass ? NULL : why);
	arch_poweroff(pass ? EXIT_PASS : EXIT_FAIL);
}

/*
 * panic_begin() - claim the panic. A fault inside the panic path on the same CPU (its
 * stack is within 64 KiB of the first panic's) powers off at once. Another CPU that
 * panics at the same moment waits up to a second for the first to finish its report and
 * power off, then powers off itself: the first report is never cut short, and nothing
 * hangs.
 */
void panic_begin(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t owner = 0;
	uint64_t start;

	arch_local_irq_disable();
	if (__atomic_compare_exchange_n(&panic_sp, &owner, sp, false, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE))
		return;
	if (sp - owner + 0x10000 < 0x20000) {
		console_write("PANIC: fault inside the panic path\n", 35);
		arch_poweroff(EXIT_PANIC);
	}
	start = arch_counter();
	while (arch_counter() - start < arch_counter_freq())
		arch_cpu_relax();
	console_write("PANIC: second CPU gave up waiting\n", 34);
	arch_poweroff(EXIT_PANIC);
}

void panic_end(const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	result_line("panic: ", why);
	arch_poweroff(EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	panic_begin();
	printk("PANIC: CPU%u: %s\n", panic_cpu(), why);
	panic_end("%s", why);
}

void fatal(const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printk("FATAL: %s\n", why);
	result_line("", why);
	arch_poweroff(EXIT_FATAL);
}
