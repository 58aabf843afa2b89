/*
 * boot.h - what the boot sequence (boot/main.c) hands the rest of the system, kept by
 * kernel/boot_state.c.
 */
#ifndef PCPURT_BOOT_H
#define PCPURT_BOOT_H

#include <pcpurt/arch.h>
#include <pcpurt/dt.h>

/* boot_state_set() - boot/main.c only: the parsed tree and the arch's boot info, once. */
void boot_state_set(const struct dt_info *dt, const struct boot_info *bi);

/* boot_dt() - the parsed device tree (valid after the tree was checked and parsed). */
const struct dt_info *boot_dt(void);
const struct boot_info *boot_info(void);

#endif
