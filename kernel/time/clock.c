/*
 * clock.c: the POSIX clocks of the system calls: clock_gettime,
 * clock_settime, clock_getres, clock_nanosleep, nanosleep, gettimeofday,
 * settimeofday, time (see <keel/time.h>).
 *
 * CLOCK_MONOTONIC, _RAW and BOOTTIME are clock_ns() (nothing suspends);
 * CLOCK_REALTIME adds real_offset, which the RTC's reading at boot starts
 * and settime moves; CLOCK_TAI is CLOCK_REALTIME (Linux's TAI offset stays
 * 0 until adjtimex sets it, and keel has no adjtimex).  The COARSE clocks read as of the last tick, as
 * Linux's.  The CPU clocks are cputime.c's.  Sleepers until a realtime
 * deadline sleep on &real_offset, so a settime wakes them to look at the
 * clock again (Linux: an absolute CLOCK_REALTIME timer follows the clock).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/spinlock.h>
#include <keel/time.h>
#include <keel/usercopy.h>
#include <arch/arch.h>
#include <uapi/time.h>

static uint64_t real_offset;	/* CLOCK_REALTIME - clock_ns() */
static int real_offset_set;	/* 0: still the RTC's */
static struct ktimezone sys_tz;	/* settimeofday's, given back by gettimeofday */

/*
 * Linux's TIME_SETTOD_SEC_MAX: the realtime clock may not be set so late
 * that 30 years of uptime would overflow 2^63 ns.
 */
#define SETTOD_SEC_MAX	(INT64_MAX / (int64_t)NSEC_PER_SEC - 30LL * 365 * 24 * 3600)

/* Read without the kernel lock (clock_gettime is nolock): set_real publishes. */
static uint64_t
offset(void)
{
	if (__atomic_load_n(&real_offset_set, __ATOMIC_ACQUIRE))
		return __atomic_load_n(&real_offset, __ATOMIC_RELAXED);
	return clock_boot_epoch_ns();
}

uint64_t
time_real_ns(void)
{
	return clock_ns() + offset();
}

/* Setting the time needs CAP_SYS_TIME on Linux: root's here. */
static long
may_set_time(void)
{
	return cred_capable() ? 0 : -EPERM;
}

/* Linux's do_settimeofday64: never before the monotonic clock (boot time would be negative). */
static long
set_real(const struct ktimespec *ts)
{
	uint64_t now = clock_ns(), ns;
	long err;

	if (ts->tv_sec < 0 || ts->tv_sec >= SETTOD_SEC_MAX || ts->tv_nsec < 0 ||
	    ts->tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if ((err = may_set_time()) != 0)
		return err;
	ns = (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
	if (ns < now)
		return -EINVAL;
	__atomic_store_n(&real_offset, ns - now, __ATOMIC_RELAXED);
	__atomic_store_n(&real_offset_set, 1, __ATOMIC_RELEASE);
	wakeup(&real_offset);
	return 0;
}

static void
ns_to_ts(uint64_t ns, struct ktimespec *ts)
{
	ts->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % NSEC_PER_SEC);
}

/* As of the last tick: the COARSE clocks. */
static uint64_t
coarse(uint64_t ns)
{
	return ns - ns % TICK_NS;
}

/*
 * A CPU clock id: 2 and 3 name the caller's, a negative one another
 * process's or thread's (~pid << 3 | which; pid 0: the caller).  *p gets
 * the process, *which its CPUCLOCK_*.  -EINVAL for no such clock, as
 * Linux's validate_clock_permissions: a per-thread clock only names a
 * thread of the caller's process.  A thread's clock has THREAD_CLOCK and
 * the tid (above the low bits) in *which.
 */
#define THREAD_CLOCK	0x8
#define THREAD_SHIFT	4

static long
cpu_clock(int clock, struct proc **p, int *which)
{
	struct thread *t;
	int pid;

	if (clock == CLOCK_PROCESS_CPUTIME) {
		*p = curproc();
		*which = CPUCLOCK_SCHED;
		return 0;
	}
	if (clock == CLOCK_THREAD_CPUTIME) {
		*p = curproc();
		*which = CPUCLOCK_SCHED | THREAD_CLOCK | curthread()->t_tid << THREAD_SHIFT;
		return 0;
	}
	if (clock >= 0)
		return -EINVAL;
	*which = clock & CPUCLOCK_WHICH_MASK;
	if (*which > CPUCLOCK_SCHED)
		return -EINVAL;
	pid = ~(clock >> 3);
	if (pid == 0) {
		*p = curproc();
		return 0;
	}
	if (clock & CPUCLOCK_PERTHREAD) {
		t = thread_find(pid);
		if (t == 0 || t->t_proc != curproc())
			return -EINVAL;
		*p = t->t_proc;
		*which |= THREAD_CLOCK | pid << THREAD_SHIFT;
		return 0;
	}
	*p = proc_find(pid);
	return *p ? 0 : -EINVAL;
}

static uint64_t
cpu_clock_ns(struct proc *p, int which)
{
	uint64_t ut, st;
	struct thread *t;

	/* A thread's own time; its user/system split is its process's. */
	if ((which & THREAD_CLOCK) && (which & CPUCLOCK_WHICH_MASK) == CPUCLOCK_SCHED &&
	    (t = thread_find(which >> THREAD_SHIFT)) != 0)
		return cputime_thread_runtime(t);
	which &= CPUCLOCK_WHICH_MASK;
	if (which == CPUCLOCK_SCHED)
		return cputime_runtime(p);
	cputime_split(p, &ut, &st);
	return which == CPUCLOCK_VIRT ? ut : ut + st;
}

/* The clock's time in *ns: 0 or -EINVAL. */
static long
clock_read(int clock, uint64_t *ns)
{
	struct proc *p;
	int which;
	long err;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		*ns = time_real_ns();
		return 0;
	case CLOCK_REALTIME_COARSE:
		*ns = coarse(clock_ns()) + offset();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		*ns = clock_ns();
		return 0;
	case CLOCK_MONOTONIC_COARSE:
		*ns = coarse(clock_ns());
		return 0;
	}
	/* The CPU clocks look up processes and threads: under the kernel lock. */
	klock_enter();
	if ((err = cpu_clock(clock, &p, &which)) == 0)
		*ns = cpu_clock_ns(p, which);
	klock_exit();
	return err;
}

long
sys_clock_gettime(int clock, uint64_t uts)
{
	struct ktimespec ts;
	uint64_t ns;
	long err = clock_read(clock, &ns);

	if (err)
		return err;
	ns_to_ts(ns, &ts);
	return copyout(uts, &ts, sizeof(ts));
}

/*
 * As Linux: the high-resolution clocks and the CPU clocks counted in ns
 * say 1 ns; the coarse ones and the tick-sampled CPU clocks a tick.
 * A null pointer only asks whether the clock exists.
 */
long
sys_clock_getres(int clock, uint64_t uts)
{
	struct ktimespec ts = { 0, 1 };
	struct proc *p;
	int which;
	long err;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		break;
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
		ts.tv_nsec = TICK_NS;
		break;
	default:
		klock_enter();		/* as clock_read */
		err = cpu_clock(clock, &p, &which);
		klock_exit();
		if (err != 0)
			return err;
		if ((which & CPUCLOCK_WHICH_MASK) != CPUCLOCK_SCHED)
			ts.tv_nsec = TICK_NS;
	}
	return uts ? copyout(uts, &ts, sizeof(ts)) : 0;
}

/*
 * Only CLOCK_REALTIME can be set.  A CPU clock named by pid says -EPERM
 * once the id checks out (Linux's posix_cpu_clock_set); the others,
 * CLOCK_PROCESS/THREAD_CPUTIME_ID among them, are -EINVAL, all before
 * the pointer is read.
 */
long
sys_clock_settime(int clock, uint64_t uts)
{
	struct ktimespec ts;
	struct proc *p;
	int which;
	long err;

	if (clock != CLOCK_REALTIME) {
		if (clock >= 0)
			return -EINVAL;
		if ((err = cpu_clock(clock, &p, &which)) != 0)
			return err;
		return -EPERM;
	}
	if (copyin(&ts, uts, sizeof(ts)))
		return -EFAULT;
	return set_real(&ts);
}

/* A timespec into ns: -EINVAL when malformed; past 2^63 ns it saturates (Linux's ktime). */
static long
timespec_ns(uint64_t uts, uint64_t *ns)
{
	struct ktimespec ts;

	if (copyin(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= INT64_MAX / NSEC_PER_SEC)
		*ns = INT64_MAX;
	else
		*ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

static long
interrupted(uint64_t left, uint64_t urem)
{
	struct ktimespec ts;

	curthread()->t_syscall_nr = -1;	/* never restarted after a handler, as Linux */
	if (urem) {
		ns_to_ts(left, &ts);
		if (copyout(urem, &ts, sizeof(ts)))
			return -EFAULT;
	}
	return -EINTR;
}

/*
 * Sleep until the monotonic clock reaches deadline, or with real set, the
 * realtime clock (whose offset a settime may move meanwhile).  A handler
 * ends it with -EINTR, the time left going to urem when not 0.
 */
static long
sleep_until(uint64_t deadline, int real, uint64_t urem)
{
	uint64_t now, off;
	int chan;

	for (;;) {
		off = real ? offset() : 0;
		now = clock_ns() + off;
		if (now >= deadline)
			return 0;
		if (sleep_on(real ? (const void *)&real_offset : &chan, deadline - off)) {
			now = clock_ns() + off;
			return interrupted(now < deadline ? deadline - now : 0, urem);
		}
	}
}

/*
 * Until p's CPU clock reaches deadline: its own never moves while it
 * sleeps (one thread per process), so only a signal ends that, as on
 * Linux.  The wait is re-checked at most every remaining CPU time.
 */
static long
sleep_cpu_until(int clock, uint64_t deadline, uint64_t urem)
{
	struct proc *p;
	uint64_t now;
	int which, chan;

	for (;;) {
		if (cpu_clock(clock, &p, &which))
			return 0;	/* the process is gone: its clock stopped */
		now = cpu_clock_ns(p, which);
		if (now >= deadline)
			return 0;
		if (sleep_on(&chan, clock_ns() + (deadline - now)))
			return interrupted(deadline - now, urem);
	}
}

long
sys_nanosleep(uint64_t ureq, uint64_t urem)
{
	uint64_t ns;
	long r = timespec_ns(ureq, &ns);

	if (r)
		return r;
	return sleep_until(ns >= INT64_MAX ? UINT64_MAX : clock_ns() + ns, 0, urem);
}

/*
 * clock_nanosleep(2): relative or TIMER_ABSTIME.  A relative sleep on
 * CLOCK_REALTIME is a monotonic one (POSIX: setting the clock does not
 * change it); an absolute one follows the clock.  The thread CPU clock
 * cannot be slept on (-EOPNOTSUPP), nor can a thread its own by pid
 * (-EINVAL), as Linux's posix_cpu_nsleep.
 */
long
sys_clock_nanosleep(int clock, int flags, uint64_t ureq, uint64_t urem)
{
	struct proc *p;
	uint64_t ns, now;
	int real = 0, which;
	long r;

	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		real = 1;
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		break;
	case CLOCK_THREAD_CPUTIME:
		return -EOPNOTSUPP;	/* Linux's thread_cpu_nsleep */
	case CLOCK_PROCESS_CPUTIME:
		break;
	default:
		if (clock >= 0)
			return -EINVAL;
		if ((r = cpu_clock(clock, &p, &which)) != 0)
			return r;
		if (clock & CPUCLOCK_PERTHREAD)
			return -EINVAL;
	}
	r = timespec_ns(ureq, &ns);
	if (r)
		return r;
	if (clock == CLOCK_PROCESS_CPUTIME || clock < 0) {
		clock_read(clock, &now);
		if (flags & TIMER_ABSTIME)
			return sleep_cpu_until(clock, ns, 0);
		return sleep_cpu_until(clock, ns >= INT64_MAX ? UINT64_MAX : now + ns, urem);
	}
	if (flags & TIMER_ABSTIME)
		return sleep_until(ns, real, 0);
	return sleep_until(ns >= INT64_MAX ? UINT64_MAX : clock_ns() + ns, 0, urem);
}

/* gettimeofday(2) and time(2): glibc's fallbacks without a vDSO. */
long
sys_gettimeofday(uint64_t utv, uint64_t utz)
{
	uint64_t ns = time_real_ns();
	struct ktimeval tv = { (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / 1000) };

	if (utv && copyout(utv, &tv, sizeof(tv)))
		return -EFAULT;
	if (utz && copyout(utz, &sys_tz, sizeof(sys_tz)))
		return -EFAULT;
	return 0;
}

/*
 * settimeofday(2), as Linux's: either pointer may be null; the time zone
 * is only kept (minutes west within 15 hours) and given back by
 * gettimeofday.  (Linux's first zone-only call also "warps" a clock it
 * believes runs in local time; keel's RTC is read as UTC, so never.)
 */
long
sys_settimeofday(uint64_t utv, uint64_t utz)
{
	struct ktimeval tv;
	struct ktimespec ts;
	struct ktimezone tz;
	long err;

	if (utv) {
		if (copyin(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_usec < 0 || tv.tv_usec > 1000000)
			return -EINVAL;
		ts.tv_sec = tv.tv_sec;
		ts.tv_nsec = tv.tv_usec * 1000;
	}
	if (utz && copyin(&tz, utz, sizeof(tz)))
		return -EFAULT;
	if (utv && (ts.tv_sec < 0 || ts.tv_sec >= SETTOD_SEC_MAX || ts.tv_nsec >= (int64_t)NSEC_PER_SEC))
		return -EINVAL;
	if ((err = may_set_time()) != 0)
		return err;
	if (utz) {
		if (tz.tz_minuteswest > 15 * 60 || tz.tz_minuteswest < -15 * 60)
			return -EINVAL;
		sys_tz = tz;
	}
	return utv ? set_real(&ts) : 0;
}

long
sys_time(uint64_t ut)
{
	int64_t t = (int64_t)(time_real_ns() / NSEC_PER_SEC);

	if (ut && copyout(ut, &t, sizeof(t)))
		return -EFAULT;
	return t;
}
