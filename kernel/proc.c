/*
 * proc.c: processes, the scheduler, sleep and wakeup, default signal
 * actions, fork, exit and wait4 (see proc.h).
 *
 * One CPU and a non-preemptive kernel: a process gives up the CPU only in
 * schedule(), called with interrupts off, when it sleeps, exits, yields, or
 * on its way back to ring 3 after the tick said its slice is over.  The run
 * queue is FIFO: picking the next process is O(1).
 */
#include <limits.h>
#include "kernel.h"
#include "errno.h"
#include "console.h"
#include "exec.h"
#include "file.h"
#include "fs.h"
#include "proc.h"
#include "tty.h"
#include "ramfs.h"
#include "usercopy.h"
#include "uvm.h"
#include "vm.h"
#include "mm/kheap.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/clock.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/switch.h"

#define SLICE_TICKS	2	/* 20 ms at HZ = 100 */
#define NPROC_MAX	4096

static struct proc idle;
static struct proc *cur = &idle;
static struct proc *runq_head, *runq_tail;
static struct proc *sleepers;
static struct proc *allprocs;
static struct proc *initproc;
/*
 * Exited processes whose parent wants no zombie (proc_exit): off every
 * list, but each ran on its own kernel stack up to its last swtch(), so
 * they are freed only by a thread on another stack (switch_to, proc_alloc).
 */
static struct proc *reapq;
static int nprocs;
static int slice_left = SLICE_TICKS;
#define need_resched	(cpu0.pc_need_resched)
static uint8_t pid_used[PID_MAX / 8];
static int next_pid = 1;
static uint8_t fpu_initial[512] __attribute__((aligned(16)));
static uint64_t ring3_ticks, ring3_ticks_wanted;

struct proc *
curproc(void)
{
	return cur;
}

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

static void proc_reap(void);

/* ---- the run queue and switching ---- */

static void
runq_push(struct proc *p)
{
	p->p_state = P_RUNNABLE;
	p->p_qnext = 0;
	if (runq_tail)
		runq_tail->p_qnext = p;
	else
		runq_head = p;
	runq_tail = p;
}

static struct proc *
runq_pop(void)
{
	struct proc *p = runq_head;

	if (p) {
		runq_head = p->p_qnext;
		if (runq_head == 0)
			runq_tail = 0;
	}
	return p;
}

static void
switch_to(struct proc *next)
{
	struct proc *prev = cur;

	if (prev->p_as && prev->p_state != P_ZOMBIE)
		fxsave(prev->p_fpu);
	if (next->p_as) {
		switch_audit(next);
		as_activate(next->p_as);
		/* Before anything can return to ring 3: the stacks traps will use. */
		tss_set_rsp0(next->p_kstack);
		this_cpu()->pc_kstack_top = next->p_kstack;
		wrmsr(MSR_FS_BASE, next->p_fsbase);
		fxrstor(next->p_fpu);
	}
	cur = next;
	this_cpu()->pc_proc = next == &idle ? 0 : next;
	slice_left = SLICE_TICKS;
	swtch(&prev->p_ksave, next->p_ksave);
	/*
	 * Back on this thread's stack, so no process on reapq is running (as
	 * Linux's finish_task_switch).  A new process's first run goes to
	 * trap_return instead: what it leaves waits for the next switch here.
	 */
	if (reapq)
		proc_reap();
}

/* Run the next process; the caller has set cur's state.  Interrupts off. */
static void
schedule(void)
{
	struct proc *next = runq_pop();

	if (next == 0)
		next = &idle;
	if (next == cur) {
		cur->p_state = P_RUNNING;
		return;
	}
	next->p_state = P_RUNNING;
	switch_to(next);
}

void
sched_yield_cpu(void)
{
	uint64_t fl = intr_save();

	if (cur != &idle)
		runq_push(cur);
	schedule();
	intr_restore(fl);
}

static void
tick(void)
{
	struct proc **pp, *p;
	uint64_t now = clock_ns();

	if (cur != &idle)
		cur->p_ticks++;
	console_tick();

	for (pp = &sleepers; (p = *pp) != 0;) {
		if (p->p_wake_ns && now >= p->p_wake_ns) {
			*pp = p->p_qnext;
			runq_push(p);
		} else {
			pp = &p->p_qnext;
		}
	}
	if (--slice_left <= 0 && runq_head)
		need_resched = 1;
}

int
sleep_on(const void *chan, uint64_t deadline_ns)
{
	uint64_t fl = intr_save();

	ASSERT(cur != &idle);
	if (signal_deliverable(cur)) {
		intr_restore(fl);
		return -EINTR;
	}
	cur->p_wchan = chan;
	cur->p_wake_ns = deadline_ns;
	cur->p_state = P_SLEEPING;
	cur->p_qnext = sleepers;
	sleepers = cur;
	schedule();
	cur->p_wchan = 0;
	intr_restore(fl);
	return signal_deliverable(cur) ? -EINTR : 0;
}

static void
wake_if(int (*match)(struct proc *, const void *), const void *arg)
{
	struct proc **pp, *p;
	uint64_t fl = intr_save();

	for (pp = &sleepers; (p = *pp) != 0;) {
		if (match(p, arg)) {
			*pp = p->p_qnext;
			runq_push(p);
		} else {
			pp = &p->p_qnext;
		}
	}
	intr_restore(fl);
}

static int
on_chan(struct proc *p, const void *chan)
{
	return p->p_wchan == chan;
}

static int
is_proc(struct proc *p, const void *q)
{
	return p == q;
}

void
wakeup(const void *chan)
{
	wake_if(on_chan, chan);
}

void
proc_interrupt(struct proc *p)
{
	wake_if(is_proc, p);
}

void
proc_save_fpu(void)
{
	fxsave(cur->p_fpu);
}

void
proc_load_fpu(void)
{
	fxrstor(cur->p_fpu);
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
	uint64_t *sp;

	if (reapq)
		proc_reap();	/* first: they still count in nprocs */
	if (nprocs >= NPROC_MAX)
		return 0;
	p = kzalloc(sizeof(*p));
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
	p->p_tf = (struct trapframe *)(p->p_kstack - sizeof(struct trapframe));
	/*
	 * swtch() will pop six registers and "return" into trap_return: a new
	 * process enters ring 3 for the first time through IRETQ, which takes
	 * every field from the frame and needs no SYSRET preconditions.
	 */
	sp = (uint64_t *)p->p_tf;
	*--sp = (uint64_t)trap_return;
	sp -= 6;
	p->p_ksave = (uint64_t)sp;
	memcpy(p->p_fpu, fpu_initial, sizeof(p->p_fpu));
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
	ASSERT(p != cur);
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

static void
proc_reap(void)
{
	struct proc *p;
	uint64_t fl = intr_save();

	while ((p = reapq) != 0) {
		reapq = p->p_qnext;
		proc_release(p);
	}
	intr_restore(fl);
}

void
proc_init(void)
{
	idle.p_pid = 0;
	idle.p_state = P_RUNNING;
	idle.p_kstack = (uint64_t)boot_stack_top;
	memcpy(idle.p_name, "idle", 5);
	fpu_init_state(fpu_initial);
	clock_set_tick_hook(tick);
}

int
proc_start_init(const char *path, char *const argv[], char *const envp[])
{
	struct proc *p = proc_alloc();
	int err;

	if (p == 0)
		return -ENOMEM;
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
	p->p_pgid = p->p_sid = p->p_pid;
	tty_set_foreground(p->p_pgid);
	runq_push(p);
	return 0;
}

void
proc_idle_loop(void)
{
	uint64_t t0;

	for (;;) {
		cli();
		if (runq_head) {
			schedule();
			continue;
		}
		console_flush();
		/* sti's one-instruction shadow: no wakeup is lost before hlt. */
		t0 = clock_ns();
		__asm__ volatile("sti; hlt" ::: "memory");
		procfs_account_idle(clock_ns() - t0);
	}
}

long
proc_fork(void)
{
	struct proc *p = cur, *c = proc_alloc();

	if (c == 0)
		return -EAGAIN;
	c->p_as = as_fork(p->p_as);
	if (c->p_as == 0) {
		proc_free(c);
		return -ENOMEM;
	}
	*c->p_tf = *p->p_tf;
	c->p_tf->tf_rax = 0;
	fxsave(p->p_fpu);
	memcpy(c->p_fpu, p->p_fpu, sizeof(c->p_fpu));
	c->p_fsbase = p->p_fsbase;
	c->p_cwd = p->p_cwd;
	if (c->p_cwd)
		ramfs_hold(c->p_cwd);
	c->p_pgid = p->p_pgid;
	c->p_sid = p->p_sid;
	c->p_sigmask = p->p_sigmask;
	memcpy(c->p_sigact, p->p_sigact, sizeof(c->p_sigact));
	memcpy(c->p_name, p->p_name, sizeof(c->p_name));
	file_dup_all(c, p);
	c->p_parent = p;
	cli();
	runq_push(c);
	sti();
	return c->p_pid;
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
	wake_if(is_proc, parent);
	signal_send(parent, SIGCHLD);	/* dropped if ignored */
	return a->sa_handler == SIG_IGN || (a->sa_flags & SA_NOCLDWAIT);
}

void
proc_exit(int wstatus)
{
	struct proc *p = cur, *q, **pp;

	if (p == initproc) {
		if ((wstatus & 0x7f) == 0)
			kprintf("init: exited with status %d\n", (wstatus >> 8) & 0xff);
		else
			kprintf("init: killed by signal %d\n", wstatus & 0x7f);
		machine_stop((wstatus & 0x7f) ? 128 + (wstatus & 0x7f) :
		    (wstatus >> 8) & 0xff);
	}
	file_close_all(p);
	if (p->p_cwd)
		ramfs_release(p->p_cwd);
	p->p_cwd = 0;
	cli();
	as_activate(0);
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
		p->p_qnext = reapq;
		reapq = p;
	}
	schedule();
	panic("proc_exit: a zombie ran again");
}

long
proc_wait4(int pid, uint64_t ustatus, int options)
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
			if (q->p_parent != cur || (pid > 0 && q->p_pid != pid) ||
			    (pid == 0 && q->p_pgid != cur->p_pgid) ||
			    (pid < -1 && q->p_pgid != -pid))
				continue;
			found = 1;
			if (q->p_state != P_ZOMBIE)
				continue;
			status = q->p_xstatus;
			qpid = q->p_pid;
			proc_free(q);	/* reaped even if status cannot be stored (Linux) */
			if (ustatus && copyout(ustatus, &status, sizeof(status)))
				return -EFAULT;
			return qpid;
		}
		if (!found)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		if (sleep_on(cur, 0))
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
		match = p->p_pgid == cur->p_pgid;
	else if (k->pid == -1)
		match = p != initproc && p != cur;
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
	if (tf != cur->p_tf)
		panic("trap from ring 3 at 0x%lx landed at 0x%lx, not on pid %d's kernel"
		    " stack frame 0x%lx", tf->tf_rip, (uint64_t)tf, cur->p_pid,
		    (uint64_t)cur->p_tf);
	if (timer && ring3_ticks_wanted && ++ring3_ticks == ring3_ticks_wanted) {
		kprintf("timer: %lu ticks arrived in ring 3, each on pid %d's kernel stack"
		    " (rip 0x%lx)\n", ring3_ticks, cur->p_pid, tf->tf_rip);
		machine_stop(EXIT_OK);
	}
}

void
proc_set_ring3_ticks(uint64_t n)
{
	ring3_ticks_wanted = n;
}

void
proc_user_return_work(struct trapframe *tf)
{
	for (;;) {
		cli();
		if (signal_deliverable(cur)) {
			sti();
			signal_deliver(tf);
			cli();
			if (!need_resched)
				return;	/* a handler frame is set up; the rest after it */
		}
		cur->p_syscall_nr = -1;
		if (!need_resched)
			return;
		need_resched = 0;
		runq_push(cur);
		schedule();
	}
}

static const char *const signame[] = {
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGBUS] = "SIGBUS",
	[SIGFPE] = "SIGFPE", [SIGSEGV] = "SIGSEGV",
};

void
proc_fault_signal(struct trapframe *tf, int sig, int code, uint64_t addr)
{
	kprintf("pid %d (%s): %s at rip 0x%lx, address 0x%lx\n", cur->p_pid, cur->p_name,
	    signame[sig] ? signame[sig] : "signal", tf->tf_rip, addr);
	signal_force(cur, sig, code, addr);
}

/* ---- process groups and sessions ---- */

long
sys_setpgid(int pid, int pgid)
{
	struct proc *p, *q;

	/* Linux resolves the zeros first: setpgid(-1, 0) asks for group -1. */
	if (pid == 0)
		pid = cur->p_pid;
	if (pgid == 0)
		pgid = pid;
	if (pgid < 0)
		return -EINVAL;
	p = proc_find(pid);
	if (p == 0 || (p != cur && p->p_parent != cur))
		return -ESRCH;
	if (p->p_sid != cur->p_sid || p->p_pid == p->p_sid)
		return -EPERM;
	if (pgid != p->p_pid) {
		/* Joining a group: it must exist in this session. */
		for (q = allprocs; q; q = q->p_allnext)
			if (q->p_pgid == pgid && q->p_sid == cur->p_sid)
				break;
		if (q == 0)
			return -EPERM;
	}
	p->p_pgid = pgid;
	return 0;
}

long
sys_getpgid(int pid)
{
	struct proc *p = pid ? proc_find(pid) : cur;

	return p ? p->p_pgid : -ESRCH;
}

long
sys_getpgrp(void)
{
	return cur->p_pgid;
}

long
sys_setsid(void)
{
	struct proc *q;

	for (q = allprocs; q; q = q->p_allnext)
		if (q->p_pgid == cur->p_pid)
			return -EPERM;
	cur->p_pgid = cur->p_sid = cur->p_pid;
	return cur->p_sid;
}

long
sys_getsid(int pid)
{
	struct proc *p = pid ? proc_find(pid) : cur;

	return p ? p->p_sid : -ESRCH;
}
