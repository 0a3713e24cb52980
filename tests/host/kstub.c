/*
 * kstub.c: host implementations of kprintf and panic (see kstub.h).
 */
#include <stdarg.h>
#include <stdio.h>
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
