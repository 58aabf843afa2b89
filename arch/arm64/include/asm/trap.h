/* trap.h (arm64) - the register frame vectors.S saves; layout fixed by its offsets. */
#ifndef ASM_TRAP_H
#define ASM_TRAP_H

#include <stdint.h>

struct trap_frame {
	uint64_t x[31];		/* x0..x30 */
	uint64_t sp;		/* interrupted stack pointer */
	uint64_t elr, spsr;
	uint64_t esr, far;
	uint64_t vector;	/* slot index 0..15 */
	uint64_t pad;
};

_Static_assert(sizeof(struct trap_frame) == 304, "vectors.S FRAME_SIZE");

#endif
