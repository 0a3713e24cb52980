/*
 * proc.h: processes and their threads, the scheduler, sleeping and signals.
 *
 * A thread's kernel stack holds, at its very top, the struct trapframe of
 * its user context: syscall entry, interrupts from ring 3 (TSS RSP0) and a
 * new thread's first entry all use that one place.  Below it the kernel
 * runs; swtch() saves the callee-saved registers there.
 *
 * Thread states: EMBRYO (being built) -> RUNNABLE <-> RUNNING <-> SLEEPING
 * -> DEAD (on a reap queue until another stack frees it).  A process is
 * LIVE while it has threads, then ZOMBIE (waiting for its parent's wait4)
 * -> freed.  A parent that ignores SIGCHLD or set SA_NOCLDWAIT gets no
 * zombies: its children are freed as soon as their last thread is off the CPU.
 */
#ifndef PROC_H
#define PROC_H

#include <stdint.h>
#include <keel/cpu.h>
#include <keel/cred.h>
#include <keel/exec.h>
#include <keel/rlimit.h>
#include <keel/signal.h>
#include <keel/time.h>
#include <uapi/signal.h>
#include <uapi/wait.h>
#include <arch/arch.h>

#define NOFILE		4096		/* descriptors: RLIMIT_NOFILE's ceiling (Linux's INR_OPEN_MAX) */
#define NPROC_MAX	4096		/* processes at once */
#define PID_MAX		32768
#define PROC_NAME_MAX	16

enum pstate { P_EMBRYO, P_LIVE, P_ZOMBIE };

/* p_wait_report: a stop or a continue the parent has not waited for. */
#define WR_STOPPED	1
#define WR_CONTINUED	2
enum tstate { T_EMBRYO, T_RUNNABLE, T_RUNNING, T_SLEEPING, T_DEAD };

struct aspace;
struct fdtable;
struct file;
struct proc;
struct vnode;

/*
 * A thread: what the scheduler runs.  Its own registers (the trapframe at
 * its kernel stack's top), kernel stack, signal mask and pending set,
 * alternate stack and TLS bases; everything else is its process's, shared
 * by the process's threads (clone's CLONE_THREAD).  A process's first
 * thread has the process's pid as its tid; the others take a tid from
 * the same number space.
 */
struct thread {
	int t_tid;
	enum tstate t_state;
	struct proc *t_proc;
	uint64_t t_kstack;		/* top of the kernel stack */
	uint64_t t_ksave;		/* saved rsp while switched out */
	int t_klock;			/* kernel-lock depth to take back when it runs (sched.c) */
	struct trapframe *t_tf;		/* the user context, at t_kstack's top */
	const void *t_wchan;		/* what a SLEEPING thread waits for */
	uint64_t t_wake_ns;		/* ... or until when (0: no timeout) */
	/*
	 * Pending signals this thread will take: sent to it (tkill, a fault),
	 * or sent to its process and given to it because it did not block
	 * them.  A process's signal that every thread blocks waits in
	 * p_sigpending until one unblocks it (signal_setmask).
	 */
	uint64_t t_sigpending;		/* SIGBIT(sig) */
	uint64_t t_sigmask;		/* blocked */
	long t_syscall_nr;		/* in a system call: its number, else -1 */
	uint64_t t_saved_mask;		/* rt_sigsuspend's mask to restore ... */
	int t_mask_saved;		/* ... by the handler's frame, when set */
	int t_own_tid;			/* t_tid is its own, not its process's pid */
	int t_vfork_wait;		/* CLONE_VFORK parent: the child's pid, until released */
	struct sigstack t_altstack;	/* sigaltstack(2); ss_size 0: none */
	uint64_t t_clear_tid;		/* set_tid_address, CLONE_CHILD_CLEARTID */
	uint64_t t_robust_list;		/* set_robust_list's head, walked at exit */
	uint64_t t_ticks;		/* timer ticks it was running for */
	int t_sched_credit;		/* weighted ticks it may still run (sched.c) */
	int t_cpu;			/* the CPU it runs on, is queued on, or last ran on */
	uint64_t t_affinity;		/* CPUs it may run on (sched_setaffinity); 0: all */
	uint64_t t_runtime_ns;		/* on a CPU, up to t_run_start (time/cputime.c) */
	uint64_t t_run_start;		/* clock_ns() when it last got the CPU */
	struct proc *t_reap_proc;	/* free this process with the thread (no zombie) */
	struct ksiginfo t_siginfo[64];	/* each pending signal's, index sig - 1 */
	struct thread *t_qnext;		/* run queue, sleep list or reap queue */
	struct thread *t_peer;		/* the next thread of t_proc */
	/*
	 * The arch's part (<arch/arch.h>): TLS bases and the FPU image, which
	 * ends it and needs arch_thread_extra() bytes allocated past the
	 * struct (and its 64-byte alignment: see thread_alloc).  Last, for that.
	 */
	struct arch_thread t_arch;
};

/* A process: an address space, descriptors, handlers, ids; one or more threads. */
struct proc {
	int p_pid;
	enum pstate p_state;
	struct proc *p_parent;
	struct aspace *p_as;		/* 0 for the idle process */
	int p_xstatus;			/* wait status once ZOMBIE (Linux encoding) */
	uint64_t p_sigpending;		/* sent to the process, blocked by every thread */
	int p_pgid;			/* process group */
	int p_sid;			/* session */
	int p_ctty;			/* the console is its controlling terminal (tty.c) */
	/*
	 * Job control: a stop signal's default action stopped the process
	 * (p_stopped, with p_stopsig); its threads wait, parked, until
	 * SIGCONT or SIGKILL.  p_wait_report is what wait4/waitid have yet
	 * to tell the parent (WR_*), once each.
	 */
	int p_stopped;
	int p_stopsig;
	int p_wait_report;
	int p_exit_signal;		/* sent to the parent at exit (clone's CSIGNAL) */
	int p_vfork_parent;		/* CLONE_VFORK: the tid waiting for exec or exit */
	uint32_t p_umask;		/* umask(2): permission bits new files lose */
	struct cred p_cred;		/* ids (cred.h): fork copies, exec keeps or sets */
	struct thread *p_threads;	/* its live threads, through t_peer */
	int p_nthreads;
	int p_group_exit;		/* exit_group or a fatal signal: all threads end */
	int p_leader_gone;		/* the first thread exited (p_xstatus is its) */
	struct thread *p_execing;	/* execve from a thread: the others end */
	struct fdtable *p_fdt;		/* descriptors (file.h): grown on demand; 0 until given */
	struct vnode *p_cwd;		/* working directory, held (0: the root) */
	struct rlimit p_rlim[RLIM_NLIMITS];	/* fork copies them, exec keeps them */
	char p_name[PROC_NAME_MAX];
	uint64_t p_start_ns;		/* clock_ns() at fork */
	uint64_t p_ticks;		/* timer ticks its threads were running for */
	/*
	 * Time, priority and prctl state (kernel/time/, proc/prio.c,
	 * proc/prctl.c).  fork zeroes the accounting and timers and copies
	 * the attributes (prctl_fork); exec keeps them all.  CPU time is the
	 * process's: its threads' together.
	 */
	uint64_t p_runtime_ns;		/* its threads' time on a CPU, to their t_run_start */
	uint64_t p_uticks;		/* of p_ticks, those that found it in ring 3 */
	uint64_t p_prev_utime;		/* the user/system split last reported: */
	uint64_t p_prev_stime;		/* ... it never goes back */
	uint64_t p_cutime, p_cstime;	/* reaped children's and theirs, ns (process) */
	uint64_t p_maxrss;		/* peak resident pages of its past images */
	uint64_t p_cmaxrss;		/* ... and of its reaped children's */
	struct itimer p_itimer[3];	/* ITIMER_REAL, _VIRTUAL, _PROF (process) */
	int p_nice;			/* -20..19: the scheduler's weight */
	int p_pdeathsig;		/* PR_SET_PDEATHSIG: sent when the parent exits */
	uint32_t p_personality;		/* personality(2) */
	uint8_t p_no_new_privs;		/* PR_SET_NO_NEW_PRIVS: never cleared */
	uint8_t p_undumpable;		/* PR_SET_DUMPABLE 0, until exec */
	struct proc *p_allnext;		/* every process */
	struct ksigaction p_sigact[64];	/* index sig - 1 */
	struct ksiginfo p_siginfo[64];	/* p_sigpending's siginfo, index sig - 1 */
	/*
	 * What exec leaves for /proc/PID/exe, cmdline and stat (exec.c):
	 * fork shares p_exe and copies p_args, exit lets p_exe go.
	 */
	struct exeref *p_exe;		/* held; 0 before the first exec */
	struct proc_args p_args;
};

/* A signal t does not block is pending for it (inline: every sleep asks twice). */
static inline int
signal_deliverable(struct thread *t)
{
	return (t->t_sigpending & ~t->t_sigmask) != 0;
}

struct proc *proc_find(int pid);
/* The live thread whose tid is tid, in any process; 0 if none. */
struct thread *thread_find(int tid);
int proc_count(void);

static inline struct thread *
curthread(void)
{
	return arch_cpu_read(__builtin_offsetof(struct cpu, c_curthread));
}

/* sched.c: the tick's hook, once; c's idle thread is the caller (cpu_init_this). */
void sched_init(void);
void sched_init_cpu(struct cpu *c);
/* t joins this CPU's run queue (RUNNABLE). */
void sched_make_runnable(struct thread *t);
/* The calling thread has ended: off the CPU for good, freed from the reap queue. */
void sched_exit(void) __attribute__((noreturn));
/* A new thread's first run, before its return to ring 3 (arch_thread_init's stack). */
void sched_first_run(void);
/* The scheduler's lock (sched.c), for what reads its state: CPU times. */
uint64_t sched_lock_irqsave(void);
void sched_unlock_irqrestore(uint64_t fl);
/*
 * Free the exited threads on this CPU's reap queue (thread_exit's): from a
 * thread on another stack than theirs.
 */
void proc_reap(void);
/* Start the first user process from a program in the initramfs. */
int proc_start_init(const char *path, char *const argv[], char *const envp[]);
/* The boot thread becomes the idle thread: run threads forever. */
void proc_idle_loop(void) __attribute__((noreturn));
/* The tick here is an idle application processor's: it needs no kernel lock. */
int sched_tick_lockless(void);
/* t may run only on mask's CPUs (0: all). */
void sched_set_affinity(struct thread *t, uint64_t mask);

long proc_fork(void);
/* clone(2): fork-style, CLONE_VM (with CLONE_VFORK) and threads (see proc.c). */
long proc_clone(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid, uint64_t tls);
/* A CLONE_VFORK child execs or exits: its parent goes on. */
void proc_vfork_release(struct proc *c);
/* exit_group(2) and death by signal: every thread of the process ends. */
void proc_exit(int wstatus) __attribute__((noreturn));
/* exit(2): the calling thread ends; the process with its last thread. */
void thread_exit(int wstatus) __attribute__((noreturn));
/* execve: end the process's other threads; the caller takes the pid as tid. */
int proc_exec_single(void);
/* ru: the reaped child's usage (wait4's rusage), or 0. */
long proc_wait4(int pid, uint64_t ustatus, int options, struct krusage *ru);
/* waitid(2), its rusage written to urusage when a child was found. */
long proc_waitid(int idtype, int id, uint64_t uinfo, int options, uint64_t urusage);
/*
 * Job control (signal.c's callers): the calling thread's process stops on
 * sig and the caller parks until it is continued; p continues (SIGCONT).
 */
void proc_stop(int sig);
void proc_continue(struct proc *p);
/* SIGKILL for p: a stopped p goes on, to die (no report to its parent). */
void proc_unstop_to_die(struct proc *p);
/* A thread of a stopped process must not run (sched.c parks it). */
int proc_must_park(struct thread *t);
long proc_kill(int pid, int sig);

/* prctl.c: what a child inherits at fork; p's parent exits (PR_SET_PDEATHSIG). */
void prctl_fork(struct proc *c, struct proc *p);
void prctl_parent_exit(struct proc *p);

/* Give up the CPU, staying runnable. */
void sched_yield_cpu(void);
/* Sleep on chan (until wakeup(chan), a signal, or the deadline if nonzero). */
int sleep_on(const void *chan, uint64_t deadline_ns);
/* ... unless *flag is set: for a caller without the kernel lock (sched.c). */
int sleep_unless(const void *chan, uint64_t deadline_ns, const volatile int *flag);
/* A signal t does not block is pending for it: wake or tell it (sched.c). */
void sched_signal(struct thread *t);
/*
 * Sleep on chan as Linux's TASK_KILLABLE: only SIGKILL ends it early
 * (-EINTR); other signals stay pending until after.  A sleep_on loop
 * with a caught signal pending would spin, keeping the kernel lock from
 * the threads on other CPUs it waits for.
 */
int sleep_killable(const void *chan);
void wakeup(const void *chan);
/* Wake just t if it sleeps on chan; 1 if it did. */
int wakeup_thread(struct thread *t, const void *chan);
/* On every return to ring 3: act on pending signals, reschedule if due. */
void proc_user_return_work(struct trapframe *tf);
/* Park the calling thread while proc_must_park says so (interrupts off). */
void sched_park_self(void);
/* Processes for kill(2)'s pid forms; fn returns nonzero to stop. */
int proc_foreach(int (*fn)(struct proc *, void *), void *arg);

/* Every trap from ring 3: check it landed on the thread's kernel stack. */
void proc_check_user_trap(struct trapframe *tf, int timer);
void proc_set_ring3_ticks(uint64_t n);
/* A fault in ring 3: log it and deliver sig (default action). */
void proc_fault_signal(struct trapframe *tf, int sig, int code, uint64_t addr);
/* Wake t from any sleep (a signal arrived). */
void thread_interrupt(struct thread *t);

/* pgrp.c */
/*
 * Whether group pgid is orphaned (POSIX: no member has a parent in
 * another group of the same session), not counting ignore.
 */
int pgrp_is_orphaned(int pgid, struct proc *ignore);
/*
 * p exits (parent 0) or loses its parent (parent: the one exiting): if
 * that orphans a group with stopped members, it gets SIGHUP and SIGCONT.
 */
void pgrp_orphan_check(struct proc *p, struct proc *parent);
/* The session of group pgid (or of process pgid, as Linux's session_of_pgrp); -1 if none. */
int pgrp_session(int pgid);
/* sig to every process of group pgid, from the kernel; 0 or -ESRCH. */
int pgrp_signal(int pgid, int sig);

/* futex.c */
long futex_wake(struct aspace *as, uint64_t uaddr, int n, uint32_t bitset);
/* A thread's exit: its robust futexes marked OWNER_DIED, their waiters woken. */
void futex_exit_robust(struct thread *t);

#endif
