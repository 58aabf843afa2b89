/*
 * params.c - boot parameters from /chosen/bootargs: space-separated `name=value` or `name`
 * words, each handed to the DEFINE_BOOT_PARAM handler of that name. Unknown names are
 * reported and ignored (as Linux does); a value a handler rejects fails the run later.
 */
#include <pcpurt/run.h>
#include <pcpurt/printk.h>
#include <string.h>

extern const struct boot_param __param_start[], __param_end[];

static char cmdline_copy[1024];

int parse_boot_params(const char *cmdline)
{
	char *p = cmdline_copy, *word;
	int bad = 0;

	if (!cmdline)
		return 0;
	if (strlcpy(cmdline_copy, cmdline, sizeof(cmdline_copy)) >= sizeof(cmdline_copy))
		pr_warn("boot: command line longer than %zu bytes, truncated\n",
			sizeof(cmdline_copy) - 1);
	while (*p) {
		const struct boot_param *bp;
		char *eq, *val;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		word = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
		eq = strchr(word, '=');
		val = eq ? eq + 1 : word + strlen(word);
		if (eq)
			*eq = '\0';
		for (bp = __param_start; bp < __param_end; bp++)
			if (!strcmp(bp->name, word))
				break;
		if (bp == __param_end) {
			pr_warn("boot: unknown parameter \"%s\" ignored\n", word);
			continue;
		}
		if (bp->set(val)) {
			pr_err("boot: bad value \"%s\" for %s\n", val, word);
			bad++;
		}
	}
	return bad;
}
