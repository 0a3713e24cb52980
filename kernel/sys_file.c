/*
 * sys_file.c: the file system calls, with Linux's numbers of errors.
 */
#include "kernel.h"
#include "tty.h"
#include "errno.h"
#include "file.h"
#include "proc.h"
#include "ramfs.h"
#include "usercopy.h"
#include "mm/kheap.h"

#define CHUNK		256
#define UIO_MAXIOV	1024
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

#define TCGETS		0x5401
#define TIOCGPGRP	0x540f
#define TIOCGWINSZ	0x5413

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

		if (copyout(ubuf + done, zeros, k))
			return done ? (long)done : -EFAULT;
		done += k;
	}
	return done;
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
	if (n == 0)
		return 0;
	if (!user_range_ok(ubuf, 1))
		return -EFAULT;
	switch (f->f_type) {
	case FT_CONSOLE:
		return tty_read_user(ubuf, n);
	case FT_NULL:
		return 0;
	case FT_ZERO:
		return zero_fill_user(ubuf, n);
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
	if (n == 0)
		return 0;
	switch (f->f_type) {
	case FT_CONSOLE:
		return tty_write_user(ubuf, n);
	case FT_NULL:
	case FT_ZERO:
		return user_range_ok(ubuf, n) ? (long)n : -EFAULT;
	default:
		return -EBADF;
	}
}

static long
vector_io(int fd, uint64_t uiov, int iovcnt, long (*io)(int, uint64_t, uint64_t))
{
	struct iovec iov;
	uint64_t total = 0;
	long r;
	int i;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	if (file_get(fd) == 0)
		return -EBADF;
	for (i = 0; i < iovcnt; i++) {
		if (copyin(&iov, uiov + i * sizeof(iov), sizeof(iov)))
			return total ? (long)total : -EFAULT;
		if ((int64_t)iov.iov_len < 0)
			return -EINVAL;
		if (iov.iov_len == 0)
			continue;
		r = io(fd, iov.iov_base, iov.iov_len);
		if (r < 0)
			return total ? (long)total : r;
		total += r;
		if ((uint64_t)r < iov.iov_len)
			break;
	}
	return total;
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


/*
 * Why O_CREAT of a missing name fails: its directory's lookup error (ENOENT
 * for a missing directory, as Linux), else EROFS: the initramfs is read-only.
 */
static long
creat_error(struct rnode *start, char *path)
{
	struct rnode *dir;
	char *slash = 0, *s, save;
	long r;

	for (s = path; *s; s++)
		if (*s == '/' && s[1])
			slash = s;
	if (slash == 0)
		return -EROFS;
	save = slash[1];
	slash[1] = 0;
	r = ramfs_lookup_at(start, path, 1, &dir);
	slash[1] = save;
	if (r == 0 && !S_ISDIR(dir->rn_mode))
		r = -ENOTDIR;
	return r ? r : -EROFS;
}

static const struct {
	const char *path;
	int type;
} devices[] = {
	{ "/dev/console", FT_CONSOLE },
	{ "/dev/tty", FT_CONSOLE },
	{ "/dev/null", FT_NULL },
	{ "/dev/zero", FT_ZERO },
};

long
sys_openat(int dirfd, uint64_t upath, int flags, int mode)
{
	struct rnode *start = 0, *rn = 0;
	struct file *f, *dir;
	char *path;
	long r;
	int type = FT_NODE;
	unsigned i;

	(void)mode;
	path = kmalloc(RAMFS_PATH_MAX);
	if (path == 0)
		return -ENOMEM;
	r = copyin_str(path, upath, RAMFS_PATH_MAX, -ENAMETOOLONG);
	if (r < 0)
		goto out;
	for (i = 0; i < ARRAY_SIZE(devices); i++)
		if (strcmp(path, devices[i].path) == 0)
			type = devices[i].type;
	if (type == FT_NODE) {
		if (path[0] != '/' && dirfd != AT_FDCWD) {
			dir = file_get(dirfd);
			if (dir == 0) {
				r = -EBADF;
				goto out;
			}
			if (dir->f_type != FT_NODE || !S_ISDIR(dir->f_node->rn_mode)) {
				r = -ENOTDIR;
				goto out;
			}
			start = dir->f_node;
		} else if (path[0] != '/') {
			start = curproc()->p_cwd;
		}
		r = ramfs_lookup_at(start, path, !(flags & O_NOFOLLOW), &rn);
		if (r == -ENOENT && (flags & O_CREAT))
			r = creat_error(start, path);
		if (r < 0)
			goto out;
		if ((flags & O_CREAT) && (flags & O_EXCL)) {
			r = -EEXIST;
			goto out;
		}
		if (S_ISLNK(rn->rn_mode)) {
			r = -ELOOP;	/* O_NOFOLLOW on a symlink */
			goto out;
		}
		if ((flags & O_DIRECTORY) && !S_ISDIR(rn->rn_mode)) {
			r = -ENOTDIR;
			goto out;
		}
		if (S_ISDIR(rn->rn_mode) && (flags & O_ACCMODE) != O_RDONLY) {
			r = -EISDIR;
			goto out;
		}
		if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)) {
			r = -EROFS;
			goto out;
		}
	}
	f = kzalloc(sizeof(*f));
	if (f == 0) {
		r = -ENOMEM;
		goto out;
	}
	f->f_type = type;
	f->f_flags = flags;
	f->f_ref = 1;
	f->f_node = rn;
	r = fd_install_from(f, 0, flags & O_CLOEXEC);
	if (r < 0)
		kfree(f);
out:
	kfree(path);
	return r;
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
	int64_t base;

	if (f == 0)
		return -EBADF;
	if (f->f_type == FT_CONSOLE)
		return -ESPIPE;
	if (f->f_type != FT_NODE)
		return 0;	/* /dev/null and /dev/zero: Linux returns 0 */
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_off;
		break;
	case SEEK_END:
		base = f->f_node->rn_size;
		break;
	default:
		return -EINVAL;
	}
	if ((off < 0 && base + off < 0) || (off > 0 && base + off < base))
		return -EINVAL;
	f->f_off = base + off;
	return f->f_off;
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

/* struct stat of x86-64 Linux (arch/x86/include/uapi/asm/stat.h). */
struct kstat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, st_pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	uint64_t st_atime, st_atime_ns, st_mtime, st_mtime_ns, st_ctime, st_ctime_ns;
	int64_t st_reserved[3];
};
_Static_assert(sizeof(struct kstat) == 144, "x86-64 struct stat");

long
sys_fstat(int fd, uint64_t ustat)
{
	struct file *f = file_get(fd);
	struct kstat st;

	if (f == 0)
		return -EBADF;
	memset(&st, 0, sizeof(st));
	st.st_blksize = 4096;
	if (f->f_type == FT_NODE) {
		st.st_dev = 1;
		st.st_ino = f->f_node->rn_ino;
		st.st_nlink = f->f_node->rn_nlink;
		st.st_mode = f->f_node->rn_mode;
		st.st_size = f->f_node->rn_size;
		st.st_blocks = (st.st_size + 511) / 512;
		st.st_mtime = st.st_ctime = st.st_atime = f->f_node->rn_mtime;
	} else {
		/* Character devices: console 5:1, null 1:3, zero 1:5. */
		st.st_mode = 0020000 | 0666;
		st.st_rdev = f->f_type == FT_CONSOLE ? (5 << 8 | 1) :
		    f->f_type == FT_NULL ? (1 << 8 | 3) : (1 << 8 | 5);
		st.st_nlink = 1;
	}
	return copyout(ustat, &st, sizeof(st));
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

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (f == 0 || newfd < 0 || newfd >= NOFILE)
		return -EBADF;
	if (oldfd == newfd)
		return -EINVAL;
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

#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

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
		if (arg >= NOFILE)
			return -EINVAL;
		nfd = fd_install_from(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
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
