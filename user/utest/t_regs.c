/*
 * t_regs.c: the whole user context across signals, system calls and
 * exec: every general register, RFLAGS (with AC and DF), the SSE and AVX
 * registers and the segment bases come back as they were, or as Linux
 * defines them (rax the result; rcx and r11 after `syscall` its return
 * address and RFLAGS); the signal frame carries the FPU state in Linux's
 * XSAVE layout, which a handler may read and change, and a corrupt image
 * fails the return; a new program starts with zeros (regcheck).
 *
 * regsig.S loads struct uregs into the registers, runs one event (ring-3
 * spinning that signals interrupt, int $0x80, syscall) and compares.
 * Every test runs in children, so no handler or register state outlives it.
 *
 * Interface: regs_tests[] (utest.h).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include "utest.h"

/* Handlers and children have fixed signatures; most ignore an argument. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

/* regsig.S's image of the registers. */
struct uregs {
	uint64_t gpr[15];	/* rax rbx rcx rdx rsi rdi rbp r8-r15 */
	uint64_t rflags;
	uint8_t vec[16][32];	/* ymm0-15 (the low 16 bytes: xmm) */
};
_Static_assert(sizeof(struct uregs) == 640, "regsig.S U_SIZE");
enum { RAX, RBX, RCX, RDX, RSI, RDI, RBP, R8, R9, R10, R11, R12, R13, R14, R15 };
static const char *const gpr_name[15] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11",
	"r12", "r13", "r14", "r15",
};

enum { REGS_SPIN, REGS_INT80, REGS_SYSCALL };
extern struct uregs regs_load, regs_want, regs_got;
extern volatile long regs_avx, regs_count, regs_until;
extern char regs_after_syscall[];
long regs_run(long mode);
void regs_trash(void);

/* CF PF AF ZF SF IF DF OF AC, and bit 1: what the code under test runs with. */
#define TEST_RFLAGS	0x40ed7UL
#define RFLAGS_AC	0x40000UL

#define SYS32_READ	3
#define SYS32_KILL	37
#define SYS32_EXECVE	11
#define ARCH_SET_GS	0x1001
#define ARCH_GET_GS	0x1004
#define UC_FP_XSTATE	0x1
#define FP_XSTATE_MAGIC1 0x46505853U
#define FP_XSTATE_MAGIC2 0x46505845U

static void
cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(sub));
}

/* XCR0 when the OS enabled XSAVE (CPUID.1:ECX.OSXSAVE), else 0. */
static uint64_t
xcr0(void)
{
	uint32_t r[4], lo, hi;

	cpuid(1, 0, r);
	if (!(r[2] & (1U << 27)))
		return 0;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return lo | (uint64_t)hi << 32;
}

static int
have_avx(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return (r[2] & (1U << 28)) && (xcr0() & 6) == 6;
}

/* Distinct values everywhere, from seed; rflags TEST_RFLAGS; want = load. */
static void
regs_fill(uint64_t seed)
{
	memset(&regs_load, 0, sizeof regs_load);
	for (int i = 0; i < 15; i++)
		regs_load.gpr[i] = seed * 0x0101010101010101ULL + (uint64_t)i * 0x1111;
	regs_load.rflags = TEST_RFLAGS;
	for (int v = 0; v < 16; v++)
		for (int b = 0; b < 32; b++)
			regs_load.vec[v][b] = (uint8_t)(seed * 7 + v * 32 + b + 1);
	regs_avx = have_avx();
	if (!regs_avx)
		for (int v = 0; v < 16; v++)
			memset(regs_load.vec[v] + 16, 0, 16);
	regs_want = regs_load;
	regs_got = regs_load;	/* the halves regs_run does not store */
	regs_count = 0;
}

/* "rcx = 0x... want 0x..." for the first difference regs_run found. */
static const char *
regs_diff(long r)
{
	static char buf[160];
	long off = r - 1;

	if (off < 120) {
		int i = (int)(off / 8);

		snprintf(buf, sizeof buf, "%s = %#lx, want %#lx", gpr_name[i],
		    (unsigned long)regs_got.gpr[i], (unsigned long)regs_want.gpr[i]);
	} else if (off < 128) {
		snprintf(buf, sizeof buf, "rflags = %#lx, want %#lx",
		    (unsigned long)regs_got.rflags, (unsigned long)regs_want.rflags);
	} else {
		int v = (int)((off - 128) / 32), b = (int)((off - 128) % 32);

		snprintf(buf, sizeof buf, "%s%d byte %d = %#x, want %#x",
		    b < 16 ? "xmm" : "ymm", v, b, regs_got.vec[v][b], regs_want.vec[v][b]);
	}
	return buf;
}

static void
on_count(int sig)
{
	regs_trash();
	regs_count++;
}

static void
catch(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa = { 0 };

	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	CCHECK(sigaction(sig, &sa, 0) == 0, "sigaction %d failed", sig);
}

/* ---- (a) signals that interrupt ring 3: three processes, different values ---- */

#define ASYNC_SIGNALS	40

static int ready_pipe[2];

static void
c_spin(void *arg)
{
	long r;

	catch(SIGUSR1, on_count, SA_RESTART);
	CCHECK_EQ(sys_write(ready_pipe[1], "r", 1), 1);	/* signals may come now */
	regs_fill((uint64_t)(long)arg);
	regs_until = ASYNC_SIGNALS;
	r = regs_run(REGS_SPIN);
	CCHECK(r == 0, "after %ld signals: %s", regs_count, regs_diff(r));
}

static void
t_async(void)
{
	long pids[3];
	int st, done[3] = { 0 }, left = 3;
	long long deadline = ut_now_ns() + 60LL * 1000000000;

	char c;

	CHECK_EQ(sys2(SYS_pipe2, ready_pipe, 0), 0);
	for (int i = 0; i < 3; i++)
		CHECK_OK(pids[i], ut_spawn(c_spin, (void *)(long)(i + 1)));
	for (int i = 0; i < 3; i++)
		CHECK_EQ(sys_read(ready_pipe[0], &c, 1), 1);
	sys_close(ready_pipe[0]);
	sys_close(ready_pipe[1]);
	/*
	 * A signal each, then a sleep: the children run meanwhile, and the
	 * next round's signals reach each one wherever its loop was when the
	 * timer took the CPU away (on one CPU) or at once (on several).
	 */
	while (left > 0 && ut_now_ns() < deadline) {
		for (int i = 0; i < 3; i++)
			if (!done[i])
				sys_kill(pids[i], SIGUSR1);
		ut_sleep_ms(5);
		for (int i = 0; i < 3; i++) {
			if (!done[i] && sys_wait4(pids[i], &st, WNOHANG) == pids[i]) {
				done[i] = 1;
				left--;
				CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
				    "child %d %s", i, ut_status_str(st));
			}
		}
	}
	for (int i = 0; i < 3; i++)
		if (!done[i])
			sys_kill(pids[i], SIGKILL);
	CHECK(left == 0, "%d children still spinning after 60 s", left);
}

/* ---- (d) 10,000 signals in a row: kill(self) by int $0x80, then syscall ---- */

static void
c_kill_self(void *arg)
{
	long r, pid = sys_getpid(), n = (long)arg;

	catch(SIGUSR1, on_count, 0);
	regs_fill(0x21);
	/* int $0x80 keeps every register but rax, the result. */
	regs_load.gpr[RAX] = SYS32_KILL;
	regs_load.gpr[RBX] = (uint64_t)pid;
	regs_load.gpr[RCX] = SIGUSR1;
	regs_want = regs_load;
	regs_want.gpr[RAX] = 0;
	regs_until = n / 2;
	r = regs_run(REGS_INT80);
	CCHECK(r == 0, "int $0x80 kill, signal %ld: %s", regs_count, regs_diff(r));
	/* syscall: rcx and r11 become the return address and RFLAGS. */
	regs_fill(0x43);
	regs_load.gpr[RAX] = SYS_kill;
	regs_load.gpr[RDI] = (uint64_t)pid;
	regs_load.gpr[RSI] = SIGUSR1;
	regs_want = regs_load;
	regs_want.gpr[RAX] = 0;
	regs_want.gpr[RCX] = (uint64_t)regs_after_syscall;
	regs_want.gpr[R11] = TEST_RFLAGS;
	regs_count = n / 2;
	regs_until = n;
	r = regs_run(REGS_SYSCALL);
	CCHECK(r == 0, "syscall kill, signal %ld: %s", regs_count, regs_diff(r));
}

static void
t_kill_self(void)
{
	CHECK_EXIT(c_kill_self, (void *)10000L, 0);
}

/*
 * ---- (c) nested: each SIGUSR1 handler raises SIGUSR2, whose handler counts ----
 * (int $0x80, which keeps rcx and r11: a return that clobbers them shows.)
 */

static void
on_outer(int sig)
{
	regs_trash();
	sys_kill(sys_getpid(), SIGUSR2);	/* delivered at once: nested */
	regs_trash();
}

static void
c_nested(void *arg)
{
	long r;

	catch(SIGUSR1, on_outer, 0);
	catch(SIGUSR2, on_count, 0);
	regs_fill(0x65);
	regs_load.gpr[RAX] = SYS32_KILL;
	regs_load.gpr[RBX] = (uint64_t)sys_getpid();
	regs_load.gpr[RCX] = SIGUSR1;
	regs_want = regs_load;
	regs_want.gpr[RAX] = 0;
	regs_until = 1000;
	r = regs_run(REGS_INT80);
	CCHECK(r == 0, "nested, signal %ld: %s", regs_count, regs_diff(r));
}

static void
t_nested(void)
{
	CHECK_EXIT(c_nested, 0, 0);
}

/* ---- (b) a blocking read interrupted, with and without SA_RESTART ---- */

static char read_buf[16];	/* below 4 GiB: int $0x80 takes 32-bit pointers */
static int read_pipe[2];

struct intr_case {
	int mode, restart;
};

static void
c_read_intr(void *arg)
{
	const struct intr_case *c = arg;
	long r;

	catch(SIGUSR1, on_count, c->restart ? SA_RESTART : 0);
	regs_fill(0x87);
	if (c->mode == REGS_INT80) {
		regs_load.gpr[RAX] = SYS32_READ;
		regs_load.gpr[RBX] = (uint64_t)read_pipe[0];
		regs_load.gpr[RCX] = (uint64_t)read_buf;
		regs_load.gpr[RDX] = 1;
	} else {
		regs_load.gpr[RAX] = SYS_read;
		regs_load.gpr[RDI] = (uint64_t)read_pipe[0];
		regs_load.gpr[RSI] = (uint64_t)read_buf;
		regs_load.gpr[RDX] = 1;
	}
	regs_want = regs_load;
	regs_want.gpr[RAX] = c->restart ? 1 : (uint64_t)-EINTR;
	if (c->mode == REGS_SYSCALL) {
		regs_want.gpr[RCX] = (uint64_t)regs_after_syscall;
		regs_want.gpr[R11] = TEST_RFLAGS;
	}
	regs_until = 0;		/* once */
	r = regs_run(c->mode);
	CCHECK(r == 0, "%s read, %s: %s", c->mode == REGS_INT80 ? "int $0x80" : "syscall",
	    c->restart ? "SA_RESTART" : "no SA_RESTART", regs_diff(r));
	CCHECK(regs_count == 1, "the handler ran %ld times", regs_count);
}

static void
t_read_intr(void)
{
	static const struct intr_case cases[] = {
		{ REGS_SYSCALL, 0 }, { REGS_SYSCALL, 1 }, { REGS_INT80, 0 }, { REGS_INT80, 1 },
	};
	long pid;
	int st;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_EQ(sys2(SYS_pipe2, read_pipe, 0), 0);
		CHECK_OK(pid, ut_spawn(c_read_intr, (void *)&cases[i]));
		ut_sleep_ms(100);	/* asleep in read by now */
		CHECK_EQ(sys_kill(pid, SIGUSR1), 0);
		ut_sleep_ms(100);	/* restarted (or returned) by now */
		CHECK_EQ(sys_write(read_pipe[1], "x", 1), 1);
		CHECK_EQ(ut_wait(pid, &st), 0);
		sys_close(read_pipe[0]);
		sys_close(read_pipe[1]);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "case %zu: child %s", i,
		    ut_status_str(st));
	}
}

/* ---- the FPU state in the signal frame ---- */

static volatile uint32_t seen_flags, seen_magic1, seen_magic2, seen_size;
static volatile uint64_t seen_xfeatures, seen_rflags;
static volatile int seen_xmm0_ok, seen_ymm0_ok;
static uint32_t ymm_offset;	/* CPUID.(0xd, 2).EBX: the YMM component */

/* Reads the interrupted state from the frame and changes xmm1 and ymm1's upper half. */
static void
on_frame(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
	uint64_t fl;

	__asm__ volatile("pushfq; popq %0" : "=r"(fl));
	seen_rflags = fl;
	seen_flags = (uint32_t)uc->uc_flags;
	memcpy((void *)&seen_magic1, fp + 464, 4);
	memcpy((void *)&seen_size, fp + 464 + 16, 4);
	memcpy((void *)&seen_xfeatures, fp + 464 + 8, 8);
	if (seen_magic1 == FP_XSTATE_MAGIC1 && seen_size >= 576 && seen_size <= 1 << 16)
		memcpy((void *)&seen_magic2, fp + seen_size, 4);
	seen_xmm0_ok = memcmp(fp + 160, regs_load.vec[0], 16) == 0;
	memset(fp + 160 + 16, 0xa5, 16);		/* xmm1 */
	memset(regs_want.vec[1], 0xa5, 16);
	if (regs_avx && ymm_offset) {
		seen_ymm0_ok = memcmp(fp + ymm_offset, regs_load.vec[0] + 16, 16) == 0;
		memset(fp + ymm_offset + 16, 0x3c, 16);	/* ymm1's upper half */
		memset(regs_want.vec[1] + 16, 0x3c, 16);
	}
	regs_trash();
	regs_count++;
}

static void
c_frame(void *arg)
{
	struct sigaction sa = { 0 };
	uint32_t r[4];
	long res;

	sa.sa_sigaction = on_frame;
	sa.sa_flags = SA_SIGINFO;
	CCHECK(sigaction(SIGUSR1, &sa, 0) == 0, "sigaction");
	regs_fill(0x99);
	if (regs_avx) {
		cpuid(0xd, 2, r);
		ymm_offset = r[1];
	}
	regs_load.gpr[RAX] = SYS_kill;
	regs_load.gpr[RDI] = (uint64_t)sys_getpid();
	regs_load.gpr[RSI] = SIGUSR1;
	regs_want = regs_load;
	regs_want.gpr[RAX] = 0;
	regs_want.gpr[RCX] = (uint64_t)regs_after_syscall;
	regs_want.gpr[R11] = TEST_RFLAGS;
	regs_until = 1;
	res = regs_run(REGS_SYSCALL);
	CCHECK(regs_count == 1, "the handler ran %ld times", regs_count);
	/* As Linux: the handler runs with DF clear and AC as it was. */
	CCHECK((seen_rflags & (RFLAGS_AC | 0x400)) == RFLAGS_AC,
	    "handler's rflags %#lx: want AC kept, DF clear", (unsigned long)seen_rflags);
	CCHECK(seen_xmm0_ok, "the frame's xmm0 is not what the interrupted code had");
	if (xcr0()) {
		CCHECK(seen_flags & UC_FP_XSTATE, "uc_flags %#x lacks UC_FP_XSTATE", seen_flags);
		CCHECK(seen_magic1 == FP_XSTATE_MAGIC1, "fpstate magic1 %#x", seen_magic1);
		CCHECK(seen_xfeatures == xcr0(), "fpstate xfeatures %#lx, XCR0 %#lx",
		    (unsigned long)seen_xfeatures, (unsigned long)xcr0());
		CCHECK(seen_magic2 == FP_XSTATE_MAGIC2, "no FP_XSTATE_MAGIC2 after %u bytes",
		    seen_size);
		cpuid(0xd, 0, r);
		CCHECK(seen_size == r[1], "fpstate xstate_size %u, CPUID says %u", seen_size, r[1]);
	}
	if (regs_avx)
		CCHECK(seen_ymm0_ok, "the frame's ymm0 upper half is not the interrupted one");
	/* What the handler wrote into the frame is what sigreturn restored. */
	CCHECK(res == 0, "after the handler: %s", regs_diff(res));
}

static void
t_frame(void)
{
	CHECK_EXIT(c_frame, 0, 0);
}

enum { CORRUPT_HEADER, CORRUPT_MXCSR };

static int
on_keel(void)
{
	struct utsname u;

	return uname(&u) == 0 && strcmp(u.sysname, "keel") == 0;
}

static volatile int corrupt_what;

static void
on_corrupt(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;

	if (corrupt_what == CORRUPT_HEADER)
		memset(fp + 512 + 16, 0xff, 4);	/* the header's reserved bytes */
	else
		*(uint32_t *)(fp + 24) |= 1U << 31;	/* a reserved MXCSR bit */
}

static void
c_corrupt(void *arg)
{
	struct sigaction sa = { 0 };

	corrupt_what = (int)(long)arg;
	sa.sa_sigaction = on_corrupt;
	sa.sa_flags = SA_SIGINFO;
	CCHECK(sigaction(SIGUSR1, &sa, 0) == 0, "sigaction");
	sys_kill(sys_getpid(), SIGUSR1);
	/* Linux: XRSTOR faults on the image, and sigreturn ends in SIGSEGV. */
	sys_exit_group(3);
}

static void
t_corrupt(void)
{
	int st;

	/*
	 * A reserved MXCSR bit: XRSTOR and FXRSTOR raise #GP on a real CPU, so
	 * Linux ends the return in SIGSEGV, as keel does; QEMU's TCG loads the
	 * value instead, and Linux under it goes on.
	 */
	CHECK_EQ(ut_run(c_corrupt, (void *)CORRUPT_MXCSR, &st), 0);
	CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV) ||
	    (WIFEXITED(st) && WEXITSTATUS(st) == 3 && !on_keel()),
	    "bad MXCSR: child %s, want killed by SIGSEGV", ut_status_str(st));
	if (!xcr0()) {
		ut_skip("no XSAVE: only the MXCSR case");
		return;
	}
	CHECK_SIGNAL(c_corrupt, (void *)CORRUPT_HEADER, SIGSEGV);
}

/* ---- exec: every register 0 (user/regcheck.S) ---- */

static char *const rc_argv[] = { "/test/regcheck", 0 };
/* int $0x80's execve takes 32-bit pointers: its own argv and envp. */
static uint32_t rc_argv32[2];
static uint32_t rc_envp32[1];

static void
c_exec(void *arg)
{
	long r;

	/* Leave garbage everywhere exec could let through. */
	sys2(SYS_arch_prctl, ARCH_SET_GS, (long)&r);
	regs_trash();
	if (arg == 0) {
		r = sys_execve(rc_argv[0], rc_argv, 0);
	} else {
		rc_argv32[0] = (uint32_t)(uintptr_t)rc_argv[0];
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(SYS32_EXECVE),
		    "b"(rc_argv[0]), "c"(rc_argv32), "d"(rc_envp32) : "memory");
	}
	ut_child_fail(__FILE__, __LINE__, "execve: %s", ut_rstr(r));
}

static void
t_exec_regs(void)
{
	CHECK_EXIT(c_exec, 0, 0);
	CHECK_EXIT(c_exec, (void *)1, 0);
}

/* ---- the GS base (arch_prctl) across switches and signals ---- */

static volatile uint64_t gs_word = 0x6773626173650001ULL;

static uint64_t
read_gs0(void)
{
	uint64_t v;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(v));
	return v;
}

static volatile uint64_t gs_in_handler;

static void
on_gs(int sig)
{
	gs_in_handler = read_gs0();
}

static void
c_gsbase(void *arg)
{
	uint64_t base = 0;

	catch(SIGUSR1, on_gs, 0);
	CCHECK_EQ(sys2(SYS_arch_prctl, ARCH_SET_GS, (long)&gs_word), 0);
	CCHECK_EQ(sys2(SYS_arch_prctl, ARCH_GET_GS, (long)&base), 0);
	CCHECK(base == (uint64_t)&gs_word, "ARCH_GET_GS %#lx", (unsigned long)base);
	CCHECK(read_gs0() == gs_word, "%%gs:0 is not the word at the base");
	for (int i = 0; i < 50; i++)
		sys0(SYS_sched_yield);
	sys_kill(sys_getpid(), SIGUSR1);
	CCHECK(gs_in_handler == gs_word, "the handler's %%gs:0 differs");
	CCHECK(read_gs0() == gs_word, "%%gs:0 changed across yields and a signal");
	CCHECK_EQ(sys2(SYS_arch_prctl, ARCH_SET_GS, 0x800000000000L), -EPERM);
}

static void
t_gsbase(void)
{
	/* Two at once, so each switch must swap the bases. */
	long a, b;
	int st;

	CHECK_OK(a, ut_spawn(c_gsbase, 0));
	CHECK_OK(b, ut_spawn(c_gsbase, 0));
	CHECK_EQ(ut_wait(a, &st), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "first child %s", ut_status_str(st));
	CHECK_EQ(ut_wait(b, &st), 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "second child %s", ut_status_str(st));
}

const struct utest regs_tests[] = {
	{ "registers, RFLAGS (AC, DF), SSE/AVX survive signals interrupting ring 3 (3 processes)",
	  t_async, 0 },
	{ "registers survive 10,000 signals from int $0x80 and syscall kill(self)", t_kill_self, 0 },
	{ "registers survive nested signals (SIGUSR2 raised in SIGUSR1's handler)", t_nested, 0 },
	{ "a read interrupted by a signal (syscall, int $0x80; SA_RESTART or not) keeps every register",
	  t_read_intr, 0 },
	{ "the signal frame holds the FPU/AVX state in Linux's XSAVE layout; sigreturn restores it",
	  t_frame, 0 },
	{ "a corrupt XSAVE header or MXCSR in the frame -> SIGSEGV", t_corrupt, 0 },
	{ "execve (syscall and int $0x80) starts with zeroed registers and bases", t_exec_regs, 0 },
	{ "arch_prctl ARCH_SET_GS/ARCH_GET_GS: the base survives switches and signals", t_gsbase, 0 },
	{ 0, 0, 0 },
};
