/*
 * printk.h - line-oriented logging.
 *
 * printk() formats one message into a private buffer and writes it to the console under
 * one lock, so lines from different CPUs never interleave. The host builds provide their
 * own printk (tests/host/shim) so that pure-C code (percpu/, drivers/of/dt*) logs the same way.
 */
#ifndef PCPURT_PRINTK_H
#define PCPURT_PRINTK_H

#include <stdarg.h>
#include <stddef.h>
#include <pcpurt/compiler.h>

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_info(fmt, ...)  printk(fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)  printk("WARNING: " fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)   printk("ERROR: " fmt, ##__VA_ARGS__)

#endif
