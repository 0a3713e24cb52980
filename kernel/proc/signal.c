/*
 * signal.c: signal actions, masks and delivery (see signal.h): which
 * signal, which mask, whether a system call restarts.  The frame itself
 * is the arch's (arch_signal_frame_push/pop: Linux's x86-64 rt_sigframe).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/signal.h>
#include <keel/usercopy.h>
#include <arch/arch.h>
#include <uapi/signal.h>

#define UNBLOCKABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

static int
default_ignores(int sig)
{
	/* Stop and continue are not implemented: they do nothing. */
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH ||
	    sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static int
ignored(struct proc *p, int sig)
{
	uint64_t h = p->p_sigact[sig - 1].sa_handler;

	return sig != SIGKILL && (h == SIG_IGN || (h == SIG_DFL && default_ignores(sig)));
}

void
signal_send(struct proc *p, int sig)
{
	uint64_t fl;

	/* An ignored signal is dropped, not left pending (POSIX). */
	if (p->p_state == P_ZOMBIE || ignored(p, sig))
		return;
	/*
	 * Init only receives the signals it catches, never SIGKILL or SIGSTOP:
	 * no process can take the system down by signalling pid 1 (as Linux).
	 */
	if (p->p_pid == 1 && (sig == SIGKILL || sig == SIGSTOP ||
	    p->p_sigact[sig - 1].sa_handler == SIG_DFL))
		return;
	fl = intr_save();
	p->p_sigpending |= SIGBIT(sig);
	intr_restore(fl);
	if (p->p_state == P_SLEEPING && (SIGBIT(sig) & ~p->p_sigmask))
		proc_interrupt(p);
}

void
signal_force(struct proc *p, int sig, int code, uint64_t addr)
{
	struct ksigaction *a = &p->p_sigact[sig - 1];

	if (a->sa_handler == SIG_IGN || (p->p_sigmask & SIGBIT(sig))) {
		a->sa_handler = SIG_DFL;
		p->p_sigmask &= ~SIGBIT(sig);
	}
	p->p_fault_code = code;
	p->p_fault_addr = addr;
	p->p_sigpending |= SIGBIT(sig);
}

int
signal_deliverable(struct proc *p)
{
	return (p->p_sigpending & ~p->p_sigmask) != 0;
}

int
signal_drop_ignored(struct proc *p)
{
	uint64_t ready, fl = intr_save();

	/* Pending while blocked, then let in by a wait's temporary mask. */
	ready = p->p_sigpending & ~p->p_sigmask;
	while (ready) {
		int sig = __builtin_ctzl(ready) + 1;

		ready &= ~SIGBIT(sig);
		if (ignored(p, sig))
			p->p_sigpending &= ~SIGBIT(sig);
	}
	intr_restore(fl);
	return signal_deliverable(p);
}

void
signal_exec_reset(struct proc *p)
{
	int i;

	for (i = 0; i < NSIG; i++)
		if (p->p_sigact[i].sa_handler != SIG_IGN)
			memset(&p->p_sigact[i], 0, sizeof(p->p_sigact[i]));
	memset(&p->p_altstack, 0, sizeof(p->p_altstack));	/* as Linux's exec */
}

/* ---- the alternate signal stack ---- */

/* Linux's on_sig_stack: sp within (ss_sp, ss_sp + ss_size]. */
static int
on_altstack(struct proc *p, uint64_t sp)
{
	const struct sigstack *ss = &p->p_altstack;

	return ss->ss_size && sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* What sigaltstack and uc_stack report: the stack, and its state for sp. */
static void
altstack_state(struct proc *p, uint64_t sp, struct sigstack *out)
{
	*out = p->p_altstack;
	out->ss_pad = 0;
	if (p->p_altstack.ss_size == 0)
		out->ss_flags = SS_DISABLE;
	else
		out->ss_flags = (on_altstack(p, sp) ? SS_ONSTACK : 0) |
		    (int32_t)(p->p_altstack.ss_flags & SS_AUTODISARM);
}

/* do_sigaltstack's checks and effect; sp is the user's stack pointer. */
static long
altstack_set(struct proc *p, const struct sigstack *ss, uint64_t sp)
{
	uint32_t mode = (uint32_t)ss->ss_flags & ~SS_AUTODISARM;

	if (on_altstack(p, sp))
		return -EPERM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		memset(&p->p_altstack, 0, sizeof(p->p_altstack));
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	p->p_altstack.ss_sp = ss->ss_sp;
	p->p_altstack.ss_size = ss->ss_size;
	p->p_altstack.ss_flags = ss->ss_flags & SS_AUTODISARM;
	return 0;
}

uint64_t
signal_altstack_sp(struct proc *p, uint64_t sp, int onstack, struct sigstack *uc)
{
	altstack_state(p, sp, uc);
	if (!onstack || p->p_altstack.ss_size == 0 || on_altstack(p, sp))
		return sp;
	sp = p->p_altstack.ss_sp + p->p_altstack.ss_size;
	if (p->p_altstack.ss_flags & SS_AUTODISARM)
		memset(&p->p_altstack, 0, sizeof(p->p_altstack));
	return sp;
}

void
signal_altstack_restore(struct proc *p, const struct sigstack *uc, uint64_t sp)
{
	(void)altstack_set(p, uc, sp);	/* Linux ignores what it refuses here */
}

long
sys_sigaltstack(uint64_t uss, uint64_t uoss)
{
	struct proc *p = curproc();
	struct sigstack ss, old;
	long r;

	altstack_state(p, arch_user_sp(p->p_tf), &old);
	if (uss) {
		if (copyin(&ss, uss, sizeof(ss)))
			return -EFAULT;
		r = altstack_set(p, &ss, arch_user_sp(p->p_tf));
		if (r)
			return r;
	}
	if (uoss && copyout(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/*
 * The handler's frame on the user stack (the arch's layout), holding the
 * mask to restore: after rt_sigsuspend, the one it replaced.
 */
static int
setup_frame(struct trapframe *tf, int sig, struct ksigaction *a, int code,
    uint64_t addr)
{
	struct proc *p = curproc();
	uint64_t mask = p->p_mask_saved ? p->p_saved_mask : p->p_sigmask;

	p->p_mask_saved = 0;
	return arch_signal_frame_push(p, tf, sig, a, code, addr, mask);
}

void
signal_deliver(struct trapframe *tf)
{
	struct proc *p = curproc();
	uint64_t ready;
	int sig, code;

	while ((ready = p->p_sigpending & ~p->p_sigmask) != 0) {
		struct ksigaction *a;
		uint64_t addr;

		sig = __builtin_ctzl(ready) + 1;
		p->p_sigpending &= ~SIGBIT(sig);
		a = &p->p_sigact[sig - 1];
		code = p->p_fault_code;
		addr = p->p_fault_addr;
		p->p_fault_code = SI_USER;
		p->p_fault_addr = 0;
		if (a->sa_handler == SIG_IGN || (a->sa_handler == SIG_DFL &&
		    default_ignores(sig)))
			continue;
		if (a->sa_handler == SIG_DFL)
			proc_exit(sig);		/* terminate (no core dumps) */
		/* A system call a handler interrupted: restart it, or -EINTR. */
		if (p->p_syscall_nr >= 0 && arch_syscall_retval(tf) == -EINTR &&
		    (a->sa_flags & SA_RESTART))
			arch_syscall_restart(tf, p->p_syscall_nr);
		p->p_syscall_nr = -1;
		if (setup_frame(tf, sig, a, code, addr)) {
			/* No room for the frame: as Linux, a SIGSEGV that cannot be caught. */
			p->p_sigact[SIGSEGV - 1].sa_handler = SIG_DFL;
			proc_exit(SIGSEGV);
		}
		if (!(a->sa_flags & SA_NODEFER))
			p->p_sigmask |= SIGBIT(sig);
		p->p_sigmask |= a->sa_mask & ~UNBLOCKABLE;
		if (a->sa_flags & SA_RESETHAND)
			a->sa_handler = SIG_DFL;
		if (!arch_user_pc_ok(tf)) {
			/*
			 * SIGSEGV's own handler cannot run either: Linux would go
			 * round (a frame each time) until the stack ends, then
			 * kill.  The same end at once, never a loop in the kernel.
			 */
			if (sig == SIGSEGV) {
				a->sa_handler = SIG_DFL;
				proc_exit(SIGSEGV);
			}
			signal_force(p, SIGSEGV, SI_KERNEL, 0);
			continue;
		}
		return;		/* one handler at a time: the rest after sigreturn */
	}
	/* Interrupted by signals that were then ignored: restart transparently. */
	if (p->p_syscall_nr >= 0 && arch_syscall_retval(tf) == -EINTR)
		arch_syscall_restart(tf, p->p_syscall_nr);
}

long
sys_rt_sigaction(int sig, uint64_t uact, uint64_t uoact, uint64_t size)
{
	struct proc *p = curproc();
	struct ksigaction act, old;

	if (size != 8 || sig < 1 || sig > NSIG)
		return -EINVAL;
	if (uact && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (uact && copyin(&act, uact, sizeof(act)))
		return -EFAULT;
	old = p->p_sigact[sig - 1];
	if (uact) {
		act.sa_mask &= ~UNBLOCKABLE;
		p->p_sigact[sig - 1] = act;
		/* Setting SIG_IGN discards what is pending (POSIX). */
		if (ignored(p, sig))
			p->p_sigpending &= ~SIGBIT(sig);
	}
	if (uoact && copyout(uoact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long
sys_rt_sigprocmask(int how, uint64_t uset, uint64_t uoset, uint64_t size)
{
	struct proc *p = curproc();
	uint64_t set, old = p->p_sigmask;

	if (size != 8)
		return -EINVAL;
	if (uset) {
		if (copyin(&set, uset, sizeof(set)))
			return -EFAULT;
		switch (how) {
		case 0:		/* SIG_BLOCK */
			p->p_sigmask |= set;
			break;
		case 1:		/* SIG_UNBLOCK */
			p->p_sigmask &= ~set;
			break;
		case 2:		/* SIG_SETMASK */
			p->p_sigmask = set;
			break;
		default:
			return -EINVAL;
		}
		p->p_sigmask &= ~UNBLOCKABLE;
	}
	if (uoset && copyout(uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long
sys_rt_sigpending(uint64_t uset, uint64_t size)
{
	uint64_t set = curproc()->p_sigpending & curproc()->p_sigmask;

	/* Linux takes any size up to its sigset's and copies that many bytes. */
	if (size > sizeof(set))
		return -EINVAL;
	return copyout(uset, &set, size);
}

long
sys_rt_sigreturn(void)
{
	struct proc *p = curproc();
	struct trapframe *tf = p->p_tf;
	uint64_t mask;
	long ret;

	/* An unreadable frame or an FPU image XRSTOR would refuse: SIGSEGV. */
	if (arch_signal_frame_pop(p, tf, &mask, &ret)) {
		signal_force(p, SIGSEGV, SI_KERNEL, 0);
		return 0;
	}
	if (!arch_user_pc_ok(tf))
		signal_force(p, SIGSEGV, SI_KERNEL, 0);	/* delivered on the way out */
	p->p_sigmask = mask & ~UNBLOCKABLE;
	p->p_syscall_nr = -1;	/* nothing to restart: this is not a system call's return */
	return ret;		/* the dispatcher stores it as the return value */
}

/* pause(2): sleep until a signal is delivered. */
long
sys_pause(void)
{
	int chan;

	while (sleep_on(&chan, 0) == 0)
		;
	curproc()->p_syscall_nr = -1;	/* never restarted */
	return -EINTR;
}

/* rt_sigsuspend(2): the same with a temporary mask, restored after the handler. */
long
sys_rt_sigsuspend(uint64_t uset, uint64_t size)
{
	struct proc *p = curproc();
	uint64_t set, old = p->p_sigmask;
	int chan;

	if (size != 8)
		return -EINVAL;
	if (copyin(&set, uset, sizeof(set)))
		return -EFAULT;
	p->p_sigmask = set & ~UNBLOCKABLE;
	while (sleep_on(&chan, 0) == 0)
		;
	p->p_syscall_nr = -1;		/* never restarted */
	/*
	 * As Linux: the handler runs with the temporary mask (plus its
	 * sa_mask and signal), and its frame holds the old mask and -EINTR
	 * for sigreturn to restore.  Deliver now, while the temporary mask
	 * is in force.  When no handler ran (the signal was ignored), the
	 * old mask comes back here.
	 */
	arch_syscall_set_retval(p->p_tf, -EINTR);
	p->p_saved_mask = old;
	p->p_mask_saved = 1;
	signal_deliver(p->p_tf);
	if (p->p_mask_saved) {
		p->p_sigmask = old;
		p->p_mask_saved = 0;
	}
	return arch_syscall_retval(p->p_tf);	/* 0 for the handler, or -EINTR */
}
