/*
 * ktest.c: the in-kernel test runner (see ktest.h).  Tests are collected
 * from the .ktests section, which the linker script keeps.
 */
#include <keel/kernel.h>
#include <keel/ktest.h>

extern const struct ktest __ktests_start[], __ktests_end[];

static int failed_now;

void
ktest_fail(const char *expr, const char *file, int line)
{
	kprintf("    # KT_ASSERT failed: %s at %s:%d\n", expr, file, line);
	failed_now = 1;
}

int
ktest_failed(void)
{
	return failed_now;
}

/* selection: "all", or comma-separated names, each possibly ending in '*'. */
static int
selected(const char *name, const char *sel)
{
	size_t n;

	if (strcmp(sel, "all") == 0)
		return 1;
	while (*sel) {
		for (n = 0; sel[n] && sel[n] != ','; n++)
			;
		if (n > 0 && sel[n - 1] == '*') {
			if (strncmp(name, sel, n - 1) == 0)
				return 1;
		} else if (strlen(name) == n && strncmp(name, sel, n) == 0) {
			return 1;
		}
		sel += n;
		if (*sel == ',')
			sel++;
	}
	return 0;
}

int
ktest_run(const char *sel)
{
	const struct ktest *t;
	int n = 0, i = 0, nfail = 0;

	for (t = __ktests_start; t < __ktests_end; t++)
		n += selected(t->kt_name, sel);
	kprintf("KTAP version 1\n1..%d\n", n);
	for (t = __ktests_start; t < __ktests_end; t++) {
		if (!selected(t->kt_name, sel))
			continue;
		failed_now = 0;
		t->kt_fn();
		i++;
		kprintf("%sok %d %s\n", failed_now ? "not " : "", i, t->kt_name);
		nfail += failed_now;
	}
	kprintf("ktest: %d passed, %d failed\n", n - nfail, nfail);
	return nfail;
}
