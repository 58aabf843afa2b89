/*
 * percpu.h (riscv) - the per-CPU base in tp and this_cpu operations safe against an
 * interrupt on the same hart without masking interrupts where the ISA allows: AMOs
 * (amoadd, amoswap) and LR/SC for 4- and 8-byte types. Many harts (the U74 among them)
 * have no 1- or 2-byte AMOs (Zabha), so those sizes mask interrupts around a plain
 * read-modify-write of this hart's own copy, which nothing else writes concurrently.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <stdint.h>
#include <asm/irqflags.h>

static inline unsigned long arch_percpu_offset(void)
{
	unsigned long off;

	__asm__ __volatile__("mv %0, tp" : "=r"(off));
	return off;
}

static inline void arch_set_percpu_offset(unsigned long off)
{
	__asm__ __volatile__("mv tp, %0" : : "r"(off) : "memory");
}

/* this hart's copy of @p: one add with tp */
static inline void *pcpu_addr(const void *p)
{
	void *a;

	__asm__ __volatile__("add %0, %1, tp" : "=r"(a) : "r"(p));
	return a;
}
#define PCPU_ADDR(p) pcpu_addr(p)

#define RISCV_PCPU_AMO(sz, t, st, sfx)							\
static inline void arch_this_cpu_add_##sz(void *p, t v)				\
{											\
	__asm__ __volatile__("amoadd." sfx " zero, %1, %0"				\
			     : "+A"(*(t *)PCPU_ADDR(p)) : "r"(v) : "memory");		\
}											\
											\
static inline t arch_this_cpu_xchg_##sz(void *p, t v)				\
{											\
	t old;										\
											\
	__asm__ __volatile__("amoswap." sfx " %0, %2, %1"				\
			     : "=r"(old), "+A"(*(t *)PCPU_ADDR(p)) : "r"(v) : "memory");	\
	return old;									\
}											\
											\
static inline t arch_this_cpu_cmpxchg_##sz(void *p, t o, t n)			\
{											\
	t *a = PCPU_ADDR(p);								\
	t old;										\
	unsigned long fail;								\
											\
	__asm__ __volatile__("1: lr." sfx " %0, %2\n\t"				\
			     "bne %0, %3, 2f\n\t"					\
			     "sc." sfx " %1, %4, %2\n\t"				\
			     "bnez %1, 1b\n"						\
			     "2:"							\
			     : "=&r"(old), "=&r"(fail), "+A"(*a)			\
			     : "r"((long)(st)o), "r"(n) : "memory");			\
	return old;									\
}

RISCV_PCPU_AMO(4, uint32_t, int32_t, "w")	/* lr.w sign-extends */
RISCV_PCPU_AMO(8, uint64_t, int64_t, "d")

#define RISCV_PCPU_MASKED(sz, t)							\
static inline void arch_this_cpu_add_##sz(void *p, t v)				\
{											\
	unsigned long flags = arch_local_irq_save();					\
	t *a = PCPU_ADDR(p);								\
											\
	*(volatile t *)a = (t)(*(volatile t *)a + v);					\
	arch_local_irq_restore(flags);							\
}											\
											\
static inline t arch_this_cpu_xchg_##sz(void *p, t v)				\
{											\
	unsigned long flags = arch_local_irq_save();					\
	t *a = PCPU_ADDR(p), old = *(volatile t *)a;					\
											\
	*(volatile t *)a = v;								\
	arch_local_irq_restore(flags);							\
	return old;									\
}											\
											\
static inline t arch_this_cpu_cmpxchg_##sz(void *p, t o, t n)			\
{											\
	unsigned long flags = arch_local_irq_save();					\
	t *a = PCPU_ADDR(p), old = *(volatile t *)a;					\
											\
	if (old == o)									\
		*(volatile t *)a = n;							\
	arch_local_irq_restore(flags);							\
	return old;									\
}

RISCV_PCPU_MASKED(1, uint8_t)
RISCV_PCPU_MASKED(2, uint16_t)

#endif
