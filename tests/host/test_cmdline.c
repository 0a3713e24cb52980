/*
 * test_cmdline.c: the kernel command-line lookups (kernel/cmdline.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <keel/cmdline.h>

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

static void
test_init_args(void **state)
{
	static const char *const known[] = { "init", "audit", 0 };
	char *argv[4] = { "/init", 0 }, *envp[4] = { "HOME=/", 0 };
	int argc = 1, envc = 1;

	cmdline_init("init=/x audit=switch !dos FOO=1 mod.opt=2 a b -- c=3 init");
	cmdline_init_args(known, argv, &argc, 4, envp, &envc, 4);
	/* Kept: "/init !dos a"; "b" and the words after "--" find no room. */
	assert_int_equal(argc, 3);
	assert_string_equal(argv[1], "!dos");
	assert_string_equal(argv[2], "a");
	assert_null(argv[3]);
	assert_int_equal(envc, 2);
	assert_string_equal(envp[1], "FOO=1");
	assert_null(envp[2]);
	/* After "--" everything is init's, even KEY=value and known names. */
	argc = 1;
	cmdline_init("audit -- c=3 init");
	cmdline_init_args(known, argv, &argc, 4, envp, &envc, 4);
	assert_int_equal(argc, 3);
	assert_string_equal(argv[1], "c=3");
	assert_string_equal(argv[2], "init");
	assert_false(cmdline_has("c"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_absent_and_prefixes),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_init_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
