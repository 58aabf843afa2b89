/*
 * trap.h (riscv) - the register frame trap.S saves (layout fixed by its offsets), the
 * exception causes traps.c decodes, and the per-hart trap stacks.
 */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#include <stdint.h>
#include <stdbool.h>

/*
 * x[0] (the zero register needs no slot) holds what sscratch gets back on return: the
 * trap stack's top when the trap switched to it, 0 for a trap taken on the trap stack.
 */
struct trap_frame {
	uint64_t x[32];		/* x[2] = interrupted sp */
	uint64_t sepc, sstatus, scause, stval;
};

_Static_assert(sizeof(struct trap_frame) == 288, "trap.S FRAME_SIZE");

#define CAUSE_BREAKPOINT	3
#define CAUSE_FETCH_PAGE_FAULT	12
#define CAUSE_LOAD_PAGE_FAULT	13
#define CAUSE_STORE_PAGE_FAULT	15

/* top of each CPU's trap stack (smp.c fills it before starting the CPU; head.S reads it) */
extern uintptr_t riscv_trap_stack_top[];

bool riscv_mmu_spurious_fault(unsigned long cause, uintptr_t addr, uintptr_t pc);

#endif
