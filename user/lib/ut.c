/*
 * ut.c: the test framework shared by utest and the hostile suite (ut.h):
 * verdicts, names for results and wait statuses, children run with a
 * deadline, time, data.txt, and the fault probes both suites use.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include "ut.h"

int ut_cur_failed, ut_cur_skipped;
char ut_cur_detail[512];
int ut_detail_fd = -1;

static void
vformat(char *buf, size_t n, const char *fmt, va_list ap)
{
	vsnprintf(buf, n, fmt, ap);
	/* One TAP line: no newline may end up inside a detail. */
	for (char *p = buf; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

void
ut_write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		long r = sys_write(fd, s, n);

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
	ut_write_all(1, buf, strlen(buf));
}

void
ut_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (ut_cur_failed)
		return;
	ut_cur_failed = 1;
	va_start(ap, fmt);
	vformat(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(ut_cur_detail, sizeof ut_cur_detail, "%s:%d: %s", file, line, msg);
}

void
ut_skip(const char *why)
{
	ut_cur_skipped = 1;
	snprintf(ut_cur_detail, sizeof ut_cur_detail, "%s", why);
}

void
ut_child_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[400], buf[512];
	va_list ap;

	va_start(ap, fmt);
	vformat(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ut_detail_fd < 0)
		snprintf(buf, sizeof buf, "# child %ld: %s:%d: %s\n", sys_getpid(), file, line, msg);
	else
		snprintf(buf, sizeof buf, "child %ld: %s:%d: %s; ", sys_getpid(), file, line, msg);
	ut_write_all(ut_detail_fd < 0 ? 1 : ut_detail_fd, buf, strlen(buf));
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
	[EPIPE] = "EPIPE", [ERANGE] = "ERANGE", [ENAMETOOLONG] = "ENAMETOOLONG",
	[ENOSYS] = "ENOSYS", [ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP",
	[EOVERFLOW] = "EOVERFLOW", [ETIMEDOUT] = "ETIMEDOUT", [EXDEV] = "EXDEV",
	[ENODATA] = "ENODATA", [EOPNOTSUPP] = "EOPNOTSUPP",
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
	static char buf[8][48];
	static int next;
	char *b = buf[next++ % 8];

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
ut_free_bytes(void)
{
	struct sysinfo si;

	if (sys_sysinfo(&si) != 0)
		return -1;
	return (long)si.freeram * (si.mem_unit ? si.mem_unit : 1);
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
ut_wait_ms(long pid, int *status, long timeout_ms)
{
	long long deadline = ut_now_ns() + timeout_ms * 1000000LL;
	long r;

	for (int i = 0;; i++) {
		r = sys_wait4(pid, status, WNOHANG);
		if (r != 0)
			return r == pid ? 0 : (r < 0 ? r : -ECHILD);
		if (ut_now_ns() > deadline)
			break;
		/* Give a runnable child the CPU first; then poll every ms, later every 10. */
		if (i < 4)
			sys0(SYS_sched_yield);
		else
			ut_sleep_ms(i < 1000 ? 1 : 10);
	}
	sys_kill(pid, SIGKILL);
	sys_wait4(pid, status, 0);
	return -ETIMEDOUT;
}

long
ut_wait(long pid, int *status)
{
	return ut_wait_ms(pid, status, UT_TIMEOUT_MS);
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

/* ---- fault probes ---- */

void ut_probe_ud2(void *a) { (void)a; __asm__ volatile("ud2"); }
void ut_probe_int3(void *a) { (void)a; __asm__ volatile("int3"); }

void
ut_probe_div_zero(void *a)
{
	unsigned int lo = 1, hi = 0, d = 0;

	(void)a;
	__asm__ volatile("divl %2" : "+a"(lo), "+d"(hi) : "r"(d));
}

void
ut_probe_idiv_overflow(void *a)
{
	/* INT64_MIN / -1 does not fit: also a divide error. */
	long lo = (long)0x8000000000000000UL, hi = -1, d = -1;

	(void)a;
	__asm__ volatile("idivq %2" : "+a"(lo), "+d"(hi) : "r"(d));
}

static volatile int recurse_forever = 1;

static int
recurse(volatile char *prev, int depth)
{
	volatile char frame[512];

	frame[0] = prev ? prev[0] + 1 : 0;
	if (!recurse_forever)
		return 0;
	/* Not a tail call: the result is used after it returns. */
	return recurse(frame, depth + 1) + frame[depth & 511];
}

void
ut_probe_stack_overflow(void *a)
{
	(void)a;
	recurse(0, 0);
}
