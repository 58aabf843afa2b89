/*
 * workload_percpu.c - per-CPU workloads that run on every online CPU at once:
 *
 *   percpu-counter   each CPU does K this_cpu_inc() on static counters of 1, 2, 4 and 8
 *                    bytes; the sums over per_cpu() must be CPUs x K (mod the type's width)
 *   percpu-identity  each CPU checks its base register against __per_cpu_offset[], its
 *                    number, that its unit lies in memory of its own node (of the nearest
 *                    node with memory, the lower on a tie, when its node has none), that static
 *                    initial values were copied, and the alignment of the variants; the
 *                    boot CPU then checks that no two CPUs' units overlap
 *   percpu-ops       this_cpu_{add,sub,inc,dec,xchg,cmpxchg,read,write} of every size
 */
#include <pcpurt/arch.h>
#include <pcpurt/boot.h>
#include <pcpurt/memblock.h>
#include <pcpurt/mmu.h>
#include <pcpurt/vmalloc.h>
#include <pcpurt/percpu.h>
#include <pcpurt/percpu_first_chunk.h>
#include <pcpurt/printk.h>
#include <pcpurt/run.h>
#include <pcpurt/smp.h>
#include <string.h>

#define COUNTER_K	100000
#define MAGIC		0x5043505552540001ULL

extern struct pcpu_first_chunk pcpu_first_chunk;
DECLARE_PER_CPU(unsigned long, idle_wakeups);

static DEFINE_PER_CPU(uint8_t, count8);
static DEFINE_PER_CPU(uint16_t, count16);
static DEFINE_PER_CPU(uint32_t, count32);
static DEFINE_PER_CPU(uint64_t, count64);
static DEFINE_PER_CPU(uint64_t, magic) = MAGIC;
static DEFINE_PER_CPU(const char *, name_ptr) = "template";
static DEFINE_PER_CPU_ALIGNED(uint64_t, aligned_var) = 7;
static DEFINE_PER_CPU_SHARED_ALIGNED(uint32_t, shared_aligned_var) = 9;
static DEFINE_PER_CPU_READ_MOSTLY(uint32_t, read_mostly_var) = 0xabcd;
static DEFINE_PER_CPU_PAGE_ALIGNED(uint8_t, page_var[64]);

static int counter_before(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		per_cpu(count8, cpu) = 0;
		per_cpu(count16, cpu) = 0;
		per_cpu(count32, cpu) = 0;
		per_cpu(count64, cpu) = 0;
	}
	return 0;
}

static int counter_run(void)
{
	uint64_t t0 = arch_counter();
	int i;

	for (i = 0; i < COUNTER_K; i++) {
		this_cpu_inc(count64);
		this_cpu_inc(count32);
		this_cpu_inc(count16);
		this_cpu_inc(count8);
	}
	run_note("%d incs of each size, %llu us, count64=%llu", COUNTER_K,
		 (unsigned long long)((arch_counter() - t0) * 1000000 / arch_counter_freq()),
		 (unsigned long long)this_cpu_read(count64));
	return this_cpu_read(count64) == COUNTER_K ? 0 : -1;
}

static int counter_after(void)
{
	uint64_t s64 = 0, n = num_online_cpus();
	uint32_t s32 = 0;
	uint16_t s16 = 0;
	uint8_t s8 = 0;
	unsigned int cpu;
	int err = 0;

	for_each_online_cpu(cpu) {
		s64 += per_cpu(count64, cpu);
		s32 += per_cpu(count32, cpu);
		s16 += per_cpu(count16, cpu);
		s8 += per_cpu(count8, cpu);
	}
	printk("run: percpu-counter: sum %llu over %llu CPUs, want %llu\n",
	       (unsigned long long)s64, (unsigned long long)n, (unsigned long long)(n * COUNTER_K));
	if (s64 != n * COUNTER_K || s32 != (uint32_t)(n * COUNTER_K))
		err |= test_fail("8/4-byte sums %llu/%u, want %llu", (unsigned long long)s64, s32,
				 (unsigned long long)(n * COUNTER_K));
	if (s16 != (uint16_t)(n * COUNTER_K) || s8 != (uint8_t)(n * COUNTER_K))
		err |= test_fail("2/1-byte sums %u/%u, want %u/%u", s16, s8,
				 (uint16_t)(n * COUNTER_K), (uint8_t)(n * COUNTER_K));
	return err;
}
DEFINE_SMP_TEST("percpu-counter", counter_run,
		"every CPU does this_cpu_inc on static 1/2/4/8-byte counters; sums = CPUs x K",
		counter_before, counter_after);

/* The node of the memory behind virtual address @va (through the page tables if mapped). */
static int va_node(uintptr_t va)
{
	uint64_t pa = va;

	if (vm_vmalloc_size() && !arch_translate(va, &pa, NULL))
		return NUMA_NO_NODE;
	return memblock_addr_node(pa);
}

/* Is every page of [base, base + size) in memory of @node? */
static bool on_node(uintptr_t base, size_t size, int node)
{
	size_t off;

	for (off = 0; off < size; off += 4096)
		if (va_node(base + off) != node)
			return false;
	return va_node(base + size - 1) == node;
}

static int identity_run(void)
{
	unsigned int cpu = smp_processor_id();
	uintptr_t unit = pcpu_first_chunk.base + pcpu_first_chunk.unit_off[cpu];
	int node = cpu_to_node(cpu);
	/* the rule, from the tree itself: own node, else the nearest with memory */
	int want = dt_nearest_mem_node(boot_dt(), node);
	int err = 0;

	if (arch_percpu_offset() != __per_cpu_offset[cpu])
		err |= test_fail("CPU%u: base register 0x%lx != __per_cpu_offset 0x%lx", cpu,
				 arch_percpu_offset(), __per_cpu_offset[cpu]);
	if ((uintptr_t)this_cpu_ptr(&magic) != (uintptr_t)per_cpu_ptr(&magic, cpu))
		err |= test_fail("CPU%u: this_cpu_ptr != per_cpu_ptr", cpu);
	if ((uintptr_t)this_cpu_ptr(&magic) < unit ||
	    (uintptr_t)this_cpu_ptr(&magic) >= unit + pcpu_first_chunk.static_size)
		err |= test_fail("CPU%u: variable outside its unit's static area", cpu);
	if (!on_node(unit, pcpu_first_chunk.unit_size, want))
		err |= test_fail("CPU%u: unit 0x%lx is on node %d, CPU is on node %d, want node %d",
				 cpu, (unsigned long)unit, va_node(unit), node, want);
	if (this_cpu_read(magic) != MAGIC || this_cpu_read(aligned_var) != 7 ||
	    this_cpu_read(shared_aligned_var) != 9 ||
	    this_cpu_read(read_mostly_var) != 0xabcd)
		err |= test_fail("CPU%u: static initial values not copied", cpu);
	if (strcmp(this_cpu_read(name_ptr), "template"))
		err |= test_fail("CPU%u: pointer initial value not copied", cpu);
	if ((uintptr_t)this_cpu_ptr(&aligned_var) % CACHE_LINE ||
	    (uintptr_t)this_cpu_ptr(&shared_aligned_var) % CACHE_LINE ||
	    (uintptr_t)this_cpu_ptr(&page_var) % 4096)
		err |= test_fail("CPU%u: aligned variants misaligned", cpu);
	run_note("unit 0x%lx node %d (mem node %d), %lu idle wake-ups", (unsigned long)unit, node,
		 va_node(unit), this_cpu_read(idle_wakeups));
	return err;
}

static int identity_after(void)
{
	unsigned int a, b;
	size_t sz = pcpu_first_chunk.unit_size;

	for_each_possible_cpu(a)
		for_each_possible_cpu(b) {
			uintptr_t ua = pcpu_first_chunk.unit_off[a], ub = pcpu_first_chunk.unit_off[b];

			if (a < b && ua < ub + sz && ub < ua + sz)
				return test_fail("units of CPU%u and CPU%u overlap", a, b);
		}
	return 0;
}
DEFINE_SMP_TEST("percpu-identity", identity_run,
		"base register, unit on own node (nearest with memory if none), static values "
		"copied, units disjoint", NULL,
		identity_after);

#define CHECK_OPS(var, t)								\
	do {										\
		t v0 = (t)(smp_processor_id() + 3), old;				\
		this_cpu_write(var, v0);						\
		this_cpu_add(var, 5);							\
		this_cpu_sub(var, 2);							\
		this_cpu_inc(var);							\
		this_cpu_dec(var);							\
		if (this_cpu_read(var) != (t)(v0 + 3))					\
			err |= test_fail(#t ": add/sub/inc/dec gave %llu",		\
					 (unsigned long long)this_cpu_read(var));	\
		old = this_cpu_xchg(var, (t)0x5a);					\
		if (old != (t)(v0 + 3) || this_cpu_read(var) != (t)0x5a)		\
			err |= test_fail(#t ": xchg");					\
		old = this_cpu_cmpxchg(var, (t)0x11, (t)0x22);				\
		if (old != (t)0x5a || this_cpu_read(var) != (t)0x5a)			\
			err |= test_fail(#t ": failing cmpxchg changed the value");	\
		old = this_cpu_cmpxchg(var, (t)0x5a, (t)~(t)0);				\
		if (old != (t)0x5a || this_cpu_read(var) != (t)~(t)0)			\
			err |= test_fail(#t ": cmpxchg");				\
		old = this_cpu_cmpxchg(var, (t)~(t)0, (t)1);				\
		if (old != (t)~(t)0 || this_cpu_read(var) != 1)				\
			err |= test_fail(#t ": cmpxchg with the top bit set");		\
		__this_cpu_add(var, 2);							\
		raw_cpu_inc(var);							\
		if (__this_cpu_read(var) != 4 || get_cpu_var(var) != 4)			\
			err |= test_fail(#t ": raw/__this_cpu ops");			\
		put_cpu_var(var);							\
		__this_cpu_sub(var, 1);							\
		__this_cpu_dec(var);							\
		raw_cpu_add(var, 3);							\
		raw_cpu_sub(var, 1);							\
		raw_cpu_dec(var);							\
		__this_cpu_inc(var);							\
		old = __this_cpu_xchg(var, (t)7);					\
		if (old != 4 || raw_cpu_read(var) != 7)					\
			err |= test_fail(#t ": __this_cpu sub/dec/xchg, raw add/sub/dec");	\
		old = raw_cpu_xchg(var, (t)8);						\
		if (old != 7 || __this_cpu_cmpxchg(var, (t)8, (t)9) != 8 ||		\
		    raw_cpu_cmpxchg(var, (t)1, (t)2) != 9 ||				\
		    raw_cpu_cmpxchg(var, (t)9, (t)10) != 9 || this_cpu_read(var) != 10)	\
			err |= test_fail(#t ": raw/__this_cpu xchg and cmpxchg");	\
		__this_cpu_write(var, (t)4);						\
		raw_cpu_write(var, (t)4);						\
	} while (0)

void probe_this_cpu_inc(void);
void probe_this_cpu_inc_byte(void);
unsigned long probe_this_cpu_read(void);
DECLARE_PER_CPU(unsigned long, probe_counter);

static int ops_run(void)
{
	unsigned long before = this_cpu_read(probe_counter);
	int err = 0;

	probe_this_cpu_inc();
	probe_this_cpu_inc_byte();
	if (probe_this_cpu_read() != before + 1)
		err |= test_fail("probe_this_cpu_inc did not increment");
	if (!arch_atomics_code_ok())
		err |= test_fail("this_cpu_* code does not match the atomics in use (%s)",
				 arch_atomics_describe());

	CHECK_OPS(count8, uint8_t);
	CHECK_OPS(count16, uint16_t);
	CHECK_OPS(count32, uint32_t);
	CHECK_OPS(count64, uint64_t);
	run_note("%s", err ? "errors" : "all sizes ok");
	return err;
}
DEFINE_SMP_TEST("percpu-ops", ops_run, "this_cpu_* operations of 1, 2, 4 and 8 bytes",
		NULL, NULL);
