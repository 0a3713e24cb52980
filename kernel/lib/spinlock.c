/*
 * spinlock.c: the kernel lock, spinlocks and their lock-order check (see
 * spinlock.h).
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/smp.h>
#include <keel/spinlock.h>
#include <arch/arch.h>

int smp_live;
int spin_ready;		/* curcpu() works: cpu_init_this ran on the boot CPU */

static struct {
	volatile uint32_t locked;
	volatile int cpu;		/* holder's c_id; -1 when free */
} klock = { 0, -1 };

/*
 * Take the lock, answering TLB shootdowns while waiting for it: the
 * holder may be waiting for this CPU, which may have interrupts off.
 */
static void
klock_take(struct cpu *c)
{
	while (__atomic_exchange_n(&klock.locked, 1, __ATOMIC_ACQUIRE)) {
		do {
			pause();
			smp_poll(c);
		} while (klock.locked);
	}
	klock.cpu = c->c_id;
	c->c_klock_depth = 1;
}

void
klock_start(void)
{
	klock_take(curcpu());
	__atomic_store_n(&smp_live, 1, __ATOMIC_RELEASE);
}

void
klock_enter(void)
{
	struct cpu *c;

	if (!smp_live)
		return;
	c = curcpu();
	if (klock.cpu == c->c_id) {
		c->c_klock_depth++;
		return;
	}
	if (c->c_nheld)
		panic("klock_enter: CPU %d holds a spinlock", c->c_id);
	klock_take(c);
}

void
klock_exit(void)
{
	struct cpu *c;

	if (!smp_live)
		return;
	c = curcpu();
	if (klock.cpu != c->c_id || c->c_klock_depth <= 0)
		panic("klock_exit: CPU %d does not hold the kernel lock", c->c_id);
	if (--c->c_klock_depth == 0) {
		klock.cpu = -1;
		__atomic_store_n(&klock.locked, 0, __ATOMIC_RELEASE);
	}
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

uint64_t
spin_lock_irqsave(struct spinlock *l)
{
	uint64_t fl = intr_save();
	struct cpu *c;

	if (!spin_ready)
		return fl;	/* the first kprintf: one CPU, no %gs yet */
	c = curcpu();
	if (l->sl_cpu == c->c_id)
		panic("spinlock: CPU %d takes %s again", c->c_id, l->sl_name);
	order_check(c, l);
	while (__atomic_exchange_n(&l->sl_locked, 1, __ATOMIC_ACQUIRE)) {
		do {
			pause();
		} while (l->sl_locked);
	}
	l->sl_cpu = c->c_id;
	return fl;
}

void
spin_unlock_irqrestore(struct spinlock *l, uint64_t fl)
{
	struct cpu *c;
	int i;

	if (!spin_ready) {
		intr_restore(fl);
		return;
	}
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
	intr_restore(fl);
}

int
spin_held(const struct spinlock *l)
{
	return spin_ready && l->sl_cpu == curcpu()->c_id;
}

void
spin_assert_none(const char *what)
{
	struct cpu *c;

	if (!spin_ready)
		return;
	c = curcpu();
	if (c->c_nheld)
		panic("%s holding the spinlock class %s", what, class_name[c->c_held[0]]);
}
