/*
 * vfs_stub.c: what the ramfs's vnode table names but the host tests do
 * not exercise: opening a file and statfs (ramfs_file.c needs user copies
 * and the frame allocator), and the realtime clock (a fake one).
 */
#include <keel/ramfs.h>
#include <uapi/errno.h>

int
ramfs_vop_open(struct vnode *vn, struct file *f)
{
	(void)vn;
	(void)f;
	return -ENXIO;
}

/* A clock that moves a microsecond each time it is read. */
void
vfs_now(struct ktimespec *ts)
{
	static int64_t us = 1700000000LL * 1000000;

	us++;
	ts->tv_sec = us / 1000000;
	ts->tv_nsec = us % 1000000 * 1000;
}

int
ramfs_statfs(struct mount *m, struct kstatfs *sf)
{
	(void)m;
	(void)sf;
	return -ENOSYS;
}
