/*
 * arch.h (arm64) - the small set of inline functions generic code may use: MMIO access,
 * barriers, cache maintenance, CPU identity, waiting. Generic code reaches it only as
 * <asm/arch.h> through include/pcpurt/arch.h.
 */
#ifndef ASM_ARCH_H
#define ASM_ARCH_H

#include <stdint.h>
#include <asm/irqflags.h>

#define ARCH_NAME	"arm64"
#define CACHE_LINE	64

#define read_sysreg(r) ({ uint64_t __v; __asm__ __volatile__("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) __asm__ __volatile__("msr " #r ", %0" : : "r"((uint64_t)(v)))
#define isb()	__asm__ __volatile__("isb" : : : "memory")
#define dsb(o)	__asm__ __volatile__("dsb " #o : : : "memory")
#define dmb(o)	__asm__ __volatile__("dmb " #o : : : "memory")

static inline void mb(void) { dsb(sy); }
static inline void rmb(void) { dsb(ld); }
static inline void wmb(void) { dsb(st); }
static inline void smp_mb(void) { dmb(ish); }

static inline uint8_t readb(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline uint16_t readw(uintptr_t a) { return *(volatile uint16_t *)a; }
static inline uint32_t readl(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void writeb(uint8_t v, uintptr_t a) { *(volatile uint8_t *)a = v; }
static inline void writew(uint16_t v, uintptr_t a) { *(volatile uint16_t *)a = v; }
static inline void writel(uint32_t v, uintptr_t a) { *(volatile uint32_t *)a = v; }

/* arch_cpu_hwid() - this CPU's MPIDR affinity fields, comparable with a cpu node's reg. */
static inline uint64_t arch_cpu_hwid(void)
{
	return read_sysreg(mpidr_el1) & 0xff00ffffffULL;
}

static inline void arch_wait_forever(void)
{
	for (;;)
		__asm__ __volatile__("wfi");
}

/* Clean and invalidate data cache lines over [p, p+n) to the point of coherency. */
static inline void arch_dcache_clean_inval(const void *p, unsigned long n)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(CACHE_LINE - 1);

	for (; a < (uintptr_t)p + n; a += CACHE_LINE)
		__asm__ __volatile__("dc civac, %0" : : "r"(a) : "memory");
	dsb(sy);
}

static inline uint64_t arch_counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static inline uint64_t arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

/* the encoding of "ret", for the execute-from-data fault test */
#define ARCH_RET_INSN	0xd65f03c0u

/* arch_sync_icache() - instructions written to [addr, addr+size) become fetchable */
static inline void arch_sync_icache(uintptr_t addr, size_t size)
{
	uintptr_t p;

	for (p = addr & ~63UL; p < addr + size; p += 64)
		__asm__ __volatile__("dc cvau, %0" : : "r"(p) : "memory");
	__asm__ __volatile__("dsb ish" : : : "memory");
	for (p = addr & ~63UL; p < addr + size; p += 64)
		__asm__ __volatile__("ic ivau, %0" : : "r"(p) : "memory");
	__asm__ __volatile__("dsb ish\n\tisb" : : : "memory");
}

#endif
