/*
 * printk.c - formatted console output, one message per lock hold.
 *
 * A message is formatted into a buffer on the caller's stack and written under the
 * console lock with interrupts masked, so lines from different CPUs never interleave.
 * While only the boot CPU runs (before SMP bring-up) the lock is skipped: there is no one
 * to race with, and exclusive accesses are not reliable before the MMU is on.
 */
#include <pcpurt/printk.h>
#include <pcpurt/console.h>
#include <pcpurt/spinlock.h>
#include <pcpurt/smp.h>
#include <stdio.h>

#define PRINTK_BUF 512

static DEFINE_SPINLOCK(console_lock);

int vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_BUF];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	size_t len = n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	unsigned long flags = arch_local_irq_save();
	bool locked = smp_started();

	if (locked)
		spin_lock(&console_lock);
	console_write(buf, len);
	if (locked)
		spin_unlock(&console_lock);
	arch_local_irq_restore(flags);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
