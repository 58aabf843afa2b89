/*
 * boot_state.c - what the boot sequence leaves for the rest of the system: the machine's
 * parsed device tree and the arch's boot_info. boot/main.c hands both over once, right
 * after the tree is parsed (boot_state_set()); every other folder reads them through
 * boot_dt() and boot_info(), so nothing below boot/ calls back into it.
 */
#include <pcpurt/boot.h>

static const struct dt_info *state_dt;
static const struct boot_info *state_bi;

void boot_state_set(const struct dt_info *dt, const struct boot_info *bi)
{
	state_dt = dt;
	state_bi = bi;
}

const struct dt_info *boot_dt(void)
{
	return state_dt;
}

const struct boot_info *boot_info(void)
{
	return state_bi;
}
