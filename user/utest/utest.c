/*
 * utest.c: the test runner: runs every table of tests and prints TAP.
 *
 * Usage: /test/utest, as init (the first process: pid 1, fds 0-2 the
 * console) or as an ordinary process; tests that only make sense as init
 * are then reported as skipped.  Output on fd 1:
 *
 *	1..N
 *	ok 1 - name
 *	not ok 2 - name # file.c:123: what was wrong
 *	ok 3 - name # SKIP why
 *	utest: 2 passed, 1 failed
 *
 * (", N skipped" follows when some were.)  Exit status 0 when nothing
 * failed, 1 otherwise.  The framework the tests use is ../lib/ut.c.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include "utest.h"

int ut_is_init;

static const struct utest *const tables[] = {
	misc_tests, io_tests, mem_tests, proc_tests, exec_tests, fault_tests,
	signal_tests, regs_tests, lock_tests, clone_tests, poll_tests, shm_tests, vm_tests,
	select_tests, epoll_tests, fs_tests, procfs_tests, time_tests, jobctl_tests,
};

/* Reap zombies a test left behind, so that none is found by a later wait. */
static void
reap_strays(void)
{
	int st;

	while (sys_wait4(-1, &st, WNOHANG) > 0)
		;
}

int
main(void)
{
	int n = 0, num = 0, passed = 0, failed = 0, skipped = 0;

	ut_is_init = sys_getpid() == 1;
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct utest *u = tables[t]; u->ut_name; u++)
			n++;
	ut_print("1..%d\n", n);
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		for (const struct utest *u = tables[t]; u->ut_name; u++) {
			num++;
			ut_cur_failed = ut_cur_skipped = 0;
			ut_cur_detail[0] = '\0';
			if ((u->ut_flags & UT_INIT) && !ut_is_init)
				ut_skip("not running as init");
			else
				u->ut_fn();
			reap_strays();
			if (ut_cur_failed) {
				failed++;
				ut_print("not ok %d - %s # %s\n", num, u->ut_name, ut_cur_detail);
			} else if (ut_cur_skipped) {
				skipped++;
				ut_print("ok %d - %s # SKIP %s\n", num, u->ut_name, ut_cur_detail);
			} else {
				passed++;
				ut_print("ok %d - %s\n", num, u->ut_name);
			}
		}
	}
	if (skipped)
		ut_print("utest: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	else
		ut_print("utest: %d passed, %d failed\n", passed, failed);
	/* exit_group directly: nothing is buffered, and init must not return. */
	sys_exit_group(failed ? 1 : 0);
}
