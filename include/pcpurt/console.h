/*
 * console.h - the serial console printk writes to.
 *
 * A UART driver is chosen by the compatible of the node /chosen/stdout-path names. Until
 * then output is buffered (4 KiB) and written once the console is set; when the tree names
 * no console pcpurt drives, nothing is printed (the exit status still tells the result).
 * Output only: the runtime reads no input.
 */
#ifndef PCPURT_CONSOLE_H
#define PCPURT_CONSOLE_H

#include <pcpurt/compiler.h>

struct dt_info;

struct uart_port {
	uintptr_t base;
	uint32_t reg_shift;	/* register stride = 1 << reg_shift bytes */
	uint32_t reg_io_width;	/* 1 or 4 bytes per access */
};

struct uart_driver {
	const char *compatible;
	void (*putc)(const struct uart_port *port, char c);
	void (*setup)(struct uart_port *port);	/* optional: defaults for shift/width */
};

extern const struct uart_driver uart_pl011, uart_ns16550a, uart_dw_apb, uart_bcm2835_aux,
	uart_sifive;

/*
 * Returns the compatible picked, or NULL when the tree names no console we drive. How the
 * tree chose it (dt->uart.source: "stdout-path", or a platform default), then @note when
 * not NULL, are shown by console_describe(). Only the first successful call counts.
 */
const char *console_init_dt(const struct dt_info *dt, const char *note);
bool console_ready(void);
void console_write(const char *s, size_t n);
const char *console_describe(void);

#endif
