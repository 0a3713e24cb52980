/*
 * vfs.c: the mount table and the operations every file system shares
 * (see vfs.h): opening a node, reading it from the kernel, its
 * attributes, a directory's path.  fs_init puts the tree together at
 * boot: the initramfs's ramfs at "/", devfs at /dev, procfs at /proc,
 * and /tmp.
 */
#include <keel/kernel.h>
#include <keel/proc.h>
#include <arch/arch.h>	/* clock_ns, clock_boot_epoch_ns */
#include <keel/devfs.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/ramfs.h>
#include <keel/vfs.h>
#include <keel/kheap.h>
#include <uapi/errno.h>

static struct mount *rootmount;
static struct mount *mounts;	/* every mount, the oldest first (/proc/mounts' order) */

void
vfs_now(struct ktimespec *ts)
{
	uint64_t ns = clock_ns() + clock_boot_epoch_ns();

	ts->tv_sec = (int64_t)(ns / 1000000000ULL);
	ts->tv_nsec = (int64_t)(ns % 1000000000ULL);
}

static void
mount_append(struct mount *m)
{
	struct mount **mp;

	for (mp = &mounts; *mp; mp = &(*mp)->m_next)
		;
	m->m_next = 0;
	*mp = m;
}

void
vfs_mount_root(struct mount *m)
{
	rootmount = m;
	m->m_covered = 0;
	mount_append(m);
}

void
vfs_mount_on(struct vnode *dir, struct mount *m)
{
	m->m_covered = dir;
	dir->v_mounted = m;
	mount_append(m);
}

/* m on the directory at path: it keeps a reference on that directory. */
int
vfs_mount(const char *path, struct mount *m)
{
	struct vnode *dir;
	int r = namei(0, path, NAMEI_FOLLOW, &dir);

	if (r)
		return r;
	if (!S_ISDIR(dir->v_mode)) {
		vn_rele(dir);
		return -ENOTDIR;
	}
	vfs_mount_on(dir, m);
	return 0;
}

/* Does p use a node of the mount arg (working directory, open file)? */
static int
uses_mount(struct proc *p, void *arg)
{
	struct mount *m = arg;
	struct fdtable *t = p->p_fdt;
	int fd;

	if (p->p_cwd && p->p_cwd->v_mount == m)
		return 1;
	for (fd = 0; t && fd < t->fdt_size; fd++)
		if (t->fdt_files[fd] && t->fdt_files[fd]->f_vnode &&
		    t->fdt_files[fd]->f_vnode->v_mount == m)
			return 1;
	return 0;
}

/*
 * Linux's umount without MNT_DETACH: busy while a process is in it or
 * has a file of it open, or another file system is mounted inside it.
 */
int
vfs_unmount(struct mount *m)
{
	struct mount **mp, *o;

	if (m == rootmount)
		return -EBUSY;
	for (o = mounts; o; o = o->m_next)
		if (o != m && o->m_covered && o->m_covered->v_mount == m)
			return -EBUSY;
	if (proc_foreach(uses_mount, m))
		return -EBUSY;
	for (mp = &mounts; *mp != m; mp = &(*mp)->m_next)
		;
	*mp = m->m_next;
	ASSERT(m->m_covered->v_mounted == m);
	m->m_covered->v_mounted = 0;
	vn_rele(m->m_covered);
	m->m_covered = 0;
	if (m->m_unmount)
		m->m_unmount(m);
	return 0;
}

struct vnode *
vfs_root(void)
{
	return rootmount ? vn_mounted_top(rootmount->m_root) : 0;
}

struct mount *
vfs_mounts(void)
{
	return mounts;
}

int
namei(struct vnode *start, const char *path, int flags, struct vnode **out)
{
	return namei_at(vfs_root(), start, path, flags, out);
}

int
namei_parent(struct vnode *start, const char *path, struct vnode **dir,
    char name[VFS_NAME_MAX + 1])
{
	return namei_parent_at(vfs_root(), start, path, dir, name);
}

int
vfs_open(struct vnode *vn, int flags, struct file **out)
{
	struct file *f;
	int r;

	if (vn->v_ops->open == 0)
		return -ENXIO;
	f = file_alloc(0, flags);
	if (f == 0)
		return -ENOMEM;
	vn_hold(vn);
	f->f_vnode = vn;
	r = vn->v_ops->open(vn, f);
	if (r) {
		vn_rele(vn);
		kfree(f);
		return r;
	}
	*out = f;
	return 0;
}

int64_t
vfs_read_kernel(struct vnode *vn, uint64_t off, void *buf, uint64_t len)
{
	if (S_ISDIR(vn->v_mode))
		return -EISDIR;
	if (vn->v_ops->read == 0)
		return -EINVAL;
	return vn->v_ops->read(vn, off, buf, len);
}

int
vfs_getattr(struct vnode *vn, struct kstat *st)
{
	if (vn->v_ops->getattr == 0) {
		memset(st, 0, sizeof(*st));
		st->st_mode = vn->v_mode;
		st->st_nlink = 1;
		st->st_blksize = 4096;
		return 0;
	}
	return vn->v_ops->getattr(vn, st);
}

int
vfs_fstat(struct file *f, struct kstat *st)
{
	if (f->f_vnode)
		return vfs_getattr(f->f_vnode, st);
	if (f->f_ops->getattr)
		return f->f_ops->getattr(f, st);
	memset(st, 0, sizeof(*st));
	return 0;
}

/* A directory of the root file system, made when the initramfs lacks it. */
static void
ensure_dir(const char *name, uint32_t mode)
{
	struct vnode *root = vfs_root(), *vn;

	if (root->v_ops->lookup(root, name, strlen(name), &vn) == 0) {
		vn_rele(vn);
		return;
	}
	if (root->v_ops->mkdir)
		root->v_ops->mkdir(root, name, mode);
}

void
fs_init(void)
{
	vfs_mount_root(ramfs_mount_point());
	ensure_dir("dev", 0755);
	ensure_dir("proc", 0555);
	ensure_dir("tmp", 01777);
	if (vfs_mount("/dev", devfs_mount_point()) != 0)
		kprintf("fs: cannot mount devfs on /dev\n");
	if (vfs_mount("/proc", procfs_mount_point()) != 0)
		kprintf("fs: cannot mount procfs on /proc\n");
}
