/*
 * epoll.c: epoll_create, epoll_create1, epoll_ctl, epoll_wait,
 * epoll_pwait and epoll_pwait2, as Linux's fs/eventpoll.c, on top of
 * file_ops.poll.
 *
 * Interface: the system calls; epoll_file_released(), which file_put
 * calls when the last reference to a watched file goes (its items go
 * with it, as Linux's eventpoll_release).
 *
 * An epoll file holds an interest list of items, each a (descriptor
 * number, file) pair with the events asked for and the user's data; the
 * file is not held (f_ep lists the items watching it).  epoll_wait looks
 * at every item on each wakeup of poll_wait (poll.c), rather than keeping
 * a ready list fed by callbacks: level-triggered items report whatever
 * their file's poll says now; an EPOLLET item only when its file's
 * pollhead counted an event of the kind it waits for since it last
 * reported (or since ADD or MOD, which report what is ready at once, as
 * Linux's ep_insert and ep_modify queue a ready item); EPOLLONESHOT
 * disables an item once it reported, until MOD.  A reported item moves to
 * the end of the list, so that a caller taking fewer events than are
 * ready sees the others next time (Linux's ready list does the same).
 *
 * An epoll file is itself pollable (readable while an item would report);
 * nesting is checked at ADD as Linux 6.1 does (ELOOP for a cycle, or for
 * more than EP_MAX_NESTS epoll files below), so poll's recursion is bounded.
 *
 * Locking: none (one CPU, non-preemptible).  A scan runs from start to
 * end without sleeping, and epoll_wait holds a reference to its epoll
 * file while it sleeps, so its items stay valid.
 */
#include <keel/kernel.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/kheap.h>
#include <keel/poll.h>
#include <keel/proc.h>
#include <keel/usercopy.h>
#include <uapi/errno.h>
#include <uapi/eventpoll.h>
#include <uapi/poll.h>

#define EP_MAX_NESTS	4
#define EP_MAX_EVENTS	(INT32_MAX / (int)sizeof(struct epoll_event))
/* Bits that are not poll events: they stay when ONESHOT disables an item. */
#define EP_PRIVATE	(EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EP_EXCLUSIVE_OK	(POLLIN | POLLOUT | POLLERR | POLLHUP | EPOLLWAKEUP | EPOLLET | \
			 EPOLLEXCLUSIVE)
/* What a pollhead's read and write counts stand for (poll_wakeup's POLLIN, POLLOUT). */
#define EP_IN		(POLLIN | POLLPRI | POLLRDNORM | 0x0080 /* RDBAND */ | EPOLLRDHUP)
#define EP_OUT		(POLLOUT | POLLWRNORM | 0x0200 /* WRBAND */)

struct eventpoll;

struct epitem {
	struct eventpoll *ei_ep;
	struct file *ei_file;		/* unheld: its last file_put removes the item */
	int ei_fd;
	uint32_t ei_events;		/* asked for, with POLLERR | POLLHUP */
	uint64_t ei_data;
	uint64_t ei_rseen, ei_wseen;	/* EPOLLET: the pollhead's counts, last looked at */
	int ei_armed;			/* EPOLLET: after ADD or MOD, report what is ready */
	struct epitem *ei_prev, *ei_next;	/* the interest list, circular */
	struct epitem *ei_fnext;	/* the file's f_ep list */
};

struct eventpoll {
	struct epitem ep_list;		/* the list's head (not an item) */
	uint64_t ep_visit;		/* ep_loop_check's generation */
};

static const struct file_ops epoll_ops;
static uint64_t ep_visit_gen;

static int
is_epoll(struct file *f)
{
	return f->f_ops == &epoll_ops;
}

static void
list_unlink(struct epitem *ei)
{
	ei->ei_prev->ei_next = ei->ei_next;
	ei->ei_next->ei_prev = ei->ei_prev;
}

static void
list_add_tail(struct eventpoll *ep, struct epitem *ei)
{
	ei->ei_next = &ep->ep_list;
	ei->ei_prev = ep->ep_list.ei_prev;
	ep->ep_list.ei_prev->ei_next = ei;
	ep->ep_list.ei_prev = ei;
}

/* Has an event ei waits for happened since it last looked (EPOLLET)? */
static int
et_fired(struct epitem *ei, uint32_t want)
{
	uint64_t rseq, wseq;
	int r, w;

	poll_counts(ei->ei_file, &rseq, &wseq);
	r = rseq != ei->ei_rseen;
	w = wseq != ei->ei_wseen;
	if (ei->ei_armed)
		return 1;
	if (!(want & (EP_IN | EP_OUT)))
		return r || w;		/* only POLLERR and POLLHUP: any event */
	return (r && (want & EP_IN)) || (w && (want & EP_OUT));
}

static void
et_consume(struct epitem *ei)
{
	poll_counts(ei->ei_file, &ei->ei_rseen, &ei->ei_wseen);
	ei->ei_armed = 0;
}

/* The events ei reports now (0: none); *fired: an EPOLLET item's event came. */
static uint32_t
epi_ready(struct epitem *ei, int *fired)
{
	uint32_t want = ei->ei_events & ~EP_PRIVATE;

	*fired = 0;
	if (want == 0)
		return 0;	/* disabled by EPOLLONESHOT */
	if (ei->ei_events & EPOLLET) {
		if (!et_fired(ei, want))
			return 0;
		*fired = 1;
	}
	return (uint32_t)poll_file(ei->ei_file) & want;
}

/* ---- epoll_wait ---- */

struct ep_wait_args {
	struct eventpoll *wa_ep;
	uint64_t wa_uevents;
	int wa_max;
};

/* Copy out the events ready now: how many, or -EFAULT if the first fails. */
static long
ep_scan(void *arg)
{
	struct ep_wait_args *a = arg;
	struct eventpoll *ep = a->wa_ep;
	struct epitem *ei, *next, *stop = ep->ep_list.ei_prev;
	long n = 0;

	if (stop == &ep->ep_list)
		return 0;
	/* Each item once, up to the last one now: reported items move behind it. */
	for (ei = ep->ep_list.ei_next; n < a->wa_max; ei = next) {
		struct epoll_event e;
		int fired, last = ei == stop;

		next = ei->ei_next;
		e.events = epi_ready(ei, &fired);
		e.data = ei->ei_data;
		if (e.events) {
			/* A fault leaves the event to report next time (ep_send_events). */
			if (copyout(a->wa_uevents + n * sizeof(e), &e, sizeof(e)))
				return n ? n : -EFAULT;
			n++;
			if (ei->ei_events & EPOLLONESHOT)
				ei->ei_events &= EP_PRIVATE;
			list_unlink(ei);
			list_add_tail(ep, ei);
		}
		if (fired)
			et_consume(ei);
		if (last)
			break;
	}
	return n;
}

static long
do_epoll_wait(int epfd, uint64_t uevents, int maxevents, uint64_t deadline, int nowait)
{
	struct ep_wait_args a;
	struct file *f;
	long r;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!user_range_ok(uevents, (uint64_t)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	f = fd_file(epfd);
	if (f == 0)
		return -EBADF;
	if (!is_epoll(f))
		return -EINVAL;
	a = (struct ep_wait_args){ f->f_data, uevents, maxevents };
	ref_inc(&f->f_ref);		/* the epoll file outlives a close while we sleep */
	r = poll_wait(ep_scan, &a, deadline, nowait, 1);
	file_put(f);
	return r;
}

static uint64_t
ms_deadline(int timeout_ms)
{
	return timeout_ms > 0 ? clock_ns() + (uint64_t)timeout_ms * 1000000ULL : 0;
}

long
sys_epoll_wait(int epfd, uint64_t uevents, int maxevents, int timeout_ms)
{
	return do_epoll_wait(epfd, uevents, maxevents, ms_deadline(timeout_ms), timeout_ms == 0);
}

long
sys_epoll_pwait(int epfd, uint64_t uevents, int maxevents, int timeout_ms, uint64_t umask,
    uint64_t masksize)
{
	uint64_t old;
	long r;

	r = poll_mask_begin(umask, masksize, &old);
	if (r)
		return r;
	r = do_epoll_wait(epfd, uevents, maxevents, ms_deadline(timeout_ms), timeout_ms == 0);
	return poll_mask_end(old, r);
}

/* epoll_pwait2: the timeout a timespec (null: none), never written back. */
long
sys_epoll_pwait2(int epfd, uint64_t uevents, int maxevents, uint64_t uts, uint64_t umask,
    uint64_t masksize)
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
	r = do_epoll_wait(epfd, uevents, maxevents, deadline, nowait);
	return poll_mask_end(old, r);
}

/* ---- the interest list ---- */

static struct epitem *
ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	for (struct epitem *ei = ep->ep_list.ei_next; ei != &ep->ep_list; ei = ei->ei_next)
		if (ei->ei_file == f && ei->ei_fd == fd)
			return ei;
	return 0;
}

static void
ep_remove(struct epitem *ei)
{
	struct epitem **pp;

	list_unlink(ei);
	for (pp = &ei->ei_file->f_ep; *pp != ei; pp = &(*pp)->ei_fnext)
		;
	*pp = ei->ei_fnext;
	kfree(ei);
}

void
epoll_file_released(struct file *f)
{
	while (f->f_ep)
		ep_remove(f->f_ep);
}

static void
ep_set(struct epitem *ei, const struct epoll_event *e)
{
	ei->ei_events = e->events | POLLERR | POLLHUP;
	ei->ei_data = e->data;
	ei->ei_armed = 1;
	/* A waiter on this epoll file (or a poller of it) looks again. */
	poll_wakeup(0, 0);
}

static int
ep_insert(struct eventpoll *ep, const struct epoll_event *e, struct file *tf, int fd)
{
	struct epitem *ei = kzalloc(sizeof(*ei));

	if (ei == 0)
		return -ENOMEM;
	ei->ei_ep = ep;
	ei->ei_file = tf;
	ei->ei_fd = fd;
	list_add_tail(ep, ei);
	ei->ei_fnext = tf->f_ep;
	tf->f_ep = ei;
	ep_set(ei, e);
	return 0;
}

/*
 * Linux 6.1's ep_loop_check: is inserting reachable from to, or are there
 * more than EP_MAX_NESTS epoll files below to?  Each epoll file is looked
 * at once per check (ep_visit).
 */
static int
ep_loop_check(struct eventpoll *to, struct eventpoll *inserting, int depth)
{
	to->ep_visit = ep_visit_gen;
	for (struct epitem *ei = to->ep_list.ei_next; ei != &to->ep_list; ei = ei->ei_next) {
		struct eventpoll *t;

		if (!is_epoll(ei->ei_file))
			continue;
		t = ei->ei_file->f_data;
		if (t->ep_visit == ep_visit_gen)
			continue;
		if (t == inserting || depth > EP_MAX_NESTS ||
		    ep_loop_check(t, inserting, depth + 1))
			return -ELOOP;
	}
	return 0;
}

/* Linux's do_epoll_ctl, its checks in its order. */
long
sys_epoll_ctl(int epfd, int op, int fd, uint64_t uevent)
{
	struct epoll_event e = { 0, 0 };
	struct eventpoll *ep;
	struct epitem *ei;
	struct file *f, *tf;

	if (op != EPOLL_CTL_DEL && copyin(&e, uevent, sizeof(e)))
		return -EFAULT;
	if ((f = fd_file(epfd)) == 0 || (tf = fd_file(fd)) == 0)
		return -EBADF;
	if (tf->f_ops->poll == 0)
		return -EPERM;		/* a regular file, /dev/null */
	if (f == tf || !is_epoll(f))
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (e.events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD && (is_epoll(tf) || (e.events & ~EP_EXCLUSIVE_OK)))
			return -EINVAL;
	}
	ep = f->f_data;
	if (op == EPOLL_CTL_ADD && is_epoll(tf)) {
		ep_visit_gen++;
		if (ep_loop_check(tf->f_data, ep, 0))
			return -ELOOP;
	}
	ei = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		return ei ? -EEXIST : ep_insert(ep, &e, tf, fd);
	case EPOLL_CTL_DEL:
		if (ei == 0)
			return -ENOENT;
		ep_remove(ei);
		return 0;
	case EPOLL_CTL_MOD:
		if (ei == 0)
			return -ENOENT;
		if (ei->ei_events & EPOLLEXCLUSIVE)
			return -EINVAL;
		ep_set(ei, &e);
		return 0;
	default:
		return -EINVAL;
	}
}

/* ---- the epoll file ---- */

/* Readable while an item would report (nothing is consumed). */
static int
epoll_poll(struct file *f)
{
	struct eventpoll *ep = f->f_data;
	int fired;

	for (struct epitem *ei = ep->ep_list.ei_next; ei != &ep->ep_list; ei = ei->ei_next)
		if (epi_ready(ei, &fired))
			return POLLIN | POLLRDNORM;
	return 0;
}

static int
epoll_getattr(struct file *f, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = 0600;	/* an anonymous inode's */
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static void
epoll_release(struct file *f)
{
	struct eventpoll *ep = f->f_data;

	while (ep->ep_list.ei_next != &ep->ep_list)
		ep_remove(ep->ep_list.ei_next);
	kfree(ep);
}

/*
 * No pollhead: an EPOLLET item watching an epoll file counts any event
 * (a spurious report at worst, which edge-triggered callers expect).
 */
static const struct file_ops epoll_ops = {
	.poll = epoll_poll,
	.getattr = epoll_getattr,
	.release = epoll_release,
};

long
sys_epoll_create1(int flags)
{
	struct eventpoll *ep;
	struct file *f;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	if (ep == 0)
		return -ENOMEM;
	ep->ep_list.ei_next = ep->ep_list.ei_prev = &ep->ep_list;
	f = file_alloc(&epoll_ops, O_RDWR);
	if (f == 0) {
		kfree(ep);
		return -ENOMEM;
	}
	f->f_data = ep;
	fd = fd_install_from(f, 0, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long
sys_epoll_create(int size)
{
	if (size <= 0)
		return -EINVAL;
	return sys_epoll_create1(0);
}
