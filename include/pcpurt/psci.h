/* psci.h - PSCI function ids and calls (arm64 only; arch/arm64/psci.c). */
#ifndef PCPURT_PSCI_H
#define PCPURT_PSCI_H

#include <stdbool.h>
#include <stdint.h>

#define PSCI_0_2_FN64_CPU_ON	0xc4000003U
#define PSCI_0_2_FN_CPU_OFF	0x84000002U
#define PSCI_0_2_FN64_AFFINITY_INFO 0xc4000004U
#define PSCI_AFFINITY_ON	0
#define PSCI_AFFINITY_OFF	1
#define PSCI_RET_SUCCESS	0
#define PSCI_RET_NOT_SUPPORTED	(-1)
#define PSCI_RET_INVALID_PARAMS	(-2)
#define PSCI_RET_DENIED		(-3)
#define PSCI_RET_ALREADY_ON	(-4)
#define PSCI_RET_ON_PENDING	(-5)
#define PSCI_RET_INTERNAL_FAILURE (-6)

long psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
uint32_t psci_cpu_on_fn(void);

struct trap_frame;
/* True when @f is the semihosting probe trapping (semihosting absent): ELR stepped over. */
bool arm64_semihosting_fixup(struct trap_frame *f);
/* Whether semihosting answers (probed once, at the first question). */
bool arm64_semihosting_present(void);

#endif
