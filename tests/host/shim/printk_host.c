/* printk_host.c - printk for host builds: straight to stdout, one call one write. */
#include <stdio.h>
#include <pcpurt/printk.h>

int vprintk(const char *fmt, va_list ap)
{
	return vprintf(fmt, ap);
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
