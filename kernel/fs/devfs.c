/*
 * devfs.c: the file system at /dev (see devfs.h).  Its nodes are the
 * devices of the table below, each a name and a device number; opening
 * one opens the device by its number through cdevsw (dev/cdev.c), and
 * the symlinks a Linux system's /dev has into /proc/self/fd (what
 * udev and initramfs-tools make: /dev/fd, stdin, stdout, stderr).  The
 * nodes are static: nothing is made or removed here (-EPERM).
 */
#include <keel/kernel.h>
#include <keel/cpio.h>	/* S_IF* */
#include <keel/devfs.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/pmm.h>
#include <keel/vfs.h>
#include <uapi/errno.h>

#define DEVFS_DEV	5	/* st_dev of its nodes, as Linux's devtmpfs 0:5 */

struct devnode {
	struct vnode dn_vnode;
	const char *dn_name;
	uint32_t dn_rdev;
	const char *dn_target;		/* a symlink's */
};

static const struct vnode_ops devfs_dir_ops, devfs_dev_ops, devfs_link_ops;
static struct devnode devnodes[10];
/* devtmpfs is a tmpfs: its numbers, with the nodes of the table. */
static int
devfs_statfs(struct mount *m, struct kstatfs *sf)
{
	uint64_t total = pmm_total_frames() / 2;

	memset(sf, 0, sizeof(*sf));
	sf->f_type = TMPFS_MAGIC;
	sf->f_bsize = sf->f_frsize = PAGE_SIZE;
	sf->f_blocks = sf->f_bfree = sf->f_bavail = total;
	sf->f_files = total;
	sf->f_ffree = total - 1 - ARRAY_SIZE(devnodes);
	sf->f_namelen = VFS_NAME_MAX;
	return 0;
}

static struct mount devfs_mount = { .m_name = "devtmpfs", .m_source = "devtmpfs",
	.m_dev = DEVFS_DEV, .m_statfs = devfs_statfs };
static struct vnode devfs_root = { .v_ops = &devfs_dir_ops, .v_mount = &devfs_mount,
	.v_mode = S_IFDIR | 0755, .v_refs = 1 };

#define DEVNODE(name, mode, rdev) \
	{ { &devfs_dev_ops, &devfs_mount, 0, S_IFCHR | (mode), 1, 0 }, name, rdev, 0 }
#define DEVLINK(name, target) \
	{ { &devfs_link_ops, &devfs_mount, 0, S_IFLNK | 0777, 1, 0 }, name, 0, target }

static struct devnode devnodes[10] = {
	DEVNODE("console", 0666, MKDEV(TTYAUX_MAJOR, 1)),
	DEVLINK("fd", "/proc/self/fd"),
	DEVNODE("null", 0666, MKDEV(MEM_MAJOR, 3)),
	DEVNODE("random", 0666, MKDEV(MEM_MAJOR, 8)),
	DEVLINK("stderr", "/proc/self/fd/2"),
	DEVLINK("stdin", "/proc/self/fd/0"),
	DEVLINK("stdout", "/proc/self/fd/1"),
	DEVNODE("tty", 0666, MKDEV(TTYAUX_MAJOR, 0)),
	DEVNODE("urandom", 0666, MKDEV(MEM_MAJOR, 9)),
	DEVNODE("zero", 0666, MKDEV(MEM_MAJOR, 5)),
};

/* Inode numbers: 1 the directory, 2 + the index of a device. */
static uint64_t
devnode_ino(const struct devnode *d)
{
	return 2 + (uint64_t)(d - devnodes);
}

static int
dir_lookup(struct vnode *dir, const char *name, size_t len, struct vnode **out)
{
	unsigned i;

	if (len == 2 && name[0] == '.' && name[1] == '.') {
		*out = &devfs_root;
		vn_hold(*out);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(devnodes); i++) {
		if (strlen(devnodes[i].dn_name) == len &&
		    memcmp(devnodes[i].dn_name, name, len) == 0) {
			*out = &devnodes[i].dn_vnode;
			vn_hold(*out);
			return 0;
		}
	}
	return -ENOENT;
}

static int
dir_readdir(struct vnode *dir, uint64_t index, struct dirent_info *d)
{
	if (index >= ARRAY_SIZE(devnodes))
		return 0;
	d->d_name = devnodes[index].dn_name;
	d->d_ino = devnode_ino(&devnodes[index]);
	d->d_mode = devnodes[index].dn_vnode.v_mode;
	return 1;
}

static int
getattr(struct vnode *vn, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = DEVFS_DEV;
	st->st_mode = vn->v_mode;
	st->st_blksize = 4096;
	if (vn == &devfs_root) {
		st->st_ino = 1;
		st->st_nlink = 2;
	} else {
		struct devnode *d = (struct devnode *)vn;

		st->st_ino = devnode_ino(d);
		st->st_nlink = 1;
		st->st_rdev = d->dn_rdev;
		if (d->dn_target)
			st->st_size = strlen(d->dn_target);
	}
	return 0;
}

static int
dir_open(struct vnode *vn, struct file *f)
{
	static const struct file_ops dir_file_ops = { .lseek = file_lseek_sized,
		.fsync = file_fsync_memory };

	f->f_ops = &dir_file_ops;
	return 0;
}

static int
dev_open(struct vnode *vn, struct file *f)
{
	return cdev_open(((struct devnode *)vn)->dn_rdev, f);
}

static const struct vnode_ops devfs_dir_ops = {
	.lookup = dir_lookup,
	.readdir = dir_readdir,
	.getattr = getattr,
	.open = dir_open,
};

static const struct vnode_ops devfs_dev_ops = {
	.getattr = getattr,
	.open = dev_open,
};

static int64_t
link_readlink(struct vnode *vn, char *buf, uint64_t len)
{
	const char *t = ((struct devnode *)vn)->dn_target;
	uint64_t n = MIN(strlen(t), len);

	memcpy(buf, t, n);
	return n;
}

static const struct vnode_ops devfs_link_ops = {
	.getattr = getattr,
	.readlink = link_readlink,
};

struct mount *
devfs_mount_point(void)
{
	devfs_mount.m_root = &devfs_root;
	return &devfs_mount;
}
