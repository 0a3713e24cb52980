/*
 * sched.c: the scheduler: each CPU's run queue, switching, the tick's
 * time slices, sleep and wakeup, the idle loop and the return-to-user work.
 *
 * Interface (proc.h): sched_init, sched_init_cpu, sched_yield_cpu,
 * sched_make_runnable, sched_switch, sleep_on, wakeup, proc_interrupt,
 * proc_idle_loop, proc_user_return_work.
 *
 * A non-preemptive kernel: a process gives up the CPU only in
 * sched_switch, called with interrupts off, when it sleeps, exits, yields,
 * or on its way back to ring 3 after the tick said its slice is over.  The
 * run queue (struct cpu) is FIFO: picking the next process is O(1), but
 * for the nice values (below).  Sleepers are one list for the machine,
 * touched with interrupts off.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/console.h>
#include <keel/cpu.h>
#include <keel/fs.h>
#include <keel/proc.h>
#include <arch/arch.h>

#define SLICE_TICKS	2	/* 20 ms at HZ = 100, at nice 0 */

/*
 * Nice values weigh the time slices (Linux's sched_prio_to_weight, each
 * step about 1.25 times the next; nice 0 is 1024).  A process has a credit
 * (p_sched_credit): each tick it runs costs it NICE_0_WEIGHT; the queue
 * reaching it with no credit left grants it SLICE_TICKS times its weight,
 * and if that is still not enough it goes to the back.  Over time the CPU is shared in the ratio of the weights: a
 * nice 19 spinner gets about 1/68 of what a nice 0 one gets.
 */
#define NICE_0_WEIGHT	1024

static const int nice_weight[40] = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */ 9548, 7620, 6100, 4904, 3906,
	/*  -5 */ 3121, 2501, 1991, 1586, 1277,
	/*   0 */ 1024, 820, 655, 526, 423,
	/*   5 */ 335, 272, 215, 172, 137,
	/*  10 */ 110, 87, 70, 56, 45,
	/*  15 */ 36, 29, 23, 18, 15,
};

/* The boot CPU's idle thread: kmain's, on the boot stack. */
static struct proc idle0;
static struct proc *sleepers;

static void
runq_push(struct cpu *c, struct proc *p)
{
	p->p_state = P_RUNNABLE;
	p->p_qnext = 0;
	if (c->c_runq_tail)
		c->c_runq_tail->p_qnext = p;
	else
		c->c_runq_head = p;
	c->c_runq_tail = p;
}

/* The next process with credit to run; one alone runs without. */
static struct proc *
runq_pop(struct cpu *c)
{
	struct proc *p;

	while ((p = c->c_runq_head) != 0) {
		c->c_runq_head = p->p_qnext;
		if (c->c_runq_head == 0)
			c->c_runq_tail = 0;
		if (p->p_sched_credit > 0)
			break;
		p->p_sched_credit += SLICE_TICKS * nice_weight[p->p_nice + 20];
		if (p->p_sched_credit > 0 || c->c_runq_head == 0)
			break;
		runq_push(c, p);
	}
	return p;
}

void
sched_make_runnable(struct proc *p)
{
	uint64_t fl = intr_save();

	runq_push(curcpu(), p);
	intr_restore(fl);
}

static void
switch_to(struct cpu *c, struct proc *next)
{
	struct proc *prev = c->c_curproc;

	c->c_curproc = next;
	cputime_switch(prev, next);
	arch_switch_to(prev, next);
	/*
	 * Back on this thread's stack, so no process on the reap queue is
	 * running (as Linux's finish_task_switch).  A new process's first run
	 * goes to trap_return instead: what it leaves waits for the next
	 * switch here.
	 */
	if (c->c_reapq)
		proc_reap();
}

/* Run the next process; the caller has set curproc()'s state.  Interrupts off. */
void
sched_switch(void)
{
	struct cpu *c = curcpu();
	struct proc *next = runq_pop(c);

	if (next == 0)
		next = c->c_idle;
	if (next == c->c_curproc) {
		next->p_state = P_RUNNING;
		return;
	}
	next->p_state = P_RUNNING;
	switch_to(c, next);
}

void
sched_yield_cpu(void)
{
	uint64_t fl = intr_save();
	struct cpu *c = curcpu();

	if (c->c_curproc != c->c_idle)
		runq_push(c, c->c_curproc);
	sched_switch();
	intr_restore(fl);
}

static void
tick(void)
{
	struct cpu *c = curcpu();
	struct proc **pp, *p, *cur = c->c_curproc != c->c_idle ? c->c_curproc : 0;
	uint64_t now = clock_ns();

	c->c_ticks++;
	time_tick(cur);
	console_tick();

	for (pp = &sleepers; (p = *pp) != 0;) {
		if (p->p_wake_ns && now >= p->p_wake_ns) {
			*pp = p->p_qnext;
			runq_push(c, p);
		} else {
			pp = &p->p_qnext;
		}
	}
	/*
	 * Running alone spends the slice too, so a process that wakes waits
	 * a tick at most; the debt stops at two ticks' worth.
	 */
	if (cur) {
		if (cur->p_sched_credit > -NICE_0_WEIGHT)
			cur->p_sched_credit -= NICE_0_WEIGHT;
		if (cur->p_sched_credit <= 0 && c->c_runq_head)
			c->c_need_resched = 1;
	}
}

int
sleep_on(const void *chan, uint64_t deadline_ns)
{
	uint64_t fl = intr_save();
	struct proc *p = curproc();

	ASSERT(p != curcpu()->c_idle);
	if (signal_deliverable(p)) {
		intr_restore(fl);
		return -EINTR;
	}
	p->p_wchan = chan;
	p->p_wake_ns = deadline_ns;
	p->p_state = P_SLEEPING;
	p->p_qnext = sleepers;
	sleepers = p;
	sched_switch();
	p->p_wchan = 0;
	intr_restore(fl);
	return signal_deliverable(p) ? -EINTR : 0;
}

static void
wake_if(int (*match)(struct proc *, const void *), const void *arg)
{
	struct proc **pp, *p;
	uint64_t fl = intr_save();

	for (pp = &sleepers; (p = *pp) != 0;) {
		if (match(p, arg)) {
			*pp = p->p_qnext;
			runq_push(curcpu(), p);
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

/* c's idle thread is the one calling: the boot thread, on the boot stack. */
void
sched_init_cpu(struct cpu *c)
{
	struct proc *idle = &idle0;

	idle->p_pid = 0;
	idle->p_state = P_RUNNING;
	idle->p_kstack = (uint64_t)boot_stack_top;
	memcpy(idle->p_name, "idle", 5);
	c->c_idle = c->c_curproc = idle;
}

void
sched_init(void)
{
	clock_set_tick_hook(tick);
}

void
proc_idle_loop(void)
{
	uint64_t t0;

	for (;;) {
		intr_disable();
		if (curcpu()->c_runq_head) {
			sched_switch();
			continue;
		}
		console_flush();
		t0 = clock_ns();
		arch_idle();	/* no wakeup is lost between the test and the wait */
		procfs_account_idle(clock_ns() - t0);
	}
}

void
proc_user_return_work(struct trapframe *tf)
{
	struct cpu *c = curcpu();
	struct proc *p = c->c_curproc;

	for (;;) {
		intr_disable();
		if (signal_deliverable(p)) {
			intr_enable();
			signal_deliver(tf);
			intr_disable();
			if (!c->c_need_resched)
				return;	/* a handler frame is set up; the rest after it */
		}
		p->p_syscall_nr = -1;
		if (!c->c_need_resched)
			return;
		c->c_need_resched = 0;
		runq_push(c, p);
		sched_switch();
	}
}
