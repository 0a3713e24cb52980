/*
 * proc.c: the process table and the life of processes and threads:
 * creation (the first process, fork, clone), exit of a thread and of a
 * process, execve's single thread, wait4, kill(2), faults from ring 3
 * (see proc.h).
 *
 * Interface: proc_find, thread_find, proc_count, proc_foreach,
 * proc_start_init, proc_fork, proc_clone, proc_vfork_release, proc_exit,
 * thread_exit, proc_exec_single, proc_wait4, proc_kill, proc_reap,
 * proc_check_user_trap, proc_set_ring3_ticks, proc_fault_signal.
 * Scheduling is sched.c's; process groups and sessions pgrp.c's.
 */
#include <limits.h>
#include <keel/kernel.h>
#include <keel/refcount.h>
#include <uapi/errno.h>
#include <keel/console.h>
#include <keel/exec.h>
#include <keel/file.h>
#include <keel/fs.h>
#include <keel/proc.h>
#include <keel/tty.h>
#include <keel/vfs.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <keel/vm.h>
#include <keel/kheap.h>
#include <arch/arch.h>
#include <uapi/sched.h>


static struct proc *allprocs;
static struct proc *initproc;
static int nprocs, nthreads;
static uint8_t pid_used[PID_MAX / 8];
static int next_pid = 1;
static uint64_t ring3_ticks, ring3_ticks_wanted;

int
proc_count(void)
{
	return nprocs;
}

struct proc *
proc_find(int pid)
{
	struct proc *p;

	for (p = allprocs; p; p = p->p_allnext)
		if (p->p_pid == pid)
			return p;
	return 0;
}

struct thread *
thread_find(int tid)
{
	struct proc *p;
	struct thread *t;

	for (p = allprocs; p; p = p->p_allnext)
		for (t = p->p_threads; t; t = t->t_peer)
			if (t->t_tid == tid)
				return t;
	return 0;
}

int
proc_foreach(int (*fn)(struct proc *, void *), void *arg)
{
	struct proc *p, *next;

	for (p = allprocs; p; p = next) {
		next = p->p_allnext;
		if (fn(p, arg))
			return 1;
	}
	return 0;
}

/* ---- creation and destruction ---- */

/*
 * RLIMIT_NPROC, as Linux's copy_process: the threads of every process
 * whose real uid is the caller's may not reach the caller's limit, but
 * for root (CAP_SYS_RESOURCE/CAP_SYS_ADMIN: euid 0 here).
 */
static int
nproc_over(void)
{
	struct proc *me = curproc(), *p;
	uint64_t n = 0, lim = me->p_rlim[RLIMIT_NPROC].rlim_cur;

	if (me->p_cred.c_euid == 0 || me->p_cred.c_uid == 0)
		return 0;
	for (p = allprocs; p; p = p->p_allnext)
		if (p->p_state != P_ZOMBIE && p->p_cred.c_uid == me->p_cred.c_uid)
			n += p->p_nthreads;
	return n >= lim;
}

/* Pids and tids share one number space, as Linux's. */
static int
pid_alloc(void)
{
	int i, pid;

	for (i = 0; i < PID_MAX; i++) {
		pid = next_pid;
		next_pid = next_pid + 1 < PID_MAX ? next_pid + 1 : 2;
		if (!(pid_used[pid / 8] & (1 << (pid % 8)))) {
			pid_used[pid / 8] |= 1 << (pid % 8);
			return pid;
		}
	}
	return -1;
}

static void
pid_free(int pid)
{
	pid_used[pid / 8] &= ~(1 << (pid % 8));
}

/*
 * A new thread of p, not yet runnable: tid is the process's pid for its
 * first thread, else 0 for a tid of its own.
 */
static struct thread *
thread_alloc(struct proc *p, int tid)
{
	struct thread *t, **tp;

	if (curcpu()->c_reapq)
		proc_reap();	/* first: they still count in nthreads */
	if (nthreads >= NPROC_MAX)
		return 0;
	/* Larger than any slab object: whole frames, the image 64-byte aligned. */
	t = kzalloc(MAX(sizeof(*t) + arch_thread_extra(), KHEAP_MAX_SMALL + 1));
	if (t == 0)
		return 0;
	if ((t->t_kstack = kstack_alloc()) == 0) {
		kfree(t);
		return 0;
	}
	if (tid == 0) {
		if ((tid = pid_alloc()) < 0) {
			kstack_free(t->t_kstack);
			kfree(t);
			return 0;
		}
		t->t_own_tid = 1;
	}
	t->t_tid = tid;
	t->t_proc = p;
	t->t_state = T_EMBRYO;
	t->t_klock = 0;		/* its first run goes to ring 3 without it (thread_first) */
	t->t_syscall_nr = -1;
	arch_thread_init(t);
	for (tp = &p->p_threads; *tp; tp = &(*tp)->t_peer)
		;
	*tp = t;	/* at the end: the first thread stays first */
	p->p_nthreads++;
	nthreads++;
	return t;
}

/* Take t off its process's list: no tid lookup finds it any more. */
static void
thread_unlink(struct thread *t)
{
	struct thread **tp;

	for (tp = &t->t_proc->p_threads; *tp != t; tp = &(*tp)->t_peer)
		;
	*tp = t->t_peer;
	t->t_proc->p_nthreads--;
}

/* Free an unlinked t; never the running thread (its stack is in use). */
static void
thread_release(struct thread *t)
{
	ASSERT(t != curthread());
	if (t->t_own_tid)
		pid_free(t->t_tid);
	kstack_free(t->t_kstack);
	kfree(t);
	nthreads--;
}

static struct proc *
proc_alloc(void)
{
	struct proc *p;

	if (nprocs >= NPROC_MAX)
		return 0;
	p = kzalloc(sizeof(*p));
	if (p == 0)
		return 0;
	/* The pid last: a failed allocation must not take one for good. */
	if ((p->p_pid = pid_alloc()) < 0) {
		kfree(p);
		return 0;
	}
	if (thread_alloc(p, p->p_pid) == 0) {
		pid_free(p->p_pid);
		kfree(p);
		return 0;
	}
	p->p_state = P_EMBRYO;
	p->p_start_ns = clock_ns();
	p->p_allnext = allprocs;
	allprocs = p;
	nprocs++;
	return p;
}

/* Take p off allprocs: no pid lookup, wait4 or kill finds it any more. */
static void
proc_unlink(struct proc *p)
{
	struct proc **pp;

	for (pp = &allprocs; *pp != p; pp = &(*pp)->p_allnext)
		;
	*pp = p->p_allnext;
}

/* Free an unlinked p whose threads are all gone. */
static void
proc_release(struct proc *p)
{
	ASSERT(p != curproc() && p->p_nthreads == 0);
	cred_release(&p->p_cred);
	pid_free(p->p_pid);
	kfree(p);
	nprocs--;
}

/* A process that never ran (a failed fork): its thread and itself. */
static void
proc_free_embryo(struct proc *p)
{
	struct thread *t = p->p_threads;

	thread_unlink(t);
	thread_release(t);
	proc_unlink(p);
	proc_release(p);
}

void
proc_reap(void)
{
	struct cpu *c = curcpu();
	struct thread *t;
	struct proc *p;
	uint64_t fl = intr_save();

	while ((t = c->c_reapq) != 0) {
		c->c_reapq = t->t_qnext;
		p = t->t_reap_proc;
		thread_release(t);
		if (p)
			proc_release(p);
	}
	intr_restore(fl);
}

int
proc_start_init(const char *path, char *const argv[], char *const envp[])
{
	struct proc *p = proc_alloc();
	int err;

	if (p == 0)
		return -ENOMEM;
	rlimit_init(p->p_rlim);
	err = file_open_console(p);
	if (err == 0)
		err = exec_image(p, path, argv, envp);
	if (err) {
		file_close_all(p);
		proc_free_embryo(p);
		return err;
	}
	initproc = p;
	p->p_parent = 0;
	p->p_umask = 022;	/* Linux's init_fs */
	p->p_exit_signal = SIGCHLD;	/* as Linux's init shows it in /proc/1/stat */
	p->p_pgid = p->p_sid = p->p_pid;
	p->p_state = P_LIVE;
	sched_make_runnable(p->p_threads);
	return 0;
}

/*
 * The copy of a fork, made without the kernel lock: it needs only the
 * address space's own lock (uvm.c), and it is most of a fork's work, so
 * forks on several CPUs copy at once.  The parent's space is held across
 * (a thread of it could exec meanwhile).
 */
static struct aspace *
fork_as(struct aspace *pas)
{
	struct aspace *as;
	int depth;

	if (!smp_live)
		return as_fork(pas);
	depth = klock_depth();
	as_hold(pas);
	klock_set_depth(0);
	as = as_fork(pas);
	klock_set_depth(depth);
	as_rele(pas);
	return as;
}

/* An exit's address space goes without the kernel lock too (see fork_as). */
static void
drop_as(struct aspace *as)
{
	int depth;

	if (!smp_live) {
		as_rele(as);
		return;
	}
	depth = klock_depth();
	klock_set_depth(0);
	as_rele(as);
	klock_set_depth(depth);
}

/*
 * A new process copying the calling thread's: its address space copied
 * (or shared, CLONE_VM), descriptors, handlers, ids; not yet runnable.
 */
static struct proc *
proc_copy(uint64_t flags)
{
	struct thread *t = curthread(), *ct;
	struct proc *p = t->t_proc, *c;
	struct aspace *as;

	if (nproc_over())
		return 0;
	if (flags & CLONE_VM) {
		as = p->p_as;
		as_hold(as);
	} else if ((as = fork_as(p->p_as)) == 0) {
		return 0;
	}
	/* Again: other forks ran while the copy was made. */
	if (nproc_over() || (c = proc_alloc()) == 0) {
		drop_as(as);
		return 0;
	}
	ct = c->p_threads;
	c->p_as = as;
	if (file_dup_all(c, p)) {
		c->p_as = 0;
		drop_as(as);
		proc_free_embryo(c);
		return 0;
	}
	arch_fork_copy(ct, t);
	c->p_cwd = p->p_cwd;
	if (c->p_cwd)
		vn_hold(c->p_cwd);
	c->p_pgid = p->p_pgid;
	c->p_sid = p->p_sid;
	c->p_ctty = p->p_ctty;
	ct->t_sigmask = t->t_sigmask;
	ct->t_affinity = t->t_affinity;
	ct->t_cpu = t->t_cpu;
	memcpy(c->p_sigact, p->p_sigact, sizeof(c->p_sigact));
	memcpy(c->p_name, p->p_name, sizeof(c->p_name));
	memcpy(c->p_rlim, p->p_rlim, sizeof(c->p_rlim));
	c->p_exe = exeref_hold(p->p_exe);
	c->p_args = p->p_args;
	c->p_parent = p;
	c->p_exit_signal = SIGCHLD;
	c->p_umask = p->p_umask;
	cred_fork(&c->p_cred, &p->p_cred);
	/* As Linux's copy_process: a CLONE_VM child without VFORK starts without one. */
	if ((flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM)
		ct->t_altstack = t->t_altstack;
	prctl_fork(c, p);
	c->p_state = P_LIVE;
	return c;
}

long
proc_fork(void)
{
	struct proc *c = proc_copy(0);

	if (c == 0)
		return -EAGAIN;
	sched_make_runnable(c->p_threads);
	return c->p_pid;
}

/* A new thread of the caller's process (CLONE_THREAD); not yet runnable. */
static struct thread *
thread_copy(uint64_t flags, uint64_t tls, long *err)
{
	struct thread *t = curthread(), *ct = nproc_over() ? 0 : thread_alloc(t->t_proc, 0);

	if (ct == 0) {
		*err = -EAGAIN;
		return 0;
	}
	arch_fork_copy(ct, t);
	ct->t_sigmask = t->t_sigmask;
	ct->t_affinity = t->t_affinity;
	ct->t_cpu = t->t_cpu;
	if ((flags & CLONE_SETTLS) && (*err = arch_thread_set_tls(ct, tls)) != 0) {
		thread_unlink(ct);
		thread_release(ct);
		return 0;
	}
	return ct;
}

/*
 * clone(2) as Linux's kernel_clone checks it: a fork-style child (CSIGNAL
 * the signal its exit sends; PARENT_SETTID, CHILD_SETTID,
 * CHILD_CLEARTID; a new stack), CLONE_VM (the child shares the address
 * space: posix_spawn's CLONE_VM|CLONE_VFORK, whose parent waits until the
 * child execs or exits), and threads (CLONE_THREAD with VM, SIGHAND, FS
 * and FILES; SETTLS; SYSVSEM has nothing to share here).  Sharing the
 * descriptor table, working directory or handlers between two processes
 * (FILES, FS or SIGHAND without THREAD), a thread with its own of them,
 * and namespaces are not offered: -ENOSYS.
 */
long
proc_clone(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid, uint64_t tls)
{
	struct thread *t = curthread(), *ct;
	struct proc *p = t->t_proc, *c = 0;
	uint64_t sig = flags & CSIGNAL;
	const uint64_t shared = CLONE_FS | CLONE_FILES | CLONE_SIGHAND;
	long err = 0;
	int id;

	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_PARENT) && p == initproc)
		return -EINVAL;
	if ((flags & CLONE_PIDFD) && (flags & CLONE_PARENT_SETTID))
		return -EINVAL;
	if (!(flags & CLONE_THREAD) && sig > NSIG)
		return -EINVAL;
	if (flags & ~(CSIGNAL | CLONE_VM | shared | CLONE_VFORK | CLONE_PARENT |
	    CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |
	    CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_DETACHED))
		return -ENOSYS;
	if ((flags & CLONE_THREAD) ? (flags & shared) != shared : (flags & shared) != 0)
		return -ENOSYS;
	if (flags & CLONE_THREAD) {
		if ((ct = thread_copy(flags, tls, &err)) == 0)
			return err;
		id = ct->t_tid;
	} else {
		if ((c = proc_copy(flags)) == 0)
			return -EAGAIN;
		ct = c->p_threads;
		if ((flags & CLONE_SETTLS) && (err = arch_thread_set_tls(ct, tls)) != 0) {
			file_close_all(c);
			if (c->p_cwd)
				vn_rele(c->p_cwd);
			as_rele(c->p_as);
			proc_free_embryo(c);
			return err;
		}
		c->p_exit_signal = (int)sig;
		if (flags & CLONE_PARENT)
			c->p_parent = p->p_parent;
		id = c->p_pid;
	}
	if (newsp)
		arch_user_frame_set_sp(ct, newsp);
	/*
	 * Linux writes these before the child runs (CHILD_SETTID as the
	 * child: into its own copy of a page, never the parent's); a bad
	 * pointer is ignored.
	 */
	if (flags & CLONE_PARENT_SETTID)
		copyout(ptid, &id, sizeof(id));
	if (flags & CLONE_CHILD_SETTID)
		as_put_user(ct->t_proc->p_as, ctid, &id, sizeof(id));
	if (flags & CLONE_CHILD_CLEARTID)
		ct->t_clear_tid = ctid;
	if (c && (flags & CLONE_VFORK)) {
		c->p_vfork_parent = t->t_tid;
		t->t_vfork_wait = id;
	}
	sched_make_runnable(ct);
	if (c && (flags & CLONE_VFORK)) {
		/* As Linux's wait_for_vfork_done: only SIGKILL ends it early. */
		while (t->t_vfork_wait == id && sleep_killable(&t->t_vfork_wait) == 0)
			;
		t->t_vfork_wait = 0;
	}
	return id;
}

void
proc_vfork_release(struct proc *c)
{
	struct thread *t;

	if (c->p_vfork_parent == 0)
		return;
	t = thread_find(c->p_vfork_parent);
	if (t && t->t_vfork_wait == c->p_pid) {
		t->t_vfork_wait = 0;
		wakeup(&t->t_vfork_wait);
	}
	c->p_vfork_parent = 0;
}

/*
 * Tell c's parent that c exited, as Linux's do_notify_parent: wake its
 * wait4 and send SIGCHLD.  A parent that ignores SIGCHLD (SIG_IGN) or set
 * SA_NOCLDWAIT on it keeps no zombies (POSIX): return 1, and the caller
 * frees c instead.  Linux still sends SIGCHLD to an SA_NOCLDWAIT handler.
 */
static int
proc_notify_parent(struct proc *c)
{
	struct proc *parent = c->p_parent;
	struct ksigaction *a = &parent->p_sigact[SIGCHLD - 1];
	struct ksiginfo si = { 0 };

	/* Even with no zombie left: a wait4 may now find no child (-ECHILD). */
	wakeup(parent);
	si.si_pid = c->p_pid;
	si.si_uid = c->p_cred.c_uid;
	if ((c->p_xstatus & 0x7f) == 0) {
		si.si_code = CLD_EXITED;
		si.si_status = (c->p_xstatus >> 8) & 0xff;
	} else {
		si.si_code = CLD_KILLED;
		si.si_status = c->p_xstatus & 0x7f;
	}
	if (c->p_exit_signal)
		signal_send_info(parent, c->p_exit_signal, &si);	/* dropped if ignored */
	return a->sa_handler == SIG_IGN || (a->sa_flags & SA_NOCLDWAIT);
}

/*
 * c stopped or continued (code CLD_STOPPED or CLD_CONTINUED): wake its
 * parent's wait and send it SIGCHLD unless it asked not to (SA_NOCLDSTOP),
 * as Linux's do_notify_parent_cldstop.
 */
static void
notify_parent_stop(struct proc *c, int code, int sig)
{
	struct proc *parent = c->p_parent;
	struct ksiginfo si = { 0 };

	if (parent == 0)
		return;
	si.si_code = code;
	si.si_pid = c->p_pid;
	si.si_uid = c->p_cred.c_uid;
	si.si_status = sig;
	if (!(parent->p_sigact[SIGCHLD - 1].sa_flags & SA_NOCLDSTOP))
		signal_send_info(parent, SIGCHLD, &si);
	wakeup(parent);
}

int
proc_must_park(struct thread *t)
{
	struct proc *p = t->t_proc;

	return p->p_stopped && !p->p_group_exit && !(t->t_sigpending & SIGBIT(SIGKILL));
}

void
proc_stop(int sig)
{
	struct proc *p = curproc();

	if (!p->p_stopped) {
		p->p_stopped = 1;
		p->p_stopsig = sig;
		p->p_wait_report = WR_STOPPED;
		notify_parent_stop(p, CLD_STOPPED, sig);
	}
	sched_park_self();
}

void
proc_continue(struct proc *p)
{
	if (!p->p_stopped)
		return;
	p->p_stopped = 0;
	p->p_wait_report = WR_CONTINUED;
	wakeup(&p->p_stopped);
	notify_parent_stop(p, CLD_CONTINUED, SIGCONT);
}

void
proc_unstop_to_die(struct proc *p)
{
	if (!p->p_stopped)
		return;
	p->p_stopped = 0;
	p->p_wait_report = 0;
	wakeup(&p->p_stopped);
}

/* The process's last thread is leaving: the process ends (a zombie, or freed). */
static void
proc_end(struct thread *t)
{
	struct proc *p = t->t_proc, *q, **pp;
	struct aspace *as;
	int wstatus = p->p_xstatus;

	if (p == initproc) {
		if ((wstatus & 0x7f) == 0)
			kprintf("init: exited with status %d\n", (wstatus >> 8) & 0xff);
		else
			kprintf("init: killed by signal %d\n", wstatus & 0x7f);
		machine_stop((wstatus & 0x7f) ? 128 + (wstatus & 0x7f) :
		    (wstatus >> 8) & 0xff);
	}
	proc_vfork_release(p);
	tty_session_exit(p);
	file_close_all(p);
	if (p->p_cwd)
		vn_rele(p->p_cwd);
	p->p_cwd = 0;
	exeref_rele(p->p_exe);
	p->p_exe = 0;
	intr_disable();
	as_activate(0);
	cputime_keep_rss(p, p->p_as);
	as = p->p_as;
	p->p_as = 0;
	drop_as(as);
	/*
	 * Init adopts the children.  A zombie among them is news to init, as
	 * a child of its own exiting would be (Linux's reparent_leader): it
	 * is told, and the zombie freed now if init keeps none (it is not
	 * running: its last thread switched away for good when it exited).
	 */
	for (pp = &allprocs; (q = *pp) != 0;) {
		if (q->p_parent == p) {
			q->p_parent = initproc;
			prctl_parent_exit(q);
			if (q->p_state == P_ZOMBIE && proc_notify_parent(q)) {
				*pp = q->p_allnext;
				proc_release(q);
				continue;
			}
			pgrp_orphan_check(q, p);
		}
		pp = &q->p_allnext;
	}
	pgrp_orphan_check(p, 0);
	p->p_state = P_ZOMBIE;
	if (p->p_parent && proc_notify_parent(p)) {
		/* No zombie: gone now, freed with its last thread. */
		proc_unlink(p);
		t->t_reap_proc = p;
	}
}

/*
 * The calling thread ends: its robust futexes released, then its
 * CLONE_CHILD_CLEARTID word cleared and woken (pthread_join's) if anyone
 * else shares the memory, in the order of Linux's exit_mm_release (a
 * joiner finds the robust locks already released); the process with its
 * last thread.  Freed from another stack (the reap queue).
 */
static void __attribute__((noreturn))
thread_end(struct thread *t, int wstatus)
{
	struct proc *p = t->t_proc;
	uint32_t zero = 0;

	futex_exit_robust(t);
	if (t->t_clear_tid && p->p_as && (p->p_nthreads > 1 || p->p_as->as_refs > 1) &&
	    copyout(t->t_clear_tid, &zero, sizeof(zero)) == 0)
		futex_wake(p->p_as, t->t_clear_tid, 1, ~0U);
	t->t_clear_tid = 0;
	/*
	 * The process's status: a group exit's, else its first thread's own
	 * (Linux's wait_task_zombie reads the leader's exit code).
	 */
	if (!p->p_group_exit && (t->t_tid == p->p_pid || p->p_nthreads == 1) &&
	    !p->p_leader_gone)
		p->p_xstatus = wstatus;
	if (t->t_tid == p->p_pid)
		p->p_leader_gone = 1;
	if (p->p_nthreads == 1)
		proc_end(t);
	intr_disable();
	thread_unlink(t);
	if (p->p_execing && p->p_nthreads == 1)
		wakeup(&p->p_execing);
	sched_exit();
}

void
thread_exit(int wstatus)
{
	thread_end(curthread(), wstatus);
}

/* Every other thread of p gets SIGKILL; they end on their way to ring 3. */
static void
kill_other_threads(struct proc *p, struct thread *self)
{
	struct thread *o;
	uint64_t fl = intr_save();

	for (o = p->p_threads; o; o = o->t_peer)
		if (o != self) {
			sigset_add(&o->t_sigpending, SIGBIT(SIGKILL));
			thread_interrupt(o);
		}
	intr_restore(fl);
}

void
proc_exit(int wstatus)
{
	struct thread *t = curthread();
	struct proc *p = t->t_proc;

	if (!p->p_group_exit) {
		p->p_group_exit = 1;
		p->p_xstatus = wstatus;
		kill_other_threads(p, t);
	}
	thread_end(t, wstatus);
}

/*
 * execve's de_thread: the other threads end (SIGKILL, each exits alone)
 * and the caller, whatever its tid, becomes the process's only thread
 * with the pid as its tid.  -EAGAIN if the process is already ending.
 */
int
proc_exec_single(void)
{
	struct thread *t = curthread();
	struct proc *p = t->t_proc;

	if (p->p_nthreads > 1) {
		if (p->p_group_exit || p->p_execing)
			return -EAGAIN;
		p->p_execing = t;
		kill_other_threads(p, t);
		while (p->p_nthreads > 1) {
			if (sleep_killable(&p->p_execing) != 0) {
				p->p_execing = 0;
				return -EINTR;
			}
		}
		p->p_execing = 0;
	}
	if (t->t_tid != p->p_pid) {
		pid_free(t->t_tid);
		t->t_tid = p->p_pid;
		t->t_own_tid = 0;
	}
	p->p_leader_gone = 0;
	return 0;
}

/* What a wait found: the pid, its wait4 status, and waitid's si_code and si_status. */
struct waitres {
	int w_pid, w_status, w_code, w_sstatus;
	uint32_t w_uid;			/* the child's real uid (waitid's si_uid) */
};

/* idtype P_ALL, P_PID or P_PGID (waitid's), id the pid or group. */
static int
wait_matches(struct proc *p, struct proc *q, int idtype, int id)
{
	if (q->p_parent != p)
		return 0;
	if (idtype == P_PID)
		return q->p_pid == id;
	if (idtype == P_PGID)
		return q->p_pgid == id;
	return 1;
}

/*
 * A child that changed state, as Linux's do_wait looks at each: exited
 * (WEXITED; reaped unless WNOWAIT), stopped (WSTOPPED) and continued
 * (WCONTINUED) ones reported once each unless WNOWAIT.  Returns the pid,
 * 0 (WNOHANG, nothing yet), -ECHILD or -EINTR.
 */
static long
proc_wait(int idtype, int id, int options, struct waitres *r, struct krusage *ru)
{
	struct proc *q, *p = curproc();
	int found, st;

	for (;;) {
		found = 0;
		for (q = allprocs; q; q = q->p_allnext) {
			if (!wait_matches(p, q, idtype, id))
				continue;
			found = 1;
			if (q->p_state == P_ZOMBIE) {
				if (!(options & WEXITED))
					continue;
				st = q->p_xstatus;
				r->w_pid = q->p_pid;
				r->w_uid = q->p_cred.c_uid;
				r->w_status = st;
				if ((st & 0x7f) == 0) {
					r->w_code = CLD_EXITED;
					r->w_sstatus = (st >> 8) & 0xff;
				} else {
					r->w_code = CLD_KILLED;
					r->w_sstatus = st & 0x7f;
				}
				if (!(options & WNOWAIT)) {
					cputime_reap(p, q, ru);
					proc_unlink(q);
					proc_release(q);
				} else if (ru) {
					cputime_rusage(q, ru);
				}
				return r->w_pid;
			}
			if ((options & WSTOPPED) && q->p_stopped &&
			    (q->p_wait_report & WR_STOPPED)) {
				r->w_status = (q->p_stopsig << 8) | 0x7f;
				r->w_code = CLD_STOPPED;
				r->w_sstatus = q->p_stopsig;
			} else if ((options & WCONTINUED) && (q->p_wait_report & WR_CONTINUED)) {
				r->w_status = 0xffff;
				r->w_code = CLD_CONTINUED;
				r->w_sstatus = SIGCONT;
			} else {
				continue;
			}
			if (!(options & WNOWAIT))
				q->p_wait_report = 0;
			if (ru)
				cputime_rusage(q, ru);
			r->w_pid = q->p_pid;
			r->w_uid = q->p_cred.c_uid;
			return r->w_pid;
		}
		if (!found)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		if (sleep_on(p, 0))
			return -EINTR;
	}
}

long
proc_wait4(int pid, uint64_t ustatus, int options, struct krusage *ru)
{
	struct waitres r;
	long n;

	/* WUNTRACED is WSTOPPED; exited children are always of interest. */
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL_BITS))
		return -EINVAL;
	if (pid == INT_MIN)
		return -ESRCH;	/* Linux: -INT_MIN names no process group */
	options |= WEXITED;
	if (pid > 0)
		n = proc_wait(P_PID, pid, options, &r, ru);
	else if (pid == 0)
		n = proc_wait(P_PGID, curproc()->p_pgid, options, &r, ru);
	else if (pid == -1)
		n = proc_wait(P_ALL, 0, options, &r, ru);
	else
		n = proc_wait(P_PGID, -pid, options, &r, ru);
	/* Reaped even if status cannot be stored (Linux). */
	if (n > 0 && ustatus && copyout(ustatus, &r.w_status, sizeof(r.w_status)))
		return -EFAULT;
	return n;
}

/*
 * waitid(2): Linux's checks in its order; the siginfo_t gets si_signo
 * (SIGCHLD, or 0 when WNOHANG found nothing), si_errno, si_code, si_pid,
 * si_uid and si_status, and nothing else of it is written.
 */
long
proc_waitid(int idtype, int id, uint64_t uinfo, int options, uint64_t urusage)
{
	struct waitres r = { 0 };
	struct krusage ru;
	int32_t info[7] = { 0 };
	long n;

	if (options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WALL_BITS))
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (idtype) {
	case P_ALL:
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		if (id == 0)
			id = curproc()->p_pgid;
		break;
	default:
		return -EINVAL;	/* P_PIDFD too: there are no pidfds */
	}
	n = proc_wait(idtype, id, options, &r, urusage ? &ru : 0);
	if (n < 0)
		return n;
	/* As Linux: the rusage of a child found, then the siginfo. */
	if (n > 0 && urusage && copyout(urusage, &ru, sizeof(ru)))
		return -EFAULT;
	if (uinfo == 0)
		return 0;
	if (n > 0) {
		info[0] = SIGCHLD;
		info[2] = r.w_code;
		info[4] = r.w_pid;
		info[5] = (int32_t)r.w_uid;
		info[6] = r.w_sstatus;
	}
	/* Two pieces: the padding after si_code is not Linux's to write. */
	if (copyout(uinfo, info, 12) || copyout(uinfo + 16, &info[4], 12))
		return -EFAULT;
	return 0;
}

/* ---- kill(2) ---- */

struct killarg {
	int pid, sig, found, err, sent;
};

static int
kill_one(struct proc *p, void *arg)
{
	struct killarg *k = arg;
	int match, err;

	if (p->p_state == P_ZOMBIE && k->pid > 0 && p->p_pid == k->pid) {
		k->found = 1;	/* a zombie exists: signal 0 probes succeed */
		k->err = cred_may_signal(p, k->sig);
		return 1;
	}
	if (p->p_state != P_LIVE)
		return 0;
	if (k->pid > 0)
		match = p->p_pid == k->pid;
	else if (k->pid == 0)
		match = p->p_pgid == curproc()->p_pgid;
	else if (k->pid == -1)
		match = p != initproc && p != curproc();
	else
		match = p->p_pgid == -k->pid;
	if (!match)
		return 0;
	k->found = 1;
	err = cred_may_signal(p, k->sig);
	if (err == 0) {
		k->sent = 1;
		if (k->sig)
			signal_send(p, k->sig);
	}
	/* Linux keeps a group's last error, and -1's last one but -EPERM. */
	if (k->pid != -1 || err != -EPERM)
		k->err = err;
	return k->pid > 0;
}

long
proc_kill(int pid, int sig)
{
	struct killarg k = { pid, sig, 0, 0, 0 };

	/*
	 * -INT_MIN would overflow (UBSan stops the kernel on it): Linux
	 * answers that no such group exists, before it looks at sig.
	 */
	if (pid == INT_MIN)
		return -ESRCH;
	/* Linux looks for the target first: a bad signal to nobody is -ESRCH. */
	if (sig < 0 || sig > NSIG) {
		struct killarg probe = { pid, 0, 0, 0, 0 };

		proc_foreach(kill_one, &probe);
		return probe.found ? -EINVAL : -ESRCH;
	}
	if (pid == -1 && sig == 0)
		return 0;
	proc_foreach(kill_one, &k);
	if (!k.found)
		return -ESRCH;
	if (pid > 0 || pid == -1)
		return k.err;
	return k.sent ? 0 : k.err;	/* a group: one signal sent is success */
}

/*
 * An interrupt or exception from ring 3 must have landed on the running
 * thread's kernel stack, exactly where its user frame belongs (TSS RSP0):
 * the bug this project started from would break this first.  With
 * ring3ticks=N on the command line, the Nth timer tick seen in ring 3 ends
 * the run with a report (a boot test of that path).
 */
void
proc_check_user_trap(struct trapframe *tf, int timer)
{
	if (tf != curthread()->t_tf)
		panic("trap from ring 3 at 0x%lx landed at 0x%lx, not on tid %d's kernel"
		    " stack frame 0x%lx", tf->tf_rip, (uint64_t)tf, curthread()->t_tid,
		    (uint64_t)curthread()->t_tf);
	if (timer)
		cputime_user_tick(curproc());
	if (timer && ring3_ticks_wanted && ++ring3_ticks == ring3_ticks_wanted) {
		kprintf("timer: %lu ticks arrived in ring 3, each on pid %d's kernel stack"
		    " (rip 0x%lx)\n", ring3_ticks, curproc()->p_pid, tf->tf_rip);
		machine_stop(EXIT_OK);
	}
}

void
proc_set_ring3_ticks(uint64_t n)
{
	ring3_ticks_wanted = n;
}

static const char *const signame[] = {
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGBUS] = "SIGBUS",
	[SIGFPE] = "SIGFPE", [SIGSEGV] = "SIGSEGV",
};

void
proc_fault_signal(struct trapframe *tf, int sig, int code, uint64_t addr)
{
	uint64_t h = curproc()->p_sigact[sig - 1].sa_handler;

	/* As Linux's show_unhandled_signals: only a fault that kills is logged. */
	if (h == SIG_DFL || h == SIG_IGN || (curthread()->t_sigmask & SIGBIT(sig)))
		kprintf("pid %d (%s): %s at rip 0x%lx, address 0x%lx\n", curproc()->p_pid,
		    curproc()->p_name, signame[sig] ? signame[sig] : "signal", tf->tf_rip, addr);
	signal_force(curthread(), sig, code, addr);
}

