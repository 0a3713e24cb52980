/*
 * proc.h: processes (one thread each), the scheduler, sleeping and signals.
 *
 * A process's kernel stack holds, at its very top, the struct trapframe of
 * its user context: syscall entry, interrupts from ring 3 (TSS RSP0) and a
 * new process's first entry all use that one place.  Below it the kernel
 * runs; swtch() saves the callee-saved registers there.
 *
 * States: EMBRYO (being built) -> RUNNABLE <-> RUNNING <-> SLEEPING ->
 * ZOMBIE (exited, waiting for its parent's wait4) -> freed.  A parent that
 * ignores SIGCHLD or set SA_NOCLDWAIT gets no zombies: its children are
 * freed as soon as the CPU has left them.
 */
#ifndef PROC_H
#define PROC_H

#include <stdint.h>
#include <keel/cpu.h>
#include <keel/rlimit.h>
#include <keel/signal.h>
#include <keel/time.h>
#include <uapi/signal.h>
#include <uapi/wait.h>
#include <arch/arch.h>

#define NOFILE		64		/* descriptors: RLIMIT_NOFILE's ceiling */
#define NPROC_MAX	4096		/* processes at once */
#define PID_MAX		32768
#define PROC_NAME_MAX	16

enum pstate { P_EMBRYO, P_RUNNABLE, P_RUNNING, P_SLEEPING, P_ZOMBIE };

struct aspace;
struct file;
struct vnode;

struct proc {
	int p_pid;
	enum pstate p_state;
	struct proc *p_parent;
	struct aspace *p_as;		/* 0 for the idle thread */
	uint64_t p_kstack;		/* top of the kernel stack */
	uint64_t p_ksave;		/* saved rsp while switched out */
	struct trapframe *p_tf;		/* the user context, at p_kstack's top */
	const void *p_wchan;		/* what a SLEEPING process waits for */
	uint64_t p_wake_ns;		/* ... or until when (0: no timeout) */
	int p_xstatus;			/* wait status once ZOMBIE (Linux encoding) */
	uint64_t p_sigpending;		/* SIGBIT(sig) */
	uint64_t p_sigmask;		/* blocked */
	int p_fault_code;		/* si_code and si_addr of a pending fault */
	uint64_t p_fault_addr;
	long p_syscall_nr;		/* in a system call: its number, else -1 */
	int p_pgid;			/* process group */
	int p_sid;			/* session */
	uint64_t p_clear_tid;		/* set_tid_address */
	uint64_t p_robust_list;		/* set_robust_list's head (kept, not walked) */
	int p_exit_signal;		/* sent to the parent at exit (clone's CSIGNAL) */
	int p_vfork_parent;		/* CLONE_VFORK: the pid waiting for exec or exit */
	int p_vfork_wait;		/* CLONE_VFORK parent: the child's pid, until released */
	uint32_t p_umask;		/* umask(2): permission bits new files lose */
	struct sigstack p_altstack;	/* sigaltstack(2); ss_size 0: none */
	uint64_t p_saved_mask;		/* rt_sigsuspend's mask to restore ... */
	int p_mask_saved;		/* ... by the handler's frame, when set */
	struct file *p_files[NOFILE];
	uint8_t p_fdflags[NOFILE];	/* FD_CLOEXEC */
	struct vnode *p_cwd;		/* working directory, held (0: the root) */
	struct rlimit p_rlim[RLIM_NLIMITS];	/* fork copies them, exec keeps them */
	char p_name[PROC_NAME_MAX];
	uint64_t p_start_ns;		/* clock_ns() at fork */
	uint64_t p_ticks;		/* timer ticks it was running for */
	/*
	 * Time, priority and prctl state, one block for the process/thread
	 * split to move (kernel/time/, proc/prio.c, proc/prctl.c).  fork
	 * zeroes the accounting and timers and copies the attributes
	 * (prctl_fork); exec keeps them all.
	 */
	uint64_t p_runtime_ns;		/* on a CPU, up to p_run_start (thread) */
	uint64_t p_run_start;		/* clock_ns() when it last got the CPU */
	uint64_t p_uticks;		/* of p_ticks, those that found it in ring 3 */
	uint64_t p_prev_utime;		/* the user/system split last reported: */
	uint64_t p_prev_stime;		/* ... it never goes back */
	uint64_t p_cutime, p_cstime;	/* reaped children's and theirs, ns (process) */
	uint64_t p_maxrss;		/* peak resident pages of its past images */
	uint64_t p_cmaxrss;		/* ... and of its reaped children's */
	struct itimer p_itimer[3];	/* ITIMER_REAL, _VIRTUAL, _PROF (process) */
	int p_nice;			/* -20..19: the scheduler's weight */
	int p_sched_credit;		/* weighted ticks it may still run (sched.c) */
	int p_pdeathsig;		/* PR_SET_PDEATHSIG: sent when the parent exits */
	uint32_t p_personality;		/* personality(2) */
	uint8_t p_no_new_privs;		/* PR_SET_NO_NEW_PRIVS: never cleared */
	uint8_t p_undumpable;		/* PR_SET_DUMPABLE 0, until exec */

	struct proc *p_qnext;		/* run queue or sleep list */
	struct proc *p_allnext;		/* every process */
	struct ksigaction p_sigact[64];	/* index sig - 1 */
	/*
	 * The arch's part (<arch/arch.h>): TLS bases and the FPU image, which
	 * ends it and needs arch_proc_extra() bytes allocated past the struct
	 * (and its 64-byte alignment: see proc_alloc).  Last, for that.
	 */
	struct arch_proc p_arch;
};

struct proc *proc_find(int pid);
int proc_count(void);

/* sched.c: the tick's hook, once; c's idle thread is the caller (cpu_init_this). */
void sched_init(void);
void sched_init_cpu(struct cpu *c);
/* p joins this CPU's run queue (RUNNABLE). */
void sched_make_runnable(struct proc *p);
/* Run the next process; the caller has set curproc()'s state.  Interrupts off. */
void sched_switch(void);
/*
 * Free the exited processes on this CPU's reap queue (proc_exit's, whose
 * parent keeps no zombie): from a thread on another stack than theirs.
 */
void proc_reap(void);
/* Start the first user process from a program in the initramfs. */
int proc_start_init(const char *path, char *const argv[], char *const envp[]);
/* The boot thread becomes the idle thread: run processes forever. */
void proc_idle_loop(void) __attribute__((noreturn));

long proc_fork(void);
/* clone(2) without threads: fork-style, and CLONE_VFORK (see proc.c). */
long proc_clone(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid, uint64_t tls);
/* A CLONE_VFORK child execs or exits: its parent goes on. */
void proc_vfork_release(struct proc *c);
void proc_exit(int wstatus) __attribute__((noreturn));
/* ru: the reaped child's usage (wait4's rusage), or 0. */
long proc_wait4(int pid, uint64_t ustatus, int options, struct krusage *ru);
long proc_kill(int pid, int sig);

/* prctl.c: what a child inherits at fork; p's parent exits (PR_SET_PDEATHSIG). */
void prctl_fork(struct proc *c, struct proc *p);
void prctl_parent_exit(struct proc *p);

/* Give up the CPU, staying runnable. */
void sched_yield_cpu(void);
/* Sleep on chan (until wakeup(chan), a signal, or the deadline if nonzero). */
int sleep_on(const void *chan, uint64_t deadline_ns);
void wakeup(const void *chan);
/* On every return to ring 3: act on pending signals, reschedule if due. */
void proc_user_return_work(struct trapframe *tf);
/* Processes for kill(2)'s pid forms; fn returns nonzero to stop. */
int proc_foreach(int (*fn)(struct proc *, void *), void *arg);

/* Every trap from ring 3: check it landed on the process's kernel stack. */
void proc_check_user_trap(struct trapframe *tf, int timer);
void proc_set_ring3_ticks(uint64_t n);
/* A fault in ring 3: log it and deliver sig (default action). */
void proc_fault_signal(struct trapframe *tf, int sig, int code, uint64_t addr);
/* Wake p from any sleep (a signal arrived). */
void proc_interrupt(struct proc *p);


#endif
