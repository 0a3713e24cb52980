/*
 * kstub.c: host implementations of kprintf and panic (see kstub.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include "kstub.h"

jmp_buf kstub_panic_jmp;
int kstub_panic_armed;
int kstub_panics;
char kstub_last_panic[256];

int kprintf(const char *fmt, ...);
void panic(const char *fmt, ...);

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (getenv("KSTUB_QUIET"))
		return 0;
	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kstub_last_panic, sizeof(kstub_last_panic), fmt, ap);
	va_end(ap);
	kstub_panics++;
	if (kstub_panic_armed)
		longjmp(kstub_panic_jmp, 1);
	fprintf(stderr, "PANIC in host test: %s\n", kstub_last_panic);
	abort();
}

/*
 * Spinlocks (spinlock.h): a host test is one thread, and a panic caught by
 * EXPECT_PANIC may leave a lock "held", so they do nothing.
 */
struct spinlock;
uint64_t spin_lock_irqsave(struct spinlock *l);
void spin_unlock_irqrestore(struct spinlock *l, uint64_t fl);

uint64_t
spin_lock_irqsave(struct spinlock *l)
{
	(void)l;
	return 0;
}

void
spin_unlock_irqrestore(struct spinlock *l, uint64_t fl)
{
	(void)l;
	(void)fl;
}
