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
 * Every figure is taken as samples: a sample is one timed group of
 * operations, from one rdtsc to the next (each sample starts where the last
 * ended, so nothing a round does between its operations escapes them).
 * A group is one operation where that costs thousands of instructions
 * (fork+exit+wait), else as many as make some ten thousand, so that a
 * timer tick landing in a sample does not double it.  ROUNDS rounds are
 * sampled after one warm-up round, whose samples are not printed.  Output
 * on fd 1, after the boot figure, one write per figure of two kinds of
 * line:
 *
 *	bench: NAME ops K samples N  each sample is K operations (a switch,
 *	                             for the yield figures), N samples follow
 *	bench: NAME = T T T ...      the samples, in the order taken: guest
 *	                             instructions per sample (not per
 *	                             operation), up to SAMPLES_PER_LINE a line
 *
 * tools/bench.py prints each figure's median, mean and maximum per
 * operation.  The figures:
 *
 *	bench: tsc-at-start N        the TSC at the process's first instruction
 *	                             (one line, no samples)
 *	getpid-syscall               getpid through syscall (rax 39)
 *	getpid-int80                 getpid through int $0x80 (i386 eax 20)
 *	yield-switch-2               a switch between two processes calling
 *	                             sched_yield in turn
 *	fork-exit-wait               fork, the child's exit, the parent's wait4
 *	page-touch                   the first write to an anonymous page
 *	pipe-roundtrip               1 byte to a child and back through pipes
 *	poll-pipe-roundtrip          the same, each side waiting in poll(POLLIN)
 *	                             before its read (poll on a pipe: the sleep
 *	                             and the wakeup of a poll)
 *	fork-exit-wait-Mm            fork+exit+wait with M MiB (1, 4, 16, 64) of
 *	                             touched anonymous memory (copy-on-write)
 *	yield-switch-P               a switch among P processes (16, 128), all
 *	                             spinning on sched_yield
 *	fork-exec-wait-glibc         fork, execve of a static glibc program that
 *	                             returns 0 from main (/bench/exit0-glibc:
 *	                             glibc's whole start-up and exit), wait4
 *	futex-pingpong               two threads of one process hand a turn back
 *	                             and forth through two futex words
 *	                             (FUTEX_WAIT/FUTEX_WAKE, private): a round trip
 *	pthread-create-join          musl's pthread_create of a thread that
 *	                             returns at once, and pthread_join
 *	bench: done
 *
 * With the arguments `only NAME` it measures just the figure NAME (and
 * prints the boot figure): one figure alone, for tools/kprof.py.
 *
 * With the argument `smp` (init=/bench/bench smp; Linux: rdinit=/bench/bench
 * -- smp) it measures several CPUs instead, in wall-clock time
 * (CLOCK_MONOTONIC, no -icount), SMP_ROUNDS rounds of each:
 *	bench-smp: cpus N                      sched_getaffinity's count
 *	bench-smp: cpu-bound SEQ PAR           ns for two CPU-bound processes one
 *	                                       after the other, then both at once
 *	bench-smp: fork-loops K OPS            fork+exit+wait per second of K
 *	                                       processes each looping (K = 1, 2)
 *	bench-smp: touch-loops K OPS           first touches of fresh anonymous
 *	                                       pages per second of K processes,
 *	                                       each mapping 1 MiB, writing a byte
 *	                                       to every page and unmapping it
 *	bench-smp: futex-cpus OPS              futex round trips per second
 *	                                       between two threads pinned to
 *	                                       CPUs 0 and 1
 *	bench-smp: NAME-per-op K switches S interrupts I, and
 *	bench-smp: futex-cpus-per-trip switches S interrupts I
 *	                                       before each figure: its context
 *	                                       switches and interrupts (IPIs and
 *	                                       ticks) per operation, from
 *	                                       /proc/stat's ctxt and intr: what
 *	                                       the wall clock's noise hides
 *	bench: done
 *
 * A figure that cannot be measured (a call failed) prints `bench: NAME
 * error WHAT errno` instead, and the exit status is then 1; else 0.
 * The paths measured use raw system calls (sys.h): no libc wrapper adds
 * its own work.  A per-operation figure includes its loop's few
 * instructions, and a sample its one rdtsc and store.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
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
 * The samples of the figure being measured: guest instructions per sample,
 * in the order taken.  The largest figure takes (ROUNDS + 1) * 100.  Every
 * page bench has present is one more that each fork shares and each exit
 * releases (some 40 instructions), so the samples fit one page, saturating
 * at 2^32 - 1 (4 s of guest time), and a figure's text is mapped only
 * while it is written (measure_ops).
 */
#define MAX_SAMPLES	1024
#define SAMPLES_PER_LINE 10
static uint32_t samples[MAX_SAMPLES] __attribute__((aligned(4096)));
static long nsamples;

static inline void
record(uint64_t tsc)
{
	if (nsamples < MAX_SAMPLES)
		samples[nsamples++] = tsc > UINT32_MAX ? UINT32_MAX : (uint32_t)tsc;
}

/*
 * Ends the sample that began at TSC t0 and begins the next: returns its
 * end, the next one's start.
 */
static inline uint64_t
sample(uint64_t t0)
{
	uint64_t t1 = rdtsc();

	record(t1 - t0);
	return t1;
}

/*
 * One round of a benchmark: run the operation n times, calling sample()
 * after every per of them (per divides n); returns 0, or -1 when a call
 * failed (already reported).
 */
typedef long (*round_fn)(const char *name, long n, long per, long arg);

/*
 * Takes ROUNDS rounds of n operations in samples of per, after one
 * warm-up round, and prints them; ops is the operations a sample counts
 * (per, or per switches times the processes taking turns).
 */
/* Appends to text[len..size), which stays full once it is (len >= size). */
static size_t
append(char *text, size_t size, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (len >= size)
		return len;
	va_start(ap, fmt);
	n = vsnprintf(text + len, size - len, fmt, ap);
	va_end(ap);
	return len + (n < 0 ? 0 : (size_t)n);
}

/* The one figure to measure (`only NAME`), or every one (0). */
static const char *only;

static int
wanted(const char *name)
{
	return only == 0 || strcmp(only, name) == 0;
}

static void
measure_ops(const char *name, round_fn fn, long n, long per, long ops, long arg)
{
	/* A figure's lines go out in one write: one redraw of the console. */
	const size_t size = 32768;
	char *text;
	size_t len;
	long warm, p;

	if (!wanted(name))
		return;
	nsamples = 0;
	if (fn(name, n, per, arg) < 0)
		return;
	warm = nsamples;
	for (int i = 0; i < ROUNDS; i++)
		if (fn(name, n, per, arg) < 0)
			return;
	if (nsamples == MAX_SAMPLES)
		fail(name, "too-many-samples", -MAX_SAMPLES);
	p = sys_mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p < 0 && p > -4096) {
		fail(name, "mmap", p);
		return;
	}
	text = (char *)p;
	len = append(text, size, 0, "bench: %s ops %ld samples %ld\n", name,
	    ops, nsamples - warm);
	for (long i = warm; i < nsamples; i += SAMPLES_PER_LINE) {
		len = append(text, size, len, "bench: %s =", name);
		for (long j = i; j < nsamples && j < i + SAMPLES_PER_LINE; j++)
			len = append(text, size, len, " %lu", (unsigned long)samples[j]);
		len = append(text, size, len, "\n");
	}
	if (len >= size)
		fail(name, "text-too-long", -(long)len);
	else
		sys_write(1, text, len);
	sys_munmap(p, size);
}

static void
measure(const char *name, round_fn fn, long n, long per)
{
	measure_ops(name, fn, n, per, per, 0);
}

/* ---- system calls ---- */

static long
round_getpid_syscall(const char *name, long n, long per, long arg)
{
	uint64_t t = rdtsc();
	for (long s = 0; s < n; s += per) {
		for (long i = 0; i < per; i++)
			sys_getpid();
		t = sample(t);
	}
	return 0;
}

static long
round_getpid_int80(const char *name, long n, long per, long arg)
{
	uint64_t t = rdtsc();
	for (long s = 0; s < n; s += per) {
		for (long i = 0; i < per; i++)
			sys_getpid_int80();
		t = sample(t);
	}
	return 0;
}

/* ---- processes ---- */

/*
 * fork; the child exits at once (exit_group 0), or with exec execs a static
 * glibc program that exits 0; the parent reaps it.
 */
static long
fork_wait(const char *name, int exec)
{
	static char *const argv[] = { "exit0-glibc", 0 }, *const envp[] = { 0 };
	int status;
	long pid = sys_fork();

	if (pid == 0) {
		if (exec)
			sys_call3(SYS_execve, (long)"/bench/exit0-glibc", (long)argv, (long)envp);
		sys_exit_group(exec ? 127 : 0);
	}
	if (pid < 0)
		return fail(name, "fork", pid);
	long r = sys_wait4(pid, &status, 0);
	if (r != pid)
		return fail(name, "wait4", r);
	if (status != 0)
		return fail(name, "child-status", -status);
	return 0;
}

/*
 * One fork+exit+wait a sample (with arg, fork+exec+exit+wait): each costs thousands of instructions.  The
 * TSC readings wait on the stack, which the parent writes after each fork
 * anyway, until the round ends: a store to samples[] would take a
 * copy-on-write fault of its page after every fork, some 470 instructions
 * that are bench's and not the figure's.
 */
#define FORK_ROUND_MAX	40

static long
round_fork(const char *name, long n, long per, long arg)
{
	uint64_t t[FORK_ROUND_MAX + 1];

	if (n > FORK_ROUND_MAX)
		return fail(name, "round-too-long", -n);
	t[0] = rdtsc();
	for (long i = 0; i < n; i++) {
		if (fork_wait(name, arg != 0) < 0)
			return -1;
		t[i + 1] = rdtsc();
	}
	for (long i = 0; i < n; i++)
		record(t[i + 1] - t[i]);
	return 0;
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

	if (!wanted(name))
		return;
	if (mib && !(p = touched_mapping(name, mib * MIB)))
		return;
	measure(name, round_fork, n, 1);
	if (p)
		sys_munmap((long)p, mib * MIB);
}

/*
 * arg processes spinning on sched_yield: the caller and arg - 1 children.
 * Each of the caller's n yields lets every other process run once, so a
 * round is n * arg switches, a sample per * arg.  The children stay
 * through all rounds.
 */
static long
round_yield(const char *name, long n, long per, long arg)
{
	uint64_t t = rdtsc();
	for (long s = 0; s < n; s += per) {
		for (long i = 0; i < per; i++)
			sys_sched_yield();
		t = sample(t);
	}
	return 0;
}

static void
measure_yield(const char *name, long n, long per, long procs)
{
	long pids[128];
	long made = 0;

	if (!wanted(name))
		return;
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
		measure_ops(name, round_yield, n, per, per * procs, procs);
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
round_touch(const char *name, long n, long per, long arg)
{
	unsigned long len = n * PAGE_SIZE;
	long p = sys_mmap(0, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p < 0 && p > -4096)
		return fail(name, "mmap", p);
	sys_madvise(p, len, MADV_NOHUGEPAGE);
	uint64_t t = rdtsc();
	for (unsigned long off = 0; off < len; off += per * PAGE_SIZE) {
		for (unsigned long i = off; i < off + per * PAGE_SIZE; i += PAGE_SIZE)
			((volatile char *)p)[i] = 1;
		t = sample(t);
	}
	sys_munmap(p, len);
	return 0;
}

/* ---- pipes ---- */

static int ping[2], pong[2];	/* parent -> child, child -> parent */

/* poll(fd, POLLIN) until it says readable: 1, or -errno. */
static long
wait_readable(int fd)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	long r = sys_call3(SYS_poll, (long)&pf, 1, -1);

	return r == 1 && (pf.revents & POLLIN) ? 1 : r < 0 ? r : -1;
}

static long
round_pipe(const char *name, long n, long per, long arg)
{
	char c = 'x';

	uint64_t t = rdtsc();
	for (long s = 0; s < n; s += per) {
		for (long i = 0; i < per; i++) {
			long w = sys_write(ping[1], &c, 1);
			long r = sys_read(pong[0], &c, 1);
			if (w != 1 || r != 1)
				return fail(name, "pipe-io", w != 1 ? w : r);
		}
		t = sample(t);
	}
	return 0;
}

/* The same, waiting in poll before each read. */
static long
round_poll_pipe(const char *name, long n, long per, long arg)
{
	char c = 'x';

	uint64_t t = rdtsc();
	for (long s = 0; s < n; s += per) {
		for (long i = 0; i < per; i++) {
			long w = sys_write(ping[1], &c, 1);
			long p = wait_readable(pong[0]);
			long r = sys_read(pong[0], &c, 1);
			if (w != 1 || p != 1 || r != 1)
				return fail(name, "pipe-io", w != 1 ? w : p != 1 ? p : r);
		}
		t = sample(t);
	}
	return 0;
}

/*
 * A child echoes each byte from ping back on pong until ping's EOF (with
 * use_poll, polling ping before each read).
 */
static void
measure_pipe(const char *name, long n, long per, int use_poll)
{
	long r, pid;
	int status;

	if (!wanted(name))
		return;
	if ((r = sys_pipe(ping)) < 0 || (r = sys_pipe(pong)) < 0) {
		fail(name, "pipe", r);
		return;
	}
	pid = sys_fork();
	if (pid == 0) {
		char c;
		sys_close(ping[1]);
		sys_close(pong[0]);
		if (use_poll) {
			while (wait_readable(ping[0]) == 1 && sys_read(ping[0], &c, 1) == 1)
				if (sys_write(pong[1], &c, 1) != 1)
					sys_exit_group(1);
		} else {
			while (sys_read(ping[0], &c, 1) == 1)
				if (sys_write(pong[1], &c, 1) != 1)
					sys_exit_group(1);
		}
		sys_exit_group(0);
	}
	sys_close(ping[0]);
	sys_close(pong[1]);
	if (pid < 0)
		fail(name, "fork", pid);
	else
		measure(name, use_poll ? round_poll_pipe : round_pipe, n, per);
	sys_close(ping[1]);
	sys_close(pong[0]);
	if (pid > 0)
		sys_wait4(pid, &status, 0);
}

/* ---- exec and threads ---- */

#define FUTEX_WAIT_PRIVATE	128
#define FUTEX_WAKE_PRIVATE	129

/*
 * The turn: 0 the main thread's, 1 the partner's, 2 the partner's to end.
 * Each side waits while the turn is not its own, then passes it and wakes
 * the other (raw futex calls: no libc lock in between).
 */
static volatile int turn;

static void
futex_wait_while(volatile int *w, int val)
{
	while (*w == val)
		sys_call6(SYS_futex, (long)w, FUTEX_WAIT_PRIVATE, val, 0, 0, 0);
}

static void
pass_turn(volatile int *w, int val)
{
	*w = val;
	sys_call6(SYS_futex, (long)w, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
}

static void *
futex_partner(void *arg)
{
	for (;;) {
		futex_wait_while(&turn, 0);
		if (turn == 2)
			return 0;
		pass_turn(&turn, 0);
	}
}

static long
round_futex(const char *name, long n, long per, long arg)
{
	uint64_t t = rdtsc();
	for (long s = 0; s < n; s += per) {
		for (long i = 0; i < per; i++) {
			pass_turn(&turn, 1);
			futex_wait_while(&turn, 1);
		}
		t = sample(t);
	}
	return 0;
}

static void
measure_futex(const char *name, long n, long per)
{
	pthread_t th;
	int r;

	if (!wanted(name))
		return;
	turn = 0;
	if ((r = pthread_create(&th, 0, futex_partner, 0)) != 0) {
		fail(name, "pthread_create", -r);
		return;
	}
	measure(name, round_futex, n, per);
	pass_turn(&turn, 2);
	pthread_join(th, 0);
}

static void *
returns_at_once(void *arg)
{
	return arg;
}

static long
round_pthread(const char *name, long n, long per, long arg)
{
	uint64_t t = rdtsc();
	for (long s = 0; s < n; s += per) {
		for (long i = 0; i < per; i++) {
			pthread_t th;
			int r = pthread_create(&th, 0, returns_at_once, 0);

			if (r != 0)
				return fail(name, "pthread_create", -r);
			if ((r = pthread_join(th, 0)) != 0)
				return fail(name, "pthread_join", -r);
		}
		t = sample(t);
	}
	return 0;
}

/* ---- several CPUs, wall-clock time (the `smp` argument) ---- */
#define SMP_ROUNDS	5
#define SPIN_ITERS	150000000UL	/* about a second of TCG on this host's cores */
#define LOOP_NS		1000000000LL	/* how long each fork loop runs */

static long long
wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static _Noreturn void
spin_child(void)
{
	volatile uint64_t x = 1;

	for (uint64_t i = 0; i < SPIN_ITERS; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	sys_exit_group(0);
}

/* Start n spinners and wait for them all: the wall time in ns, or -1. */
static long long
spinners(int n)
{
	long long t0 = wall_ns();
	int st;

	for (int i = 0; i < n; i++) {
		long pid = sys_fork();

		if (pid == 0)
			spin_child();
		if (pid < 0)
			return -1;
	}
	for (int i = 0; i < n; i++)
		if (sys_wait4(-1, &st, 0) < 0)
			return -1;
	return wall_ns() - t0;
}

#define TOUCH_LEN	(1UL << 20)

/* One round of a loop: the operations it did, or -1. */
static long
fork_once(void)
{
	int st;
	long c = sys_fork();

	if (c == 0)
		sys_exit_group(0);
	if (c < 0 || sys_wait4(c, &st, 0) != c)
		return -1;
	return 1;
}

static long
touch_once(void)
{
	long p = sys_mmap(0, TOUCH_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);

	if (p < 0 && p > -4096)
		return -1;
	sys_madvise(p, TOUCH_LEN, MADV_NOHUGEPAGE);
	for (unsigned long off = 0; off < TOUCH_LEN; off += PAGE_SIZE)
		((volatile char *)p)[off] = 1;
	if (sys_munmap(p, TOUCH_LEN) != 0)
		return -1;
	return TOUCH_LEN / PAGE_SIZE;
}

static void stat_counts(long *ctxt, long *intr);

/* The whole of a small file into buf (NUL-terminated); its length, or -1. */
static int
slurp(const char *path, char *buf, int size)
{
	int fd = open(path, O_RDONLY), n = 0, r;

	if (fd < 0)
		return -1;
	while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return n;
}

/* /proc/interrupts' rows that tell a loop's interrupts apart, each summed over the CPUs. */
static const char *const irq_rows[] = { "LOC", "RES", "TLB", "KLK" };
#define NIRQROW	4

static void
irq_counts(long *v)
{
	char buf[8192], *p, *e;

	for (int i = 0; i < NIRQROW; i++)
		v[i] = 0;
	if (slurp("/proc/interrupts", buf, sizeof buf) < 0)
		return;
	for (int i = 0; i < NIRQROW; i++) {
		char key[8];

		snprintf(key, sizeof key, "\n%s:", irq_rows[i]);
		if ((p = strstr(buf, key)) == 0)
			continue;
		for (p += strlen(key); *p && *p != '\n'; p = e) {
			long x = strtol(p, &e, 10);

			if (e == p)
				break;
			v[i] += x;
		}
	}
}

/*
 * k processes each doing once() for LOOP_NS: the total per second, or -1.
 * Also prints the switches and interrupts (IPIs, ticks) per operation,
 * from /proc/stat, as "bench-smp: NAME-per-op K switches S interrupts I".
 */
static long
loops(int k, long (*once)(void), const char *name)
{
	int p[2], st;
	long total = 0, n, c0, i0, c1, i1, q0[NIRQROW], q1[NIRQROW];

	if (pipe(p) != 0)
		return -1;
	irq_counts(q0);
	stat_counts(&c0, &i0);
	for (int i = 0; i < k; i++) {
		long pid = sys_fork();

		if (pid == 0) {
			long long end = wall_ns() + LOOP_NS;
			long ops = 0;

			while (wall_ns() < end) {
				long n = once();

				if (n < 0)
					sys_exit_group(1);
				ops += n;
			}
			sys_write(p[1], &ops, sizeof ops);
			sys_exit_group(0);
		}
		if (pid < 0)
			return -1;
	}
	sys_close(p[1]);
	while (sys_read(p[0], &n, sizeof n) == sizeof n)
		total += n;
	sys_close(p[0]);
	for (int i = 0; i < k; i++)
		if (sys_wait4(-1, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			return -1;
	stat_counts(&c1, &i1);
	irq_counts(q1);
	if (total > 0) {
		out("bench-smp: %s-per-op %d switches %ld.%02ld interrupts %ld.%02ld", name, k,
		    (c1 - c0) / total, (c1 - c0) * 100 / total % 100, (i1 - i0) / total,
		    (i1 - i0) * 100 / total % 100);
		for (int i = 0; i < NIRQROW; i++)
			out(" %s %ld.%02ld", irq_rows[i], (q1[i] - q0[i]) / total,
			    (q1[i] - q0[i]) * 100 / total % 100);
		out("\n");
	}
	return total * 1000000000LL / LOOP_NS;
}

/*
 * Two threads of one process, pinned to CPUs 0 and 1, hand the turn back
 * and forth through one futex word (futex_wait_while, pass_turn) for
 * LOOP_NS: round trips per second, or -1.
 */
static volatile int xturn;

static void
pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *
xcpu_partner(void *arg)
{
	pin(1);
	for (;;) {
		futex_wait_while(&xturn, 0);
		if (xturn == 2)
			return 0;
		pass_turn(&xturn, 0);
	}
}

/* /proc/stat's ctxt and intr totals (0 where it has none). */
static void
stat_counts(long *ctxt, long *intr)
{
	char buf[4096], *p;

	*ctxt = *intr = 0;
	if (slurp("/proc/stat", buf, sizeof buf) < 0)
		return;
	if ((p = strstr(buf, "\nctxt ")) != 0)
		*ctxt = strtol(p + 6, 0, 10);
	if ((p = strstr(buf, "\nintr ")) != 0)
		*intr = strtol(p + 6, 0, 10);
}

static long
futex_cpus(void)
{
	pthread_t th;
	cpu_set_t all;
	long n = 0, c0, i0, c1, i1;
	long long end;

	sched_getaffinity(0, sizeof(all), &all);
	xturn = 0;
	pin(0);
	if (pthread_create(&th, 0, xcpu_partner, 0) != 0)
		return -1;
	stat_counts(&c0, &i0);
	end = wall_ns() + LOOP_NS;
	while (wall_ns() < end) {
		pass_turn(&xturn, 1);
		futex_wait_while(&xturn, 1);
		n++;
	}
	stat_counts(&c1, &i1);
	pass_turn(&xturn, 2);
	pthread_join(th, 0);
	if (n > 0)
		out("bench-smp: futex-cpus-per-trip switches %ld.%02ld interrupts %ld.%02ld\n",
		    (c1 - c0) / n, (c1 - c0) * 100 / n % 100, (i1 - i0) / n, (i1 - i0) * 100 / n % 100);
	sched_setaffinity(0, sizeof(all), &all);
	return n * 1000000000LL / LOOP_NS;
}

static int
bench_smp(void)
{
	cpu_set_t set;
	int bad = 0;

	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	out("bench-smp: cpus %d\n", CPU_COUNT(&set));
	for (int r = 0; r < SMP_ROUNDS; r++) {
		long long seq = spinners(1), seq2 = spinners(1), par = spinners(2);

		if (seq < 0 || seq2 < 0 || par < 0)
			bad = 1;
		out("bench-smp: cpu-bound %lld %lld\n", seq + seq2, par);
	}
	for (int k = 1; k <= 2; k++)
		for (int r = 0; r < SMP_ROUNDS; r++) {
			long ops = loops(k, fork_once, "fork-loops");

			if (ops < 0)
				bad = 1;
			out("bench-smp: fork-loops %d %ld\n", k, ops);
		}
	for (int k = 1; k <= 2; k++)
		for (int r = 0; r < SMP_ROUNDS; r++) {
			long ops = loops(k, touch_once, "touch-loops");

			if (ops < 0)
				bad = 1;
			out("bench-smp: touch-loops %d %ld\n", k, ops);
		}
	for (int r = 0; r < SMP_ROUNDS; r++) {
		long ops = futex_cpus();

		if (ops < 0)
			bad = 1;
		out("bench-smp: futex-cpus %ld\n", ops);
	}
	out("bench: done\n");
	return bad;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "smp") == 0)
		return bench_smp();
	if (argc > 2 && strcmp(argv[1], "only") == 0)
		only = argv[2];
	/* sync(2), which bench calls nowhere else, marks kprof's window. */
	if (only)
		sys_call3(SYS_sync, 0, 0, 0);
	/* First: the boot figure, before anything else can go wrong. */
	out("bench: tsc-at-start %lu\n", (unsigned long)bench_tsc_start);

	/* Samples of some 10,000 instructions, a fork+exit+wait each. */
	measure("getpid-syscall", round_getpid_syscall, 10000, 200);
	measure("getpid-int80", round_getpid_int80, 10000, 200);
	measure_yield("yield-switch-2", 2000, 25, 2);
	measure_fork_mem("fork-exit-wait", 40, 0);
	measure("page-touch", round_touch, 256, 16);
	measure_pipe("pipe-roundtrip", 1000, 10, 0);
	measure_pipe("poll-pipe-roundtrip", 1000, 10, 1);
	/* The scaling figures: memory a fork shares, processes a yield passes. */
	measure_fork_mem("fork-exit-wait-1m", 16, 1);
	measure_fork_mem("fork-exit-wait-4m", 8, 4);
	measure_fork_mem("fork-exit-wait-16m", 2, 16);
	measure_fork_mem("fork-exit-wait-64m", 1, 64);
	measure_yield("yield-switch-16", 200, 4, 16);
	measure_yield("yield-switch-128", 30, 1, 128);
	/* glibc's start-up, futexes and threads (issue 13's rows). */
	measure_ops("fork-exec-wait-glibc", round_fork, 8, 1, 1, 1);
	measure_futex("futex-pingpong", 400, 10);
	measure("pthread-create-join", round_pthread, 100, 5);

	if (only)
		sys_call3(SYS_sync, 0, 0, 0);
	out("bench: done\n");
	return failed;
}
