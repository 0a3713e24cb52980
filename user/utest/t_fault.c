/*
 * t_fault.c: tests of what ring 3 cannot do, and of the CPU state a
 * process keeps.  Each fault happens in a forked child and the parent
 * checks the signal that killed it, as Linux delivers them: SIGSEGV for
 * page faults and general protection faults (null pointers, the text
 * segment, no-execute pages, the kernel half, privileged instructions,
 * port I/O, interrupt gates of DPL 0, a stack overflow), SIGILL for ud2,
 * SIGFPE for a divide error, SIGTRAP for int3, SIGBUS for a stack-segment
 * fault (which QEMU's emulation raises as #GP: SIGSEGV).  Then: registers (general
 * and SSE) survive preemption and system calls.
 *
 * Interface: fault_tests[] (utest.h).
 */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "utest.h"

static const char rodata_str[] = "read-only data";
static const unsigned char ret_insn[] = { 0xc3 };	/* ret */


/*
 * The address comes in as an argument, through a function pointer, so the
 * compiler cannot see a null dereference and turn it into a trap of its own.
 */
static void
c_read_addr(void *a)
{
	(void)*(volatile char *)a;
}

static void
c_write_addr(void *a)
{
	*(volatile char *)a = 0;
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
call(void *code)
{
	((void (*)(void))code)();
}

static void
c_exec_stack(void *a)
{
	unsigned char code[16];

	(void)a;
	memcpy(code, ret_insn, sizeof ret_insn);
	call(code);
}

static void
c_exec_heap(void *a)
{
	unsigned long cur = sys_brk(0);
	unsigned long top = (cur + 2 * PGSIZE) & ~(PGSIZE - 1);

	(void)a;
	CCHECK_EQ(sys_brk((void *)top), top);
	memcpy((void *)(top - 64), ret_insn, sizeof ret_insn);
	call((void *)(top - 64));
}

static void
c_exec_mmap(void *a)
{
	long p = sys_mmap(0, PGSIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)a;
	CCHECK(!sys_iserr(p), "mmap: %s", ut_rstr(p));
	memcpy((void *)p, ret_insn, sizeof ret_insn);
	call((void *)p);
}

static void
c_exec_data(void *a)
{
	static unsigned char code[16] = { 0xc3 };

	(void)a;
	call(code);
}

static void
c_exec_rodata(void *a)
{
	(void)a;
	call((void *)ret_insn);
}

static void c_jump_kernel(void *a) { (void)a; call((void *)0xffffffff80000000UL); }
static void c_jump_noncanon(void *a) { (void)a; call((void *)0x0000800000000000UL); }

static void c_cli(void *a) { (void)a; __asm__ volatile("cli"); }
static void c_sti(void *a) { (void)a; __asm__ volatile("sti"); }
static void c_hlt(void *a) { (void)a; __asm__ volatile("hlt"); }
static void c_cr3(void *a) { (void)a; __asm__ volatile("mov %0, %%cr3" : : "r"(0UL)); }
static void c_rdcr0(void *a) { unsigned long v; (void)a; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); }
static void c_rdmsr(void *a) { (void)a; __asm__ volatile("rdmsr" : : "c"(0x10) : "rax", "rdx"); }
static void c_wrmsr(void *a) { (void)a; __asm__ volatile("wrmsr" : : "c"(0xc0000100), "a"(0), "d"(0)); }
static void c_lidt(void *a) { static char d[10]; (void)a; __asm__ volatile("lidt %0" : : "m"(d)); }
static void c_invlpg(void *a) { (void)a; __asm__ volatile("invlpg (%0)" : : "r"(0UL) : "memory"); }
static void c_inb(void *a) { (void)a; __asm__ volatile("inb $0x80, %%al" : : : "rax"); }
static void c_outb(void *a) { (void)a; __asm__ volatile("outb %%al, $0x80" : : "a"(0)); }
static void c_inb_dx(void *a) { (void)a; __asm__ volatile("inb %%dx, %%al" : : "d"(0x3f8) : "rax"); }
static void c_outb_dx(void *a) { (void)a; __asm__ volatile("outb %%al, %%dx" : : "a"('!'), "d"(0x3f8)); }
static void c_int_0x30(void *a) { (void)a; __asm__ volatile("int $0x30"); }
static void c_int_0x20(void *a) { (void)a; __asm__ volatile("int $0x20"); }
static void c_int_0x0e(void *a) { (void)a; __asm__ volatile("int $0x0e"); }
static void c_int_0x0d(void *a) { (void)a; __asm__ volatile("int $0x0d"); }
static void c_int_0xff(void *a) { (void)a; __asm__ volatile("int $0xff"); }

static void
c_bad_selector(void *a)
{
	(void)a;
	/* Index 0x246 is past the end of any GDT here: #GP. */
	__asm__ volatile("mov %0, %%ds" : : "r"(0x1233));
}

static void
c_bad_rsp(void *a)
{
	/* No stack at all: the push faults, and no handler could run. */
	__asm__ volatile("mov %0, %%rsp; push %%rax" : : "r"(a));
}

static void
t_null(void)
{
	CHECK_SIGNAL(c_read_addr, (void *)0, SIGSEGV);
	CHECK_SIGNAL(c_write_addr, (void *)0, SIGSEGV);
	CHECK_SIGNAL(c_read_addr, (void *)0xfff, SIGSEGV);	/* the last byte of page 0 */
}

static void
t_text_write(void)
{
	CHECK_SIGNAL(c_text_write, 0, SIGSEGV);
	CHECK_SIGNAL(c_rodata_write, 0, SIGSEGV);
}

static void
t_nx(void)
{
	CHECK_SIGNAL(c_exec_stack, 0, SIGSEGV);
	CHECK_SIGNAL(c_exec_heap, 0, SIGSEGV);
	CHECK_SIGNAL(c_exec_mmap, 0, SIGSEGV);
	CHECK_SIGNAL(c_exec_data, 0, SIGSEGV);
	CHECK_SIGNAL(c_exec_rodata, 0, SIGSEGV);
}

static void
t_kernel_half(void)
{
	CHECK_SIGNAL(c_read_addr, (void *)0xffff800000000000UL, SIGSEGV);
	CHECK_SIGNAL(c_read_addr, (void *)0xffffffff80000000UL, SIGSEGV);
	CHECK_SIGNAL(c_write_addr, (void *)0xffffffff80000000UL, SIGSEGV);
	CHECK_SIGNAL(c_read_addr, (void *)0xfffffffffffff000UL, SIGSEGV);
	CHECK_SIGNAL(c_jump_kernel, 0, SIGSEGV);
}

static void
t_noncanonical(void)
{
	/* A #GP, not a #PF, but the same signal. */
	CHECK_SIGNAL(c_read_addr, (void *)0x0000800000000000UL, SIGSEGV);
	CHECK_SIGNAL(c_read_addr, (void *)0x8000000000000000UL, SIGSEGV);
	CHECK_SIGNAL(c_write_addr, (void *)0x8000000000000000UL, SIGSEGV);
	CHECK_SIGNAL(c_jump_noncanon, 0, SIGSEGV);
}

static void
t_ud2(void)
{
	CHECK_SIGNAL(ut_probe_ud2, 0, SIGILL);
}

static void
t_div(void)
{
	CHECK_SIGNAL(ut_probe_div_zero, 0, SIGFPE);
	CHECK_SIGNAL(ut_probe_idiv_overflow, 0, SIGFPE);
}

static void
t_int3(void)
{
	CHECK_SIGNAL(ut_probe_int3, 0, SIGTRAP);
}

static void
t_privileged(void)
{
	CHECK_SIGNAL(c_cli, 0, SIGSEGV);
	CHECK_SIGNAL(c_sti, 0, SIGSEGV);
	CHECK_SIGNAL(c_hlt, 0, SIGSEGV);
	CHECK_SIGNAL(c_cr3, 0, SIGSEGV);
	CHECK_SIGNAL(c_rdcr0, 0, SIGSEGV);
	CHECK_SIGNAL(c_rdmsr, 0, SIGSEGV);
	CHECK_SIGNAL(c_wrmsr, 0, SIGSEGV);
	CHECK_SIGNAL(c_lidt, 0, SIGSEGV);
	CHECK_SIGNAL(c_invlpg, 0, SIGSEGV);
}

static void
t_port_io(void)
{
	CHECK_SIGNAL(c_inb, 0, SIGSEGV);
	CHECK_SIGNAL(c_outb, 0, SIGSEGV);
	CHECK_SIGNAL(c_inb_dx, 0, SIGSEGV);
	CHECK_SIGNAL(c_outb_dx, 0, SIGSEGV);
}

static void
t_int_dpl0(void)
{
	CHECK_SIGNAL(c_int_0x30, 0, SIGSEGV);
	CHECK_SIGNAL(c_int_0x20, 0, SIGSEGV);
	CHECK_SIGNAL(c_int_0x0e, 0, SIGSEGV);	/* the #PF vector */
	CHECK_SIGNAL(c_int_0x0d, 0, SIGSEGV);	/* the #GP vector */
	CHECK_SIGNAL(c_int_0xff, 0, SIGSEGV);
}

static void
t_bad_selector(void)
{
	CHECK_SIGNAL(c_bad_selector, 0, SIGSEGV);
}

static void
t_bad_rsp(void)
{
	int st;

	CHECK_SIGNAL(c_bad_rsp, (void *)0, SIGSEGV);
	CHECK_SIGNAL(c_bad_rsp, (void *)0xffff800000001000UL, SIGSEGV);
	/*
	 * A non-canonical stack address: real CPUs raise a stack-segment
	 * fault (#SS), for which Linux sends SIGBUS; QEMU's emulation (TCG)
	 * raises #GP instead, so Linux sends SIGSEGV there.  Either is right.
	 */
	CHECK_EQ(ut_run(c_bad_rsp, (void *)0x8000000000000000UL, &st), 0);
	CHECK(WIFSIGNALED(st) && (WTERMSIG(st) == SIGBUS || WTERMSIG(st) == SIGSEGV),
	    "child %s, want killed by SIGBUS (#SS) or SIGSEGV (#GP)", ut_status_str(st));
}

static void
t_stack_overflow(void)
{
	CHECK_SIGNAL(ut_probe_stack_overflow, 0, SIGSEGV);
}

struct regs_arg {
	long seed, loops, nr;
};

static void
c_regs(void *arg)
{
	struct regs_arg *r = arg;

	sys_exit_group(regs_check(r->seed, r->loops, r->nr));
}

/* Three processes check their registers at once, so they switch often. */
static void
regs_race(const char *file, int line, long loops, long nr)
{
	struct regs_arg args[3];
	long pids[3];
	int st;

	for (int i = 0; i < 3; i++) {
		args[i] = (struct regs_arg){ 0x1000000000000000L * (i + 1) + 0x10101010, loops, nr };
		pids[i] = ut_spawn(c_regs, &args[i]);
		if (pids[i] < 0) {
			ut_fail(file, line, "fork: %s", ut_rstr(pids[i]));
			return;
		}
	}
	for (int i = 0; i < 3; i++) {
		if (ut_wait(pids[i], &st) != 0)
			ut_fail(file, line, "child %d did not finish", i);
		else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			ut_fail(file, line, "child %d %s (register %d changed)",
			    i, ut_status_str(st), WIFEXITED(st) ? WEXITSTATUS(st) : 0);
	}
}

static void
t_regs_preempt(void)
{
	/* Long enough to be preempted a few times, even under emulation. */
	regs_race(__FILE__, __LINE__, 30000000, -1);
}

static void
t_regs_syscall(void)
{
	regs_race(__FILE__, __LINE__, 20000, SYS_getpid);
	regs_race(__FILE__, __LINE__, 2000, SYS_sched_yield);
}

const struct utest fault_tests[] = {
	{ "null pointer read and write -> SIGSEGV", t_null, 0 },
	{ "write to the text segment and rodata -> SIGSEGV", t_text_write, 0 },
	{ "execute stack, heap, mmap, data, rodata (no PROT_EXEC) -> SIGSEGV", t_nx, 0 },
	{ "read, write, jump to the kernel half -> SIGSEGV", t_kernel_half, 0 },
	{ "non-canonical read, write, jump -> SIGSEGV", t_noncanonical, 0 },
	{ "ud2 -> SIGILL", t_ud2, 0 },
	{ "div by zero and INT64_MIN/-1 -> SIGFPE", t_div, 0 },
	{ "int3 -> SIGTRAP", t_int3, 0 },
	{ "privileged instructions (cli, sti, hlt, cr3, cr0, rdmsr, wrmsr, lidt, invlpg) -> SIGSEGV", t_privileged, 0 },
	{ "in/out to ports -> SIGSEGV", t_port_io, 0 },
	{ "int $0x30, $0x20, $0x0e, $0x0d, $0xff (DPL 0 gates) -> SIGSEGV", t_int_dpl0, 0 },
	{ "loading a bad segment selector -> SIGSEGV", t_bad_selector, 0 },
	{ "push with a bad %rsp -> SIGSEGV (#PF), SIGBUS or SIGSEGV (#SS)", t_bad_rsp, 0 },
	{ "stack overflow by unbounded recursion -> SIGSEGV", t_stack_overflow, 0 },
	{ "general and SSE registers survive preemption", t_regs_preempt, 0 },
	{ "registers but rax, rcx, r11 survive syscalls", t_regs_syscall, 0 },
	{ 0, 0, 0 },
};
