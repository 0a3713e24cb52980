/*
 * t_io.c: tests of files and descriptors: open, openat, read, write,
 * writev, close, lseek and ioctl, on /test/data.txt, on directories of the
 * initramfs and on the console (fds 0-2 of init), with good and bad
 * arguments, including bad buffer pointers.
 *
 * The initramfs of the new kernel is read-only while Linux's rootfs is a
 * writable tmpfs, so opening a file for writing or creating one is not
 * tested (EROFS on one, success on the other); only what both must do is:
 * EISDIR for a directory opened for writing, EEXIST for O_CREAT|O_EXCL of
 * an existing file, ENOENT below a missing directory.
 *
 * Interface: io_tests[] (utest.h).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "utest.h"

#define KERNEL_ADDR	0xffff800000000000UL
#define NONCANON_ADDR	0x0000800000000000UL
#define BAD_FD		100000

/*
 * Map npages read-write with the page after them unmapped: returns the
 * base; base + npages * PGSIZE is the first unmapped byte.  0 on failure.
 */
static char *
map_guarded(int npages)
{
	long p = sys_mmap(0, (npages + 1) * PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (sys_iserr(p))
		return 0;
	if (sys_munmap((char *)p + npages * PGSIZE, PGSIZE) != 0)
		return 0;
	return (char *)p;
}

static void
t_open_read(void)
{
	char buf[DATA_SIZE + 100];
	long fd, n;

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK(fd >= 3 || !ut_is_init, "fd %ld: 0-2 should be the console", fd);
	CHECK_EQ(sys_read(fd, buf, 10), 10);
	CHECK(ut_data_mismatch(buf, 0, 10) < 0, "first 10 bytes differ");
	/* Across the 4 KiB boundary of the file, and short at its end. */
	CHECK_EQ(sys_read(fd, buf, 4090), 4090);
	CHECK(ut_data_mismatch(buf, 10, 4090) < 0, "bytes 10..4100 differ at %ld",
	    ut_data_mismatch(buf, 10, 4090));
	n = sys_read(fd, buf, sizeof buf);
	CHECK_EQ(n, DATA_SIZE - 4100);
	CHECK(ut_data_mismatch(buf, 4100, n) < 0, "tail differs");
	CHECK_EQ(sys_read(fd, buf, sizeof buf), 0);	/* end of file */
	CHECK_EQ(sys_read(fd, buf, 0), 0);
	CHECK_EQ(sys_close(fd), 0);
}

static void
t_open_lowest_fd(void)
{
	long a, b, c;

	CHECK_OK(a, sys_open(DATA_PATH, O_RDONLY));
	CHECK_OK(b, sys_open(DATA_PATH, O_RDONLY));
	CHECK(b > a, "second fd %ld not above %ld", b, a);
	CHECK_EQ(sys_close(a), 0);
	CHECK_OK(c, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(c, a);		/* the lowest free descriptor is reused */
	CHECK_EQ(sys_close(b), 0);
	CHECK_EQ(sys_close(c), 0);
}

static void
t_open_separate_offsets(void)
{
	char x, y;
	long a, b;

	CHECK_OK(a, sys_open(DATA_PATH, O_RDONLY));
	CHECK_OK(b, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys_read(a, &x, 1), 1);
	CHECK_EQ(sys_read(a, &x, 1), 1);
	CHECK_EQ(sys_read(b, &y, 1), 1);	/* b has its own offset: 0 */
	CHECK(x == ut_data_byte(1) && y == ut_data_byte(0), "got %c %c", x, y);
	sys_close(a);
	sys_close(b);
}

static void
t_open_enoent(void)
{
	CHECK_ERR(sys_open("/test/no-such-file", O_RDONLY), ENOENT);
	CHECK_ERR(sys_open("/no-such-dir/data.txt", O_RDONLY), ENOENT);
	CHECK_ERR(sys_open("", O_RDONLY), ENOENT);
	/* Same on a read-only file system: there is no directory to create in. */
	CHECK_ERR(sys_open("/no-such-dir/new", O_WRONLY | O_CREAT), ENOENT);
}

static void
t_open_enotdir(void)
{
	CHECK_ERR(sys_open(DATA_PATH "/x", O_RDONLY), ENOTDIR);
	CHECK_ERR(sys_open(DATA_PATH, O_RDONLY | O_DIRECTORY), ENOTDIR);
}

static void
t_open_efault(void)
{
	CHECK_ERR(sys_open(0, O_RDONLY), EFAULT);
	CHECK_ERR(sys_open((char *)KERNEL_ADDR, O_RDONLY), EFAULT);
	CHECK_ERR(sys_open((char *)NONCANON_ADDR, O_RDONLY), EFAULT);
}

static void
t_open_path_unmapped_end(void)
{
	char *p = map_guarded(1);
	char *s;

	CHECK(p, "map_guarded failed");
	/* "/test" with no NUL before the unmapped page: the kernel runs off. */
	s = p + PGSIZE - 5;
	memcpy(s, "/test", 5);
	CHECK_ERR(sys_open(s, O_RDONLY), EFAULT);
	/* With the NUL as the last mapped byte it is fine. */
	s = p + PGSIZE - 6;
	memcpy(s, "/test", 6);
	long fd;
	CHECK_OK(fd, sys_open(s, O_RDONLY));
	sys_close(fd);
	sys_munmap(p, PGSIZE);
}

static void
t_open_dir(void)
{
	char buf[16];
	long fd;

	CHECK_OK(fd, sys_open("/test", O_RDONLY));
	CHECK_ERR(sys_read(fd, buf, sizeof buf), EISDIR);
	CHECK_EQ(sys_close(fd), 0);
	CHECK_OK(fd, sys_open("/", O_RDONLY | O_DIRECTORY));
	CHECK_EQ(sys_close(fd), 0);
}

static void
t_open_dir_write(void)
{
	/* Same on a read-only and a writable file system (EISDIR comes first). */
	CHECK_ERR(sys_open("/test", O_WRONLY), EISDIR);
	CHECK_ERR(sys_open("/test", O_RDWR), EISDIR);
}

static void
t_open_excl(void)
{
	CHECK_ERR(sys_open(DATA_PATH, O_WRONLY | O_CREAT | O_EXCL), EEXIST);
	CHECK_ERR(sys_open("/test", O_RDONLY | O_CREAT | O_EXCL), EEXIST);
}

static void
t_openat(void)
{
	char c;
	long dir, fd;

	CHECK_OK(fd, sys4(SYS_openat, AT_FDCWD, DATA_PATH, O_RDONLY, 0));
	CHECK_EQ(sys_read(fd, &c, 1), 1);
	CHECK_EQ(c, ut_data_byte(0));
	sys_close(fd);
	CHECK_OK(dir, sys4(SYS_openat, AT_FDCWD, "/test", O_RDONLY | O_DIRECTORY, 0));
	CHECK_OK(fd, sys4(SYS_openat, dir, "data.txt", O_RDONLY, 0));
	CHECK_EQ(sys_read(fd, &c, 1), 1);
	CHECK_EQ(c, ut_data_byte(0));
	sys_close(fd);
	CHECK_ERR(sys4(SYS_openat, dir, "missing", O_RDONLY, 0), ENOENT);
	/* ".." of /test is /. */
	CHECK_OK(fd, sys4(SYS_openat, dir, "../test/data.txt", O_RDONLY, 0));
	sys_close(fd);
	/* A relative path needs a directory; an absolute one ignores dirfd. */
	CHECK_ERR(sys4(SYS_openat, BAD_FD, "data.txt", O_RDONLY, 0), EBADF);
	CHECK_OK(fd, sys4(SYS_openat, BAD_FD, DATA_PATH, O_RDONLY, 0));
	CHECK_ERR(sys4(SYS_openat, fd, "x", O_RDONLY, 0), ENOTDIR);
	sys_close(fd);
	sys_close(dir);
}

static void
t_openat_cwd_init(void)
{
	long fd;

	/* init starts in /. */
	CHECK_OK(fd, sys4(SYS_openat, AT_FDCWD, "test/data.txt", O_RDONLY, 0));
	sys_close(fd);
	CHECK_OK(fd, sys_open("test/../test/./data.txt", O_RDONLY));
	sys_close(fd);
}

static void
t_close(void)
{
	long fd;

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys_close(fd), 0);
	CHECK_ERR(sys_close(fd), EBADF);
	CHECK_ERR(sys_read(fd, &fd, 1), EBADF);
	CHECK_ERR(sys_close(-1), EBADF);
	CHECK_ERR(sys_close(BAD_FD), EBADF);
	CHECK_ERR(sys_close(0x7fffffff), EBADF);
}

static void
t_read_ebadf(void)
{
	char buf[4];

	CHECK_ERR(sys_read(-1, buf, 1), EBADF);
	CHECK_ERR(sys_read(BAD_FD, buf, 1), EBADF);
	CHECK_ERR(sys_read(1000, buf, 1), EBADF);
}

static void
t_write_console(void)
{
	static const char msg[] = "# write to fd 1\n";

	CHECK_EQ(sys_write(1, msg, sizeof msg - 1), sizeof msg - 1);
	CHECK_EQ(sys_write(1, msg, 0), 0);
}

static void
t_write_ebadf(void)
{
	long fd;

	CHECK_ERR(sys_write(-1, "x", 1), EBADF);
	CHECK_ERR(sys_write(BAD_FD, "x", 1), EBADF);
	/* A file opened O_RDONLY is not open for writing. */
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_ERR(sys_write(fd, "x", 1), EBADF);
	sys_close(fd);
}

static void
t_writev(void)
{
	struct iovec iov[4] = {
		{ "# ", 2 }, { "writev", 6 }, { "", 0 }, { " to fd 1\n", 9 },
	};

	CHECK_EQ(sys3(SYS_writev, 1, iov, 4), 17);
	CHECK_EQ(sys3(SYS_writev, 1, iov, 0), 0);
	CHECK_EQ(sys3(SYS_writev, 1, iov + 2, 1), 0);
}

static void
t_writev_bad(void)
{
	struct iovec iov[2] = { { "x", 1 }, { 0, 0 } };
	long fd;

	CHECK_ERR(sys3(SYS_writev, BAD_FD, iov, 1), EBADF);
	CHECK_ERR(sys3(SYS_writev, 1, iov, -1), EINVAL);
	CHECK_ERR(sys3(SYS_writev, 1, iov, 1025), EINVAL);	/* > IOV_MAX */
	CHECK_ERR(sys3(SYS_writev, 1, 0, 1), EFAULT);
	CHECK_ERR(sys3(SYS_writev, 1, KERNEL_ADDR, 1), EFAULT);
	iov[0] = (struct iovec){ 0, 5 };
	CHECK_ERR(sys3(SYS_writev, 1, iov, 1), EFAULT);
	iov[0] = (struct iovec){ (void *)KERNEL_ADDR, 5 };
	CHECK_ERR(sys3(SYS_writev, 1, iov, 1), EFAULT);
	/* A length that is negative as a ssize_t. */
	iov[0] = (struct iovec){ "x", (size_t)1 << 63 };
	CHECK_ERR(sys3(SYS_writev, 1, iov, 1), EINVAL);
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	iov[0] = (struct iovec){ "x", 1 };
	CHECK_ERR(sys3(SYS_writev, fd, iov, 1), EBADF);
	sys_close(fd);
}

static void
t_lseek(void)
{
	char c;
	long fd;

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys_lseek(fd, 100, SEEK_SET), 100);
	CHECK_EQ(sys_read(fd, &c, 1), 1);
	CHECK_EQ(c, ut_data_byte(100));
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 101);
	CHECK_EQ(sys_lseek(fd, 10, SEEK_CUR), 111);
	CHECK_EQ(sys_lseek(fd, -11, SEEK_CUR), 100);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_END), DATA_SIZE);
	CHECK_EQ(sys_lseek(fd, -1, SEEK_END), DATA_SIZE - 1);
	CHECK_EQ(sys_read(fd, &c, 1), 1);
	CHECK_EQ(c, '\n');
	/* Past the end is allowed; reading there gives end of file. */
	CHECK_EQ(sys_lseek(fd, DATA_SIZE + 1000, SEEK_SET), DATA_SIZE + 1000);
	CHECK_EQ(sys_read(fd, &c, 1), 0);
	CHECK_EQ(sys_lseek(fd, 5, SEEK_SET), 5);
	CHECK_EQ(sys_read(fd, &c, 1), 1);
	CHECK_EQ(c, ut_data_byte(5));
	sys_close(fd);
}

static void
t_lseek_bad(void)
{
	long fd;

	CHECK_ERR(sys_lseek(BAD_FD, 0, SEEK_SET), EBADF);
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys_lseek(fd, 10, SEEK_SET), 10);
	CHECK_ERR(sys_lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(sys_lseek(fd, -11, SEEK_CUR), EINVAL);
	CHECK_ERR(sys_lseek(fd, -DATA_SIZE - 1, SEEK_END), EINVAL);
	CHECK_ERR(sys_lseek(fd, 0, 5), EINVAL);		/* bad whence */
	CHECK_ERR(sys_lseek(fd, 0, -1), EINVAL);
	/* Past INT64_MAX: no wrap to a negative offset. */
	CHECK_ERR(sys_lseek(fd, INT64_MAX, SEEK_CUR), EINVAL);
	CHECK_ERR(sys_lseek(fd, INT64_MAX, SEEK_END), EINVAL);
	/* A failed lseek leaves the offset alone. */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 10);
	sys_close(fd);
}

static void
t_lseek_console(void)
{
	/* fds 0-2 of init are the console, a tty: Linux says ESPIPE. */
	CHECK_ERR(sys_lseek(0, 0, SEEK_SET), ESPIPE);
	CHECK_ERR(sys_lseek(1, 0, SEEK_CUR), ESPIPE);
	CHECK_ERR(sys_lseek(2, 0, SEEK_END), ESPIPE);
}

static void
t_ioctl_console(void)
{
	struct winsize ws;

	/* Linux's serial console answers (the size may be 0 x 0). */
	memset(&ws, 0xff, sizeof ws);
	CHECK_EQ(sys3(SYS_ioctl, 1, TIOCGWINSZ, &ws), 0);
	CHECK(ws.ws_row != 0xffff && ws.ws_col != 0xffff, "winsize not written");
	ut_print("# TIOCGWINSZ on the console: %d rows, %d cols\n", ws.ws_row, ws.ws_col);
	CHECK_ERR(sys3(SYS_ioctl, 1, TIOCGWINSZ, 0), EFAULT);
	CHECK_ERR(sys3(SYS_ioctl, 1, TIOCGWINSZ, KERNEL_ADDR), EFAULT);
}

static void
on_alarm(int sig)
{
	(void)sig;
}

/*
 * tcdrain (TCSBRK, nonzero) and tcsendbreak (TCSBRKP: tenths of a second)
 * on the console, which is a serial port under Linux too (ttyS0, which
 * can send a break): the break lasts as asked, a signal ends it with
 * EINTR (even with SA_RESTART, as Linux's), and a file is not a terminal.
 */
static void
c_console_break(void *a)
{
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	struct sigaction sa = { 0 };
	long long t0, dt;
	long fd, r;

	(void)a;
	CCHECK_EQ(sys3(SYS_ioctl, 1, TCSBRK, 1), 0);
	t0 = ut_now_ns();
	CCHECK_EQ(sys3(SYS_ioctl, 1, TCSBRKP, 1), 0);
	dt = ut_now_ns() - t0;
	CCHECK(dt >= 95000000, "a break of 100 ms took %lld ms", dt / 1000000);
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	CCHECK_EQ(sigaction(SIGALRM, &sa, 0), 0);
	CCHECK_EQ(sys3(SYS_setitimer, ITIMER_REAL, &it, 0), 0);
	t0 = ut_now_ns();
	r = sys3(SYS_ioctl, 1, TCSBRKP, 100);	/* 10 s, cut at 50 ms */
	dt = ut_now_ns() - t0;
	CCHECK(r == -EINTR && dt < 5000000000LL, "a break of 10 s with SIGALRM at 50 ms: %s after %lld ms",
	    ut_rstr(r), dt / 1000000);
	fd = sys_open(DATA_PATH, O_RDONLY);
	CCHECK(fd >= 0, "open %s: %ld", DATA_PATH, fd);
	CCHECK_EQ(sys3(SYS_ioctl, fd, TCSBRK, 1), -ENOTTY);
	CCHECK_EQ(sys3(SYS_ioctl, fd, TCSBRKP, 0), -ENOTTY);
}

static void
t_console_break(void)
{
	CHECK_EXIT(c_console_break, 0, 0);
}

static void
t_ioctl_bad(void)
{
	struct winsize ws;
	long fd;

	CHECK_ERR(sys3(SYS_ioctl, BAD_FD, TIOCGWINSZ, &ws), EBADF);
	CHECK_ERR(sys3(SYS_ioctl, -1, TIOCGWINSZ, &ws), EBADF);
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_ERR(sys3(SYS_ioctl, fd, TIOCGWINSZ, &ws), ENOTTY);
	sys_close(fd);
}

static void
t_read_efault(void)
{
	char *p = map_guarded(1);
	long fd, ro;

	CHECK(p, "map_guarded failed");
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_ERR(sys_read(fd, 0, 10), EFAULT);
	CHECK_ERR(sys_read(fd, (void *)KERNEL_ADDR, 10), EFAULT);
	CHECK_ERR(sys_read(fd, (void *)NONCANON_ADDR, 10), EFAULT);
	CHECK_ERR(sys_read(fd, (void *)0x8000000000000000UL, 10), EFAULT);
	CHECK_ERR(sys_read(fd, p + PGSIZE, 10), EFAULT);	/* unmapped page */
	/* Mapped but read-only: the text segment, and a PROT_READ mapping. */
	CHECK_ERR(sys_read(fd, (void *)t_read_efault, 10), EFAULT);
	CHECK_OK(ro, sys_mmap(0, PGSIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	CHECK_ERR(sys_read(fd, (void *)ro, 10), EFAULT);
	sys_munmap((void *)ro, PGSIZE);
	/* Nothing was consumed by the failed reads. */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 0);
	sys_close(fd);
	sys_munmap(p, PGSIZE);
}

static void
t_read_half_mapped(void)
{
	char *p = map_guarded(1);
	long fd;

	CHECK(p, "map_guarded failed");
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	/*
	 * 20 bytes asked, 10 mapped: Linux copies up to the fault and
	 * returns the short count (the file offset moves by 10).
	 */
	CHECK_EQ(sys_read(fd, p + PGSIZE - 10, 20), 10);
	CHECK(ut_data_mismatch(p + PGSIZE - 10, 0, 10) < 0, "bytes differ");
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 10);
	sys_close(fd);
	sys_munmap(p, PGSIZE);
}

static void
t_write_efault(void)
{
	char *p = map_guarded(1);

	CHECK(p, "map_guarded failed");
	CHECK_ERR(sys_write(1, 0, 10), EFAULT);
	CHECK_ERR(sys_write(1, (void *)KERNEL_ADDR, 10), EFAULT);
	CHECK_ERR(sys_write(1, (void *)NONCANON_ADDR, 10), EFAULT);
	CHECK_ERR(sys_write(1, (void *)0x8000000000000000UL, 10), EFAULT);
	CHECK_ERR(sys_write(1, p + PGSIZE, 10), EFAULT);
	sys_munmap(p, PGSIZE);
}

static void
t_write_half_mapped_console(void)
{
	static const char msg[] = "# half-mapped write\n";
	char *p = map_guarded(1);
	char *s;

	CHECK(p, "map_guarded failed");
	s = p + PGSIZE - (sizeof msg - 1);
	memcpy(s, msg, sizeof msg - 1);
	/*
	 * Linux's tty layer copies a write in chunks of up to 2 KiB before
	 * writing any of it; a chunk that faults fails whole.  So a short
	 * write to the console with its end unmapped is EFAULT, and nothing
	 * is printed.
	 */
	CHECK_ERR(sys_write(1, s, sizeof msg - 1 + 20), EFAULT);
	CHECK_EQ(sys_write(1, s, sizeof msg - 1), sizeof msg - 1);
	sys_munmap(p, PGSIZE);
}

static char shared_c;

static void
c_read_one(void *arg)
{
	long fd = (long)arg;

	CCHECK_EQ(sys_read(fd, &shared_c, 1), 1);
	CCHECK_EQ(shared_c, ut_data_byte(0));
}

static void
t_fork_shares_offset(void)
{
	char c;
	long fd;

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	/* The child's descriptor is the same open file: the offset is shared. */
	CHECK_EXIT(c_read_one, (void *)fd, 0);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 1);
	CHECK_EQ(sys_read(fd, &c, 1), 1);
	CHECK_EQ(c, ut_data_byte(1));
	sys_close(fd);
}

static void
c_close_fd(void *arg)
{
	CCHECK_EQ(sys_close((long)arg), 0);
}

static void
t_fork_close_own(void)
{
	char c;
	long fd;

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	/* A child closing its copy leaves the parent's descriptor open. */
	CHECK_EXIT(c_close_fd, (void *)fd, 0);
	CHECK_EQ(sys_read(fd, &c, 1), 1);
	sys_close(fd);
}

/*
 * readv from a pipe that holds exactly what the first iovec takes: the
 * call returns that, not sleeping for the second (musl's fread reads
 * through a readv of the caller's buffer and its own).  In a child with a
 * deadline: the bug was a sleep with the writer still open.
 */
static void
c_readv_pipe(void *arg)
{
	char a[5], b[10];
	struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
	int fds[2];
	long r;

	(void)arg;
	CCHECK_EQ(sys2(SYS_pipe2, fds, 0), 0);
	CCHECK_EQ(sys_write(fds[1], "hello", 5), 5);
	r = sys3(SYS_readv, fds[0], iov, 2);
	CCHECK(r == 5 && memcmp(a, "hello", 5) == 0, "readv returned %s", ut_rstr(r));
	/* More than the first iovec: the rest goes into the second. */
	CCHECK_EQ(sys_write(fds[1], "abcdefg", 7), 7);
	r = sys3(SYS_readv, fds[0], iov, 2);
	CCHECK(r == 7 && memcmp(a, "abcde", 5) == 0 && memcmp(b, "fg", 2) == 0,
	    "readv returned %s", ut_rstr(r));
}

static void
t_readv_pipe(void)
{
	long pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_readv_pipe, 0));
	CHECK_EQ(ut_wait_ms(pid, &st, 3000), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %s", ut_status_str(st));
}

#ifndef O_DIRECT
#define O_DIRECT	040000
#endif

/*
 * pipe2(O_DIRECT): a packet pipe (pipe(7)).  Each write is a packet (a
 * write longer than a page is a packet per page), a read returns at most
 * one and drops what it did not take, and the pipe holds 16 packets however
 * small.  O_DIRECT belongs to the write end, and F_SETFL turns it on and off.
 */
static void
t_pipe_packets(void)
{
	static char buf[3 * PGSIZE];
	int p[2], i;

	CHECK_ERR(sys2(SYS_pipe2, p, O_APPEND), EINVAL);
	CHECK_EQ(sys2(SYS_pipe2, p, O_DIRECT | O_NONBLOCK), 0);
	CHECK_EQ(sys3(SYS_fcntl, p[1], F_GETFL, 0), O_WRONLY | O_DIRECT | O_NONBLOCK);
	CHECK_EQ(sys3(SYS_fcntl, p[0], F_GETFL, 0), O_RDONLY | O_NONBLOCK);
	CHECK_EQ(sys_write(p[1], "abc", 3), 3);
	CHECK_EQ(sys_write(p[1], "defgh", 5), 5);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), 3);
	CHECK(memcmp(buf, "abc", 3) == 0, "first packet: %.3s", buf);
	CHECK_EQ(sys_read(p[0], buf, 2), 2);	/* the rest of the packet is dropped */
	CHECK(memcmp(buf, "de", 2) == 0, "second packet: %.2s", buf);
	CHECK_ERR(sys_read(p[0], buf, sizeof buf), EAGAIN);
	memset(buf, 'p', 5000);
	CHECK_EQ(sys_write(p[1], buf, 5000), 5000);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), PGSIZE);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), 5000 - PGSIZE);
	for (i = 0; i < 16; i++)
		CHECK_EQ(sys_write(p[1], "z", 1), 1);
	CHECK_ERR(sys_write(p[1], "z", 1), EAGAIN);
	for (i = 0; i < 16; i++)
		CHECK_EQ(sys_read(p[0], buf, sizeof buf), 1);
	/* Without O_DIRECT the writes run together again. */
	CHECK_EQ(sys3(SYS_fcntl, p[1], F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ(sys3(SYS_fcntl, p[1], F_GETFL, 0), O_WRONLY | O_NONBLOCK);
	CHECK_EQ(sys_write(p[1], "ab", 2), 2);
	CHECK_EQ(sys_write(p[1], "cd", 2), 2);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), 4);
	sys_close(p[0]);
	sys_close(p[1]);
	/* And F_SETFL makes a packet pipe of an ordinary one. */
	CHECK_EQ(sys2(SYS_pipe2, p, O_NONBLOCK), 0);
	CHECK_EQ(sys3(SYS_fcntl, p[1], F_SETFL, O_NONBLOCK | O_DIRECT), 0);
	CHECK_EQ(sys_write(p[1], "ghi", 3), 3);
	CHECK_EQ(sys_write(p[1], "jk", 2), 2);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), 3);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), 2);
	CHECK(memcmp(buf, "jk", 2) == 0, "last packet: %.2s", buf);
	/* readv is one read: a packet runs on into the next iovec, and ends it. */
	{
		char x[2] = { 0 }, y[8] = { 0 };
		struct iovec iov[2] = { { x, 2 }, { y, 8 } };

		CHECK_EQ(sys_write(p[1], "lmn", 3), 3);
		CHECK_EQ(sys_write(p[1], "op", 2), 2);
		CHECK_EQ(sys3(SYS_readv, p[0], iov, 2), 3);
		CHECK(memcmp(x, "lm", 2) == 0 && y[0] == 'n' && y[1] == 0, "readv: %.2s %.2s", x, y);
		CHECK_EQ(sys3(SYS_readv, p[0], iov, 2), 2);
		CHECK(memcmp(x, "op", 2) == 0, "readv: %.2s", x);
	}
	sys_close(p[0]);
	sys_close(p[1]);
}

/* Only a pipe takes O_DIRECT through F_SETFL (tmpfs cannot do direct I/O). */
static void
t_setfl_direct_file(void)
{
	long fd;

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_ERR(sys3(SYS_fcntl, fd, F_SETFL, O_DIRECT), EINVAL);
	CHECK_EQ(sys3(SYS_fcntl, fd, F_GETFL, 0) & O_DIRECT, 0);
	sys_close(fd);
}

/*
 * An initramfs file truncated, shorter and longer, then written back: the
 * kernel takes the archive's bytes into a buffer of its own on the first
 * change (data.txt is put back as it was for the tests after this one).
 */
static void
t_truncate_archive_file(void)
{
	static char orig[DATA_SIZE], buf[DATA_SIZE + 16];
	long fd, r;

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDWR));
	CHECK_EQ(sys_read(fd, orig, DATA_SIZE), DATA_SIZE);
	CHECK_EQ(ut_data_mismatch(orig, 0, DATA_SIZE), -1);
	CHECK_EQ(sys2(SYS_ftruncate, fd, 100), 0);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	r = sys_read(fd, buf, sizeof buf);
	CHECK(r == 100 && memcmp(buf, orig, 100) == 0, "read after truncate to 100: %s", ut_rstr(r));
	CHECK_EQ(sys2(SYS_truncate, DATA_PATH, 0), 0);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(sys_read(fd, buf, sizeof buf), 0);
	CHECK_EQ(sys2(SYS_ftruncate, fd, 8), 0);
	CHECK_EQ(sys_read(fd, buf, sizeof buf), 8);
	CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0, "a grown file is not zeros");
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(sys_write(fd, orig, DATA_SIZE), DATA_SIZE);
	CHECK_EQ(sys_close(fd), 0);
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	r = sys_read(fd, buf, sizeof buf);
	sys_close(fd);
	CHECK(r == DATA_SIZE && ut_data_mismatch(buf, 0, DATA_SIZE) == -1,
	    "data.txt not put back: %s", ut_rstr(r));
}

/*
 * The working directory removed, and then its parent: nothing can be made
 * in either any more (ENOENT), and the kernel keeps both alive for the
 * process that still stands in one.
 */
static void
c_removed_cwd(void *arg)
{
	long fd;

	(void)arg;
	sys2(SYS_mkdir, "/tmp", 0755);
	CCHECK_EQ(sys2(SYS_mkdir, "/tmp/rmcwd", 0755), 0);
	CCHECK_EQ(sys2(SYS_mkdir, "/tmp/rmcwd/b", 0755), 0);
	CCHECK_EQ(sys1(SYS_chdir, "/tmp/rmcwd/b"), 0);
	CCHECK_EQ(sys1(SYS_rmdir, "/tmp/rmcwd/b"), 0);
	CCHECK_EQ(sys1(SYS_rmdir, "/tmp/rmcwd"), 0);
	CCHECK_EQ(sys2(SYS_mkdir, "c", 0755), -ENOENT);
	CCHECK_EQ(sys2(SYS_mkdir, "../c", 0755), -ENOENT);
	fd = sys3(SYS_open, "../f", O_CREAT | O_WRONLY, 0644);
	CCHECK_EQ(fd, -ENOENT);
	CCHECK_EQ(sys1(SYS_chdir, "/"), 0);
	CCHECK_EQ(sys2(SYS_access, "/tmp/rmcwd", 0), -ENOENT);
}

static void
t_removed_cwd(void)
{
	CHECK_EXIT(c_removed_cwd, 0, 0);
}

/*
 * getdents64 of /test: Linux's record length (the name's offset 19, the
 * name, its NUL, rounded up to 8), every name once, "." and ".." first;
 * the padding after each NUL is left as the buffer had it (no kernel
 * bytes come out with the entries).
 */
static void
t_getdents64(void)
{
	static unsigned char buf[8192];
	int seen_data = 0, seen_utest = 0;
	long fd, n, off, i = 0;

	memset(buf, 0xaa, sizeof buf);
	CHECK_OK(fd, sys3(SYS_open, "/test", O_RDONLY | O_DIRECTORY, 0));
	n = sys3(SYS_getdents64, fd, buf, sizeof buf);
	sys_close(fd);
	CHECK(n > 0, "getdents64 returned %s", ut_rstr(n));
	for (off = 0; off < n; i++) {
		unsigned short reclen;
		const char *name = (const char *)buf + off + 19;
		size_t len;

		memcpy(&reclen, buf + off + 16, 2);
		len = strnlen(name, 256);
		CHECK(reclen == ((19 + len + 1 + 7) & ~7UL), "%s: d_reclen %u", name, reclen);
		for (size_t k = 19 + len + 1; k < reclen; k++)
			CHECK(buf[off + k] == 0xaa, "%s: padding byte %zu is %#x", name, k, buf[off + k]);
		if (i < 2)
			CHECK(strcmp(name, i ? ".." : ".") == 0, "entry %ld is %s", i, name);
		seen_data += strcmp(name, "data.txt") == 0;
		seen_utest += strcmp(name, "utest") == 0;
		off += reclen;
	}
	CHECK(off == n, "records run to %ld of %ld", off, n);
	CHECK(seen_data == 1 && seen_utest == 1, "data.txt %d times, utest %d", seen_data, seen_utest);
}

/* fcntl F_DUPFD/F_DUPFD_CLOEXEC: the lowest free fd from arg up; arg is an int. */
static void
t_fcntl_dupfd(void)
{
	long fd, a, b;

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_OK(a, sys3(SYS_fcntl, fd, F_DUPFD, 20));
	CHECK(a >= 20, "F_DUPFD 20 gave %ld", a);
	CHECK_EQ(sys3(SYS_fcntl, a, F_GETFD, 0), 0);
	/* The high half of the register is not part of the int. */
	CHECK_OK(b, sys3(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 0x100000000L | 30));
	CHECK(b >= 30 && b < 40, "F_DUPFD_CLOEXEC 30 gave %ld", b);
	CHECK_EQ(sys3(SYS_fcntl, b, F_GETFD, 0), FD_CLOEXEC);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_DUPFD, -1), EINVAL);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_DUPFD, 1 << 20), EINVAL);
	sys_close(a);
	sys_close(b);
	sys_close(fd);
}

const struct utest io_tests[] = {
	{ "open O_RDONLY and read a file in pieces to EOF", t_open_read, 0 },
	{ "open returns the lowest free fd", t_open_lowest_fd, 0 },
	{ "two opens of a file have separate offsets", t_open_separate_offsets, 0 },
	{ "open of missing files -> ENOENT", t_open_enoent, 0 },
	{ "open through a file or O_DIRECTORY of a file -> ENOTDIR", t_open_enotdir, 0 },
	{ "open bad path pointer -> EFAULT", t_open_efault, 0 },
	{ "open path running into an unmapped page -> EFAULT", t_open_path_unmapped_end, 0 },
	{ "open a directory O_RDONLY; read it -> EISDIR", t_open_dir, 0 },
	{ "open a directory for writing -> EISDIR", t_open_dir_write, 0 },
	{ "open O_CREAT|O_EXCL of an existing file -> EEXIST", t_open_excl, 0 },
	{ "openat with AT_FDCWD, a directory fd, bad fds", t_openat, 0 },
	{ "open and openat relative to init's cwd /", t_openat_cwd_init, UT_INIT },
	{ "close; close again and bad fds -> EBADF", t_close, 0 },
	{ "read bad fds -> EBADF", t_read_ebadf, 0 },
	{ "write to fd 1", t_write_console, 0 },
	{ "write bad fds or a read-only fd -> EBADF", t_write_ebadf, 0 },
	{ "writev to fd 1", t_writev, 0 },
	{ "writev bad fd/iovcnt/iov/base/length", t_writev_bad, 0 },
	{ "readv from a pipe returns what is there, not sleeping for the next iovec", t_readv_pipe, 0 },
	{ "pipe2(O_DIRECT): each write a packet, each read at most one", t_pipe_packets, 0 },
	{ "fcntl F_SETFL O_DIRECT on a file -> EINVAL", t_setfl_direct_file, 0 },
	{ "getdents64: Linux's record lengths, the padding left alone", t_getdents64, 0 },
	{ "fcntl F_DUPFD and F_DUPFD_CLOEXEC: from arg up, arg an int", t_fcntl_dupfd, 0 },
	{ "truncate an initramfs file shorter, to 0 and longer, then write it back", t_truncate_archive_file, 0 },
	{ "a removed working directory and its removed parent: ENOENT inside", t_removed_cwd, 0 },
	{ "lseek SEEK_SET, SEEK_CUR, SEEK_END", t_lseek, 0 },
	{ "lseek negative or past INT64_MAX, bad whence -> EINVAL, bad fd -> EBADF", t_lseek_bad, 0 },
	{ "lseek on the console (fds 0-2) -> ESPIPE", t_lseek_console, UT_INIT },
	{ "ioctl TIOCGWINSZ on the console", t_ioctl_console, UT_INIT },
	{ "tcdrain and tcsendbreak on the console: 100 ms, EINTR, ENOTTY", t_console_break, UT_INIT },
	{ "ioctl TIOCGWINSZ on a file -> ENOTTY, bad fd -> EBADF", t_ioctl_bad, 0 },
	{ "read into bad buffers -> EFAULT", t_read_efault, 0 },
	{ "read into a half-mapped buffer returns the mapped part", t_read_half_mapped, 0 },
	{ "write from bad buffers -> EFAULT", t_write_efault, 0 },
	{ "write to the console from a half-mapped buffer -> EFAULT", t_write_half_mapped_console, UT_INIT },
	{ "fork shares file offsets", t_fork_shares_offset, 0 },
	{ "a child's close leaves the parent's fd open", t_fork_close_own, 0 },
	{ 0, 0, 0 },
};
