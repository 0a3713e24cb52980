/*
 * t_lock.c: POSIX record locks and open file description locks through
 * fcntl (F_GETLK, F_SETLK, F_SETLKW, F_OFD_GETLK, F_OFD_SETLK,
 * F_OFD_SETLKW): every argument check in Linux's order, conflicts between
 * a parent and its child, splitting and merging seen through another
 * process's F_GETLK, F_SETLKW sleeping until the lock goes (or a signal,
 * or a deadlock), and what releases a lock: any close of the file by its
 * process, its exit, or (OFD) the last close of its open file description;
 * then thousands of random requests checked against a model of the rules.
 *
 * The locked files are made in /tmp and removed at the end of each test.
 * Timing: where a test needs another process to be asleep in F_SETLKW it
 * waits WAIT_MS for it, far more than a process needs to get there.
 *
 * Interface: lock_tests[] (utest.h).
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "utest.h"

#ifndef F_OFD_GETLK
#define F_OFD_GETLK	36
#define F_OFD_SETLK	37
#define F_OFD_SETLKW	38
#endif

#define KERNEL_ADDR	0xffff800000000000UL
#define BAD_FD		100000
#define WAIT_MS		200
#define LOCK_DIR	"/tmp"
#define LOCK_PATH	"/tmp/utest-lock"
#define FILE_LEN	100

/* A fresh LOCK_PATH of FILE_LEN bytes, opened with flags; the fd or -errno. */
static long
scratch_file(int flags)
{
	char buf[FILE_LEN];
	long fd, w;

	sys2(SYS_mkdir, LOCK_DIR, 0755);	/* Linux's initramfs may have none */
	fd = sys3(SYS_open, LOCK_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fd;
	memset(buf, 'l', sizeof buf);
	w = sys_write(fd, buf, sizeof buf);
	sys_close(fd);
	if (w != FILE_LEN)
		return w < 0 ? w : -EIO;
	return sys_open(LOCK_PATH, flags);
}

static void
scratch_remove(void)
{
	sys1(SYS_unlink, LOCK_PATH);
}

static long
lk(long fd, int cmd, int type, int whence, long start, long len)
{
	struct flock fl = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };

	return sys3(SYS_fcntl, fd, cmd, &fl);
}

/* F_GETLK (or F_OFD_GETLK) of fd in this process: the result; *fl is in and out. */
static long
getlk(long fd, int cmd, int type, long start, long len, struct flock *fl)
{
	memset(fl, 0, sizeof *fl);
	fl->l_type = type;
	fl->l_whence = SEEK_SET;
	fl->l_start = start;
	fl->l_len = len;
	return sys3(SYS_fcntl, fd, cmd, fl);
}

/*
 * The same query from a child, which owns no lock: what any other process
 * sees.  The child sends its struct flock and fcntl's result through a pipe.
 */
static long
getlk_other(long fd, int type, long start, long len, struct flock *fl)
{
	struct { long r; struct flock fl; } msg;
	int p[2], st;
	long pid;

	if (sys2(SYS_pipe2, p, 0) != 0)
		return -1000;
	pid = sys_fork();
	if (pid == 0) {
		msg.r = getlk(fd, F_GETLK, type, start, len, &msg.fl);
		sys_write(p[1], &msg, sizeof msg);
		sys_exit_group(0);
	}
	sys_close(p[1]);
	if (pid < 0 || sys_read(p[0], &msg, sizeof msg) != sizeof msg)
		msg.r = -1001;
	sys_close(p[0]);
	if (pid > 0)
		ut_wait(pid, &st);
	*fl = msg.fl;
	return msg.r;
}

/* fl reports a lock of type, start and len (whence SEEK_SET) held by pid. */
#define CHECK_LOCK(fl, type, start, len, pid) do {			\
	CHECK_EQ((fl).l_type, (type));					\
	CHECK_EQ((fl).l_whence, SEEK_SET);				\
	CHECK_EQ((fl).l_start, (start));				\
	CHECK_EQ((fl).l_len, (len));					\
	CHECK_EQ((fl).l_pid, (pid));					\
} while (0)

static void
t_lock_efault(void)
{
	struct flock *ro;
	char *page;
	long fd;

	CHECK_OK(fd, scratch_file(O_RDWR));
	CHECK_ERR(sys3(SYS_fcntl, fd, F_GETLK, 0), EFAULT);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_SETLK, 0), EFAULT);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_SETLKW, KERNEL_ADDR), EFAULT);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_OFD_GETLK, 1), EFAULT);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_OFD_SETLK, 0), EFAULT);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_OFD_SETLKW, 0), EFAULT);
	/* A struct whose last bytes run into an unmapped page. */
	page = (char *)sys_mmap(0, 2 * PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(!sys_iserr((long)page), "mmap failed");
	CHECK_EQ(sys_munmap(page + PGSIZE, PGSIZE), 0);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_SETLK, page + PGSIZE - 16), EFAULT);
	/* F_GETLK writes the answer back: into a read-only page, EFAULT. */
	ro = (struct flock *)page;
	ro->l_type = F_WRLCK;
	ro->l_whence = SEEK_SET;
	ro->l_start = 0;
	ro->l_len = 0;
	CHECK_EQ(sys_mprotect(page, PGSIZE, PROT_READ), 0);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_GETLK, ro), EFAULT);
	/* F_SETLK only reads it. */
	CHECK_EQ(sys3(SYS_fcntl, fd, F_SETLK, ro), 0);
	sys_munmap(page, PGSIZE);
	sys_close(fd);
	scratch_remove();
}

static void
t_lock_einval(void)
{
	struct flock fl;
	long fd;

	CHECK_OK(fd, scratch_file(O_RDWR));
	/* l_type */
	CHECK_ERR(lk(fd, F_SETLK, 3, SEEK_SET, 0, 1), EINVAL);
	CHECK_ERR(lk(fd, F_SETLKW, -1, SEEK_SET, 0, 1), EINVAL);
	CHECK_ERR(lk(fd, F_OFD_SETLK, 0x100, SEEK_SET, 0, 1), EINVAL);
	CHECK_ERR(lk(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1), EINVAL);
	CHECK_ERR(lk(fd, F_GETLK, 3, SEEK_SET, 0, 1), EINVAL);
	/* l_whence */
	CHECK_ERR(lk(fd, F_SETLK, F_WRLCK, 3, 0, 1), EINVAL);
	CHECK_ERR(lk(fd, F_GETLK, F_WRLCK, -1, 0, 1), EINVAL);
	/* The range may not start before 0. */
	CHECK_ERR(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, -1, 1), EINVAL);
	CHECK_ERR(lk(fd, F_SETLK, F_WRLCK, SEEK_END, -FILE_LEN - 1, 1), EINVAL);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_END, -FILE_LEN, 1), 0);
	CHECK_ERR(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, -6), EINVAL);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 5, -5), 0);
	/* The 32-bit F_GETLK64 family does not exist on x86-64. */
	CHECK_ERR(lk(fd, 12, F_WRLCK, SEEK_SET, 0, 1), EINVAL);
	CHECK_ERR(lk(fd, 13, F_WRLCK, SEEK_SET, 0, 1), EINVAL);
	CHECK_ERR(lk(fd, 14, F_WRLCK, SEEK_SET, 0, 1), EINVAL);
	/* OFD commands want l_pid 0; the others ignore it. */
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_len = 1;
	fl.l_pid = 1;
	CHECK_ERR(sys3(SYS_fcntl, fd, F_OFD_SETLK, &fl), EINVAL);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_OFD_SETLKW, &fl), EINVAL);
	CHECK_ERR(sys3(SYS_fcntl, fd, F_OFD_GETLK, &fl), EINVAL);
	CHECK_EQ(sys3(SYS_fcntl, fd, F_SETLK, &fl), 0);
	CHECK_EQ(sys3(SYS_fcntl, fd, F_GETLK, &fl), 0);
	CHECK_ERR(lk(BAD_FD, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
	CHECK_ERR(lk(-1, F_GETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
	sys_close(fd);
	scratch_remove();
}

static void
t_lock_eoverflow(void)
{
	long fd;

	CHECK_OK(fd, scratch_file(O_RDWR));
	CHECK_ERR(lk(fd, F_SETLK, F_WRLCK, SEEK_END, LONG_MAX, 1), EOVERFLOW);
	CHECK_ERR(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 2, LONG_MAX), EOVERFLOW);
	CHECK_ERR(lk(fd, F_GETLK, F_WRLCK, SEEK_SET, LONG_MAX, 2), EOVERFLOW);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, LONG_MAX), 0);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, LONG_MAX, 1), 0);
	CHECK_EQ(sys_lseek(fd, 10, SEEK_SET), 10);
	CHECK_ERR(lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, LONG_MAX - 9, 1), EOVERFLOW);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_CUR, LONG_MAX - 10, 1), 0);
	/* F_SETLK checks the range before the type, F_GETLK the type first. */
	CHECK_ERR(lk(fd, F_SETLK, 7, SEEK_SET, 2, LONG_MAX), EOVERFLOW);
	CHECK_ERR(lk(fd, F_GETLK, 7, SEEK_SET, 2, LONG_MAX), EINVAL);
	CHECK_ERR(lk(fd, F_SETLK, 7, 5, 0, 0), EINVAL);
	sys_close(fd);
	scratch_remove();
}

/* The lock type must suit the descriptor's mode; F_UNLCK and F_GETLK need none. */
static void
t_lock_ebadf_mode(void)
{
	struct flock fl;
	long r, w;

	CHECK_OK(r, scratch_file(O_RDONLY));
	CHECK_OK(w, sys_open(LOCK_PATH, O_WRONLY));
	CHECK_ERR(lk(r, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
	CHECK_ERR(lk(r, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1), EBADF);
	CHECK_ERR(lk(r, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 1), EBADF);
	CHECK_ERR(lk(w, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EBADF);
	CHECK_ERR(lk(w, F_OFD_SETLKW, F_RDLCK, SEEK_SET, 0, 1), EBADF);
	/* The mode is checked before an OFD lock's l_pid. */
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_pid = 1;
	CHECK_ERR(sys3(SYS_fcntl, r, F_OFD_SETLK, &fl), EBADF);
	CHECK_EQ(lk(r, F_SETLK, F_RDLCK, SEEK_SET, 0, 10), 0);
	CHECK_EQ(lk(w, F_SETLK, F_WRLCK, SEEK_SET, 20, 10), 0);
	CHECK_EQ(lk(w, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0);
	CHECK_EQ(lk(r, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0);
	CHECK_EQ(getlk(r, F_GETLK, F_WRLCK, 0, 0, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	sys_close(r);
	sys_close(w);
	scratch_remove();
}

/* The child of t_lock_conflict: the parent holds WR [0,9] and RD [20,29]. */
static void
c_conflict(void *arg)
{
	long fd = *(long *)arg, ppid = sys_getppid();
	struct flock fl;

	CCHECK_EQ(getlk(fd, F_GETLK, F_RDLCK, 5, 10, &fl), 0);
	CCHECK(fl.l_type == F_WRLCK && fl.l_whence == SEEK_SET && fl.l_start == 0 &&
	    fl.l_len == 10 && fl.l_pid == ppid, "F_GETLK saw type %d whence %d %ld+%ld pid %d",
	    fl.l_type, fl.l_whence, (long)fl.l_start, (long)fl.l_len, fl.l_pid);
	CCHECK_EQ(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 5, 10), -EAGAIN);
	CCHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 9, 1), -EAGAIN);
	CCHECK_EQ(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 5), 0);	/* shared */
	CCHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 25, 1), -EAGAIN);
	CCHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10), 0);	/* between */
	/* The whole file: the parent's first lock is reported. */
	CCHECK_EQ(getlk(fd, F_GETLK, F_WRLCK, 0, 0, &fl), 0);
	CCHECK(fl.l_type == F_WRLCK && fl.l_start == 0 && fl.l_len == 10,
	    "whole file: type %d %ld+%ld", fl.l_type, (long)fl.l_start, (long)fl.l_len);
	/* A read lock only meets the parent's write lock. */
	CCHECK_EQ(getlk(fd, F_GETLK, F_RDLCK, 20, 0, &fl), 0);
	CCHECK_EQ(fl.l_type, F_UNLCK);
	/* No conflict: l_type F_UNLCK, everything else as it was given. */
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_CUR;
	fl.l_start = 40;
	fl.l_len = 7;
	fl.l_pid = 12345;
	CCHECK_EQ(sys3(SYS_fcntl, fd, F_GETLK, &fl), 0);
	CCHECK(fl.l_type == F_UNLCK && fl.l_whence == SEEK_CUR && fl.l_start == 40 &&
	    fl.l_len == 7 && fl.l_pid == 12345, "no conflict: %d %d %ld+%ld pid %d",
	    fl.l_type, fl.l_whence, (long)fl.l_start, (long)fl.l_len, fl.l_pid);
}

static void
t_lock_conflict(void)
{
	struct flock fl;
	long fd;

	CHECK_OK(fd, scratch_file(O_RDWR));
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	CHECK_EQ(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10), 0);
	/* Its own locks never conflict with a process's request. */
	CHECK_EQ(getlk(fd, F_GETLK, F_WRLCK, 0, 0, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	CHECK_EXIT(c_conflict, &fd, 0);
	/* The child's locks went with it. */
	CHECK_EQ(getlk_other(fd, F_WRLCK, 10, 10, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	sys_close(fd);
	scratch_remove();
}

/* One owner's locks are split, merged and converted as Linux does. */
static void
t_lock_split_merge(void)
{
	long fd, me = sys_getpid();
	struct flock fl;

	CHECK_OK(fd, scratch_file(O_RDWR));
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10), 0);	/* adjacent: merged */
	CHECK_EQ(getlk_other(fd, F_WRLCK, 0, 0, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 0, 20, me);
	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 5, 10), 0);	/* a hole: split */
	CHECK_EQ(getlk_other(fd, F_WRLCK, 0, 0, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 0, 5, me);
	CHECK_EQ(getlk_other(fd, F_WRLCK, 5, 0, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 15, 5, me);
	CHECK_EQ(getlk_other(fd, F_RDLCK, 5, 10, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	/* A read lock in the middle of a write lock: three pieces. */
	CHECK_EQ(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 2, 2), 0);
	CHECK_EQ(getlk_other(fd, F_RDLCK, 2, 2, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	CHECK_EQ(getlk_other(fd, F_WRLCK, 3, 1, &fl), 0);
	CHECK_LOCK(fl, F_RDLCK, 2, 2, me);
	CHECK_EQ(getlk_other(fd, F_RDLCK, 1, 3, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 0, 2, me);
	CHECK_EQ(getlk_other(fd, F_RDLCK, 3, 3, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 4, 1, me);
	/* Up to the end of the file and beyond: l_len 0. */
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 30, 0), 0);
	CHECK_EQ(getlk_other(fd, F_RDLCK, 1000, 1, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 30, 0, me);
	/* Unlocking everything, then a negative length: the bytes before l_start. */
	CHECK_EQ(lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0);
	CHECK_EQ(getlk_other(fd, F_WRLCK, 0, 0, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, -5), 0);
	CHECK_EQ(getlk_other(fd, F_WRLCK, 0, 0, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 5, 5, me);
	/* SEEK_CUR and SEEK_END count from the offset and the size. */
	CHECK_EQ(sys_lseek(fd, 50, SEEK_SET), 50);
	CHECK_EQ(lk(fd, F_SETLK, F_RDLCK, SEEK_CUR, -10, 3), 0);
	CHECK_EQ(getlk_other(fd, F_WRLCK, 20, 0, &fl), 0);
	CHECK_LOCK(fl, F_RDLCK, 40, 3, me);
	CHECK_EQ(lk(fd, F_SETLK, F_RDLCK, SEEK_END, -FILE_LEN + 43, 2), 0);	/* adjacent */
	CHECK_EQ(getlk_other(fd, F_WRLCK, 20, 0, &fl), 0);
	CHECK_LOCK(fl, F_RDLCK, 40, 5, me);
	/* A write lock over part of the read lock, then the read lock over all. */
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 42, 1), 0);
	CHECK_EQ(getlk_other(fd, F_RDLCK, 20, 0, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 42, 1, me);
	CHECK_EQ(lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 0, 0), 0);
	CHECK_EQ(getlk_other(fd, F_RDLCK, 0, 0, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	CHECK_EQ(getlk_other(fd, F_WRLCK, 1 << 20, 1, &fl), 0);
	CHECK_LOCK(fl, F_RDLCK, 0, 0, me);
	sys_close(fd);
	scratch_remove();
}

/*
 * The child of t_lock_setlkw_waits: F_SETLKW sleeps until the parent
 * unlocks, then writes a byte to the pipe.
 */
struct waiter { long fd; int cmd; int pipe_w; };

static void
c_setlkw(void *arg)
{
	struct waiter *w = arg;
	long fd = w->fd;

	if (w->cmd == F_OFD_SETLKW) {
		/* An open file description of its own, the parent's closed. */
		sys_close(fd);
		fd = sys_open(LOCK_PATH, O_RDWR);
	}
	CCHECK_EQ(lk(fd, w->cmd, F_WRLCK, SEEK_SET, 5, 1), 0);
	sys_write(w->pipe_w, "x", 1);
}

/* Start c_setlkw, check it is still waiting after WAIT_MS; its pid or -1. */
static long
start_waiter(struct waiter *w, int *p)
{
	long pid;
	char c;

	if (sys2(SYS_pipe2, p, O_NONBLOCK) != 0)
		return -1;
	w->pipe_w = p[1];
	pid = ut_spawn(c_setlkw, w);
	if (pid < 0)
		return -1;
	ut_sleep_ms(WAIT_MS);
	if (sys_read(p[0], &c, 1) != -EAGAIN) {
		sys_kill(pid, SIGKILL);
		return -1;
	}
	return pid;
}

/* After the lock went: the waiter wrote its byte and exited 0. */
static int
waiter_done(long pid, int *p)
{
	int st = -1;
	char c = 0;

	ut_wait(pid, &st);
	sys_read(p[0], &c, 1);
	sys_close(p[0]);
	sys_close(p[1]);
	return c == 'x' && st == 0;
}

static void
t_lock_setlkw_waits(void)
{
	struct waiter w = { 0, F_SETLKW, 0 };
	int p[2];
	long pid;
	char c;

	CHECK_OK(w.fd, scratch_file(O_RDWR));
	CHECK_EQ(lk(w.fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	CHECK((pid = start_waiter(&w, p)) > 0, "F_SETLKW did not wait for the lock");
	/* Unlocking another part wakes nothing that can go on. */
	CHECK_EQ(lk(w.fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 5), 0);
	ut_sleep_ms(WAIT_MS / 2);
	CHECK_ERR(sys_read(p[0], &c, 1), EAGAIN);
	CHECK_EQ(lk(w.fd, F_SETLK, F_UNLCK, SEEK_SET, 5, 1), 0);
	CHECK(waiter_done(pid, p), "the waiter did not get the lock once it was free");
	sys_close(w.fd);
	scratch_remove();
}

static volatile int got_signal;

static void
on_usr1(int sig)
{
	(void)sig;
	got_signal++;
}

/* The child of t_lock_setlkw_eintr: arg says SA_RESTART or not. */
static void
c_setlkw_signal(void *arg)
{
	int restart = (int)(long)arg;
	struct sigaction sa = { 0 };
	struct flock fl;
	long fd, k;

	sa.sa_handler = on_usr1;
	sa.sa_flags = restart ? SA_RESTART : 0;
	CCHECK(sigaction(SIGUSR1, &sa, 0) == 0, "sigaction failed");
	CCHECK((fd = sys_open(LOCK_PATH, O_RDWR)) >= 0, "open failed");
	k = sys_fork();
	if (k == 0) {
		ut_sleep_ms(WAIT_MS / 2);
		sys_kill(sys_getppid(), SIGUSR1);
		sys_exit_group(0);
	}
	if (restart) {
		/* Restarted after the handler: it is still waiting when the parent kills it. */
		lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
		sys_exit_group(3);
	}
	CCHECK_EQ(lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1), -EINTR);
	CCHECK_EQ(got_signal, 1);
	/* The interrupted request took nothing: the parent's lock is still there. */
	CCHECK_EQ(getlk(fd, F_GETLK, F_WRLCK, 0, 1, &fl), 0);
	CCHECK_EQ(fl.l_type, F_WRLCK);
	CCHECK_EQ(fl.l_pid, sys_getppid());
	sys_wait4(k, 0, 0);
}

static void
t_lock_setlkw_eintr(void)
{
	long fd, pid;
	int st;

	CHECK_OK(fd, scratch_file(O_RDWR));
	CHECK_EQ(lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), 0);
	CHECK_EXIT(c_setlkw_signal, (void *)0, 0);
	CHECK_OK(pid, ut_spawn(c_setlkw_signal, (void *)1));
	ut_sleep_ms(2 * WAIT_MS);
	CHECK_EQ(sys_kill(pid, SIGKILL), 0);
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
	    "with SA_RESTART the child %s, want still waiting", ut_status_str(st));
	sys_close(fd);
	scratch_remove();
}

/*
 * A child of the deadlock tests: it locks byte l_byte, says so, and waits
 * for the byte before it; once it has that, it says so again and exits,
 * releasing both.
 */
struct link { long l_fd; int l_byte; int l_pipe_w; };

static void
c_deadlock(void *arg)
{
	struct link *l = arg;

	CCHECK_EQ(lk(l->l_fd, F_SETLK, F_WRLCK, SEEK_SET, l->l_byte, 1), 0);
	sys_write(l->l_pipe_w, "1", 1);
	CCHECK_EQ(lk(l->l_fd, F_SETLKW, F_WRLCK, SEEK_SET, l->l_byte - 1, 1), 0);
	sys_write(l->l_pipe_w, "x", 1);
}

static void
t_lock_deadlock(void)
{
	struct link w = { 0, 1, 0 };
	int p[2], st;
	long pid;
	char c;

	CHECK_OK(w.l_fd, scratch_file(O_RDWR));
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0);
	w.l_pipe_w = p[1];
	CHECK_EQ(lk(w.l_fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), 0);
	CHECK_OK(pid, ut_spawn(c_deadlock, &w));
	CHECK_EQ(sys_read(p[0], &c, 1), 1);
	ut_sleep_ms(WAIT_MS);	/* the child is asleep in F_SETLKW */
	/* Waiting for the child's byte 1 would wait for ourselves. */
	CHECK_ERR(lk(w.l_fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1), EDEADLK);
	CHECK_ERR(lk(w.l_fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1), EAGAIN);
	CHECK_ERR(lk(w.l_fd, F_SETLKW, F_RDLCK, SEEK_SET, 0, 2), EDEADLK);
	CHECK_EQ(lk(w.l_fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1), 0);
	CHECK_EQ(sys_read(p[0], &c, 1), 1);
	CHECK_EQ(c, 'x');
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(st == 0, "child %s", ut_status_str(st));
	sys_close(p[0]);
	sys_close(p[1]);
	sys_close(w.l_fd);
	scratch_remove();
}

/*
 * A longer cycle: child 1 holds byte 1 and waits for our byte 0, child 2
 * holds byte 2 and waits for child 1's byte 1; our wait for byte 2 would
 * close the cycle.
 */
static void
t_lock_deadlock_chain(void)
{
	struct link w1 = { 0, 1, 0 }, w2;
	int p[2], st, i;
	long pid1, pid2;
	char c;

	CHECK_OK(w1.l_fd, scratch_file(O_RDWR));
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0);
	w1.l_pipe_w = p[1];
	w2 = w1;
	w2.l_byte = 2;
	CHECK_EQ(lk(w1.l_fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1), 0);
	CHECK_OK(pid1, ut_spawn(c_deadlock, &w1));
	CHECK_EQ(sys_read(p[0], &c, 1), 1);
	ut_sleep_ms(WAIT_MS);
	CHECK_OK(pid2, ut_spawn(c_deadlock, &w2));
	CHECK_EQ(sys_read(p[0], &c, 1), 1);
	ut_sleep_ms(WAIT_MS);	/* both children asleep in F_SETLKW */
	CHECK_ERR(lk(w1.l_fd, F_SETLKW, F_RDLCK, SEEK_SET, 2, 1), EDEADLK);
	CHECK_ERR(lk(w1.l_fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 0), EDEADLK);
	/* Byte 0 freed: child 1 goes on and exits, then child 2. */
	CHECK_EQ(lk(w1.l_fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1), 0);
	for (i = 0; i < 2; i++) {
		CHECK_EQ(sys_read(p[0], &c, 1), 1);
		CHECK_EQ(c, 'x');
	}
	CHECK_EQ(ut_wait(pid1, &st), 0);
	CHECK(st == 0, "child 1 %s", ut_status_str(st));
	CHECK_EQ(ut_wait(pid2, &st), 0);
	CHECK(st == 0, "child 2 %s", ut_status_str(st));
	CHECK_EQ(lk(w1.l_fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0), 0);
	sys_close(p[0]);
	sys_close(p[1]);
	sys_close(w1.l_fd);
	scratch_remove();
}

/* The child of t_lock_release_exit: locks a range and exits holding it. */
static void
c_lock_and_exit(void *arg)
{
	CCHECK_EQ(lk(*(long *)arg, F_SETLK, F_WRLCK, SEEK_SET, 50, 10), 0);
}

static void
t_lock_release_close(void)
{
	long a, b, c, me = sys_getpid();
	struct flock fl;

	CHECK_OK(a, scratch_file(O_RDWR));
	CHECK_OK(b, sys_open(LOCK_PATH, O_RDONLY));
	CHECK_EQ(lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	CHECK_EQ(getlk_other(b, F_RDLCK, 0, 0, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 0, 10, me);
	/* Closing another descriptor of the file releases them all. */
	CHECK_EQ(sys_close(b), 0);
	CHECK_EQ(getlk_other(a, F_RDLCK, 0, 0, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	/* So does closing a dup, and dup2 over a descriptor of the file. */
	CHECK_EQ(lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	CHECK_OK(c, sys1(SYS_dup, a));
	CHECK_EQ(sys_close(c), 0);
	CHECK_EQ(getlk_other(a, F_RDLCK, 0, 0, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	CHECK_EQ(lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	CHECK_OK(c, sys1(SYS_dup, a));
	CHECK_OK(b, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys2(SYS_dup2, b, c), c);
	CHECK_EQ(getlk_other(a, F_RDLCK, 0, 0, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	sys_close(b);
	sys_close(c);
	/* A child's close of the shared descriptor leaves the parent's locks. */
	CHECK_EQ(lk(a, F_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	c = sys_fork();
	if (c == 0) {
		sys_close(a);
		sys_exit_group(0);
	}
	CHECK(c > 0, "fork failed");
	CHECK_EQ(ut_wait(c, &(int){ 0 }), 0);
	CHECK_EQ(getlk_other(a, F_RDLCK, 0, 0, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 0, 10, me);
	/* A process's locks go when it exits. */
	CHECK_EXIT(c_lock_and_exit, &a, 0);
	CHECK_EQ(lk(a, F_SETLK, F_WRLCK, SEEK_SET, 50, 10), 0);
	sys_close(a);
	scratch_remove();
}

/* The child of t_lock_ofd: an OFD lock of the inherited description is its own. */
static void
c_ofd_inherited(void *arg)
{
	long a = *(long *)arg, b;

	CCHECK_EQ(lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 20), 0);
	CCHECK((b = sys_open(LOCK_PATH, O_RDWR)) >= 0, "open failed");
	CCHECK_EQ(lk(b, F_OFD_SETLK, F_RDLCK, SEEK_SET, 15, 1), -EAGAIN);
	/* Its POSIX lock meets the OFD lock, whoever holds it. */
	CCHECK_EQ(lk(a, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), -EAGAIN);
}

static void
t_lock_ofd(void)
{
	long a, b, c, me = sys_getpid();
	struct flock fl;

	CHECK_OK(a, scratch_file(O_RDWR));
	CHECK_OK(b, sys_open(LOCK_PATH, O_RDWR));
	CHECK_EQ(lk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	/* Another open file description of the same process conflicts. */
	CHECK_ERR(lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1), EAGAIN);
	CHECK_EQ(getlk(b, F_OFD_GETLK, F_RDLCK, 0, 1, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 0, 10, -1);
	/* So do the process's own POSIX locks, either way round. */
	CHECK_EQ(getlk(b, F_GETLK, F_RDLCK, 0, 1, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 0, 10, -1);
	CHECK_ERR(lk(a, F_SETLK, F_RDLCK, SEEK_SET, 0, 1), EAGAIN);
	CHECK_EQ(lk(b, F_SETLK, F_WRLCK, SEEK_SET, 30, 1), 0);
	CHECK_ERR(lk(a, F_OFD_SETLK, F_RDLCK, SEEK_SET, 30, 1), EAGAIN);
	CHECK_EQ(getlk(a, F_OFD_GETLK, F_RDLCK, 0, 0, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 30, 1, me);
	CHECK_EQ(lk(b, F_SETLK, F_UNLCK, SEEK_SET, 0, 0), 0);
	/* A dup is the same description: no conflict, and its close releases nothing. */
	CHECK_OK(c, sys1(SYS_dup, a));
	CHECK_EQ(lk(c, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 10), 0);
	CHECK_EQ(getlk(a, F_OFD_GETLK, F_WRLCK, 0, 0, &fl), 0);
	CHECK_EQ(fl.l_type, F_UNLCK);
	CHECK_EQ(sys_close(c), 0);
	CHECK_EQ(getlk(b, F_OFD_GETLK, F_RDLCK, 0, 0, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 0, 15, -1);
	/* Nor does closing another descriptor of the file, as a POSIX lock's would. */
	CHECK_OK(c, sys_open(LOCK_PATH, O_RDONLY));
	CHECK_EQ(sys_close(c), 0);
	CHECK_ERR(lk(b, F_OFD_SETLK, F_RDLCK, SEEK_SET, 0, 1), EAGAIN);
	/* A child shares the description, and so the lock. */
	CHECK_EXIT(c_ofd_inherited, &a, 0);
	CHECK_EQ(getlk(b, F_OFD_GETLK, F_RDLCK, 0, 0, &fl), 0);
	CHECK_LOCK(fl, F_WRLCK, 0, 20, -1);
	/* The last close of the description releases it. */
	CHECK_EQ(sys_close(a), 0);
	CHECK_EQ(lk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 0), 0);
	sys_close(b);
	scratch_remove();
}

/* F_OFD_SETLKW of another description sleeps until the last close of the holder's. */
static void
t_lock_ofd_setlkw(void)
{
	struct waiter w = { 0, F_OFD_SETLKW, 0 };
	int p[2];
	long pid, fd;

	CHECK_OK(fd, scratch_file(O_RDWR));
	CHECK_EQ(lk(fd, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10), 0);
	w.fd = fd;
	CHECK((pid = start_waiter(&w, p)) > 0, "F_OFD_SETLKW did not wait for the lock");
	CHECK_EQ(sys_close(fd), 0);
	CHECK(waiter_done(pid, p), "the waiter did not get the lock once it was free");
	scratch_remove();
}

/*
 * Random requests of three owners of one process (its POSIX locks, the OFD
 * locks of two open file descriptions), checked against a model of the
 * rules: a byte map per owner, in which each lock is a maximal run of one
 * type (adjacent locks of a type merge), and F_GETLK reports the first
 * conflicting lock of the first owner with one, owners in the order their
 * first lock came (an owner whose locks all went starts again at the end).
 */
#define RND_BYTES	64		/* byte RND_BYTES - 1: "to the end, and beyond" */
#define RND_OWNERS	3		/* POSIX via fd a, OFD on a, OFD on b */
#define RND_STEPS	3000

struct rnd_model {
	signed char type[RND_OWNERS][RND_BYTES];	/* -1, F_RDLCK, F_WRLCK */
	int order[RND_OWNERS], n;			/* owners with locks */
};

static unsigned long rnd_state = 88172645463325252UL;

static unsigned long
rnd(unsigned long n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state % n;
}

static int
rnd_has_locks(const struct rnd_model *m, int o)
{
	for (int i = 0; i < RND_BYTES; i++)
		if (m->type[o][i] >= 0)
			return 1;
	return 0;
}

/* The model's F_GETLK: 1 and the lock in *fl, or 0 for none. */
static int
rnd_conflict(const struct rnd_model *m, int o, int type, int start, int end, struct flock *fl)
{
	for (int k = 0; k < m->n; k++) {
		int q = m->order[k];

		if (q == o)
			continue;
		for (int i = 0; i < RND_BYTES; ) {
			int t = m->type[q][i], j = i;

			while (j + 1 < RND_BYTES && m->type[q][j + 1] == t)
				j++;
			if (t >= 0 && i <= end && start <= j && (t == F_WRLCK || type == F_WRLCK)) {
				fl->l_type = t;
				fl->l_start = i;
				fl->l_len = j == RND_BYTES - 1 ? 0 : j - i + 1;
				fl->l_pid = q == 0 ? sys_getpid() : -1;
				return 1;
			}
			i = j + 1;
		}
	}
	return 0;
}

static void
rnd_apply(struct rnd_model *m, int o, int type, int start, int end)
{
	int had = rnd_has_locks(m, o), k;

	for (int i = start; i <= end; i++)
		m->type[o][i] = type == F_UNLCK ? -1 : type;
	if (!had && type != F_UNLCK) {
		m->order[m->n++] = o;
	} else if (had && !rnd_has_locks(m, o)) {
		for (k = 0; m->order[k] != o; k++)
			;
		for (; k + 1 < m->n; k++)
			m->order[k] = m->order[k + 1];
		m->n--;
	}
}

static void
t_lock_random(void)
{
	static struct rnd_model m;
	long fd[2], c;
	int step;

	memset(&m, -1, sizeof m.type);
	m.n = 0;
	CHECK_OK(fd[0], scratch_file(O_RDWR));
	CHECK_OK(fd[1], sys_open(LOCK_PATH, O_RDWR));
	for (step = 0; step < RND_STEPS; step++) {
		int o = (int)rnd(RND_OWNERS), op = (int)rnd(10), type = (int)rnd(3);
		long f = fd[o == 2], at = (long)rnd(48), len = (long)rnd(20) - 4, r;
		int start, end;
		struct flock fl, want;

		/* [at, at + len) or, for a negative len, [at + len, at); 0: to the end. */
		if (len == 0 && rnd(4))
			len = 1;
		if (at + len < 0)
			len = -at;
		start = (int)(len < 0 ? at + len : at);
		end = len > 0 ? (int)(at + len - 1) : len < 0 ? (int)at - 1 : RND_BYTES - 1;
		if (op == 0 && o == 0) {
			/* Any close of the file by the process: its POSIX locks go. */
			CHECK_OK(c, sys_open(LOCK_PATH, O_RDONLY));
			CHECK_EQ(sys_close(c), 0);
			rnd_apply(&m, 0, F_UNLCK, 0, RND_BYTES - 1);
			continue;
		}
		if (op < 4) {
			/* A query: F_GETLK for the POSIX owner, F_OFD_GETLK for the others. */
			type = type == F_UNLCK ? F_RDLCK : type;
			memset(&fl, 0, sizeof fl);
			fl.l_type = type;
			fl.l_start = at;
			fl.l_len = len;
			r = sys3(SYS_fcntl, f, o == 0 ? F_GETLK : F_OFD_GETLK, &fl);
			CHECK(r == 0, "step %d: get = %s", step, ut_rstr(r));
			if (!rnd_conflict(&m, o, type, start, end, &want)) {
				CHECK(fl.l_type == F_UNLCK, "step %d: owner %d type %d %d..%d: got a lock "
				    "type %d at %ld+%ld, want none", step, o, type, start, end,
				    fl.l_type, (long)fl.l_start, (long)fl.l_len);
			} else {
				CHECK(fl.l_type == want.l_type && fl.l_start == want.l_start &&
				    fl.l_len == want.l_len && fl.l_pid == want.l_pid,
				    "step %d: owner %d type %d %d..%d: got type %d %ld+%ld pid %d, "
				    "want type %d %ld+%ld pid %d", step, o, type, start, end,
				    fl.l_type, (long)fl.l_start, (long)fl.l_len, fl.l_pid,
				    want.l_type, (long)want.l_start, (long)want.l_len, want.l_pid);
			}
			continue;
		}
		r = lk(f, o == 0 ? F_SETLK : F_OFD_SETLK, type, SEEK_SET, at, len);
		if (type != F_UNLCK && rnd_conflict(&m, o, type, start, end, &want)) {
			CHECK(r == -EAGAIN, "step %d: owner %d type %d %d..%d = %s, want -EAGAIN",
			    step, o, type, start, end, ut_rstr(r));
		} else {
			CHECK(r == 0, "step %d: owner %d type %d %d..%d = %s, want 0",
			    step, o, type, start, end, ut_rstr(r));
			rnd_apply(&m, o, type, start, end);
		}
	}
	sys_close(fd[0]);
	sys_close(fd[1]);
	scratch_remove();
}

const struct utest lock_tests[] = {
	{ "fcntl locks: bad struct flock pointers -> EFAULT", t_lock_efault, 0 },
	{ "fcntl locks: bad l_type, l_whence, range, command, l_pid -> EINVAL", t_lock_einval, 0 },
	{ "fcntl locks: ranges past OFFSET_MAX -> EOVERFLOW", t_lock_eoverflow, 0 },
	{ "fcntl locks: a lock type the fd's mode does not allow -> EBADF", t_lock_ebadf_mode, 0 },
	{ "fcntl locks: parent and child conflict (F_GETLK, F_SETLK EAGAIN)", t_lock_conflict, 0 },
	{ "fcntl locks: one owner's locks split, merge and convert", t_lock_split_merge, 0 },
	{ "fcntl F_SETLKW sleeps until the conflicting lock goes", t_lock_setlkw_waits, 0 },
	{ "fcntl F_SETLKW: a handler -> EINTR, with SA_RESTART it waits on", t_lock_setlkw_eintr, 0 },
	{ "fcntl F_SETLKW closing a cycle of waiters -> EDEADLK", t_lock_deadlock, 0 },
	{ "fcntl F_SETLKW closing a cycle of three processes -> EDEADLK", t_lock_deadlock_chain, 0 },
	{ "fcntl locks go on any close of the file by their process, and at exit", t_lock_release_close, 0 },
	{ "fcntl OFD locks: owned by the open file description", t_lock_ofd, 0 },
	{ "fcntl F_OFD_SETLKW sleeps until the holder's last close", t_lock_ofd_setlkw, 0 },
	{ "fcntl locks: 3000 random requests of three owners against a model", t_lock_random, 0 },
	{ 0, 0, 0 },
};
