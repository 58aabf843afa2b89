/* pl011.c - Arm PrimeCell PL011 UART, transmit only (QEMU virt, Raspberry Pi PL011). */
#include <pcpurt/arch.h>
#include <pcpurt/console.h>

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTFR_TXFF	(1U << 5)

static void pl011_putc(const struct uart_port *p, char c)
{
	while (readl(p->base + UARTFR) & UARTFR_TXFF)
		arch_cpu_relax();
	writel((unsigned char)c, p->base + UARTDR);
}

const struct uart_driver uart_pl011 = {
	.compatible = "arm,pl011",
	.putc = pl011_putc,
};
