/*
 * t_time.c: the clocks and what measures processes: the realtime clock
 * from the RTC and set by clock_settime/settimeofday (an absolute sleep
 * follows it), clock_getres, the coarse and CPU clocks, CPU-time
 * accounting (times, getrusage, wait4's rusage), the interval timers and
 * alarm; prctl, priorities and the nice values the scheduler weighs,
 * affinity, the scheduler queries and personality.  As Linux answers.
 *
 * Setting the clock needs root: utest runs as init (root) on keel and
 * under tools/linux-check; each test that moves the clock puts it back.
 *
 * Interface: time_tests[] (utest.h).
 */
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "utest.h"

#define MS		1000000LL
#define SEC		1000000000LL
#define Y2026		1767225600LL	/* 2026-01-01 00:00:00 UTC */
#define KERNEL_ADDR	0xffff800000000000UL

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39
#define PER_LINUX32		0x0008
/* Linux's MAKE_PROCESS_CPUCLOCK */
#define CPUCLOCK(pid, which)	((int)((~(unsigned)(pid) << 3) | (which)))
#define CPUCLOCK_PROF		0
#define CPUCLOCK_SCHED		2

static long long
clock_ns(int clock)
{
	struct timespec ts;

	if (sys2(SYS_clock_gettime, clock, &ts))
		return -1;
	return ts.tv_sec * SEC + ts.tv_nsec;
}

/*
 * Spin in ring 3 for ms of wall time, looking at the clock seldom: without
 * a vDSO (keel) each look is a system call, and the time would be system
 * time.
 */
static void
spin_ms(long ms)
{
	long long end = ut_now_ns() + ms * MS;

	do {
		for (volatile int i = 0; i < 200000; i++)
			;
	} while (ut_now_ns() < end);
}

static long long
tv_ns(const struct timeval *tv)
{
	return tv->tv_sec * SEC + tv->tv_usec * 1000LL;
}

/* ---- the realtime clock ---- */

static void
t_realtime_rtc(void)
{
	struct timeval tv;
	long long rt;
	long t;

	rt = clock_ns(CLOCK_REALTIME);
	CHECK(rt / SEC >= Y2026, "CLOCK_REALTIME %lld s: before 2026 (the RTC not read?)", rt / SEC);
	CHECK_EQ(sys2(SYS_gettimeofday, &tv, 0), 0);
	t = sys1(SYS_time, 0);
	CHECK(tv.tv_sec - rt / SEC <= 1 && tv.tv_sec >= rt / SEC, "gettimeofday %ld vs %lld",
	    (long)tv.tv_sec, rt / SEC);
	CHECK(t - rt / SEC <= 1 && t >= rt / SEC, "time %ld vs %lld", t, rt / SEC);
	/* CLOCK_TAI: the realtime clock plus an offset no one has set. */
	t = (long)(clock_ns(CLOCK_TAI) / SEC);
	CHECK(t - rt / SEC <= 1 && t >= rt / SEC, "CLOCK_TAI %ld vs %lld", t, rt / SEC);
}

static void
t_clock_getres(void)
{
	static const int hires[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW,
		CLOCK_BOOTTIME, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID, CLOCK_TAI };
	static const int coarse[] = { CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE };
	struct timespec ts;

	for (size_t i = 0; i < sizeof hires / sizeof hires[0]; i++) {
		ts.tv_sec = ts.tv_nsec = -1;
		CHECK_EQ(sys2(SYS_clock_getres, hires[i], &ts), 0);
		CHECK(ts.tv_sec == 0 && ts.tv_nsec == 1, "clock %d: resolution %ld.%09ld",
		    hires[i], (long)ts.tv_sec, ts.tv_nsec);
		CHECK_EQ(sys2(SYS_clock_getres, hires[i], 0), 0);	/* null: fine */
	}
	for (size_t i = 0; i < sizeof coarse / sizeof coarse[0]; i++) {
		CHECK_EQ(sys2(SYS_clock_getres, coarse[i], &ts), 0);
		CHECK(ts.tv_sec == 0 && ts.tv_nsec >= 1000000 && ts.tv_nsec <= 10000000,
		    "coarse clock %d: resolution %ld ns, want a tick", coarse[i], ts.tv_nsec);
	}
	CHECK_ERR(sys2(SYS_clock_getres, 100, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_getres, CLOCK_MONOTONIC, KERNEL_ADDR), EFAULT);
}

/*
 * The coarse clocks lag their precise ones by at most a tick or so, never
 * lead.  Each coarse read is bracketed by two precise ones: it is at most
 * the later and trails the earlier by a tick or so, however long the
 * thread waited for a CPU between the reads (4 vCPUs on 2 host cores).
 */
static void
t_clock_coarse(void)
{
	long long c, m0, m1, rc, r0, r1;

	for (int i = 0; i < 20; i++) {
		m0 = clock_ns(CLOCK_MONOTONIC);
		c = clock_ns(CLOCK_MONOTONIC_COARSE);
		m1 = clock_ns(CLOCK_MONOTONIC);
		CHECK(c <= m1 && c >= m0 - 25 * MS, "MONOTONIC %lld, then _COARSE %lld, then %lld",
		    m0, c, m1);
		r0 = clock_ns(CLOCK_REALTIME);
		rc = clock_ns(CLOCK_REALTIME_COARSE);
		r1 = clock_ns(CLOCK_REALTIME);
		CHECK(rc <= r1 && rc >= r0 - 25 * MS, "REALTIME %lld, then _COARSE %lld, then %lld",
		    r0, rc, r1);
		ut_sleep_ms(3);
	}
}

/* Move the realtime clock by delta ns (as root). */
static long
real_shift(long long delta)
{
	long long t = clock_ns(CLOCK_REALTIME) + delta;
	struct timespec ts = { t / SEC, t % SEC };

	return sys2(SYS_clock_settime, CLOCK_REALTIME, &ts);
}

static void
t_clock_settime(void)
{
	long long r0, m0, r1, m1;
	struct timespec ts;

	r0 = clock_ns(CLOCK_REALTIME);
	m0 = clock_ns(CLOCK_MONOTONIC);
	CHECK_EQ(real_shift(1000 * SEC), 0);
	r1 = clock_ns(CLOCK_REALTIME);
	m1 = clock_ns(CLOCK_MONOTONIC);
	CHECK_EQ(real_shift(-1000 * SEC), 0);
	CHECK(r1 - r0 >= 1000 * SEC && r1 - r0 < 1001 * SEC, "realtime moved by %lld ns", r1 - r0);
	CHECK(m1 - m0 < SEC, "the monotonic clock moved by %lld ns with it", m1 - m0);
	r1 = clock_ns(CLOCK_REALTIME);
	CHECK(r1 - r0 >= 0 && r1 - r0 < SEC, "put back: %lld ns off", r1 - r0);
	/* Only CLOCK_REALTIME can be set: a CPU clock by pid says EPERM. */
	ts = (struct timespec){ r1 / SEC, 0 };
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_MONOTONIC, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_REALTIME_COARSE, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_BOOTTIME, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_TAI, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_settime, 100, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_THREAD_CPUTIME_ID, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_settime, CPUCLOCK(0, CPUCLOCK_SCHED), &ts), EPERM);
	CHECK_ERR(sys2(SYS_clock_settime, CPUCLOCK(99999, CPUCLOCK_SCHED), &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_MONOTONIC, 0), EINVAL);	/* id first */
	ts.tv_nsec = 1000000000;
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL);
	ts = (struct timespec){ -1, 0 };
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL);
	/* Before the monotonic clock: boot time would be negative. */
	ts = (struct timespec){ 0, 0 };
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_REALTIME, &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_REALTIME, 0), EFAULT);
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_REALTIME, KERNEL_ADDR), EFAULT);
	r1 = clock_ns(CLOCK_REALTIME);
	CHECK(r1 / SEC >= Y2026 && r1 - r0 < 2 * SEC, "the clock moved: %lld", r1 - r0);
}

static void
t_settimeofday(void)
{
	struct timeval tv;
	struct timezone tz = { 60, 0 }, got;
	long long r0, r1;

	/* A time with the first zone: Linux's zone-only first call would warp the clock. */
	CHECK_EQ(sys2(SYS_gettimeofday, &tv, 0), 0);
	r0 = tv_ns(&tv);
	tv.tv_sec += 500;
	CHECK_EQ(sys2(SYS_settimeofday, &tv, &tz), 0);
	r1 = clock_ns(CLOCK_REALTIME);
	CHECK_EQ(real_shift(-500 * SEC), 0);
	CHECK(r1 - r0 >= 500 * SEC && r1 - r0 < 501 * SEC, "settimeofday moved it by %lld", r1 - r0);
	CHECK_EQ(sys2(SYS_gettimeofday, &tv, &got), 0);
	CHECK(got.tz_minuteswest == 60 && got.tz_dsttime == 0, "zone %d %d", got.tz_minuteswest,
	    got.tz_dsttime);
	CHECK_EQ(sys2(SYS_settimeofday, 0, 0), 0);
	tz.tz_minuteswest = 15 * 60 + 1;
	CHECK_ERR(sys2(SYS_settimeofday, 0, &tz), EINVAL);
	tz.tz_minuteswest = 0;
	CHECK_EQ(sys2(SYS_settimeofday, 0, &tz), 0);
	CHECK_EQ(sys2(SYS_gettimeofday, 0, &got), 0);
	CHECK_EQ(got.tz_minuteswest, 0);
	CHECK_EQ(sys2(SYS_gettimeofday, &tv, 0), 0);
	tv.tv_usec = 1000000;
	CHECK_ERR(sys2(SYS_settimeofday, &tv, 0), EINVAL);
	tv.tv_usec = -1;
	CHECK_ERR(sys2(SYS_settimeofday, &tv, 0), EINVAL);
	CHECK_ERR(sys2(SYS_settimeofday, KERNEL_ADDR, 0), EFAULT);
	CHECK_ERR(sys2(SYS_settimeofday, 0, KERNEL_ADDR), EFAULT);
	r1 = clock_ns(CLOCK_REALTIME);
	CHECK(r1 - r0 >= 0 && r1 - r0 < 2 * SEC, "the clock is %lld ns off", r1 - r0);
}

/* Sleeps until 30 s from now on the realtime clock; the parent moves the clock past it. */
static void
c_abs_sleeper(void *a)
{
	long long t = clock_ns(CLOCK_REALTIME) + 30 * SEC;
	struct timespec ts = { t / SEC, t % SEC };

	(void)a;
	CCHECK_EQ(sys4(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &ts, 0), 0);
	CCHECK(clock_ns(CLOCK_REALTIME) >= t, "woke before the deadline");
}

static void
t_abstime_clock_set(void)
{
	long long t0;
	long pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_abs_sleeper, 0));
	ut_sleep_ms(100);
	t0 = ut_now_ns();
	CHECK_EQ(real_shift(60 * SEC), 0);
	if (ut_wait_ms(pid, &st, 10000) != 0)
		st = -1;
	CHECK_EQ(real_shift(-60 * SEC), 0);
	CHECK(st == 0, "sleeper: %s", st == -1 ? "still asleep 10 s after the clock passed its"
	    " deadline" : ut_status_str(st));
	CHECK(ut_now_ns() - t0 < 5 * SEC, "the sleeper woke %lld ms after the clock moved",
	    (ut_now_ns() - t0) / MS);
}

/* A relative realtime sleep is not moved by setting the clock (POSIX). */
static void
c_rel_sleeper(void *a)
{
	struct timespec ts = { 0, 400 * MS };
	long long t0 = ut_now_ns();

	(void)a;
	CCHECK_EQ(sys4(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &ts, 0), 0);
	CCHECK(ut_now_ns() - t0 >= 400 * MS, "woke after %lld ns", ut_now_ns() - t0);
}

static void
t_relative_clock_set(void)
{
	long pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_rel_sleeper, 0));
	ut_sleep_ms(50);
	CHECK_EQ(real_shift(60 * SEC), 0);
	if (ut_wait(pid, &st) != 0)
		st = -1;
	CHECK_EQ(real_shift(-60 * SEC), 0);
	CHECK(st == 0, "sleeper: %s", st == -1 ? "lost" : ut_status_str(st));
}

/* ---- CPU time ---- */

static void
t_cputime_spin_sleep(void)
{
	long long p0, t0, w0, w1, p1, t1;

	w0 = ut_now_ns();
	p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	spin_ms(150);
	p1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	t1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	CHECK(p1 - p0 >= 100 * MS && p1 - p0 <= ut_now_ns() - w0,
	    "spinning 150 ms: process CPU clock +%lld ms", (p1 - p0) / MS);
	CHECK(t1 - t0 >= 100 * MS, "spinning 150 ms: thread CPU clock +%lld ms", (t1 - t0) / MS);
	/*
	 * Asleep, it runs nowhere: the clock moves by the little it ran, plus
	 * however long past 200 ms the sleep took (time the host did not run
	 * a vCPU that was running the thread counts as the thread's, as on
	 * any guest without steal time).
	 */
	w0 = ut_now_ns();
	ut_sleep_ms(200);
	w1 = ut_now_ns();
	p0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	CHECK(p0 - p1 < 30 * MS + (w1 - w0 - 200 * MS),
	    "sleeping 200 ms: CPU clock +%lld ms, %lld ms late", (p0 - p1) / MS,
	    (w1 - w0 - 200 * MS) / MS);
	/*
	 * The same clocks named by pid 0 and by the caller's pid: in order,
	 * and apart by no more than the wall time around the reads (a tick's
	 * work or the host's pause between them is charged to the process).
	 */
	t0 = clock_ns(CPUCLOCK(0, CPUCLOCK_SCHED));
	t1 = clock_ns(CPUCLOCK(sys_getpid(), CPUCLOCK_SCHED));
	w0 = ut_now_ns();
	CHECK(t0 >= p0 && t1 >= t0 && t1 - p0 <= w0 - w1 + MS,
	    "CPU clocks by pid: %lld %lld %lld, within %lld ns of wall time", p0, t0, t1, w0 - w1);
}

static void
c_spin_forever(void *a)
{
	(void)a;
	for (;;)
		;
}

static void
t_cpu_clock_of_child(void)
{
	struct timespec ts;
	long long ns;
	long pid;
	int st;

	CHECK_OK(pid, ut_spawn(c_spin_forever, 0));
	ut_sleep_ms(100);
	ns = clock_ns(CPUCLOCK(pid, CPUCLOCK_SCHED));
	CHECK_EQ(sys2(SYS_clock_getres, CPUCLOCK(pid, CPUCLOCK_SCHED), &ts), 0);
	CHECK_EQ(ts.tv_nsec, 1);
	CHECK_EQ(sys2(SYS_clock_getres, CPUCLOCK(pid, CPUCLOCK_PROF), &ts), 0);
	sys_kill(pid, SIGKILL);
	ut_wait(pid, &st);
	CHECK(ns > 10 * MS, "a spinning child's CPU clock: %lld ns", ns);
	CHECK(ts.tv_nsec >= 1000000 && ts.tv_nsec <= 10000000, "PROF clock resolution %ld",
	    ts.tv_nsec);
	/* Gone: no such clock. */
	CHECK_ERR(sys2(SYS_clock_gettime, CPUCLOCK(pid, CPUCLOCK_SCHED), &ts), EINVAL);
	CHECK_ERR(sys2(SYS_clock_gettime, CPUCLOCK(0, 3), &ts), EINVAL);
}

static void
t_times_getrusage(void)
{
	struct rusage r0, r1, rt;
	struct tms m0, m1;
	long c0, c1;

	c0 = sys1(SYS_times, &m0);
	CHECK_EQ(sys2(SYS_getrusage, RUSAGE_SELF, &r0), 0);
	spin_ms(200);
	c1 = sys1(SYS_times, &m1);
	CHECK_EQ(sys2(SYS_getrusage, RUSAGE_SELF, &r1), 0);
	CHECK_EQ(sys2(SYS_getrusage, RUSAGE_THREAD, &rt), 0);
	CHECK(c1 - c0 >= 18, "times() moved %ld ticks over 200 ms", c1 - c0);
	CHECK((m1.tms_utime + m1.tms_stime) - (m0.tms_utime + m0.tms_stime) >= 12,
	    "times: +%ld user +%ld system ticks spinning 200 ms",
	    (long)(m1.tms_utime - m0.tms_utime), (long)(m1.tms_stime - m0.tms_stime));
	CHECK(m1.tms_utime >= m0.tms_utime && m1.tms_stime >= m0.tms_stime, "times went back");
	CHECK(tv_ns(&r1.ru_utime) + tv_ns(&r1.ru_stime) - tv_ns(&r0.ru_utime) -
	    tv_ns(&r0.ru_stime) >= 120 * MS, "getrusage: +%lld ms spinning 200 ms",
	    (tv_ns(&r1.ru_utime) + tv_ns(&r1.ru_stime) - tv_ns(&r0.ru_utime) -
	    tv_ns(&r0.ru_stime)) / MS);
	CHECK(tv_ns(&r1.ru_utime) - tv_ns(&r0.ru_utime) > tv_ns(&r1.ru_stime) - tv_ns(&r0.ru_stime),
	    "spinning is user time: +%lld user, +%lld system",
	    tv_ns(&r1.ru_utime) - tv_ns(&r0.ru_utime), tv_ns(&r1.ru_stime) - tv_ns(&r0.ru_stime));
	CHECK(tv_ns(&rt.ru_utime) + tv_ns(&rt.ru_stime) - tv_ns(&r1.ru_utime) -
	    tv_ns(&r1.ru_stime) < 50 * MS, "RUSAGE_THREAD and RUSAGE_SELF disagree");
	CHECK(r1.ru_maxrss > 0 && rt.ru_maxrss > 0, "maxrss %ld", r1.ru_maxrss);
	CHECK_ERR(sys2(SYS_getrusage, 2, &r1), EINVAL);
	CHECK_ERR(sys2(SYS_getrusage, -2, &r1), EINVAL);
	CHECK_ERR(sys2(SYS_getrusage, RUSAGE_SELF, 0), EFAULT);
	CHECK_ERR(sys2(SYS_getrusage, RUSAGE_CHILDREN, KERNEL_ADDR), EFAULT);
	CHECK_ERR(sys1(SYS_times, KERNEL_ADDR), EFAULT);
	CHECK(sys1(SYS_times, 0) >= c1, "times(NULL) went back");
}

/* Spins 200 ms and touches 4 MiB. */
static void
c_spin_touch(void *a)
{
	static volatile char big[4 << 20];

	(void)a;
	for (size_t i = 0; i < sizeof big; i += PGSIZE)
		big[i] = 1;
	spin_ms(200);
}

static void
t_rusage_children(void)
{
	struct rusage c0, c1, w;
	struct tms m0, m1;
	long pid;
	int st;

	CHECK_EQ(sys2(SYS_getrusage, RUSAGE_CHILDREN, &c0), 0);
	sys1(SYS_times, &m0);
	CHECK_OK(pid, ut_spawn(c_spin_touch, 0));
	ut_sleep_ms(20);
	/* Not reaped yet: nothing counted. */
	CHECK_EQ(sys2(SYS_getrusage, RUSAGE_CHILDREN, &c1), 0);
	CHECK_EQ(tv_ns(&c1.ru_utime), tv_ns(&c0.ru_utime));
	memset(&w, 0, sizeof(w));
	CHECK_EQ(sys4(SYS_wait4, pid, &st, 0, &w), pid);
	CHECK_EQ(st, 0);
	CHECK(tv_ns(&w.ru_utime) + tv_ns(&w.ru_stime) >= 120 * MS, "wait4's rusage: %lld ms",
	    (tv_ns(&w.ru_utime) + tv_ns(&w.ru_stime)) / MS);
	CHECK(w.ru_maxrss >= 4096, "wait4's maxrss: %ld KiB after touching 4 MiB", w.ru_maxrss);
	CHECK_EQ(sys2(SYS_getrusage, RUSAGE_CHILDREN, &c1), 0);
	sys1(SYS_times, &m1);
	CHECK(tv_ns(&c1.ru_utime) + tv_ns(&c1.ru_stime) - tv_ns(&c0.ru_utime) -
	    tv_ns(&c0.ru_stime) >= 120 * MS, "RUSAGE_CHILDREN grew by %lld ms",
	    (tv_ns(&c1.ru_utime) + tv_ns(&c1.ru_stime) - tv_ns(&c0.ru_utime) -
	    tv_ns(&c0.ru_stime)) / MS);
	CHECK(c1.ru_maxrss >= 4096, "RUSAGE_CHILDREN maxrss %ld KiB", c1.ru_maxrss);
	CHECK((m1.tms_cutime + m1.tms_cstime) - (m0.tms_cutime + m0.tms_cstime) >= 12,
	    "times: children +%ld ticks", (long)((m1.tms_cutime + m1.tms_cstime) -
	    (m0.tms_cutime + m0.tms_cstime)));
}

/* ---- interval timers ---- */

static volatile int nalrm, nvtalrm, nprof;

static void on_alrm(int s) { (void)s; nalrm++; }
static void on_vtalrm(int s) { (void)s; nvtalrm++; }
static void on_prof(int s) { (void)s; nprof++; }

static int
catch(int sig, void (*fn)(int))
{
	struct sigaction sa = { 0 };

	sa.sa_handler = fn;
	return sigaction(sig, &sa, 0);
}

static void
c_itimer_real(void *a)
{
	struct itimerval it = { { 0, 20000 }, { 0, 50000 } }, cur;
	long long t0 = ut_now_ns();

	(void)a;
	CCHECK(catch(SIGALRM, on_alrm) == 0, "sigaction");
	CCHECK_EQ(sys3(SYS_setitimer, ITIMER_REAL, &it, 0), 0);
	CCHECK_EQ(sys2(SYS_getitimer, ITIMER_REAL, &cur), 0);
	CCHECK(cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 20000, "interval %ld",
	    (long)cur.it_interval.tv_usec);
	CCHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 0 &&
	    cur.it_value.tv_usec <= 50000, "value %ld", (long)cur.it_value.tv_usec);
	while (nalrm < 4 && ut_now_ns() - t0 < 5 * SEC)
		sys0(SYS_pause);
	CCHECK(nalrm >= 4, "%d SIGALRMs in 5 s from a 20 ms interval timer", nalrm);
	CCHECK(ut_now_ns() - t0 >= 100 * MS, "4 SIGALRMs after %lld ms", (ut_now_ns() - t0) / MS);
	/* Disarm: the old value comes back. */
	memset(&it, 0, sizeof(it));
	CCHECK_EQ(sys3(SYS_setitimer, ITIMER_REAL, &it, &cur), 0);
	CCHECK(cur.it_interval.tv_usec == 20000 && cur.it_value.tv_usec <= 20000, "old %ld %ld",
	    (long)cur.it_interval.tv_usec, (long)cur.it_value.tv_usec);
	CCHECK_EQ(sys2(SYS_getitimer, ITIMER_REAL, &cur), 0);
	CCHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0 &&
	    cur.it_interval.tv_usec == 0, "still armed");
	nalrm = 0;
	ut_sleep_ms(60);
	CCHECK_EQ(nalrm, 0);
}

static void
t_itimer_real(void)
{
	CHECK_EXIT(c_itimer_real, 0, 0);
}

static void
c_alarm_kills(void *a)
{
	struct itimerval it = { { 0, 0 }, { 0, 10000 } };

	(void)a;
	sys3(SYS_setitimer, ITIMER_REAL, &it, 0);
	for (;;)
		sys0(SYS_pause);
}

static void
c_alarm(void *a)
{
	(void)a;
	CCHECK_EQ(sys1(SYS_alarm, 0), 0);	/* none pending */
	CCHECK_EQ(sys1(SYS_alarm, 5), 0);
	ut_sleep_ms(100);
	CCHECK_EQ(sys1(SYS_alarm, 100), 5);	/* 4.9 s left: rounded */
	CCHECK_EQ(sys1(SYS_alarm, 0), 100);
	CCHECK_EQ(sys1(SYS_alarm, 0), 0);
}

static void
t_alarm(void)
{
	CHECK_EXIT(c_alarm, 0, 0);
	CHECK_SIGNAL(c_alarm_kills, 0, SIGALRM);
}

static void
t_itimer_errors(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	CHECK_ERR(sys2(SYS_getitimer, 3, &it), EINVAL);
	CHECK_ERR(sys2(SYS_getitimer, -1, &it), EINVAL);
	CHECK_ERR(sys3(SYS_setitimer, 3, &it, 0), EINVAL);
	it.it_value.tv_usec = 1000000;
	CHECK_ERR(sys3(SYS_setitimer, ITIMER_REAL, &it, 0), EINVAL);
	it.it_value.tv_usec = 0;
	it.it_interval.tv_usec = -1;
	CHECK_ERR(sys3(SYS_setitimer, ITIMER_REAL, &it, 0), EINVAL);
	it.it_interval.tv_usec = 0;
	it.it_value.tv_sec = -1;
	CHECK_ERR(sys3(SYS_setitimer, ITIMER_PROF, &it, 0), EINVAL);
	CHECK_ERR(sys2(SYS_getitimer, ITIMER_REAL, 0), EFAULT);
	CHECK_ERR(sys3(SYS_setitimer, ITIMER_REAL, KERNEL_ADDR, 0), EFAULT);
	/* The old value's copy fails after the timer was set (disarmed here). */
	it.it_value.tv_sec = 0;
	CHECK_ERR(sys3(SYS_setitimer, ITIMER_VIRTUAL, &it, KERNEL_ADDR), EFAULT);
	CHECK_EQ(sys2(SYS_getitimer, ITIMER_VIRTUAL, &it), 0);
	CHECK_EQ(it.it_value.tv_usec, 0);
}

/* The CPU timers count CPU time: a spinner's fire, a sleeper's do not. */
static void
c_itimer_cpu(void *a)
{
	struct itimerval it = { { 0, 0 }, { 0, 30000 } }, cur;
	long long t0;

	(void)a;
	CCHECK(catch(SIGVTALRM, on_vtalrm) == 0 && catch(SIGPROF, on_prof) == 0, "sigaction");
	CCHECK_EQ(sys3(SYS_setitimer, ITIMER_VIRTUAL, &it, 0), 0);
	CCHECK_EQ(sys3(SYS_setitimer, ITIMER_PROF, &it, 0), 0);
	ut_sleep_ms(200);
	CCHECK(nvtalrm == 0 && nprof == 0, "sleeping: %d SIGVTALRM, %d SIGPROF", nvtalrm, nprof);
	CCHECK_EQ(sys2(SYS_getitimer, ITIMER_PROF, &cur), 0);
	CCHECK(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 10000 &&
	    cur.it_value.tv_usec <= 30000 + 10000, "ITIMER_PROF after sleeping: %ld us left",
	    (long)cur.it_value.tv_usec);
	t0 = ut_now_ns();
	while ((nvtalrm == 0 || nprof == 0) && ut_now_ns() - t0 < 5 * SEC)
		for (volatile int i = 0; i < 20000; i++)
			;
	CCHECK(nvtalrm == 1 && nprof == 1, "spinning: %d SIGVTALRM, %d SIGPROF in %lld ms",
	    nvtalrm, nprof, (ut_now_ns() - t0) / MS);
	CCHECK(ut_now_ns() - t0 >= 20 * MS, "fired after %lld ms of a 30 ms timer",
	    (ut_now_ns() - t0) / MS);
	/* Interval reload: several more, then disarm. */
	it.it_interval.tv_usec = 20000;
	CCHECK_EQ(sys3(SYS_setitimer, ITIMER_PROF, &it, 0), 0);
	t0 = ut_now_ns();
	while (nprof < 4 && ut_now_ns() - t0 < 5 * SEC)
		for (volatile int i = 0; i < 20000; i++)
			;
	CCHECK(nprof >= 4, "%d SIGPROFs from a reloading timer", nprof);
	CCHECK_EQ(sys2(SYS_getitimer, ITIMER_PROF, &cur), 0);
	CCHECK_EQ(cur.it_interval.tv_usec, 20000);
}

static void
t_itimer_cpu(void)
{
	CHECK_EXIT(c_itimer_cpu, 0, 0);
}

/* A sleep on its own CPU clock: nothing advances it, so only a signal ends it. */
static void
c_cpu_nanosleep(void *a)
{
	struct itimerval it = { { 0, 0 }, { 0, 150000 } };
	struct timespec ts = { 0, 50 * MS }, rem = { 0, 0 };
	long long t0 = ut_now_ns();

	(void)a;
	CCHECK(catch(SIGALRM, on_alrm) == 0, "sigaction");
	CCHECK_EQ(sys3(SYS_setitimer, ITIMER_REAL, &it, 0), 0);
	CCHECK_EQ(sys4(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, &ts, &rem), -EINTR);
	CCHECK(ut_now_ns() - t0 >= 140 * MS, "ended after %lld ms", (ut_now_ns() - t0) / MS);
	CCHECK(rem.tv_sec == 0 && rem.tv_nsec > 0 && rem.tv_nsec <= 50 * MS, "rem %ld",
	    rem.tv_nsec);
	CCHECK_EQ(sys4(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &ts, 0), -EOPNOTSUPP);
	CCHECK_EQ(sys4(SYS_clock_nanosleep, CPUCLOCK(0, CPUCLOCK_SCHED) | 4, 0, &ts, 0), -EINVAL);
	/* An absolute time already passed on it returns at once. */
	ts = (struct timespec){ 0, 1 };
	CCHECK_EQ(sys4(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &ts, 0), 0);
}

static void
t_cpu_nanosleep(void)
{
	CHECK_EXIT(c_cpu_nanosleep, 0, 0);
}

/* ---- prctl, priorities, the scheduler ---- */

static void
c_prctl_name(void *a)
{
	char name[32];

	(void)a;
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_NAME, "t-time"), 0);
	memset(name, 'x', sizeof(name));
	CCHECK_EQ(sys2(SYS_prctl, PR_GET_NAME, name), 0);
	CCHECK(strcmp(name, "t-time") == 0 && name[15] == 0 && name[16] == 'x',
	    "PR_GET_NAME: %.16s", name);
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_NAME, "a-name-longer-than-fifteen"), 0);
	CCHECK_EQ(sys2(SYS_prctl, PR_GET_NAME, name), 0);
	CCHECK(strcmp(name, "a-name-longer-t") == 0, "long name: %s", name);
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_NAME, KERNEL_ADDR), -EFAULT);
	CCHECK_EQ(sys2(SYS_prctl, PR_GET_NAME, KERNEL_ADDR), -EFAULT);
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_NAME, 0), -EFAULT);
}

static void
c_prctl_flags(void *a)
{
	int sig = -1;
	long pid;
	int st;

	(void)a;
	CCHECK_EQ(sys2(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0), 0);
	CCHECK_EQ(sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), -EINVAL);
	CCHECK_EQ(sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 1, 0, 0), -EINVAL);
	CCHECK_EQ(sys5(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	CCHECK_EQ(sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 1);
	CCHECK_EQ(sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), -EINVAL);
	CCHECK_EQ(sys2(SYS_prctl, PR_GET_DUMPABLE, 0), 1);
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_DUMPABLE, 2), -EINVAL);
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_DUMPABLE, 0), 0);
	CCHECK_EQ(sys2(SYS_prctl, PR_GET_DUMPABLE, 0), 0);
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_PDEATHSIG, 65), -EINVAL);
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_PDEATHSIG, SIGUSR2), 0);
	CCHECK_EQ(sys2(SYS_prctl, PR_GET_PDEATHSIG, &sig), 0);
	CCHECK_EQ(sig, SIGUSR2);
	CCHECK_EQ(sys2(SYS_prctl, PR_GET_PDEATHSIG, KERNEL_ADDR), -EFAULT);
	CCHECK_EQ(sys2(SYS_prctl, 0x7fff0000, 0), -EINVAL);
	/* A child keeps no_new_privs and the dumpable flag, not the death signal. */
	pid = sys_fork();
	if (pid == 0) {
		sig = -1;
		if (sys2(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0) != 1 ||
		    sys2(SYS_prctl, PR_GET_DUMPABLE, 0) != 0 ||
		    sys2(SYS_prctl, PR_GET_PDEATHSIG, &sig) != 0 || sig != 0)
			sys_exit_group(3);
		sys_exit_group(0);
	}
	CCHECK(pid > 0, "fork %s", ut_rstr(pid));
	CCHECK_EQ(ut_wait(pid, &st), 0);
	CCHECK(st == 0, "fork child: %s", ut_status_str(st));
}

static void
t_prctl(void)
{
	CHECK_EXIT(c_prctl_name, 0, 0);
	CHECK_EXIT(c_prctl_flags, 0, 0);
}

static int death_pipe[2];

static void
on_usr1_death(int s)
{
	(void)s;
	sys_write(death_pipe[1], "D", 1);
	sys_exit_group(0);
}

/* The middle process: its child asks for SIGUSR1 when it dies, then it dies. */
static void
c_pdeath_parent(void *a)
{
	int ready[2];
	char c;
	long pid;

	(void)a;
	CCHECK_EQ(sys2(SYS_pipe2, ready, 0), 0);
	pid = sys_fork();
	if (pid == 0) {
		catch(SIGUSR1, on_usr1_death);
		sys2(SYS_prctl, PR_SET_PDEATHSIG, SIGUSR1);
		sys_write(ready[1], "R", 1);
		for (int i = 0; i < 50; i++)
			ut_sleep_ms(100);
		sys_exit_group(9);
	}
	CCHECK_EQ(sys_read(ready[0], &c, 1), 1);
}

static void
t_pdeathsig(void)
{
	struct pollfd pf;
	char c = 0;

	CHECK_EQ(sys2(SYS_pipe2, death_pipe, 0), 0);
	CHECK_EXIT(c_pdeath_parent, 0, 0);
	pf = (struct pollfd){ .fd = death_pipe[0], .events = POLLIN };
	CHECK_EQ(sys3(SYS_poll, &pf, 1, 3000), 1);
	CHECK_EQ(sys_read(death_pipe[0], &c, 1), 1);
	CHECK_EQ(c, 'D');
	sys_close(death_pipe[0]);
	sys_close(death_pipe[1]);
}

static void
c_priority(void *a)
{
	long pid;
	int st;

	(void)a;
	/* The raw call answers 20 - nice (1..40); libc turns it back. */
	CCHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, 0), 20);
	CCHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, 5), 0);
	CCHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, 0), 15);
	CCHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, sys_getpid()), 15);
	CCHECK_EQ(sys2(SYS_getpriority, PRIO_PGRP, 0) >= 15, 1);
	CCHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, 100), 0);	/* clamped */
	CCHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, 0), 1);
	CCHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, -100), 0);	/* root may */
	CCHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, 0), 40);
	CCHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 0, 7), 0);
	/* A child inherits it. */
	pid = sys_fork();
	if (pid == 0)
		sys_exit_group((int)sys2(SYS_getpriority, PRIO_PROCESS, 0));
	CCHECK_EQ(ut_wait(pid, &st), 0);
	CCHECK(WIFEXITED(st) && WEXITSTATUS(st) == 13, "child: %s", ut_status_str(st));
	CCHECK_EQ(sys2(SYS_getpriority, 3, 0), -EINVAL);
	CCHECK_EQ(sys3(SYS_setpriority, -1, 0, 0), -EINVAL);
	CCHECK_EQ(sys2(SYS_getpriority, PRIO_PROCESS, 99999), -ESRCH);
	CCHECK_EQ(sys3(SYS_setpriority, PRIO_PROCESS, 99999, 0), -ESRCH);
	CCHECK_EQ(sys2(SYS_getpriority, PRIO_PGRP, 99999), -ESRCH);
	CCHECK_EQ(sys2(SYS_getpriority, PRIO_USER, 12345), -ESRCH);
	CCHECK_EQ(getpriority(PRIO_PROCESS, 0), 7);
}

static void
t_priority(void)
{
	CHECK_EXIT(c_priority, 0, 0);
}

static void
c_spinner(void *a)
{
	unsigned long one = 1;

	sys3(SYS_sched_setaffinity, 0, sizeof(one), &one);
	sys3(SYS_setpriority, PRIO_PROCESS, 0, (long)a);
	for (;;)
		;
}

/* Two spinners on one CPU: the nice 19 one gets far less of it. */
static void
t_nice_share(void)
{
	long p0, p19;
	long long c0, c19;
	int st;

	CHECK_OK(p0, ut_spawn(c_spinner, (void *)0L));
	CHECK_OK(p19, ut_spawn(c_spinner, (void *)19L));
	ut_sleep_ms(800);
	c0 = clock_ns(CPUCLOCK(p0, CPUCLOCK_SCHED));
	c19 = clock_ns(CPUCLOCK(p19, CPUCLOCK_SCHED));
	sys_kill(p0, SIGKILL);
	sys_kill(p19, SIGKILL);
	ut_wait(p0, &st);
	ut_wait(p19, &st);
	CHECK(c0 > 200 * MS, "nice 0 spinner: %lld ms of 800", c0 / MS);
	CHECK(c19 * 5 < c0, "nice 19 spinner %lld ms, nice 0 spinner %lld ms", c19 / MS, c0 / MS);
}

static void
t_affinity(void)
{
	unsigned long m = 0, all = ~0UL, none = 0;

	CHECK_EQ(sys3(SYS_sched_getaffinity, 0, sizeof(m), &m), sizeof(m));
	CHECK(m & 1, "CPU 0 not in the mask %lx", m);
	CHECK_EQ(sys3(SYS_sched_getaffinity, sys_getpid(), sizeof(m), &m), sizeof(m));
	CHECK_ERR(sys3(SYS_sched_getaffinity, 0, 4, &m), EINVAL);
	CHECK_ERR(sys3(SYS_sched_getaffinity, 0, 0, &m), EINVAL);
	CHECK_ERR(sys3(SYS_sched_getaffinity, 99999, sizeof(m), &m), ESRCH);
	CHECK_ERR(sys3(SYS_sched_getaffinity, 0, sizeof(m), KERNEL_ADDR), EFAULT);
	CHECK_EQ(sys3(SYS_sched_setaffinity, 0, sizeof(all), &all), 0);
	CHECK_EQ(sys3(SYS_sched_setaffinity, 0, sizeof(m), &m), 0);
	CHECK_ERR(sys3(SYS_sched_setaffinity, 0, sizeof(none), &none), EINVAL);
	CHECK_ERR(sys3(SYS_sched_setaffinity, 0, 0, &all), EINVAL);	/* empty */
	CHECK_ERR(sys3(SYS_sched_setaffinity, 99999, sizeof(m), &m), ESRCH);
	CHECK_ERR(sys3(SYS_sched_setaffinity, 0, sizeof(m), KERNEL_ADDR), EFAULT);
}

static void
t_sched_queries(void)
{
	int prio = -1;

	CHECK_EQ(sys1(SYS_sched_getscheduler, 0), SCHED_OTHER);
	CHECK_ERR(sys1(SYS_sched_getscheduler, -1), EINVAL);
	CHECK_ERR(sys1(SYS_sched_getscheduler, 99999), ESRCH);
	CHECK_EQ(sys2(SYS_sched_getparam, 0, &prio), 0);
	CHECK_EQ(prio, 0);
	CHECK_ERR(sys2(SYS_sched_getparam, 0, 0), EINVAL);
	CHECK_ERR(sys2(SYS_sched_getparam, -1, &prio), EINVAL);
	CHECK_ERR(sys2(SYS_sched_getparam, 99999, &prio), ESRCH);
	CHECK_ERR(sys2(SYS_sched_getparam, 0, KERNEL_ADDR), EFAULT);
	CHECK_EQ(sys1(SYS_sched_get_priority_max, SCHED_OTHER), 0);
	CHECK_EQ(sys1(SYS_sched_get_priority_min, SCHED_OTHER), 0);
	CHECK_EQ(sys1(SYS_sched_get_priority_max, SCHED_FIFO), 99);
	CHECK_EQ(sys1(SYS_sched_get_priority_min, SCHED_RR), 1);
	CHECK_EQ(sys1(SYS_sched_get_priority_max, SCHED_BATCH), 0);
	CHECK_ERR(sys1(SYS_sched_get_priority_max, 42), EINVAL);
	CHECK_ERR(sys1(SYS_sched_get_priority_min, -1), EINVAL);
}

static void
c_personality(void *a)
{
	struct utsname u;

	(void)a;
	CCHECK_EQ(sys1(SYS_personality, 0xffffffff), 0);	/* PER_LINUX */
	CCHECK_EQ(sys1(SYS_personality, PER_LINUX32), 0);
	CCHECK_EQ(sys1(SYS_personality, 0xffffffff), PER_LINUX32);
	CCHECK_EQ(sys1(SYS_uname, &u), 0);
	CCHECK(strcmp(u.machine, "i686") == 0, "machine %s under PER_LINUX32", u.machine);
	CCHECK_EQ(sys1(SYS_personality, 0), PER_LINUX32);
	CCHECK_EQ(sys1(SYS_uname, &u), 0);
	CCHECK(strcmp(u.machine, "x86_64") == 0, "machine %s", u.machine);
}

static void
t_personality(void)
{
	CHECK_EXIT(c_personality, 0, 0);
}

const struct utest time_tests[] = {
	{ "CLOCK_REALTIME from the RTC: after 2026, gettimeofday and time agree", t_realtime_rtc, 0 },
	{ "clock_getres of every clock; EINVAL, EFAULT", t_clock_getres, 0 },
	{ "the COARSE clocks trail theirs by a tick at most", t_clock_coarse, 0 },
	{ "clock_settime moves CLOCK_REALTIME only; EINVAL, EPERM, EFAULT", t_clock_settime, 0 },
	{ "settimeofday: the time and the zone; EINVAL, EFAULT", t_settimeofday, 0 },
	{ "TIMER_ABSTIME on CLOCK_REALTIME wakes when the clock is set past it",
	  t_abstime_clock_set, 0 },
	{ "a relative CLOCK_REALTIME sleep ignores the clock being set", t_relative_clock_set, 0 },
	{ "CPU clocks grow while spinning, not while sleeping", t_cputime_spin_sleep, 0 },
	{ "the CPU clock of a child by pid; a gone one is EINVAL", t_cpu_clock_of_child, 0 },
	{ "times and getrusage count a spin; EINVAL, EFAULT", t_times_getrusage, 0 },
	{ "wait4's rusage, RUSAGE_CHILDREN and times' children after the reap",
	  t_rusage_children, 0 },
	{ "ITIMER_REAL: SIGALRM, reload, remaining time, disarm", t_itimer_real, 0 },
	{ "alarm: the seconds left; SIGALRM kills by default", t_alarm, 0 },
	{ "setitimer/getitimer argument errors", t_itimer_errors, 0 },
	{ "ITIMER_VIRTUAL and ITIMER_PROF count CPU time only", t_itimer_cpu, 0 },
	{ "clock_nanosleep on its own CPU clock until a signal", t_cpu_nanosleep, 0 },
	{ "prctl: name, no_new_privs, dumpable, pdeathsig; fork's inheritance", t_prctl, 0 },
	{ "PR_SET_PDEATHSIG: the signal comes when the parent exits", t_pdeathsig, 0 },
	{ "getpriority/setpriority: 20 - nice, clamping, ESRCH, EINVAL", t_priority, 0 },
	{ "a nice 19 spinner gets far less CPU than a nice 0 one", t_nice_share, 0 },
	{ "sched_getaffinity/sched_setaffinity", t_affinity, 0 },
	{ "sched_getscheduler, sched_getparam, priority ranges", t_sched_queries, 0 },
	{ "personality: PER_LINUX, PER_LINUX32's uname, the query", t_personality, 0 },
	{ 0, 0, 0 },
};
