/* same_name.c - a workload that takes the name of an example in workloads/ (a link error). */
#include <pcpurt/run.h>

static int same_name_run(void)
{
	return 0;
}
DEFINE_WORKLOAD("trace-rings", same_name_run, "a second entry named trace-rings");
