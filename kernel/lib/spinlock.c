/*
 * spinlock.c: the kernel lock, spinlocks and their lock-order check (see
 * spinlock.h).
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <keel/time.h>
#include <arch/arch.h>

int smp_live;
int spin_ready;		/* curcpu() works: cpu_init_this ran on the boot CPU */

/*
 * A ticket lock: CPUs get the lock in the order they asked for it.  A
 * test-and-set lock let the CPU that just gave it up take it straight back
 * (a process forking in a loop is back in the kernel within nanoseconds),
 * and the others starved for a whole time slice.
 *
 * A waiter spins for a while, then sleeps in arch_wait_kick until the
 * release that makes it its turn kicks it (Linux's paravirt spinlocks,
 * pv_wait/pv_kick): when there are more CPUs than the host runs at once
 * (QEMU's vCPU threads on fewer cores, a hypervisor), spinning waiters
 * burn the time the holder needs (4 vCPUs on 2 cores: 4,196 forks took
 * 20 s instead of 3).  But a sleeping waiter whose turn comes holds the
 * lock idle until it is awake again, under QEMU a vCPU's wake-up through
 * the host (two fork loops at -smp 2 paid two such a fork, and ran no
 * faster than one).  So the head of the line, the ticket after the
 * holder's, spins long (KLOCK_HEAD_SPIN_NS), and the others sleep soon
 * (KLOCK_SPIN_NS).  A waiter that went to sleep behind others is kicked
 * when its turn comes, as before: kicking the new head awake at each
 * release as well (Linux's pv_kick_node) kept two vCPUs of four busy on
 * 2 cores, and the fuzzer at -smp 4 took 40 s instead of 17.
 * c_klock_sleep and klock.sleepers against serving are a Dekker pair:
 * each side writes with a locked instruction (a full barrier), then
 * reads the other's, so the waiter sees its turn or the releaser sees the
 * sleeper.
 */
#define KLOCK_SPIN_NS		20000
#define KLOCK_HEAD_SPIN_NS	200000

static struct {
	volatile uint32_t next;		/* the ticket the next CPU to ask gets */
	volatile uint32_t serving;	/* the ticket that holds the lock */
	volatile int cpu;		/* holder's c_id; -1 when free */
	volatile int sleepers;		/* CPUs in arch_wait_kick for it */
} klock = { 0, 0, -1, 0 };

/*
 * Take the lock, answering TLB shootdowns while waiting for it: the
 * holder may be waiting for this CPU.  Interrupts off.
 */
static void
klock_take(struct cpu *c)
{
	uint32_t me = __atomic_fetch_add(&klock.next, 1, __ATOMIC_RELAXED), serving;
	uint64_t t0 = 0;

	while ((serving = __atomic_load_n(&klock.serving, __ATOMIC_ACQUIRE)) != me) {
		smp_poll(c);
		if (t0 == 0)
			t0 = clock_ns();
		if (clock_ns() - t0 < (me - serving == 1 ? KLOCK_HEAD_SPIN_NS : KLOCK_SPIN_NS)) {
			pause();
			continue;
		}
		c->c_klock_sleep = me + 1;
		__atomic_add_fetch(&klock.sleepers, 1, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&klock.serving, __ATOMIC_SEQ_CST) != me)
			arch_wait_kick();
		c->c_klock_sleep = 0;
		__atomic_sub_fetch(&klock.sleepers, 1, __ATOMIC_SEQ_CST);
		t0 = 0;		/* woken, not for its turn: spin again (the head longer) */
	}
	klock.cpu = c->c_id;
	c->c_klock_depth = 1;
}

/* Hand the lock to the next ticket; wake its CPU if it sleeps. */
static void
klock_give(void)
{
	uint32_t next = __atomic_add_fetch(&klock.serving, 1, __ATOMIC_SEQ_CST);
	int i;

	if (__atomic_load_n(&klock.sleepers, __ATOMIC_SEQ_CST) == 0)
		return;
	for (i = 0; i < ncpus; i++)
		if (cpus[i].c_klock_sleep == next + 1) {
			smp_kick(&cpus[i]);
			break;
		}
}

void
klock_start(void)
{
	klock_take(curcpu());
	__atomic_store_n(&smp_live, 1, __ATOMIC_RELEASE);
}

/*
 * Interrupts are off while a CPU waits for its ticket and while it gives
 * the lock up: an interrupt there would ask for a second ticket, behind
 * the one the CPU already holds or waits on, and wait forever.
 */
void
klock_enter_smp(void)
{
	klock_set_depth(klock_depth() + 1);
}

void
klock_exit_smp(void)
{
	int depth = klock_depth();

	if (!klock_held() || depth <= 0)
		panic("klock_exit: CPU %d does not hold the kernel lock", curcpu()->c_id);
	klock_set_depth(depth - 1);
}

/*
 * This CPU's hold of the kernel lock becomes want deep (0: not held):
 * klock_enter and klock_exit move it by one, and a switch hands the CPU
 * from the depth the previous thread left to the next one's (sched.c,
 * finish_switch).  Taking it, no spinlock is held.
 */
void
klock_set_depth(int want)
{
	struct cpu *c;
	uint64_t fl;

	if (!smp_live)
		return;
	fl = intr_save();
	c = curcpu();
	if (want == 0 && c->c_klock_depth > 0) {
		c->c_klock_depth = 0;
		klock.cpu = -1;
		klock_give();
	} else if (want > 0) {
		if (c->c_klock_depth == 0) {
			if (c->c_nheld)
				panic("the kernel lock: CPU %d holds a spinlock", c->c_id);
			klock_take(c);
		}
		c->c_klock_depth = want;
	}
	intr_restore(fl);
}

int
klock_held(void)
{
	return !smp_live || klock.cpu == curcpu()->c_id;
}

int
klock_depth(void)
{
	return smp_live ? curcpu()->c_klock_depth : 1;
}

/* ---- spinlocks and the lock order ---- */

#define NCLASS	32

static const char *class_name[NCLASS];
static int nclass;
/* after[a][b]: class b was taken while a was held. */
static uint8_t after[NCLASS][NCLASS];
static struct spinlock class_lock = SPINLOCK_INIT("lockdep");

/* The lock's class: its name's (lock names are string constants). */
static int
class_of(struct spinlock *l)
{
	int i;

	if (l->sl_class)
		return l->sl_class - 1;
	/* Raw: lockdep's own lock takes no part in the order. */
	while (__atomic_exchange_n(&class_lock.sl_locked, 1, __ATOMIC_ACQUIRE))
		pause();
	for (i = 0; i < nclass; i++)
		if (strcmp(class_name[i], l->sl_name) == 0)
			break;
	if (i == nclass) {
		if (nclass == NCLASS)
			panic("spinlock: more than %d lock classes", NCLASS);
		class_name[nclass++] = l->sl_name;
	}
	__atomic_store_n(&class_lock.sl_locked, 0, __ATOMIC_RELEASE);
	l->sl_class = i + 1;
	return i;
}

static void
order_check(struct cpu *c, struct spinlock *l)
{
	int k = class_of(l), i, h;

	for (i = 0; i < c->c_nheld; i++) {
		h = c->c_held[i];
		if (h == k)
			panic("spinlock: CPU %d takes a second %s lock", c->c_id, l->sl_name);
		if (after[k][h])
			panic("spinlock: lock order inversion: %s taken holding %s,"
			    " the reverse of an order seen before", l->sl_name, class_name[h]);
		after[h][k] = 1;
	}
	if (c->c_nheld == (int)sizeof(c->c_held))
		panic("spinlock: CPU %d holds too many spinlocks", c->c_id);
	c->c_held[c->c_nheld++] = (uint8_t)k;
}

/*
 * With one CPU, a spinlock is its interrupts-off section and nothing more
 * (spin_lock_irqsave, inline in spinlock.h): no other CPU can hold it,
 * and its checks would cost every kmalloc and every page a good part of
 * what they cost (make bench).  They start with the second CPU
 * (smp_live), which is also where the suites look for what they catch
 * (the smp4/ configurations, panic/spin-again...).  No spinlock is held
 * across that moment (smp_init).  Interrupts are off here.
 */
void
spin_lock_smp(struct spinlock *l)
{
	struct cpu *c;

	if (!spin_ready)
		return;
	c = curcpu();
	if (l->sl_cpu == c->c_id)
		panic("spinlock: CPU %d takes %s again", c->c_id, l->sl_name);
	order_check(c, l);
	while (__atomic_exchange_n(&l->sl_locked, 1, __ATOMIC_ACQUIRE)) {
		do {
			smp_poll(c);	/* the holder may wait for this CPU's answer */
			pause();
		} while (l->sl_locked);
	}
	l->sl_cpu = c->c_id;
}

void
spin_unlock_smp(struct spinlock *l)
{
	struct cpu *c;
	int i;

	if (!spin_ready)
		return;
	c = curcpu();
	if (l->sl_cpu != c->c_id)
		panic("spinlock: CPU %d releases %s, which it does not hold", c->c_id,
		    l->sl_name);
	for (i = c->c_nheld - 1; i > 0 && c->c_held[i] != l->sl_class - 1; i--)
		;
	memmove(&c->c_held[i], &c->c_held[i + 1], c->c_nheld - 1 - i);
	c->c_nheld--;
	l->sl_cpu = -1;
	__atomic_store_n(&l->sl_locked, 0, __ATOMIC_RELEASE);
}

/* Not tracked with one CPU: 0 then. */
int
spin_held(const struct spinlock *l)
{
	return smp_live && spin_ready && l->sl_cpu == curcpu()->c_id;
}

void
spin_held_panic(const char *what)
{
	panic("%s holding the spinlock class %s", what, class_name[curcpu()->c_held[0]]);
}
