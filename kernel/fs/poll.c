/*
 * poll.c: readiness (see <keel/poll.h>): poll(2) and ppoll(2), and the
 * wait loop, timeouts and signal masks select.c and epoll.c share.
 *
 * Interface: sys_poll, sys_ppoll; poll_wakeup(), which whatever makes a
 * file ready calls (a pipe's reader or writer, the TTY's input, an
 * eventfd); poll_wait() and its helpers.
 *
 * A wait that finds nothing ready sleeps on one channel that every event
 * wakes, then looks again: simple, and no wakeup is lost, because the
 * waker bumps poll_seq, which the sleeper compares (with interrupts off)
 * against the value it read before it looked.
 */
#include <keel/kernel.h>
#include <keel/file.h>
#include <keel/poll.h>
#include <keel/proc.h>
#include <keel/usercopy.h>
#include <keel/kheap.h>
#include <uapi/errno.h>
#include <uapi/poll.h>
#include <uapi/signal.h>
#include <arch/arch.h>

#define POLL_MAX	4096		/* pollfds a call may pass (RLIMIT_NOFILE's reach) */
#define NSEC		1000000000ULL

static int poll_chan;
static uint64_t poll_seq;		/* bumped by every wakeup */
static int poll_sleepers;		/* asleep in poll_wait: only then is a wakeup worth its walk */

void
poll_wakeup(struct pollhead *ph, int events)
{
	if (ph) {
		if (events != POLLOUT)
			ph->ph_rseq++;
		if (events != POLLIN)
			ph->ph_wseq++;
	}
	poll_seq++;
	if (poll_sleepers)
		wakeup(&poll_chan);
}

int
poll_file(struct file *f)
{
	return f->f_ops->poll ? f->f_ops->poll(f) : POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
}

void
poll_counts(struct file *f, uint64_t *rseq, uint64_t *wseq)
{
	struct pollhead *ph = f->f_ops->pollhead ? f->f_ops->pollhead(f) : 0;

	*rseq = ph ? ph->ph_rseq : poll_seq;
	*wseq = ph ? ph->ph_wseq : poll_seq;
}

long
poll_wait(long (*scan)(void *), void *arg, uint64_t deadline, int nowait, int epoll_order)
{
	struct thread *t = curthread();

	for (;;) {
		uint64_t seq = poll_seq, fl;
		long r = scan(arg);
		int timed_out;

		if (r)
			return r;
		timed_out = nowait || (deadline && clock_ns() >= deadline);
		if (timed_out && epoll_order)
			return 0;
		/* Only a signal with something to do ends the wait. */
		if (signal_drop_ignored(t)) {
			/* Linux: -ERESTARTNOHAND or -EINTR, so never restarted after a handler. */
			t->t_syscall_nr = -1;
			return -EINTR;
		}
		if (timed_out)
			return 0;
		fl = intr_save();
		if (seq == poll_seq) {
			poll_sleepers++;
			(void)sleep_on(&poll_chan, deadline);	/* the loop looks at signals */
			poll_sleepers--;
		}
		intr_restore(fl);
	}
}

int
poll_deadline(int64_t sec, int64_t nsec, uint64_t *deadline, int *nowait)
{
	*deadline = 0;
	*nowait = 0;
	if (sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC)
		return -EINVAL;
	if (sec == 0 && nsec == 0)
		*nowait = 1;
	else if ((uint64_t)sec < (INT64_MAX - clock_ns()) / NSEC - 1)
		*deadline = clock_ns() + (uint64_t)sec * NSEC + (uint64_t)nsec;
	return 0;
}

void
poll_remaining(uint64_t deadline, int64_t *sec, int64_t *nsec)
{
	uint64_t now = clock_ns(), left = deadline > now ? deadline - now : 0;

	*sec = (int64_t)(left / NSEC);
	*nsec = (int64_t)(left % NSEC);
}

long
poll_mask_begin(uint64_t umask, uint64_t size, uint64_t *old)
{
	struct thread *t = curthread();
	uint64_t mask;

	*old = t->t_sigmask;
	if (umask == 0)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copyin(&mask, umask, sizeof(mask)))
		return -EFAULT;
	signal_setmask(t, mask);
	return 0;
}

long
poll_mask_end(uint64_t old, long r)
{
	struct thread *t = curthread();

	/*
	 * poll_wait's -EINTR means a signal the temporary mask lets in is
	 * caught (or kills): its handler's frame takes the old mask, for
	 * sigreturn to restore.  Anything else: the old mask now, and a
	 * signal it blocks stays pending.
	 */
	if (r == -EINTR && t->t_sigmask != old) {
		t->t_saved_mask = old;
		t->t_mask_saved = 1;
	} else {
		signal_setmask(t, old);
	}
	return r;
}

/* ---- poll and ppoll ---- */

struct poll_args {
	struct pollfd *pa_fds;
	uint64_t pa_n;
};

/* The events of fds ready now, each pollfd's revents set: how many are. */
static long
poll_scan(void *arg)
{
	struct poll_args *a = arg;
	struct pollfd *fds = a->pa_fds;
	long ready = 0;

	for (uint64_t i = 0; i < a->pa_n; i++) {
		struct file *f;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fd_file(fds[i].fd);
		if (f == 0) {
			fds[i].revents = POLLNVAL;
			ready++;
			continue;
		}
		/* POLLERR, POLLHUP and POLLNVAL come whether asked for or not. */
		fds[i].revents = poll_file(f) & (fds[i].events | POLLERR | POLLHUP | POLLNVAL);
		if (fds[i].revents)
			ready++;
	}
	return ready;
}

/* deadline: 0 for none; the caller's mask handling is its own. */
static long
do_poll(uint64_t ufds, uint64_t n, uint64_t deadline, int nowait)
{
	struct poll_args a = { 0, n };
	long r;

	if (n > POLL_MAX || n > (uint64_t)fd_limit(curproc()))
		return -EINVAL;	/* Linux: more than RLIMIT_NOFILE */
	a.pa_fds = kmalloc(n * sizeof(*a.pa_fds) + 1);
	if (a.pa_fds == 0)
		return -ENOMEM;
	if (copyin(a.pa_fds, ufds, n * sizeof(*a.pa_fds))) {
		kfree(a.pa_fds);
		return -EFAULT;
	}
	r = poll_wait(poll_scan, &a, deadline, nowait, 0);
	/* Linux writes the revents back even when nothing was ready. */
	for (uint64_t i = 0; i < n; i++)
		if (copyout(ufds + i * sizeof(struct pollfd) + offsetof(struct pollfd, revents),
		    &a.pa_fds[i].revents, sizeof(a.pa_fds[i].revents))) {
			r = -EFAULT;
			break;
		}
	kfree(a.pa_fds);
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
 * ppoll(2): the timeout a timespec, written back with the time left (as
 * Linux does; libc hides it), and a signal mask that holds while it waits.
 */
long
sys_ppoll(uint64_t ufds, uint64_t n, uint64_t uts, uint64_t umask, uint64_t masksize)
{
	struct { int64_t tv_sec, tv_nsec; } ts;
	uint64_t deadline = 0, old;
	int nowait = 0;
	long r;

	if (uts) {
		if (copyin(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (poll_deadline(ts.tv_sec, ts.tv_nsec, &deadline, &nowait))
			return -EINVAL;
	}
	r = poll_mask_begin(umask, masksize, &old);
	if (r)
		return r;
	r = do_poll(ufds, n, deadline, nowait);
	/* Not for a zero timeout; a write that faults is ignored (poll_select_finish). */
	if (uts && !nowait) {
		if (deadline)
			poll_remaining(deadline, &ts.tv_sec, &ts.tv_nsec);
		(void)copyout(uts, &ts, sizeof(ts));
	}
	return poll_mask_end(old, r);
}
