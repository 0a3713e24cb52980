/*
 * pthread.c: threads and futexes as real C libraries use them.  Built
 * twice, unchanged: with musl (/test/pthread-musl) and with glibc
 * (/test/pthread-glibc, gcc -static -pthread), and run as init on keel
 * and under Debian's Linux (tools/linux-check --init), so that both
 * libraries' thread code, not just ours, says what a kernel must do.
 *
 * Output: TAP on fd 1 through raw write()s, then
 *	pthread-<libc>: N passed, N failed
 * and exit status 0 when nothing failed.
 *
 * What may end a process (a fault in a thread, abort, exit from a
 * thread, execve from a thread) runs in a forked child whose wait status
 * is judged.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/say.h"

/* <linux/futex.h>'s numbers (musl-gcc has no kernel headers). */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAIT_BITSET	9
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_WAIT_PRIVATE	(FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE	(FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY	0xffffffffU

#ifdef __GLIBC__
#define LIBC "glibc"
#else
#define LIBC "musl"
#endif

static char detail[256];

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		snprintf(detail, sizeof(detail), __VA_ARGS__);		\
		return 0;						\
	}								\
} while (0)

static long
sys_futex(void *uaddr, int op, unsigned val, const struct timespec *ts, void *uaddr2,
    unsigned val3)
{
	long r = syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);

	return r < 0 ? -errno : r;
}

static pid_t
gettid_raw(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* Fork; the child runs fn and exits 0 if it returns; the wait status. */
static int
in_child(void (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		alarm(20);	/* a hang becomes SIGALRM, never a stuck run */
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static const char *self_path;

/*
 * The same in a fresh program: fork, then exec this one to run fn alone
 * (`scenario NAME`).  A fork child of a threaded program is not a clean
 * start for pthread_exit in its main thread: musl's fork child has no
 * CLONE_CHILD_CLEARTID word, so its main thread's exit never releases
 * musl's thread-list lock (the same hang on Linux).
 */
static int
in_program(const char *name)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { (char *)self_path, "scenario", (char *)name, 0 };

		execv(self_path, argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return st;
}

static const char *
status_str(int st)
{
	static char buf[64];

	if (WIFEXITED(st))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, sizeof(buf), "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, sizeof(buf), "status 0x%x", st);
	return buf;
}

/* ---- creation and joining ---- */

static void *
plus_one(void *arg)
{
	return (void *)((uintptr_t)arg + 1);
}

static int
t_create_join(void)
{
	for (uintptr_t i = 0; i < 10000; i++) {
		pthread_t t;
		void *ret;
		int r = pthread_create(&t, 0, plus_one, (void *)i);

		CHECK(r == 0, "pthread_create #%lu: %s", (unsigned long)i, strerror(r));
		r = pthread_join(t, &ret);
		CHECK(r == 0, "pthread_join #%lu: %s", (unsigned long)i, strerror(r));
		CHECK((uintptr_t)ret == i + 1, "thread #%lu returned %p", (unsigned long)i, ret);
	}
	return 1;
}

static void *
ids(void *arg)
{
	pid_t *out = arg;

	out[0] = getpid();
	out[1] = gettid_raw();
	return 0;
}

static int
t_ids(void)
{
	pid_t got[2];
	pthread_t t;

	CHECK(gettid_raw() == getpid(), "main thread: gettid %d, getpid %d", gettid_raw(),
	    getpid());
	CHECK(pthread_create(&t, 0, ids, got) == 0, "pthread_create");
	pthread_join(t, 0);
	CHECK(got[0] == getpid(), "thread's getpid %d, process %d", got[0], getpid());
	CHECK(got[1] != getpid() && got[1] > 0, "thread's tid %d (pid %d)", got[1], getpid());
	return 1;
}

static __thread int tls_value = 7;

static void *
tls_thread(void *arg)
{
	(void)arg;
	if (tls_value != 7)
		return (void *)1;
	tls_value = 99;
	sched_yield();
	return (void *)(uintptr_t)(tls_value == 99 ? 0 : 2);
}

static int
t_tls(void)
{
	pthread_t t[4];
	void *r;

	tls_value = 5;
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], 0, tls_thread, 0) == 0, "pthread_create");
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		CHECK(r == 0, "thread %d saw its TLS wrong (%p)", i, r);
	}
	CHECK(tls_value == 5, "main's TLS became %d", tls_value);
	return 1;
}

/* ---- mutexes, condition variables, semaphores ---- */

#define NTHREAD		4
#define ROUNDS		100000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static long counter;
static int turn;

static void *
adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
		if (i % 1000 == 0)
			sched_yield();	/* contention: the lock's slow path too */
	}
	return 0;
}

static int
t_mutex(void)
{
	pthread_t t[NTHREAD];

	counter = 0;
	for (int i = 0; i < NTHREAD; i++)
		CHECK(pthread_create(&t[i], 0, adder, 0) == 0, "pthread_create");
	for (int i = 0; i < NTHREAD; i++)
		pthread_join(t[i], 0);
	CHECK(counter == (long)NTHREAD * ROUNDS, "counter %ld, want %ld", counter,
	    (long)NTHREAD * ROUNDS);
	return 1;
}

/* A token goes round NTHREAD threads: each waits for its turn on one condvar. */
static void *
ring(void *arg)
{
	int me = (int)(uintptr_t)arg;

	for (int i = 0; i < ROUNDS / NTHREAD; i++) {
		pthread_mutex_lock(&mu);
		while (turn % NTHREAD != me)
			pthread_cond_wait(&cv, &mu);
		turn++;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
	return 0;
}

static int
t_condvar(void)
{
	pthread_t t[NTHREAD];

	turn = 0;
	for (int i = 0; i < NTHREAD; i++)
		CHECK(pthread_create(&t[i], 0, ring, (void *)(uintptr_t)i) == 0, "pthread_create");
	for (int i = 0; i < NTHREAD; i++)
		pthread_join(t[i], 0);
	CHECK(turn == ROUNDS / NTHREAD * NTHREAD, "turn %d, want %d", turn,
	    ROUNDS / NTHREAD * NTHREAD);
	return 1;
}

static sem_t sem_ping, sem_pong;

static void *
ponger(void *arg)
{
	(void)arg;
	for (int i = 0; i < 10000; i++) {
		sem_wait(&sem_ping);
		sem_post(&sem_pong);
	}
	return 0;
}

static int
t_semaphore(void)
{
	pthread_t t;

	sem_init(&sem_ping, 0, 0);
	sem_init(&sem_pong, 0, 0);
	CHECK(pthread_create(&t, 0, ponger, 0) == 0, "pthread_create");
	for (int i = 0; i < 10000; i++) {
		sem_post(&sem_ping);
		CHECK(sem_wait(&sem_pong) == 0, "sem_wait: %s", strerror(errno));
	}
	pthread_join(t, 0);
	return 1;
}

/* A timed wait that nobody signals ends with ETIMEDOUT (CLOCK_REALTIME deadline). */
static int
t_cond_timeout(void)
{
	struct timespec ts, t0, t1;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&mu);
	r = pthread_cond_timedwait(&cv, &mu, &ts);
	pthread_mutex_unlock(&mu);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(r == ETIMEDOUT, "pthread_cond_timedwait: %s", strerror(r));
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms >= 40 && ms < 2000, "waited %ld ms for 50", ms);
	return 1;
}

/* A robust mutex whose owner thread ended: the next locker hears EOWNERDEAD. */
static void *
lock_and_leave(void *arg)
{
	pthread_mutex_lock(arg);
	return 0;
}

static int
t_robust(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t m;
	pthread_t t;
	int r;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&m, &a);
	CHECK(pthread_create(&t, 0, lock_and_leave, &m) == 0, "pthread_create");
	pthread_join(t, 0);
	r = pthread_mutex_lock(&m);
	CHECK(r == EOWNERDEAD, "lock after the owner died: %s", strerror(r));
	CHECK(pthread_mutex_consistent(&m) == 0, "pthread_mutex_consistent");
	CHECK(pthread_mutex_unlock(&m) == 0, "unlock");
	CHECK(pthread_mutex_lock(&m) == 0, "lock again");
	pthread_mutex_unlock(&m);
	return 1;
}

/* ---- cancellation and signals ---- */

static int cancel_pipe[2];

static void *
blocked_reader(void *arg)
{
	char c;

	(void)arg;
	read(cancel_pipe[0], &c, 1);	/* a cancellation point that never returns */
	return (void *)1;
}

static int
t_cancel(void)
{
	pthread_t t;
	void *ret;

	CHECK(pipe(cancel_pipe) == 0, "pipe");
	CHECK(pthread_create(&t, 0, blocked_reader, 0) == 0, "pthread_create");
	usleep(20000);
	CHECK(pthread_cancel(t) == 0, "pthread_cancel");
	CHECK(pthread_join(t, &ret) == 0, "pthread_join");
	CHECK(ret == PTHREAD_CANCELED, "join returned %p, not PTHREAD_CANCELED", ret);
	close(cancel_pipe[0]);
	close(cancel_pipe[1]);
	return 1;
}

static volatile pid_t handler_tid;
static volatile sig_atomic_t go;

static void
note_tid(int sig)
{
	(void)sig;
	handler_tid = gettid_raw();
}

static void *
wait_for_signal(void *arg)
{
	pid_t *tid = arg;

	*tid = gettid_raw();
	while (handler_tid == 0 && !go)
		usleep(1000);
	return 0;
}

static int
t_pthread_kill(void)
{
	struct sigaction sa = { .sa_handler = note_tid };
	pthread_t t;
	pid_t tid = 0;

	sigaction(SIGUSR1, &sa, 0);
	handler_tid = 0;
	go = 0;
	CHECK(pthread_create(&t, 0, wait_for_signal, &tid) == 0, "pthread_create");
	while (tid == 0)
		usleep(1000);
	CHECK(pthread_kill(t, SIGUSR1) == 0, "pthread_kill");
	pthread_join(t, 0);
	CHECK(handler_tid == tid, "handler ran on tid %d, want the thread's %d", handler_tid, tid);
	signal(SIGUSR1, SIG_DFL);
	return 1;
}

/* kill(getpid()) while main blocks the signal: the thread that does not takes it. */
static int
t_process_signal(void)
{
	struct sigaction sa = { .sa_handler = note_tid };
	sigset_t block, old;
	pthread_t t;
	pid_t tid = 0;

	sigaction(SIGUSR2, &sa, 0);
	handler_tid = 0;
	go = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	CHECK(pthread_create(&t, 0, wait_for_signal, &tid) == 0, "pthread_create");
	pthread_sigmask(SIG_BLOCK, &block, &old);
	while (tid == 0)
		usleep(1000);
	kill(getpid(), SIGUSR2);
	pthread_join(t, 0);
	pthread_sigmask(SIG_SETMASK, &old, 0);
	CHECK(handler_tid == tid, "handler ran on tid %d, want the thread's %d", handler_tid, tid);
	signal(SIGUSR2, SIG_DFL);
	return 1;
}

/* A signal every thread blocks waits for the process; sigwait takes it. */
static int
t_sigwait(void)
{
	struct sigaction sa = { .sa_handler = note_tid };
	sigset_t set, old;
	int sig = 0;

	sigaction(SIGUSR1, &sa, 0);	/* as init, a default action drops it */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGUSR1);
	CHECK(sigwait(&set, &sig) == 0 && sig == SIGUSR1, "sigwait: %d", sig);
	pthread_sigmask(SIG_SETMASK, &old, 0);
	signal(SIGUSR1, SIG_DFL);
	return 1;
}

/* ---- how a process with threads ends ---- */

static void
do_abort(void)
{
	abort();
}

static int
t_abort(void)
{
	int st = in_child(do_abort);

	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "abort(): %s", status_str(st));
	return 1;
}

static volatile int *volatile nowhere = (int *)8;

static void *
fault(void *arg)
{
	(void)arg;
	*nowhere = 1;
	return 0;
}

static void
thread_faults(void)
{
	pthread_t t;

	pthread_create(&t, 0, fault, 0);
	for (;;)
		pause();
}

static int
t_fault_kills_all(void)
{
	int st = in_child(thread_faults);

	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "a thread's fault: %s",
	    status_str(st));
	return 1;
}

static void *
exit_later(void *arg)
{
	(void)arg;
	usleep(30000);
	exit(5);
}

static void
main_leaves(void)
{
	pthread_t t;

	pthread_create(&t, 0, exit_later, 0);
	pthread_exit(0);
}

/* The main thread ends first; the process lives on until exit() in a thread. */
static int
t_main_exits_first(void)
{
	int st = in_program("main_leaves");

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5, "exit(5) in a thread: %s",
	    status_str(st));
	return 1;
}

static void *
spin(void *arg)
{
	volatile int forever = 1;

	(void)arg;
	while (forever)
		;
	return 0;
}

static void
exit_with_spinners(void)
{
	pthread_t t;

	for (int i = 0; i < 3; i++)
		pthread_create(&t, 0, spin, 0);
	usleep(20000);
	_exit(3);
}

static int
t_exit_group(void)
{
	int st = in_child(exit_with_spinners);

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3, "_exit(3) with spinning threads: %s",
	    status_str(st));
	return 1;
}

static void *
last_one(void *arg)
{
	(void)arg;
	usleep(20000);
	return 0;	/* the last thread's pthread_exit: the process exits 0 */
}

static void
all_threads_return(void)
{
	pthread_t t;

	pthread_create(&t, 0, last_one, 0);
	pthread_exit(0);
}

static int
t_last_thread(void)
{
	int st = in_program("all_threads_return");

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the last thread ends: %s",
	    status_str(st));
	return 1;
}

static void *
execer(void *arg)
{
	char *argv[] = { "echoargs", "exit", "42", 0 };

	(void)arg;
	execv("/test/echoargs", argv);
	return (void *)1;
}

static void
exec_from_thread(void)
{
	pthread_t t;

	for (int i = 0; i < 2; i++)
		pthread_create(&t, 0, spin, 0);
	pthread_create(&t, 0, execer, 0);
	for (;;)
		pause();
}

static int
t_exec_from_thread(void)
{
	int st = in_child(exec_from_thread);

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42, "execve from a thread: %s",
	    status_str(st));
	return 1;
}

/* ---- CPU clocks ---- */

static long
clock_ms(clockid_t c)
{
	struct timespec ts;

	if (clock_gettime(c, &ts))
		return -1;
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static volatile int spun;

static void *
spin_30ms(void *arg)
{
	(void)arg;
	while (clock_ms(CLOCK_THREAD_CPUTIME_ID) < 30)
		;
	spun = 1;
	while (spun != 2)
		sched_yield();
	return 0;
}

/* A spinning thread's clock grows; the sleeping main thread's does not. */
static int
t_thread_cpu_clocks(void)
{
	long main0 = clock_ms(CLOCK_THREAD_CPUTIME_ID), mine, theirs, all;
	clockid_t cid;
	pthread_t t;

	spun = 0;
	CHECK(pthread_create(&t, 0, spin_30ms, 0) == 0, "pthread_create");
	while (!spun)
		usleep(5000);
	CHECK(pthread_getcpuclockid(t, &cid) == 0, "pthread_getcpuclockid");
	theirs = clock_ms(cid);
	mine = clock_ms(CLOCK_THREAD_CPUTIME_ID) - main0;
	all = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	spun = 2;
	pthread_join(t, 0);
	CHECK(theirs >= 30, "the spinner's clock: %ld ms", theirs);
	CHECK(mine < 25, "the sleeping main thread's clock grew %ld ms", mine);
	CHECK(all >= theirs, "process clock %ld ms < a thread's %ld ms", all, theirs);
	return 1;
}

/* ---- futex(2) itself ---- */

static atomic_int fword;
static atomic_int woken;

static void *
futex_waiter(void *arg)
{
	(void)arg;
	if (sys_futex(&fword, FUTEX_WAIT_PRIVATE, 0, 0, 0, 0) == 0)
		atomic_fetch_add(&woken, 1);
	return 0;
}

static atomic_int far_done;

/* A relative timeout that ends past 2^63 ns of uptime: forever (Linux saturates). */
static void *
futex_waiter_far(void *arg)
{
	struct timespec far = { 9223372035, 999999999 };
	long r = sys_futex(&fword, FUTEX_WAIT_PRIVATE, 0, &far, 0, 0);

	(void)arg;
	far_done = 1;
	return (void *)r;
}

static int
t_futex(void)
{
	struct timespec ten_ms = { 0, 10000000 }, past = { 1, 0 }, bad = { 0, 1000000000 };
	static const unsigned int ro_word;	/* .rodata: the program's, read-only */
	unsigned int *ro = (unsigned int *)(uintptr_t)&ro_word;
	pthread_t t[2];
	long r;

	fword = 1;
	CHECK((r = sys_futex(&fword, FUTEX_WAIT, 0, 0, 0, 0)) == -EAGAIN,
	    "WAIT on a changed word: %ld", r);
	CHECK((r = sys_futex(&fword, FUTEX_WAIT, 1, &ten_ms, 0, 0)) == -ETIMEDOUT,
	    "WAIT 10 ms: %ld", r);
	CHECK((r = sys_futex(&fword, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, &past, 0,
	    FUTEX_BITSET_MATCH_ANY)) == -ETIMEDOUT, "WAIT_BITSET until 1970: %ld", r);
	CHECK((r = sys_futex(&fword, FUTEX_WAIT, 1, &bad, 0, 0)) == -EINVAL,
	    "WAIT with tv_nsec 1e9: %ld", r);
	CHECK((r = sys_futex(&fword, FUTEX_WAIT_BITSET, 1, 0, 0, 0)) == -EINVAL,
	    "WAIT_BITSET with bitset 0: %ld", r);
	CHECK((r = sys_futex((char *)&fword + 1, FUTEX_WAIT, 1, 0, 0, 0)) == -EINVAL,
	    "WAIT on an unaligned word: %ld", r);
	CHECK((r = sys_futex((void *)8, FUTEX_WAIT, 0, 0, 0, 0)) == -EFAULT,
	    "WAIT on an unmapped word: %ld", r);
	CHECK((r = sys_futex(ro, FUTEX_WAIT, 1, &ten_ms, 0, 0)) == -EAGAIN,
	    "WAIT on a read-only word: %ld", r);
	CHECK((r = sys_futex(&fword, FUTEX_WAKE, 1, 0, 0, 0)) == 0, "WAKE nobody: %ld", r);
	CHECK((r = sys_futex(&fword, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, 0, 0, 0)) == -ENOSYS,
	    "WAKE with CLOCK_REALTIME: %ld", r);
	CHECK((r = sys_futex(&fword, 99, 1, 0, 0, 0)) == -ENOSYS, "op 99: %ld", r);

	/* Two waiters: WAKE 1 wakes one, the next WAKE the other. */
	fword = 0;
	woken = 0;
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], 0, futex_waiter, 0) == 0, "pthread_create");
	usleep(30000);
	CHECK((r = sys_futex(&fword, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0)) == 1, "WAKE 1 of 2: %ld", r);
	usleep(30000);
	CHECK(woken == 1, "%d woke, want 1", (int)woken);
	CHECK((r = sys_futex(&fword, FUTEX_WAKE_PRIVATE, 10, 0, 0, 0)) == 1, "WAKE the rest: %ld",
	    r);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], 0);
	CHECK(woken == 2, "%d woke, want 2", (int)woken);

	/* The far waiter sleeps until woken: no -ETIMEDOUT at once. */
	void *ret;

	fword = 0;
	far_done = 0;
	CHECK(pthread_create(&t[0], 0, futex_waiter_far, 0) == 0, "pthread_create");
	for (int i = 0; i < 400 && !far_done; i++) {
		if ((r = sys_futex(&fword, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0)) == 1)
			break;
		usleep(5000);
	}
	pthread_join(t[0], &ret);
	CHECK((long)ret == 0, "WAIT with a timeout 292 years away: %ld", (long)ret);
	return 1;
}

/* CMP_REQUEUE: one woken, one moved to the second word, where WAKE finds it. */
static atomic_int fword2;

static int
t_futex_requeue(void)
{
	pthread_t t[2];
	long r;

	fword = 0;
	fword2 = 0;
	woken = 0;
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], 0, futex_waiter, 0) == 0, "pthread_create");
	usleep(30000);
	CHECK((r = sys_futex(&fword, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &fword2, 7)) ==
	    -EAGAIN, "CMP_REQUEUE with a wrong value: %ld", r);
	/* The waiters are private: a shared requeue does not see them (Linux's keys). */
	CHECK((r = sys_futex(&fword, FUTEX_CMP_REQUEUE, 1, (void *)1, &fword2, 0)) == 0,
	    "shared CMP_REQUEUE of private waiters: %ld", r);
	CHECK((r = sys_futex(&fword, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &fword2, 0)) == 2,
	    "CMP_REQUEUE 1 + 1: %ld", r);
	usleep(30000);
	CHECK(woken == 1, "%d woke, want 1", (int)woken);
	CHECK((r = sys_futex(&fword, FUTEX_WAKE_PRIVATE, 10, 0, 0, 0)) == 0,
	    "WAKE on the first word after the requeue: %ld", r);
	CHECK((r = sys_futex(&fword2, FUTEX_WAKE_PRIVATE, 10, 0, 0, 0)) == 1,
	    "WAKE on the second word: %ld", r);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], 0);
	return 1;
}

/* ---- /proc/PID/task ---- */

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

/* The whole of a small file into buf, NUL-terminated: its length, or -1. */
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

/* The value of "Name:\t..." in a status file, as a number; -1 if missing. */
static long
status_num(const char *buf, const char *name)
{
	size_t len = strlen(name);

	for (const char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : 0)
		if (strncmp(l, name, len) == 0 && l[len] == ':')
			return strtol(l + len + 1, 0, 10);
	return -1;
}

/* The state letter of a stat line (after the last ')'), or '?'. */
static char
stat_state(const char *buf)
{
	const char *p = strrchr(buf, ')');

	return p && p[1] == ' ' ? p[2] : '?';
}

/* The tids /proc/self/task lists, up to max: how many, or -1. */
static int
list_tasks(const char *dir, pid_t *tids, int max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == 0)
		return -1;
	while ((e = readdir(d)) != 0)
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && n < max)
			tids[n++] = atoi(e->d_name);
	closedir(d);
	return n;
}

/* dir has an entry named id. */
static int
dir_has(const char *dir, pid_t id)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)) != 0)
		if (atoi(e->d_name) == id)
			found = 1;
	if (d)
		closedir(d);
	return found;
}

static int
has_tid(const pid_t *tids, int n, pid_t tid)
{
	for (int i = 0; i < n; i++)
		if (tids[i] == tid)
			return 1;
	return 0;
}

static atomic_int task_go;
static atomic_int task_ready;

/* Tell our tid, then sleep in FUTEX_WAIT until told to go. */
static void *
task_sleeper(void *arg)
{
	*(pid_t *)arg = gettid_raw();
	atomic_fetch_add(&task_ready, 1);
	while (task_go == 0)
		sys_futex(&task_go, FUTEX_WAIT_PRIVATE, 0, 0, 0, 0);
	return 0;
}

/* A thread's task/TID/stat, task/TID/status and /proc/TID/status. */
static int
check_task(pid_t tid, char want_state)
{
	char path[96], buf[4096];
	int tries;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	/* A thread just woken or about to sleep may be running a moment. */
	for (tries = 0; tries < 100; tries++) {
		CHECK(slurp(path, buf, sizeof(buf)) > 0, "read %s", path);
		if (stat_state(buf) == want_state)
			break;
		usleep(10000);
	}
	CHECK(atoi(buf) == tid, "%s: %.40s", path, buf);
	CHECK(stat_state(buf) == want_state, "%s: state %c, want %c", path, stat_state(buf),
	    want_state);
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	CHECK(slurp(path, buf, sizeof(buf)) > 0, "read %s", path);
	CHECK(status_num(buf, "Pid") == tid && status_num(buf, "Tgid") == getpid(),
	    "%s: Pid %ld Tgid %ld", path, status_num(buf, "Pid"), status_num(buf, "Tgid"));
	CHECK(status_num(buf, "Threads") == 3, "%s: Threads %ld", path,
	    status_num(buf, "Threads"));
	/* Linux's /proc/TID: not listed, but there, the process seen through the thread. */
	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	CHECK(slurp(path, buf, sizeof(buf)) > 0, "read %s", path);
	CHECK(status_num(buf, "Pid") == tid && status_num(buf, "Tgid") == getpid(),
	    "%s: Pid %ld Tgid %ld", path, status_num(buf, "Pid"), status_num(buf, "Tgid"));
	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tid);
	CHECK(slurp(path, buf, sizeof(buf)) > 0 && strchr(buf, '\n'), "read %s", path);
	return 1;
}

static int
t_proc_task(void)
{
	pid_t tid[2] = { 0, 0 }, listed[16];
	char buf[4096], path[64];
	pthread_t t[2];
	int n, ok;

	if (!have_proc()) {
		snprintf(detail, sizeof(detail), "no /proc");
		return 0;
	}
	task_go = 0;
	task_ready = 0;
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], 0, task_sleeper, &tid[i]) == 0, "pthread_create");
	while (task_ready < 2)
		usleep(1000);
	n = list_tasks("/proc/self/task", listed, 16);
	ok = n == 3 && has_tid(listed, n, getpid()) && has_tid(listed, n, tid[0]) &&
	    has_tid(listed, n, tid[1]);
	if (ok)
		ok = check_task(getpid(), 'R') && check_task(tid[0], 'S') &&
		    check_task(tid[1], 'S');
	else
		snprintf(detail, sizeof(detail), "/proc/self/task lists %d tids (%d %d %d), want"
		    " %d %d %d", n, n > 0 ? listed[0] : 0, n > 1 ? listed[1] : 0,
		    n > 2 ? listed[2] : 0, getpid(), tid[0], tid[1]);
	if (ok) {
		ok = slurp("/proc/self/status", buf, sizeof(buf)) > 0 &&
		    status_num(buf, "Threads") == 3;
		if (!ok)
			snprintf(detail, sizeof(detail), "/proc/self/status: Threads %ld",
			    status_num(buf, "Threads"));
	}
	/* /proc lists processes only. */
	if (ok && (dir_has("/proc", tid[0]) || dir_has("/proc", tid[1]) ||
	    !dir_has("/proc", getpid()))) {
		snprintf(detail, sizeof(detail), "/proc lists a thread, or not the process");
		ok = 0;
	}
	task_go = 1;
	sys_futex(&task_go, FUTEX_WAKE_PRIVATE, 10, 0, 0, 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], 0);
	if (!ok)
		return 0;
	/* Gone with the threads: one left in task/, no /proc/TID. */
	for (int tries = 0; tries < 100; tries++) {
		n = list_tasks("/proc/self/task", listed, 16);
		snprintf(path, sizeof(path), "/proc/%d/stat", tid[0]);
		if (n == 1 && access(path, F_OK) != 0)
			break;
		usleep(10000);
	}
	CHECK(n == 1 && listed[0] == getpid(), "after the joins: %d tids listed", n);
	CHECK(access(path, F_OK) != 0 && errno == ENOENT, "%s after the join", path);
	return 1;
}

/* The main thread left: a zombie thread in task/, the other one running (exit status). */
static void *
leader_gone_check(void *arg)
{
	char path[64], buf[1024];
	pid_t listed[8];
	int n = 0;

	(void)arg;
	for (int tries = 0; tries < 200; tries++) {
		snprintf(path, sizeof(path), "/proc/self/task/%d/stat", getpid());
		if (slurp(path, buf, sizeof(buf)) > 0 && stat_state(buf) == 'Z')
			break;
		usleep(10000);
	}
	if (stat_state(buf) != 'Z')
		_exit(10);
	n = list_tasks("/proc/self/task", listed, 8);
	if (n != 2 || !has_tid(listed, n, getpid()) || !has_tid(listed, n, gettid_raw()))
		_exit(11);
	if (slurp("/proc/self/status", buf, sizeof(buf)) <= 0 || status_num(buf, "Threads") != 2)
		_exit(12);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", gettid_raw());
	if (slurp(path, buf, sizeof(buf)) <= 0 || atoi(buf) != gettid_raw() ||
	    stat_state(buf) != 'R')
		_exit(13);
	_exit(0);
}

static void
leader_leaves(void)
{
	pthread_t t;

	if (!have_proc())
		_exit(9);
	pthread_create(&t, 0, leader_gone_check, 0);
	pthread_exit(0);
}

static int
t_proc_task_leader_gone(void)
{
	int st = in_program("leader_leaves");

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the check in the other thread: %s"
	    " (9: no /proc, 10: no zombie leader, 11: task/ list, 12: Threads, 13: own stat)",
	    status_str(st));
	return 1;
}

struct test {
	const char *name;
	int (*fn)(void);
};

static const struct test tests[] = {
	{ "10,000 pthread_create + pthread_join", t_create_join },
	{ "getpid and gettid in threads", t_ids },
	{ "__thread variables are per thread", t_tls },
	{ "4 threads x 100,000 mutex lock/unlock", t_mutex },
	{ "condvar: a token round 4 threads 100,000 times", t_condvar },
	{ "semaphore ping-pong, 10,000 round trips", t_semaphore },
	{ "pthread_cond_timedwait times out", t_cond_timeout },
	{ "robust mutex: EOWNERDEAD after its owner ends", t_robust },
	{ "pthread_cancel of a thread blocked in read", t_cancel },
	{ "pthread_kill runs the handler on that thread", t_pthread_kill },
	{ "a process signal goes to a thread not blocking it", t_process_signal },
	{ "sigwait takes a signal every thread blocks", t_sigwait },
	{ "abort() ends in SIGABRT", t_abort },
	{ "a thread's fault kills the whole process", t_fault_kills_all },
	{ "main thread exits first, exit(5) in another", t_main_exits_first },
	{ "_exit ends spinning threads", t_exit_group },
	{ "the last thread's return ends the process with 0", t_last_thread },
	{ "execve from a thread ends the others", t_exec_from_thread },
	{ "CLOCK_THREAD_CPUTIME_ID and a thread's clock id are per thread", t_thread_cpu_clocks },
	{ "futex WAIT/WAKE errors, timeouts and counts", t_futex },
	{ "futex CMP_REQUEUE", t_futex_requeue },
	{ "/proc/self/task: 3 threads, each one's stat and status", t_proc_task },
	{ "/proc/self/task: the main thread gone is a zombie thread", t_proc_task_leader_gone },
};

/* Usage: pthread-<libc> [N]: every test, or just the Nth (or `scenario NAME`: in_program). */
int
main(int argc, char **argv)
{
	int n = sizeof(tests) / sizeof(tests[0]), passed = 0, failed = 0;
	int only = argc > 1 ? atoi(argv[1]) : 0;

	self_path = argv[0];
	if (argc > 2 && strcmp(argv[1], "scenario") == 0) {
		alarm(20);
		if (strcmp(argv[2], "main_leaves") == 0)
			main_leaves();
		if (strcmp(argv[2], "all_threads_return") == 0)
			all_threads_return();
		if (strcmp(argv[2], "leader_leaves") == 0)
			leader_leaves();
		return 99;
	}

	say("1..%d\n", only ? 1 : n);
	for (int i = 0; i < n; i++) {
		if (only && i + 1 != only)
			continue;
		detail[0] = 0;
		if (tests[i].fn()) {
			say("ok %d - %s\n", i + 1, tests[i].name);
			passed++;
		} else {
			say("not ok %d - %s # %s\n", i + 1, tests[i].name, detail);
			failed++;
		}
	}
	say("pthread-%s: %d passed, %d failed\n", LIBC, passed, failed);
	return failed != 0;
}
