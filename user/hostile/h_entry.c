/*
 * h_entry.c: hostile ways into and out of the kernel.  System calls made
 * with a stack pointer the kernel must never touch (null, kernel half,
 * non-canonical), with DF, TF, AC or NT set in RFLAGS, with numbers no
 * call has, from the very top of the user half (the return address is the
 * first byte past it); signal frames the kernel cannot write and handlers
 * it cannot run; rt_sigreturn with crafted frames asking for ring 0, IOPL
 * 3, interrupts off, non-canonical or kernel addresses.
 *
 * Linux's answers: the stack pointer is the user's business (the call
 * works; only a signal frame needs the stack, and failing to write one is
 * SIGSEGV); the kernel runs with DF, AC and NT clear whatever the user had
 * (SYSCALL's flag mask) and gives them back; TF makes a SIGTRAP once the
 * call has returned; an unknown number is -ENOSYS; rt_sigreturn restores
 * only the flags a user may change (never IOPL, IF or NT) and a frame it
 * cannot read or return through is SIGSEGV.
 *
 * Interface: entry_tests[] (hostile.h).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <ucontext.h>
#include "hostile.h"

#define RFLAGS_TF	0x100UL
#define RFLAGS_IF	0x200UL
#define RFLAGS_DF	0x400UL
#define RFLAGS_IOPL	0x3000UL
#define RFLAGS_NT	0x4000UL
#define RFLAGS_AC	0x40000UL

#define DATA_PATH	"/test/data.txt"
#define DATA_SIZE	4800

/* The kernel's struct sigaction for rt_sigaction (no libc restorer). */
struct ksigaction {
	unsigned long handler, flags, restorer, mask;
};
#define KSA_SIGINFO	0x4UL
#define KSA_RESTORER	0x04000000UL
#define KSA_NODEFER	0x40000000UL

/* What a handler returns to: rt_sigreturn, as libc's restorer. */
void h_restorer(void);
__asm__(".text\n"
	"h_restorer:\n\t"
	"mov $15, %eax\n\t"
	"syscall\n\t"
	"hlt\n");

/*
 * Install handler for sig.  x86-64 Linux refuses to deliver a signal to a
 * handler without SA_RESTORER (there is nowhere to return to): SIGSEGV.
 */
static long
ksigaction(int sig, unsigned long handler, unsigned long flags, unsigned long restorer)
{
	struct ksigaction sa = { handler, flags, restorer, 0 };

	return sys4(SYS_rt_sigaction, sig, &sa, 0, 8);
}

static long
khandler(int sig, void (*fn)(int))
{
	return ksigaction(sig, (unsigned long)fn, KSA_RESTORER, (unsigned long)h_restorer);
}

/* ---- system calls on a stack that is not one ---- */

static long
syscall_on(unsigned long rsp, long nr, long a1, long a2, long a3)
{
	long ret;

	/* r12 keeps the real stack pointer: the syscall instruction preserves it. */
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

static long
int80_on(unsigned long rsp, long nr, long a1, long a2, long a3)
{
	long ret;

	__asm__ volatile(
	    "mov %%rsp, %%r12\n\t"
	    "mov %[sp], %%rsp\n\t"
	    "int $0x80\n\t"
	    "mov %%r12, %%rsp"
	    : "=a"(ret)
	    : "a"(nr), "b"(a1), "c"(a2), "d"(a3), [sp] "r"(rsp)
	    : "r12", "memory");
	return ret;
}

static const unsigned long bad_rsp[] = {
	0, 8, A_KHALF, A_DIRECT, A_KVA, A_KTEXT, A_NONCANON_LO, A_NONCANON_HI,
	~0UL, A_USER_TOP, 0xfffffffffffff000UL,
};
#define NBAD_RSP	(sizeof bad_rsp / sizeof bad_rsp[0])

static char buf32[DATA_SIZE];	/* in .bss: below 4 GiB, for int $0x80 */

static void
t_bad_rsp(void)
{
	struct timespec ms = { 0, 1000000 };
	long pid = sys_getpid(), fd;

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	for (unsigned i = 0; i < NBAD_RSP; i++) {
		unsigned long sp = bad_rsp[i];

		CHECK_EQ(syscall_on(sp, SYS_getpid, 0, 0, 0), pid);
		CHECK_EQ(syscall_on(sp, SYS_sched_yield, 0, 0, 0), 0);
		/* A sleep: the process is switched out and back with that rsp. */
		CHECK_EQ(syscall_on(sp, SYS_nanosleep, (long)&ms, 0, 0), 0);
		CHECK_EQ(syscall_on(sp, SYS_lseek, fd, 0, SEEK_SET), 0);
		memset(buf32, 0, sizeof buf32);
		CHECK_EQ(syscall_on(sp, SYS_read, fd, (long)buf32, 100), 100);
		CHECK(memcmp(buf32, "00: the quick", 13) == 0, "read with rsp %#lx: wrong data", sp);
		/* The i386 entry: getpid is 20 there. */
		CHECK_EQ(int80_on(sp, 20, 0, 0, 0), pid);
	}
	/* An rsp that is only misaligned. */
	CHECK_EQ(syscall_on((unsigned long)buf32 + 1001, SYS_getpid, 0, 0, 0), pid);
}

static void
on_usr1(int sig)
{
	(void)sig;
}

/* A signal due on the way out of a call made with a bad rsp: no frame can be built. */
static void
c_signal_bad_rsp(void *a)
{
	CCHECK_EQ(khandler(SIGUSR1, on_usr1), 0);
	syscall_on((unsigned long)a, SYS_kill, sys_getpid(), SIGUSR1, 0);
	sys_exit_group(7);
}

/* The same signal with its default action needs no frame: it just kills. */
static void
c_signal_bad_rsp_dfl(void *a)
{
	syscall_on((unsigned long)a, SYS_kill, sys_getpid(), SIGUSR1, 0);
	sys_exit_group(7);
}

/* Frames that would land on an unmapped or read-only page. */
static void
c_signal_rsp_in(void *a)
{
	long off = (long)a;

	CCHECK(h_bad_init() == 0, "h_bad_init failed");
	CCHECK_EQ(khandler(SIGUSR1, on_usr1), 0);
	syscall_on((unsigned long)h_ro + off, SYS_kill, sys_getpid(), SIGUSR1, 0);
	sys_exit_group(7);
}

static void
t_signal_bad_rsp(void)
{
	/* Not the top of the user half: keel's stack ends right below it. */
	for (unsigned i = 0; i < NBAD_RSP; i++)
		if (bad_rsp[i] != A_USER_TOP)
			CHECK_SIGNAL(c_signal_bad_rsp, (void *)bad_rsp[i], SIGSEGV);
	CHECK_SIGNAL(c_signal_bad_rsp_dfl, (void *)A_KHALF, SIGUSR1);
	/* Below rsp: the read-only page, then the unmapped one. */
	CHECK_SIGNAL(c_signal_rsp_in, (void *)600, SIGSEGV);
	CHECK_SIGNAL(c_signal_rsp_in, (void *)4000, SIGSEGV);
}

/* Handlers and restorers the kernel jumps to but the process cannot run. */
static void
c_bad_handler(void *a)
{
	CCHECK_EQ(ksigaction(SIGUSR1, (unsigned long)a, KSA_RESTORER, (unsigned long)h_restorer), 0);
	sys_kill(sys_getpid(), SIGUSR1);
	sys_exit_group(7);
}

static void
c_bad_restorer(void *a)
{
	CCHECK_EQ(ksigaction(SIGUSR1, (unsigned long)on_usr1, KSA_RESTORER,
	    (unsigned long)a), 0);
	sys_kill(sys_getpid(), SIGUSR1);
	sys_exit_group(7);
}

static void
c_no_restorer(void *a)
{
	(void)a;
	CCHECK_EQ(ksigaction(SIGUSR1, (unsigned long)on_usr1, 0, 0), 0);
	sys_kill(sys_getpid(), SIGUSR1);
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
}

/* ---- RFLAGS bits the kernel must not run with ---- */

static unsigned long
rflags(void)
{
	unsigned long fl;

	__asm__ volatile("pushfq; popq %0" : "=r"(fl));
	return fl;
}

/* syscall with DF set; DF is cleared again right after. */
static long
syscall_df(long nr, long a1, long a2, long a3, unsigned long *after)
{
	long ret;
	unsigned long fl;

	__asm__ volatile(
	    "std\n\t"
	    "syscall\n\t"
	    "pushfq\n\t"
	    "popq %1\n\t"
	    "cld"
	    : "=a"(ret), "=r"(fl)
	    : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
	    : "rcx", "r11", "memory");
	*after = fl;
	return ret;
}

static long
int80_df(long nr, long a1, long a2, long a3)
{
	long ret;

	__asm__ volatile("std\n\tint $0x80\n\tcld"
	    : "=a"(ret) : "a"(nr), "b"(a1), "c"(a2), "d"(a3) : "memory");
	return ret;
}

static volatile unsigned long handler_flags;

static void
on_usr1_flags(int sig)
{
	(void)sig;
	handler_flags = rflags();
}

static void
t_df(void)
{
	struct utsname u;
	unsigned long after;
	long fd, pid = sys_getpid();
	int p[2];

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	/* The kernel copies with rep movs: with DF set it would copy backwards. */
	memset(buf32, 0, sizeof buf32);
	CHECK_EQ(syscall_df(SYS_read, fd, (long)buf32, DATA_SIZE, &after), DATA_SIZE);
	CHECK(after & RFLAGS_DF, "DF not given back after the call");
	CHECK(memcmp(buf32, "00: the quick brown fox", 23) == 0 &&
	    memcmp(buf32 + DATA_SIZE - 48, "99: the quick", 13) == 0, "read with DF: wrong data");
	memset(&u, 0, sizeof u);
	CHECK_EQ(syscall_df(SYS_uname, (long)&u, 0, 0, &after), 0);
	CHECK(u.sysname[0] != 0 && u.machine[0] == 'x', "uname with DF: wrong data");
	CHECK_EQ(sys2(SYS_pipe2, p, 0), 0);
	CHECK_EQ(syscall_df(SYS_write, p[1], (long)"forwards", 8, &after), 8);
	memset(buf32, 0, 16);
	CHECK_EQ(syscall_df(SYS_read, p[0], (long)buf32, 16, &after), 8);
	CHECK(memcmp(buf32, "forwards", 8) == 0, "pipe with DF: wrong data");
	/* The i386 entry (read is 3 there). */
	CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	memset(buf32, 0, sizeof buf32);
	CHECK_EQ(int80_df(3, fd, (long)buf32, DATA_SIZE), DATA_SIZE);
	CHECK(memcmp(buf32 + 48, "01: the quick", 13) == 0, "int $0x80 read with DF: wrong data");
	/* A handler starts with DF clear; DF is back once it returns. */
	CHECK_EQ(khandler(SIGUSR1, on_usr1_flags), 0);
	handler_flags = ~0UL;
	CHECK_EQ(syscall_df(SYS_kill, pid, SIGUSR1, 0, &after), 0);
	CHECK(handler_flags != ~0UL, "the handler did not run");
	CHECK(!(handler_flags & RFLAGS_DF), "the handler ran with DF set");
	CHECK(after & RFLAGS_DF, "DF not restored by rt_sigreturn");
}

/* The call with TF set: the next instruction after popfq is the syscall. */
static long
syscall_tf(long nr)
{
	long ret;

	__asm__ volatile(
	    "pushfq\n\t"
	    "orq $0x100, (%%rsp)\n\t"
	    "popfq\n\t"
	    "syscall\n\t"
	    "nop\n\t"
	    "nop"
	    : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
	return ret;
}

static long
int80_tf(long nr)
{
	long ret;

	__asm__ volatile(
	    "pushfq\n\t"
	    "orq $0x100, (%%rsp)\n\t"
	    "popfq\n\t"
	    "int $0x80\n\t"
	    "nop\n\t"
	    "nop"
	    : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

static void c_tf(void *a) { syscall_tf((long)a); sys_exit_group(7); }
static void c_tf80(void *a) { int80_tf((long)a); sys_exit_group(7); }

static volatile int traps;

static void
on_trap(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;

	(void)sig;
	(void)si;
	traps++;
	uc->uc_mcontext.gregs[REG_EFL] &= ~RFLAGS_TF;
}

static void
c_tf_handled(void *a)
{
	struct sigaction sa;
	long pid = sys_getpid();

	(void)a;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO;
	CCHECK_EQ(sigaction(SIGTRAP, &sa, 0), 0);
	CCHECK_EQ(syscall_tf(SYS_getpid), pid);
	CCHECK(traps == 1, "%d SIGTRAPs after syscall, want 1", traps);
	CCHECK_EQ(int80_tf(20), pid);
	CCHECK(traps == 2, "%d SIGTRAPs after int $0x80, want 2", traps);
	CCHECK(!(rflags() & RFLAGS_TF), "TF still set");
}

static void
t_tf(void)
{
	CHECK_SIGNAL(c_tf, (void *)SYS_getpid, SIGTRAP);
	CHECK_SIGNAL(c_tf, (void *)SYS_sched_yield, SIGTRAP);
	CHECK_SIGNAL(c_tf, (void *)9999, SIGTRAP);	/* -ENOSYS */
	CHECK_SIGNAL(c_tf80, (void *)20, SIGTRAP);
	CHECK_EXIT(c_tf_handled, 0, 0);
}

/* The call with AC (or NT) set and cleared again after; aligned accesses only. */
static long
syscall_flag(unsigned long flag, long nr, long a1, long a2, long a3, unsigned long *after)
{
	long ret;
	unsigned long fl;

	__asm__ volatile(
	    "pushfq\n\t"
	    "orq %[f], (%%rsp)\n\t"
	    "popfq\n\t"
	    "syscall\n\t"
	    "pushfq\n\t"
	    "movq (%%rsp), %[fl]\n\t"
	    "notq %[f]\n\t"
	    "andq %[f], (%%rsp)\n\t"
	    "popfq"
	    : "=a"(ret), [fl] "=&r"(fl), [f] "+r"(flag)
	    : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
	    : "rcx", "r11", "memory");
	*after = fl;
	return ret;
}

static void
t_ac_nt(void)
{
	static const unsigned long flags[] = { RFLAGS_AC, RFLAGS_NT, RFLAGS_AC | RFLAGS_NT };
	struct timespec ms = { 0, 1000000 };
	unsigned long after;
	long fd, pid = sys_getpid();

	CHECK_OK(fd, sys_open(DATA_PATH, O_RDONLY));
	for (unsigned i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		unsigned long f = flags[i];

		CHECK_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
		memset(buf32, 0, sizeof buf32);
		CHECK_EQ(syscall_flag(f, SYS_read, fd, (long)buf32, DATA_SIZE, &after), DATA_SIZE);
		CHECK((after & f) == f, "flags %#lx not given back (%#lx)", f, after);
		CHECK(memcmp(buf32 + 4752, "99: the quick", 13) == 0, "read with %#lx: wrong data", f);
		CHECK_EQ(syscall_flag(f, SYS_getpid, 0, 0, 0, &after), pid);
		CHECK_EQ(syscall_flag(f, SYS_sched_yield, 0, 0, 0, &after), 0);
		CHECK_EQ(syscall_flag(f, SYS_nanosleep, (long)&ms, 0, 0, &after), 0);
		CHECK((after & f) == f, "flags %#lx lost across a sleep (%#lx)", f, after);
	}
}

/* ---- system call numbers ---- */

static long
raw_syscall(unsigned long nr)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
	return ret;
}

static void
t_bad_numbers(void)
{
	/*
	 * Numbers no x86-64 call has, in their low 32 bits too: negative, the
	 * gap after 334 (Linux 6.11 and later fill its start: 335 is uretprobe),
	 * past the table, the x32 bit (0x40000000) with a number no x32 call
	 * has, and int-sized extremes.
	 */
	static const unsigned long nrs[] = {
		-1UL, -2UL, -1000UL, 0x7fffffff, 0x80000000UL, 0xffffffffUL, 350, 400, 511,
		512, 547, 548, 1000, 0x3fffffff, 0x40000000UL | 1000, 0x40000000UL | 0x3fffffff,
		0x400003e8UL, 0xfffffffeUL,
	};

	for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
		long r = raw_syscall(nrs[i]);

		CHECK(r == -ENOSYS, "syscall %#lx = %s, want -ENOSYS", nrs[i], h_rstr(r));
	}
}

/*
 * Bits above the low 32: Linux (since 5.x, do_syscall_64 takes an int)
 * looks only at eax, so (1 << 63) | 39 is getpid there; a kernel that
 * looks at all of rax answers -ENOSYS.  Either is fine; running any other
 * call, or crashing, is not.
 */
static void
t_high_numbers(void)
{
	static const unsigned long nrs[] = {
		(1UL << 63) | 39, (1UL << 32) | 39, 0xffffffff00000027UL, (1UL << 40) | 39,
	};
	long pid = sys_getpid();

	for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
		long r = raw_syscall(nrs[i]);

		CHECK(r == -ENOSYS || r == pid, "syscall %#lx = %s, want -ENOSYS or getpid's %ld",
		    nrs[i], h_rstr(r), pid);
	}
	/* The x32 bit with a real number: -ENOSYS unless x32 is enabled. */
	{
		long r = raw_syscall(0x40000000UL | 39);

		CHECK(r == -ENOSYS || r == pid, "syscall 0x40000027 = %s", h_rstr(r));
	}
}

static long
int80(long nr)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory");
	return ret;
}

static void
t_bad_numbers_int80(void)
{
	static const unsigned long nrs[] = {
		0xffffffffUL, 0xfffffffeUL, 0x7fffffff, 0x80000000UL, 500, 1000, 0xffff,
		0xdead00000000ffffUL,
	};
	long pid = sys_getpid();

	for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
		long r = int80(nrs[i]);

		CHECK(r == -ENOSYS, "int $0x80 eax %#lx = %s, want -ENOSYS", nrs[i], h_rstr(r));
	}
	/* The i386 entry takes eax alone: getpid (20) with garbage above. */
	CHECK_EQ(int80(0xdead000000000014UL), pid);
}

/* ---- a system call at the very top of the user half ---- */

static void
c_top_call(void *a)
{
	unsigned long page = A_USER_TOP - PGSIZE;
	unsigned char *code = (unsigned char *)(A_USER_TOP - 2);
	long p = sys_mmap((void *)page, PGSIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	/* keel's stack ends there: make its top page executable instead. */
	if (p == -EEXIST)
		CCHECK_EQ(sys_mprotect((void *)page, PGSIZE,
		    PROT_READ | PROT_WRITE | PROT_EXEC), 0);
	else
		CCHECK_EQ(p, page);
	if (a) {
		code[0] = 0xcd;		/* int $0x80: getpid is 20 */
		code[1] = 0x80;
		__asm__ volatile("jmp *%0" : : "r"(code), "a"(20L));
	} else {
		code[0] = 0x0f;		/* syscall: getpid is 39 */
		code[1] = 0x05;
		__asm__ volatile("jmp *%0" : : "r"(code), "a"(39L));
	}
}

static void
t_top_call(void)
{
	/* The call returns to 0x7ffffffff000, unmapped: a page fault. */
	CHECK_SIGNAL(c_top_call, (void *)0, SIGSEGV);
	CHECK_SIGNAL(c_top_call, (void *)1, SIGSEGV);
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

static unsigned long
cur_cs(void)
{
	unsigned long cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs;
}

static unsigned long
cur_ss(void)
{
	unsigned long ss;

	__asm__ volatile("mov %%ss, %0" : "=r"(ss));
	return ss;
}

/* Where a frame that is fine lands: ring 3, IOPL 0, IF 1, NT 0. */
static void __attribute__((noreturn, used))
sigreturn_landing(void)
{
	unsigned long fl = rflags();

	if ((cur_cs() & 3) != 3)
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
	f->sc.cs = cur_cs();
	f->sc.ss = cur_ss();
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
	/*
	 * Linux keeps the CS of the frame (with RPL 3) and fails the return
	 * with SIGSEGV; a kernel may as well force its user CS and land.
	 * Either way, never ring 0 (the landing checks the CPL).
	 */
	CHECK_EQ(h_run(c_sigreturn, (void *)SR_CS_KERNEL, &st), 0);
	CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
	    (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV),
	    "cs 0x08: %s, want exited 0 or killed by SIGSEGV", h_status_str(st));
	/*
	 * An FPU image FXRSTOR would refuse: Linux fails the return
	 * (SIGSEGV); a kernel may also sanitize it and land.  Same for one
	 * that is not 16-byte aligned (keel copies it to its own buffer).
	 */
	CHECK_EQ(h_run(c_sigreturn, (void *)SR_FP_BAD_MXCSR, &st), 0);
	CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
	    (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV),
	    "bad MXCSR: %s, want exited 0 or killed by SIGSEGV", h_status_str(st));
	CHECK_EQ(h_run(c_sigreturn, (void *)SR_FP_UNALIGNED, &st), 0);
	CHECK((WIFEXITED(st) && WEXITSTATUS(st) == 0) ||
	    (WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV),
	    "unaligned fpstate: %s, want exited 0 or killed by SIGSEGV", h_status_str(st));
}

const struct htest entry_tests[] = {
	{ "syscall and int $0x80 with rsp null, kernel, non-canonical, unaligned -> work",
	  t_bad_rsp, 0 },
	{ "a signal frame on a bad, unmapped or read-only stack -> SIGSEGV", t_signal_bad_rsp, 0 },
	{ "handler or restorer at a bad address -> SIGSEGV", t_bad_handler, 0 },
	{ "syscall with DF set: copies forwards, DF given back, clear in handlers", t_df, 0 },
	{ "syscall and int $0x80 with TF set -> SIGTRAP after the call", t_tf, 0 },
	{ "syscall with AC and NT set -> works, flags given back", t_ac_nt, 0 },
	{ "bad syscall numbers: negative, gaps, past the table, x32 bit -> -ENOSYS",
	  t_bad_numbers, 0 },
	{ "syscall numbers with high bits set -> -ENOSYS or the low 32 bits' call",
	  t_high_numbers, 0 },
	{ "bad int $0x80 numbers -> -ENOSYS; high bits of rax ignored", t_bad_numbers_int80, 0 },
	{ "syscall and int $0x80 as the last bytes of the user half -> SIGSEGV after",
	  t_top_call, 0 },
	{ "rt_sigreturn with crafted frames: no ring 0, IOPL, IF off, bad addresses",
	  t_sigreturn, 0 },
	{ 0, 0, 0 },
};
