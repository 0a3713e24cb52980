/*
 * cputime.c: CPU-time accounting and what reports it: times(2),
 * getrusage(2) and wait4's rusage (see <keel/time.h>).
 *
 * A process's time on a CPU is exact: clock_ns() at each switch.  The
 * tick samples where it found the process (p_uticks of p_ticks in ring
 * 3), and the total is split in that ratio, as Linux's cputime_adjust
 * does with its tick-based utime and stime: a process the tick never
 * caught reads as user time, and neither part ever goes back.  The
 * interval timers count the raw samples (itimer.c).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/cpu.h>
#include <keel/proc.h>
#include <keel/time.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <arch/arch.h>

void
cputime_switch(struct thread *prev, struct thread *next)
{
	uint64_t now = clock_ns(), ran = now - prev->t_run_start;

	prev->t_runtime_ns += ran;
	prev->t_proc->p_runtime_ns += ran;
	next->t_run_start = now;
}

void
cputime_user_tick(struct proc *p)
{
	p->p_uticks++;
}

void
time_tick(struct proc *p)
{
	if (p)
		p->p_ticks++;
	itimer_tick(p, clock_ns());
}

/*
 * What a switch writes (cputime_switch) is read under the scheduler's
 * lock, which every switch holds: a CPU's idle loop switches without the
 * kernel lock.
 */
uint64_t
cputime_runtime(struct proc *p)
{
	uint64_t fl = sched_lock_irqsave(), ns = p->p_runtime_ns, now = clock_ns();
	int i;

	/* Its threads running now, on any CPU. */
	for (i = 0; i < ncpus; i++)
		if (cpus[i].c_curproc == p)
			ns += now - cpus[i].c_curthread->t_run_start;
	sched_unlock_irqrestore(fl);
	return ns;
}

uint64_t
cputime_thread_runtime(struct thread *t)
{
	uint64_t fl = sched_lock_irqsave(), ns = t->t_runtime_ns;

	if (t->t_state == T_RUNNING)	/* on this CPU or another */
		ns += clock_ns() - t->t_run_start;
	sched_unlock_irqrestore(fl);
	return ns;
}

uint64_t
cputime_sample(struct proc *p, int which)
{
	return (which == ITIMER_VIRTUAL ? p->p_uticks : p->p_ticks) * TICK_NS;
}

/* a * b / c without a 128-bit product (b large, a <= c). */
static uint64_t
scale(uint64_t a, uint64_t b, uint64_t c)
{
	return b / c * a + b % c * a / c;
}

void
cputime_split(struct proc *p, uint64_t *utime, uint64_t *stime)
{
	uint64_t rt = cputime_runtime(p), u, s, fl;

	fl = intr_save();
	u = p->p_uticks;
	s = p->p_ticks > u ? p->p_ticks - u : 0;
	if (p->p_prev_utime + p->p_prev_stime < rt) {
		/* s == 0: all user time, as a process the tick never caught. */
		if (s != 0)
			s = u == 0 ? rt : scale(s, rt, u + s);
		if (s < p->p_prev_stime)
			s = p->p_prev_stime;
		u = rt - s;
		if (u < p->p_prev_utime) {
			u = p->p_prev_utime;
			s = rt - u;
		}
		p->p_prev_utime = u;
		p->p_prev_stime = s;
	}
	*utime = p->p_prev_utime;
	*stime = p->p_prev_stime;
	intr_restore(fl);
}

void
cputime_keep_rss(struct proc *p, struct aspace *as)
{
	if (as && as->as_resident_peak > p->p_maxrss)
		p->p_maxrss = as->as_resident_peak;
}

static struct ktimeval
ns_to_tv(uint64_t ns)
{
	return (struct ktimeval){ (int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / 1000) };
}

/* Linux's getrusage(p, who): RUSAGE_SELF (= THREAD here), CHILDREN or BOTH. */
static void
rusage_fill(struct proc *p, int who, struct krusage *ru)
{
	uint64_t ut = 0, st = 0, maxrss = 0;

	memset(ru, 0, sizeof(*ru));
	if (who == RUSAGE_CHILDREN || who == RUSAGE_BOTH) {
		ut = p->p_cutime;
		st = p->p_cstime;
		maxrss = p->p_cmaxrss;
	}
	if (who != RUSAGE_CHILDREN) {
		uint64_t u, s;

		cputime_split(p, &u, &s);
		ut += u;
		st += s;
		cputime_keep_rss(p, p->p_as);
		if (p->p_maxrss > maxrss)
			maxrss = p->p_maxrss;
	}
	ru->ru_utime = ns_to_tv(ut);
	ru->ru_stime = ns_to_tv(st);
	ru->ru_maxrss = (int64_t)(maxrss * (PAGE_SIZE / 1024));
}

void
cputime_reap(struct proc *parent, struct proc *c, struct krusage *ru)
{
	uint64_t ut, st;

	if (ru)
		rusage_fill(c, RUSAGE_BOTH, ru);
	cputime_split(c, &ut, &st);
	parent->p_cutime += ut + c->p_cutime;
	parent->p_cstime += st + c->p_cstime;
	if (c->p_maxrss > parent->p_cmaxrss)
		parent->p_cmaxrss = c->p_maxrss;
	if (c->p_cmaxrss > parent->p_cmaxrss)
		parent->p_cmaxrss = c->p_cmaxrss;
}

void
cputime_rusage(struct proc *c, struct krusage *ru)
{
	rusage_fill(c, RUSAGE_BOTH, ru);
}

long
sys_getrusage(int who, uint64_t uru)
{
	struct krusage ru;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	rusage_fill(curproc(), who == RUSAGE_THREAD ? RUSAGE_SELF : who, &ru);
	return copyout(uru, &ru, sizeof(ru));
}

/* times(2): the times in USER_HZ ticks; returns the ticks since boot. */
long
sys_times(uint64_t utms)
{
	struct proc *p = curproc();
	struct ktms t;
	uint64_t ut, st, unit = NSEC_PER_SEC / USER_HZ;

	if (utms) {
		cputime_split(p, &ut, &st);
		t.tms_utime = (int64_t)(ut / unit);
		t.tms_stime = (int64_t)(st / unit);
		t.tms_cutime = (int64_t)(p->p_cutime / unit);
		t.tms_cstime = (int64_t)(p->p_cstime / unit);
		if (copyout(utms, &t, sizeof(t)))
			return -EFAULT;
	}
	return (long)(clock_ns() / unit);
}
