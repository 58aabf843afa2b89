/* start.c (riscv) - from head.S to boot_main(): record the boot hart, describe the entry. */
#include <pcpurt/arch.h>
#include <stdio.h>

extern char _end[];
uint64_t riscv_boot_hartid;

void riscv_start_primary(unsigned long hartid, uintptr_t dtb, uintptr_t load);

void riscv_start_primary(unsigned long hartid, uintptr_t dtb, uintptr_t load)
{
	static struct boot_info bi;

	riscv_boot_hartid = hartid;
	bi.fdt = (const void *)dtb;
	bi.fdt_source = "a1";
	bi.image_start = load;
	bi.image_end = (uintptr_t)_end;
	bi.boot_hwid = hartid;
	snprintf(bi.entry_mode, sizeof(bi.entry_mode), "S-mode");
	boot_main(&bi);
}
