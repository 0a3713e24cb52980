/*
 * fuzz_calls.c: the calls the fuzzer makes (fuzz.h): the weighted table of
 * what keel implements with the kind of each argument, the fix-ups that
 * keep a run alive (see fixup), the repairs after calls that changed the
 * child's own memory, and fuzz_one, which draws and makes one call.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include "fuzz.h"

/* ---- the calls ---- */

enum { T_NONE, T_FD, T_PTR, T_OUT, T_LEN, T_INT, T_PATH, T_WPATH, T_XPATH, T_PID, T_SIG,
	T_ADDR, T_MLEN, T_TS, T_SIGSET, T_SSIZE, T_OFLAGS, T_PROT, T_MFLAGS, T_IOCTL, T_FCNTL,
	T_CLOCK, T_WOPT, T_STRV, T_ARCH };

struct call {
	long nr;
	const char *name;
	int weight;
	unsigned char arg[6];
};

#define C(nr, w, ...)	{ nr, #nr, w, { __VA_ARGS__ } }
static const struct call calls[] = {
	C(SYS_read, 40, T_FD, T_OUT, T_LEN),
	C(SYS_write, 40, T_FD, T_PTR, T_LEN),
	C(SYS_open, 25, T_PATH, T_OFLAGS, T_INT),
	C(SYS_close, 20, T_FD),
	C(SYS_stat, 15, T_PATH, T_OUT),
	C(SYS_fstat, 15, T_FD, T_OUT),
	C(SYS_lstat, 8, T_PATH, T_OUT),
	C(SYS_lseek, 15, T_FD, T_INT, T_INT),
	C(SYS_mmap, 35, T_ADDR, T_MLEN, T_PROT, T_MFLAGS, T_FD, T_INT),
	C(SYS_mprotect, 25, T_ADDR, T_MLEN, T_PROT),
	C(SYS_munmap, 20, T_ADDR, T_MLEN),
	C(SYS_brk, 15, T_ADDR),
	C(SYS_rt_sigaction, 15, T_SIG, T_NONE /* fixup */, T_OUT, T_SSIZE),
	C(SYS_rt_sigprocmask, 15, T_INT, T_SIGSET, T_OUT, T_SSIZE),
	C(SYS_rt_sigreturn, 1),
	C(SYS_ioctl, 15, T_FD, T_IOCTL, T_PTR),
	C(SYS_readv, 15, T_FD, T_NONE /* fixup */, T_NONE),
	C(SYS_writev, 15, T_FD, T_NONE /* fixup */, T_NONE),
	C(SYS_access, 8, T_PATH, T_INT),
	C(SYS_pipe, 8, T_OUT),
	C(SYS_sched_yield, 5),
	C(SYS_mremap, 12, T_ADDR, T_MLEN, T_MLEN, T_INT, T_ADDR),
	C(SYS_msync, 6, T_ADDR, T_MLEN, T_INT),
	C(SYS_mincore, 8, T_ADDR, T_MLEN, T_OUT),
	C(SYS_madvise, 15, T_ADDR, T_MLEN, T_INT),
	C(SYS_dup, 12, T_FD),
	C(SYS_dup2, 12, T_FD, T_FD),
	C(SYS_nanosleep, 8, T_TS, T_OUT),
	C(SYS_getpid, 5),
	C(SYS_fork, 4),
	C(SYS_vfork, 2),
	C(SYS_execve, 8, T_XPATH, T_STRV, T_STRV),
	C(SYS_wait4, 8, T_PID, T_OUT, T_WOPT, T_OUT),
	C(SYS_kill, 12, T_PID, T_SIG),
	C(SYS_uname, 5, T_OUT),
	C(SYS_fcntl, 15, T_FD, T_FCNTL, T_INT),
	C(SYS_truncate, 5, T_WPATH, T_INT),
	C(SYS_ftruncate, 8, T_FD, T_INT),
	C(SYS_getcwd, 5, T_OUT, T_LEN),
	C(SYS_chdir, 5, T_PATH),
	C(SYS_fchdir, 5, T_FD),
	C(SYS_rename, 8, T_WPATH, T_WPATH),
	C(SYS_mkdir, 8, T_WPATH, T_INT),
	C(SYS_rmdir, 5, T_WPATH),
	C(SYS_unlink, 5, T_WPATH),
	C(SYS_readlink, 5, T_PATH, T_OUT, T_LEN),
	C(SYS_sysinfo, 5, T_OUT),
	C(SYS_getuid, 2),
	C(SYS_getgid, 2),
	C(SYS_geteuid, 2),
	C(SYS_getegid, 2),
	C(SYS_setpgid, 5, T_PID, T_PID),
	C(SYS_getppid, 3),
	C(SYS_getpgrp, 3),
	C(SYS_setsid, 3),
	C(SYS_getpgid, 5, T_PID),
	C(SYS_getsid, 5, T_PID),
	C(SYS_rt_sigpending, 5, T_OUT, T_SSIZE),
	C(SYS_rt_sigsuspend, 4, T_SIGSET, T_SSIZE),
	C(SYS_arch_prctl, 5, T_ARCH, T_PTR),
	C(SYS_reboot, 2, T_INT, T_INT, T_INT, T_PTR),
	C(SYS_gettid, 2),
	C(SYS_set_tid_address, 4, T_PTR),
	C(SYS_clock_gettime, 8, T_CLOCK, T_OUT),
	C(SYS_clock_getres, 4, T_CLOCK, T_OUT),
	C(SYS_clock_nanosleep, 3, T_CLOCK, T_INT, T_TS, T_OUT),
	C(SYS_gettimeofday, 3, T_OUT, T_OUT),
	C(SYS_time, 2, T_OUT),
	C(SYS_times, 3, T_OUT),
	C(SYS_getrusage, 4, T_INT, T_OUT),
	C(SYS_getitimer, 3, T_INT, T_OUT),
	C(SYS_setitimer, 3, T_INT, T_NONE /* fixup */, T_OUT),
	C(SYS_alarm, 2, T_NONE),
	C(SYS_getpriority, 3, T_INT, T_PID),
	C(SYS_setpriority, 3, T_INT, T_NONE /* fixup */, T_INT),
	C(SYS_sched_getaffinity, 3, T_PID, T_LEN, T_OUT),
	C(SYS_sched_setaffinity, 3, T_PID, T_LEN, T_PTR),
	C(SYS_sched_getparam, 2, T_PID, T_OUT),
	C(SYS_sched_getscheduler, 2, T_PID),
	C(SYS_sched_get_priority_max, 1, T_INT),
	C(SYS_sched_get_priority_min, 1, T_INT),
	C(SYS_prctl, 4, T_INT, T_PTR, T_INT, T_INT, T_INT),
	C(SYS_personality, 2, T_NONE /* fixup */),
	C(SYS_getdents64, 12, T_FD, T_OUT, T_LEN),
	C(SYS_openat, 20, T_FD, T_PATH, T_OFLAGS, T_INT),
	C(SYS_mkdirat, 5, T_FD, T_WPATH, T_INT),
	C(SYS_newfstatat, 12, T_FD, T_PATH, T_OUT, T_INT),
	C(SYS_unlinkat, 5, T_FD, T_WPATH, T_INT),
	C(SYS_renameat, 5, T_FD, T_WPATH, T_FD, T_WPATH),
	C(SYS_readlinkat, 5, T_FD, T_PATH, T_OUT, T_LEN),
	C(SYS_faccessat, 8, T_FD, T_PATH, T_INT),
	C(SYS_dup3, 8, T_FD, T_FD, T_INT),
	C(SYS_pipe2, 8, T_OUT, T_INT),
	/* The thread calls: arguments from thread_args (fuzz_thread.c). */
	C(SYS_futex, 14),
	C(SYS_clone, 8),
	C(SYS_tgkill, 5),
	C(SYS_tkill, 3),
	C(SYS_rt_sigtimedwait, 5),
	C(SYS_set_robust_list, 4),
	C(SYS_get_robust_list, 3),
};
#define NCALLS		(sizeof calls / sizeof calls[0])
/* Per thousand calls: numbers no call has. */
#define UNKNOWN_PER_MILLE	30

static int total_weight;	/* of calls[], counted at the first call */

static long
gen_arg(int t)
{
	switch (t) {
	case T_NONE: return 0;
	case T_FD: return any_fd();
	case T_PTR: return (long)any_ptr(64);
	case T_OUT: return (long)any_ptr(chance(50) ? 8 : 512);
	case T_LEN: return any_len();
	case T_INT: return any_int();
	case T_PATH: return (long)read_path();
	case T_WPATH: return (long)write_path();
	case T_XPATH: return (long)exec_path();
	case T_PID: return any_pid();
	case T_SIG: return any_sig();
	case T_ADDR: return any_addr();
	case T_MLEN: return any_mlen();
	case T_TS: return (long)any_ts();
	case T_SIGSET: return (long)any_sigset();
	case T_SSIZE: return chance(85) ? 8 : any_int();
	case T_OFLAGS: return chance(70) ? (long)(rn(3) | (r64() & 0x3ffc0)) : any_int();
	case T_PROT: return chance(85) ? (long)rn(8) : any_int();
	case T_MFLAGS:
		if (chance(85))
			return (chance(90) ? 0x02 : (long)rn(4)) | (chance(70) ? 0x20 : 0) |
			    (chance(15) ? 0x10 : 0) | (chance(10) ? 0x100000 : 0) |
			    (chance(10) ? 0x4000 : 0);
		return any_int();
	case T_IOCTL: return chance(70) ? PICK(((const long[]){ 0x5401, 0x5402, 0x5403,
	    0x5404, 0x540b, 0x540e, 0x540f, 0x5410, 0x5413, 0x5414, 0x541b, 0x5422,
	    0x5429 })) : any_int();
	case T_FCNTL: return chance(85) ? PICK(((const long[]){ 0, 1, 2, 3, 4, 1030, 5, 6, 7,
	    36, 37, 38 })) : any_int();
	case T_CLOCK: return chance(85) ? (long)rn(12) : any_int();
	case T_WOPT: return chance(90) ? 1 /* WNOHANG */ | (long)(r64() & 0xe000000aUL) : any_int();
	case T_STRV: return (long)any_strv();
	case T_ARCH: return chance(80) ? 0x1001 + (long)rn(4) : any_int();
	}
	return 0;
}

static int
harmless_signal(long sig)
{
	return sig == 0 || sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* [a, a + len) meets [lo, lo + n), len rounded up to pages (it may wrap). */
static int
meets(unsigned long a, unsigned long len, char *lo, unsigned long n)
{
	unsigned long end = (a + len + PGSIZE - 1) & ~(PGSIZE - 1);

	if (end <= a)
		end = ~0UL;
	return a < (unsigned long)lo + n && end > (unsigned long)lo;
}

/* setitimer's new value: disarmed (struct itimerval). */
static const long zero_itimerval[4];

/* Protect the run from the calls that would end or hang it (see the top). */
static void
fixup(const struct call *c, long *a)
{
	for (int i = 0; i < 6; i++)
		if (c->arg[i] == T_FD && (a[i] == PROGRESS_FD || a[i] == LOG_FD))
			a[i] = -1;
	switch (c->nr) {
	case SYS_kill:
		/*
		 * A signal that may terminate goes to our own last child or to
		 * no process at all: never to init, a group, ourselves, the
		 * supervisor, or (run from a shell) anything else that lives.
		 */
		if (!harmless_signal(a[1]) && (a[0] != last_child || last_child <= 0) &&
		    a[0] < 0x7ffffffe)
			a[1] = 0;
		break;
	case SYS_rt_sigaction:
		a[1] = chance(80) ? (long)any_sigaction(a[0]) : (long)any_ptr(32);
		break;
	case SYS_readv:
	case SYS_writev:
		a[1] = (long)any_iov(&a[2]);
		break;
	case SYS_rt_sigsuspend:
		/*
		 * Only the failures: a mask it can read would sleep until a
		 * signal.  Those get a bad size instead (-EINVAL).
		 */
		if (a[1] == 8 && (unsigned long)a[0] < A_USER_TOP)
			a[1] = 7;	/* even null: root may map page 0 on Linux */
		break;
	case SYS_wait4:
		if (!(a[2] & 1) && chance(70))
			a[2] |= 1;
		break;
	case SYS_fcntl:
		/* Not F_SETOWN, F_SETSIG, F_SETOWN_EX, F_SETLEASE, F_NOTIFY: signals to others. */
		if (a[1] == 8 || a[1] == 10 || a[1] == 15 || a[1] == 1024 || a[1] == 1026)
			a[1] = 1;
		if (a[1] == 4)	/* F_SETFL: pipes stay non-blocking */
			a[2] |= O_NONBLOCK;
		/* The locks: F_SETLKW could wait for good (an OFD and a POSIX lock of ours). */
		if (a[1] == 7 || a[1] == 38)
			a[1]--;
		if ((a[1] == 5 || a[1] == 6 || a[1] == 36 || a[1] == 37) && chance(80))
			a[2] = (long)any_flock();
		if (a[1] == 0 || a[1] == 1030)	/* F_DUPFD: never onto ours */
			if (a[2] >= PROGRESS_FD - 4 && a[2] <= LOG_FD)
				a[2] = 0;
		break;
	case SYS_open:
	case SYS_openat: {
		int p = c->nr == SYS_open ? 0 : 1;
		int w = is_write_path(a[p]);

		if (chance(30)) {
			a[p] = (long)write_path();
			w = 1;
		}
		/* Outside /tmp/fuzz: read only, nothing created or truncated. */
		if (!w)
			a[p + 1] &= ~(O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND);
		break;
	}
	case SYS_dup2:
	case SYS_dup3:
		if (a[1] >= PROGRESS_FD - 4 && a[1] <= LOG_FD)
			a[1] = 3;
		break;
	case SYS_clock_nanosleep:
		/* A CPU clock (ours or another's) may never reach the time: wall time instead. */
		if (a[0] == CLOCK_PROCESS_CPUTIME_ID || a[0] < 0)
			a[0] = CLOCK_MONOTONIC;
		break;
	case SYS_setitimer:
		/* Only disarming (a null new value): an armed timer's signal would end the child. */
		a[1] = chance(50) ? 0 : (long)&zero_itimerval;
		break;
	case SYS_setpriority:
		a[1] = 0;	/* ourselves only: not the supervisor, not init */
		break;
	case SYS_prctl:
		/* Mostly the options keel has; PR_SET_PDEATHSIG only harmless signals. */
		if (chance(80))
			a[0] = PICK(((const long[]){ 1, 2, 3, 4, 15, 16, 38, 39 }));
		if (a[0] == 1 && !harmless_signal(a[1]))
			a[1] = 0;
		break;
	case SYS_personality:
		a[0] = chance(80) ? 0xffffffffL : 0;	/* ask, or PER_LINUX */
		break;
	case SYS_reboot:
		if ((uint32_t)a[0] == 0xfee1dead)
			a[0] = 0;
		break;
	case SYS_madvise:
		/* Linux's MADV_HWPOISON and MADV_SOFT_OFFLINE break real pages (root). */
		if (a[2] == 100 || a[2] == 101)
			a[2] = 1000;
		/* fall through */
	case SYS_munmap:
	case SYS_mprotect:
	case SYS_mremap:
	case SYS_mmap:
		/*
		 * Our program and stack: rarely, since the child dies of it (and
		 * the hostile suite unmaps everything on purpose).
		 */
		if ((c->nr != SYS_mmap || (a[3] & MAP_FIXED)) && !chance(5) &&
		    (meets(a[0], a[1], __executable_start, _end - __executable_start) ||
		    meets(a[0], a[1], stackbuf - 2 * PGSIZE, STACKBUF_SIZE + 8 * PGSIZE))) {
			a[0] = (long)arena;
			a[1] = ARENA_SIZE;
		}
		/* mremap's MREMAP_FIXED target is unmapped first: the same care. */
		if (c->nr == SYS_mremap && (a[3] & 2) && !chance(5) &&
		    (meets(a[4], a[2], __executable_start, _end - __executable_start) ||
		    meets(a[4], a[2], stackbuf - 2 * PGSIZE, STACKBUF_SIZE + 8 * PGSIZE)))
			a[4] = (long)arena;
		break;

	case SYS_pipe2:
		if (chance(90))
			a[1] = (a[1] & (O_CLOEXEC | O_NONBLOCK)) | O_NONBLOCK;
		break;
	case SYS_unlinkat:
	case SYS_mkdirat:
	case SYS_renameat:
		/* Absolute paths only: dirfd must not aim them anywhere else. */
		break;
	case SYS_brk:
		if (capped && (unsigned long)a[0] >= (unsigned long)heap + (1UL << 30) &&
		    (unsigned long)a[0] < A_USER_TOP)
			a[0] = (long)heap + (long)rn(1UL << 30);
		break;
	}
}

/*
 * The arena: [0, 2) read-write, [2] unmapped, [3] read-only, [4]
 * PROT_NONE.  Made at the start and again whenever a fuzzed call changed
 * it: the generator writes arguments into its read-write pages.
 */
int
make_arena(void)
{
	long p = sys_mmap(arena, ARENA_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | (arena ? MAP_FIXED : 0), -1, 0);

	if (sys_iserr(p))
		return -1;
	arena = (char *)p;
	sys_munmap(arena + 2 * PGSIZE, PGSIZE);
	sys_mprotect(arena + 3 * PGSIZE, PGSIZE, PROT_READ);
	sys_mprotect(arena + 4 * PGSIZE, PGSIZE, PROT_NONE);
	return 0;
}

/* The heap: the first HEAP_SIZE bytes of the brk heap, read-write. */
int
make_heap(void)
{
	if (heap == 0) {
		heap = (char *)(((unsigned long)sys_brk(0) + PGSIZE - 1) & ~(PGSIZE - 1));
		return sys_brk(heap + HEAP_SIZE) == (long)(heap + HEAP_SIZE) ? 0 : -1;
	}
	/* Grown back with brk when it was shrunk; mapped over when that fails. */
	if (sys_brk(0) < (long)(heap + HEAP_SIZE) &&
	    sys_brk(heap + HEAP_SIZE) == (long)(heap + HEAP_SIZE))
		return 0;
	return sys_iserr(sys_mmap(heap, HEAP_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)) ? -1 : 0;
}

/*
 * After a memory call: rebuild what it may have changed.  Also after one
 * that failed: Linux's mprotect and madvise change the regions before a
 * hole and then fail with -ENOMEM.
 */
static void
repair(long nr, const long *a, long r)
{
	unsigned long addr = a[0], len = a[1];

	switch (nr) {
	case SYS_mmap:
		/* A hint may put a mapping in the arena's hole too. */
		if (!(a[3] & MAP_FIXED)) {
			if (!sys_iserr(r) && meets(r, len, arena, ARENA_SIZE))
				make_arena();
			return;
		}
		break;
	case SYS_munmap:
	case SYS_mprotect:
	case SYS_madvise:
		break;
	case SYS_mremap:
		/* The source may have moved away, the target been replaced. */
		if (meets(a[4], a[2], arena, ARENA_SIZE) ||
		    (!sys_iserr(r) && meets(r, a[2], arena, ARENA_SIZE)))
			make_arena();
		if (meets(a[4], a[2], heap, HEAP_SIZE) ||
		    (!sys_iserr(r) && meets(r, a[2], heap, HEAP_SIZE)))
			make_heap();
		break;
	case SYS_brk:
		if (r < (long)(heap + HEAP_SIZE))
			make_heap();
		return;
	case SYS_arch_prctl:
		/* A new FS base is the call's business, not ours afterwards. */
		sys2(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, fsbase);
		return;
	default:
		return;
	}
	if (meets(addr, len, arena, ARENA_SIZE))
		make_arena();
	if (meets(addr, len, heap, HEAP_SIZE))
		make_heap();
}

static long
raw(long nr, const long *a)
{
	return sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* Make call number i. */
void
fuzz_one(uint64_t seed, long i)
{
	const struct call *c;
	long a[6] = { 0 }, nr, r;

	if (total_weight == 0)
		for (unsigned k = 0; k < NCALLS; k++)
			total_weight += calls[k].weight;
	rng_seed(seed, i);
	if ((long)rn(1000) < UNKNOWN_PER_MILLE) {
		static const long base[] = { 350, 380, 512, 548, 600, 1000, 4096 };

		switch (rn(4)) {
		case 0: nr = PICK(base) + (long)rn(40); break;
		case 1: nr = -1 - (long)rn(1000); break;
		case 2: nr = 0x40000000L | (long)(rn(2) ? 500 + rn(1000) : rn(1UL << 30)); break;
		default: nr = (long)(r64() | (1UL << (32 + rn(32)))); break;
		}
		/*
		 * Linux looks only at eax: keep it unknown there too (below 350,
		 * and 424-511, are Linux's calls now or soon).
		 */
		if ((uint32_t)nr < 350 || ((uint32_t)nr >= 424 && (uint32_t)nr < 512) ||
		    ((uint32_t)nr >= 0x40000000 && (uint32_t)nr < 0x40000000 + 548))
			nr = -1;
		for (int k = 0; k < 6; k++)
			a[k] = chance(50) ? any_int() : (long)any_ptr(64);
	} else {
		int w = (int)rn(total_weight);

		for (c = calls; w >= c->weight; c++)
			w -= c->weight;
		nr = c->nr;
		for (int k = 0; k < 6; k++)
			a[k] = gen_arg(c->arg[k]);
		if (!thread_args(nr, a))
			fixup(c, a);
	}
	if (verbose)
		out(LOG_FD, "fuzz: #%ld %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
		    i, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	r = nr == SYS_clone ? thread_clone(a) : raw(nr, a);
	if ((nr == SYS_fork || nr == SYS_vfork) && r == 0)
		sys_exit_group(0);	/* the new child has nothing to do */
	if (nr == SYS_fork || nr == SYS_vfork)
		last_child = r;
	if (nr == SYS_clone && r > 0 && !(a[0] & 0x00010000L /* CLONE_THREAD */))
		last_child = r;
	repair(nr, a, r);
	/* A pipe made without flags: non-blocking too. */
	if ((nr == SYS_pipe || nr == SYS_pipe2) && r == 0) {
		int *fds = (int *)a[0];

		for (int k = 0; k < 2; k++)
			if (fds[k] >= 0)
				sys3(SYS_fcntl, fds[k], F_SETFL, O_NONBLOCK);
	}
}

