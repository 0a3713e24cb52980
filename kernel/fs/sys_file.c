/*
 * sys_file.c: the file system calls, with Linux's numbers of errors.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/flock.h>
#include <keel/pipe.h>
#include <keel/proc.h>
#include <keel/usercopy.h>
#include <keel/kheap.h>
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
	curproc()->p_files[fd] = 0;
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
		f->f_ref++;
	return nfd;
}

long
sys_dup3(int oldfd, int newfd, int flags)
{
	struct file *f = fd_file(oldfd);
	struct proc *p = curproc();

	/* Linux's order: the flags, then the same descriptor, then the numbers. */
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (f == 0 || (unsigned int)newfd >= (unsigned int)fd_limit(p))
		return -EBADF;
	if (p->p_files[newfd])
		file_close_fd(p, p->p_files[newfd]);
	p->p_files[newfd] = f;
	p->p_fdflags[newfd] = (flags & O_CLOEXEC) ? 1 : 0;
	f->f_ref++;
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
			f->f_ref++;
		return nfd;
	case F_GETFD:
		return p->p_fdflags[fd] ? FD_CLOEXEC : 0;
	case F_SETFD:
		p->p_fdflags[fd] = (arg & FD_CLOEXEC) ? 1 : 0;
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
