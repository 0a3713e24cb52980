/*
 * time.h: clock ids of clock_gettime(2) (Linux's include/uapi/linux/time.h,
 * where the two CPU-time clocks end in _ID).  Usable from C and assembly.
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
#define TIMER_ABSTIME		1	/* clock_nanosleep: an absolute time */

#endif
