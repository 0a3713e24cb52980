/*
 * h_addr.c: memory a process may not touch.  Reads, writes and jumps to
 * null, the kernel half (direct map, kernel virtual allocations, kernel
 * text), the non-canonical hole and the never-mapped top page of the user
 * half; executing the stack, heap, data, bss and a no-exec mapping;
 * writing the text and rodata; stack overflows, with and without a
 * handler for the SIGSEGV.  Linux sends SIGSEGV for all of them: a page
 * fault (#PF) or, for non-canonical addresses, a general protection fault
 * (#GP), both SIGSEGV.
 *
 * Not tested: Linux's vsyscall page (0xffffffffff600000), which Linux
 * emulates for old binaries and keel has no reason to.
 *
 * Interface: addr_tests[] (hostile.h).
 */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include "hostile.h"

static const char rodata_str[] = "read-only data";
static unsigned char data_code[16] = { 0xc3 };	/* ret, in .data */
static unsigned char bss_code[16];

/*
 * The address comes in as an argument, through a function pointer, so the
 * compiler cannot see a null dereference and turn it into a trap of its own.
 */
static void
c_read(void *a)
{
	(void)*(volatile long *)a;
}

static void
c_write(void *a)
{
	*(volatile long *)a = 0x4141414141414141L;
}

static void
c_jump(void *a)
{
	((void (*)(void))a)();
}

/* Every access kind to one address: SIGSEGV each time. */
static void
all_three(const char *file, int line, unsigned long a)
{
	if (!ut_expect_signal(file, line, c_read, (void *)a, SIGSEGV) ||
	    !ut_expect_signal(file, line, c_write, (void *)a, SIGSEGV))
		return;
	ut_expect_signal(file, line, c_jump, (void *)a, SIGSEGV);
}

#define ALL_THREE(a)	all_three(__FILE__, __LINE__, (a))

static void t_null(void) { ALL_THREE(0); ALL_THREE(0xff8); }
static void t_khalf(void) { ALL_THREE(A_KHALF); }
static void t_direct(void) { ALL_THREE(A_DIRECT); }
static void t_kva(void) { ALL_THREE(A_KVA); }
static void t_ktext(void) { ALL_THREE(A_KTEXT); ALL_THREE(0xfffffffffffff000UL); }
static void t_noncanon_lo(void) { ALL_THREE(A_NONCANON_LO); }
static void t_noncanon_hi(void) { ALL_THREE(A_NONCANON_HI); ALL_THREE(0xffff7ffffffff000UL); }
static void t_user_top(void) { ALL_THREE(A_USER_TOP); ALL_THREE(0x7ffffffffff8UL); }

/* An 8-byte access whose last bytes fall into the never-mapped top page. */
static void
t_straddle_top(void)
{
	CHECK_SIGNAL(c_read, (void *)(A_USER_TOP - 4), SIGSEGV);
	CHECK_SIGNAL(c_write, (void *)(A_USER_TOP - 4), SIGSEGV);
}

static void
c_unmapped(void *a)
{
	char *p;

	(void)a;
	CCHECK(h_bad_init() == 0, "h_bad_init failed");
	p = h_guard - PGSIZE;
	p[0] = 1;		/* mapped: fine */
	*(volatile char *)h_guard = 1;	/* just unmapped */
}

static void
c_prot_none(void *a)
{
	long p = sys_mmap(0, PGSIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CCHECK(!sys_iserr(p), "mmap: %s", ut_rstr(p));
	(void)a;
	(void)*(volatile char *)p;
}

static void
c_ro_write(void *a)
{
	(void)a;
	CCHECK(h_bad_init() == 0, "h_bad_init failed");
	CCHECK_EQ(h_ro[0], 0);	/* readable */
	*(volatile char *)h_ro = 1;
}

static void
t_unmapped(void)
{
	CHECK_SIGNAL(c_unmapped, 0, SIGSEGV);
	CHECK_SIGNAL(c_prot_none, 0, SIGSEGV);
	CHECK_SIGNAL(c_ro_write, 0, SIGSEGV);
}

static void
c_text_write(void *a)
{
	(void)a;
	*(volatile unsigned char *)(unsigned long)c_text_write = 0xc3;
}

static void
c_rodata_write(void *a)
{
	(void)a;
	*(volatile char *)(unsigned long)rodata_str = 'R';
}

static void
t_text_write(void)
{
	CHECK_SIGNAL(c_text_write, 0, SIGSEGV);
	CHECK_SIGNAL(c_rodata_write, 0, SIGSEGV);
}

static void
c_exec_stack(void *a)
{
	unsigned char code[16] = { 0xc3 };

	(void)a;
	c_jump(code);
}

static void
c_exec_heap(void *a)
{
	unsigned long cur = sys_brk(0);
	unsigned long top = (cur + 2 * PGSIZE) & ~(PGSIZE - 1);

	(void)a;
	CCHECK_EQ(sys_brk((void *)top), top);
	*(volatile unsigned char *)(top - 64) = 0xc3;
	c_jump((void *)(top - 64));
}

static void
c_exec_mmap(void *a)
{
	long p = sys_mmap(0, PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)a;
	CCHECK(!sys_iserr(p), "mmap: %s", ut_rstr(p));
	*(volatile unsigned char *)p = 0xc3;
	c_jump((void *)p);
}

static void c_exec_data(void *a) { (void)a; c_jump(data_code); }
static void c_exec_rodata(void *a) { (void)a; c_jump((void *)rodata_str); }

static void
c_exec_bss(void *a)
{
	(void)a;
	bss_code[0] = 0xc3;
	c_jump(bss_code);
}

static void
t_exec(void)
{
	CHECK_SIGNAL(c_exec_stack, 0, SIGSEGV);
	CHECK_SIGNAL(c_exec_heap, 0, SIGSEGV);
	CHECK_SIGNAL(c_exec_mmap, 0, SIGSEGV);
	CHECK_SIGNAL(c_exec_data, 0, SIGSEGV);
	CHECK_SIGNAL(c_exec_bss, 0, SIGSEGV);
	CHECK_SIGNAL(c_exec_rodata, 0, SIGSEGV);
}

static void
on_segv(int sig)
{
	(void)sig;
	sys_exit_group(42);	/* never reached: there is no stack to run on */
}

/*
 * With a handler but no alternate stack, the kernel cannot build the
 * signal frame on the overflowed stack: it must kill with SIGSEGV, as
 * Linux does, and not loop or fault itself.
 */
static void
c_overflow_handler(void *a)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_segv;
	CCHECK_EQ(sigaction(SIGSEGV, &sa, 0), 0);
	ut_probe_stack_overflow(a);
}

/* A single jump of the stack pointer far below the stack, then a push. */
static void
c_far_below(void *a)
{
	(void)a;
	__asm__ volatile("sub $0x40000000, %%rsp; push %%rax" : : : "memory");
}

static void
t_stack_overflow(void)
{
	CHECK_SIGNAL(ut_probe_stack_overflow, 0, SIGSEGV);
	CHECK_SIGNAL(c_overflow_handler, 0, SIGSEGV);
	CHECK_SIGNAL(c_far_below, 0, SIGSEGV);
}

const struct htest addr_tests[] = {
	{ "read, write, jump to null and page 0 -> SIGSEGV", t_null, 0 },
	{ "read, write, jump to the kernel half 0xffff800000000000 -> SIGSEGV", t_khalf, 0 },
	{ "read, write, jump to the direct map 0xffff800000100000 -> SIGSEGV", t_direct, 0 },
	{ "read, write, jump to the KVA 0xffffc00000000000 -> SIGSEGV", t_kva, 0 },
	{ "read, write, jump to kernel text 0xffffffff80000000 and the last page -> SIGSEGV",
	  t_ktext, 0 },
	{ "read, write, jump to non-canonical 0x800000000000 -> SIGSEGV", t_noncanon_lo, 0 },
	{ "read, write, jump to non-canonical 0x8000000000000000, 0xffff7ffffffff000 -> SIGSEGV",
	  t_noncanon_hi, 0 },
	{ "read, write, jump to the top page of the user half -> SIGSEGV", t_user_top, 0 },
	{ "8-byte access straddling into the top page -> SIGSEGV", t_straddle_top, 0 },
	{ "unmapped, PROT_NONE and read-only pages -> SIGSEGV", t_unmapped, 0 },
	{ "write to the text segment and rodata -> SIGSEGV", t_text_write, 0 },
	{ "execute stack, heap, mmap, data, bss, rodata -> SIGSEGV", t_exec, 0 },
	{ "stack overflow, with a SIGSEGV handler, far below the stack -> SIGSEGV",
	  t_stack_overflow, 0 },
	{ 0, 0, 0 },
};
