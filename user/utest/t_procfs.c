/*
 * t_procfs.c: tests of /proc as ps, top and busybox read it: a process's
 * exe, cwd and fd links (readlink, and opening them: the same file, a new
 * end of a pipe, the same program run again), /dev/fd and /dev/std*,
 * cmdline and environ from the process's memory, stat, status and comm
 * (written too), maps, /proc/sys/kernel, uptime, loadavg, stat, meminfo,
 * bad buffers given to them, and the paths of task/TID and thread-self
 * (user/pthread/pthread.c tests what task/ lists, with both C libraries).
 *
 * Under Linux's bare initramfs /proc is mounted first (have_proc) and
 * /dev/fd made as udev would make it.
 *
 * Interface: procfs_tests[] (utest.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "echoargs.h"
#include "utest.h"

static char *const no_env[] = { 0 };

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

#define NEED_PROC() do {						\
	if (!have_proc()) {						\
		ut_skip("no /proc");					\
		return;							\
	}								\
} while (0)

/* The whole of a file into buf (NUL-terminated): its length, or -errno. */
static long
slurp(const char *path, char *buf, long size)
{
	long fd = sys_open(path, O_RDONLY), n = 0, r;

	if (fd < 0)
		return fd;
	while (n < size - 1 && (r = sys_read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	sys_close(fd);
	buf[n] = 0;
	return n;
}

/* readlink into buf, NUL-terminated: the length, or -errno. */
static long
rdlink(const char *path, char *buf, long size)
{
	long n = sys3(SYS_readlink, path, buf, size - 1);

	if (n >= 0)
		buf[n] = 0;
	return n;
}

/* The value after "key:" in a status-style text, or 0. */
static const char *
field(const char *text, const char *key)
{
	size_t k = strlen(key);

	for (const char *s = text; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : 0)
		if (strncmp(s, key, k) == 0 && s[k] == ':')
			return s + k + 1 + strspn(s + k + 1, " \t");
	return 0;
}

static void
t_proc_exe(void)
{
	char buf[256], want[256];
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	struct stat a, b;
	long fd;

	NEED_PROC();
	/* This program, by the absolute path it was started by. */
	CHECK(execfn && execfn[0] == '/', "AT_EXECFN %s", execfn ? execfn : "(none)");
	snprintf(want, sizeof want, "%s", execfn);
	CHECK_OK(fd, rdlink("/proc/self/exe", buf, sizeof buf));
	CHECK(strcmp(buf, want) == 0, "/proc/self/exe -> %s, want %s", buf, want);
	snprintf(want, sizeof want, "/proc/%ld/exe", sys_getpid());
	CHECK_OK(fd, rdlink(want, buf, sizeof buf));
	CHECK(strcmp(buf, execfn) == 0, "%s -> %s", want, buf);
	/* Opening it opens the program itself. */
	CHECK_OK(fd, sys_open("/proc/self/exe", O_RDONLY));
	CHECK_EQ(fstat(fd, &a), 0);
	sys_close(fd);
	CHECK_EQ(stat(execfn, &b), 0);
	CHECK(a.st_ino == b.st_ino && a.st_dev == b.st_dev, "another file");
	CHECK_EQ(lstat("/proc/self/exe", &a), 0);
	CHECK(S_ISLNK(a.st_mode), "lstat mode %o", a.st_mode);
	/* /proc/self is a symlink to the pid. */
	CHECK_OK(fd, rdlink("/proc/self", buf, sizeof buf));
	CHECK_EQ(atol(buf), sys_getpid());
}

static void
c_exec_reexec(void *arg)
{
	/* echoargs runs itself again through /proc/self/exe, whose name is then "exe". */
	char *argv[] = { "echoargs", "reexec", "again", "procself", "-", ECHOARGS_PATH,
		"exe", 0 };

	(void)arg;
	sys_execve(ECHOARGS_PATH, argv, no_env);
	sys_exit_group(99);
}

static void
c_exec_script_exe(void *arg)
{
	/* A script's exe is its interpreter, its comm the script's name. */
	char *argv[] = { "sc-procself", ECHOARGS_PATH, "sc-procself", 0 };

	(void)arg;
	sys_execve("/test/sc-procself", argv, no_env);
	sys_exit_group(99);
}

static void
t_proc_exe_exec(void)
{
	NEED_PROC();
	CHECK_EXIT(c_exec_reexec, 0, 0);
	CHECK_EXIT(c_exec_script_exe, 0, 0);
}

static void
c_cwd(void *arg)
{
	char buf[256];

	(void)arg;
	CCHECK_EQ(chdir("/test"), 0);
	CCHECK_EQ(rdlink("/proc/self/cwd", buf, sizeof buf), 5);
	CCHECK(strcmp(buf, "/test") == 0, "cwd -> %s", buf);
	/* A walk goes on from the directory itself. */
	CCHECK_EQ(access("/proc/self/cwd/data.txt", R_OK), 0);
	CCHECK_EQ(chdir("/"), 0);
	CCHECK_EQ(rdlink("/proc/self/cwd", buf, sizeof buf), 1);
}

static void
t_proc_cwd(void)
{
	NEED_PROC();
	CHECK_EXIT(c_cwd, 0, 0);
}

/* /dev/fd as udev makes it, where the initramfs has none. */
static void
have_dev_fd(void)
{
	if (access("/dev/fd", F_OK) != 0)
		symlink("/proc/self/fd", "/dev/fd");
	if (access("/dev/stdin", F_OK) != 0)
		symlink("/proc/self/fd/0", "/dev/stdin");
}

static void
t_proc_fd_links(void)
{
	char path[64], buf[256];
	struct stat st;
	long fd, n;
	int p[2];

	NEED_PROC();
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	snprintf(path, sizeof path, "/proc/self/fd/%ld", fd);
	n = rdlink(path, buf, sizeof buf);
	sys_close(fd);
	CHECK(n == (long)strlen(DATA_PATH) && strcmp(buf, DATA_PATH) == 0, "%s -> %s", path, buf);
	/* Gone with the descriptor. */
	CHECK_ERR(rdlink(path, buf, sizeof buf), ENOENT);
	/* Directories too. */
	CHECK_OK(fd, sys_open("/test", O_RDONLY | O_DIRECTORY));
	snprintf(path, sizeof path, "/proc/self/fd/%ld", fd);
	n = rdlink(path, buf, sizeof buf);
	CHECK(strcmp(buf, "/test") == 0, "%s -> %s", path, buf);
	CHECK_EQ(lstat(path, &st), 0);
	CHECK(S_ISLNK(st.st_mode) && (st.st_mode & 0777) == 0500, "mode %o", st.st_mode);
	sys_close(fd);
	/* A pipe: "pipe:[ino]", its inode what fstat says. */
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(fstat(p[0], &st), 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
	rdlink(path, buf, sizeof buf);
	snprintf(path, sizeof path, "pipe:[%lu]", (unsigned long)st.st_ino);
	CHECK(strcmp(buf, path) == 0, "pipe -> %s, want %s", buf, path);
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[1]);
	CHECK_EQ(lstat(path, &st), 0);
	CHECK(S_ISLNK(st.st_mode) && (st.st_mode & 0777) == 0300, "write end mode %o",
	    st.st_mode);
	CHECK_EQ(stat(path, &st), 0);
	CHECK(S_ISFIFO(st.st_mode), "stat through the link: mode %o", st.st_mode);
	close(p[0]);
	close(p[1]);
	/* The console, when we are init. */
	if (ut_is_init) {
		CHECK_OK(n, rdlink("/proc/self/fd/0", buf, sizeof buf));
		CHECK(strcmp(buf, "/dev/console") == 0, "fd 0 -> %s", buf);
	}
}

static void
t_proc_fd_dir(void)
{
	char path[64];
	struct dirent *d;
	struct stat st;
	long fd, seen = 0, dots = 0;
	int status;
	DIR *dir;

	NEED_PROC();
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(dup2(fd, 37), 37);
	dir = opendir("/proc/self/fd");
	CHECK(dir != 0, "opendir /proc/self/fd");
	while ((d = readdir(dir)) != 0) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) {
			dots++;
			continue;
		}
		if (atol(d->d_name) == fd || atol(d->d_name) == 37) {
			CHECK(d->d_type == DT_LNK, "%s: type %d", d->d_name, d->d_type);
			seen++;
		}
	}
	closedir(dir);
	sys_close(fd);
	sys_close(37);
	CHECK_EQ(dots, 2);
	CHECK_EQ(seen, 2);
	snprintf(path, sizeof path, "/proc/self/fd/%ld", fd);
	CHECK_ERR(sys_open(path, O_RDONLY), ENOENT);
	/* A child's fd directory is there too; a dead process's is not. */
	CHECK_OK(fd, sys_fork());
	if (fd == 0) {
		ut_sleep_ms(100);
		sys_exit_group(0);
	}
	snprintf(path, sizeof path, "/proc/%ld/fd", fd);
	CHECK_EQ(stat(path, &st), 0);
	CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0500, "mode %o", st.st_mode);
	CHECK_EQ(ut_wait(fd, &status), 0);
	CHECK_ERR(sys_open(path, O_RDONLY), ENOENT);
	CHECK_ERR(sys_open("/proc/999999/fd", O_RDONLY), ENOENT);
}

/* Opening /proc/self/fd/N: a new open file of the same file, at offset 0. */
static void
t_proc_fd_open(void)
{
	char path[64], buf[DATA_LINE_LEN];
	long fd, fd2;

	NEED_PROC();
	have_dev_fd();
	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	CHECK_EQ(sys_lseek(fd, 100, SEEK_SET), 100);
	snprintf(path, sizeof path, "/proc/self/fd/%ld", fd);
	CHECK_OK(fd2, sys_open(path, O_RDONLY));
	CHECK(fd2 != fd, "same descriptor");
	CHECK_EQ(sys_read(fd2, buf, sizeof buf), sizeof buf);
	CHECK_EQ(ut_data_mismatch(buf, 0, sizeof buf), -1);
	CHECK_EQ(sys_lseek(fd, 0, SEEK_CUR), 100);
	sys_close(fd2);
	/* The same through /dev/fd. */
	snprintf(path, sizeof path, "/dev/fd/%ld", fd);
	CHECK_OK(fd2, sys_open(path, O_RDONLY));
	CHECK_EQ(sys_lseek(fd2, 0, SEEK_CUR), 0);
	sys_close(fd2);
	sys_close(fd);
	CHECK_ERR(sys_open(path, O_RDONLY), ENOENT);
}

/* A pipe's link opens a new end of the same pipe, either way round. */
static void
t_proc_fd_pipe(void)
{
	char path[64], buf[8];
	long w, r;
	int p[2];

	NEED_PROC();
	have_dev_fd();
	CHECK_EQ(pipe(p), 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
	CHECK_OK(w, sys_open(path, O_WRONLY));	/* a write end, from the read end's link */
	CHECK_EQ(sys_write(w, "hi", 2), 2);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), 2);
	CHECK(memcmp(buf, "hi", 2) == 0, "read %.2s", buf);
	snprintf(path, sizeof path, "/dev/fd/%d", p[1]);
	CHECK_OK(r, sys_open(path, O_RDONLY));
	CHECK_EQ(sys_write(p[1], "yo", 2), 2);
	CHECK_EQ(sys_read(r, buf, sizeof buf), 2);
	CHECK(memcmp(buf, "yo", 2) == 0, "read %.2s", buf);
	/* The new write end counts: the read end sees end of file only after both go. */
	sys_close(p[1]);
	CHECK_EQ(sys_write(w, "z", 1), 1);
	sys_close(w);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), 1);
	CHECK_EQ(sys_read(p[0], buf, sizeof buf), 0);
	sys_close(r);
	sys_close(p[0]);
}

static int await_zombie(long pid);

static void
c_cmdline(void *arg)
{
	char *argv[] = { "/test/echoargs", "cmdline", "two words", "", "x", 0 };
	char *envp[] = { "A=1", "PATH=/bin", 0 };

	(void)arg;
	sys_execve(ECHOARGS_PATH, argv, envp);
	sys_exit_group(99);
}

static void
t_proc_cmdline(void)
{
	char path[64], buf[4096];
	long n, pid;
	int st;

	NEED_PROC();
	CHECK_EXIT(c_cmdline, 0, 0);
	/* Another process's, read from its memory; a zombie's is empty. */
	CHECK_OK(pid, sys_fork());
	if (pid == 0) {
		ut_sleep_ms(100);
		sys_exit_group(0);
	}
	snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
	CHECK_OK(n, slurp("/proc/self/cmdline", buf, sizeof buf));
	CHECK(n > 0 && buf[n - 1] == 0, "own cmdline %ld bytes", n);
	CHECK_EQ(slurp(path, buf + 2048, 2048), n);
	CHECK(memcmp(buf, buf + 2048, n) == 0, "child's cmdline differs");
	CHECK(await_zombie(pid), "no zombie");
	CHECK_EQ(slurp(path, buf, sizeof buf), 0);
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK_ERR(slurp(path, buf, sizeof buf), ENOENT);
}

/* Wait (at most 5 s) until pid is a zombie, as /proc/PID/stat says. */
static int
await_zombie(long pid)
{
	char path[64], buf[512], *s;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	for (int i = 0; i < 500; i++) {
		if (slurp(path, buf, sizeof buf) > 0 && (s = strrchr(buf, ')')) && s[2] == 'Z')
			return 1;
		ut_sleep_ms(10);
	}
	return 0;
}

/* stat's fields, from the pid on: the comm in parentheses may hold anything. */
static int
stat_fields(char *text, char **f, int max)
{
	char *s = strrchr(text, ')');
	int n = 0;

	if (s == 0)
		return 0;
	for (s = strtok(s + 1, " \n"); s && n < max; s = strtok(0, " \n"))
		f[n++] = s;
	return n;
}

static void
t_proc_stat(void)
{
	char buf[1024], want[64], *f[64];
	int n;

	NEED_PROC();
	CHECK(slurp("/proc/self/stat", buf, sizeof buf) > 0, "read");
	snprintf(want, sizeof want, "%ld (", sys_getpid());
	CHECK(strncmp(buf, want, strlen(want)) == 0, "stat: %.40s", buf);
	n = stat_fields(buf, f, 64);
	/* 52 fields: the pid and comm, then 50. */
	CHECK_EQ(n, 50);
	CHECK(strcmp(f[0], "R") == 0, "state %s", f[0]);
	CHECK_EQ(atol(f[1]), sys_getppid());
	CHECK_EQ(atol(f[2]), getpgrp());
	CHECK_EQ(atol(f[3]), getsid(0));
	/* Field k of proc(5) is f[k - 3]. */
	CHECK(atol(f[19]) >= 0, "starttime %s", f[19]);
	CHECK(strtoul(f[20], 0, 10) > 0, "vsize %s", f[20]);
	CHECK(atol(f[21]) > 0, "rss %s", f[21]);
	CHECK(strtoul(f[24], 0, 10) > strtoul(f[23], 0, 10), "code %s-%s", f[23], f[24]);
	CHECK_EQ(atol(f[35]), SIGCHLD);		/* exit_signal, init's too */
	/* arg_start <= arg_end = env_start <= env_end */
	CHECK(strtoul(f[45], 0, 10) < strtoul(f[46], 0, 10) &&
	    strtoul(f[46], 0, 10) <= strtoul(f[47], 0, 10) &&
	    strtoul(f[47], 0, 10) <= strtoul(f[48], 0, 10), "args %s %s %s %s",
	    f[45], f[46], f[47], f[48]);
}

static void
t_proc_stat_states(void)
{
	char path[64], buf[1024], *f[64];
	long pid;
	int st;

	NEED_PROC();
	CHECK_OK(pid, sys_fork());
	if (pid == 0) {
		ut_sleep_ms(300);
		sys_exit_group(7);
	}
	ut_sleep_ms(50);
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	CHECK(slurp(path, buf, sizeof buf) > 0, "read %s", path);
	CHECK(stat_fields(buf, f, 64) == 50 && strcmp(f[0], "S") == 0, "sleeping: %s", buf);
	CHECK(await_zombie(pid), "no zombie");
	CHECK(slurp(path, buf, sizeof buf) > 0, "read %s", path);
	CHECK(stat_fields(buf, f, 64) == 50 && strcmp(f[0], "Z") == 0, "zombie: %s", buf);
	CHECK_EQ(atol(f[49]), 7 << 8);	/* exit_code: the wait status */
	CHECK_EQ(ut_wait(pid, &st), 0);
}

static void
t_proc_status(void)
{
	char buf[4096], num[32];
	const char *v;

	NEED_PROC();
	CHECK(slurp("/proc/self/status", buf, sizeof buf) > 0, "read");
	CHECK((v = field(buf, "Name")) != 0, "no Name");
	CHECK((v = field(buf, "State")) && strncmp(v, "R (running)\n", 12) == 0, "State");
	snprintf(num, sizeof num, "%ld\n", sys_getpid());
	CHECK((v = field(buf, "Tgid")) && strncmp(v, num, strlen(num)) == 0, "Tgid");
	CHECK((v = field(buf, "Pid")) && strncmp(v, num, strlen(num)) == 0, "Pid");
	snprintf(num, sizeof num, "%ld\n", sys_getppid());
	CHECK((v = field(buf, "PPid")) && strncmp(v, num, strlen(num)) == 0, "PPid");
	CHECK((v = field(buf, "Uid")) && atol(v) == (long)getuid(), "Uid");
	CHECK((v = field(buf, "Gid")) && atol(v) == (long)getgid(), "Gid");
	CHECK((v = field(buf, "VmRSS")) && atol(v) > 0, "VmRSS");
	CHECK((v = field(buf, "VmSize")) && atol(v) > 0, "VmSize");
	CHECK((v = field(buf, "Threads")) && atol(v) == 1, "Threads");
	CHECK(field(buf, "SigBlk") && field(buf, "SigIgn") && field(buf, "SigCgt"), "Sig*");
}

static void
c_comm(void *arg)
{
	char buf[64], ppath[64];
	long fd;

	(void)arg;
	fd = sys_open("/proc/self/comm", O_WRONLY);
	CCHECK(fd >= 0, "open comm for writing: %s", ut_rstr(fd));
	/* The whole count is taken; 15 bytes are kept. */
	CCHECK_EQ(sys_write(fd, "abcdefghijklmnopqrst", 20), 20);
	sys_close(fd);
	CCHECK_EQ(slurp("/proc/self/comm", buf, sizeof buf), 16);
	CCHECK(strcmp(buf, "abcdefghijklmno\n") == 0, "comm %s", buf);
	CCHECK(slurp("/proc/self/stat", buf, sizeof buf) > 0, "stat");
	CCHECK(strstr(buf, " (abcdefghijklmno) ") != 0, "stat %s", buf);
	/* Another process's comm is not ours to write. */
	snprintf(ppath, sizeof ppath, "/proc/%ld/comm", sys_getppid());
	fd = sys_open(ppath, O_WRONLY);
	CCHECK(fd >= 0, "open parent's comm: %s", ut_rstr(fd));
	CCHECK_EQ(sys_write(fd, "x", 1), -EINVAL);
	sys_close(fd);
	/* A bad buffer. */
	fd = sys_open("/proc/self/comm", O_WRONLY);
	CCHECK_EQ(sys_write(fd, (void *)8, 4), -EFAULT);
	sys_close(fd);
}

static void
t_proc_comm(void)
{
	NEED_PROC();
	CHECK_EXIT(c_comm, 0, 0);
}

static void
t_proc_maps(void)
{
	static char buf[16384];
	char exe[256];
	unsigned long lo, hi;
	int stack = 0, image = 0;

	NEED_PROC();
	CHECK(rdlink("/proc/self/exe", exe, sizeof exe) > 0, "exe");
	CHECK(slurp("/proc/self/maps", buf, sizeof buf) > 0, "read");
	for (char *l = strtok(buf, "\n"); l; l = strtok(0, "\n")) {
		char perms[8];

		CHECK(sscanf(l, "%lx-%lx %4s", &lo, &hi, perms) == 3 && lo < hi,
		    "line %s", l);
		if (strlen(l) > 73 && strcmp(l + 73, "[stack]") == 0)
			stack++;
		if (strlen(l) > 73 && strcmp(l + 73, exe) == 0)
			image++;
	}
	CHECK_EQ(stack, 1);
	CHECK(image >= 1, "no line for %s", exe);
}

static void
t_proc_sys_kernel(void)
{
	char buf[128], want[80];
	struct utsname u;
	long pid, max;
	int st;

	NEED_PROC();
	CHECK_EQ(uname(&u), 0);
	CHECK(slurp("/proc/sys/kernel/pid_max", buf, sizeof buf) > 0, "pid_max");
	max = atol(buf);
	CHECK_OK(pid, sys_fork());
	if (pid == 0)
		sys_exit_group(0);
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(max > pid && max >= 301 && buf[strlen(buf) - 1] == '\n', "pid_max %s", buf);
	snprintf(want, sizeof want, "%s\n", u.sysname);
	CHECK(slurp("/proc/sys/kernel/ostype", buf, sizeof buf) > 0 && strcmp(buf, want) == 0,
	    "ostype %s", buf);
	snprintf(want, sizeof want, "%s\n", u.release);
	CHECK(slurp("/proc/sys/kernel/osrelease", buf, sizeof buf) > 0 &&
	    strcmp(buf, want) == 0, "osrelease %s", buf);
	snprintf(want, sizeof want, "%s\n", u.nodename);
	CHECK(slurp("/proc/sys/kernel/hostname", buf, sizeof buf) > 0 &&
	    strcmp(buf, want) == 0, "hostname %s", buf);
}

static void
t_proc_system(void)
{
	char buf[8192];
	unsigned long a, b, c, d;
	double up, idle;
	int n1, n2;

	NEED_PROC();
	CHECK(slurp("/proc/uptime", buf, sizeof buf) > 0 &&
	    sscanf(buf, "%lf %lf", &up, &idle) == 2 && up > 0, "uptime %s", buf);
	CHECK(slurp("/proc/loadavg", buf, sizeof buf) > 0 &&
	    sscanf(buf, "%lf %lf %lf %d/%d", &up, &up, &up, &n1, &n2) == 5 && n1 >= 1 &&
	    n2 >= n1, "loadavg %s", buf);
	CHECK(slurp("/proc/stat", buf, sizeof buf) > 0 &&
	    sscanf(buf, "cpu %lu %lu %lu %lu", &a, &b, &c, &d) == 4 && a + c + d > 0,
	    "stat %.60s", buf);
	CHECK(strstr(buf, "\ncpu0 ") && strstr(buf, "\nbtime ") &&
	    strstr(buf, "\nprocs_running "), "stat lines");
	/* intr and ctxt: interrupts and switches since boot, which a 30 ms sleep adds to. */
	CHECK(strstr(buf, "\nintr ") && strstr(buf, "\nctxt "), "stat: no intr or ctxt line");
	a = strtoul(strstr(buf, "\nintr ") + 6, 0, 10);
	b = strtoul(strstr(buf, "\nctxt ") + 6, 0, 10);
	ut_sleep_ms(30);
	CHECK(slurp("/proc/stat", buf, sizeof buf) > 0 && strstr(buf, "\nintr ") &&
	    strstr(buf, "\nctxt "), "stat again");
	c = strtoul(strstr(buf, "\nintr ") + 6, 0, 10);
	d = strtoul(strstr(buf, "\nctxt ") + 6, 0, 10);
	CHECK(c > a && d > b, "stat: intr %lu -> %lu, ctxt %lu -> %lu over a 30 ms sleep", a, c, b, d);
	CHECK(slurp("/proc/meminfo", buf, sizeof buf) > 0 && field(buf, "MemTotal") &&
	    atol(field(buf, "MemTotal")) > 0 && field(buf, "MemFree"), "meminfo");
}

static void
t_proc_dir(void)
{
	char want[32];
	struct dirent *d;
	int self = 0, me = 0;
	DIR *dir;

	NEED_PROC();
	snprintf(want, sizeof want, "%ld", sys_getpid());
	dir = opendir("/proc");
	CHECK(dir != 0, "opendir /proc");
	while ((d = readdir(dir)) != 0) {
		if (strcmp(d->d_name, "self") == 0)
			self = d->d_type == DT_LNK ? 1 : -1;
		if (strcmp(d->d_name, want) == 0)
			me = d->d_type == DT_DIR;
	}
	closedir(dir);
	CHECK_EQ(self, 1);
	CHECK_EQ(me, 1);
}

/* Bad buffers: EFAULT, never a kernel fault; short buffers cut a link. */
static void
t_proc_bad_buffers(void)
{
	static const char *const files[] = { "/proc/self/stat", "/proc/self/status",
		"/proc/self/cmdline", "/proc/self/environ", "/proc/self/maps",
		"/proc/meminfo", "/proc/self/comm" };
	char buf[8];
	long fd;

	NEED_PROC();
	for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++) {
		char dents[256];

		/* A file's text is no directory: getdents64 says so (keel overran a stack buffer). */
		CHECK_OK(fd, sys_open(files[i], O_RDONLY));
		CHECK_ERR(sys3(SYS_getdents64, fd, dents, sizeof dents), ENOTDIR);
		sys_close(fd);
		CHECK_OK(fd, sys_open(files[i], O_RDONLY));
		CHECK_ERR(sys_read(fd, (void *)8, 64), EFAULT);
		CHECK_ERR(sys_read(fd, (void *)0xffff800000000000UL, 64), EFAULT);
		CHECK(sys_read(fd, buf, 1) == 1, "%s: nothing after the faults", files[i]);
		sys_close(fd);
	}
	CHECK_ERR(sys3(SYS_readlink, "/proc/self/exe", (void *)8, 64), EFAULT);
	CHECK_ERR(sys3(SYS_readlink, "/proc/self/fd/0", (void *)0xffff800000000000UL, 64),
	    EFAULT);
	CHECK_ERR(sys3(SYS_readlink, "/proc/self/exe", buf, 0), EINVAL);
	CHECK_EQ(sys3(SYS_readlink, "/proc/self/exe", buf, 3), 3);
	CHECK(buf[0] == '/', "exe starts %c", buf[0]);
	CHECK_ERR(sys3(SYS_readlink, "/proc/self/stat", buf, sizeof buf), EINVAL);
	/* Root opens anything for writing; the write fails as Linux's. */
	CHECK_OK(fd, sys_open("/proc/self/stat", O_WRONLY));
	CHECK_ERR(sys_write(fd, "x", 1), EINVAL);
	sys_close(fd);
	CHECK_OK(fd, sys_open("/proc/meminfo", O_RDWR));
	CHECK_ERR(sys_write(fd, "x", 1), EIO);
	sys_close(fd);
	CHECK_ERR(sys_open("/proc/sys/kernel/ostype", O_WRONLY), EACCES);
	CHECK_ERR(sys_open("/proc/self/exe/x", O_RDONLY), ENOTDIR);
	CHECK_ERR(sys_open("/proc/self/fd/99999", O_RDONLY), ENOENT);
	CHECK_ERR(sys_open("/proc/self/fd/007", O_RDONLY), ENOENT);
}

/* ---- /proc/PID/task ---- */

static volatile int task_stop;
static volatile long task_tid;

static void *
task_thread(void *arg)
{
	(void)arg;
	task_tid = sys0(SYS_gettid);
	while (!task_stop)
		ut_sleep_ms(1);
	return 0;
}

/*
 * /proc/thread-self, a walk up from task/TID (getcwd: the inode numbers
 * readdir gives are the ones stat gives), task/TID's own links and fd
 * directory, and /proc/TID/task of a thread that is not the first.
 */
static void
c_task_paths(void *arg)
{
	char buf[256], want[64], path[96];
	long pid = sys_getpid(), tid, fd;
	struct stat a, b;
	pthread_t t;

	(void)arg;
	CCHECK(pthread_create(&t, 0, task_thread, 0) == 0, "pthread_create");
	while ((tid = task_tid) == 0)
		ut_sleep_ms(1);
	snprintf(want, sizeof want, "%ld/task/%ld", pid, pid);
	CCHECK(rdlink("/proc/thread-self", buf, sizeof buf) > 0 && strcmp(buf, want) == 0,
	    "thread-self -> %s, want %s", buf, want);
	snprintf(path, sizeof path, "/proc/self/task/%ld", tid);
	CCHECK(chdir(path) == 0, "chdir %s", path);
	snprintf(want, sizeof want, "/proc/%ld/task/%ld", pid, tid);
	CCHECK(getcwd(buf, sizeof buf) && strcmp(buf, want) == 0, "getcwd %s, want %s",
	    buf, want);
	CCHECK(rdlink("exe", buf, sizeof buf) > 0 && buf[0] == '/', "task exe %s", buf);
	CCHECK(stat("fd/1", &a) == 0 && fstat(1, &b) == 0 && a.st_ino == b.st_ino,
	    "task/TID/fd/1 is not fd 1");
	fd = sys_open("maps", O_RDONLY);
	CCHECK(fd >= 0 && sys_read(fd, buf, sizeof buf) > 0, "read task/TID/maps");
	sys_close(fd);
	CCHECK(chdir("/") == 0, "chdir /");
	/* /proc/TID/task lists the whole process. */
	snprintf(path, sizeof path, "/proc/%ld/task/%ld/stat", tid, pid);
	CCHECK(slurp(path, buf, sizeof buf) > 0 && atol(buf) == pid, "%s: %.30s", path, buf);
	snprintf(path, sizeof path, "/proc/%ld/stat", tid);
	CCHECK(slurp(path, buf, sizeof buf) > 0 && atol(buf) == tid, "%s: %.30s", path, buf);
	/* Numbers that name no thread of ours. */
	snprintf(path, sizeof path, "/proc/self/task/%ld", sys_getppid());
	CCHECK(access(path, F_OK) != 0 && errno == ENOENT, "%s exists", path);
	CCHECK(access("/proc/self/task/0", F_OK) != 0 && errno == ENOENT, "task/0 exists");
	CCHECK(access("/proc/self/task/01", F_OK) != 0 && errno == ENOENT, "task/01 exists");
	task_stop = 1;
	pthread_join(t, 0);
}

static void
t_proc_task_paths(void)
{
	NEED_PROC();
	CHECK_EXIT(c_task_paths, 0, 0);
}

const struct utest procfs_tests[] = {
	{ "/proc/self/exe: the program's path; open gives the program", t_proc_exe, 0 },
	{ "exec of /proc/self/exe, and a script's exe and comm", t_proc_exe_exec, 0 },
	{ "/proc/self/cwd: readlink and walks through it", t_proc_cwd, 0 },
	{ "/proc/self/fd links: files, directories, pipes, the console", t_proc_fd_links, 0 },
	{ "/proc/self/fd lists the open descriptors", t_proc_fd_dir, 0 },
	{ "open of /proc/self/fd/N and /dev/fd/N: the same file anew", t_proc_fd_open, 0 },
	{ "open of a pipe's /proc/self/fd/N: a new end of the pipe", t_proc_fd_pipe, 0 },
	{ "/proc/PID/cmdline and environ from memory (setproctitle too)", t_proc_cmdline, 0 },
	{ "/proc/self/stat: 52 fields with ps's values", t_proc_stat, 0 },
	{ "/proc/PID/stat of a sleeping child and a zombie", t_proc_stat_states, 0 },
	{ "/proc/self/status: Name, State, Pid, PPid, Uid, VmRSS, Threads", t_proc_status, 0 },
	{ "/proc/self/comm: read, written as PR_SET_NAME", t_proc_comm, 0 },
	{ "/proc/self/maps: the image and [stack]", t_proc_maps, 0 },
	{ "/proc/sys/kernel: pid_max, ostype, osrelease, hostname", t_proc_sys_kernel, 0 },
	{ "/proc/uptime, loadavg, stat (intr and ctxt grow), meminfo", t_proc_system, 0 },
	{ "/proc lists self as a symlink and the pids", t_proc_dir, 0 },
	{ "/proc reads, readlinks, getdents with bad buffers or on files", t_proc_bad_buffers, 0 },
	{ "/proc/thread-self, getcwd in task/TID, its links, /proc/TID/task", t_proc_task_paths,
	    0 },
	{ 0, 0, 0 },
};
