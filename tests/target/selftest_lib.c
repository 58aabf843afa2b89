/* selftest_lib.c - boot-time tests of the runtime's own libc pieces: formatting, strings. */
#include <pcpurt/run.h>
#include <stdio.h>
#include <string.h>

static int expect(const char *got, const char *want)
{
	if (strcmp(got, want))
		return test_fail("got \"%s\", want \"%s\"", got, want);
	return 0;
}

static int test_printf(void)
{
	char b[64];
	int err = 0, n;

	snprintf(b, sizeof(b), "%d|%5d|%-5d|%05d|%+d", -42, 42, 42, -42, 7);
	err |= expect(b, "-42|   42|42   |-0042|+7");
	snprintf(b, sizeof(b), "%x|%#x|%08llx|%X|%o", 255u, 255u, 0xabcULL, 0xbeefu, 8u);
	err |= expect(b, "ff|0xff|00000abc|BEEF|10");
	snprintf(b, sizeof(b), "%s|%.2s|%4s|%-4s|%c", "abc", "abc", "ab", "ab", 'z');
	err |= expect(b, "abc|ab|  ab|ab  |z");
	snprintf(b, sizeof(b), "%zu|%ld|%lld|%hhu|%%", (size_t)123, -1L, -9000000000LL,
		 (unsigned char)300);
	err |= expect(b, "123|-1|-9000000000|44|%");
	snprintf(b, sizeof(b), "%*d|%.*d|%p", 4, 1, 3, 5, (void *)0x1000);
	err |= expect(b, "   1|005|0x1000");
	n = snprintf(b, 4, "%s", "truncate");
	err |= expect(b, "tru");
	if (n != 8)
		err |= test_fail("snprintf returned %d, want 8", n);
	return err;
}
DEFINE_TEST("printf", test_printf, "vsnprintf formats integers, strings, widths, truncation");

static int test_string(void)
{
	char a[32] = "0123456789";
	int err = 0;

	memmove(a + 2, a, 8);
	err |= expect(a, "0101234567");
	memmove(a, a + 2, 8);
	err |= expect(a, "0123456767");
	memset(a, 'x', 3);
	err |= expect(a, "xxx3456767");
	if (strcmp("abc", "abd") >= 0 || strncmp("abc", "abd", 2) || memcmp("a\0b", "a\0c", 3) >= 0)
		err |= test_fail("comparisons");
	if (strlen("hello") != 5 || strnlen("hello", 3) != 3 || strrchr("a/b/c", '/')[1] != 'c')
		err |= test_fail("lengths or search");
	if (!strstr("percpu-alloc", "alloc") || strstr("percpu", "xyz"))
		err |= test_fail("strstr");
	return err;
}
DEFINE_TEST("string", test_string, "memory and string functions");
