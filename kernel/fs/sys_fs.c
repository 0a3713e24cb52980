/*
 * sys_fs.c: the path and directory system calls (see fs.h).  Everything
 * goes through the VFS (vfs.h): paths by namei, nodes by their vnode
 * operations, so nothing here knows which file system a name is on.
 * Links, nodes and attributes are in sys_attr.c, stat and statfs in
 * sys_stat.c, mount in sys_mount.c; the path helpers they share are
 * declared in syspath.h.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/proc.h>
#include <keel/cpio.h>
#include <keel/vfs.h>
#include <keel/usercopy.h>
#include <keel/kheap.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>
#include "syspath.h"


long
get_path(uint64_t upath, char **out)
{
	char *p = kmalloc(VFS_PATH_MAX);
	long r;

	if (p == 0)
		return -ENOMEM;
	r = copyin_str(p, upath, VFS_PATH_MAX, -ENAMETOOLONG);
	if (r < 0) {
		kfree(p);
		return r;
	}
	if (r == 0) {
		kfree(p);
		return -ENOENT;
	}
	*out = p;
	return 0;
}

long
start_of(int dirfd, const char *path, struct vnode **start)
{
	struct file *d;

	*start = 0;
	if (path[0] == '/')
		return 0;
	if (dirfd == AT_FDCWD) {
		*start = curproc()->p_cwd;
		return 0;
	}
	d = fd_file(dirfd);
	if (d == 0)
		return -EBADF;
	if (d->f_vnode == 0 || !S_ISDIR(d->f_vnode->v_mode))
		return -ENOTDIR;
	*start = d->f_vnode;
	return 0;
}

long
resolve(int dirfd, const char *path, int flags, struct vnode **vn)
{
	struct vnode *start;
	long r = start_of(dirfd, path, &start);

	return r ? r : namei(start, path, flags, vn);
}

long
resolve_at(int dirfd, uint64_t upath, int atflags, struct vnode **vn)
{
	struct file *f;
	char *path;
	long r = get_path(upath, &path);

	if (r == -ENOENT && (atflags & AT_EMPTY_PATH)) {
		if (dirfd == AT_FDCWD) {
			*vn = curproc()->p_cwd ? curproc()->p_cwd : vfs_root();
		} else {
			if ((f = fd_file(dirfd)) == 0)
				return -EBADF;
			if ((*vn = f->f_vnode) == 0)
				return -EPERM;
		}
		vn_hold(*vn);
		return 0;
	}
	if (r)
		return r;
	r = resolve(dirfd, path, (atflags & AT_SYMLINK_NOFOLLOW) ? 0 : NAMEI_FOLLOW, vn);
	kfree(path);
	return r;
}

long
parent_of(int dirfd, uint64_t upath, struct vnode **dir, char *name)
{
	struct vnode *start;
	char *path;
	long r;

	r = get_path(upath, &path);
	if (r)
		return r;
	r = start_of(dirfd, path, &start);
	if (r == 0)
		r = namei_parent(start, path, dir, name);
	kfree(path);
	return r;
}

void
vn_set_times(struct vnode *vn, int mtime_too)
{
	struct vattr va = { .va_mask = mtime_too ? VA_MTIME : 0 };

	vfs_now(&va.va_ctime);
	va.va_mtime = va.va_ctime;
	if (vn->v_ops->setattr)
		vn->v_ops->setattr(vn, &va);
}

/*
 * O_CREAT where the walk found nothing: the last name is made in its
 * directory, unless it is there after all as a dangling symlink, which
 * Linux follows to make its target (O_EXCL: -EEXIST; O_NOFOLLOW: the
 * link itself, for the caller's -ELOOP), up to VFS_MAXSYMLINKS deep.
 */
static long
open_create(struct vnode *start, const char *path, int flags, int mode, struct vnode **out)
{
	char name[VFS_NAME_MAX + 1], *buf = 0;
	struct vnode *dir, *at = 0, *vn;
	int64_t len;
	long r;
	int links = 0;

	for (;;) {
		r = namei_parent(at ? at : start, path, &dir, name);
		if (at)
			vn_rele(at);
		at = 0;
		if (r)
			break;
		r = namei(dir, name, 0, &vn);
		if (r == -ENOENT) {
			/* Linux's open_last_lookups: no create operation, -EACCES. */
			r = dir->v_ops->create ? dir->v_ops->create(dir, name,
			    S_IFREG | (mode & 07777 & ~curproc()->p_umask), out) : -EACCES;
			vn_rele(dir);
			break;
		}
		if (r == 0 && (!S_ISLNK(vn->v_mode) || (flags & (O_EXCL | O_NOFOLLOW)))) {
			if (flags & O_EXCL) {
				vn_rele(vn);
				r = -EEXIST;
			} else {
				*out = vn;
			}
			vn_rele(dir);
			break;
		}
		if (r) {
			vn_rele(dir);
			break;
		}
		/* A symlink: its target, read over the path it came from (copied by now). */
		r = ++links > VFS_MAXSYMLINKS ? -ELOOP : 0;
		if (r == 0 && buf == 0 && (buf = kmalloc(VFS_PATH_MAX)) == 0)
			r = -ENOMEM;
		if (r == 0) {
			len = vn->v_ops->readlink ? vn->v_ops->readlink(vn, buf, VFS_PATH_MAX - 1) :
			    -EINVAL;
			r = len < 0 ? len : 0;
			if (r == 0)
				buf[len] = 0;
		}
		vn_rele(vn);
		if (r) {
			vn_rele(dir);
			break;
		}
		path = buf;	/* the target, from the link's directory */
		at = dir;
	}
	kfree(buf);
	return r;
}

long
sys_openat(int dirfd, uint64_t upath, int flags, int mode)
{
	struct vnode *start, *vn = 0;
	struct file *f = 0;
	char *path;
	long r;
	int acc = flags & O_ACCMODE, made = 0;

	r = get_path(upath, &path);
	if (r)
		return r;
	r = start_of(dirfd, path, &start);
	if (r)
		goto out;
	r = namei(start, path, (flags & O_NOFOLLOW) ? 0 : NAMEI_FOLLOW, &vn);
	if (r == -ENOENT && (flags & O_CREAT)) {
		r = open_create(start, path, flags, mode, &vn);
		made = 1;
	} else if (r == 0 && (flags & O_CREAT) && (flags & O_EXCL)) {
		r = -EEXIST;
	}
	if (r)
		goto out;
	if (S_ISLNK(vn->v_mode))
		r = -ELOOP;	/* O_NOFOLLOW on a symlink */
	else if ((flags & O_DIRECTORY) && !S_ISDIR(vn->v_mode))
		r = -ENOTDIR;
	else if (S_ISDIR(vn->v_mode) && (acc != O_RDONLY || (flags & O_CREAT)))
		r = -EISDIR;
	else if ((flags & O_TRUNC) && acc != O_RDONLY && S_ISREG(vn->v_mode) &&
	    vn->v_ops->truncate && !made) {
		/* Linux's handle_truncate: the times move even when it was empty. */
		r = vn->v_ops->truncate(vn, 0);
		if (r == 0)
			vn_set_times(vn, 1);
	}
	if (r == 0)
		r = vfs_open(vn, flags, &f);
	if (r == 0) {
		r = fd_install_from(f, 0, flags & O_CLOEXEC);
		if (r < 0)
			file_put(f);
	}
out:
	if (vn)
		vn_rele(vn);
	kfree(path);
	return r;
}

long
sys_fstat(int fd, uint64_t ustat)
{
	struct file *f = fd_file(fd);
	struct kstat st;
	long r;

	if (f == 0)
		return -EBADF;
	r = vfs_fstat(f, &st);
	return r ? r : copyout(ustat, &st, sizeof(st));
}

static long
stat_path(int dirfd, uint64_t upath, uint64_t ustat, int follow, int empty_ok)
{
	struct vnode *vn;
	struct kstat st;
	char *path;
	long r;

	r = get_path(upath, &path);
	if (r == -ENOENT && empty_ok)
		return sys_fstat(dirfd, ustat);
	if (r)
		return r;
	r = resolve(dirfd, path, follow ? NAMEI_FOLLOW : 0, &vn);
	if (r == 0) {
		r = vfs_getattr(vn, &st);
		vn_rele(vn);
	}
	if (r == 0)
		r = copyout(ustat, &st, sizeof(st));
	kfree(path);
	return r;
}

long
sys_stat(uint64_t upath, uint64_t ustat)
{
	return stat_path(AT_FDCWD, upath, ustat, 1, 0);
}

long
sys_lstat(uint64_t upath, uint64_t ustat)
{
	return stat_path(AT_FDCWD, upath, ustat, 0, 0);
}

long
sys_newfstatat(int dirfd, uint64_t upath, uint64_t ustat, int flags)
{
	/* AT_NO_AUTOMOUNT: nothing here mounts itself on a lookup. */
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	return stat_path(dirfd, upath, ustat, !(flags & AT_SYMLINK_NOFOLLOW),
	    flags & AT_EMPTY_PATH);
}

/* struct linux_dirent64 */
struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* IFTODT: the type bits of the mode, shifted down. */
static int
dtype(uint32_t mode)
{
	return (mode & S_IFMT) >> 12;
}

/* The index-th entry after "." and "..": from the open file or its node. */
static int
readdir_at(struct file *f, uint64_t index, struct dirent_info *d)
{
	if (f->f_ops->readdir)
		return f->f_ops->readdir(f, index, d);
	return f->f_vnode->v_ops->readdir(f->f_vnode, index, d);
}

/*
 * The entries from f_off on: "." and ".." first, then the children.  The
 * offset is the index of the next entry.
 */
long
sys_getdents64(int fd, uint64_t ubuf, uint64_t n)
{
	struct file *f = fd_file(fd);
	char buf[sizeof(struct dirent64) + VFS_NAME_MAX + 8];
	struct dirent64 *d = (struct dirent64 *)buf;
	uint64_t done = 0, self_ino;
	struct kstat st;

	if (f == 0)
		return -EBADF;
	n = (uint32_t)n;	/* Linux's count is an unsigned int */
	/* A directory's node says so; a file's readdir op alone does not make it one. */
	if (f->f_vnode ? !S_ISDIR(f->f_vnode->v_mode) ||
	    (f->f_ops->readdir == 0 && f->f_vnode->v_ops->readdir == 0) : f->f_ops->readdir == 0)
		return -ENOTDIR;
	self_ino = vfs_fstat(f, &st) == 0 ? st.st_ino : 1;
	for (;;) {
		struct dirent_info di;
		uint64_t len;

		if (f->f_off < 2) {
			di.d_name = f->f_off ? ".." : ".";
			di.d_ino = self_ino;
			di.d_mode = S_IFDIR;
		} else if (readdir_at(f, f->f_off - 2, &di) != 1) {
			break;
		}
		len = strnlen(di.d_name, VFS_NAME_MAX + 1);
		if (len > VFS_NAME_MAX)
			return done ? (long)done : -EIO;	/* never past buf: a file system's bug */
		d->d_ino = di.d_ino;
		d->d_off = f->f_off + 1;
		d->d_reclen = ROUNDUP(offsetof(struct dirent64, d_name) + len + 1, 8);
		d->d_type = dtype(di.d_mode);
		memcpy(d->d_name, di.d_name, len + 1);
		if (done + d->d_reclen > n)
			return done ? (long)done : -EINVAL;
		/*
		 * Linux's filldir64: the header and the name with its NUL go
		 * out, the padding to d_reclen is left as the user had it (buf
		 * is kernel stack).  The entries before a fault are returned.
		 */
		if (copyout(ubuf + done, d, offsetof(struct dirent64, d_name) + len + 1))
			return done ? (long)done : -EFAULT;
		done += d->d_reclen;
		f->f_off++;
	}
	return done;
}

long
sys_getcwd(uint64_t ubuf, uint64_t size)
{
	char *buf = kmalloc(VFS_PATH_MAX);
	int64_t len;
	long r;

	if (buf == 0)
		return -ENOMEM;
	len = vfs_dir_path(curproc()->p_cwd, buf, VFS_PATH_MAX);
	if (len < 0)
		r = len;
	else if ((uint64_t)len + 1 > size)
		r = -ERANGE;
	else
		r = copyout(ubuf, buf, len + 1) ? -EFAULT : len + 1;
	kfree(buf);
	return r;
}

/* The working directory becomes vn (held by the caller). */
static long
set_cwd(struct vnode *vn)
{
	struct proc *p = curproc();

	if (!S_ISDIR(vn->v_mode))
		return -ENOTDIR;
	vn_hold(vn);
	if (p->p_cwd)
		vn_rele(p->p_cwd);
	p->p_cwd = vn;
	return 0;
}

long
sys_chdir(uint64_t upath)
{
	struct vnode *vn;
	char *path;
	long r;

	r = get_path(upath, &path);
	if (r)
		return r;
	r = namei(curproc()->p_cwd, path, NAMEI_FOLLOW, &vn);
	if (r == 0) {
		r = set_cwd(vn);
		vn_rele(vn);
	}
	kfree(path);
	return r;
}

long
sys_fchdir(int fd)
{
	struct file *f = fd_file(fd);

	if (f == 0)
		return -EBADF;
	if (f->f_vnode == 0)
		return -ENOTDIR;
	return set_cwd(f->f_vnode);
}

long
sys_mkdirat(int dirfd, uint64_t upath, int mode)
{
	char name[VFS_NAME_MAX + 1];
	struct vnode *dir;
	long r = parent_of(dirfd, upath, &dir, name);

	if (r)
		return r;
	r = dir->v_ops->mkdir ?
	    dir->v_ops->mkdir(dir, name, mode & 07777 & ~curproc()->p_umask) : -EPERM;
	vn_rele(dir);
	return r;
}

long
sys_mkdir(uint64_t upath, int mode)
{
	return sys_mkdirat(AT_FDCWD, upath, mode);
}

long
sys_unlinkat(int dirfd, uint64_t upath, int flags)
{
	char name[VFS_NAME_MAX + 1];
	struct vnode *dir;
	long r;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	r = parent_of(dirfd, upath, &dir, name);
	if (r == -EEXIST)
		r = (flags & AT_REMOVEDIR) ? -EBUSY : -EISDIR;	/* "/", ".", ".." */
	if (r)
		return r;
	if (flags & AT_REMOVEDIR)
		r = dir->v_ops->rmdir ? dir->v_ops->rmdir(dir, name) : -EPERM;
	else
		r = dir->v_ops->unlink ? dir->v_ops->unlink(dir, name) : -EPERM;
	vn_rele(dir);
	return r;
}

long
sys_unlink(uint64_t upath)
{
	return sys_unlinkat(AT_FDCWD, upath, 0);
}

long
sys_rmdir(uint64_t upath)
{
	return sys_unlinkat(AT_FDCWD, upath, AT_REMOVEDIR);
}

long
sys_renameat(int olddirfd, uint64_t uold, int newdirfd, uint64_t unew)
{
	char oname[VFS_NAME_MAX + 1], nname[VFS_NAME_MAX + 1];
	struct vnode *odir, *ndir;
	long r;

	r = parent_of(olddirfd, uold, &odir, oname);
	if (r)
		return r;
	r = parent_of(newdirfd, unew, &ndir, nname);
	if (r == 0) {
		if (odir->v_mount != ndir->v_mount)
			r = -EXDEV;
		else
			r = odir->v_ops->rename ?
			    odir->v_ops->rename(odir, oname, ndir, nname) : -EPERM;
		vn_rele(ndir);
	}
	vn_rele(odir);
	return r;
}

long
sys_rename(uint64_t uold, uint64_t unew)
{
	return sys_renameat(AT_FDCWD, uold, AT_FDCWD, unew);
}

long
sys_faccessat2(int dirfd, uint64_t upath, int mode, int flags)
{
	struct vnode *vn;
	struct kstat st;
	long r;

	if (mode & ~7)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = resolve_at(dirfd, upath, flags, &vn);
	if (r)
		return r;
	r = vfs_getattr(vn, &st);
	/* Root may do anything but execute what no one may execute. */
	if (r == 0 && (mode & 1) && !S_ISDIR(st.st_mode) && !(st.st_mode & 0111))
		r = -EACCES;
	vn_rele(vn);
	return r;
}

long
sys_faccessat(int dirfd, uint64_t upath, int mode)
{
	return sys_faccessat2(dirfd, upath, mode, 0);
}

long
sys_access(uint64_t upath, int mode)
{
	return sys_faccessat(AT_FDCWD, upath, mode);
}

long
sys_readlinkat(int dirfd, uint64_t upath, uint64_t ubuf, uint64_t n)
{
	struct vnode *vn;
	char *path, *target = 0;
	int64_t len;
	long r;

	if ((int64_t)n <= 0)
		return -EINVAL;
	r = get_path(upath, &path);
	if (r)
		return r;
	r = resolve(dirfd, path, 0, &vn);
	if (r == 0) {
		if (!S_ISLNK(vn->v_mode) || vn->v_ops->readlink == 0)
			r = -EINVAL;
		else if ((target = kmalloc(VFS_PATH_MAX)) == 0)
			r = -ENOMEM;
		else if ((len = vn->v_ops->readlink(vn, target, VFS_PATH_MAX)) < 0)
			r = len;
		else
			r = copyout(ubuf, target, MIN(n, (uint64_t)len)) ? -EFAULT :
			    (long)MIN(n, (uint64_t)len);
		vn_rele(vn);
	}
	kfree(target);
	kfree(path);
	return r;
}

long
sys_readlink(uint64_t upath, uint64_t ubuf, uint64_t n)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, n);
}

long
sys_truncate(uint64_t upath, int64_t len)
{
	struct vnode *vn;
	char *path;
	long r;

	if (len < 0)
		return -EINVAL;
	r = get_path(upath, &path);
	if (r)
		return r;
	r = namei(curproc()->p_cwd, path, NAMEI_FOLLOW, &vn);
	if (r == 0) {
		if (S_ISDIR(vn->v_mode))
			r = -EISDIR;
		else if (!S_ISREG(vn->v_mode) || vn->v_ops->truncate == 0)
			r = -EINVAL;
		else
			r = vn->v_ops->truncate(vn, len);
		if (r == 0)
			vn_set_times(vn, 1);	/* as tmpfs does, even at the same size */
		vn_rele(vn);
	}
	kfree(path);
	return r;
}

long
sys_ftruncate(int fd, int64_t len)
{
	struct file *f = fd_file(fd);
	long r;

	if (f == 0)
		return -EBADF;
	if (len < 0 || f->f_vnode == 0 || f->f_vnode->v_ops->truncate == 0 ||
	    !S_ISREG(f->f_vnode->v_mode) || (f->f_flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	r = f->f_vnode->v_ops->truncate(f->f_vnode, len);
	if (r == 0)
		vn_set_times(f->f_vnode, 1);	/* ATTR_MTIME | ATTR_CTIME */
	return r;
}
