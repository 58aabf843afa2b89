/*
 * arch.h (riscv) - the small set of inline functions generic code may use: MMIO access,
 * barriers, CPU identity, counters, waiting. Generic code reaches it only as <asm/arch.h>
 * through include/pcpurt/arch.h.
 */
#ifndef ASM_ARCH_H
#define ASM_ARCH_H

#include <stdint.h>
#include <asm/irqflags.h>

#define ARCH_NAME	"riscv64"
#define CACHE_LINE	64

#define csr_read(csr) ({ unsigned long __v; \
	__asm__ __volatile__("csrr %0, " #csr : "=r"(__v) : : "memory"); __v; })
#define csr_write(csr, v) __asm__ __volatile__("csrw " #csr ", %0" : : "r"(v) : "memory")

static inline void mb(void) { __asm__ __volatile__("fence iorw, iorw" : : : "memory"); }
static inline void rmb(void) { __asm__ __volatile__("fence ir, ir" : : : "memory"); }
static inline void wmb(void) { __asm__ __volatile__("fence ow, ow" : : : "memory"); }
static inline void smp_mb(void) { __asm__ __volatile__("fence rw, rw" : : : "memory"); }

static inline uint8_t readb(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline uint16_t readw(uintptr_t a) { return *(volatile uint16_t *)a; }
static inline uint32_t readl(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void writeb(uint8_t v, uintptr_t a) { *(volatile uint8_t *)a = v; }
static inline void writew(uint16_t v, uintptr_t a) { *(volatile uint16_t *)a = v; }
static inline void writel(uint32_t v, uintptr_t a) { *(volatile uint32_t *)a = v; }

/* The hart id is not readable in S-mode: the entry code records it (smp code keeps it). */
extern uint64_t riscv_boot_hartid;

static inline uint64_t arch_cpu_hwid(void)
{
	return riscv_boot_hartid;
}

static inline void arch_wait_forever(void)
{
	for (;;)
		__asm__ __volatile__("wfi");
}

/* Caches are coherent on the platforms we run on; a fence orders the writes. */
static inline void arch_dcache_clean_inval(const void *p, unsigned long n)
{
	(void)p;
	(void)n;
	mb();
}

static inline uint64_t arch_counter(void)
{
	return csr_read(time);
}

uint64_t arch_counter_freq(void);

/* the encoding of "ret" (jalr x0, 0(ra)), for the execute-from-data fault test */
#define ARCH_RET_INSN	0x00008067u

/* arch_sync_icache() - instructions written to [addr, addr+size) become fetchable here */
static inline void arch_sync_icache(uintptr_t addr, size_t size)
{
	(void)addr, (void)size;
	__asm__ __volatile__("fence.i" : : : "memory");
}

#endif
