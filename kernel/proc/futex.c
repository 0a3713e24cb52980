/*
 * futex.c: futex(2), the kernel half of user-space locks and condition
 * variables, and the robust lists a thread's exit releases.
 *
 * Interface (proc.h): sys_futex, futex_wake, futex_exit_robust.
 *
 * A waiter is a struct fwaiter on its own kernel stack, in a hash bucket
 * of the futex word's (address space, address).  The buckets are
 * futex_lock's.  FUTEX_WAIT reads the word and queues itself with the
 * lock held, so no FUTEX_WAKE can run between the check and the queueing
 * and no wake-up is lost.  A wake dequeues the waiter and marks it woken
 * (fw_woken, its last touch of the waiter) before waking its thread, and
 * the waiter sleeps only while the mark is clear (sleep_unless): a waiter
 * that finds the mark goes without the lock, one that finds itself still
 * queued after its sleep timed out, or was interrupted, dequeues itself.
 *
 * Private waits and wakes, which are most of threads' locks and condition
 * variables, take no kernel lock (sys_futex): threads of one process on
 * different CPUs hand a lock over without queueing for it.  The word is
 * read under futex_lock by a copy that fails rather than fault (a fault
 * takes the kernel lock, never taken under a spinlock); a page not there
 * yet is faulted in by a copy without the lock, and the read tried again
 * (read_locked).  Everything else runs under the kernel lock, as the rest
 * of the kernel.
 *
 * Keys are (address space, address, FUTEX_PRIVATE_FLAG): as on Linux, a
 * private wait is not woken by a shared wake of the same word, and the
 * kernel's own wakes (CLEARTID, robust lists) are shared.  Threads and
 * CLONE_VM processes share an address space, so they share futexes; two
 * processes waiting on one MAP_SHARED page across fork do not meet yet.  PI futexes
 * (LOCK_PI and the rest) are not offered: -ENOSYS, as Linux built without
 * CONFIG_FUTEX_PI answers.
 */
#include <keel/kernel.h>
#include <uapi/errno.h>
#include <keel/proc.h>
#include <keel/spinlock.h>
#include <keel/sysproc.h>
#include <keel/usercopy.h>
#include <keel/uvm.h>
#include <arch/arch.h>
#include <uapi/futex.h>

#define NBUCKET		64

struct fwaiter {
	struct aspace *fw_as;
	uint64_t fw_uaddr;
	int fw_private;			/* FUTEX_PRIVATE_FLAG: its own key space */
	uint32_t fw_bitset;
	int fw_woken;
	struct thread *fw_thread;
	struct fwaiter *fw_next;
};

struct futex_ts {
	int64_t tv_sec;
	int64_t tv_nsec;
};

static struct fwaiter *buckets[NBUCKET];
static struct spinlock futex_lock = SPINLOCK_INIT("futex");

static struct fwaiter **
bucket(struct aspace *as, uint64_t uaddr)
{
	uint64_t h = (uaddr >> 2) ^ ((uint64_t)as >> 6);

	h ^= h >> 17;
	return &buckets[(h * 0x9e3779b97f4a7c15ULL) >> 58];
}

static void
enqueue(struct fwaiter *w)
{
	struct fwaiter **b = bucket(w->fw_as, w->fw_uaddr);

	w->fw_next = *b;
	*b = w;
}

/* Take w off its bucket if it is still there. */
static void
dequeue(struct fwaiter *w)
{
	struct fwaiter **pp;

	for (pp = bucket(w->fw_as, w->fw_uaddr); *pp; pp = &(*pp)->fw_next)
		if (*pp == w) {
			*pp = w->fw_next;
			return;
		}
}

/*
 * Wake up to n waiters on (as, uaddr) whose bitset meets bitset; then move
 * up to nmove of the rest to uaddr2 (requeue).  futex_lock is held.
 */
static int
wake_requeue(struct aspace *as, uint64_t uaddr, int priv, int n, uint32_t bitset,
    uint64_t uaddr2, int nmove)
{
	struct fwaiter **pp, *w, *moved = 0;
	int woken = 0, nmoved = 0;

	for (pp = bucket(as, uaddr); (w = *pp) != 0;) {
		if (w->fw_as != as || w->fw_uaddr != uaddr || w->fw_private != priv ||
		    !(w->fw_bitset & bitset)) {
			pp = &w->fw_next;
			continue;
		}
		if (woken < n) {
			*pp = w->fw_next;
			/* The last touch of w: once it sees this, the waiter goes. */
			__atomic_store_n(&w->fw_woken, 1, __ATOMIC_RELEASE);
			wakeup(w);	/* w is only a channel here, not read */
			woken++;
		} else if (nmoved < nmove) {
			*pp = w->fw_next;
			w->fw_uaddr = uaddr2;
			w->fw_next = moved;
			moved = w;
			nmoved++;
		} else {
			break;
		}
	}
	while ((w = moved) != 0) {
		moved = w->fw_next;
		enqueue(w);
	}
	return woken + nmoved;
}

/*
 * Wake up to n waiters.  As Linux's futex_wake counts (++woken >= n), a
 * count of 0 or less wakes one.
 */
static long
wake(struct aspace *as, uint64_t uaddr, int priv, int n, uint32_t bitset)
{
	uint64_t fl = spin_lock_irqsave(&futex_lock);
	long r = wake_requeue(as, uaddr, priv, MAX(n, 1), bitset, 0, 0);

	spin_unlock_irqrestore(&futex_lock, fl);
	return r;
}

/*
 * The word at uaddr, read with futex_lock taken; interrupts are off.  0
 * with the lock held, or -EFAULT without it.  Under the lock a page that
 * is not there makes the copy fail instead of faulting (trap.c): it is
 * faulted in by a copy without the lock, and the read tried again
 * (Linux's get_futex_value_locked).
 */
static int
read_locked(uint64_t uaddr, uint32_t *val)
{
	for (;;) {
		spin_lock(&futex_lock);
		if (copyin(val, uaddr, sizeof(*val)) == 0)
			return 0;
		spin_unlock(&futex_lock);
		if (copyin(val, uaddr, sizeof(*val)))
			return -EFAULT;
	}
}

/* The kernel's own wakes (CLEARTID, robust lists) are shared ones, as Linux's. */
long
futex_wake(struct aspace *as, uint64_t uaddr, int n, uint32_t bitset)
{
	return wake(as, uaddr, 0, n, bitset);
}

/* Sleep on (as, uaddr) while the word holds val, until woken or the deadline. */
static long
futex_wait(struct aspace *as, uint64_t uaddr, int priv, uint32_t val, uint64_t deadline,
    uint32_t bitset)
{
	struct fwaiter w = { as, uaddr, priv, bitset, 0, curthread(), 0 };
	uint64_t fl = intr_save();	/* off to the end, as the sleep wants them */
	uint32_t cur;
	long r;

	if (read_locked(uaddr, &cur)) {
		intr_restore(fl);
		return -EFAULT;
	}
	if (cur != val) {
		r = -EAGAIN;
		goto out;
	}
	if (deadline && clock_ns() >= deadline) {
		r = -ETIMEDOUT;
		goto out;
	}
	enqueue(&w);
	spin_unlock(&futex_lock);
	for (;;) {
		r = sleep_unless(&w, deadline, &w.fw_woken);
		if (w.fw_woken)
			break;
		if (r) {
			r = -EINTR;
			break;
		}
		if (deadline && clock_ns() >= deadline) {
			r = -ETIMEDOUT;
			break;
		}
	}
	/*
	 * Woken: off the queue already, and the waker is done with w.  Else
	 * it may be woken meanwhile after all: that wake counted this waiter
	 * (Linux's futex_unqueue).
	 */
	if (__atomic_load_n(&w.fw_woken, __ATOMIC_ACQUIRE)) {
		intr_restore(fl);
		return 0;
	}
	spin_lock(&futex_lock);
	if (w.fw_woken)
		r = 0;
	else
		dequeue(&w);
out:
	spin_unlock(&futex_lock);
	intr_restore(fl);
	return r;
}

/*
 * FUTEX_REQUEUE, and FUTEX_CMP_REQUEUE (cmp: only while the word at uaddr
 * holds val3): wake n, move up to nmove of the rest to uaddr2.
 */
static long
requeue(struct aspace *as, uint64_t uaddr, int priv, int n, uint64_t uaddr2, int nmove,
    int cmp, uint32_t val3)
{
	uint64_t fl = intr_save();
	uint32_t cur;
	long r;

	if (cmp) {
		if (read_locked(uaddr, &cur)) {
			intr_restore(fl);
			return -EFAULT;
		}
		if (cur != val3) {
			spin_unlock(&futex_lock);
			intr_restore(fl);
			return -EAGAIN;
		}
	} else {
		spin_lock(&futex_lock);
	}
	r = wake_requeue(as, uaddr, priv, n, FUTEX_BITSET_MATCH_ANY, uaddr2, nmove);
	spin_unlock(&futex_lock);
	intr_restore(fl);
	return r;
}

/*
 * The deadline on clock_ns()'s clock of a futex timeout (0: none, else
 * below 2^63), or -errno.  Out of line, with its copy: the calls without a
 * timeout carry no stack canary for it.
 */
static __attribute__((noinline)) int64_t
futex_deadline(uint64_t uts, int absolute, int realtime)
{
	struct futex_ts ts;
	uint64_t ns, offset = realtime ? clock_boot_epoch_ns() : 0;

	if (uts == 0)
		return 0;
	if (copyin(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= INT64_MAX / 1000000000ULL)
		return 0;	/* beyond 2^63 ns: forever, as Linux's ktime saturates */
	ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	if (!absolute)
		ns += clock_ns();
	else if (ns > offset)
		ns -= offset;
	else
		ns = 1;		/* long past */
	if (ns > INT64_MAX)
		return 0;	/* from now past 2^63 ns: forever too */
	return ns ? (int64_t)ns : 1;
}

/*
 * FUTEX_WAKE_OP's operation on the word at uaddr2, and its comparison, as
 * Linux's futex_atomic_op_inuser: a shift out of 0..31 is taken modulo 32
 * (Linux only complains in its log), an unknown operation is -ENOSYS with
 * the word untouched (even unmapped), an unknown comparison -ENOSYS after
 * the word was written.  The wakes count as FUTEX_WAKE's (n <= 0 wakes one).
 */
static __attribute__((noinline)) long
wake_op(struct aspace *as, uint64_t uaddr, int priv, int n, uint64_t uaddr2, int n2,
    uint32_t val3)
{
	uint32_t op = (val3 >> 28) & 7, cmp = (val3 >> 24) & 15;
	int32_t oparg = (int32_t)(val3 << 8) >> 20, cmparg = (int32_t)(val3 << 20) >> 20;
	uint32_t old, new;
	uint64_t fl;
	long r;
	int hit;

	if ((val3 >> 28) & FUTEX_OP_OPARG_SHIFT)
		oparg = (int32_t)(1U << (oparg & 31));
	/* Linux's x86 op looks at the operation before it touches the word. */
	if (op > FUTEX_OP_XOR)
		return -ENOSYS;
	if (copyin(&old, uaddr2, sizeof(old)))
		return -EFAULT;
	switch (op) {
	case FUTEX_OP_SET:  new = (uint32_t)oparg; break;
	case FUTEX_OP_ADD:  new = old + (uint32_t)oparg; break;
	case FUTEX_OP_OR:   new = old | (uint32_t)oparg; break;
	case FUTEX_OP_ANDN: new = old & ~(uint32_t)oparg; break;
	default:	     new = old ^ (uint32_t)oparg; break;	/* FUTEX_OP_XOR */
	}
	if (copyout(uaddr2, &new, sizeof(new)))
		return -EFAULT;
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: hit = (int32_t)old == cmparg; break;
	case FUTEX_OP_CMP_NE: hit = (int32_t)old != cmparg; break;
	case FUTEX_OP_CMP_LT: hit = (int32_t)old < cmparg; break;
	case FUTEX_OP_CMP_LE: hit = (int32_t)old <= cmparg; break;
	case FUTEX_OP_CMP_GT: hit = (int32_t)old > cmparg; break;
	case FUTEX_OP_CMP_GE: hit = (int32_t)old >= cmparg; break;
	default:
		return -ENOSYS;
	}
	fl = spin_lock_irqsave(&futex_lock);
	r = wake_requeue(as, uaddr, priv, MAX(n, 1), FUTEX_BITSET_MATCH_ANY, 0, 0);
	if (hit)
		r += wake_requeue(as, uaddr2, priv, MAX(n2, 1), FUTEX_BITSET_MATCH_ANY, 0, 0);
	spin_unlock_irqrestore(&futex_lock, fl);
	return r;
}

/*
 * A futex word's key, checked as Linux's get_futex_key: aligned, in the
 * user half; a shared key names a page, which must be there (faulted in
 * like get_user_pages_fast), writable for write.  Read-only private
 * anonymous memory has no shared key either: "a RO anonymous page will
 * never change and thus doesn't make sense for futex operations" (a page
 * of the program or of a file may be read-only).  A private key is just
 * the address: a wake on an unmapped one finds nobody.
 */
static __attribute__((noinline)) long
shared_key(uint64_t uaddr, int write)
{
	struct vma *v;
	uint32_t val;

	if (copyin(&val, uaddr, sizeof(val)))
		return -EFAULT;
	v = as_find(curproc()->p_as, uaddr);
	if (v == 0)
		return -EFAULT;
	if (!(v->v_prot & VM_W) && (write || (v->v_obj == 0 && v->v_kind != VK_IMAGE &&
	    v->v_kind != VK_FILE)))
		return -EFAULT;
	return 0;
}

static inline long
futex_key(uint64_t uaddr, int priv, int write)
{
	if (uaddr & 3)
		return -EINVAL;
	if (!user_range_ok(uaddr, sizeof(uint32_t)))
		return -EFAULT;
	return priv ? 0 : shared_key(uaddr, write);
}

/* The commands whose fourth argument is a timeout, not a count. */
static int
has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET || cmd == FUTEX_LOCK_PI ||
	    cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_REQUEUE_PI;
}

/*
 * In Linux's order: the timeout first (sys_futex), then the clock flag
 * (do_futex), then each command's counts and its words' keys, the first
 * word before the second.
 */
static long
futex_op(uint64_t uaddr, int op, uint32_t val, uint64_t utimeout, uint64_t uaddr2,
    uint32_t val3)
{
	struct aspace *as = curproc()->p_as;
	int cmd = op & FUTEX_CMD_MASK, realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
	int priv = (op & FUTEX_PRIVATE_FLAG) != 0;
	int64_t deadline = 0;
	long r;

	if (utimeout && has_timeout(cmd)) {
		deadline = futex_deadline(utimeout, cmd != FUTEX_WAIT, realtime);
		if (deadline < 0)
			return deadline;
	}
	if (__builtin_expect(realtime, 0) && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		if (val3 == 0)
			return -EINVAL;
		if ((r = futex_key(uaddr, priv, 0)) != 0)
			return r;
		r = futex_wait(as, uaddr, priv, val, deadline, val3);
		/* Interrupted with a timeout: -EINTR after a handler (restart_block's). */
		if (r == -EINTR && utimeout)
			curthread()->t_syscall_nr = -1;
		return r;
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		if (val3 == 0)
			return -EINVAL;
		if ((r = futex_key(uaddr, priv, 0)) != 0)
			return r;
		return wake(as, uaddr, priv, (int)val, val3);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		/* val2 (the number to move) is the timeout argument's low 32 bits. */
		if ((int32_t)val < 0 || (int32_t)utimeout < 0)
			return -EINVAL;
		if ((r = futex_key(uaddr, priv, 0)) != 0 || (r = futex_key(uaddr2, priv, 0)) != 0)
			return r;
		return requeue(as, uaddr, priv, (int)val, uaddr2, (int32_t)utimeout,
		    cmd == FUTEX_CMP_REQUEUE, val3);
	case FUTEX_WAKE_OP:
		if ((r = futex_key(uaddr, priv, 0)) != 0 || (r = futex_key(uaddr2, priv, 1)) != 0)
			return r;
		return wake_op(as, uaddr, priv, (int)val, uaddr2, (int32_t)utimeout, val3);
	case FUTEX_LOCK_PI:
	case FUTEX_UNLOCK_PI:
	case FUTEX_TRYLOCK_PI:
	case FUTEX_WAIT_REQUEUE_PI:
	case FUTEX_CMP_REQUEUE_PI:
	case FUTEX_LOCK_PI2:
	default:
		return -ENOSYS;
	}
}

/*
 * A nolock system call (syscall_64.tbl): the private waits and wakes run
 * without the kernel lock, the rest of the commands under it (the shared
 * keys look at the regions, FUTEX_WAKE_OP writes a word).
 */
static __attribute__((noinline)) long
futex_op_klocked(uint64_t uaddr, int op, uint32_t val, uint64_t utimeout, uint64_t uaddr2,
    uint32_t val3)
{
	long r;

	klock_enter();
	r = futex_op(uaddr, op, val, utimeout, uaddr2, val3);
	klock_exit();
	return r;
}

long
sys_futex(uint64_t uaddr, int op, uint32_t val, uint64_t utimeout, uint64_t uaddr2,
    uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;

	if ((op & FUTEX_PRIVATE_FLAG) && (cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET ||
	    cmd == FUTEX_WAKE || cmd == FUTEX_WAKE_BITSET))
		return futex_op(uaddr, op, val, utimeout, uaddr2, val3);
	return futex_op_klocked(uaddr, op, val, utimeout, uaddr2, val3);
}

/*
 * A robust futex its owner leaves, as Linux's handle_futex_death: if the
 * word names tid, keep the waiters bit, set OWNER_DIED and wake one
 * waiter (not for a PI futex, whose waiters the kernel hands the lock).
 * -1 (an unaligned or unreadable word, or one it cannot write) ends the
 * walk of the list.
 */
static int
futex_death(struct aspace *as, uint64_t uaddr, int tid, int pi, int pending)
{
	uint32_t uval, mval;

	if (uaddr & 3)
		return -1;
	if (copyin(&uval, uaddr, sizeof(uval)))
		return -1;
	/* A lock taken but its owner not yet stored (pending, word 0): wake one. */
	if (pending && !pi && uval == 0) {
		futex_wake(as, uaddr, 1, FUTEX_BITSET_MATCH_ANY);
		return 0;
	}
	if ((uval & FUTEX_TID_MASK) != (uint32_t)tid)
		return 0;
	mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (copyout(uaddr, &mval, sizeof(mval)))
		return -1;
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake(as, uaddr, 1, FUTEX_BITSET_MATCH_ANY);
	return 0;
}

/*
 * Linux's exit_robust_list: struct robust_list_head is { list,
 * futex_offset, list_op_pending }, bit 0 of a pointer marks a PI futex.
 * Each entry's futex is released before its next pointer is looked at
 * (an unreadable one ends the walk after it), the pending one last unless
 * the walk ended early; a list that never comes back to its head (a
 * cycle, garbage) stops after ROBUST_LIST_LIMIT entries.
 */
void
futex_exit_robust(struct thread *t)
{
	struct aspace *as = t->t_proc->p_as;
	uint64_t head[3], entry, next = 0, pending, uhead = t->t_robust_list;
	int64_t offset;
	int limit = ROBUST_LIST_LIMIT, pi, pip, rc;

	if (uhead == 0 || as == 0 || copyin(head, uhead, sizeof(head)))
		return;
	entry = head[0] & ~1UL;
	pi = head[0] & 1;
	offset = (int64_t)head[1];
	pending = head[2] & ~1UL;
	pip = head[2] & 1;
	while (entry != uhead) {
		rc = copyin(&next, entry, sizeof(next));
		if (entry != pending && futex_death(as, entry + offset, t->t_tid, pi, 0))
			return;
		if (rc)
			return;
		entry = next & ~1UL;
		pi = next & 1;
		if (--limit == 0)
			break;
	}
	if (pending)
		futex_death(as, pending + offset, t->t_tid, pip, 1);
}
