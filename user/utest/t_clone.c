/*
 * t_clone.c: clone without threads (glibc's fork is clone(SIGCHLD), with
 * CHILD_SETTID and CHILD_CLEARTID; posix_spawn is CLONE_VM|CLONE_VFORK),
 * and the small calls every glibc and musl program makes: tkill, tgkill,
 * getrandom, set_robust_list, umask, clock_nanosleep.  Each as Linux
 * answers it (tools/linux-check).
 *
 * Interface: clone_tests[] (utest.h).
 */
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "utest.h"
#include "echoargs.h"

#define SYS_clone		56
#define SYS_umask		95
#define SYS_tkill		200
#define SYS_clock_nanosleep	230
#define SYS_tgkill		234
#define SYS_set_robust_list	273
#define SYS_get_robust_list	274
#define SYS_getrandom		318
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_SETTID	0x01000000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_THREAD		0x00010000
#define CLONE_SIGHAND		0x00000800
#define CLONE_VM		0x00000100

extern char **environ;

static void
t_clone_fork(void)
{
	static int ptid, ctid;
	long pid;
	int st;

	ptid = ctid = -1;
	pid = sys6(SYS_clone, SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID,
	    0, (long)&ptid, (long)&ctid, 0, 0);
	if (pid == 0) {
		/* The child: its own copy of ctid holds its pid; ptid was the parent's. */
		sys_exit_group(ctid == sys_getpid() ? 7 : 1);
	}
	CHECK(pid > 0, "clone: %s", ut_rstr(pid));
	CHECK_EQ(ptid, pid);
	CHECK_EQ(ctid, -1);		/* the parent's copy is untouched */
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7, "child %s", ut_status_str(st));
}

static void
t_clone_bad_flags(void)
{
	/* Linux's copy_process: THREAD needs SIGHAND, SIGHAND needs VM. */
	CHECK_ERR(sys6(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0, 0), EINVAL);
	CHECK_ERR(sys6(SYS_clone, CLONE_SIGHAND | SIGCHLD, 0, 0, 0, 0, 0), EINVAL);
}

static void
t_posix_spawn(void)
{
	char *argv[] = { "echoargs", "exit", "3", 0 };
	pid_t pid;
	int st, r;

	/* musl and glibc: clone(CLONE_VM | CLONE_VFORK | SIGCHLD) and exec. */
	r = posix_spawn(&pid, ECHOARGS_PATH, 0, 0, argv, environ);
	CHECK_EQ(r, 0);
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "echoargs %s, want exited 3",
	    ut_status_str(st));
	/* A program that is not there: the error comes back from the child. */
	r = posix_spawn(&pid, "/test/no-such-program", 0, 0, argv, environ);
	CHECK_EQ(r, ENOENT);
}

static volatile int vfork_usr1;

static void
on_vfork_usr1(int sig)
{
	(void)sig;
	vfork_usr1++;
}

/*
 * A CLONE_VFORK parent that a signal reaches while it waits: it waits
 * on (the handler runs after), and the child meanwhile gets the CPU.  The
 * child runs on the parent's stack (CLONE_VM, on Linux), so it makes
 * only raw system calls: kill(parent, SIGUSR1), a 100 ms nanosleep, exit.
 */
static void
c_vfork_signal(void *a)
{
	static const struct timespec nap = { 0, 100 * 1000000 };
	long ppid = sys_getpid(), r;
	long long t0;

	(void)a;
	CCHECK(signal(SIGUSR1, on_vfork_usr1) != SIG_ERR, "signal");
	t0 = ut_now_ns();
	__asm__ volatile(
	    "syscall\n\t"
	    "test %%rax, %%rax\n\t"
	    "jnz 1f\n\t"
	    "mov $62, %%eax\n\t"		/* kill(ppid, SIGUSR1) */
	    "mov %[ppid], %%rdi\n\t"
	    "mov $10, %%esi\n\t"
	    "syscall\n\t"
	    "mov $35, %%eax\n\t"		/* nanosleep(&nap, 0) */
	    "mov %[nap], %%rdi\n\t"
	    "xor %%esi, %%esi\n\t"
	    "syscall\n\t"
	    "mov $60, %%eax\n\t"		/* exit(0) */
	    "xor %%edi, %%edi\n\t"
	    "syscall\n"
	    "1:"
	    : "=a"(r)
	    : "a"(SYS_clone), "D"(CLONE_VM | 0x4000 /* CLONE_VFORK */ | SIGCHLD), "S"(0L),
	      "d"(0L), [ppid] "r"(ppid), [nap] "r"(&nap)
	    : "rcx", "r8", "r9", "r10", "r11", "memory");
	CCHECK(r > 0, "clone(CLONE_VM|CLONE_VFORK): %s", ut_rstr(r));
	CCHECK(ut_now_ns() - t0 >= 100 * 1000000LL, "the parent went on after %lld ns",
	    ut_now_ns() - t0);
	CCHECK_EQ(vfork_usr1, 1);
	CCHECK_EQ(sys_wait4(r, 0, 0), r);
}

static void
t_vfork_signal(void)
{
	CHECK_EXIT(c_vfork_signal, 0, 0);
}

static volatile int got_usr1;

static void
on_usr1(int sig)
{
	(void)sig;
	got_usr1++;
}

static void
c_tkill(void *a)
{
	long me = sys_getpid();

	(void)a;
	CCHECK(signal(SIGUSR1, on_usr1) != SIG_ERR, "signal");
	CCHECK_EQ(sys2(SYS_tkill, me, SIGUSR1), 0);
	CCHECK_EQ(got_usr1, 1);
	CCHECK_EQ(sys3(SYS_tgkill, me, me, SIGUSR1), 0);
	CCHECK_EQ(got_usr1, 2);
	CCHECK_EQ(sys3(SYS_tgkill, me, me, 0), 0);
	CCHECK_EQ(sys2(SYS_tkill, 0, SIGUSR1), -EINVAL);
	CCHECK_EQ(sys2(SYS_tkill, -1, SIGUSR1), -EINVAL);
	CCHECK_EQ(sys3(SYS_tgkill, 0, me, SIGUSR1), -EINVAL);
	CCHECK_EQ(sys3(SYS_tgkill, me, 0, SIGUSR1), -EINVAL);
	CCHECK_EQ(sys2(SYS_tkill, me, 65), -EINVAL);
	CCHECK_EQ(sys2(SYS_tkill, 4000000, SIGUSR1), -ESRCH);
	/* kill(2) finds the target before it judges the signal (Linux). */
	CCHECK_EQ(sys_kill(me, 65), -EINVAL);
	CCHECK_EQ(sys_kill(4000000, 65), -ESRCH);
	CCHECK_EQ(sys_kill(-4000000, 65), -ESRCH);
	CCHECK_EQ(got_usr1, 2);
}

static void
t_tkill(void)
{
	CHECK_EXIT(c_tkill, 0, 0);
}

static void
t_getrandom(void)
{
	unsigned char a[64], b[64], zero[64] = { 0 };

	CHECK_EQ(sys3(SYS_getrandom, a, sizeof a, 0), sizeof a);
	CHECK_EQ(sys3(SYS_getrandom, b, sizeof b, 1 /* GRND_NONBLOCK */), sizeof b);
	CHECK(memcmp(a, b, sizeof a) != 0 && memcmp(a, zero, sizeof a) != 0,
	    "two draws are equal or zero");
	CHECK_EQ(sys3(SYS_getrandom, a, 0, 0), 0);
	CHECK_ERR(sys3(SYS_getrandom, a, sizeof a, 0x100), EINVAL);
	CHECK_ERR(sys3(SYS_getrandom, a, sizeof a, 2 | 4), EINVAL);	/* RANDOM | INSECURE */
	CHECK_ERR(sys3(SYS_getrandom, 0, 16, 0), EFAULT);
}

/*
 * /dev/random and /dev/urandom (1,8 and 1,9): draws that differ, writes
 * taken, EFAULT before anything is read.  Linux's bare initramfs /dev has
 * neither: made with mknod there.
 */
static void
t_dev_random(void)
{
	static const char *const path[] = { "/dev/random", "/dev/urandom" };
	unsigned char a[300], b[300];
	struct stat st;
	long fd;

	for (int i = 0; i < 2; i++) {
		if (sys_open(path[i], O_RDONLY) == -ENOENT)
			sys3(SYS_mknod, path[i], S_IFCHR | 0666, (1 << 8) | (8 + i));
		CHECK_OK(fd, sys_open(path[i], O_RDWR));
		CHECK_EQ(sys2(SYS_fstat, fd, &st), 0);
		CHECK(S_ISCHR(st.st_mode) && st.st_rdev == (unsigned)((1 << 8) | (8 + i)),
		    "%s: mode 0%o rdev 0x%lx", path[i], st.st_mode, (unsigned long)st.st_rdev);
		CHECK_EQ(sys_read(fd, a, sizeof a), sizeof a);
		CHECK_EQ(sys_read(fd, b, sizeof b), sizeof b);
		CHECK(memcmp(a, b, sizeof a) != 0, "%s: two reads are equal", path[i]);
		CHECK_EQ(sys_write(fd, a, 10), 10);
		CHECK_ERR(sys_read(fd, (void *)8, 16), EFAULT);
		sys_close(fd);
	}
}

static void
c_robust(void *a)
{
	static long head[3];
	long got = 0, len = 0;

	(void)a;
	CCHECK_EQ(sys2(SYS_set_robust_list, head, 23), -EINVAL);
	CCHECK_EQ(sys2(SYS_set_robust_list, head, 24), 0);
	CCHECK_EQ(sys3(SYS_get_robust_list, 0, &got, &len), 0);
	CCHECK(got == (long)head && len == 24, "get_robust_list: %#lx, %ld", got, len);
}

static void
t_robust_list(void)
{
	CHECK_EXIT(c_robust, 0, 0);
}

static void
c_umask(void *a)
{
	struct stat st;

	(void)a;
	sys1(SYS_umask, 022);
	CCHECK_EQ(sys1(SYS_umask, 027), 022);
	unlink("/tmp/umask-f");
	rmdir("/tmp/umask-d");
	CCHECK(close(open("/tmp/umask-f", O_CREAT | O_WRONLY, 0666)) == 0, "creat");
	CCHECK(stat("/tmp/umask-f", &st) == 0 && (st.st_mode & 07777) == 0640,
	    "file mode %o, want 640", st.st_mode & 07777);
	CCHECK_EQ(mkdir("/tmp/umask-d", 0777), 0);
	CCHECK(stat("/tmp/umask-d", &st) == 0 && (st.st_mode & 07777) == 0750,
	    "directory mode %o, want 750", st.st_mode & 07777);
	CCHECK_EQ(sys1(SYS_umask, 01777), 027);	/* only the permission bits */
	CCHECK_EQ(sys1(SYS_umask, 0), 0777);
	unlink("/tmp/umask-f");
	rmdir("/tmp/umask-d");
}

static void
t_umask(void)
{
	CHECK_EXIT(c_umask, 0, 0);
}

static void
t_clock_nanosleep(void)
{
	struct timespec d = { 0, 50 * 1000000 }, past = { 0, 1 }, bad = { 0, 1000000000 };
	long long t0 = ut_now_ns();

	CHECK_EQ(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &d, 0), 0);
	CHECK(ut_now_ns() - t0 >= 50 * 1000000LL, "slept %lld ns", ut_now_ns() - t0);
	CHECK_EQ(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 1 /* TIMER_ABSTIME */, &past, 0), 0);
	CHECK_EQ(sys4(SYS_clock_nanosleep, CLOCK_REALTIME, 1, &past, 0), 0);
	CHECK_ERR(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, 0), EINVAL);
	CHECK_ERR(sys4(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &d, 0), EOPNOTSUPP);
	CHECK_ERR(sys4(SYS_clock_nanosleep, 99, 0, &d, 0), EINVAL);
	CHECK_ERR(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, 0, 0), EFAULT);
}

static void
t_time_calls(void)
{
	struct timespec ts;
	struct { long sec, usec; } tv;
	struct { int west, dst; } tz = { 1, 1 };
	long t, t2;

	CHECK_EQ(sys2(SYS_clock_gettime, CLOCK_REALTIME, &ts), 0);
	CHECK_EQ(sys2(SYS_gettimeofday, &tv, &tz), 0);
	CHECK(tv.sec >= ts.tv_sec && tv.sec <= ts.tv_sec + 1 && tv.usec >= 0 &&
	    tv.usec < 1000000, "gettimeofday %ld.%06ld against %ld", tv.sec, tv.usec,
	    (long)ts.tv_sec);
	CHECK_EQ(sys2(SYS_gettimeofday, 0, 0), 0);
	t = sys1(SYS_time, 0);
	CHECK(t >= ts.tv_sec && t <= ts.tv_sec + 1, "time %ld against %ld", t, (long)ts.tv_sec);
	CHECK_EQ(sys1(SYS_time, &t2), t2);
	CHECK_ERR(sys2(SYS_gettimeofday, 1, 0), EFAULT);
}

const struct utest clone_tests[] = {
	{ "gettimeofday and time agree with CLOCK_REALTIME", t_time_calls, 0 },
	{ "clone(SIGCHLD|PARENT_SETTID|CHILD_SETTID): a child, both tids written", t_clone_fork, 0 },
	{ "clone: THREAD without SIGHAND, SIGHAND without VM -> EINVAL", t_clone_bad_flags, 0 },
	{ "posix_spawn (CLONE_VM|CLONE_VFORK): runs a program; ENOENT for none", t_posix_spawn, 0 },
	{ "CLONE_VFORK: a signal to the waiting parent neither ends nor spins its wait", t_vfork_signal, 0 },
	{ "tkill, tgkill and kill: to oneself, argument checks", t_tkill, 0 },
	{ "/dev/random and /dev/urandom: ChaCha20 draws, writes taken", t_dev_random, 0 },
	{ "getrandom: bytes, flags checked, EFAULT", t_getrandom, 0 },
	{ "set_robust_list/get_robust_list: the head kept, length checked", t_robust_list, 0 },
	{ "umask: new files and directories lose its bits", t_umask, 0 },
	{ "clock_nanosleep: relative and absolute, clocks and times checked", t_clock_nanosleep, 0 },
	{ 0, 0, 0 },
};
