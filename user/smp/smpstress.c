/*
 * smpstress.c: what several CPUs at once do to a kernel (issue 14):
 * stale TLB entries after munmap, fork/exec/exit/wait from every CPU,
 * copy-on-write breaks of one frame in several address spaces at once,
 * page tables made and freed on every CPU at once, pipes, futexes and signals between CPUs, affinity and getcpu, threads
 * really running in parallel, and free memory back after each of them.
 * Built with musl (/test/smpstress) and glibc (/test/smpstress-glibc),
 * run as init on keel and under Debian's Linux (tools/linux-check
 * --smp N --init /test/smpstress), where it passes at -smp 1 and -smp 4.
 *
 * Usage: smpstress [-n SCALE] [PREFIX...]
 *	-n SCALE   multiply every iteration count (and time limit) by SCALE;
 *	           -n 2000 gives the 4 x 100,000 mmap/munmap run
 *	PREFIX     run only the cases whose names start with it; a word no
 *	           case name starts with is ignored (Linux passes init the
 *	           words of its command line it did not know)
 *	--child    exit 7 at once (the forkexec case's exec target)
 *
 * Output: TAP on fd 1 through raw write()s, `# ` lines with figures, then
 *	smpstress: N passed, N failed	(smpstress-glibc: for glibc)
 * and exit status 0 when nothing failed.
 *
 * Each case runs in a forked child in a process group of its own, under
 * an alarm: a hang fails the case (with the stage it was in) instead of
 * the run, and everything the case started is killed and reaped before
 * the next.  The last case, memory, compares MemFree before and after
 * each case; it fails only on keel (Linux's page cache and per-CPU lists
 * move MemFree on their own).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../lib/say.h"

/* <linux/futex.h>'s numbers (musl-gcc has no kernel headers). */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_PRIVATE_FLAG	128

#ifdef __GLIBC__
#define PROG "smpstress-glibc"
#else
#define PROG "smpstress"
#endif

#define MAXT		64	/* threads of one kind in a case */
#define MEM_SLACK_KB	256	/* MemFree may end this much lower on keel */

static int ncpu;		/* sysconf(_SC_NPROCESSORS_ONLN) */
static int nwork;		/* workers: ncpu, at least 2, at most MAXT */
static long scale = 1;		/* -n */
static int on_keel;
static char self_path[256];

/* Set by a failing check; sent to the parent through result_fd. */
static char detail[320];
static int result_fd = -1;
/* What the case is doing: the alarm handler reports it. */
static char stage[160];


static void
set_stage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(stage, sizeof(stage), fmt, ap);
	va_end(ap);
}

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		snprintf(detail, sizeof(detail), __VA_ARGS__);		\
		return 0;						\
	}								\
} while (0)

/* First failure of several threads: the first one's words are kept. */
static atomic_int failed_once;

static void
fail_once(const char *fmt, ...)
{
	va_list ap;

	if (atomic_exchange(&failed_once, 1))
		return;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t
cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static const char *
status_str(int st)
{
	static char buf[48];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "status %#x", st);
	return buf;
}

static pid_t
wait_pid(pid_t pid, int *st)
{
	pid_t r;

	while ((r = waitpid(pid, st, 0)) < 0 && errno == EINTR)
		;
	return r;
}

/* Start n threads running fn(&arg[i]); 0 or the failure in detail. */
static int
start_threads(pthread_t *t, int n, void *(*fn)(void *), void *arg, size_t argsize)
{
	for (int i = 0; i < n; i++) {
		int e = pthread_create(&t[i], 0, fn, (char *)arg + i * argsize);

		CHECK(e == 0, "pthread_create %d of %d: %s", i + 1, n, strerror(e));
	}
	return 1;
}

static void
join_threads(pthread_t *t, int n)
{
	for (int i = 0; i < n; i++)
		pthread_join(t[i], 0);
}

/* ------------------------------------------------------------------ */
/*
 * tlb: 4 writers map a region at a fixed hint, fill every word, publish
 * it, unmap it, again and again; readers keep reading every published
 * region.  A word encodes its writer, page and generation: a reader must
 * see 0 (a fresh page not filled yet), the right writer and page with a
 * generation the writer was at during the read, or take SIGSEGV.  An
 * older generation, someone else's word or garbage is a freed frame seen
 * through a stale TLB entry.  The last writer's region is 34 pages: above
 * Linux's 33-page threshold for a full flush instead of page by page.
 * A reader that faulted in a region reads it again only once the writer
 * has published a new generation: readers faulting all the time would
 * mostly stress mmap_lock, starve the writers and test nothing more.
 */
#define TLB_WRITERS	4
#define TLB_HINT	0x3e0000000000UL
#define TLB_STRIDE	0x1000000UL
#define TLB_MAGIC	0x5eedULL
#define WORDS_PER_PAGE	512
#define TLB_ROUNDS	50	/* per writer at scale 1: a few seconds under TCG */

static const int tlb_pages[TLB_WRITERS] = { 1, 4, 4, 34 };
static _Atomic uint64_t tlb_gen[TLB_WRITERS];	/* set before each mmap */
static _Atomic uintptr_t tlb_addr[TLB_WRITERS];	/* the last published region */
static _Atomic uint64_t tlb_pub[TLB_WRITERS];	/* its generation, filled */
static atomic_int tlb_stop;
static atomic_long tlb_reads, tlb_faults, tlb_zero;
static __thread sigjmp_buf *volatile tlb_jmp;	/* the handler reads it: every store stays */

static uint64_t
tlb_word(int w, int page, uint64_t gen)
{
	return TLB_MAGIC << 48 | (uint64_t)w << 40 | (uint64_t)page << 32 | (gen & 0xffffffff);
}

static void
tlb_segv(int sig)
{
	if (tlb_jmp)
		siglongjmp(*tlb_jmp, 1);
	signal(sig, SIG_DFL);	/* not a reader's probe: die of it */
}

static void *
tlb_writer(void *arg)
{
	int w = (int)(intptr_t)*(intptr_t *)arg;
	size_t len = tlb_pages[w] * 4096UL, nw = len / 8;
	void *hint = (void *)(TLB_HINT + w * TLB_STRIDE);
	long k = TLB_ROUNDS * scale;

	for (uint64_t g = 1; g <= (uint64_t)k && !atomic_load(&tlb_stop); g++) {
		uint64_t *p;

		atomic_store(&tlb_gen[w], g);
		p = mmap(hint, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			fail_once("writer %d, generation %lu: mmap: %s", w, g, strerror(errno));
			break;
		}
		if (p != hint) {
			/* Linux takes a free hint; elsewhere the readers' words would mislead. */
			fail_once("writer %d: mmap put %zu bytes at %p, not at the free hint %p",
			    w, len, (void *)p, hint);
			munmap(p, len);
			break;
		}
		for (size_t i = 0; i < nw; i++)
			p[i] = tlb_word(w, i / WORDS_PER_PAGE, g);
		atomic_store(&tlb_addr[w], (uintptr_t)p);
		atomic_store(&tlb_pub[w], g);
		/*
		 * A reader sharing this CPU gets to read (and cache) the
		 * mapping before it goes: without it, on one CPU, a writer
		 * could run all its rounds within one time slice.
		 */
		sched_yield();
		if (munmap(p, len) != 0) {
			fail_once("writer %d: munmap: %s", w, strerror(errno));
			break;
		}
	}
	return 0;
}

/* Read *q into *v: 1, or 0 when the read took SIGSEGV. */
static __attribute__((noinline)) int
tlb_probe(volatile uint64_t *q, uint64_t *v)
{
	sigjmp_buf jb;

	if (sigsetjmp(jb, 0)) {
		tlb_jmp = 0;
		return 0;
	}
	tlb_jmp = &jb;
	*v = *q;
	tlb_jmp = 0;
	return 1;
}

static void *
tlb_reader(void *arg)
{
	int r = (int)(intptr_t)*(intptr_t *)arg;
	long reads = 0, faults = 0, zero = 0;
	uint64_t rnd = r + 1, skip[TLB_WRITERS] = { 0 };	/* generation that faulted */

	while (!atomic_load(&tlb_stop)) {
		for (int w = 0; w < TLB_WRITERS; w++) {
			uint64_t pub = atomic_load(&tlb_pub[w]);
			uintptr_t base = atomic_load(&tlb_addr[w]);

			if (base == 0 || pub == skip[w])
				continue;
			for (int page = 0; page < tlb_pages[w]; page++) {
				uint64_t g0, g1, v, want;
				volatile uint64_t *q;

				rnd = mix64(rnd);
				q = (volatile uint64_t *)(base + page * 4096UL) + rnd % WORDS_PER_PAGE;
				g0 = atomic_load(&tlb_gen[w]);
				if (!tlb_probe(q, &v)) {
					faults++;
					skip[w] = pub;
					continue;
				}
				__asm__ volatile("" ::: "memory");
				g1 = atomic_load(&tlb_gen[w]);
				reads++;
				if (v == 0) {
					zero++;
					continue;
				}
				want = tlb_word(w, page, 0);
				if ((v >> 32) == (want >> 32) && (v & 0xffffffff) >= (g0 & 0xffffffff) &&
				    (v & 0xffffffff) <= (g1 & 0xffffffff))
					continue;
				fail_once("reader %d: %p (writer %d's page %d) held %#lx while the writer "
				    "was at generation %lu..%lu (want 0 or %#lx+gen): a freed page "
				    "through a stale TLB entry?", r, (void *)q, w, page, v, g0, g1, want);
				atomic_store(&tlb_stop, 1);
			}
		}
	}
	atomic_fetch_add(&tlb_reads, reads);
	atomic_fetch_add(&tlb_faults, faults);
	atomic_fetch_add(&tlb_zero, zero);
	return 0;
}

static int
t_tlb(void)
{
	pthread_t wt[TLB_WRITERS], rt[MAXT];
	intptr_t wid[TLB_WRITERS], rid[MAXT];
	struct sigaction sa;
	uint64_t t0 = now_ns();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tlb_segv;
	sa.sa_flags = SA_NODEFER;	/* siglongjmp out: SIGSEGV must stay unblocked */
	sigaction(SIGSEGV, &sa, 0);
	for (int i = 0; i < MAXT; i++)
		rid[i] = i;
	for (int i = 0; i < TLB_WRITERS; i++)
		wid[i] = i;
	set_stage("tlb: %d readers, %d writers x %ld mmap/fill/munmap", nwork, TLB_WRITERS,
	    TLB_ROUNDS * scale);
	if (!start_threads(rt, nwork, tlb_reader, rid, sizeof(rid[0])))
		return 0;
	if (!start_threads(wt, TLB_WRITERS, tlb_writer, wid, sizeof(wid[0]))) {
		atomic_store(&tlb_stop, 1);
		return 0;
	}
	join_threads(wt, TLB_WRITERS);
	atomic_store(&tlb_stop, 1);
	join_threads(rt, nwork);
	say("# tlb: %ld reads (%ld of 0, %ld SIGSEGV), generations %lu %lu %lu %lu, %lu ms\n",
	    atomic_load(&tlb_reads), atomic_load(&tlb_zero), atomic_load(&tlb_faults),
	    atomic_load(&tlb_gen[0]), atomic_load(&tlb_gen[1]), atomic_load(&tlb_gen[2]),
	    atomic_load(&tlb_gen[3]), (now_ns() - t0) / 1000000);
	if (failed_once)
		return 0;
	CHECK(atomic_load(&tlb_reads) > 0, "the readers never read a published region");
	return 1;
}

/* ------------------------------------------------------------------ */
/* forkexec: every worker forks, execs and waits, and forks, exits and waits. */
static void *
forkexec_worker(void *arg)
{
	long id = *(long *)arg, n = 30 * scale;

	for (long i = 0; i < n && !failed_once; i++) {
		int st;
		pid_t pid = fork();

		if (pid == 0) {
			char *argv[] = { self_path, "--child", 0 };

			execv(self_path, argv);
			_exit(127);
		}
		if (pid < 0) {
			fail_once("worker %ld, round %ld: fork: %s", id, i, strerror(errno));
			break;
		}
		if (wait_pid(pid, &st) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 7) {
			fail_once("worker %ld, round %ld: exec'd %s --child: %s, want exit 7",
			    id, i, self_path, status_str(st));
			break;
		}
		pid = fork();
		if (pid == 0)
			_exit(id & 0x7f);
		if (pid < 0) {
			fail_once("worker %ld, round %ld: fork: %s", id, i, strerror(errno));
			break;
		}
		if (wait_pid(pid, &st) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != (id & 0x7f)) {
			fail_once("worker %ld, round %ld: forked child: %s, want exit %ld",
			    id, i, status_str(st), id & 0x7f);
			break;
		}
	}
	return 0;
}

static int
t_forkexec(void)
{
	pthread_t t[MAXT];
	long id[MAXT];
	uint64_t t0 = now_ns();
	long n = 30 * scale;

	for (int i = 0; i < MAXT; i++)
		id[i] = i + 1;
	set_stage("forkexec: %d threads x %ld fork+exec+wait and fork+exit+wait", nwork, n);
	if (!start_threads(t, nwork, forkexec_worker, id, sizeof(id[0])))
		return 0;
	join_threads(t, nwork);
	say("# forkexec: %d threads x %ld rounds, %lu ms\n", nwork, n, (now_ns() - t0) / 1000000);
	return !failed_once;
}

/* ------------------------------------------------------------------ */
/*
 * pipes: nwork writer/reader process pairs, 4 MiB each in chunks of
 * random sizes; the reader checks every byte against the same generator
 * (byte k of stream s is a byte of mix64(s, k / 8)) and the count.
 */
#define PIPE_CHUNK	65536

static void
stream_fill(uint64_t seed, uint64_t off, unsigned char *buf, size_t n)
{
	uint64_t w = mix64(seed ^ (off / 8));

	for (size_t i = 0; i < n; i++, off++) {
		if (off % 8 == 0)
			w = mix64(seed ^ (off / 8));
		buf[i] = w >> (off % 8 * 8);
	}
}

static void
pipe_child_fail(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write_all(result_fd, buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
	_exit(1);
}

static void
pipe_writer(int fd, uint64_t seed, uint64_t total)
{
	static unsigned char buf[PIPE_CHUNK];
	uint64_t off = 0, rnd = seed;

	while (off < total) {
		size_t n;
		ssize_t w;

		rnd = mix64(rnd);
		n = 1 + rnd % PIPE_CHUNK;
		if (n > total - off)
			n = total - off;
		stream_fill(seed, off, buf, n);
		for (size_t done = 0; done < n; done += w) {
			w = write(fd, buf + done, n - done);
			if (w <= 0)
				pipe_child_fail("stream %lu: write at %lu: %s; ", seed, off + done,
				    w < 0 ? strerror(errno) : "0");
		}
		off += n;
	}
	_exit(0);
}

static void
pipe_reader(int fd, uint64_t seed, uint64_t total)
{
	static unsigned char buf[PIPE_CHUNK], want[PIPE_CHUNK];
	uint64_t off = 0, rnd = ~seed;

	for (;;) {
		ssize_t r;

		rnd = mix64(rnd);
		r = read(fd, buf, 1 + rnd % PIPE_CHUNK);
		if (r < 0)
			pipe_child_fail("stream %lu: read at %lu: %s; ", seed, off, strerror(errno));
		if (r == 0)
			break;
		if (off + r > total)
			pipe_child_fail("stream %lu: %lu bytes, more than the %lu written; ",
			    seed, off + r, total);
		stream_fill(seed, off, want, r);
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] != want[i])
				pipe_child_fail("stream %lu: byte %lu is %#x, want %#x; ",
				    seed, off + i, buf[i], want[i]);
		off += r;
	}
	if (off != total)
		pipe_child_fail("stream %lu: EOF after %lu of %lu bytes; ", seed, off, total);
	_exit(0);
}

static int
t_pipes(void)
{
	pid_t pid[2 * MAXT];
	uint64_t total = (4ULL << 20) * scale, t0 = now_ns();
	int bad = 0;

	set_stage("pipes: %d pairs x %lu MiB", nwork, total >> 20);
	for (int i = 0; i < nwork; i++) {
		int fd[2];

		CHECK(pipe(fd) == 0, "pipe: %s", strerror(errno));
		for (int side = 0; side < 2; side++) {
			pid_t p = fork();

			if (p == 0) {
				close(fd[side]);	/* the writer's read end, the reader's write end */
				if (side == 0)
					pipe_writer(fd[1], i + 1, total);
				pipe_reader(fd[0], i + 1, total);
			}
			CHECK(p > 0, "fork: %s", strerror(errno));
			pid[2 * i + side] = p;
		}
		close(fd[0]);
		close(fd[1]);
	}
	for (int i = 0; i < 2 * nwork; i++) {
		int st;

		if (wait_pid(pid[i], &st) != pid[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			if (!bad)
				snprintf(detail, sizeof(detail), "pair %d's %s: %s", i / 2 + 1,
				    i % 2 ? "reader" : "writer", status_str(st));
			bad = 1;
		}
	}
	say("# pipes: %d pairs x %lu MiB, %lu ms\n", nwork, total >> 20, (now_ns() - t0) / 1000000);
	return !bad;
}

/* ------------------------------------------------------------------ */
/*
 * futex: two threads hand a turn word back and forth with raw FUTEX_WAIT
 * and FUTEX_WAKE; whoever holds the turn checks that the count is what
 * strict alternation makes it.  One pair, then several at once (private
 * and shared futexes alternately).
 */
struct pingpong {
	_Alignas(64) atomic_int turn;
	long count;		/* only the turn holder touches it */
	long rounds;
	int op_flags;
	int side;		/* of the thread given this copy */
	struct pingpong *pp;
};

static long
sys_futex(atomic_int *uaddr, int op, int val)
{
	long r = syscall(SYS_futex, uaddr, op, val, 0, 0, 0);

	return r < 0 ? -errno : r;
}

static void *
pingpong_side(void *arg)
{
	struct pingpong *me = arg, *pp = me->pp;
	int s = me->side;

	for (long i = 0; i < pp->rounds && !failed_once; i++) {
		int v;
		long r;

		while ((v = atomic_load(&pp->turn)) != s) {
			r = sys_futex(&pp->turn, FUTEX_WAIT | pp->op_flags, v);
			if (r != 0 && r != -EAGAIN && r != -EINTR) {
				fail_once("side %d, round %ld: FUTEX_WAIT: %ld", s, i, r);
				return 0;
			}
			if (failed_once)
				return 0;
		}
		if (pp->count != 2 * i + s) {
			fail_once("side %d, round %ld: count %ld, want %ld: the alternation broke",
			    s, i, pp->count, 2 * i + s);
			atomic_store(&pp->turn, !s);
			sys_futex(&pp->turn, FUTEX_WAKE | pp->op_flags, 1);
			return 0;
		}
		pp->count++;
		atomic_store(&pp->turn, !s);
		r = sys_futex(&pp->turn, FUTEX_WAKE | pp->op_flags, 1);
		if (r < 0 || r > 1) {
			fail_once("side %d, round %ld: FUTEX_WAKE of 1 returned %ld", s, i, r);
			return 0;
		}
	}
	return 0;
}

static int
pingpong_run(int npairs, long rounds)
{
	static struct pingpong pp[MAXT], arg[2 * MAXT];
	pthread_t t[2 * MAXT];

	for (int i = 0; i < npairs; i++) {
		atomic_store(&pp[i].turn, 0);
		pp[i].count = 0;
		pp[i].rounds = rounds;
		pp[i].op_flags = i % 2 ? 0 : FUTEX_PRIVATE_FLAG;
		for (int s = 0; s < 2; s++) {
			arg[2 * i + s].side = s;
			arg[2 * i + s].pp = &pp[i];
		}
	}
	if (!start_threads(t, 2 * npairs, pingpong_side, arg, sizeof(arg[0])))
		return 0;
	join_threads(t, 2 * npairs);
	if (failed_once)
		return 0;
	for (int i = 0; i < npairs; i++)
		CHECK(pp[i].count == 2 * rounds, "pair %d: count %ld after %ld rounds, want %ld",
		    i, pp[i].count, rounds, 2 * rounds);
	return 1;
}

static int
t_futex(void)
{
	int npairs = ncpu / 2 < 2 ? 2 : ncpu / 2;
	long rounds = 10000 * scale;
	uint64_t t0 = now_ns(), t1;

	set_stage("futex: 1 pair x %ld rounds", rounds);
	if (!pingpong_run(1, rounds))
		return 0;
	t1 = now_ns();
	set_stage("futex: %d pairs x %ld rounds", npairs, rounds / 2);
	if (!pingpong_run(npairs, rounds / 2))
		return 0;
	say("# futex: 1 pair x %ld rounds %lu ms, %d pairs x %ld rounds %lu ms\n", rounds,
	    (t1 - t0) / 1000000, npairs, rounds / 2, (now_ns() - t1) / 1000000);
	return 1;
}

/* ------------------------------------------------------------------ */
/*
 * signals: threads spin in user space without a system call; another
 * thread sends each one SIGUSR1 with tgkill, round after round, and waits
 * (with a deadline) for every handler to have run on its own thread
 * before sending the next round, so that no two signals merge.
 */
static atomic_long sig_got[MAXT];
static atomic_long sig_spins[MAXT];
static pid_t sig_tid[MAXT];
static atomic_int sig_ready, sig_stop;
static __thread int sig_idx = -1;
static atomic_int sig_stray;

static void
sig_handler(int sig)
{
	(void)sig;
	if (sig_idx < 0)
		atomic_fetch_add(&sig_stray, 1);
	else
		atomic_fetch_add(&sig_got[sig_idx], 1);
}

static void *
sig_spinner(void *arg)
{
	int i = *(int *)arg;

	sig_idx = i;
	sig_tid[i] = (pid_t)syscall(SYS_gettid);
	atomic_fetch_add(&sig_ready, 1);
	while (!atomic_load_explicit(&sig_stop, memory_order_relaxed))
		atomic_fetch_add_explicit(&sig_spins[i], 1, memory_order_relaxed);
	return 0;
}

static int
t_signals(void)
{
	pthread_t t[MAXT];
	int idx[MAXT], ok = 1;
	long rounds = 100 * scale, k;
	struct sigaction sa;
	uint64_t t0 = now_ns(), worst = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_handler;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, 0);
	for (int i = 0; i < MAXT; i++)
		idx[i] = i;
	set_stage("signals: starting %d spinners", nwork);
	if (!start_threads(t, nwork, sig_spinner, idx, sizeof(idx[0])))
		return 0;
	while (atomic_load(&sig_ready) < nwork)
		sched_yield();
	for (k = 1; k <= rounds && ok; k++) {
		for (int i = 0; i < nwork; i++) {
			if (syscall(SYS_tgkill, getpid(), sig_tid[i], SIGUSR1) != 0) {
				snprintf(detail, sizeof(detail), "tgkill(%d, %d, SIGUSR1): %s", getpid(),
				    sig_tid[i], strerror(errno));
				ok = 0;
				break;
			}
		}
		for (int i = 0; i < nwork && ok; i++) {
			uint64_t s = now_ns(), d;

			set_stage("signals: round %ld, waiting for thread %d's handler", k, i);
			while (atomic_load(&sig_got[i]) < k && now_ns() - s < 5000000000ULL)
				sched_yield();
			d = now_ns() - s;
			worst = d > worst ? d : worst;
			if (atomic_load(&sig_got[i]) != k) {
				snprintf(detail, sizeof(detail), "round %ld: thread %d (tid %d) handled %ld "
				    "signals after 5 s, want %ld (%ld spins; %d strays)", k, i, sig_tid[i],
				    atomic_load(&sig_got[i]), k, atomic_load(&sig_spins[i]),
				    atomic_load(&sig_stray));
				ok = 0;
			}
		}
	}
	atomic_store(&sig_stop, 1);
	join_threads(t, nwork);
	if (!ok)
		return 0;
	say("# signals: %d spinning threads x %ld tgkill, longest wait %lu us, %lu ms\n", nwork,
	    rounds, worst / 1000, (now_ns() - t0) / 1000000);
	CHECK(atomic_load(&sig_stray) == 0, "%d handlers ran on the sending thread",
	    atomic_load(&sig_stray));
	for (int i = 0; i < nwork; i++)
		CHECK(atomic_load(&sig_got[i]) == rounds, "thread %d handled %ld signals, want %ld",
		    i, atomic_load(&sig_got[i]), rounds);
	return 1;
}

/* ------------------------------------------------------------------ */
/*
 * affinity: each online CPU in turn is the only one allowed, and
 * sched_getcpu() and the raw getcpu(2) must name it, sched_getaffinity
 * must return just it; a mask of no online CPU is EINVAL; threads pinned
 * to different CPUs must all make progress together.
 */
struct pinned {
	int idx, cpu;
};
static atomic_long pin_count[MAXT];
static atomic_int pin_done;
static int pin_n;
static pthread_barrier_t pin_barrier;

static void *
pin_worker(void *arg)
{
	struct pinned *me = arg;
	cpu_set_t set;
	long seen0[MAXT];
	int seen_all = 0, c;
	uint64_t deadline;

	CPU_ZERO(&set);
	CPU_SET(me->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		fail_once("thread %d: sched_setaffinity({%d}): %s", me->idx, me->cpu,
		    strerror(errno));
	else if ((c = sched_getcpu()) != me->cpu)
		fail_once("thread %d pinned to CPU %d: sched_getcpu() = %d (%s)", me->idx, me->cpu,
		    c, c < 0 ? strerror(errno) : "");
	pthread_barrier_wait(&pin_barrier);
	for (int i = 0; i < pin_n; i++)
		seen0[i] = atomic_load(&pin_count[i]);
	deadline = now_ns() + 10000000000ULL;
	for (long spins = 1; atomic_load(&pin_done) < pin_n; spins++) {
		atomic_fetch_add_explicit(&pin_count[me->idx], 1, memory_order_relaxed);
		if (spins % 1024)
			continue;
		if (!seen_all) {
			int all = 1;

			for (int i = 0; i < pin_n; i++)
				if (atomic_load(&pin_count[i]) == seen0[i])
					all = 0;
			if (all) {
				seen_all = 1;
				atomic_fetch_add(&pin_done, 1);
			}
		}
		if (spins % (64 * 1024) == 0 && now_ns() > deadline) {
			fail_once("thread %d on CPU %d: %s after 10 s", me->idx, me->cpu,
			    seen_all ? "others never saw it move" : "not every other thread moved");
			atomic_store(&pin_done, pin_n);
		}
	}
	return 0;
}

/* Lines of path starting with prefix followed by a digit (or any char if !digit). */
static int
count_lines(const char *path, const char *prefix, int digit)
{
	char line[512];
	size_t k = strlen(prefix);
	int n = 0;
	FILE *f = fopen(path, "r");

	if (f == 0)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, prefix, k) == 0 && (!digit || (line[k] >= '0' && line[k] <= '9')))
			n++;
	fclose(f);
	return n;
}

/*
 * /proc/interrupts' LOC row (local timer interrupts), by CPU number: the
 * header names each column's CPU.  The number of columns, or -1.
 */
static int
loc_counts(unsigned long *loc, int max)
{
	char line[1024], *p, *e;
	int col[64], ncol = 0, n = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	if (f == 0)
		return -1;
	if (fgets(line, sizeof(line), f))
		for (p = line; (p = strstr(p, "CPU")) != 0 && ncol < 64; p += 3)
			col[ncol++] = atoi(p + 3);
	while (fgets(line, sizeof(line), f)) {
		for (p = line; *p == ' '; p++)
			;
		if (strncmp(p, "LOC:", 4) != 0)
			continue;
		p += 4;
		for (n = 0; n < ncol; n++) {
			unsigned long v = strtoul(p, &e, 10);

			if (e == p || col[n] < 0 || col[n] >= max)
				break;
			loc[col[n]] = v;
			p = e;
		}
		break;
	}
	fclose(f);
	return n == ncol ? ncol : -1;
}

/* Field 39 of /proc/thread-self/stat: the CPU the thread last ran on (ps's PSR). */
static int
stat_processor(void)
{
	char buf[1024], *p;
	int field = 2, cpu = -1;
	FILE *f = fopen("/proc/thread-self/stat", "r");

	if (f == 0)
		return -1;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) != 0) {
		for (p++; *p && field < 39; p++)
			if (*p == ' ')
				field++;
		if (field == 39)
			cpu = atoi(p);
	}
	fclose(f);
	return cpu;
}

static int
t_affinity(void)
{
	cpu_set_t orig, set, got;
	unsigned long loc0[64] = { 0 }, loc1[64] = { 0 };
	int cpus[MAXT], n = 0, r;
	pthread_t t[MAXT];
	struct pinned arg[MAXT];

	set_stage("affinity: one CPU at a time");
	CHECK(sched_getaffinity(0, sizeof(orig), &orig) == 0, "sched_getaffinity: %s",
	    strerror(errno));
	for (int i = 0; i < CPU_SETSIZE && n < MAXT; i++)
		if (CPU_ISSET(i, &orig))
			cpus[n++] = i;
	CHECK(n == ncpu, "sched_getaffinity has %d CPUs, sysconf(_SC_NPROCESSORS_ONLN) %d", n, ncpu);
	r = count_lines("/proc/cpuinfo", "processor\t:", 0);
	CHECK(r == ncpu, "/proc/cpuinfo has %d processor entries, %d CPUs online", r, ncpu);
	r = count_lines("/proc/stat", "cpu", 1);
	CHECK(r == ncpu, "/proc/stat has %d cpuN lines, %d CPUs online", r, ncpu);
	r = loc_counts(loc0, 64);
	CHECK(r == ncpu, "/proc/interrupts: %d CPU columns with a LOC row, %d CPUs online", r,
	    ncpu);
	for (int k = 0; k < n; k++) {
		unsigned cpu = ~0u, node = ~0u;
		struct timespec t0, t1;
		int c;

		CPU_ZERO(&set);
		CPU_SET(cpus[k], &set);
		CHECK(sched_setaffinity(0, sizeof(set), &set) == 0, "sched_setaffinity({%d}): %s",
		    cpus[k], strerror(errno));
		c = sched_getcpu();
		CHECK(c == cpus[k], "pinned to CPU %d, sched_getcpu() = %d (%s)", cpus[k], c,
		    c < 0 ? strerror(errno) : "");
		r = syscall(SYS_getcpu, &cpu, &node, 0);
		CHECK(r == 0 && cpu == (unsigned)cpus[k], "pinned to CPU %d, getcpu(2) = %d (%s), "
		    "cpu %u", cpus[k], r, r < 0 ? strerror(errno) : "", cpu);
		c = stat_processor();
		CHECK(c == cpus[k], "pinned to CPU %d, /proc/thread-self/stat field 39 = %d",
		    cpus[k], c);
		CHECK(sched_getaffinity(0, sizeof(got), &got) == 0 && CPU_EQUAL(&got, &set),
		    "pinned to CPU %d, sched_getaffinity gives %d CPUs%s", cpus[k], CPU_COUNT(&got),
		    CPU_ISSET(cpus[k], &got) ? " (with it)" : " (not it)");
		/* 50 ms busy on it: its timer ticks (HZ 100 here, 250 on Debian's Linux). */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &t1);
		while ((t1.tv_sec - t0.tv_sec) * 1000000000L + t1.tv_nsec - t0.tv_nsec < 50000000L);
		CHECK(loc_counts(loc1, 64) == ncpu && loc1[cpus[k]] > loc0[cpus[k]],
		    "/proc/interrupts: CPU %d's LOC went from %lu to %lu over 50 ms busy on it",
		    cpus[k], loc0[cpus[k]], loc1[cpus[k]]);
	}
	CHECK(sched_setaffinity(0, sizeof(orig), &orig) == 0, "restoring the mask: %s",
	    strerror(errno));

	CPU_ZERO(&set);
	errno = 0;
	CHECK(sched_setaffinity(0, sizeof(set), &set) == -1 && errno == EINVAL,
	    "sched_setaffinity(empty mask): %s, want EINVAL", errno ? strerror(errno) : "0");
	CPU_ZERO(&set);
	CPU_SET(CPU_SETSIZE - 1, &set);
	errno = 0;
	CHECK(sched_setaffinity(0, sizeof(set), &set) == -1 && errno == EINVAL,
	    "sched_setaffinity({%d}): %s, want EINVAL", CPU_SETSIZE - 1,
	    errno ? strerror(errno) : "0");
	CHECK(sched_getaffinity(0, sizeof(got), &got) == 0 && CPU_EQUAL(&got, &orig),
	    "a refused mask changed the affinity");

	set_stage("affinity: %d pinned threads making progress", nwork);
	pin_n = nwork;
	pthread_barrier_init(&pin_barrier, 0, nwork);
	for (int i = 0; i < nwork; i++) {
		arg[i].idx = i;
		arg[i].cpu = cpus[i % n];
	}
	if (!start_threads(t, nwork, pin_worker, arg, sizeof(arg[0])))
		return 0;
	join_threads(t, nwork);
	if (failed_once)
		return 0;
	say("# affinity: %d CPUs one by one; %d pinned threads all moved\n", n, nwork);
	return 1;
}

/* ------------------------------------------------------------------ */
/*
 * parallel: nwork threads each do the same fixed CPU work; with two
 * CPUs or more the process's CPU time must exceed the wall time (they
 * really ran at once), and never exceed ncpu times it.
 */
static void *
parallel_worker(void *arg)
{
	uint64_t x = (uintptr_t)arg, n = 100000000ULL * scale;

	for (uint64_t i = 0; i < n; i++)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	*(volatile uint64_t *)arg = x;
	return 0;
}

static int
t_parallel(void)
{
	pthread_t t[MAXT];
	uint64_t sink[MAXT], w0, c0, wall, cpu;
	double ratio;

	set_stage("parallel: %d threads of CPU work", nwork);
	w0 = now_ns();
	c0 = cpu_ns();
	if (!start_threads(t, nwork, parallel_worker, sink, sizeof(sink[0])))
		return 0;
	join_threads(t, nwork);
	cpu = cpu_ns() - c0;
	wall = now_ns() - w0;
	ratio = (double)cpu / (double)(wall ? wall : 1);
	say("# parallel: %d threads on %d CPUs: CPU time %lu ms, wall %lu ms, ratio %.2f\n",
	    nwork, ncpu, cpu / 1000000, wall / 1000000, ratio);
	if (ncpu >= 2)
		CHECK(ratio > 1.0, "CPU time %lu ms in %lu ms wall on %d CPUs: the threads did not "
		    "run at once", cpu / 1000000, wall / 1000000, ncpu);
	CHECK(ratio < ncpu + 0.25, "CPU time %lu ms in %lu ms wall: more than %d CPUs give",
	    cpu / 1000000, wall / 1000000, ncpu);
	return 1;
}

/* ------------------------------------------------------------------ */
/*
 * cow: copy-on-write breaks of the same frames in several address spaces
 * at once.  Worker i owns slice i of one buffer: it rewrites the slice
 * with a new generation, forks, and its child checks that it sees that
 * generation in slice i, then writes every slice of its copy and reads
 * its writes back, while the parent's other workers rewrite theirs.  So
 * a frame shared after a fork is copied away from, on different CPUs at
 * once, by the parent's threads and by several children (keel resolves
 * those faults without its kernel lock: the share counts must be exact),
 * and a thread's fault races the fork of another thread of its process.
 */
#define COW_PAGES	16	/* per worker */

static uint64_t *cow_buf;

static uint64_t
cow_word(int slice, int page, uint64_t gen)
{
	return mix64((uint64_t)slice << 48 ^ (uint64_t)page << 32 ^ gen);
}

static void
cow_fill(int slice, uint64_t gen, uint64_t *base)
{
	for (int p = 0; p < COW_PAGES; p++) {
		uint64_t *q = base + ((size_t)slice * COW_PAGES + p) * WORDS_PER_PAGE;

		for (int w = 0; w < WORDS_PER_PAGE; w += 64)
			q[w] = cow_word(slice, p, gen) + w;
	}
}

/* The first page and word where slice of base does not hold gen, or -1. */
static int
cow_check(int slice, uint64_t gen, const uint64_t *base)
{
	for (int p = 0; p < COW_PAGES; p++) {
		const uint64_t *q = base + ((size_t)slice * COW_PAGES + p) * WORDS_PER_PAGE;

		for (int w = 0; w < WORDS_PER_PAGE; w += 64)
			if (q[w] != cow_word(slice, p, gen) + w)
				return p;
	}
	return -1;
}

static void *
cow_worker(void *arg)
{
	long id = *(long *)arg, n = 20 * scale;

	for (long g = 1; g <= n && !failed_once; g++) {
		int st, bad;
		pid_t pid;

		cow_fill(id, g, cow_buf);
		pid = fork();
		if (pid == 0) {
			if (cow_check(id, g, cow_buf) >= 0)
				_exit(1);
			for (int s = 0; s < nwork; s++)
				cow_fill(s, 1000000 + g, cow_buf);
			for (int s = 0; s < nwork; s++)
				if (cow_check(s, 1000000 + g, cow_buf) >= 0)
					_exit(2);
			_exit(0);
		}
		if (pid < 0) {
			fail_once("worker %ld, generation %ld: fork: %s", id, g, strerror(errno));
			break;
		}
		if (wait_pid(pid, &st) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fail_once("worker %ld, generation %ld: the child %s (1: its slice was not "
			    "the generation forked, 2: its own writes did not read back)", id, g,
			    status_str(st));
			break;
		}
		if ((bad = cow_check(id, g, cow_buf)) >= 0) {
			fail_once("worker %ld, generation %ld: page %d of its slice changed under it "
			    "(a child's write reached the parent)", id, g, bad);
			break;
		}
	}
	return 0;
}

static int
t_cow(void)
{
	pthread_t t[MAXT];
	long id[MAXT];
	uint64_t t0 = now_ns();
	size_t len = (size_t)nwork * COW_PAGES * 4096;

	cow_buf = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(cow_buf != MAP_FAILED, "mmap of %zu bytes: %s", len, strerror(errno));
	for (int i = 0; i < MAXT; i++)
		id[i] = i;
	set_stage("cow: %d threads x %ld generations, each forking", nwork, 20 * scale);
	if (!start_threads(t, nwork, cow_worker, id, sizeof(id[0])))
		return 0;
	join_threads(t, nwork);
	munmap(cow_buf, len);
	say("# cow: %d threads x %ld generations, %lu ms\n", nwork, 20 * scale,
	    (now_ns() - t0) / 1000000);
	return !failed_once;
}

/* ------------------------------------------------------------------ */
/*
 * ptables: page tables made and freed on every CPU at once.  Each worker
 * process forks, round after round, a child that maps 128 MiB and writes
 * one page in every 2 MiB of it (so each write needs a new last-level
 * table), checks every page it wrote, and exits, giving the tables back.
 * keel makes tables in its page faults without the kernel lock while
 * other CPUs' exits free theirs into the same cache: a table handed to
 * two address spaces shows as a page holding another process's words, a
 * frame mapped twice, or a share count the kernel finds wrong.
 */
#define PT_SPAN		(128UL << 20)
#define PT_STRIDE	(2UL << 20)

static int
ptables_child(long worker, long round)
{
	uint64_t tag = mix64((uint64_t)getpid() << 32 ^ (uint64_t)worker << 16 ^ round);
	char *m = mmap(0, PT_SPAN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return 1;
	for (unsigned long off = 0; off < PT_SPAN; off += PT_STRIDE)
		for (int w = 0; w < WORDS_PER_PAGE; w += 64)
			((uint64_t *)(m + off))[w] = tag + off + w;
	for (unsigned long off = 0; off < PT_SPAN; off += PT_STRIDE)
		for (int w = 0; w < WORDS_PER_PAGE; w += 64)
			if (((uint64_t *)(m + off))[w] != tag + off + w)
				return 2;
	return 0;
}

static int
t_ptables(void)
{
	pid_t pid[MAXT];
	long rounds = 150 * scale;
	uint64_t t0 = now_ns();
	int bad = 0;

	set_stage("ptables: %d processes x %ld children", nwork, rounds);
	for (int i = 0; i < nwork; i++) {
		pid_t p = fork();

		if (p == 0) {
			for (long r = 0; r < rounds; r++) {
				int st;
				pid_t c = fork();

				if (c == 0)
					_exit(ptables_child(i, r));
				if (c < 0 || wait_pid(c, &st) != c)
					_exit(10);
				if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
					_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 20);
			}
			_exit(0);
		}
		CHECK(p > 0, "fork: %s", strerror(errno));
		pid[i] = p;
	}
	for (int i = 0; i < nwork; i++) {
		int st;

		if (wait_pid(pid[i], &st) != pid[i] || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			if (!bad)
				snprintf(detail, sizeof(detail), "worker %d: %s (1: mmap failed, "
				    "2: a page did not hold what its process wrote, 10: fork or "
				    "wait failed, 20: a child died)", i, status_str(st));
			bad = 1;
		}
	}
	say("# ptables: %d processes x %ld children x %lu tables, %lu ms\n", nwork, rounds,
	    PT_SPAN / PT_STRIDE, (now_ns() - t0) / 1000000);
	return !bad;
}

/* ------------------------------------------------------------------ */
struct scase {
	const char *name;
	const char *what;
	int (*fn)(void);
	int limit;		/* seconds at scale 1 */
};

static const struct scase cases[] = {
	{ "tlb", "mmap/fill/munmap at one address while other threads read it", t_tlb, 120 },
	{ "forkexec", "fork+exec+wait and fork+exit+wait from every CPU", t_forkexec, 120 },
	{ "cow", "copy-on-write breaks of shared frames in parent and children at once",
	  t_cow, 120 },
	{ "ptables", "page tables made in faults and freed by exits on every CPU at once",
	  t_ptables, 120 },
	{ "pipes", "4 MiB through a pipe per pair of processes, every byte checked", t_pipes, 120 },
	{ "futex", "FUTEX_WAIT/WAKE ping-pong, one pair then several", t_futex, 120 },
	{ "signals", "tgkill(SIGUSR1) to threads spinning in user space", t_signals, 120 },
	{ "affinity", "sched_setaffinity, sched_getcpu, getcpu(2), /proc/interrupts, pinned threads", t_affinity, 60 },
	{ "parallel", "threads' CPU time exceeds the wall time", t_parallel, 120 },
};
#define NCASES	((int)(sizeof(cases) / sizeof(cases[0])))

static void
on_alarm(int sig)
{
	static const char msg[] = "timed out in: ";

	(void)sig;
	write_all(result_fd, msg, sizeof(msg) - 1);
	write_all(result_fd, stage, strnlen(stage, sizeof(stage)));
	_exit(3);
}

/* MemFree of /proc/meminfo in kB, or -1. */
static long
mem_free_kb(void)
{
	char buf[4096], *p;
	int fd = open("/proc/meminfo", O_RDONLY), n = 0, r;

	if (fd < 0)
		return -1;
	while (n < (int)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	p = strstr(buf, "MemFree:");
	return p ? strtol(p + 8, 0, 10) : -1;
}

/*
 * Run one case in a child, its own process group, under an alarm; the
 * verdict, with why in detail.  Everything left of the group is killed
 * and reaped (as init, orphans are ours).
 */
static int
run_case(const struct scase *c)
{
	int fd[2], st = 0, n;
	pid_t pid;
	uint64_t t0;

	detail[0] = 0;
	if (pipe2(fd, O_CLOEXEC) != 0) {
		snprintf(detail, sizeof(detail), "pipe2: %s", strerror(errno));
		return 0;
	}
	pid = fork();
	if (pid == 0) {
		int ok;

		setpgid(0, 0);
		close(fd[0]);
		result_fd = fd[1];
		signal(SIGALRM, on_alarm);
		alarm(c->limit * scale);
		ok = c->fn();
		if (!ok)
			write_all(result_fd, detail, strlen(detail));
		_exit(ok ? 0 : 1);
	}
	close(fd[1]);
	if (pid < 0) {
		close(fd[0]);
		snprintf(detail, sizeof(detail), "fork: %s", strerror(errno));
		return 0;
	}
	setpgid(pid, pid);
	wait_pid(pid, &st);
	kill(-pid, SIGKILL);
	for (t0 = now_ns(); now_ns() - t0 < 5000000000ULL;) {
		pid_t r = waitpid(-1, 0, WNOHANG);

		if (r < 0)
			break;
		if (r == 0)
			usleep(10000);
	}
	fcntl(fd[0], F_SETFL, O_NONBLOCK);
	n = read(fd[0], detail, sizeof(detail) - 1);
	detail[n > 0 ? n : 0] = 0;
	close(fd[0]);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 1;
	if (detail[0] == 0)
		snprintf(detail, sizeof(detail), "the case's process: %s", status_str(st));
	else if (!WIFEXITED(st) || WEXITSTATUS(st) > 3) {
		size_t len = strlen(detail);

		snprintf(detail + len, sizeof(detail) - len, " (%s)", status_str(st));
	}
	return 0;
}

static int
starts(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

/* Does case i run, given the words of argv (prefixes; -n N taken out)? */
static int
chosen(int i, int nword, char **word)
{
	int any = 0;

	for (int w = 0; w < nword; w++) {
		int names = 0;

		for (int k = 0; k < NCASES; k++)
			names |= starts(cases[k].name, word[w]);
		if (!names)
			continue;
		any = 1;
		if (starts(cases[i].name, word[w]))
			return 1;
	}
	return !any;
}

/* As init under Linux nothing has mounted /proc: meminfo needs it. */
static void
want_proc(void)
{
	if (access("/proc/meminfo", R_OK) != 0) {
		mkdir("/proc", 0555);
		mount("proc", "/proc", "proc", 0, 0);
	}
}

int
main(int argc, char **argv)
{
	char *word[64];
	int nword = 0, ntests = 0, num = 0, passed = 0, failed = 0, memok = 1;
	char membad[160] = "";
	struct utsname u;
	ssize_t len;

	if (argc > 1 && strcmp(argv[1], "--child") == 0)
		_exit(7);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			scale = strtol(argv[++i], 0, 10);
			if (scale < 1)
				scale = 1;
		} else if (nword < 64) {
			word[nword++] = argv[i];
		}
	}
	want_proc();
	len = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (len > 0)
		self_path[len] = 0;
	else
		snprintf(self_path, sizeof(self_path), "%s", argv[0]);
	uname(&u);
	on_keel = strcmp(u.sysname, "keel") == 0;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		ncpu = 1;
	nwork = ncpu < 2 ? 2 : ncpu > MAXT ? MAXT : ncpu;

	for (int i = 0; i < NCASES; i++)
		ntests += chosen(i, nword, word);
	say("1..%d\n", ntests + 1);
	say("# %s on %s %s: %d CPUs online, %d workers, scale %ld\n", PROG, u.sysname, u.release,
	    ncpu, nwork, scale);
	for (int i = 0; i < NCASES; i++) {
		long before, after;
		uint64_t t0;
		int ok;

		if (!chosen(i, nword, word))
			continue;
		num++;
		before = mem_free_kb();
		t0 = now_ns();
		ok = run_case(&cases[i]);
		after = mem_free_kb();
		say("# %s: %lu ms; MemFree %ld kB before, %ld kB after (%+ld kB)\n", cases[i].name,
		    (now_ns() - t0) / 1000000, before, after, after - before);
		if (before < 0 || after < 0) {
			memok = 0;
			snprintf(membad, sizeof(membad), "no MemFree in /proc/meminfo");
		} else if (on_keel && before - after > MEM_SLACK_KB && memok) {
			memok = 0;
			snprintf(membad, sizeof(membad), "%ld kB less free memory after %s",
			    before - after, cases[i].name);
		}
		if (ok) {
			say("ok %d - %s: %s\n", num, cases[i].name, cases[i].what);
			passed++;
		} else {
			say("not ok %d - %s: %s # %s\n", num, cases[i].name, cases[i].what, detail);
			failed++;
		}
	}
	num++;
	if (memok) {
		say("ok %d - memory: free memory back after each case%s\n", num,
		    on_keel ? "" : " (judged on keel only)");
		passed++;
	} else {
		say("not ok %d - memory: free memory back after each case # %s\n", num, membad);
		failed++;
	}
	say("%s: %d passed, %d failed\n", PROG, passed, failed);
	/* As init under Linux, exit panics at once: let the console send the summary first. */
	tcdrain(1);
	return failed != 0;
}
