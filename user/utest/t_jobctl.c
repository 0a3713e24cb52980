/*
 * t_jobctl.c: job control: stop signals stop the whole process and
 * SIGCONT continues it; wait4's WUNTRACED and WCONTINUED, waitid, the
 * parent's SIGCHLD codes; the controlling terminal (setsid + TIOCSCTTY,
 * TIOCGPGRP/TIOCSPGRP/TIOCGSID/TIOCNOTTY, /dev/tty), SIGTTIN and SIGTTOU
 * for a background group, and an orphaned group's SIGHUP + SIGCONT.
 *
 * A child of init is in an orphaned process group (its parent, init, does
 * not count), where the terminal's stop signals are discarded and the
 * terminal answers EIO: so the tests of those run two levels down, below
 * a child that made a session of its own (setsid) and, for the terminal,
 * took the console as its controlling terminal.  Under Linux, init's
 * descriptors are /dev/console, whose reads and writes are never subject
 * to job control: those tests open /dev/tty.
 *
 * Interface: jobctl_tests[] (utest.h).
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "utest.h"

#ifndef SYS_waitid
#define SYS_waitid	247
#endif

/* A child that waits for signals forever. */
static void
c_idle(void *a)
{
	(void)a;
	for (;;)
		sys0(SYS_pause);
}

/*
 * Wait for pid to report (wait4 with options | WNOHANG, polled), for at
 * most ms: its pid, 0 at the deadline, or -errno.
 */
static long
wait_report(long pid, int *st, int options, long ms)
{
	long long deadline = ut_now_ns() + ms * 1000000LL;
	long r;

	for (;;) {
		r = sys_wait4(pid, st, options | WNOHANG);
		if (r != 0 || ut_now_ns() > deadline)
			return r;
		ut_sleep_ms(1);
	}
}

static void
set_handler(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, 0);
}

/* ---- stop, continue, wait4 ---- */

static void
t_stop_cont_wait4(void)
{
	int st = 0;
	long pid;

	CHECK_OK(pid, ut_spawn(c_idle, 0));
	CHECK_EQ(sys_kill(pid, SIGSTOP), 0);
	CHECK_EQ(wait_report(pid, &st, WUNTRACED, 5000), pid);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, "status 0x%x, want stopped by SIGSTOP", st);
	/* Reported once; a plain wait4 does not see stops at all. */
	CHECK_EQ(sys_wait4(pid, &st, WUNTRACED | WNOHANG), 0);
	CHECK_EQ(sys_wait4(pid, &st, WNOHANG), 0);
	/* A second stop signal while stopped: nothing new to report. */
	CHECK_EQ(sys_kill(pid, SIGSTOP), 0);
	ut_sleep_ms(20);
	CHECK_EQ(sys_wait4(pid, &st, WUNTRACED | WNOHANG), 0);
	CHECK_EQ(sys_kill(pid, SIGCONT), 0);
	CHECK_EQ(wait_report(pid, &st, WCONTINUED, 5000), pid);
	CHECK(WIFCONTINUED(st) && st == 0xffff, "status 0x%x, want 0xffff", st);
	CHECK_EQ(sys_wait4(pid, &st, WCONTINUED | WUNTRACED | WNOHANG), 0);
	/* Continuing a running process reports nothing. */
	CHECK_EQ(sys_kill(pid, SIGCONT), 0);
	ut_sleep_ms(20);
	CHECK_EQ(sys_wait4(pid, &st, WCONTINUED | WNOHANG), 0);
	/* Stopped again, then killed: SIGKILL ends a stopped process. */
	CHECK_EQ(sys_kill(pid, SIGSTOP), 0);
	CHECK_EQ(wait_report(pid, &st, WUNTRACED, 5000), pid);
	CHECK_EQ(sys_kill(pid, SIGKILL), 0);
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "%s, want SIGKILL", ut_status_str(st));
}

/* /proc/PID/stat's and status's state: T while stopped. */
static char
proc_state(long pid, char *name, int len)
{
	char path[64], buf[512], *p;
	long fd, n;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((fd = sys_open(path, O_RDONLY)) < 0)
		return '?';
	n = sys_read(fd, buf, sizeof buf - 1);
	sys_close(fd);
	if (n <= 0)
		return '?';
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (p == 0 || p[1] != ' ')
		return '?';
	snprintf(path, sizeof path, "/proc/%ld/status", pid);
	name[0] = 0;
	if ((fd = sys_open(path, O_RDONLY)) >= 0) {
		char st[1024];
		char *q;

		n = sys_read(fd, st, sizeof st - 1);
		sys_close(fd);
		st[n > 0 ? n : 0] = 0;
		if ((q = strstr(st, "State:\t")) != 0) {
			int i;

			q += 7;
			for (i = 0; i < len - 1 && q[i] && q[i] != '\n'; i++)
				name[i] = q[i];
			name[i] = 0;
		}
	}
	return p[2];
}

static void
t_proc_state_stopped(void)
{
	char name[32];
	int st = 0, c;
	long pid;

	CHECK_OK(pid, ut_spawn(c_idle, 0));
	CHECK_EQ(sys_kill(pid, SIGSTOP), 0);
	CHECK_EQ(wait_report(pid, &st, WUNTRACED, 5000), pid);
	c = proc_state(pid, name, sizeof name);
	CHECK(c == 'T' && strcmp(name, "T (stopped)") == 0,
	    "stopped: stat state %c, status \"%s\"", c, name);
	CHECK_EQ(sys_kill(pid, SIGCONT), 0);
	CHECK_EQ(wait_report(pid, &st, WCONTINUED, 5000), pid);
	for (int i = 0; i < 1000 && (c = proc_state(pid, name, sizeof name)) != 'S'; i++)
		ut_sleep_ms(1);
	CHECK(c == 'S' && strcmp(name, "S (sleeping)") == 0,
	    "continued: stat state %c, status \"%s\"", c, name);
	sys_kill(pid, SIGKILL);
	CHECK_EQ(ut_wait(pid, &st), 0);
}

/*
 * A stopped process takes no other signal until it is continued, not
 * even a fatal one (Linux's wants_signal): SIGTERM ends it after SIGCONT.
 */
static void
t_stop_then_term(void)
{
	int st = 0;
	long pid;

	CHECK_OK(pid, ut_spawn(c_idle, 0));
	CHECK_EQ(sys_kill(pid, SIGSTOP), 0);
	CHECK_EQ(wait_report(pid, &st, WUNTRACED, 5000), pid);
	CHECK_EQ(sys_kill(pid, SIGTERM), 0);
	ut_sleep_ms(100);
	CHECK_EQ(sys_wait4(pid, &st, WNOHANG), 0);
	CHECK_EQ(sys_kill(pid, SIGCONT), 0);
	CHECK_EQ(ut_wait_ms(pid, &st, 5000), 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "%s, want SIGTERM", ut_status_str(st));
}

/*
 * Two threads write to a pipe, each a byte a millisecond: once the stop
 * is reported no byte comes, and after SIGCONT both write again.
 */
static int writer_fd;

static void *
writer_thread(void *a)
{
	(void)a;
	for (;;) {
		sys_write(writer_fd, "t", 1);
		ut_sleep_ms(1);
	}
	return 0;
}

static void
c_two_writers(void *a)
{
	pthread_t th;

	writer_fd = *(int *)a;
	if (pthread_create(&th, 0, writer_thread, 0) != 0)
		sys_exit_group(3);
	for (;;) {
		sys_write(writer_fd, "m", 1);
		ut_sleep_ms(1);
	}
}

/* Read what the pipe holds now (nonblocking): which of 'm' and 't' came. */
static int
drain(int fd)
{
	char buf[256];
	long n;
	int seen = 0;

	while ((n = sys_read(fd, buf, sizeof buf)) > 0)
		for (long i = 0; i < n; i++)
			seen |= buf[i] == 'm' ? 1 : buf[i] == 't' ? 2 : 4;
	return seen;
}

static void
t_stop_all_threads(void)
{
	int p[2], st = 0, seen = 0;
	long pid;

	CHECK_EQ(sys2(SYS_pipe2, p, O_NONBLOCK), 0);
	CHECK_OK(pid, ut_spawn(c_two_writers, &p[1]));
	sys_close(p[1]);
	for (int i = 0; i < 2000 && seen != 3; i++) {
		seen |= drain(p[0]);
		ut_sleep_ms(1);
	}
	CHECK(seen == 3, "before the stop: threads seen 0x%x, want both", seen);
	CHECK_EQ(sys_kill(pid, SIGSTOP), 0);
	CHECK_EQ(wait_report(pid, &st, WUNTRACED, 5000), pid);
	drain(p[0]);
	ut_sleep_ms(100);
	seen = drain(p[0]);
	CHECK(seen == 0, "a stopped process wrote (threads 0x%x)", seen);
	CHECK_EQ(sys_kill(pid, SIGCONT), 0);
	for (int i = 0; i < 2000 && seen != 3; i++) {
		seen |= drain(p[0]);
		ut_sleep_ms(1);
	}
	CHECK(seen == 3, "after SIGCONT: threads seen 0x%x, want both", seen);
	sys_kill(pid, SIGKILL);
	CHECK_EQ(ut_wait(pid, &st), 0);
	sys_close(p[0]);
}

/* A stop signal discards a pending SIGCONT, and SIGCONT pending stop signals. */
static uint64_t
pending(void)
{
	uint64_t set = 0;

	sys2(SYS_rt_sigpending, &set, 8);
	return set;
}

#define BIT(sig)	(1ULL << ((sig) - 1))

static void
c_discard(void *a)
{
	uint64_t block = BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGCONT);

	(void)a;
	CCHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_BLOCK, &block, 0, 8), 0);
	CCHECK_EQ(sys_kill(sys_getpid(), SIGTSTP), 0);
	CCHECK_EQ(sys_kill(sys_getpid(), SIGTTIN), 0);
	CCHECK(pending() == (BIT(SIGTSTP) | BIT(SIGTTIN)), "pending 0x%llx",
	    (unsigned long long)pending());
	CCHECK_EQ(sys_kill(sys_getpid(), SIGCONT), 0);
	CCHECK(pending() == BIT(SIGCONT), "after SIGCONT: pending 0x%llx",
	    (unsigned long long)pending());
	CCHECK_EQ(sys_kill(sys_getpid(), SIGTSTP), 0);
	CCHECK(pending() == BIT(SIGTSTP), "after SIGTSTP: pending 0x%llx",
	    (unsigned long long)pending());
	/* Ignoring it drops it; then nothing stops when the mask goes. */
	set_handler(SIGTSTP, SIG_IGN, 0);
	CCHECK(pending() == 0, "after SIG_IGN: pending 0x%llx", (unsigned long long)pending());
}

static void
t_cont_discards_stop(void)
{
	CHECK_EXIT(c_discard, 0, 0);
}

/* ---- SIGCHLD's codes ---- */

struct chld {
	int code, status, pid;
};

/* The next SIGCHLD (blocked, taken with sigtimedwait) within ms; 0 if none. */
static int
next_chld(struct chld *c, long ms)
{
	sigset_t set;
	siginfo_t si;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigtimedwait(&set, &si, &ts) != SIGCHLD)
		return 0;
	c->code = si.si_code;
	c->status = si.si_status;
	c->pid = si.si_pid;
	return 1;
}

static void
on_chld(int sig)
{
	(void)sig;
}

static void
c_sigchld_codes(void *a)
{
	int nocldstop = *(int *)a, st;
	sigset_t set;
	struct chld c;
	long pid;

	set_handler(SIGCHLD, on_chld, nocldstop ? SA_NOCLDSTOP : 0);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, 0);
	pid = ut_spawn(c_idle, 0);
	CCHECK(pid > 0, "fork: %s", ut_rstr(pid));
	CCHECK_EQ(sys_kill(pid, SIGSTOP), 0);
	if (nocldstop) {
		CCHECK_EQ(wait_report(pid, &st, WUNTRACED, 5000), pid);
		CCHECK(!next_chld(&c, 100), "SA_NOCLDSTOP: SIGCHLD code %d for a stop", c.code);
	} else {
		CCHECK(next_chld(&c, 5000), "no SIGCHLD for the stop");
		CCHECK(c.code == CLD_STOPPED && c.status == SIGSTOP && c.pid == pid,
		    "stop: code %d status %d pid %d", c.code, c.status, c.pid);
	}
	CCHECK_EQ(sys_kill(pid, SIGCONT), 0);
	if (nocldstop) {
		CCHECK_EQ(wait_report(pid, &st, WCONTINUED, 5000), pid);
		CCHECK(!next_chld(&c, 100), "SA_NOCLDSTOP: SIGCHLD code %d for a continue", c.code);
	} else {
		CCHECK(next_chld(&c, 5000), "no SIGCHLD for the continue");
		CCHECK(c.code == CLD_CONTINUED && c.status == SIGCONT && c.pid == pid,
		    "continue: code %d status %d pid %d", c.code, c.status, c.pid);
	}
	CCHECK_EQ(sys_kill(pid, SIGKILL), 0);
	CCHECK(next_chld(&c, 5000), "no SIGCHLD for the kill");
	CCHECK(c.code == CLD_KILLED && c.status == SIGKILL && c.pid == pid,
	    "kill: code %d status %d pid %d", c.code, c.status, c.pid);
	CCHECK_EQ(sys_wait4(pid, &st, 0), pid);
}

static void
t_sigchld_codes(void)
{
	int no = 0;

	CHECK_EXIT(c_sigchld_codes, &no, 0);
}

static void
t_sigchld_nocldstop(void)
{
	int yes = 1;

	CHECK_EXIT(c_sigchld_codes, &yes, 0);
}

/* ---- waitid ---- */

static long
waitid_raw(int idtype, long id, siginfo_t *si, int options)
{
	return sys5(SYS_waitid, idtype, id, si, options, 0);
}

static void
c_exit7(void *a)
{
	(void)a;
	sys_exit_group(7);
}

static void
t_waitid(void)
{
	siginfo_t si;
	int st;
	long pid, r;

	/* Refused before anything is looked at. */
	CHECK_ERR(waitid_raw(P_ALL, 0, &si, 0), EINVAL);
	CHECK_ERR(waitid_raw(P_ALL, 0, &si, WNOHANG), EINVAL);
	CHECK_ERR(waitid_raw(7, 0, &si, WEXITED), EINVAL);
	CHECK_ERR(waitid_raw(P_PID, 0, &si, WEXITED), EINVAL);
	CHECK_ERR(waitid_raw(P_PGID, -1, &si, WEXITED), EINVAL);
	CHECK_ERR(waitid_raw(P_ALL, 0, &si, WEXITED | 0x100), EINVAL);
	CHECK_ERR(sys4(SYS_wait4, -1, &st, WNOHANG | WNOWAIT, 0), EINVAL);
	CHECK_ERR(waitid_raw(P_PID, 1, &si, WEXITED | WNOHANG), ECHILD);

	/* An exit, seen twice with WNOWAIT, then reaped. */
	CHECK_OK(pid, ut_spawn(c_exit7, 0));
	memset(&si, 0xa5, sizeof si);
	CHECK_EQ(waitid_raw(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	CHECK(si.si_signo == SIGCHLD && si.si_errno == 0 && si.si_code == CLD_EXITED &&
	    si.si_pid == pid && si.si_status == 7, "exit: signo %d code %d pid %d status %d",
	    si.si_signo, si.si_code, (int)si.si_pid, si.si_status);
	memset(&si, 0, sizeof si);
	CHECK_EQ(waitid_raw(P_ALL, 0, &si, WEXITED | WNOWAIT), 0);
	CHECK_EQ(si.si_pid, pid);
	CHECK_EQ(waitid_raw(P_PGID, 0, &si, WEXITED), 0);
	CHECK(si.si_pid == pid && si.si_code == CLD_EXITED, "reap: pid %d code %d",
	    (int)si.si_pid, si.si_code);
	CHECK_ERR(waitid_raw(P_PID, pid, &si, WEXITED | WNOHANG), ECHILD);

	/* Stopped, continued, killed; WNOHANG with nothing to say. */
	CHECK_OK(pid, ut_spawn(c_idle, 0));
	memset(&si, 0xa5, sizeof si);
	CHECK_EQ(waitid_raw(P_PID, pid, &si, WEXITED | WSTOPPED | WNOHANG), 0);
	CHECK(si.si_signo == 0 && si.si_pid == 0 && si.si_code == 0 && si.si_status == 0,
	    "WNOHANG, nothing: signo %d pid %d", si.si_signo, (int)si.si_pid);
	CHECK_EQ(sys_kill(pid, SIGSTOP), 0);
	for (int i = 0; i < 5000; i++) {
		memset(&si, 0, sizeof si);
		r = waitid_raw(P_PID, pid, &si, WSTOPPED | WNOHANG | WNOWAIT);
		if (r != 0 || si.si_pid != 0)
			break;
		ut_sleep_ms(1);
	}
	CHECK(si.si_pid == pid && si.si_code == CLD_STOPPED && si.si_status == SIGSTOP,
	    "stop: pid %d code %d status %d", (int)si.si_pid, si.si_code, si.si_status);
	/* WNOWAIT left it to report; wait4 takes it, and then it is gone. */
	CHECK_EQ(sys_wait4(pid, &st, WUNTRACED | WNOHANG), pid);
	CHECK(WIFSTOPPED(st), "wait4 after WNOWAIT: 0x%x", st);
	memset(&si, 0, sizeof si);
	CHECK_EQ(waitid_raw(P_PID, pid, &si, WSTOPPED | WNOHANG), 0);
	CHECK_EQ(si.si_pid, 0);
	CHECK_EQ(sys_kill(pid, SIGCONT), 0);
	memset(&si, 0, sizeof si);
	CHECK_EQ(waitid_raw(P_PID, pid, &si, WCONTINUED), 0);
	CHECK(si.si_pid == pid && si.si_code == CLD_CONTINUED && si.si_status == SIGCONT,
	    "continue: pid %d code %d status %d", (int)si.si_pid, si.si_code, si.si_status);
	CHECK_EQ(sys_kill(pid, SIGKILL), 0);
	memset(&si, 0, sizeof si);
	CHECK_EQ(waitid_raw(P_PID, pid, &si, WEXITED), 0);
	CHECK(si.si_pid == pid && si.si_code == CLD_KILLED && si.si_status == SIGKILL,
	    "kill: pid %d code %d status %d", (int)si.si_pid, si.si_code, si.si_status);
	/* A bad siginfo pointer: EFAULT (the child is reaped all the same). */
	CHECK_OK(pid, ut_spawn(c_exit7, 0));
	CHECK_ERR(waitid_raw(P_PID, pid, (siginfo_t *)8, WEXITED), EFAULT);
	CHECK_ERR(waitid_raw(P_PID, pid, &si, WEXITED | WNOHANG), ECHILD);
}

/* ---- the controlling terminal ---- */

static int
tcgetpgrp_raw(int fd)
{
	int v = -1;
	long r = sys3(SYS_ioctl, fd, TIOCGPGRP, &v);

	return r ? (int)r : v;
}

static long
tcsetpgrp_raw(int fd, int pgrp)
{
	return sys3(SYS_ioctl, fd, TIOCSPGRP, &pgrp);
}

/*
 * In a child: become a session leader with the console (fd 0) as the
 * controlling terminal; exits 2 (a skip) where fd 0 is no terminal.
 */
static void
take_console(void)
{
	struct termios t;

	if (sys3(SYS_ioctl, 0, TCGETS, &t) != 0)
		sys_exit_group(2);
	CCHECK(sys0(SYS_setsid) == sys_getpid(), "setsid");
	CCHECK_EQ(sys3(SYS_ioctl, 0, TIOCSCTTY, 0), 0);
}

/*
 * Run fn in a child that will take the console; a skip when there is
 * none.  Linux's initramfs has no /dev/tty (keel's devfs has): made here.
 */
static void
run_session(void (*fn)(void *), void *arg)
{
	int st = 0;
	long r;

	if ((r = sys_open("/dev/tty", O_RDONLY | O_NOCTTY)) == -ENOENT)
		sys3(SYS_mknod, "/dev/tty", S_IFCHR | 0666, (5 << 8) | 0);
	else if (r >= 0)
		sys_close(r);
	r = ut_run(fn, arg, &st);

	CHECK(r == 0, "running the session: %s", ut_rstr(r));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
		ut_skip("fd 0 is not a terminal");
		return;
	}
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "session: %s", ut_status_str(st));
}

static void
c_notleader(void *a)
{
	(void)a;
	/* Not a session leader (a fresh child of the session's leader). */
	CCHECK_EQ(sys3(SYS_ioctl, 0, TIOCSCTTY, 0), -EPERM);
}

static void
c_ctty(void *a)
{
	long me = sys_getpid(), g;
	int sid = -1, st, fd;

	(void)a;
	if (sys3(SYS_ioctl, 0, TCGETS, &(struct termios){ 0 }) != 0)
		sys_exit_group(2);
	CCHECK_EQ(sys0(SYS_setsid), me);
	/* No controlling terminal yet. */
	CCHECK_EQ(tcgetpgrp_raw(0), -ENOTTY);
	CCHECK_EQ(sys3(SYS_ioctl, 0, TIOCGSID, &sid), -ENOTTY);
	CCHECK_EQ(tcsetpgrp_raw(0, me), -ENOTTY);
	CCHECK_EQ(sys3(SYS_ioctl, 0, TIOCNOTTY, 0), -ENOTTY);
	CCHECK_EQ(sys_open("/dev/tty", O_RDWR), -ENXIO);
	/* The console becomes it; asking again is fine. */
	CCHECK_EQ(sys3(SYS_ioctl, 0, TIOCSCTTY, 0), 0);
	CCHECK_EQ(sys3(SYS_ioctl, 0, TIOCSCTTY, 0), 0);
	CCHECK_EQ(tcgetpgrp_raw(0), me);
	CCHECK_EQ(sys3(SYS_ioctl, 0, TIOCGSID, &sid), 0);
	CCHECK_EQ(sid, me);
	fd = sys_open("/dev/tty", O_RDWR);
	CCHECK(fd >= 0, "open /dev/tty: %s", ut_rstr(fd));
	CCHECK_EQ(tcgetpgrp_raw(fd), me);
	CCHECK_EQ(sys3(SYS_ioctl, fd, TIOCGPGRP, 0), -EFAULT);
	/* A member of the session that is no leader cannot take it. */
	g = ut_spawn(c_notleader, 0);
	CCHECK(g > 0, "fork");
	CCHECK_EQ(ut_wait(g, &st), 0);
	CCHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "not a leader: %s", ut_status_str(st));
	/* TIOCSPGRP: to a group of the session only. */
	CCHECK_EQ(tcsetpgrp_raw(fd, -1), -EINVAL);
	CCHECK_EQ(tcsetpgrp_raw(fd, 0), -ESRCH);
	CCHECK_EQ(tcsetpgrp_raw(fd, 0x3ffff0), -ESRCH);
	CCHECK_EQ(tcsetpgrp_raw(fd, 1), -EPERM);	/* init's: another session */
	CCHECK_EQ(sys3(SYS_ioctl, fd, TIOCSPGRP, 8), -EFAULT);
	g = ut_spawn(c_idle, 0);
	CCHECK(g > 0, "fork");
	CCHECK_EQ(sys2(SYS_setpgid, g, g), 0);
	CCHECK_EQ(tcsetpgrp_raw(fd, g), 0);
	CCHECK_EQ(tcgetpgrp_raw(0), g);
	/*
	 * Now this process is in the background: taking the terminal back
	 * would raise SIGTTOU, but its group is orphaned (its parent is
	 * init), so Linux answers ENOTTY.  Ignoring SIGTTOU, it may.
	 */
	CCHECK_EQ(tcsetpgrp_raw(fd, me), -ENOTTY);
	set_handler(SIGTTOU, SIG_IGN, 0);
	CCHECK_EQ(tcsetpgrp_raw(fd, me), 0);
	CCHECK_EQ(tcgetpgrp_raw(fd), me);
	sys_kill(g, SIGKILL);
	CCHECK_EQ(sys_wait4(g, &st, 0), g);
	/*
	 * The leader gives it up: its foreground group (its own) gets SIGHUP
	 * and SIGCONT; no controlling terminal, no /dev/tty.
	 */
	set_handler(SIGHUP, SIG_IGN, 0);
	CCHECK_EQ(sys3(SYS_ioctl, fd, TIOCNOTTY, 0), 0);
	CCHECK_EQ(tcgetpgrp_raw(0), -ENOTTY);
	CCHECK_EQ(sys_open("/dev/tty", O_RDWR), -ENXIO);
	/* It may take it again (nobody else has it). */
	CCHECK_EQ(sys3(SYS_ioctl, 0, TIOCSCTTY, 0), 0);
	CCHECK_EQ(tcgetpgrp_raw(0), me);
	sys_close(fd);
}

static void
t_ctty(void)
{
	run_session(c_ctty, 0);
}

/* A member that is not the leader gives it up for itself alone. */
static void
c_notty_member(void *a)
{
	(void)a;
	CCHECK_EQ(tcgetpgrp_raw(0), sys_getppid());
	CCHECK_EQ(sys3(SYS_ioctl, 0, TIOCNOTTY, 0), 0);
	CCHECK_EQ(tcgetpgrp_raw(0), -ENOTTY);
	CCHECK_EQ(sys_open("/dev/tty", O_RDONLY), -ENXIO);
}

static void
c_notty(void *a)
{
	int st;
	long g;

	(void)a;
	take_console();
	g = ut_spawn(c_notty_member, 0);
	CCHECK(g > 0, "fork");
	CCHECK_EQ(ut_wait(g, &st), 0);
	CCHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "member: %s", ut_status_str(st));
	CCHECK_EQ(tcgetpgrp_raw(0), sys_getpid());
}

static void
t_notty_member(void)
{
	run_session(c_notty, 0);
}

/* ---- a background group and the terminal: SIGTTIN, SIGTTOU ---- */

enum bg_what { BG_READ, BG_READ_IGN, BG_READ_BLOCKED, BG_WRITE, BG_WRITE_IGN, BG_TCSETS,
	BG_TCSETPGRP, BG_TCDRAIN, BG_NTESTS };

/* In the background group: what it does to /dev/tty. */
static void
c_bg(void *a)
{
	int what = *(int *)a, fd;
	struct termios t;
	sigset_t set;
	char c;

	sys2(SYS_setpgid, 0, 0);	/* as its parent does: whichever runs first */
	fd = sys_open("/dev/tty", O_RDWR);
	CCHECK(fd >= 0, "open /dev/tty: %s", ut_rstr(fd));
	switch (what) {
	case BG_READ:
		sys_read(fd, &c, 1);		/* stops here */
		break;
	case BG_READ_IGN:
		set_handler(SIGTTIN, SIG_IGN, 0);
		CCHECK_EQ(sys_read(fd, &c, 1), -EIO);
		break;
	case BG_READ_BLOCKED:
		sigemptyset(&set);
		sigaddset(&set, SIGTTIN);
		sigprocmask(SIG_BLOCK, &set, 0);
		CCHECK_EQ(sys_read(fd, &c, 1), -EIO);
		break;
	case BG_WRITE:
		sys_write(fd, "# not written\n", 14);	/* stops here: TOSTOP */
		break;
	case BG_WRITE_IGN:
		set_handler(SIGTTOU, SIG_IGN, 0);
		CCHECK_EQ(sys_write(fd, "# tostop, SIGTTOU ignored\n", 26), 26);
		break;
	case BG_TCSETS:
		CCHECK_EQ(sys3(SYS_ioctl, fd, TCGETS, &t), 0);
		sys3(SYS_ioctl, fd, TCSETS, &t);	/* stops here */
		break;
	case BG_TCSETPGRP:
		tcsetpgrp_raw(fd, sys_getpid());	/* stops here */
		break;
	case BG_TCDRAIN:
		sys3(SYS_ioctl, fd, TCSBRK, 1);	/* stops here, TOSTOP or not */
		break;
	}
	sys_exit_group(0);
}

static const struct {
	int stopsig;		/* the signal that stops it, or 0: it exits 0 */
	int tostop;
} bg_want[BG_NTESTS] = {
	[BG_READ] = { SIGTTIN, 0 },
	[BG_READ_IGN] = { 0, 0 },
	[BG_READ_BLOCKED] = { 0, 0 },
	[BG_WRITE] = { SIGTTOU, 1 },
	[BG_WRITE_IGN] = { 0, 1 },
	[BG_TCSETS] = { SIGTTOU, 0 },
	[BG_TCSETPGRP] = { SIGTTOU, 0 },
	[BG_TCDRAIN] = { SIGTTOU, 0 },
};

static void
c_bg_session(void *a)
{
	int what = *(int *)a, st = 0;
	struct termios t, saved;
	long g;

	take_console();
	CCHECK_EQ(sys3(SYS_ioctl, 0, TCGETS, &saved), 0);
	t = saved;
	if (bg_want[what].tostop)
		t.c_lflag |= TOSTOP;
	else
		t.c_lflag &= ~TOSTOP;
	CCHECK_EQ(sys3(SYS_ioctl, 0, TCSETS, &t), 0);
	g = ut_spawn(c_bg, a);
	CCHECK(g > 0, "fork");
	sys2(SYS_setpgid, g, g);	/* a background group of this session */
	CCHECK_EQ(wait_report(g, &st, WUNTRACED, 5000), g);
	if (bg_want[what].stopsig) {
		CCHECK(WIFSTOPPED(st) && WSTOPSIG(st) == bg_want[what].stopsig,
		    "case %d: %s (0x%x), want stopped by %s", what, ut_status_str(st), st,
		    ut_signame(bg_want[what].stopsig));
		sys_kill(g, SIGKILL);
		CCHECK_EQ(sys_wait4(g, &st, 0), g);
	} else {
		CCHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "case %d: %s", what,
		    ut_status_str(st));
	}
	CCHECK_EQ(sys3(SYS_ioctl, 0, TCSETS, &saved), 0);
}

static void
run_bg(int what)
{
	run_session(c_bg_session, &what);
}

static void t_bg_read(void) { run_bg(BG_READ); }
static void t_bg_read_ign(void) { run_bg(BG_READ_IGN); }
static void t_bg_read_blocked(void) { run_bg(BG_READ_BLOCKED); }
static void t_bg_write_tostop(void) { run_bg(BG_WRITE); }
static void t_bg_write_ign(void) { run_bg(BG_WRITE_IGN); }
static void t_bg_tcsets(void) { run_bg(BG_TCSETS); }
static void t_bg_tcsetpgrp(void) { run_bg(BG_TCSETPGRP); }
static void t_bg_tcdrain(void) { run_bg(BG_TCDRAIN); }

/* After the stop was continued, the read starts again (and is stopped again). */
static void
c_bg_restart(void *a)
{
	int st = 0, what = BG_READ;
	long g;

	(void)a;
	take_console();
	g = ut_spawn(c_bg, &what);
	CCHECK(g > 0, "fork");
	sys2(SYS_setpgid, g, g);
	CCHECK_EQ(wait_report(g, &st, WUNTRACED, 5000), g);
	CCHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN, "first: 0x%x", st);
	CCHECK_EQ(sys_kill(-g, SIGCONT), 0);
	CCHECK_EQ(wait_report(g, &st, WUNTRACED, 5000), g);
	CCHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN, "after SIGCONT: 0x%x", st);
	sys_kill(g, SIGKILL);
	CCHECK_EQ(sys_wait4(g, &st, 0), g);
}

static void
t_bg_read_restarts(void)
{
	run_session(c_bg_restart, 0);
}

/*
 * An orphaned group reading the terminal: EIO, no signal; and SIGTSTP
 * does not stop it.  The reader tells the session's leader through a
 * pipe: the leader must outlive it (its exit would take the terminal).
 */
struct orphan_arg {
	long parent;
	int fd;
};

static void
c_orphan_reader(void *a)
{
	struct orphan_arg *o = a;
	char c;
	int fd;

	sys2(SYS_setpgid, 0, 0);
	fd = sys_open("/dev/tty", O_RDWR);
	CCHECK(fd >= 0, "open /dev/tty: %s", ut_rstr(fd));
	for (int i = 0; i < 5000 && sys_getppid() == o->parent; i++)
		ut_sleep_ms(1);
	CCHECK(sys_getppid() != o->parent, "never orphaned");
	CCHECK_EQ(sys_read(fd, &c, 1), -EIO);
	CCHECK_EQ(sys_kill(0, SIGTSTP), 0);
	sys_write(o->fd, "ok", 2);
	sys_exit_group(0);
}

static void
c_orphan_middle(void *a)
{
	struct orphan_arg o = { sys_getpid(), *(int *)a };

	if (ut_spawn(c_orphan_reader, &o) <= 0)
		sys_exit_group(3);
	sys_exit_group(0);
}

static void
c_orphan_session(void *a)
{
	char r[3] = { 0 };
	int st, p[2];
	long m;

	(void)a;
	take_console();
	CCHECK_EQ(sys1(SYS_pipe, p), 0);
	m = ut_spawn(c_orphan_middle, &p[1]);
	CCHECK(m > 0, "fork");
	sys_close(p[1]);
	CCHECK_EQ(ut_wait(m, &st), 0);
	CCHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "middle: %s", ut_status_str(st));
	CCHECK_EQ(sys_read(p[0], r, 2), 2);
	CCHECK(r[0] == 'o' && r[1] == 'k', "the orphan said %s", r);
}

static void
t_orphan_read(void)
{
	run_session(c_orphan_session, 0);
}

/* ---- an orphaned group with a stopped member: SIGHUP, then SIGCONT ---- */

static volatile int hup_seen, cont_seen;

static void on_hup(int sig) { (void)sig; hup_seen = 1; }
static void on_cont(int sig) { (void)sig; cont_seen = 1; }

static void
c_stopped_member(void *a)
{
	int fd = *(int *)a;
	char r[2];

	set_handler(SIGHUP, on_hup, 0);
	set_handler(SIGCONT, on_cont, 0);
	sys2(SYS_setpgid, 0, 0);
	sys_kill(sys_getpid(), SIGSTOP);
	/* Continued by the orphaning: both handlers have run by now. */
	for (int i = 0; i < 1000 && !(hup_seen && cont_seen); i++)
		ut_sleep_ms(1);
	r[0] = hup_seen ? 'H' : '-';
	r[1] = cont_seen ? 'C' : '-';
	sys_write(fd, r, 2);
	sys_exit_group(0);
}

static void
c_stopping_parent(void *a)
{
	int st;
	long g = ut_spawn(c_stopped_member, a);

	if (g <= 0)
		sys_exit_group(3);
	sys2(SYS_setpgid, g, g);
	CCHECK_EQ(wait_report(g, &st, WUNTRACED, 5000), g);
	CCHECK(WIFSTOPPED(st), "member: 0x%x", st);
	sys_exit_group(0);	/* its group is orphaned now */
}

static void
c_hup_session(void *a)
{
	int p[2], st;
	char r[3] = { 0 };
	long m;

	(void)a;
	CCHECK(sys0(SYS_setsid) == sys_getpid(), "setsid");
	CCHECK_EQ(sys1(SYS_pipe, p), 0);
	m = ut_spawn(c_stopping_parent, &p[1]);
	CCHECK(m > 0, "fork");
	sys_close(p[1]);
	CCHECK_EQ(ut_wait(m, &st), 0);
	CCHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "middle: %s", ut_status_str(st));
	CCHECK_EQ(sys_read(p[0], r, 2), 2);
	CCHECK(r[0] == 'H' && r[1] == 'C', "the orphaned member saw %s, want HC", r);
}

static void
t_orphan_stopped(void)
{
	CHECK_EXIT(c_hup_session, 0, 0);
}

const struct utest jobctl_tests[] = {
	{ "SIGSTOP stops, SIGCONT continues: wait4 WUNTRACED/WCONTINUED once each, SIGKILL ends it",
	  t_stop_cont_wait4, 0 },
	{ "/proc/PID/stat and status: T (stopped), then S once continued",
	  t_proc_state_stopped, 0 },
	{ "SIGTERM to a stopped process waits for SIGCONT, then ends it", t_stop_then_term, 0 },
	{ "a stopped process runs no thread until SIGCONT", t_stop_all_threads, 0 },
	{ "SIGCONT discards pending stop signals, a stop signal a pending SIGCONT",
	  t_cont_discards_stop, 0 },
	{ "SIGCHLD: CLD_STOPPED, CLD_CONTINUED, CLD_KILLED with status and pid",
	  t_sigchld_codes, 0 },
	{ "SIGCHLD with SA_NOCLDSTOP: none for stops and continues", t_sigchld_nocldstop, 0 },
	{ "waitid: P_PID/P_PGID/P_ALL, WNOWAIT, WSTOPPED, WCONTINUED, WNOHANG, siginfo, errors",
	  t_waitid, 0 },
	{ "setsid + TIOCSCTTY; TIOCGPGRP/TIOCSPGRP/TIOCGSID/TIOCNOTTY; /dev/tty", t_ctty, 0 },
	{ "TIOCNOTTY by a member of the session: only its own", t_notty_member, 0 },
	{ "background read of /dev/tty: SIGTTIN stops the group", t_bg_read, 0 },
	{ "background read, SIGTTIN ignored: EIO", t_bg_read_ign, 0 },
	{ "background read, SIGTTIN blocked: EIO", t_bg_read_blocked, 0 },
	{ "background read stopped, continued: stopped again (restarted)", t_bg_read_restarts, 0 },
	{ "background write with TOSTOP: SIGTTOU stops the group", t_bg_write_tostop, 0 },
	{ "background write with TOSTOP, SIGTTOU ignored: written", t_bg_write_ign, 0 },
	{ "background TCSETS: SIGTTOU", t_bg_tcsets, 0 },
	{ "background TIOCSPGRP: SIGTTOU", t_bg_tcsetpgrp, 0 },
	{ "background tcdrain (TCSBRK): SIGTTOU", t_bg_tcdrain, 0 },
	{ "orphaned group: terminal read EIO, SIGTSTP discarded", t_orphan_read, 0 },
	{ "a group orphaned with a stopped member gets SIGHUP and SIGCONT", t_orphan_stopped, 0 },
	{ 0, 0, 0 },
};
