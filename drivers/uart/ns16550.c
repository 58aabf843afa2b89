/*
 * ns16550.c - 16550-compatible UARTs, transmit only: "ns16550a" (QEMU riscv virt) and
 * "snps,dw-apb-uart" (VisionFive 2: registers 4 bytes apart, 32-bit accesses), using the
 * tree's reg-shift and reg-io-width.
 */
#include <pcpurt/arch.h>
#include <pcpurt/console.h>

#define UART_THR	0
#define UART_LSR	5
#define LSR_THRE	(1U << 5)

static uint32_t ns_read(const struct uart_port *p, int reg)
{
	uintptr_t a = p->base + ((uintptr_t)reg << p->reg_shift);

	return p->reg_io_width == 4 ? readl(a) : readb(a);
}

static void ns_write(const struct uart_port *p, int reg, uint32_t v)
{
	uintptr_t a = p->base + ((uintptr_t)reg << p->reg_shift);

	if (p->reg_io_width == 4)
		writel(v, a);
	else
		writeb((uint8_t)v, a);
}

static void ns16550_putc(const struct uart_port *p, char c)
{
	while (!(ns_read(p, UART_LSR) & LSR_THRE))
		arch_cpu_relax();
	ns_write(p, UART_THR, (unsigned char)c);
}

static void dw_apb_setup(struct uart_port *p)
{
	if (!p->reg_shift)
		p->reg_shift = 2;
	if (!p->reg_io_width)
		p->reg_io_width = 4;
}

const struct uart_driver uart_ns16550a = {
	.compatible = "ns16550a",
	.putc = ns16550_putc,
};

const struct uart_driver uart_dw_apb = {
	.compatible = "snps,dw-apb-uart",
	.putc = ns16550_putc,
	.setup = dw_apb_setup,
};
