/*
 * ramfs.h: the in-memory file system at "/", filled from the initramfs
 * and writable, as Linux's rootfs is.
 *
 * Interface:
 *   ramfs_init(buf, len)		once, with the initrd the loader passed;
 *					buf must stay mapped and unchanged for
 *					good: file contents and symlink targets
 *					are not copied, nodes point into it
 *   ramfs_lookup(path, &n)		absolute path (a relative one starts
 *					at the root)
 *   ramfs_lookup_at(cwd, path, follow_last_symlink, &n)
 *					as openat/lstat: relative to cwd
 *   ramfs_read(n, off, buf, len)	file contents, pread-like
 *   ramfs_readlink(n, buf, len)	symlink target, readlink-like
 *   ramfs_dirent(dir, i, &child)	i-th entry of a directory, for getdents
 *   ramfs_root()			the root directory
 *   ramfs_free()			drop the tree (host tests)
 *   ramfs_mount_point()		its struct mount, for vfs_mount_root
 *
 * Every node embeds its vnode (rn_vnode, vfs.h): the VFS resolves paths
 * and counts references; ramfs_lookup_at and ramfs_lookup_parent are the
 * VFS's walk from this tree's root, for the host tests.
 *
 * The archive is read as Linux's initramfs unpacker reads it (cpio.h): later
 * entries for a path replace earlier ones, so a second archive can override
 * files of the first; names are relative to the root whatever they start
 * with ("sbin/init", "./sbin/init", "/sbin/init"); "." is the root itself;
 * directories missing from the archive are created (mode 0755) when a name
 * below them appears.  Regular files, directories and symlinks are kept;
 * device nodes, fifos and sockets are skipped with a one-line message, as
 * are names with a ".." component, an empty or over-long symlink target, or
 * a name that would need a file to be a directory.  Hard links (newc entries
 * of one archive with nlink >= 2 and equal ino, device and mode) share their
 * contents and inode number, the contents coming from whichever entry
 * carries them, as cpio writes them.
 *
 * Lookups follow Linux path resolution: "." and "..", repeated slashes,
 * ".." of the root is the root, a trailing slash requires a directory (and
 * follows a final symlink), symlinks absolute and relative, at most
 * RAMFS_MAXSYMLINKS of them followed per lookup (-ELOOP after), components
 * of at most RAMFS_NAME_MAX bytes and paths of at most RAMFS_PATH_MAX - 1
 * (-ENAMETOOLONG), -ENOENT for what is missing (and for ""), -ENOTDIR for a
 * non-directory used as one.
 *
 * Single CPU: no locking yet.
 */
#ifndef KERNEL_RAMFS_H
#define KERNEL_RAMFS_H

#include <stdint.h>
#include <keel/cpio.h>
#include <keel/vfs.h>

#define RAMFS_NAME_MAX		VFS_NAME_MAX
#define RAMFS_PATH_MAX		VFS_PATH_MAX
#define RAMFS_MAXSYMLINKS	VFS_MAXSYMLINKS
#define RAMFS_DEV		1	/* st_dev of its files */

/*
 * One name in the tree.  Invariants: the root is its own parent; a
 * directory's children are sorted by name (memcmp order), distinct, and have
 * it as parent; only directories have children; the names of one hard-linked
 * file, and its unlinked nodes still held, form the ring rn_link (a node
 * alone points to itself) and share rn_ino, the mode, owner, times and
 * device number, rn_data, rn_size and rn_cap, rn_nlink counting the names
 * (ramfs.c's ring_sync copies the attributes from the node changed); a gone node is in no
 * directory, has no children and holds a reference on rn_parent, which
 * ".." still reaches.
 */
struct rnode {
	struct vnode rn_vnode;		/* v_mode: S_IF* type and permission bits;
					   v_refs: open files, working
					   directories, lookups and gone children */
	struct rnode *rn_parent;
	struct rnode **rn_child;	/* directories: rn_nchild, sorted */
	uint32_t rn_nchild;
	uint32_t rn_childcap;		/* slots allocated in rn_child */
	struct rnode *rn_link;		/* next name of the same file */
	uint32_t rn_nlink;		/* names of a file; 2 + subdirectories
					   of a directory */
	uint32_t rn_uid, rn_gid;
	uint32_t rn_rdev;		/* a device node's number (devfs.h MKDEV) */
	struct ktimespec rn_atime, rn_mtime, rn_ctime;
	uint32_t rn_namelen;
	uint64_t rn_ino;		/* unique per file, from 1 (the root) */
	uint64_t rn_size;		/* bytes of a file or symlink target */
	const void *rn_data;		/* file contents or symlink target (no
					   NUL): in the initrd until written; a
					   FIFO's pipe cell (struct pipe *) */
	uint64_t rn_cap;		/* bytes of rn_data the tree owns
					   (kmalloc); 0 while in the initrd */
	uint32_t rn_gone;		/* unlinked while referenced: nothing
					   is found or made in it */
	char rn_name[];			/* NUL-terminated; "" for the root */
};

/*
 * Builds the tree from buf (a cpio archive or several, see cpio.h) and
 * prints a summary.  0, or -EINVAL for a malformed archive or -ENOMEM; on
 * failure nothing it built is kept, and a tree from an earlier call stays.
 * A second successful call frees the earlier tree: only while no one holds
 * its nodes (tests).
 */
int ramfs_init(const void *buf, uint64_t len);
void ramfs_free(void);
/* The root, or 0 before ramfs_init. */
struct rnode *ramfs_root(void);

/* 0 and *out, or -errno (see above); -ENOENT before ramfs_init. */
int ramfs_lookup(const char *path, struct rnode **out);
/*
 * Relative paths start at cwd (the root when cwd is 0).  A symlink in the
 * last component is followed only when follow_last_symlink is set (or the
 * path ends in a slash).
 */
int ramfs_lookup_at(struct rnode *cwd, const char *path, int follow_last_symlink,
    struct rnode **out);

/*
 * Up to len bytes from offset off of a regular file: the count copied (0 at
 * or past the end), -EISDIR for a directory, -EINVAL for anything else.
 */
int64_t ramfs_read(struct rnode *n, uint64_t off, void *buf, uint64_t len);
/* The target, up to len bytes and without NUL: the count, or -EINVAL. */
int64_t ramfs_readlink(struct rnode *n, void *buf, uint64_t len);
/*
 * The index-th child of dir, in name order: 1 and *child, 0 past the last,
 * -ENOTDIR.  "." and ".." are not children: getdents adds them.
 */
int ramfs_dirent(struct rnode *dir, uint64_t index, struct rnode **child);

/*
 * Changing the tree (the initramfs is writable, as Linux's rootfs is).
 * Files hold at most RAMFS_FILE_MAX bytes.  A node that is unlinked while
 * an open file or a working directory refers to it lives on, nameless,
 * until ramfs_release drops the last reference; it keeps its directory
 * alive until then, for "..".
 */
#define RAMFS_FILE_MAX	(4UL << 20)

/* The directory a path's last component goes in, and that component. */
int ramfs_lookup_parent(struct rnode *cwd, const char *path, struct rnode **dir,
    char name[RAMFS_NAME_MAX + 1]);
int ramfs_create(struct rnode *dir, const char *name, uint32_t mode,
    struct rnode **out);
int64_t ramfs_write(struct rnode *n, uint64_t off, const void *buf, uint64_t len);
int ramfs_truncate(struct rnode *n, uint64_t size);
/* rmdir set: name must be an empty directory; else it must not be one. */
int ramfs_unlink(struct rnode *dir, const char *name, int rmdir);
int ramfs_rename(struct rnode *odir, const char *oname, struct rnode *ndir,
    const char *nname);
/* A symlink to target (len bytes), a hard link to a non-directory, a node. */
int ramfs_symlink(struct rnode *dir, const char *name, const char *target, uint64_t len);
int ramfs_link(struct rnode *dir, const char *name, struct rnode *target);
int ramfs_mknod(struct rnode *dir, const char *name, uint32_t mode, uint32_t rdev);
/* Changes attributes as vfs.h's setattr (ctime always). */
void ramfs_setattr(struct rnode *n, const struct vattr *va);
void ramfs_hold(struct rnode *n);
void ramfs_release(struct rnode *n);

#define RNODE(vn)	((struct rnode *)(vn)->v_data)

struct mount *ramfs_mount_point(void);
/* A new, empty instance (mount -t tmpfs): its mount, not yet on the tree; 0 without memory. */
struct mount *ramfs_mount_new(void);
/* vnode_ops.open (ramfs_file.c, with the file operations). */
int ramfs_vop_open(struct vnode *vn, struct file *f);
/* statfs of an instance, as tmpfs answers (ramfs_file.c). */
int ramfs_statfs(struct mount *m, struct kstatfs *sf);
/* A read through an open file happened: atime, as relatime moves it. */
void ramfs_accessed(struct rnode *n);

#endif /* KERNEL_RAMFS_H */
