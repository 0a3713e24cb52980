/*
 * t_select.c: select(2) and pselect6(2) on pipes, a regular file,
 * /dev/null and the console: readiness (EOF is readable, a pipe without
 * readers writable), the sets written back, nfds, EBADF, the timeout
 * written back with the time left (ppoll's too), a wake-up by another
 * process, signals (-EINTR after a handler, never restarted; pselect6's
 * and ppoll's temporary mask, with the old one back only after the
 * handler; an ignored signal does not interrupt), as Linux.
 *
 * Interface: select_tests[] (utest.h).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "utest.h"

#define NWORDS	16		/* FD_SETSIZE (1024) bits */

typedef struct { uint64_t w[NWORDS]; } fdset;
struct ktimeval { long tv_sec, tv_usec; };
struct ktimespec { long tv_sec, tv_nsec; };

static void
set(fdset *s, int fd)
{
	s->w[fd / 64] |= 1ULL << (fd % 64);
}

static int
isset(const fdset *s, int fd)
{
	return (s->w[fd / 64] >> (fd % 64)) & 1;
}

static long
sel(int n, fdset *r, fdset *w, fdset *e, struct ktimeval *tv)
{
	return sys5(SYS_select, n, r, w, e, tv);
}

/* pselect6 with a mask (or none when mask is null). */
static long
psel(int n, fdset *r, fdset *w, fdset *e, struct ktimespec *ts, uint64_t *mask)
{
	struct { uint64_t *ss; long len; } pack = { mask, 8 };

	return sys6(SYS_pselect6, n, (long)r, (long)w, (long)e, (long)ts, mask ? (long)&pack : 0);
}

static void
t_select_pipe(void)
{
	fdset r, w, e;
	struct ktimeval tv = { 0, 0 };
	int fds[2], n;

	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	n = fds[1] + 1;
	memset(&r, 0, sizeof r), memset(&w, 0, sizeof w), memset(&e, 0, sizeof e);
	set(&r, fds[0]), set(&w, fds[1]), set(&e, fds[0]), set(&e, fds[1]);
	CHECK_EQ(sel(n, &r, &w, &e, &tv), 1);		/* only the write end */
	CHECK(!isset(&r, fds[0]) && isset(&w, fds[1]), "sets: r %d w %d",
	    isset(&r, fds[0]), isset(&w, fds[1]));
	CHECK(!isset(&e, fds[0]) && !isset(&e, fds[1]), "a pipe is never exceptional");
	CHECK_EQ(sys_write(fds[1], "x", 1), 1);
	/* Both ends in both sets: each bit that is ready counts. */
	memset(&r, 0, sizeof r), memset(&w, 0, sizeof w);
	set(&r, fds[0]), set(&r, fds[1]), set(&w, fds[0]), set(&w, fds[1]);
	CHECK_EQ(sel(n, &r, &w, 0, &tv), 2);
	CHECK(isset(&r, fds[0]) && isset(&w, fds[1]), "data and room");
	CHECK(!isset(&r, fds[1]) && !isset(&w, fds[0]), "the wrong ends");
	/* No writer: readable (EOF) even once drained. */
	sys_close(fds[1]);
	memset(&r, 0, sizeof r);
	set(&r, fds[0]);
	CHECK_EQ(sel(n, &r, 0, 0, &tv), 1);
	CHECK_EQ(sys_read(fds[0], &n, 1), 1);
	memset(&r, 0, sizeof r);
	set(&r, fds[0]);
	CHECK_EQ(sel(fds[0] + 1, &r, 0, 0, &tv), 1);
	CHECK(isset(&r, fds[0]), "EOF is readable");
	sys_close(fds[0]);
	/* No reader: the write end is writable (a write would fail at once). */
	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	sys_close(fds[0]);
	memset(&w, 0, sizeof w);
	set(&w, fds[1]);
	CHECK_EQ(sel(fds[1] + 1, 0, &w, 0, &tv), 1);
	CHECK(isset(&w, fds[1]), "no reader: writable");
	sys_close(fds[1]);
}

/* /dev/null (Linux's initramfs has none: made as the hostile suite makes it). */
static long
open_null(void)
{
	sys3(SYS_mknod, "/dev/null", S_IFCHR | 0666, makedev(1, 3));
	return sys_open("/dev/null", O_RDWR);
}

static void
t_select_kinds(void)
{
	fdset r, w, e;
	struct ktimespec ts = { 0, 0 };
	long f, nul;

	CHECK_OK(f, sys_open(DATA_PATH, O_RDONLY));
	CHECK_OK(nul, open_null());
	memset(&r, 0, sizeof r), memset(&w, 0, sizeof w), memset(&e, 0, sizeof e);
	set(&r, f), set(&w, f), set(&r, nul), set(&w, nul), set(&e, f), set(&e, nul);
	set(&w, 1);					/* the console: writable */
	CHECK_EQ(psel(1024, &r, &w, &e, &ts, 0), 5);
	CHECK(isset(&r, f) && isset(&w, f) && isset(&r, nul) && isset(&w, nul) && isset(&w, 1),
	    "files and the console are ready");
	CHECK(!isset(&e, f) && !isset(&e, nul), "nothing exceptional");
	sys_close(f);
	sys_close(nul);
}

/* nfds bounds the sets: bits at nfds and above are neither looked at nor kept. */
static void
t_select_nfds(void)
{
	fdset r;
	struct ktimeval tv = { 0, 0 };
	long f;
	int hole;

	CHECK_OK(f, sys_open(DATA_PATH, O_RDONLY));
	hole = 60;
	CHECK_ERR(sys2(SYS_fcntl, hole, F_GETFD), EBADF);	/* not open */
	memset(&r, 0, sizeof r);
	set(&r, f), set(&r, hole);
	CHECK_ERR(sel(hole + 1, &r, 0, 0, &tv), EBADF);
	CHECK(isset(&r, f) && isset(&r, hole), "EBADF changed the set");
	CHECK_EQ(sel(hole, &r, 0, 0, &tv), 1);
	CHECK(isset(&r, f) && !isset(&r, hole), "the bit past nfds was kept");
	CHECK_EQ(sel(0, &r, 0, 0, &tv), 0);
	CHECK_ERR(sel(-1, &r, 0, 0, &tv), EINVAL);
	sys_close(f);
}

static void
t_select_errors(void)
{
	fdset r;
	struct ktimeval tv = { 0, -1 }, big = { 0, 1500000 };
	struct ktimespec ts = { 0, 1000000000 };
	struct { uint64_t *ss; long len; } pack;
	uint64_t mask = 0;
	long f;

	memset(&r, 0, sizeof r);
	CHECK_ERR(sel(1, &r, 0, 0, &tv), EINVAL);	/* a negative tv_usec */
	tv = (struct ktimeval){ -1, 0 };
	CHECK_ERR(sel(1, &r, 0, 0, &tv), EINVAL);
	CHECK_ERR(psel(1, &r, 0, 0, &ts, 0), EINVAL);
	ts.tv_nsec = 0;
	pack.ss = &mask, pack.len = 4;
	CHECK_ERR(sys6(SYS_pselect6, 1, (long)&r, 0, 0, (long)&ts, (long)&pack), EINVAL);
	pack.ss = 0;					/* no mask: the size is not looked at */
	CHECK_EQ(sys6(SYS_pselect6, 1, (long)&r, 0, 0, (long)&ts, (long)&pack), 0);
	/* tv_usec of a second or more is normalized, and the time left written back. */
	CHECK_OK(f, sys_open(DATA_PATH, O_RDONLY));
	set(&r, f);
	CHECK_EQ(sel(f + 1, &r, 0, 0, &big), 1);
	CHECK(big.tv_sec == 1 && big.tv_usec > 400000 && big.tv_usec < 500000,
	    "time left %ld.%06ld", big.tv_sec, big.tv_usec);
	sys_close(f);
}

static void
t_select_timeout(void)
{
	fdset r;
	struct ktimeval tv = { 0, 50000 };
	struct ktimespec ts = { 0, 30000000 };
	struct pollfd pf;
	int fds[2];
	long long t0;

	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	memset(&r, 0, sizeof r);
	set(&r, fds[0]);
	t0 = ut_now_ns();
	CHECK_EQ(sel(fds[0] + 1, &r, 0, 0, &tv), 0);
	CHECK(ut_now_ns() - t0 >= 50 * 1000000LL, "select(50 ms) took %lld ns", ut_now_ns() - t0);
	CHECK(!isset(&r, fds[0]), "the set was not cleared");
	CHECK(tv.tv_sec == 0 && tv.tv_usec == 0, "time left %ld.%06ld", tv.tv_sec, tv.tv_usec);
	set(&r, fds[0]);
	t0 = ut_now_ns();
	CHECK_EQ(psel(fds[0] + 1, &r, 0, 0, &ts, 0), 0);
	CHECK(ut_now_ns() - t0 >= 30 * 1000000LL, "pselect6(30 ms) took %lld ns", ut_now_ns() - t0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0, "time left %ld.%09ld", ts.tv_sec, ts.tv_nsec);
	/* ppoll writes its time left back too. */
	ts = (struct ktimespec){ 0, 20000000 };
	pf = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	CHECK_EQ(sys5(SYS_ppoll, &pf, 1, &ts, 0, 8), 0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0, "ppoll: time left %ld.%09ld", ts.tv_sec, ts.tv_nsec);
	ts = (struct ktimespec){ 5, 0 };
	CHECK_EQ(sys_write(fds[1], "x", 1), 1);
	CHECK_EQ(sys5(SYS_ppoll, &pf, 1, &ts, 0, 8), 1);
	CHECK(ts.tv_sec == 4 && ts.tv_nsec > 900000000, "ppoll: time left %ld.%09ld",
	    ts.tv_sec, ts.tv_nsec);
	sys_close(fds[0]);
	sys_close(fds[1]);
}

static int wake_fd;

static void
c_writer(void *a)
{
	(void)a;
	ut_sleep_ms(100);
	sys_write(wake_fd, "w", 1);
}

static void
t_select_wakeup(void)
{
	fdset r;
	int fds[2], st;
	long pid;

	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	wake_fd = fds[1];
	CHECK_OK(pid, ut_spawn(c_writer, 0));
	memset(&r, 0, sizeof r);
	set(&r, fds[0]);
	CHECK_EQ(sel(fds[0] + 1, &r, 0, 0, 0), 1);	/* asleep until the write */
	CHECK(isset(&r, fds[0]), "not readable");
	CHECK_EQ(ut_wait(pid, &st), 0);
	sys_close(fds[0]);
	sys_close(fds[1]);
}

/* ---- signals ---- */

static volatile int got_count;
static volatile uint64_t got_mask;

static uint64_t
cur_mask(void)
{
	uint64_t m = 0;

	sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, &m, 8);
	return m;
}

static void
on_signal(int sig)
{
	(void)sig;
	got_count++;
	got_mask = cur_mask();
}

static int
catch(int sig, int flags)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = on_signal;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, 0);
}

#define BIT(sig)	(1ULL << ((sig) - 1))

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

/* A handler (even SA_RESTART) ends select with -EINTR, and the time left written back. */
static void
c_select_eintr(void *a)
{
	struct ktimeval tv = { 2, 0 };
	fdset r;
	int fds[2];
	long k, ret;

	(void)a;
	CCHECK(catch(SIGUSR1, SA_RESTART) == 0, "sigaction");
	CCHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	memset(&r, 0, sizeof r);
	set(&r, fds[0]);
	k = signal_later(sys_getpid(), SIGUSR1, 30);
	ret = sel(fds[0] + 1, &r, 0, 0, &tv);
	CCHECK_EQ(ret, -EINTR);
	CCHECK_EQ(got_count, 1);
	CCHECK(tv.tv_sec == 1 || (tv.tv_sec == 0 && tv.tv_usec > 0), "time left %ld.%06ld",
	    tv.tv_sec, tv.tv_usec);
	CCHECK(isset(&r, fds[0]), "the sets are left alone on -EINTR");
	ut_wait(k, (int[]){ 0 });
}

static void
t_select_eintr(void)
{
	CHECK_EXIT(c_select_eintr, 0, 0);
}

/*
 * pselect6 and ppoll: SIGUSR1, blocked and pending, let in by the call's
 * mask: -EINTR even with a zero timeout, the handler runs with the
 * temporary mask (plus SIGUSR1), and the old mask is back afterwards.
 */
static void
c_mask_lets_in(void *a)
{
	int use_ppoll = (int)(long)a;
	uint64_t block = BIT(SIGUSR1), tmp = BIT(SIGUSR2);
	struct ktimespec ts = { 0, 0 };
	struct pollfd pf;
	fdset r;
	int fds[2];
	long ret;

	CCHECK(catch(SIGUSR1, 0) == 0, "sigaction");
	CCHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	CCHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_SETMASK, &block, 0, 8), 0);
	sys_kill(sys_getpid(), SIGUSR1);
	CCHECK_EQ(got_count, 0);
	memset(&r, 0, sizeof r);
	set(&r, fds[0]);
	pf = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	if (use_ppoll)
		ret = sys5(SYS_ppoll, &pf, 1, &ts, &tmp, 8);
	else
		ret = psel(fds[0] + 1, &r, 0, 0, &ts, &tmp);
	CCHECK_EQ(ret, -EINTR);
	CCHECK_EQ(got_count, 1);
	CCHECK(got_mask == (BIT(SIGUSR1) | BIT(SIGUSR2)), "mask in the handler %#llx",
	    (unsigned long long)got_mask);
	CCHECK(cur_mask() == block, "mask after %#llx", (unsigned long long)cur_mask());
}

static void
t_mask_lets_in(void)
{
	CHECK_EXIT(c_mask_lets_in, (void *)0L, 0);
	CHECK_EXIT(c_mask_lets_in, (void *)1L, 0);
}

/*
 * pselect6's mask blocks SIGUSR1 while it waits: the signal does not end
 * the wait; the handler runs once the call returns with the old mask.
 */
static void
c_mask_blocks(void *a)
{
	uint64_t tmp = BIT(SIGUSR1);
	struct ktimespec ts = { 0, 150000000 };
	fdset r;
	int fds[2];
	long k, ret;

	(void)a;
	CCHECK(catch(SIGUSR1, 0) == 0, "sigaction");
	CCHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	memset(&r, 0, sizeof r);
	set(&r, fds[0]);
	k = signal_later(sys_getpid(), SIGUSR1, 30);
	ret = psel(fds[0] + 1, &r, 0, 0, &ts, &tmp);
	CCHECK_EQ(ret, 0);
	CCHECK_EQ(got_count, 1);
	CCHECK_EQ(cur_mask(), 0);
	ut_wait(k, (int[]){ 0 });
}

static void
t_mask_blocks(void)
{
	CHECK_EXIT(c_mask_blocks, 0, 0);
}

/* A child's exit (SIGCHLD, ignored by default) does not end a select. */
static void
t_select_ignored(void)
{
	struct ktimeval tv = { 0, 150000 };
	fdset r;
	int fds[2], st;
	long pid;

	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	CHECK_OK(pid, sys_fork());
	if (pid == 0) {
		ut_sleep_ms(20);
		sys_exit_group(0);
	}
	memset(&r, 0, sizeof r);
	set(&r, fds[0]);
	CHECK_EQ(sel(fds[0] + 1, &r, 0, 0, &tv), 0);
	CHECK_EQ(ut_wait(pid, &st), 0);
	sys_close(fds[0]);
	sys_close(fds[1]);
}

const struct utest select_tests[] = {
	{ "select on a pipe: data, room, EOF readable, no reader writable", t_select_pipe, 0 },
	{ "select/pselect6 on a file, /dev/null, the console", t_select_kinds, 0 },
	{ "select: nfds bounds the sets, EBADF, nfds < 0", t_select_nfds, 0 },
	{ "select/pselect6 argument errors; tv_usec normalized", t_select_errors, 0 },
	{ "select, pselect6, ppoll time out and write back the time left", t_select_timeout, 0 },
	{ "select sleeps until another process writes the pipe", t_select_wakeup, 0 },
	{ "select: a handler ends it with -EINTR (SA_RESTART or not)", t_select_eintr, 0 },
	{ "pselect6/ppoll: the mask lets a pending signal in: -EINTR, old mask after",
	  t_mask_lets_in, 0 },
	{ "pselect6: a signal its mask blocks waits until the call returns", t_mask_blocks, 0 },
	{ "select: SIGCHLD (ignored) does not interrupt it", t_select_ignored, 0 },
	{ 0, 0, 0 },
};
