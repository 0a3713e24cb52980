/*
 * file.c: the descriptor table and the life of struct file (see file.h).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/flock.h>
#include <keel/fs.h>
#include <keel/proc.h>
#include <keel/rlimit.h>
#include <keel/vfs.h>
#include <keel/kheap.h>

struct file *
fd_file(int fd)
{
	if (fd < 0 || fd >= NOFILE)
		return 0;
	return curproc()->p_files[fd];
}

struct file *
file_alloc(const struct file_ops *ops, int flags)
{
	struct file *f = kzalloc(sizeof(*f));

	if (f) {
		f->f_ops = ops;
		f->f_flags = flags;
		f->f_ref = 1;
	}
	return f;
}

/* Init's descriptors 0, 1 and 2: /dev/console, as Linux opens it for init. */
int
file_open_console(struct proc *p)
{
	struct vnode *vn;
	struct file *f;
	int r, fd;

	r = namei(0, "/dev/console", NAMEI_FOLLOW, &vn);
	if (r)
		return r;
	r = vfs_open(vn, O_RDWR, &f);
	vn_rele(vn);
	if (r)
		return r;
	f->f_ref = 3;
	for (fd = 0; fd < 3; fd++)
		p->p_files[fd] = f;
	return 0;
}

void
file_put(struct file *f)
{
	if (--f->f_ref > 0)
		return;
	flock_file_released(f);
	if (f->f_ep)
		epoll_file_released(f);
	if (f->f_ops->release)
		f->f_ops->release(f);
	if (f->f_vnode)
		vn_rele(f->f_vnode);
	kfree(f);
}

int64_t
file_lseek_to(struct file *f, int64_t off, int whence, int64_t size)
{
	int64_t base, pos;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_off;
		break;
	case SEEK_END:
		base = size;
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

int64_t
file_lseek_sized(struct file *f, int64_t off, int whence)
{
	struct kstat st;
	int r;

	if (whence == SEEK_END && (r = vfs_fstat(f, &st)) != 0)
		return r;
	return file_lseek_to(f, off, whence, whence == SEEK_END ? st.st_size : 0);
}

/* Linux's filp_close: every close of a descriptor drops its process's POSIX locks. */
void
file_close_fd(struct proc *p, struct file *f)
{
	flock_fd_closed(p, f);
	file_put(f);
}

void
file_close_all(struct proc *p)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++) {
		if (p->p_files[fd]) {
			file_close_fd(p, p->p_files[fd]);
			p->p_files[fd] = 0;
		}
	}
}

void
file_close_on_exec(struct proc *p)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++) {
		if (p->p_files[fd] && p->p_fdflags[fd]) {
			file_close_fd(p, p->p_files[fd]);
			p->p_files[fd] = 0;
			p->p_fdflags[fd] = 0;
		}
	}
}

int
fd_limit(struct proc *p)
{
	return (int)MIN(p->p_rlim[RLIMIT_NOFILE].rlim_cur, NOFILE);
}

int
fd_install_from(struct file *f, int min, int cloexec)
{
	struct proc *p = curproc();
	int fd, limit = fd_limit(p);

	for (fd = min; fd < limit; fd++) {
		if (p->p_files[fd] == 0) {
			p->p_files[fd] = f;
			p->p_fdflags[fd] = cloexec ? 1 : 0;
			return fd;
		}
	}
	return -EMFILE;
}

void
file_dup_all(struct proc *child, struct proc *parent)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++) {
		child->p_files[fd] = parent->p_files[fd];
		child->p_fdflags[fd] = parent->p_fdflags[fd];
		if (child->p_files[fd])
			child->p_files[fd]->f_ref++;
	}
}
