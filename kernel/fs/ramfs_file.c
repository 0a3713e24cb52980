/*
 * ramfs_file.c: open files of the ramfs (ramfs.h): read, write, seek and
 * private mappings of its regular files, and its directories (read by
 * getdents through the vnode, never by read: -EISDIR).
 *
 * Interface: ramfs_vop_open, the vnode operation that sets f_ops.
 */
#include <keel/kernel.h>
#include <keel/file.h>
#include <keel/ramfs.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <keel/vfs.h>
#include <uapi/errno.h>

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
};

static const struct file_ops ramfs_dir_ops = {
	.read = dir_read,
	.write = dir_read,
	.lseek = file_lseek_sized,
};

int
ramfs_vop_open(struct vnode *vn, struct file *f)
{
	if (S_ISDIR(vn->v_mode))
		f->f_ops = &ramfs_dir_ops;
	else if (S_ISREG(vn->v_mode))
		f->f_ops = &ramfs_file_ops;
	else
		return -ENXIO;	/* a symlink is never opened; nothing else is kept */
	return 0;
}
