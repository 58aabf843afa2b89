/*
 * console.c - pick the console UART and write to it.
 *
 * The driver is chosen by the first entry of the console node's compatible list that a
 * driver here knows (the tree lists compatibles most specific first). Until then, and when
 * the tree names no console, the platform default from platform.mk is used.
 */
#include <pcpurt/console.h>
#include <pcpurt/dt.h>
#include <stdio.h>
#include <string.h>

static const struct uart_driver *const drivers[] = {
	&uart_pl011, &uart_ns16550a, &uart_dw_apb, &uart_bcm2835_aux, &uart_sifive,
};

static const struct uart_driver *cur_drv;
static struct uart_port cur_port;
static char desc[96];

static const struct uart_driver *find_driver(const char *compat)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (!strcmp(drivers[i]->compatible, compat))
			return drivers[i];
	return NULL;
}

static void use(const struct uart_driver *drv, struct uart_port port, const char *how)
{
	if (drv->setup)
		drv->setup(&port);
	if (!port.reg_io_width)
		port.reg_io_width = 1;
	cur_port = port;
	cur_drv = drv;
	snprintf(desc, sizeof(desc), "%s at 0x%lx (%s)", drv->compatible,
		 (unsigned long)port.base, how);
}

void console_init_default(void)
{
#if defined(PLATFORM_UART_COMPAT) && defined(PLATFORM_UART_BASE)
	const struct uart_driver *drv = find_driver(PLATFORM_UART_COMPAT);

	if (drv)
		use(drv, (struct uart_port){ .base = PLATFORM_UART_BASE,
					     .reg_shift = PLATFORM_UART_SHIFT,
					     .reg_io_width = PLATFORM_UART_WIDTH },
		    "platform default");
#endif
}

const char *console_init_dt(const struct dt_info *dt)
{
	const char *c = dt->uart.compat;
	const char *end = c + dt->uart.compat_len;

	if (!dt->uart.found)
		return NULL;
	for (; c && c < end; c += strlen(c) + 1) {
		const struct uart_driver *drv = find_driver(c);

		if (drv) {
			use(drv, (struct uart_port){ .base = dt->uart.base,
						     .reg_shift = dt->uart.reg_shift,
						     .reg_io_width = dt->uart.reg_io_width },
			    "stdout-path");
			return drv->compatible;
		}
	}
	return NULL;
}

void console_write(const char *s, size_t n)
{
	if (!cur_drv)
		return;
	for (; n; n--, s++) {
		if (*s == '\n')
			cur_drv->putc(&cur_port, '\r');
		cur_drv->putc(&cur_port, *s);
	}
}

const char *console_describe(void)
{
	return cur_drv ? desc : "none";
}
