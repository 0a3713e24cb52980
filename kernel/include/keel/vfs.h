/*
 * vfs.h: the virtual file system: nodes (vnodes) with their operations,
 * the mount table, path resolution and the calls the system calls use.
 *
 * Interface:
 *   vn_hold(vn), vn_rele(vn)           the only reference counting of nodes
 *   vfs_mount_root(root)               the file system at "/"
 *   vfs_mount(path, root)              another on a directory (procfs at
 *                                      /proc, devfs at /dev)
 *   vfs_root()                         "/" (crossing into what is mounted)
 *   namei(start, path, flags, &vn)     a path to its node, held
 *   namei_parent(start, path, &dir, name)  the directory a last component
 *                                      goes in (held), and the component
 *   vfs_open(vn, flags, &f)            a struct file on a node (vnode_ops.open)
 *   vfs_read_kernel(vn, off, buf, n)   file bytes into kernel memory (exec)
 *   vfs_getattr(vn, st), vfs_fstat(f, st)
 *
 * Path resolution (namei.c) is Linux's: "." and "..", repeated slashes,
 * ".." of the root is the root and ".." of a mounted file system's root
 * is ".." of the directory it covers, a trailing slash requires a
 * directory (and follows a final symlink), symlinks absolute and relative,
 * at most VFS_MAXSYMLINKS of them per lookup (-ELOOP after), components of
 * at most VFS_NAME_MAX bytes and paths of at most VFS_PATH_MAX - 1
 * (-ENAMETOOLONG), -ENOENT for what is missing (and for ""), -ENOTDIR for
 * a non-directory used as one.  namei.c uses only the vnode operations and
 * the mount links below: it builds and is tested on the host.
 *
 * Single CPU: no locking yet (the SMP work gives vnodes and mounts theirs).
 */
#ifndef KEEL_VFS_H
#define KEEL_VFS_H

#include <stddef.h>
#include <stdint.h>
#include <keel/refcount.h>
#include <uapi/time.h>

#define VFS_NAME_MAX		255
#define VFS_PATH_MAX		4096	/* NUL included, as Linux's PATH_MAX */
#define VFS_MAXSYMLINKS		40

/* namei flags */
#define NAMEI_FOLLOW		1	/* follow a symlink in the last component */

struct file;
struct kstat;
struct kstatfs;
struct vnode;
struct mount;

/* A file's time is a struct ktimespec (<uapi/time.h>): since the epoch. */

/*
 * What setattr changes (Linux's struct iattr): the fields va_mask names,
 * and the change time, always (va_ctime: the caller's "now").
 */
#define VA_MODE		0x1		/* permission bits: va_mode & 07777 */
#define VA_UID		0x2
#define VA_GID		0x4
#define VA_ATIME	0x8
#define VA_MTIME	0x10
struct vattr {
	uint32_t va_mask;
	uint32_t va_mode, va_uid, va_gid;
	struct ktimespec va_atime, va_mtime, va_ctime;
};

/* One directory entry, for getdents: readdir fills it. */
struct dirent_info {
	const char *d_name;		/* valid until the directory changes */
	uint64_t d_ino;
	uint32_t d_mode;		/* S_IF* type: getdents' d_type */
};

/*
 * What a file system does with its nodes.  Names are one component,
 * neither "." nor ".." (the VFS handles those), of at most VFS_NAME_MAX
 * bytes.  Nodes returned through an out pointer are held (vn_rele them).
 * A file system leaves out what it cannot do: the VFS answers -EPERM for
 * a missing operation that changes the tree, -EINVAL for readlink,
 * -ENOTDIR for lookup and readdir.
 */
struct vnode_ops {
	int (*lookup)(struct vnode *dir, const char *name, size_t len, struct vnode **out);
	int (*create)(struct vnode *dir, const char *name, uint32_t mode, struct vnode **out);
	int (*mkdir)(struct vnode *dir, const char *name, uint32_t mode);
	int (*unlink)(struct vnode *dir, const char *name);
	int (*rmdir)(struct vnode *dir, const char *name);
	int (*rename)(struct vnode *odir, const char *oname, struct vnode *ndir,
	    const char *nname);
	/* A new name for target, a non-directory of the same file system. */
	int (*link)(struct vnode *dir, const char *name, struct vnode *target);
	int (*symlink)(struct vnode *dir, const char *name, const char *target);
	/* A FIFO, device node, socket or empty file: mode has its S_IF* type. */
	int (*mknod)(struct vnode *dir, const char *name, uint32_t mode, uint32_t rdev);
	/* The target, up to len bytes without NUL: the count, or -errno. */
	int64_t (*readlink)(struct vnode *vn, char *buf, uint64_t len);
	int (*getattr)(struct vnode *vn, struct kstat *st);
	/* Permission bits, owner, times (see struct vattr). */
	int (*setattr)(struct vnode *vn, const struct vattr *va);
	/* A regular file's new size (its times change when the size does). */
	int (*truncate)(struct vnode *vn, uint64_t size);
	/* The index-th entry ("." and ".." are the VFS's): 1, 0 past the end. */
	int (*readdir)(struct vnode *dir, uint64_t index, struct dirent_info *d);
	/* Set up an open file on vn: at least f->f_ops. */
	int (*open)(struct vnode *vn, struct file *f);
	/* File bytes into kernel memory, pread-like (exec). */
	int64_t (*read)(struct vnode *vn, uint64_t off, void *buf, uint64_t len);
	/* The last reference went away. */
	void (*inactive)(struct vnode *vn);
	/*
	 * A magic link (/proc/PID/exe, /proc/PID/fd/N): a symlink whose
	 * readlink is only a description, and which a path walk follows by
	 * jumping to the node this gives (held), as Linux's nd_jump_link.
	 */
	int (*follow_link)(struct vnode *vn, struct vnode **out);
	/*
	 * Who may read, write or search it (MAY_*), where the mode alone
	 * does not say (Linux's inode_operations.permission): 0 or -errno.
	 * Without it, vfs_permission's checks of the mode and owner.
	 */
	int (*permission)(struct vnode *vn, int mask);
};

/*
 * A node of some file system, usually embedded in the file system's own
 * node.  v_mode's type bits never change.  v_refs counts open files,
 * working directories, lookups in progress and whatever the file system
 * itself holds (a removed directory's children hold it for "..").
 */
struct vnode {
	const struct vnode_ops *v_ops;
	struct mount *v_mount;		/* the file system it belongs to */
	struct mount *v_mounted;	/* a file system mounted on it, or 0 */
	uint32_t v_mode;		/* S_IF* type (the fs keeps the rest) */
	uint32_t v_refs;
	void *v_data;			/* the file system's */
};

/*
 * A mounted file system: its root, and the directory it covers (0 for
 * "/").  m_statfs answers statfs(2); m_unmount, where there is one, frees
 * an instance mount(2) made, once nothing uses it.
 */
struct mount {
	struct vnode *m_root;
	struct vnode *m_covered;
	const char *m_name;		/* file system type: /proc/mounts */
	struct mount *m_next;
	uint64_t m_dev;			/* st_dev of its nodes */
	int (*m_statfs)(struct mount *m, struct kstatfs *sf);
	void (*m_unmount)(struct mount *m);
	char m_source[32];		/* mount(2)'s source, for /proc/mounts */
	uint64_t m_flags;		/* MS_NOSUID, MS_NODEV, MS_NOEXEC, ... shown */
};

/* statfs(2)'s answer (struct statfs of x86-64 Linux). */
struct kstatfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct kstatfs) == 120, "x86-64 struct statfs");

#define TMPFS_MAGIC		0x01021994
#define PROC_SUPER_MAGIC	0x9fa0

static inline void
vn_hold(struct vnode *vn)
{
	ref_inc(&vn->v_refs);
}

static inline void
vn_rele(struct vnode *vn)
{
	if (ref_dec(&vn->v_refs) == 0 && vn->v_ops->inactive)
		vn->v_ops->inactive(vn);
}

/* vfs.c */
void vfs_mount_root(struct mount *m);
int vfs_mount(const char *path, struct mount *m);
/* m on the directory dir (held: the mount keeps that reference). */
void vfs_mount_on(struct vnode *dir, struct mount *m);
/* Takes m off the tree: -EBUSY while a process uses one of its nodes. */
int vfs_unmount(struct mount *m);
/* The realtime clock, for file times. */
void vfs_now(struct ktimespec *ts);
struct vnode *vfs_root(void);
/* Every mount, the oldest first through m_next. */
struct mount *vfs_mounts(void);
int vfs_open(struct vnode *vn, int flags, struct file **out);
int64_t vfs_read_kernel(struct vnode *vn, uint64_t off, void *buf, uint64_t len);
int vfs_getattr(struct vnode *vn, struct kstat *st);
int vfs_fstat(struct file *f, struct kstat *st);

/*
 * perm.c: Linux's permission checks, for the calling process's
 * file-system ids (cred.h).  mask: MAY_READ | MAY_WRITE | MAY_EXEC.
 * Each answers 0 or -errno.  namei.c checks search permission on every
 * directory it walks through (vfs_permission, MAY_EXEC): the host tests
 * supply one that allows everything.
 */
#define MAY_EXEC	1
#define MAY_WRITE	2
#define MAY_READ	4
int vfs_permission(struct vnode *vn, int mask);
/* The checks of the mode and owner alone (Linux's generic_permission). */
int vfs_generic_permission(struct vnode *vn, int mask);
/* The owner (or root) may change a node's mode and times: -EPERM. */
int vfs_owner_or_capable(struct vnode *vn);
/* name may be made in dir (Linux's may_create): -EEXIST, -EACCES. */
int vfs_may_create(struct vnode *dir, const char *name);
/*
 * name may go from dir (may_delete with the sticky bit): isdir 1 for
 * rmdir (-ENOTDIR), 0 for unlink (-EISDIR), -1 for rename (either).
 */
int vfs_may_delete(struct vnode *dir, const char *name, int isdir);
/*
 * The owner a new node of mode made in a directory (mode, gid: the
 * directory's) gets, and its mode: Linux's inode_init_owner and
 * mode_strip_sgid (the file system calls this).
 */
void vfs_new_owner(uint32_t dir_mode, uint32_t dir_gid, uint32_t *mode, uint32_t *uid,
    uint32_t *gid);

/* namei.c: start is where a relative path begins (0: the root). */
int namei_at(struct vnode *root, struct vnode *start, const char *path, int flags,
    struct vnode **out);
int namei_parent_at(struct vnode *root, struct vnode *start, const char *path,
    struct vnode **dir, char name[VFS_NAME_MAX + 1]);
/* The same from the VFS root. */
int namei(struct vnode *start, const char *path, int flags, struct vnode **out);
int namei_parent(struct vnode *start, const char *path, struct vnode **dir,
    char name[VFS_NAME_MAX + 1]);
/* What is mounted on vn, followed to the top of the stack (not held). */
struct vnode *vn_mounted_top(struct vnode *vn);

/*
 * vpath.c: names of nodes.  The absolute path of a directory (0: the
 * root), or of any node, found by searching the tree (a file with several
 * names gives the first found), into buf NUL-terminated: the length, or
 * -ENOENT (no name left), -ENAMETOOLONG.
 */
int64_t vfs_dir_path(struct vnode *dir, char *buf, uint64_t size);
int64_t vfs_node_path(struct vnode *vn, char *buf, uint64_t size);
/* The directory (held) and name of what path names, its final symlinks followed. */
int vfs_locate(struct vnode *start, const char *path, struct vnode **dir,
    char name[VFS_NAME_MAX + 1]);

#endif /* KEEL_VFS_H */
