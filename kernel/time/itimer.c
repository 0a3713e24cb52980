/*
 * itimer.c: the interval timers, alarm(2), setitimer(2), getitimer(2),
 * as Linux's kernel/time/itimer.c answers them.
 *
 * ITIMER_REAL keeps a clock_ns() deadline; the tick fires the due ones
 * (SIGALRM), walking the processes only when the earliest deadline of all,
 * real_next, has passed.  ITIMER_VIRTUAL and ITIMER_PROF keep an expiry on
 * the process's user or user + system tick time (cputime_sample), checked
 * on each tick it is charged (SIGVTALRM, SIGPROF); as Linux's, they are
 * armed one tick later than asked, since the tick that would fire them
 * may already have been counted.  A timer with an interval is reloaded on
 * expiry, past the present.  fork clears a child's timers; exec keeps them.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/time.h>
#include <keel/usercopy.h>
#include <arch/arch.h>

static uint64_t real_next = UINT64_MAX;	/* no ITIMER_REAL deadline before this */

static const int itimer_sig[3] = { SIGALRM, SIGVTALRM, SIGPROF };

/* The next expiry after now: it_expires moved on by whole intervals, or 0. */
static uint64_t
reload(const struct itimer *it, uint64_t now)
{
	if (it->it_incr == 0)
		return 0;
	return it->it_expires + ((now - it->it_expires) / it->it_incr + 1) * it->it_incr;
}

static int
real_due(struct proc *p, void *arg)
{
	uint64_t now = *(uint64_t *)arg;
	struct itimer *it = &p->p_itimer[ITIMER_REAL];

	if (it->it_expires == 0)
		return 0;
	if (p->p_state == P_ZOMBIE) {
		it->it_expires = 0;
		return 0;
	}
	if (now >= it->it_expires) {
		signal_send_kernel(p, SIGALRM);
		it->it_expires = reload(it, now);
	}
	if (it->it_expires && it->it_expires < real_next)
		real_next = it->it_expires;
	return 0;
}

static void
cpu_due(struct proc *p, int which)
{
	struct itimer *it = &p->p_itimer[which];
	uint64_t now;

	if (it->it_expires == 0)
		return;
	now = cputime_sample(p, which);
	if (now >= it->it_expires) {
		signal_send_kernel(p, itimer_sig[which]);
		it->it_expires = reload(it, now);
	}
}

/* Interrupts off: from the tick. */
void
itimer_tick(struct proc *p, uint64_t now)
{
	if (now >= real_next) {
		real_next = UINT64_MAX;
		proc_foreach(real_due, &now);
	}
	if (p) {
		cpu_due(p, ITIMER_VIRTUAL);
		cpu_due(p, ITIMER_PROF);
	}
}

/* Past 2^63 ns a time saturates, as Linux's ktime. */
static uint64_t
tv_ns(const struct ktimeval *tv)
{
	if ((uint64_t)tv->tv_sec >= INT64_MAX / NSEC_PER_SEC)
		return INT64_MAX;
	return (uint64_t)tv->tv_sec * NSEC_PER_SEC + (uint64_t)tv->tv_usec * 1000;
}

static struct ktimeval
ns_tv(uint64_t ns)
{
	return (struct ktimeval){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / 1000) };
}

/* What is left of p's timer, and its interval, in ns (Linux's do_getitimer). */
static void
itimer_get(struct proc *p, int which, uint64_t *value, uint64_t *incr)
{
	struct itimer *it = &p->p_itimer[which];
	uint64_t now, fl = intr_save();

	*incr = it->it_incr;
	*value = 0;
	if (it->it_expires) {
		now = which == ITIMER_REAL ? clock_ns() : cputime_sample(p, which);
		if (it->it_expires > now)
			*value = it->it_expires - now;
		else	/* about to fire: not disarmed (Linux: a microsecond, or a tick) */
			*value = which == ITIMER_REAL ? 1000 : TICK_NS;
	}
	intr_restore(fl);
}

/* Arm (value != 0) or disarm p's timer; the old value and interval to *ov, *oi. */
static void
itimer_set(struct proc *p, int which, uint64_t value, uint64_t incr, uint64_t *ov, uint64_t *oi)
{
	struct itimer *it = &p->p_itimer[which];
	uint64_t fl;

	itimer_get(p, which, ov, oi);
	fl = intr_save();
	if (value == 0) {
		it->it_expires = 0;
		it->it_incr = which == ITIMER_REAL ? 0 : incr;
	} else if (which == ITIMER_REAL) {
		it->it_expires = clock_ns() + value;
		it->it_incr = incr;
		if (it->it_expires < real_next)
			real_next = it->it_expires;
	} else {
		it->it_expires = cputime_sample(p, which) + value + TICK_NS;
		it->it_incr = incr;
	}
	intr_restore(fl);
}

long
sys_setitimer(int which, uint64_t unew, uint64_t uold)
{
	struct kitimerval v;
	uint64_t ov, oi;

	memset(&v, 0, sizeof(v));
	/* A null new value disarms (a misfeature Linux keeps). */
	if (unew) {
		if (copyin(&v, unew, sizeof(v)))
			return -EFAULT;
		if (v.it_value.tv_sec < 0 || v.it_value.tv_usec < 0 ||
		    v.it_value.tv_usec >= 1000000 || v.it_interval.tv_sec < 0 ||
		    v.it_interval.tv_usec < 0 || v.it_interval.tv_usec >= 1000000)
			return -EINVAL;
	}
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	itimer_set(curproc(), which, tv_ns(&v.it_value), tv_ns(&v.it_interval), &ov, &oi);
	if (uold) {
		v.it_value = ns_tv(ov);
		v.it_interval = ns_tv(oi);
		if (copyout(uold, &v, sizeof(v)))
			return -EFAULT;
	}
	return 0;
}

long
sys_getitimer(int which, uint64_t ucur)
{
	struct kitimerval v;
	uint64_t value, incr;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	itimer_get(curproc(), which, &value, &incr);
	v.it_value = ns_tv(value);
	v.it_interval = ns_tv(incr);
	return copyout(ucur, &v, sizeof(v));
}

/*
 * alarm(2): ITIMER_REAL once; returns the seconds that were left, rounded
 * to the nearest, and never 0 while one was pending (Linux's alarm_setitimer).
 */
long
sys_alarm(unsigned int seconds)
{
	uint64_t ov, oi, sec;

	itimer_set(curproc(), ITIMER_REAL, (uint64_t)seconds * NSEC_PER_SEC, 0, &ov, &oi);
	sec = ov / NSEC_PER_SEC;
	ov %= NSEC_PER_SEC;
	if ((sec == 0 && ov) || ov >= NSEC_PER_SEC / 2)
		sec++;
	return (long)sec;
}
