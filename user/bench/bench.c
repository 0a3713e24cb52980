/*
 * bench.c: the kernel's cost in guest instructions (issue 7), run as init.
 *
 * Usage: /bench/bench, as init under keel or Linux, in QEMU with
 * `-icount shift=0,sleep=off -smp 1` (tools/bench.py does both).  The
 * guest TSC then advances by exactly one per guest instruction, so an rdtsc
 * difference is an exact, repeatable instruction count: the process's own,
 * the kernel's and any other process's, since one CPU runs them all.
 * The machine must not go idle while a figure is measured (with sleep=off
 * QEMU jumps the clock over idle time): every test keeps a process
 * runnable.
 *
 * Output on fd 1, one line per figure, each the median of ROUNDS rounds
 * (after one warm-up round) of guest instructions per operation:
 *
 *	bench: tsc-at-start N        the TSC at the process's first instruction
 *	bench: getpid-syscall N      getpid through syscall (rax 39)
 *	bench: getpid-int80 N        getpid through int $0x80 (i386 eax 20)
 *	bench: yield-switch-2 N      a switch between two processes calling
 *	                             sched_yield in turn
 *	bench: fork-exit-wait N      fork, the child's exit, the parent's wait4
 *	bench: page-touch N          the first write to an anonymous page
 *	bench: pipe-roundtrip N      1 byte to a child and back through pipes
 *	bench: fork-exit-wait-Mm N   fork+exit+wait with M MiB (1, 4, 16, 64) of
 *	                             touched anonymous memory (copy-on-write)
 *	bench: yield-switch-P N      a switch among P processes (16, 128), all
 *	                             spinning on sched_yield
 *	bench: done
 *
 * A figure that cannot be measured (a call failed) prints `bench: NAME
 * error WHAT errno` instead, and the exit status is then 1; else 0.
 * The paths measured use raw system calls (sys.h): no libc wrapper adds
 * its own work.  A per-operation figure includes its loop's few
 * instructions.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include "sys.h"

#define ROUNDS		7
#define PAGE_SIZE	4096UL
#define MIB		(1024UL * 1024)
/* 30 ms of guest time: the TSC runs at 1 GHz under icount shift=0. */
#define WARMUP_TSC	30000000ULL

/* Written by bench_start (start.S) before anything else runs. */
uint64_t bench_tsc_start;

static int failed;

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void
out(const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	sys_write(1, buf, n);
}

/* A failed call: says which, and makes the run fail.  Returns -1. */
static int
fail(const char *name, const char *what, long err)
{
	out("bench: %s error %s %ld\n", name, what, -err);
	failed = 1;
	return -1;
}

/*
 * One round of a benchmark: run the operation n times and return the guest
 * instructions per operation, or -1 when a call failed (already reported).
 */
typedef long (*round_fn)(const char *name, long n, long arg);

/* Prints the median of ROUNDS rounds, after one warm-up round. */
static void
measure(const char *name, round_fn fn, long n, long arg)
{
	long r[ROUNDS];

	if (fn(name, n, arg) < 0)
		return;
	for (int i = 0; i < ROUNDS; i++)
		if ((r[i] = fn(name, n, arg)) < 0)
			return;
	for (int i = 1; i < ROUNDS; i++)	/* insertion sort */
		for (int j = i; j > 0 && r[j - 1] > r[j]; j--) {
			long t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
	out("bench: %s %ld\n", name, r[ROUNDS / 2]);
}

static long
per_op(uint64_t t0, uint64_t t1, long ops)
{
	return (long)((t1 - t0 + ops / 2) / ops);
}

/* ---- system calls ---- */

static long
round_getpid_syscall(const char *name, long n, long arg)
{
	uint64_t t0 = rdtsc();
	for (long i = 0; i < n; i++)
		sys_getpid();
	return per_op(t0, rdtsc(), n);
}

static long
round_getpid_int80(const char *name, long n, long arg)
{
	uint64_t t0 = rdtsc();
	for (long i = 0; i < n; i++)
		sys_getpid_int80();
	return per_op(t0, rdtsc(), n);
}

/* ---- processes ---- */

/* fork; the child exits at once (exit_group 0); the parent reaps it. */
static long
fork_exit_wait(const char *name)
{
	int status;
	long pid = sys_fork();

	if (pid == 0)
		sys_exit_group(0);
	if (pid < 0)
		return fail(name, "fork", pid);
	long r = sys_wait4(pid, &status, 0);
	if (r != pid)
		return fail(name, "wait4", r);
	if (status != 0)
		return fail(name, "child-status", -status);
	return 0;
}

static long
round_fork(const char *name, long n, long arg)
{
	uint64_t t0 = rdtsc();
	for (long i = 0; i < n; i++)
		if (fork_exit_wait(name) < 0)
			return -1;
	return per_op(t0, rdtsc(), n);
}

/*
 * An anonymous private mapping of len bytes with every page written once,
 * so that a fork has that many present pages to share copy-on-write.
 * MADV_NOHUGEPAGE keeps Linux to 4 KiB pages, as keel has: a transparent
 * huge page would turn 512 page-table entries into one.
 */
static char *
touched_mapping(const char *name, unsigned long len)
{
	long p = sys_mmap(0, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p < 0 && p > -4096) {
		fail(name, "mmap", p);
		return NULL;
	}
	sys_madvise(p, len, MADV_NOHUGEPAGE);
	for (unsigned long off = 0; off < len; off += PAGE_SIZE)
		((volatile char *)p)[off] = 1;
	return (char *)p;
}

/* fork+exit+wait of a process with arg MiB of touched anonymous memory. */
static void
measure_fork_mem(const char *name, long n, long mib)
{
	char *p = NULL;

	if (mib && !(p = touched_mapping(name, mib * MIB)))
		return;
	measure(name, round_fork, n, 0);
	if (p)
		sys_munmap((long)p, mib * MIB);
}

/*
 * arg processes spinning on sched_yield: the caller and arg - 1 children.
 * Each of the caller's n yields lets every other process run once, so a
 * round is n * arg switches.  The children stay through all rounds.
 */
static long
round_yield(const char *name, long n, long arg)
{
	uint64_t t0 = rdtsc();
	for (long i = 0; i < n; i++)
		sys_sched_yield();
	return per_op(t0, rdtsc(), n * arg);
}

static void
measure_yield(const char *name, long n, long procs)
{
	long pids[128];
	long made = 0;

	for (; made < procs - 1; made++) {
		long pid = sys_fork();
		if (pid == 0)
			for (;;)
				sys_sched_yield();
		if (pid < 0) {
			fail(name, "fork", pid);
			break;
		}
		pids[made] = pid;
	}
	if (made == procs - 1) {
		/*
		 * Linux's CFS starts a child a time slice behind its parent
		 * (START_DEBIT): until the parent has run that long, its yields
		 * find no one to switch to and cost a fraction of a switch.
		 * Yielding for WARMUP_TSC first leaves every process in its
		 * loop, taking turns.
		 */
		uint64_t t0 = rdtsc();
		while (rdtsc() - t0 < WARMUP_TSC)
			sys_sched_yield();
		measure(name, round_yield, n, procs);
	}
	for (long i = 0; i < made; i++)
		sys_kill(pids[i], SIGKILL);
	for (long i = 0; i < made; i++) {
		int status;
		sys_wait4(pids[i], &status, 0);
	}
}

/* ---- memory ---- */

/* Writes one byte to each of n fresh anonymous pages. */
static long
round_touch(const char *name, long n, long arg)
{
	unsigned long len = n * PAGE_SIZE;
	long p = sys_mmap(0, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p < 0 && p > -4096)
		return fail(name, "mmap", p);
	sys_madvise(p, len, MADV_NOHUGEPAGE);
	uint64_t t0 = rdtsc();
	for (unsigned long off = 0; off < len; off += PAGE_SIZE)
		((volatile char *)p)[off] = 1;
	uint64_t t1 = rdtsc();
	sys_munmap(p, len);
	return per_op(t0, t1, n);
}

/* ---- pipes ---- */

static int ping[2], pong[2];	/* parent -> child, child -> parent */

static long
round_pipe(const char *name, long n, long arg)
{
	char c = 'x';

	uint64_t t0 = rdtsc();
	for (long i = 0; i < n; i++) {
		long w = sys_write(ping[1], &c, 1);
		long r = sys_read(pong[0], &c, 1);
		if (w != 1 || r != 1)
			return fail(name, "pipe-io", w != 1 ? w : r);
	}
	return per_op(t0, rdtsc(), n);
}

/* A child echoes each byte from ping back on pong until ping's EOF. */
static void
measure_pipe(const char *name, long n)
{
	long r, pid;
	int status;

	if ((r = sys_pipe(ping)) < 0 || (r = sys_pipe(pong)) < 0) {
		fail(name, "pipe", r);
		return;
	}
	pid = sys_fork();
	if (pid == 0) {
		char c;
		sys_close(ping[1]);
		sys_close(pong[0]);
		while (sys_read(ping[0], &c, 1) == 1)
			if (sys_write(pong[1], &c, 1) != 1)
				sys_exit_group(1);
		sys_exit_group(0);
	}
	sys_close(ping[0]);
	sys_close(pong[1]);
	if (pid < 0)
		fail(name, "fork", pid);
	else
		measure(name, round_pipe, n, 0);
	sys_close(ping[1]);
	sys_close(pong[0]);
	if (pid > 0)
		sys_wait4(pid, &status, 0);
}

int
main(void)
{
	/* First: the boot figure, before anything else can go wrong. */
	out("bench: tsc-at-start %lu\n", (unsigned long)bench_tsc_start);

	measure("getpid-syscall", round_getpid_syscall, 10000, 0);
	measure("getpid-int80", round_getpid_int80, 10000, 0);
	measure_yield("yield-switch-2", 2000, 2);
	measure_fork_mem("fork-exit-wait", 40, 0);
	measure("page-touch", round_touch, 256, 0);
	measure_pipe("pipe-roundtrip", 1000);
	/* The scaling figures: memory a fork shares, processes a yield passes. */
	measure_fork_mem("fork-exit-wait-1m", 16, 1);
	measure_fork_mem("fork-exit-wait-4m", 8, 4);
	measure_fork_mem("fork-exit-wait-16m", 2, 16);
	measure_fork_mem("fork-exit-wait-64m", 1, 64);
	measure_yield("yield-switch-16", 200, 16);
	measure_yield("yield-switch-128", 30, 128);

	out("bench: done\n");
	return failed;
}
