/*
 * eventfd.c: eventfd(2) and eventfd2(2), as Linux's fs/eventfd.c: a file
 * holding a 64-bit counter.
 *
 * Interface: sys_eventfd, sys_eventfd2.
 *
 * A read of at least 8 bytes takes the counter and leaves 0 (with
 * EFD_SEMAPHORE: takes 1 and leaves the rest), sleeping while it is 0; a
 * write of at least 8 bytes adds its value, sleeping while the sum would
 * pass UINT64_MAX - 1 (UINT64_MAX itself is -EINVAL).  Shorter buffers
 * are -EINVAL.  Readable while the counter is above 0, writable while
 * another 1 fits.  O_NONBLOCK (EFD_NONBLOCK, F_SETFL) turns each sleep
 * into -EAGAIN.
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
#include <arch/arch.h>	/* intr_save, intr_restore */

struct eventfd {
	uint64_t ef_count;
	int ef_semaphore;
	struct pollhead ef_ph;
};

/*
 * Take the counter (or 1 of it), sleeping while it is 0: 0 with *v set,
 * or -EAGAIN, -EINTR.
 */
static long
eventfd_take(struct file *f, uint64_t *v)
{
	struct eventfd *ef = f->f_data;
	uint64_t fl = intr_save();

	while (ef->ef_count == 0) {
		if (f->f_flags & O_NONBLOCK) {
			intr_restore(fl);
			return -EAGAIN;
		}
		if (sleep_on(ef, 0)) {
			intr_restore(fl);
			return -EINTR;	/* restarted under SA_RESTART, as -ERESTARTSYS */
		}
	}
	*v = ef->ef_semaphore ? 1 : ef->ef_count;
	ef->ef_count -= *v;
	intr_restore(fl);
	wakeup(ef);
	poll_wakeup(&ef->ef_ph, POLLOUT);
	return 0;
}

/* Linux takes the count before it copies it out: a bad buffer loses it. */
static long
eventfd_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	uint64_t v;
	long r;

	if (n < sizeof(v))
		return -EINVAL;
	r = eventfd_take(f, &v);
	if (r)
		return r;
	return copyout(ubuf, &v, sizeof(v)) ? -EFAULT : (long)sizeof(v);
}

/* readv: the 8 bytes may span iovecs (Linux's copy_to_iter). */
static long
eventfd_readv(struct file *f, const struct iovec *iov, int cnt, uint64_t n)
{
	uint64_t v, done = 0;
	long r;

	if (n < sizeof(v))
		return -EINVAL;
	r = eventfd_take(f, &v);
	if (r)
		return r;
	for (int i = 0; i < cnt && done < sizeof(v); i++) {
		uint64_t k = MIN(iov[i].iov_len, sizeof(v) - done);

		if (copyout(iov[i].iov_base, (char *)&v + done, k))
			return -EFAULT;
		done += k;
	}
	return sizeof(v);
}

static long
eventfd_write(struct file *f, uint64_t ubuf, uint64_t n)
{
	struct eventfd *ef = f->f_data;
	uint64_t v, fl;

	if (n < sizeof(v))
		return -EINVAL;
	if (copyin(&v, ubuf, sizeof(v)))
		return -EFAULT;
	if (v == UINT64_MAX)
		return -EINVAL;
	fl = intr_save();
	while (UINT64_MAX - ef->ef_count <= v) {
		if (f->f_flags & O_NONBLOCK) {
			intr_restore(fl);
			return -EAGAIN;
		}
		if (sleep_on(ef, 0)) {
			intr_restore(fl);
			return -EINTR;
		}
	}
	ef->ef_count += v;
	intr_restore(fl);
	wakeup(ef);
	poll_wakeup(&ef->ef_ph, POLLIN);	/* even for 0, as Linux */
	return sizeof(v);
}

/* Linux's eventfd_poll: POLLIN and POLLOUT only, no RDNORM/WRNORM. */
static int
eventfd_poll(struct file *f)
{
	uint64_t c = ((struct eventfd *)f->f_data)->ef_count;
	int ev = 0;

	if (c > 0)
		ev |= POLLIN;
	if (c == UINT64_MAX)
		ev |= POLLERR;
	if (UINT64_MAX - 1 > c)
		ev |= POLLOUT;
	return ev;
}

static struct pollhead *
eventfd_pollhead(struct file *f)
{
	return &((struct eventfd *)f->f_data)->ef_ph;
}

/* An anonymous inode's: mode 0600 and no type. */
static int
eventfd_getattr(struct file *f, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = 0600;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

/* Linux's noop_llseek: the offset stays 0. */
static int64_t
eventfd_lseek(struct file *f, int64_t off, int whence)
{
	return (int64_t)f->f_off;
}

static void
eventfd_release(struct file *f)
{
	kfree(f->f_data);
}

static const struct file_ops eventfd_ops = {
	.read = eventfd_read,
	.readv = eventfd_readv,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.pollhead = eventfd_pollhead,
	.getattr = eventfd_getattr,
	.lseek = eventfd_lseek,
	.release = eventfd_release,
	.rw_min = sizeof(uint64_t),
};

long
sys_eventfd2(unsigned int count, int flags)
{
	struct eventfd *ef;
	struct file *f;
	int fd;

	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return -EINVAL;
	ef = kzalloc(sizeof(*ef));
	if (ef == 0)
		return -ENOMEM;
	ef->ef_count = count;
	ef->ef_semaphore = flags & EFD_SEMAPHORE;
	f = file_alloc(&eventfd_ops, O_RDWR | (flags & EFD_NONBLOCK));
	if (f == 0) {
		kfree(ef);
		return -ENOMEM;
	}
	f->f_data = ef;
	fd = fd_install_from(f, 0, flags & EFD_CLOEXEC);
	if (fd < 0)
		file_put(f);
	return fd;
}

long
sys_eventfd(unsigned int count)
{
	return sys_eventfd2(count, 0);
}
