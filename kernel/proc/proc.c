/*
 * proc.c: the process table and a process's life: creation (the first
 * process, fork), exit, wait4, kill(2), faults from ring 3 (see proc.h).
 *
 * Interface: proc_find, proc_count, proc_foreach, proc_start_init,
 * proc_fork, proc_exit, proc_wait4, proc_kill, proc_reap,
 * proc_check_user_trap, proc_set_ring3_ticks, proc_fault_signal.
 * Scheduling is sched.c's; process groups and sessions pgrp.c's.
 */
#include <limits.h>
#include <keel/kernel.h>
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
static int nprocs;
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

static struct proc *
proc_alloc(void)
{
	struct proc *p;

	if (curcpu()->c_reapq)
		proc_reap();	/* first: they still count in nprocs */
	if (nprocs >= NPROC_MAX)
		return 0;
	/* Larger than any slab object: whole frames, the image 64-byte aligned. */
	_Static_assert(sizeof(*p) > KHEAP_MAX_SMALL, "struct proc: ap_fpu alignment");
	p = kzalloc(sizeof(*p) + arch_proc_extra());
	if (p == 0)
		return 0;
	/* The pid last: a failed allocation must not take one for good. */
	if ((p->p_kstack = kstack_alloc()) == 0) {
		kfree(p);
		return 0;
	}
	if ((p->p_pid = pid_alloc()) < 0) {
		kstack_free(p->p_kstack);
		kfree(p);
		return 0;
	}
	p->p_state = P_EMBRYO;
	p->p_syscall_nr = -1;
	p->p_start_ns = clock_ns();
	arch_thread_init(p);
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

/* Free an unlinked p; never the running process (its stack is in use). */
static void
proc_release(struct proc *p)
{
	ASSERT(p != curproc());
	pid_used[p->p_pid / 8] &= ~(1 << (p->p_pid % 8));
	kstack_free(p->p_kstack);
	kfree(p);
	nprocs--;
}

static void
proc_free(struct proc *p)
{
	proc_unlink(p);
	proc_release(p);
}

void
proc_reap(void)
{
	struct cpu *c = curcpu();
	struct proc *p;
	uint64_t fl = intr_save();

	while ((p = c->c_reapq) != 0) {
		c->c_reapq = p->p_qnext;
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
		proc_free(p);
		return err;
	}
	initproc = p;
	p->p_parent = 0;
	p->p_umask = 022;	/* Linux's init_fs */
	p->p_pgid = p->p_sid = p->p_pid;
	tty_set_foreground(p->p_pgid);
	sched_make_runnable(p);
	return 0;
}

long
proc_fork(void)
{
	struct proc *p = curproc(), *c = proc_alloc();

	if (c == 0)
		return -EAGAIN;
	c->p_as = as_fork(p->p_as);
	if (c->p_as == 0) {
		proc_free(c);
		return -ENOMEM;
	}
	arch_fork_copy(c, p);
	c->p_cwd = p->p_cwd;
	if (c->p_cwd)
		vn_hold(c->p_cwd);
	c->p_pgid = p->p_pgid;
	c->p_sid = p->p_sid;
	c->p_sigmask = p->p_sigmask;
	memcpy(c->p_sigact, p->p_sigact, sizeof(c->p_sigact));
	memcpy(c->p_name, p->p_name, sizeof(c->p_name));
	memcpy(c->p_rlim, p->p_rlim, sizeof(c->p_rlim));
	file_dup_all(c, p);
	c->p_parent = p;
	c->p_exit_signal = SIGCHLD;
	c->p_umask = p->p_umask;
	c->p_altstack = p->p_altstack;
	prctl_fork(c, p);
	sched_make_runnable(c);
	return c->p_pid;
}

/*
 * clone(2) as Linux's kernel_clone checks it, for what keel can do
 * without threads: a fork-style child (CSIGNAL the signal its exit
 * sends; PARENT_SETTID, CHILD_SETTID, CHILD_CLEARTID; a new stack), and
 * CLONE_VM|CLONE_VFORK (posix_spawn), whose parent waits until the child
 * execs or exits, as Linux's.  The vfork child gets a copy of the address
 * space rather than the parent's own: a program that lets a vfork child
 * write the parent's memory sees none of it.  Threads (CLONE_VM without
 * CLONE_VFORK, CLONE_THREAD, SIGHAND, FS, FILES, SETTLS) and namespaces
 * are not offered yet: -ENOSYS.
 */
long
proc_clone(uint64_t flags, uint64_t newsp, uint64_t ptid, uint64_t ctid, uint64_t tls)
{
	struct proc *p = curproc(), *c;
	uint64_t sig = flags & CSIGNAL;
	long pid;
	int cpid;

	(void)tls;
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
	if (sig > NSIG)
		return -EINVAL;
	if ((flags & ~(CSIGNAL | CLONE_VFORK | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
	    CLONE_CHILD_CLEARTID | CLONE_VM)) || ((flags & CLONE_VM) && !(flags & CLONE_VFORK)))
		return -ENOSYS;
	pid = proc_fork();
	if (pid < 0)
		return pid;
	c = proc_find((int)pid);
	c->p_exit_signal = (int)sig;
	cpid = (int)pid;
	if (newsp)
		arch_user_frame_set_sp(c, newsp);
	/* Linux writes these before the child runs; a bad pointer is ignored. */
	if (flags & CLONE_PARENT_SETTID)
		copyout(ptid, &cpid, sizeof(cpid));
	if (flags & CLONE_CHILD_SETTID)
		as_copyout(c->p_as, ctid, &cpid, sizeof(cpid));
	if (flags & CLONE_CHILD_CLEARTID)
		c->p_clear_tid = ctid;
	if (flags & CLONE_VFORK) {
		c->p_vfork_parent = p->p_pid;
		p->p_vfork_wait = cpid;
		/*
		 * As Linux's wait_for_vfork_done: only a fatal signal ends it
		 * early.  Another pending signal makes sleep_on return at once:
		 * give the CPU to the child then, never spin on it.
		 */
		while (p->p_vfork_wait == cpid && sleep_on(&p->p_vfork_wait, 0)) {
			if (p->p_sigpending & SIGBIT(SIGKILL))
				break;
			sched_yield_cpu();
		}
		p->p_vfork_wait = 0;
	}
	return pid;
}

void
proc_vfork_release(struct proc *c)
{
	struct proc *parent;

	if (c->p_vfork_parent == 0)
		return;
	parent = proc_find(c->p_vfork_parent);
	if (parent && parent->p_vfork_wait == c->p_pid) {
		parent->p_vfork_wait = 0;
		wakeup(&parent->p_vfork_wait);
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

	/* Even with no zombie left: a wait4 may now find no child (-ECHILD). */
	proc_interrupt(parent);
	if (c->p_exit_signal)
		signal_send(parent, c->p_exit_signal);	/* dropped if ignored */
	return a->sa_handler == SIG_IGN || (a->sa_flags & SA_NOCLDWAIT);
}

void
proc_exit(int wstatus)
{
	struct proc *p = curproc(), *q, **pp;

	if (p == initproc) {
		if ((wstatus & 0x7f) == 0)
			kprintf("init: exited with status %d\n", (wstatus >> 8) & 0xff);
		else
			kprintf("init: killed by signal %d\n", wstatus & 0x7f);
		machine_stop((wstatus & 0x7f) ? 128 + (wstatus & 0x7f) :
		    (wstatus >> 8) & 0xff);
	}
	proc_vfork_release(p);
	file_close_all(p);
	if (p->p_cwd)
		vn_rele(p->p_cwd);
	p->p_cwd = 0;
	intr_disable();
	as_activate(0);
	cputime_keep_rss(p, p->p_as);
	as_destroy(p->p_as);
	p->p_as = 0;
	/*
	 * Init adopts the children.  A zombie among them is news to init, as
	 * a child of its own exiting would be (Linux's reparent_leader): it
	 * is told, and the zombie freed now if init keeps none (it is not
	 * running: it switched away for good when it exited).
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
		}
		pp = &q->p_allnext;
	}
	p->p_xstatus = wstatus;
	p->p_state = P_ZOMBIE;
	if (p->p_parent && proc_notify_parent(p)) {
		/* No zombie: gone now, freed once another stack runs. */
		proc_unlink(p);
		p->p_qnext = curcpu()->c_reapq;
		curcpu()->c_reapq = p;
	}
	sched_switch();
	panic("proc_exit: a zombie ran again");
}

long
proc_wait4(int pid, uint64_t ustatus, int options, struct krusage *ru)
{
	struct proc *q;
	int found, status, qpid;

	/*
	 * WUNTRACED and WCONTINUED ask about stops: nothing ever stops here
	 * (stop signals are not implemented), so they change nothing.
	 */
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL_BITS))
		return -EINVAL;
	if (pid == INT_MIN)
		return -ESRCH;	/* Linux: -INT_MIN names no process group */
	for (;;) {
		found = 0;
		for (q = allprocs; q; q = q->p_allnext) {
			if (q->p_parent != curproc() || (pid > 0 && q->p_pid != pid) ||
			    (pid == 0 && q->p_pgid != curproc()->p_pgid) ||
			    (pid < -1 && q->p_pgid != -pid))
				continue;
			found = 1;
			if (q->p_state != P_ZOMBIE)
				continue;
			status = q->p_xstatus;
			qpid = q->p_pid;
			cputime_reap(curproc(), q, ru);
			proc_free(q);	/* reaped even if status cannot be stored (Linux) */
			if (ustatus && copyout(ustatus, &status, sizeof(status)))
				return -EFAULT;
			return qpid;
		}
		if (!found)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		if (sleep_on(curproc(), 0))
			return -EINTR;
	}
}

/* ---- kill(2) ---- */

struct killarg {
	int pid, sig, found, err;
};

static int
kill_one(struct proc *p, void *arg)
{
	struct killarg *k = arg;
	int match;

	if (p->p_state == P_ZOMBIE && k->pid > 0 && p->p_pid == k->pid) {
		k->found = 1;	/* a zombie exists: signal 0 probes succeed */
		return 1;
	}
	if (p->p_state == P_ZOMBIE)
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
	if (k->sig)
		signal_send(p, k->sig);
	return k->pid > 0;
}

long
proc_kill(int pid, int sig)
{
	struct killarg k = { pid, sig, 0, 0 };

	/*
	 * -INT_MIN would overflow (UBSan stops the kernel on it): Linux
	 * answers that no such group exists, before it looks at sig.
	 */
	if (pid == INT_MIN)
		return -ESRCH;
	if (sig < 0 || sig > NSIG)
		return -EINVAL;
	if (pid == -1 && sig == 0)
		return 0;
	proc_foreach(kill_one, &k);
	return k.found ? 0 : -ESRCH;
}

/*
 * An interrupt or exception from ring 3 must have landed on the running
 * process's kernel stack, exactly where its user frame belongs (TSS RSP0):
 * the bug this project started from would break this first.  With
 * ring3ticks=N on the command line, the Nth timer tick seen in ring 3 ends
 * the run with a report (a boot test of that path).
 */
void
proc_check_user_trap(struct trapframe *tf, int timer)
{
	if (tf != curproc()->p_tf)
		panic("trap from ring 3 at 0x%lx landed at 0x%lx, not on pid %d's kernel"
		    " stack frame 0x%lx", tf->tf_rip, (uint64_t)tf, curproc()->p_pid,
		    (uint64_t)curproc()->p_tf);
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
	kprintf("pid %d (%s): %s at rip 0x%lx, address 0x%lx\n", curproc()->p_pid, curproc()->p_name,
	    signame[sig] ? signame[sig] : "signal", tf->tf_rip, addr);
	signal_force(curproc(), sig, code, addr);
}

