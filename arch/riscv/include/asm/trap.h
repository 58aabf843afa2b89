/* trap.h (riscv) - the register frame trap.S saves; layout fixed by its offsets. */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#include <stdint.h>

struct trap_frame {
	uint64_t x[32];		/* x[0] unused, x[2] = interrupted sp */
	uint64_t sepc, sstatus, scause, stval;
};

_Static_assert(sizeof(struct trap_frame) == 288, "trap.S FRAME_SIZE");

#endif
