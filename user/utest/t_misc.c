/*
 * t_misc.c: tests of the small system calls: identity (getpid, getppid,
 * the uids), sched_yield, nanosleep, clock_gettime, uname,
 * set_tid_address, arch_prctl(ARCH_SET_FS), unknown syscall numbers, and
 * the resource limits (getrlimit, setrlimit, prlimit64; RLIMIT_NOFILE is
 * the one both kernels enforce).
 *
 * Interface: misc_tests[] (utest.h).
 */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

#define ARCH_SET_FS	0x1002

/* Addresses no user buffer can be at. */
#define KERNEL_ADDR	0xffff800000000000UL	/* first kernel-half address */
#define NONCANON_ADDR	0x0000800000000000UL	/* just above user space */

static void
t_getpid_init(void)
{
	CHECK_EQ(sys_getpid(), 1);
	CHECK_EQ(sys_getppid(), 0);
}

static void
t_getpid_stable(void)
{
	long pid = sys_getpid(), ppid = sys_getppid();

	CHECK(pid > 0, "getpid() = %s", ut_rstr(pid));
	CHECK(ppid >= 0, "getppid() = %s", ut_rstr(ppid));
	CHECK_EQ(sys_getpid(), pid);
	CHECK_EQ(sys_getppid(), ppid);
}

static void
t_ids_init(void)
{
	CHECK_EQ(sys0(SYS_getuid), 0);
	CHECK_EQ(sys0(SYS_geteuid), 0);
	CHECK_EQ(sys0(SYS_getgid), 0);
	CHECK_EQ(sys0(SYS_getegid), 0);
}

static void
t_ids_consistent(void)
{
	long uid = sys0(SYS_getuid), gid = sys0(SYS_getgid);

	CHECK(uid >= 0 && gid >= 0, "getuid %s getgid %s", ut_rstr(uid), ut_rstr(gid));
	CHECK_EQ(sys0(SYS_geteuid), uid);
	CHECK_EQ(sys0(SYS_getegid), gid);
}

static void
t_sched_yield(void)
{
	for (int i = 0; i < 10; i++)
		CHECK_EQ(sys0(SYS_sched_yield), 0);
}

static void
t_nanosleep(void)
{
	struct timespec ts = { 0, 20 * 1000000 };
	long long t0, t1;

	t0 = ut_now_ns();
	CHECK_EQ(sys2(SYS_nanosleep, &ts, 0), 0);
	t1 = ut_now_ns();
	CHECK(t1 - t0 >= 20 * 1000000LL, "slept %lld ns, want >= 20 ms", t1 - t0);
	/* Not interrupted, so Linux leaves *rem alone; it may be null. */
	ts.tv_nsec = 1000000;
	CHECK_EQ(sys2(SYS_nanosleep, &ts, &ts), 0);
}

static void
t_nanosleep_zero(void)
{
	struct timespec ts = { 0, 0 };

	CHECK_EQ(sys2(SYS_nanosleep, &ts, 0), 0);
}

static void
t_nanosleep_efault(void)
{
	CHECK_ERR(sys2(SYS_nanosleep, 0, 0), EFAULT);
	CHECK_ERR(sys2(SYS_nanosleep, KERNEL_ADDR, 0), EFAULT);
	CHECK_ERR(sys2(SYS_nanosleep, NONCANON_ADDR, 0), EFAULT);
}

static void
t_nanosleep_einval(void)
{
	struct timespec ts;

	ts = (struct timespec){ 0, -1 };
	CHECK_ERR(sys2(SYS_nanosleep, &ts, 0), EINVAL);
	ts = (struct timespec){ 0, 1000000000 };
	CHECK_ERR(sys2(SYS_nanosleep, &ts, 0), EINVAL);
	ts = (struct timespec){ -1, 0 };
	CHECK_ERR(sys2(SYS_nanosleep, &ts, 0), EINVAL);
}

static void
t_clock_monotonic(void)
{
	struct timespec a, b;
	long long prev = 0, now;

	for (int i = 0; i < 1000; i++) {
		CHECK_EQ(sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &a), 0);
		CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000, "tv_nsec %ld", a.tv_nsec);
		now = a.tv_sec * 1000000000LL + a.tv_nsec;
		CHECK(now >= prev, "went back from %lld to %lld", prev, now);
		prev = now;
	}
	ut_sleep_ms(10);
	CHECK_EQ(sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &b), 0);
	now = b.tv_sec * 1000000000LL + b.tv_nsec;
	CHECK(now - prev >= 10000000, "advanced %lld ns over a 10 ms sleep", now - prev);
}

static void
t_clock_realtime(void)
{
	struct timespec ts = { -1, -1 };

	/* The time of day itself is whatever the RTC said: not checked. */
	CHECK_EQ(sys2(SYS_clock_gettime, CLOCK_REALTIME, &ts), 0);
	CHECK(ts.tv_sec >= 0, "tv_sec %lld", (long long)ts.tv_sec);
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000, "tv_nsec %ld", ts.tv_nsec);
}

static void
t_clock_einval(void)
{
	struct timespec ts;

	CHECK_ERR(sys2(SYS_clock_gettime, 100, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_gettime, 1000, &ts), EINVAL);
}

static void
t_clock_efault(void)
{
	CHECK_ERR(sys2(SYS_clock_gettime, CLOCK_MONOTONIC, 0), EFAULT);
	CHECK_ERR(sys2(SYS_clock_gettime, CLOCK_REALTIME, 0), EFAULT);
	CHECK_ERR(sys2(SYS_clock_gettime, CLOCK_MONOTONIC, KERNEL_ADDR), EFAULT);
	/* Points at the text segment: mapped, but not writable. */
	CHECK_ERR(sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)t_clock_efault), EFAULT);
}

static int
field_ok(const char *f, size_t n)
{
	return memchr(f, '\0', n) != NULL;
}

static void
t_uname(void)
{
	struct utsname u;

	memset(&u, 0xff, sizeof u);
	CHECK_EQ(sys1(SYS_uname, &u), 0);
	/* The new kernel reports its own names: check only their form. */
	CHECK(field_ok(u.sysname, sizeof u.sysname) && u.sysname[0], "sysname");
	CHECK(field_ok(u.nodename, sizeof u.nodename), "nodename");
	CHECK(field_ok(u.release, sizeof u.release) && u.release[0], "release");
	CHECK(field_ok(u.version, sizeof u.version), "version");
	CHECK(field_ok(u.machine, sizeof u.machine), "machine");
	CHECK(strcmp(u.machine, "x86_64") == 0, "machine \"%s\"", u.machine);
	ut_print("# uname: %s %s %s\n", u.sysname, u.release, u.machine);
}

static void
t_uname_efault(void)
{
	CHECK_ERR(sys1(SYS_uname, 0), EFAULT);
	CHECK_ERR(sys1(SYS_uname, KERNEL_ADDR), EFAULT);
	CHECK_ERR(sys1(SYS_uname, (void *)t_uname_efault), EFAULT);
}

static void
t_enosys(void)
{
	CHECK_ERR(sys0(1000), ENOSYS);
	CHECK_ERR(sys0(-1), ENOSYS);
	CHECK_ERR(sys0(400), ENOSYS);	/* a hole in the x86-64 table */
	CHECK_ERR(sys0(0x7fffffff), ENOSYS);
}

static void
t_set_tid_address(void)
{
	static int tidword;

	/* A single-threaded process: its tid is its pid. */
	CHECK_EQ(sys1(SYS_set_tid_address, &tidword), sys_getpid());
}

/* Read 8 bytes at %fs:off. */
static inline unsigned long
fs_load(unsigned long off)
{
	unsigned long v;

	__asm__ volatile("movq %%fs:(%1), %0" : "=r"(v) : "r"(off));
	return v;
}

static unsigned long fsblock[4] = {
	0x1111111111111111UL, 0x2222222222222222UL,
	0x3333333333333333UL, 0x4444444444444444UL,
};

/*
 * Child: point %fs at fsblock and load through it, before and after
 * sleeps (other processes run meanwhile: the base must be switched back).
 * libc's own TLS is unusable until the old base is back, so failures are
 * exit codes here, and CCHECK only after the restore.
 */
static void
c_set_fs(void *arg)
{
	unsigned long old = fs_load(0);	/* musl: %fs:0 holds the thread pointer */
	int code = 0;

	(void)arg;
	if (sys2(SYS_arch_prctl, ARCH_SET_FS, fsblock) != 0)
		sys_exit_group(10);
	if (fs_load(0) != fsblock[0] || fs_load(8) != fsblock[1] ||
	    fs_load(24) != fsblock[3])
		code = 11;
	for (int i = 0; i < 5 && !code; i++) {
		ut_sleep_ms(2);
		sys0(SYS_sched_yield);
		if (fs_load(16) != fsblock[2])
			code = 12;
	}
	if (sys2(SYS_arch_prctl, ARCH_SET_FS, old) != 0)
		sys_exit_group(13);
	CCHECK(fs_load(0) == old, "base not restored");
	sys_exit_group(code);
}

/* A process that keeps the CPU busy with its own %fs while c_set_fs sleeps. */
static void
c_set_fs_other(void *arg)
{
	static unsigned long other[4] = { 0xdead, 0xbeef, 0xdead, 0xbeef };
	unsigned long old = fs_load(0);

	(void)arg;
	sys2(SYS_arch_prctl, ARCH_SET_FS, other);
	for (int i = 0; i < 20; i++) {
		ut_sleep_ms(1);
		if (fs_load(8) != 0xbeef)
			sys_exit_group(20);
	}
	sys2(SYS_arch_prctl, ARCH_SET_FS, old);
	sys_exit_group(0);
}

static void
t_arch_prctl_fs(void)
{
	long other = ut_spawn(c_set_fs_other, 0);
	int st;

	CHECK(other > 0, "fork: %s", ut_rstr(other));
	CHECK_EXIT(c_set_fs, 0, 0);
	CHECK_EQ(ut_wait(other, &st), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "other child %s", ut_status_str(st));
}

/*
 * In a child: a kernel that wrongly accepted one of these bases would
 * leave this process without its TLS (it then dies, and the test fails).
 */
static void
c_arch_prctl_bad(void *arg)
{
	(void)arg;
	/* Linux: a base at or above TASK_SIZE_MAX is EPERM, an unknown code EINVAL. */
	CCHECK_EQ(sys2(SYS_arch_prctl, ARCH_SET_FS, KERNEL_ADDR), -EPERM);
	CCHECK_EQ(sys2(SYS_arch_prctl, ARCH_SET_FS, NONCANON_ADDR), -EPERM);
	CCHECK_EQ(sys2(SYS_arch_prctl, 0x1fff, 0), -EINVAL);
}

static void
t_arch_prctl_bad(void)
{
	CHECK_EXIT(c_arch_prctl_bad, 0, 0);
}

static __thread long tls_var = 1234;

static void
c_tls(void *arg)
{
	(void)arg;
	CCHECK_EQ(tls_var, 5678);
	tls_var = 9;
	CCHECK_EQ(tls_var, 9);
}

static void
t_tls_fork(void)
{
	/* musl set %fs for its TLS at startup (ARCH_SET_FS); fork keeps it. */
	CHECK_EQ(tls_var, 1234);
	tls_var = 5678;
	CHECK_EXIT(c_tls, 0, 0);
	CHECK_EQ(tls_var, 5678);
}

static int
same_rlimit(const struct rlimit *a, const struct rlimit *b)
{
	return a->rlim_cur == b->rlim_cur && a->rlim_max == b->rlim_max;
}

/* The limits init starts with, and the argument checks in Linux's order. */
static void
t_rlimit_get(void)
{
	struct rlimit r, r2;

	CHECK_EQ(sys2(SYS_getrlimit, RLIMIT_NOFILE, &r), 0);
	CHECK(r.rlim_cur >= 64 && r.rlim_cur <= r.rlim_max, "RLIMIT_NOFILE %lu/%lu",
	    (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);
	CHECK_EQ(sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, &r2), 0);
	CHECK(same_rlimit(&r, &r2), "prlimit64 of pid 0 differs");
	CHECK_EQ(sys4(SYS_prlimit64, sys_getpid(), RLIMIT_NOFILE, 0, &r2), 0);
	CHECK(same_rlimit(&r, &r2), "prlimit64 of getpid() differs");
	CHECK_EQ(sys2(SYS_getrlimit, RLIMIT_STACK, &r), 0);
	CHECK_EQ(r.rlim_cur, 8L << 20);
	CHECK_EQ(sys2(SYS_getrlimit, RLIMIT_CORE, &r), 0);
	CHECK_EQ(r.rlim_cur, 0);
	CHECK_ERR(sys2(SYS_getrlimit, RLIM_NLIMITS, &r), EINVAL);
	CHECK_ERR(sys2(SYS_getrlimit, -1, &r), EINVAL);
	CHECK_ERR(sys2(SYS_getrlimit, RLIMIT_NOFILE, 0), EFAULT);
	CHECK_ERR(sys2(SYS_getrlimit, RLIMIT_NOFILE, KERNEL_ADDR), EFAULT);
	CHECK_ERR(sys2(SYS_getrlimit, RLIM_NLIMITS, 0), EINVAL);	/* the resource first */
	CHECK_ERR(sys2(SYS_setrlimit, RLIM_NLIMITS, 0), EFAULT);	/* the struct first */
	CHECK_ERR(sys2(SYS_setrlimit, RLIM_NLIMITS, &r), EINVAL);
	CHECK_EQ(sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, 0), 0);
	CHECK_ERR(sys4(SYS_prlimit64, 0, RLIM_NLIMITS, 0, 0), EINVAL);
	CHECK_ERR(sys4(SYS_prlimit64, INT_MAX, RLIMIT_NOFILE, 0, &r), ESRCH);
	CHECK_ERR(sys4(SYS_prlimit64, -1, RLIMIT_NOFILE, 0, &r), ESRCH);
	/* The new limit is read before the pid is looked up; the old one written after. */
	CHECK_ERR(sys4(SYS_prlimit64, INT_MAX, RLIMIT_NOFILE, 1, 0), EFAULT);
	CHECK_ERR(sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, KERNEL_ADDR), EFAULT);
}

/* In a child: RLIMIT_NOFILE lowered to 10 bounds every way to a descriptor. */
static void
c_rlimit_nofile(void *arg)
{
	struct rlimit old, r, got;
	long fd, last = -1, k;
	int p[2], st;

	(void)arg;
	CCHECK_EQ(sys2(SYS_getrlimit, RLIMIT_NOFILE, &old), 0);
	CCHECK_EQ(sys3(SYS_fcntl, 0, F_DUPFD, old.rlim_cur), -EINVAL);
	r.rlim_cur = 10;
	r.rlim_max = old.rlim_max;
	CCHECK_EQ(sys2(SYS_setrlimit, RLIMIT_NOFILE, &r), 0);
	CCHECK_EQ(sys3(SYS_fcntl, 0, F_DUPFD, 10), -EINVAL);
	CCHECK_EQ(sys3(SYS_fcntl, 0, F_DUPFD_CLOEXEC, 10), -EINVAL);
	CCHECK_EQ(sys3(SYS_fcntl, 0, F_DUPFD, 9), 9);
	CCHECK_EQ(sys2(SYS_dup2, 0, 10), -EBADF);
	CCHECK_EQ(sys3(SYS_dup3, 0, 10, 0), -EBADF);
	CCHECK_EQ(sys2(SYS_dup2, 0, 9), 9);
	for (k = 0; k < 100 && (fd = sys_open(DATA_PATH, O_RDONLY)) >= 0; k++)
		last = fd;
	CCHECK_EQ(fd, -EMFILE);
	CCHECK(last == 8, "the last descriptor open gave was %ld, want 8", last);
	CCHECK_EQ(sys2(SYS_pipe2, p, 0), -EMFILE);
	CCHECK_EQ(sys1(SYS_dup, 0), -EMFILE);
	/* A child inherits the limit. */
	k = sys_fork();
	if (k == 0) {
		sys2(SYS_getrlimit, RLIMIT_NOFILE, &got);
		sys_exit_group(got.rlim_cur == 10 ? 0 : 1);
	}
	CCHECK(k > 0 && sys_wait4(k, &st, 0) == k && st == 0, "the child's limit was not 10");
	/* The soft limit above the hard one: EINVAL; the hard one above nr_open: EPERM. */
	r.rlim_cur = old.rlim_max + 1;
	CCHECK_EQ(sys2(SYS_setrlimit, RLIMIT_NOFILE, &r), -EINVAL);
	r.rlim_cur = 10;
	r.rlim_max = 1L << 30;
	CCHECK_EQ(sys2(SYS_setrlimit, RLIMIT_NOFILE, &r), -EPERM);
	/* The hard limit lowered, then raised again (as root may). */
	r.rlim_max = 10;
	CCHECK_EQ(sys2(SYS_setrlimit, RLIMIT_NOFILE, &r), 0);
	CCHECK_EQ(sys2(SYS_setrlimit, RLIMIT_NOFILE, &old), 0);
	/* prlimit64 sets and returns the old value in one call. */
	r.rlim_cur = 5;
	r.rlim_max = old.rlim_max;
	CCHECK_EQ(sys4(SYS_prlimit64, 0, RLIMIT_NOFILE, &r, &got), 0);
	CCHECK(same_rlimit(&got, &old), "prlimit64's old limit %lu", (unsigned long)got.rlim_cur);
	CCHECK_EQ(sys3(SYS_fcntl, 0, F_DUPFD, 5), -EINVAL);
	/* Descriptors above a lowered limit stay usable. */
	CCHECK_EQ(sys_close(9), 0);
}

static void
t_rlimit_nofile(void)
{
	CHECK_EXIT(c_rlimit_nofile, 0, 0);
}

/*
 * /proc is a file system mounted on a directory: relative paths reach it
 * from "/" and work inside it, ".." leaves it, getcwd names it.
 */
static void
c_proc_relative(void *a)
{
	char buf[64], cwd[64];
	long fd, n;

	(void)a;
	CCHECK_EQ(chdir("/"), 0);
	fd = sys_open("proc/self/stat", O_RDONLY);
	CCHECK(fd >= 0, "open proc/self/stat from /: %s", ut_rstr(fd));
	n = sys_read(fd, buf, sizeof buf);
	CCHECK(n > 0, "read: %s", ut_rstr(n));
	sys_close(fd);
	CCHECK_EQ(chdir("/proc"), 0);
	fd = sys_open("meminfo", O_RDONLY);
	CCHECK(fd >= 0, "open meminfo in /proc: %s", ut_rstr(fd));
	sys_close(fd);
	fd = sys_open("self/status", O_RDONLY);
	CCHECK(fd >= 0, "open self/status in /proc: %s", ut_rstr(fd));
	sys_close(fd);
	CCHECK(getcwd(cwd, sizeof cwd) != 0 && strcmp(cwd, "/proc") == 0,
	    "getcwd in /proc: %s", cwd);
	CCHECK_EQ(chdir("self"), 0);
	fd = sys_open("cmdline", O_RDONLY);
	CCHECK(fd >= 0, "open cmdline in /proc/self: %s", ut_rstr(fd));
	sys_close(fd);
	fd = sys_open("../../test/data.txt", O_RDONLY);
	CCHECK(fd >= 0, "open ../../test/data.txt from /proc/self: %s", ut_rstr(fd));
	sys_close(fd);
	CCHECK_EQ(chdir(".."), 0);
	CCHECK_EQ(chdir(".."), 0);
	CCHECK(getcwd(cwd, sizeof cwd) != 0 && strcmp(cwd, "/") == 0, "getcwd: %s", cwd);
}

/* /proc is there (Linux's bare initramfs has none: mount it, as an init would). */
static int
have_proc(void)
{
	if (access("/proc/self/stat", F_OK) != 0) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, 0);
	}
	return access("/proc/self/stat", F_OK) == 0;
}

static void
t_proc_relative(void)
{
	if (!have_proc()) {
		ut_skip("no /proc");
		return;
	}
	CHECK_EXIT(c_proc_relative, 0, 0);
}

/*
 * /proc/bus/pci/devices in Linux's format: a line per function, its
 * bus/devfn and vendor/device in hex, then 15 more tab-separated fields
 * (irq, 7 BAR starts, 7 sizes) and the driver's name if one claimed it.
 * QEMU's pc and q35 machines both have an Intel host bridge at 00:00.0.
 */
static void
t_proc_pci(void)
{
	static char buf[8192];
	long fd, n, lines = 0, tabs = 0;

	if (!have_proc()) {
		ut_skip("no /proc");
		return;
	}
	CHECK_OK(fd, sys_open("/proc/bus/pci/devices", O_RDONLY));
	n = 0;
	for (long r; (r = sys_read(fd, buf + n, sizeof buf - 1 - n)) > 0;)
		n += r;
	sys_close(fd);
	buf[n] = 0;
	CHECK(n > 0, "empty");
	CHECK(strncmp(buf, "0000\t8086", 9) == 0, "first line: %.40s", buf);
	for (long i = 0; i < n; i++) {
		if (buf[i] == '\t')
			tabs++;
		if (buf[i] == '\n') {
			CHECK(tabs >= 16, "line %ld has %ld tabs", lines + 1, tabs);
			lines++;
			tabs = 0;
		}
	}
	CHECK(lines >= 2 && buf[n - 1] == '\n', "%ld lines", lines);
}

const struct utest misc_tests[] = {
	{ "relative paths into /proc, inside it and out of it by ..", t_proc_relative, 0 },
	{ "/proc/bus/pci/devices: Linux's format, the host bridge first", t_proc_pci, 0 },
	{ "getpid is 1 and getppid 0 for init", t_getpid_init, UT_INIT },
	{ "getpid and getppid are stable", t_getpid_stable, 0 },
	{ "getuid/geteuid/getgid/getegid are 0 for init", t_ids_init, UT_INIT },
	{ "getuid/geteuid and getgid/getegid agree", t_ids_consistent, 0 },
	{ "sched_yield returns 0", t_sched_yield, 0 },
	{ "nanosleep 20 ms sleeps at least 20 ms", t_nanosleep, 0 },
	{ "nanosleep of zero returns 0", t_nanosleep_zero, 0 },
	{ "nanosleep bad pointer -> EFAULT", t_nanosleep_efault, 0 },
	{ "nanosleep negative or too big fields -> EINVAL", t_nanosleep_einval, 0 },
	{ "clock_gettime CLOCK_MONOTONIC never goes back and advances", t_clock_monotonic, 0 },
	{ "clock_gettime CLOCK_REALTIME", t_clock_realtime, 0 },
	{ "clock_gettime bad clock id -> EINVAL", t_clock_einval, 0 },
	{ "clock_gettime bad pointer -> EFAULT", t_clock_efault, 0 },
	{ "uname fields are NUL-terminated", t_uname, 0 },
	{ "uname bad pointer -> EFAULT", t_uname_efault, 0 },
	{ "unknown syscall numbers -> ENOSYS", t_enosys, 0 },
	{ "set_tid_address returns the tid", t_set_tid_address, 0 },
	{ "arch_prctl ARCH_SET_FS: %fs loads, kept across switches", t_arch_prctl_fs, 0 },
	{ "arch_prctl bad base -> EPERM, bad code -> EINVAL", t_arch_prctl_bad, 0 },
	{ "TLS through %fs is inherited by fork and copied", t_tls_fork, 0 },
	{ "getrlimit/prlimit64: init's limits; bad resource, pid, pointer", t_rlimit_get, 0 },
	{ "RLIMIT_NOFILE lowered: F_DUPFD EINVAL, dup2 EBADF, open EMFILE at it", t_rlimit_nofile, 0 },
	{ 0, 0, 0 },
};
