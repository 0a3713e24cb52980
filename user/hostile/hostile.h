/*
 * hostile.h: the framework shared by the files of the hostile suite.
 *
 * Interface: each h_*.c file offers one table of cases, struct htest
 * entries ending with a null name, listed in hostile.c.  The runner forks
 * a child for every case (its own process group) and judges it by its
 * exit status: a case function returns on its first failed CHECK*, which
 * records a one-line detail that the child hands to the runner through a
 * pipe.  What must crash runs one level deeper, in a grandchild
 * (CHECK_SIGNAL / CHECK_EXIT / ut_run), whose wait status the case judges;
 * a grandchild reports a failed check of its own with CCHECK, which adds
 * its detail to the pipe and exits 1.
 *
 * The framework (CHECK*, ut_run, names for results) is utest's, in
 * ../lib/ut.h: raw system calls only, so what is checked is exactly what
 * the kernel returned, and no stdio buffer is ever duplicated by fork.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <sys/wait.h>
#include "../lib/ut.h"

/* Flags of a case. */
#define HT_MEM		1	/* exhaustion: free memory must come back (keel only) */
#define HT_LONG		2	/* may need minutes under emulation */

struct htest {
	const char *ht_name;
	void (*ht_fn)(void);
	int ht_flags;
};

extern const struct htest addr_tests[];
extern const struct htest insn_tests[];
extern const struct htest ldt_tests[];
extern const struct htest entry_tests[];
extern const struct htest flags_tests[];
extern const struct htest sigframe_tests[];
extern const struct htest ptr_tests[];
extern const struct htest ptr_proc_tests[];
extern const struct htest poll_ptr_tests[];
extern const struct htest ptr_time_tests[];
extern const struct htest thread_tests[];
extern const struct htest arg_tests[];
extern const struct htest exhaust_tests[];
extern const struct htest init_tests[];
extern const struct htest dos_tests[];

/* uname(2) says "keel": checks that only hold on keel (free memory). */
extern int h_on_keel;
/* The runner is pid 1, with the console on fds 0-2. */
extern int h_is_init;

/* RFLAGS bits (Intel SDM Vol. 1, 3.4.3). */
#define RFLAGS_TF	0x100UL
#define RFLAGS_IF	0x200UL
#define RFLAGS_DF	0x400UL
#define RFLAGS_IOPL	0x3000UL
#define RFLAGS_NT	0x4000UL
#define RFLAGS_AC	0x40000UL

/* The kernel's struct sigaction for rt_sigaction, without libc in between. */
struct ksigaction {
	unsigned long handler, flags, restorer, mask;
};
#define KSA_SIGINFO	0x4UL
#define KSA_RESTORER	0x04000000UL

/* What a handler returns to: rt_sigreturn, as libc's restorer does. */
void h_restorer(void);
/* rt_sigaction(sig, {handler, flags, restorer}); 0 or -errno. */
long h_sigaction(int sig, unsigned long handler, unsigned long flags, unsigned long restorer);
/*
 * fn as the handler of sig, returning through h_restorer: x86-64 Linux
 * refuses to deliver a signal to a handler without SA_RESTORER (there is
 * nowhere to return to) and sends SIGSEGV instead.
 */
long h_handler(int sig, void (*fn)(int));

/*
 * Addresses no process may use (shared/layout.h for keel's; Linux's kernel
 * half is in the same place): the start of the kernel half (the direct
 * map), a page inside the direct map, the kernel virtual allocations, the
 * base of the kernel image area (with KASLR the image itself may sit a few
 * MiB higher), both sides of the non-canonical hole, and the top of the
 * user half (the page below the hole, never mapped by either kernel).
 */
#define A_KHALF		0xffff800000000000UL
#define A_DIRECT	0xffff800000100000UL
#define A_KVA		0xffffc00000000000UL
#define A_KTEXT		0xffffffff80000000UL
#define A_NONCANON_LO	0x0000800000000000UL
#define A_NONCANON_HI	0x8000000000000000UL
#define A_USER_TOP	0x00007ffffffff000UL

/*
 * Every pointer a system call must refuse with EFAULT: null, the kernel
 * addresses above, non-canonical ones, the last byte of the address space,
 * the never-mapped top page of the user half, and a page just unmapped
 * (h_bad_init).  h_bad_name[i] says which one h_bad[i] is; h_bad[0] is
 * null, which some arguments take as "none".
 */
#define H_NBAD		10
extern unsigned long h_bad[H_NBAD];
extern const char *const h_bad_name[H_NBAD];
/*
 * Sets up h_bad and h_guard: a read-write page at h_guard - PGSIZE with an
 * unmapped page at h_guard (so h_guard - n is n mapped bytes, then a hole),
 * and h_ro, a mapped read-only page.  0, or -1 when mmap failed.
 */
int h_bad_init(void);
extern char *h_guard;
extern char *h_ro;
/* 16 'a's ending exactly at h_guard: a string with no NUL before the hole. */
char *h_unterminated(void);
/* A copy of s whose NUL is the last byte before h_guard. */
char *h_at_end(const char *s);

/*
 * System call nr with %rsp = rsp while it runs; the real stack pointer
 * waits in r12, which the syscall instruction preserves.
 */
static inline long
h_syscall_on(unsigned long rsp, long nr, long a1, long a2, long a3)
{
	long ret;

	__asm__ volatile(
	    "mov %%rsp, %%r12\n\t"
	    "mov %[sp], %%rsp\n\t"
	    "syscall\n\t"
	    "mov %%r12, %%rsp"
	    : "=a"(ret)
	    : "a"(nr), "D"(a1), "S"(a2), "d"(a3), [sp] "r"(rsp)
	    : "rcx", "r11", "r12", "memory");
	return ret;
}

static inline unsigned long
h_rflags(void)
{
	unsigned long fl;

	__asm__ volatile("pushfq; popq %0" : "=r"(fl));
	return fl;
}

static inline unsigned long
h_cs(void)
{
	unsigned long cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs;
}

static inline unsigned long
h_ss(void)
{
	unsigned long ss;

	__asm__ volatile("mov %%ss, %0" : "=r"(ss));
	return ss;
}

/*
 * expr, which uses P, must fail with err for every P in h_bad (set up
 * by h_bad_init first).
 */
#define CHECK_ALL_BAD(expr, err) do {					\
	for (int _k = 0; _k < H_NBAD; _k++) {				\
		unsigned long P = h_bad[_k];				\
		long _r = (long)(expr);					\
		(void)P;						\
		if (_r != -(long)(err)) {				\
			ut_fail(__FILE__, __LINE__, "%s with P = %s: %s, want %s", \
			    #expr, h_bad_name[_k], ut_rstr(_r), ut_rstr(-(long)(err))); \
			return;						\
		}							\
	}								\
} while (0)
#define CHECK_EFAULT(expr)	CHECK_ALL_BAD(expr, EFAULT)
/* The same for a pointer that may be null (null means "none": no error). */
#define CHECK_EFAULT_NN(expr) do {					\
	for (int _k = 1; _k < H_NBAD; _k++) {				\
		unsigned long P = h_bad[_k];				\
		long _r = (long)(expr);					\
		if (_r != -(long)EFAULT) {				\
			ut_fail(__FILE__, __LINE__, "%s with P = %s: %s, want -EFAULT", \
			    #expr, h_bad_name[_k], ut_rstr(_r));		\
			return;						\
		}							\
	}								\
} while (0)

#endif /* HOSTILE_H */
