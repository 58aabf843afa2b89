/*
 * selftest_boot.c - boot-time tests of the foundation: the parsed device tree is
 * consistent with where we run, traps are taken and resumed, the MMU and caches are on and
 * atomics work, and two deliberately failing workloads for the failure paths.
 */
#include <pcpurt/boot.h>
#include <pcpurt/panic.h>
#include <pcpurt/run.h>
#include <pcpurt/spinlock.h>

static bool in_memory(const struct dt_info *dt, uint64_t base, uint64_t size)
{
	int i;

	for (i = 0; i < dt->nr_mem; i++)
		if (base >= dt->mem[i].base && base + size <= dt->mem[i].base + dt->mem[i].size)
			return true;
	return false;
}

static int test_dt(void)
{
	const struct dt_info *dt = boot_dt();
	const struct boot_info *bi = boot_info();
	int i, err = 0, boot_cpu = -1, dtb = 0, image = 0;

	if (dt->nr_mem == 0)
		err |= test_fail("no memory ranges");
	if (!in_memory(dt, bi->image_start, bi->image_end - bi->image_start))
		err |= test_fail("image 0x%lx not inside a memory range", (long)bi->image_start);
	for (i = 0; i < dt->nr_resv; i++) {
		dtb += dt->resv[i].kind == DT_RESV_DTB &&
		       dt->resv[i].base == (uintptr_t)bi->fdt;
		image += dt->resv[i].kind == DT_RESV_IMAGE &&
			 dt->resv[i].base == bi->image_start;
	}
	if (dtb != 1 || image != 1)
		err |= test_fail("dtb (%d) and image (%d) must each be reserved once", dtb, image);
	if (dt->nr_cpus < 1)
		err |= test_fail("no cpus");
	for (i = 0; i < dt->nr_cpus; i++)
		if (dt->cpus[i].hwid == bi->boot_hwid)
			boot_cpu = i;
	if (boot_cpu < 0)
		err |= test_fail("boot CPU hwid 0x%llx not in /cpus",
				 (unsigned long long)bi->boot_hwid);
	if (!dt->uart.found)
		err |= test_fail("no console from /chosen/stdout-path");
	for (i = 0; i < dt->nr_nodes; i++)
		if (dt_node_distance(dt, i, i) != LOCAL_DISTANCE)
			err |= test_fail("distance node%d->node%d != 10", i, i);
	return err;
}
DEFINE_TEST("dt", test_dt, "device tree: memory, reservations, boot CPU, console, NUMA");

static int test_trap(void)
{
	int i;

	for (i = 0; i < 3; i++)
		if (arch_trap_selftest())
			return test_fail("breakpoint trap %d was not taken and resumed", i);
	return 0;
}
DEFINE_TEST("trap", test_trap, "a breakpoint is trapped, decoded and resumed");

static int test_mmu_atomics(void)
{
	static DEFINE_SPINLOCK(lock);
	static unsigned long counter;
	unsigned long flags, old;
	int i;

	if (!arch_mmu_enabled())
		return test_fail("MMU is off");
	for (i = 0; i < 1000; i++) {
		flags = spin_lock_irqsave(&lock);
		counter++;
		spin_unlock_irqrestore(&lock, flags);
	}
	old = __atomic_fetch_add(&counter, 5, __ATOMIC_SEQ_CST);
	if (old != 1000 || counter != 1005)
		return test_fail("counter %lu (old %lu), want 1005", counter, old);
	if (!__atomic_compare_exchange_n(&counter, &old, 7, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST) && counter != 1005)
		return test_fail("failed cmpxchg changed the value");
	if (spin_is_locked(&lock) || !spin_trylock(&lock) || spin_trylock(&lock))
		return test_fail("trylock");
	spin_unlock(&lock);
	return 0;
}
DEFINE_TEST("mmu", test_mmu_atomics, "MMU and caches on; locks and atomics work");

static int workload_fail(void)
{
	return test_fail("this workload always fails (it tests the failure path)");
}
DEFINE_WORKLOAD("fail", workload_fail, "always fails: checks RESULT: FAIL and the exit status");

static int workload_panic(void)
{
	arch_panic_now();
}
DEFINE_WORKLOAD("panic", workload_panic, "takes an unexpected exception: checks the PANIC path");
