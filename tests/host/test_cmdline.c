/*
 * test_cmdline.c: the kernel command-line lookups (kernel/cmdline.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "kernel/cmdline.h"

static void
test_values(void **state)
{
	char buf[32];

	cmdline_init("  init=/bin/sh quiet ktest=all,pmm*  x=1 x=2");
	assert_true(cmdline_get("init", buf, sizeof(buf)));
	assert_string_equal(buf, "/bin/sh");
	assert_true(cmdline_get("ktest", buf, sizeof(buf)));
	assert_string_equal(buf, "all,pmm*");
	/* The last occurrence wins, as on Linux. */
	assert_true(cmdline_get("x", buf, sizeof(buf)));
	assert_string_equal(buf, "2");
	assert_true(cmdline_get("quiet", buf, sizeof(buf)));
	assert_string_equal(buf, "");
}

static void
test_absent_and_prefixes(void **state)
{
	char buf[8];

	cmdline_init("initrd=x crashy nokaslr");
	assert_false(cmdline_get("init", buf, sizeof(buf)));	/* not a prefix match */
	assert_false(cmdline_has("crash"));
	assert_true(cmdline_has("nokaslr"));
	assert_false(cmdline_has("kaslr"));
	cmdline_init("");
	assert_false(cmdline_has("init"));
}

static void
test_truncation(void **state)
{
	char buf[4];

	cmdline_init("init=/sbin/init");
	assert_true(cmdline_get("init", buf, sizeof(buf)));
	assert_string_equal(buf, "/sb");
}

static void
test_overlong_line(void **state)
{
	char line[2000], buf[16];

	memset(line, 'a', sizeof(line));
	line[sizeof(line) - 1] = 0;
	memcpy(line, "k=v ", 4);
	cmdline_init(line);		/* cut to the boot protocol's 511 chars */
	assert_true(cmdline_get("k", buf, sizeof(buf)));
	assert_string_equal(buf, "v");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_absent_and_prefixes),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_overlong_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
