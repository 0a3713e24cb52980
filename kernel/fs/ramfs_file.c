/*
 * ramfs_file.c: open files of the ramfs (ramfs.h): read, write, seek and
 * private mappings of its regular files, and its directories (read by
 * getdents through the vnode, never by read: -EISDIR); its FIFOs open a
 * pipe (pipe.c), its character device nodes the device of their number
 * (cdevsw), as any node of that number in /dev would.
 *
 * Interface: ramfs_vop_open, the vnode operation that sets f_ops;
 * ramfs_statfs, statfs as tmpfs answers it.
 */
#include <keel/kernel.h>
#include <keel/devfs.h>
#include <keel/file.h>
#include <keel/pipe.h>
#include <keel/pmm.h>
#include <keel/ramfs.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <keel/vfs.h>
#include <uapi/errno.h>
#include <uapi/mount.h>
#include "ramfs_tree.h"

static long
file_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	struct rnode *rn = RNODE(f->f_vnode);
	long r;

	if (f->f_off >= rn->rn_size)
		return 0;
	n = MIN(n, rn->rn_size - f->f_off);
	r = copyout_partial(ubuf, (const char *)rn->rn_data + f->f_off, n);
	if (r > 0)
		f->f_off += r;
	ramfs_accessed(rn);
	return r;
}

/* Through a kernel buffer; the bytes before a hole are written, as Linux does. */
static long
file_write(struct file *f, uint64_t ubuf, uint64_t n)
{
	struct rnode *rn = RNODE(f->f_vnode);
	char buf[512];
	uint64_t done = 0;
	int64_t r, got;

	if (f->f_flags & O_APPEND)
		f->f_off = rn->rn_size;
	while (done < n) {
		uint64_t k = MIN(n - done, sizeof(buf));

		got = copyin_partial(buf, ubuf + done, k);
		if (got < 0)
			return done ? (long)done : got;
		r = ramfs_write(rn, f->f_off, buf, got);
		if (r < 0)
			return done ? (long)done : r;
		f->f_off += r;
		done += r;
		if (r < got || (uint64_t)got < k)
			break;
	}
	return done;
}

/* A private mapping starts as a copy of the file's bytes (zeros past its end). */
static int
file_mmap(struct file *f, struct aspace *as, uint64_t start, uint64_t len, uint64_t off)
{
	struct rnode *rn = RNODE(f->f_vnode);

	if (off >= rn->rn_size)
		return 0;
	return as_copyout(as, start, (const char *)rn->rn_data + off,
	    MIN(len, rn->rn_size - off));
}

static long
dir_read(struct file *f, uint64_t ubuf, uint64_t n)
{
	return -EISDIR;
}

static const struct file_ops ramfs_file_ops = {
	.read = file_read,
	.write = file_write,
	.lseek = file_lseek_sized,
	.mmap = file_mmap,
	.fsync = file_fsync_memory,
};

static const struct file_ops ramfs_dir_ops = {
	.read = dir_read,
	.write = dir_read,
	.lseek = file_lseek_sized,
	.fsync = file_fsync_memory,
};

int
ramfs_vop_open(struct vnode *vn, struct file *f)
{
	struct rnode *rn = RNODE(vn);

	if (S_ISDIR(vn->v_mode))
		f->f_ops = &ramfs_dir_ops;
	else if (S_ISREG(vn->v_mode))
		f->f_ops = &ramfs_file_ops;
	else if (S_ISCHR(vn->v_mode))
		/* A mount with nodev opens no device (Linux's may_open_dev). */
		return (vn->v_mount->m_flags & MS_NODEV) ? -EACCES : cdev_open(rn->rn_rdev, f);
	else if (S_ISFIFO(vn->v_mode))
		return pipe_fifo_open((struct pipe **)rn->rn_data, f);
	else
		return -ENXIO;	/* block devices, sockets: no driver; a symlink is never opened */
	return 0;
}

/*
 * tmpfs's defaults: half of memory in pages and as many inodes; the
 * pages in use are the regular files' (rounded up), the inodes the
 * instance's nodes.
 */
int
ramfs_statfs(struct mount *m, struct kstatfs *sf)
{
	struct rnode *top = RNODE(m->m_root), *n;
	uint64_t pages = 0, nodes = 0, total = pmm_total_frames() / 2;

	for (n = top; n; n = rn_tree_next(n)) {
		nodes++;
		if (S_ISREG(n->rn_vnode.v_mode))
			pages += ROUNDUP(n->rn_size, PAGE_SIZE) / PAGE_SIZE;
	}
	memset(sf, 0, sizeof(*sf));
	sf->f_type = TMPFS_MAGIC;
	sf->f_bsize = sf->f_frsize = PAGE_SIZE;
	sf->f_blocks = total;
	sf->f_bfree = sf->f_bavail = total > pages ? total - pages : 0;
	sf->f_files = total;
	sf->f_ffree = total > nodes ? total - nodes : 0;
	sf->f_namelen = VFS_NAME_MAX;
	return 0;
}
