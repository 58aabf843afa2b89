/* smp.c - CPU numbering. Only the boot CPU runs for now: it is logical CPU 0. */
#include <pcpurt/smp.h>

static bool secondaries_started;

bool smp_started(void)
{
	return secondaries_started;
}

unsigned int smp_processor_id(void)
{
	return 0;
}
