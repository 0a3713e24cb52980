/*
 * ut.h: the test framework shared by utest and the hostile suite.
 *
 * A test (a case) is a function that returns on its first failed check
 * (CHECK*, which records a one-line detail through ut_fail) and otherwise
 * passes.  What may crash, hang or exit runs in a child (ut_run,
 * CHECK_EXIT, CHECK_SIGNAL) whose wait status the test judges; a child
 * reports a failed check of its own with CCHECK, which says why and exits 1.
 * Each runner (utest.c, hostile.c) reads ut_cur_* after a test to print
 * its TAP line.
 *
 * All output goes out with raw write()s, never through stdio: stdio
 * buffers would be duplicated by fork, and a child must be able to print
 * and _exit without flushing anything.
 */
#ifndef USER_UT_H
#define USER_UT_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include "sys.h"

/* Page size on x86-64; the tests do not depend on AT_PAGESZ. */
#define PGSIZE		4096UL

/* /test/data.txt: DATA_LINES lines of DATA_LINE_LEN bytes, "00: the quick brown fox ...". */
#define DATA_PATH	"/test/data.txt"
#define DATA_LINES	100
#define DATA_LINE_LEN	48
#define DATA_SIZE	(DATA_LINES * DATA_LINE_LEN)

/* The running test's verdict so far; the runner clears them before each. */
extern int ut_cur_failed, ut_cur_skipped;
extern char ut_cur_detail[512];
/*
 * Where a child's failure goes: -1 (the default) prints it on fd 1 as a
 * TAP comment; a runner that collects details through a pipe sets the pipe.
 */
extern int ut_detail_fd;

/* Record the running test's failure (first one wins); mark it skipped. */
void ut_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ut_skip(const char *why);
/* In a child: report a failure (ut_detail_fd) and exit 1. */
void ut_child_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));
/* Write formatted text to fd 1 (raw write, retried until complete). */
void ut_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ut_write_all(int fd, const char *s, size_t n);

/* "-ENOENT" for a small negative value, else the number. */
const char *ut_rstr(long r);
const char *ut_errname(int err);
const char *ut_signame(int sig);
/* "exited 3" or "killed by SIGSEGV" for a wait status. */
const char *ut_status_str(int status);

/*
 * Fork; the child runs fn(arg) and exits 0 if fn returns.  Returns the
 * child's pid, or -errno from fork.
 */
long ut_spawn(void (*fn)(void *), void *arg);
/*
 * Wait for pid with a deadline, polling wait4 with WNOHANG, so that a
 * child that never ends is killed and reported instead of hanging the
 * whole run.  Returns 0 with *status set, -ETIMEDOUT when the child had
 * to be killed, or wait4's -errno.  ut_wait's deadline is UT_TIMEOUT_MS.
 */
#define UT_TIMEOUT_MS	20000
long ut_wait_ms(long pid, int *status, long timeout_ms);
long ut_wait(long pid, int *status);
/* ut_spawn + ut_wait; 0 or -errno. */
long ut_run(void (*fn)(void *), void *arg, int *status);
/* Run fn in a child; check it exited with code / was killed by sig. */
int ut_expect_exit(const char *file, int line, void (*fn)(void *), void *arg, int code);
int ut_expect_signal(const char *file, int line, void (*fn)(void *), void *arg, int sig);

/* CLOCK_MONOTONIC in ns, and a nanosleep, both raw. */
long long ut_now_ns(void);
void ut_sleep_ms(long ms);
/* sysinfo's free RAM in bytes, or -1. */
long ut_free_bytes(void);

/* The expected byte at offset off of data.txt. */
char ut_data_byte(long off);
/* Compare n bytes at buf with data.txt from offset off; -1 or the first mismatch. */
long ut_data_mismatch(const void *buf, long off, long n);

/*
 * Children that end in a CPU exception, for CHECK_SIGNAL: ud2 and int3
 * (SIGILL, SIGTRAP), divide by zero and INT64_MIN / -1 (SIGFPE), and
 * unbounded recursion (SIGSEGV at the stack's guard gap).
 */
void ut_probe_ud2(void *a);
void ut_probe_int3(void *a);
void ut_probe_div_zero(void *a);
void ut_probe_idiv_overflow(void *a);
void ut_probe_stack_overflow(void *a);

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

/* For use in a child: on failure say why and exit 1. */
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

#endif /* USER_UT_H */
