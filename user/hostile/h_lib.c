/*
 * h_lib.c: the helpers of the hostile suite (hostile.h): names for results
 * and wait statuses, time, running grandchildren with a deadline, signal
 * handlers without libc, and the addresses no process may use.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include "hostile.h"

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
	[EOVERFLOW] = "EOVERFLOW", [ETIMEDOUT] = "ETIMEDOUT",
};

const char *
h_rstr(long r)
{
	static char buf[8][48];
	static int next;
	char *b = buf[next++ % 8];

	if (r < 0 && r >= -4095) {
		if (-r < (long)(sizeof errnames / sizeof errnames[0]) && errnames[-r])
			snprintf(b, sizeof buf[0], "-%s", errnames[-r]);
		else
			snprintf(b, sizeof buf[0], "-errno %ld", -r);
	} else if (r > 0xffff || r < -0xffff) {
		snprintf(b, sizeof buf[0], "%#lx", r);
	} else {
		snprintf(b, sizeof buf[0], "%ld", r);
	}
	return b;
}

const char *
h_signame(int sig)
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
h_status_str(int st)
{
	static char buf[4][64];
	static int next;
	char *b = buf[next++ % 4];

	if (WIFEXITED(st))
		snprintf(b, sizeof buf[0], "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(b, sizeof buf[0], "killed by %s", h_signame(WTERMSIG(st)));
	else
		snprintf(b, sizeof buf[0], "status %#x", st);
	return b;
}

long long
h_now_ns(void)
{
	struct timespec ts;

	if (sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) != 0)
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void
h_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	sys2(SYS_nanosleep, &ts, 0);
}

long
h_free_bytes(void)
{
	struct sysinfo si;

	if (sys_sysinfo(&si) != 0)
		return -1;
	return (long)si.freeram * (si.mem_unit ? si.mem_unit : 1);
}

long
h_spawn(void (*fn)(void *), void *arg)
{
	long pid = sys_fork();

	if (pid == 0) {
		fn(arg);
		sys_exit_group(0);
	}
	return pid;
}

long
h_wait_ms(long pid, int *status, long timeout_ms)
{
	long long deadline = h_now_ns() + timeout_ms * 1000000LL;
	long r;

	for (int i = 0;; i++) {
		r = sys_wait4(pid, status, WNOHANG);
		if (r != 0)
			return r == pid ? 0 : (r < 0 ? r : -ECHILD);
		if (h_now_ns() > deadline)
			break;
		/* Give a runnable child the CPU first; then poll every ms. */
		if (i < 4)
			sys0(SYS_sched_yield);
		else
			h_sleep_ms(i < 1000 ? 1 : 10);
	}
	sys_kill(pid, SIGKILL);
	sys_wait4(pid, status, 0);
	return -ETIMEDOUT;
}

long
h_wait(long pid, int *status)
{
	return h_wait_ms(pid, status, H_TIMEOUT_MS);
}

long
h_run(void (*fn)(void *), void *arg, int *status)
{
	long pid = h_spawn(fn, arg);

	if (pid < 0)
		return pid;
	return h_wait(pid, status);
}

int
h_expect_exit(const char *file, int line, void (*fn)(void *), void *arg, int code)
{
	int st = 0;
	long r = h_run(fn, arg, &st);

	if (r < 0) {
		h_fail(file, line, "running the grandchild: %s", h_rstr(r));
		return 0;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != code) {
		h_fail(file, line, "grandchild %s, want exited %d", h_status_str(st), code);
		return 0;
	}
	return 1;
}

int
h_expect_signal(const char *file, int line, void (*fn)(void *), void *arg, int sig)
{
	int st = 0;
	long r = h_run(fn, arg, &st);

	if (r < 0) {
		h_fail(file, line, "running the grandchild: %s", h_rstr(r));
		return 0;
	}
	if (!WIFSIGNALED(st) || WTERMSIG(st) != sig) {
		h_fail(file, line, "grandchild %s, want killed by %s",
		    h_status_str(st), h_signame(sig));
		return 0;
	}
	return 1;
}

/* ---- signal handlers without libc ---- */

__asm__(".text\n"
	".globl h_restorer\n"
	"h_restorer:\n\t"
	"mov $15, %eax\n\t"		/* rt_sigreturn */
	"syscall\n\t"
	"hlt\n");

long
h_sigaction(int sig, unsigned long handler, unsigned long flags, unsigned long restorer)
{
	struct ksigaction sa = { handler, flags, restorer, 0 };

	return sys4(SYS_rt_sigaction, sig, &sa, 0, 8);
}

long
h_handler(int sig, void (*fn)(int))
{
	return h_sigaction(sig, (unsigned long)fn, KSA_RESTORER, (unsigned long)h_restorer);
}

/* ---- the bad addresses ---- */

unsigned long h_bad[H_NBAD] = {
	0, A_KHALF, A_DIRECT, A_KVA, A_KTEXT, A_NONCANON_LO, A_NONCANON_HI,
	~0UL, A_USER_TOP, 0 /* h_bad_init: an unmapped page */,
};
const char *const h_bad_name[H_NBAD] = {
	"null", "kernel half", "direct map", "KVA", "kernel text",
	"non-canonical 0x800000000000", "non-canonical 0x8000000000000000",
	"0xffffffffffffffff", "top page of the user half", "unmapped page",
};
char *h_guard;
char *h_ro;

int
h_bad_init(void)
{
	long p = sys_mmap(0, 3 * PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (sys_iserr(p))
		return -1;
	/* [p, p+4K) read-write, [p+4K, p+8K) unmapped, [p+8K, p+12K) read-only. */
	if (sys_munmap((void *)(p + PGSIZE), PGSIZE) != 0 ||
	    sys_mprotect((void *)(p + 2 * PGSIZE), PGSIZE, PROT_READ) != 0)
		return -1;
	h_guard = (char *)p + PGSIZE;
	h_ro = (char *)p + 2 * PGSIZE;
	h_bad[H_NBAD - 1] = (unsigned long)h_guard;
	return 0;
}

char *
h_unterminated(void)
{
	char *s = h_guard - 16;

	memset(s, 'a', 16);
	return s;
}

char *
h_at_end(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = h_guard - n;

	memcpy(d, s, n);
	return d;
}
