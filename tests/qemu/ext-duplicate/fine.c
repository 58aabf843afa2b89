/* fine.c - a good workload beside the bad one: the build still fails, naming the other. */
#include <pcpurt/run.h>

static int fine_run(void)
{
	return 0;
}
DEFINE_WORKLOAD("fine", fine_run, "compiles, links, unique name");
