/*
 * fuzz_thread.c: the thread calls of the fuzzer (fuzz.h): futex, clone,
 * tgkill, tkill, rt_sigtimedwait, set_robust_list and get_robust_list,
 * their arguments drawn here (thread_args) and clone made here
 * (thread_clone).
 *
 * The threads it starts run no C: on a stack of their own, a few raw
 * calls (set_robust_list of a list that may be garbage, a FUTEX_WAIT of a
 * few milliseconds on the word the fuzzed futex calls aim at), then
 * exit(2) with any code: one thread ends, the process goes on.  Most
 * clones are such threads, each on a stack of the pool whose slot is free
 * again when the kernel clears the slot's CLONE_CHILD_CLEARTID word;
 * the rest have flags, stacks and pointers drawn at random (their child
 * exits at once, on a scratch stack it never touches).
 *
 * What is kept from them: CLONE_PARENT (the supervisor would reap the
 * child); exit signals and tgkill/tkill signals that terminate, except
 * to the last child process; a FUTEX_WAIT without a short timeout; the
 * PI lock commands, which wait for an owner; rt_sigtimedwait without a
 * short timeout.
 */
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include "fuzz.h"

#define CLONE_VM		0x00000100L
#define CLONE_FS		0x00000200L
#define CLONE_FILES		0x00000400L
#define CLONE_SIGHAND		0x00000800L
#define CLONE_PIDFD		0x00001000L
#define CLONE_PTRACE		0x00002000L
#define CLONE_VFORK		0x00004000L
#define CLONE_PARENT		0x00008000L
#define CLONE_THREAD		0x00010000L
#define CLONE_NEWNS		0x00020000L
#define CLONE_SYSVSEM		0x00040000L
#define CLONE_SETTLS		0x00080000L
#define CLONE_PARENT_SETTID	0x00100000L
#define CLONE_CHILD_CLEARTID	0x00200000L
#define CLONE_DETACHED		0x00400000L
#define CLONE_UNTRACED		0x00800000L
#define CLONE_CHILD_SETTID	0x01000000L
#define CLONE_NEWUTS		0x04000000L
#define CLONE_NEWIPC		0x08000000L
#define CLONE_NEWUSER		0x10000000L
#define CLONE_NEWPID		0x20000000L
#define CLONE_NEWNET		0x40000000L
#define CLONE_IO		0x80000000L
#define THREAD_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
			 CLONE_SYSVSEM)

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_FD		2
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_LOCK_PI2		13
#define FUTEX_PRIVATE		128
#define FUTEX_CLOCK_REALTIME	256
#define FUTEX_CMD_MASK		(~(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME))

#define NSLOT		16
#define SLOT_STACK	16384
static char slot_stack[NSLOT][SLOT_STACK] __attribute__((aligned(16)));
/* A slot's thread's tid (PARENT_SETTID), cleared by the kernel at its exit. */
static volatile int slot_tid[NSLOT];
static char scratch_stack[SLOT_STACK] __attribute__((aligned(16)));

struct kts { long sec, nsec; };
/* Timeouts that end soon: relative, or absolute and long past. */
static const struct kts short_ts[] = { { 0, 0 }, { 0, 1000 }, { 0, 500000 }, { 0, 2000000 },
	{ 0, 10000000 } };
static const struct kts odd_ts[] = { { 0, 1000000000 }, { -1, 0 }, { 0, -1 }, { LONG_MIN, 0 } };

/* What thread_clone gives the child: robust list, exit code, futex word, timeout. */
static long child_robust, child_code, child_word, child_ts;

/* The word the threads wait on and the fuzzed futex calls often aim at. */
static unsigned long
futex_word(void)
{
	return (unsigned long)arena + 64 + 4 * rn(4);
}

static int
harmless(long sig)
{
	return sig == 0 || sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

/* A tid to aim at: ours, a thread of ours, the last child, anything. */
static long
any_tid(void)
{
	long t;

	switch (rn(6)) {
	case 0: return sys0(SYS_gettid);
	case 1:
	case 2:
		t = slot_tid[rn(NSLOT)];
		return t > 0 ? t : sys_getpid();
	case 3: return last_child;
	default: return any_pid();
	}
}

/* A signal for tgkill/tkill at tid: one that ends a process only for the last child. */
static long
tkill_sig(long tid)
{
	long sig = any_sig();

	if (sig >= 1 && sig <= 64 && !harmless(sig) && (tid != last_child || last_child <= 0))
		sig = 0;
	return sig;
}

/* A timeout for a wait: short mostly; odd, or a pointer to nothing, sometimes. */
static unsigned long
wait_ts(void)
{
	if (chance(85))
		return (unsigned long)&short_ts[rn(sizeof short_ts / sizeof short_ts[0])];
	if (chance(50))
		return (unsigned long)&odd_ts[rn(sizeof odd_ts / sizeof odd_ts[0])];
	return ptr_of(PICK(((const int[]){ K_KHALF, K_KTEXT, K_NONCANON, K_UNMAPPED, K_NONE,
	    K_TOP })), 16);
}

/*
 * A robust list in the arena's second page: entries linked in order, into
 * a cycle, to bad memory or back to the head, some marked PI, with futex
 * words that may hold our tid.  Or any pointer.
 */
static unsigned long
any_robust(void)
{
	unsigned long *head, *e;
	int n = (int)rn(8);

	if (chance(30))
		return any_ptr(24);
	head = (unsigned long *)(arena + PGSIZE + 8 * rn(8));
	e = head + 3;
	head[0] = (unsigned long)e | rn(2);
	head[1] = chance(80) ? 8 : (unsigned long)any_int();
	head[2] = chance(70) ? 0 : chance(50) ? (unsigned long)e : any_ptr(8);
	for (int i = 0; i < n; i++, e += 2) {
		e[0] = i + 1 < n ? (unsigned long)(e + 2) | (chance(10) ? 1 : 0) :
		    chance(60) ? (unsigned long)head : chance(50) ? (unsigned long)(head + 3) :
		    any_ptr(8);
		e[1] = chance(50) ? (unsigned long)sys0(SYS_gettid) | (chance(30) ? 0x80000000UL : 0) :
		    r64();
	}
	return (unsigned long)head;
}

/* Fill a for a thread call nr: 1 if nr is one of them. */
int
thread_args(long nr, long *a)
{
	long op;
	int slot, cmd;

	switch (nr) {
	case SYS_futex:
		a[0] = chance(40) ? (long)futex_word() : (long)any_ptr(4);
		if (chance(85)) {
			op = PICK(((const long[]){ FUTEX_WAIT, FUTEX_WAKE, FUTEX_REQUEUE,
			    FUTEX_CMP_REQUEUE, FUTEX_WAKE_OP, FUTEX_WAIT_BITSET, FUTEX_WAKE_BITSET,
			    FUTEX_WAKE, FUTEX_UNLOCK_PI, FUTEX_TRYLOCK_PI, FUTEX_CMP_REQUEUE_PI,
			    FUTEX_FD, 14, 99 }));
			op |= (chance(50) ? FUTEX_PRIVATE : 0) | (chance(10) ? FUTEX_CLOCK_REALTIME : 0);
		} else {
			op = any_int();
		}
		/* The kernel's command: the int's low bits. */
		cmd = (int)op & FUTEX_CMD_MASK;
		/* Commands that would wait for an owner, or forever. */
		if (cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_WAIT_REQUEUE_PI)
			op = cmd = FUTEX_WAKE;
		a[1] = op;
		a[2] = chance(50) ? (long)rn(3) : any_int();
		switch (cmd) {
		case FUTEX_WAIT:
		case FUTEX_WAIT_BITSET:
			a[3] = (long)wait_ts();
			break;
		default:
			a[3] = chance(70) ? (long)rn(4) : any_int();	/* a count */
			break;
		}
		a[4] = chance(40) ? (long)futex_word() : (long)any_ptr(4);
		a[5] = chance(50) ? (long)(r64() & 0xffffffffUL) : chance(50) ? -1 : (long)rn(4);
		return 1;
	case SYS_clone:
		child_robust = chance(30) ? (long)any_robust() : 0;
		child_code = any_int();
		child_word = 0;
		child_ts = 0;
		for (slot = 0; slot < NSLOT && slot_tid[slot] != 0; slot++)
			;
		if (slot < NSLOT && chance(70)) {
			/* A thread on a free slot of the pool, which waits a moment. */
			a[0] = THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
			if (chance(30))
				a[0] |= PICK(((const long[]){ CLONE_SETTLS, CLONE_CHILD_SETTID,
				    CLONE_DETACHED, CLONE_UNTRACED, CLONE_IO, CLONE_PTRACE }));
			a[0] |= chance(80) ? 0 : (long)rn(256);		/* CSIGNAL: ignored */
			a[1] = (long)(slot_stack[slot] + SLOT_STACK);
			a[2] = a[3] = (long)&slot_tid[slot];
			a[4] = chance(50) ? (long)fsbase : (long)any_ptr(8);
			slot_tid[slot] = -1;
			child_word = chance(70) ? (long)futex_word() : (long)any_ptr(4);
			child_ts = (long)wait_ts();
			return 1;
		}
		/* Anything else: the child exits at once. */
		if (chance(60)) {
			static const long bits[] = { CLONE_VM, CLONE_FS, CLONE_FILES, CLONE_SIGHAND,
				CLONE_PIDFD, CLONE_PTRACE, CLONE_VFORK, CLONE_THREAD, CLONE_NEWNS,
				CLONE_SYSVSEM, CLONE_SETTLS, CLONE_PARENT_SETTID, CLONE_CHILD_CLEARTID,
				CLONE_DETACHED, CLONE_UNTRACED, CLONE_CHILD_SETTID, CLONE_NEWUTS,
				CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_IO };

			a[0] = chance(50) ? THREAD_FLAGS : 0;
			for (int i = (int)rn(5); i > 0; i--)
				a[0] ^= PICK(bits);
		} else {
			a[0] = any_int();
		}
		a[0] &= ~CLONE_PARENT;
		if ((a[0] & 0xff) >= 1 && (a[0] & 0xff) <= 64 && !harmless(a[0] & 0xff))
			a[0] = (a[0] & ~0xffL) | SIGCHLD;
		a[1] = chance(70) ? (long)(scratch_stack + SLOT_STACK) : chance(50) ? 0 : any_addr();
		a[2] = (long)any_ptr(8);
		a[3] = (long)any_ptr(8);
		a[4] = chance(30) ? (long)fsbase : (long)any_ptr(8);
		return 1;
	case SYS_tgkill:
		a[1] = any_tid();
		a[0] = chance(60) ? sys_getpid() : chance(50) ? a[1] : any_pid();
		a[2] = tkill_sig(a[1]);
		return 1;
	case SYS_tkill:
		a[0] = any_tid();
		a[1] = tkill_sig(a[0]);
		return 1;
	case SYS_rt_sigtimedwait:
		a[0] = (long)any_sigset();
		a[1] = (long)any_ptr(128);
		a[2] = (long)wait_ts();
		a[3] = chance(85) ? 8 : any_int();
		return 1;
	case SYS_set_robust_list:
		a[0] = (long)any_robust();
		a[1] = chance(85) ? 24 : any_int();
		return 1;
	case SYS_get_robust_list:
		a[0] = chance(40) ? 0 : any_tid();
		a[1] = (long)any_ptr(8);
		a[2] = (long)any_ptr(8);
		return 1;
	}
	return 0;
}

/*
 * clone with the arguments in a: the child sets its robust list, waits a
 * moment on a futex word, and exits, never returning here (a fork-style
 * child the same: its exit ends it).  The parent gets clone's result.
 */
long
thread_clone(const long *a)
{
	register long r10 __asm__("r10") = a[3];
	register long r8 __asm__("r8") = a[4];
	register long r12 __asm__("r12") = child_robust;
	register long r13 __asm__("r13") = child_code;
	register long r14 __asm__("r14") = child_word;
	register long r15 __asm__("r15") = child_ts;
	long ret;

	__asm__ volatile(
	    "syscall\n\t"
	    "test %%rax, %%rax\n\t"
	    "jnz 1f\n\t"
	    "test %%r12, %%r12\n\t"
	    "jz 2f\n\t"
	    "mov $273, %%eax\n\t"	/* set_robust_list(r12, 24) */
	    "mov %%r12, %%rdi\n\t"
	    "mov $24, %%esi\n\t"
	    "syscall\n"
	    "2:\n\t"
	    "test %%r14, %%r14\n\t"
	    "jz 3f\n\t"
	    "mov $202, %%eax\n\t"	/* futex(r14, FUTEX_WAIT_PRIVATE, 0, r15) */
	    "mov %%r14, %%rdi\n\t"
	    "mov $128, %%esi\n\t"
	    "xor %%edx, %%edx\n\t"
	    "mov %%r15, %%r10\n\t"
	    "syscall\n"
	    "3:\n\t"
	    "mov $60, %%eax\n\t"	/* exit(r13): this thread */
	    "mov %%r13, %%rdi\n\t"
	    "syscall\n\t"
	    "ud2\n"
	    "1:"
	    : "=a"(ret)
	    : "a"((long)SYS_clone), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8),
	      "r"(r12), "r"(r13), "r"(r14), "r"(r15)
	    : "rcx", "r11", "memory");
	/* A slot whose clone failed is free again. */
	for (int i = 0; i < NSLOT; i++)
		if (a[2] == (long)&slot_tid[i] && slot_tid[i] == -1 && ret < 0)
			slot_tid[i] = 0;
	return ret;
}
