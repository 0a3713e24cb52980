/*
 * utest.h: what the test files of utest share beyond the framework
 * (../lib/ut.h).
 *
 * Interface: each t_*.c file offers one table of tests, struct utest
 * entries ending with a null name, listed in utest.c.
 */
#ifndef UTEST_H
#define UTEST_H

#include "../lib/ut.h"

#define UT_INIT		1	/* needs to be init: pid 1, console on fd 0-2 */

struct utest {
	const char *ut_name;
	void (*ut_fn)(void);
	int ut_flags;
};

extern const struct utest io_tests[];
extern const struct utest mem_tests[];
extern const struct utest proc_tests[];
extern const struct utest exec_tests[];
extern const struct utest fault_tests[];
extern const struct utest misc_tests[];
extern const struct utest signal_tests[];
extern const struct utest regs_tests[];
extern const struct utest lock_tests[];
extern const struct utest clone_tests[];
extern const struct utest poll_tests[];
extern const struct utest shm_tests[];
extern const struct utest vm_tests[];
extern const struct utest select_tests[];
extern const struct utest epoll_tests[];
extern const struct utest fs_tests[];
extern const struct utest procfs_tests[];
extern const struct utest time_tests[];
extern const struct utest jobctl_tests[];

/* True when running as the first process (pid 1, fds 0-2 the console). */
extern int ut_is_init;

/* regs.S: fill the registers from seed, spin, check; 0 or which changed. */
long regs_check(long seed, long loops, long nr);

#endif /* UTEST_H */
