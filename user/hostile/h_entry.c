/*
 * h_entry.c: hostile ways into the kernel: system calls made with a stack
 * pointer the kernel must never touch (null, kernel half, non-canonical,
 * misaligned), with numbers no call has, and from the very top of the user
 * half (the return address is the first byte past it).
 *
 * Linux's answers: the stack pointer is the user's business (the call
 * works: SYSCALL and the i386 int $0x80 gate never use the user stack); an
 * unknown number is -ENOSYS; a return to the unmapped page above the user
 * half is a page fault in ring 3, SIGSEGV.
 *
 * Interface: entry_tests[] (hostile.h).
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include "hostile.h"

/* ---- system calls on a stack that is not one ---- */

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

		CHECK_EQ(h_syscall_on(sp, SYS_getpid, 0, 0, 0), pid);
		CHECK_EQ(h_syscall_on(sp, SYS_sched_yield, 0, 0, 0), 0);
		/* A sleep: the process is switched out and back with that rsp. */
		CHECK_EQ(h_syscall_on(sp, SYS_nanosleep, (long)&ms, 0, 0), 0);
		CHECK_EQ(h_syscall_on(sp, SYS_lseek, fd, 0, SEEK_SET), 0);
		memset(buf32, 0, sizeof buf32);
		CHECK_EQ(h_syscall_on(sp, SYS_read, fd, (long)buf32, 100), 100);
		CHECK(memcmp(buf32, "00: the quick", 13) == 0, "read with rsp %#lx: wrong data", sp);
		/* The i386 entry: getpid is 20 there. */
		CHECK_EQ(int80_on(sp, 20, 0, 0, 0), pid);
	}
	/* An rsp that is only misaligned. */
	CHECK_EQ(h_syscall_on((unsigned long)buf32 + 1001, SYS_getpid, 0, 0, 0), pid);
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

		CHECK(r == -ENOSYS, "syscall %#lx = %s, want -ENOSYS", nrs[i], ut_rstr(r));
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
		    nrs[i], ut_rstr(r), pid);
	}
	/* The x32 bit with a real number: -ENOSYS unless x32 is enabled. */
	{
		long r = raw_syscall(0x40000000UL | 39);

		CHECK(r == -ENOSYS || r == pid, "syscall 0x40000027 = %s", ut_rstr(r));
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

		CHECK(r == -ENOSYS, "int $0x80 eax %#lx = %s, want -ENOSYS", nrs[i], ut_rstr(r));
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

const struct htest entry_tests[] = {
	{ "syscall and int $0x80 with rsp null, kernel, non-canonical, unaligned -> work",
	  t_bad_rsp, 0 },
	{ "bad syscall numbers: negative, gaps, past the table, x32 bit -> -ENOSYS",
	  t_bad_numbers, 0 },
	{ "syscall numbers with high bits set -> -ENOSYS or the low 32 bits' call",
	  t_high_numbers, 0 },
	{ "bad int $0x80 numbers -> -ENOSYS; high bits of rax ignored", t_bad_numbers_int80, 0 },
	{ "syscall and int $0x80 as the last bytes of the user half -> SIGSEGV after",
	  t_top_call, 0 },
	{ 0, 0, 0 },
};
