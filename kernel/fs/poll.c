/*
 * poll.c: poll(2) and ppoll(2) over every kind of file, through its
 * file_ops.poll (a file without one is always readable and writable, as
 * Linux's regular files are).
 *
 * Interface: sys_poll, sys_ppoll; file_poll_wakeup(), which whatever
 * makes a file ready calls (a pipe's reader or writer, the TTY's input).
 *
 * A poll that finds nothing ready sleeps on one channel that every such
 * event wakes, then looks again: simple, and correct with one CPU (the
 * look and the sleep run with nothing in between that could make a file
 * ready unnoticed: sleep_on re-checks nothing, so the wakeup side sets
 * poll_seq, which is compared before sleeping).
 */
#include <keel/kernel.h>
#include <keel/file.h>
#include <keel/proc.h>
#include <keel/usercopy.h>
#include <keel/kheap.h>
#include <uapi/errno.h>
#include <uapi/poll.h>
#include <uapi/signal.h>
#include <arch/arch.h>

#define POLL_MAX	4096		/* pollfds a call may pass (RLIMIT_NOFILE's reach) */

static int poll_chan;
static uint64_t poll_seq;		/* bumped by every wakeup */
static int poll_sleepers;		/* asleep in poll: only then is a wakeup worth its walk */

void
file_poll_wakeup(void)
{
	poll_seq++;
	if (poll_sleepers)
		wakeup(&poll_chan);
}

/* The events of fds ready now, each pollfd's revents set: how many are. */
static int
poll_scan(struct pollfd *fds, uint64_t n)
{
	int ready = 0;

	for (uint64_t i = 0; i < n; i++) {
		struct file *f;
		int ev;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fd_file(fds[i].fd);
		if (f == 0) {
			fds[i].revents = POLLNVAL;
			ready++;
			continue;
		}
		ev = f->f_ops->poll ? f->f_ops->poll(f) : POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
		/* POLLERR, POLLHUP and POLLNVAL come whether asked for or not. */
		fds[i].revents = ev & (fds[i].events | POLLERR | POLLHUP | POLLNVAL);
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

/* deadline: 0 for none; the caller's mask handling is its own. */
static long
do_poll(uint64_t ufds, uint64_t n, uint64_t deadline, int nowait)
{
	struct pollfd *fds;
	uint64_t seq;
	long r;

	if (n > POLL_MAX || n > (uint64_t)fd_limit(curproc()))
		return -EINVAL;	/* Linux: more than RLIMIT_NOFILE */
	fds = kmalloc(n * sizeof(*fds) + 1);
	if (fds == 0)
		return -ENOMEM;
	if (copyin(fds, ufds, n * sizeof(*fds))) {
		kfree(fds);
		return -EFAULT;
	}
	for (;;) {
		seq = poll_seq;
		r = poll_scan(fds, n);
		if (r || nowait || (deadline && clock_ns() >= deadline))
			break;
		if (seq == poll_seq) {
			int intr;

			poll_sleepers++;
			intr = sleep_on(&poll_chan, deadline);
			poll_sleepers--;
			if (intr) {
				r = -EINTR;
				break;
			}
		}
	}
	/* Linux writes the revents back even when nothing was ready. */
	if (r >= 0 || r == -EINTR)
		for (uint64_t i = 0; i < n; i++)
			if (copyout(ufds + i * sizeof(*fds) + offsetof(struct pollfd, revents),
			    &fds[i].revents, sizeof(fds[i].revents))) {
				r = -EFAULT;
				break;
			}
	kfree(fds);
	if (r == -EINTR)
		curthread()->t_syscall_nr = -1;	/* not restarted after a handler */
	return r;
}

long
sys_poll(uint64_t ufds, uint64_t n, int timeout_ms)
{
	uint64_t deadline = 0;

	if (timeout_ms > 0)
		deadline = clock_ns() + (uint64_t)timeout_ms * 1000000ULL;
	return do_poll(ufds, n, deadline, timeout_ms == 0);
}

/*
 * ppoll(2): the timeout a timespec, and a signal mask that holds while it
 * waits.
 */
long
sys_ppoll(uint64_t ufds, uint64_t n, uint64_t uts, uint64_t umask, uint64_t masksize)
{
	struct thread *t = curthread();
	struct { int64_t tv_sec, tv_nsec; } ts;
	uint64_t deadline = 0, mask, old = t->t_sigmask;
	int nowait = 0;
	long r;

	if (uts) {
		if (copyin(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		if (ts.tv_sec == 0 && ts.tv_nsec == 0)
			nowait = 1;
		else if ((uint64_t)ts.tv_sec < INT64_MAX / 1000000000ULL)
			deadline = clock_ns() + (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	}
	if (umask) {
		if (masksize != sizeof(mask))
			return -EINVAL;
		if (copyin(&mask, umask, sizeof(mask)))
			return -EFAULT;
		signal_setmask(t, mask);
	}
	r = do_poll(ufds, n, deadline, nowait);
	/*
	 * The old mask comes back at once (Linux restores it only after the
	 * handler of a signal the temporary mask let in: such a signal, if the
	 * old mask blocks it, stays pending here).
	 */
	if (umask)
		signal_setmask(t, old);
	return r;
}
