/*
 * signal.h: POSIX signals with Linux's numbers, actions, masks and frames
 * (signal.c).
 *
 * A signal is made pending by kill(2), the TTY (^C, ^\, ^Z, a background
 * group's SIGTTIN/SIGTTOU), a child's exit, stop or continue (SIGCHLD) or a
 * fault in ring 3, and acted on when its process next returns to ring 3:
 * ignored, the default action (terminate, or stop the whole process until
 * SIGCONT: proc_stop), or a user handler run on a Linux rt_sigframe that
 * rt_sigreturn(2) unwinds.  Sending SIGCONT continues a stopped process
 * whatever its action (proc_continue).
 */
#ifndef SIGNAL_H
#define SIGNAL_H

#include <stdint.h>
#include <uapi/signal.h>

struct proc;
struct thread;
struct trapframe;


/* The kernel's struct sigaction on x86-64 (what rt_sigaction passes). */
struct ksigaction {
	uint64_t sa_handler;
	uint64_t sa_flags;
	uint64_t sa_restorer;
	uint64_t sa_mask;
};

#define SIGBIT(sig)	(1UL << ((sig) - 1))

/*
 * What a pending signal's siginfo_t will say: si_code, and the sender
 * (kill, tkill: pid and uid), the child (SIGCHLD: pid, uid, si_status) or
 * the faulting address.  One per signal: a standard signal is pending
 * once at most.
 */
struct ksiginfo {
	int32_t si_code;
	int32_t si_pid;
	uint32_t si_uid;
	int32_t si_status;
	uint64_t si_addr;
};

/* Linux's stack_t on x86-64: sigaltstack(2) and a frame's uc_stack. */
struct sigstack {
	uint64_t ss_sp;
	int32_t ss_flags;		/* SS_ONSTACK, SS_DISABLE, SS_AUTODISARM */
	int32_t ss_pad;
	uint64_t ss_size;
};
_Static_assert(sizeof(struct sigstack) == 24, "stack_t");

/*
 * The alternate stack for a handler with SA_ONSTACK: the stack pointer to
 * build its frame below (sp itself when it does not apply), and in *uc
 * what the frame's uc_stack records (sigreturn puts it back, as Linux's
 * restore_altstack).  SS_AUTODISARM turns the stack off while in use.
 */
uint64_t signal_altstack_sp(struct thread *t, uint64_t sp, int onstack, struct sigstack *uc);
/* rt_sigreturn: the frame's uc_stack back in force, checked as sigaltstack's. */
void signal_altstack_restore(struct thread *t, const struct sigstack *uc, uint64_t sp);
long sys_sigaltstack(uint64_t uss, uint64_t uoss);

/*
 * Make sig pending for p (no permission checks: the caller did them): for
 * a thread of p that does not block it (the caller if it can, as Linux's
 * wants_signal), else for the process until a thread unblocks it.
 */
void signal_send(struct proc *p, int sig);
/* The kernel's own (a timer's): SI_KERNEL, no sender. */
void signal_send_kernel(struct proc *p, int sig);
/* The same with what its siginfo_t says (signal_send: SI_USER from the caller). */
void signal_send_info(struct proc *p, int sig, const struct ksiginfo *si);
/* Make sig pending for the thread t alone (tkill, tgkill: SI_TKILL). */
void signal_send_thread(struct thread *t, int sig);
/* A fault: delivered even if blocked or ignored, as Linux does. */
void signal_force(struct thread *t, int sig, int code, uint64_t addr);
/* Act on pending signals before returning to ring 3; may not return. */
void signal_deliver(struct trapframe *tf);
/* signal_deliverable(t): proc.h's. */
/*
 * t's new signal mask (SIGKILL and SIGSTOP stay unblocked); the process's
 * pending signals it now lets through become t's to take.
 */
void signal_setmask(struct thread *t, uint64_t mask);
/*
 * A wait that only a signal with something to do should end (poll_wait):
 * drop the deliverable signals t's process ignores, and say whether one is left.
 */
int signal_drop_ignored(struct thread *t);
/* exec: caught signals go back to their default action. */
void signal_exec_reset(struct thread *t);

long sys_rt_sigaction(int sig, uint64_t uact, uint64_t uoact, uint64_t size);
long sys_rt_sigprocmask(int how, uint64_t uset, uint64_t uoset, uint64_t size);
long sys_rt_sigreturn(void);
long sys_rt_sigpending(uint64_t uset, uint64_t size);
long sys_pause(void);
long sys_rt_sigsuspend(uint64_t uset, uint64_t size);
long sys_rt_sigtimedwait(uint64_t uset, uint64_t uinfo, uint64_t uts, uint64_t size);

#endif
