/*
 * utest.h: the framework shared by the test files of utest.
 *
 * Interface: each t_*.c file offers one table of tests, struct utest
 * entries ending with a null name, listed in utest.c.  A test is a
 * function that returns on its first failed check (CHECK*, which records
 * a one-line detail) and otherwise passes.  What may crash, hang or
 * exit runs in a child (ut_run / CHECK_EXIT / CHECK_SIGNAL) whose wait
 * status the parent judges; a child reports a failed check of its own
 * with CCHECK, which prints "# child: ..." and exits 1.
 *
 * All output goes to fd 1 with raw write()s, never through stdio: stdio
 * buffers would be duplicated by fork, and a child must be able to print
 * and _exit without flushing anything.
 */
#ifndef UTEST_H
#define UTEST_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include "sys.h"

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

/* True when running as the first process (pid 1, fds 0-2 the console). */
extern int ut_is_init;

/* Page size on x86-64; the tests do not depend on AT_PAGESZ. */
#define PGSIZE		4096UL

/* Record the running test's failure (first one wins). */
void ut_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Mark the running test as skipped. */
void ut_skip(const char *why);
/* Write formatted text to fd 1 (raw write, retried until complete). */
void ut_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "-ENOENT" for a small negative value, else the number. */
const char *ut_rstr(long r);
const char *ut_errname(int err);
const char *ut_signame(int sig);
/* "exited 3" or "killed by SIGSEGV" for a wait status. */
const char *ut_status_str(int status);

/* In a child: report a failure on fd 1 and exit 1. */
void ut_child_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/*
 * Fork; the child runs fn(arg) and exits 0 if fn returns.  Returns the
 * child's pid, or -errno from fork.
 */
long ut_spawn(void (*fn)(void *), void *arg);
/*
 * Wait for pid with a deadline (UT_TIMEOUT_MS), polling wait4 with
 * WNOHANG, so that a child that never ends is killed and reported instead
 * of hanging the whole run.  Returns 0 with *status set, -ETIMEDOUT when
 * the child had to be killed, or wait4's -errno.
 */
#define UT_TIMEOUT_MS	20000
long ut_wait(long pid, int *status);
/* ut_spawn + ut_wait; 0 or -errno. */
long ut_run(void (*fn)(void *), void *arg, int *status);
/* Run fn in a child; check it exited with code / was killed by sig. */
int ut_expect_exit(const char *file, int line, void (*fn)(void *), void *arg, int code);
int ut_expect_signal(const char *file, int line, void (*fn)(void *), void *arg, int sig);

/* CLOCK_MONOTONIC in ns, and a nanosleep, both raw. */
long long ut_now_ns(void);
void ut_sleep_ms(long ms);

/* The contents of /test/data.txt: DATA_LINES lines of DATA_LINE_LEN bytes. */
#define DATA_PATH	"/test/data.txt"
#define DATA_LINES	100
#define DATA_LINE_LEN	48
#define DATA_SIZE	(DATA_LINES * DATA_LINE_LEN)
/* The expected byte at offset off of data.txt. */
char ut_data_byte(long off);
/* Compare n bytes at buf with data.txt from offset off; -1 or the first mismatch. */
long ut_data_mismatch(const void *buf, long off, long n);

/* regs.S: fill the registers from seed, spin, check; 0 or which changed. */
long regs_check(long seed, long loops, long nr);

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		ut_fail(__FILE__, __LINE__, __VA_ARGS__);		\
		return;							\
	}								\
} while (0)

/* expr must equal want (both taken as long). */
#define CHECK_EQ(expr, want) do {					\
	long _r = (long)(expr), _w = (long)(want);			\
	if (_r != _w) {							\
		ut_fail(__FILE__, __LINE__, "%s = %s, want %s",		\
		    #expr, ut_rstr(_r), ut_rstr(_w));			\
		return;							\
	}								\
} while (0)

/* expr must fail with err (a raw syscall result of -err). */
#define CHECK_ERR(expr, err)	CHECK_EQ(expr, -(long)(err))

/* expr must succeed (not in [-4095, -1]); its value is left in var. */
#define CHECK_OK(var, expr) do {					\
	(var) = (expr);							\
	if (sys_iserr((long)(var))) {					\
		ut_fail(__FILE__, __LINE__, "%s = %s",			\
		    #expr, ut_rstr((long)(var)));			\
		return;							\
	}								\
} while (0)

#define CHECK_EXIT(fn, arg, code) do {					\
	if (!ut_expect_exit(__FILE__, __LINE__, (fn), (arg), (code)))	\
		return;							\
} while (0)

#define CHECK_SIGNAL(fn, arg, sig) do {					\
	if (!ut_expect_signal(__FILE__, __LINE__, (fn), (arg), (sig)))	\
		return;							\
} while (0)

/* For use in a child: on failure print why and exit 1. */
#define CCHECK(cond, ...) do {						\
	if (!(cond))							\
		ut_child_fail(__FILE__, __LINE__, __VA_ARGS__);		\
} while (0)

#define CCHECK_EQ(expr, want) do {					\
	long _r = (long)(expr), _w = (long)(want);			\
	if (_r != _w)							\
		ut_child_fail(__FILE__, __LINE__, "%s = %s, want %s",	\
		    #expr, ut_rstr(_r), ut_rstr(_w));			\
} while (0)

#endif /* UTEST_H */
