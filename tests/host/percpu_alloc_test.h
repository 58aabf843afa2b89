/*
 * percpu_alloc_test.h - small helpers shared by the per-CPU allocator host tests: CHECK()
 * that counts failures, a closing "N passed, N failed" line, and stdout capture to count
 * warning lines.
 */
#ifndef PERCPU_ALLOC_TEST_H
#define PERCPU_ALLOC_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long t_pass, t_fail;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			t_pass++;                                                                  \
		} else {                                                                           \
			t_fail++;                                                                  \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
			if (t_fail > 50)                                                           \
				exit(1);                                                           \
		}                                                                                  \
	} while (0)

static inline int t_finish(void)
{
	printf("%lu passed, %lu failed\n", t_pass, t_fail);
	return t_fail ? 1 : 0;
}

/* Capture stdout (where the host printk writes) into a temporary file. */
struct t_capture {
	int saved;
	FILE *f;
};

static inline void t_capture_start(struct t_capture *c)
{
	fflush(stdout);
	c->f = tmpfile();
	c->saved = dup(1);
	dup2(fileno(c->f), 1);
}

/* Stops capturing; returns the number of lines containing needle (copied to buf if given). */
static inline int t_capture_end(struct t_capture *c, const char *needle, char *buf, size_t len)
{
	char line[512];
	int n = 0;
	size_t used = 0;

	fflush(stdout);
	dup2(c->saved, 1);
	close(c->saved);
	rewind(c->f);
	if (buf && len)
		buf[0] = 0;
	while (fgets(line, sizeof(line), c->f)) {
		if (!needle || strstr(line, needle))
			n++;
		if (buf && used + strlen(line) + 1 < len) {
			strcpy(buf + used, line);
			used += strlen(line);
		}
	}
	fclose(c->f);
	return n;
}

#endif
