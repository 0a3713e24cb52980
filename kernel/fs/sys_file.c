/*
 * sys_file.c: the file system calls, with Linux's numbers of errors.
 */
#include <keel/kernel.h>
#include <keel/tty.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/pipe.h>
#include <keel/proc.h>
#include <keel/ramfs.h>
#include <keel/usercopy.h>
#include <keel/kheap.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>
#include <uapi/ioctl.h>
#include <uapi/uio.h>

#define CHUNK		256
/* Linux's cap on one read or write: INT_MAX rounded down to a page. */
#define MAX_RW_COUNT	(0x7fffffffUL & ~(PAGE_SIZE - 1))

struct iovec {
	uint64_t iov_base;
	uint64_t iov_len;
};

static long
zero_fill_user(uint64_t ubuf, uint64_t n)
{
	static const char zeros[CHUNK];
	uint64_t done = 0;

	while (done < n) {
		uint64_t k = MIN(n - done, CHUNK);
		long r = copyout_partial(ubuf + done, zeros, k);

		/* Linux's read_iter_zero: the bytes before a hole are read. */
		if (r < 0)
			return done ? (long)done : r;
		done += r;
		if ((uint64_t)r < k)
			break;
	}
	return done;
}

/* Writes to an initramfs file, through a kernel buffer. */
static long
node_write(struct file *f, uint64_t ubuf, uint64_t n)
{
	char buf[512];
	uint64_t done = 0;
	int64_t r, got;

	if (f->f_type != FT_NODE)
		return -EBADF;
	if (f->f_flags & O_APPEND)
		f->f_off = f->f_node->rn_size;
	while (done < n) {
		uint64_t k = MIN(n - done, sizeof(buf));

		/* The bytes before a hole are written, as Linux does. */
		got = copyin_partial(buf, ubuf + done, k);
		if (got < 0)
			return done ? (long)done : got;
		r = ramfs_write(f->f_node, f->f_off, buf, got);
		if (r < 0)
			return done ? (long)done : r;
		f->f_off += r;
		done += r;
		if (r < got || (uint64_t)got < k)
			break;
	}
	return done;
}

/* A /proc file: text made when it was opened. */
static long
text_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	long r;

	if (f->f_off >= f->f_textlen)
		return 0;
	r = copyout_partial(ubuf, f->f_text + f->f_off, MIN(n, f->f_textlen - f->f_off));
	if (r > 0)
		f->f_off += r;
	return r;
}

static long
node_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	struct rnode *rn = f->f_node;
	long r;

	if (S_ISDIR(rn->rn_mode))
		return -EISDIR;
	if (f->f_off >= rn->rn_size)
		return 0;
	n = MIN(n, rn->rn_size - f->f_off);
	r = copyout_partial(ubuf, (const char *)rn->rn_data + f->f_off, n);
	if (r > 0)
		f->f_off += r;
	return r;
}

long
sys_read(int fd, uint64_t ubuf, uint64_t n)
{
	struct file *f = file_get(fd);

	if (f == 0 || (f->f_flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	/* vfs_read's access_ok: the whole range, even for a count of 0. */
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (n == 0)
		return 0;
	n = MIN(n, MAX_RW_COUNT);
	switch (f->f_type) {
	case FT_CONSOLE:
		return tty_read_user(ubuf, n);
	case FT_NULL:
		return 0;
	case FT_ZERO:
		return zero_fill_user(ubuf, n);
	case FT_PIPE:
		return pipe_read(f, ubuf, n);
	case FT_PROC:
		return text_read(f, ubuf, n);
	default:
		return node_read(f, ubuf, n);
	}
}

long
sys_write(int fd, uint64_t ubuf, uint64_t n)
{
	struct file *f = file_get(fd);

	if (f == 0 || (f->f_flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	/* vfs_write's access_ok: the whole range, even for a count of 0. */
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	if (n == 0)
		return 0;
	n = MIN(n, MAX_RW_COUNT);
	switch (f->f_type) {
	case FT_CONSOLE:
		return tty_write_user(ubuf, n);
	case FT_NULL:
	case FT_ZERO:
		return n;
	case FT_PIPE:
		return pipe_write(f, ubuf, n);
	default:
		return node_write(f, ubuf, n);
	}
}

/* Would a read of f sleep now (no data yet, a writer still there)? */
static int
read_would_block(struct file *f)
{
	switch (f->f_type) {
	case FT_PIPE:
		return pipe_pending(f) == 0;
	case FT_CONSOLE:
		return tty_pending() == 0;
	default:
		return 0;
	}
}

/*
 * Linux's import_iovec: the whole array is copied and every iovec checked
 * (a negative length anywhere, -EINVAL; then a range outside the user
 * half, -EFAULT) before anything moves.  Then one call per iovec, stopping
 * at the first short one; a read also stops, with what it has, where the
 * next iovec would sleep (Linux's pipe and tty reads fill all the iovecs
 * in one call, which sleeps only while nothing has been read).
 */
static long
vector_io(int fd, uint64_t uiov, int iovcnt, long (*io)(int, uint64_t, uint64_t))
{
	struct file *f = file_get(fd);
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
	struct file *f = file_get(fd);

	if (f == 0)
		return -EBADF;
	curproc()->p_files[fd] = 0;
	file_put(f);
	return 0;
}

long
sys_lseek(int fd, int64_t off, int whence)
{
	struct file *f = file_get(fd);
	int64_t base, pos;

	if (f == 0)
		return -EBADF;
	if (f->f_type == FT_CONSOLE || f->f_type == FT_PIPE)
		return -ESPIPE;
	if (f->f_type == FT_NULL || f->f_type == FT_ZERO)
		return 0;	/* Linux returns 0 */
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_off;
		break;
	case SEEK_END:
		base = f->f_type == FT_PROC ? (int64_t)f->f_textlen : (int64_t)f->f_node->rn_size;
		break;
	default:
		return -EINVAL;
	}
	/* Past INT64_MAX or below 0: -EINVAL (C's signed overflow is no test). */
	if (__builtin_add_overflow(base, off, &pos) || pos < 0)
		return -EINVAL;
	f->f_off = pos;
	return pos;
}

long
sys_ioctl(int fd, uint64_t req, uint64_t arg)
{
	struct file *f = file_get(fd);

	if (f == 0)
		return -EBADF;
	if (f->f_type != FT_CONSOLE)
		return -ENOTTY;
	return tty_ioctl(req, arg);
}

long
sys_dup(int fd)
{
	struct file *f = file_get(fd);
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
	struct file *f = file_get(oldfd);
	struct proc *p = curproc();

	/* Linux's order: the flags, then the same descriptor, then the numbers. */
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (f == 0 || newfd < 0 || newfd >= NOFILE)
		return -EBADF;
	if (p->p_files[newfd])
		file_put(p->p_files[newfd]);
	p->p_files[newfd] = f;
	p->p_fdflags[newfd] = (flags & O_CLOEXEC) ? 1 : 0;
	f->f_ref++;
	return newfd;
}

long
sys_dup2(int oldfd, int newfd)
{
	if (oldfd == newfd)
		return file_get(oldfd) ? newfd : -EBADF;
	return sys_dup3(oldfd, newfd, 0);
}


long
sys_fcntl(int fd, int cmd, uint64_t arg)
{
	struct file *f = file_get(fd);
	struct proc *p = curproc();
	int nfd;

	if (f == 0)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* Linux takes the int in the register: the high bits do not count. */
		if ((uint32_t)arg >= NOFILE)
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
		return f->f_flags & (O_ACCMODE | O_APPEND | O_NONBLOCK);
	case F_SETFL:
		f->f_flags = (f->f_flags & ~(O_APPEND | O_NONBLOCK)) |
		    (arg & (O_APPEND | O_NONBLOCK));
		return 0;
	default:
		return -EINVAL;
	}
}

long
sys_pipe(uint64_t ufds)
{
	return sys_pipe2(ufds, 0);
}
