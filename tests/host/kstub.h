/*
 * kstub.h: host stand-ins for what kernel.h promises (kprintf, panic), so
 * pure kernel code links into host unit tests unchanged.
 *
 * panic() in a test either fails the test (default) or, inside
 * EXPECT_PANIC(stmt), is caught and counted: kstub_panics says how many.
 */
#ifndef TESTS_KSTUB_H
#define TESTS_KSTUB_H

#include <setjmp.h>

extern jmp_buf kstub_panic_jmp;
extern int kstub_panic_armed;
extern int kstub_panics;
extern char kstub_last_panic[256];

/* Run stmt; evaluates to 1 if it panicked, 0 if it returned normally. */
#define EXPECT_PANIC(stmt) __extension__ ({			\
	int _p = 0;						\
	kstub_panic_armed = 1;					\
	if (setjmp(kstub_panic_jmp) == 0) {			\
		stmt;						\
	} else {						\
		_p = 1;						\
	}							\
	kstub_panic_armed = 0;					\
	_p;							\
})

#endif
