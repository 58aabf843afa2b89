/*
 * test_util.h - what the small host test programs share: a failure count, the EXPECT,
 * EXPECT_EQ and EXPECT_STR checks (a failed check prints file, line and values and counts,
 * the test goes on), and, with TEST_CAPTURE_PRINTK defined before inclusion, a printk that
 * appends to the buffer cap[] instead of printing (cap_reset() empties it).
 * Include once per test program.
 */
#ifndef TESTS_HOST_TEST_UTIL_H
#define TESTS_HOST_TEST_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcpurt/compiler.h>
#include <pcpurt/printk.h>

static int failures;

#define EXPECT(cond)								\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__,	\
				#cond);						\
			failures++;						\
		}								\
	} while (0)

#define EXPECT_EQ(a, b)								\
	do {									\
		unsigned long long a_ = (unsigned long long)(a);		\
		unsigned long long b_ = (unsigned long long)(b);		\
		if (a_ != b_) {							\
			fprintf(stderr, "%s:%d: FAILED: %s == %s (%llu != %llu, 0x%llx != 0x%llx)\n", \
				__FILE__, __LINE__, #a, #b, a_, b_, a_, b_);	\
			failures++;						\
		}								\
	} while (0)

#define EXPECT_STR(a, b)							\
	do {									\
		const char *a_ = (a), *b_ = (b);				\
		if (strcmp(a_, b_)) {						\
			fprintf(stderr, "%s:%d: FAILED: %s\n-- got:\n%s-- want:\n%s--\n",	\
				__FILE__, __LINE__, #a, a_, b_);		\
			failures++;						\
		}								\
	} while (0)

#ifdef TEST_CAPTURE_PRINTK
static char cap[1 << 16];
static size_t cap_len;

int vprintk(const char *fmt, va_list ap)
{
	int n = vsnprintf(cap + cap_len, sizeof(cap) - cap_len, fmt, ap);

	if (n > 0)
		cap_len = MIN(cap_len + n, sizeof(cap) - 1);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static __unused void cap_reset(void)
{
	cap_len = 0;
	cap[0] = '\0';
}
#endif

#endif
