/*
 * pgrp.c: process groups and sessions, as Linux's setpgid(2), getpgid(2),
 * getpgrp(2), setsid(2) and getsid(2).
 *
 * Interface: the sys_* calls (sysproc.h).  Groups and sessions are only
 * the p_pgid and p_sid of each process: a group exists while one process
 * has it.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/sysproc.h>

struct pgrp_find {
	int pgid, sid;
};

/* Stops at a process in group pgid (and session sid, unless it is -1). */
static int
in_group(struct proc *q, void *arg)
{
	struct pgrp_find *f = arg;

	return q->p_pgid == f->pgid && (f->sid == -1 || q->p_sid == f->sid);
}

long
sys_setpgid(int pid, int pgid)
{
	struct proc *me = curproc(), *p;

	/* Linux resolves the zeros first: setpgid(-1, 0) asks for group -1. */
	if (pid == 0)
		pid = me->p_pid;
	if (pgid == 0)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	p = proc_find(pid);
	if (p == 0 || (p != me && p->p_parent != me))
		return -ESRCH;
	if (p->p_sid != me->p_sid || p->p_pid == p->p_sid)
		return -EPERM;
	if (pgid != p->p_pid) {
		/* Joining a group: it must exist in this session. */
		struct pgrp_find f = { pgid, me->p_sid };

		if (!proc_foreach(in_group, &f))
			return -EPERM;
	}
	p->p_pgid = pgid;
	return 0;
}

long
sys_getpgid(int pid)
{
	struct proc *p = pid ? proc_find(pid) : curproc();

	return p ? p->p_pgid : -ESRCH;
}

long
sys_getpgrp(void)
{
	return curproc()->p_pgid;
}

long
sys_setsid(void)
{
	struct proc *me = curproc();
	struct pgrp_find f = { me->p_pid, -1 };

	/* A group leader (or anyone whose pid names a group) cannot. */
	if (proc_foreach(in_group, &f))
		return -EPERM;
	me->p_pgid = me->p_sid = me->p_pid;
	return me->p_sid;
}

long
sys_getsid(int pid)
{
	struct proc *p = pid ? proc_find(pid) : curproc();

	return p ? p->p_sid : -ESRCH;
}
