/* cpufeature.h (arm64) - CPU features detected at boot (arch/arm64/cpufeature.c). */
#ifndef ASM_CPUFEATURE_H
#define ASM_CPUFEATURE_H

#include <stdbool.h>
#include <stdint.h>

#define A64_NOP	   0xd503201fU
#define A64_B_MASK 0xfc000000U
#define A64_B	   0x14000000U

/* each entry: the offset from the entry itself to a `b` that arm64_lse_site() emitted */
extern const int32_t __lse_sites_start[], __lse_sites_end[];

bool arm64_has_lse(void);
void arm64_patch_lse_sites(void);
/* arm64_lse_in_use() - every site was patched: the this_cpu_* operations use LSE */
bool arm64_lse_in_use(void);
/*
 * arm64_patch_sites() - every site of [start, end) from a `b` to a NOP, or none when one is
 * not a `b` (*bad: the first such); how many were patched, or -1. (The lse-patch test.)
 */
int arm64_patch_sites(const int32_t *start, const int32_t *end, uint32_t **bad);

#endif
