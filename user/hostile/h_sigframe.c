/*
 * h_sigframe.c: signal frames the kernel cannot write, handlers it cannot
 * run, and rt_sigreturn with crafted frames asking for ring 0, IOPL 3,
 * interrupts off, non-canonical or kernel addresses.
 *
 * Linux's answers: a frame that cannot be written on the stack, or a
 * handler address that cannot be run, is SIGSEGV; rt_sigreturn restores
 * only the flags a user may change (never IOPL, IF or NT), and a frame it
 * cannot read or return through is SIGSEGV.
 *
 * Interface: sigframe_tests[] (hostile.h).
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include "hostile.h"

/* Stack pointers no frame can be built below (keel's stack ends at the user top). */
static const unsigned long bad_sp[] = {
	0, 8, A_KHALF, A_DIRECT, A_KVA, A_KTEXT, A_NONCANON_LO, A_NONCANON_HI,
	~0UL, 0xfffffffffffff000UL,
};

static void
on_usr1(int sig)
{
	(void)sig;
}

/* A signal due on the way out of a call made with a bad rsp: no frame can be built. */
static void
c_signal_bad_rsp(void *a)
{
	CCHECK_EQ(h_handler(SIGUSR1, on_usr1), 0);
	h_syscall_on((unsigned long)a, SYS_kill, sys_getpid(), SIGUSR1, 0);
	sys_exit_group(7);
}

/* The same signal with its default action needs no frame: it just kills. */
static void
c_signal_bad_rsp_dfl(void *a)
{
	h_syscall_on((unsigned long)a, SYS_kill, sys_getpid(), SIGUSR1, 0);
	sys_exit_group(7);
}

/* Frames that would land on an unmapped or read-only page. */
static void
c_signal_rsp_in(void *a)
{
	long off = (long)a;

	CCHECK(h_bad_init() == 0, "h_bad_init failed");
	CCHECK_EQ(h_handler(SIGUSR1, on_usr1), 0);
	h_syscall_on((unsigned long)h_ro + off, SYS_kill, sys_getpid(), SIGUSR1, 0);
	sys_exit_group(7);
}

static void
t_signal_bad_rsp(void)
{
	for (unsigned i = 0; i < sizeof bad_sp / sizeof bad_sp[0]; i++)
		CHECK_SIGNAL(c_signal_bad_rsp, (void *)bad_sp[i], SIGSEGV);
	CHECK_SIGNAL(c_signal_bad_rsp_dfl, (void *)A_KHALF, SIGUSR1);
	/* Below rsp: the read-only page, then the unmapped one. */
	CHECK_SIGNAL(c_signal_rsp_in, (void *)600, SIGSEGV);
	CHECK_SIGNAL(c_signal_rsp_in, (void *)4000, SIGSEGV);
}

/* Handlers and restorers the kernel jumps to but the process cannot run. */
static void
c_bad_handler(void *a)
{
	CCHECK_EQ(h_sigaction(SIGUSR1, (unsigned long)a, KSA_RESTORER, (unsigned long)h_restorer), 0);
	sys_kill(sys_getpid(), SIGUSR1);
	sys_exit_group(7);
}

static void
c_bad_restorer(void *a)
{
	CCHECK_EQ(h_sigaction(SIGUSR1, (unsigned long)on_usr1, KSA_RESTORER,
	    (unsigned long)a), 0);
	sys_kill(sys_getpid(), SIGUSR1);
	sys_exit_group(7);
}

static void
c_no_restorer(void *a)
{
	(void)a;
	CCHECK_EQ(h_sigaction(SIGUSR1, (unsigned long)on_usr1, 0, 0), 0);
	sys_kill(sys_getpid(), SIGUSR1);
	sys_exit_group(7);
}

static void
on_segv_exit(int sig)
{
	(void)sig;
	sys_exit_group(42);
}

/* The SIGSEGV a handler that cannot run raises: its own handler catches it. */
static void
c_bad_handler_caught(void *a)
{
	CCHECK_EQ(h_handler(SIGSEGV, on_segv_exit), 0);
	CCHECK_EQ(h_sigaction(SIGUSR1, (unsigned long)a, KSA_RESTORER, (unsigned long)h_restorer), 0);
	sys_kill(sys_getpid(), SIGUSR1);
	sys_exit_group(7);
}

#define KSA_NODEFER	0x40000000UL

/*
 * SIGSEGV's own handler cannot run.  Without SA_NODEFER the second SIGSEGV
 * is blocked and kills; with it Linux goes round, a frame each time, until
 * the stack ends: killed either way, and the kernel must not loop.
 */
static void
c_bad_segv_handler(void *a)
{
	CCHECK_EQ(h_sigaction(SIGSEGV, A_NONCANON_LO, KSA_RESTORER | (unsigned long)a,
	    (unsigned long)h_restorer), 0);
	sys_kill(sys_getpid(), SIGSEGV);
	sys_exit_group(7);
}

static void
t_bad_handler(void)
{
	/* Not 0 and 1: those are SIG_DFL and SIG_IGN. */
	static const unsigned long addrs[] = {
		2, A_KHALF, A_KTEXT, A_NONCANON_LO, A_NONCANON_HI, A_USER_TOP, ~0UL,
	};

	for (unsigned i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
		CHECK_SIGNAL(c_bad_handler, (void *)addrs[i], SIGSEGV);
		CHECK_SIGNAL(c_bad_restorer, (void *)addrs[i], SIGSEGV);
	}
	/* A restorer of 0: the handler returns to address 0. */
	CHECK_SIGNAL(c_bad_restorer, (void *)0, SIGSEGV);
	/* No SA_RESTORER: Linux cannot deliver; a kernel may also let it return to 0. */
	CHECK_SIGNAL(c_no_restorer, 0, SIGSEGV);
	CHECK_EXIT(c_bad_handler_caught, (void *)A_NONCANON_LO, 42);
	CHECK_EXIT(c_bad_handler_caught, (void *)A_NONCANON_HI, 42);
	CHECK_EXIT(c_bad_handler_caught, (void *)A_KHALF, 42);
	CHECK_SIGNAL(c_bad_segv_handler, 0, SIGSEGV);
	CHECK_SIGNAL(c_bad_segv_handler, (void *)KSA_NODEFER, SIGSEGV);
}

/* ---- rt_sigreturn with crafted frames ---- */

struct ksigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved1[8];
};
_Static_assert(sizeof(struct ksigcontext) == 256, "x86-64 struct sigcontext");

struct kframe {
	uint64_t pretcode;
	uint64_t uc_flags, uc_link;
	uint64_t ss_sp;
	int32_t ss_flags, ss_pad;
	uint64_t ss_size;
	struct ksigcontext sc;
	uint64_t sigmask;
	char info[128];
};

static char land_stack[8192] __attribute__((aligned(16)));
static struct kframe frame_buf __attribute__((aligned(64)));
static unsigned char fx_image[512] __attribute__((aligned(64)));

/* Where a frame that is fine lands: ring 3, IOPL 0, IF 1, NT 0. */
static void __attribute__((noreturn, used))
sigreturn_landing(void)
{
	unsigned long fl = h_rflags();

	if ((h_cs() & 3) != 3)
		sys_exit_group(3);
	if (fl & RFLAGS_IOPL)
		sys_exit_group(4);
	if (!(fl & RFLAGS_IF))
		sys_exit_group(5);
	if (fl & RFLAGS_NT)
		sys_exit_group(6);
	sys_exit_group(0);
}

/* A frame that returns to sigreturn_landing, to be spoiled by the caller. */
static struct kframe *
good_frame(void)
{
	struct kframe *f = &frame_buf;

	memset(f, 0, sizeof *f);
	f->ss_flags = 2;	/* SS_DISABLE: the alternate stack stays off */
	f->sc.rip = (uint64_t)sigreturn_landing;
	f->sc.rsp = (uint64_t)(land_stack + sizeof land_stack) - 8;
	f->sc.eflags = 0x202;
	f->sc.cs = h_cs();
	f->sc.ss = h_ss();
	return f;
}

/* rt_sigreturn with the frame at f (rsp points just past pretcode). */
static void __attribute__((noreturn))
sigreturn_at(unsigned long f)
{
	__asm__ volatile("mov %0, %%rsp; syscall"
	    : : "r"(f + 8), "a"((long)SYS_rt_sigreturn) : "rcx", "r11", "memory");
	__builtin_unreachable();
}

enum { SR_GOOD, SR_EFLAGS_ALL, SR_EFLAGS_PRIV, SR_CS_KERNEL, SR_SS_NULL, SR_SS_KERNEL,
	SR_RIP_NONCANON, SR_RIP_NONCANON_HI, SR_RIP_KERNEL, SR_RSP_KERNEL, SR_FP_KERNEL,
	SR_FP_UNMAPPED, SR_FP_GOOD, SR_FP_BAD_MXCSR, SR_FP_UNALIGNED, SR_FRAME_UNMAPPED,
	SR_FRAME_STRADDLE, SR_FRAME_KERNEL, SR_ZERO };

static void
c_sigreturn(void *a)
{
	struct kframe *f = good_frame();

	switch ((long)a) {
	case SR_GOOD:
		break;
	case SR_EFLAGS_ALL:	/* all but TF, DF, AC, which the landing would feel */
		f->sc.eflags = ~(RFLAGS_TF | RFLAGS_DF | RFLAGS_AC);
		break;
	case SR_EFLAGS_PRIV:	/* IOPL 3, interrupts off, NT */
		f->sc.eflags = RFLAGS_IOPL | RFLAGS_NT | 0x2;
		break;
	case SR_CS_KERNEL:
		f->sc.cs = 0x08;
		break;
	case SR_SS_NULL:
		f->sc.ss = 0;
		break;
	case SR_SS_KERNEL:
		f->sc.ss = 0x10;
		break;
	case SR_RIP_NONCANON:
		f->sc.rip = A_NONCANON_LO;
		break;
	case SR_RIP_NONCANON_HI:
		f->sc.rip = A_NONCANON_HI;
		break;
	case SR_RIP_KERNEL:
		f->sc.rip = A_KTEXT;
		break;
	case SR_RSP_KERNEL:	/* the landing's first push faults (#PF, not #SS) */
		f->sc.rsp = A_KHALF + PGSIZE;
		break;
	case SR_FP_KERNEL:
		f->sc.fpstate = A_KHALF;
		break;
	case SR_FP_UNMAPPED:
		CCHECK(h_bad_init() == 0, "h_bad_init failed");
		f->sc.fpstate = (uint64_t)h_guard;
		break;
	case SR_FP_GOOD:
		__asm__ volatile("fxsave64 %0" : "=m"(fx_image));
		f->sc.fpstate = (uint64_t)fx_image;
		break;
	case SR_FP_BAD_MXCSR:	/* reserved MXCSR bits: FXRSTOR would #GP */
		__asm__ volatile("fxsave64 %0" : "=m"(fx_image));
		memset(fx_image + 24, 0xff, 8);	/* MXCSR and MXCSR_MASK */
		f->sc.fpstate = (uint64_t)fx_image;
		break;
	case SR_FP_UNALIGNED:
		__asm__ volatile("fxsave64 %0" : "=m"(fx_image));
		f->sc.fpstate = (uint64_t)fx_image + 8;
		break;
	case SR_FRAME_UNMAPPED:
		CCHECK(h_bad_init() == 0, "h_bad_init failed");
		sigreturn_at((unsigned long)h_guard + 64);
	case SR_FRAME_STRADDLE:
		CCHECK(h_bad_init() == 0, "h_bad_init failed");
		memcpy(h_guard - 100, f, 100);
		sigreturn_at((unsigned long)h_guard - 100);
	case SR_FRAME_KERNEL:
		sigreturn_at(A_KHALF);
	case SR_ZERO:		/* everything 0: rip 0, cs 0 */
		memset(f, 0, sizeof *f);
		break;
	}
	sigreturn_at((unsigned long)f);
}

/*
 * A frame naming every general register: the landing finds each as the
 * frame had it, rcx and r11 included (a kernel that returned through
 * SYSRET would leave the return address and RFLAGS there); exit status
 * 0, or 10 + the register's place in the frame's order below.
 */
static const uint64_t regs_want[15] __attribute__((used)) = {
	0x0101010101010101, 0x0202020202020202, 0x0303030303030303, 0x0404040404040404,
	0x0505050505050505, 0x0606060606060606, 0x0707070707070707, 0x0808080808080808,
	0x0909090909090909, 0x0a0a0a0a0a0a0a0a, 0x0b0b0b0b0b0b0b0b, 0x0c0c0c0c0c0c0c0c,
	0x0d0d0d0d0d0d0d0d, 0x0e0e0e0e0e0e0e0e, 0x0f0f0f0f0f0f0f0f,
};	/* r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx: as struct sigcontext */
void sigreturn_landing_regs(void);
__asm__(
    "	.pushsection .text\n"
    "	.globl	sigreturn_landing_regs\n"
    "sigreturn_landing_regs:\n"
    /* rdi first: each check then leaves its status in edi (mov keeps the flags). */
    "	cmp	regs_want+64(%rip), %rdi\n	mov	$18, %edi\n	jne	1f\n"
    "	cmp	regs_want+0(%rip), %r8\n	mov	$10, %edi\n	jne	1f\n"
    "	cmp	regs_want+8(%rip), %r9\n	mov	$11, %edi\n	jne	1f\n"
    "	cmp	regs_want+16(%rip), %r10\n	mov	$12, %edi\n	jne	1f\n"
    "	cmp	regs_want+24(%rip), %r11\n	mov	$13, %edi\n	jne	1f\n"
    "	cmp	regs_want+32(%rip), %r12\n	mov	$14, %edi\n	jne	1f\n"
    "	cmp	regs_want+40(%rip), %r13\n	mov	$15, %edi\n	jne	1f\n"
    "	cmp	regs_want+48(%rip), %r14\n	mov	$16, %edi\n	jne	1f\n"
    "	cmp	regs_want+56(%rip), %r15\n	mov	$17, %edi\n	jne	1f\n"
    "	cmp	regs_want+72(%rip), %rsi\n	mov	$19, %edi\n	jne	1f\n"
    "	cmp	regs_want+80(%rip), %rbp\n	mov	$20, %edi\n	jne	1f\n"
    "	cmp	regs_want+88(%rip), %rbx\n	mov	$21, %edi\n	jne	1f\n"
    "	cmp	regs_want+96(%rip), %rdx\n	mov	$22, %edi\n	jne	1f\n"
    "	cmp	regs_want+104(%rip), %rax\n	mov	$23, %edi\n	jne	1f\n"
    "	cmp	regs_want+112(%rip), %rcx\n	mov	$24, %edi\n	jne	1f\n"
    "	xor	%edi, %edi\n"
    "1:	mov	$231, %eax\n	syscall\n	ud2\n"
    "	.popsection\n");

static void
c_sigreturn_regs(void *a)
{
	struct kframe *f = good_frame();

	(void)a;
	memcpy(&f->sc.r8, regs_want, sizeof regs_want);
	f->sc.rip = (uint64_t)sigreturn_landing_regs;
	sigreturn_at((unsigned long)f);
}

/* After a frame that blocks every signal, SIGKILL still kills. */
static void __attribute__((noreturn, used))
sigreturn_landing_kill(void)
{
	sys_kill(sys_getpid(), SIGKILL);
	sys_exit_group(9);
}

static void
c_sigreturn_mask(void *a)
{
	struct kframe *f = good_frame();

	(void)a;
	f->sigmask = ~0UL;
	f->sc.rip = (uint64_t)sigreturn_landing_kill;
	sigreturn_at((unsigned long)f);
}

static void
t_sigreturn(void)
{
	int st;

	CHECK_EXIT(c_sigreturn, (void *)SR_GOOD, 0);
	CHECK_EXIT(c_sigreturn, (void *)SR_EFLAGS_ALL, 0);
	CHECK_EXIT(c_sigreturn, (void *)SR_EFLAGS_PRIV, 0);
	/* Linux forces a valid SS (force_valid_ss); so may any kernel. */
	CHECK_EXIT(c_sigreturn, (void *)SR_SS_NULL, 0);
	CHECK_EXIT(c_sigreturn, (void *)SR_SS_KERNEL, 0);
	CHECK_SIGNAL(c_sigreturn, (void *)SR_RIP_NONCANON, SIGSEGV);
	CHECK_SIGNAL(c_sigreturn, (void *)SR_RIP_NONCANON_HI, SIGSEGV);
	CHECK_SIGNAL(c_sigreturn, (void *)SR_RIP_KERNEL, SIGSEGV);
	CHECK_SIGNAL(c_sigreturn, (void *)SR_RSP_KERNEL, SIGSEGV);
	CHECK_SIGNAL(c_sigreturn, (void *)SR_FP_KERNEL, SIGSEGV);
	CHECK_SIGNAL(c_sigreturn, (void *)SR_FP_UNMAPPED, SIGSEGV);
	CHECK_EXIT(c_sigreturn, (void *)SR_FP_GOOD, 0);
	CHECK_SIGNAL(c_sigreturn, (void *)SR_FRAME_UNMAPPED, SIGSEGV);
	CHECK_SIGNAL(c_sigreturn, (void *)SR_FRAME_STRADDLE, SIGSEGV);
	CHECK_SIGNAL(c_sigreturn, (void *)SR_FRAME_KERNEL, SIGSEGV);
	CHECK_SIGNAL(c_sigreturn, (void *)SR_ZERO, SIGSEGV);
	CHECK_SIGNAL(c_sigreturn_mask, 0, SIGKILL);
	CHECK_EXIT(c_sigreturn_regs, 0, 0);
	/*
	 * Linux keeps the CS of the frame (with RPL 3) and fails the return
	 * with SIGSEGV; a kernel may as well force its user CS and land.
	 * Either way, never ring 0 (the landing checks the CPL).
	 */
	CHECK_EQ(ut_run(c_sigreturn, (void *)SR_CS_KERNEL, &st), 0);
	CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
	    (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV),
	    "cs 0x08: %s, want exited 0 or killed by SIGSEGV", ut_status_str(st));
	/*
	 * An FPU image FXRSTOR would refuse: Linux fails the return
	 * (SIGSEGV); a kernel may also sanitize it and land.  Same for one
	 * that is not 16-byte aligned (keel copies it to its own buffer).
	 */
	CHECK_EQ(ut_run(c_sigreturn, (void *)SR_FP_BAD_MXCSR, &st), 0);
	CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
	    (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV),
	    "bad MXCSR: %s, want exited 0 or killed by SIGSEGV", ut_status_str(st));
	CHECK_EQ(ut_run(c_sigreturn, (void *)SR_FP_UNALIGNED, &st), 0);
	CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
	    (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV),
	    "unaligned fpstate: %s, want exited 0 or killed by SIGSEGV", ut_status_str(st));
}

const struct htest sigframe_tests[] = {
	{ "a signal frame on a bad, unmapped or read-only stack -> SIGSEGV", t_signal_bad_rsp, 0 },
	{ "handler or restorer at a bad address -> SIGSEGV", t_bad_handler, 0 },
	{ "rt_sigreturn with crafted frames: no ring 0, IOPL, IF off, bad addresses; every register back",
	  t_sigreturn, 0 },
	{ 0, 0, 0 },
};
