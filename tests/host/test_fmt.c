/*
 * test_fmt.c: host tests for lib/fmt.c.
 *
 * Most cases are checked against the host's snprintf, which is the
 * behaviour fmt.h promises for the conversions it supports; %p is the
 * exception (always 0x and 16 digits) and is checked against fixed text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <limits.h>
#include <sys/types.h>
#include <cmocka.h>

#include <lib/fmt.h>

/*
 * Format with both implementations into generous buffers and compare the
 * text and the return value.  A macro, so the format stays a literal and
 * -Wformat checks the arguments of both calls.
 */
#define SAME(...) do {							\
	char _want[256], _got[256];					\
	int _wn = snprintf(_want, sizeof(_want), __VA_ARGS__);		\
	int _gn;							\
	memset(_got, 0x55, sizeof(_got));				\
	_gn = fmt_snprintf(_got, sizeof(_got), __VA_ARGS__);		\
	assert_string_equal(_got, _want);				\
	assert_int_equal(_gn, _wn);					\
} while (0)

static void
test_plain_text(void **state)
{
	SAME("%s", "");
	SAME("hello, world");
	SAME("100%% sure");
	SAME("%%%%");
	SAME("a%cb", 'x');
	SAME("%c%c%c", 'k', 'e', 'y');
}

static void
test_strings(void **state)
{
	const char *volatile nul = 0;	/* volatile: keep gcc from folding it */

	SAME("%s", "abc");
	SAME("[%s]", "");
	SAME("[%8s]", "abc");
	SAME("[%-8s]", "abc");
	SAME("[%2s]", "abcdef");
	SAME("[%-2s]", "abcdef");
	SAME("%s and %s", "this", "that");
	/* glibc prints (null) too; fmt.c does it on purpose. */
	SAME("[%s]", nul);
}

static void
test_signed(void **state)
{
	SAME("%d", 0);
	SAME("%d", 1);
	SAME("%d", -1);
	SAME("%i", 12345);
	SAME("%i", -12345);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%ld", LONG_MAX);
	SAME("%ld", LONG_MIN);
	SAME("%lld", LLONG_MAX);
	SAME("%lld", LLONG_MIN);
	SAME("%li", -9876543210L);
	SAME("%zd", (ssize_t)-42);
	SAME("%zd", (ssize_t)SSIZE_MAX);
}

static void
test_unsigned(void **state)
{
	SAME("%u", 0u);
	SAME("%u", 42u);
	SAME("%u", UINT_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%llu", ULLONG_MAX);
	SAME("%zu", (size_t)0);
	SAME("%zu", SIZE_MAX);
	SAME("%u %u", 0xffffffffu, 7u);
}

static void
test_hex(void **state)
{
	SAME("%x", 0u);
	SAME("%x", 0xdeadbeefu);
	SAME("%X", 0xdeadbeefu);
	SAME("%x", UINT_MAX);
	SAME("%lx", 0xffff800000000000UL);
	SAME("%lX", 0xffffffff80000000UL);
	SAME("%llx", ULLONG_MAX);
	SAME("%zx", (size_t)0x1000);
	SAME("%x-%X", 0xabcu, 0xabcu);
}

static void
test_width_and_flags(void **state)
{
	SAME("[%5d]", 42);
	SAME("[%-5d]", 42);
	SAME("[%05d]", 42);
	SAME("[%5d]", -42);
	SAME("[%-5d]", -42);
	SAME("[%05d]", -42);
	SAME("[%08d]", INT_MIN);
	SAME("[%2d]", 12345);
	SAME("[%02d]", -12345);
	SAME("[%1d]", 0);
	SAME("[%05u]", 7u);
	SAME("[%08x]", 0xbeefu);
	SAME("[%016lx]", 0x1234UL);
	SAME("[%-8X]", 0xbeefu);
	SAME("[%20lu]", ULONG_MAX);
	SAME("[%021ld]", LONG_MIN);
	SAME("[%30s]", "wide");
	SAME("[%-30s|%5d|%c|]", "mix", -3, 'z');
	/* '*': the width is an argument; a negative one left-justifies. */
	SAME("[%*d]", 6, 42);
	SAME("[%*s]", 11, "CPU0");
	SAME("[%*u]", -6, 7u);
	SAME("[%0*x]", 8, 0xbeefu);
	SAME("[%*d|%*s]", 3, 1, -4, "x");
}

/*
 * '-' wins over '0' (C11 7.21.6.1).  gcc warns that the '0' is ignored,
 * which is exactly the behaviour under test, so the warning is off here.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
static void
test_minus_beats_zero(void **state)
{
	SAME("[%-05u]", 7u);
	SAME("[%0-5u]", 7u);
	SAME("[%-05d]", -7);
	SAME("[%-08x]", 0xabu);
}
#pragma GCC diagnostic pop

static void
test_char_width(void **state)
{
	/* A field width applies to %c as to every other conversion. */
	SAME("[%3c]", 'x');
	SAME("[%-3c]", 'x');
}

/*
 * Every flag and width combination with edge values, formats built at run
 * time.  The '-' and '0' pair is left out: C gives it a meaning but gcc
 * would not have let a literal of it through, see above.
 */
static const char *const flags[] = { "", "-", "0" };

static void
check_int(const char *conv, int v)
{
	char f[16], want[64], got[64];
	unsigned i, w;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		for (w = 0; w <= 24; w++) {
			if (w == 0)
				snprintf(f, sizeof(f), "%%%s%s", flags[i], conv);
			else
				snprintf(f, sizeof(f), "%%%s%u%s", flags[i], w, conv);
			assert_int_equal(fmt_snprintf(got, sizeof(got), f, v),
			    snprintf(want, sizeof(want), f, v));
			assert_string_equal(got, want);
		}
}

static void
check_long(const char *conv, long v)
{
	char f[16], want[64], got[64];
	unsigned i, w;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		for (w = 0; w <= 24; w++) {
			if (w == 0)
				snprintf(f, sizeof(f), "%%%s%s", flags[i], conv);
			else
				snprintf(f, sizeof(f), "%%%s%u%s", flags[i], w, conv);
			assert_int_equal(fmt_snprintf(got, sizeof(got), f, v),
			    snprintf(want, sizeof(want), f, v));
			assert_string_equal(got, want);
		}
}

static void
test_table(void **state)
{
	static const int ints[] = { 0, 1, -1, 9, 10, -10, 255, 4096, 65535,
	    123456789, INT_MAX, INT_MIN, -2147483647 };
	static const long longs[] = { 0, 1, -1, 0x7f, 1L << 32, -(1L << 40),
	    0x0123456789abcdefL, LONG_MAX, LONG_MIN, (long)0xffff800000000000UL };
	static const char *const iconv[] = { "d", "i", "u", "x", "X" };
	static const char *const lconv[] = { "ld", "li", "lu", "lx", "lX",
	    "lld", "llu", "llx", "zu", "zx", "zd" };
	unsigned i, j;

	for (i = 0; i < sizeof(iconv) / sizeof(iconv[0]); i++)
		for (j = 0; j < sizeof(ints) / sizeof(ints[0]); j++)
			check_int(iconv[i], ints[j]);
	for (i = 0; i < sizeof(lconv) / sizeof(lconv[0]); i++)
		for (j = 0; j < sizeof(longs) / sizeof(longs[0]); j++)
			check_long(lconv[i], longs[j]);
}

static void
test_pointer(void **state)
{
	char buf[64];
	int n;

	/* %p: always "0x" and 16 zero-padded lower-case digits. */
	n = fmt_snprintf(buf, sizeof(buf), "%p", (void *)0x1234);
	assert_string_equal(buf, "0x0000000000001234");
	assert_int_equal(n, 18);
	n = fmt_snprintf(buf, sizeof(buf), "%p", (void *)0);
	assert_string_equal(buf, "0x0000000000000000");
	assert_int_equal(n, 18);
	n = fmt_snprintf(buf, sizeof(buf), "<%p>", (void *)0xffffffff8000abcdUL);
	assert_string_equal(buf, "<0xffffffff8000abcd>");
	assert_int_equal(n, 20);
}

static void
test_unknown_and_trailing(void **state)
{
	char buf[32];
	int n;

	/*
	 * Not valid printf, so built at run time to keep -Wformat quiet: an
	 * unknown conversion is shown as is, a lone '%' at the end is dropped.
	 */
	const char *volatile unknown = "a%qb";
	const char *volatile trailing = "ab%";

	n = fmt_snprintf(buf, sizeof(buf), unknown);
	assert_string_equal(buf, "a%qb");
	assert_int_equal(n, 4);
	n = fmt_snprintf(buf, sizeof(buf), trailing);
	assert_string_equal(buf, "ab");
	assert_int_equal(n, 2);
}

static void
test_truncation(void **state)
{
	char buf[16];
	size_t size;
	int n;

	/* Every buffer size from 1 to past the text, like snprintf. */
	for (size = 1; size <= sizeof(buf); size++) {
		char want[16];
		int wn;

		memset(buf, 'Z', sizeof(buf));
		n = fmt_snprintf(buf, size, "v=%d:%s", -1234, "tail");
		wn = snprintf(want, size, "v=%d:%s", -1234, "tail");
		assert_int_equal(n, 12);
		assert_int_equal(n, wn);
		assert_string_equal(buf, want);
		assert_int_equal(strlen(buf), size - 1 < 12 ? size - 1 : 12);
		/* Nothing written past the end of the buffer. */
		if (size < sizeof(buf))
			assert_int_equal(buf[size], 'Z');
	}
}

static void
test_size_zero(void **state)
{
	char buf[4] = { 'a', 'b', 'c', 'd' };
	int n;

	/* Size 0: nothing written, not even the NUL, length still returned. */
	n = fmt_snprintf(buf, 0, "%s-%d", "xyz", 99);
	assert_int_equal(n, 6);
	assert_memory_equal(buf, "abcd", 4);
	n = fmt_snprintf(NULL, 0, "%lu", ULONG_MAX);
	assert_int_equal(n, 20);
}

/* fmt_vformat through a custom sink: every character arrives, in order. */
struct collect {
	char buf[64];
	int n;
};

static void
collect_put(void *arg, char c)
{
	struct collect *cl = arg;

	assert_true(cl->n < (int)sizeof(cl->buf) - 1);
	cl->buf[cl->n++] = c;
	cl->buf[cl->n] = '\0';
}

static int
collect_format(struct collect *cl, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(collect_put, cl, fmt, ap);
	va_end(ap);
	return n;
}

static void
test_vformat_sink(void **state)
{
	struct collect cl = { .n = 0 };
	int n;

	n = collect_format(&cl, "%s=%04x%c", "cr3", 0x1fu, '!');
	assert_int_equal(n, 9);
	assert_int_equal(cl.n, 9);
	assert_string_equal(cl.buf, "cr3=001f!");

	/* A NUL from %c goes through the sink and is counted. */
	cl.n = 0;
	n = collect_format(&cl, "a%cb", '\0');
	assert_int_equal(n, 3);
	assert_int_equal(cl.n, 3);
	assert_memory_equal(cl.buf, "a\0b", 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_width_and_flags),
		cmocka_unit_test(test_minus_beats_zero),
		cmocka_unit_test(test_char_width),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_unknown_and_trailing),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_vformat_sink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
