/*
 * time.h: the clocks of the system calls, CPU-time accounting and the
 * interval timers (kernel/time/).
 *
 * CLOCK_MONOTONIC is the arch's clock_ns(); CLOCK_REALTIME is it plus an
 * offset, set from the RTC at boot and moved by clock_settime and
 * settimeofday, so the real clock steps while the monotonic one never does.
 *
 * CPU time: the time a process was on a CPU is exact, from clock_ns() at
 * each switch (cputime_switch); which part of it was user and which system
 * time is sampled by the tick, and the total split in that ratio (Linux's
 * tick-based cputime_adjust), never going back.
 *
 * Interface:
 *   time_real_ns()             CLOCK_REALTIME now, in ns since the epoch
 *   time_tick(p)               every tick (interrupts off), p the running
 *                              process or 0 when idle: tick samples, the
 *                              interval timers
 *   cputime_user_tick(p)       a tick found p in ring 3
 *   cputime_switch(prev, next) the CPU goes from prev to next (interrupts off)
 *   cputime_runtime(p)         ns p (its threads) has been on a CPU, up to now
 *   cputime_reap(parent, c, ru)  wait4 reaps c: its times and peak RSS join
 *                              parent's children's; ru (if not 0) gets c's
 *                              own and children's usage, as Linux's wait4
 *   cputime_rusage(c, ru)      c's own and children's usage, c not reaped
 *                              (wait's reports of stops, WNOWAIT)
 *   cputime_keep_rss(p, as)    as is about to go (exec, exit): remember its peak
 */
#ifndef KEEL_TIME_H
#define KEEL_TIME_H

#include <stdint.h>
#include <uapi/resource.h>
#include <arch/arch.h>

#define NSEC_PER_SEC	1000000000ULL
#define TICK_NS		(NSEC_PER_SEC / HZ)

struct proc;
struct thread;
struct aspace;

/* An interval timer: for ITIMER_REAL a clock_ns() deadline, else a CPU-time sample. */
struct itimer {
	uint64_t it_expires;		/* 0: disarmed */
	uint64_t it_incr;		/* reload, ns; 0: once */
};

uint64_t time_real_ns(void);
void time_tick(struct proc *p);

void cputime_user_tick(struct proc *p);
void cputime_switch(struct thread *prev, struct thread *next);
uint64_t cputime_runtime(struct proc *p);
/* ns the thread t has been on a CPU, up to now (CLOCK_THREAD_CPUTIME_ID). */
uint64_t cputime_thread_runtime(struct thread *t);
void cputime_reap(struct proc *parent, struct proc *c, struct krusage *ru);
void cputime_rusage(struct proc *c, struct krusage *ru);
void cputime_keep_rss(struct proc *p, struct aspace *as);
/* The sample an interval timer counts: user (VIRT) or user + system (PROF) tick time. */
uint64_t cputime_sample(struct proc *p, int which);
/* The accumulated user and system time of p, in ns (monotonic across calls). */
void cputime_split(struct proc *p, uint64_t *utime, uint64_t *stime);

/* itimer.c: the ITIMER_REAL deadlines and the CPU timers, from time_tick. */
void itimer_tick(struct proc *p, uint64_t now);

long sys_clock_gettime(int clock, uint64_t uts);
long sys_clock_settime(int clock, uint64_t uts);
long sys_clock_getres(int clock, uint64_t uts);
long sys_clock_nanosleep(int clock, int flags, uint64_t ureq, uint64_t urem);
long sys_nanosleep(uint64_t ureq, uint64_t urem);
long sys_gettimeofday(uint64_t utv, uint64_t utz);
long sys_settimeofday(uint64_t utv, uint64_t utz);
long sys_time(uint64_t ut);
long sys_times(uint64_t utms);
long sys_getrusage(int who, uint64_t uru);
long sys_alarm(unsigned int seconds);
long sys_setitimer(int which, uint64_t unew, uint64_t uold);
long sys_getitimer(int which, uint64_t ucur);

#endif
