/*
 * h_exhaust.c: running the kernel out of processes, memory and
 * descriptors.  Each exhaustion happens in the case's child (or its
 * children), which then gives everything back; the runner checks on keel
 * that sysinfo's free memory came back (HT_MEM).  The kernel must answer
 * the failing call with an errno, keep working while exhausted, and
 * recover.
 *
 *   - fork until it fails: -EAGAIN (a process limit; Linux's is
 *     threads-max, from the memory size) or -ENOMEM;
 *   - anonymous memory touched until something gives: mmap -ENOMEM, or
 *     the process killed, by SIGKILL (Linux's OOM killer) or SIGSEGV/SIGBUS
 *     (a kernel without one, failing the page fault);
 *   - open until -EMFILE (Linux 1024, keel 64), dup and pipe2 too.
 *
 * Interface: exhaust_tests[] (hostile.h).
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "hostile.h"

#define MAX_FORKS	65536

static int pids[MAX_FORKS];

/* A forked process that only waits to be killed. */
static void __attribute__((noreturn))
idle(void)
{
	for (;;)
		sys0(SYS_pause);
}

static void
t_fork_bomb(void)
{
	long n = 0, r, fd;
	int st;

	for (;;) {
		r = sys_fork();
		if (r == 0)
			idle();
		if (r < 0)
			break;
		if (n == MAX_FORKS) {
			sys_kill(r, SIGKILL);
			sys_wait4(r, &st, 0);
			break;
		}
		pids[n++] = r;
	}
	ut_print("# fork failed after %ld children: %s\n", n, ut_rstr(r));
	CHECK(n < MAX_FORKS, "%d forks and no failure", MAX_FORKS);
	CHECK(r == -EAGAIN || r == -ENOMEM, "fork: %s, want -EAGAIN or -ENOMEM", ut_rstr(r));
	CHECK(n > 0, "no fork at all");
	/* Exhausted, the kernel still answers. */
	CHECK_EQ(sys_getppid() > 0, 1);
	CHECK_OK(fd, sys_open("/test/data.txt", O_RDONLY));
	CHECK_EQ(sys_close(fd), 0);
	/* Kill and reap them all; then forking works again. */
	for (long i = 0; i < n; i++)
		CHECK_EQ(sys_kill(pids[i], SIGKILL), 0);
	for (long i = 0; i < n; i++) {
		CHECK_EQ(sys_wait4(pids[i], &st, 0), pids[i]);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "child %s", ut_status_str(st));
	}
	CHECK_ERR(sys_wait4(-1, &st, WNOHANG), ECHILD);
	r = sys_fork();
	if (r == 0)
		sys_exit_group(0);
	CHECK(r > 0, "fork after the bomb: %s", ut_rstr(r));
	CHECK_EQ(sys_wait4(r, &st, 0), r);
}

#define CHUNK	(16UL << 20)

/* Map and touch 16 MiB at a time until mmap fails (or this process is killed). */
static void
c_hog(void *a)
{
	unsigned long total = 0;

	(void)a;
	for (;;) {
		long p = sys_mmap(0, CHUNK, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == -ENOMEM)
			sys_exit_group(0);
		CCHECK(!sys_iserr(p), "mmap: %s after %lu MiB", ut_rstr(p), total >> 20);
		for (unsigned long off = 0; off < CHUNK; off += PGSIZE)
			((volatile char *)p)[off] = 1;
		total += CHUNK;
	}
}

static void
t_memory(void)
{
	long pid, r, p;
	int st;

	CHECK_OK(pid, ut_spawn(c_hog, 0));
	/*
	 * A blocking wait: while memory is short, this process must not
	 * touch a page it shares with the hog (copy-on-write needs a frame).
	 */
	r = sys_wait4(pid, &st, 0);
	CHECK_EQ(r, pid);
	ut_print("# memory hog: %s\n", ut_status_str(st));
	CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
	    (WIFSIGNALED(st) && (WTERMSIG(st) == SIGKILL || WTERMSIG(st) == SIGSEGV ||
	    WTERMSIG(st) == SIGBUS)),
	    "hog %s, want exited 0 (mmap -ENOMEM) or killed by SIGKILL, SIGSEGV, SIGBUS",
	    ut_status_str(st));
	/* The memory is back: 64 MiB can be mapped and touched again. */
	CHECK_OK(p, sys_mmap(0, 4 * CHUNK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	for (unsigned long off = 0; off < 4 * CHUNK; off += PGSIZE)
		((volatile char *)p)[off] = 1;
	CHECK_EQ(sys_munmap((void *)p, 4 * CHUNK), 0);
}

static void
t_fds(void)
{
	long fd, first = -1, last = -1, n = 0, r;
	int p[2];

	for (;;) {
		fd = sys_open("/dev/null", O_RDONLY);
		if (fd < 0)
			break;
		if (first < 0)
			first = fd;
		last = fd;
		n++;
		CHECK(n < 1 << 20, "a million descriptors and no -EMFILE");
	}
	ut_print("# %ld descriptors opened, then %s\n", n, ut_rstr(fd));
	CHECK_ERR(fd, EMFILE);
	/* Every call that makes a descriptor fails the same way. */
	CHECK_ERR(sys1(SYS_dup, 0), EMFILE);
	CHECK_ERR(sys3(SYS_fcntl, 0, F_DUPFD, 0), EMFILE);
	CHECK_ERR(sys2(SYS_pipe2, p, 0), EMFILE);
	CHECK_ERR(sys4(SYS_openat, AT_FDCWD, "/test", O_RDONLY, 0), EMFILE);
	/* One free slot: a pipe needs two, and must not leave one behind. */
	CHECK_EQ(sys_close(last), 0);
	CHECK_ERR(sys2(SYS_pipe2, p, 0), EMFILE);
	CHECK_OK(r, sys_open("/dev/null", O_RDONLY));
	CHECK_EQ(r, last);
	/* dup2 onto an open slot still works at the limit. */
	CHECK_EQ(sys2(SYS_dup2, 0, last), last);
	/* Give them back: all of them can be opened again. */
	for (fd = first; fd <= last; fd++)
		CHECK_EQ(sys_close(fd), 0);
	CHECK_OK(r, sys_open("/dev/null", O_RDONLY));
	CHECK_EQ(r, first);
}

/* Pipes until the descriptors run out, each with data in it, from many processes. */
static void
c_pipes(void *a)
{
	long n = 0;
	int p[2];

	(void)a;
	for (;;) {
		long r = sys2(SYS_pipe2, p, O_NONBLOCK);

		if (r == -EMFILE || r == -ENOMEM || r == -ENFILE)
			break;
		CCHECK_EQ(r, 0);
		CCHECK_EQ(sys_write(p[1], "data", 4), 4);
		n++;
	}
	CCHECK(n > 0, "no pipe at all");
	idle();
}

static void
t_pipes(void)
{
	long kids[16];
	int st;

	/* 16 processes, each with as many pipes as it may have. */
	for (int i = 0; i < 16; i++)
		CHECK_OK(kids[i], ut_spawn(c_pipes, 0));
	ut_sleep_ms(500);
	for (int i = 0; i < 16; i++) {
		CHECK_EQ(sys_kill(kids[i], SIGKILL), 0);
		CHECK_EQ(sys_wait4(kids[i], &st, 0), kids[i]);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL,
		    "pipe child %d %s", i, ut_status_str(st));
	}
}

/*
 * Failing opens and writes, thousands of them: nothing may stay
 * allocated.  /proc files for writing (root opens them, the write fails:
 * -EINVAL, -EIO; -ENOENT where /proc is not mounted, as in Linux's bare
 * initramfs), missing files, directories for writing.
 */
static void
t_failed_opens(void)
{
	static const char *const paths[] = {
		"/proc/self/stat", "/proc/meminfo", "/proc/uptime", "/proc",
	};

	for (int i = 0; i < 2000; i++) {
		long r = sys_open(paths[i % 4], O_WRONLY);

		if (r >= 0) {
			long w = sys_write(r, "x", 1);

			sys_close(r);
			CHECK(w == -EINVAL || w == -EIO, "write(%s) = %s", paths[i % 4],
			    ut_rstr(w));
		} else {
			CHECK(r == -ENOENT || r == -EISDIR,
			    "open(%s, O_WRONLY) = %s", paths[i % 4], ut_rstr(r));
		}
		CHECK_ERR(sys_open("/no/such/file", O_RDONLY), ENOENT);
		CHECK_ERR(sys_open("/test", O_WRONLY), EISDIR);
	}
}

const struct htest exhaust_tests[] = {
	{ "exhaust: fork until it fails -> -EAGAIN or -ENOMEM; kill, reap, fork again",
	  t_fork_bomb, HT_MEM | HT_LONG },
	{ "exhaust: touch anonymous memory until it runs out; all of it comes back",
	  t_memory, HT_MEM | HT_LONG },
	{ "exhaust: open until -EMFILE; dup, fcntl, pipe2, openat at the limit", t_fds, HT_MEM },
	{ "exhaust: pipes with data in them until -EMFILE, in 16 processes", t_pipes, HT_MEM },
	{ "exhaust: 6000 failing opens (/proc for writing, missing, directories): no leak",
	  t_failed_opens, HT_MEM },
	{ 0, 0, 0 },
};
