/*
 * t_proc.c: tests of processes: fork (with copy-on-write of the data,
 * stack, brk heap and mmap'd pages), exit and exit_group, wait4 and its
 * status encoding, children that leave no zombie (SIGCHLD ignored or
 * SA_NOCLDWAIT), kill and the default actions of signals, many processes,
 * and preemption of a process that never makes a syscall.
 * execve is in t_exec.c.
 *
 * Interface: proc_tests[] (utest.h).
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include "utest.h"

#define NO_SUCH_PID	0x3ffffff0	/* above any pid_max */

/* ---- fork ---- */

static void
c_fork_ids(void *arg)
{
	long ppid = (long)arg;

	CCHECK_EQ(sys_getppid(), ppid);
	CCHECK(sys_getpid() != ppid, "child has the parent's pid");
	sys_exit_group(sys_getpid() & 0xff);
}

static void
t_fork_ids(void)
{
	long me = sys_getpid(), pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_fork_ids, (void *)me));
	CHECK(pid > 0 && pid != me, "fork returned %s", ut_rstr(pid));
	CHECK_EQ(ut_wait(pid, &st), 0);
	/* The child exits with the low byte of the pid it sees. */
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == (pid & 0xff),
	    "child %s, pid %ld", ut_status_str(st), pid);
}

static long cow_global = 1111;

struct cow {
	volatile long *p;
	long before, after;
};

static void
c_cow(void *arg)
{
	struct cow *c = arg;

	CCHECK_EQ(*c->p, c->before);
	*c->p = c->after;
	CCHECK_EQ(*c->p, c->after);
}

/* The child sees *p as it was, writes it; the parent must not see that. */
static int
cow_check(const char *file, int line, volatile long *p)
{
	struct cow c = { p, *p, *p ^ 0x5a5a5a5a };

	if (!ut_expect_exit(file, line, c_cow, &c, 0))
		return 0;
	if (*p != c.before) {
		ut_fail(file, line, "parent sees the child's write: %ld", *p);
		return 0;
	}
	return 1;
}

#define CHECK_COW(p)	do { if (!cow_check(__FILE__, __LINE__, (p))) return; } while (0)

static void
t_cow_global(void)
{
	CHECK_COW(&cow_global);
}

static void
t_cow_stack(void)
{
	volatile long onstack = 2222;

	CHECK_COW(&onstack);
	CHECK_EQ(onstack, 2222);
}

static void
t_cow_brk(void)
{
	unsigned long cur = sys_brk(0);
	unsigned long top = (cur + 3 * PGSIZE) & ~(PGSIZE - 1);
	volatile long *p = (long *)(top - PGSIZE);

	CHECK_EQ(sys_brk((void *)top), top);
	*p = 3333;
	CHECK_COW(p);
	CHECK_EQ(*p, 3333);
	CHECK_EQ(sys_brk((void *)cur), cur);
}

static void
t_cow_mmap(void)
{
	volatile long *p;
	long a;

	CHECK_OK(a, sys_mmap(0, 4 * PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	for (int i = 0; i < 4; i++)
		((long *)a)[i * PGSIZE / sizeof(long)] = 4444 + i;
	p = (long *)(a + 2 * PGSIZE);
	CHECK_COW(p);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(((long *)a)[i * PGSIZE / sizeof(long)], 4444 + i);
	sys_munmap((void *)a, 4 * PGSIZE);
}

static void
c_cow_untouched(void *arg)
{
	volatile long *p = arg;

	/* An mmap page the parent never wrote: the child must see zeros. */
	CCHECK_EQ(p[0], 0);
	p[0] = 1;
}

static void
t_cow_fresh_page(void)
{
	long a;

	CHECK_OK(a, sys_mmap(0, PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	CHECK_EXIT(c_cow_untouched, (void *)a, 0);
	CHECK_EQ(*(long *)a, 0);
	sys_munmap((void *)a, PGSIZE);
}

static volatile long late_global = 5;

static void
c_late(void *arg)
{
	(void)arg;
	/* Give the parent time to write after the fork. */
	ut_sleep_ms(30);
	CCHECK_EQ(late_global, 5);
}

static void
t_cow_parent_write(void)
{
	long pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_late, 0));
	late_global = 6;	/* after the fork: the child must not see it */
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %s", ut_status_str(st));
	late_global = 5;
}

static void
c_fork_nested(void *arg)
{
	long pid;
	int st;

	(void)arg;
	pid = ut_spawn(c_cow_untouched, (void *)&(long){ 0 });
	CCHECK(pid > 0, "fork in child: %s", ut_rstr(pid));
	CCHECK_EQ(ut_wait(pid, &st), 0);
	CCHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "grandchild %s", ut_status_str(st));
	CCHECK_EQ(sys_wait4(-1, &st, 0), -ECHILD);
}

static void
t_fork_nested(void)
{
	CHECK_EXIT(c_fork_nested, 0, 0);
}

/* ---- exit, exit_group, wait4 ---- */

static void c_exit(void *arg) { for (;;) sys1(SYS_exit, (long)arg); }
static void c_exit_group(void *arg) { sys_exit_group((long)arg); }
static void c_libc_exit(void *arg) { exit((long)arg); }

static void
t_exit_codes(void)
{
	CHECK_EXIT(c_exit, (void *)42, 42);
	CHECK_EXIT(c_exit, (void *)0, 0);
	CHECK_EXIT(c_exit_group, (void *)43, 43);
	CHECK_EXIT(c_exit_group, (void *)255, 255);
	CHECK_EXIT(c_exit_group, (void *)(256 + 7), 7);	/* only the low byte */
	CHECK_EXIT(c_exit_group, (void *)-1, 255);
	CHECK_EXIT(c_libc_exit, (void *)3, 3);
}

static void
c_sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		ut_sleep_ms(1000);
}

static void
c_spin(void *arg)
{
	(void)arg;
	for (;;)
		__asm__ volatile("");
}

static void
t_wait_status_encoding(void)
{
	long pid;
	int st;

	/* Exact values (Linux): code << 8 for an exit, the signal for a kill. */
	CHECK_OK(pid, ut_spawn(c_exit_group, (void *)42));
	st = -1;
	CHECK_EQ(sys_wait4(pid, &st, 0), pid);
	CHECK_EQ(st, 42 << 8);
	CHECK_OK(pid, ut_spawn(c_exit_group, (void *)0));
	st = -1;
	CHECK_EQ(sys_wait4(pid, &st, 0), pid);
	CHECK_EQ(st, 0);
	CHECK_OK(pid, ut_spawn(c_sleep_forever, 0));
	CHECK_EQ(sys_kill(pid, SIGKILL), 0);
	CHECK_EQ(sys_wait4(pid, &st, 0), pid);
	CHECK_EQ(st, SIGKILL);
	CHECK_OK(pid, ut_spawn(c_sleep_forever, 0));
	CHECK_EQ(sys_kill(pid, SIGTERM), 0);
	CHECK_EQ(sys_wait4(pid, &st, 0), pid);
	CHECK_EQ(st, SIGTERM);
	/* A null status pointer is allowed. */
	CHECK_OK(pid, ut_spawn(c_exit_group, (void *)1));
	CHECK_EQ(sys_wait4(pid, 0, 0), pid);
}

static void
c_nap(void *arg)
{
	ut_sleep_ms((long)arg);
}

static void
t_wait_blocks(void)
{
	long long t0 = ut_now_ns();
	long pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_nap, (void *)30));
	CHECK_EQ(sys_wait4(pid, &st, 0), pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %s", ut_status_str(st));
	CHECK(ut_now_ns() - t0 >= 30000000, "wait4 returned before the child slept 30 ms");
}

static void
t_wait_wnohang(void)
{
	long pid;
	int st = 12345;

	CHECK_OK(pid, ut_spawn(c_sleep_forever, 0));
	CHECK_EQ(sys_wait4(pid, &st, WNOHANG), 0);
	CHECK_EQ(sys_wait4(-1, &st, WNOHANG), 0);
	CHECK_EQ(st, 12345);	/* untouched when nothing was reaped */
	CHECK_EQ(sys_kill(pid, SIGKILL), 0);
	CHECK_EQ(sys_wait4(pid, &st, 0), pid);
	CHECK_EQ(st, SIGKILL);
}

static void
c_echild(void *arg)
{
	int st;

	(void)arg;
	/* A new process has no children. */
	CCHECK_EQ(sys_wait4(-1, &st, 0), -ECHILD);
	CCHECK_EQ(sys_wait4(-1, &st, WNOHANG), -ECHILD);
	CCHECK_EQ(sys_wait4(sys_getppid(), &st, 0), -ECHILD);
	CCHECK_EQ(sys_wait4(NO_SUCH_PID, &st, 0), -ECHILD);
}

static void
t_wait_echild(void)
{
	int st;

	CHECK_EXIT(c_echild, 0, 0);
	/* Not our child: our own pid. */
	CHECK_ERR(sys_wait4(sys_getpid(), &st, 0), ECHILD);
}

static void
t_wait_which(void)
{
	long a, b;
	int st;

	CHECK_OK(a, ut_spawn(c_exit_group, (void *)11));
	CHECK_OK(b, ut_spawn(c_exit_group, (void *)22));
	/* A pid picks that child even when the other has exited too. */
	CHECK_EQ(sys_wait4(b, &st, 0), b);
	CHECK_EQ(WEXITSTATUS(st), 22);
	CHECK_EQ(sys_wait4(-1, &st, 0), a);
	CHECK_EQ(WEXITSTATUS(st), 11);
	CHECK_EQ(sys_wait4(a, &st, WNOHANG), -ECHILD);
}

static void
t_wait_efault(void)
{
	long pid;

	CHECK_OK(pid, ut_spawn(c_exit_group, (void *)5));
	ut_sleep_ms(20);
	CHECK_ERR(sys_wait4(pid, (int *)0x0000800000000000UL, 0), EFAULT);
	/* Linux has reaped the child before it fails to store the status. */
	CHECK_ERR(sys_wait4(pid, 0, WNOHANG), ECHILD);
	CHECK_OK(pid, ut_spawn(c_exit_group, (void *)5));
	CHECK_ERR(sys_wait4(pid, (int *)0xffff800000000000UL, 0), EFAULT);
	CHECK_ERR(sys_wait4(pid, 0, WNOHANG), ECHILD);
}

static void
t_wait_einval(void)
{
	int st;

	CHECK_ERR(sys_wait4(-1, &st, 0x10000), EINVAL);	/* not a wait4 option */
	CHECK_ERR(sys_wait4(-1, &st, 0x7fffffff), EINVAL);
}

/* ---- children that leave no zombie ---- */

#define KEEL_NPROC_MAX	4096	/* keel's limit on processes, zombies included */

static volatile int sigchld_count;

static void
on_sigchld(int sig)
{
	(void)sig;
	sigchld_count++;
}

/*
 * SIGCHLD ignored (arg 0), or caught with SA_NOCLDWAIT (arg 1): POSIX says
 * exited children leave no zombie.  wait4 then blocks until every child is
 * gone and fails with ECHILD; and more children than keel's process limit,
 * created one after another and never waited for, can all be created (the
 * zombies used to fill the process table: fork failed with EAGAIN for
 * everyone).  Linux sends SIGCHLD to an SA_NOCLDWAIT handler all the same.
 */
static void
c_no_zombies(void *arg)
{
	struct sigaction sa = { 0 };
	long pid;
	int fds[2], st;
	char c;

	sa.sa_handler = arg ? on_sigchld : SIG_IGN;
	sa.sa_flags = arg ? SA_NOCLDWAIT | SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	CCHECK(sigaction(SIGCHLD, &sa, 0) == 0, "sigaction failed");
	/* Each child holds the write end until it exits. */
	CCHECK_EQ(sys2(SYS_pipe2, fds, O_NONBLOCK), 0);
	for (long i = 0; i < 50; i++) {
		pid = sys_fork();
		if (pid == 0) {
			if (i % 2)
				ut_sleep_ms(i % 10);	/* some still run when wait4 starts */
			sys_exit_group(0);
		}
		CCHECK(pid > 0, "fork %ld: %s", i, ut_rstr(pid));
	}
	sys_close(fds[1]);
	CCHECK_EQ(sys_wait4(-1, &st, 0), -ECHILD);
	CCHECK_EQ(sys_read(fds[0], &c, 1), 0);	/* no writer left: all exited */
	for (long i = 0; i < KEEL_NPROC_MAX + 100; i++) {
		pid = sys_fork();
		if (pid == 0)
			sys_exit_group(0);
		CCHECK(pid > 0, "fork %ld of %d: %s", i, KEEL_NPROC_MAX + 100,
		    ut_rstr(pid));
	}
	CCHECK_EQ(sys_wait4(-1, &st, 0), -ECHILD);
	/* The last SIGCHLD was sent before wait4 could fail: delivered by now. */
	if (arg)
		CCHECK(sigchld_count > 0, "no SIGCHLD reached the SA_NOCLDWAIT handler");
}

static void
t_no_zombies_sig_ign(void)
{
	CHECK_EXIT(c_no_zombies, (void *)0, 0);
}

static void
t_no_zombies_nocldwait(void)
{
	CHECK_EXIT(c_no_zombies, (void *)1, 0);
}

/*
 * Init's child B waits for its child C, whose child G is a zombie when C
 * exits: init adopts G and, as for a child of its own, gets SIGCHLD
 * (Linux's reparent_leader).  B stays alive, so that its own exit sends
 * init nothing.  Through the pipe at arg, C sends G's pid, then B a byte
 * once it has reaped C: by then init's SIGCHLD was sent.
 */
static void
c_zombie_grandparent(void *arg)
{
	int *fds = arg;
	long c, g;
	int st;

	signal(SIGCHLD, SIG_DFL);
	c = sys_fork();
	if (c == 0) {
		g = sys_fork();
		if (g == 0)
			sys_exit_group(0);
		sys_write(fds[1], &g, sizeof(g));
		ut_sleep_ms(30);	/* G is a zombie by then */
		sys_exit_group(0);
	}
	CCHECK(c > 0, "fork: %s", ut_rstr(c));
	CCHECK_EQ(ut_wait_ms(c, &st, 5000), 0);
	sys_write(fds[1], "", 1);
	ut_sleep_ms(10000);	/* init kills this process once it has looked */
}

static volatile int init_sigchld;

/* read(2) of a non-blocking fd, retried for up to ms while it has nothing. */
static long
read_within(int fd, void *buf, long n, long ms)
{
	long r;

	for (long i = 0; (r = sys_read(fd, buf, n)) == -EAGAIN && i < ms; i++)
		ut_sleep_ms(1);
	return r;
}

static void
on_init_sigchld(int sig)
{
	(void)sig;
	init_sigchld = 1;
}

static void
t_orphan_zombie_sigchld(void)
{
	struct sigaction sa = { 0 }, old;
	long b, g = 0, gw = -1, waited, r;
	int fds[2], bst = 0, gst = -1, got;
	char c;

	sa.sa_handler = on_init_sigchld;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGCHLD, &sa, &old) == 0, "sigaction failed");
	/* Orphans an earlier failure left would send SIGCHLD too: outwait them. */
	for (int i = 0; (r = sys_wait4(-1, &bst, WNOHANG)) != -ECHILD; i++) {
		if (i == 2000) {
			sigaction(SIGCHLD, &old, 0);
			ut_skip("init still has children of an earlier test");
			return;
		}
		if (r == 0)
			ut_sleep_ms(1);
	}
	CHECK_EQ(sys2(SYS_pipe2, fds, O_NONBLOCK), 0);
	init_sigchld = 0;
	b = ut_spawn(c_zombie_grandparent, fds);
	sys_close(fds[1]);
	/* What was sent, or EOF if B or C failed: no hang either way. */
	if (b > 0 && read_within(fds[0], &g, sizeof(g), 5000) != sizeof(g))
		g = 0;
	r = b > 0 ? read_within(fds[0], &c, 1, 5000) : 0;
	got = init_sigchld;
	sigaction(SIGCHLD, &old, 0);
	sys_close(fds[0]);
	CHECK(b > 0, "fork: %s", ut_rstr(b));
	/* Reap B and G before judging: a zombie left would be a later test's. */
	sys_kill(b, SIGKILL);
	waited = ut_wait(b, &bst);
	if (g > 0)
		gw = ut_wait_ms(g, &gst, 5000);
	CHECK_EQ(waited, 0);
	CHECK(WIFSIGNALED(bst) && WTERMSIG(bst) == SIGKILL,
	    "B %s, want killed by SIGKILL", ut_status_str(bst));
	CHECK(g > 0, "C sent no pid for G (%s)", ut_rstr(g));
	CHECK_EQ(r, 1);		/* B reaped C */
	CHECK_EQ(gw, 0);	/* init's zombie now, not freed: init waits */
	CHECK_EQ(gst, 0);
	CHECK(got, "no SIGCHLD for an adopted zombie");
}

/* ---- kill ---- */

static void
kill_default(const char *file, int line, void (*fn)(void *), int sig)
{
	long pid;
	int st;

	pid = ut_spawn(fn, 0);
	if (pid < 0) {
		ut_fail(file, line, "fork: %s", ut_rstr(pid));
		return;
	}
	ut_sleep_ms(5);
	if (sys_kill(pid, sig) != 0) {
		ut_fail(file, line, "kill(%ld, %s) failed", pid, ut_signame(sig));
		sys_kill(pid, SIGKILL);
	}
	if (ut_wait(pid, &st) != 0)
		ut_fail(file, line, "%s did not end the child", ut_signame(sig));
	/* 0x80 would say a core was dumped: not with init's RLIMIT_CORE of 0. */
	else if (!WIFSIGNALED(st) || WTERMSIG(st) != sig)
		ut_fail(file, line, "child %s, want killed by %s",
		    ut_status_str(st), ut_signame(sig));
}

static void
t_kill_sleeping(void)
{
	static const int sigs[] = { SIGKILL, SIGTERM, SIGINT, SIGSEGV, SIGHUP, SIGUSR1 };

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		kill_default(__FILE__, __LINE__, c_sleep_forever, sigs[i]);
}

static void
t_kill_spinning(void)
{
	static const int sigs[] = { SIGKILL, SIGTERM, SIGINT, SIGSEGV };

	/* Delivered to a process that never enters the kernel by itself. */
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		kill_default(__FILE__, __LINE__, c_spin, sigs[i]);
}

static void
c_kill_self(void *arg)
{
	sys_kill(sys_getpid(), (long)arg);
	ut_child_fail(__FILE__, __LINE__, "survived kill of itself");
}

static void
t_kill_self(void)
{
	CHECK_SIGNAL(c_kill_self, (void *)SIGTERM, SIGTERM);
	CHECK_SIGNAL(c_kill_self, (void *)SIGKILL, SIGKILL);
	CHECK_EQ(sys_kill(sys_getpid(), 0), 0);
}

static void
t_kill_probe(void)
{
	long pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_exit_group, (void *)9));
	CHECK_EQ(sys_kill(pid, 0), 0);
	ut_sleep_ms(30);
	/* A zombie still exists for kill; a signal to it changes nothing. */
	CHECK_EQ(sys_kill(pid, 0), 0);
	CHECK_EQ(sys_kill(pid, SIGKILL), 0);
	CHECK_EQ(sys_wait4(pid, &st, 0), pid);
	CHECK_EQ(st, 9 << 8);
	CHECK_ERR(sys_kill(pid, 0), ESRCH);
	CHECK_ERR(sys_kill(pid, SIGKILL), ESRCH);
}

static void
t_kill_esrch(void)
{
	CHECK_ERR(sys_kill(NO_SUCH_PID, 0), ESRCH);
	CHECK_ERR(sys_kill(NO_SUCH_PID, SIGKILL), ESRCH);
	CHECK_ERR(sys_kill(0x7fffffff, SIGTERM), ESRCH);
}

static void
t_kill_einval(void)
{
	long pid;
	int st;

	CHECK_ERR(sys_kill(sys_getpid(), 65), EINVAL);
	CHECK_ERR(sys_kill(sys_getpid(), -1), EINVAL);
	CHECK_ERR(sys_kill(sys_getpid(), 1000), EINVAL);
	CHECK_OK(pid, ut_spawn(c_sleep_forever, 0));
	CHECK_ERR(sys_kill(pid, 65), EINVAL);
	CHECK_EQ(sys_wait4(pid, &st, WNOHANG), 0);	/* still alive */
	sys_kill(pid, SIGKILL);
	CHECK_EQ(ut_wait(pid, &st), 0);
}

/* -INT_MIN overflows: Linux says no such process group, whatever sig is. */
static void
c_kill_int_min(void *arg)
{
	(void)arg;
	CCHECK_EQ(sys_kill(INT_MIN, 0), -ESRCH);
	CCHECK_EQ(sys_kill(INT_MIN, SIGKILL), -ESRCH);
}

static void
t_kill_int_min(void)
{
	CHECK_EXIT(c_kill_int_min, 0, 0);
}

/* ---- many processes, preemption ---- */

/* A child that owns some memory of every kind before it exits. */
static void
c_touch_exit(void *arg)
{
	static char bss[3 * 4096];
	char *m = (char *)sys_mmap(0, 16 * PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if ((long)m > 0)
		for (int i = 0; i < 16; i++)
			m[i * PGSIZE] = 1;
	bss[0] = bss[4096] = bss[8192] = 1;	/* copy-on-write of data pages */
	sys_brk((char *)sys_brk(0) + 5 * PGSIZE);
	sys_exit_group(0);
}

/*
 * Creating and reaping processes leaks nothing: free memory (sysinfo) is
 * the same before and after 200 of them, once the kernel's caches are warm.
 * Linux's free memory moves with its page cache, so this is keel's test.
 */
static void
t_no_leak(void)
{
	struct utsname u;
	struct sysinfo before, after;

	if (uname(&u) != 0 || strcmp(u.sysname, "keel") != 0) {
		ut_skip("free memory is only exact on keel");
		return;
	}
	for (long i = 0; i < 20; i++)
		CHECK_EXIT(c_touch_exit, 0, 0);
	CHECK_EQ(sys_sysinfo(&before), 0);
	for (long i = 0; i < 200; i++)
		CHECK_EXIT(c_touch_exit, 0, 0);
	CHECK_EQ(sys_sysinfo(&after), 0);
	CHECK(after.freeram == before.freeram, "free pages %lu before, %lu after: %ld leaked",
	    before.freeram, after.freeram, (long)(before.freeram - after.freeram));
}

static void
t_many_sequential(void)
{
	for (long i = 0; i < 200; i++)
		CHECK_EXIT(c_exit_group, (void *)(i & 0xff), i & 0xff);
}

static void
c_nap_exit(void *arg)
{
	long i = (long)arg;

	ut_sleep_ms(10 + (i * 7) % 20);
	sys_exit_group(100 + i);
}

static void
t_many_concurrent(void)
{
	enum { N = 20 };
	long pids[N], pid;
	int seen[N] = { 0 }, st;

	for (long i = 0; i < N; i++) {
		CHECK_OK(pids[i], ut_spawn(c_nap_exit, (void *)i));
		for (long j = 0; j < i; j++)
			CHECK(pids[j] != pids[i], "pid %ld given twice", pids[i]);
	}
	for (int n = 0; n < N; n++) {
		CHECK_OK(pid, sys_wait4(-1, &st, 0));
		int i = 0;
		while (i < N && pids[i] != pid)
			i++;
		CHECK(i < N, "wait4 returned pid %ld, not a child", pid);
		CHECK(!seen[i], "pid %ld reaped twice", pid);
		seen[i] = 1;
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 100 + i,
		    "child %d %s, want exited %d", i, ut_status_str(st), 100 + i);
	}
	CHECK_ERR(sys_wait4(-1, &st, WNOHANG), ECHILD);
}

static void
t_preempt(void)
{
	long long t0, dt;
	long a, b;
	int st;

	/* Two spinners that never enter the kernel; this process still runs. */
	CHECK_OK(a, ut_spawn(c_spin, 0));
	CHECK_OK(b, ut_spawn(c_spin, 0));
	t0 = ut_now_ns();
	ut_sleep_ms(50);
	dt = ut_now_ns() - t0;
	CHECK_EQ(sys_wait4(a, &st, WNOHANG), 0);
	CHECK_EQ(sys_kill(a, SIGKILL), 0);
	CHECK_EQ(sys_kill(b, SIGKILL), 0);
	CHECK_EQ(ut_wait(a, &st), 0);
	CHECK_EQ(st, SIGKILL);
	CHECK_EQ(ut_wait(b, &st), 0);
	CHECK_EQ(st, SIGKILL);
	CHECK(dt >= 50000000 && dt < 5000000000LL, "a 50 ms sleep took %lld ns", dt);
}

static void
c_orphan_maker(void *arg)
{
	long me, pid;

	(void)arg;
	me = sys_getpid();
	pid = sys_fork();
	if (pid == 0) {
		/* Wait (up to 5 s) for the parent to exit and init to adopt us. */
		for (int i = 0; i < 5000 && sys_getppid() == me; i++)
			ut_sleep_ms(1);
		sys_exit_group(sys_getppid() == 1 ? 77 : 78);
	}
	sys_exit_group(pid > 0 ? 0 : 1);
}

static void
t_orphan_init(void)
{
	long pid;
	int st;

	CHECK_EXIT(c_orphan_maker, 0, 0);
	/* The grandchild is now ours; wait4(-1) finds it. */
	CHECK_OK(pid, sys_wait4(-1, &st, 0));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 77, "orphan %s", ut_status_str(st));
}

const struct utest proc_tests[] = {
	{ "fork: pids, getppid in the child", t_fork_ids, 0 },
	{ "fork copy-on-write: a global", t_cow_global, 0 },
	{ "fork copy-on-write: the stack", t_cow_stack, 0 },
	{ "fork copy-on-write: the brk heap", t_cow_brk, 0 },
	{ "fork copy-on-write: mmap'd pages", t_cow_mmap, 0 },
	{ "fork copy-on-write: a page nobody touched yet", t_cow_fresh_page, 0 },
	{ "fork: the parent's later writes are not seen by the child", t_cow_parent_write, 0 },
	{ "fork in a child; the grandchild is its child only", t_fork_nested, 0 },
	{ "exit and exit_group codes (low 8 bits)", t_exit_codes, 0 },
	{ "wait4 status encoding of exits and kills", t_wait_status_encoding, 0 },
	{ "wait4 blocks until the child exits", t_wait_blocks, 0 },
	{ "wait4 WNOHANG with a running child returns 0", t_wait_wnohang, 0 },
	{ "wait4 with no such child -> ECHILD", t_wait_echild, 0 },
	{ "wait4 of a given pid or of any child", t_wait_which, 0 },
	{ "wait4 bad status pointer -> EFAULT (child reaped)", t_wait_efault, 0 },
	{ "wait4 bad options -> EINVAL", t_wait_einval, 0 },
	{ "SIGCHLD ignored: no zombies, wait4 -> ECHILD, 4196 forks",
	    t_no_zombies_sig_ign, 0 },
	{ "SA_NOCLDWAIT: no zombies, SIGCHLD still caught, 4196 forks",
	    t_no_zombies_nocldwait, 0 },
	{ "init gets SIGCHLD for a zombie it adopts", t_orphan_zombie_sigchld, UT_INIT },
	{ "kill: default actions on a sleeping child", t_kill_sleeping, 0 },
	{ "kill: default actions on a spinning child", t_kill_spinning, 0 },
	{ "kill of itself", t_kill_self, 0 },
	{ "kill signal 0 probes; zombies exist until reaped", t_kill_probe, 0 },
	{ "kill nonexistent pid -> ESRCH", t_kill_esrch, 0 },
	{ "kill invalid signal -> EINVAL", t_kill_einval, 0 },
	{ "kill of pid INT_MIN -> ESRCH", t_kill_int_min, 0 },
	{ "200 processes one after another", t_many_sequential, 0 },
	{ "200 processes created and reaped leak no memory (sysinfo)", t_no_leak, 0 },
	{ "20 processes at once: distinct pids, right statuses", t_many_concurrent, 0 },
	{ "preemption: spinning children do not stop the parent", t_preempt, 0 },
	{ "an orphan is adopted and reaped by init", t_orphan_init, UT_INIT },
	{ 0, 0, 0 },
};
