/*
 * h_ptr.c: bad pointers for every pointer argument of every system call
 * keel implements (kernel/syscall.c) but the process calls (h_ptr_proc.c):
 * null, the kernel half, non-canonical addresses, the top of the user
 * half, an unmapped page (h_bad); for what the kernel writes, also a
 * read-only page and the text segment; buffers that straddle the end of a
 * mapping; strings with no NUL before it.
 *
 * Linux's answer is -EFAULT, with nothing done, except where a transfer
 * can stop part way (read(2) of a file returns the bytes it could copy),
 * where null means "none" (rt_sigaction, rt_sigprocmask), or where the
 * pointer is only used later (nanosleep's rem, on an interruption).  The
 * exceptions are spelled out where they are tested.
 *
 * Interface: ptr_tests[] (hostile.h).
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include "hostile.h"

#define TMP_FILE	"/tmp/hostile-ptr"
#define ARCH_GET_FS	0x1003

static const char text_probe[] = "text";

static long
tmp_open(void)
{
	return sys3(SYS_open, TMP_FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
}

/* The lowest free descriptor, found by opening and closing one. */
static long
lowest_fd(void)
{
	long fd = sys_open("/dev/null", O_RDONLY);

	if (fd >= 0)
		sys_close(fd);
	return fd;
}

#define INIT() CHECK(h_bad_init() == 0, "h_bad_init failed")

/* Pointers the kernel must write through, on top of h_bad: read-only memory. */
#define CHECK_RO(expr) do {						\
	unsigned long P = (unsigned long)h_ro;				\
	CHECK_ERR(expr, EFAULT);					\
	P = (unsigned long)text_probe;					\
	CHECK_ERR(expr, EFAULT);					\
} while (0)
#define CHECK_EFAULT_OUT(expr) do {					\
	CHECK_EFAULT(expr);						\
	CHECK_RO(expr);							\
} while (0)
/* The same for an output pointer that may be null. */
#define CHECK_EFAULT_OUT_NN(expr) do {					\
	CHECK_EFAULT_NN(expr);						\
	CHECK_RO(expr);							\
} while (0)

/* ---- read and write ---- */

static void
t_read(void)
{
	char buf[256];
	long fd, z, n;
	int p[2];

	INIT();
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EFAULT_OUT(sys_read(fd, (void *)P, 10));
	/* Nothing was consumed by the failures. */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 0);
	/* The text was not written. */
	CHECK(memcmp(text_probe, "text", 5) == 0, "the kernel wrote the text");

	CHECK_OK(z, sys_open("/dev/zero", O_RDONLY));
	CHECK_EFAULT_OUT(sys_read(z, (void *)P, 10));

	/* /dev/null copies nothing: only an address no user has fails. */
	CHECK_OK(n, sys_open("/dev/null", O_RDONLY));
	CHECK_EQ(sys_read(n, 0, 10), 0);
	CHECK_EQ(sys_read(n, h_guard, 10), 0);
	CHECK_ERR(sys_read(n, (void *)A_KHALF, 10), EFAULT);
	CHECK_ERR(sys_read(n, (void *)A_NONCANON_LO, 10), EFAULT);

	CHECK_EQ(sys2(SYS_pipe2, p, O_NONBLOCK), 0);
	CHECK_EQ(sys_write(p[1], "0123456789", 10), 10);
	CHECK_EFAULT_OUT(sys_read(p[0], (void *)P, 10));
	/* The data is still all there. */
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), 10);
	CHECK(memcmp(buf, "0123456789", 10) == 0, "pipe: wrong data");
}

static void
t_write(void)
{
	char buf[64];
	long fd, n;
	int p[2];

	INIT();
	CHECK_OK(fd, tmp_open());
	CHECK_EFAULT(sys_write(fd, (void *)P, 10));
	CHECK_EQ(sys_lseek(fd, 0, SEEK_END), 0);	/* nothing was written */

	CHECK_EQ(sys2(SYS_pipe2, p, O_NONBLOCK), 0);
	CHECK_EFAULT(sys_write(p[1], (void *)P, 10));
	CHECK_ERR(sys_read(p[0], buf, sizeof buf), EAGAIN);	/* still empty */

	/* The console: nothing is printed for a bad buffer. */
	CHECK_EFAULT(sys_write(1, (void *)P, 10));
	CHECK_ERR(sys_write(1, h_guard - 3, 10), EFAULT);

	/* /dev/null reads nothing: only an address no user has fails. */
	CHECK_OK(n, sys_open("/dev/null", O_WRONLY));
	CHECK_EQ(sys_write(n, 0, 10), 10);
	CHECK_EQ(sys_write(n, h_guard, 10), 10);
	CHECK_ERR(sys_write(n, (void *)A_KHALF, 10), EFAULT);
	CHECK_ERR(sys_write(n, (void *)A_NONCANON_HI, 10), EFAULT);
}

/*
 * A range that reaches past the user half: Linux refuses the whole call
 * (access_ok(buf, count) in vfs_read and vfs_write) before it looks at
 * the file: -EFAULT with nothing transferred, even for a count of 0 at a
 * kernel address.  The buffers end at h_guard, so a kernel that copies
 * anyway copies 16 bytes and stops.
 */
static void
t_read_range(void)
{
	char *buf;
	long fd;

	INIT();
	buf = h_guard - 16;
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_ERR(sys_read(fd, buf, 0x7fffffffffffUL), EFAULT);
	CHECK_ERR(sys_read(fd, buf, -1UL), EFAULT);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 0);
	CHECK_ERR(sys_read(fd, (void *)A_KHALF, 0), EFAULT);
	CHECK_ERR(sys_read(fd, (void *)A_NONCANON_LO, 0), EFAULT);
	/* access_ok's bound is inclusive for an empty range: at the top, not past it. */
	CHECK_EQ(sys_read(fd, (void *)A_USER_TOP, 0), 0);
	CHECK_ERR(sys_read(fd, (void *)(A_USER_TOP + 1), 0), EFAULT);
	CHECK_ERR(sys_read(fd, (void *)(A_USER_TOP - 1), 2), EFAULT);
}

static void
t_write_range(void)
{
	char *buf, tmp[64];
	long fd, n;
	int p[2];

	INIT();
	buf = h_guard - 16;
	CHECK_OK(fd, tmp_open());
	CHECK_ERR(sys_write(fd, buf, -1UL), EFAULT);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_END), 0);
	CHECK_ERR(sys_write(fd, (void *)A_KHALF, 0), EFAULT);
	CHECK_EQ(sys_write(fd, (void *)A_USER_TOP, 0), 0);
	CHECK_ERR(sys_write(fd, (void *)(A_USER_TOP + 1), 0), EFAULT);
	CHECK_OK(n, sys_open("/dev/null", O_WRONLY));
	CHECK_ERR(sys_write(n, buf, 0x7fffffffffffUL), EFAULT);
	CHECK_ERR(sys_write(n, (void *)A_KHALF, 0), EFAULT);
	CHECK_EQ(sys2(SYS_pipe2, p, O_NONBLOCK), 0);
	CHECK_ERR(sys_write(p[1], buf, -1UL), EFAULT);
	CHECK_ERR(sys_read(p[0], tmp, sizeof tmp), EAGAIN);
}

/*
 * Buffers that run into the hole.  A file read returns the bytes that fit
 * (filemap_read), and so does /dev/zero (read_iter_zero); a file write
 * takes the bytes before the hole (generic_perform_write).
 */
static void
t_straddle_file(void)
{
	long fd, z;

	INIT();
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys_read(fd, h_guard - 100, 200), 100);
	CHECK(memcmp(h_guard - 100, "00: the quick", 13) == 0, "wrong data");
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 100);
	CHECK_OK(z, sys_open("/dev/zero", O_RDONLY));
	CHECK_EQ(sys_read(z, h_guard - 10, 100), 10);
	CHECK_OK(fd, tmp_open());
	memset(h_guard - 100, 'x', 100);
	CHECK_EQ(sys_write(fd, h_guard - 100, 200), 100);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_END), 100);
}

/*
 * A pipe moves whole pages: a write whose first page is complete keeps
 * it, one that faults within its first page fails with nothing written
 * (pipe_write); a read that cannot copy what a page holds fails without
 * consuming it (pipe_read).
 */
static void
t_straddle_pipe_write(void)
{
	char buf[PGSIZE];
	int p[2];

	INIT();
	CHECK_EQ(sys2(SYS_pipe2, p, O_NONBLOCK), 0);
	CHECK_ERR(sys_write(p[1], h_guard - 100, 200), EFAULT);
	CHECK_ERR(sys_read(p[0], buf, sizeof buf), EAGAIN);
	memset(h_guard - PGSIZE, 'y', PGSIZE);
	CHECK_EQ(sys_write(p[1], h_guard - PGSIZE, PGSIZE + 100), PGSIZE);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), PGSIZE);
}

static void
t_straddle_pipe_read(void)
{
	static char page[PGSIZE];
	char buf[PGSIZE];
	int p[2];

	INIT();
	CHECK_EQ(sys2(SYS_pipe2, p, O_NONBLOCK), 0);
	memset(page, 'z', sizeof page);
	/* Two pages queued, one page mapped: the first page comes. */
	CHECK_EQ(sys_write(p[1], page, PGSIZE), PGSIZE);
	CHECK_EQ(sys_write(p[1], page, PGSIZE), PGSIZE);
	CHECK_EQ(sys_read(p[0], h_guard - PGSIZE, 2 * PGSIZE), PGSIZE);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), PGSIZE);
	/* 200 queued bytes into 100 mapped ones. */
	CHECK_EQ(sys_write(p[1], page, 200), 200);
	CHECK_ERR(sys_read(p[0], h_guard - 100, 200), EFAULT);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), 200);
}

static void
t_readv_writev(void)
{
	struct iovec iov[2];
	char a[8];
	long fd, out;

	INIT();
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EFAULT(sys3(SYS_readv, fd, P, 1));
	iov[0] = (struct iovec){ a, sizeof a };
	iov[1] = (struct iovec){ a, sizeof a };
	CHECK_EFAULT((iov[0].iov_base = (void *)P, sys3(SYS_readv, fd, iov, 1)));
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 0);
	/* The iovec array itself straddles into the hole. */
	((struct iovec *)(h_guard - 8))[-1] = (struct iovec){ a, sizeof a };
	CHECK_ERR(sys3(SYS_readv, fd, h_guard - 8, 1), EFAULT);

	CHECK_OK(out, tmp_open());
	CHECK_EFAULT(sys3(SYS_writev, out, P, 1));
	iov[0] = (struct iovec){ "good", 4 };
	CHECK_EFAULT((iov[0].iov_base = (void *)P, sys3(SYS_writev, out, iov, 1)));
	CHECK_EQ(sys_lseek(out, 0, SEEK_END), 0);
}

/*
 * A kernel address in a later iovec: Linux checks every iovec before any
 * transfer (import_iovec): -EFAULT, nothing read or written.
 */
static void
t_iovec_later(void)
{
	struct iovec iov[2];
	char buf[64];
	long fd, out;
	int p[2];

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_OK(out, tmp_open());
	iov[0] = (struct iovec){ "good", 4 };
	iov[1] = (struct iovec){ (void *)A_KHALF, 4 };
	CHECK_ERR(sys3(SYS_writev, out, iov, 2), EFAULT);
	CHECK_EQ(sys_lseek(out, 0, SEEK_END), 0);
	CHECK_EQ(sys2(SYS_pipe2, p, O_NONBLOCK), 0);
	CHECK_ERR(sys3(SYS_writev, p[1], iov, 2), EFAULT);
	CHECK_ERR(sys_read(p[0], buf, sizeof buf), EAGAIN);
	iov[0] = (struct iovec){ buf, 4 };
	CHECK_ERR(sys3(SYS_readv, fd, iov, 2), EFAULT);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 0);
	/* A negative length anywhere comes before a bad address (iovec_from_user). */
	iov[0] = (struct iovec){ (void *)A_KHALF, 4 };
	iov[1] = (struct iovec){ buf, -1UL };
	CHECK_ERR(sys3(SYS_readv, fd, iov, 2), EINVAL);
	CHECK_ERR(sys3(SYS_writev, out, iov, 2), EINVAL);
}

/* ---- paths ---- */

/* Every path-taking call with the path p: the result of each must be want. */
#define CHECK_PATHS(p, want) do {					\
	CHECK_ERR(sys_open((p), O_RDONLY), want);			\
	CHECK_ERR(sys3(SYS_open, (p), O_RDWR | O_CREAT, 0644), want);	\
	CHECK_ERR(sys4(SYS_openat, AT_FDCWD, (p), O_RDONLY, 0), want);	\
	CHECK_ERR(sys2(SYS_stat, (p), &st), want);			\
	CHECK_ERR(sys2(SYS_lstat, (p), &st), want);			\
	CHECK_ERR(sys4(SYS_newfstatat, AT_FDCWD, (p), &st, 0), want);	\
	CHECK_ERR(sys2(SYS_access, (p), F_OK), want);			\
	CHECK_ERR(sys3(SYS_faccessat, AT_FDCWD, (p), F_OK), want);	\
	CHECK_ERR(sys1(SYS_chdir, (p)), want);				\
	CHECK_ERR(sys2(SYS_mkdir, (p), 0755), want);			\
	CHECK_ERR(sys3(SYS_mkdirat, AT_FDCWD, (p), 0755), want);	\
	CHECK_ERR(sys1(SYS_rmdir, (p)), want);				\
	CHECK_ERR(sys1(SYS_unlink, (p)), want);				\
	CHECK_ERR(sys3(SYS_unlinkat, AT_FDCWD, (p), 0), want);		\
	CHECK_ERR(sys3(SYS_unlinkat, AT_FDCWD, (p), AT_REMOVEDIR), want); \
	CHECK_ERR(sys2(SYS_rename, (p), "/tmp/hostile-x"), want);	\
	CHECK_ERR(sys2(SYS_rename, DATA_PATH, (p)), want);		\
	CHECK_ERR(sys4(SYS_renameat, AT_FDCWD, (p), AT_FDCWD, "/tmp/hostile-x"), want); \
	CHECK_ERR(sys4(SYS_renameat, AT_FDCWD, DATA_PATH, AT_FDCWD, (p)), want); \
	CHECK_ERR(sys3(SYS_readlink, (p), buf, sizeof buf), want);	\
	CHECK_ERR(sys4(SYS_readlinkat, AT_FDCWD, (p), buf, sizeof buf), want); \
	CHECK_ERR(sys2(SYS_truncate, (p), 0), want);			\
	CHECK_NEW_PATHS(p, want);					\
} while (0)

/* The path calls of issue 13's files slice: links, nodes, modes, times, stat's kin, mount. */
#define CHECK_NEW_PATHS(p, want) do {					\
	CHECK_ERR(sys2(SYS_symlink, (p), "/tmp/hostile-l"), want);	\
	CHECK_ERR(sys2(SYS_symlink, DATA_PATH, (p)), want);		\
	CHECK_ERR(sys3(SYS_symlinkat, DATA_PATH, AT_FDCWD, (p)), want);	\
	CHECK_ERR(sys2(SYS_link, (p), "/tmp/hostile-l"), want);		\
	CHECK_ERR(sys2(SYS_link, DATA_PATH, (p)), want);		\
	CHECK_ERR(sys5(SYS_linkat, AT_FDCWD, DATA_PATH, AT_FDCWD, (p), 0), want); \
	CHECK_ERR(sys3(SYS_mknod, (p), S_IFIFO | 0644, 0), want);	\
	CHECK_ERR(sys4(SYS_mknodat, AT_FDCWD, (p), S_IFIFO | 0644, 0), want); \
	CHECK_ERR(sys2(SYS_creat, (p), 0644), want);			\
	CHECK_ERR(sys2(SYS_chmod, (p), 0644), want);			\
	CHECK_ERR(sys3(SYS_fchmodat, AT_FDCWD, (p), 0644), want);	\
	CHECK_ERR(sys3(SYS_chown, (p), 0, 0), want);			\
	CHECK_ERR(sys3(SYS_lchown, (p), 0, 0), want);			\
	CHECK_ERR(sys5(SYS_fchownat, AT_FDCWD, (p), 0, 0, 0), want);	\
	CHECK_ERR(sys4(SYS_utimensat, AT_FDCWD, (p), 0, 0), want);	\
	CHECK_ERR(sys2(SYS_utimes, (p), 0), want);			\
	CHECK_ERR(sys5(SYS_statx, AT_FDCWD, (p), 0, 0x7ff, buf256), want); \
	CHECK_ERR(sys2(SYS_statfs, (p), buf256), want);			\
	CHECK_ERR(sys4(SYS_faccessat2, AT_FDCWD, (p), F_OK, 0), want);	\
	CHECK_ERR(sys4(SYS_getxattr, (p), "user.x", buf, sizeof buf), want); \
	CHECK_ERR(sys5(SYS_setxattr, (p), "user.x", "v", 1, 0), want);	\
	CHECK_ERR(sys3(SYS_listxattr, (p), buf, sizeof buf), want);	\
	CHECK_ERR(sys2(SYS_removexattr, (p), "user.x"), want);		\
	CHECK_ERR(sys5(SYS_mount, "none", (p), "tmpfs", 0, 0), want);	\
	CHECK_ERR(sys2(SYS_umount2, (p), 0), want);			\
} while (0)

#ifndef SYS_faccessat2
#define SYS_faccessat2	439
#endif

static void
t_paths(void)
{
	struct stat st;
	char buf[64];
	static char buf256[256];	/* statx, statfs: never reached */
	char *s;

	INIT();
	for (int k = 0; k < H_NBAD; k++) {
		const char *p = (const char *)h_bad[k];

		CHECK_PATHS(p, EFAULT);
	}
	s = h_unterminated();
	CHECK_PATHS(s, EFAULT);
	/* The same path with its NUL as the last mapped byte is fine. */
	CHECK_EQ(sys2(SYS_stat, h_at_end(DATA_PATH), &st), 0);
	CHECK_ERR(sys_open(h_at_end("/no/such/file"), O_RDONLY), ENOENT);
	/* Still nothing was renamed or removed. */
	CHECK_EQ(sys2(SYS_stat, DATA_PATH, &st), 0);
}

/* Paths too long: PATH_MAX (4096, NUL included) and NAME_MAX (255). */
static void
t_long_paths(void)
{
	static char path[8192];
	struct stat st;

	memset(path, 'a', sizeof path - 1);
	path[0] = '/';
	CHECK_ERR(sys2(SYS_stat, path, &st), ENAMETOOLONG);
	CHECK_ERR(sys_open(path, O_RDONLY), ENAMETOOLONG);
	path[4096] = '\0';	/* 4096 characters: one too many */
	CHECK_ERR(sys2(SYS_stat, path, &st), ENAMETOOLONG);
	/* A 256-character name in /tmp. */
	memcpy(path, "/tmp/", 5);
	path[5 + 256] = '\0';
	CHECK_ERR(sys3(SYS_open, path, O_RDWR | O_CREAT, 0644), ENAMETOOLONG);
	CHECK_ERR(sys2(SYS_mkdir, path, 0755), ENAMETOOLONG);
}

/* ---- what the kernel writes: stat, pipe, uname, ... ---- */

static void
t_stat_out(void)
{
	long fd;

	INIT();
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EFAULT_OUT(sys2(SYS_stat, DATA_PATH, P));
	CHECK_EFAULT_OUT(sys2(SYS_lstat, DATA_PATH, P));
	CHECK_EFAULT_OUT(sys2(SYS_fstat, fd, P));
	CHECK_EFAULT_OUT(sys2(SYS_fstat, 1, P));
	CHECK_EFAULT_OUT(sys4(SYS_newfstatat, AT_FDCWD, DATA_PATH, P, 0));
	CHECK_EFAULT_OUT(sys4(SYS_newfstatat, fd, "", P, AT_EMPTY_PATH));
	CHECK_ERR(sys2(SYS_fstat, fd, h_guard - 8), EFAULT);
	CHECK_ERR(sys2(SYS_stat, DATA_PATH, h_guard - 100), EFAULT);
}

static void
t_pipe_out(void)
{
	long low;

	INIT();
	CHECK_OK(low, lowest_fd());
	CHECK_EFAULT_OUT(sys1(SYS_pipe, P));
	CHECK_EFAULT_OUT(sys2(SYS_pipe2, P, 0));
	CHECK_EFAULT_OUT(sys2(SYS_pipe2, P, O_CLOEXEC | O_NONBLOCK));
	/* Room for one descriptor only. */
	CHECK_ERR(sys1(SYS_pipe, h_guard - 4), EFAULT);
	/* No descriptor was left open by the failures. */
	CHECK_EQ(lowest_fd(), low);
}

/* mincore's vector: bad, read-only, or with room for two of three bytes. */
static void
t_mincore_out(void)
{
	long p;

	INIT();
	CHECK_OK(p, sys_mmap(0, 3 * PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0));
	*(volatile char *)p = 1;
	CHECK_EFAULT_OUT(sys3(SYS_mincore, p, 3 * PGSIZE, P));
	CHECK_ERR(sys3(SYS_mincore, p, 3 * PGSIZE, h_guard - 2), EFAULT);
	CHECK_EQ(sys3(SYS_mincore, p, 3 * PGSIZE, h_guard - 3), 0);
	CHECK(h_guard[-3] == 1 && h_guard[-2] == 0 && h_guard[-1] == 0, "wrong vector");
	sys_munmap((void *)p, 3 * PGSIZE);
}

static void
t_misc_out(void)
{
	long fd;

	INIT();
	CHECK_EFAULT_OUT(sys1(SYS_uname, P));
	CHECK_ERR(sys1(SYS_uname, h_guard - 100), EFAULT);
	CHECK_EFAULT_OUT(sys1(SYS_sysinfo, P));
	CHECK_ERR(sys1(SYS_sysinfo, h_guard - 8), EFAULT);
	CHECK_EFAULT_OUT(sys2(SYS_clock_gettime, CLOCK_MONOTONIC, P));
	CHECK_EFAULT_OUT(sys2(SYS_clock_gettime, CLOCK_REALTIME, P));
	CHECK_ERR(sys2(SYS_clock_gettime, CLOCK_MONOTONIC, h_guard - 8), EFAULT);
	CHECK_EFAULT_OUT(sys2(SYS_arch_prctl, ARCH_GET_FS, P));
	CHECK_EFAULT_OUT(sys2(SYS_getcwd, P, 4096));
	CHECK_EQ(sys1(SYS_chdir, "/test"), 0);
	CHECK_ERR(sys2(SYS_getcwd, h_guard - 3, 100), EFAULT);
	CHECK_OK(fd, sys_open("/test", O_RDONLY | O_DIRECTORY));
	CHECK_EFAULT_OUT(sys3(SYS_getdents64, fd, P, 4096));
	/* Nothing was consumed: "." still comes first. */
	{
		static char d[4096];

		CHECK(sys3(SYS_getdents64, fd, d, sizeof d) > 0 && strcmp(d + 19, ".") == 0,
		    "getdents64 after the failures does not start with \".\"");
	}
}

/*
 * getdents64 into a buffer that ends in the hole: Linux returns the
 * entries that fit before the one that faults (filldir64 stops, the count
 * so far is returned), and the next call goes on from there.  An entry
 * "fits" when its header and name do: filldir64 never writes the up to 7
 * bytes of padding after the name, so the count may end up to 7 bytes
 * past the hole's start.
 */
static void
t_getdents_straddle(void)
{
	static char big[8192];
	long fd, n, m;

	INIT();
	CHECK_OK(fd, sys_open("/test", O_RDONLY | O_DIRECTORY));
	/* The count is an unsigned int: 4 GiB is 0, too small for any entry. */
	CHECK_ERR(sys3(SYS_getdents64, fd, big, 1UL << 32), EINVAL);
	CHECK_OK(n, sys3(SYS_getdents64, fd, h_guard - 100, 4096));
	CHECK(n > 0 && n < 100 + 8, "getdents64 into 100 bytes then a hole: %s", ut_rstr(n));
	/* Nothing was lost: the rest comes next, and "." only once. */
	CHECK_OK(m, sys3(SYS_getdents64, fd, big, sizeof big));
	CHECK(m > 0, "nothing after the partial read");
}

static void
t_ioctl(void)
{
	char good[64];

	INIT();
	/* Read back the settings first: a failed set must not change them. */
	CHECK_EQ(sys3(SYS_ioctl, 0, TCGETS, good), 0);
	CHECK_EFAULT_OUT(sys3(SYS_ioctl, 0, TCGETS, P));
	CHECK_EFAULT_OUT(sys3(SYS_ioctl, 1, TIOCGWINSZ, P));
	CHECK_EFAULT_OUT(sys3(SYS_ioctl, 1, FIONREAD, P));
	CHECK_EFAULT(sys3(SYS_ioctl, 0, TCSETS, P));
	CHECK_EFAULT(sys3(SYS_ioctl, 0, TCSETSW, P));
	CHECK_EFAULT(sys3(SYS_ioctl, 1, TIOCSWINSZ, P));
	CHECK_EFAULT(sys3(SYS_ioctl, 1, TIOCSPGRP, P));
	CHECK_ERR(sys3(SYS_ioctl, 0, TCGETS, h_guard - 8), EFAULT);
	CHECK_ERR(sys3(SYS_ioctl, 0, TCSETS, h_guard - 8), EFAULT);
	{
		char now[64];

		CHECK_EQ(sys3(SYS_ioctl, 0, TCGETS, now), 0);
		CHECK(memcmp(good, now, 36) == 0, "termios changed by failed TCSETS");
	}
}

/* ---- signals ---- */

static void
t_signals(void)
{
	struct ksigaction sa = { (unsigned long)SIG_IGN, 0, 0, 0 }, old;
	unsigned long set = 1UL << (SIGUSR2 - 1), cur;

	INIT();
	CHECK_EFAULT_NN(sys4(SYS_rt_sigaction, SIGUSR1, P, 0, 8));
	CHECK_EFAULT_OUT_NN(sys4(SYS_rt_sigaction, SIGUSR1, 0, P, 8));
	CHECK_ERR(sys4(SYS_rt_sigaction, SIGUSR1, h_guard - 8, 0, 8), EFAULT);
	CHECK_ERR(sys4(SYS_rt_sigaction, SIGUSR1, 0, h_guard - 8, 8), EFAULT);
	/* The action was not changed by the failures. */
	CHECK_EQ(sys4(SYS_rt_sigaction, SIGUSR1, 0, &old, 8), 0);
	CHECK_EQ(old.handler, (unsigned long)SIG_DFL);
	/* A good new action and a bad old one: Linux sets it, then fails. */
	CHECK_ERR(sys4(SYS_rt_sigaction, SIGUSR1, &sa, A_KHALF, 8), EFAULT);
	CHECK_EQ(sys4(SYS_rt_sigaction, SIGUSR1, 0, &old, 8), 0);
	CHECK_EQ(old.handler, (unsigned long)SIG_IGN);

	CHECK_EFAULT_NN(sys4(SYS_rt_sigprocmask, SIG_BLOCK, P, 0, 8));
	CHECK_EFAULT_OUT_NN(sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, P, 8));
	CHECK_ERR(sys4(SYS_rt_sigprocmask, SIG_SETMASK, h_guard - 4, 0, 8), EFAULT);
	CHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, &cur, 8), 0);
	CHECK_EQ(cur, 0);
	/* A good set with a bad old set: the mask changes, then -EFAULT. */
	CHECK_ERR(sys4(SYS_rt_sigprocmask, SIG_BLOCK, &set, A_KHALF, 8), EFAULT);
	CHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, &cur, 8), 0);
	CHECK_EQ(cur, set);

	CHECK_EFAULT_OUT(sys2(SYS_rt_sigpending, P, 8));
	/* rt_sigsuspend must fail at once, not sleep. */
	CHECK_EFAULT(sys2(SYS_rt_sigsuspend, P, 8));
	CHECK_ERR(sys2(SYS_rt_sigsuspend, h_guard - 4, 8), EFAULT);
}

static void
t_nanosleep(void)
{
	struct timespec ts = { 0, 1000 };

	INIT();
	CHECK_EFAULT(sys2(SYS_nanosleep, P, 0));
	CHECK_ERR(sys2(SYS_nanosleep, h_guard - 8, 0), EFAULT);
	/* rem is written only when a signal interrupts the sleep. */
	for (int k = 0; k < H_NBAD; k++)
		CHECK_EQ(sys2(SYS_nanosleep, &ts, h_bad[k]), 0);
}

/* The new file calls' output and input buffers, and symlink loops. */
static void
t_files_bufs(void)
{
	struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };
	long fd, off = 0;
	int p[2];

	INIT();
	sys2(SYS_mkdir, "/tmp", 01777);
	sys1(SYS_unlink, "/tmp/hostile-sl");
	CHECK_EQ(sys2(SYS_symlink, DATA_PATH, "/tmp/hostile-sl"), 0);
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0);
	for (int k = 0; k < H_NBAD; k++) {
		unsigned long b = h_bad[k];

		CHECK_ERR(sys3(SYS_readlink, "/tmp/hostile-sl", b, 64), EFAULT);
		CHECK_ERR(sys5(SYS_statx, AT_FDCWD, DATA_PATH, 0, 0x7ff, b), EFAULT);
		CHECK_ERR(sys2(SYS_statfs, DATA_PATH, b), EFAULT);
		CHECK_ERR(sys2(SYS_fstatfs, fd, b), EFAULT);
		CHECK_ERR(sys4(SYS_pread64, fd, b, 16, 0), EFAULT);
		CHECK_ERR(sys5(SYS_preadv, fd, b, 1, 0, 0), EFAULT);
		CHECK_ERR(sys4(SYS_getxattr, DATA_PATH, b, 0, 0), EFAULT);
		if (b == 0)
			continue;	/* null: now, the file's offset, no source or options */
		CHECK_ERR(sys4(SYS_utimensat, AT_FDCWD, "/tmp/hostile-sl", b, 0), EFAULT);
		CHECK_ERR(sys4(SYS_sendfile, p[1], fd, b, 1), EFAULT);
		CHECK_ERR(sys5(SYS_mount, "none", "/tmp", b, 0, 0), EFAULT);
		CHECK_ERR(sys5(SYS_mount, b, "/tmp", "tmpfs", 0, 0), EFAULT);
		CHECK_ERR(sys5(SYS_mount, "none", "/tmp", "tmpfs", 0, b), EFAULT);
	}
	/* Nothing moved: the offset, the times. */
	CHECK_EQ(sys_lseek((int)fd, 0, SEEK_CUR), 0);
	CHECK_EQ(sys4(SYS_sendfile, p[1], fd, &off, 0), 0);
	CHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, "/tmp/hostile-sl", ts, AT_SYMLINK_NOFOLLOW), 0);
	sys_close(p[0]);
	sys_close(p[1]);
	sys_close((int)fd);
	sys1(SYS_unlink, "/tmp/hostile-sl");
}

/* Symlink loops end every walk in ELOOP: open, create, stat, chdir, a name below. */
static void
t_symlink_loops(void)
{
	struct stat st;

	INIT();
	sys2(SYS_mkdir, "/tmp", 01777);
	sys1(SYS_unlink, "/tmp/hostile-la");
	sys1(SYS_unlink, "/tmp/hostile-lb");
	CHECK_EQ(sys2(SYS_symlink, "hostile-lb", "/tmp/hostile-la"), 0);
	CHECK_EQ(sys2(SYS_symlink, "/tmp/hostile-la", "/tmp/hostile-lb"), 0);
	CHECK_ERR(sys_open("/tmp/hostile-la", O_RDONLY), ELOOP);
	CHECK_ERR(sys3(SYS_open, "/tmp/hostile-la", O_RDWR | O_CREAT, 0644), ELOOP);
	CHECK_ERR(sys2(SYS_stat, "/tmp/hostile-la", &st), ELOOP);
	CHECK_ERR(sys1(SYS_chdir, "/tmp/hostile-lb"), ELOOP);
	CHECK_ERR(sys2(SYS_mkdir, "/tmp/hostile-la/x", 0755), ELOOP);
	CHECK_ERR(sys2(SYS_symlink, "x", "/tmp/hostile-la/x"), ELOOP);
	CHECK_ERR(sys2(SYS_chmod, "/tmp/hostile-la", 0644), ELOOP);
	CHECK_ERR(sys5(SYS_mount, "none", "/tmp/hostile-la", "tmpfs", 0, 0), ELOOP);
	CHECK_EQ(sys2(SYS_lstat, "/tmp/hostile-la", &st), 0);
	sys1(SYS_unlink, "/tmp/hostile-la");
	sys1(SYS_unlink, "/tmp/hostile-lb");
}

const struct htest ptr_tests[] = {
	{ "read into bad, read-only, text buffers (file, zero, null, pipe) -> -EFAULT",
	  t_read, 0 },
	{ "write from bad buffers (file, pipe, console, null) -> -EFAULT", t_write, 0 },
	{ "read lengths past the user half, count 0 at a kernel address -> -EFAULT",
	  t_read_range, 0 },
	{ "write lengths past the user half, count 0 at a kernel address -> -EFAULT",
	  t_write_range, 0 },
	{ "file and /dev/zero read, file write straddling a hole -> the bytes that fit",
	  t_straddle_file, 0 },
	{ "pipe write straddling a hole -> whole pages or -EFAULT", t_straddle_pipe_write, 0 },
	{ "pipe read straddling a hole -> whole pages or -EFAULT, nothing lost",
	  t_straddle_pipe_read, 0 },
	{ "readv/writev: bad iovec array, bad iov_base -> -EFAULT", t_readv_writev, 0 },
	{ "readv/writev with a kernel address in iov[1] -> -EFAULT, nothing moved",
	  t_iovec_later, 0 },
	{ "every path call with bad and unterminated paths -> -EFAULT", t_paths, 0 },
	{ "paths longer than PATH_MAX, names longer than NAME_MAX -> -ENAMETOOLONG",
	  t_long_paths, 0 },
	{ "stat, lstat, fstat, newfstatat into bad buffers -> -EFAULT", t_stat_out, 0 },
	{ "pipe, pipe2 into bad buffers -> -EFAULT, no descriptor leaked", t_pipe_out, 0 },
	{ "uname, sysinfo, clock_gettime, arch_prctl, getcwd, getdents64 -> -EFAULT",
	  t_misc_out, 0 },
	{ "mincore into bad, read-only and too short vectors -> -EFAULT", t_mincore_out, 0 },
	{ "getdents64 into a buffer straddling a hole -> the entries that fit",
	  t_getdents_straddle, 0 },
	{ "console ioctls with bad pointers -> -EFAULT, termios unchanged", t_ioctl, 0 },
	{ "rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend -> -EFAULT",
	  t_signals, 0 },
	{ "nanosleep: bad req -> -EFAULT; bad rem unused", t_nanosleep, 0 },
	{ "readlink, statx, statfs, utimensat, pread, sendfile, xattr, mount buffers -> -EFAULT",
	    t_files_bufs, 0 },
	{ "symlink loops -> -ELOOP from open, creat, stat, chdir, mkdir, chmod, mount",
	    t_symlink_loops, 0 },
	{ 0, 0, 0 },
};
