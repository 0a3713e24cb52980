/*
 * h_args.c: bad descriptors, pids, signals, flags and address ranges, each
 * answered with the errno Linux gives.  Descriptors: -1, 64 (keel's
 * NOFILE), 1000 (below Linux's 1024 but not open), INT_MAX, INT_MIN and a
 * closed one: -EBADF from every call that takes one.  Numbers that are
 * only limits on one kernel (dup2 to 1000 works on Linux) are not tested.
 * Then signals to init, which must never kill it.
 *
 * Interface: arg_tests[], init_tests[] (hostile.h).
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include "hostile.h"


static const long bad_fds[] = { -1, 64, 1000, INT_MAX, INT_MIN };
#define NBADFD	(sizeof bad_fds / sizeof bad_fds[0])

static void
t_bad_fds(void)
{
	char buf[64];
	struct stat st;
	struct iovec iov = { buf, 1 };
	long closed;

	/* A descriptor that was open: the one just closed. */
	CHECK_OK(closed, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys_close(closed), 0);
	for (unsigned i = 0; i <= NBADFD; i++) {
		long fd = i < NBADFD ? bad_fds[i] : closed;

		CHECK_ERR(sys_read(fd, buf, 1), EBADF);
		CHECK_ERR(sys_write(fd, buf, 1), EBADF);
		CHECK_ERR(sys_close(fd), EBADF);
		CHECK_ERR(sys2(SYS_fstat, fd, &st), EBADF);
		CHECK_ERR(sys_lseek(fd, 0, SEEK_SET), EBADF);
		CHECK_ERR(sys3(SYS_ioctl, fd, 0x5401, buf), EBADF);
		CHECK_ERR(sys3(SYS_readv, fd, &iov, 1), EBADF);
		CHECK_ERR(sys3(SYS_writev, fd, &iov, 1), EBADF);
		CHECK_ERR(sys1(SYS_dup, fd), EBADF);
		CHECK_ERR(sys2(SYS_dup2, fd, 10), EBADF);
		CHECK_ERR(sys3(SYS_dup3, fd, 10, 0), EBADF);
		CHECK_ERR(sys2(SYS_fcntl, fd, F_GETFD), EBADF);
		CHECK_ERR(sys3(SYS_fcntl, fd, F_DUPFD, 0), EBADF);
		CHECK_ERR(sys1(SYS_fchdir, fd), EBADF);
		CHECK_ERR(sys3(SYS_getdents64, fd, buf, sizeof buf), EBADF);
		CHECK_ERR(sys2(SYS_ftruncate, fd, 0), EBADF);
		CHECK_ERR(sys_mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE, fd, 0), EBADF);
		/* As a directory for a relative path (an absolute one ignores it). */
		CHECK_ERR(sys4(SYS_openat, fd, "data.txt", O_RDONLY, 0), EBADF);
		CHECK_ERR(sys4(SYS_newfstatat, fd, "data.txt", &st, 0), EBADF);
		CHECK_ERR(sys3(SYS_mkdirat, fd, "hostile-dir", 0755), EBADF);
		CHECK_ERR(sys3(SYS_unlinkat, fd, "hostile-x", 0), EBADF);
		CHECK_ERR(sys4(SYS_renameat, fd, "hostile-x", AT_FDCWD, "/tmp/y"), EBADF);
		CHECK_ERR(sys4(SYS_renameat, AT_FDCWD, DATA_PATH, fd, "hostile-y"), EBADF);
		CHECK_ERR(sys4(SYS_readlinkat, fd, "hostile-x", buf, sizeof buf), EBADF);
		CHECK_ERR(sys3(SYS_faccessat, fd, "data.txt", F_OK), EBADF);
		CHECK_ERR(sys4(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH), EBADF);
	}
	/* A bad new descriptor: negative or past any limit. */
	CHECK_ERR(sys2(SYS_dup2, 1, -1), EBADF);
	CHECK_ERR(sys2(SYS_dup2, 1, INT_MAX), EBADF);
	CHECK_ERR(sys3(SYS_dup3, 1, INT_MAX, 0), EBADF);
	CHECK_ERR(sys3(SYS_fcntl, 1, F_DUPFD, INT_MAX), EINVAL);
	CHECK_ERR(sys3(SYS_fcntl, 1, F_DUPFD, -1), EINVAL);
	/* An absolute path does not look at the directory descriptor. */
	{
		long fd;

		CHECK_OK(fd, sys4(SYS_openat, -1, DATA_PATH, O_RDONLY, 0));
		CHECK_EQ(sys_close(fd), 0);
	}
}

/* Descriptors open, but for the wrong thing. */
static void
t_wrong_fds(void)
{
	char buf[64];
	struct stat st;
	long ro, dir, wr;
	int p[2];

	CHECK_OK(ro, sys_open(DATA_PATH, O_RDONLY));
	CHECK_OK(dir, sys_open("/test", O_RDONLY | O_DIRECTORY));
	CHECK_OK(wr, sys_open("/dev/null", O_WRONLY));
	CHECK_EQ(sys2(SYS_pipe2, p, O_NONBLOCK), 0);
	CHECK_ERR(sys_write(ro, buf, 1), EBADF);
	CHECK_ERR(sys_read(wr, buf, 1), EBADF);
	CHECK_ERR(sys_read(p[1], buf, 1), EBADF);
	CHECK_ERR(sys_write(p[0], buf, 1), EBADF);
	CHECK_ERR(sys_read(dir, buf, sizeof buf), EISDIR);
	CHECK_ERR(sys_lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(sys3(SYS_getdents64, ro, buf, sizeof buf), ENOTDIR);
	CHECK_ERR(sys3(SYS_getdents64, p[0], buf, sizeof buf), ENOTDIR);
	CHECK_ERR(sys3(SYS_ioctl, ro, 0x5401, buf), ENOTTY);
	CHECK_ERR(sys3(SYS_ioctl, p[0], 0x5401, buf), ENOTTY);
	CHECK_ERR(sys2(SYS_ftruncate, ro, 0), EINVAL);
	CHECK_ERR(sys2(SYS_ftruncate, p[1], 0), EINVAL);
	CHECK_ERR(sys1(SYS_fchdir, ro), ENOTDIR);
	CHECK_ERR(sys4(SYS_openat, ro, "x", O_RDONLY, 0), ENOTDIR);
	CHECK_ERR(sys4(SYS_newfstatat, ro, "x", &st, 0), ENOTDIR);
	/* A pipe cannot be mapped. */
	CHECK_ERR(sys_mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE, p[0], 0), ENODEV);
	/* Writing the console and reading /dev/null through a pipe end is fine. */
	CHECK_EQ(sys_write(p[1], "x", 1), 1);
}

static void
t_bad_pids(void)
{
	int st;

	CHECK_ERR(sys_kill(0x7fffffff, 0), ESRCH);
	CHECK_ERR(sys_kill(0x7fffffff, SIGKILL), ESRCH);
	CHECK_ERR(sys_kill(-0x7fffffff, SIGKILL), ESRCH);
	CHECK_ERR(sys_kill(INT_MIN, SIGKILL), ESRCH);
	CHECK_ERR(sys_kill(sys_getpid(), 65), EINVAL);
	CHECK_ERR(sys_kill(sys_getpid(), -1), EINVAL);
	CHECK_ERR(sys_kill(sys_getpid(), INT_MAX), EINVAL);
	CHECK_ERR(sys_kill(sys_getpid(), INT_MIN), EINVAL);
	CHECK_ERR(sys4(SYS_wait4, 0x7fffffff, &st, WNOHANG, 0), ECHILD);
	CHECK_ERR(sys4(SYS_wait4, -0x7fffffff, &st, WNOHANG, 0), ECHILD);
	CHECK_ERR(sys4(SYS_wait4, -1, &st, WNOHANG, 0), ECHILD);
	/* -INT_MIN does not exist: Linux refuses it outright (kernel_wait4). */
	CHECK_ERR(sys4(SYS_wait4, INT_MIN, &st, WNOHANG, 0), ESRCH);
	CHECK_ERR(sys1(SYS_getpgid, 0x7fffffff), ESRCH);
	CHECK_ERR(sys1(SYS_getpgid, -1), ESRCH);
	CHECK_ERR(sys1(SYS_getpgid, INT_MIN), ESRCH);
	CHECK_ERR(sys1(SYS_getsid, 0x7fffffff), ESRCH);
	CHECK_ERR(sys1(SYS_getsid, -1), ESRCH);
	CHECK_ERR(sys2(SYS_setpgid, 0x7fffffff, 0), ESRCH);
	/* pgid 0 means the pid's own, here -1: Linux checks that first. */
	CHECK_ERR(sys2(SYS_setpgid, -1, 0), EINVAL);
	CHECK_ERR(sys2(SYS_setpgid, 0, -1), EINVAL);
	CHECK_ERR(sys2(SYS_setpgid, 0, INT_MIN), EINVAL);
	/* Joining a group that does not exist. */
	CHECK_ERR(sys2(SYS_setpgid, 0, 0x7ffffffe), EPERM);
}

static void
t_bad_flags(void)
{
	struct timespec ts;
	struct stat st;
	char buf[64];
	unsigned long set = 0;
	int p[2];

	CHECK_ERR(sys2(SYS_pipe2, p, 0x1), EINVAL);		/* O_WRONLY */
	CHECK_ERR(sys2(SYS_pipe2, p, ~0), EINVAL);
	CHECK_ERR(sys3(SYS_dup3, 1, 10, 1), EINVAL);
	CHECK_ERR(sys3(SYS_dup3, 1, 10, ~O_CLOEXEC), EINVAL);
	/* dup3 to itself is refused even when the descriptor is fine. */
	CHECK_ERR(sys3(SYS_dup3, 1, 1, 0), EINVAL);
	/* ... and checked before the descriptors: even one that is not open. */
	CHECK_ERR(sys3(SYS_dup3, 1000, 1000, 0), EINVAL);
	CHECK_ERR(sys3(SYS_dup3, INT_MIN, INT_MIN, 0), EINVAL);
	CHECK_ERR(sys4(SYS_wait4, -1, 0, 0x100, 0), EINVAL);
	CHECK_ERR(sys4(SYS_wait4, -1, 0, 4, 0), EINVAL);		/* WEXITED: waitid only */
	CHECK_ERR(sys4(SYS_rt_sigprocmask, 3, &set, 0, 8), EINVAL);
	CHECK_ERR(sys4(SYS_rt_sigprocmask, -1, &set, 0, 8), EINVAL);
	CHECK_ERR(sys4(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 4), EINVAL);
	CHECK_ERR(sys4(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 16), EINVAL);
	CHECK_ERR(sys4(SYS_rt_sigaction, 0, 0, buf, 8), EINVAL);
	CHECK_ERR(sys4(SYS_rt_sigaction, 65, 0, buf, 8), EINVAL);
	CHECK_ERR(sys4(SYS_rt_sigaction, -1, 0, buf, 8), EINVAL);
	CHECK_ERR(sys4(SYS_rt_sigaction, SIGUSR1, 0, buf, 16), EINVAL);
	{
		unsigned long sa[4] = { 0, 0, 0, 0 };

		CHECK_ERR(sys4(SYS_rt_sigaction, SIGKILL, sa, 0, 8), EINVAL);
		CHECK_ERR(sys4(SYS_rt_sigaction, SIGSTOP, sa, 0, 8), EINVAL);
	}
	CHECK_ERR(sys2(SYS_rt_sigpending, &set, 16), EINVAL);
	/* Smaller sizes are fine: Linux copies that many bytes (do_sigpending). */
	set = ~0UL;
	CHECK_EQ(sys2(SYS_rt_sigpending, &set, 4), 0);
	CHECK_EQ(set, 0xffffffff00000000UL);
	CHECK_EQ(sys2(SYS_rt_sigpending, 0, 0), 0);
	CHECK_ERR(sys2(SYS_rt_sigsuspend, &set, 4), EINVAL);
	CHECK_ERR(sys2(SYS_clock_gettime, 100, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_gettime, 0x7fffffff, &ts), EINVAL);
	ts = (struct timespec){ 0, 1000000000 };
	CHECK_ERR(sys2(SYS_nanosleep, &ts, 0), EINVAL);
	ts = (struct timespec){ 0, -1 };
	CHECK_ERR(sys2(SYS_nanosleep, &ts, 0), EINVAL);
	ts = (struct timespec){ -1, 0 };
	CHECK_ERR(sys2(SYS_nanosleep, &ts, 0), EINVAL);
	{
		long fd;

		CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
		CHECK_ERR(sys_lseek(fd, 0, 5), EINVAL);
		CHECK_ERR(sys_lseek(fd, -1, SEEK_SET), EINVAL);
		CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 0);
	}
	CHECK_ERR(sys3(SYS_fcntl, 1, 0x7fffffff, 0), EINVAL);
	CHECK_ERR(sys2(SYS_arch_prctl, 0, 0), EINVAL);
	CHECK_ERR(sys2(SYS_arch_prctl, 0x1002, A_KHALF), EPERM);	/* ARCH_SET_FS */
	CHECK_ERR(sys2(SYS_arch_prctl, 0x1002, A_NONCANON_LO), EPERM);
	CHECK_ERR(sys3(SYS_faccessat, AT_FDCWD, DATA_PATH, 8), EINVAL);
	CHECK_ERR(sys3(SYS_unlinkat, AT_FDCWD, "/tmp/hostile-none", 1), EINVAL);
	CHECK_ERR(sys4(SYS_newfstatat, AT_FDCWD, DATA_PATH, &st, 1), EINVAL);
	CHECK_ERR(sys4(SYS_readlinkat, AT_FDCWD, DATA_PATH, buf, 0), EINVAL);
	CHECK_ERR(sys4(SYS_readlinkat, AT_FDCWD, DATA_PATH, buf, -1), EINVAL);
	CHECK_ERR(sys3(SYS_ioctl, 0, 0xdeadbeef, buf), ENOTTY);
	CHECK_ERR(sys2(SYS_truncate, DATA_PATH, -1), EINVAL);
	{
		long fd;

		CHECK_OK(fd, sys_open("/test", O_RDONLY | O_DIRECTORY));
		CHECK_ERR(sys3(SYS_getdents64, fd, buf, 0), EINVAL);
		CHECK_ERR(sys3(SYS_getdents64, fd, buf, 10), EINVAL);
	}
	/* The reboot magic: wrong numbers must never stop the machine. */
	CHECK_ERR(sys4(SYS_reboot, 0, 0, 0x4321fedc, 0), EINVAL);
	CHECK_ERR(sys4(SYS_reboot, 0xfee1dead, 0, 0x4321fedc, 0), EINVAL);
	CHECK_ERR(sys4(SYS_reboot, 0xfee1dead, 672274793, 0x12345678, 0), EINVAL);
}

/* mmap, munmap, mprotect, madvise, brk: addresses and lengths no process has. */

/* A page to aim at: mapped read-write, its first byte 1. */
static long
one_page(void)
{
	long p = sys_mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!sys_iserr(p))
		*(volatile char *)p = 1;
	return p;
}

static void
t_bad_mmap(void)
{
	long p;

	CHECK_ERR(sys_mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR(sys_mmap(0, PGSIZE, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR(sys_mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1), EINVAL);
	CHECK_ERR(sys_mmap(0, -1UL, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap(0, 1UL << 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap((void *)0x10001, PGSIZE, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	/* Fixed mappings in the kernel half, the hole, across the top. */
	CHECK_ERR(sys_mmap((void *)A_KHALF, PGSIZE, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap((void *)A_KTEXT, PGSIZE, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap((void *)A_NONCANON_LO, PGSIZE, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap((void *)A_USER_TOP, PGSIZE, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap((void *)(A_USER_TOP - PGSIZE), 2 * PGSIZE, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
	CHECK_ERR(sys_mmap((void *)0xfffffffffffff000UL, 2 * PGSIZE, PROT_READ,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);
	/* A hint in the kernel half is only a hint: the mapping goes elsewhere. */
	CHECK_OK(p, sys_mmap((void *)A_KHALF, PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	CHECK((unsigned long)p < A_USER_TOP, "mmap hint: got %#lx", p);
	*(volatile char *)p = 1;
}

static void
t_bad_munmap(void)
{
	long p;

	CHECK_OK(p, one_page());
	CHECK_ERR(sys_munmap((void *)(p + 1), PGSIZE), EINVAL);
	CHECK_ERR(sys_munmap((void *)p, 0), EINVAL);
	CHECK_ERR(sys_munmap((void *)A_KHALF, PGSIZE), EINVAL);
	CHECK_ERR(sys_munmap((void *)A_NONCANON_LO, PGSIZE), EINVAL);
	CHECK_ERR(sys_munmap((void *)(A_USER_TOP - PGSIZE), 2 * PGSIZE), EINVAL);
	CHECK_ERR(sys_munmap((void *)p, -1UL), EINVAL);
	CHECK_EQ(*(volatile char *)p, 1);
	/* Unmapping what is not mapped is fine, also at 0 (Linux: do_vmi_munmap). */
	CHECK_EQ(sys_munmap((void *)0x10000, PGSIZE), 0);
	CHECK_EQ(sys_munmap((void *)0, PGSIZE), 0);
}

static void
t_bad_mprotect(void)
{
	long p;

	CHECK_OK(p, one_page());
	CHECK_ERR(sys_mprotect((void *)(p + 1), PGSIZE, PROT_READ), EINVAL);
	CHECK_ERR(sys_mprotect((void *)A_KHALF, PGSIZE, PROT_READ), ENOMEM);
	CHECK_ERR(sys_mprotect((void *)A_NONCANON_LO, PGSIZE, PROT_READ), ENOMEM);
	CHECK_ERR(sys_mprotect((void *)0, PGSIZE, PROT_READ), ENOMEM);
	CHECK_ERR(sys_mprotect((void *)p, 1UL << 46, PROT_READ), ENOMEM);
	CHECK_EQ(sys_mprotect((void *)p, 0, PROT_READ), 0);
	CHECK_EQ(*(volatile char *)p, 1);
	/* A length that wraps when rounded up to a page (mprotect_fixup: end <= start). */
	CHECK_ERR(sys_mprotect((void *)p, -1UL, PROT_READ), ENOMEM);
}

static void
t_bad_madvise(void)
{
	long p;

	CHECK_OK(p, one_page());
	CHECK_ERR(sys3(SYS_madvise, p + 1, PGSIZE, MADV_DONTNEED), EINVAL);
	CHECK_ERR(sys3(SYS_madvise, p, -1UL, MADV_DONTNEED), EINVAL);
	CHECK_EQ(*(volatile char *)p, 1);
	/* Not mapped: -ENOMEM (the whole range must be), in the kernel half too. */
	CHECK_ERR(sys3(SYS_madvise, 0x10000, PGSIZE, MADV_DONTNEED), ENOMEM);
	CHECK_ERR(sys3(SYS_madvise, 0x10000, PGSIZE, MADV_NORMAL), ENOMEM);
	CHECK_ERR(sys3(SYS_madvise, A_KHALF, PGSIZE, MADV_DONTNEED), ENOMEM);
	/* An advice no kernel knows. */
	CHECK_ERR(sys3(SYS_madvise, p, PGSIZE, 0x7fffffff), EINVAL);
	CHECK_ERR(sys3(SYS_madvise, p, PGSIZE, -1), EINVAL);
}

#define MREMAP_MAYMOVE_	1	/* <sys/mman.h> has them only with _GNU_SOURCE */
#define MREMAP_FIXED_	2

static long
h_mremap(long old, unsigned long old_len, unsigned long new_len, int flags, unsigned long new_addr)
{
	return sys5(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

/* mremap: unmapped, kernel and wrapping sources and targets; the page stays. */
static void
t_bad_mremap(void)
{
	long p, t;

	CHECK_OK(p, one_page());
	CHECK_ERR(h_mremap(0x10000, PGSIZE, 2 * PGSIZE, MREMAP_MAYMOVE_, 0), EFAULT);
	CHECK_ERR(h_mremap(0x10000, PGSIZE, PGSIZE, 0, 0), EFAULT);
	CHECK_ERR(h_mremap(A_KHALF, PGSIZE, 2 * PGSIZE, MREMAP_MAYMOVE_, 0), EFAULT);
	CHECK_ERR(h_mremap(A_NONCANON_LO, PGSIZE, PGSIZE, MREMAP_MAYMOVE_, 0), EFAULT);
	CHECK_ERR(h_mremap(p, PGSIZE, 2 * PGSIZE, 0x7fffffff, 0), EINVAL);
	CHECK_ERR(h_mremap(p, PGSIZE, -1UL, MREMAP_MAYMOVE_, 0), EINVAL);	/* rounds to 0 */
	/* An old length that rounds to 0 asks to duplicate: private memory cannot be. */
	CHECK_ERR(h_mremap(p, -1UL, PGSIZE, MREMAP_MAYMOVE_, 0), EINVAL);
	/* Larger than the user half. */
	CHECK_ERR(h_mremap(p, PGSIZE, 1UL << 47, MREMAP_MAYMOVE_, 0), ENOMEM);
	/* MREMAP_FIXED into the kernel half, the hole, across the top, onto itself. */
	CHECK_ERR(h_mremap(p, PGSIZE, PGSIZE, MREMAP_MAYMOVE_ | MREMAP_FIXED_, A_KHALF), EINVAL);
	CHECK_ERR(h_mremap(p, PGSIZE, PGSIZE, MREMAP_MAYMOVE_ | MREMAP_FIXED_, A_NONCANON_LO),
	    EINVAL);
	CHECK_ERR(h_mremap(p, PGSIZE, 2 * PGSIZE, MREMAP_MAYMOVE_ | MREMAP_FIXED_,
	    A_USER_TOP - PGSIZE), EINVAL);
	CHECK_ERR(h_mremap(p, PGSIZE, 2 * PGSIZE, MREMAP_MAYMOVE_ | MREMAP_FIXED_,
	    0xfffffffffffff000UL), EINVAL);
	CHECK_ERR(h_mremap(p, PGSIZE, PGSIZE, MREMAP_MAYMOVE_ | MREMAP_FIXED_, p), EINVAL);
	CHECK_ERR(h_mremap(p, PGSIZE, PGSIZE, MREMAP_MAYMOVE_ | MREMAP_FIXED_, p + 1), EINVAL);
	CHECK_EQ(*(volatile char *)p, 1);
	/* A move onto another mapping leaves no trace of the source. */
	CHECK_OK(t, one_page());
	*(volatile char *)t = 2;
	CHECK_EQ(h_mremap(p, PGSIZE, PGSIZE, MREMAP_MAYMOVE_ | MREMAP_FIXED_, t), t);
	CHECK_EQ(*(volatile char *)t, 1);
	CHECK_ERR(h_mremap(p, PGSIZE, PGSIZE, MREMAP_MAYMOVE_, 0), EFAULT);
}

/* msync and mincore: unaligned, unmapped, kernel, wrapping. */
static void
t_bad_msync_mincore(void)
{
	unsigned char vec[4];
	long p;

	CHECK_OK(p, one_page());
	CHECK_ERR(sys3(SYS_msync, p + 1, PGSIZE, MS_SYNC), EINVAL);
	CHECK_ERR(sys3(SYS_msync, p, PGSIZE, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERR(sys3(SYS_msync, p, PGSIZE, -1), EINVAL);
	CHECK_ERR(sys3(SYS_msync, 0x10000, PGSIZE, MS_SYNC), ENOMEM);
	CHECK_ERR(sys3(SYS_msync, A_KHALF, PGSIZE, MS_ASYNC), ENOMEM);
	CHECK_ERR(sys3(SYS_msync, A_NONCANON_LO, PGSIZE, MS_INVALIDATE), ENOMEM);
	CHECK_ERR(sys3(SYS_msync, p, -2 * PGSIZE, MS_SYNC), ENOMEM);
	CHECK_ERR(sys3(SYS_mincore, p + 1, PGSIZE, vec), EINVAL);
	CHECK_ERR(sys3(SYS_mincore, 0x10000, PGSIZE, vec), ENOMEM);
	CHECK_ERR(sys3(SYS_mincore, A_KHALF, PGSIZE, vec), ENOMEM);
	CHECK_ERR(sys3(SYS_mincore, A_NONCANON_LO, PGSIZE, vec), ENOMEM);
	CHECK_ERR(sys3(SYS_mincore, p, -1UL, vec), ENOMEM);
	CHECK_ERR(sys3(SYS_mincore, A_USER_TOP - PGSIZE, 2 * PGSIZE, vec), ENOMEM);
	CHECK_EQ(sys3(SYS_mincore, p, PGSIZE, vec), 0);
	CHECK_EQ(vec[0], 1);
}

static void
t_bad_brk(void)
{
	long p, brk0;

	CHECK_OK(p, one_page());
	/* brk to where a heap cannot go: the break stays where it was. */
	CHECK_OK(brk0, sys_brk(0));
	CHECK_EQ(sys_brk((void *)A_KHALF), brk0);
	CHECK_EQ(sys_brk((void *)A_NONCANON_LO), brk0);
	CHECK_EQ(sys_brk((void *)~0UL), brk0);
	CHECK_EQ(sys_brk((void *)1), brk0);
	CHECK_EQ(sys_brk((void *)(A_USER_TOP - PGSIZE)), brk0);
	/* Over an existing mapping. */
	CHECK_EQ(sys_brk((void *)(p + PGSIZE)), brk0);
	CHECK_EQ(sys_brk(0), brk0);
}

const struct htest arg_tests[] = {
	{ "bad descriptors (-1, 64, 1000, INT_MAX, INT_MIN, closed) -> -EBADF everywhere",
	  t_bad_fds, 0 },
	{ "descriptors of the wrong kind -> -EBADF, -EISDIR, -ENOTDIR, -ESPIPE, -ENOTTY",
	  t_wrong_fds, 0 },
	{ "bad pids and signals -> -ESRCH, -ECHILD, -EINVAL, -EPERM", t_bad_pids, 0 },
	{ "bad flags, sizes, clocks, commands, reboot magic -> -EINVAL", t_bad_flags, 0 },
	{ "mmap: bad lengths, offsets, types; fixed in the kernel half, the hole, the top",
	  t_bad_mmap, 0 },
	{ "munmap: unaligned, kernel, non-canonical, wrapping; unmapped is fine (also 0)",
	  t_bad_munmap, 0 },
	{ "mprotect: unaligned, kernel, non-canonical, unmapped, wrapping", t_bad_mprotect, 0 },
	{ "madvise: unaligned, wrapping, unmapped, kernel, unknown advice", t_bad_madvise, 0 },
	{ "mremap: unmapped, kernel, wrapping sources; bad, overlapping MREMAP_FIXED targets",
	  t_bad_mremap, 0 },
	{ "msync, mincore: unaligned, unmapped, kernel, wrapping ranges", t_bad_msync_mincore, 0 },
	{ "brk to the kernel half, the hole, the top, over a mapping: unchanged", t_bad_brk, 0 },
	{ 0, 0, 0 },
};

/*
 * Signals to init.  Linux never lets another process kill init: a signal
 * init has no handler for is dropped (SIGNAL_UNKILLABLE, and SIGKILL and
 * SIGSTOP too, sig_task_ignored), kill(2) returning 0.  Only meaningful
 * when the runner is init; on a kernel that delivers them, init dies and
 * the run ends here (hence this runs after everything but the dos cases).
 */
static void
c_kill_init(void *a)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGQUIT, SIGUSR1, SIGSEGV, SIGKILL };

	(void)a;
	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		CCHECK_EQ(sys_kill(1, sigs[i]), 0);
}

static void
t_kill_init(void)
{
	if (!h_is_init) {
		ut_skip("not running as init");
		return;
	}
	CHECK_EXIT(c_kill_init, 0, 0);
	ut_sleep_ms(50);
	CHECK_EQ(sys_getppid() > 0, 1);		/* this case's parent, init, still runs */
}

const struct htest init_tests[] = {
	{ "init: SIGTERM, SIGINT, SIGQUIT, SIGUSR1, SIGSEGV, SIGKILL to pid 1 -> ignored",
	  t_kill_init, 0 },
	{ 0, 0, 0 },
};
