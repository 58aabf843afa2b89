/*
 * percpu_probe.c - tiny functions whose disassembly shows what this_cpu_* cost on each
 * arch (tools/percpu-disasm.sh prints them; docs/percpu.md records the counts). Also
 * called once by the percpu-ops test so they are not dead code.
 */
#include <pcpurt/percpu.h>

DEFINE_PER_CPU(unsigned long, probe_counter);
DEFINE_PER_CPU(uint8_t, probe_byte);

void probe_this_cpu_inc(void);
void probe_this_cpu_inc_byte(void);
unsigned long probe_this_cpu_read(void);

void probe_this_cpu_inc(void)
{
	this_cpu_inc(probe_counter);
}

void probe_this_cpu_inc_byte(void)
{
	this_cpu_inc(probe_byte);
}

unsigned long probe_this_cpu_read(void)
{
	return this_cpu_read(probe_counter);
}
