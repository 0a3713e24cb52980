/*
 * signal.h: Linux's signal numbers, actions, sigaction flags and si_code
 * values (include/uapi/asm-generic/signal.h, signal-defs.h, siginfo.h;
 * arch/x86/include/uapi/asm/signal.h) and the x86-64 ucontext flags
 * (arch/x86/include/uapi/asm/ucontext.h).  Usable from C and assembly.
 */
#ifndef UAPI_SIGNAL_H
#define UAPI_SIGNAL_H

/* Signal numbers (asm/signal.h): the ones the kernel itself uses. */
#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define NSIG		64

/* sa_handler values (asm-generic/signal-defs.h). */
#define SIG_DFL		0
#define SIG_IGN		1

/* sa_flags (asm/signal.h, asm-generic/signal-defs.h). */
#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002	/* on SIGCHLD: exited children leave no zombie */
#define SA_SIGINFO	0x00000004
#define SA_ONSTACK	0x08000000
#define SS_ONSTACK	1		/* sigaltstack: in use now */
#define SS_DISABLE	2		/* no alternate stack */
#define SS_AUTODISARM	(1U << 31)	/* off while a handler runs on it */
#define MINSIGSTKSZ	2048
#define SA_RESTORER	0x04000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

/* si_code (asm-generic/siginfo.h). */
#define SI_USER		0		/* kill(2) */
#define SI_KERNEL	0x80		/* sent by the kernel */
#define SI_TKILL	(-6)		/* tkill(2), tgkill(2) */
#define CLD_EXITED	1		/* SIGCHLD's si_code: the child exited ... */
#define CLD_KILLED	2		/* ... was killed by a signal */
#define CLD_STOPPED	5		/* ... stopped */
#define CLD_CONTINUED	6		/* ... was continued */
#define SEGV_MAPERR	1		/* SIGSEGV: no mapping at the address */
#define SEGV_ACCERR	2		/* SIGSEGV: the mapping forbids the access */
#define BUS_ADRERR	2		/* SIGBUS: no page there (past a shared object's end) */

/* uc_flags (asm/ucontext.h). */
#define UC_FP_XSTATE		0x1	/* fpstate is an XSAVE image with its magic */
#define UC_SIGCONTEXT_SS	0x2	/* sc.ss is the interrupted context's SS */
#define UC_STRICT_RESTORE_SS	0x4

#endif
