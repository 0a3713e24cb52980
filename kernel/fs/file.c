/*
 * file.c: the descriptor table and the life of struct file (see file.h).
 *
 * A process's table (struct fdtable) starts with FDT_MIN slots and doubles
 * when a descriptor past its end is installed (dup2 to 255, F_DUPFD, the
 * 65th open), up to NOFILE; RLIMIT_NOFILE's soft limit bounds what is
 * given out, as Linux's expand_files does against it.  fdt_top, one past
 * the highest descriptor ever set in the table, bounds the walks of fork,
 * exit and exec: a process with three descriptors copies three slots.
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

#define FDT_MIN		64

struct file *
fd_file(int fd)
{
	struct fdtable *t = curproc()->p_fdt;

	if (t == 0 || fd < 0 || fd >= t->fdt_size)
		return 0;
	return t->fdt_files[fd];
}

int
fd_cloexec(int fd)
{
	struct fdtable *t = curproc()->p_fdt;

	return t && fd >= 0 && fd < t->fdt_size && t->fdt_cloexec[fd];
}

static struct fdtable *
fdt_alloc(int size)
{
	struct fdtable *t = kzalloc(sizeof(*t));

	if (t == 0)
		return 0;
	t->fdt_files = kzalloc(size * sizeof(*t->fdt_files));
	t->fdt_cloexec = kzalloc(size);
	if (t->fdt_files == 0 || t->fdt_cloexec == 0) {
		kfree(t->fdt_files);
		kfree(t->fdt_cloexec);
		kfree(t);
		return 0;
	}
	t->fdt_ref = 1;
	t->fdt_size = size;
	return t;
}

/* Room for descriptor fd in t: 0, or -ENOMEM (fd < NOFILE). */
static int
fdt_grow(struct fdtable *t, int fd)
{
	struct file **files;
	uint8_t *cloexec;
	int size = t->fdt_size;

	if (fd < size)
		return 0;
	while (size <= fd)
		size *= 2;
	size = MIN(size, NOFILE);
	files = kzalloc(size * sizeof(*files));
	cloexec = kzalloc(size);
	if (files == 0 || cloexec == 0) {
		kfree(files);
		kfree(cloexec);
		return -ENOMEM;
	}
	memcpy(files, t->fdt_files, t->fdt_size * sizeof(*files));
	memcpy(cloexec, t->fdt_cloexec, t->fdt_size);
	kfree(t->fdt_files);
	kfree(t->fdt_cloexec);
	t->fdt_files = files;
	t->fdt_cloexec = cloexec;
	t->fdt_size = size;
	return 0;
}

int
fd_set(struct proc *p, int fd, struct file *f, int cloexec)
{
	int r;

	ASSERT(fd >= 0 && fd < NOFILE);
	if (p->p_fdt == 0 && (p->p_fdt = fdt_alloc(FDT_MIN)) == 0)
		return -ENOMEM;
	r = fdt_grow(p->p_fdt, fd);
	if (r)
		return r;
	p->p_fdt->fdt_files[fd] = f;
	p->p_fdt->fdt_cloexec[fd] = cloexec ? 1 : 0;
	if (fd >= p->p_fdt->fdt_top)
		p->p_fdt->fdt_top = fd + 1;
	return 0;
}

void
fd_set_cloexec(int fd, int on)
{
	struct fdtable *t = curproc()->p_fdt;

	if (t && fd >= 0 && fd < t->fdt_size)
		t->fdt_cloexec[fd] = on ? 1 : 0;
}

struct file *
fd_clear(struct proc *p, int fd)
{
	struct fdtable *t = p->p_fdt;
	struct file *f;

	if (t == 0 || fd < 0 || fd >= t->fdt_size)
		return 0;
	f = t->fdt_files[fd];
	t->fdt_files[fd] = 0;
	t->fdt_cloexec[fd] = 0;
	return f;
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
	for (fd = 0; fd < 3; fd++) {
		r = fd_set(p, fd, f, 0);
		if (r)
			break;
		if (fd > 0)
			ref_inc(&f->f_ref);
	}
	if (r && fd == 0)
		file_put(f);
	else if (r)
		file_close_all(p);	/* the descriptors so far */
	return r;
}

void
file_put(struct file *f)
{
	if (ref_dec(&f->f_ref) > 0)
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

int
file_fsync_memory(struct file *f)
{
	return 0;
}

/* Linux's filp_close: every close of a descriptor drops its process's POSIX locks. */
void
file_close_fd(struct proc *p, struct file *f)
{
	flock_fd_closed(p, f);
	file_put(f);
}

/* p lets go of its table: the descriptors are closed when it was the last user. */
void
file_close_all(struct proc *p)
{
	struct fdtable *t = p->p_fdt;
	int fd;

	if (t == 0)
		return;
	if (ref_dec(&t->fdt_ref) == 0) {
		for (fd = 0; fd < t->fdt_top; fd++) {
			if (t->fdt_files[fd]) {
				file_close_fd(p, t->fdt_files[fd]);
				t->fdt_files[fd] = 0;
			}
		}
		kfree(t->fdt_files);
		kfree(t->fdt_cloexec);
		kfree(t);
	}
	p->p_fdt = 0;
}

void
file_close_on_exec(struct proc *p)
{
	struct fdtable *t = p->p_fdt;
	int fd;

	for (fd = 0; t && fd < t->fdt_top; fd++) {
		if (t->fdt_files[fd] && t->fdt_cloexec[fd])
			file_close_fd(p, fd_clear(p, fd));
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

	int r;

	for (fd = min; fd < limit; fd++) {
		if (p->p_fdt == 0 || fd >= p->p_fdt->fdt_size || p->p_fdt->fdt_files[fd] == 0) {
			r = fd_set(p, fd, f, cloexec);
			return r ? r : fd;
		}
	}
	return -EMFILE;
}

int
file_dup_all(struct proc *child, struct proc *parent)
{
	struct fdtable *pt = parent->p_fdt, *t;
	int fd;

	if (pt == 0)
		return 0;
	t = fdt_alloc(pt->fdt_size);
	if (t == 0)
		return -ENOMEM;
	t->fdt_top = pt->fdt_top;
	for (fd = 0; fd < pt->fdt_top; fd++) {
		t->fdt_files[fd] = pt->fdt_files[fd];
		t->fdt_cloexec[fd] = pt->fdt_cloexec[fd];
		if (t->fdt_files[fd])
			ref_inc(&t->fdt_files[fd]->f_ref);
	}
	child->p_fdt = t;
	return 0;
}
