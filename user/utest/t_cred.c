/*
 * t_cred.c: users and permissions (issue 13): the id calls with Linux's
 * rules, and what a process that dropped to uid/gid 1000 may no longer
 * do: read or write root's files, create in "/", search a 0700
 * directory, remove another user's file from sticky /tmp, signal a root
 * process, take back root, change root's files' modes, owners and times,
 * set the clock, mount, reboot.  access() with the real ids, set-user-ID
 * and set-group-ID programs (a copy of echoargs), set-group-ID
 * directories, root's override, /proc/PID's owners and status lines.
 * Each test that drops its ids does so in a child: utest stays root.
 *
 * Interface: cred_tests[] (utest.h).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include "echoargs.h"
#include "utest.h"

#ifndef SYS_faccessat2
#define SYS_faccessat2	439
#endif
#ifndef O_PATH
#define O_PATH		010000000
#endif

#define T		"/tmp/cred_"	/* every name here starts so */
#define USER		1000
#define OTHER		2000
#define KERNEL_ADDR	0xffff800000000000UL
#define NOID		(-1L)
#define UTIME_NOW_	((1L << 30) - 1)

/* The kernel's struct stat of x86-64. */
struct kst {
	unsigned long dev, ino, nlink;
	unsigned mode, uid, gid, pad;
	unsigned long rdev;
	long size, blksize, blocks;
	long atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	long reserved[3];
};

static long
st(const char *path, struct kst *s)
{
	return sys2(SYS_stat, path, s);
}

/* /tmp as Linux systems have it: 1777 (utest under Linux makes it; umask would cut the bits). */
static void
tmp_ready(void)
{
	sys2(SYS_mkdir, "/tmp", 01777);
	sys2(SYS_chmod, "/tmp", 01777);
}

/* /proc, mounted if missing (Linux's bare initramfs has none), as an init would. */
static void
proc_ready(void)
{
	struct kst sb;

	if (st("/proc/self/status", &sb) == 0)
		return;
	sys2(SYS_mkdir, "/proc", 0555);
	sys5(SYS_mount, "proc", "/proc", "proc", 0, 0);
}

/* A fresh file of root's (the caller's) with mode and owner; 0 or -errno. */
static long
mkfile(const char *path, int mode, long uid, long gid)
{
	long fd, r;

	sys1(SYS_unlink, path);
	fd = sys4(SYS_openat, AT_FDCWD, path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return fd;
	sys_write((int)fd, "secret\n", 7);
	sys_close((int)fd);
	if ((r = sys3(SYS_chown, path, uid, gid)) != 0)
		return r;
	return sys2(SYS_chmod, path, mode);
}

/* Copies from to to (mode 0700 first): 0 or -errno. */
static long
copy_file(const char *from, const char *to)
{
	static char buf[65536];
	long in, out, n, r = 0;

	sys1(SYS_unlink, to);
	if ((in = sys_open(from, O_RDONLY)) < 0)
		return in;
	out = sys4(SYS_openat, AT_FDCWD, to, O_WRONLY | O_CREAT | O_EXCL, 0700);
	if (out < 0) {
		sys_close((int)in);
		return out;
	}
	while ((n = sys_read((int)in, buf, sizeof(buf))) > 0)
		if (sys_write((int)out, buf, n) != n) {
			r = -5;
			break;
		}
	if (n < 0)
		r = n;
	sys_close((int)in);
	sys_close((int)out);
	return r;
}

/* In a child: become uid/gid id with no supplementary groups, as su does. */
static void
drop_to(long id)
{
	CCHECK_EQ(sys2(SYS_setgroups, 0, 0), 0);
	CCHECK_EQ(sys3(SYS_setresgid, id, id, id), 0);
	CCHECK_EQ(sys3(SYS_setresuid, id, id, id), 0);
}

/* The line of /proc/self/status that starts with key, without its newline. */
static void
status_line(const char *key, char *out, long size)
{
	static char buf[4096];
	long fd = sys_open("/proc/self/status", O_RDONLY), n = 0, r;
	char *p, *e;

	out[0] = 0;
	if (fd < 0)
		return;
	while (n < (long)sizeof(buf) - 1 && (r = sys_read((int)fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	sys_close((int)fd);
	buf[n] = 0;
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : 0) {
		if (strncmp(p, key, strlen(key)) == 0) {
			e = strchr(p, '\n');
			n = e ? e - p : (long)strlen(p);
			if (n >= size)
				n = size - 1;
			memcpy(out, p, n);
			out[n] = 0;
			return;
		}
	}
}

/* ---- the id calls ---- */

static void
t_cred_root_ids(void)
{
	unsigned r, e, s;
	char line[128];

	proc_ready();
	CHECK_EQ(sys0(SYS_getuid), 0);
	CHECK_EQ(sys0(SYS_geteuid), 0);
	CHECK_EQ(sys0(SYS_getgid), 0);
	CHECK_EQ(sys0(SYS_getegid), 0);
	r = e = s = 7;
	CHECK_EQ(sys3(SYS_getresuid, &r, &e, &s), 0);
	CHECK(r == 0 && e == 0 && s == 0, "getresuid %u %u %u", r, e, s);
	CHECK_EQ(sys3(SYS_getresgid, &r, &e, &s), 0);
	CHECK(r == 0 && e == 0 && s == 0, "getresgid %u %u %u", r, e, s);
	status_line("Uid:", line, sizeof(line));
	CHECK(strcmp(line, "Uid:\t0\t0\t0\t0") == 0, "status says \"%s\"", line);
	status_line("Gid:", line, sizeof(line));
	CHECK(strcmp(line, "Gid:\t0\t0\t0\t0") == 0, "status says \"%s\"", line);
}

static void
drop_child(void *arg)
{
	unsigned r, e, s;
	char line[128];
	struct kst sb;
	long fd;

	(void)arg;
	drop_to(USER);
	CCHECK_EQ(sys0(SYS_getuid), USER);
	CCHECK_EQ(sys0(SYS_geteuid), USER);
	CCHECK_EQ(sys0(SYS_getgid), USER);
	CCHECK_EQ(sys0(SYS_getegid), USER);
	CCHECK_EQ(sys3(SYS_getresuid, &r, &e, &s), 0);
	CCHECK(r == USER && e == USER && s == USER, "getresuid %u %u %u", r, e, s);
	/* No way back. */
	CCHECK_EQ(sys1(SYS_setuid, 0), -EPERM);
	CCHECK_EQ(sys1(SYS_setgid, 0), -EPERM);
	CCHECK_EQ(sys2(SYS_setreuid, NOID, 0), -EPERM);
	CCHECK_EQ(sys2(SYS_setreuid, 0, NOID), -EPERM);
	CCHECK_EQ(sys3(SYS_setresuid, NOID, 0, NOID), -EPERM);
	CCHECK_EQ(sys3(SYS_setresgid, 0, NOID, NOID), -EPERM);
	CCHECK_EQ(sys2(SYS_setgroups, 0, 0), -EPERM);
	CCHECK_EQ(sys1(SYS_setfsuid, 0), USER);	/* refused: the old value, unchanged */
	CCHECK_EQ(sys1(SYS_setfsuid, NOID), USER);
	CCHECK_EQ(sys1(SYS_setfsgid, 0), USER);
	CCHECK_EQ(sys0(SYS_geteuid), USER);
	/* Setting what it has already is allowed. */
	CCHECK_EQ(sys1(SYS_setuid, USER), 0);
	CCHECK_EQ(sys3(SYS_setresuid, USER, NOID, USER), 0);
	CCHECK_EQ(sys1(SYS_setuid, NOID), -EINVAL);
	status_line("Uid:", line, sizeof(line));
	CCHECK(strcmp(line, "Uid:\t1000\t1000\t1000\t1000") == 0, "status says \"%s\"", line);
	status_line("Gid:", line, sizeof(line));
	CCHECK(strcmp(line, "Gid:\t1000\t1000\t1000\t1000") == 0, "status says \"%s\"", line);
	/* Its ids changed: undumpable, its /proc files root's, until it says otherwise. */
	CCHECK_EQ(sys5(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	CCHECK_EQ(st("/proc/self/status", &sb), 0);
	CCHECK(sb.uid == 0 && sb.gid == 0, "/proc/self/status owned by %u:%u", sb.uid, sb.gid);
	fd = sys_open("/proc/self/fd", O_RDONLY | O_DIRECTORY);
	CCHECK(fd >= 0, "its own fd directory: %s", ut_rstr(fd));	/* its own all the same */
	sys_close((int)fd);
	CCHECK_EQ(sys5(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0), 0);
	/* Signals and waits carry the sender's (the child's) real uid. */
	{
		siginfo_t si;
		sigset_t set;
		long pid = sys_fork();

		if (pid == 0)
			sys_exit_group(7);
		CCHECK(pid > 0, "fork: %s", ut_rstr(pid));
		memset(&si, 0, sizeof(si));
		CCHECK_EQ(sys5(SYS_waitid, P_PID, pid, &si, WEXITED, 0), 0);
		CCHECK(si.si_pid == pid && si.si_uid == USER && si.si_status == 7,
		    "waitid: pid %d uid %u status %d", si.si_pid, si.si_uid, si.si_status);
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		CCHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 8), 0);
		CCHECK_EQ(sys_kill(sys_getpid(), SIGUSR1), 0);
		CCHECK_EQ(sys4(SYS_rt_sigtimedwait, &set, &si, 0, 8), SIGUSR1);
		CCHECK(si.si_code == SI_USER && si.si_uid == USER, "kill: code %d uid %u",
		    si.si_code, si.si_uid);
	}
	CCHECK_EQ(st("/proc/self/status", &sb), 0);
	CCHECK(sb.uid == USER && sb.gid == USER, "/proc/self/status owned by %u:%u", sb.uid, sb.gid);
	CCHECK_EQ(st("/proc/1/status", &sb), 0);
	CCHECK(sb.uid == 0, "/proc/1/status owned by %u", sb.uid);
	/* A root process's 0400 and 0500 entries stay closed (environ, fd). */
	CCHECK_EQ(sys_open("/proc/1/environ", O_RDONLY), -EACCES);
	CCHECK_EQ(sys_open("/proc/1/fd", O_RDONLY | O_DIRECTORY), -EACCES);
}

static void
t_cred_drop(void)
{
	proc_ready();
	CHECK_EXIT(drop_child, 0, 0);
}

/* setreuid and setfsuid: which id moves where, from a mixed set of ids. */
static void
setre_child(void *arg)
{
	unsigned r, e, s;

	(void)arg;
	CCHECK_EQ(sys2(SYS_setreuid, USER, OTHER), 0);	/* root: any; saved = new effective */
	CCHECK_EQ(sys3(SYS_getresuid, &r, &e, &s), 0);
	CCHECK(r == USER && e == OTHER && s == OTHER, "getresuid %u %u %u", r, e, s);
	CCHECK_EQ(sys1(SYS_setfsuid, 3000), OTHER);	/* not one of its ids: refused */
	CCHECK_EQ(sys1(SYS_setfsuid, USER), OTHER);
	CCHECK_EQ(sys1(SYS_setfsuid, NOID), USER);
	CCHECK_EQ(sys2(SYS_setreuid, NOID, USER), 0);	/* back to the real one: saved stays */
	CCHECK_EQ(sys3(SYS_getresuid, &r, &e, &s), 0);
	CCHECK(r == USER && e == USER && s == OTHER, "getresuid %u %u %u", r, e, s);
	CCHECK_EQ(sys2(SYS_setreuid, NOID, OTHER), 0);	/* the saved one */
	CCHECK_EQ(sys2(SYS_setreuid, NOID, 3000), -EPERM);
	CCHECK_EQ(sys2(SYS_setreuid, OTHER, NOID), 0);	/* real from effective */
	CCHECK_EQ(sys3(SYS_getresuid, &r, &e, &s), 0);
	CCHECK(r == OTHER && e == OTHER && s == OTHER, "getresuid %u %u %u", r, e, s);
	CCHECK_EQ(sys1(SYS_setuid, USER), -EPERM);	/* nothing of 1000 left */
}

/* A root process that made itself another user for a while gets root back (saved 0). */
static void
temp_drop_child(void *arg)
{
	(void)arg;
	CCHECK_EQ(sys3(SYS_setresuid, NOID, USER, NOID), 0);
	CCHECK_EQ(sys0(SYS_geteuid), USER);
	CCHECK_EQ(sys2(SYS_setgroups, 0, 0), -EPERM);	/* not root now */
	CCHECK_EQ(sys3(SYS_setresuid, NOID, 0, NOID), 0);
	CCHECK_EQ(sys0(SYS_geteuid), 0);
	CCHECK_EQ(sys1(SYS_setgid, 1234), 0);	/* root: real, effective and saved */
	CCHECK_EQ(sys0(SYS_getgid), 1234);
	CCHECK_EQ(sys0(SYS_getegid), 1234);
}

static void
t_cred_setre(void)
{
	CHECK_EXIT(setre_child, 0, 0);
	CHECK_EXIT(temp_drop_child, 0, 0);
}

static void
groups_child(void *arg)
{
	unsigned g[8], in[3] = { 5, 3, 4 }, bad[2] = { 7, 0xffffffffu };
	char line[128];

	(void)arg;
	CCHECK_EQ(sys2(SYS_setgroups, 3, in), 0);
	CCHECK_EQ(sys2(SYS_getgroups, 0, 0), 3);
	CCHECK_EQ(sys2(SYS_getgroups, 8, g), 3);
	CCHECK(g[0] == 3 && g[1] == 4 && g[2] == 5, "getgroups %u %u %u", g[0], g[1], g[2]);
	CCHECK_EQ(sys2(SYS_getgroups, 2, g), -EINVAL);
	CCHECK_EQ(sys2(SYS_getgroups, -1, g), -EINVAL);
	CCHECK_EQ(sys2(SYS_getgroups, 3, KERNEL_ADDR), -EFAULT);
	CCHECK_EQ(sys2(SYS_getgroups, 3, 8), -EFAULT);
	status_line("Groups:", line, sizeof(line));
	CCHECK(strcmp(line, "Groups:\t3 4 5 ") == 0, "status says \"%s\"", line);
	CCHECK_EQ(sys2(SYS_setgroups, 65537, in), -EINVAL);
	CCHECK_EQ(sys2(SYS_setgroups, -1, in), -EINVAL);
	CCHECK_EQ(sys2(SYS_setgroups, 2, bad), -EINVAL);	/* (gid_t)-1 */
	CCHECK_EQ(sys2(SYS_setgroups, 2, KERNEL_ADDR), -EFAULT);
	CCHECK_EQ(sys2(SYS_setgroups, 65536, 8), -EFAULT);
	CCHECK_EQ(sys2(SYS_getgroups, 0, 0), 3);	/* failures changed nothing */
	CCHECK_EQ(sys3(SYS_getresuid, KERNEL_ADDR, g, g), -EFAULT);
	CCHECK_EQ(sys3(SYS_getresuid, g, g, 8), -EFAULT);
	CCHECK_EQ(sys3(SYS_getresgid, g, KERNEL_ADDR, g), -EFAULT);
	/* The group gives access: a 0070 file of group 4. */
	tmp_ready();
	CCHECK_EQ(mkfile(T "grp", 0040, 0, 4), 0);
	CCHECK_EQ(sys3(SYS_setresgid, USER, USER, USER), 0);
	CCHECK_EQ(sys3(SYS_setresuid, USER, USER, USER), 0);
	CCHECK_EQ(sys2(SYS_getgroups, 0, 0), 3);	/* kept across setuid */
	CCHECK(sys_open(T "grp", O_RDONLY) >= 0, "a group member cannot read");
	CCHECK_EQ(sys_open(T "grp", O_WRONLY), -EACCES);
	CCHECK_EQ(sys2(SYS_setgroups, 0, 0), -EPERM);
}

static void
t_cred_groups(void)
{
	proc_ready();
	CHECK_EXIT(groups_child, 0, 0);
	sys1(SYS_unlink, T "grp");
}

/* ---- files ---- */

static void
files_child(void *arg)
{
	struct kst sb;
	long fd;
	char c;
	long ts[4] = { 1, 0, 2, 0 };

	(void)arg;
	drop_to(USER);
	/* Reading and writing root's files. */
	CCHECK_EQ(sys_open(T "r600", O_RDONLY), -EACCES);
	CCHECK_EQ(sys_open(T "r644", O_WRONLY), -EACCES);
	CCHECK_EQ(sys_open(T "r644", O_RDONLY | O_TRUNC), -EACCES);
	fd = sys_open(T "r644", O_RDONLY);
	CCHECK(fd >= 0, "cannot read a 0644 file: %s", ut_rstr(fd));
	sys_close((int)fd);
	CCHECK_EQ(sys2(SYS_truncate, T "r644", 0), -EACCES);
	/* O_PATH opens no access: whatever the answer, no bytes come through. */
	fd = sys_open(T "r600", O_PATH);
	if (fd >= 0)
		CCHECK_EQ(sys_read((int)fd, &c, 1), -EBADF);
	else
		CCHECK_EQ(fd, -EACCES);
	/* Search permission. */
	CCHECK_EQ(sys_open(T "d700/f", O_RDONLY), -EACCES);
	CCHECK_EQ(st(T "d700/f", &sb), -EACCES);
	CCHECK_EQ(sys1(SYS_chdir, T "d700"), -EACCES);
	CCHECK_EQ(sys_open(T "d700", O_RDONLY | O_DIRECTORY), -EACCES);
	CCHECK_EQ(st(T "d711/f", &sb), 0);	/* x without r: the name still works */
	CCHECK_EQ(sys_open(T "d711", O_RDONLY | O_DIRECTORY), -EACCES);
	/* Making names: not in "/", fine in /tmp, owned by the maker. */
	CCHECK_EQ(sys3(SYS_open, "/cred_new", O_WRONLY | O_CREAT, 0644), -EACCES);
	CCHECK_EQ(sys2(SYS_mkdir, "/cred_newdir", 0755), -EACCES);
	CCHECK_EQ(sys2(SYS_mkdir, "/test", 0755), -EEXIST);	/* there already: EEXIST first */
	CCHECK_EQ(sys2(SYS_symlink, "x", "/cred_lnk"), -EACCES);
	CCHECK_EQ(sys3(SYS_mknod, "/cred_fifo", S_IFIFO | 0644, 0), -EACCES);
	CCHECK_EQ(sys2(SYS_rename, T "r644", "/cred_moved"), -EPERM);	/* sticky /tmp first */
	fd = sys3(SYS_open, T "mine", O_RDWR | O_CREAT | O_TRUNC, 0400);
	CCHECK(fd >= 0, "cannot create in /tmp: %s", ut_rstr(fd));
	CCHECK_EQ(sys_write((int)fd, "x", 1), 1);	/* made now: its own mode is not asked */
	sys_close((int)fd);
	CCHECK_EQ(st(T "mine", &sb), 0);
	CCHECK(sb.uid == USER && sb.gid == USER, "new file owned by %u:%u", sb.uid, sb.gid);
	CCHECK_EQ(sys3(SYS_mknod, T "dev", S_IFCHR | 0600, 0x0103), -EPERM);
	/* Modes, owners, times: root's files are not its own. */
	CCHECK_EQ(sys2(SYS_chmod, T "r644", 0666), -EPERM);
	CCHECK_EQ(sys3(SYS_chown, T "r644", USER, NOID), -EPERM);
	CCHECK_EQ(sys3(SYS_chown, T "r644", NOID, USER), -EPERM);
	CCHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, T "r644", 0, 0), -EACCES);
	CCHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, T "r644", ts, 0), -EPERM);
	CCHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, T "w666", 0, 0), 0);	/* a writer may touch */
	CCHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, T "w666", ts, 0), -EPERM);
	CCHECK_EQ(sys2(SYS_chmod, T "mine", 0644), 0);
	CCHECK_EQ(sys3(SYS_chown, T "mine", USER, USER), 0);	/* to itself: allowed */
	CCHECK_EQ(sys3(SYS_chown, T "mine", NOID, 0), -EPERM);	/* not its group */
	CCHECK_EQ(sys3(SYS_chown, T "mine", 0, NOID), -EPERM);	/* giving it away */
	CCHECK_EQ(sys4(SYS_utimensat, AT_FDCWD, T "mine", ts, 0), 0);
	/* A set-group-ID bit for a group it is not in goes quietly. */
	CCHECK_EQ(sys2(SYS_chmod, T "mine", 02755), 0);
	CCHECK_EQ(st(T "mine", &sb), 0);
	CCHECK_EQ(sb.mode & 07777, 02755);
	/* Executing: root's 0700 copy no; its 0755 one yes (EACCES vs a run). */
	CCHECK_EQ(sys3(SYS_execve, T "x700", 0, 0), -EACCES);
	/* Sticky /tmp: root's and another user's files stay. */
	CCHECK_EQ(sys1(SYS_unlink, T "r644"), -EPERM);
	CCHECK_EQ(sys1(SYS_unlink, T "o644"), -EPERM);
	CCHECK_EQ(sys2(SYS_rename, T "mine", T "r644"), -EPERM);
	CCHECK_EQ(sys2(SYS_rename, T "o644", T "stolen"), -EPERM);
	CCHECK_EQ(sys1(SYS_rmdir, T "d700"), -EPERM);
	/* ... but a plain 0777 directory lets anyone remove anything in it. */
	CCHECK_EQ(sys1(SYS_unlink, T "ww/r644"), 0);
	CCHECK_EQ(sys1(SYS_unlink, T "mine"), 0);
	/* And nothing in a directory it cannot write. */
	CCHECK_EQ(sys1(SYS_unlink, T "d755/f"), -EACCES);
	CCHECK_EQ(sys3(SYS_open, T "d755/g", O_WRONLY | O_CREAT, 0644), -EACCES);
}

static void
t_cred_files(void)
{
	struct kst sb;

	tmp_ready();
	CHECK_EQ(st("/", &sb), 0);
	CHECK(sb.mode == (S_IFDIR | 0755) && sb.uid == 0, "/ is %o, owner %u", sb.mode, sb.uid);
	CHECK_EQ(mkfile(T "r600", 0600, 0, 0), 0);
	CHECK_EQ(mkfile(T "r644", 0644, 0, 0), 0);
	CHECK_EQ(mkfile(T "w666", 0666, 0, 0), 0);
	CHECK_EQ(mkfile(T "o644", 0644, OTHER, OTHER), 0);
	sys1(SYS_unlink, T "stolen");
	sys1(SYS_unlink, T "mine");
	sys1(SYS_unlink, T "d700/f");
	sys1(SYS_rmdir, T "d700");
	CHECK_EQ(sys2(SYS_mkdir, T "d700", 0700), 0);
	CHECK_EQ(mkfile(T "d700/f", 0644, 0, 0), 0);
	sys1(SYS_unlink, T "d711/f");
	sys1(SYS_rmdir, T "d711");
	CHECK_EQ(sys2(SYS_mkdir, T "d711", 0711), 0);
	CHECK_EQ(mkfile(T "d711/f", 0644, 0, 0), 0);
	sys1(SYS_unlink, T "d755/f");
	sys1(SYS_rmdir, T "d755");
	CHECK_EQ(sys2(SYS_mkdir, T "d755", 0755), 0);
	CHECK_EQ(mkfile(T "d755/f", 0666, 0, 0), 0);
	sys1(SYS_unlink, T "ww/r644");
	sys1(SYS_rmdir, T "ww");
	CHECK_EQ(sys2(SYS_mkdir, T "ww", 0700), 0);
	CHECK_EQ(sys2(SYS_chmod, T "ww", 0777), 0);
	CHECK_EQ(mkfile(T "ww/r644", 0644, 0, 0), 0);
	CHECK_EQ(copy_file(ECHOARGS_PATH, T "x700"), 0);
	CHECK_EXIT(files_child, 0, 0);
	/* Root's override: reads and writes a 0000 file, executes only what has an x bit. */
	CHECK_EQ(sys2(SYS_chmod, T "r600", 0), 0);
	CHECK(sys_open(T "r600", O_RDWR) >= 0, "root cannot open a 0000 file");
	CHECK_EQ(sys2(SYS_access, T "r600", R_OK | W_OK), 0);
	CHECK_EQ(sys2(SYS_access, T "r644", X_OK), -EACCES);
	CHECK_EQ(sys3(SYS_execve, T "r644", 0, 0), -EACCES);
	CHECK_EQ(sys2(SYS_access, T "d700", X_OK), 0);
	CHECK_EQ(sys1(SYS_unlink, T "o644"), 0);	/* root removes anyone's */
	CHECK_EQ(sys1(SYS_unlink, T "r600"), 0);
	sys1(SYS_unlink, T "r644");
	sys1(SYS_unlink, T "w666");
	sys1(SYS_unlink, T "x700");
	sys1(SYS_unlink, T "d700/f");
	sys1(SYS_rmdir, T "d700");
	sys1(SYS_unlink, T "d711/f");
	sys1(SYS_rmdir, T "d711");
	sys1(SYS_unlink, T "d755/f");
	sys1(SYS_rmdir, T "d755");
	sys1(SYS_rmdir, T "ww");
}

/* access() asks with the real ids, faccessat2(AT_EACCESS) with the effective ones. */
static void
access_child(void *arg)
{
	long fd;

	(void)arg;
	/* Real 1000, effective root: a set-user-ID root program's view. */
	CCHECK_EQ(sys3(SYS_setresuid, USER, 0, 0), 0);
	CCHECK_EQ(sys2(SYS_access, T "a600", R_OK), -EACCES);
	CCHECK_EQ(sys2(SYS_access, T "a600", F_OK), 0);
	CCHECK_EQ(sys4(SYS_faccessat2, AT_FDCWD, T "a600", R_OK, AT_EACCESS), 0);
	CCHECK_EQ(sys4(SYS_faccessat2, AT_FDCWD, T "a600", R_OK, 0), -EACCES);
	fd = sys_open(T "a600", O_RDONLY);
	CCHECK(fd >= 0, "effective root cannot open: %s", ut_rstr(fd));
	sys_close((int)fd);
	/* The walk too: a 0700 directory on the way is searched with the real ids. */
	CCHECK_EQ(sys2(SYS_access, T "a700/f", F_OK), -EACCES);
	/* Real root, effective 1000: the other way round. */
	CCHECK_EQ(sys3(SYS_setresuid, 0, USER, 0), 0);
	CCHECK_EQ(sys2(SYS_access, T "a600", R_OK | W_OK), 0);
	CCHECK_EQ(sys4(SYS_faccessat2, AT_FDCWD, T "a600", R_OK, AT_EACCESS), -EACCES);
	CCHECK_EQ(sys_open(T "a600", O_RDONLY), -EACCES);
	CCHECK_EQ(sys2(SYS_access, T "a600", 8), -EINVAL);
}

static void
t_cred_access(void)
{
	tmp_ready();
	CHECK_EQ(mkfile(T "a600", 0600, 0, 0), 0);
	sys1(SYS_unlink, T "a700/f");
	sys1(SYS_rmdir, T "a700");
	CHECK_EQ(sys2(SYS_mkdir, T "a700", 0700), 0);
	CHECK_EQ(mkfile(T "a700/f", 0644, 0, 0), 0);
	CHECK_EXIT(access_child, 0, 0);
	sys1(SYS_unlink, T "a600");
	sys1(SYS_unlink, T "a700/f");
	sys1(SYS_rmdir, T "a700");
}

/* A set-group-ID directory: new names take its group, subdirectories its bit. */
static void
sgid_child(void *arg)
{
	struct kst sb;
	long fd;

	(void)arg;
	drop_to(USER);
	fd = sys3(SYS_open, T "sg/f", O_WRONLY | O_CREAT, 02775);
	CCHECK(fd >= 0, "cannot create: %s", ut_rstr(fd));
	sys_close((int)fd);
	CCHECK_EQ(st(T "sg/f", &sb), 0);
	CCHECK(sb.uid == USER && sb.gid == 50, "file owned by %u:%u", sb.uid, sb.gid);
	CCHECK_EQ(sb.mode & 07777, 0755);	/* not in group 50: no set-group-ID */
	CCHECK_EQ(sys2(SYS_mkdir, T "sg/d", 0755), 0);
	CCHECK_EQ(st(T "sg/d", &sb), 0);
	CCHECK(sb.gid == 50 && (sb.mode & 07777) == 02755, "dir %u mode %o", sb.gid, sb.mode);
}

static void
t_cred_sgid_dir(void)
{
	tmp_ready();
	sys1(SYS_unlink, T "sg/f");
	sys1(SYS_rmdir, T "sg/d");
	sys1(SYS_rmdir, T "sg");
	CHECK_EQ(sys2(SYS_mkdir, T "sg", 0777), 0);
	CHECK_EQ(sys3(SYS_chown, T "sg", 0, 50), 0);
	CHECK_EQ(sys2(SYS_chmod, T "sg", 02777), 0);
	CHECK_EXIT(sgid_child, 0, 0);
	sys1(SYS_unlink, T "sg/f");
	sys1(SYS_rmdir, T "sg/d");
	sys1(SYS_rmdir, T "sg");
}

/* Ways around the checks a user might try: each must fail as on Linux. */
static long held_rw, held_ro;

static void
escape_child(void *arg)
{
	char path[64];
	long fd;

	(void)arg;
	drop_to(USER);
	/* A link of its own to root's file: the target's mode decides. */
	CCHECK_EQ(sys2(SYS_symlink, T "e600", T "esl"), 0);
	CCHECK_EQ(sys_open(T "esl", O_RDONLY), -EACCES);
	CCHECK_EQ(sys1(SYS_unlink, T "esl"), 0);
	/* Reopening a read-only descriptor through /proc/self/fd for writing. */
	snprintf(path, sizeof(path), "/proc/self/fd/%ld", held_ro);
	CCHECK_EQ(sys_open(path, O_WRONLY), -EACCES);
	CCHECK_EQ(sys_open(path, O_RDWR), -EACCES);
	fd = sys_open(path, O_RDONLY);
	CCHECK(fd >= 0, "reopen for reading: %s", ut_rstr(fd));
	/* The descriptor root opened keeps its access; its attributes stay root's. */
	CCHECK_EQ(sys_write((int)held_rw, "x", 1), 1);
	CCHECK_EQ(sys2(SYS_fchmod, held_ro, 0666), -EPERM);
	CCHECK_EQ(sys3(SYS_fchown, held_ro, USER, USER), -EPERM);
	CCHECK_EQ(sys2(SYS_ftruncate, held_ro, 0), -EINVAL);
	/* Replacing root's empty directory in sticky /tmp with its own. */
	CCHECK_EQ(sys2(SYS_mkdir, T "emine", 0755), 0);
	CCHECK_EQ(sys2(SYS_rename, T "emine", T "edir"), -EPERM);
	CCHECK_EQ(sys1(SYS_rmdir, T "emine"), 0);
	/* chdir into it and use a relative path: search is still needed. */
	CCHECK_EQ(sys1(SYS_chdir, "/tmp"), 0);
	CCHECK_EQ(sys_open("cred_e700/f", O_RDONLY), -EACCES);
	CCHECK_EQ(sys_open("cred_e700/../cred_e600", O_RDONLY), -EACCES);
	CCHECK_EQ(sys1(SYS_chdir, "/"), 0);
	/* Another user's directory taken over by a chmod or chown. */
	CCHECK_EQ(sys2(SYS_chmod, T "e700", 0777), -EPERM);
	CCHECK_EQ(sys3(SYS_lchown, T "e700", USER, USER), -EPERM);
}

static void
t_cred_escape(void)
{
	tmp_ready();
	proc_ready();
	CHECK_EQ(mkfile(T "e600", 0600, 0, 0), 0);
	CHECK_EQ(mkfile(T "e644", 0644, 0, 0), 0);
	sys1(SYS_unlink, T "esl");
	sys1(SYS_rmdir, T "emine");
	sys1(SYS_rmdir, T "edir");
	CHECK_EQ(sys2(SYS_mkdir, T "edir", 0755), 0);
	sys1(SYS_unlink, T "e700/f");
	sys1(SYS_rmdir, T "e700");
	CHECK_EQ(sys2(SYS_mkdir, T "e700", 0700), 0);
	CHECK_EQ(mkfile(T "e700/f", 0644, 0, 0), 0);
	CHECK_OK(held_rw, sys_open(T "e600", O_RDWR));
	CHECK_OK(held_ro, sys_open(T "e644", O_RDONLY));
	CHECK_EXIT(escape_child, 0, 0);
	sys_close((int)held_rw);
	sys_close((int)held_ro);
	sys1(SYS_unlink, T "e600");
	sys1(SYS_unlink, T "e644");
	sys1(SYS_rmdir, T "edir");
	sys1(SYS_unlink, T "e700/f");
	sys1(SYS_rmdir, T "e700");
}

/* ---- set-user-ID and set-group-ID programs ---- */

struct idrun {
	const char *path;
	const char *want[7];	/* getresuid, getresgid, AT_SECURE */
	int nnp;
	long drop;
};

static void
exec_ids_child(void *arg)
{
	struct idrun *r = arg;
	char *argv[] = { "echoargs", "ids", (char *)r->want[0], (char *)r->want[1],
	    (char *)r->want[2], (char *)r->want[3], (char *)r->want[4], (char *)r->want[5],
	    (char *)r->want[6], 0 };
	char *envp[] = { 0 };

	if (r->drop)
		drop_to(r->drop);
	if (r->nnp)
		CCHECK_EQ(sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	sys_execve(r->path, argv, envp);
	ut_child_fail(__FILE__, __LINE__, "execve %s failed", r->path);
}

static void
t_cred_setuid_exec(void)
{
	struct idrun plain = { T "suid", { "0", "0", "0", "0", "0", "0", "0" }, 0, 0 };
	struct idrun suid = { T "suid", { "1000", "0", "0", "1000", "1000", "1000", "1" }, 0, USER };
	struct idrun nnp = { T "suid", { "1000", "1000", "1000", "1000", "1000", "1000", "0" }, 1,
	    USER };
	struct idrun sgid = { T "sgid", { "1000", "1000", "1000", "1000", "50", "50", "1" }, 0, USER };
	struct idrun nosuid = { T "ns/suid", { "1000", "1000", "1000", "1000", "1000", "1000", "0" },
	    0, USER };

	tmp_ready();
	CHECK_EQ(copy_file(ECHOARGS_PATH, T "suid"), 0);
	CHECK_EQ(sys2(SYS_chmod, T "suid", 04755), 0);
	CHECK_EQ(copy_file(ECHOARGS_PATH, T "sgid"), 0);
	CHECK_EQ(sys3(SYS_chown, T "sgid", 0, 50), 0);
	CHECK_EQ(sys2(SYS_chmod, T "sgid", 02755), 0);
	CHECK_EXIT(exec_ids_child, &plain, 0);	/* root runs it: nothing changes */
	CHECK_EXIT(exec_ids_child, &suid, 0);
	CHECK_EXIT(exec_ids_child, &nnp, 0);
	CHECK_EXIT(exec_ids_child, &sgid, 0);
	/* A nosuid mount ignores the bits. */
	sys2(SYS_umount2, T "ns", 0);
	sys1(SYS_rmdir, T "ns");
	CHECK_EQ(sys2(SYS_mkdir, T "ns", 0755), 0);
	CHECK_EQ(sys5(SYS_mount, "none", T "ns", "tmpfs", MS_NOSUID, 0), 0);
	CHECK_EQ(copy_file(ECHOARGS_PATH, T "ns/suid"), 0);
	CHECK_EQ(sys2(SYS_chmod, T "ns/suid", 04755), 0);
	CHECK_EXIT(exec_ids_child, &nosuid, 0);
	CHECK_EQ(sys2(SYS_umount2, T "ns", 0), 0);
	sys1(SYS_rmdir, T "ns");
	sys1(SYS_unlink, T "suid");
	sys1(SYS_unlink, T "sgid");
}

/* ---- signals and the privileged calls ---- */

static void
sleeper(void *arg)
{
	(void)arg;
	sys2(SYS_setpgid, 0, 0);
	for (;;)
		sys0(SYS_pause);
}

static long victim;

static void
kill_child(void *arg)
{
	long pid;
	int status;

	(void)arg;
	drop_to(USER);
	CCHECK_EQ(sys_kill(victim, SIGTERM), -EPERM);
	CCHECK_EQ(sys_kill(victim, 0), -EPERM);
	CCHECK_EQ(sys_kill(-victim, SIGTERM), -EPERM);	/* its group: all refused */
	CCHECK_EQ(sys2(SYS_tkill, victim, SIGTERM), -EPERM);
	CCHECK_EQ(sys3(SYS_tgkill, victim, victim, SIGTERM), -EPERM);
	CCHECK_EQ(sys_kill(1, 0), -EPERM);
	CCHECK_EQ(sys_kill(victim, SIGCONT), 0);	/* the same session */
	CCHECK_EQ(sys_kill(sys_getpid(), 0), 0);
	/* Its own kind: a child of the same uid. */
	pid = sys_fork();
	if (pid == 0)
		for (;;)
			sys0(SYS_pause);
	CCHECK(pid > 0, "fork: %s", ut_rstr(pid));
	CCHECK_EQ(sys_kill(pid, SIGKILL), 0);
	CCHECK_EQ(sys_wait4(pid, &status, 0), pid);
	CCHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "child %s", ut_status_str(status));
	/* The privileged calls. */
	CCHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, -1), -EACCES);
	CCHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, 5), 0);
	CCHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, 2), -EACCES);	/* RLIMIT_NICE 0 */
	CCHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, victim, 5), -EPERM);
	{
		struct timespec ts;

		CCHECK_EQ(sys2(SYS_clock_gettime, CLOCK_REALTIME, &ts), 0);
		CCHECK_EQ(sys2(SYS_clock_settime, CLOCK_REALTIME, &ts), -EPERM);
		CCHECK_EQ(sys2(SYS_settimeofday, 0, 0), -EPERM);	/* even nothing */
		long tv[2] = { ts.tv_sec, 0 };
		CCHECK_EQ(sys2(SYS_settimeofday, tv, 0), -EPERM);
	}
	CCHECK_EQ(sys5(SYS_mount, "none", "/tmp", "tmpfs", 0, 0), -EPERM);
	CCHECK_EQ(sys2(SYS_umount2, "/proc", 0), -EPERM);
	CCHECK_EQ(sys4(SYS_reboot, 0xfee1dead, 672274793, 0x12345678, 0), -EPERM);
}

static void
t_cred_kill(void)
{
	int status;

	proc_ready();
	victim = ut_spawn(sleeper, 0);
	CHECK(victim > 0, "spawn: %s", ut_rstr(victim));
	ut_sleep_ms(20);
	CHECK_EXIT(kill_child, 0, 0);
	CHECK_EQ(sys_kill(victim, SIGTERM), 0);	/* root may */
	CHECK_EQ(ut_wait(victim, &status), 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "victim %s",
	    ut_status_str(status));
}

/*
 * RLIMIT_NPROC: a non-root user's processes may not reach the limit
 * (the caller counts); root is exempt.
 */
static void
c_cred_nproc(void *a)
{
	struct { unsigned long cur, max; } lim = { 3, 3 };
	long kids[3], r;
	int st, i;

	(void)a;
	CCHECK_EQ(sys4(SYS_prlimit64, 0, 6 /* RLIMIT_NPROC */, &lim, 0), 0);
	/* Still root: not limited. */
	for (i = 0; i < 3; i++) {
		kids[i] = sys_fork();
		if (kids[i] == 0)
			sys_exit_group(0);
		CCHECK(kids[i] > 0, "fork as root: %s", ut_rstr(kids[i]));
	}
	for (i = 0; i < 3; i++)
		sys_wait4(kids[i], &st, 0);
	drop_to(4321);
	for (i = 0; i < 2; i++) {
		kids[i] = sys_fork();
		if (kids[i] == 0) {
			ut_sleep_ms(5000);
			sys_exit_group(0);
		}
		CCHECK(kids[i] > 0, "fork %d of 3: %s", i + 1, ut_rstr(kids[i]));
	}
	r = sys_fork();
	if (r == 0)
		sys_exit_group(0);
	for (i = 0; i < 2; i++) {
		sys_kill(kids[i], SIGKILL);
		sys_wait4(kids[i], &st, 0);
	}
	CCHECK(r == -EAGAIN, "the third process of uid 4321 with RLIMIT_NPROC 3: %s",
	    ut_rstr(r));
}

static void
t_cred_nproc(void)
{
	CHECK_EXIT(c_cred_nproc, 0, 0);
}

const struct utest cred_tests[] = {
	{ "cred_root_ids", t_cred_root_ids, 0 },
	{ "cred_drop", t_cred_drop, 0 },
	{ "cred_setre", t_cred_setre, 0 },
	{ "cred_groups", t_cred_groups, 0 },
	{ "cred_files", t_cred_files, 0 },
	{ "cred_access", t_cred_access, 0 },
	{ "cred_sgid_dir", t_cred_sgid_dir, 0 },
	{ "cred_escape", t_cred_escape, 0 },
	{ "cred_setuid_exec", t_cred_setuid_exec, 0 },
	{ "cred_kill", t_cred_kill, 0 },
	{ "cred_nproc", t_cred_nproc, 0 },
	{ 0, 0, 0 },
};
