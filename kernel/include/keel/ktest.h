/*
 * ktest.h: in-kernel self-tests, selected by `ktest=all` or
 * `ktest=name,prefix*` on the command line, reported as KTAP on serial.
 *
 *	KTEST(pmm_alloc_free)
 *	{
 *		uint64_t pa = pmm_alloc();
 *		KT_ASSERT(pa != 0);
 *		...
 *	}
 *
 * A failing KT_ASSERT prints the expression, file and line and ends that
 * test; the others still run.
 */
#ifndef KTEST_H
#define KTEST_H

struct ktest {
	const char *kt_name;
	void (*kt_fn)(void);
};

#define KTEST(name)							\
	static void ktest_##name(void);					\
	static const struct ktest ktest_entry_##name			\
	    __attribute__((used, section(".ktests"), aligned(8))) =	\
	    { #name, ktest_##name };					\
	static void ktest_##name(void)

void ktest_fail(const char *expr, const char *file, int line);
int ktest_failed(void);

#define KT_ASSERT(e)							\
	do {								\
		if (!(e)) {						\
			ktest_fail(#e, __FILE__, __LINE__);		\
			return;						\
		}							\
	} while (0)

/* Run the tests the command line selects; returns the number that failed. */
int ktest_run(const char *selection);

#endif
