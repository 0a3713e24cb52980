/*
 * fuzz_args.c: the fuzzer's arguments (fuzz.h): a generator seeded per
 * call, pointers into every kind of memory, boundary integers, descriptors,
 * pids, signals, memory-call ranges, paths, and the structures some calls
 * read (iovecs, argv, timespecs, sigactions, signal sets, struct flock),
 * written into memory the child may write.
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

/* ---- the generator: splitmix64 seeds a xorshift64* per call ---- */

static uint64_t rs;

void
rng_seed(uint64_t seed, uint64_t call)
{
	uint64_t z = seed + (call + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	rs = (z ^ (z >> 31)) | 1;
}

uint64_t
r64(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return rs * 0x2545f4914f6cdd1dULL;
}

uint64_t rn(uint64_t n) { return n ? r64() % n : 0; }
int chance(int pct) { return (int)rn(100) < pct; }

/* ---- the child's memory: the kinds a pointer can point into ---- */

/*
 * arena: [0, 2) read-write pages, [2] unmapped, [3] read-only, [4]
 * PROT_NONE.  The fuzzed calls may unmap or protect any of it later.
 */
char *arena;
char *heap;
char *stackbuf;
unsigned long fsbase;

int
writable_kind(int k)
{
	return k == K_STACK || k == K_HEAP || k == K_RW;
}

/* A pointer of kind k to at least need bytes where that makes sense. */
unsigned long
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
int
any_kind(void)
{
	static const int kinds[] = {
		K_STACK, K_STACK, K_HEAP, K_HEAP, K_RW, K_RW, K_RW, K_STRADDLE, K_RO, K_NONE,
		K_UNMAPPED, K_NULL, K_KHALF, K_KTEXT, K_NONCANON, K_TOP, K_RANDOM,
	};

	return PICK(kinds);
}

unsigned long
any_ptr(unsigned long need)
{
	return ptr_of(any_kind(), need);
}

/* ---- integers ---- */

long
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
long
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
long
any_fd(void)
{
	static const long bad[] = { -1, -100 /* AT_FDCWD */, 64, 1000, INT_MAX, INT_MIN, 1L << 32 };

	if (chance(80))
		return rn(20);
	if (chance(70))
		return PICK(bad);
	return any_int();
}

long last_child;

long
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

long
any_sig(void)
{
	if (chance(85))
		return rn(66);
	return any_int();
}

/* ---- memory-call addresses and lengths ---- */

long
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

long
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
unsigned long
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

unsigned long
read_path(void)
{
	return chance(85) ? (unsigned long)PICK(read_paths) : odd_path();
}

unsigned long
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

unsigned long
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
unsigned long
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
unsigned long
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

/* fcntl's lock commands: small ranges, near which the locks split and merge. */
unsigned long
any_flock(void)
{
	int k = any_kind();
	unsigned long p = ptr_of(k, sizeof(struct flock));
	struct flock *fl = (struct flock *)p;

	if (!writable_kind(k))	/* as any_ts */
		return ptr_of(PICK(((const int[]){ K_KHALF, K_KTEXT, K_NONCANON })), 0);
	fl->l_type = chance(90) ? (short)rn(3) : (short)any_int();
	fl->l_whence = chance(90) ? (short)rn(3) : (short)any_int();
	fl->l_start = chance(80) ? (long)rn(64) - 4 : any_int();
	fl->l_len = chance(80) ? (long)rn(40) - 8 : any_int();
	fl->l_pid = chance(90) ? 0 : (int)any_int();
	return p;
}

void
on_signal(int sig)
{
	(void)sig;
}

/* The restorer of our handlers: rt_sigreturn. */
__asm__(".text\n"
	".globl fuzz_restorer\n"
	"fuzz_restorer:\n\t"
	"mov $15, %eax\n\t"
	"syscall\n\t"
	"hlt\n");

int
fault_signal(long sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
	    sig == SIGTRAP || sig == SIGSYS;
}

unsigned long
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

unsigned long
any_sigset(void)
{
	int k = any_kind();
	unsigned long p = ptr_of(k, 8);

	if (writable_kind(k))
		*(unsigned long *)p = chance(50) ? r64() : 1UL << rn(64);
	return p;
}

unsigned long
exec_path(void)
{
	if (chance(85))
		return (unsigned long)PICK(exec_paths);
	return ptr_of(PICK(((const int[]){ K_NULL, K_KHALF, K_NONCANON, K_UNMAPPED, K_NONE })), 0);
}

int
is_write_path(unsigned long p)
{
	for (unsigned i = 0; i < sizeof write_paths / sizeof write_paths[0]; i++)
		if (p == (unsigned long)write_paths[i])
			return 1;
	return 0;
}

void
gen_init(void)
{
	memset(long_path, 'p', sizeof long_path - 1);
	long_path[0] = '/';
	memset(long_name, 'n', sizeof long_name - 1);
}
