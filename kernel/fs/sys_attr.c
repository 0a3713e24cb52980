/*
 * sys_attr.c: the calls that make links and nodes, and that change a
 * node's attributes: symlink, link, mknod, creat, chmod, chown and the
 * times (utimensat, utimes, utime), with Linux's order of checks and its
 * rules for what each changes (ctime always; chown drops set-user-ID).
 * Credentials are not kept yet: every caller is root, may do all of it,
 * and owns what it makes.
 */
#include <keel/kernel.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/kheap.h>
#include <keel/proc.h>
#include <keel/usercopy.h>
#include <keel/vfs.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include <uapi/fcntl.h>
#include "syspath.h"

long
sys_symlinkat(uint64_t utarget, int dirfd, uint64_t upath)
{
	char name[VFS_NAME_MAX + 1], *target;
	struct vnode *dir;
	long r;

	r = get_path(utarget, &target);
	if (r)
		return r;
	r = parent_of(dirfd, upath, &dir, name);
	if (r == 0) {
		r = dir->v_ops->symlink ? dir->v_ops->symlink(dir, name, target) : -EPERM;
		vn_rele(dir);
	}
	kfree(target);
	return r;
}

long
sys_symlink(uint64_t utarget, uint64_t upath)
{
	return sys_symlinkat(utarget, AT_FDCWD, upath);
}

long
sys_linkat(int olddirfd, uint64_t uold, int newdirfd, uint64_t unew, int flags)
{
	char name[VFS_NAME_MAX + 1];
	struct vnode *vn, *dir;
	long r;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	/* linkat follows a final symlink only when asked to (POSIX leaves it open). */
	r = resolve_at(olddirfd, uold, (flags & AT_EMPTY_PATH) |
	    ((flags & AT_SYMLINK_FOLLOW) ? 0 : AT_SYMLINK_NOFOLLOW), &vn);
	if (r)
		return r;
	r = parent_of(newdirfd, unew, &dir, name);
	if (r == 0) {
		if (dir->v_mount != vn->v_mount)
			r = -EXDEV;
		else
			r = dir->v_ops->link ? dir->v_ops->link(dir, name, vn) : -EPERM;
		vn_rele(dir);
	}
	vn_rele(vn);
	return r;
}

long
sys_link(uint64_t uold, uint64_t unew)
{
	return sys_linkat(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

long
sys_mknodat(int dirfd, uint64_t upath, uint32_t mode, uint32_t dev)
{
	char name[VFS_NAME_MAX + 1];
	struct vnode *dir;
	long r;

	/* Linux's may_mknod, before the path. */
	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	r = parent_of(dirfd, upath, &dir, name);
	if (r)
		return r;
	mode = (mode & S_IFMT) | (mode & 07777 & ~curproc()->p_umask);
	/* Only device nodes keep a number (init_special_inode). */
	if (!S_ISCHR(mode) && !S_ISBLK(mode))
		dev = 0;
	r = dir->v_ops->mknod ? dir->v_ops->mknod(dir, name, mode, dev) : -EPERM;
	vn_rele(dir);
	return r;
}

long
sys_mknod(uint64_t upath, uint32_t mode, uint32_t dev)
{
	return sys_mknodat(AT_FDCWD, upath, mode, dev);
}

long
sys_creat(uint64_t upath, int mode)
{
	return sys_openat(AT_FDCWD, upath, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* setattr with ctime now; -EPERM where the file system keeps no attributes. */
static long
setattr(struct vnode *vn, struct vattr *va)
{
	vfs_now(&va->va_ctime);
	if (vn->v_ops->setattr == 0)
		return -EPERM;
	return vn->v_ops->setattr(vn, va);
}

static long
chmod_vn(struct vnode *vn, uint32_t mode)
{
	struct vattr va = { .va_mask = VA_MODE, .va_mode = mode & 07777 };

	return setattr(vn, &va);
}

long
sys_fchmodat(int dirfd, uint64_t upath, uint32_t mode)
{
	struct vnode *vn;
	long r = resolve_at(dirfd, upath, 0, &vn);

	if (r)
		return r;
	r = chmod_vn(vn, mode);
	vn_rele(vn);
	return r;
}

long
sys_chmod(uint64_t upath, uint32_t mode)
{
	return sys_fchmodat(AT_FDCWD, upath, mode);
}

long
sys_fchmod(int fd, uint32_t mode)
{
	struct file *f = fd_file(fd);

	if (f == 0)
		return -EBADF;
	return f->f_vnode ? chmod_vn(f->f_vnode, mode) : -EPERM;
}

/*
 * Linux's chown_common: -1 leaves an id as it is; the change time moves
 * even then; a non-directory loses set-user-ID, and set-group-ID where
 * group execution marks it as such (without it, it is a locking mark).
 */
static long
chown_vn(struct vnode *vn, uint32_t uid, uint32_t gid)
{
	struct vattr va = { 0 };
	struct kstat st;
	long r = vfs_getattr(vn, &st);

	if (r)
		return r;
	if (uid != (uint32_t)-1) {
		va.va_mask |= VA_UID;
		va.va_uid = uid;
	}
	if (gid != (uint32_t)-1) {
		va.va_mask |= VA_GID;
		va.va_gid = gid;
	}
	if (!S_ISDIR(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID))) {
		va.va_mask |= VA_MODE;
		va.va_mode = st.st_mode & 07777 & ~S_ISUID;
		if (st.st_mode & 0010)
			va.va_mode &= ~S_ISGID;
	}
	return setattr(vn, &va);
}

long
sys_fchownat(int dirfd, uint64_t upath, uint32_t uid, uint32_t gid, int flags)
{
	struct vnode *vn;
	long r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = resolve_at(dirfd, upath, flags, &vn);
	if (r)
		return r;
	r = chown_vn(vn, uid, gid);
	vn_rele(vn);
	return r;
}

long
sys_chown(uint64_t upath, uint32_t uid, uint32_t gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, 0);
}

long
sys_lchown(uint64_t upath, uint32_t uid, uint32_t gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long
sys_fchown(int fd, uint32_t uid, uint32_t gid)
{
	struct file *f = fd_file(fd);

	if (f == 0)
		return -EBADF;
	return f->f_vnode ? chown_vn(f->f_vnode, uid, gid) : -EPERM;
}

/* ---- times ---- */

struct utimespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

static int
nsec_valid(int64_t ns)
{
	return (ns >= 0 && ns < 1000000000) || ns == UTIME_NOW || ns == UTIME_OMIT;
}

/*
 * Linux's vfs_utimes: ts 0 (or both UTIME_NOW) is now for both; a time
 * with UTIME_OMIT stays; the change time is now.
 */
static long
utimes_vn(struct vnode *vn, const struct utimespec *ts)
{
	struct vattr va = { .va_mask = VA_ATIME | VA_MTIME };
	struct ktimespec now;

	if (ts && (!nsec_valid(ts[0].tv_nsec) || !nsec_valid(ts[1].tv_nsec)))
		return -EINVAL;
	vfs_now(&now);
	va.va_atime = va.va_mtime = now;
	if (ts && ts[0].tv_nsec == UTIME_OMIT)
		va.va_mask &= ~VA_ATIME;
	else if (ts && ts[0].tv_nsec != UTIME_NOW)
		va.va_atime = (struct ktimespec){ ts[0].tv_sec, ts[0].tv_nsec };
	if (ts && ts[1].tv_nsec == UTIME_OMIT)
		va.va_mask &= ~VA_MTIME;
	else if (ts && ts[1].tv_nsec != UTIME_NOW)
		va.va_mtime = (struct ktimespec){ ts[1].tv_sec, ts[1].tv_nsec };
	return setattr(vn, &va);
}

/* The times of a path (or, path 0, of dirfd's file), ts 0 for now. */
static long
do_utimes(int dirfd, uint64_t upath, const struct utimespec *ts, int flags)
{
	struct vnode *vn;
	struct file *f;
	long r;

	if (upath == 0 && dirfd != AT_FDCWD) {
		/* futimens: glibc passes a null path and the descriptor. */
		if (flags)
			return -EINVAL;
		if ((f = fd_file(dirfd)) == 0)
			return -EBADF;
		return f->f_vnode ? utimes_vn(f->f_vnode, ts) : -EPERM;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = resolve_at(dirfd, upath, flags, &vn);
	if (r)
		return r;
	r = utimes_vn(vn, ts);
	vn_rele(vn);
	return r;
}

long
sys_utimensat(int dirfd, uint64_t upath, uint64_t utimes, int flags)
{
	struct utimespec ts[2];

	if (utimes) {
		if (copyin(ts, utimes, sizeof(ts)))
			return -EFAULT;
		/* Nothing to do: not even the path is looked at. */
		if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	return do_utimes(dirfd, upath, utimes ? ts : 0, flags);
}

/* utimes(2): struct timeval, microseconds checked before the path. */
long
sys_utimes(uint64_t upath, uint64_t utimes)
{
	struct utimespec tv[2];
	int i;

	if (utimes == 0)
		return do_utimes(AT_FDCWD, upath, 0, 0);
	if (copyin(tv, utimes, sizeof(tv)))
		return -EFAULT;
	for (i = 0; i < 2; i++) {
		if (tv[i].tv_nsec < 0 || tv[i].tv_nsec >= 1000000)
			return -EINVAL;
		tv[i].tv_nsec *= 1000;
	}
	return do_utimes(AT_FDCWD, upath, tv, 0);
}

/* utime(2): struct utimbuf, whole seconds. */
long
sys_utime(uint64_t upath, uint64_t ubuf)
{
	int64_t t[2];
	struct utimespec ts[2];

	if (ubuf == 0)
		return do_utimes(AT_FDCWD, upath, 0, 0);
	if (copyin(t, ubuf, sizeof(t)))
		return -EFAULT;
	ts[0] = (struct utimespec){ t[0], 0 };
	ts[1] = (struct utimespec){ t[1], 0 };
	return do_utimes(AT_FDCWD, upath, ts, 0);
}
