/*
 * gic.c - Arm GICv2 and GICv3 for the two interrupts pcpurt uses: SGI 0, the IPI (wake-up
 * and cross-CPU calls), and the EL1 virtual timer's PPI (the tick, and the end of a short
 * nap). Both are enabled on every CPU with a priority the CPU interface lets through;
 * they are taken as IRQ exceptions (arm64_irq()) and end a WFI with interrupts masked.
 * Addresses come from the device tree (identity mapped as device memory).
 */
#include <pcpurt/irq.h>
#include <pcpurt/arch.h>
#include <pcpurt/dt.h>
#include <pcpurt/printk.h>
#include <pcpurt/smp.h>
#include <stdio.h>

#define WAKE_SGI	0
#define WAKE_PRIO	0x80
#define TIMER_PPI	27	/* EL1 virtual timer: ends a nap */

/* GICv2 */
#define GICD_CTLR	0x000
#define GICD_ISENABLER	0x100
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICD_SGIR	0xf00
#define GICC_CTLR	0x00
#define GICC_PMR	0x04
#define GICC_IAR	0x0c
#define GICC_EOIR	0x10

/* GICv3 */
#define GICD_CTLR_RWP	(1U << 31)
#define GICR_WAKER	0x014
#define GICR_TYPER	0x008
#define GICR_SGI_BASE	0x10000
#define GICR_IGROUPR0	0x080
#define TYPER_LAST	(1U << 4)
#define TYPER_VLPIS	(1U << 1)
#define WAKER_PSLEEP	(1U << 1)
#define WAKER_CASLEEP	(1U << 2)

static const struct dt_info *gic_dt;
static int version;
static uintptr_t dist, cpuif;
static uint8_t v2_iface[NR_CPUS];	/* GICv2 CPU interface mask of each CPU */
static char desc[64];

bool gic_ready(void)
{
	return version != 0;
}

const char *gic_describe(void)
{
	return version ? desc : "none";
}

bool gic_init(const struct dt_info *dt)
{
	gic_dt = dt;
	dist = dt->gic.dist;
	cpuif = dt->gic.cpuif;
	if (dt->gic.version == 2) {
		writel(1, dist + GICD_CTLR);
	} else if (dt->gic.version == 3) {
		writel((1U << 4) | (1U << 1) | 1U, dist + GICD_CTLR);	/* ARE, Grp1, Grp0 */
		while (readl(dist + GICD_CTLR) & GICD_CTLR_RWP)
			arch_cpu_relax();
	} else {
		return false;
	}
	version = dt->gic.version;
	snprintf(desc, sizeof(desc), "GICv%d at 0x%lx, SGI %d wakes idle CPUs", version,
		 (unsigned long)dist, WAKE_SGI);
	return true;
}

/* Redistributor whose GICR_TYPER affinity matches this CPU, or 0. */
static uintptr_t find_redist(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint32_t aff = ((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff);
	int r;

	for (r = 0; r < gic_dt->gic.nr_redist; r++) {
		uintptr_t rd = gic_dt->gic.redist[r];
		uintptr_t end = rd + gic_dt->gic.redist_size[r];

		while (rd < end) {
			uint32_t lo = readl(rd + GICR_TYPER), hi = readl(rd + GICR_TYPER + 4);

			if (hi == aff)
				return rd;
			if (lo & TYPER_LAST)
				break;
			rd += (lo & TYPER_VLPIS) ? 0x40000 : 0x20000;
		}
	}
	return 0;
}

bool gic_cpu_init(unsigned int cpu)
{
	if (version == 2) {
		writeb(WAKE_PRIO, dist + GICD_IPRIORITYR + WAKE_SGI);
		writeb(WAKE_PRIO, dist + GICD_IPRIORITYR + TIMER_PPI);
		writel(1U << WAKE_SGI | 1U << TIMER_PPI, dist + GICD_ISENABLER);
		v2_iface[cpu] = readb(dist + GICD_ITARGETSR);
		writel(0xf0, cpuif + GICC_PMR);
		writel(1, cpuif + GICC_CTLR);
		return true;
	}
	if (version == 3) {
		uintptr_t rd = find_redist(), sgi;

		if (!rd)
			return false;
		sgi = rd + GICR_SGI_BASE;
		writel(readl(rd + GICR_WAKER) & ~WAKER_PSLEEP, rd + GICR_WAKER);
		while (readl(rd + GICR_WAKER) & WAKER_CASLEEP)
			arch_cpu_relax();
		writel(readl(sgi + GICR_IGROUPR0) | 1U << WAKE_SGI | 1U << TIMER_PPI,
		       sgi + GICR_IGROUPR0);
		writeb(WAKE_PRIO, sgi + GICD_IPRIORITYR + WAKE_SGI);
		writeb(WAKE_PRIO, sgi + GICD_IPRIORITYR + TIMER_PPI);
		writel(1U << WAKE_SGI | 1U << TIMER_PPI, sgi + GICD_ISENABLER);
		write_sysreg(read_sysreg(S3_0_C12_C12_5) | 1, S3_0_C12_C12_5);	/* ICC_SRE_EL1 */
		isb();
		write_sysreg(0xf0, S3_0_C4_C6_0);				/* ICC_PMR_EL1 */
		write_sysreg(1, S3_0_C12_C12_7);				/* ICC_IGRPEN1_EL1 */
		isb();
		return true;
	}
	return false;
}

void gic_wake(int cpu)
{
	dsb(ishst);
	if (version == 2) {
		if (cpu < 0)
			writel((1U << 24) | WAKE_SGI, dist + GICD_SGIR);
		else
			writel((uint32_t)v2_iface[cpu] << 16 | WAKE_SGI, dist + GICD_SGIR);
	} else if (version == 3) {
		uint64_t v = (uint64_t)WAKE_SGI << 24;

		if (cpu < 0) {
			v |= 1ULL << 40;				/* IRM: all but self */
		} else {
			uint64_t mpidr = cpu_map.cpu[cpu].hwid;

			v |= ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
			     ((mpidr >> 8) & 0xff) << 16 | (1ULL << (mpidr & 0xf)) |
			     ((mpidr & 0xf0) >> 4) << 44;		/* RS for Aff0 >= 16 */
		}
		write_sysreg(v, S3_0_C12_C11_5);			/* ICC_SGI1R_EL1 */
		isb();
	}
}

int gic_irq_ack(void)
{
	uint32_t iar;

	if (version == 2)
		iar = readl(cpuif + GICC_IAR);
	else if (version == 3)
		iar = (uint32_t)read_sysreg(S3_0_C12_C12_0);	/* ICC_IAR1_EL1 */
	else
		return -1;
	return (iar & 0x3ff) < 1020 ? (int)iar : -1;
}

void gic_irq_eoi(int iar)
{
	if (version == 2) {
		writel((uint32_t)iar, cpuif + GICC_EOIR);
	} else if (version == 3) {
		write_sysreg((uint64_t)iar, S3_0_C12_C12_1);	/* ICC_EOIR1_EL1 */
		isb();
	}
}
