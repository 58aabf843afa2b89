/* broken.c - a workload that does not compile (the build must say which file). */
#include <pcpurt/run.h>

static int broken_run(void)
{
	return no_such_variable;
}
DEFINE_WORKLOAD("broken", broken_run, "does not compile");
