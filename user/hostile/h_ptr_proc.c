/*
 * h_ptr_proc.c: bad pointers for the process calls, wait4, execve and
 * set_tid_address, and the kernel's copies into copy-on-write pages.
 *
 * Linux's answers: -EFAULT, with the child reaped all the same when wait4
 * cannot store its status or rusage; -EFAULT or -E2BIG from execve before
 * anything is replaced, and -EACCES for a file no one may execute; nothing
 * from set_tid_address until a thread sharing the memory exits.  A write
 * by the kernel or the child into a page shared copy-on-write never
 * reaches the other process, whatever the protections at the fork.
 *
 * Interface: ptr_proc_tests[] (hostile.h).
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "../utest/echoargs.h"
#include "hostile.h"

#define INIT() CHECK(h_bad_init() == 0, "h_bad_init failed")

static const char text_probe[] = "text";

/* ---- wait4 ---- */

static void c_exit0(void *a) { (void)a; }

static void
t_wait4(void)
{
	long pid;
	int st;

	INIT();
	/* For each bad status pointer: -EFAULT, and the child is reaped all the same. */
	for (int k = 1; k < H_NBAD; k++) {
		CHECK_OK(pid, ut_spawn(c_exit0, 0));
		ut_sleep_ms(20);
		CHECK_EQ(sys4(SYS_wait4, pid, h_bad[k], 0, 0), -EFAULT);
		CHECK_ERR(sys4(SYS_wait4, pid, &st, WNOHANG, 0), ECHILD);
	}
	CHECK_OK(pid, ut_spawn(c_exit0, 0));
	CHECK_ERR(sys4(SYS_wait4, pid, h_ro, 0, 0), EFAULT);
	CHECK_ERR(sys4(SYS_wait4, pid, &st, WNOHANG, 0), ECHILD);
	CHECK_OK(pid, ut_spawn(c_exit0, 0));
	CHECK_ERR(sys4(SYS_wait4, pid, h_guard - 2, 0, 0), EFAULT);
	CHECK_ERR(sys4(SYS_wait4, pid, &st, WNOHANG, 0), ECHILD);
}

/*
 * A bad rusage: Linux reaps the child, then fails the copy (-EFAULT); with
 * no child to report, rusage is never written (-ECHILD).
 */
static void
t_wait4_rusage_none(void)
{
	int st;

	CHECK_ERR(sys4(SYS_wait4, -1, &st, WNOHANG, A_KHALF), ECHILD);
	CHECK_ERR(sys4(SYS_wait4, -1, &st, 0, A_KHALF), ECHILD);
}

static void
t_wait4_rusage(void)
{
	long pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_exit0, 0));
	CHECK_ERR(sys4(SYS_wait4, pid, &st, 0, A_KHALF), EFAULT);
	CHECK_ERR(sys4(SYS_wait4, pid, &st, WNOHANG, 0), ECHILD);
}

/* ---- execve ---- */

static void
t_execve(void)
{
	char *argv[] = { ECHOARGS_PATH, 0 }, *envp[] = { "A=1", 0 };
	char *bad[2] = { 0, 0 };
	static char *many[1 << 20];

	INIT();
	/* Each would replace this process if it wrongly worked. */
	CHECK_EFAULT(sys_execve((char *)P, argv, envp));
	/* A null argv or envp is an empty one (Linux): skip h_bad[0]. */
	for (int k = 1; k < H_NBAD; k++) {
		CHECK_ERR(sys_execve(ECHOARGS_PATH, (char **)h_bad[k], envp), EFAULT);
		CHECK_ERR(sys_execve(ECHOARGS_PATH, argv, (char **)h_bad[k]), EFAULT);
	}
	/* A null first string is an empty argv or envp: skip null. */
	CHECK_EFAULT_NN((bad[0] = (char *)P, sys_execve(ECHOARGS_PATH, bad, envp)));
	CHECK_EFAULT_NN((bad[0] = (char *)P, sys_execve(ECHOARGS_PATH, argv, bad)));
	CHECK_ERR(sys_execve(h_unterminated(), argv, envp), EFAULT);
	bad[0] = h_unterminated();
	CHECK_ERR(sys_execve(ECHOARGS_PATH, bad, envp), EFAULT);
	CHECK_ERR(sys_execve(ECHOARGS_PATH, argv, bad), EFAULT);
	/* An argv array that runs into the hole (no null pointer before it). */
	*(char **)(h_guard - 8) = ECHOARGS_PATH;
	CHECK_ERR(sys_execve(ECHOARGS_PATH, (char **)(h_guard - 8), envp), EFAULT);
	/* A million pointers to one string: too much for any exec. */
	for (size_t i = 0; i < sizeof many / sizeof many[0] - 1; i++)
		many[i] = "0123456789abcdef0123456789abcdef";
	CHECK_ERR(sys_execve(ECHOARGS_PATH, many, envp), E2BIG);
	CHECK_ERR(sys_execve(ECHOARGS_PATH, argv, many), E2BIG);
}

/*
 * A program without execute permission: -EACCES, root or not (Linux
 * wants at least one x bit, even for root).  A copy of echoargs with mode
 * 0644, and data.txt.
 */
static void
t_execve_noexec(void)
{
	static char image[1 << 20];
	char *argv[] = { "/tmp/hostile-noexec", 0 };
	long fd, n;

	CHECK_OK(fd, sys_open(ECHOARGS_PATH, O_RDONLY));
	CHECK_OK(n, sys_read(fd, image, sizeof image));
	CHECK(n > 0 && n < (long)sizeof image, "echoargs: %ld bytes", n);
	sys1(SYS_unlink, argv[0]);
	CHECK_OK(fd, sys3(SYS_open, argv[0], O_WRONLY | O_CREAT | O_EXCL, 0644));
	CHECK_EQ(sys_write(fd, image, n), n);
	CHECK_EQ(sys_close(fd), 0);
	/* If this wrongly works, this process becomes echoargs. */
	CHECK_ERR(sys_execve(argv[0], argv, 0), EACCES);
	CHECK_ERR(sys_execve(DATA_PATH, argv, 0), EACCES);
	CHECK_ERR(sys_execve("/test", argv, 0), EACCES);
}

/* set_tid_address with a bad pointer: nothing happens until exit, and then nothing either. */
static void
c_tid(void *a)
{
	CCHECK_EQ(sys1(SYS_set_tid_address, a), sys_getpid());
}

static void
t_set_tid_address(void)
{
	INIT();
	for (int k = 0; k < H_NBAD; k++)
		CHECK_EXIT(c_tid, (void *)h_bad[k], 0);
	CHECK_EXIT(c_tid, h_ro, 0);
	CHECK_EXIT(c_tid, (void *)text_probe, 0);
}

/* ---- copy-on-write: the kernel's copies into a shared page ---- */

static char cow_buf[2 * PGSIZE] __attribute__((aligned(4096)));

static void
c_cow(void *a)
{
	long fd = sys_open(DATA_PATH, O_RDONLY);

	(void)a;
	CCHECK(fd >= 0, "open: %s", ut_rstr(fd));
	/* Written by the kernel, each into a page shared with the parent. */
	CCHECK_EQ(sys_read(fd, cow_buf, 100), 100);
	CCHECK_EQ(sys1(SYS_uname, cow_buf + PGSIZE), 0);
	CCHECK(memcmp(cow_buf, "00: the", 7) == 0, "read did not land");
}

static void
t_cow(void)
{
	memset(cow_buf, 'P', sizeof cow_buf);
	CHECK_EXIT(c_cow, 0, 0);
	for (size_t i = 0; i < sizeof cow_buf; i++)
		CHECK(cow_buf[i] == 'P', "byte %zu of the parent's page changed", i);
}

/*
 * Pages that are PROT_NONE or read-only at the fork, made writable again
 * on one side: each side writes its own copy.
 */
static char *iso_page[2];

static void
c_iso(void *a)
{
	(void)a;
	for (int i = 0; i < 2; i++) {
		CCHECK_EQ(sys_mprotect(iso_page[i], PGSIZE, PROT_READ | PROT_WRITE), 0);
		CCHECK_EQ(iso_page[i][0], 'P');
		iso_page[i][0] = 'C';
	}
}

static void
t_cow_protected(void)
{
	for (int i = 0; i < 2; i++) {
		long p;

		CHECK_OK(p, sys_mmap(0, PGSIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
		iso_page[i] = (char *)p;
		iso_page[i][0] = 'P';	/* the page has a frame now */
		CHECK_EQ(sys_mprotect(iso_page[i], PGSIZE, i == 0 ? PROT_NONE : PROT_READ), 0);
	}
	CHECK_EXIT(c_iso, 0, 0);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(sys_mprotect(iso_page[i], PGSIZE, PROT_READ | PROT_WRITE), 0);
		CHECK(iso_page[i][0] == 'P', "%s page: the child's write reached the parent",
		    i == 0 ? "PROT_NONE" : "read-only");
	}
}

const struct htest ptr_proc_tests[] = {
	{ "wait4 with a bad status -> -EFAULT, child reaped", t_wait4, 0 },
	{ "wait4 with a bad rusage and no child -> -ECHILD", t_wait4_rusage_none, 0 },
	{ "wait4 with a bad rusage -> -EFAULT, child reaped", t_wait4_rusage, 0 },
	{ "execve with bad path, argv, envp, strings; too many arguments -> -EFAULT, -E2BIG",
	  t_execve, 0 },
	{ "execve of files without execute permission -> -EACCES", t_execve_noexec, 0 },
	{ "set_tid_address with bad pointers, then exit -> exited 0", t_set_tid_address, 0 },
	{ "kernel copies into copy-on-write pages do not reach the parent", t_cow, 0 },
	{ "PROT_NONE and read-only pages at fork, made writable: copy-on-write still",
	  t_cow_protected, 0 },
	{ 0, 0, 0 },
};
