/*
 * sys_fs.c: the path and directory system calls (see fs.h).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/proc.h>
#include <keel/ramfs.h>
#include <keel/usercopy.h>
#include <keel/kheap.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>


/* The character devices of /dev: name, file type, rdev (major:minor). */
static const struct {
	const char *name;
	int type;
	uint32_t rdev;
} devices[] = {
	{ "console", FT_CONSOLE, 5 << 8 | 1 },
	{ "tty", FT_CONSOLE, 5 << 8 | 0 },
	{ "null", FT_NULL, 1 << 8 | 3 },
	{ "zero", FT_ZERO, 1 << 8 | 5 },
};

void
fs_init(void)
{
	struct rnode *root = ramfs_root(), *dev, *n;
	unsigned i;

	if (ramfs_lookup("/dev", &dev) != 0 &&
	    ramfs_create(root, "dev", S_IFDIR | 0755, &dev) != 0)
		return;
	for (i = 0; i < ARRAY_SIZE(devices); i++)
		if (ramfs_create(dev, devices[i].name, S_IFCHR | 0666, &n) == 0)
			n->rn_size = 0;
	if (ramfs_lookup("/proc", &n) != 0)
		ramfs_create(root, "proc", S_IFDIR | 0555, &n);
	if (ramfs_lookup("/tmp", &n) != 0)
		ramfs_create(root, "tmp", S_IFDIR | 01777, &n);
}

static int
device_of(struct rnode *n, uint32_t *rdev)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(devices); i++) {
		if (strcmp(n->rn_name, devices[i].name) == 0) {
			if (rdev)
				*rdev = devices[i].rdev;
			return devices[i].type;
		}
	}
	return 0;
}

/* A user path into a fresh kernel buffer (kfree it), or -errno. */
static long
get_path(uint64_t upath, char **out)
{
	char *p = kmalloc(RAMFS_PATH_MAX);
	long r;

	if (p == 0)
		return -ENOMEM;
	r = copyin_str(p, upath, RAMFS_PATH_MAX, -ENAMETOOLONG);
	if (r < 0) {
		kfree(p);
		return r;
	}
	if (r == 0) {
		kfree(p);
		return -ENOENT;
	}
	*out = p;
	return 0;
}

/* Where a relative path starts: the cwd or a directory descriptor. */
static long
start_of(int dirfd, const char *path, struct rnode **start)
{
	struct file *d;

	*start = 0;
	if (path[0] == '/')
		return 0;
	if (dirfd == AT_FDCWD) {
		*start = curproc()->p_cwd;
		return 0;
	}
	d = file_get(dirfd);
	if (d == 0)
		return -EBADF;
	if (d->f_type != FT_NODE || !S_ISDIR(d->f_node->rn_mode))
		return -ENOTDIR;
	*start = d->f_node;
	return 0;
}

/* /proc and below go to procfs (absolute paths; a relative path into it is not supported). */
/* A path from dirfd (or the cwd) to its node. */
static long
resolve(int dirfd, const char *path, int follow, struct rnode **n)
{
	struct rnode *start;
	long r = start_of(dirfd, path, &start);

	return r ? r : ramfs_lookup_at(start, path, follow, n);
}

static int
is_proc_path(const char *path)
{
	return strncmp(path, "/proc", 5) == 0 && (path[5] == 0 || path[5] == '/');
}

long
sys_openat(int dirfd, uint64_t upath, int flags, int mode)
{
	struct rnode *start, *rn = 0, *dir;
	char name[RAMFS_NAME_MAX + 1];
	struct file *f = 0;
	char *path;
	long r;
	int type = FT_NODE, acc = flags & O_ACCMODE;

	r = get_path(upath, &path);
	if (r)
		return r;
	if (is_proc_path(path)) {
		r = procfs_open(path, &f);
		if (r == 0 && acc != O_RDONLY) {
			file_put(f);
			r = -EACCES;
		}
		if (r)
			goto out;
		f->f_flags = flags;
		goto install;
	}
	r = start_of(dirfd, path, &start);
	if (r)
		goto out;
	r = ramfs_lookup_at(start, path, !(flags & O_NOFOLLOW), &rn);
	if (r == -ENOENT && (flags & O_CREAT)) {
		r = ramfs_lookup_parent(start, path, &dir, name);
		if (r == 0)
			r = ramfs_create(dir, name, S_IFREG | (mode & 07777), &rn);
	} else if (r == 0 && (flags & O_CREAT) && (flags & O_EXCL)) {
		r = -EEXIST;
	}
	if (r)
		goto out;
	if (S_ISLNK(rn->rn_mode)) {
		r = -ELOOP;	/* O_NOFOLLOW on a symlink */
		goto out;
	}
	if ((flags & O_DIRECTORY) && !S_ISDIR(rn->rn_mode)) {
		r = -ENOTDIR;
		goto out;
	}
	if (S_ISDIR(rn->rn_mode) && (acc != O_RDONLY || (flags & O_CREAT))) {
		r = -EISDIR;
		goto out;
	}
	if (S_ISCHR(rn->rn_mode)) {
		type = device_of(rn, 0);
		rn = 0;
		if (type == 0) {
			r = -ENXIO;
			goto out;
		}
	} else if ((flags & O_TRUNC) && acc != O_RDONLY && S_ISREG(rn->rn_mode)) {
		r = ramfs_truncate(rn, 0);
		if (r)
			goto out;
	}
	f = kzalloc(sizeof(*f));
	if (f == 0) {
		r = -ENOMEM;
		goto out;
	}
	f->f_type = type;
	f->f_flags = flags;
	f->f_node = rn;
	if (rn)
		ramfs_hold(rn);
install:
	f->f_ref = 1;
	r = fd_install_from(f, 0, flags & O_CLOEXEC);
	if (r < 0)
		file_put(f);
out:
	kfree(path);
	return r;
}

static void
stat_node(struct rnode *n, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino = n->rn_ino;
	st->st_nlink = n->rn_nlink;
	st->st_mode = n->rn_mode;
	st->st_size = S_ISCHR(n->rn_mode) ? 0 : (int64_t)n->rn_size;
	st->st_blksize = 4096;
	st->st_blocks = (st->st_size + 511) / 512;
	st->st_atime = st->st_mtime = st->st_ctime = n->rn_mtime;
	if (S_ISCHR(n->rn_mode))
		device_of(n, (uint32_t *)&st->st_rdev);
}

long
sys_fstat(int fd, uint64_t ustat)
{
	struct file *f = file_get(fd);
	struct kstat st;

	if (f == 0)
		return -EBADF;
	memset(&st, 0, sizeof(st));
	st.st_blksize = 4096;
	st.st_nlink = 1;
	switch (f->f_type) {
	case FT_NODE:
		stat_node(f->f_node, &st);
		break;
	case FT_PIPE:
		st.st_mode = S_IFIFO | 0600;
		break;
	case FT_PROC:
		st.st_mode = f->f_pos_is_dir ?
		    S_IFDIR | 0555 : S_IFREG | 0444;
		break;
	default:
		/* Character devices: console 5:1, null 1:3, zero 1:5. */
		st.st_mode = S_IFCHR | 0666;
		st.st_rdev = f->f_type == FT_CONSOLE ? (5 << 8 | 1) :
		    f->f_type == FT_NULL ? (1 << 8 | 3) : (1 << 8 | 5);
		break;
	}
	return copyout(ustat, &st, sizeof(st));
}

static long
stat_path(int dirfd, uint64_t upath, uint64_t ustat, int follow, int empty_ok)
{
	struct rnode *n;
	struct kstat st;
	char *path;
	long r;

	r = get_path(upath, &path);
	if (r == -ENOENT && empty_ok)
		return sys_fstat(dirfd, ustat);
	if (r)
		return r;
	if (is_proc_path(path)) {
		r = procfs_stat(path, &st);
	} else {
		r = resolve(dirfd, path, follow, &n);
		if (r == 0)
			stat_node(n, &st);
	}
	if (r == 0)
		r = copyout(ustat, &st, sizeof(st));
	kfree(path);
	return r;
}

long
sys_stat(uint64_t upath, uint64_t ustat)
{
	return stat_path(AT_FDCWD, upath, ustat, 1, 0);
}

long
sys_lstat(uint64_t upath, uint64_t ustat)
{
	return stat_path(AT_FDCWD, upath, ustat, 0, 0);
}

long
sys_newfstatat(int dirfd, uint64_t upath, uint64_t ustat, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	return stat_path(dirfd, upath, ustat, !(flags & AT_SYMLINK_NOFOLLOW),
	    flags & AT_EMPTY_PATH);
}

/* struct linux_dirent64 */
struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

static int
dtype(uint32_t mode)
{
	if (S_ISDIR(mode))
		return DT_DIR;
	if (S_ISLNK(mode))
		return DT_LNK;
	if (S_ISCHR(mode))
		return DT_CHR;
	return DT_REG;
}

/*
 * The entries from f_off on: "." and ".." first, then the children.  The
 * offset is the index of the next entry.
 */
long
sys_getdents64(int fd, uint64_t ubuf, uint64_t n)
{
	struct file *f = file_get(fd);
	char buf[sizeof(struct dirent64) + RAMFS_NAME_MAX + 8];
	struct dirent64 *d = (struct dirent64 *)buf;
	uint64_t done = 0;

	if (f == 0)
		return -EBADF;
	n = (uint32_t)n;	/* Linux's count is an unsigned int */
	if (!(f->f_type == FT_PROC && f->f_pos_is_dir) &&
	    (f->f_type != FT_NODE || !S_ISDIR(f->f_node->rn_mode)))
		return -ENOTDIR;
	for (;;) {
		const char *name;
		uint64_t ino, len;
		int type, isdir;

		if (f->f_off < 2) {
			name = f->f_off ? ".." : ".";
			ino = f->f_node ? f->f_node->rn_ino : 1;
			type = DT_DIR;
		} else if (f->f_type == FT_PROC) {
			if (procfs_dirent(f, f->f_off - 2, &name, &isdir) != 1)
				break;
			ino = 0x1000 + f->f_off;
			type = isdir ? DT_DIR : DT_REG;
		} else {
			struct rnode *c;

			if (ramfs_dirent(f->f_node, f->f_off - 2, &c) != 1)
				break;
			name = c->rn_name;
			ino = c->rn_ino;
			type = dtype(c->rn_mode);
		}
		len = strlen(name);
		d->d_ino = ino;
		d->d_off = f->f_off + 1;
		d->d_reclen = ROUNDUP(offsetof(struct dirent64, d_name) + len + 1, 8);
		d->d_type = type;
		memcpy(d->d_name, name, len + 1);
		if (done + d->d_reclen > n)
			return done ? (long)done : -EINVAL;
		/*
		 * Linux's filldir64: the header and the name with its NUL go
		 * out, the padding to d_reclen is left as the user had it (buf
		 * is kernel stack).  The entries before a fault are returned.
		 */
		if (copyout(ubuf + done, d, offsetof(struct dirent64, d_name) + len + 1))
			return done ? (long)done : -EFAULT;
		done += d->d_reclen;
		f->f_off++;
	}
	return done;
}

long
sys_getcwd(uint64_t ubuf, uint64_t size)
{
	char *buf = kmalloc(RAMFS_PATH_MAX);
	struct rnode *n = curproc()->p_cwd, *root = ramfs_root();
	uint64_t pos = RAMFS_PATH_MAX - 1, len;
	long r;

	if (buf == 0)
		return -ENOMEM;
	if (n == 0)
		n = root;
	buf[pos] = 0;
	if (n->rn_gone) {
		kfree(buf);
		return -ENOENT;
	}
	for (; n != root; n = n->rn_parent) {
		if (pos < n->rn_namelen + 1) {
			kfree(buf);
			return -ENAMETOOLONG;
		}
		pos -= n->rn_namelen;
		memcpy(buf + pos, n->rn_name, n->rn_namelen);
		buf[--pos] = '/';
	}
	if (pos == RAMFS_PATH_MAX - 1)
		buf[--pos] = '/';
	len = RAMFS_PATH_MAX - 1 - pos + 1;
	if (len > size)
		r = -ERANGE;
	else
		r = copyout(ubuf, buf + pos, len) ? -EFAULT : (long)len;
	kfree(buf);
	return r;
}

static long
set_cwd(struct rnode *n)
{
	struct proc *p = curproc();

	if (!S_ISDIR(n->rn_mode))
		return -ENOTDIR;
	ramfs_hold(n);
	if (p->p_cwd)
		ramfs_release(p->p_cwd);
	p->p_cwd = n;
	return 0;
}

long
sys_chdir(uint64_t upath)
{
	struct rnode *n;
	char *path;
	long r;

	r = get_path(upath, &path);
	if (r)
		return r;
	r = ramfs_lookup_at(curproc()->p_cwd, path, 1, &n);
	if (r == 0)
		r = set_cwd(n);
	kfree(path);
	return r;
}

long
sys_fchdir(int fd)
{
	struct file *f = file_get(fd);

	if (f == 0)
		return -EBADF;
	if (f->f_type != FT_NODE)
		return -ENOTDIR;
	return set_cwd(f->f_node);
}

/* The directory and last name of a path, for the calls that change a name. */
static long
parent_of(int dirfd, uint64_t upath, struct rnode **dir, char *name)
{
	struct rnode *start;
	char *path;
	long r;

	r = get_path(upath, &path);
	if (r)
		return r;
	if (is_proc_path(path))
		r = -EACCES;
	else
		r = start_of(dirfd, path, &start);
	if (r == 0)
		r = ramfs_lookup_parent(start, path, dir, name);
	kfree(path);
	return r;
}

long
sys_mkdirat(int dirfd, uint64_t upath, int mode)
{
	char name[RAMFS_NAME_MAX + 1];
	struct rnode *dir, *n;
	long r = parent_of(dirfd, upath, &dir, name);

	return r ? r : ramfs_create(dir, name, S_IFDIR | (mode & 07777), &n);
}

long
sys_mkdir(uint64_t upath, int mode)
{
	return sys_mkdirat(AT_FDCWD, upath, mode);
}

long
sys_unlinkat(int dirfd, uint64_t upath, int flags)
{
	char name[RAMFS_NAME_MAX + 1];
	struct rnode *dir;
	long r;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	r = parent_of(dirfd, upath, &dir, name);
	if (r == -EEXIST)
		r = (flags & AT_REMOVEDIR) ? -EBUSY : -EISDIR;	/* "/", ".", ".." */
	return r ? r : ramfs_unlink(dir, name, flags & AT_REMOVEDIR);
}

long
sys_unlink(uint64_t upath)
{
	return sys_unlinkat(AT_FDCWD, upath, 0);
}

long
sys_rmdir(uint64_t upath)
{
	return sys_unlinkat(AT_FDCWD, upath, AT_REMOVEDIR);
}

long
sys_renameat(int olddirfd, uint64_t uold, int newdirfd, uint64_t unew)
{
	char oname[RAMFS_NAME_MAX + 1], nname[RAMFS_NAME_MAX + 1];
	struct rnode *odir, *ndir;
	long r;

	r = parent_of(olddirfd, uold, &odir, oname);
	if (r == 0)
		r = parent_of(newdirfd, unew, &ndir, nname);
	return r ? r : ramfs_rename(odir, oname, ndir, nname);
}

long
sys_rename(uint64_t uold, uint64_t unew)
{
	return sys_renameat(AT_FDCWD, uold, AT_FDCWD, unew);
}

long
sys_faccessat(int dirfd, uint64_t upath, int mode)
{
	struct rnode *n;
	struct kstat st;
	char *path;
	long r;

	if (mode & ~7)
		return -EINVAL;
	r = get_path(upath, &path);
	if (r)
		return r;
	if (is_proc_path(path)) {
		r = procfs_stat(path, &st);
	} else {
		r = resolve(dirfd, path, 1, &n);
		/* Root may do anything but execute what no one may execute. */
		if (r == 0 && (mode & 1) && !S_ISDIR(n->rn_mode) && !(n->rn_mode & 0111))
			r = -EACCES;
	}
	kfree(path);
	return r;
}

long
sys_access(uint64_t upath, int mode)
{
	return sys_faccessat(AT_FDCWD, upath, mode);
}

long
sys_readlinkat(int dirfd, uint64_t upath, uint64_t ubuf, uint64_t n)
{
	struct rnode *node;
	char *path;
	long r;

	if ((int64_t)n <= 0)
		return -EINVAL;
	r = get_path(upath, &path);
	if (r)
		return r;
	r = resolve(dirfd, path, 0, &node);
	if (r == 0 && !S_ISLNK(node->rn_mode))
		r = -EINVAL;
	if (r == 0) {
		n = MIN(n, node->rn_size);
		r = copyout(ubuf, node->rn_data, n) ? -EFAULT : (long)n;
	}
	kfree(path);
	return r;
}

long
sys_readlink(uint64_t upath, uint64_t ubuf, uint64_t n)
{
	return sys_readlinkat(AT_FDCWD, upath, ubuf, n);
}

long
sys_truncate(uint64_t upath, int64_t len)
{
	struct rnode *n;
	char *path;
	long r;

	if (len < 0)
		return -EINVAL;
	r = get_path(upath, &path);
	if (r)
		return r;
	r = ramfs_lookup_at(curproc()->p_cwd, path, 1, &n);
	if (r == 0)
		r = ramfs_truncate(n, len);
	kfree(path);
	return r;
}

long
sys_ftruncate(int fd, int64_t len)
{
	struct file *f = file_get(fd);

	if (f == 0)
		return -EBADF;
	if (len < 0 || f->f_type != FT_NODE || (f->f_flags & O_ACCMODE) == O_RDONLY)
		return -EINVAL;
	return ramfs_truncate(f->f_node, len);
}
