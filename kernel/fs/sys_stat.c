/*
 * sys_stat.c: what a node says about itself beyond stat(2): statx,
 * statfs and fstatfs (the mount's m_statfs), and the extended-attribute
 * calls, answered as Linux 6.1's tmpfs answers them: it keeps no user.*
 * attributes (EOPNOTSUPP, after the checks the VFS makes first), lists
 * none, and refuses user.* on what is neither a file nor a directory.
 */
#include <keel/kernel.h>
#include <keel/devfs.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/kheap.h>
#include <keel/proc.h>
#include <keel/usercopy.h>
#include <keel/vfs.h>
#include <uapi/errno.h>
#include <uapi/stat.h>
#include <uapi/fcntl.h>
#include <uapi/mount.h>
#include "syspath.h"

/* ---- statx ---- */

#define STATX_BASIC_STATS	0x7ff
#define STATX__RESERVED		0x80000000U
#define STATX_ATTR_MOUNT_ROOT	0x2000

struct statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

/* struct statx (linux/stat.h). */
struct statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, spare0;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align, stx_dio_offset_align;
	uint64_t spare3[12];
};
_Static_assert(sizeof(struct statx) == 256, "struct statx");

static void
statx_fill(struct statx *sx, const struct kstat *st, int mount_root)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS;
	sx->stx_blksize = (uint32_t)st->st_blksize;
	sx->stx_nlink = (uint32_t)st->st_nlink;
	sx->stx_uid = st->st_uid;
	sx->stx_gid = st->st_gid;
	sx->stx_mode = (uint16_t)st->st_mode;
	sx->stx_ino = st->st_ino;
	sx->stx_size = st->st_size;
	sx->stx_blocks = st->st_blocks;
	sx->stx_attributes_mask = STATX_ATTR_MOUNT_ROOT;
	sx->stx_attributes = mount_root ? STATX_ATTR_MOUNT_ROOT : 0;
	sx->stx_atime = (struct statx_timestamp){ st->st_atime, st->st_atime_ns, 0 };
	sx->stx_mtime = (struct statx_timestamp){ st->st_mtime, st->st_mtime_ns, 0 };
	sx->stx_ctime = (struct statx_timestamp){ st->st_ctime, st->st_ctime_ns, 0 };
	sx->stx_rdev_major = DEV_MAJOR(st->st_rdev);
	sx->stx_rdev_minor = DEV_MINOR(st->st_rdev);
	sx->stx_dev_major = DEV_MAJOR(st->st_dev);
	sx->stx_dev_minor = DEV_MINOR(st->st_dev);
}

long
sys_statx(int dirfd, uint64_t upath, int flags, uint32_t mask, uint64_t ubuf)
{
	struct statx sx;
	struct kstat st;
	struct vnode *vn = 0;
	struct file *f;
	char *path;
	long r;

	/* Linux's do_statx and vfs_statx, before the path. */
	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE))
		return -EINVAL;
	r = get_path(upath, &path);
	if (r == -ENOENT && (flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD) {
		/* The descriptor's own file, which may have no node (a pipe). */
		if ((f = fd_file(dirfd)) == 0)
			return -EBADF;
		r = vfs_fstat(f, &st);
		vn = f->f_vnode;
		if (vn)
			vn_hold(vn);
	} else if (r == 0 || (r == -ENOENT && (flags & AT_EMPTY_PATH))) {
		if (r == 0) {
			r = resolve(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) ? 0 : NAMEI_FOLLOW, &vn);
			kfree(path);
		} else {
			vn = curproc()->p_cwd ? curproc()->p_cwd : vfs_root();
			vn_hold(vn);
			r = 0;
		}
		if (r == 0)
			r = vfs_getattr(vn, &st);
	}
	if (r == 0) {
		statx_fill(&sx, &st, vn && vn == vn->v_mount->m_root);
		r = copyout(ubuf, &sx, sizeof(sx));
	}
	if (vn)
		vn_rele(vn);
	return r;
}

/* ---- statfs ---- */

#define ST_NOSUID	0x2
#define ST_NODEV	0x4
#define ST_NOEXEC	0x8
#define ST_VALID	0x20
#define ST_RELATIME	0x1000
#define PIPEFS_MAGIC	0x50495045

static long
statfs_mount(struct mount *m, uint64_t ubuf)
{
	struct kstatfs sf;
	long r = 0;

	memset(&sf, 0, sizeof(sf));
	if (m == 0) {
		/* A pipe: pipefs's simple_statfs. */
		sf.f_type = PIPEFS_MAGIC;
		sf.f_bsize = 4096;
		sf.f_namelen = VFS_NAME_MAX;
	} else if (m->m_statfs) {
		r = m->m_statfs(m, &sf);
	} else {
		sf.f_bsize = 4096;
		sf.f_namelen = VFS_NAME_MAX;
	}
	if (r)
		return r;
	/* Linux's calculate_f_flags: the mount's flags, relatime by default. */
	sf.f_flags = ST_VALID | ST_RELATIME;
	if (m && (m->m_flags & MS_NOSUID))
		sf.f_flags |= ST_NOSUID;
	if (m && (m->m_flags & MS_NODEV))
		sf.f_flags |= ST_NODEV;
	if (m && (m->m_flags & MS_NOEXEC))
		sf.f_flags |= ST_NOEXEC;
	return copyout(ubuf, &sf, sizeof(sf));
}

long
sys_statfs(uint64_t upath, uint64_t ubuf)
{
	struct vnode *vn;
	long r = resolve_at(AT_FDCWD, upath, 0, &vn);

	if (r)
		return r;
	r = statfs_mount(vn->v_mount, ubuf);
	vn_rele(vn);
	return r;
}

long
sys_fstatfs(int fd, uint64_t ubuf)
{
	struct file *f = fd_file(fd);

	if (f == 0)
		return -EBADF;
	return statfs_mount(f->f_vnode ? f->f_vnode->v_mount : 0, ubuf);
}

/* ---- extended attributes ---- */

#define XATTR_NAME_MAX		255
#define XATTR_SIZE_MAX		65536
#define XATTR_CREATE		1
#define XATTR_REPLACE		2

/* An attribute name into name[XATTR_NAME_MAX + 1]: 0, -EFAULT, or -ERANGE (empty, too long). */
static long
xattr_name(uint64_t uname, char *name)
{
	long r = copyin_str(name, uname, XATTR_NAME_MAX + 1, -ERANGE);

	if (r == 0)
		return -ERANGE;
	return r < 0 ? r : 0;
}

/*
 * Linux's xattr_permission then the handler lookup: user.* exists only on
 * files and directories (elsewhere -EPERM to change, -ENODATA to read);
 * no handler keeps any name here: -EOPNOTSUPP.
 */
static long
xattr_op(struct vnode *vn, const char *name, int write)
{
	uint32_t mode = vn ? vn->v_mode : S_IFIFO;

	if (strncmp(name, "user.", 5) == 0 && !S_ISREG(mode) && !S_ISDIR(mode))
		return write ? -EPERM : -ENODATA;
	return -EOPNOTSUPP;
}

/* follow: the path's node, 1 (the l* calls: 0); -1: fd's own node. */
#define XA_FD	(-1)

static long
xattr_target(uint64_t upath, int fd, int follow, struct vnode **vn)
{
	struct file *f;

	if (follow != XA_FD)
		return resolve_at(AT_FDCWD, upath, follow ? 0 : AT_SYMLINK_NOFOLLOW, vn);
	if ((f = fd_file(fd)) == 0)
		return -EBADF;
	*vn = f->f_vnode;	/* 0: a pipe's inode, a FIFO to xattr_op */
	if (*vn)
		vn_hold(*vn);
	return 0;
}

static long
do_setxattr(uint64_t upath, int fd, int follow, uint64_t uname, uint64_t uvalue,
    uint64_t size, int flags)
{
	char name[XATTR_NAME_MAX + 1];
	struct vnode *vn;
	void *value = 0;
	long r = xattr_target(upath, fd, follow, &vn);

	if (r)
		return r;
	if (flags & ~(XATTR_CREATE | XATTR_REPLACE))
		r = -EINVAL;
	if (r == 0)
		r = xattr_name(uname, name);
	if (r == 0 && size > XATTR_SIZE_MAX)
		r = -E2BIG;
	if (r == 0 && size && (value = kmalloc(size)) == 0)
		r = -ENOMEM;
	if (r == 0 && size && copyin(value, uvalue, size))
		r = -EFAULT;
	if (r == 0)
		r = xattr_op(vn, name, 1);
	kfree(value);
	if (vn)
		vn_rele(vn);
	return r;
}

/* getxattr's and removexattr's checks, in Linux's order; remove picks xattr_op's answer. */
static long
do_getxattr(uint64_t upath, int fd, int follow, uint64_t uname, int remove)
{
	char name[XATTR_NAME_MAX + 1];
	struct vnode *vn;
	long r = xattr_target(upath, fd, follow, &vn);

	if (r)
		return r;
	r = xattr_name(uname, name);
	if (r == 0)
		r = xattr_op(vn, name, remove);
	if (vn)
		vn_rele(vn);
	return r;
}

/* No names to list: 0 bytes, whatever the buffer. */
static long
do_listxattr(uint64_t upath, int fd, int follow)
{
	struct vnode *vn;
	long r = xattr_target(upath, fd, follow, &vn);

	if (r == 0 && vn)
		vn_rele(vn);
	return r;
}

long
sys_setxattr(uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size, int flags)
{
	return do_setxattr(upath, -1, 1, uname, uvalue, size, flags);
}

long
sys_lsetxattr(uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size, int flags)
{
	return do_setxattr(upath, -1, 0, uname, uvalue, size, flags);
}

long
sys_fsetxattr(int fd, uint64_t uname, uint64_t uvalue, uint64_t size, int flags)
{
	return do_setxattr(0, fd, XA_FD, uname, uvalue, size, flags);
}

long
sys_getxattr(uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size)
{
	return do_getxattr(upath, -1, 1, uname, 0);
}

long
sys_lgetxattr(uint64_t upath, uint64_t uname, uint64_t uvalue, uint64_t size)
{
	return do_getxattr(upath, -1, 0, uname, 0);
}

long
sys_fgetxattr(int fd, uint64_t uname, uint64_t uvalue, uint64_t size)
{
	return do_getxattr(0, fd, XA_FD, uname, 0);
}

long
sys_listxattr(uint64_t upath, uint64_t ulist, uint64_t size)
{
	return do_listxattr(upath, -1, 1);
}

long
sys_llistxattr(uint64_t upath, uint64_t ulist, uint64_t size)
{
	return do_listxattr(upath, -1, 0);
}

long
sys_flistxattr(int fd, uint64_t ulist, uint64_t size)
{
	return do_listxattr(0, fd, XA_FD);
}

long
sys_removexattr(uint64_t upath, uint64_t uname)
{
	return do_getxattr(upath, -1, 1, uname, 1);
}

long
sys_lremovexattr(uint64_t upath, uint64_t uname)
{
	return do_getxattr(upath, -1, 0, uname, 1);
}

long
sys_fremovexattr(int fd, uint64_t uname)
{
	return do_getxattr(0, fd, XA_FD, uname, 1);
}
