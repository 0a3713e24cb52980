/*
 * h_ptr_time.c: bad pointers for the time, accounting, timer, scheduler
 * and prctl calls (kernel/time/, proc/prio.c, proc/prctl.c): every h_bad
 * pointer, read-only memory and the text for what the kernel writes, and
 * buffers that straddle the end of a mapping.
 *
 * Linux's answer is -EFAULT with nothing done, except where null means
 * "none" (clock_getres, gettimeofday, settimeofday, time, times,
 * setitimer's new value, which a null disarms), where null is -EINVAL
 * (sched_getparam), and where the kernel reads a name up to 15 bytes
 * (PR_SET_NAME takes 15 bytes before a hole).
 *
 * Interface: ptr_time_tests[] (hostile.h).
 */
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include "hostile.h"

#define INIT() CHECK(h_bad_init() == 0, "h_bad_init failed")

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_SET_NAME		15
#define PR_GET_NAME		16

static const char text_probe[] = "text";

/* Pointers the kernel must write through, on top of h_bad: read-only memory. */
#define CHECK_RO(expr) do {						\
	unsigned long P = (unsigned long)h_ro;				\
	CHECK_ERR(expr, EFAULT);					\
	P = (unsigned long)text_probe;					\
	CHECK_ERR(expr, EFAULT);					\
} while (0)
#define CHECK_EFAULT_OUT(expr) do {					\
	CHECK_EFAULT(expr);						\
	CHECK_RO(expr);							\
} while (0)
#define CHECK_EFAULT_OUT_NN(expr) do {					\
	CHECK_EFAULT_NN(expr);						\
	CHECK_RO(expr);							\
} while (0)

static void
t_time_out(void)
{
	struct itimerval zero = { { 0, 0 }, { 0, 0 } };
	struct timespec ts;

	INIT();
	CHECK_EFAULT_OUT_NN(sys2(SYS_clock_getres, CLOCK_REALTIME, P));
	CHECK_EQ(sys2(SYS_clock_getres, CLOCK_MONOTONIC_COARSE, 0), 0);
	CHECK_ERR(sys2(SYS_clock_getres, CLOCK_REALTIME, h_guard - 8), EFAULT);
	CHECK_EFAULT_OUT(sys2(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, P));
	CHECK_EFAULT_OUT(sys2(SYS_clock_gettime, CLOCK_MONOTONIC_COARSE, P));
	CHECK_EFAULT_OUT(sys2(SYS_clock_gettime, CLOCK_BOOTTIME, P));
	CHECK_EFAULT_OUT_NN(sys2(SYS_gettimeofday, P, 0));
	CHECK_EFAULT_OUT_NN(sys2(SYS_gettimeofday, 0, P));
	CHECK_ERR(sys2(SYS_gettimeofday, h_guard - 8, 0), EFAULT);
	CHECK_ERR(sys2(SYS_gettimeofday, 0, h_guard - 4), EFAULT);
	CHECK_EFAULT_OUT_NN(sys1(SYS_time, P));
	CHECK_ERR(sys1(SYS_time, h_guard - 4), EFAULT);
	CHECK_EFAULT_OUT_NN(sys1(SYS_times, P));
	CHECK_ERR(sys1(SYS_times, h_guard - 16), EFAULT);
	CHECK_EFAULT_OUT(sys2(SYS_getrusage, RUSAGE_SELF, P));
	CHECK_EFAULT_OUT(sys2(SYS_getrusage, RUSAGE_CHILDREN, P));
	CHECK_ERR(sys2(SYS_getrusage, RUSAGE_SELF, h_guard - 100), EFAULT);
	CHECK_EFAULT_OUT(sys2(SYS_getitimer, ITIMER_REAL, P));
	CHECK_EFAULT_OUT(sys2(SYS_getitimer, ITIMER_PROF, P));
	CHECK_ERR(sys2(SYS_getitimer, ITIMER_REAL, h_guard - 16), EFAULT);
	/* setitimer's old value: the (disarming) set is done, then the copy fails. */
	CHECK_EFAULT_OUT_NN(sys3(SYS_setitimer, ITIMER_REAL, &zero, P));
	CHECK_ERR(sys3(SYS_setitimer, ITIMER_VIRTUAL, &zero, h_guard - 16), EFAULT);
	CHECK_EFAULT_OUT(sys3(SYS_sched_getaffinity, 0, 8, P));
	CHECK_ERR(sys3(SYS_sched_getaffinity, 0, 8, h_guard - 4), EFAULT);
	CHECK_ERR(sys2(SYS_sched_getparam, 0, 0), EINVAL);
	CHECK_EFAULT_OUT_NN(sys2(SYS_sched_getparam, 0, P));
	CHECK_ERR(sys2(SYS_sched_getparam, 0, h_guard - 2), EFAULT);
	CHECK_EFAULT_OUT(sys2(SYS_prctl, PR_GET_NAME, P));
	CHECK_ERR(sys2(SYS_prctl, PR_GET_NAME, h_guard - 8), EFAULT);
	CHECK_EFAULT_OUT(sys2(SYS_prctl, PR_GET_PDEATHSIG, P));
	CHECK_ERR(sys2(SYS_prctl, PR_GET_PDEATHSIG, h_guard - 2), EFAULT);
	/* Nothing stuck: the clock still reads. */
	CHECK_EQ(sys2(SYS_clock_gettime, CLOCK_REALTIME, &ts), 0);
}

static void
t_time_in(void)
{
	struct timespec before, after;
	char *s;

	INIT();
	CHECK_EQ(sys2(SYS_clock_gettime, CLOCK_REALTIME, &before), 0);
	CHECK_EFAULT(sys2(SYS_clock_settime, CLOCK_REALTIME, P));
	CHECK_ERR(sys2(SYS_clock_settime, CLOCK_REALTIME, h_guard - 8), EFAULT);
	CHECK_EFAULT_NN(sys2(SYS_settimeofday, P, 0));
	CHECK_EFAULT_NN(sys2(SYS_settimeofday, 0, P));
	CHECK_ERR(sys2(SYS_settimeofday, h_guard - 8, 0), EFAULT);
	CHECK_ERR(sys2(SYS_settimeofday, 0, h_guard - 4), EFAULT);
	CHECK_EQ(sys2(SYS_clock_gettime, CLOCK_REALTIME, &after), 0);
	CHECK(after.tv_sec - before.tv_sec <= 2 && after.tv_sec >= before.tv_sec,
	    "the clock moved: %ld -> %ld", (long)before.tv_sec, (long)after.tv_sec);
	CHECK_EFAULT_NN(sys3(SYS_setitimer, ITIMER_REAL, P, 0));
	CHECK_ERR(sys3(SYS_setitimer, ITIMER_REAL, h_guard - 16, 0), EFAULT);
	CHECK_EFAULT(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, P, 0));
	CHECK_EFAULT(sys4(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, P, 0));
	CHECK_EFAULT(sys4(SYS_clock_nanosleep, CLOCK_PROCESS_CPUTIME_ID, 0, P, 0));
	CHECK_ERR(sys4(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, h_guard - 8, 0), EFAULT);
	CHECK_EFAULT(sys3(SYS_sched_setaffinity, 0, 8, P));
	CHECK_ERR(sys3(SYS_sched_setaffinity, 0, 8, h_guard - 4), EFAULT);
	CHECK_EFAULT(sys2(SYS_prctl, PR_SET_NAME, P));
	s = h_at_end("x");
	CHECK(s != 0, "h_at_end");
}

/* PR_SET_NAME reads at most 15 bytes: a name running into a hole after them is fine. */
static void
c_set_name_edge(void *a)
{
	char name[16];

	(void)a;
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_NAME, h_unterminated()), 0);
	CCHECK_EQ(sys2(SYS_prctl, PR_GET_NAME, name), 0);
	CCHECK(strcmp(name, "aaaaaaaaaaaaaaa") == 0, "name %.16s", name);
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_NAME, h_at_end("edge")), 0);
	CCHECK_EQ(sys2(SYS_prctl, PR_GET_NAME, name), 0);
	CCHECK(strcmp(name, "edge") == 0, "name %.16s", name);
	h_unterminated();
	CCHECK_EQ(sys2(SYS_prctl, PR_SET_NAME, h_guard - 1), -EFAULT);	/* 'a', then the hole */
}

static void
t_set_name_edge(void)
{
	INIT();
	CHECK_EXIT(c_set_name_edge, 0, 0);
}

const struct htest ptr_time_tests[] = {
	{ "time, accounting, timer, scheduler and prctl outputs: bad pointers -> -EFAULT",
	  t_time_out, 0 },
	{ "clock_settime, settimeofday, setitimer, clock_nanosleep, setaffinity, PR_SET_NAME"
	  " inputs: bad pointers -> -EFAULT, the clock unmoved", t_time_in, 0 },
	{ "PR_SET_NAME reads 15 bytes at most: up to a hole is fine", t_set_name_edge, 0 },
	{ 0, 0, 0 },
};
