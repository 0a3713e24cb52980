/*
 * pipe.c: pipes (see pipe.h), with Linux's semantics: a read blocks while
 * the pipe is empty and a writer exists, and returns 0 (end of file) once
 * none does; a write blocks while the pipe is full, and with no reader left
 * raises SIGPIPE and fails with EPIPE.  O_NONBLOCK gives EAGAIN instead of
 * blocking.
 *
 * Data moves in chunks of at most a page, each whole or not at all, as
 * Linux moves its pipe buffers: a write whose chunk runs into unmapped
 * memory keeps the chunks before it (or fails with EFAULT), and a read
 * that cannot copy a chunk out leaves it queued.
 *
 * Packets (pipe2 or F_SETFL O_DIRECT on the write end, pipe(7)): each
 * chunk a writer with O_DIRECT puts in is a packet, noted in pp_pkt.  A
 * read stops after taking (part of) a packet and drops what it did not
 * take; the pipe holds PIPE_SLOTS packets at most, however small, as
 * Linux's 16 pipe buffers do.  Two differences from Linux, where packets
 * and ordinary bytes mix: the ordinary bytes use no slot, and a packet
 * written after ordinary bytes stays a packet (Linux appends its first
 * part to the ordinary bytes' page while that has room).
 *
 * FIFOs (pipe_fifo_open): the pipe of a named node lives in a cell the
 * node keeps, made by the first open and freed by the last close, with
 * Linux's fifo_open rules: a reader waits for a writer and a writer for a
 * reader unless O_NONBLOCK (a writer then fails with ENXIO while there is
 * no reader); O_RDWR never waits.  Each side counts its opens, so a
 * partner that comes and goes while one waits still ends the wait.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/cpio.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/pipe.h>
#include <uapi/poll.h>
#include <keel/poll.h>
#include <keel/proc.h>
#include <keel/usercopy.h>
#include <keel/kheap.h>
#include <keel/pmm.h>
#include <arch/arch.h>	/* intr_save, intr_restore */

#define PIPE_ORDER	4			/* 16 pages: 64 KiB, as Linux */
#define PIPE_SIZE	(PAGE_SIZE << PIPE_ORDER)
#define PIPE_BUF	4096			/* atomic write size */
#define PIPE_SLOTS	16			/* Linux's pipe buffers: packets */

struct packet {
	uint64_t pk_start;			/* a ring position, as pp_rpos */
	uint64_t pk_len;			/* 1 to PAGE_SIZE bytes */
};

struct pipe {
	char *pp_buf;
	uint64_t pp_rpos, pp_wpos;		/* free running; wpos - rpos queued */
	int pp_readers, pp_writers;		/* open ends */
	unsigned pp_ropens, pp_wopens;		/* FIFO: opens so far, per side */
	struct pipe **pp_cell;			/* FIFO: where its node keeps it */
	struct packet pp_pkt[PIPE_SLOTS];	/* queued packets, oldest at */
	unsigned pp_pkt_head, pp_npkt;		/* pp_pkt_head, by start */
	struct pollhead pp_ph;			/* both ends' events */
	uint64_t pp_ino;			/* fstat's st_ino, "pipe:[ino]" */
};

static uint64_t pipe_next_ino = 1;

static int pipe_getattr(struct file *f, struct kstat *st);
static int pipe_read_would_block(struct file *f);
static int pipe_poll(struct file *f);
static struct pollhead *pipe_pollhead(struct file *f);
static int pipe_reopen(struct file *f, struct file *nf);

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.readv = pipe_readv,
	.read_would_block = pipe_read_would_block,
	.poll = pipe_poll,
	.pollhead = pipe_pollhead,
	.getattr = pipe_getattr,
	.release = pipe_close,
	.reopen = pipe_reopen,
	.f_setfl_extra = O_DIRECT,
};

static struct pipe *
pipe_new(void)
{
	struct pipe *pp = kzalloc(sizeof(*pp));
	uint64_t pa = pmm_alloc_order(PIPE_ORDER);

	if (pp == 0 || pa == 0) {
		if (pa)
			pmm_free_order(pa, PIPE_ORDER);
		kfree(pp);
		return 0;
	}
	pp->pp_buf = PHYS_TO_VIRT(pa);
	return pp;
}

static void
pipe_free_if_unused(struct pipe *pp)
{
	if (pp->pp_readers || pp->pp_writers)
		return;
	if (pp->pp_cell)
		*pp->pp_cell = 0;
	pmm_free_order(VIRT_TO_PHYS(pp->pp_buf), PIPE_ORDER);
	kfree(pp);
}

/* Sleep until *count moves (a partner opened): 0, or -EINTR for a signal. */
static int
fifo_wait(struct pipe *pp, unsigned *count)
{
	unsigned seen = *count;
	uint64_t fl = intr_save();
	int r = 0;

	while (*count == seen && r == 0)
		r = sleep_on(pp, 0) ? -EINTR : 0;
	intr_restore(fl);
	return r;
}

int
pipe_fifo_open(struct pipe **cell, struct file *f)
{
	struct pipe *pp = *cell;
	int acc = f->f_flags & O_ACCMODE, r = 0;

	if (acc == 3)
		return -EINVAL;
	if (pp == 0) {
		if ((pp = pipe_new()) == 0)
			return -ENOMEM;
		pp->pp_cell = cell;
		*cell = pp;
	}
	if (acc == O_WRONLY && (f->f_flags & O_NONBLOCK) && pp->pp_readers == 0) {
		pipe_free_if_unused(pp);
		return -ENXIO;
	}
	f->f_ops = &pipe_ops;
	f->f_data = pp;
	if (acc != O_WRONLY) {
		pp->pp_readers++;
		pp->pp_ropens++;
	}
	if (acc != O_RDONLY) {
		pp->pp_writers++;
		pp->pp_wopens++;
	}
	wakeup(pp);
	poll_wakeup(&pp->pp_ph, POLLIN | POLLOUT);	/* a partner: no hangup now */
	if (acc == O_RDONLY && pp->pp_writers == 0 && !(f->f_flags & O_NONBLOCK))
		r = fifo_wait(pp, &pp->pp_wopens);
	else if (acc == O_WRONLY && pp->pp_readers == 0)
		r = fifo_wait(pp, &pp->pp_ropens);
	if (r) {
		f->f_ops = 0;
		f->f_data = 0;
		if (acc == O_RDONLY)
			pp->pp_readers--;
		else
			pp->pp_writers--;
		wakeup(pp);
		pipe_free_if_unused(pp);
	}
	return r;
}

long
sys_pipe2(uint64_t ufds, int flags)
{
	struct pipe *pp;
	struct file *r, *w;
	uint64_t pa;
	int fds[2];

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	pp = kzalloc(sizeof(*pp));
	r = file_alloc(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK));
	/* As Linux: O_DIRECT is the write end's, not the read end's. */
	w = file_alloc(&pipe_ops, O_WRONLY | (flags & (O_NONBLOCK | O_DIRECT)));
	pa = pmm_alloc_order(PIPE_ORDER);
	if (pp == 0 || r == 0 || w == 0 || pa == 0)
		goto nomem;
	pp->pp_buf = PHYS_TO_VIRT(pa);
	pp->pp_readers = pp->pp_writers = 1;
	pp->pp_ino = pipe_next_ino++;
	r->f_data = w->f_data = pp;
	fds[0] = fd_install_from(r, 0, flags & O_CLOEXEC);
	if (fds[0] < 0) {
		file_put(r);
		file_put(w);
		return fds[0];
	}
	fds[1] = fd_install_from(w, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		sys_close(fds[0]);
		file_put(w);
		return fds[1];
	}
	if (copyout(ufds, fds, sizeof(fds))) {
		sys_close(fds[0]);
		sys_close(fds[1]);
		return -EFAULT;
	}
	return 0;
nomem:
	if (pa)
		pmm_free_order(pa, PIPE_ORDER);
	kfree(pp);
	kfree(r);
	kfree(w);
	return -ENOMEM;
}

/* Where a read's bytes go next: iov[0] from byte skip, then the rest. */
struct cursor {
	const struct iovec *c_iov;
	int c_cnt;
	uint64_t c_skip;
};

/* Copy n bytes out to the cursor, across iovecs, and move it past them. */
static int
cursor_copyout(struct cursor *c, const char *src, uint64_t n)
{
	while (n) {
		uint64_t k = MIN(n, c->c_iov->iov_len - c->c_skip);

		ASSERT(c->c_cnt > 0);
		if (copyout(c->c_iov->iov_base + c->c_skip, src, k))
			return -EFAULT;
		src += k;
		n -= k;
		c->c_skip += k;
		if (c->c_skip == c->c_iov->iov_len && c->c_cnt > 1) {
			c->c_iov++;
			c->c_cnt--;
			c->c_skip = 0;
		}
	}
	return 0;
}

/*
 * Copy n <= PAGE_SIZE queued bytes from pos out to the cursor, across the
 * ring's end; the cursor moves only when all of them went out.
 */
static int
ring_copyout(struct pipe *pp, struct cursor *c, uint64_t pos, uint64_t n)
{
	uint64_t off = pos % PIPE_SIZE, k = MIN(n, PIPE_SIZE - off);
	struct cursor at = *c;

	if (cursor_copyout(&at, pp->pp_buf + off, k) ||
	    (k < n && cursor_copyout(&at, pp->pp_buf, n - k)))
		return -EFAULT;
	*c = at;
	return 0;
}

/* Copy n <= PAGE_SIZE bytes in from ubuf to the ring at pos. */
static int
ring_copyin(struct pipe *pp, uint64_t pos, uint64_t ubuf, uint64_t n)
{
	uint64_t off = pos % PIPE_SIZE, k = MIN(n, PIPE_SIZE - off);

	if (copyin(pp->pp_buf + off, ubuf, k))
		return -EFAULT;
	return k < n ? copyin(pp->pp_buf, ubuf + k, n - k) : 0;
}

long
pipe_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	struct iovec iov = { ubuf, n };

	return pipe_readv(f, &iov, 1, n);
}

long
pipe_readv(struct file *f, const struct iovec *iov, int cnt, uint64_t n)
{
	struct pipe *pp = f->f_data;
	struct cursor c = { iov, cnt, 0 };
	uint64_t done = 0, fl, rpos0;
	long err;

	fl = intr_save();
	while (pp->pp_wpos == pp->pp_rpos) {
		if (pp->pp_writers == 0) {
			intr_restore(fl);
			return 0;
		}
		if (f->f_flags & O_NONBLOCK) {
			intr_restore(fl);
			return -EAGAIN;
		}
		if (sleep_on(pp, 0)) {
			intr_restore(fl);
			return -EINTR;
		}
	}
	intr_restore(fl);
	rpos0 = pp->pp_rpos;
	while (done < n && pp->pp_rpos != pp->pp_wpos) {
		struct packet *pk = pp->pp_npkt ? &pp->pp_pkt[pp->pp_pkt_head] : 0;
		uint64_t k = pp->pp_wpos - pp->pp_rpos;

		if (pk && pk->pk_start == pp->pp_rpos)
			k = pk->pk_len;
		else if (pk)
			k = pk->pk_start - pp->pp_rpos;	/* ordinary bytes before it */
		k = MIN(MIN(k, n - done), PAGE_SIZE);
		err = ring_copyout(pp, &c, pp->pp_rpos, k);
		if (err < 0) {
			if (done == 0)
				return err;
			break;
		}
		done += k;
		if (pk && pk->pk_start == pp->pp_rpos) {
			/* A packet: the rest of it is dropped, and the read ends. */
			pp->pp_rpos += pk->pk_len;
			pp->pp_pkt_head = (pp->pp_pkt_head + 1) % PIPE_SLOTS;
			pp->pp_npkt--;
			break;
		}
		pp->pp_rpos += k;
	}
	wakeup(pp);
	/*
	 * Only a full pipe's write end becomes writable (pipe_poll), so only
	 * then are its pollers told (Linux's was_full).  A read takes at most
	 * one packet: the slots were all taken if one is free now at most.
	 */
	if (pp->pp_wpos - rpos0 == PIPE_SIZE || pp->pp_npkt >= PIPE_SLOTS - 1)
		poll_wakeup(&pp->pp_ph, POLLOUT);
	return done;
}

long
pipe_write(struct file *f, uint64_t ubuf, uint64_t n)
{
	struct pipe *pp = f->f_data;
	uint64_t done = 0, fl;
	int packets = f->f_flags & O_DIRECT;

	while (done < n) {
		uint64_t room, k;

		fl = intr_save();
		for (;;) {
			if (pp->pp_readers == 0) {
				intr_restore(fl);
				signal_send(curproc(), SIGPIPE);
				return done ? (long)done : -EPIPE;
			}
			room = PIPE_SIZE - (pp->pp_wpos - pp->pp_rpos);
			/* Up to PIPE_BUF bytes go in at once or not at all. */
			if (!packets && room >= MIN(n - done, PIPE_BUF) && room > 0)
				break;
			/* A packet needs a slot, and room for all of it. */
			if (packets && pp->pp_npkt < PIPE_SLOTS &&
			    room >= MIN(n - done, PAGE_SIZE))
				break;
			if (f->f_flags & O_NONBLOCK) {
				intr_restore(fl);
				return done ? (long)done : -EAGAIN;
			}
			if (sleep_on(pp, 0)) {
				intr_restore(fl);
				return done ? (long)done : -EINTR;
			}
		}
		intr_restore(fl);
		k = MIN(MIN(n - done, room), PAGE_SIZE);
		if (ring_copyin(pp, pp->pp_wpos, ubuf + done, k))
			return done ? (long)done : -EFAULT;
		if (packets) {
			struct packet *pk = &pp->pp_pkt[(pp->pp_pkt_head + pp->pp_npkt) % PIPE_SLOTS];

			pk->pk_start = pp->pp_wpos;
			pk->pk_len = k;
			pp->pp_npkt++;
		}
		pp->pp_wpos += k;
		done += k;
		wakeup(pp);
		poll_wakeup(&pp->pp_ph, POLLIN);
	}
	return done;
}

void
pipe_close(struct file *f)
{
	struct pipe *pp = f->f_data;
	int acc = f->f_flags & O_ACCMODE;

	/* An O_RDWR end (a FIFO opened so, or a reopen through /proc) is a reader and a writer. */
	if (acc != O_WRONLY)
		pp->pp_readers--;
	if (acc != O_RDONLY)
		pp->pp_writers--;
	wakeup(pp);
	poll_wakeup(&pp->pp_ph, 0);	/* a hangup: POLLHUP or POLLERR */
	pipe_free_if_unused(pp);
}

int
pipe_pending(struct file *f)
{
	return (int)(((struct pipe *)f->f_data)->pp_wpos - ((struct pipe *)f->f_data)->pp_rpos);
}

static int
pipe_read_would_block(struct file *f)
{
	return pipe_pending(f) == 0;
}

/* A pipe has no node: what Linux's pipefs gives, but an inode number. */
static int
pipe_getattr(struct file *f, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | 0600;
	st->st_ino = ((struct pipe *)f->f_data)->pp_ino;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static struct pollhead *
pipe_pollhead(struct file *f)
{
	return &((struct pipe *)f->f_data)->pp_ph;
}

/* Linux's pipe_poll: the read end sees data or no writer, the write end room or no reader. */
static int
pipe_poll(struct file *f)
{
	struct pipe *pp = f->f_data;
	uint64_t queued = pp->pp_wpos - pp->pp_rpos;
	int ev = 0;

	if ((f->f_flags & O_ACCMODE) != O_WRONLY) {
		if (queued)
			ev |= POLLIN | POLLRDNORM;
		if (pp->pp_writers == 0)
			ev |= POLLHUP;
	}
	if ((f->f_flags & O_ACCMODE) != O_RDONLY) {
		if (queued < PIPE_SIZE && pp->pp_npkt < PIPE_SLOTS)
			ev |= POLLOUT | POLLWRNORM;
		if (pp->pp_readers == 0)
			ev |= POLLERR;
	}
	return ev;
}

/*
 * A new end of f's pipe, readable or writable as nf's open flags say: the
 * open of /proc/PID/fd/N, which Linux's fifo_open does for a pipe without
 * waiting for the other end.
 */
static int
pipe_reopen(struct file *f, struct file *nf)
{
	struct pipe *pp = f->f_data;
	int acc = nf->f_flags & O_ACCMODE;

	if (acc != O_WRONLY)
		pp->pp_readers++;
	if (acc != O_RDONLY)
		pp->pp_writers++;
	nf->f_ops = &pipe_ops;
	nf->f_data = pp;
	wakeup(pp);
	poll_wakeup(&pp->pp_ph, POLLIN | POLLOUT);
	return 0;
}
