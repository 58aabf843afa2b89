/*
 * console.c - pick the console UART and write to it.
 *
 * The driver is chosen by the first entry of the console node's compatible list that a
 * driver here knows (the tree lists compatibles most specific first). There is no built-in
 * default port: one Image boots on every board of its architecture, and an address that is
 * a UART on one machine is RAM or a clock controller on another. Until the tree has named
 * the console, output is kept in a small buffer and written out once the console is set.
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

/* Output from before the console is known (banner lines, a broken-tree report). */
static char early_buf[4096];
static size_t early_len, early_lost;

static const struct uart_driver *find_driver(const char *compat)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(drivers); i++)
		if (!strcmp(drivers[i]->compatible, compat))
			return drivers[i];
	return NULL;
}

/* use() - make @port the console and write out what was buffered until now. */
static void use(const struct uart_driver *drv, struct uart_port port, const char *how)
{
	char note[64];

	if (drv->setup)
		drv->setup(&port);
	if (!port.reg_io_width)
		port.reg_io_width = 1;
	cur_port = port;
	cur_drv = drv;
	snprintf(desc, sizeof(desc), "%s at 0x%lx (%s)", drv->compatible,
		 (unsigned long)port.base, how);
	if (early_len)
		console_write(early_buf, early_len);
	if (early_lost) {
		snprintf(note, sizeof(note), "console: %zu early bytes lost\n", early_lost);
		console_write(note, strlen(note));
	}
	early_len = early_lost = 0;
}

/* Pick the console from a parsed tree; the first time, the buffered output follows. */
const char *console_init_dt(const struct dt_info *dt, const char *note)
{
	const char *c = dt->uart.compat;
	const char *end = c + dt->uart.compat_len;
	char how[80];

	if (cur_drv)
		return cur_drv->compatible;
	if (!dt->uart.found)
		return NULL;
	for (; c && c < end; c += strlen(c) + 1) {
		const struct uart_driver *drv = find_driver(c);

		if (drv) {
			snprintf(how, sizeof(how), "%s%s%s",
				 dt->uart.source ? dt->uart.source : "?", note ? " " : "",
				 note ? note : "");
			use(drv, (struct uart_port){ .base = dt->uart.base,
						     .reg_shift = dt->uart.reg_shift,
						     .reg_io_width = dt->uart.reg_io_width },
			    how);
			return drv->compatible;
		}
	}
	return NULL;
}

bool console_ready(void)
{
	return cur_drv != NULL;
}

void console_write(const char *s, size_t n)
{
	if (!cur_drv) {
		size_t room = sizeof(early_buf) - early_len;
		size_t take = n < room ? n : room;

		memcpy(early_buf + early_len, s, take);
		early_len += take;
		early_lost += n - take;
		return;
	}
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
