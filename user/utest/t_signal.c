/*
 * t_signal.c: signal handlers and the calls they interrupt: the mask a
 * handler runs with and the one sigreturn restores, rt_sigsuspend,
 * SA_RESTART on a pipe read, nanosleep interrupted (never restarted after
 * a handler) and nanosleep of a time past 2^63 ns.
 *
 * Handlers are installed with libc's sigaction (musl's restorer), as a
 * real program does.  Every test runs in a child, so no handler or mask
 * outlives it; a child that hangs is killed at its deadline.
 *
 * Interface: signal_tests[] (utest.h).
 */
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <errno.h>
#include <unistd.h>
#include <sys/wait.h>
#include "utest.h"

/* What the last handler saw. */
static volatile int got_sig, got_count;
static volatile uint64_t got_mask;

static uint64_t
cur_mask(void)
{
	uint64_t m = 0;

	sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, &m, 8);
	return m;
}

static uint64_t
bit(int sig)
{
	return 1ULL << (sig - 1);
}

static void
on_signal(int sig)
{
	got_sig = sig;
	got_count++;
	got_mask = cur_mask();
}

/* sig's handler is on_signal, with sa_mask mask and flags. */
static int
catch(int sig, uint64_t mask, int flags)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = on_signal;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	for (int s = 1; s <= 64; s++)
		if (mask & bit(s))
			sigaddset(&sa.sa_mask, s);
	return sigaction(sig, &sa, 0);
}

static int
set_mask(uint64_t m)
{
	return (int)sys4(SYS_rt_sigprocmask, SIG_SETMASK, &m, 0, 8);
}

/* A process that sends sig to pid after ms milliseconds, then exits. */
static long
signal_later(long pid, int sig, long ms)
{
	long k = sys_fork();

	if (k == 0) {
		ut_sleep_ms(ms);
		sys_kill(pid, sig);
		sys_exit_group(0);
	}
	return k;
}

static void
reap(long pid)
{
	int st;

	if (pid > 0)
		ut_wait(pid, &st);
}

static void
c_handler_mask(void *arg)
{
	(void)arg;
	CCHECK(catch(SIGUSR1, bit(SIGUSR2), 0) == 0, "sigaction failed");
	CCHECK(set_mask(bit(SIGHUP)) == 0, "sigprocmask failed");
	sys_kill(sys_getpid(), SIGUSR1);
	CCHECK(got_count == 1 && got_sig == SIGUSR1, "handler ran %d times", got_count);
	CCHECK(got_mask == (bit(SIGHUP) | bit(SIGUSR1) | bit(SIGUSR2)),
	    "mask in the handler %#llx", (unsigned long long)got_mask);
	CCHECK(cur_mask() == bit(SIGHUP), "mask after %#llx", (unsigned long long)cur_mask());
}

static void
t_handler_mask(void)
{
	CHECK_EXIT(c_handler_mask, 0, 0);
}

/*
 * The classic race-free wait: SIGUSR1 blocked, then sigsuspend with a mask
 * that lets it in.  The handler runs with the temporary mask plus its own
 * signal and sa_mask; afterwards the old mask is back and sigsuspend
 * returns -1 with EINTR.
 */
static void
c_sigsuspend(void *arg)
{
	uint64_t temp = bit(SIGHUP);
	long r;

	(void)arg;
	CCHECK(catch(SIGUSR1, bit(SIGUSR2), 0) == 0, "sigaction failed");
	CCHECK(set_mask(bit(SIGUSR1)) == 0, "sigprocmask failed");
	sys_kill(sys_getpid(), SIGUSR1);		/* pending, blocked */
	CCHECK(got_count == 0, "a blocked signal was delivered");
	r = sys4(SYS_rt_sigsuspend, &temp, 8, 0, 0);
	CCHECK(r == -EINTR, "rt_sigsuspend returned %s, want -EINTR", ut_rstr(r));
	CCHECK(got_count == 1, "handler ran %d times", got_count);
	CCHECK(got_mask == (bit(SIGHUP) | bit(SIGUSR1) | bit(SIGUSR2)),
	    "mask in the handler %#llx", (unsigned long long)got_mask);
	CCHECK(cur_mask() == bit(SIGUSR1), "mask after %#llx", (unsigned long long)cur_mask());
}

static void
t_sigsuspend(void)
{
	CHECK_EXIT(c_sigsuspend, 0, 0);
}

/* The same woken by another process while asleep. */
static void
c_sigsuspend_sleeping(void *arg)
{
	uint64_t temp = 0;
	long k, r;

	(void)arg;
	CCHECK(catch(SIGUSR1, 0, 0) == 0, "sigaction failed");
	CCHECK(set_mask(bit(SIGUSR1)) == 0, "sigprocmask failed");
	k = signal_later(sys_getpid(), SIGUSR1, 30);
	r = sys4(SYS_rt_sigsuspend, &temp, 8, 0, 0);
	reap(k);
	CCHECK(r == -EINTR, "rt_sigsuspend returned %s, want -EINTR", ut_rstr(r));
	CCHECK(got_count == 1 && got_mask == bit(SIGUSR1),
	    "handler ran %d times, mask %#llx", got_count, (unsigned long long)got_mask);
	CCHECK(cur_mask() == bit(SIGUSR1), "mask after %#llx", (unsigned long long)cur_mask());
}

static void
t_sigsuspend_sleeping(void)
{
	CHECK_EXIT(c_sigsuspend_sleeping, 0, 0);
}

/*
 * A read from an empty pipe, interrupted by a handler: with SA_RESTART it
 * goes on and returns the byte written later; without, -EINTR.
 */
static void
c_pipe_restart(void *arg)
{
	int restart = (int)(long)arg;
	int fds[2];
	char c = 0;
	long k, w, r;

	CCHECK(catch(SIGUSR1, 0, restart ? SA_RESTART : 0) == 0, "sigaction failed");
	CCHECK(sys2(SYS_pipe2, fds, 0) == 0, "pipe2 failed");
	k = signal_later(sys_getpid(), SIGUSR1, 30);
	w = sys_fork();
	if (w == 0) {
		ut_sleep_ms(120);
		sys_write(fds[1], "x", 1);
		sys_exit_group(0);
	}
	r = sys_read(fds[0], &c, 1);
	reap(k);
	reap(w);
	CCHECK(got_count == 1, "handler ran %d times", got_count);
	if (restart)
		CCHECK(r == 1 && c == 'x', "read returned %s", ut_rstr(r));
	else
		CCHECK(r == -EINTR, "read returned %s, want -EINTR", ut_rstr(r));
}

static void
t_pipe_restart(void)
{
	CHECK_EXIT(c_pipe_restart, (void *)1L, 0);
	CHECK_EXIT(c_pipe_restart, (void *)0L, 0);
}

/* nanosleep is never restarted after a handler: -EINTR and the time left. */
static void
c_nanosleep_eintr(void *arg)
{
	struct timespec ts = { 2, 0 }, rem = { 0, 0 };
	long long t0, t;
	long k, r;

	(void)arg;
	CCHECK(catch(SIGUSR1, 0, SA_RESTART) == 0, "sigaction failed");
	k = signal_later(sys_getpid(), SIGUSR1, 50);
	t0 = ut_now_ns();
	r = sys2(SYS_nanosleep, &ts, &rem);
	t = ut_now_ns() - t0;
	reap(k);
	CCHECK(r == -EINTR, "nanosleep returned %s, want -EINTR", ut_rstr(r));
	CCHECK(got_count == 1, "handler ran %d times", got_count);
	CCHECK(t < 1000000000LL, "slept %lld ms of 2 s", t / 1000000);
	CCHECK(rem.tv_sec == 1 || (rem.tv_sec == 0 && rem.tv_nsec > 500000000),
	    "time left %ld.%09ld s", (long)rem.tv_sec, (long)rem.tv_nsec);
}

static void
t_nanosleep_eintr(void)
{
	CHECK_EXIT(c_nanosleep_eintr, 0, 0);
}

/* 2^63 seconds and more: as long as one likes (Linux saturates), not 0. */
static void
c_sleep_forever(void *arg)
{
	struct timespec ts = { INT64_MAX, 999999999 };

	(void)arg;
	sys2(SYS_nanosleep, &ts, 0);
	sys_exit_group(3);
}

static void
t_nanosleep_huge(void)
{
	long pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_sleep_forever, 0));
	ut_sleep_ms(100);
	CHECK_EQ(sys_wait4(pid, &st, WNOHANG), 0);
	CHECK_EQ(sys_kill(pid, SIGKILL), 0);
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "sleeper %s", ut_status_str(st));
}

/* ---- sigaltstack and SA_ONSTACK ---- */

static char alt_mem[16384] __attribute__((aligned(16)));
static volatile uintptr_t alt_seen_sp;
static volatile int alt_seen_flags, alt_seen_eperm;

static void
on_alt(int sig)
{
	stack_t cur, other = { .ss_sp = alt_mem, .ss_size = sizeof alt_mem };
	int local;

	(void)sig;
	alt_seen_sp = (uintptr_t)&local;
	sigaltstack(0, &cur);
	alt_seen_flags = cur.ss_flags;
	alt_seen_eperm = sigaltstack(&other, 0) == -1 && errno == EPERM;
}

static int
on_alt_stack(uintptr_t sp)
{
	return sp > (uintptr_t)alt_mem && sp <= (uintptr_t)alt_mem + sizeof alt_mem;
}

static void
c_altstack(void *arg)
{
	stack_t ss = { 0 }, old;
	struct sigaction sa = { 0 };

	(void)arg;
	CCHECK(sigaltstack(0, &old) == 0 && old.ss_flags == SS_DISABLE,
	    "initial flags %d, want SS_DISABLE", old.ss_flags);
	ss.ss_sp = alt_mem;
	ss.ss_size = 1024;
	CCHECK(sigaltstack(&ss, 0) == -1 && errno == ENOMEM, "a 1 KiB stack accepted");
	ss.ss_size = sizeof alt_mem;
	ss.ss_flags = 5;
	CCHECK(sigaltstack(&ss, 0) == -1 && errno == EINVAL, "flags 5 accepted");
	ss.ss_flags = 0;
	CCHECK_EQ(sigaltstack(&ss, 0), 0);
	CCHECK(sigaltstack(0, &old) == 0 && old.ss_sp == alt_mem &&
	    old.ss_size == sizeof alt_mem && old.ss_flags == 0, "sigaltstack read back");
	/* With SA_ONSTACK the handler runs there, and cannot change it meanwhile. */
	sa.sa_handler = on_alt;
	sa.sa_flags = SA_ONSTACK;
	CCHECK_EQ(sigaction(SIGUSR1, &sa, 0), 0);
	sys_kill(sys_getpid(), SIGUSR1);	/* not raise(): musl's tid is the parent's after a raw fork */
	CCHECK(on_alt_stack(alt_seen_sp), "handler's stack %#lx not on the alternate stack",
	    (unsigned long)alt_seen_sp);
	CCHECK_EQ(alt_seen_flags, SS_ONSTACK);
	CCHECK(alt_seen_eperm, "changing the stack from it was not EPERM");
	/* Without SA_ONSTACK: the ordinary stack. */
	sa.sa_flags = 0;
	CCHECK_EQ(sigaction(SIGUSR1, &sa, 0), 0);
	sys_kill(sys_getpid(), SIGUSR1);	/* not raise(): musl's tid is the parent's after a raw fork */
	CCHECK(!on_alt_stack(alt_seen_sp), "handler without SA_ONSTACK on the alternate stack");
	/* SS_AUTODISARM: off while in use, back after sigreturn. */
	ss.ss_flags = SS_AUTODISARM;
	CCHECK_EQ(sigaltstack(&ss, 0), 0);
	sa.sa_flags = SA_ONSTACK;
	CCHECK_EQ(sigaction(SIGUSR1, &sa, 0), 0);
	sys_kill(sys_getpid(), SIGUSR1);	/* not raise(): musl's tid is the parent's after a raw fork */
	CCHECK(on_alt_stack(alt_seen_sp), "autodisarm: handler not on the alternate stack");
	CCHECK_EQ(alt_seen_flags, SS_DISABLE);
	CCHECK(sigaltstack(0, &old) == 0 && old.ss_flags == (int)SS_AUTODISARM &&
	    old.ss_sp == alt_mem, "after the handler: flags %#x", old.ss_flags);
}

static void
t_altstack(void)
{
	CHECK_EXIT(c_altstack, 0, 0);
}

static void
on_overflow(int sig)
{
	int local;

	(void)sig;
	_exit(on_alt_stack((uintptr_t)&local) ? 42 : 1);
}

static void
c_overflow(void *arg)
{
	stack_t ss = { .ss_sp = alt_mem, .ss_size = sizeof alt_mem };
	struct sigaction sa = { 0 };

	(void)arg;
	CCHECK_EQ(sigaltstack(&ss, 0), 0);
	sa.sa_handler = on_overflow;
	sa.sa_flags = SA_ONSTACK;
	CCHECK_EQ(sigaction(SIGSEGV, &sa, 0), 0);
	ut_probe_stack_overflow(0);
}

static void
t_altstack_overflow(void)
{
	/* The classic use: a stack overflow's SIGSEGV handled on the alternate stack. */
	CHECK_EXIT(c_overflow, 0, 42);
}

const struct utest signal_tests[] = {
	{ "sigaltstack: checks, SA_ONSTACK handlers on it, EPERM from it, SS_AUTODISARM", t_altstack, 0 },
	{ "a stack overflow's SIGSEGV handled on the alternate stack", t_altstack_overflow, 0 },
	{ "signal handler: its signal and sa_mask blocked while it runs, the mask back after", t_handler_mask, 0 },
	{ "rt_sigsuspend: the handler under the temporary mask, then the old mask, -EINTR", t_sigsuspend, 0 },
	{ "rt_sigsuspend asleep, woken by another process's signal", t_sigsuspend_sleeping, 0 },
	{ "a pipe read interrupted: restarted with SA_RESTART, else -EINTR", t_pipe_restart, 0 },
	{ "nanosleep interrupted: -EINTR and the time left, even with SA_RESTART", t_nanosleep_eintr, 0 },
	{ "nanosleep of 2^63 s and more sleeps (no overflow to 0)", t_nanosleep_huge, 0 },
	{ 0, 0, 0 },
};
