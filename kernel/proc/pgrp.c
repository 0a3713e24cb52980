/*
 * pgrp.c: process groups and sessions, as Linux's setpgid(2), getpgid(2),
 * getpgrp(2), setsid(2) and getsid(2).
 *
 * Interface: the sys_* calls (sysproc.h); pgrp_is_orphaned,
 * pgrp_orphan_check, pgrp_session, pgrp_signal (proc.h), for job control.
 * Groups and sessions are only the p_pgid and p_sid of each process: a
 * group exists while one process has it.
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

/* ---- job control's view of groups ---- */

struct orphan_find {
	int pgid;
	struct proc *ignore;
};

/*
 * A member of the group whose parent, in another group of the same
 * session, can still continue it (Linux's will_become_orphaned_pgrp: a
 * zombie or a child of init does not count).
 */
static int
has_outside_parent(struct proc *q, void *arg)
{
	struct orphan_find *f = arg;
	struct proc *parent = q->p_parent;

	if (q->p_pgid != f->pgid || q == f->ignore || q->p_state != P_LIVE ||
	    parent == 0 || parent->p_pid == 1)
		return 0;
	return parent->p_pgid != f->pgid && parent->p_sid == q->p_sid;
}

int
pgrp_is_orphaned(int pgid, struct proc *ignore)
{
	struct orphan_find f = { pgid, ignore };

	return !proc_foreach(has_outside_parent, &f);
}

static int
stopped_member(struct proc *q, void *arg)
{
	return q->p_pgid == *(int *)arg && q->p_state == P_LIVE && q->p_stopped;
}

/* As Linux's kill_orphaned_pgrp (exit_notify, reparent_leader). */
void
pgrp_orphan_check(struct proc *p, struct proc *parent)
{
	struct proc *ignore = p;
	int pgid = p->p_pgid;

	if (parent)
		ignore = 0;	/* p's parent exits: p stays a member */
	else
		parent = p->p_parent;	/* p exits: its own group */
	if (parent == 0 || parent->p_pgid == pgid || parent->p_sid != p->p_sid)
		return;
	if (pgrp_is_orphaned(pgid, ignore) && proc_foreach(stopped_member, &pgid)) {
		pgrp_signal(pgid, SIGHUP);
		pgrp_signal(pgid, SIGCONT);
	}
}

struct session_find {
	int id, sid;
};

static int
group_session(struct proc *q, void *arg)
{
	struct session_find *f = arg;

	if (q->p_pgid != f->id)
		return 0;
	f->sid = q->p_sid;
	return 1;
}

int
pgrp_session(int pgid)
{
	struct session_find f = { pgid, -1 };
	struct proc *p;

	if (proc_foreach(group_session, &f))
		return f.sid;
	p = proc_find(pgid);
	return p ? p->p_sid : -1;
}

struct pgrp_kill {
	int pgid, sig, found;
};

static int
kill_member(struct proc *q, void *arg)
{
	struct pgrp_kill *k = arg;
	struct ksiginfo si = { .si_code = SI_KERNEL };

	if (q->p_pgid == k->pgid && q->p_state == P_LIVE) {
		k->found = 1;
		signal_send_info(q, k->sig, &si);
	}
	return 0;
}

int
pgrp_signal(int pgid, int sig)
{
	struct pgrp_kill k = { pgid, sig, 0 };

	if (pgid <= 0)
		return -ESRCH;
	proc_foreach(kill_member, &k);
	return k.found ? 0 : -ESRCH;
}

/* ---- the system calls ---- */

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
	me->p_ctty = 0;		/* a new session has no terminal yet */
	return me->p_sid;
}

long
sys_getsid(int pid)
{
	struct proc *p = pid ? proc_find(pid) : curproc();

	return p ? p->p_sid : -ESRCH;
}
