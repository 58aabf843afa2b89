/* sifive.c - SiFive UART ("sifive,uart0": FU540, FU740), transmit only. */
#include <pcpurt/arch.h>
#include <pcpurt/console.h>

#define UART_TXDATA	0x00
#define UART_TXCTRL	0x08
#define TXDATA_FULL	(1U << 31)

static void sifive_putc(const struct uart_port *p, char c)
{
	while (readl(p->base + UART_TXDATA) & TXDATA_FULL)
		arch_cpu_relax();
	writel((unsigned char)c, p->base + UART_TXDATA);
}

static void sifive_setup(struct uart_port *p)
{
	writel(readl(p->base + UART_TXCTRL) | 1, p->base + UART_TXCTRL); /* txen */
}

const struct uart_driver uart_sifive = {
	.compatible = "sifive,uart0",
	.putc = sifive_putc,
	.setup = sifive_setup,
};
