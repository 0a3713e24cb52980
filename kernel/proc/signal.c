/*
 * signal.c: signal actions, masks and delivery (see signal.h): which
 * signal, which mask, whether a system call restarts.  The frame itself
 * is the arch's (arch_signal_frame_push/pop: Linux's x86-64 rt_sigframe).
 */
#include <keel/kernel.h>
#include <keel/refcount.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/signal.h>
#include <keel/usercopy.h>
#include <arch/arch.h>
#include <uapi/signal.h>

#define UNBLOCKABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
/* Whose default action stops the process (Linux's SIG_KERNEL_STOP_MASK). */
#define STOPSIGS	(SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

/* SIGCONT's default action is to go on: continuing is done when it is sent. */
static int
default_ignores(int sig)
{
	return sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
}

static int
ignored(struct proc *p, int sig)
{
	uint64_t h = p->p_sigact[sig - 1].sa_handler;

	return sig != SIGKILL && (h == SIG_IGN || (h == SIG_DFL && default_ignores(sig)));
}

/*
 * Dropped when sent (Linux's sig_ignored): ignored, and not blocked by t,
 * the thread it is sent to or, for the process, its first thread (a
 * blocked signal waits: its action may change before it is unblocked).
 */
static int
ignored_at_send(struct thread *t, int sig)
{
	return ignored(t->t_proc, sig) && !(t->t_sigmask & SIGBIT(sig));
}

/* Init only receives the signals it catches, never SIGKILL or SIGSTOP (as Linux). */
static int
init_refuses(struct proc *p, int sig)
{
	return p->p_pid == 1 && (sig == SIGKILL || sig == SIGSTOP ||
	    p->p_sigact[sig - 1].sa_handler == SIG_DFL);
}

static void
thread_pend(struct thread *t, int sig, const struct ksiginfo *si)
{
	uint64_t fl = intr_save();

	/* A signal already pending keeps its first siginfo (one instance). */
	if (!(t->t_sigpending & SIGBIT(sig)))
		t->t_siginfo[sig - 1] = *si;
	sigset_add(&t->t_sigpending, SIGBIT(sig));
	intr_restore(fl);
	if (SIGBIT(sig) & ~t->t_sigmask)
		sched_signal(t);	/* asleep: woken; on another CPU: it looks at once */
}

/* SI_USER (or code) from the calling process. */
static void
from_caller(struct ksiginfo *si, int code)
{
	memset(si, 0, sizeof(*si));
	si->si_code = code;
	si->si_pid = curproc()->p_pid;
	si->si_uid = curproc()->p_cred.c_uid;	/* the sender's real uid, as Linux's */
}

/* sig leaves every thread of p and the process. */
static void
discard(struct proc *p, uint64_t bits)
{
	struct thread *t;
	uint64_t fl = intr_save();

	sigset_del(&p->p_sigpending, bits);
	for (t = p->p_threads; t; t = t->t_peer)
		sigset_del(&t->t_sigpending, bits);
	intr_restore(fl);
}

/*
 * What sending sig does before it is queued, even when it is ignored or
 * blocked (Linux's prepare_signal): a stop signal discards a pending
 * SIGCONT, SIGCONT discards pending stop signals and continues p.
 */
static void
prepare(struct proc *p, int sig)
{
	if (SIGBIT(sig) & STOPSIGS)
		discard(p, SIGBIT(SIGCONT));
	else if (sig == SIGCONT) {
		discard(p, STOPSIGS);
		proc_continue(p);
	}
}

void
signal_send(struct proc *p, int sig)
{
	struct ksiginfo si;

	from_caller(&si, SI_USER);
	signal_send_info(p, sig, &si);
}

void
signal_send_kernel(struct proc *p, int sig)
{
	struct ksiginfo si = { .si_code = SI_KERNEL };

	signal_send_info(p, sig, &si);
}

void
signal_send_info(struct proc *p, int sig, const struct ksiginfo *si)
{
	struct thread *t, *cur = curthread();
	uint64_t fl;

	if (p->p_state != P_LIVE)
		return;
	prepare(p, sig);
	/* An ignored signal is dropped, not left pending (POSIX). */
	if (ignored_at_send(p->p_threads, sig) || init_refuses(p, sig))
		return;
	/* SIGKILL ends every thread, stopped or not; the others go to one that takes them. */
	if (sig == SIGKILL) {
		proc_unstop_to_die(p);
		for (t = p->p_threads; t; t = t->t_peer)
			thread_pend(t, sig, si);
		return;
	}
	if (cur->t_proc == p && !(cur->t_sigmask & SIGBIT(sig))) {
		thread_pend(cur, sig, si);
		return;
	}
	for (t = p->p_threads; t; t = t->t_peer)
		if (!(t->t_sigmask & SIGBIT(sig))) {
			/* A stopped process takes it once continued (even SIGTERM, as Linux). */
			thread_pend(t, sig, si);
			return;
		}
	fl = intr_save();
	if (!(p->p_sigpending & SIGBIT(sig)))
		p->p_siginfo[sig - 1] = *si;
	sigset_add(&p->p_sigpending, SIGBIT(sig));
	intr_restore(fl);
}

void
signal_send_thread(struct thread *t, int sig)
{
	struct proc *p = t->t_proc;
	struct ksiginfo si;

	if (p->p_state != P_LIVE || t->t_state == T_DEAD)
		return;
	prepare(p, sig);
	if (ignored_at_send(t, sig) || init_refuses(p, sig))
		return;
	from_caller(&si, SI_TKILL);
	if (sig == SIGKILL)
		proc_unstop_to_die(p);
	thread_pend(t, sig, &si);
}

void
signal_force(struct thread *t, int sig, int code, uint64_t addr)
{
	struct ksigaction *a = &t->t_proc->p_sigact[sig - 1];

	if (a->sa_handler == SIG_IGN || (t->t_sigmask & SIGBIT(sig))) {
		a->sa_handler = SIG_DFL;
		t->t_sigmask &= ~SIGBIT(sig);
	}
	memset(&t->t_siginfo[sig - 1], 0, sizeof(t->t_siginfo[sig - 1]));
	t->t_siginfo[sig - 1].si_code = code;
	t->t_siginfo[sig - 1].si_addr = addr;
	sigset_add(&t->t_sigpending, SIGBIT(sig));
}

int
signal_drop_ignored(struct thread *t)
{
	struct proc *p = t->t_proc;
	uint64_t ready, fl = intr_save();

	/* Pending while blocked, then let in by a wait's temporary mask. */
	ready = t->t_sigpending & ~t->t_sigmask;
	while (ready) {
		int sig = __builtin_ctzl(ready) + 1;

		ready &= ~SIGBIT(sig);
		if (ignored(p, sig))
			sigset_del(&t->t_sigpending, SIGBIT(sig));
	}
	intr_restore(fl);
	return signal_deliverable(t);
}

int
sleep_killable(const void *chan)
{
	struct thread *t = curthread();
	uint64_t mask = t->t_sigmask;
	int r;

	t->t_sigmask = ~SIGBIT(SIGKILL);
	r = sleep_on(chan, 0);
	signal_setmask(t, mask);
	return r;
}

void
signal_setmask(struct thread *t, uint64_t mask)
{
	struct proc *p = t->t_proc;
	uint64_t fl = intr_save(), take;
	int sig;

	t->t_sigmask = mask & ~UNBLOCKABLE;
	take = p->p_sigpending & ~t->t_sigmask;
	sigset_del(&p->p_sigpending, take);
	while (take) {
		sig = __builtin_ctzl(take) + 1;
		take &= take - 1;
		if (!(t->t_sigpending & SIGBIT(sig)))
			t->t_siginfo[sig - 1] = p->p_siginfo[sig - 1];
		sigset_add(&t->t_sigpending, SIGBIT(sig));
	}
	intr_restore(fl);
}

void
signal_exec_reset(struct thread *t)
{
	struct proc *p = t->t_proc;
	int i;

	for (i = 0; i < NSIG; i++)
		if (p->p_sigact[i].sa_handler != SIG_IGN)
			memset(&p->p_sigact[i], 0, sizeof(p->p_sigact[i]));
	memset(&t->t_altstack, 0, sizeof(t->t_altstack));	/* as Linux's exec */
}

/* ---- the alternate signal stack ---- */

/* Linux's on_sig_stack: sp within (ss_sp, ss_sp + ss_size]. */
static int
on_altstack(struct thread *t, uint64_t sp)
{
	const struct sigstack *ss = &t->t_altstack;

	return ss->ss_size && sp > ss->ss_sp && sp - ss->ss_sp <= ss->ss_size;
}

/* What sigaltstack and uc_stack report: the stack, and its state for sp. */
static void
altstack_state(struct thread *t, uint64_t sp, struct sigstack *out)
{
	*out = t->t_altstack;
	out->ss_pad = 0;
	if (t->t_altstack.ss_size == 0)
		out->ss_flags = SS_DISABLE;
	else
		out->ss_flags = (on_altstack(t, sp) ? SS_ONSTACK : 0) |
		    (int32_t)(t->t_altstack.ss_flags & SS_AUTODISARM);
}

/* do_sigaltstack's checks and effect; sp is the user's stack pointer. */
static long
altstack_set(struct thread *t, const struct sigstack *ss, uint64_t sp)
{
	uint32_t mode = (uint32_t)ss->ss_flags & ~SS_AUTODISARM;

	if (on_altstack(t, sp))
		return -EPERM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		memset(&t->t_altstack, 0, sizeof(t->t_altstack));
		return 0;
	}
	if (ss->ss_size < MINSIGSTKSZ)
		return -ENOMEM;
	t->t_altstack.ss_sp = ss->ss_sp;
	t->t_altstack.ss_size = ss->ss_size;
	t->t_altstack.ss_flags = ss->ss_flags & SS_AUTODISARM;
	return 0;
}

uint64_t
signal_altstack_sp(struct thread *t, uint64_t sp, int onstack, struct sigstack *uc)
{
	altstack_state(t, sp, uc);
	if (!onstack || t->t_altstack.ss_size == 0 || on_altstack(t, sp))
		return sp;
	sp = t->t_altstack.ss_sp + t->t_altstack.ss_size;
	if (t->t_altstack.ss_flags & SS_AUTODISARM)
		memset(&t->t_altstack, 0, sizeof(t->t_altstack));
	return sp;
}

void
signal_altstack_restore(struct thread *t, const struct sigstack *uc, uint64_t sp)
{
	(void)altstack_set(t, uc, sp);	/* Linux ignores what it refuses here */
}

long
sys_sigaltstack(uint64_t uss, uint64_t uoss)
{
	struct thread *t = curthread();
	struct sigstack ss, old;
	long r;

	altstack_state(t, arch_user_sp(t->t_tf), &old);
	if (uss) {
		if (copyin(&ss, uss, sizeof(ss)))
			return -EFAULT;
		r = altstack_set(t, &ss, arch_user_sp(t->t_tf));
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
setup_frame(struct trapframe *tf, int sig, struct ksigaction *a, const struct ksiginfo *si)
{
	struct thread *t = curthread();
	uint64_t mask = t->t_mask_saved ? t->t_saved_mask : t->t_sigmask;

	t->t_mask_saved = 0;
	return arch_signal_frame_push(t, tf, sig, a, si, mask);
}

/*
 * A signal's default action ends the process: every thread (exit_group).
 * While a thread execs, the SIGKILL it sent the others ends just them.
 */
static void
signal_die(struct proc *p, int sig)
{
	if (p->p_execing && p->p_execing != curthread() && sig == SIGKILL)
		thread_exit(sig);
	proc_exit(sig);
}

void
signal_deliver(struct trapframe *tf)
{
	struct thread *t = curthread();
	struct proc *p = t->t_proc;
	uint64_t ready;
	int sig;

	while ((ready = t->t_sigpending & ~t->t_sigmask) != 0) {
		struct ksigaction *a;
		struct ksiginfo si;

		sig = __builtin_ctzl(ready) + 1;
		sigset_del(&t->t_sigpending, SIGBIT(sig));
		a = &p->p_sigact[sig - 1];
		si = t->t_siginfo[sig - 1];
		if (a->sa_handler == SIG_IGN || (a->sa_handler == SIG_DFL &&
		    default_ignores(sig)))
			continue;
		if (a->sa_handler == SIG_DFL && (SIGBIT(sig) & STOPSIGS)) {
			/*
			 * As Linux's get_signal: the terminal's stop signals do
			 * not stop an orphaned process group (no one is left to
			 * continue it); SIGSTOP always stops.
			 */
			if (sig == SIGSTOP || !pgrp_is_orphaned(p->p_pgid, 0))
				proc_stop(sig);
			continue;
		}
		if (a->sa_handler == SIG_DFL)
			signal_die(p, sig);	/* terminate (no core dumps) */
		/* A system call a handler interrupted: restart it, or -EINTR. */
		if (t->t_syscall_nr >= 0 && arch_syscall_retval(tf) == -EINTR &&
		    (a->sa_flags & SA_RESTART))
			arch_syscall_restart(tf, t->t_syscall_nr);
		t->t_syscall_nr = -1;
		if (setup_frame(tf, sig, a, &si)) {
			/* No room for the frame: as Linux, a SIGSEGV that cannot be caught. */
			p->p_sigact[SIGSEGV - 1].sa_handler = SIG_DFL;
			signal_die(p, SIGSEGV);
		}
		if (!(a->sa_flags & SA_NODEFER))
			t->t_sigmask |= SIGBIT(sig);
		t->t_sigmask |= a->sa_mask & ~UNBLOCKABLE;
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
				signal_die(p, SIGSEGV);
			}
			signal_force(t, SIGSEGV, SI_KERNEL, 0);
			continue;
		}
		return;		/* one handler at a time: the rest after sigreturn */
	}
	/* Interrupted by signals that were then ignored: restart transparently. */
	if (t->t_syscall_nr >= 0 && arch_syscall_retval(tf) == -EINTR)
		arch_syscall_restart(tf, t->t_syscall_nr);
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
		/* Setting SIG_IGN discards what is pending (POSIX), for every thread. */
		if (ignored(p, sig)) {
			struct thread *t;

			sigset_del(&p->p_sigpending, SIGBIT(sig));
			for (t = p->p_threads; t; t = t->t_peer)
				sigset_del(&t->t_sigpending, SIGBIT(sig));
		}
	}
	if (uoact && copyout(uoact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long
sys_rt_sigprocmask(int how, uint64_t uset, uint64_t uoset, uint64_t size)
{
	struct thread *t = curthread();
	uint64_t set, old = t->t_sigmask;

	if (size != 8)
		return -EINVAL;
	if (uset) {
		if (copyin(&set, uset, sizeof(set)))
			return -EFAULT;
		switch (how) {
		case 0:		/* SIG_BLOCK */
			set |= old;
			break;
		case 1:		/* SIG_UNBLOCK */
			set = old & ~set;
			break;
		case 2:		/* SIG_SETMASK */
			break;
		default:
			return -EINVAL;
		}
		signal_setmask(t, set);
	}
	if (uoset && copyout(uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long
sys_rt_sigpending(uint64_t uset, uint64_t size)
{
	struct thread *t = curthread();
	uint64_t set = (t->t_sigpending | t->t_proc->p_sigpending) & t->t_sigmask;

	/* Linux takes any size up to its sigset's and copies that many bytes. */
	if (size > sizeof(set))
		return -EINVAL;
	return copyout(uset, &set, size);
}

long
sys_rt_sigreturn(void)
{
	struct thread *t = curthread();
	struct trapframe *tf = t->t_tf;
	uint64_t mask;
	long ret;

	/* An unreadable frame or an FPU image XRSTOR would refuse: SIGSEGV. */
	if (arch_signal_frame_pop(t, tf, &mask, &ret)) {
		signal_force(t, SIGSEGV, SI_KERNEL, 0);
		return 0;
	}
	if (!arch_user_pc_ok(tf))
		signal_force(t, SIGSEGV, SI_KERNEL, 0);	/* delivered on the way out */
	signal_setmask(t, mask);
	t->t_syscall_nr = -1;	/* nothing to restart: this is not a system call's return */
	return ret;		/* the dispatcher stores it as the return value */
}

/* pause(2): sleep until a signal is delivered. */
long
sys_pause(void)
{
	int chan;

	while (sleep_on(&chan, 0) == 0)
		;
	curthread()->t_syscall_nr = -1;	/* never restarted */
	return -EINTR;
}

/* rt_sigsuspend(2): the same with a temporary mask, restored after the handler. */
long
sys_rt_sigsuspend(uint64_t uset, uint64_t size)
{
	struct thread *t = curthread();
	uint64_t set, old = t->t_sigmask;
	int chan;

	if (size != 8)
		return -EINVAL;
	if (copyin(&set, uset, sizeof(set)))
		return -EFAULT;
	signal_setmask(t, set);
	while (sleep_on(&chan, 0) == 0)
		;
	t->t_syscall_nr = -1;		/* never restarted */
	/*
	 * As Linux: the handler runs with the temporary mask (plus its
	 * sa_mask and signal), and its frame holds the old mask and -EINTR
	 * for sigreturn to restore.  Deliver now, while the temporary mask
	 * is in force.  When no handler ran (the signal was ignored), the
	 * old mask comes back here.
	 */
	arch_syscall_set_retval(t->t_tf, -EINTR);
	t->t_saved_mask = old;
	t->t_mask_saved = 1;
	signal_deliver(t->t_tf);
	if (t->t_mask_saved) {
		signal_setmask(t, old);
		t->t_mask_saved = 0;
	}
	return arch_syscall_retval(t->t_tf);	/* 0 for the handler, or -EINTR */
}

/*
 * rt_sigtimedwait(2) (sigwait, sigwaitinfo, sigtimedwait): take a pending
 * signal of set without running its handler, waiting for one until the
 * timeout (-EAGAIN), or until a signal outside set is delivered (-EINTR).
 * While it waits, set is unblocked, so that a signal sent to the process
 * comes to this thread (Linux's real_blocked).
 */
long
sys_rt_sigtimedwait(uint64_t uset, uint64_t uinfo, uint64_t uts, uint64_t size)
{
	struct thread *t = curthread();
	struct proc *p = t->t_proc;
	struct { int64_t tv_sec, tv_nsec; } ts;
	uint64_t set, old = t->t_sigmask, deadline = 0, ready, fl;
	struct ksiginfo si;
	int32_t info[32];
	int sig, chan, r;

	if (size != 8)
		return -EINVAL;
	if (copyin(&set, uset, sizeof(set)))
		return -EFAULT;
	set &= ~UNBLOCKABLE;
	if (uts) {
		if (copyin(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		if ((uint64_t)ts.tv_sec < INT64_MAX / 1000000000ULL)
			deadline = clock_ns() + (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
		if (deadline == 0 && ts.tv_sec == 0 && ts.tv_nsec == 0)
			deadline = 1;	/* poll */
	}
	for (;;) {
		fl = intr_save();
		ready = (t->t_sigpending | p->p_sigpending) & set;
		if (ready) {
			sig = __builtin_ctzl(ready) + 1;
			if (t->t_sigpending & SIGBIT(sig)) {
				sigset_del(&t->t_sigpending, SIGBIT(sig));
				si = t->t_siginfo[sig - 1];
			} else {
				sigset_del(&p->p_sigpending, SIGBIT(sig));
				si = p->p_siginfo[sig - 1];
			}
			intr_restore(fl);
			break;
		}
		intr_restore(fl);
		if (deadline && clock_ns() >= deadline)
			return -EAGAIN;
		signal_setmask(t, old & ~set);
		r = sleep_on(&chan, deadline);
		signal_setmask(t, old);
		/* Woken by a signal outside set: it is delivered, and this ends. */
		if (r && !((t->t_sigpending | p->p_sigpending) & set) && signal_deliverable(t)) {
			t->t_syscall_nr = -1;	/* never restarted, as Linux's */
			return -EINTR;
		}
	}
	if (uinfo) {
		/* Linux's siginfo_t: si_signo, si_errno, si_code, then _kill or _sigchld. */
		memset(info, 0, sizeof(info));
		info[0] = sig;
		info[2] = si.si_code;
		info[4] = si.si_pid;
		info[5] = (int32_t)si.si_uid;
		info[6] = si.si_status;
		if (copyout(uinfo, info, sizeof(info)))
			return -EFAULT;
	}
	return sig;
}
