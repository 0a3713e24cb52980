/*
 * prio.c: scheduling attributes as Linux answers for them: getpriority,
 * setpriority (the nice value sched.c weighs slices by),
 * sched_getaffinity, sched_setaffinity, sched_getscheduler,
 * sched_getparam, sched_get_priority_max/min.
 *
 * Every process is SCHED_OTHER at priority 0.  One CPU runs processes
 * (the boot CPU): an affinity mask must include it, and reads as it.
 * Everyone is root, so no nice value is refused (EACCES and EPERM come
 * with credentials).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/sysproc.h>
#include <keel/usercopy.h>
#include <uapi/resource.h>
#include <uapi/sched.h>

/* The CPUs processes run on, as a mask of Linux's (one long: nr_cpu_ids <= 64). */
static uint64_t
cpus_online(void)
{
	return 1;
}

struct prioarg {
	int which, who, nice;	/* nice: to set, or NICE_MAX + 1 to read */
	long ret;		/* -ESRCH until a process matches */
};

static int
prio_match(struct proc *p, struct prioarg *a)
{
	switch (a->which) {
	case PRIO_PROCESS:
		return p->p_pid == (a->who ? a->who : curproc()->p_pid);
	case PRIO_PGRP:
		return p->p_pgid == (a->who ? a->who : curproc()->p_pgid);
	default:
		return a->who == 0;	/* uid 0: everyone's, for now */
	}
}

static int
prio_one(struct proc *p, void *arg)
{
	struct prioarg *a = arg;

	if (!prio_match(p, a))
		return 0;
	if (a->nice > NICE_MAX) {
		/* getpriority's raw result: 20 - nice, the highest of them (1..40). */
		if (20 - p->p_nice > a->ret)
			a->ret = 20 - p->p_nice;
	} else {
		p->p_nice = a->nice;
		a->ret = 0;
	}
	return 0;
}

static long
prio_walk(int which, int who, int nice)
{
	struct prioarg a = { which, who, nice, -ESRCH };

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	proc_foreach(prio_one, &a);
	return a.ret;
}

long
sys_getpriority(int which, int who)
{
	return prio_walk(which, who, NICE_MAX + 1);
}

long
sys_setpriority(int which, int who, int nice)
{
	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	nice = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice;
	return prio_walk(which, who, nice);
}

static struct proc *
sched_target(int pid)
{
	return pid == 0 ? curproc() : proc_find(pid);
}

/* Linux's get_user_cpu_mask: a short mask is zero-extended, a long one cut. */
long
sys_sched_setaffinity(int pid, unsigned int len, uint64_t umask)
{
	uint64_t mask = 0;

	if (copyin(&mask, umask, len < sizeof(mask) ? len : sizeof(mask)))
		return -EFAULT;
	if (sched_target(pid) == 0)
		return -ESRCH;
	if ((mask & cpus_online()) == 0)
		return -EINVAL;
	return 0;
}

/* The bytes written: the kernel's cpumask size, one long. */
long
sys_sched_getaffinity(int pid, unsigned int len, uint64_t umask)
{
	uint64_t mask = cpus_online();

	if (len * 8ULL < 1 || (len & (sizeof(long) - 1)))
		return -EINVAL;
	if (sched_target(pid) == 0)
		return -ESRCH;
	if (copyout(umask, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

long
sys_sched_getscheduler(int pid)
{
	if (pid < 0)
		return -EINVAL;
	return sched_target(pid) ? SCHED_OTHER : -ESRCH;
}

long
sys_sched_getparam(int pid, uint64_t uparam)
{
	int prio = 0;	/* sched_priority: 0 for SCHED_OTHER */

	if (pid < 0 || uparam == 0)
		return -EINVAL;
	if (sched_target(pid) == 0)
		return -ESRCH;
	return copyout(uparam, &prio, sizeof(prio));
}

long
sys_sched_get_priority_max(int policy)
{
	switch (policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		return 99;
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
	case SCHED_DEADLINE:
		return 0;
	}
	return -EINVAL;
}

long
sys_sched_get_priority_min(int policy)
{
	switch (policy) {
	case SCHED_FIFO:
	case SCHED_RR:
		return 1;
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
	case SCHED_DEADLINE:
		return 0;
	}
	return -EINVAL;
}
