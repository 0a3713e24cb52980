/*
 * fuzz_kstub.c: kprintf and panic for the fuzz harnesses (see fuzz.h).
 *
 * Not tests/host/kstub.c: that one skips formatting when quiet, and its
 * panic can be caught with longjmp.  Here every kprintf goes through the
 * kernel's own formatter (lib/fmt.c, as kernel/console.c does), so an
 * argument the format reads past its end is an ASan report, and panic (an
 * ASSERT in the code under test) is always a crash.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <lib/fmt.h>

int kprintf(const char *fmt, ...);
void panic(const char *fmt, ...);

/* Set once, from the environment: the same for every input. */
static int verbose = -1;

static void
sink(void *arg, char c)
{
	if (verbose)
		fputc(c, stderr);
}

int
kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (verbose < 0)
		verbose = getenv("FUZZ_VERBOSE") != NULL;
	va_start(ap, fmt);
	n = fmt_vformat(sink, 0, fmt, ap);
	va_end(ap);
	return n;
}

void
panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "PANIC in fuzzed code: %s\n", buf);
	abort();
}
