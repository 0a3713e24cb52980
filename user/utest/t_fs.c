/*
 * t_fs.c: the file calls of issue 13 on the writable root (/tmp): symbolic
 * links (relative and absolute, loops, O_NOFOLLOW, readlink), hard links,
 * FIFOs with Linux's open rules and device nodes, creat, chmod and chown,
 * utimensat and the times Linux's tmpfs keeps, statx, statfs, positional
 * I/O, sendfile, fsync, faccessat2, extended attributes as tmpfs answers
 * them, the device nodes of /dev, descriptors up to RLIMIT_NOFILE, and
 * mount/umount2 with /proc/mounts.  Everything runs as root; file times
 * are compared with >= and after naps of a few ticks, since Linux's file
 * clock is the coarse one (a tick).
 *
 * Interface: fs_tests[] (utest.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include "utest.h"

#ifndef SYS_faccessat2
#define SYS_faccessat2	439
#endif

#define KERNEL_ADDR	0xffff800000000000UL
#define BAD_FD		100000
#define T		"/tmp/fs_"	/* every name here starts so */
#define TMPFS_MAGIC	0x01021994
#define PROC_MAGIC	0x9fa0
#define PIPEFS_MAGIC	0x50495045
#define NOW		((1L << 30) - 1)
#define OMIT		((1L << 30) - 2)

/* The kernel's struct stat and struct statfs of x86-64. */
struct kst {
	unsigned long dev, ino, nlink;
	unsigned mode, uid, gid, pad;
	unsigned long rdev;
	long size, blksize, blocks;
	long atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	long reserved[3];
};

struct kstatfs {
	long type, bsize;
	unsigned long blocks, bfree, bavail, files, ffree;
	int fsid[2];
	long namelen, frsize, flags, spare[4];
};

struct kstatx {
	unsigned mask, blksize;
	unsigned long attributes;
	unsigned nlink, uid, gid;
	unsigned short mode, pad0;
	unsigned long ino, size, blocks, attributes_mask;
	struct { long sec; unsigned nsec; int pad; } atime, btime, ctime, mtime;
	unsigned rdev_major, rdev_minor, dev_major, dev_minor;
	unsigned long spare[14];
};

static long
st(const char *path, struct kst *s)
{
	return sys2(SYS_stat, path, s);
}

static long
lst(const char *path, struct kst *s)
{
	return sys2(SYS_lstat, path, s);
}

/* A fresh file at path holding text (0: empty); its fd, or -errno. */
static long
mkfile(const char *path, const char *text)
{
	long fd;

	sys1(SYS_unlink, path);
	fd = sys4(SYS_openat, AT_FDCWD, path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0 && text)
		sys_write((int)fd, text, strlen(text));
	return fd;
}

static void
tmp_ready(void)
{
	sys2(SYS_mkdir, "/tmp", 01777);
}

static void
nap(void)
{
	ut_sleep_ms(30);	/* several ticks of Linux's coarse file clock */
}

/* a is later than b (seconds and nanoseconds). */
static int
later(long as, long ans, long bs, long bns)
{
	return as > bs || (as == bs && ans > bns);
}

static int
same_time(long as, long ans, long bs, long bns)
{
	return as == bs && ans == bns;
}

/* ---- symbolic links ---- */

static void
t_symlink_basic(void)
{
	char buf[64];
	struct kst a, b;
	long fd;

	tmp_ready();
	sys1(SYS_unlink, T "abs");
	CHECK_EQ(sys2(SYS_symlink, DATA_PATH, T "abs"), 0);
	CHECK_ERR(sys2(SYS_symlink, DATA_PATH, T "abs"), EEXIST);
	CHECK_EQ(sys3(SYS_readlink, T "abs", buf, sizeof(buf)), strlen(DATA_PATH));
	CHECK(memcmp(buf, DATA_PATH, strlen(DATA_PATH)) == 0, "readlink gave %.20s", buf);
	CHECK_EQ(sys3(SYS_readlink, T "abs", buf, 4), 4);	/* cut, no NUL */
	CHECK_ERR(sys3(SYS_readlink, T "abs", buf, 0), EINVAL);
	CHECK_ERR(sys3(SYS_readlink, DATA_PATH, buf, sizeof(buf)), EINVAL);
	CHECK_ERR(sys4(SYS_readlinkat, AT_FDCWD, "/tmp", buf, sizeof(buf)), EINVAL);
	/* stat follows, lstat does not: the link's size is its target's length. */
	CHECK_EQ(st(T "abs", &a), 0);
	CHECK_EQ(st(DATA_PATH, &b), 0);
	CHECK_EQ(a.ino, b.ino);
	CHECK_EQ(lst(T "abs", &a), 0);
	CHECK(S_ISLNK(a.mode) && (a.mode & 07777) == 0777, "lstat mode %o", a.mode);
	CHECK_EQ(a.size, strlen(DATA_PATH));
	CHECK_EQ(sys4(SYS_newfstatat, AT_FDCWD, T "abs", &a, AT_SYMLINK_NOFOLLOW), 0);
	CHECK(S_ISLNK(a.mode), "newfstatat NOFOLLOW mode %o", a.mode);
	/* Open reads the target; O_NOFOLLOW refuses the link. */
	CHECK_OK(fd, sys_open(T "abs", O_RDONLY));
	CHECK_EQ(sys_read((int)fd, buf, 4), 4);
	CHECK(memcmp(buf, "00: ", 4) == 0, "read through the link: %.4s", buf);
	sys_close((int)fd);
	CHECK_ERR(sys_open(T "abs", O_RDONLY | O_NOFOLLOW), ELOOP);
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY | O_NOFOLLOW));
	sys_close((int)fd);
	CHECK_ERR(sys2(SYS_symlink, "", T "empty"), ENOENT);
	CHECK_ERR(sys2(SYS_symlink, "x", T "nodir/x"), ENOENT);
	CHECK_EQ(sys1(SYS_unlink, T "abs"), 0);
}

/* A relative target is taken from the link's directory, and a link to a directory leads on. */
static void
t_symlink_relative(void)
{
	char buf[8];
	struct kst a;
	long fd;

	tmp_ready();
	sys1(SYS_unlink, T "d/rel");
	sys1(SYS_unlink, T "d/f");
	sys1(SYS_rmdir, T "d");
	sys1(SYS_unlink, T "ld");
	CHECK_EQ(sys2(SYS_mkdir, T "d", 0755), 0);
	CHECK_OK(fd, mkfile(T "d/f", "hello"));
	sys_close((int)fd);
	CHECK_EQ(sys2(SYS_symlink, "f", T "d/rel"), 0);
	CHECK_EQ(sys2(SYS_symlink, "fs_d", T "ld"), 0);
	CHECK_OK(fd, sys_open(T "ld/rel", O_RDONLY));	/* two links, both relative */
	CHECK_EQ(sys_read((int)fd, buf, 5), 5);
	CHECK(memcmp(buf, "hello", 5) == 0, "read %.5s", buf);
	sys_close((int)fd);
	/* A trailing slash follows even lstat's last link; symlinkat from a directory fd. */
	CHECK_EQ(lst(T "ld/", &a), 0);
	CHECK(S_ISDIR(a.mode), "lstat of link/ gave mode %o", a.mode);
	CHECK_OK(fd, sys_open("/tmp", O_RDONLY | O_DIRECTORY));
	sys1(SYS_unlink, T "at");
	CHECK_EQ(sys3(SYS_symlinkat, "fs_d/f", (int)fd, "fs_at"), 0);
	CHECK_EQ(st(T "at", &a), 0);
	CHECK(S_ISREG(a.mode) && a.size == 5, "through symlinkat's link: mode %o", a.mode);
	sys_close((int)fd);
	/* A dangling link: O_CREAT makes its target; O_EXCL refuses the link. */
	sys1(SYS_unlink, T "d/new");
	sys1(SYS_unlink, T "dangle");
	CHECK_EQ(sys2(SYS_symlink, "fs_d/new", T "dangle"), 0);
	CHECK_ERR(st(T "dangle", &a), ENOENT);
	CHECK_ERR(sys4(SYS_openat, AT_FDCWD, T "dangle", O_WRONLY | O_CREAT | O_EXCL, 0600), EEXIST);
	CHECK_ERR(sys4(SYS_openat, AT_FDCWD, T "dangle", O_WRONLY | O_CREAT | O_NOFOLLOW, 0600),
	    ELOOP);
	CHECK_OK(fd, sys4(SYS_openat, AT_FDCWD, T "dangle", O_WRONLY | O_CREAT, 0600));
	sys_close((int)fd);
	CHECK_EQ(st(T "d/new", &a), 0);
	CHECK(S_ISREG(a.mode), "the target made: mode %o", a.mode);
	sys1(SYS_unlink, T "dangle");
	sys1(SYS_unlink, T "d/new");
	sys1(SYS_unlink, T "at");
	sys1(SYS_unlink, T "ld");
	sys1(SYS_unlink, T "d/rel");
	sys1(SYS_unlink, T "d/f");
	CHECK_EQ(sys1(SYS_rmdir, T "d"), 0);
}

/* 40 links in a walk are fine, the 41st is ELOOP; a loop is ELOOP. */
static void
t_symlink_loop(void)
{
	char name[32], target[32];
	struct kst a;
	long fd;
	int i;

	tmp_ready();
	for (i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), T "c%d", i);
		if (i == 0)
			snprintf(target, sizeof(target), "%s", DATA_PATH);
		else
			snprintf(target, sizeof(target), "fs_c%d", i - 1);
		sys1(SYS_unlink, name);
		CHECK_EQ(sys2(SYS_symlink, target, name), 0);
	}
	CHECK_OK(fd, sys_open(T "c39", O_RDONLY));	/* 40 links */
	sys_close((int)fd);
	CHECK_ERR(sys_open(T "c40", O_RDONLY), ELOOP);	/* 41 */
	CHECK_ERR(st(T "c40", &a), ELOOP);
	CHECK_EQ(lst(T "c40", &a), 0);
	for (i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), T "c%d", i);
		sys1(SYS_unlink, name);
	}
	sys1(SYS_unlink, T "la");
	sys1(SYS_unlink, T "lb");
	sys1(SYS_unlink, T "self");
	CHECK_EQ(sys2(SYS_symlink, "fs_lb", T "la"), 0);
	CHECK_EQ(sys2(SYS_symlink, "fs_la", T "lb"), 0);
	CHECK_EQ(sys2(SYS_symlink, "fs_self/x", T "self"), 0);
	CHECK_ERR(sys_open(T "la", O_RDONLY), ELOOP);
	CHECK_ERR(sys4(SYS_openat, AT_FDCWD, T "la", O_WRONLY | O_CREAT, 0600), ELOOP);
	CHECK_ERR(st(T "self", &a), ELOOP);
	CHECK_ERR(sys1(SYS_chdir, T "la"), ELOOP);
	sys1(SYS_unlink, T "la");
	sys1(SYS_unlink, T "lb");
	sys1(SYS_unlink, T "self");
}

/* ---- hard links ---- */

static void
t_link(void)
{
	struct kst a, b;
	char buf[8];
	long fd;

	tmp_ready();
	sys1(SYS_unlink, T "h2");
	sys1(SYS_unlink, T "hl");
	CHECK_OK(fd, mkfile(T "h1", "abc"));
	CHECK_EQ(st(T "h1", &a), 0);
	nap();
	CHECK_EQ(sys2(SYS_link, T "h1", T "h2"), 0);
	CHECK_EQ(st(T "h2", &b), 0);
	CHECK_EQ(b.ino, a.ino);
	CHECK_EQ(b.nlink, 2);
	CHECK(later(b.ctime, b.ctime_ns, a.ctime, a.ctime_ns), "link left ctime alone");
	CHECK(same_time(b.mtime, b.mtime_ns, a.mtime, a.mtime_ns), "link moved mtime");
	CHECK_EQ(sys_write((int)fd, "def", 3), 3);		/* seen through both names */
	sys_close((int)fd);
	CHECK_OK(fd, sys_open(T "h2", O_RDONLY));
	CHECK_EQ(sys_read((int)fd, buf, 8), 6);
	CHECK(memcmp(buf, "abcdef", 6) == 0, "through the link: %.6s", buf);
	sys_close((int)fd);
	CHECK_ERR(sys2(SYS_link, T "h1", T "h2"), EEXIST);
	CHECK_ERR(sys2(SYS_link, T "nothing", T "h3"), ENOENT);
	CHECK_ERR(sys2(SYS_link, "/tmp", T "h3"), EPERM);	/* a directory */
	CHECK_EQ(sys1(SYS_unlink, T "h1"), 0);
	CHECK_EQ(st(T "h2", &b), 0);
	CHECK_EQ(b.nlink, 1);
	/* linkat: a link to the symlink itself, or with AT_SYMLINK_FOLLOW to its target. */
	sys1(SYS_unlink, T "sl");
	sys1(SYS_unlink, T "h3");
	CHECK_EQ(sys2(SYS_symlink, "fs_h2", T "sl"), 0);
	CHECK_EQ(sys5(SYS_linkat, AT_FDCWD, T "sl", AT_FDCWD, T "hl", 0), 0);
	CHECK_EQ(lst(T "hl", &a), 0);
	CHECK(S_ISLNK(a.mode) && a.nlink == 2, "link of a symlink: mode %o nlink %lu", a.mode,
	    a.nlink);
	CHECK_EQ(sys5(SYS_linkat, AT_FDCWD, T "sl", AT_FDCWD, T "h3", AT_SYMLINK_FOLLOW), 0);
	CHECK_EQ(lst(T "h3", &a), 0);
	CHECK(S_ISREG(a.mode) && a.nlink == 2, "followed: mode %o nlink %lu", a.mode, a.nlink);
	CHECK_ERR(sys5(SYS_linkat, AT_FDCWD, T "sl", AT_FDCWD, T "h4", 0x8000), EINVAL);
	sys1(SYS_unlink, T "hl");
	sys1(SYS_unlink, T "sl");
	sys1(SYS_unlink, T "h3");
	sys1(SYS_unlink, T "h2");
}

/* /proc is another mount: a link into /tmp from it is EXDEV (mounted if missing, as an init would). */
static void
t_link_xdev(void)
{
	tmp_ready();
	if (sys2(SYS_access, "/proc/self/stat", F_OK) != 0) {
		sys2(SYS_mkdir, "/proc", 0555);
		sys5(SYS_mount, "proc", "/proc", "proc", 0, 0);
	}
	CHECK_ERR(sys2(SYS_link, "/proc/meminfo", T "x"), EXDEV);
	CHECK_ERR(sys2(SYS_link, "/proc/self/stat", T "x"), EXDEV);
}

/* ---- FIFOs and device nodes ---- */

static void
c_fifo_writer(void *arg)
{
	long fd = sys_open(T "fifo", O_WRONLY);	/* waits for the reader */

	(void)arg;
	CCHECK(fd >= 0, "writer's open: %s", ut_rstr(fd));
	CCHECK_EQ(sys_write((int)fd, "hi", 2), 2);
}

static void
t_fifo(void)
{
	struct kst a;
	char buf[8];
	long r, w, pid;
	int status;

	tmp_ready();
	sys1(SYS_unlink, T "fifo");
	sys1(SYS_umask, 022);
	CHECK_EQ(sys3(SYS_mknod, T "fifo", S_IFIFO | 0666, 0), 0);
	CHECK_ERR(sys3(SYS_mknod, T "fifo", S_IFIFO | 0666, 0), EEXIST);
	CHECK_EQ(lst(T "fifo", &a), 0);
	CHECK(a.mode == (S_IFIFO | 0644) && a.size == 0 && a.rdev == 0, "fifo mode %o size %ld",
	    a.mode, a.size);
	/* No reader: a non-blocking writer is refused; a non-blocking reader is not. */
	CHECK_ERR(sys_open(T "fifo", O_WRONLY | O_NONBLOCK), ENXIO);
	CHECK_OK(r, sys_open(T "fifo", O_RDONLY | O_NONBLOCK));
	CHECK_EQ(sys_read((int)r, buf, 1), 0);		/* no writer: end of file */
	CHECK_OK(w, sys_open(T "fifo", O_WRONLY | O_NONBLOCK));
	CHECK_EQ(sys_write((int)w, "xyz", 3), 3);
	CHECK_EQ(sys_read((int)r, buf, 8), 3);
	CHECK_ERR(sys_lseek((int)r, 0, SEEK_SET), ESPIPE);
	CHECK_ERR(sys4(SYS_pread64, r, buf, 1, 0), ESPIPE);
	CHECK_EQ(sys2(SYS_fstat, r, &a), 0);
	CHECK(S_ISFIFO(a.mode), "fstat of the FIFO: mode %o", a.mode);
	sys_close((int)w);
	CHECK_EQ(sys_read((int)r, buf, 8), 0);		/* the writer gone: end of file */
	sys_close((int)r);
	/* Blocking opens meet: the writer waits for the reader. */
	CHECK_OK(pid, ut_spawn(c_fifo_writer, 0));
	ut_sleep_ms(50);
	CHECK_OK(r, sys_open(T "fifo", O_RDONLY));
	CHECK_EQ(sys_read((int)r, buf, 2), 2);
	CHECK(memcmp(buf, "hi", 2) == 0, "read %.2s from the FIFO", buf);
	CHECK_EQ(ut_wait(pid, &status), 0);
	CHECK(status == 0, "writer: %s", ut_status_str(status));
	sys_close((int)r);
	/* O_RDWR never waits. */
	CHECK_OK(r, sys_open(T "fifo", O_RDWR));
	sys_close((int)r);
	CHECK_EQ(sys1(SYS_unlink, T "fifo"), 0);
}

static void
t_mknod(void)
{
	struct kst a;
	char buf[4] = "abc";
	long fd;

	tmp_ready();
	sys1(SYS_unlink, T "null");
	sys1(SYS_unlink, T "zero");
	sys1(SYS_unlink, T "reg");
	sys1(SYS_umask, 022);
	CHECK_ERR(sys3(SYS_mknod, T "dir", S_IFDIR | 0755, 0), EPERM);
	CHECK_ERR(sys3(SYS_mknod, T "bad", 0170000 | 0644, 0), EINVAL);
	CHECK_ERR(sys3(SYS_mknod, T "nodir/x", S_IFIFO | 0644, 0), ENOENT);
	CHECK_EQ(sys3(SYS_mknod, T "null", S_IFCHR | 0666, makedev(1, 3)), 0);
	CHECK_EQ(sys4(SYS_mknodat, AT_FDCWD, T "zero", S_IFCHR | 0666, makedev(1, 5)), 0);
	CHECK_EQ(sys3(SYS_mknod, T "reg", 0600, 0), 0);	/* type 0: a file */
	CHECK_EQ(lst(T "null", &a), 0);
	CHECK(a.mode == (S_IFCHR | 0644) && a.rdev == makedev(1, 3), "mode %o rdev %lx",
	    a.mode, a.rdev);
	CHECK_EQ(lst(T "reg", &a), 0);
	CHECK(a.mode == (S_IFREG | 0600) && a.rdev == 0, "mknod 0: mode %o", a.mode);
	/* They are the devices: /dev/null's and /dev/zero's numbers. */
	CHECK_OK(fd, sys_open(T "null", O_RDWR));
	CHECK_EQ(sys_write((int)fd, "xyz", 3), 3);
	CHECK_EQ(sys_read((int)fd, buf, 3), 0);
	sys_close((int)fd);
	CHECK_OK(fd, sys_open(T "zero", O_RDONLY));
	CHECK_EQ(sys_read((int)fd, buf, 3), 3);
	CHECK(buf[0] == 0 && buf[2] == 0, "read of the zero node");
	sys_close((int)fd);
	sys1(SYS_unlink, T "null");
	sys1(SYS_unlink, T "zero");
	sys1(SYS_unlink, T "reg");
}

/* /dev's nodes: their Linux numbers and distinct inodes (devtmpfs mounted on Linux's bare /dev). */
static void
t_dev_nodes(void)
{
	static const struct { const char *path; unsigned ma, mi; } devs[] = {
		{ "/dev/console", 5, 1 }, { "/dev/null", 1, 3 }, { "/dev/tty", 5, 0 },
		{ "/dev/zero", 1, 5 },
	};
	unsigned long ino[4];
	struct kst a;
	long fd;

	/* Any missing (t_epoll may have made /dev/null alone): Linux's devtmpfs. */
	for (int i = 0; i < 4; i++)
		if (sys2(SYS_access, devs[i].path, F_OK) != 0) {
			sys5(SYS_mount, "devtmpfs", "/dev", "devtmpfs", 0, 0);
			break;
		}
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(st(devs[i].path, &a), 0);
		CHECK(S_ISCHR(a.mode) && a.rdev == makedev(devs[i].ma, devs[i].mi),
		    "%s: mode %o rdev %lx", devs[i].path, a.mode, a.rdev);
		ino[i] = a.ino;
		CHECK(ino[i] != 0, "%s: inode 0", devs[i].path);
		for (int j = 0; j < i; j++)
			CHECK(ino[j] != ino[i], "%s and %s share inode %lu", devs[j].path,
			    devs[i].path, ino[i]);
	}
	/* fstat of an open one says the same (tty -s, isatty). */
	CHECK_OK(fd, sys_open("/dev/null", O_RDWR));
	CHECK_EQ(sys2(SYS_fstat, fd, &a), 0);
	CHECK(a.rdev == makedev(1, 3) && a.ino == ino[1], "fstat /dev/null: rdev %lx", a.rdev);
	sys_close((int)fd);
	if (ut_is_init) {
		CHECK_EQ(sys2(SYS_fstat, 0, &a), 0);
		CHECK(a.rdev == makedev(5, 1) && a.ino != 0, "fstat fd 0: rdev %lx ino %lu", a.rdev,
		    a.ino);
	}
}

/* ---- modes, owners, times ---- */

static void
t_creat(void)
{
	struct kst a;
	char c;
	long fd;

	tmp_ready();
	CHECK_OK(fd, mkfile(T "creat", "something"));
	sys_close((int)fd);
	CHECK_OK(fd, sys2(SYS_creat, T "creat", 0600));		/* truncates */
	CHECK_ERR(sys_read((int)fd, &c, 1), EBADF);		/* write-only */
	CHECK_EQ(sys2(SYS_fstat, fd, &a), 0);
	CHECK_EQ(a.size, 0);
	sys_close((int)fd);
	sys1(SYS_unlink, T "creat");
}

static void
t_chmod_chown(void)
{
	struct kst a, b;
	long fd;

	tmp_ready();
	CHECK_OK(fd, mkfile(T "mode", 0));
	CHECK_EQ(st(T "mode", &a), 0);
	nap();
	CHECK_EQ(sys2(SYS_chmod, T "mode", 0100640), 0);	/* the type bits do not count */
	CHECK_EQ(st(T "mode", &b), 0);
	CHECK_EQ(b.mode, S_IFREG | 0640);
	CHECK(later(b.ctime, b.ctime_ns, a.ctime, a.ctime_ns), "chmod left ctime");
	CHECK(same_time(b.mtime, b.mtime_ns, a.mtime, a.mtime_ns), "chmod moved mtime");
	CHECK_EQ(sys2(SYS_fchmod, fd, 04755), 0);
	CHECK_EQ(sys2(SYS_fstat, fd, &b), 0);
	CHECK_EQ(b.mode, S_IFREG | 04755);
	CHECK_EQ(sys3(SYS_fchmodat, AT_FDCWD, T "mode", 0600), 0);
	CHECK_EQ(st(T "mode", &b), 0);
	CHECK_EQ(b.mode, S_IFREG | 0600);
	/* Owners are kept and reported; -1 keeps one. */
	CHECK_EQ(sys3(SYS_chown, T "mode", 1000, 2000), 0);
	CHECK_EQ(st(T "mode", &b), 0);
	CHECK(b.uid == 1000 && b.gid == 2000, "owner %u:%u", b.uid, b.gid);
	CHECK_EQ(sys3(SYS_fchown, fd, -1, 3000), 0);
	CHECK_EQ(st(T "mode", &b), 0);
	CHECK(b.uid == 1000 && b.gid == 3000, "owner %u:%u", b.uid, b.gid);
	/* chown drops set-user-ID, and set-group-ID with group execute; root too. */
	CHECK_EQ(sys2(SYS_fchmod, fd, 06755), 0);
	CHECK_EQ(sys3(SYS_chown, T "mode", 0, 0), 0);
	CHECK_EQ(st(T "mode", &b), 0);
	CHECK_EQ(b.mode, S_IFREG | 0755);
	CHECK_EQ(sys2(SYS_fchmod, fd, 02705), 0);		/* no group execute: kept */
	CHECK_EQ(sys3(SYS_chown, T "mode", -1, -1), 0);
	CHECK_EQ(st(T "mode", &b), 0);
	CHECK_EQ(b.mode, S_IFREG | 02705);
	/* lchown changes the link, chown its target. */
	sys1(SYS_unlink, T "ml");
	CHECK_EQ(sys2(SYS_symlink, "fs_mode", T "ml"), 0);
	CHECK_EQ(sys3(SYS_lchown, T "ml", 7, 8), 0);
	CHECK_EQ(lst(T "ml", &b), 0);
	CHECK(b.uid == 7 && b.gid == 8, "lchown: %u:%u", b.uid, b.gid);
	CHECK_EQ(st(T "ml", &b), 0);
	CHECK(b.uid == 0 && b.gid == 0, "lchown reached the target: %u:%u", b.uid, b.gid);
	CHECK_EQ(sys5(SYS_fchownat, AT_FDCWD, T "ml", 9, 9, AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ(lst(T "ml", &b), 0);
	CHECK_EQ(b.uid, 9);
	CHECK_EQ(sys5(SYS_fchownat, fd, "", 5, 5, AT_EMPTY_PATH), 0);
	CHECK_EQ(st(T "mode", &b), 0);
	CHECK_EQ(b.uid, 5);
	CHECK_ERR(sys5(SYS_fchownat, AT_FDCWD, T "ml", 0, 0, 0x4), EINVAL);
	CHECK_ERR(sys2(SYS_chmod, T "none", 0644), ENOENT);
	CHECK_ERR(sys2(SYS_fchmod, BAD_FD, 0644), EBADF);
	CHECK_ERR(sys3(SYS_fchown, BAD_FD, 0, 0), EBADF);
	sys_close((int)fd);
	sys1(SYS_unlink, T "ml");
	sys1(SYS_unlink, T "mode");
}

static void
t_utimensat(void)
{
	struct timespec ts[2], now;
	struct kst a, b;
	long fd;

	tmp_ready();
	CHECK_OK(fd, mkfile(T "time", 0));
	ts[0] = (struct timespec){ 1000, 500 };
	ts[1] = (struct timespec){ 2000, 123456789 };
	CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, T "time", ts, 0), 0);
	CHECK_EQ(st(T "time", &a), 0);
	CHECK(a.atime == 1000 && a.atime_ns == 500 && a.mtime == 2000 &&
	    a.mtime_ns == 123456789, "times %ld.%ld %ld.%ld", a.atime, a.atime_ns, a.mtime,
	    a.mtime_ns);
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(a.ctime >= now.tv_sec - 5 && a.ctime <= now.tv_sec + 1, "ctime %ld, now %ld",
	    a.ctime, (long)now.tv_sec);
	/* UTIME_OMIT keeps one, UTIME_NOW sets it to now. */
	ts[0] = (struct timespec){ 0, OMIT };
	ts[1] = (struct timespec){ 0, NOW };
	CHECK_EQ(sys4(SYS_utimensat, fd, 0, ts, 0), 0);		/* futimens */
	CHECK_EQ(st(T "time", &b), 0);
	CHECK(b.atime == 1000 && b.atime_ns == 500, "UTIME_OMIT changed atime");
	CHECK(b.mtime >= now.tv_sec - 5 && b.mtime <= now.tv_sec + 5, "UTIME_NOW: mtime %ld",
	    b.mtime);
	/* Both omitted: nothing done, not even the path looked at. */
	ts[1].tv_nsec = OMIT;
	CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, T "none/none", ts, 0), 0);
	ts[0] = (struct timespec){ 0, 1000000000 };
	CHECK_ERR(sys4(SYS_utimensat, AT_FDCWD, T "time", ts, 0), EINVAL);
	CHECK_ERR(sys4(SYS_utimensat, AT_FDCWD, T "none", ts, 0), ENOENT);	/* path first */
	ts[0] = (struct timespec){ 0, -1 };
	CHECK_ERR(sys4(SYS_utimensat, AT_FDCWD, T "time", ts, 0), EINVAL);
	CHECK_ERR(sys4(SYS_utimensat, AT_FDCWD, T "time", 0, 0x4), EINVAL);
	CHECK_ERR(sys4(SYS_utimensat, fd, 0, 0, AT_SYMLINK_NOFOLLOW), EINVAL);
	CHECK_ERR(sys4(SYS_utimensat, BAD_FD, 0, 0, 0), EBADF);
	CHECK_ERR(sys4(SYS_utimensat, AT_FDCWD, T "time", KERNEL_ADDR, 0), EFAULT);
	/* Null times: both now. */
	CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, T "time", 0, 0), 0);
	CHECK_EQ(st(T "time", &b), 0);
	CHECK(b.atime >= now.tv_sec - 5 && b.mtime >= now.tv_sec - 5, "null times: %ld %ld",
	    b.atime, b.mtime);
	/* A symlink's own times with AT_SYMLINK_NOFOLLOW. */
	sys1(SYS_unlink, T "tl");
	CHECK_EQ(sys2(SYS_symlink, "fs_time", T "tl"), 0);
	ts[0] = (struct timespec){ 42, 0 };
	ts[1] = (struct timespec){ 43, 0 };
	CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, T "tl", ts, AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ(lst(T "tl", &a), 0);
	CHECK(a.atime == 42 && a.mtime == 43, "link's times %ld %ld", a.atime, a.mtime);
	CHECK_EQ(st(T "tl", &a), 0);
	CHECK(a.mtime != 43, "the target's times changed");
	/* utimes (microseconds) and utime (seconds). */
	struct { long sec, usec; } tv[2] = { { 100, 7 }, { 200, 8 } };
	CHECK_EQ(sys2(SYS_utimes, T "time", tv), 0);
	CHECK_EQ(st(T "time", &a), 0);
	CHECK(a.atime == 100 && a.atime_ns == 7000 && a.mtime == 200 && a.mtime_ns == 8000,
	    "utimes: %ld.%ld %ld.%ld", a.atime, a.atime_ns, a.mtime, a.mtime_ns);
	tv[0].usec = 1000000;
	CHECK_ERR(sys2(SYS_utimes, T "time", tv), EINVAL);
	long ub[2] = { 300, 400 };
	CHECK_EQ(sys2(SYS_utime, T "time", ub), 0);
	CHECK_EQ(st(T "time", &a), 0);
	CHECK(a.atime == 300 && a.atime_ns == 0 && a.mtime == 400, "utime: %ld %ld", a.atime,
	    a.mtime);
	sys_close((int)fd);
	sys1(SYS_unlink, T "tl");
	sys1(SYS_unlink, T "time");
}

/* What moves which time, as tmpfs keeps them. */
static void
t_times_kept(void)
{
	struct kst d0, d1, a, b;
	struct timespec now;
	char buf[4];
	long fd;

	tmp_ready();
	sys1(SYS_unlink, T "kept");
	CHECK_EQ(st("/tmp", &d0), 0);
	nap();
	CHECK_OK(fd, sys4(SYS_openat, AT_FDCWD, T "kept", O_RDWR | O_CREAT, 0644));
	CHECK_EQ(st("/tmp", &d1), 0);
	CHECK(later(d1.mtime, d1.mtime_ns, d0.mtime, d0.mtime_ns) &&
	    later(d1.ctime, d1.ctime_ns, d0.ctime, d0.ctime_ns), "creating left the directory's times");
	CHECK_EQ(sys2(SYS_fstat, fd, &a), 0);
	clock_gettime(CLOCK_REALTIME, &now);
	CHECK(a.mtime >= now.tv_sec - 5 && a.mtime <= now.tv_sec, "a new file's mtime %ld, now %ld",
	    a.mtime, (long)now.tv_sec);
	CHECK(same_time(a.atime, a.atime_ns, a.mtime, a.mtime_ns) &&
	    same_time(a.ctime, a.ctime_ns, a.mtime, a.mtime_ns), "a new file's times differ");
	nap();
	CHECK_EQ(sys_write((int)fd, "abc", 3), 3);
	CHECK_EQ(sys2(SYS_fstat, fd, &b), 0);
	CHECK(later(b.mtime, b.mtime_ns, a.mtime, a.mtime_ns) &&
	    later(b.ctime, b.ctime_ns, a.ctime, a.ctime_ns), "write left mtime or ctime");
	CHECK(same_time(b.atime, b.atime_ns, a.atime, a.atime_ns), "write moved atime");
	nap();
	CHECK_EQ(sys4(SYS_pread64, fd, buf, 3, 0), 3);
	CHECK_EQ(sys2(SYS_fstat, fd, &a), 0);
	CHECK(later(a.atime, a.atime_ns, b.atime, b.atime_ns), "read left atime (relatime)");
	CHECK(same_time(a.mtime, a.mtime_ns, b.mtime, b.mtime_ns), "read moved mtime");
	/* truncate to the same size moves both times on tmpfs; so does ftruncate. */
	nap();
	CHECK_EQ(sys2(SYS_truncate, T "kept", 3), 0);
	CHECK_EQ(sys2(SYS_fstat, fd, &b), 0);
	CHECK(later(b.ctime, b.ctime_ns, a.ctime, a.ctime_ns), "truncate left ctime");
	CHECK(later(b.mtime, b.mtime_ns, a.mtime, a.mtime_ns), "same-size truncate left mtime");
	nap();
	CHECK_EQ(sys2(SYS_ftruncate, fd, 3), 0);
	CHECK_EQ(sys2(SYS_fstat, fd, &a), 0);
	CHECK(later(a.mtime, a.mtime_ns, b.mtime, b.mtime_ns), "ftruncate left mtime");
	sys_close((int)fd);
	/* Unlinking moves the directory's times. */
	CHECK_EQ(st("/tmp", &d0), 0);
	nap();
	CHECK_EQ(sys1(SYS_unlink, T "kept"), 0);
	CHECK_EQ(st("/tmp", &d1), 0);
	CHECK(later(d1.mtime, d1.mtime_ns, d0.mtime, d0.mtime_ns), "unlink left the directory's mtime");
}

/* ---- stat's relatives ---- */

static void
t_statx(void)
{
	struct kstatx sx;
	struct kst a;
	int p[2];
	long fd;

	CHECK_EQ(st(DATA_PATH, &a), 0);
	CHECK_EQ(sys5(SYS_statx, AT_FDCWD, DATA_PATH, 0, 0x7ff, &sx), 0);
	CHECK((sx.mask & 0x7ff) == 0x7ff, "statx mask %x", sx.mask);
	CHECK(sx.ino == a.ino && sx.size == DATA_SIZE && sx.mode == a.mode && sx.nlink == a.nlink,
	    "statx: ino %lu size %lu mode %o", sx.ino, sx.size, sx.mode);
	CHECK(sx.mtime.sec == a.mtime && sx.mtime.nsec == a.mtime_ns, "statx mtime");
	CHECK(makedev(sx.dev_major, sx.dev_minor) == a.dev, "statx dev %u:%u, stat %lx",
	    sx.dev_major, sx.dev_minor, a.dev);
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys5(SYS_statx, fd, "", AT_EMPTY_PATH, 0x7ff, &sx), 0);
	CHECK_EQ(sx.ino, a.ino);
	sys_close((int)fd);
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0);
	CHECK_EQ(sys5(SYS_statx, p[0], "", AT_EMPTY_PATH, 0x7ff, &sx), 0);
	CHECK(S_ISFIFO(sx.mode), "statx of a pipe: mode %o", sx.mode);
	sys_close(p[0]);
	sys_close(p[1]);
	/* A symlink with and without following. */
	tmp_ready();
	sys1(SYS_unlink, T "sxl");
	CHECK_EQ(sys2(SYS_symlink, DATA_PATH, T "sxl"), 0);
	CHECK_EQ(sys5(SYS_statx, AT_FDCWD, T "sxl", AT_SYMLINK_NOFOLLOW, 0x7ff, &sx), 0);
	CHECK(S_ISLNK(sx.mode), "statx NOFOLLOW: mode %o", sx.mode);
	CHECK_EQ(sys5(SYS_statx, AT_FDCWD, T "sxl", AT_NO_AUTOMOUNT, 0x7ff, &sx), 0);
	CHECK_EQ(sx.ino, a.ino);
	sys1(SYS_unlink, T "sxl");
	CHECK_ERR(sys5(SYS_statx, AT_FDCWD, DATA_PATH, 0, 0x80000000U, &sx), EINVAL);
	CHECK_ERR(sys5(SYS_statx, AT_FDCWD, DATA_PATH, 0x6000, 0x7ff, &sx), EINVAL);
	CHECK_ERR(sys5(SYS_statx, AT_FDCWD, DATA_PATH, 0x4, 0x7ff, &sx), EINVAL);
	CHECK_ERR(sys5(SYS_statx, AT_FDCWD, T "none", 0, 0x7ff, &sx), ENOENT);
	CHECK_ERR(sys5(SYS_statx, AT_FDCWD, DATA_PATH, 0, 0x7ff, KERNEL_ADDR), EFAULT);
	CHECK_ERR(sys5(SYS_statx, BAD_FD, "", AT_EMPTY_PATH, 0x7ff, &sx), EBADF);
	/* newfstatat takes AT_NO_AUTOMOUNT (glibc's fallback for statx). */
	CHECK_EQ(sys4(SYS_newfstatat, AT_FDCWD, DATA_PATH, &a, AT_NO_AUTOMOUNT), 0);
	CHECK_EQ(a.size, DATA_SIZE);
}

static void
t_statfs(void)
{
	struct kstatfs sf;
	int p[2];

	tmp_ready();
	CHECK_EQ(sys2(SYS_statfs, "/tmp", &sf), 0);
	CHECK(sf.type == TMPFS_MAGIC && sf.bsize == 4096 && sf.namelen == 255,
	    "statfs /tmp: type %lx bsize %ld namelen %ld", sf.type, sf.bsize, sf.namelen);
	CHECK(sf.blocks > 0 && sf.bfree <= sf.blocks && sf.files > 0, "blocks %lu free %lu",
	    sf.blocks, sf.bfree);
	CHECK(sf.flags & 0x20, "no ST_VALID: %lx", sf.flags);
	if (sys2(SYS_access, "/proc/self/stat", F_OK) != 0) {
		sys2(SYS_mkdir, "/proc", 0555);
		sys5(SYS_mount, "proc", "/proc", "proc", 0, 0);
	}
	CHECK_EQ(sys2(SYS_statfs, "/proc/self", &sf), 0);
	CHECK_EQ(sf.type, PROC_MAGIC);
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0);
	CHECK_EQ(sys2(SYS_fstatfs, p[0], &sf), 0);
	CHECK_EQ(sf.type, PIPEFS_MAGIC);
	sys_close(p[0]);
	sys_close(p[1]);
	CHECK_ERR(sys2(SYS_statfs, T "none", &sf), ENOENT);
	CHECK_ERR(sys2(SYS_statfs, "/tmp", KERNEL_ADDR), EFAULT);
	CHECK_ERR(sys2(SYS_fstatfs, BAD_FD, &sf), EBADF);
}

/* ---- positional I/O, sendfile, sync ---- */

static void
t_pread_pwrite(void)
{
	char buf[16], a[4] = "AAAA", b[4] = "BBBB";
	struct iovec iov[2] = { { a, 2 }, { b, 3 } };
	int p[2];
	long fd;

	tmp_ready();
	CHECK_OK(fd, mkfile(T "pio", "0123456789"));
	CHECK_EQ(sys_lseek((int)fd, 1, SEEK_SET), 1);
	CHECK_EQ(sys4(SYS_pread64, fd, buf, 3, 5), 3);
	CHECK(memcmp(buf, "567", 3) == 0, "pread: %.3s", buf);
	CHECK_EQ(sys4(SYS_pwrite64, fd, "xy", 2, 8), 2);
	CHECK_EQ(sys_lseek((int)fd, 0, SEEK_CUR), 1);		/* the offset stayed */
	CHECK_EQ(sys4(SYS_pread64, fd, buf, 16, 0), 10);
	CHECK(memcmp(buf, "01234567xy", 10) == 0, "after pwrite: %.10s", buf);
	CHECK_EQ(sys4(SYS_pread64, fd, buf, 4, 100), 0);	/* past the end */
	CHECK_EQ(sys5(SYS_preadv, fd, iov, 2, 3, 0), 5);
	CHECK(memcmp(a, "34", 2) == 0 && memcmp(b, "567", 3) == 0, "preadv: %.2s %.3s", a, b);
	CHECK_EQ(sys5(SYS_pwritev, fd, iov, 2, 0, 0), 5);
	CHECK_EQ(sys4(SYS_pread64, fd, buf, 6, 0), 6);
	CHECK(memcmp(buf, "345675", 6) == 0, "after pwritev: %.6s", buf);
	CHECK_EQ(sys_lseek((int)fd, 0, SEEK_CUR), 1);
	CHECK_ERR(sys4(SYS_pread64, fd, buf, 1, -1), EINVAL);
	CHECK_ERR(sys4(SYS_pread64, BAD_FD, buf, 1, 0), EBADF);
	CHECK_ERR(sys4(SYS_pread64, fd, KERNEL_ADDR, 1, 0), EFAULT);
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0);
	CHECK_ERR(sys4(SYS_pread64, p[0], buf, 1, 0), ESPIPE);
	CHECK_ERR(sys4(SYS_pwrite64, p[1], "x", 1, 0), ESPIPE);
	CHECK_ERR(sys5(SYS_preadv, p[0], iov, 1, 0, 0), ESPIPE);
	sys_close(p[0]);
	sys_close(p[1]);
	sys_close((int)fd);
	sys1(SYS_unlink, T "pio");
}

static void
t_sendfile(void)
{
	char buf[64];
	long in, out, off = 48;
	int p[2];

	tmp_ready();
	CHECK_OK(in, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0);
	CHECK_EQ(sys4(SYS_sendfile, p[1], in, &off, 10), 10);
	CHECK_EQ(off, 58);
	CHECK_EQ(sys_lseek((int)in, 0, SEEK_CUR), 0);	/* the file's offset stayed */
	CHECK_EQ(sys_read(p[0], buf, 64), 10);
	CHECK_EQ(ut_data_mismatch(buf, 48, 10), -1);
	CHECK_EQ(sys4(SYS_sendfile, p[1], in, 0, 5), 5);	/* from the file's offset */
	CHECK_EQ(sys_lseek((int)in, 0, SEEK_CUR), 5);
	CHECK_EQ(sys_read(p[0], buf, 64), 5);
	CHECK_EQ(ut_data_mismatch(buf, 0, 5), -1);
	CHECK_EQ(sys4(SYS_sendfile, p[1], in, 0, 0), 0);
	off = DATA_SIZE - 3;
	CHECK_EQ(sys4(SYS_sendfile, p[1], in, &off, 100), 3);	/* to the end */
	CHECK_EQ(sys4(SYS_sendfile, p[1], in, &off, 100), 0);
	CHECK_EQ(sys_read(p[0], buf, 64), 3);
	/* Into a file; from a pipe (no splice_read), into an O_APPEND file: EINVAL. */
	CHECK_OK(out, mkfile(T "sf", 0));
	off = 0;
	CHECK_EQ(sys4(SYS_sendfile, out, in, &off, 20), 20);
	CHECK_EQ(sys4(SYS_pread64, out, buf, 64, 0), 20);
	CHECK_EQ(ut_data_mismatch(buf, 0, 20), -1);
	CHECK_ERR(sys4(SYS_sendfile, out, p[0], 0, 1), EINVAL);
	sys_close((int)out);
	CHECK_OK(out, sys_open(T "sf", O_WRONLY | O_APPEND));
	CHECK_ERR(sys4(SYS_sendfile, out, in, 0, 1), EINVAL);
	sys_close((int)out);
	CHECK_ERR(sys4(SYS_sendfile, p[1], in, KERNEL_ADDR, 1), EFAULT);
	CHECK_ERR(sys4(SYS_sendfile, p[1], BAD_FD, 0, 1), EBADF);
	CHECK_ERR(sys4(SYS_sendfile, BAD_FD, in, 0, 1), EBADF);
	CHECK_ERR(sys4(SYS_sendfile, p[0], in, 0, 1), EBADF);	/* the read end */
	off = 0;
	CHECK_ERR(sys4(SYS_sendfile, p[1], p[0], &off, 1), ESPIPE);
	sys_close(p[0]);
	sys_close(p[1]);
	sys_close((int)in);
	sys1(SYS_unlink, T "sf");
}

static void
t_sync(void)
{
	int p[2];
	long fd;

	tmp_ready();
	CHECK_OK(fd, mkfile(T "sync", "x"));
	CHECK_EQ(sys1(SYS_fsync, fd), 0);
	CHECK_EQ(sys1(SYS_fdatasync, fd), 0);
	CHECK_EQ(sys1(SYS_syncfs, fd), 0);
	sys_close((int)fd);
	CHECK_OK(fd, sys_open("/tmp", O_RDONLY | O_DIRECTORY));
	CHECK_EQ(sys1(SYS_fsync, fd), 0);
	sys_close((int)fd);
	CHECK_EQ(sys0(SYS_sync), 0);
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0);
	CHECK_ERR(sys1(SYS_fsync, p[0]), EINVAL);
	CHECK_ERR(sys1(SYS_fdatasync, p[1]), EINVAL);
	CHECK_EQ(sys1(SYS_syncfs, p[0]), 0);
	sys_close(p[0]);
	sys_close(p[1]);
	CHECK_ERR(sys1(SYS_fsync, BAD_FD), EBADF);
	CHECK_ERR(sys1(SYS_syncfs, BAD_FD), EBADF);
	sys1(SYS_unlink, T "sync");
}

static void
t_faccessat2(void)
{
	long fd;

	tmp_ready();
	sys1(SYS_unlink, T "dang");
	CHECK_EQ(sys2(SYS_symlink, "fs_nowhere", T "dang"), 0);
	CHECK_EQ(sys4(SYS_faccessat2, AT_FDCWD, DATA_PATH, R_OK, 0), 0);
	CHECK_ERR(sys4(SYS_faccessat2, AT_FDCWD, T "dang", F_OK, 0), ENOENT);
	CHECK_EQ(sys4(SYS_faccessat2, AT_FDCWD, T "dang", F_OK, AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ(sys4(SYS_faccessat2, AT_FDCWD, DATA_PATH, R_OK, AT_EACCESS), 0);
	CHECK_ERR(sys4(SYS_faccessat2, AT_FDCWD, DATA_PATH, X_OK, 0), EACCES);
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys4(SYS_faccessat2, fd, "", R_OK, AT_EMPTY_PATH), 0);
	CHECK_ERR(sys4(SYS_faccessat2, fd, "", R_OK, 0), ENOENT);
	sys_close((int)fd);
	CHECK_ERR(sys4(SYS_faccessat2, AT_FDCWD, DATA_PATH, R_OK, 0x8000), EINVAL);
	CHECK_ERR(sys4(SYS_faccessat2, AT_FDCWD, DATA_PATH, 8, 0), EINVAL);
	CHECK_ERR(sys4(SYS_faccessat2, AT_FDCWD, KERNEL_ADDR, R_OK, 0), EFAULT);
	sys1(SYS_unlink, T "dang");
}

/* Linux 6.1's tmpfs keeps no user.* attributes: EOPNOTSUPP after the VFS's own checks. */
static void
t_xattr(void)
{
	char name[300], buf[16];
	long fd;

	tmp_ready();
	CHECK_OK(fd, mkfile(T "xa", "x"));
	CHECK_ERR(sys5(SYS_setxattr, T "xa", "user.k", "v", 1, 0), EOPNOTSUPP);
	CHECK_ERR(sys4(SYS_getxattr, T "xa", "user.k", buf, sizeof(buf)), EOPNOTSUPP);
	CHECK_ERR(sys2(SYS_removexattr, T "xa", "user.k"), EOPNOTSUPP);
	CHECK_EQ(sys3(SYS_listxattr, T "xa", buf, sizeof(buf)), 0);
	CHECK_EQ(sys3(SYS_flistxattr, fd, 0, 0), 0);
	CHECK_ERR(sys5(SYS_fsetxattr, fd, "user.k", "v", 1, 0), EOPNOTSUPP);
	CHECK_ERR(sys4(SYS_fgetxattr, fd, "user.k", buf, sizeof(buf)), EOPNOTSUPP);
	CHECK_ERR(sys2(SYS_fremovexattr, fd, "user.k"), EOPNOTSUPP);
	/* The checks before: flags, the name's length, the value's size, the pointers. */
	CHECK_ERR(sys5(SYS_setxattr, T "xa", "user.k", "v", 1, 4), EINVAL);
	CHECK_ERR(sys5(SYS_setxattr, T "xa", "", "v", 1, 0), ERANGE);
	memset(name, 'a', sizeof(name));
	memcpy(name, "user.", 5);
	name[256] = 0;
	CHECK_ERR(sys4(SYS_getxattr, T "xa", name, buf, sizeof(buf)), ERANGE);
	CHECK_ERR(sys5(SYS_setxattr, T "xa", "user.k", buf, 65537, 0), E2BIG);
	CHECK_ERR(sys5(SYS_setxattr, T "xa", "user.k", KERNEL_ADDR, 1, 0), EFAULT);
	CHECK_ERR(sys4(SYS_getxattr, T "xa", KERNEL_ADDR, buf, 1), EFAULT);
	CHECK_ERR(sys4(SYS_getxattr, T "none", "user.k", buf, 1), ENOENT);
	CHECK_ERR(sys4(SYS_fgetxattr, BAD_FD, "user.k", buf, 1), EBADF);
	/* user.* on a symlink itself: EPERM to set, ENODATA to read. */
	sys1(SYS_unlink, T "xl");
	CHECK_EQ(sys2(SYS_symlink, "fs_xa", T "xl"), 0);
	CHECK_ERR(sys5(SYS_lsetxattr, T "xl", "user.k", "v", 1, 0), EPERM);
	CHECK_ERR(sys4(SYS_lgetxattr, T "xl", "user.k", buf, sizeof(buf)), ENODATA);
	CHECK_ERR(sys2(SYS_lremovexattr, T "xl", "user.k"), EPERM);
	CHECK_EQ(sys3(SYS_llistxattr, T "xl", buf, sizeof(buf)), 0);
	sys_close((int)fd);
	sys1(SYS_unlink, T "xl");
	sys1(SYS_unlink, T "xa");
}

/* ---- descriptors up to RLIMIT_NOFILE ---- */

static void
c_fd_limit(void *arg)
{
	struct { unsigned long cur, max; } r, old;
	long fd, k, n = 0;
	int status;

	(void)arg;
	CCHECK_EQ(sys2(SYS_getrlimit, 7, &old), 0);
	CCHECK(old.cur == 1024 && old.max == 4096, "RLIMIT_NOFILE %lu/%lu, want 1024/4096",
	    old.cur, old.max);
	CCHECK_EQ(sys2(SYS_dup2, 0, 255), 255);			/* bash's */
	CCHECK_EQ(sys2(SYS_dup2, 0, 1023), 1023);
	CCHECK_EQ(sys2(SYS_dup2, 0, 1024), -EBADF);
	CCHECK_EQ(sys3(SYS_fcntl, 0, F_DUPFD, 1000), 1000);
	CCHECK_EQ(sys3(SYS_fcntl, 0, F_DUPFD, 1024), -EINVAL);
	CCHECK_EQ(sys3(SYS_fcntl, 1023, F_GETFD, 0), 0);
	CCHECK_EQ(sys3(SYS_fcntl, 0, F_DUPFD_CLOEXEC, 500), 500);
	CCHECK_EQ(sys3(SYS_fcntl, 500, F_GETFD, 0), FD_CLOEXEC);
	/* A child has them too. */
	k = sys_fork();
	if (k == 0)
		sys_exit_group(sys_write(1023, "", 0) == 0 && sys3(SYS_fcntl, 1000, F_GETFD, 0) == 0 ?
		    0 : 1);
	CCHECK(k > 0 && sys_wait4(k, &status, 0) == k && status == 0, "the child lacks fd 1023");
	/* Raised to the hard limit: 4095 is the last. */
	r.cur = r.max = 4096;
	CCHECK_EQ(sys2(SYS_setrlimit, 7, &r), 0);
	CCHECK_EQ(sys2(SYS_dup2, 0, 4095), 4095);
	CCHECK_EQ(sys2(SYS_dup2, 0, 4096), -EBADF);
	CCHECK_EQ(sys_close(4095), 0);
	/* Lowered: open stops at it with EMFILE. */
	r.cur = 300;
	CCHECK_EQ(sys2(SYS_setrlimit, 7, &r), 0);
	while ((fd = sys_open(DATA_PATH, O_RDONLY)) >= 0)
		n++;
	CCHECK_EQ(fd, -EMFILE);
	CCHECK(n > 250 && n < 300, "%ld opens below a limit of 300", n);
}

static void
t_fd_limit(void)
{
	CHECK_EXIT(c_fd_limit, 0, 0);
}

/* ---- mount, umount2, /proc/mounts ---- */

/* The text of /proc/mounts into buf (NUL-terminated): its length, or -errno. */
static long
read_mounts(char *buf, long size)
{
	long fd = sys_open("/proc/mounts", O_RDONLY), n = 0, k;

	if (fd < 0)
		return fd;
	while (n < size - 1 && (k = sys_read((int)fd, buf + n, size - 1 - n)) > 0)
		n += k;
	buf[n] = 0;
	sys_close((int)fd);
	return n;
}

static void
t_mount_tmpfs(void)
{
	static char text[8192];
	struct kst a, b;
	struct kstatfs sf;
	long fd;

	tmp_ready();
	if (sys2(SYS_access, "/proc/self/stat", F_OK) != 0) {
		sys2(SYS_mkdir, "/proc", 0555);
		sys5(SYS_mount, "proc", "/proc", "proc", 0, 0);
	}
	CHECK(read_mounts(text, sizeof(text)) > 0, "no /proc/mounts");
	CHECK(strstr(text, " /proc proc rw") != 0, "/proc/mounts lacks /proc:\n%s", text);
	sys2(SYS_mkdir, T "mnt", 0755);
	CHECK_EQ(sys5(SYS_mount, "fsnone", T "mnt", "tmpfs", 0, "mode=755"), 0);
	CHECK(read_mounts(text, sizeof(text)) > 0, "no /proc/mounts");
	CHECK(strstr(text, "fsnone " T "mnt tmpfs rw,relatime,mode=755,inode64 0 0\n") != 0,
	    "/proc/mounts lacks the tmpfs:\n%s", text);
	CHECK_EQ(st(T "mnt", &a), 0);
	CHECK_EQ(a.mode, S_IFDIR | 0755);
	CHECK_EQ(st("/tmp", &b), 0);
	CHECK(a.dev != b.dev, "the tmpfs has /tmp's device %lx", a.dev);
	CHECK_EQ(sys2(SYS_statfs, T "mnt", &sf), 0);
	CHECK_EQ(sf.type, TMPFS_MAGIC);
	CHECK_OK(fd, mkfile(T "mnt/f", "in the tmpfs"));
	CHECK_ERR(sys2(SYS_link, T "mnt/f", T "outside"), EXDEV);
	CHECK_ERR(sys2(SYS_rename, T "mnt/f", T "outside"), EXDEV);
	CHECK_ERR(sys2(SYS_umount2, T "mnt", 0), EBUSY);	/* a file open in it */
	sys_close((int)fd);
	CHECK_EQ(sys1(SYS_chdir, T "mnt"), 0);
	CHECK_ERR(sys2(SYS_umount2, T "mnt", 0), EBUSY);	/* the working directory */
	CHECK_EQ(sys1(SYS_chdir, "/"), 0);
	CHECK_ERR(sys2(SYS_umount2, T "mnt/f", 0), EINVAL);	/* not a mount's root */
	CHECK_EQ(sys2(SYS_umount2, T "mnt", 0), 0);
	CHECK_ERR(st(T "mnt/f", &a), ENOENT);			/* the directory again */
	CHECK(read_mounts(text, sizeof(text)) > 0, "no /proc/mounts");
	CHECK(strstr(text, T "mnt") == 0, "still in /proc/mounts:\n%s", text);
	CHECK_ERR(sys2(SYS_umount2, T "mnt", 0), EINVAL);
	/* nodev: a device node there does not open. */
	CHECK_EQ(sys5(SYS_mount, "fsnone", T "mnt", "tmpfs", MS_NODEV, 0), 0);
	CHECK_EQ(sys3(SYS_mknod, T "mnt/null", S_IFCHR | 0666, makedev(1, 3)), 0);
	CHECK_ERR(sys_open(T "mnt/null", O_RDWR), EACCES);
	CHECK(read_mounts(text, sizeof(text)) > 0, "no /proc/mounts");
	CHECK(strstr(text, T "mnt tmpfs rw,nodev,relatime") != 0, "no nodev:\n%s", text);
	CHECK_EQ(sys2(SYS_umount2, T "mnt", 0), 0);
	CHECK_EQ(sys1(SYS_rmdir, T "mnt"), 0);
}

static void
t_mount_errors(void)
{
	long fd;

	tmp_ready();
	sys2(SYS_mkdir, T "mnt2", 0755);
	CHECK_ERR(sys5(SYS_mount, "x", T "none", "tmpfs", 0, 0), ENOENT);
	CHECK_ERR(sys5(SYS_mount, "x", T "mnt2", "nosuchfs", 0, 0), ENODEV);
	CHECK_ERR(sys5(SYS_mount, "x", T "mnt2", KERNEL_ADDR, 0, 0), EFAULT);
	CHECK_ERR(sys5(SYS_mount, "x", KERNEL_ADDR, "tmpfs", 0, 0), EFAULT);
	CHECK_ERR(sys5(SYS_mount, "x", T "mnt2", "tmpfs", 0, "nosuchoption"), EINVAL);
	CHECK_OK(fd, mkfile(T "file", 0));
	sys_close((int)fd);
	CHECK_ERR(sys5(SYS_mount, "x", T "file", "tmpfs", 0, 0), ENOTDIR);
	CHECK_ERR(sys2(SYS_umount2, T "none", 0), ENOENT);
	CHECK_ERR(sys2(SYS_umount2, T "mnt2", 0), EINVAL);	/* nothing mounted */
	CHECK_ERR(sys2(SYS_umount2, T "mnt2", 0x10), EINVAL);
	CHECK_ERR(sys2(SYS_umount2, KERNEL_ADDR, 0), EFAULT);
	sys1(SYS_unlink, T "file");
	sys1(SYS_rmdir, T "mnt2");
}

const struct utest fs_tests[] = {
	{ "symlink, readlink, lstat, O_NOFOLLOW", t_symlink_basic, 0 },
	{ "symlinks: relative targets, a link to a directory, O_CREAT through a dangling one",
	    t_symlink_relative, 0 },
	{ "symlinks: 40 followed, the 41st and loops ELOOP", t_symlink_loop, 0 },
	{ "link, linkat: one file, nlink, ctime, EEXIST, EPERM on a directory", t_link, 0 },
	{ "link across mounts: EXDEV", t_link_xdev, 0 },
	{ "mkfifo: Linux's open rules (ENXIO, blocking opens meet), ESPIPE", t_fifo, 0 },
	{ "mknod: device nodes by number work as /dev's, EPERM, EINVAL", t_mknod, 0 },
	{ "/dev/console, null, tty, zero: Linux's numbers, distinct inodes", t_dev_nodes, 0 },
	{ "creat truncates and opens write-only", t_creat, 0 },
	{ "chmod, chown: kept, reported, ctime, set-id bits dropped", t_chmod_chown, 0 },
	{ "utimensat, futimens, utimes, utime: UTIME_NOW, UTIME_OMIT, nsec", t_utimensat, 0 },
	{ "times as tmpfs keeps them: create, write, read, truncate, unlink", t_times_kept, 0 },
	{ "statx: basic stats, AT_EMPTY_PATH, a pipe, flags checked", t_statx, 0 },
	{ "statfs, fstatfs: tmpfs, proc, pipefs", t_statfs, 0 },
	{ "pread64, pwrite64, preadv, pwritev: offset kept, ESPIPE on pipes", t_pread_pwrite, 0 },
	{ "sendfile: with and without an offset, EINVAL from a pipe", t_sendfile, 0 },
	{ "fsync, fdatasync, sync, syncfs: tmpfs yes, pipes EINVAL", t_sync, 0 },
	{ "faccessat2: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, flags", t_faccessat2, 0 },
	{ "xattrs answered as tmpfs: EOPNOTSUPP for user.*, none listed", t_xattr, 0 },
	{ "descriptors up to RLIMIT_NOFILE: dup2 to 255 and 1023, 4095 raised", t_fd_limit, 0 },
	{ "mount and umount2 of a tmpfs, /proc/mounts, EBUSY, EXDEV", t_mount_tmpfs, 0 },
	{ "mount and umount2: ENOENT, ENODEV, ENOTDIR, EINVAL, EFAULT", t_mount_errors, 0 },
	{ 0, 0, 0 },
};
