/*
 * t_epoll.c: eventfd(2) and epoll(7), as Linux: the eventfd counter's
 * rules (8-byte reads and writes, EFD_SEMAPHORE, EFD_NONBLOCK, a write
 * that would overflow sleeping), its readiness in poll and select;
 * epoll's interest list on pipes and eventfds, level- and
 * edge-triggered, EPOLLONESHOT, EPOLLHUP/EPOLLERR, epoll_ctl's errors
 * (EEXIST, ENOENT, EINVAL, EPERM, ELOOP, EBADF), a close of the last
 * reference removing an item, a pollable and nested epoll file,
 * timeouts, wake-ups and signals in epoll_wait/pwait/pwait2.
 *
 * Interface: epoll_tests[] (utest.h).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include "utest.h"

struct ktimespec { long tv_sec, tv_nsec; };

static long
efd_write(long fd, uint64_t v)
{
	return sys_write(fd, &v, 8);
}

/* The counter read from fd, or -errno. */
static long
efd_read(long fd)
{
	uint64_t v = 0;
	long r = sys_read(fd, &v, 8);

	return r == 8 ? (long)v : r < 0 ? r : -999;
}

static int
poll_events(long fd)
{
	struct pollfd pf = { .fd = (int)fd, .events = POLLIN | POLLOUT };

	return sys3(SYS_poll, &pf, 1, 0) < 0 ? -1 : pf.revents;
}

static void
t_eventfd_rw(void)
{
	char buf[16];
	long fd, s;

	CHECK_OK(fd, sys2(SYS_eventfd2, 3, EFD_NONBLOCK));
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_RDWR | O_NONBLOCK);
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFD), 0);
	CHECK_EQ(efd_read(fd), 3);
	CHECK_ERR(efd_read(fd), EAGAIN);
	CHECK_EQ(efd_write(fd, 2), 8);
	CHECK_EQ(efd_write(fd, 5), 8);
	CHECK_EQ(efd_write(fd, 0), 8);
	CHECK_ERR(sys_read(fd, buf, 7), EINVAL);	/* short buffers */
	CHECK_ERR(sys_read(fd, buf, 0), EINVAL);
	CHECK_ERR(sys_write(fd, buf, 4), EINVAL);
	CHECK_ERR(efd_write(fd, UINT64_MAX), EINVAL);
	CHECK_EQ(sys_read(fd, buf, 16), 8);		/* a longer one takes 8 bytes */
	CHECK_EQ(*(uint64_t *)buf, 7);
	sys_close(fd);

	CHECK_OK(s, sys2(SYS_eventfd2, 2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC));
	CHECK_EQ(sys2(SYS_fcntl, s, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(efd_read(s), 1);
	CHECK_EQ(efd_read(s), 1);
	CHECK_ERR(efd_read(s), EAGAIN);
	sys_close(s);

	CHECK_ERR(sys2(SYS_eventfd2, 0, 0x10), EINVAL);
	CHECK_ERR(sys2(SYS_eventfd2, 0, O_RDWR), EINVAL);
	CHECK_OK(fd, sys1(SYS_eventfd, 9));		/* eventfd: no flags, blocking */
	CHECK_EQ(sys2(SYS_fcntl, fd, F_GETFL), O_RDWR);
	CHECK_EQ(efd_read(fd), 9);
	sys_close(fd);
}

static long blocked_fd;

static void
c_drain_later(void *a)
{
	(void)a;
	ut_sleep_ms(80);
	sys_read(blocked_fd, &(uint64_t){ 0 }, 8);
}

static void
c_write_later(void *a)
{
	(void)a;
	ut_sleep_ms(80);
	efd_write(blocked_fd, 4);
}

/* Readiness, and a write that would pass UINT64_MAX - 1 sleeps until a read. */
static void
t_eventfd_overflow(void)
{
	long fd, pid;
	long long t0;
	int st;

	CHECK_OK(fd, sys2(SYS_eventfd2, 0, 0));
	CHECK_EQ(poll_events(fd), POLLOUT);
	CHECK_EQ(efd_write(fd, UINT64_MAX - 1), 8);
	CHECK_EQ(poll_events(fd), POLLIN);		/* not writable: no room for 1 */
	CHECK_EQ(sys3(SYS_fcntl, fd, F_SETFL, O_NONBLOCK), 0);
	CHECK_ERR(efd_write(fd, 1), EAGAIN);
	CHECK_EQ(efd_write(fd, 0), 8);
	CHECK_EQ(sys3(SYS_fcntl, fd, F_SETFL, 0), 0);
	blocked_fd = fd;
	CHECK_OK(pid, ut_spawn(c_drain_later, 0));
	t0 = ut_now_ns();
	CHECK_EQ(efd_write(fd, 1), 8);			/* sleeps until the read */
	CHECK(ut_now_ns() - t0 >= 50 * 1000000LL, "the write did not wait");
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK_EQ(poll_events(fd), POLLIN | POLLOUT);
	CHECK_EQ(efd_read(fd), 1);
	/* A read sleeps until a write. */
	CHECK_OK(pid, ut_spawn(c_write_later, 0));
	CHECK_EQ(efd_read(fd), 4);
	CHECK_EQ(ut_wait(pid, &st), 0);
	sys_close(fd);
}

/* ---- epoll ---- */

static long
ep_add(long ep, long fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { .events = events, .data.u64 = data };

	return sys4(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, fd, &e);
}

static long
ep_mod(long ep, long fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { .events = events, .data.u64 = data };

	return sys4(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, fd, &e);
}

static long
ep_wait(long ep, struct epoll_event *ev, int max, int ms)
{
	return sys4(SYS_epoll_wait, ep, ev, max, ms);
}

static void
t_epoll_pipe(void)
{
	struct epoll_event ev[4];
	int fds[2];
	long ep;
	char c;

	CHECK_OK(ep, sys1(SYS_epoll_create1, 0));
	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	CHECK_EQ(ep_add(ep, fds[0], EPOLLIN, 42), 0);
	CHECK_EQ(ep_wait(ep, ev, 4, 0), 0);
	CHECK_EQ(sys_write(fds[1], "ab", 2), 2);
	CHECK_EQ(ep_wait(ep, ev, 4, 0), 1);
	CHECK(ev[0].events == EPOLLIN && ev[0].data.u64 == 42, "event %#x data %lu",
	    ev[0].events, (unsigned long)ev[0].data.u64);
	CHECK_EQ(ep_wait(ep, ev, 4, 0), 1);		/* level-triggered: still there */
	CHECK_EQ(sys_read(fds[0], &c, 1), 1);
	CHECK_EQ(ep_wait(ep, ev, 4, -1), 1);
	CHECK_EQ(sys_read(fds[0], &c, 1), 1);
	CHECK_EQ(ep_wait(ep, ev, 4, 0), 0);
	/* The write end: EPOLLOUT; then no writer: EPOLLHUP, asked for or not. */
	CHECK_EQ(ep_add(ep, fds[1], EPOLLOUT, 7), 0);
	CHECK_EQ(ep_wait(ep, ev, 4, 0), 1);
	CHECK(ev[0].events == EPOLLOUT && ev[0].data.u64 == 7, "write end: %#x", ev[0].events);
	sys_close(fds[1]);				/* its item goes with it */
	CHECK_EQ(ep_wait(ep, ev, 4, 0), 1);
	CHECK(ev[0].events == EPOLLHUP && ev[0].data.u64 == 42, "no writer: %#x", ev[0].events);
	sys_close(fds[0]);
	/* No reader: EPOLLERR on the write end. */
	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	CHECK_EQ(ep_add(ep, fds[1], 0, 8), 0);
	CHECK_EQ(ep_wait(ep, ev, 4, 0), 0);
	sys_close(fds[0]);
	CHECK_EQ(ep_wait(ep, ev, 4, 0), 1);
	CHECK(ev[0].events == EPOLLERR && ev[0].data.u64 == 8, "no reader: %#x", ev[0].events);
	sys_close(fds[1]);
	sys_close(ep);
}

/* EPOLLET: once per event, even with data left; MOD reports what is ready again. */
static void
t_epoll_et(void)
{
	static char buf[4096];
	struct epoll_event ev[2];
	int fds[2];
	long ep, r;

	CHECK_OK(ep, sys1(SYS_epoll_create, 1));
	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	CHECK_EQ(sys_write(fds[1], "a", 1), 1);
	CHECK_EQ(ep_add(ep, fds[0], EPOLLIN | EPOLLET, 1), 0);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 1);		/* ready when added */
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 0);
	CHECK_EQ(sys_write(fds[1], "b", 1), 1);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 1);
	CHECK_EQ(ev[0].events, EPOLLIN);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 0);
	CHECK_EQ(ep_mod(ep, fds[0], EPOLLIN | EPOLLET, 2), 0);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 1);
	CHECK_EQ(ev[0].data.u64, 2);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 0);
	/*
	 * The write end, edge-triggered: only a read from a full pipe is an
	 * event for it (Linux's pipe_read wakes writers if it was full).
	 */
	CHECK_EQ(sys_read(fds[0], buf, 2), 2);
	CHECK_EQ(ep_add(ep, fds[1], EPOLLOUT | EPOLLET, 3), 0);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 1);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 0);
	CHECK_EQ(sys_write(fds[1], "c", 1), 1);
	CHECK_EQ(sys_read(fds[0], buf, 1), 1);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 0);
	CHECK_EQ(sys3(SYS_fcntl, fds[1], F_SETFL, O_NONBLOCK), 0);
	while ((r = sys_write(fds[1], buf, sizeof buf)) == sizeof buf)
		;
	CHECK_ERR(r, EAGAIN);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 1);		/* the data: the read end */
	CHECK_EQ(ev[0].data.u64, 2);
	CHECK_EQ(sys_read(fds[0], buf, sizeof buf), sizeof buf);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 1);
	CHECK(ev[0].events == EPOLLOUT && ev[0].data.u64 == 3, "room: %#x", ev[0].events);
	sys_close(fds[0]);
	sys_close(fds[1]);
	sys_close(ep);
}

static void
t_epoll_oneshot(void)
{
	struct epoll_event ev[2];
	long ep, e;

	CHECK_OK(ep, sys1(SYS_epoll_create1, EPOLL_CLOEXEC));
	CHECK_EQ(sys2(SYS_fcntl, ep, F_GETFD), FD_CLOEXEC);
	CHECK_OK(e, sys2(SYS_eventfd2, 1, EFD_NONBLOCK));
	CHECK_EQ(ep_add(ep, e, EPOLLIN | EPOLLONESHOT, 5), 0);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 1);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 0);		/* disabled, though readable */
	CHECK_EQ(efd_write(e, 1), 8);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 0);
	CHECK_ERR(ep_add(ep, e, EPOLLIN, 5), EEXIST);	/* still in the list */
	CHECK_EQ(ep_mod(ep, e, EPOLLIN | EPOLLONESHOT, 6), 0);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 1);
	CHECK(ev[0].events == EPOLLIN && ev[0].data.u64 == 6, "after MOD: %#x", ev[0].events);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 0);
	sys_close(e);
	sys_close(ep);
}

/* /dev/null (Linux's initramfs has none: made as the hostile suite makes it). */
static long
open_null(void)
{
	sys3(SYS_mknod, "/dev/null", S_IFCHR | 0666, makedev(1, 3));
	return sys_open("/dev/null", O_RDWR);
}

static void
t_epoll_ctl_errors(void)
{
	struct epoll_event e = { .events = EPOLLIN }, ev[1];
	int fds[2];
	long ep, ep2, f, nul;

	CHECK_ERR(sys1(SYS_epoll_create, 0), EINVAL);
	CHECK_ERR(sys1(SYS_epoll_create1, 1), EINVAL);
	CHECK_OK(ep, sys1(SYS_epoll_create1, 0));
	CHECK_OK(ep2, sys1(SYS_epoll_create1, 0));
	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	CHECK_OK(f, sys_open(DATA_PATH, O_RDONLY));
	CHECK_OK(nul, open_null());
	CHECK_ERR(ep_add(ep, f, EPOLLIN, 0), EPERM);	/* no poll: a regular file */
	CHECK_ERR(ep_add(ep, nul, EPOLLIN, 0), EPERM);
	CHECK_ERR(ep_add(ep, 60, EPOLLIN, 0), EBADF);
	CHECK_ERR(ep_add(60, fds[0], EPOLLIN, 0), EBADF);
	CHECK_ERR(ep_add(fds[1], fds[0], EPOLLIN, 0), EINVAL);	/* not an epoll */
	CHECK_ERR(ep_add(ep, ep, EPOLLIN, 0), EINVAL);	/* itself */
	CHECK_ERR(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, fds[0], 0), ENOENT);
	CHECK_ERR(ep_mod(ep, fds[0], EPOLLIN, 0), ENOENT);
	CHECK_EQ(ep_add(ep, fds[0], EPOLLIN, 0), 0);
	CHECK_ERR(ep_add(ep, fds[0], EPOLLIN, 0), EEXIST);
	CHECK_ERR(sys4(SYS_epoll_ctl, ep, 99, fds[0], &e), EINVAL);
	CHECK_ERR(ep_mod(ep, fds[0], EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
	CHECK_ERR(ep_add(ep, fds[1], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 0), EINVAL);
	CHECK_EQ(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, fds[0], 0), 0);	/* event unused */
	CHECK_ERR(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, fds[0], 0), ENOENT);
	/* The same file under two descriptors: two items. */
	CHECK_EQ(ep_add(ep, fds[0], EPOLLIN, 0), 0);
	CHECK_OK(f, sys1(SYS_dup, fds[0]));
	CHECK_EQ(ep_add(ep, f, EPOLLIN, 0), 0);
	/* Epoll files in epoll files: a cycle is ELOOP. */
	CHECK_EQ(ep_add(ep, ep2, EPOLLIN, 0), 0);
	CHECK_ERR(ep_add(ep2, ep, EPOLLIN, 0), ELOOP);
	CHECK_ERR(ep_add(ep, ep2, EPOLLIN | EPOLLEXCLUSIVE, 0), EINVAL);
	/* epoll_wait's own checks. */
	CHECK_ERR(ep_wait(ep, ev, 0, 0), EINVAL);
	CHECK_ERR(ep_wait(ep, ev, -1, 0), EINVAL);
	CHECK_ERR(ep_wait(fds[0], ev, 1, 0), EINVAL);
	CHECK_ERR(ep_wait(60, ev, 1, 0), EBADF);
	sys_close(f);
	sys_close(nul);
	sys_close(fds[0]);
	sys_close(fds[1]);
	sys_close(ep2);
	sys_close(ep);
}

/* An item goes when the last reference to its file does, not before. */
static void
t_epoll_close(void)
{
	struct epoll_event ev[2];
	long ep, e, d;

	CHECK_OK(ep, sys1(SYS_epoll_create1, 0));
	CHECK_OK(e, sys2(SYS_eventfd2, 1, 0));
	CHECK_EQ(ep_add(ep, e, EPOLLIN, 77), 0);
	CHECK_OK(d, sys1(SYS_dup, e));
	sys_close(e);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 1);		/* the dup keeps it */
	CHECK_EQ(ev[0].data.u64, 77);
	CHECK_ERR(sys4(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, e, 0), EBADF);
	sys_close(d);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 0);
	/* The number can be used again: the old item is gone. */
	CHECK_OK(e, sys2(SYS_eventfd2, 1, 0));
	CHECK_EQ(ep_add(ep, e, EPOLLIN, 78), 0);
	CHECK_EQ(ep_wait(ep, ev, 2, 0), 1);
	CHECK_EQ(ev[0].data.u64, 78);
	sys_close(e);
	sys_close(ep);
}

/* An epoll file polls readable while an item is ready; nested, it is an item. */
static void
t_epoll_nested(void)
{
	struct epoll_event ev[2];
	long outer, inner, e;

	CHECK_OK(outer, sys1(SYS_epoll_create1, 0));
	CHECK_OK(inner, sys1(SYS_epoll_create1, 0));
	CHECK_OK(e, sys2(SYS_eventfd2, 0, 0));
	CHECK_EQ(ep_add(inner, e, EPOLLIN, 1), 0);
	CHECK_EQ(ep_add(outer, inner, EPOLLIN, 2), 0);
	CHECK_EQ(poll_events(inner), 0);
	CHECK_EQ(ep_wait(outer, ev, 2, 0), 0);
	CHECK_EQ(efd_write(e, 3), 8);
	CHECK_EQ(poll_events(inner), POLLIN);
	CHECK_EQ(ep_wait(outer, ev, 2, 0), 1);
	CHECK(ev[0].events == EPOLLIN && ev[0].data.u64 == 2, "outer: %#x", ev[0].events);
	CHECK_EQ(ep_wait(inner, ev, 2, 0), 1);
	CHECK_EQ(ev[0].data.u64, 1);
	CHECK_EQ(efd_read(e), 3);
	CHECK_EQ(poll_events(inner), 0);
	sys_close(e);
	sys_close(inner);
	sys_close(outer);
}

/* Fewer events than are ready: the others come next (each item once in three waits). */
static void
t_epoll_fair(void)
{
	struct epoll_event ev[1];
	long ep, e[3];
	int seen = 0;

	CHECK_OK(ep, sys1(SYS_epoll_create1, 0));
	for (int i = 0; i < 3; i++) {
		CHECK_OK(e[i], sys2(SYS_eventfd2, 1, 0));
		CHECK_EQ(ep_add(ep, e[i], EPOLLIN, i), 0);
	}
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(ep_wait(ep, ev, 1, 0), 1);
		seen |= 1 << ev[0].data.u64;
	}
	CHECK_EQ(seen, 7);
	for (int i = 0; i < 3; i++)
		sys_close(e[i]);
	sys_close(ep);
}

static void
t_epoll_timeout(void)
{
	struct epoll_event ev[1];
	struct ktimespec ts = { 0, 30000000 };
	long ep, e, pid;
	long long t0;
	int st;

	CHECK_OK(ep, sys1(SYS_epoll_create1, 0));
	CHECK_OK(e, sys2(SYS_eventfd2, 0, 0));
	CHECK_EQ(ep_add(ep, e, EPOLLIN, 9), 0);
	t0 = ut_now_ns();
	CHECK_EQ(ep_wait(ep, ev, 1, 50), 0);
	CHECK(ut_now_ns() - t0 >= 50 * 1000000LL, "epoll_wait(50 ms) took %lld ns",
	    ut_now_ns() - t0);
	t0 = ut_now_ns();
	CHECK_EQ(sys6(SYS_epoll_pwait2, ep, (long)ev, 1, (long)&ts, 0, 8), 0);
	CHECK(ut_now_ns() - t0 >= 30 * 1000000LL, "epoll_pwait2(30 ms) took %lld ns",
	    ut_now_ns() - t0);
	CHECK(ts.tv_nsec == 30000000, "epoll_pwait2 wrote its timeout");
	ts.tv_nsec = 1000000000;
	CHECK_ERR(sys6(SYS_epoll_pwait2, ep, (long)ev, 1, (long)&ts, 0, 8), EINVAL);
	CHECK_ERR(sys6(SYS_epoll_pwait, ep, (long)ev, 1, 0, (long)&ts, 4), EINVAL);
	/* Asleep until another process writes the eventfd. */
	blocked_fd = e;
	CHECK_OK(pid, ut_spawn(c_write_later, 0));
	CHECK_EQ(ep_wait(ep, ev, 1, -1), 1);
	CHECK(ev[0].events == EPOLLIN && ev[0].data.u64 == 9, "woken: %#x", ev[0].events);
	CHECK_EQ(ut_wait(pid, &st), 0);
	sys_close(e);
	sys_close(ep);
}

/* ---- signals ---- */

static volatile int got_count;

static void
on_signal(int sig)
{
	(void)sig;
	got_count++;
}

static uint64_t
cur_mask(void)
{
	uint64_t m = 0;

	sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, &m, 8);
	return m;
}

#define BIT(sig)	(1ULL << ((sig) - 1))

/*
 * epoll_wait ends with -EINTR after a handler, SA_RESTART or not;
 * epoll_pwait's mask lets in a pending signal (-EINTR, the old mask
 * after); a blocking eventfd read is restarted under SA_RESTART.
 */
static void
c_epoll_signal(void *a)
{
	struct sigaction sa = { 0 };
	struct epoll_event ev[1];
	uint64_t block = BIT(SIGUSR1), none = 0;
	long ep, e, k;

	(void)a;
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	CCHECK(sigaction(SIGUSR1, &sa, 0) == 0, "sigaction");
	CCHECK((ep = sys1(SYS_epoll_create1, 0)) >= 0, "epoll_create1");
	CCHECK((e = sys2(SYS_eventfd2, 0, 0)) >= 0, "eventfd2");
	CCHECK_EQ(ep_add(ep, e, EPOLLIN, 1), 0);
	k = sys_fork();
	if (k == 0) {
		ut_sleep_ms(30);
		sys_kill(sys_getppid(), SIGUSR1);
		sys_exit_group(0);
	}
	CCHECK_EQ(ep_wait(ep, ev, 1, 5000), -EINTR);
	CCHECK_EQ(got_count, 1);
	ut_wait(k, (int[]){ 0 });

	CCHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_SETMASK, &block, 0, 8), 0);
	sys_kill(sys_getpid(), SIGUSR1);
	CCHECK_EQ(sys6(SYS_epoll_pwait, ep, (long)ev, 1, -1, (long)&none, 8), -EINTR);
	CCHECK_EQ(got_count, 2);
	CCHECK(cur_mask() == block, "mask after %#llx", (unsigned long long)cur_mask());
	/* With a zero timeout, epoll answers 0 before it looks at signals. */
	sys_kill(sys_getpid(), SIGUSR1);
	CCHECK_EQ(sys6(SYS_epoll_pwait, ep, (long)ev, 1, 0, (long)&none, 8), 0);
	CCHECK_EQ(got_count, 2);
	CCHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_SETMASK, &none, 0, 8), 0);
	CCHECK_EQ(got_count, 3);

	/* The eventfd read goes on after the handler (SA_RESTART). */
	k = sys_fork();
	if (k == 0) {
		ut_sleep_ms(30);
		sys_kill(sys_getppid(), SIGUSR1);
		ut_sleep_ms(60);
		efd_write(e, 6);
		sys_exit_group(0);
	}
	CCHECK_EQ(efd_read(e), 6);
	CCHECK_EQ(got_count, 4);
	ut_wait(k, (int[]){ 0 });
}

static void
t_epoll_signal(void)
{
	CHECK_EXIT(c_epoll_signal, 0, 0);
}

static void
t_eventfd_select(void)
{
	struct { uint64_t w[16]; } r, w;
	struct { long s, us; } tv = { 0, 0 };
	long e;

	CHECK_OK(e, sys2(SYS_eventfd2, 0, 0));
	memset(&r, 0, sizeof r), memset(&w, 0, sizeof w);
	r.w[0] = w.w[0] = 1ULL << e;
	CHECK_EQ(sys5(SYS_select, e + 1, &r, &w, 0, &tv), 1);
	CHECK(r.w[0] == 0 && w.w[0] == 1ULL << e, "empty: writable only");
	CHECK_EQ(efd_write(e, 1), 8);
	r.w[0] = w.w[0] = 1ULL << e;
	CHECK_EQ(sys5(SYS_select, e + 1, &r, &w, 0, &tv), 2);
	sys_close(e);
}

const struct utest epoll_tests[] = {
	{ "eventfd: reads and writes of 8 bytes, EFD_SEMAPHORE, flags", t_eventfd_rw, 0 },
	{ "eventfd: a write past UINT64_MAX - 1 sleeps; a read sleeps at 0", t_eventfd_overflow, 0 },
	{ "eventfd in select: readable above 0", t_eventfd_select, 0 },
	{ "epoll on a pipe: level-triggered, EPOLLOUT, EPOLLHUP, EPOLLERR", t_epoll_pipe, 0 },
	{ "epoll: EPOLLET once per event; MOD reports again", t_epoll_et, 0 },
	{ "epoll: EPOLLONESHOT until MOD; EPOLL_CLOEXEC", t_epoll_oneshot, 0 },
	{ "epoll_ctl/epoll_wait errors: EPERM, EBADF, EINVAL, ENOENT, EEXIST, ELOOP",
	  t_epoll_ctl_errors, 0 },
	{ "epoll: an item goes with the last reference to its file", t_epoll_close, 0 },
	{ "epoll: an epoll file is pollable and nests", t_epoll_nested, 0 },
	{ "epoll: maxevents 1 rotates through the ready items", t_epoll_fair, 0 },
	{ "epoll_wait/pwait2 time out; a write wakes epoll_wait", t_epoll_timeout, 0 },
	{ "epoll_wait/pwait and signals: -EINTR, the mask; eventfd read restarted",
	  t_epoll_signal, 0 },
	{ 0, 0, 0 },
};
