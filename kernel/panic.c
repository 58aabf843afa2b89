/* panic.c - ending the run on errors: PANIC and FATAL lines, the RESULT line, poweroff. */
#include <pcpurt/panic.h>
#include <pcpurt/arch.h>
#include <pcpurt/printk.h>
#include <pcpurt/smp.h>
#include <stdio.h>

static volatile int panicking;

unsigned int panic_cpu(void)
{
	return smp_processor_id();
}

void result_exit(bool pass, const char *why)
{
	if (pass)
		printk("RESULT: PASS\n");
	else
		printk("RESULT: FAIL %s\n", why);
	arch_poweroff(pass ? EXIT_PASS : EXIT_FAIL);
}

/* panic_begin() - a second panic (a fault inside the panic path) powers off at once. */
void panic_begin(void)
{
	arch_local_irq_disable();
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_RELAXED))
		arch_poweroff(EXIT_PANIC);
}

void panic_end(const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	printk("RESULT: FAIL panic: %s\n", why);
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
	printk("RESULT: FAIL %s\n", why);
	arch_poweroff(EXIT_FATAL);
}
