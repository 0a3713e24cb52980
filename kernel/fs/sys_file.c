/*
 * sys_file.c: the file system calls, with Linux's numbers of errors.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/flock.h>
#include <keel/pipe.h>
#include <keel/proc.h>
#include <keel/sysproc.h>
#include <keel/usercopy.h>
#include <keel/kheap.h>
#include <keel/vfs.h>
#include <uapi/mman.h>
#include <uapi/stat.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>
#include <uapi/ioctl.h>
#include <uapi/uio.h>

#define UIO_MAXIOV	1024

long
sys_read(int fd, uint64_t ubuf, uint64_t n)
{
	struct file *f = fd_file(fd);

	if (f == 0 || (f->f_flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	/* vfs_read's access_ok: the whole range, even for a count of 0. */
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (n == 0)
		return f->f_ops->rw_min ? -EINVAL : 0;	/* eventfd's minimum: its op checks the rest */
	n = MIN(n, MAX_RW_COUNT);
	if (f->f_ops->read == 0)
		return -EINVAL;
	return f->f_ops->read(f, ubuf, n);
}

long
sys_write(int fd, uint64_t ubuf, uint64_t n)
{
	struct file *f = fd_file(fd);

	if (f == 0 || (f->f_flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	/* vfs_write's access_ok: the whole range, even for a count of 0. */
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (n == 0)
		return f->f_ops->rw_min ? -EINVAL : 0;	/* eventfd's minimum: its op checks the rest */
	n = MIN(n, MAX_RW_COUNT);
	if (f->f_ops->write == 0)
		return -EINVAL;
	return f->f_ops->write(f, ubuf, n);
}

/* Would a read of f sleep now (no data yet, a writer still there)? */
static int
read_would_block(struct file *f)
{
	return f->f_ops->read_would_block && f->f_ops->read_would_block(f);
}

/*
 * Linux's import_iovec: the whole array is copied and every iovec checked
 * (a negative length anywhere, -EINVAL; then a range outside the user
 * half, -EFAULT) before anything moves.  A pipe's read then fills all the
 * iovecs in one call, as Linux's pipe_read does (so a packet runs on into
 * the next iovec).  Otherwise one call per iovec, stopping at the first
 * short one; a read also stops, with what it has, where the next iovec
 * would sleep (Linux's tty read fills all the iovecs in one call, which
 * sleeps only while nothing has been read).
 */
static long
vector_io(int fd, uint64_t uiov, int iovcnt, long (*io)(int, uint64_t, uint64_t))
{
	struct file *f = fd_file(fd);
	struct iovec *iov;
	uint64_t total = 0;
	long r;
	int i;

	if (f == 0)
		return -EBADF;
	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	if (iovcnt == 0)
		return io(fd, 0, 0);	/* only the checks of the fd's mode */
	iov = kmalloc(iovcnt * sizeof(*iov));
	if (iov == 0)
		return -ENOMEM;
	r = copyin(iov, uiov, iovcnt * sizeof(*iov));
	/* Every length first (as the array is copied), then every range. */
	for (i = 0; r == 0 && i < iovcnt; i++)
		if ((int64_t)iov[i].iov_len < 0)
			r = -EINVAL;
	for (i = 0; r == 0 && i < iovcnt; i++)
		if (!user_range_ok(iov[i].iov_base, iov[i].iov_len))
			r = -EFAULT;
	if (r == 0 && io == sys_read && f->f_ops->readv &&
	    (f->f_flags & O_ACCMODE) != O_WRONLY) {
		for (i = 0; i < iovcnt; i++)
			total = MIN(total + iov[i].iov_len, MAX_RW_COUNT);
		r = total ? f->f_ops->readv(f, iov, iovcnt, total) : 0;
		kfree(iov);
		return r;
	}
	for (i = 0; r == 0 && i < iovcnt && total < MAX_RW_COUNT; i++) {
		long k;

		if (iov[i].iov_len == 0)
			continue;
		if (total && io == sys_read && read_would_block(f))
			break;
		k = io(fd, iov[i].iov_base, MIN(iov[i].iov_len, MAX_RW_COUNT - total));
		if (k < 0) {
			r = total ? 0 : k;
			break;
		}
		total += k;
		if ((uint64_t)k < iov[i].iov_len)
			break;
	}
	kfree(iov);
	return r ? r : (long)total;
}

long
sys_readv(int fd, uint64_t uiov, int iovcnt)
{
	return vector_io(fd, uiov, iovcnt, sys_read);
}

long
sys_writev(int fd, uint64_t uiov, int iovcnt)
{
	return vector_io(fd, uiov, iovcnt, sys_write);
}


long
sys_close(int fd)
{
	struct file *f = fd_file(fd);

	if (f == 0)
		return -EBADF;
	fd_clear(curproc(), fd);
	file_close_fd(curproc(), f);
	return 0;
}

long
sys_lseek(int fd, int64_t off, int whence)
{
	struct file *f = fd_file(fd);

	if (f == 0)
		return -EBADF;
	if (f->f_ops->lseek == 0)
		return -ESPIPE;
	return f->f_ops->lseek(f, off, whence);
}

long
sys_ioctl(int fd, uint64_t req, uint64_t arg)
{
	struct file *f = fd_file(fd);

	if (f == 0)
		return -EBADF;
	if (f->f_ops->ioctl == 0)
		return -ENOTTY;
	return f->f_ops->ioctl(f, req, arg);
}

long
sys_dup(int fd)
{
	struct file *f = fd_file(fd);
	int nfd;

	if (f == 0)
		return -EBADF;
	nfd = fd_install_from(f, 0, 0);
	if (nfd >= 0)
		ref_inc(&f->f_ref);
	return nfd;
}

long
sys_dup3(int oldfd, int newfd, int flags)
{
	struct file *f = fd_file(oldfd), *old;
	struct proc *p = curproc();
	int r;

	/* Linux's order: the flags, then the same descriptor, then the numbers. */
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (f == 0 || (unsigned int)newfd >= (unsigned int)fd_limit(p))
		return -EBADF;
	old = fd_file(newfd);
	r = fd_set(p, newfd, f, flags & O_CLOEXEC);
	if (r)
		return r;
	ref_inc(&f->f_ref);
	if (old)
		file_close_fd(p, old);
	return newfd;
}

long
sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd)
		return fd_file(oldfd) ? newfd : -EBADF;
	return sys_dup3(oldfd, newfd, 0);
}


long
sys_fcntl(int fd, int cmd, uint64_t arg)
{
	struct file *f = fd_file(fd);
	struct proc *p = curproc();
	int nfd;

	if (f == 0)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* Linux takes the int in the register: the high bits do not count. */
		if ((uint32_t)arg >= (uint32_t)fd_limit(p))
			return -EINVAL;
		nfd = fd_install_from(f, (int)(uint32_t)arg, cmd == F_DUPFD_CLOEXEC);
		if (nfd >= 0)
			ref_inc(&f->f_ref);
		return nfd;
	case F_GETFD:
		return fd_cloexec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(fd, arg & FD_CLOEXEC);
		return 0;
	case F_GETFL:
		return f->f_flags & (O_ACCMODE | O_APPEND | O_NONBLOCK | O_DIRECT);
	case F_SETFL:
		/* Only a pipe takes O_DIRECT (packets); tmpfs cannot do direct I/O. */
		if ((arg & O_DIRECT) && !(f->f_ops->f_setfl_extra & O_DIRECT))
			return -EINVAL;
		f->f_flags = (f->f_flags & ~(O_APPEND | O_NONBLOCK | O_DIRECT)) |
		    (arg & (O_APPEND | O_NONBLOCK | O_DIRECT));
		return 0;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_GETLK:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		return flock_fcntl(f, cmd, arg);
	default:
		return -EINVAL;
	}
}

long
sys_pipe(uint64_t ufds)
{
	return sys_pipe2(ufds, 0);
}

/*
 * The positional calls: the descriptor's offset is set to off around an
 * ordinary read or write, then put back, so each file's own operations
 * serve them.  Only files that seek take them (-ESPIPE: pipes, FIFOs,
 * the TTY, as Linux's FMODE_PREAD); their reads and writes never sleep,
 * so no other user of the open file sees the borrowed offset.
 */
static long
at_offset(int fd, int64_t off, long (*io)(int, uint64_t, uint64_t), uint64_t ubuf,
    uint64_t n, long (*vio)(int, uint64_t, int))
{
	struct file *f;
	uint64_t saved;
	long r;

	if (off < 0)
		return -EINVAL;
	if ((f = fd_file(fd)) == 0)
		return -EBADF;
	if (f->f_ops->lseek == 0 || (f->f_vnode && S_ISFIFO(f->f_vnode->v_mode)))
		return -ESPIPE;
	ref_inc(&f->f_ref);	/* the descriptor may be closed meanwhile: not the file */
	saved = f->f_off;
	f->f_off = off;
	r = io ? io(fd, ubuf, n) : vio(fd, ubuf, (int)n);
	f->f_off = saved;
	file_put(f);
	return r;
}

long
sys_pread64(int fd, uint64_t ubuf, uint64_t n, int64_t off)
{
	return at_offset(fd, off, sys_read, ubuf, n, 0);
}

long
sys_pwrite64(int fd, uint64_t ubuf, uint64_t n, int64_t off)
{
	return at_offset(fd, off, sys_write, ubuf, n, 0);
}

/* preadv(fd, iov, cnt, pos_l, pos_h): pos_h is shifted out on 64-bit. */
long
sys_preadv(int fd, uint64_t uiov, int iovcnt, int64_t off)
{
	return at_offset(fd, off, 0, uiov, (uint64_t)(uint32_t)iovcnt, sys_readv);
}

long
sys_pwritev(int fd, uint64_t uiov, int iovcnt, int64_t off)
{
	return at_offset(fd, off, 0, uiov, (uint64_t)(uint32_t)iovcnt, sys_writev);
}

#define SENDFILE_CHUNK	(64 * 1024)

/*
 * sendfile(2) as Linux's do_sendfile checks it; the bytes go through a
 * bounce buffer mapped in the caller's own address space, so the two
 * files' ordinary read and write do the work.  The input must be a
 * file of a file system (a pipe or FIFO: -EINVAL, no splice_read); an
 * O_APPEND output is -EINVAL.
 */
long
sys_sendfile(int outfd, int infd, uint64_t uoff, uint64_t n)
{
	struct file *in, *out;
	int64_t pos = 0;
	uint64_t done = 0, bounce, saved = 0;
	long r = 0, k, w;

	if (uoff && copyin(&pos, uoff, sizeof(pos)))
		return -EFAULT;
	if ((in = fd_file(infd)) == 0 || (in->f_flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (uoff && (in->f_ops->lseek == 0 || (in->f_vnode && S_ISFIFO(in->f_vnode->v_mode))))
		return -ESPIPE;
	if (uoff && pos < 0)
		return -EINVAL;
	n = MIN(n, MAX_RW_COUNT);
	if ((out = fd_file(outfd)) == 0 || (out->f_flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (in->f_vnode == 0 || S_ISFIFO(in->f_vnode->v_mode) || in->f_ops->read == 0)
		return -EINVAL;
	if (out->f_flags & O_APPEND)
		return -EINVAL;
	if (n == 0)
		return 0;
	r = sys_mmap(0, SENDFILE_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r < 0)
		return r;
	bounce = r;
	ref_inc(&in->f_ref);
	ref_inc(&out->f_ref);
	if (uoff) {
		saved = in->f_off;
		in->f_off = pos;
	}
	for (r = 0; done < n; done += w) {
		k = in->f_ops->read(in, bounce, MIN(n - done, SENDFILE_CHUNK));
		if (k <= 0) {
			r = k;
			break;
		}
		w = out->f_ops->write ? out->f_ops->write(out, bounce, k) : -EINVAL;
		if (w < 0) {
			r = w;
			break;
		}
		if (w < k) {
			/* What did not go out was not sent: the input goes back to it. */
			in->f_off -= k - w;
			done += w;
			break;
		}
	}
	if (uoff) {
		pos = in->f_off;
		in->f_off = saved;
	}
	file_put(in);
	file_put(out);
	sys_munmap(bounce, SENDFILE_CHUNK);
	if (done)
		r = done;
	if (uoff && copyout(uoff, &pos, sizeof(pos)))
		return -EFAULT;
	return r;
}

long
sys_fsync(int fd)
{
	struct file *f = fd_file(fd);

	if (f == 0)
		return -EBADF;
	return f->f_ops->fsync ? f->f_ops->fsync(f) : -EINVAL;
}

long
sys_fdatasync(int fd)
{
	return sys_fsync(fd);
}

/* Every file system lives in memory: nothing to write back, anywhere. */
long
sys_sync(void)
{
	return 0;
}

long
sys_syncfs(int fd)
{
	return fd_file(fd) ? 0 : -EBADF;
}
