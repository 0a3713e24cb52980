/*
 * signal.h: POSIX signals with Linux's numbers, actions, masks and frames
 * (signal.c).
 *
 * A signal is made pending by kill(2), the TTY (^C, ^\), a child's exit
 * (SIGCHLD) or a fault in ring 3, and acted on when its process next returns
 * to ring 3: ignored, the default action (terminate; stop is not
 * implemented and ignored), or a user handler run on a Linux rt_sigframe
 * that rt_sigreturn(2) unwinds.
 */
#ifndef SIGNAL_H
#define SIGNAL_H

#include <stdint.h>
#include <uapi/signal.h>

struct proc;
struct trapframe;


/* The kernel's struct sigaction on x86-64 (what rt_sigaction passes). */
struct ksigaction {
	uint64_t sa_handler;
	uint64_t sa_flags;
	uint64_t sa_restorer;
	uint64_t sa_mask;
};

#define SIGBIT(sig)	(1UL << ((sig) - 1))

/* Make sig pending for p (no permission checks: the caller did them). */
void signal_send(struct proc *p, int sig);
/* A fault: delivered even if blocked or ignored, as Linux does. */
void signal_force(struct proc *p, int sig, int code, uint64_t addr);
/* Act on pending signals before returning to ring 3; may not return. */
void signal_deliver(struct trapframe *tf);
int signal_deliverable(struct proc *p);
/* exec: caught signals go back to their default action. */
void signal_exec_reset(struct proc *p);

long sys_rt_sigaction(int sig, uint64_t uact, uint64_t uoact, uint64_t size);
long sys_rt_sigprocmask(int how, uint64_t uset, uint64_t uoset, uint64_t size);
long sys_rt_sigreturn(void);
long sys_rt_sigpending(uint64_t uset, uint64_t size);
long sys_pause(void);
long sys_rt_sigsuspend(uint64_t uset, uint64_t size);

#endif
