/*
 * percpu.h (arm64) - the per-CPU base in TPIDR_EL1 and this_cpu operations that are safe
 * against an interrupt on the same CPU without masking interrupts: one LSE instruction
 * (STADD, SWP, CAS) when the CPU has ARMv8.1 atomics, else an exclusive load/store loop
 * (ARMv8.0, e.g. the Pi 4's Cortex-A72). The choice is made once at boot by patching
 * code: each operation starts with a `b` to its LL/SC version, recorded in .lse_sites,
 * which arm64_patch_lse_sites() turns into a NOP before the text becomes read-only.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

#include <stdint.h>

static inline unsigned long arch_percpu_offset(void)
{
	unsigned long off;

	/* volatile: the boot CPU's base changes once, when the per-CPU areas are set up */
	__asm__ __volatile__("mrs %0, tpidr_el1" : "=r"(off));
	return off;
}

static inline void arch_set_percpu_offset(unsigned long off)
{
	__asm__ __volatile__("msr tpidr_el1, %0" : : "r"(off) : "memory");
}

/*
 * arm64_lse_site() - true on the LSE path. Compiles to one `b` to the false branch (the
 * LL/SC code, correct on every CPU) whose address goes to .lse_sites; with LSE in use it
 * is a NOP by the time anything runs that needs per-CPU data.
 */
static inline __attribute__((always_inline)) bool arm64_lse_site(void)
{
	__asm__ goto("1:	b	%l[llsc]\n\t"
		     ".pushsection .lse_sites, \"a\"\n\t"
		     ".balign 4\n\t"
		     ".long 1b - .\n\t"
		     ".popsection"
		     : : : : llsc);
	return true;
llsc:
	return false;
}

#define PCPU_ADDR(p) ((void *)((uintptr_t)(p) + arch_percpu_offset()))

#define ARM64_PCPU_OPS(sz, t, w, bh)							\
static inline void arch_this_cpu_add_##sz(void *p, t v)				\
{											\
	t *a = PCPU_ADDR(p);								\
	unsigned int fail;								\
	t tmp;										\
											\
	if (arm64_lse_site()) {								\
		__asm__ __volatile__(".arch_extension lse\n\tstadd" bh " %" w "1, %0"	\
				     : "+Q"(*a) : "r"(v));				\
		return;									\
	}										\
	__asm__ __volatile__("1: ldxr" bh " %" w "0, %2\n\t"				\
			     "add %" w "0, %" w "0, %" w "3\n\t"			\
			     "stxr" bh " %w1, %" w "0, %2\n\t"				\
			     "cbnz %w1, 1b"						\
			     : "=&r"(tmp), "=&r"(fail), "+Q"(*a) : "r"(v));		\
}											\
											\
static inline t arch_this_cpu_xchg_##sz(void *p, t v)				\
{											\
	t *a = PCPU_ADDR(p);								\
	unsigned int fail;								\
	t old;										\
											\
	if (arm64_lse_site()) {								\
		__asm__ __volatile__(".arch_extension lse\n\tswp" bh " %" w "2, %" w "0, %1" \
				     : "=&r"(old), "+Q"(*a) : "r"(v));			\
		return old;								\
	}										\
	__asm__ __volatile__("1: ldxr" bh " %" w "0, %2\n\t"				\
			     "stxr" bh " %w1, %" w "3, %2\n\t"				\
			     "cbnz %w1, 1b"						\
			     : "=&r"(old), "=&r"(fail), "+Q"(*a) : "r"(v));		\
	return old;									\
}											\
											\
static inline t arch_this_cpu_cmpxchg_##sz(void *p, t o, t n)			\
{											\
	t *a = PCPU_ADDR(p);								\
	unsigned int fail;								\
	t old;										\
											\
	if (arm64_lse_site()) {								\
		old = o;								\
		__asm__ __volatile__(".arch_extension lse\n\tcas" bh " %" w "0, %" w "2, %1" \
				     : "+r"(old), "+Q"(*a) : "r"(n));			\
		return old;								\
	}										\
	__asm__ __volatile__("1: ldxr" bh " %" w "0, %2\n\t"				\
			     "cmp %" w "0, %" w "3" CMP_EXT_##sz "\n\t"			\
			     "b.ne 2f\n\t"						\
			     "stxr" bh " %w1, %" w "4, %2\n\t"				\
			     "cbnz %w1, 1b\n"						\
			     "2:"							\
			     : "=&r"(old), "=&r"(fail), "+Q"(*a) : "r"(o), "r"(n) : "cc");	\
	return old;									\
}

/* sub-word compares must ignore the register's upper bits */
#define CMP_EXT_1 ", uxtb"
#define CMP_EXT_2 ", uxth"
#define CMP_EXT_4 ""
#define CMP_EXT_8 ""

ARM64_PCPU_OPS(1, uint8_t, "w", "b")
ARM64_PCPU_OPS(2, uint16_t, "w", "h")
ARM64_PCPU_OPS(4, uint32_t, "w", "")
ARM64_PCPU_OPS(8, uint64_t, "x", "")

#endif
