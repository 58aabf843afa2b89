/*
 * start.c (arm64) - from head.S to boot_main(): find the device tree, describe the entry.
 */
#include <pcpurt/arch.h>
#include <pcpurt/printk.h>
#include <string.h>
#include <stdio.h>

#define FDT_MAGIC_BE 0xd00dfeedU

extern char _text[], _end[];

static bool looks_like_fdt(uintptr_t p)
{
	return p && (p & 7) == 0 && __builtin_bswap32(*(volatile uint32_t *)p) == FDT_MAGIC_BE;
}

/*
 * find_fdt() - when QEMU starts the ELF directly x0 is 0 and the tree sits at the start of
 * RAM. RAM is not known yet, so look at the start of the 1 GiB region the image is in and
 * then downwards from the image in 2 MiB steps to that point.
 */
static uintptr_t find_fdt(uintptr_t image)
{
	uintptr_t floor = image & ~(SZ_1G - 1);
	uintptr_t p;

	if (looks_like_fdt(floor))
		return floor;
	for (p = (image & ~(SZ_2M - 1)); p > floor; p -= SZ_2M)
		if (looks_like_fdt(p - SZ_2M))
			return p - SZ_2M;
	return 0;
}

void arm64_start_primary(uintptr_t x0, unsigned long el, uintptr_t load);

void arm64_start_primary(uintptr_t x0, unsigned long el, uintptr_t load)
{
	static struct boot_info bi;

	bi.image_start = load;
	bi.image_end = (uintptr_t)_end;
	bi.boot_hwid = arch_cpu_hwid();
	snprintf(bi.entry_mode, sizeof(bi.entry_mode), "EL%lu", el);
	if (looks_like_fdt(x0)) {
		bi.fdt = (const void *)x0;
		bi.fdt_source = "x0";
	} else {
		bi.fdt = (const void *)find_fdt(load);
		bi.fdt_source = bi.fdt ? "scan of RAM start" : "none";
		if (!bi.fdt)
			bi.fdt = (const void *)x0;
	}
	boot_main(&bi);
}
