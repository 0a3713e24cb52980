/*
 * h_thread.c: the thread calls given what a buggy or hostile program
 * gives them: futex with words that are unmapped, read-only, PROT_NONE,
 * in the kernel half or unaligned, for each command, private and shared;
 * bad timeout pointers; FUTEX_WAKE_OP's odd operations; clone with flags
 * that do not go together, a TLS base in the kernel half and thread-id
 * pointers that point nowhere; robust lists that are garbage, cycles or
 * too long; rt_sigtimedwait with bad pointers; tgkill across processes.
 *
 * Linux's answers (6.1): a futex word is checked as get_futex_key does:
 * -EINVAL unaligned, -EFAULT outside the user half; a private word is
 * just an address (a wake on an unmapped one finds nobody), a shared one
 * must be a page that is there, and writable for WAKE_OP's second word.
 * The timeout is read before anything else.  A robust list is walked for
 * at most 2048 entries and stops at the first word it cannot use.  clone
 * ignores thread-id pointers it cannot write.
 *
 * Threads here are raw clone(CLONE_THREAD | ...) on stacks of their own,
 * with no C library between (h_thread_start); they use raw calls only.
 *
 * Interface: thread_tests[] (hostile.h).
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include "hostile.h"

#define INIT() CHECK(h_bad_init() == 0, "h_bad_init failed")

/* <linux/sched.h> and <linux/futex.h>, which musl-gcc does not have. */
#define CLONE_VM		0x00000100UL
#define CLONE_FS		0x00000200UL
#define CLONE_FILES		0x00000400UL
#define CLONE_SIGHAND		0x00000800UL
#define CLONE_PIDFD		0x00001000UL
#define CLONE_THREAD		0x00010000UL
#define CLONE_NEWNS		0x00020000UL
#define CLONE_SYSVSEM		0x00040000UL
#define CLONE_SETTLS		0x00080000UL
#define CLONE_PARENT_SETTID	0x00100000UL
#define CLONE_CHILD_CLEARTID	0x00200000UL
#define CLONE_CHILD_SETTID	0x01000000UL
#define THREAD_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
			 CLONE_SYSVSEM)

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_PRIVATE		128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_OP(op, oparg, cmp, cmparg) \
	((unsigned)(((op) & 0xf) << 28 | ((cmp) & 0xf) << 24 | ((oparg) & 0xfff) << 12 | \
	    ((cmparg) & 0xfff)))
#define FUTEX_OP_SET		0
#define FUTEX_OP_ADD		1
#define FUTEX_OP_OPARG_SHIFT	8
#define FUTEX_OP_CMP_EQ		0
#define FUTEX_WAITERS		0x80000000U
#define FUTEX_OWNER_DIED	0x40000000U
#define ROBUST_LIST_LIMIT	2048

struct kts {
	long tv_sec, tv_nsec;
};

static long
fx(const void *uaddr, int op, unsigned val, const void *ts, const void *uaddr2, unsigned val3)
{
	return sys6(SYS_futex, (long)uaddr, op, val, (long)ts, (long)uaddr2, val3);
}

static long
gettid(void)
{
	return sys0(SYS_gettid);
}

/* ---- threads without a C library ---- */

#define NSTACK		4
#define STACK_SIZE	(64 * 1024)
static char stacks[NSTACK][STACK_SIZE] __attribute__((aligned(16)));

/*
 * clone(flags, stack, ptid, ctid, tls): in the child, fn(arg) on the new
 * stack, then exit(0) (one thread).  The parent gets the result.
 */
static long
h_clone(unsigned long flags, void *stack, void *ptid, void *ctid, unsigned long tls,
    void (*fn)(void *), void *arg)
{
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = (long)tls;
	register long r9 __asm__("r9") = (long)fn;
	register long r12 __asm__("r12") = (long)arg;
	long ret;

	__asm__ volatile(
	    "syscall\n\t"
	    "test %%rax, %%rax\n\t"
	    "jnz 1f\n\t"
	    "mov %%r12, %%rdi\n\t"
	    "call *%%r9\n\t"
	    "mov $60, %%eax\n\t"	/* exit(0): this thread only */
	    "xor %%edi, %%edi\n\t"
	    "syscall\n\t"
	    "ud2\n"
	    "1:"
	    : "=a"(ret)
	    : "a"((long)SYS_clone), "D"(flags), "S"(stack), "d"(ptid), "r"(r10), "r"(r8),
	      "r"(r9), "r"(r12)
	    : "rcx", "r11", "memory");
	return ret;
}

/*
 * A thread on stack slot n running fn(arg); *ctid holds its tid until it
 * exits (CLONE_PARENT_SETTID and CLONE_CHILD_CLEARTID on the same word,
 * as C libraries do).  The tid, or -errno.
 */
static long
h_thread_start(int n, void (*fn)(void *), void *arg, volatile int *ctid)
{
	*ctid = -1;
	return h_clone(THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
	    stacks[n] + STACK_SIZE, (void *)ctid, (void *)ctid, 0, fn, arg);
}

/* Wait until the thread of *ctid has exited (the kernel cleared and woke the word). */
static int
h_thread_join(volatile int *ctid)
{
	long long deadline = ut_now_ns() + 20 * 1000000000LL;
	struct kts tick = { 0, 10 * 1000000 };
	int v;

	while ((v = *ctid) != 0) {
		if (ut_now_ns() > deadline)
			return -1;
		fx((const void *)ctid, FUTEX_WAIT, (unsigned)v, &tick, 0, 0);
	}
	return 0;
}

static void do_nothing(void *a) { (void)a; }

/* ---- futex: words ---- */

static int fword, fword2;

static int
in_user_half(unsigned long p)
{
	return p <= A_USER_TOP - 4;
}

/*
 * Every command with each bad word, private and shared.  WAIT reads the
 * word (-EFAULT for all); WAKE and REQUEUE only make its key: a private
 * key is any address of the user half, a shared one needs the page.
 */
static void
t_futex_bad_word(void)
{
	struct kts zero = { 0, 0 }, ms = { 0, 1000000 };
	unsigned op = FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0);

	INIT();
	for (int priv = 0; priv <= FUTEX_PRIVATE; priv += FUTEX_PRIVATE) {
		for (int k = 0; k < H_NBAD; k++) {
			const void *P = (const void *)h_bad[k];
			long inval = h_bad[k] & 3 ? -EINVAL : 0;
			long efault = inval ? inval : -EFAULT;
			long key = inval ? inval : !in_user_half(h_bad[k]) || !priv ? -EFAULT : 0;

#define WANT(expr, want) do {						\
	long _r = (expr);						\
	if (_r != (want)) {						\
		ut_fail(__FILE__, __LINE__, "%s, %s, %s: %s, want %s", #expr, \
		    priv ? "private" : "shared", h_bad_name[k], ut_rstr(_r), \
		    ut_rstr(want));					\
		return;							\
	}								\
} while (0)
			WANT(fx(P, FUTEX_WAIT | priv, 0, &ms, 0, 0), efault);
			WANT(fx(P, FUTEX_WAIT_BITSET | priv, 0, &zero, 0, ~0U), efault);
			WANT(fx(P, FUTEX_WAKE | priv, 1, 0, 0, 0), key);
			WANT(fx(P, FUTEX_WAKE_BITSET | priv, 1, 0, 0, 1), key);
			WANT(fx(P, FUTEX_REQUEUE | priv, 1, (void *)1, &fword, 0), key);
			WANT(fx(&fword, FUTEX_REQUEUE | priv, 1, (void *)1, P, 0), key);
			/* CMP_REQUEUE reads the first word; the second is a key. */
			WANT(fx(P, FUTEX_CMP_REQUEUE | priv, 1, (void *)1, &fword, 0), efault);
			WANT(fx(&fword, FUTEX_CMP_REQUEUE | priv, 1, (void *)1, P, fword), key);
			/* WAKE_OP: the first word a key, the second written. */
			WANT(fx(P, FUTEX_WAKE_OP | priv, 1, (void *)1, &fword2, op), key);
			WANT(fx(&fword, FUTEX_WAKE_OP | priv, 1, (void *)1, P, op), efault);
		}
	}
}

/*
 * Words on pages not there yet: a fresh anonymous page, and one given
 * back with MADV_DONTNEED.  The word is 0 (a wait for 0 times out, one
 * for 1 is -EAGAIN), and so it stays: on keel the read under the futex
 * lock must not fault, so it fails and is retried after a fault-in.
 */
static void
t_futex_fresh_page(void)
{
	struct kts ms = { 0, 1000000 };
	char *page;

	INIT();
	for (int priv = 0; priv <= FUTEX_PRIVATE; priv += FUTEX_PRIVATE) {
		page = (char *)sys_mmap(0, 2 * PGSIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		CHECK((long)page > 0, "mmap");
		CHECK_EQ(fx(page, FUTEX_WAIT | priv, 1, &ms, 0, 0), -EAGAIN);
		CHECK_EQ(fx(page + PGSIZE, FUTEX_WAIT | priv, 0, &ms, 0, 0), -ETIMEDOUT);
		page[0] = 1;
		CHECK_EQ(sys3(SYS_madvise, (long)page, PGSIZE, MADV_DONTNEED), 0);
		CHECK_EQ(fx(page, FUTEX_WAIT | priv, 0, &ms, 0, 0), -ETIMEDOUT);
		CHECK_EQ(fx(page, FUTEX_WAKE | priv, 1, 0, 0, 0), 0);
		sys_munmap(page, 2 * PGSIZE);
	}
}

/*
 * A read-only word, a PROT_NONE one, the program's text.
 */
static void
t_futex_protected_word(void)
{
	struct kts ms = { 0, 1000000 };
	unsigned op = FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0);
	const int *ro, *text = (const int *)(unsigned long)t_futex_protected_word;
	char *none, *page;

	INIT();
	page = (char *)sys_mmap(0, PGSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	CHECK((long)page > 0, "mmap");
	page[0] = 0;
	CHECK(sys_mprotect(page, PGSIZE, PROT_READ) == 0, "mprotect");
	ro = (const int *)page;
	none = (char *)sys_mmap(0, PGSIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK((long)none > 0, "mmap PROT_NONE");
	for (int priv = 0; priv <= FUTEX_PRIVATE; priv += FUTEX_PRIVATE) {
		/*
		 * Read-only anonymous memory: a private word as any other; no
		 * shared key (Linux: it will never change); WAKE_OP cannot
		 * write it.
		 */
		long shared = priv ? 0 : -EFAULT;

		CHECK_EQ(fx(ro, FUTEX_WAIT | priv, (unsigned)*ro + 1, 0, 0, 0),
		    priv ? -EAGAIN : -EFAULT);
		CHECK_EQ(fx(ro, FUTEX_WAIT | priv, (unsigned)*ro, &ms, 0, 0),
		    priv ? -ETIMEDOUT : -EFAULT);
		CHECK_EQ(fx(ro, FUTEX_WAKE | priv, 1, 0, 0, 0), shared);
		CHECK_EQ(fx(ro, FUTEX_REQUEUE | priv, 1, (void *)1, ro, 0), shared);
		CHECK_EQ(fx(&fword, FUTEX_REQUEUE | priv, 1, (void *)1, ro, 0), shared);
		CHECK_EQ(fx(ro, FUTEX_CMP_REQUEUE | priv, 1, (void *)1, &fword, *ro), shared);
		CHECK_EQ(fx(ro, FUTEX_WAKE_OP | priv, 1, (void *)1, &fword2, op), shared);
		/* The same for a page never written (Linux's zero page). */
		CHECK_EQ(fx(h_ro, FUTEX_WAKE | priv, 1, 0, 0, 0), shared);
		CHECK_ERR(fx(&fword, FUTEX_WAKE_OP | priv, 1, (void *)1, ro, op), EFAULT);
		CHECK_ERR(fx(&fword, FUTEX_WAKE_OP | priv, 1, (void *)1, text, op), EFAULT);
		CHECK(*ro == 0, "WAKE_OP wrote a read-only word: %d", *ro);
		CHECK_EQ(fx(text, FUTEX_WAKE | priv, 1, 0, 0, 0), 0);
		CHECK_ERR(fx(text, FUTEX_WAIT | priv, (unsigned)*text + 1, 0, 0, 0), EAGAIN);
		/* PROT_NONE: nothing to read; a private key is still an address. */
		CHECK_ERR(fx(none, FUTEX_WAIT | priv, 0, &ms, 0, 0), EFAULT);
		CHECK_EQ(fx(none, FUTEX_WAKE | priv, 1, 0, 0, 0), priv ? 0 : -EFAULT);
		CHECK_EQ(fx(&fword, FUTEX_REQUEUE | priv, 1, (void *)1, none, 0),
		    priv ? 0 : -EFAULT);
		CHECK_ERR(fx(&fword, FUTEX_WAKE_OP | priv, 1, (void *)1, none, op), EFAULT);
	}
	sys_munmap(none, PGSIZE);
	sys_munmap(page, PGSIZE);
}

/*
 * Unaligned words: -EINVAL for every command, the second word too; in
 * Linux's order: the timeout, the command and its clock before the word,
 * the first word before the second.
 */
static void
t_futex_unaligned(void)
{
	const char *u = (const char *)&fword + 1, *u2 = (const char *)&fword2 + 2;
	struct kts ms = { 0, 1000000 }, bad = { 0, 1000000000 };
	unsigned op = FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0);

	INIT();
	for (int priv = 0; priv <= FUTEX_PRIVATE; priv += FUTEX_PRIVATE) {
		CHECK_ERR(fx(u, FUTEX_WAIT | priv, 0, &ms, 0, 0), EINVAL);
		CHECK_ERR(fx(u, FUTEX_WAIT_BITSET | priv, 0, 0, 0, ~0U), EINVAL);
		CHECK_ERR(fx(u, FUTEX_WAKE | priv, 1, 0, 0, 0), EINVAL);
		CHECK_ERR(fx(u, FUTEX_WAKE_BITSET | priv, 1, 0, 0, 1), EINVAL);
		CHECK_ERR(fx(u, FUTEX_REQUEUE | priv, 1, (void *)1, &fword2, 0), EINVAL);
		CHECK_ERR(fx(&fword, FUTEX_REQUEUE | priv, 1, (void *)1, u2, 0), EINVAL);
		CHECK_ERR(fx(u, FUTEX_CMP_REQUEUE | priv, 1, (void *)1, &fword2, 0), EINVAL);
		CHECK_ERR(fx(&fword, FUTEX_CMP_REQUEUE | priv, 1, (void *)1, u2, fword), EINVAL);
		CHECK_ERR(fx(u, FUTEX_WAKE_OP | priv, 1, (void *)1, &fword2, op), EINVAL);
		CHECK_ERR(fx(&fword, FUTEX_WAKE_OP | priv, 1, (void *)1, u2, op), EINVAL);
		/* What comes first. */
		CHECK_ERR(fx(u, FUTEX_WAIT | priv, 0, (void *)A_KHALF, 0, 0), EFAULT);
		CHECK_ERR(fx(u, FUTEX_WAIT | priv, 0, &bad, 0, 0), EINVAL);
		CHECK_ERR(fx(u, 99 | priv, 0, 0, 0, 0), ENOSYS);
		CHECK_ERR(fx(u, FUTEX_WAKE | FUTEX_CLOCK_REALTIME | priv, 1, 0, 0, 0), ENOSYS);
		CHECK_ERR(fx((void *)A_KHALF, FUTEX_REQUEUE | priv, 1, (void *)1, u2, 0), EFAULT);
		CHECK_ERR(fx((void *)A_KHALF, FUTEX_WAKE_OP | priv, 1, (void *)1, u2, op), EFAULT);
		CHECK_ERR(fx(&fword, FUTEX_REQUEUE | priv, (unsigned)-1, (void *)1, u2, 0), EINVAL);
	}
}

/*
 * Bad timeout pointers: -EFAULT before the word is looked at (a word that
 * does not hold val would say -EAGAIN).  REQUEUE's fourth argument is a
 * count: its low 32 bits, whatever the pointer.
 */
static void
t_futex_bad_timeout(void)
{
	struct kts *straddle;

	INIT();
	fword = 5;
	CHECK_EFAULT_NN(fx(&fword, FUTEX_WAIT, 4, (void *)P, 0, 0));
	CHECK_EFAULT_NN(fx(&fword, FUTEX_WAIT | FUTEX_PRIVATE, 4, (void *)P, 0, 0));
	CHECK_EFAULT_NN(fx(&fword, FUTEX_WAIT_BITSET, 4, (void *)P, 0, ~0U));
	CHECK_EFAULT_NN(fx(&fword, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 4, (void *)P, 0,
	    ~0U));
	CHECK_EFAULT_NN(fx(&fword, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 4, (void *)P, 0, 0));
	/* Before the bitset too. */
	CHECK_EFAULT_NN(fx(&fword, FUTEX_WAIT_BITSET, 4, (void *)P, 0, 0));
	straddle = (struct kts *)(h_guard - 8);
	straddle->tv_sec = 0;
	CHECK_ERR(fx(&fword, FUTEX_WAIT, 4, straddle, 0, 0), EFAULT);
	/* A read-only timeout is fine. */
	CHECK_ERR(fx(&fword, FUTEX_WAIT, 4, h_ro, 0, 0), EAGAIN);
	CHECK_ERR(fx(&fword, FUTEX_WAIT, 5, h_ro, 0, 0), ETIMEDOUT);
	/* Not a timeout: WAKE ignores it, REQUEUE takes its low half as a count. */
	CHECK_EQ(fx(&fword, FUTEX_WAKE, 1, (void *)A_KHALF, 0, 0), 0);
	CHECK_EQ(fx(&fword, FUTEX_REQUEUE, 1, (void *)A_KHALF, &fword2, 0), 0);
	CHECK_EQ(fx(&fword, FUTEX_REQUEUE, 1, (void *)0x8000000100000005UL, &fword2, 0), 0);
	CHECK_ERR(fx(&fword, FUTEX_REQUEUE, 1, (void *)0xffffffffUL, &fword2, 0), EINVAL);
	CHECK_ERR(fx(&fword, FUTEX_CMP_REQUEUE, 1, (void *)A_NONCANON_LO, &fword2, 4), EAGAIN);
}

/*
 * FUTEX_WAKE_OP's operation as Linux's futex_atomic_op_inuser does it: a
 * shift past 31 taken modulo 32; an unknown operation -ENOSYS with the word
 * untouched, an unknown comparison -ENOSYS after the word was written.
 */
static void
t_futex_wake_op(void)
{
	fword2 = 5;
	CHECK_EQ(fx(&fword, FUTEX_WAKE_OP, 1, (void *)1, &fword2,
	    FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5)), 0);
	CHECK_EQ(fword2, 8);
	CHECK_ERR(fx(&fword, FUTEX_WAKE_OP, 1, (void *)1, &fword2,
	    FUTEX_OP(5, 1, FUTEX_OP_CMP_EQ, 0)), ENOSYS);
	CHECK_EQ(fword2, 8);
	CHECK_ERR(fx(&fword, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, (void *)1, &fword2,
	    FUTEX_OP(FUTEX_OP_SET, 77, 9, 0)), ENOSYS);
	CHECK_EQ(fword2, 77);
	CHECK_EQ(fx(&fword, FUTEX_WAKE_OP, 1, (void *)1, &fword2,
	    FUTEX_OP(FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 40, FUTEX_OP_CMP_EQ, 0)), 0);
	CHECK_EQ(fword2, 1 << 8);
	CHECK_EQ(fx(&fword, FUTEX_WAKE_OP, 1, (void *)1, &fword2,
	    FUTEX_OP(FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, -1, FUTEX_OP_CMP_EQ, 0)), 0);
	CHECK_EQ((unsigned)fword2, 1U << 31);
	/*
	 * An unknown operation on a word outside the user half: the range
	 * first; on an unmapped private word: the operation first.
	 */
	CHECK_ERR(fx(&fword, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, (void *)1, (void *)A_KHALF,
	    FUTEX_OP(5, 1, FUTEX_OP_CMP_EQ, 0)), EFAULT);
	CHECK(h_bad_init() == 0, "h_bad_init failed");
	CHECK_ERR(fx(&fword, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, (void *)1, h_guard,
	    FUTEX_OP(5, 1, FUTEX_OP_CMP_EQ, 0)), ENOSYS);
	CHECK_ERR(fx(&fword, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, (void *)1, h_guard,
	    FUTEX_OP(FUTEX_OP_SET, 1, 9, 0)), EFAULT);
	CHECK_ERR(fx(&fword, FUTEX_WAKE_OP, 1, (void *)1, h_guard,
	    FUTEX_OP(5, 1, FUTEX_OP_CMP_EQ, 0)), EFAULT);
}

/* ---- futex: counts, with waiting threads ---- */

static volatile int wword, nwoken;

static void
waiter(void *a)
{
	(void)a;
	if (fx((const void *)&wword, FUTEX_WAIT | FUTEX_PRIVATE, 0, 0, 0, 0) == 0)
		__atomic_fetch_add(&nwoken, 1, __ATOMIC_SEQ_CST);
}

/* Linux's futex_wake counts ++woken >= n: a count of 0, or negative, wakes one. */
static void
t_futex_wake_counts(void)
{
	static volatile int ctid[2];
	static const unsigned counts[] = { 0, 0x80000000U };

	for (unsigned c = 0; c < 2; c++) {
		wword = 0;
		nwoken = 0;
		for (int i = 0; i < 2; i++)
			CHECK(h_thread_start(i, waiter, 0, &ctid[i]) > 0, "clone");
		ut_sleep_ms(100);	/* both asleep in FUTEX_WAIT */
		CHECK_EQ(fx((const void *)&wword, FUTEX_WAKE | FUTEX_PRIVATE, counts[c], 0, 0,
		    0), 1);
		ut_sleep_ms(50);
		CHECK_EQ(nwoken, 1);
		/* WAKE_OP's second count the same way. */
		CHECK_EQ(fx(&fword, FUTEX_WAKE_OP | FUTEX_PRIVATE, 1, (void *)(long)counts[c],
		    (const void *)&wword, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)), 1);
		for (int i = 0; i < 2; i++)
			CHECK(h_thread_join(&ctid[i]) == 0, "thread %d did not end", i);
		CHECK_EQ(nwoken, 2);
	}
}

/* ---- clone ---- */

static volatile int ran;

static void
mark_ran(void *a)
{
	(void)a;
	ran = 1;
}

/* Flags that do not go together, a TLS base outside the user half. */
static void
t_clone_bad_flags(void)
{
	static const unsigned long kaddr[] = { A_KHALF, A_DIRECT, A_KVA, A_KTEXT, A_NONCANON_LO,
		A_NONCANON_HI, ~0UL, A_USER_TOP };
	void *stack = stacks[0] + STACK_SIZE;
	int word;

	ran = 0;
	CHECK_ERR(h_clone(CLONE_VM | CLONE_THREAD, stack, 0, 0, 0, mark_ran, 0), EINVAL);
	CHECK_ERR(h_clone(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_THREAD, stack, 0, 0, 0,
	    mark_ran, 0), EINVAL);
	CHECK_ERR(h_clone(CLONE_SIGHAND | SIGCHLD, stack, 0, 0, 0, mark_ran, 0), EINVAL);
	CHECK_ERR(h_clone(CLONE_SIGHAND | CLONE_THREAD, stack, 0, 0, 0, mark_ran, 0), EINVAL);
	CHECK_ERR(h_clone(CLONE_FS | CLONE_NEWNS | SIGCHLD, stack, 0, 0, 0, mark_ran, 0),
	    EINVAL);
	CHECK_ERR(h_clone(CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, stack, &word, 0, 0,
	    mark_ran, 0), EINVAL);
	for (unsigned i = 0; i < sizeof kaddr / sizeof kaddr[0]; i++) {
		CHECK_ERR(h_clone(THREAD_FLAGS | CLONE_SETTLS, stack, 0, 0, kaddr[i], mark_ran, 0),
		    EPERM);
		CHECK_ERR(h_clone(CLONE_SETTLS | SIGCHLD, stack, 0, 0, kaddr[i], mark_ran, 0),
		    EPERM);
	}
	ut_sleep_ms(20);
	CHECK(ran == 0, "a refused clone ran its child");
}

static volatile int done_flag;

static void
mark_done(void *a)
{
	(void)a;
	done_flag = 1;
}

/* The thread tid is gone (tgkill finds nothing) within a few seconds. */
static int
thread_gone(long tid)
{
	for (int i = 0; i < 500; i++) {
		if (sys3(SYS_tgkill, sys_getpid(), tid, 0) == -ESRCH)
			return 1;
		ut_sleep_ms(10);
	}
	return 0;
}

/*
 * Thread-id pointers clone cannot write: ignored, as Linux's put_user's
 * result is; the thread runs and its exit writes nothing either.  (keel
 * once wrote a fork-style child's CHILD_SETTID through the kernel's own
 * page tables: into its direct map, and into the parent's copy-on-write
 * page.)
 */
static void
t_clone_bad_tid_ptrs(void)
{
	static volatile int ctid, cow_word;
	long tid, pid;
	int st;

	INIT();
	for (int k = 0; k < H_NBAD; k++) {
		void *P = (void *)h_bad[k];

		/* PARENT_SETTID: the CLEARTID word tells when the thread ended. */
		ctid = -1;
		tid = h_clone(THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
		    stacks[0] + STACK_SIZE, P, (void *)&ctid, 0, do_nothing, 0);
		CHECK(tid > 0, "clone with ptid %s: %s", h_bad_name[k], ut_rstr(tid));
		CHECK(h_thread_join(&ctid) == 0, "thread with ptid %s did not end", h_bad_name[k]);
		/* CHILD_SETTID and CHILD_CLEARTID. */
		done_flag = 0;
		tid = h_clone(THREAD_FLAGS | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID,
		    stacks[1] + STACK_SIZE, 0, P, 0, mark_done, 0);
		CHECK(tid > 0, "clone with ctid %s: %s", h_bad_name[k], ut_rstr(tid));
		CHECK(thread_gone(tid), "thread with ctid %s did not end", h_bad_name[k]);
		CHECK(done_flag == 1, "thread with ctid %s did not run", h_bad_name[k]);
		/* A process (fork-style clone) the same. */
		pid = h_clone(SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
		    CLONE_CHILD_CLEARTID, stacks[2] + STACK_SIZE, P, P, 0, do_nothing, 0);
		CHECK(pid > 0, "fork-style clone with %s: %s", h_bad_name[k], ut_rstr(pid));
		CHECK_EQ(ut_wait(pid, &st), 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child: %s", ut_status_str(st));
	}
	/* A forked child's CHILD_SETTID goes into its own copy of the page. */
	cow_word = 7;
	pid = h_clone(SIGCHLD | CLONE_CHILD_SETTID, stacks[2] + STACK_SIZE, 0, (void *)&cow_word,
	    0, do_nothing, 0);
	CHECK(pid > 0, "fork-style clone: %s", ut_rstr(pid));
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK(cow_word == 7, "the child's CHILD_SETTID reached the parent: %d", cow_word);
	/* Read-only and text: the same. */
	ctid = -1;
	tid = h_clone(THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
	    stacks[0] + STACK_SIZE, h_ro, (void *)&ctid, 0, do_nothing, 0);
	CHECK(tid > 0 && h_thread_join(&ctid) == 0, "clone with a read-only ptid: %s",
	    ut_rstr(tid));
	tid = h_clone(THREAD_FLAGS | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID,
	    stacks[1] + STACK_SIZE, 0, (void *)t_clone_bad_tid_ptrs, 0, do_nothing, 0);
	CHECK(tid > 0 && thread_gone(tid), "clone with ctid in the text: %s", ut_rstr(tid));
}

/* ---- robust lists ---- */

/* An entry of a robust list: its link, then the futex word (futex_offset 8). */
struct rentry {
	struct rentry *next;
	unsigned word;
	unsigned pad;
};

struct rhead {
	void *list;
	long offset;
	void *pending;
};

static struct rhead rhead;
static volatile long robust_ret;

/* Set the list and leave: the kernel walks it at this thread's exit. */
static void
robust_exit(void *a)
{
	(void)a;
	robust_ret = sys2(SYS_set_robust_list, &rhead, sizeof rhead);
}

#define NCHAIN	5000
static struct rentry chain[NCHAIN];

/*
 * The tids a thread will get cannot be known before it starts, so each
 * word is written by the thread itself: the words hold a marker, and
 * robust_owner fills them with its tid before it sets the list.
 */
static struct rentry *fill_from;
static int fill_count;
static unsigned fill_bits;	/* with the tid: FUTEX_WAITERS */
static struct rentry *fill_ro;	/* in a read-only page: made writable a moment */

static void
robust_owner(void *a)
{
	long tid = gettid();

	(void)a;
	for (int i = 0; i < fill_count; i++)
		fill_from[i].word = (unsigned)tid | fill_bits;
	if (fill_ro) {
		unsigned long page = (unsigned long)fill_ro & ~(PGSIZE - 1);

		sys3(SYS_mprotect, page, PGSIZE, PROT_READ | PROT_WRITE);
		fill_ro->word = (unsigned)tid;
		sys3(SYS_mprotect, page, PGSIZE, PROT_READ);
	}
	robust_exit(0);
}

static long
run_owner(struct rentry *e, int n)
{
	static volatile int ctid;
	long tid;

	fill_from = e;
	fill_count = n;
	robust_ret = 1;
	ctid = -1;
	tid = h_clone(THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
	    stacks[0] + STACK_SIZE, (void *)&ctid, (void *)&ctid, 0, robust_owner, 0);
	if (tid <= 0 || h_thread_join(&ctid) != 0 || robust_ret != 0)
		return -1;
	return tid;
}

/* A list longer than Linux walks: the first 2048 entries' owners marked dead, no more. */
static void
t_robust_long(void)
{
	int died = 0, kept = 0;
	long tid;

	for (int i = 0; i < NCHAIN; i++)
		chain[i].next = i + 1 < NCHAIN ? &chain[i + 1] : (struct rentry *)&rhead;
	rhead.list = &chain[0];
	rhead.offset = 8;
	rhead.pending = 0;
	CHECK((tid = run_owner(chain, NCHAIN)) > 0, "the thread did not run or end");
	for (int i = 0; i < NCHAIN; i++) {
		if (chain[i].word == FUTEX_OWNER_DIED)
			died++;
		else if (chain[i].word == (unsigned)tid)
			kept++;
	}
	CHECK(died == ROBUST_LIST_LIMIT && kept == NCHAIN - ROBUST_LIST_LIMIT,
	    "%d marked dead, %d kept (want %d, %d)", died, kept, ROBUST_LIST_LIMIT,
	    NCHAIN - ROBUST_LIST_LIMIT);
	CHECK(chain[ROBUST_LIST_LIMIT - 1].word == FUTEX_OWNER_DIED &&
	    chain[ROBUST_LIST_LIMIT].word == (unsigned)tid, "not the first 2048");
}

/* A cycle that never comes back to the head: the walk ends all the same. */
static void
t_robust_cycle(void)
{
	chain[0].next = &chain[1];
	chain[1].next = &chain[2];
	chain[2].next = &chain[0];
	/* A self-loop further on is never reached. */
	rhead.list = &chain[0];
	rhead.offset = 8;
	rhead.pending = 0;
	CHECK(run_owner(chain, 3) > 0, "the thread did not run or end");
	for (int i = 0; i < 3; i++)
		CHECK(chain[i].word == FUTEX_OWNER_DIED, "entry %d: %#x", i, chain[i].word);
	chain[0].next = &chain[0];
	CHECK(run_owner(chain, 1) > 0, "a self-loop: the thread did not end");
	CHECK(chain[0].word == FUTEX_OWNER_DIED, "self-loop entry: %#x", chain[0].word);
}

/* Heads and links that point nowhere: the thread ends, nothing else happens. */
static void
t_robust_garbage(void)
{
	INIT();
	for (int k = 0; k < H_NBAD; k++) {
		/* The head itself. */
		robust_ret = 1;
		CHECK_EQ(sys2(SYS_set_robust_list, h_bad[k], sizeof rhead), 0);
		/* Its link, and a link further on. */
		chain[0].next = (struct rentry *)h_bad[k];
		rhead.list = &chain[0];
		rhead.offset = 8;
		rhead.pending = 0;
		CHECK(run_owner(chain, 1) > 0, "a link to %s: the thread did not end",
		    h_bad_name[k]);
		CHECK(chain[0].word == FUTEX_OWNER_DIED, "the entry before %s: %#x",
		    h_bad_name[k], chain[0].word);
		rhead.list = (void *)h_bad[k];
		CHECK(run_owner(chain, 0) > 0, "a list at %s: the thread did not end",
		    h_bad_name[k]);
		chain[0].next = (struct rentry *)&rhead;
		rhead.list = &chain[0];
		rhead.pending = (void *)h_bad[k];
		CHECK(run_owner(chain, 1) > 0, "pending at %s: the thread did not end",
		    h_bad_name[k]);
	}
	/* An offset that takes every word outside the user half. */
	chain[0].next = (struct rentry *)&rhead;
	rhead.list = &chain[0];
	rhead.offset = (long)A_NONCANON_HI;
	rhead.pending = 0;
	CHECK(run_owner(chain, 1) > 0, "a huge offset: the thread did not end");
	CHECK_EQ(sys2(SYS_set_robust_list, &rhead, sizeof rhead - 1), -EINVAL);
	CHECK_EQ(sys2(SYS_set_robust_list, &rhead, sizeof rhead + 8), -EINVAL);
}

/*
 * Linux's walk stops at the first word it cannot use: unaligned, or one it
 * cannot write (read-only); the entries after it, and the pending one,
 * keep their owner.
 */
static void
t_robust_stops(void)
{
	static char odd[64] __attribute__((aligned(8)));
	struct rentry *u = (struct rentry *)(odd + 2), *ro;
	long tid;

	INIT();
	/* chain[0] -> u (word unaligned) -> chain[1]; pending chain[2]. */
	chain[0].next = u;
	u->next = &chain[1];
	chain[1].next = (struct rentry *)&rhead;
	rhead.list = &chain[0];
	rhead.offset = 8;
	rhead.pending = &chain[2];
	CHECK((tid = run_owner(chain, 3)) > 0, "the thread did not end");
	CHECK(chain[0].word == FUTEX_OWNER_DIED, "before the unaligned word: %#x", chain[0].word);
	CHECK(chain[1].word == (unsigned)tid, "after the unaligned word: %#x", chain[1].word);
	CHECK(chain[2].word == (unsigned)tid, "pending after an early stop: %#x",
	    chain[2].word);
	/* chain[0] -> ro (read-only, its word the owner's) -> chain[1]. */
	ro = (struct rentry *)h_ro;
	CHECK(sys_mprotect(h_ro, PGSIZE, PROT_READ | PROT_WRITE) == 0, "mprotect");
	ro->next = &chain[1];
	CHECK(sys_mprotect(h_ro, PGSIZE, PROT_READ) == 0, "mprotect");
	chain[0].next = ro;
	rhead.pending = 0;
	fill_ro = ro;
	tid = run_owner(chain, 2);
	fill_ro = 0;
	CHECK(tid > 0, "the thread did not end");
	CHECK(chain[0].word == FUTEX_OWNER_DIED, "before the read-only word: %#x",
	    chain[0].word);
	CHECK(ro->word == (unsigned)tid, "the read-only word: %#x", ro->word);
	CHECK(chain[1].word == (unsigned)tid, "after the read-only word: %#x", chain[1].word);
}

/*
 * The pending entry: released when the list is empty, its waiters bit
 * kept; one whose word names another owner is left alone.
 */
static void
t_robust_pending(void)
{
	rhead.list = &rhead;
	rhead.offset = 8;
	rhead.pending = &chain[0];
	fill_bits = FUTEX_WAITERS;
	CHECK(run_owner(chain, 1) > 0, "the thread did not end");
	fill_bits = 0;
	CHECK(chain[0].word == (FUTEX_OWNER_DIED | FUTEX_WAITERS), "pending: %#x",
	    chain[0].word);
	chain[0].word = 1;	/* init's */
	CHECK(run_owner(chain, 0) > 0, "the thread did not end");
	CHECK(chain[0].word == 1, "pending of another owner: %#x", chain[0].word);
}

/* get_robust_list: bad pointers, the length first; threads that are not there. */
static void
t_get_robust_list(void)
{
	unsigned long head = 0x1234;
	size_t len = 0;

	INIT();
	CHECK_EQ(sys2(SYS_set_robust_list, &rhead, sizeof rhead), 0);
	CHECK_EFAULT(sys3(SYS_get_robust_list, 0, P, &len));
	CHECK_EFAULT(sys3(SYS_get_robust_list, 0, &head, P));
	CHECK(head == 0x1234, "a bad length pointer, yet the head was written");
	CHECK_ERR(sys3(SYS_get_robust_list, 0, &head, h_ro), EFAULT);
	CHECK_EQ(sys3(SYS_get_robust_list, 0, &head, &len), 0);
	CHECK(head == (unsigned long)&rhead && len == sizeof rhead, "head %#lx len %zu", head,
	    len);
	CHECK_ERR(sys3(SYS_get_robust_list, 0x7ffffff0, &head, &len), ESRCH);
	CHECK_ERR(sys3(SYS_get_robust_list, -1, &head, &len), ESRCH);
}

/* ---- rt_sigtimedwait ---- */

static void
t_sigtimedwait(void)
{
	unsigned long set = 1UL << (SIGUSR1 - 1), pend;
	struct kts zero = { 0, 0 }, bad = { 0, 1000000000 }, neg = { -1, 0 };
	char info[128];

	INIT();
	CHECK_EQ(sys4(SYS_rt_sigprocmask, SIG_BLOCK, &set, 0, 8), 0);
	CHECK_EFAULT(sys4(SYS_rt_sigtimedwait, P, 0, &zero, 8));
	CHECK_EFAULT_NN(sys4(SYS_rt_sigtimedwait, &set, 0, P, 8));
	CHECK_ERR(sys4(SYS_rt_sigtimedwait, &set, 0, h_guard - 8, 8), EFAULT);
	CHECK_ERR(sys4(SYS_rt_sigtimedwait, h_guard - 4, 0, &zero, 8), EFAULT);
	/* The size first, then the set, then the timeout, then its values. */
	CHECK_ERR(sys4(SYS_rt_sigtimedwait, A_KHALF, 0, &zero, 4), EINVAL);
	CHECK_ERR(sys4(SYS_rt_sigtimedwait, A_KHALF, 0, A_KHALF, 8), EFAULT);
	CHECK_ERR(sys4(SYS_rt_sigtimedwait, &set, 0, &bad, 8), EINVAL);
	CHECK_ERR(sys4(SYS_rt_sigtimedwait, &set, 0, &neg, 8), EINVAL);
	/* Nothing pending: the info pointer is never used. */
	for (int k = 0; k < H_NBAD; k++)
		CHECK_EQ(sys4(SYS_rt_sigtimedwait, &set, h_bad[k], &zero, 8), -EAGAIN);
	/* A pending signal with nowhere to put its info: taken all the same, -EFAULT. */
	for (int k = 1; k < H_NBAD; k++) {
		CHECK_EQ(sys3(SYS_tgkill, sys_getpid(), gettid(), SIGUSR1), 0);
		CHECK_EQ(sys4(SYS_rt_sigtimedwait, &set, h_bad[k], &zero, 8), -EFAULT);
		CHECK_EQ(sys2(SYS_rt_sigpending, &pend, 8), 0);
		CHECK(!(pend & set), "SIGUSR1 still pending after -EFAULT (%s)", h_bad_name[k]);
	}
	CHECK_EQ(sys3(SYS_tgkill, sys_getpid(), gettid(), SIGUSR1), 0);
	CHECK_ERR(sys4(SYS_rt_sigtimedwait, &set, h_ro, &zero, 8), EFAULT);
	CHECK_EQ(sys3(SYS_tgkill, sys_getpid(), gettid(), SIGUSR1), 0);
	CHECK_EQ(sys4(SYS_rt_sigtimedwait, &set, h_guard - sizeof info, &zero, 8), SIGUSR1);
	CHECK_EQ(sys3(SYS_tgkill, sys_getpid(), gettid(), SIGUSR1), 0);
	CHECK_ERR(sys4(SYS_rt_sigtimedwait, &set, h_guard - sizeof info + 8, &zero, 8), EFAULT);
}

/* ---- tgkill across processes ---- */

static volatile int *shared_tid;

static void
sleep_long(void *a)
{
	(void)a;
	ut_sleep_ms(10000);
}

/* A child with a second thread: it tells its tid through shared memory. */
static void
c_two_threads(void *a)
{
	static volatile int ctid;
	long tid;

	(void)a;
	tid = h_thread_start(0, sleep_long, 0, &ctid);
	*shared_tid = (int)tid;
	ut_sleep_ms(10000);
}

static void
t_tgkill_other(void)
{
	static volatile int ctid;
	long me = sys_getpid(), pid, other, tid;
	long long deadline;
	int st;

	shared_tid = (volatile int *)sys_mmap(0, PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK((long)shared_tid > 0, "mmap shared");
	*shared_tid = 0;
	CHECK_OK(pid, ut_spawn(c_two_threads, 0));
	for (deadline = ut_now_ns() + 5000000000LL; *shared_tid == 0 && ut_now_ns() < deadline;)
		ut_sleep_ms(5);
	other = *shared_tid;
	CHECK(other > 0, "the child's thread: %ld", other);
	/* Another process's threads are not ours; with the right tgid they are found. */
	CHECK_ERR(sys3(SYS_tgkill, me, other, 0), ESRCH);
	CHECK_ERR(sys3(SYS_tgkill, me, pid, 0), ESRCH);
	CHECK_ERR(sys3(SYS_tgkill, pid, me, 0), ESRCH);
	CHECK_EQ(sys3(SYS_tgkill, pid, other, 0), 0);
	CHECK_EQ(sys3(SYS_tgkill, pid, pid, 0), 0);
	CHECK_EQ(sys2(SYS_tkill, other, 0), 0);
	/* Our own thread: found while it lives, -ESRCH once it ended. */
	CHECK_OK(tid, h_thread_start(1, do_nothing, 0, &ctid));
	CHECK(h_thread_join(&ctid) == 0, "thread did not end");
	CHECK(thread_gone(tid), "tgkill still finds thread %ld", tid);
	CHECK_ERR(sys3(SYS_tgkill, pid, tid, 0), ESRCH);
	/* Bad numbers: -EINVAL before any lookup, a bad signal only once found. */
	CHECK_ERR(sys3(SYS_tgkill, 0, me, 0), EINVAL);
	CHECK_ERR(sys3(SYS_tgkill, -1, me, 0), EINVAL);
	CHECK_ERR(sys3(SYS_tgkill, me, 0, 0), EINVAL);
	CHECK_ERR(sys3(SYS_tgkill, me, -5, 0), EINVAL);
	CHECK_ERR(sys2(SYS_tkill, 0, 0), EINVAL);
	CHECK_ERR(sys2(SYS_tkill, -1, SIGKILL), EINVAL);
	CHECK_ERR(sys3(SYS_tgkill, me, me, 65), EINVAL);
	CHECK_ERR(sys3(SYS_tgkill, me, me, -1), EINVAL);
	CHECK_ERR(sys3(SYS_tgkill, me, other, 65), ESRCH);
	CHECK_ERR(sys2(SYS_tkill, 0x7ffffff0, 65), ESRCH);
	sys_kill(pid, SIGKILL);
	CHECK_EQ(ut_wait(pid, &st), 0);
	CHECK_ERR(sys3(SYS_tgkill, pid, other, 0), ESRCH);
	sys_munmap((void *)shared_tid, PGSIZE);
}

const struct htest thread_tests[] = {
	{ "futex, each command, private and shared, with bad words -> -EFAULT or nobody",
	  t_futex_bad_word, 0 },
	{ "futex on read-only, PROT_NONE and text words; WAKE_OP cannot write them",
	  t_futex_protected_word, 0 },
	{ "futex on words whose pages are not there yet: fresh, or given back",
	  t_futex_fresh_page, 0 },
	{ "futex on unaligned words -> -EINVAL, in Linux's order of checks", t_futex_unaligned, 0 },
	{ "futex with bad timeout pointers -> -EFAULT first; REQUEUE's count is 32 bits",
	  t_futex_bad_timeout, 0 },
	{ "FUTEX_WAKE_OP: bad operations and comparisons, shifts past 31", t_futex_wake_op, 0 },
	{ "FUTEX_WAKE of 0 or a negative count wakes one", t_futex_wake_counts, 0 },
	{ "clone: THREAD without SIGHAND, SIGHAND without VM -> EINVAL; kernel TLS -> EPERM",
	  t_clone_bad_flags, 0 },
	{ "clone with bad PARENT_SETTID/CHILD_SETTID/CLEARTID pointers: runs, ignored",
	  t_clone_bad_tid_ptrs, 0 },
	{ "robust list of 5000 entries: 2048 released, as Linux's limit", t_robust_long, 0 },
	{ "robust list that cycles: the exit ends", t_robust_cycle, 0 },
	{ "robust list heads, links and offsets into garbage: the exit ends", t_robust_garbage,
	  0 },
	{ "robust list walk stops at an unaligned or read-only word", t_robust_stops, 0 },
	{ "robust list's pending entry released", t_robust_pending, 0 },
	{ "get_robust_list with bad pointers -> -EFAULT, length first", t_get_robust_list, 0 },
	{ "rt_sigtimedwait with bad set, timeout, info -> -EFAULT (signal taken)",
	  t_sigtimedwait, 0 },
	{ "tgkill of another process's thread -> -ESRCH; bad ids -> -EINVAL", t_tgkill_other, 0 },
	{ 0, 0, 0 },
};
