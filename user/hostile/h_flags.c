/*
 * h_flags.c: system calls made with RFLAGS bits the kernel must not run
 * with: DF (its copies would run backwards), AC (SMAP would be off for
 * every user access), NT (an IRET would fault), and TF (single-step).
 *
 * Linux's answers: SYSCALL's flag mask clears DF, AC, NT and TF for the
 * kernel, and the user gets them back on return; signal handlers start
 * with DF clear; TF set across a system call gives a SIGTRAP once the call
 * has returned.
 *
 * Interface: flags_tests[] (hostile.h).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/utsname.h>
#include <ucontext.h>
#include "hostile.h"

static char buf32[DATA_SIZE];	/* in .bss: below 4 GiB, for int $0x80 */

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
	handler_flags = h_rflags();
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
	CHECK_EQ(h_handler(SIGUSR1, on_usr1_flags), 0);
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
	CCHECK(!(h_rflags() & RFLAGS_TF), "TF still set");
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

const struct htest flags_tests[] = {
	{ "syscall with DF set: copies forwards, DF given back, clear in handlers", t_df, 0 },
	{ "syscall and int $0x80 with TF set -> SIGTRAP after the call", t_tf, 0 },
	{ "syscall with AC and NT set -> works, flags given back", t_ac_nt, 0 },
	{ 0, 0, 0 },
};
