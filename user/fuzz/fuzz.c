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
 *		   (for a kernel whose range loops are still per page);
 *		j: one supervisor per CPU the process may run on, all at once,
 *		   each over its share of the call numbers (SMP stress)
 * The first two arguments that are numbers are seed and calls, one made of
 * the flag letters is the flags; others are ignored (Linux passes the boot
 * parameters it does not know to init).
 * Output on fd 1: "fuzz: seed N" first (the run replays from it), a line
 * for each of the first 20 children that died and for every one that died
 * other than by SIGSEGV or got stuck (with the call it got to), a count of
 * restarts by cause, then "fuzz: N calls, M children restarted".  Exit
 * status 0; 1 when the run itself went wrong: fewer calls than asked, or
 * (as init on keel) free memory that did not come back, sysinfo before and
 * after the run.
 *
 * Measured under QEMU's TCG: 100000 calls take about 6 s on Linux and
 * 10 s on keel (with audit=switch), ~150 children dying along the way
 * (most of them in a crafted rt_sigreturn).
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
 * The calls: mostly the ones keel implements, weighted, threads among
 * them (fuzz_thread.c: clone starts threads that wait on a futex a moment
 * and exit, and children with flags drawn at random); some numbers no
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
 * that would block for long; fcntl F_SETLKW and F_OFD_SETLKW (made
 * F_SETLK: the child's own OFD and POSIX locks conflict, and would make it
 * wait forever); handlers for fault signals (a fault would
 * return into itself forever).  Pipes are made non-blocking.  Calls that
 * change the file system get paths under /tmp/fuzz only; other paths are
 * opened read-only, so the programs of the initramfs stay intact.
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

#define DEFAULT_CALLS	100000L
#define BATCH		2048L	/* a multiple of CHECKPOINT */
#define CHECKPOINT	32L
#define STALL_NS	(10 * 1000000000LL)	/* no progress for this long: hung */
/* What free memory may stay allocated after the run (keel's slab caches). */
#define MEM_SLACK	(512L * 1024)

int verbose, capped;
long supervisor_pid;

/* ---- output (raw writes: nothing buffered across fork) ---- */

void
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

/* What a supervisor did: summed over them with j. */
struct tally {
	long done, restarts, hung, children, why[65];
	int bad;
};

/*
 * Make want calls numbered from first on, a child per batch, from this
 * process (the supervisor).  The calls of a group that killed a child
 * are not counted: it goes on past first + want until want were made.
 */
static void
supervise(uint64_t seed, long first, long want, struct tally *t)
{
	long next = first;
	int p[2];

	supervisor_pid = sys_getpid();
	if (sys2(SYS_pipe2, p, O_NONBLOCK) != 0 || sys2(SYS_dup2, p[1], PROGRESS_FD) < 0 ||
	    sys2(SYS_dup2, 1, LOG_FD) < 0) {
		out(1, "fuzz: cannot set up the progress pipe\n");
		sys_exit_group(1);
	}
	sys_close(p[1]);

	while (t->done < want) {
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
			t->bad = 1;
			break;
		}
		t->children++;
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
			t->done += to - next;
			next = to;
			continue;
		}
		t->restarts++;
		t->hung += killed;
		if (killed)
			t->why[0]++;
		else if (WIFSIGNALED(st))
			t->why[WTERMSIG(st) & 63]++;
		else
			t->why[64]++;
		/* Each replays with the seed (and v): the first few, and the odd ones. */
		if (t->restarts <= 20 || killed || !WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV) {
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
		t->done += last - next;
		next = (last / CHECKPOINT + 1) * CHECKPOINT;
		if (t->children > want)	/* nothing gets done any more */
			break;
	}
	sys_close(p[0]);
}

/* The CPUs this process may run on: one supervisor each with j. */
static int
ncpus(void)
{
	uint64_t mask[16] = { 0 };
	long n = sys3(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	int c = 0;

	for (long i = 0; i < n / 8; i++)
		c += __builtin_popcountll(mask[i]);
	return c > 0 ? c : 1;
}

/*
 * j: nsup supervisors at once, each over its share of the call numbers
 * (so the same seed still makes the same calls), each sending its tally
 * back through a pipe.
 */
static void
supervise_parallel(uint64_t seed, long want, int nsup, struct tally *sum)
{
	int p[2], st;

	if (sys2(SYS_pipe2, p, 0) != 0) {
		out(1, "fuzz: cannot make the tally pipe\n");
		sys_exit_group(1);
	}
	for (int k = 0; k < nsup; k++) {
		long share = want / nsup / CHECKPOINT * CHECKPOINT;
		long n = k == nsup - 1 ? want - share * (nsup - 1) : share;
		/* Twice a share apart: one that runs past its share stays off the next's calls. */
		long first = 2 * share * k;
		long pid = sys_fork();

		if (pid == 0) {
			struct tally t = { 0 };

			sys_close(p[0]);
			supervise(seed, first, n, &t);
			sys_write(p[1], &t, sizeof t);
			sys_exit_group(0);
		}
		if (pid < 0) {
			out(1, "fuzz: fork of supervisor %d: error %ld\n", k, -pid);
			sum->bad = 1;
		}
	}
	sys_close(p[1]);
	for (;;) {
		struct tally t;

		if (sys_read(p[0], &t, sizeof t) != sizeof t)
			break;
		sum->done += t.done;
		sum->restarts += t.restarts;
		sum->hung += t.hung;
		sum->children += t.children;
		sum->bad |= t.bad;
		for (int i = 0; i < 65; i++)
			sum->why[i] += t.why[i];
	}
	sys_close(p[0]);
	while (sys_wait4(-1, &st, 0) > 0)
		;
}

int
main(int argc, char **argv)
{
	uint64_t seed = 0;
	int nums = 0, have_seed = 0, parallel = 0, nsup = 1;
	long want = DEFAULT_CALLS;
	long before = -1, after;
	int keel = 0, bad = 0;
	struct tally t = { 0 };
	struct utsname u;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] >= '0' && argv[i][0] <= '9') {
			if (nums++ == 0)
				seed = parse_u64(argv[i]), have_seed = 1;
			else
				want = (long)parse_u64(argv[i]);
		} else if (argv[i][0] && strspn(argv[i], "vcj") == strlen(argv[i])) {
			verbose = strchr(argv[i], 'v') != 0;
			capped = strchr(argv[i], 'c') != 0;
			parallel = strchr(argv[i], 'j') != 0;
		}
	}
	if (!have_seed) {
		struct timespec ts;

		sys2(SYS_clock_gettime, CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_nsec * 1000003u ^ (uint64_t)ts.tv_sec ^ (uint64_t)now_ns();
	}
	if (parallel)
		nsup = ncpus();
	out(1, "fuzz: seed %llu\n", (unsigned long long)seed);
	out(1, "fuzz: %ld calls in batches of %ld%s%s", want, BATCH,
	    capped ? ", memory ranges capped at 1 GiB" : "", verbose ? ", verbose" : "");
	if (parallel)
		out(1, ", %d supervisors at once (one per CPU)", nsup);
	out(1, "\n");
	gen_init();
	keel = sys1(SYS_uname, &u) == 0 && strcmp(u.sysname, "keel") == 0;
	/* Linux's initramfs has no /tmp, /dev/null, /dev/zero; keel's has. */
	sys2(SYS_mkdir, "/tmp", 01777);
	sys3(SYS_mknod, "/dev/null", S_IFCHR | 0666, makedev(1, 3));
	sys3(SYS_mknod, "/dev/zero", S_IFCHR | 0666, makedev(1, 5));
	if (keel)
		before = free_bytes();
	if (parallel)
		supervise_parallel(seed, want, nsup, &t);
	else
		supervise(seed, 0, want, &t);
	bad |= t.bad;
	/* As init, every orphan ends up ours: wait until none is left. */
	for (long long end = now_ns() + 5000000000LL; now_ns() < end;) {
		long r = sys_wait4(-1, 0, WNOHANG);

		if (r == -ECHILD || (r == 0 && sys_getpid() != 1))
			break;
		if (r == 0)
			sleep_ms(10);
	}
	remove_tree(FUZZ_DIR, 0);
	{
		char line[400];
		int n = snprintf(line, sizeof line, "fuzz: %ld children; restarts:", t.children);

		for (int i = 1; i < 64; i++)
			if (t.why[i])
				n += snprintf(line + n, sizeof line - n, " %ld by signal %d,", t.why[i], i);
		snprintf(line + n, sizeof line - n, " %ld stuck, %ld exited\n", t.why[0], t.why[64]);
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
	if (t.done < want)
		bad = 1;
	out(1, "fuzz: %ld calls, %ld children restarted\n", t.done, t.restarts);
	sys_exit_group(bad);
}
