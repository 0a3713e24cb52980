/*
 * signal.c: the x86-64 signal frame, Linux's rt_sigframe (ucontext with
 * its sigcontext, siginfo, the FPU image in Linux's XSAVE layout), so
 * libc's handlers, SA_SIGINFO and its sa_restorer (which calls
 * rt_sigreturn) work unchanged.
 *
 * Interface (arch.h):
 *   arch_signal_frame_push(t, tf, sig, a, si, mask)
 *                              the frame on the user stack, tf at the handler
 *   arch_signal_frame_pop(t, tf, &mask, &ret)
 *                              rt_sigreturn: tf and the FPU from the frame
 *
 * Which signal, which mask and whether a call restarts are the generic
 * kernel's (kernel/proc/signal.c).
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/signal.h>
#include <keel/usercopy.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/segments.h>

#define RED_ZONE	128
/* The RFLAGS bits a handler's context may change (Linux's FIX_EFLAGS). */
#define RFLAGS_USER	0x40dd5UL	/* AC OF DF TF SF ZF AF PF CF, and RF */
/* uc_flags (Linux's uapi/asm/ucontext.h). */
#define UC_FP_XSTATE		0x1	/* fpstate is an XSAVE image with its magic */
#define UC_SIGCONTEXT_SS	0x2	/* sc.ss is the interrupted context's SS */
#define UC_STRICT_RESTORE_SS	0x4

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
	struct sigstack uc_stack;	/* sigaltstack's state; sigreturn restores it */
	struct sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct siginfo {
	int32_t si_signo, si_errno, si_code, si_pad;
	uint64_t si_addr;		/* faults; kill(2) and SIGCHLD put pid and uid here */
	uint8_t si_rest[104];
};
_Static_assert(sizeof(struct siginfo) == 128, "siginfo_t");

struct rt_sigframe {
	uint64_t pretcode;		/* sa_restorer: the handler returns there */
	struct ucontext uc;
	struct siginfo info;
};

/* Build the frame on the user stack and point the trapframe at the handler. */
int
arch_signal_frame_push(struct thread *t, struct trapframe *tf, int sig,
    const struct ksigaction *a, const struct ksiginfo *si, uint64_t mask)
{
	struct rt_sigframe f;
	struct sigcontext *sc = &f.uc.uc_mcontext;
	uint64_t sp, fpu, frame;

	memset(&f, 0, sizeof(f));
	/* Linux's get_sigframe: below the red zone, or atop the alternate stack. */
	sp = signal_altstack_sp(t, tf->tf_rsp - RED_ZONE, (a->sa_flags & SA_ONSTACK) != 0,
	    &f.uc.uc_stack);
	fpu = ROUNDDOWN(sp - fpu_sigframe_size(), FPU_ALIGN);
	frame = ROUNDDOWN(fpu - sizeof(f), 16) - 8;	/* as if just called */
	f.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS |
	    (fpu_xfeatures ? UC_FP_XSTATE : 0);
	f.pretcode = (a->sa_flags & SA_RESTORER) ? a->sa_restorer : 0;
	f.uc.uc_sigmask = mask;
	sc->r8 = tf->tf_r8; sc->r9 = tf->tf_r9; sc->r10 = tf->tf_r10;
	sc->r11 = tf->tf_r11; sc->r12 = tf->tf_r12; sc->r13 = tf->tf_r13;
	sc->r14 = tf->tf_r14; sc->r15 = tf->tf_r15; sc->rdi = tf->tf_rdi;
	sc->rsi = tf->tf_rsi; sc->rbp = tf->tf_rbp; sc->rbx = tf->tf_rbx;
	sc->rdx = tf->tf_rdx; sc->rax = tf->tf_rax; sc->rcx = tf->tf_rcx;
	sc->rsp = tf->tf_rsp; sc->rip = tf->tf_rip; sc->eflags = tf->tf_rflags;
	sc->cs = SEL_UCODE;
	sc->ss = SEL_UDATA;
	sc->oldmask = f.uc.uc_sigmask;
	sc->cr2 = si->si_addr;
	sc->fpstate = fpu;
	f.info.si_signo = sig;
	f.info.si_code = si->si_code;
	if (si->si_addr) {
		f.info.si_addr = si->si_addr;	/* a fault: _sigfault */
	} else {
		/* _kill, _sigchld: si_pid, si_uid, si_status */
		f.info.si_addr = (uint32_t)si->si_pid | (uint64_t)si->si_uid << 32;
		memcpy(f.info.si_rest, &si->si_status, sizeof(si->si_status));
	}
	fpu_save(t->t_arch.ap_fpu);
	if (fpu_sigframe_put(fpu, t->t_arch.ap_fpu) || copyout(frame, &f, sizeof(f)))
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
	fpu_init_state(t->t_arch.ap_fpu);
	fpu_restore(t->t_arch.ap_fpu);
	return 0;
}


/*
 * rt_sigreturn's half: the registers, flags and FPU state the handler's
 * frame holds (at the user stack: the handler's ret popped pretcode), the
 * mask to restore in *mask and the return value in *ret.  Nonzero when
 * the frame cannot be read, or holds an FPU image XRSTOR would refuse:
 * the caller raises SIGSEGV (as Linux); the FPU state is then a clean one
 * rather than half of it, the registers untouched.
 */
int
arch_signal_frame_pop(struct thread *t, struct trapframe *tf, uint64_t *mask, long *ret)
{
	struct rt_sigframe f;
	struct sigcontext *sc = &f.uc.uc_mcontext;
	uint64_t frame = tf->tf_rsp - 8;

	if (copyin(&f, frame, sizeof(f)))
		return -EFAULT;
	/* No image at all means a clean state (Linux's fpu__restore_sig). */
	if (sc->fpstate == 0) {
		fpu_init_state(t->t_arch.ap_fpu);
	} else if (fpu_sigframe_get(t->t_arch.ap_fpu, sc->fpstate)) {
		fpu_init_state(t->t_arch.ap_fpu);
		fpu_restore(t->t_arch.ap_fpu);
		return -EFAULT;
	}
	tf->tf_r8 = sc->r8; tf->tf_r9 = sc->r9; tf->tf_r10 = sc->r10;
	tf->tf_r11 = sc->r11; tf->tf_r12 = sc->r12; tf->tf_r13 = sc->r13;
	tf->tf_r14 = sc->r14; tf->tf_r15 = sc->r15; tf->tf_rdi = sc->rdi;
	tf->tf_rsi = sc->rsi; tf->tf_rbp = sc->rbp; tf->tf_rbx = sc->rbx;
	tf->tf_rdx = sc->rdx; tf->tf_rcx = sc->rcx; tf->tf_rsp = sc->rsp;
	tf->tf_rip = sc->rip;
	/* Only the flags a user may set; never IOPL, never IF off. */
	tf->tf_rflags = (tf->tf_rflags & ~RFLAGS_USER) | (sc->eflags & RFLAGS_USER) |
	    RFLAGS_IF;
	tf->tf_cs = SEL_UCODE;
	tf->tf_ss = SEL_UDATA;
	fpu_restore(t->t_arch.ap_fpu);
	signal_altstack_restore(t, &f.uc.uc_stack, tf->tf_rsp);
	*mask = f.uc.uc_sigmask;
	*ret = sc->rax;
	return 0;
}
