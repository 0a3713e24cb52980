/*
 * syspath.h: what the path system calls of fs/ share (sys_fs.c): user
 * paths into the kernel, where a relative one starts, and the walks.
 * Private to fs/.
 */
#ifndef FS_SYSPATH_H
#define FS_SYSPATH_H

#include <stdint.h>
#include <keel/vfs.h>

/* A user path into a fresh kernel buffer (kfree it), or -errno ("": -ENOENT). */
long get_path(uint64_t upath, char **out);
/* Where a relative path starts: the cwd or a directory descriptor (not held). */
long start_of(int dirfd, const char *path, struct vnode **start);
/* A path from dirfd (or the cwd) to its node, held (flags: NAMEI_FOLLOW). */
long resolve(int dirfd, const char *path, int flags, struct vnode **vn);
/*
 * The same from a user path and the *at calls' flags: AT_SYMLINK_NOFOLLOW,
 * and AT_EMPTY_PATH, where "" is dirfd's own node (-EPERM for a file
 * without one, a pipe).
 */
long resolve_at(int dirfd, uint64_t upath, int atflags, struct vnode **vn);
/* The directory and last name of a path, for the calls that change a name. */
long parent_of(int dirfd, uint64_t upath, struct vnode **dir, char *name);
/* Now as ctime, and as mtime too if asked (truncation). */
void vn_set_times(struct vnode *vn, int mtime_too);

#endif
