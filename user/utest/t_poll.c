/*
 * t_poll.c: poll(2) and ppoll(2) on pipes, a regular file, a closed
 * descriptor and a negative one: readiness, POLLHUP/POLLERR/POLLNVAL,
 * timeouts, a wake-up by another process, argument errors, as Linux.
 *
 * Interface: poll_tests[] (utest.h).
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

static void
t_poll_pipe(void)
{
	struct pollfd pf[2];
	int fds[2];

	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	pf[0] = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = fds[1], .events = POLLOUT };
	CHECK_EQ(sys3(SYS_poll, pf, 2, 0), 1);		/* only the write end */
	CHECK_EQ(pf[0].revents, 0);
	CHECK_EQ(pf[1].revents, POLLOUT);
	CHECK_EQ(sys_write(fds[1], "x", 1), 1);
	CHECK_EQ(sys3(SYS_poll, pf, 2, 0), 2);
	CHECK_EQ(pf[0].revents, POLLIN);
	sys_close(fds[1]);
	CHECK_EQ(sys3(SYS_poll, pf, 1, 0), 1);
	CHECK_EQ(pf[0].revents, POLLIN | POLLHUP);	/* data, and no writer */
	/* The write end without a reader: POLLERR, asked for or not. */
	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	sys_close(fds[0]);
	pf[0] = (struct pollfd){ .fd = fds[1], .events = 0 };
	CHECK_EQ(sys3(SYS_poll, pf, 1, 0), 1);
	CHECK_EQ(pf[0].revents, POLLERR);
	sys_close(fds[1]);
}

static void
t_poll_kinds(void)
{
	struct pollfd pf[3];
	long fd = sys_open(DATA_PATH, O_RDONLY);	/* a regular file: always ready */

	CHECK(fd >= 0, "open %s: %s", DATA_PATH, ut_rstr(fd));
	pf[0] = (struct pollfd){ .fd = (int)fd, .events = POLLIN | POLLOUT };
	pf[1] = (struct pollfd){ .fd = 900, .events = POLLIN };	/* not open */
	pf[2] = (struct pollfd){ .fd = -1, .events = POLLIN, .revents = 7 };
	CHECK_EQ(sys3(SYS_poll, pf, 3, 0), 2);
	CHECK_EQ(pf[0].revents, POLLIN | POLLOUT);
	CHECK_EQ(pf[1].revents, POLLNVAL);
	CHECK_EQ(pf[2].revents, 0);			/* ignored, and cleared */
	sys_close(fd);
}

static void
t_poll_timeout(void)
{
	struct pollfd pf;
	struct timespec ts = { 0, 30 * 1000000 };
	int fds[2];
	long long t0;

	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	pf = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	t0 = ut_now_ns();
	CHECK_EQ(sys3(SYS_poll, &pf, 1, 50), 0);
	CHECK(ut_now_ns() - t0 >= 50 * 1000000LL, "poll(50 ms) took %lld ns", ut_now_ns() - t0);
	t0 = ut_now_ns();
	CHECK_EQ(sys5(SYS_ppoll, &pf, 1, &ts, 0, 8), 0);
	CHECK(ut_now_ns() - t0 >= 30 * 1000000LL, "ppoll(30 ms) took %lld ns", ut_now_ns() - t0);
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
t_poll_wakeup(void)
{
	struct pollfd pf;
	int fds[2], st;
	long pid;

	CHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	wake_fd = fds[1];
	CHECK_OK(pid, ut_spawn(c_writer, 0));
	pf = (struct pollfd){ .fd = fds[0], .events = POLLIN };
	CHECK_EQ(sys3(SYS_poll, &pf, 1, -1), 1);	/* asleep until the write */
	CHECK_EQ(pf.revents, POLLIN);
	CHECK_EQ(ut_wait(pid, &st), 0);
	sys_close(fds[0]);
	sys_close(fds[1]);
}

static void
t_poll_errors(void)
{
	struct pollfd pf = { .fd = 0, .events = POLLIN };
	struct timespec bad = { 0, 1000000000 };
	long limit[2];

	CHECK_ERR(sys3(SYS_poll, 0, 1, 0), EFAULT);
	CHECK_ERR(sys5(SYS_ppoll, &pf, 1, &bad, 0, 8), EINVAL);
	CHECK_ERR(sys5(SYS_ppoll, &pf, 1, 0, &limit, 4), EINVAL);	/* sigset size */
	/* More descriptors than RLIMIT_NOFILE allows: EINVAL. */
	CHECK_EQ(sys2(SYS_getrlimit, 7 /* RLIMIT_NOFILE */, limit), 0);
	CHECK_ERR(sys3(SYS_poll, &pf, limit[0] + 1, 0), EINVAL);
}

const struct utest poll_tests[] = {
	{ "poll on a pipe: POLLIN, POLLOUT, POLLHUP, POLLERR", t_poll_pipe, 0 },
	{ "poll on a regular file, a closed fd (POLLNVAL), a negative fd", t_poll_kinds, 0 },
	{ "poll and ppoll time out", t_poll_timeout, 0 },
	{ "poll sleeps until another process writes the pipe", t_poll_wakeup, 0 },
	{ "poll/ppoll argument errors", t_poll_errors, 0 },
	{ 0, 0, 0 },
};
