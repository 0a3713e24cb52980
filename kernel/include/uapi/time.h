/*
 * time.h: clock ids of clock_gettime(2) (Linux's include/uapi/linux/time.h,
 * where the two CPU-time clocks end in _ID), the interval timers, and the
 * structs of x86-64 (k-prefixed: host tests see libc's too).  The
 * constants are usable from C and assembly.
 */
#ifndef UAPI_TIME_H
#define UAPI_TIME_H

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_PROCESS_CPUTIME	2	/* CLOCK_PROCESS_CPUTIME_ID */
#define CLOCK_THREAD_CPUTIME	3	/* CLOCK_THREAD_CPUTIME_ID */
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7
#define CLOCK_TAI		11	/* REALTIME + the TAI offset (0 until adjtimex) */
#define TIMER_ABSTIME		1	/* clock_nanosleep: an absolute time */

/*
 * A negative clock id names the CPU clock of another process or thread
 * (Linux's MAKE_PROCESS_CPUCLOCK: ~pid << 3 | which, bit 2 per thread).
 */
#define CPUCLOCK_PROF		0	/* user + system time */
#define CPUCLOCK_VIRT		1	/* user time */
#define CPUCLOCK_SCHED		2	/* time on a CPU, to the nanosecond */
#define CPUCLOCK_WHICH_MASK	3
#define CPUCLOCK_PERTHREAD	4

#define ITIMER_REAL		0	/* wall time: SIGALRM */
#define ITIMER_VIRTUAL		1	/* user time: SIGVTALRM */
#define ITIMER_PROF		2	/* user + system time: SIGPROF */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct ktimespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct ktimeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct ktimezone {
	int32_t tz_minuteswest;
	int32_t tz_dsttime;
};

struct kitimerval {
	struct ktimeval it_interval;	/* reloaded on expiry; 0: once */
	struct ktimeval it_value;	/* left until expiry; 0: disarmed */
};

/* times(2)'s struct tms, in clock ticks of USER_HZ. */
struct ktms {
	int64_t tms_utime, tms_stime, tms_cutime, tms_cstime;
};
#define USER_HZ			100
#endif

#endif
