/*
 * crash.c: deliberate kernel faults, chosen by `crash=KIND` on the command
 * line, so tests can check that each one ends in its panic report and a
 * non-zero exit, never in a triple fault or a hang.
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <keel/crash.h>
#include <keel/spinlock.h>

static int __attribute__((noinline))
recurse(int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth > 1 << 30)		/* never: the guard page comes first */
		return 0;
	return recurse(depth + 1) + frame[0];	/* not a tail call */
}

/* Writes past the end of a local array, as a buggy copy would. */
static void __attribute__((noinline))
smash(volatile size_t n)
{
	char buf[16];

	memset(buf, 'A', n);
	__asm__ volatile("" : : "r"(buf) : "memory");
}

/* What the lock checks (spinlock.c) must stop with a panic. */
static void __attribute__((noinline))
spin_misuse(const char *kind)
{
	static struct spinlock a = SPINLOCK_INIT("crash-a"), b = SPINLOCK_INIT("crash-b");
	uint64_t fa, fb;

	fa = spin_lock_irqsave(&a);
	if (strcmp(kind, "spin-again") == 0)
		spin_lock_irqsave(&a);			/* recursion */
	if (strcmp(kind, "sleep-locked") == 0)
		spin_assert_none("sleep_on");		/* what sleep_on checks */
	fb = spin_lock_irqsave(&b);			/* a, then b */
	spin_unlock_irqrestore(&b, fb);
	spin_unlock_irqrestore(&a, fa);
	fb = spin_lock_irqsave(&b);
	spin_lock_irqsave(&a);				/* b, then a: the inversion */
}

void
crash(const char *kind)
{
	volatile int zero = 0;

	kprintf("crash: deliberate %s\n", kind);
	if (strcmp(kind, "null") == 0)
		*(volatile int *)0 = 1;
	else if (strcmp(kind, "stack") == 0)
		recurse(0);
	else if (strcmp(kind, "div0") == 0)
		/* A real div: clang turns 1 / x into compares. */
		__asm__ volatile("divl %0" : : "r"(zero), "a"(1), "d"(0));
	else if (strcmp(kind, "ud") == 0)
		__asm__ volatile("ud2");
	else if (strcmp(kind, "assert") == 0)
		ASSERT(zero == 1);
	else if (strcmp(kind, "ubsan") == 0) {
		/* Undefined: only the UBSan kernel notices (and panics). */
		volatile int big = 0x7fffffff, one = 1;

		kprintf("crash: %d + 1 = %d (this kernel has no UBSan)\n", big, big + one);
		return;
	} else if (strcmp(kind, "smash") == 0)
		smash(64);
	else if (strcmp(kind, "wx") == 0)
		*(volatile char *)crash = 0xc3;	/* text is read-only */
	else if (strcmp(kind, "spin-again") == 0 || strcmp(kind, "lock-order") == 0 ||
	    strcmp(kind, "sleep-locked") == 0)
		spin_misuse(kind);
	kprintf("crash: unknown kind \"%s\"\n", kind);
}
