/* cpufeature.h (arm64) - CPU features detected at boot (arch/arm64/cpufeature.c). */
#ifndef ASM_CPUFEATURE_H
#define ASM_CPUFEATURE_H

#include <stdbool.h>

bool arm64_has_lse(void);
void arm64_patch_lse_sites(void);

#endif
