/*
 * fuzz.c: a seeded system call fuzzer.  The kernel must not panic, hang or
 * leak, whatever a process passes it.
 *
 * Usage: /test/fuzz-syscalls [seed] [calls] [flags]
 *	seed	decimal or 0x hex; without one, taken from the clock
 *	calls	how many calls at least (default 100000)
 *	flags	v: print every call before making it (to find the one that
 *		   hangs or panics a kernel: the last line printed);
 *		c: cap the lengths and addresses of the memory calls at 1 GiB
 *		   (for a kernel whose range loops are still per page)
 * The first two arguments that are numbers are seed and calls, one made of
 * the flag letters is the flags; others are ignored (Linux passes the boot
 * parameters it does not know to init).
 * Output on fd 1: "fuzz: seed N" first (the run replays from it), then one
 * line per child that died, then "fuzz: N calls, M children restarted".
 * Exit status 0; 1 when the run itself went wrong (on keel: free memory
 * that did not come back, sysinfo before and after).
 *
 * How: the parent (the supervisor, often init) forks a child per batch of
 * BATCH calls.  The child makes the calls with raw syscall instructions,
 * reporting its progress through a pipe every CHECKPOINT calls.  A child
 * that dies (a call that unmapped its stack, a crafted rt_sigreturn, a
 * signal handler it installed at random) or stops reporting (a call that
 * blocks) is reaped or killed, and a fresh child goes on after the group
 * of calls that killed it.  Call number i is drawn from its own generator,
 * seeded from (seed, i): the same seed gives the same calls.
 *
 * The calls: mostly the ones keel implements, weighted; some numbers no
 * x86-64 kernel has (gaps of Linux's table, past its end, negative, the
 * x32 bit, high bits).  Arguments: boundary integers (0, -1, INT_MIN/MAX,
 * 1 << 63, page sizes, aligned and unaligned), descriptors open and not,
 * and pointers into every kind of memory: the child's stack, its heap, a
 * read-write, a read-only, a PROT_NONE and an unmapped page, a buffer that
 * straddles into the hole, null, the kernel half, non-canonical, random.
 *
 * What is skipped, because it would end or hang the run rather than test
 * the kernel (each spelled out in fixup()): exit and exit_group; pause;
 * rt_sigsuspend and nanosleep that would really sleep; kill with a signal
 * that terminates, sent to pid 1, -1, 0, the supervisor or the child
 * itself; reboot with the right magic; execve of real programs; wait4
 * that would block for long; handlers for fault signals (a fault would
 * return into itself forever).  Pipes are made non-blocking.  Calls that
 * change the file system get paths under /tmp/fuzz only; other paths are
 * opened read-only, so the programs of the initramfs stay intact.
 */
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
#include "../utest/sys.h"

#define DEFAULT_CALLS	100000L
#define BATCH		2048L	/* a multiple of CHECKPOINT */
#define CHECKPOINT	32L
#define STALL_NS	(10 * 1000000000LL)	/* no progress for this long: hung */
#define PROGRESS_FD	60
#define LOG_FD		61
#define PGSIZE		4096UL
#define FUZZ_DIR	"/tmp/fuzz"
/* What free memory may stay allocated after the run (keel's slab caches). */
#define MEM_SLACK	(512L * 1024)

#define A_KHALF		0xffff800000000000UL
#define A_KTEXT		0xffffffff80000000UL
#define A_NONCANON	0x0000800000000000UL
#define A_USER_TOP	0x00007ffffffff000UL

static int verbose, capped;
static long supervisor_pid;

/* ---- output (raw writes: nothing buffered across fork) ---- */

static void
out(int fd, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	long n, r;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (long)sizeof buf - 1)
		n = sizeof buf - 1;
	for (char *p = buf; n > 0; p += r, n -= r)
		if ((r = sys_write(fd, p, n)) <= 0)
			return;
}

/* ---- the generator: splitmix64 seeds a xorshift64* per call ---- */

static uint64_t rs;

static void
rng_seed(uint64_t seed, uint64_t call)
{
	uint64_t z = seed + (call + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	rs = (z ^ (z >> 31)) | 1;
}

static uint64_t
r64(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 0x2545f4914f6cdd1dULL;
}

static uint64_t rn(uint64_t n) { return n ? r64() % n : 0; }
static int chance(int pct) { return (int)rn(100) < pct; }

#define PICK(a)	((a)[rn(sizeof(a) / sizeof((a)[0]))])

/* ---- the child's memory: the kinds a pointer can point into ---- */

/*
 * arena: [0, 2) read-write pages, [2] unmapped, [3] read-only, [4]
 * PROT_NONE.  The fuzzed calls may unmap or protect any of it later.
 */
static char *arena;
static char *heap;		/* the start of the brk heap, grown by HEAP_SIZE */
static char *stackbuf;		/* in the child's main frame */
static unsigned long fsbase;	/* ours, given back after arch_prctl */
extern char __executable_start[], _end[];
#define ARENA_SIZE	(5 * PGSIZE)
#define HEAP_SIZE	16384
#define STACKBUF_SIZE	8192

enum { K_STACK, K_HEAP, K_RW, K_STRADDLE, K_RO, K_NONE, K_UNMAPPED, K_NULL, K_KHALF,
	K_KTEXT, K_NONCANON, K_TOP, K_RANDOM, NKIND };

static int
writable_kind(int k)
{
	return k == K_STACK || k == K_HEAP || k == K_RW;
}

/* A pointer of kind k to at least need bytes where that makes sense. */
static unsigned long
ptr_of(int k, unsigned long need)
{
	char *base;
	unsigned long size, off;

	switch (k) {
	case K_STACK: base = stackbuf; size = STACKBUF_SIZE; break;
	case K_HEAP: base = heap; size = HEAP_SIZE; break;
	case K_RW: base = arena; size = 2 * PGSIZE; break;
	case K_STRADDLE: return (unsigned long)arena + 2 * PGSIZE - 1 - rn(need ? need : 16);
	case K_RO: base = arena + 3 * PGSIZE; size = PGSIZE; break;
	case K_NONE: return (unsigned long)arena + 4 * PGSIZE + rn(PGSIZE);
	case K_UNMAPPED: return (unsigned long)arena + 2 * PGSIZE + (chance(50) ? 0 : rn(PGSIZE));
	case K_NULL: return chance(80) ? 0 : rn(PGSIZE);
	case K_KHALF: return A_KHALF + (chance(50) ? 0 : rn(1UL << 40) * 8);
	case K_KTEXT: return A_KTEXT + rn(1 << 20);
	case K_NONCANON: return chance(50) ? A_NONCANON + rn(1 << 20) : 0x8000000000000000UL + r64() % (1UL << 62);
	case K_TOP: return A_USER_TOP - rn(64);
	default: return r64();
	}
	if (need >= size || chance(40))
		return (unsigned long)base;
	off = rn(size - need);
	return (unsigned long)base + (chance(50) ? off & ~7UL : off);
}

/* Mostly memory that works, often memory that does not. */
static int
any_kind(void)
{
	static const int kinds[] = {
		K_STACK, K_STACK, K_HEAP, K_HEAP, K_RW, K_RW, K_RW, K_STRADDLE, K_RO, K_NONE,
		K_UNMAPPED, K_NULL, K_KHALF, K_KTEXT, K_NONCANON, K_TOP, K_RANDOM,
	};

	return PICK(kinds);
}

static unsigned long
any_ptr(unsigned long need)
{
	return ptr_of(any_kind(), need);
}

/* ---- integers ---- */

static long
any_int(void)
{
	static const long special[] = {
		0, 1, -1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 100, 127, 128, 255, 256,
		1000, 1023, 1024, 4095, 4096, 4097, 8192, 65535, 65536, INT_MAX, INT_MIN,
		UINT_MAX, 0x80000000L, 1L << 32, (1L << 32) + 1, LONG_MAX, LONG_MIN,
		1L << 47, 1L << 46, -4096, -4095, -2, 0x7fffffff00000000L,
	};

	switch (rn(5)) {
	case 0:
	case 1:
		return PICK(special);
	case 2:
		return rn(32);
	case 3:
		return 1L << rn(64);
	default:
		return (long)(r64() >> rn(64));
	}
}

/* A length: small mostly, huge sometimes. */
static long
any_len(void)
{
	static const long lens[] = {
		0, 1, 2, 7, 8, 16, 24, 36, 64, 100, 112, 144, 256, 512, 4095, 4096, 4097,
		8192, 65536, 1L << 20, INT_MAX, UINT_MAX, LONG_MAX, -1, 1L << 32, 1L << 47,
	};

	if (chance(60))
		return rn(chance(80) ? 512 : 16384);
	return PICK(lens);
}

/* Descriptors: the open ones are 0..~20; then the bad ones. */
static long
any_fd(void)
{
	static const long bad[] = { -1, -100 /* AT_FDCWD */, 64, 1000, INT_MAX, INT_MIN, 1L << 32 };

	if (chance(80))
		return rn(20);
	if (chance(70))
		return PICK(bad);
	return any_int();
}

static long last_child;

static long
any_pid(void)
{
	switch (rn(10)) {
	case 0: return sys_getpid();
	case 1: return 0;
	case 2: return -1;
	case 3: return 1;
	case 4: return last_child;
	case 5: return PICK(((const long[]){ INT_MAX, INT_MIN, -INT_MAX, 0x7ffffffe }));
	case 6: return -(long)rn(64);
	default: return rn(64);
	}
}

static long
any_sig(void)
{
	if (chance(85))
		return rn(66);
	return any_int();
}

/* ---- memory-call addresses and lengths ---- */

static long
any_addr(void)
{
	unsigned long a;

	switch (rn(12)) {
	case 0: a = (unsigned long)arena + rn(6) * PGSIZE; break;
	case 1: a = (unsigned long)arena + rn(6 * PGSIZE); break;
	case 2: a = (unsigned long)heap + rn(5) * PGSIZE; break;
	case 3:
		/* Our own stack: rarely, since the child dies of it. */
		a = chance(2) ? (unsigned long)stackbuf & ~(PGSIZE - 1) : (unsigned long)arena;
		break;
	case 4: a = 0; break;
	case 5: a = ptr_of(PICK(((const int[]){ K_KHALF, K_KTEXT, K_NONCANON, K_TOP })), 0); break;
	case 6: a = A_USER_TOP - PGSIZE * rn(3); break;
	case 7: a = 0x100000000000UL + rn(1 << 20) * PGSIZE; break;	/* nothing there */
	case 8: a = rn(1UL << 35) * PGSIZE; break;			/* anywhere below the hole */
	case 9: a = (unsigned long)any_int(); break;
	default: a = 0x10000000UL + rn(1 << 16) * PGSIZE; break;
	}
	if (capped && a >= (1UL << 46) && a < A_USER_TOP)
		a = 0x10000000UL + rn(1 << 16) * PGSIZE;
	return (long)a;
}

static long
any_mlen(void)
{
	static const long lens[] = {
		0, 1, 4095, 4096, 4097, 8192, 3 * 4096, 1L << 20, 1L << 21, 1L << 30, 1L << 40,
		1L << 46, 1L << 47, 0x7ffffffff000L, -1, -4096, LONG_MAX,
	};
	long l = chance(60) ? (long)(rn(16) * PGSIZE + (chance(20) ? rn(PGSIZE) : 0)) : PICK(lens);

	if (capped && (l > (1L << 30) || l < 0))
		l = 1L << 30;
	return l;
}

/* ---- paths: in read-only data, so no fuzzed call can rewrite one ---- */

static const char *const read_paths[] = {
	"/", "/test", "/test/data.txt", "/test/notelf", "/test/trunc-ehdr", "/dev/null",
	"/dev/zero", "/proc", "/proc/self", "/proc/self/stat", "/proc/self/status",
	"/proc/meminfo", "/proc/1/cmdline", "/tmp", "/bin", FUZZ_DIR, FUZZ_DIR "/a",
	FUZZ_DIR "/b", FUZZ_DIR "/d", FUZZ_DIR "/d/e", ".", "..", "", "a", "d", "d/e",
	"/no/such/file", "/test/data.txt/x", "//test//./data.txt", FUZZ_DIR "/../fuzz/a",
	"/proc/nope", "/dev/nope", "/../../..",
};
/* What may be created, written, truncated, renamed or removed. */
static const char *const write_paths[] = {
	FUZZ_DIR "/a", FUZZ_DIR "/b", FUZZ_DIR "/c", FUZZ_DIR "/d", FUZZ_DIR "/d/e",
	FUZZ_DIR "/d/f", FUZZ_DIR "/d/e/g", FUZZ_DIR, FUZZ_DIR "/", FUZZ_DIR "/a/x",
};
/* What execve may be given: nothing that runs. */
static const char *const exec_paths[] = {
	"/test/notelf", "/test/trunc-ehdr", "/test/trunc-phdr", "/test/data.txt", "/test",
	"/", "/dev/null", "/no/such", FUZZ_DIR "/a", "",
};
static char long_path[4200];
static char long_name[300];

/* A bad or odd path pointer: unterminated, too long, or a bad address. */
static unsigned long
odd_path(void)
{
	char *end;

	switch (rn(4)) {
	case 0:
		/* 'a's up to the unmapped page: no NUL anywhere. */
		end = arena + 2 * PGSIZE;
		if (sys_mprotect(arena, 2 * PGSIZE, PROT_READ | PROT_WRITE) != 0)
			return 0;
		memset(end - 64, 'a', 64);
		return (unsigned long)end - 1 - rn(64);
	case 1:
		return (unsigned long)(chance(50) ? long_path : long_name);
	default:
		return any_ptr(0);
	}
}

static unsigned long
read_path(void)
{
	return chance(85) ? (unsigned long)PICK(read_paths) : odd_path();
}

static unsigned long
write_path(void)
{
	if (chance(90))
		return (unsigned long)PICK(write_paths);
	/* Never an unterminated or random string: it could name anything. */
	return ptr_of(PICK(((const int[]){ K_NULL, K_KHALF, K_NONCANON, K_UNMAPPED, K_NONE })), 0);
}

/* ---- structured arguments written into writable memory ---- */

struct kiovec { unsigned long base, len; };
struct ktimespec { long sec, nsec; };
struct ksigaction { unsigned long handler, flags, restorer, mask; };

static unsigned long
any_iov(long *cnt)
{
	int k = any_kind();
	unsigned long p = ptr_of(k, 16 * sizeof(struct kiovec));

	*cnt = chance(80) ? (long)rn(17) : any_int();
	if (writable_kind(k))
		for (long i = 0; i < 16; i++)
			((struct kiovec *)p)[i] = (struct kiovec){ any_ptr(64), (unsigned long)any_len() };
	return p;
}

/* argv or envp: a few strings, maybe no terminating null. */
static unsigned long
any_strv(void)
{
	int k = any_kind();
	unsigned long p = ptr_of(k, 6 * sizeof(char *));

	if (writable_kind(k)) {
		long n = rn(5);

		for (long i = 0; i < 6; i++)
			((unsigned long *)p)[i] = i < n ? read_path() : 0;
		if (chance(10))
			((unsigned long *)p)[n] = any_ptr(0);
	}
	return p;
}

/* A timespec no sleep with it lasts more than a millisecond. */
static unsigned long
any_ts(void)
{
	int k = any_kind();
	unsigned long p = ptr_of(k, sizeof(struct ktimespec));
	static const struct ktimespec odd[] = {
		{ 0, 1000000000 }, { 0, -1 }, { -1, 0 }, { LONG_MIN, 0 }, { 0, LONG_MAX }, { 0, 0 },
	};

	if (writable_kind(k))
		*(struct ktimespec *)p = chance(70) ? (struct ktimespec){ 0, (long)rn(1000000) } : PICK(odd);
	else	/* other user memory could hold anything (by now, even page 0) */
		p = ptr_of(PICK(((const int[]){ K_KHALF, K_KTEXT, K_NONCANON })), 0);
	return p;
}

static void
on_signal(int sig)
{
	(void)sig;
}

/* The restorer of our handlers: rt_sigreturn. */
void fuzz_restorer(void);
__asm__(".text\n"
	"fuzz_restorer:\n\t"
	"mov $15, %eax\n\t"
	"syscall\n\t"
	"hlt\n");

static int
fault_signal(long sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	    sig == SIGTRAP || sig == SIGSYS;
}

static unsigned long
any_sigaction(long sig)
{
	int k = any_kind();
	unsigned long p = ptr_of(k, sizeof(struct ksigaction));

	if (writable_kind(k)) {
		struct ksigaction *a = (struct ksigaction *)p;
		static const unsigned long handlers[] = { 0, 1, 0, 1, 2, A_KHALF, A_NONCANON };

		a->handler = chance(50) ? (unsigned long)on_signal : PICK(handlers);
		a->flags = chance(80) ? 0x04000000UL /* SA_RESTORER */ | (r64() & 0x58000004UL) : r64();
		a->restorer = chance(90) ? (unsigned long)fuzz_restorer : any_ptr(0);
		a->mask = r64();
		/* A fault signal returning into its fault would loop forever. */
		if (fault_signal(sig) && a->handler == (unsigned long)on_signal)
			a->handler = 0;
	}
	return p;
}

static unsigned long
any_sigset(void)
{
	int k = any_kind();
	unsigned long p = ptr_of(k, 8);

	if (writable_kind(k))
		*(unsigned long *)p = chance(50) ? r64() : 1UL << rn(64);
	return p;
}

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
};
#define NCALLS		(sizeof calls / sizeof calls[0])
/* Per thousand calls: numbers no call has. */
#define UNKNOWN_PER_MILLE	30

static int total_weight;

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
	case T_XPATH: return chance(85) ? (long)PICK(exec_paths) : (long)ptr_of(
	    PICK(((const int[]){ K_NULL, K_KHALF, K_NONCANON, K_UNMAPPED, K_NONE })), 0);
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
	case T_FCNTL: return chance(85) ? PICK(((const long[]){ 0, 1, 2, 3, 4, 1030, 5, 6 })) : any_int();
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
		if (a[1] == 0 || a[1] == 1030)	/* F_DUPFD: never onto ours */
			if (a[2] >= PROGRESS_FD - 4 && a[2] <= LOG_FD)
				a[2] = 0;
		break;
	case SYS_open:
	case SYS_openat: {
		int p = c->nr == SYS_open ? 0 : 1;
		int w = 0;

		for (unsigned i = 0; i < sizeof write_paths / sizeof write_paths[0]; i++)
			if (a[p] == (long)write_paths[i])
				w = 1;
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
static int
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
static int
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
static void
fuzz_one(uint64_t seed, long i)
{
	const struct call *c;
	long a[6] = { 0 }, nr, r;

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
		fixup(c, a);
	}
	if (verbose)
		out(LOG_FD, "fuzz: #%ld %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
		    i, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	r = raw(nr, a);
	if ((nr == SYS_fork || nr == SYS_vfork) && r == 0)
		sys_exit_group(0);	/* the new child has nothing to do */
	if (nr == SYS_fork || nr == SYS_vfork)
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

/* ---- the child ---- */

static void
child_setup(void)
{
	long fd;
	int p[2];
	struct ksigaction ign = { 1 /* SIG_IGN */, 0, 0, 0 };

	sys2(SYS_setpgid, 0, 0);
	fd = sys_open("/dev/null", O_RDWR);
	for (int i = 0; i < 3; i++)
		sys2(SYS_dup2, fd, i);
	for (int i = 3; i < PROGRESS_FD; i++)
		sys_close(i);
	/* A write to a pipe nobody reads: -EPIPE, not death. */
	sys4(SYS_rt_sigaction, SIGPIPE, &ign, 0, 8);
	if (make_arena() != 0 || make_heap() != 0)
		sys_exit_group(3);
	sys2(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fsbase);
	/* Something open at the low descriptors. */
	sys2(SYS_mkdir, FUZZ_DIR, 0755);
	sys_open("/test/data.txt", O_RDONLY);
	sys3(SYS_open, FUZZ_DIR "/a", O_RDWR | O_CREAT, 0644);
	sys2(SYS_pipe2, p, O_NONBLOCK);
	sys_open("/dev/zero", O_RDONLY);
	sys_open("/test", O_RDONLY | O_DIRECTORY);
	sys_open(FUZZ_DIR, O_RDONLY | O_DIRECTORY);
	sys_open("/proc/self/stat", O_RDONLY);
}

static void __attribute__((noreturn))
child_run(uint64_t seed, long from, long to)
{
	char buf[STACKBUF_SIZE];

	stackbuf = buf;
	memset(buf, 0, sizeof buf);
	child_setup();
	for (long i = from; i < to; i++) {
		fuzz_one(seed, i);
		if ((i + 1) % CHECKPOINT == 0 || i + 1 == to) {
			long done = i + 1;

			sys_write(PROGRESS_FD, &done, sizeof done);
		}
	}
	sys_exit_group(0);
}

/* ---- the supervisor ---- */

static long long
now_ns(void)
{
	struct timespec ts;

	sys2(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	sys2(SYS_nanosleep, &ts, 0);
}

static long
free_bytes(void)
{
	struct sysinfo si;

	if (sys_sysinfo(&si) != 0)
		return -1;
	return (long)si.freeram * (si.mem_unit ? si.mem_unit : 1);
}

/* Remove dir and everything below it (what the children made). */
static void
remove_tree(const char *dir, int depth)
{
	char buf[2048], path[512];
	long fd, n;

	if (depth > 16)
		return;
	fd = sys_open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return;
	while ((n = sys3(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n;) {
			unsigned short reclen = *(unsigned short *)(buf + off + 16);
			const char *name = buf + off + 19;

			off += reclen;
			if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, name);
			if (sys1(SYS_unlink, path) != 0)
				remove_tree(path, depth + 1);
		}
	}
	sys_close(fd);
	sys1(SYS_rmdir, dir);
}

/* Drain the progress pipe; returns the highest call number reported. */
static long
drain(int fd, long from, long to, long last)
{
	long v;

	while (sys_read(fd, &v, sizeof v) == sizeof v)
		if (v > last && v <= to && v > from)	/* a child running wild writes garbage */
			last = v;
	return last;
}

static uint64_t
parse_u64(const char *s)
{
	return strtoull(s, 0, 0);
}

int
main(int argc, char **argv)
{
	uint64_t seed = 0;
	int nums = 0, have_seed = 0;
	long want = DEFAULT_CALLS, next = 0, done = 0, restarts = 0, hung = 0, children = 0;
	long before = -1, after, why[65] = { 0 };
	int p[2], keel = 0, bad = 0;
	struct utsname u;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] >= '0' && argv[i][0] <= '9') {
			if (nums++ == 0)
				seed = parse_u64(argv[i]), have_seed = 1;
			else
				want = (long)parse_u64(argv[i]);
		} else if (argv[i][0] && strspn(argv[i], "vc") == strlen(argv[i])) {
			verbose = strchr(argv[i], 'v') != 0;
			capped = strchr(argv[i], 'c') != 0;
		}
	}
	if (!have_seed) {
		struct timespec ts;

		sys2(SYS_clock_gettime, CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_nsec * 1000003u ^ (uint64_t)ts.tv_sec ^ (uint64_t)now_ns();
	}
	out(1, "fuzz: seed %llu\n", (unsigned long long)seed);
	out(1, "fuzz: %ld calls in batches of %ld%s%s\n", want, BATCH,
	    capped ? ", memory ranges capped at 1 GiB" : "", verbose ? ", verbose" : "");
	for (unsigned i = 0; i < NCALLS; i++)
		total_weight += calls[i].weight;
	memset(long_path, 'p', sizeof long_path - 1);
	long_path[0] = '/';
	memset(long_name, 'n', sizeof long_name - 1);
	supervisor_pid = sys_getpid();
	keel = sys1(SYS_uname, &u) == 0 && strcmp(u.sysname, "keel") == 0;
	/* Linux's initramfs has no /tmp, /dev/null, /dev/zero; keel's has. */
	sys2(SYS_mkdir, "/tmp", 01777);
	sys3(SYS_mknod, "/dev/null", S_IFCHR | 0666, makedev(1, 3));
	sys3(SYS_mknod, "/dev/zero", S_IFCHR | 0666, makedev(1, 5));
	if (keel)
		before = free_bytes();
	if (sys2(SYS_pipe2, p, O_NONBLOCK) != 0 || sys2(SYS_dup2, p[1], PROGRESS_FD) < 0 ||
	    sys2(SYS_dup2, 1, LOG_FD) < 0) {
		out(1, "fuzz: cannot set up the progress pipe\n");
		sys_exit_group(1);
	}
	sys_close(p[1]);

	while (done < want) {
		long to = next + BATCH, last = next, pid, r;
		long long seen = now_ns();
		int st = 0, other, killed = 0;

		pid = sys_fork();
		if (pid == 0) {
			sys_close(p[0]);
			child_run(seed, next, to);
		}
		if (pid < 0) {
			out(1, "fuzz: fork: error %ld\n", -pid);
			bad = 1;
			break;
		}
		children++;
		for (;;) {
			long now = drain(p[0], next, to, last);

			if (now != last) {
				last = now;
				seen = now_ns();
			}
			r = sys_wait4(pid, &st, WNOHANG);
			if (r == pid)
				break;
			if (now_ns() - seen > STALL_NS) {
				sys_kill(-pid, SIGKILL);
				sys_kill(pid, SIGKILL);
				sys_wait4(pid, &st, 0);
				killed = 1;
				break;
			}
			sleep_ms(5);
		}
		last = drain(p[0], next, to, last);
		/* The child's group: what its forks left, and whatever it spawned. */
		sys_kill(-pid, SIGKILL);
		while (sys_wait4(-1, &other, WNOHANG) > 0)
			;
		if (last == to && !killed && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			done += to - next;
			next = to;
			continue;
		}
		restarts++;
		hung += killed;
		if (killed)
			why[0]++;
		else if (WIFSIGNALED(st))
			why[WTERMSIG(st) & 63]++;
		else
			why[64]++;
		/* Each replays with the seed (and v): the first few, and the odd ones. */
		if (restarts <= 20 || killed || !WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV) {
			if (killed)
				out(1, "fuzz: child %ld stuck after call #%ld: killed\n", pid, last);
			else if (WIFSIGNALED(st))
				out(1, "fuzz: child %ld killed by signal %d after call #%ld\n",
				    pid, WTERMSIG(st), last);
			else
				out(1, "fuzz: child %ld exited %d after call #%ld\n", pid,
				    WEXITSTATUS(st), last);
		}
		/* Go on after the group of calls that held the culprit. */
		done += last - next;
		next = (last / CHECKPOINT + 1) * CHECKPOINT;
		if (children > want)	/* nothing gets done any more */
			break;
	}
	while (sys_wait4(-1, 0, WNOHANG) > 0)
		;
	remove_tree(FUZZ_DIR, 0);
	{
		char line[400];
		int n = snprintf(line, sizeof line, "fuzz: %ld children; restarts:", children);

		for (int i = 1; i < 64; i++)
			if (why[i])
				n += snprintf(line + n, sizeof line - n, " %ld by signal %d,", why[i], i);
		snprintf(line + n, sizeof line - n, " %ld stuck, %ld exited\n", why[0], why[64]);
		out(1, "%s", line);
	}
	if (keel && sys_getpid() == 1) {
		after = free_bytes();
		out(1, "fuzz: free memory before %ld KiB, after %ld KiB\n", before / 1024, after / 1024);
		if (after < before - MEM_SLACK) {
			out(1, "fuzz: %ld KiB of memory did not come back\n", (before - after) / 1024);
			bad = 1;
		}
	}
	if (done < want)
		bad = 1;
	out(1, "fuzz: %ld calls, %ld children restarted\n", done, restarts);
	sys_exit_group(bad);
}
