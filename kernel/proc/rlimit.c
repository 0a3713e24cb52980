/*
 * rlimit.c: resource limits (see rlimit.h), with the checks of Linux's
 * kernel/sys.c (do_prlimit) in its order.  Every process is root here, so
 * raising a hard limit is allowed, as with CAP_SYS_RESOURCE.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/rlimit.h>
#include <keel/usercopy.h>

#define MiB	(1ULL << 20)

/*
 * Linux's INIT_RLIMITS, except where keel has a fixed size of its own:
 * processes (NPROC_MAX; Linux derives NPROC and
 * SIGPENDING from its memory).  The stack is USER_STACK_SIZE, 8 MiB as
 * Linux's default; MEMLOCK is 6.1's 8 MiB.
 */
static const struct rlimit init_rlimits[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_FSIZE] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_DATA] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_STACK] = { 8 * MiB, RLIM_INFINITY },
	[RLIMIT_CORE] = { 0, RLIM_INFINITY },
	[RLIMIT_RSS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_NPROC] = { NPROC_MAX, NPROC_MAX },
	[RLIMIT_NOFILE] = { 1024, NOFILE },	/* INR_OPEN_CUR, INR_OPEN_MAX */
	[RLIMIT_MEMLOCK] = { 8 * MiB, 8 * MiB },
	[RLIMIT_AS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_LOCKS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_SIGPENDING] = { NPROC_MAX, NPROC_MAX },
	[RLIMIT_MSGQUEUE] = { 819200, 819200 },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { RLIM_INFINITY, RLIM_INFINITY },
};

void
rlimit_init(struct rlimit *rl)
{
	memcpy(rl, init_rlimits, sizeof(init_rlimits));
}

/* do_prlimit: p's limit res is read into old and/or replaced by new. */
static long
do_prlimit(struct proc *p, unsigned int res, const struct rlimit *new, struct rlimit *old)
{
	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (res == RLIMIT_NOFILE && new->rlim_max > NOFILE)
			return -EPERM;
	}
	if (old)
		*old = p->p_rlim[res];
	if (new)
		p->p_rlim[res] = *new;
	return 0;
}

long
sys_getrlimit(unsigned int res, uint64_t urlim)
{
	struct rlimit old;
	long r = do_prlimit(curproc(), res, 0, &old);

	if (r == 0 && copyout(urlim, &old, sizeof(old)))
		r = -EFAULT;
	return r;
}

long
sys_setrlimit(unsigned int res, uint64_t urlim)
{
	struct rlimit new;

	if (copyin(&new, urlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(curproc(), res, &new, 0);
}

long
sys_prlimit64(int pid, unsigned int res, uint64_t unew, uint64_t uold)
{
	struct rlimit new, old;
	struct proc *p;
	long r;

	if (unew && copyin(&new, unew, sizeof(new)))
		return -EFAULT;
	p = pid ? proc_find(pid) : curproc();
	if (p == 0)
		return -ESRCH;
	r = do_prlimit(p, res, unew ? &new : 0, uold ? &old : 0);
	if (r == 0 && uold && copyout(uold, &old, sizeof(old)))
		r = -EFAULT;
	return r;
}
