/* boot.h - what boot/ hands the rest of the system after the boot steps. */
#ifndef PCPURT_BOOT_H
#define PCPURT_BOOT_H

#include <pcpurt/arch.h>
#include <pcpurt/dt.h>

/* boot_dt() - the parsed device tree (valid after the tree was checked and parsed). */
const struct dt_info *boot_dt(void);
const struct boot_info *boot_info(void);

#endif
