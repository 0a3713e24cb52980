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
 * failed, 1 otherwise.  The framework the tests use (utest.h) is here too.
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
};

/* The state of the running test. */
static int cur_failed, cur_skipped;
static char cur_detail[512];

static void
ut_vformat(char *buf, size_t n, const char *fmt, va_list ap)
{
	vsnprintf(buf, n, fmt, ap);
	/* One TAP line: no newline may end up inside the detail. */
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

static void
ut_write_all(const char *s, size_t n)
{
	while (n > 0) {
		long r = sys_write(1, s, n);
		if (r <= 0)
			return;
		s += r;
		n -= r;
	}
}

void
ut_print(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ut_write_all(buf, strlen(buf));
}

void
ut_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (cur_failed)
		return;
	cur_failed = 1;
	va_start(ap, fmt);
	ut_vformat(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(cur_detail, sizeof cur_detail, "%s:%d: %s", file, line, msg);
}

void
ut_skip(const char *why)
{
	cur_skipped = 1;
	snprintf(cur_detail, sizeof cur_detail, "%s", why);
}

void
ut_child_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	ut_vformat(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ut_print("# child %ld: %s:%d: %s\n", sys_getpid(), file, line, msg);
	sys_exit_group(1);
}

static const char *const errnames[] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
	[EINTR] = "EINTR", [EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG",
	[ENOEXEC] = "ENOEXEC", [EBADF] = "EBADF", [ECHILD] = "ECHILD",
	[EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM", [EACCES] = "EACCES",
	[EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
	[ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
	[EINVAL] = "EINVAL", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
	[ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE", [EROFS] = "EROFS",
	[ERANGE] = "ERANGE", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOSYS] = "ENOSYS", [ELOOP] = "ELOOP", [EOVERFLOW] = "EOVERFLOW",
	[ETIMEDOUT] = "ETIMEDOUT",
};

const char *
ut_errname(int err)
{
	static char buf[4][16];
	static int next;
	char *b;

	if (err > 0 && err < (int)(sizeof errnames / sizeof errnames[0]) && errnames[err])
		return errnames[err];
	b = buf[next++ % 4];
	snprintf(b, sizeof buf[0], "errno %d", err);
	return b;
}

const char *
ut_rstr(long r)
{
	static char buf[4][48];
	static int next;
	char *b = buf[next++ % 4];

	if (r < 0 && r >= -4095)
		snprintf(b, sizeof buf[0], "-%s", ut_errname(-r));
	else if (r > 0xffff || r < -0xffff)
		snprintf(b, sizeof buf[0], "%#lx", r);
	else
		snprintf(b, sizeof buf[0], "%ld", r);
	return b;
}

const char *
ut_signame(int sig)
{
	static const char *const names[] = {
		[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
		[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
		[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
		[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
		[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
		[SIGCHLD] = "SIGCHLD", [SIGSYS] = "SIGSYS",
	};
	static char buf[4][16];
	static int next;
	char *b;

	if (sig > 0 && sig < (int)(sizeof names / sizeof names[0]) && names[sig])
		return names[sig];
	b = buf[next++ % 4];
	snprintf(b, sizeof buf[0], "signal %d", sig);
	return b;
}

const char *
ut_status_str(int st)
{
	static char buf[4][64];
	static int next;
	char *b = buf[next++ % 4];

	if (WIFEXITED(st))
		snprintf(b, sizeof buf[0], "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(b, sizeof buf[0], "killed by %s%s",
		    ut_signame(WTERMSIG(st)), WCOREDUMP(st) ? " (core)" : "");
	else
		snprintf(b, sizeof buf[0], "status %#x", st);
	return b;
}

long long
ut_now_ns(void)
{
	struct timespec ts;

	if (sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) != 0)
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void
ut_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	sys2(SYS_nanosleep, &ts, 0);
}

long
ut_spawn(void (*fn)(void *), void *arg)
{
	long pid = sys_fork();

	if (pid == 0) {
		fn(arg);
		sys_exit_group(0);
	}
	return pid;
}

long
ut_wait(long pid, int *status)
{
	long long deadline = ut_now_ns() + UT_TIMEOUT_MS * 1000000LL;
	long r;

	for (int i = 0;; i++) {
		r = sys_wait4(pid, status, WNOHANG);
		if (r != 0)
			return r == pid ? 0 : (r < 0 ? r : -ECHILD);
		if (ut_now_ns() > deadline)
			break;
		/* Give a runnable child the CPU first; then poll every ms. */
		if (i < 4)
			sys0(SYS_sched_yield);
		else
			ut_sleep_ms(1);
	}
	sys_kill(pid, SIGKILL);
	sys_wait4(pid, status, 0);
	return -ETIMEDOUT;
}

long
ut_run(void (*fn)(void *), void *arg, int *status)
{
	long pid = ut_spawn(fn, arg);

	if (pid < 0)
		return pid;
	return ut_wait(pid, status);
}

int
ut_expect_exit(const char *file, int line, void (*fn)(void *), void *arg, int code)
{
	int st = 0;
	long r = ut_run(fn, arg, &st);

	if (r < 0) {
		ut_fail(file, line, "running the child: %s", ut_rstr(r));
		return 0;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != code) {
		ut_fail(file, line, "child %s, want exited %d", ut_status_str(st), code);
		return 0;
	}
	return 1;
}

int
ut_expect_signal(const char *file, int line, void (*fn)(void *), void *arg, int sig)
{
	int st = 0;
	long r = ut_run(fn, arg, &st);

	if (r < 0) {
		ut_fail(file, line, "running the child: %s", ut_rstr(r));
		return 0;
	}
	if (!WIFSIGNALED(st) || WTERMSIG(st) != sig) {
		ut_fail(file, line, "child %s, want killed by %s",
		    ut_status_str(st), ut_signame(sig));
		return 0;
	}
	return 1;
}

char
ut_data_byte(long off)
{
	static const char text[] = "the quick brown fox jumps over the lazy dog\n";
	long line = off / DATA_LINE_LEN, col = off % DATA_LINE_LEN;

	_Static_assert(2 + 2 + sizeof text - 1 == DATA_LINE_LEN, "data.txt line");
	if (col == 0)
		return '0' + line / 10;
	if (col == 1)
		return '0' + line % 10;
	if (col == 2)
		return ':';
	if (col == 3)
		return ' ';
	return text[col - 4];
}

long
ut_data_mismatch(const void *buf, long off, long n)
{
	const char *p = buf;

	for (long i = 0; i < n; i++)
		if (p[i] != ut_data_byte(off + i))
			return i;
	return -1;
}

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
			cur_failed = cur_skipped = 0;
			cur_detail[0] = '\0';
			if ((u->ut_flags & UT_INIT) && !ut_is_init)
				ut_skip("not running as init");
			else
				u->ut_fn();
			reap_strays();
			if (cur_failed) {
				failed++;
				ut_print("not ok %d - %s # %s\n", num, u->ut_name, cur_detail);
			} else if (cur_skipped) {
				skipped++;
				ut_print("ok %d - %s # SKIP %s\n", num, u->ut_name, cur_detail);
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
