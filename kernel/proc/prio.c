/*
 * prio.c: scheduling attributes as Linux answers for them: getpriority,
 * setpriority (the nice value sched.c weighs slices by),
 * sched_getaffinity, sched_setaffinity, sched_getscheduler,
 * sched_getparam, sched_get_priority_max/min.
 *
 * Every process is SCHED_OTHER at priority 0.  Affinity is a thread's
 * (Linux's pid there is a tid), a mask of online CPUs; sched.c places
 * threads by it.
 * Only root (euid 0) lowers a nice value past RLIMIT_NICE or touches
 * another user's processes (set_one).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/cpu.h>
#include <keel/proc.h>
#include <keel/sysproc.h>
#include <keel/usercopy.h>
#include <uapi/resource.h>
#include <uapi/sched.h>

/* The CPUs processes run on, as a mask of Linux's (one long: nr_cpu_ids <= 64). */
static uint64_t
cpus_online(void)
{
	uint64_t m = 0;
	int i;

	for (i = 0; i < ncpus; i++)
		if (cpu_online(&cpus[i]))
			m |= 1ULL << i;
	return m;
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
		/* A user's processes by their real uid (0: the caller's). */
		return p->p_cred.c_uid == (a->who ? (uint32_t)a->who : curproc()->p_cred.c_uid);
	}
}

/*
 * Linux's set_one_prio: the caller's effective uid must be the target's
 * real or effective one (or root: CAP_SYS_NICE), and a lower nice value
 * than the target has is within RLIMIT_NICE (20 - nice) or root's.  The
 * first refusal stays the answer; a success only replaces -ESRCH.
 */
static void
set_one(struct proc *p, struct prioarg *a)
{
	const struct cred *c = &curproc()->p_cred;
	uint64_t lim = curproc()->p_rlim[RLIMIT_NICE].rlim_cur;

	if (c->c_euid != 0 && c->c_euid != p->p_cred.c_uid && c->c_euid != p->p_cred.c_euid) {
		a->ret = -EPERM;
		return;
	}
	if (a->nice < p->p_nice && c->c_euid != 0 && (uint64_t)(20 - a->nice) > lim) {
		a->ret = -EACCES;
		return;
	}
	if (a->ret == -ESRCH)
		a->ret = 0;
	p->p_nice = a->nice;
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
		set_one(p, a);
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

static struct thread *
affinity_target(int pid)
{
	return pid == 0 ? curthread() : pid > 0 ? thread_find(pid) : 0;
}

/*
 * Linux's get_user_cpu_mask: a short mask is zero-extended, a long one
 * cut; check_same_owner: the caller's euid is the target's uid or euid
 * (or root's).  The CPUs of the mask not online are dropped, none left is
 * EINVAL.
 */
long
sys_sched_setaffinity(int pid, unsigned int len, uint64_t umask)
{
	const struct cred *c = &curproc()->p_cred;
	uint64_t mask = 0;
	struct thread *t;

	if (copyin(&mask, umask, len < sizeof(mask) ? len : sizeof(mask)))
		return -EFAULT;
	if ((t = affinity_target(pid)) == 0)
		return -ESRCH;
	if (c->c_euid != 0 && c->c_euid != t->t_proc->p_cred.c_uid &&
	    c->c_euid != t->t_proc->p_cred.c_euid)
		return -EPERM;
	if ((mask &= cpus_online()) == 0)
		return -EINVAL;
	sched_set_affinity(t, mask == cpus_online() ? 0 : mask);
	return 0;
}

/* The bytes written: the kernel's cpumask size, one long. */
long
sys_sched_getaffinity(int pid, unsigned int len, uint64_t umask)
{
	uint64_t mask = cpus_online();
	struct thread *t;

	if (len * 8ULL < 1 || (len & (sizeof(long) - 1)))
		return -EINVAL;
	if ((t = affinity_target(pid)) == 0)
		return -ESRCH;
	if (t->t_affinity)
		mask &= t->t_affinity;
	if (copyout(umask, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

/* getcpu(2): the CPU and NUMA node (one: 0) the caller runs on. */
long
sys_getcpu(uint64_t ucpu, uint64_t unode, uint64_t unused)
{
	unsigned int cpu = curcpu()->c_id, node = 0;

	(void)unused;
	if (ucpu && copyout(ucpu, &cpu, sizeof(cpu)))
		return -EFAULT;
	if (unode && copyout(unode, &node, sizeof(node)))
		return -EFAULT;
	return 0;
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
