/*
 * percpu.h - per-CPU variables and their accessors, as in the kernel.
 *
 * DEFINE_PER_CPU(type, name) puts `name` in the .data..percpu section, the template that
 * setup_per_cpu_areas() copies into every CPU's unit. CPU c's copy lives at
 * &name + __per_cpu_offset[c]; the running CPU keeps its own offset in a register
 * (arm64 TPIDR_EL1, riscv tp), so this_cpu_*() is a few instructions.
 *
 *   per_cpu(var, cpu), per_cpu_ptr(ptr, cpu)   another CPU's copy
 *   this_cpu_ptr(ptr), raw_cpu_ptr(ptr)        this CPU's copy
 *   this_cpu_{read,write,add,sub,inc,dec,xchg,cmpxchg}(var, ...)
 *                                              safe against interrupts on this CPU
 *   raw_cpu_*(), __this_cpu_*()                plain accesses (caller excludes interrupts)
 *   get_cpu_var(var) / put_cpu_var(var)        this CPU's copy as an lvalue
 *
 * There is no preemption or migration: code runs on the CPU it started on.
 */
#ifndef PCPURT_PERCPU_H
#define PCPURT_PERCPU_H

#include <pcpurt/compiler.h>
#include <pcpurt/cpumask.h>
#include <asm/percpu.h>

#define PER_CPU_SECTION ".data..percpu"

#define DECLARE_PER_CPU_SECTION(type, name, sec) \
	extern __section(PER_CPU_SECTION sec) __typeof__(type) name
#define DEFINE_PER_CPU_SECTION(type, name, sec) \
	__section(PER_CPU_SECTION sec) __typeof__(type) name

#define DECLARE_PER_CPU(type, name)	DECLARE_PER_CPU_SECTION(type, name, "")
#define DEFINE_PER_CPU(type, name)	DEFINE_PER_CPU_SECTION(type, name, "")
#define DECLARE_PER_CPU_ALIGNED(type, name) \
	DECLARE_PER_CPU_SECTION(type, name, "..shared_aligned") __aligned(CACHE_LINE)
#define DEFINE_PER_CPU_ALIGNED(type, name) \
	DEFINE_PER_CPU_SECTION(type, name, "..shared_aligned") __aligned(CACHE_LINE)
/* Linux names the same thing both ways: cache-line aligned, in the shared_aligned part */
#define DECLARE_PER_CPU_SHARED_ALIGNED(type, name)	DECLARE_PER_CPU_ALIGNED(type, name)
#define DEFINE_PER_CPU_SHARED_ALIGNED(type, name)	DEFINE_PER_CPU_ALIGNED(type, name)
#define DECLARE_PER_CPU_READ_MOSTLY(type, name) \
	DECLARE_PER_CPU_SECTION(type, name, "..read_mostly")
#define DEFINE_PER_CPU_READ_MOSTLY(type, name) \
	DEFINE_PER_CPU_SECTION(type, name, "..read_mostly")
#define DECLARE_PER_CPU_PAGE_ALIGNED(type, name) \
	DECLARE_PER_CPU_SECTION(type, name, "..page_aligned") __aligned(4096)
#define DEFINE_PER_CPU_PAGE_ALIGNED(type, name) \
	DEFINE_PER_CPU_SECTION(type, name, "..page_aligned") __aligned(4096)

extern char __per_cpu_start[], __per_cpu_end[], __per_cpu_load[];
extern unsigned long __per_cpu_offset[NR_CPUS];

#define per_cpu_offset(cpu) (__per_cpu_offset[cpu])

/* Hide the arithmetic from the compiler: the result is not inside the template object. */
#define SHIFT_PERCPU_PTR(ptr, off) ({						\
	uintptr_t __p = (uintptr_t)(ptr);					\
	__asm__("" : "+r"(__p));						\
	(__typeof__(ptr))(__p + (off));						\
})

#define per_cpu_ptr(ptr, cpu)	SHIFT_PERCPU_PTR(ptr, per_cpu_offset(cpu))
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))
#define raw_cpu_ptr(ptr)	((__typeof__(ptr))PCPU_ADDR(ptr))
#define this_cpu_ptr(ptr)	raw_cpu_ptr(ptr)

#define get_cpu_var(var)	(*this_cpu_ptr(&(var)))
#define put_cpu_var(var)	barrier()

/* plain accesses */
#define raw_cpu_read(pcp)	 READ_ONCE(*raw_cpu_ptr(&(pcp)))
#define raw_cpu_write(pcp, v)	 WRITE_ONCE(*raw_cpu_ptr(&(pcp)), (v))
#define raw_cpu_add(pcp, v)	 do { *raw_cpu_ptr(&(pcp)) += (v); } while (0)
#define raw_cpu_sub(pcp, v)	 raw_cpu_add(pcp, -(v))
#define raw_cpu_inc(pcp)	 raw_cpu_add(pcp, 1)
#define raw_cpu_dec(pcp)	 raw_cpu_sub(pcp, 1)
#define raw_cpu_xchg(pcp, v) ({							\
	__typeof__(pcp) *__x = raw_cpu_ptr(&(pcp)), __o = *__x;			\
	*__x = (v);								\
	__o;									\
})
#define raw_cpu_cmpxchg(pcp, o, n) ({						\
	__typeof__(pcp) *__x = raw_cpu_ptr(&(pcp)), __o = *__x;			\
	if (__o == (o))								\
		*__x = (n);							\
	__o;									\
})
#define __this_cpu_read(pcp)		raw_cpu_read(pcp)
#define __this_cpu_write(pcp, v)	raw_cpu_write(pcp, v)
#define __this_cpu_add(pcp, v)		raw_cpu_add(pcp, v)
#define __this_cpu_sub(pcp, v)		raw_cpu_sub(pcp, v)
#define __this_cpu_inc(pcp)		raw_cpu_inc(pcp)
#define __this_cpu_dec(pcp)		raw_cpu_dec(pcp)
#define __this_cpu_xchg(pcp, v)		raw_cpu_xchg(pcp, v)
#define __this_cpu_cmpxchg(pcp, o, n)	raw_cpu_cmpxchg(pcp, o, n)

void __bad_percpu_size(void);	/* never defined: a link error for other sizes */

#define __pcpu_as(sz, v)	((uint##sz##_t)(uintptr_t)(v))

/* interrupt-safe operations: one arch instruction (or loop) per access */
#define this_cpu_read(pcp)	READ_ONCE(*raw_cpu_ptr(&(pcp)))
#define this_cpu_write(pcp, v)	WRITE_ONCE(*raw_cpu_ptr(&(pcp)), (v))
#define this_cpu_add(pcp, v) do {						\
	switch (sizeof(pcp)) {							\
	case 1: arch_this_cpu_add_1(&(pcp), __pcpu_as(8, v)); break;		\
	case 2: arch_this_cpu_add_2(&(pcp), __pcpu_as(16, v)); break;		\
	case 4: arch_this_cpu_add_4(&(pcp), __pcpu_as(32, v)); break;		\
	case 8: arch_this_cpu_add_8(&(pcp), __pcpu_as(64, v)); break;		\
	default: __bad_percpu_size();						\
	}									\
} while (0)
#define this_cpu_sub(pcp, v)	this_cpu_add(pcp, -(v))
#define this_cpu_inc(pcp)	this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp)	this_cpu_add(pcp, -1)
#define this_cpu_xchg(pcp, v) ({						\
	__typeof__(pcp) __r;							\
	switch (sizeof(pcp)) {							\
	case 1: __r = (__typeof__(pcp))(uintptr_t)arch_this_cpu_xchg_1(&(pcp), __pcpu_as(8, v)); break; \
	case 2: __r = (__typeof__(pcp))(uintptr_t)arch_this_cpu_xchg_2(&(pcp), __pcpu_as(16, v)); break; \
	case 4: __r = (__typeof__(pcp))(uintptr_t)arch_this_cpu_xchg_4(&(pcp), __pcpu_as(32, v)); break; \
	case 8: __r = (__typeof__(pcp))(uintptr_t)arch_this_cpu_xchg_8(&(pcp), __pcpu_as(64, v)); break; \
	default: __bad_percpu_size(); __r = (pcp);				\
	}									\
	__r;									\
})
#define this_cpu_cmpxchg(pcp, o, n) ({						\
	__typeof__(pcp) __r;							\
	switch (sizeof(pcp)) {							\
	case 1: __r = (__typeof__(pcp))(uintptr_t)arch_this_cpu_cmpxchg_1(&(pcp),	\
			__pcpu_as(8, o), __pcpu_as(8, n)); break;		\
	case 2: __r = (__typeof__(pcp))(uintptr_t)arch_this_cpu_cmpxchg_2(&(pcp),	\
			__pcpu_as(16, o), __pcpu_as(16, n)); break;		\
	case 4: __r = (__typeof__(pcp))(uintptr_t)arch_this_cpu_cmpxchg_4(&(pcp),	\
			__pcpu_as(32, o), __pcpu_as(32, n)); break;		\
	case 8: __r = (__typeof__(pcp))(uintptr_t)arch_this_cpu_cmpxchg_8(&(pcp),	\
			__pcpu_as(64, o), __pcpu_as(64, n)); break;		\
	default: __bad_percpu_size(); __r = (pcp);				\
	}									\
	__r;									\
})

DECLARE_PER_CPU_READ_MOSTLY(unsigned int, cpu_number);

/*
 * setup_per_cpu_areas() - build the first chunk (percpu_alloc=embed), copy the template
 * into every possible CPU's unit, set __per_cpu_offset[] and switch the boot CPU's base
 * register to its unit. Panics if no layout fits in memory.
 */
void setup_per_cpu_areas(void);

/* percpu_dynamic_init() - the dynamic allocator (pcpu_default) on the first chunk. */
void percpu_dynamic_init(void);
/* percpu_balance_step() - run the allocator's balancing if it asked for it. */
void percpu_balance_step(void);
/* percpu_backend_print() - the chunk backend's counters (chunks, pages in and out), one line. */
void percpu_backend_print(void);

#endif
