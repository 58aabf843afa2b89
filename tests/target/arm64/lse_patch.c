/*
 * lse_patch.c (arm64) - the "lse-patch" test of the boot-time LSE patching in
 * arch/arm64/cpufeature.c: all or none on scratch sites, and the image's own sites match the
 * choice in use.
 */
#include <pcpurt/arch.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <asm/cpufeature.h>

/*
 * lse-patch: the all-or-none rule on scratch sites in data memory (a site that is not a
 * branch leaves every site as it was; all branches all become NOPs), and the image's own
 * sites match the choice in use.
 */
static int test_lse_patch(void)
{
	static uint32_t insn[3];
	static int32_t site[3];
	uint32_t *bad = NULL;
	int i, n, err = 0;

	for (i = 0; i < 3; i++) {
		insn[i] = A64_B | (uint32_t)(i + 1);
		site[i] = (int32_t)((intptr_t)&insn[i] - (intptr_t)&site[i]);
	}
	insn[2] = 0xd2800020U; /* mov x0, #1 */
	n = arm64_patch_sites(site, site + 3, &bad);
	if (n != -1 || bad != &insn[2] || insn[0] != (A64_B | 1) || insn[1] != (A64_B | 2))
		err |= test_fail("a site that is not a branch: %d patched, %08x %08x", n,
				 (unsigned int)insn[0], (unsigned int)insn[1]);
	insn[2] = A64_B | 3;
	n = arm64_patch_sites(site, site + 3, &bad);
	if (n != 3 || insn[0] != A64_NOP || insn[1] != A64_NOP || insn[2] != A64_NOP)
		err |= test_fail("three branches: %d patched", n);
	if (!arch_atomics_code_ok())
		err |= test_fail("the image's sites do not match %s", arch_atomics_describe());
	printk("lse-patch: all or none on 3 scratch sites; the image's %d sites hold %s\n",
	       (int)(__lse_sites_end - __lse_sites_start),
	       arm64_lse_in_use() ? "NOPs" : "branches");
	return err;
}
DEFINE_TEST("lse-patch", test_lse_patch,
	    "boot-time LSE patching: all or none, and the image's sites match the choice");
