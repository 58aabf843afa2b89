/* bcm2835_aux.c - the Raspberry Pi mini UART ("brcm,bcm2835-aux-uart"), transmit only. */
#include <pcpurt/arch.h>
#include <pcpurt/console.h>

#define AUX_MU_IO	0x00
#define AUX_MU_LSR	0x14
#define LSR_TX_EMPTY	(1U << 5)

static void aux_putc(const struct uart_port *p, char c)
{
	while (!(readl(p->base + AUX_MU_LSR) & LSR_TX_EMPTY))
		arch_cpu_relax();
	writel((unsigned char)c, p->base + AUX_MU_IO);
}

const struct uart_driver uart_bcm2835_aux = {
	.compatible = "brcm,bcm2835-aux-uart",
	.putc = aux_putc,
};
