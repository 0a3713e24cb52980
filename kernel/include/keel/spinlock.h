/*
 * spinlock.h: the kernel lock and the spinlocks under it.
 *
 * Interface:
 *   klock_enter(), klock_exit()   the kernel lock (below); nests on a CPU
 *   klock_held()                  this CPU holds it (or there is one CPU)
 *   klock_start()                 the boot CPU takes it, before the others start
 *   klock_depth(), klock_set_depth(d)  this CPU's nesting; a switch sets it
 *                                 to the next thread's (0: drop the lock)
 *   smp_live                      1 once a second CPU may run: the kernel lock
 *                                 and every spinlock work from then on
 *   SPINLOCK_INIT(name)           a free lock; name names its lock-order class
 *   fl = spin_lock_irqsave(l)     take l with interrupts off; fl for ...
 *   spin_unlock_irqrestore(l, fl)
 *   spin_lock(l), spin_unlock(l)  the same with interrupts off already
 *   spin_held(l)                  this CPU holds l (several CPUs only)
 *
 * The kernel lock (Linux 2.0's, FreeBSD's Giant) is what keeps the kernel
 * correct on several CPUs today: it is held from every entry into the
 * kernel (system call, exception or interrupt) to the return to ring 3,
 * so the code written for one CPU (interrupts-off sections) stays
 * correct: at most one CPU runs kernel code at a time, while user code
 * runs on all of them.  It nests on a CPU (c_klock_depth).  A thread that
 * gives up the CPU gives up the lock with it and takes it back, as deep
 * as it held it, when it runs again (Linux's BKL in schedule(); sched.c).
 * The idle loop and the scheduler's switches from it run without it, and
 * so do the TLB shootdown's IPIs, which are what a CPU waiting for the
 * lock must still answer (klock_enter polls for them: the holder may be
 * waiting for this CPU's acknowledgement).
 *
 * Spinlocks protect what runs without the kernel lock (the frame
 * allocator, the heap, an address space's tables, the TLB request) or
 * inside it with interrupts off across CPUs.  A spinlock is never held
 * across a sleep or a switch (sched_switch panics; the scheduler's own
 * lock, which the switch hands to the next thread, excepted), never taken
 * twice by one CPU (panic), and the kernel lock is never taken under one
 * (a page fault under one is not resolved: trap.c).  A waiter
 * answers TLB shootdowns while it spins.  With one CPU a spinlock is just
 * its interrupts-off section: the owner and the order are tracked and
 * checked once a second CPU runs (smp_live), so one CPU pays nothing more.
 *
 * Lock order (lockdep-lite): each lock's name is its class; the first time
 * a CPU takes class B while holding class A, "A before B" is recorded, and
 * a later acquisition of A while holding B panics with both names, before
 * the deadlock it predicts can happen.  The order today:
 *	kernel lock > aspace > kheap > pmm
 *	              aspace > ptcache
 *	              aspace > tlb
 *	kernel lock > futex > sched
 */
#ifndef KEEL_SPINLOCK_H
#define KEEL_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	volatile uint32_t sl_locked;
	volatile int sl_cpu;		/* holder's c_id; -1 when free */
	const char *sl_name;		/* its lock-order class */
	int sl_class;			/* 0 until first taken; then 1 + index */
};

#define SPINLOCK_INIT(name)	{ 0, -1, (name), 0 }

extern int smp_live;
extern int spin_ready;

void klock_start(void);
/* The work of klock_enter and klock_exit once several CPUs run (spinlock.c). */
void klock_enter_smp(void);
void klock_exit_smp(void);
int klock_held(void);
int klock_depth(void);
void klock_set_depth(int want);

#ifdef KEEL_HOSTED
/* A host unit test (tests/host): kstub.c's, which do nothing. */
uint64_t spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, uint64_t fl);
#else
#include <arch/arch.h>

/* The work of a lock once several CPUs run (spinlock.c). */
void spin_lock_smp(struct spinlock *l);
void spin_unlock_smp(struct spinlock *l);

/* Inline: with one CPU a lock costs its interrupts-off section, no call. */
static inline uint64_t
spin_lock_irqsave(struct spinlock *l)
{
	uint64_t fl = intr_save();

	if (__builtin_expect(smp_live, 0))
		spin_lock_smp(l);
	return fl;
}

static inline void
spin_unlock_irqrestore(struct spinlock *l, uint64_t fl)
{
	if (__builtin_expect(smp_live, 0))
		spin_unlock_smp(l);
	intr_restore(fl);
}

/* Inline: with one CPU the kernel lock is a test of smp_live, no call. */
static inline void
klock_enter(void)
{
	if (__builtin_expect(smp_live, 0))
		klock_enter_smp();
}

static inline void
klock_exit(void)
{
	if (__builtin_expect(smp_live, 0))
		klock_exit_smp();
}

/* The same where interrupts are off already, and stay off. */
static inline void
spin_lock(struct spinlock *l)
{
	if (__builtin_expect(smp_live, 0))
		spin_lock_smp(l);
}

static inline void
spin_unlock(struct spinlock *l)
{
	if (__builtin_expect(smp_live, 0))
		spin_unlock_smp(l);
}
#endif
int spin_held(const struct spinlock *l);
/* Panic unless this CPU holds no spinlock (a sleep or a switch is coming). */
void spin_held_panic(const char *what) __attribute__((noreturn));
#define spin_assert_none(what) do {					\
	if (spin_ready && curcpu()->c_nheld)				\
		spin_held_panic(what);					\
} while (0)

#endif /* KEEL_SPINLOCK_H */
