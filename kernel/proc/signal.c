/*
 * signal.c: signal actions, masks, delivery and the signal frame (see
 * signal.h).  The frame is Linux's x86-64 rt_sigframe, so libc's handlers,
 * SA_SIGINFO and its sa_restorer (which calls rt_sigreturn) work unchanged.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/signal.h>
#include <keel/usercopy.h>
#include <arch/fpu.h>
#include <arch/segments.h>
#include <arch/switch.h>
#include <uapi/signal.h>

#define UNBLOCKABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define RED_ZONE	128
/* The RFLAGS bits a handler's context may change (Linux's FIX_EFLAGS). */
#define RFLAGS_USER	0x40dd5UL	/* AC OF DF TF SF ZF AF PF CF, and RF */

struct sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;		/* user address of the FPU image (fpu.h) */
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct sigcontext) == 256, "x86-64 struct sigcontext");

struct ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t ss_pad;
	uint64_t ss_size;
	struct sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct siginfo {
	int32_t si_signo, si_errno, si_code, si_pad;
	uint64_t si_addr;		/* faults; kill(2) puts pid and uid here */
	uint8_t si_rest[104];
};
_Static_assert(sizeof(struct siginfo) == 128, "siginfo_t");

struct rt_sigframe {
	uint64_t pretcode;		/* sa_restorer: the handler returns there */
	struct ucontext uc;
	struct siginfo info;
};

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

void
signal_exec_reset(struct proc *p)
{
	int i;

	for (i = 0; i < NSIG; i++)
		if (p->p_sigact[i].sa_handler != SIG_IGN)
			memset(&p->p_sigact[i], 0, sizeof(p->p_sigact[i]));
}

/*
 * A user RIP that is not canonical (48-bit, 4-level paging): IRETQ would
 * fault on it in ring 0 on Intel CPUs, on the kernel stack.  Linux's
 * bad-IRET fixup turns that fault into a SIGSEGV for the process; keel
 * checks the two places a user chooses RIP (a handler, a sigreturn frame)
 * and raises the same SIGSEGV before returning.
 */
static int
rip_canonical(uint64_t rip)
{
	return (uint64_t)((int64_t)(rip << 16) >> 16) == rip;
}

/* Build the frame on the user stack and point the trapframe at the handler. */
static int
setup_frame(struct trapframe *tf, int sig, struct ksigaction *a, int code,
    uint64_t addr)
{
	struct proc *p = curproc();
	struct rt_sigframe f;
	struct sigcontext *sc = &f.uc.uc_mcontext;
	uint64_t sp, fpu, frame;

	sp = tf->tf_rsp - RED_ZONE;
	fpu = ROUNDDOWN(sp - fpu_sigframe_size(), FPU_ALIGN);
	frame = ROUNDDOWN(fpu - sizeof(f), 16) - 8;	/* as if just called */
	memset(&f, 0, sizeof(f));
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS |
	    (fpu_xfeatures ? UC_FP_XSTATE : 0);
	f.pretcode = (a->sa_flags & SA_RESTORER) ? a->sa_restorer : 0;
	/* After rt_sigsuspend, sigreturn restores the mask it replaced. */
	f.uc.uc_sigmask = p->p_mask_saved ? p->p_saved_mask : p->p_sigmask;
	p->p_mask_saved = 0;
	sc->r8 = tf->tf_r8; sc->r9 = tf->tf_r9; sc->r10 = tf->tf_r10;
	sc->r11 = tf->tf_r11; sc->r12 = tf->tf_r12; sc->r13 = tf->tf_r13;
	sc->r14 = tf->tf_r14; sc->r15 = tf->tf_r15; sc->rdi = tf->tf_rdi;
	sc->rsi = tf->tf_rsi; sc->rbp = tf->tf_rbp; sc->rbx = tf->tf_rbx;
	sc->rdx = tf->tf_rdx; sc->rax = tf->tf_rax; sc->rcx = tf->tf_rcx;
	sc->rsp = tf->tf_rsp; sc->rip = tf->tf_rip; sc->eflags = tf->tf_rflags;
	sc->cs = SEL_UCODE;
	sc->ss = SEL_UDATA;
	sc->oldmask = f.uc.uc_sigmask;
	sc->cr2 = addr;
	sc->fpstate = fpu;
	f.info.si_signo = sig;
	f.info.si_code = code;
	f.info.si_addr = addr;
	proc_save_fpu();
	if (fpu_sigframe_put(fpu, p->p_fpu) || copyout(frame, &f, sizeof(f)))
		return -EFAULT;
	tf->tf_rdi = sig;
	tf->tf_rsi = frame + __builtin_offsetof(struct rt_sigframe, info);
	tf->tf_rdx = frame + __builtin_offsetof(struct rt_sigframe, uc);
	tf->tf_rax = 0;
	tf->tf_rip = a->sa_handler;
	tf->tf_rsp = frame;
	/* As Linux's handle_signal: DF clear for the ABI, no TF or RF; AC kept. */
	tf->tf_rflags &= ~(RFLAGS_TF | RFLAGS_DF | RFLAGS_RF);
	tf->tf_cs = SEL_UCODE;
	tf->tf_ss = SEL_UDATA;
	/* A fresh FPU state for the handler, as Linux gives. */
	fpu_init_state(p->p_fpu);
	proc_load_fpu();
	return 0;
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
		if (p->p_syscall_nr >= 0 && (int64_t)tf->tf_rax == -EINTR &&
		    (a->sa_flags & SA_RESTART)) {
			tf->tf_rax = p->p_syscall_nr;
			tf->tf_rip -= 2;	/* syscall and int $0x80 are 2 bytes */
		}
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
		if (!rip_canonical(tf->tf_rip)) {
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
	if (p->p_syscall_nr >= 0 && (int64_t)tf->tf_rax == -EINTR) {
		tf->tf_rax = p->p_syscall_nr;
		tf->tf_rip -= 2;
	}
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
	struct rt_sigframe f;
	struct sigcontext *sc = &f.uc.uc_mcontext;
	uint64_t frame = tf->tf_rsp - 8;	/* the handler's ret popped pretcode */

	if (copyin(&f, frame, sizeof(f))) {
		signal_force(p, SIGSEGV, SI_KERNEL, 0);
		return 0;
	}
	/*
	 * The FPU state first: an image XRSTOR would refuse fails the return
	 * (SIGSEGV, as Linux), with a clean state rather than half of it.
	 * No image at all means a clean state too (Linux's fpu__restore_sig).
	 */
	if (sc->fpstate == 0) {
		fpu_init_state(p->p_fpu);
	} else if (fpu_sigframe_get(p->p_fpu, sc->fpstate)) {
		fpu_init_state(p->p_fpu);
		proc_load_fpu();
		signal_force(p, SIGSEGV, SI_KERNEL, 0);
		return 0;
	}
	tf->tf_r8 = sc->r8; tf->tf_r9 = sc->r9; tf->tf_r10 = sc->r10;
	tf->tf_r11 = sc->r11; tf->tf_r12 = sc->r12; tf->tf_r13 = sc->r13;
	tf->tf_r14 = sc->r14; tf->tf_r15 = sc->r15; tf->tf_rdi = sc->rdi;
	tf->tf_rsi = sc->rsi; tf->tf_rbp = sc->rbp; tf->tf_rbx = sc->rbx;
	tf->tf_rdx = sc->rdx; tf->tf_rcx = sc->rcx; tf->tf_rsp = sc->rsp;
	tf->tf_rip = sc->rip;
	if (!rip_canonical(sc->rip))
		signal_force(p, SIGSEGV, SI_KERNEL, 0);	/* delivered on the way out */
	/* Only the flags a user may set; never IOPL, never IF off. */
	tf->tf_rflags = (tf->tf_rflags & ~RFLAGS_USER) | (sc->eflags & RFLAGS_USER) |
	    RFLAGS_IF;
	tf->tf_cs = SEL_UCODE;
	tf->tf_ss = SEL_UDATA;
	p->p_sigmask = f.uc.uc_sigmask & ~UNBLOCKABLE;
	p->p_syscall_nr = -1;	/* nothing to restart: this is not a system call's return */
	proc_load_fpu();
	return sc->rax;		/* the dispatcher stores it in tf_rax */
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
	p->p_tf->tf_rax = -EINTR;
	p->p_saved_mask = old;
	p->p_mask_saved = 1;
	signal_deliver(p->p_tf);
	if (p->p_mask_saved) {
		p->p_sigmask = old;
		p->p_mask_saved = 0;
	}
	return p->p_tf->tf_rax;	/* 0 for the handler, or -EINTR */
}
