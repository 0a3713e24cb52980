/*
 * hostile.c: the runner of the hostile suite: programs doing what an
 * attacker or a buggy program does, each of which must end as it does on
 * Linux (the signal that kills it, or the exact -errno) while the kernel
 * survives and runs the next case.
 *
 * Usage: /test/hostile [+WORD | !WORD]..., as init (as the boot tests run
 * it, with audit=switch) or as an ordinary process.  A case runs when its
 * name contains every +WORD and no !WORD; the others are skipped.  Other
 * arguments are ignored: Linux passes the boot parameters it does not know
 * to init.  Output on fd 1, TAP:
 *
 *	1..N
 *	ok 1 - name
 *	not ok 2 - name # file.c:123: what was wrong
 *	ok 3 - name # SKIP why
 *	hostile: 2 passed, 1 failed
 *
 * (", N skipped" follows when some were.)  Exit status 0 when nothing
 * failed, 1 otherwise.
 *
 * Every case runs in a child of its own, in a process group of its own:
 * whatever it leaves behind (a fork bomb's thousands of processes) is
 * killed with the group and reaped before the next case starts.  A case
 * that does not end within its deadline is killed and fails.  For the
 * exhaustion cases (HT_MEM) the runner compares sysinfo's free memory
 * before and after, on keel only: Linux's free memory moves with its
 * caches, keel's must come back to where it was.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include "hostile.h"

int h_on_keel;
int h_is_init;

static const struct htest *const tables[] = {
	addr_tests, insn_tests, ldt_tests, entry_tests, flags_tests, sigframe_tests, ptr_tests,
	ptr_proc_tests, poll_ptr_tests, ptr_time_tests, thread_tests, arg_tests, exhaust_tests,
	/* Last: on a kernel with these bugs, init dies or the kernel never returns. */
	init_tests, dos_tests,
};

#define CASE_TIMEOUT_MS		60000
#define LONG_TIMEOUT_MS		600000
/*
 * What an exhaustion case may leave allocated on keel: the slab heap keeps
 * one empty slab per size class, and the kernel page tables that mapped
 * thousands of kernel stacks stay (kernel/mm/kstack.c).
 */
#define MEM_SLACK_BYTES		(1024L * 1024)

/* ---- the runner ---- */

/* Kill what a case left in its process group, and reap every child. */
static void
cleanup_case(long pgid)
{
	long long deadline = ut_now_ns() + 30 * 1000000000LL;
	int st;

	sys_kill(-pgid, SIGKILL);
	/* As init, the case's orphans are ours: wait until none is left. */
	while (ut_now_ns() < deadline) {
		long r = sys_wait4(-1, &st, WNOHANG);

		if (r == -ECHILD)
			break;
		if (r == 0) {
			if (!h_is_init)
				break;
			sys_kill(-pgid, SIGKILL);
			ut_sleep_ms(5);
		}
	}
}

static void
case_child(const struct htest *t, int fd)
{
	ut_detail_fd = fd;
	sys2(SYS_setpgid, 0, 0);
	t->ht_fn();
	if (ut_cur_failed || ut_cur_skipped)
		ut_write_all(fd, ut_cur_detail, strlen(ut_cur_detail));
	sys_exit_group(ut_cur_failed ? 1 : ut_cur_skipped ? 2 : 0);
}

/* 0 passed, 1 failed, 2 skipped; the TAP line is printed here. */
static int
run_case(const struct htest *t, int num)
{
	char detail[1024], verdict[1200];
	long before = -1, after, pid, r, n = 0;
	int fds[2], st = 0, res;

	verdict[0] = '\0';
	if (sys2(SYS_pipe2, fds, O_NONBLOCK) != 0) {
		ut_print("not ok %d - %s # pipe2 failed\n", num, t->ht_name);
		return 1;
	}
	if ((t->ht_flags & HT_MEM) && h_on_keel && h_is_init)
		before = ut_free_bytes();
	pid = sys_fork();
	if (pid == 0) {
		sys_close(fds[0]);
		case_child(t, fds[1]);
	}
	sys_close(fds[1]);
	if (pid < 0) {
		sys_close(fds[0]);
		ut_print("not ok %d - %s # fork: %s\n", num, t->ht_name, ut_rstr(pid));
		return 1;
	}
	sys2(SYS_setpgid, pid, pid);	/* also done by the child: no race */
	r = ut_wait_ms(pid, &st, (t->ht_flags & HT_LONG) ? LONG_TIMEOUT_MS : CASE_TIMEOUT_MS);
	cleanup_case(pid);
	while (n < (long)sizeof detail - 1) {
		long k = sys_read(fds[0], detail + n, sizeof detail - 1 - n);

		if (k <= 0)
			break;
		n += k;
	}
	detail[n] = '\0';
	for (char *p = detail; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (before >= 0) {
		after = ut_free_bytes();
		ut_print("# free memory before %ld KiB, after %ld KiB\n", before / 1024, after / 1024);
		if (after < before - MEM_SLACK_BYTES)
			snprintf(verdict, sizeof verdict, "free memory did not come back: "
			    "%ld KiB before, %ld KiB after; ", before / 1024, after / 1024);
	}
	sys_close(fds[0]);
	if (r == -ETIMEDOUT) {
		res = 1;
		snprintf(verdict + strlen(verdict), sizeof verdict - strlen(verdict),
		    "did not finish in time; %s", detail);
	} else if (r < 0) {
		res = 1;
		snprintf(verdict + strlen(verdict), sizeof verdict - strlen(verdict),
		    "wait4: %s", ut_rstr(r));
	} else if (WIFEXITED(st) && WEXITSTATUS(st) <= 2) {
		res = WEXITSTATUS(st);
		if (verdict[0] && res != 1)
			res = 1;
		snprintf(verdict + strlen(verdict), sizeof verdict - strlen(verdict),
		    "%s", detail);
	} else {
		res = 1;
		snprintf(verdict + strlen(verdict), sizeof verdict - strlen(verdict),
		    "case child %s; %s", ut_status_str(st), detail);
	}
	if (res == 0)
		ut_print("ok %d - %s\n", num, t->ht_name);
	else if (res == 2)
		ut_print("ok %d - %s # SKIP %s\n", num, t->ht_name, verdict);
	else
		ut_print("not ok %d - %s # %s\n", num, t->ht_name, verdict);
	return res;
}

/* Every +WORD in the name, no !WORD. */
static int
selected(const struct htest *c, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if ((argv[i][0] == '+' || argv[i][0] == '!') &&
		    (strstr(c->ht_name, argv[i] + 1) != 0) == (argv[i][0] == '!'))
			return 0;
	return 1;
}

int
main(int argc, char **argv)
{
	struct utsname u;
	int n = 0, num = 0, passed = 0, failed = 0, skipped = 0;

	h_is_init = sys_getpid() == 1;
	h_on_keel = sys1(SYS_uname, &u) == 0 && strcmp(u.sysname, "keel") == 0;
	/* Linux's initramfs has no /tmp, /dev/null, /dev/zero; keel's has. */
	sys2(SYS_mkdir, "/tmp", 01777);
	sys3(SYS_mknod, "/dev/null", S_IFCHR | 0666, makedev(1, 3));
	sys3(SYS_mknod, "/dev/zero", S_IFCHR | 0666, makedev(1, 5));
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct htest *c = tables[t]; c->ht_name; c++)
			n++;
	ut_print("1..%d\n", n);
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
		for (const struct htest *c = tables[t]; c->ht_name; c++) {
			if (!selected(c, argc, argv)) {
				ut_print("ok %d - %s # SKIP not selected\n", ++num, c->ht_name);
				skipped++;
				continue;
			}
			switch (run_case(c, ++num)) {
			case 0:
				passed++;
				break;
			case 2:
				skipped++;
				break;
			default:
				failed++;
			}
		}
	}
	if (skipped)
		ut_print("hostile: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	else
		ut_print("hostile: %d passed, %d failed\n", passed, failed);
	sys_exit_group(failed ? 1 : 0);
}
