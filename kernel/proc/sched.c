/*
 * sched.c: the scheduler: each CPU's run queue, switching, the tick's
 * time slices, sleep and wakeup, balancing between CPUs, the idle loop and
 * the return-to-user work.
 *
 * Interface (proc.h): sched_init, sched_init_cpu, sched_yield_cpu,
 * sched_make_runnable, sched_exit, sched_first_run, sched_park_self,
 * sleep_on, sleep_unless, wakeup, wakeup_thread, thread_interrupt,
 * sched_signal, sched_set_affinity, sched_lock_irqsave,
 * sched_unlock_irqrestore, proc_idle_loop, proc_user_return_work.
 *
 * A non-preemptive kernel: a thread gives up the CPU only in
 * sched_switch, called with interrupts off, when it sleeps, exits, yields,
 * or on its way back to ring 3 after the tick said its slice is over.  Each
 * CPU has a FIFO run queue: picking the next thread is O(1), but for the
 * nice values (below).  Sleepers are one list for the machine.
 *
 * Locking.  The run queues, the sleepers, every thread's t_state, t_wchan,
 * t_qnext and t_cpu, and each CPU's c_curthread are the scheduler's lock's
 * (sched_lock; below the kernel lock in the order, spinlock.h).  It is
 * taken before a thread changes its own state to leave the CPU and held
 * across the switch, as xv6's: the thread that runs next on that CPU drops
 * it (finish_switch), so a thread on a run queue has finished switching
 * out before any CPU can pick it.  The kernel lock is a thread's across a
 * switch, not the CPU's (Linux's BKL in schedule()): the depth it held is
 * kept in t_klock and taken back when it runs again, so the idle loop
 * picks and switches to work without it.  A sleeper under the kernel lock
 * holds it from its test of the condition until it is on the sleepers
 * list, and so do its wakers, so no wakeup is lost; one without it
 * (futex.c) has its waker set a mark it reads here (sleep_unless).
 *
 * Between CPUs: a thread woken goes to the CPU it last ran on when that
 * one is idle, else to an idle CPU it may run on, else stays with the
 * waker's CPU (or the first it may run on); an idle CPU is woken with an
 * IPI, unless it is polling its queues (idle_poll, below).  A CPU whose queue runs dry takes a thread from another's queue
 * (sched_switch), so idle CPUs pull work.  Affinity masks are honoured
 * everywhere a thread is placed.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/console.h>
#include <keel/cpu.h>
#include <keel/fs.h>
#include <keel/proc.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <arch/arch.h>

#define SLICE_TICKS	2	/* 20 ms at HZ = 100, at nice 0 */

/*
 * Nice values weigh the time slices (Linux's sched_prio_to_weight, each
 * step about 1.25 times the next; nice 0 is 1024).  A thread has a credit
 * (t_sched_credit): each tick it runs costs it NICE_0_WEIGHT; the queue
 * reaching it with no credit left grants it SLICE_TICKS times its
 * process's weight, and if that is still not enough it goes to the back.
 * Over time the CPU is shared in the ratio of the weights: a nice 19
 * spinner gets about 1/68 of what a nice 0 one gets.
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

/* The boot CPU's idle thread, kmain's on the boot stack, and its process. */
static struct thread idle0;
static struct proc idleproc;
static struct thread *sleepers;
static struct spinlock sched_lock = SPINLOCK_INIT("sched");

static inline uint64_t
lock(void)
{
	return spin_lock_irqsave(&sched_lock);
}

static inline void
unlock(uint64_t fl)
{
	spin_unlock_irqrestore(&sched_lock, fl);
}

uint64_t
sched_lock_irqsave(void)
{
	return lock();
}

void
sched_unlock_irqrestore(uint64_t fl)
{
	unlock(fl);
}

static void
runq_push(struct cpu *c, struct thread *t)
{
	t->t_state = T_RUNNABLE;
	t->t_qnext = 0;
	if (c->c_runq_tail)
		c->c_runq_tail->t_qnext = t;
	else
		c->c_runq_head = t;
	c->c_runq_tail = t;
}

/* The next thread with credit to run; one alone runs without. */
static struct thread *
runq_pop(struct cpu *c)
{
	struct thread *t;

	while ((t = c->c_runq_head) != 0) {
		c->c_runq_head = t->t_qnext;
		if (c->c_runq_head == 0)
			c->c_runq_tail = 0;
		if (t->t_sched_credit > 0)
			break;
		t->t_sched_credit += SLICE_TICKS * nice_weight[t->t_proc->p_nice + 20];
		if (t->t_sched_credit > 0 || c->c_runq_head == 0)
			break;
		runq_push(c, t);
	}
	return t;
}

static int
allowed(const struct thread *t, const struct cpu *c)
{
	return cpu_online(c) && (t->t_affinity == 0 || (t->t_affinity >> c->c_id & 1));
}

static int
cpu_idle(const struct cpu *c)
{
	return c->c_curthread == c->c_idle && c->c_runq_head == 0;
}

/* Where a thread that becomes runnable should wait (see the top). */
static struct cpu *
wake_cpu(struct thread *t)
{
	struct cpu *here = curcpu(), *last = &cpus[t->t_cpu];
	int i;

	if (ncpus_online == 1)
		return here;
	if (allowed(t, last) && cpu_idle(last))
		return last;
	for (i = 0; i < ncpus; i++)
		if (allowed(t, &cpus[i]) && cpu_idle(&cpus[i]))
			return &cpus[i];
	if (allowed(t, here))
		return here;
	if (allowed(t, last))
		return last;
	for (i = 0; i < ncpus; i++)
		if (allowed(t, &cpus[i]))
			return &cpus[i];
	return here;
}

static void __attribute__((noinline))	/* off the one-CPU path */
enqueue_smp(struct thread *t)
{
	struct cpu *c = wake_cpu(t);

	t->t_cpu = c->c_id;	/* the CPU whose queue it is on (Linux's task_cpu) */
	runq_push(c, t);
	if (c != curcpu() && c->c_curthread == c->c_idle) {
		/* The queue's store, then the look at c_polling: idle_poll's pair. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!c->c_polling)
			smp_resched(c);
	}
}

/* Queue t where it should run; an idle CPU there is woken. */
static inline void
enqueue(struct thread *t)
{
	if (__builtin_expect(ncpus_online == 1, 1))
		runq_push(curcpu(), t);
	else
		enqueue_smp(t);
}

void
sched_make_runnable(struct thread *t)
{
	uint64_t fl = lock();

	enqueue(t);
	unlock(fl);
}

/*
 * A thread for c from another CPU's queue, the first in queue order that
 * may run here, looking at the CPUs after c in turn (so idle CPUs spread
 * over the queues); 0 if none.  No queue lengths are kept: a yield or a
 * wakeup on one CPU pays nothing for the balancing.
 */
static struct thread * __attribute__((noinline))	/* off the one-CPU path */
steal(struct cpu *c)
{
	struct cpu *from;
	struct thread *t, *prev;
	int i;

	for (i = 1; i < ncpus; i++) {
		from = &cpus[(c->c_id + i) % ncpus];
		for (prev = 0, t = from->c_runq_head; t; prev = t, t = t->t_qnext) {
			if (!allowed(t, c))
				continue;
			if (prev)
				prev->t_qnext = t->t_qnext;
			else
				from->c_runq_head = t->t_qnext;
			if (from->c_runq_tail == t)
				from->c_runq_tail = prev;
			t->t_qnext = 0;
			t->t_cpu = c->c_id;
			return t;
		}
	}
	return 0;
}

/*
 * sched_setaffinity: t may run only on mask's CPUs; if it is queued or
 * running elsewhere, it moves at its next switch (the running one is
 * kicked, and parks itself on its way out).
 */
void
sched_set_affinity(struct thread *t, uint64_t mask)
{
	uint64_t fl = lock();

	t->t_affinity = mask;
	if (t == curthread() && !allowed(t, curcpu()))
		curcpu()->c_need_resched = 1;
	else if (t->t_state == T_RUNNING && !allowed(t, &cpus[t->t_cpu]))
		smp_resched(&cpus[t->t_cpu]);
	unlock(fl);
}

static void
switch_to(struct cpu *c, struct thread *next)
{
	struct thread *prev = c->c_curthread;

	/* With one CPU nothing is tracked: c_nheld is 0. */
	if (c->c_nheld && (c->c_nheld > 1 || !spin_held(&sched_lock)))
		spin_held_panic("a switch");
	c->c_curthread = next;
	c->c_curproc = next->t_proc;
	c->c_nswitch++;
	cputime_switch(prev, next);
	prev->t_klock = c->c_klock_depth;	/* exact once smp_live; unused before */
	arch_switch_to(prev, next);
}

/*
 * The end of a switch, on the thread that now runs (t), on whatever CPU:
 * the scheduler's lock the CPU took for the switch is dropped, and the
 * kernel lock goes from the depth the previous thread left on this CPU to
 * t's own.  First, with the lock, the reap queue: no thread on it is
 * running any more (as Linux's finish_task_switch); a thread that just
 * ended left the kernel lock held for it.  Interrupts stay off.
 */
static void
finish_switch(struct thread *t)
{
	struct cpu *c = curcpu();

	if (__builtin_expect(!smp_live, 1)) {
		/* One CPU: no lock to drop (interrupts stay off), none to take. */
		if (c->c_reapq)
			proc_reap();
		return;
	}
	spin_unlock_smp(&sched_lock);
	if (c->c_reapq) {
		klock_set_depth(t->t_klock ? t->t_klock : 1);
		proc_reap();
	}
	if (c->c_klock_depth != t->t_klock)
		klock_set_depth(t->t_klock);
}

/* A new thread's first run (thread_first, from swtch), on its way to ring 3 (trap_return_nolock). */
void
sched_first_run(void)
{
	finish_switch(curthread());
}

/*
 * A thread of a stopped process waits off the run queue, as a sleeper on
 * its process's p_stopped: proc_continue wakes them all, and a SIGKILL
 * (thread_interrupt) the one it is for.  The scheduler's lock is held.
 */
static void
park(struct thread *t)
{
	t->t_wchan = &t->t_proc->p_stopped;
	t->t_wake_ns = 0;
	t->t_state = T_SLEEPING;
	t->t_qnext = sleepers;
	sleepers = t;
}

/*
 * Run the next thread; the caller took the scheduler's lock and set
 * curthread()'s state.  It returns without the lock, interrupts still
 * off, when this thread runs again (1) or goes on at once (0).  A stopped
 * process's threads are parked here rather than run, wherever they gave
 * up the CPU (a sleep, a yield, the way back to ring 3): so no thread of
 * it runs until it is continued or killed.
 */
static int
sched_switch(void)
{
	struct cpu *c = curcpu();
	struct thread *next, *me = c->c_curthread;

	for (;;) {
		next = runq_pop(c);
		if (next == 0 && ncpus_online > 1)
			next = steal(c);
		if (next == 0)
			break;
		if (next->t_proc->p_stopped && proc_must_park(next))
			park(next);
		else if (ncpus_online > 1 && !allowed(next, c))
			enqueue(next);	/* its affinity changed while it waited here */
		else
			break;
	}
	if (next == 0)
		next = c->c_idle;
	next->t_state = T_RUNNING;
	if (next == me) {
		unlock(0);
		return 0;
	}
	switch_to(c, next);
	finish_switch(me);
	return 1;
}

void
sched_yield_cpu(void)
{
	uint64_t fl = lock();
	struct cpu *c = curcpu();

	if (c->c_curthread != c->c_idle)
		runq_push(c, c->c_curthread);
	sched_switch();
	intr_restore(fl);
}

/*
 * The calling thread has ended (thread_end): to the reap queue, whose
 * next thread on this CPU frees it off its stack, and never back.
 */
void
sched_exit(void)
{
	struct cpu *c;
	struct thread *t;

	lock();
	c = curcpu();
	t = c->c_curthread;
	t->t_state = T_DEAD;
	t->t_qnext = c->c_reapq;
	c->c_reapq = t;
	sched_switch();
	panic("sched_exit: a dead thread ran again");
}

static void
tick(void)
{
	struct cpu *c = curcpu();
	struct thread **pp, *t, *cur = c->c_curthread != c->c_idle ? c->c_curthread : 0;
	uint64_t now = clock_ns(), fl;

	c->c_ticks++;
	if (cur == 0 && c != &cpu_boot) {
		c->c_stat[CPUSTAT_IDLE]++;	/* sched_tick_lockless: this CPU's own counts */
		return;
	}
	c->c_stat[cur == 0 ? CPUSTAT_IDLE : !c->c_tick_user ? CPUSTAT_SYSTEM :
	    cur->t_proc->p_nice > 0 ? CPUSTAT_NICE : CPUSTAT_USER]++;
	if (cur)
		cur->t_ticks++;
	time_tick(cur ? cur->t_proc : 0);	/* the process's ticks and itimers */
	if (c != &cpu_boot)
		goto slice;
	console_tick();

	fl = lock();
	for (pp = &sleepers; (t = *pp) != 0;) {
		if (t->t_wake_ns && now >= t->t_wake_ns) {
			*pp = t->t_qnext;
			enqueue(t);
		} else {
			pp = &t->t_qnext;
		}
	}
	unlock(fl);
slice:
	/*
	 * Running alone spends the slice too, so a thread that wakes waits
	 * a tick at most; the debt stops at two ticks' worth.
	 */
	if (cur) {
		if (cur->t_sched_credit > -NICE_0_WEIGHT)
			cur->t_sched_credit -= NICE_0_WEIGHT;
		if (cur->t_sched_credit <= 0 && c->c_runq_head)
			c->c_need_resched = 1;
	}
}

/*
 * Sleep on chan unless *flag (if given) is set already.  A caller without
 * the kernel lock (futex.c) has its waker set *flag and then call
 * wakeup(chan): the flag is read here under the scheduler's lock, which
 * the wakeup takes after the store, so either this sees the flag or the
 * wakeup finds the thread asleep.  Signals meet sleepers the same way
 * (sched_signal).
 */
static inline __attribute__((always_inline)) int
sleep_common(const void *chan, uint64_t deadline_ns, const volatile int *flag)
{
	struct thread *t = curthread();
	uint64_t fl;

	ASSERT(t != curcpu()->c_idle);
	spin_assert_none("sleep_on");
	fl = lock();
	if (signal_deliverable(t)) {
		unlock(fl);
		return -EINTR;
	}
	if (flag && *flag) {
		unlock(fl);
		return 0;
	}
	t->t_wchan = chan;
	t->t_wake_ns = deadline_ns;
	t->t_state = T_SLEEPING;
	t->t_qnext = sleepers;
	sleepers = t;
	sched_switch();
	t->t_wchan = 0;
	intr_restore(fl);
	return signal_deliverable(t) ? -EINTR : 0;
}

int
sleep_unless(const void *chan, uint64_t deadline_ns, const volatile int *flag)
{
	return sleep_common(chan, deadline_ns, flag);
}

int
sleep_on(const void *chan, uint64_t deadline_ns)
{
	return sleep_common(chan, deadline_ns, 0);
}

void
sched_park_self(void)
{
	uint64_t fl = intr_save();
	struct thread *t = curthread();

	while (proc_must_park(t)) {
		lock();
		park(t);
		sched_switch();
		t->t_wchan = 0;
	}
	intr_restore(fl);
}

/*
 * The scheduler's lock is held.  Inline, so that each caller's match is
 * too: a wakeup walks the sleepers without a call per sleeper.
 */
static inline __attribute__((always_inline)) int
wake_if_locked(int (*match)(struct thread *, const void *), const void *arg)
{
	struct thread **pp, *t;
	int n = 0;

	for (pp = &sleepers; (t = *pp) != 0;) {
		if (match(t, arg)) {
			*pp = t->t_qnext;
			enqueue(t);
			n++;
		} else {
			pp = &t->t_qnext;
		}
	}
	return n;
}

static inline __attribute__((always_inline)) int
wake_if(int (*match)(struct thread *, const void *), const void *arg)
{
	uint64_t fl = lock();
	int n = wake_if_locked(match, arg);

	unlock(fl);
	return n;
}

static int
on_chan(struct thread *t, const void *chan)
{
	return t->t_wchan == chan;
}

static int
is_thread(struct thread *t, const void *q)
{
	return t == q;
}

void
wakeup(const void *chan)
{
	wake_if(on_chan, chan);
}

void
thread_interrupt(struct thread *t)
{
	wake_if(is_thread, t);
}

/*
 * A signal t does not block is pending for it (set before the call): it
 * wakes if it sleeps, or looks at once if it runs on another CPU.  The
 * state is read under the scheduler's lock, which a sleeper holds from its
 * own look at the pending set to its sleep (sleep_unless): so a sleeper
 * without the kernel lock misses no signal either.
 */
void
sched_signal(struct thread *t)
{
	uint64_t fl = lock();

	if (t->t_state == T_SLEEPING)
		wake_if_locked(is_thread, t);
	else if (t->t_state == T_RUNNING && t->t_cpu != curcpu()->c_id)
		smp_resched(&cpus[t->t_cpu]);
	unlock(fl);
}

int
wakeup_thread(struct thread *t, const void *chan)
{
	uint64_t fl = lock();
	int woke = 0;

	if (t->t_state == T_SLEEPING && t->t_wchan == chan)
		woke = wake_if_locked(is_thread, t);
	unlock(fl);
	return woke;
}

/*
 * c's idle thread is the one calling: the boot thread on the boot stack,
 * or the one smp_start_cpu made for an application processor.
 */
void
sched_init_cpu(struct cpu *c)
{
	struct thread *idle = c->c_idle ? c->c_idle : &idle0;

	if (idle == &idle0) {
		idleproc.p_state = P_LIVE;
		idleproc.p_threads = idle;
		idleproc.p_nthreads = 1;
		memcpy(idleproc.p_name, "idle", 5);
		idle->t_kstack = (uint64_t)boot_stack_top;
	}
	idle->t_proc = &idleproc;
	idle->t_state = T_RUNNING;
	idle->t_cpu = c->c_id;
	c->c_idle = c->c_curthread = idle;
	c->c_curproc = &idleproc;
}

/*
 * The tick of an idle application processor counts idle time on that CPU
 * and nothing else, so it takes no kernel lock: a CPU waiting for work
 * does not queue behind one that holds the lock for long (ktest, a big
 * exec).  The boot CPU's tick wakes sleepers and always locks.
 */
int
sched_tick_lockless(void)
{
	struct cpu *c = curcpu();

	return c != &cpu_boot && c->c_curthread == c->c_idle;
}

void
sched_init(void)
{
	clock_set_tick_hook(tick);
}

/* Work for c: its own queue, or (several CPUs) a queue it may take from. */
static int
work_for(struct cpu *c)
{
	int i;

	if (c->c_runq_head)
		return 1;
	for (i = 0; i < ncpus; i++)
		if (cpus[i].c_runq_head && &cpus[i] != c)
			return 1;
	return 0;
}

/*
 * Halt polling (Linux's cpuidle-haltpoll, for guests): before it halts,
 * an idle CPU watches the run queues for up to c_poll_ns, with c_polling
 * set, and a waker that sees it set queues the thread without an IPI.
 * Waking a halted CPU costs an IPI and its way out of hlt: on real
 * hardware microseconds, under a hypervisor or QEMU an exit on each side
 * and the host's wake-up of the vCPU's thread, which when the host has
 * fewer cores than vCPUs took milliseconds (a condition variable handed
 * round 4 threads 100,000 times at -smp 4 on 2 cores: 21 s to over 300 s
 * without polling, 10 to 12 s with it).  The window adapts per CPU as
 * haltpoll's: a wait (poll and halt, ended by work, an IPI or the tick)
 * longer than the window but within POLL_MAX_NS widens it (a wake-up came
 * soon after all), one longer than POLL_MAX_NS narrows it, so a CPU that
 * stays idle soon polls not at all.  One CPU never polls (no one else
 * queues), nor does bare metal (arch_idle_poll_pays), as Linux loads
 * haltpoll only as a guest.
 *
 * c_polling and the queues are a Dekker pair with enqueue_smp: the
 * poller clears c_polling with a locked instruction, then looks at the
 * queues a last time; the waker stores to the queue, fences, then reads
 * c_polling.  So either the poller sees the thread, or the waker sees
 * c_polling clear and sends the IPI, which the hlt then takes.
 */
#define POLL_MAX_NS	200000	/* haltpoll's guest_halt_poll_ns */
#define POLL_START_NS	50000	/* ... its guest_halt_poll_grow_start */

/* Poll for work with interrupts on; 1 if some came.  Returns with them off. */
static int
idle_poll(struct cpu *c, uint64_t t0)
{
	if (c->c_poll_ns == 0 || ncpus_online == 1 || !arch_idle_poll_pays())
		return 0;
	__atomic_store_n(&c->c_polling, 1, __ATOMIC_SEQ_CST);
	intr_enable();
	while (!work_for(c) && clock_ns() - t0 < c->c_poll_ns)
		pause();
	intr_disable();
	__atomic_exchange_n(&c->c_polling, 0, __ATOMIC_SEQ_CST);
	return work_for(c);
}

/* haltpoll's adjust_poll_limit: idle_ns is the whole spell, poll and halt. */
static void
poll_adjust(struct cpu *c, uint64_t idle_ns)
{
	uint64_t w = c->c_poll_ns;

	if (idle_ns > w && idle_ns <= POLL_MAX_NS)
		w = MIN(MAX(w * 2, POLL_START_NS), POLL_MAX_NS);
	else if (idle_ns > POLL_MAX_NS)
		w /= 2;
	c->c_poll_ns = (uint32_t)w;
}

/*
 * The idle loop, without the kernel lock: it looks for work without the
 * scheduler's lock (a hint), takes it to switch, polls for a while
 * (above), and sleeps in hlt otherwise (an IPI or the tick wakes it).
 */
void
proc_idle_loop(void)
{
	struct cpu *c = curcpu();
	uint64_t t0, t1;
	int barred;

	for (;;) {
		intr_disable();
		barred = 0;
		if (work_for(c)) {
			lock();
			if (sched_switch())
				continue;
			/*
			 * Only threads it may not run: wait for the next tick or
			 * IPI, without polling (work_for would see them at once).
			 */
			barred = 1;
		}
		if (c == &cpu_boot) {
			klock_enter();
			console_flush();
			klock_exit();
		}
		t0 = clock_ns();
		if (barred || !idle_poll(c, t0))
			arch_idle();	/* no wakeup is lost between the test and the wait */
		t1 = clock_ns();
		procfs_account_idle(t1 - t0);
		poll_adjust(c, t1 - t0);
	}
}

void
proc_user_return_work(struct trapframe *tf)
{
	struct thread *t = curthread();

	for (;;) {
		intr_disable();
		if (signal_deliverable(t)) {
			intr_enable();
			signal_deliver(tf);
			intr_disable();
			if (!curcpu()->c_need_resched && allowed(t, curcpu()))
				return;	/* a handler frame is set up; the rest after it */
		}
		t->t_syscall_nr = -1;
		if (!curcpu()->c_need_resched && allowed(t, curcpu()))
			return;
		lock();
		curcpu()->c_need_resched = 0;
		if (allowed(t, curcpu()))
			runq_push(curcpu(), t);
		else
			enqueue(t);
		sched_switch();
	}
}
