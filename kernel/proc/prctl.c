/*
 * prctl.c: prctl(2) (the process's name, parent-death signal, no_new_privs,
 * dumpable flag) and personality(2), as Linux's kernel/sys.c; the
 * attributes a child inherits at fork (prctl_fork) and those exec resets.
 *
 * Other prctl options are -EINVAL, as Linux answers an unknown one.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/sysproc.h>
#include <keel/usercopy.h>
#include <uapi/prctl.h>

void
prctl_fork(struct proc *c, struct proc *p)
{
	c->p_nice = p->p_nice;
	c->p_personality = p->p_personality;
	c->p_no_new_privs = p->p_no_new_privs;
	c->p_undumpable = p->p_undumpable;
	/* p_pdeathsig: not inherited (Linux's copy_process). */
}

/* p's parent is exiting: the signal it asked for (PR_SET_PDEATHSIG). */
void
prctl_parent_exit(struct proc *p)
{
	if (p->p_pdeathsig)
		signal_send(p, p->p_pdeathsig);
}

long
sys_prctl(int option, uint64_t arg2, uint64_t arg3, uint64_t arg4, uint64_t arg5)
{
	struct proc *p = curproc();
	char name[PROC_NAME_MAX];
	long n;

	switch (option) {
	case PR_SET_PDEATHSIG:
		if (arg2 > NSIG)
			return -EINVAL;
		p->p_pdeathsig = (int)arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return copyout(arg2, &p->p_pdeathsig, sizeof(p->p_pdeathsig));
	case PR_GET_DUMPABLE:
		return !p->p_undumpable;
	case PR_SET_DUMPABLE:
		if (arg2 > 1)
			return -EINVAL;
		p->p_undumpable = !arg2;
		return 0;
	case PR_SET_NAME:
		/* At most 15 bytes are read: a longer name is cut there. */
		memset(name, 0, sizeof(name));
		n = copyin_str(name, arg2, sizeof(name) - 1, sizeof(name) - 1);
		if (n < 0)
			return n;
		name[n] = '\0';
		memcpy(p->p_name, name, sizeof(name));
		return 0;
	case PR_GET_NAME:
		memcpy(name, p->p_name, sizeof(name));
		return copyout(arg2, name, sizeof(name));
	case PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -EINVAL;
		p->p_no_new_privs = 1;
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return p->p_no_new_privs;
	}
	return -EINVAL;
}

/* personality(2): any value is kept (Linux's set_personality); the old one back. */
long
sys_personality(uint32_t persona)
{
	struct proc *p = curproc();
	uint32_t old = p->p_personality;

	if (persona != PER_QUERY)
		p->p_personality = persona;
	return old;
}
