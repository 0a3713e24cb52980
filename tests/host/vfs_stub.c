/*
 * vfs_stub.c: what the ramfs's vnode table names but the host tests do
 * not exercise: opening a file (ramfs_file.c needs user copies).
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
