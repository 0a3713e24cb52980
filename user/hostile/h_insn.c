/*
 * h_insn.c: instructions ring 3 may not execute, and the exceptions it may
 * raise.  Linux's answers (arch/x86/kernel/traps.c, idt.c):
 *
 *   - privileged instructions, port I/O without ioperm, loads of kernel
 *     selectors, far returns and IRETQs towards ring 0: #GP, SIGSEGV;
 *   - `int n` through a gate of DPL 0 (every vector but 3, 4 and 0x80):
 *     #GP, SIGSEGV; `int $3` (cd 03) is #BP like int3 (cc): SIGTRAP;
 *     `int $4` is #OF through Linux's DPL 3 gate: SIGSEGV; `int $0x80` is
 *     the i386 system call: a bad number returns -ENOSYS;
 *   - icebp (f1, "int1") is #DB: SIGTRAP; into (ce) does not exist in
 *     64-bit mode: #UD, SIGILL, like ud2 and ud1;
 *   - divide errors: SIGFPE; x87 and SSE exceptions unmasked by the
 *     program: #MF / #XM, SIGFPE.
 *
 * An IRETQ or POPFQ executed in ring 3 cannot raise the privilege level,
 * load IOPL or clear IF: the CPU keeps them, so a frame asking for IOPL 3
 * and IF off returns normally with both unchanged, and cli still faults.
 *
 * QEMU's TCG (7.2) pops the stack of a ring-3 IRETQ or LRETQ as a
 * supervisor access: with SMAP on, that is a page fault no hardware would
 * raise (Linux oopses and kills the task; the fault cannot be fixed).
 * Those two are skipped when CPUID says TCG and SMAP (see tcg_smap).
 * QEMU's TCG also raises #UD for icebp and no #XM for SSE exceptions
 * (the flag is set, nothing traps): SIGILL and no signal are accepted
 * there.
 *
 * Not tested: sgdt/sidt/smsw/sldt/str (Linux emulates some of them under
 * UMIP), sysenter/sysexit (#UD or #GP depending on the CPU vendor), and
 * 32-bit code segments (Linux has one for user space, keel none).
 *
 * Interface: insn_tests[] (hostile.h).
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include "hostile.h"

long h_int_vector(long vector, long rax);

/* One privileged instruction per function, each run in a grandchild. */
#define PRIV(name, ...)	\
	static void c_##name(void *a) { (void)a; __asm__ volatile(__VA_ARGS__); }

PRIV(cli, "cli")
PRIV(sti, "sti")
PRIV(hlt, "hlt")
PRIV(rd_cr0, "mov %%cr0, %%rax" : : : "rax")
PRIV(wr_cr0, "xor %%eax, %%eax; mov %%rax, %%cr0" : : : "rax")
PRIV(rd_cr2, "mov %%cr2, %%rax" : : : "rax")
PRIV(rd_cr3, "mov %%cr3, %%rax" : : : "rax")
PRIV(wr_cr3, "xor %%eax, %%eax; mov %%rax, %%cr3" : : : "rax")
PRIV(rd_cr4, "mov %%cr4, %%rax" : : : "rax")
PRIV(wr_cr4, "xor %%eax, %%eax; mov %%rax, %%cr4" : : : "rax")
PRIV(rd_cr8, "mov %%cr8, %%rax" : : : "rax")
PRIV(wr_cr8, "mov $15, %%eax; mov %%rax, %%cr8" : : : "rax")
PRIV(rd_dr7, "mov %%db7, %%rax" : : : "rax")
PRIV(wr_dr7, "mov $0x401, %%eax; mov %%rax, %%db7" : : : "rax")
PRIV(rdmsr, "rdmsr" : : "c"(0xc0000080) : "rax", "rdx")	/* EFER */
PRIV(wrmsr, "wrmsr" : : "c"(0xc0000082), "a"(0), "d"(0))	/* LSTAR */
PRIV(rdpmc, "rdpmc" : : "c"(0) : "rax", "rdx")
PRIV(inb, "inb $0x80, %%al" : : : "rax")
PRIV(outb, "outb %%al, $0x80" : : "a"(0))
PRIV(inb_dx, "inb %%dx, %%al" : : "d"(0x3f8) : "rax")
PRIV(outb_dx, "outb %%al, %%dx" : : "a"('!'), "d"(0x3f8))
PRIV(outw_dx, "outw %%ax, %%dx" : : "a"(0x2000), "d"(0x604))	/* QEMU's ACPI power-off */
PRIV(outl_dx, "outl %%eax, %%dx" : : "a"(0), "d"(0xf4))	/* isa-debug-exit */
PRIV(insb, "rep insb" : : "D"(0), "c"(1), "d"(0x3f8) : "memory")
PRIV(outsb, "rep outsb" : : "S"("x"), "c"(1), "d"(0x3f8))
PRIV(clts, "clts")
PRIV(lmsw, "lmsw %%ax" : : "a"(1))
PRIV(wbinvd, "wbinvd")
PRIV(invd, "invd")
PRIV(invlpg, "invlpg (%0)" : : "r"(0UL) : "memory")
PRIV(swapgs, "swapgs")
PRIV(sysret, "sysretq")
PRIV(ltr, "ltr %%ax" : : "a"(0x28))
PRIV(lldt, "lldt %%ax" : : "a"(0))

static void
c_lgdt(void *a)
{
	static struct { uint16_t limit; uint64_t base; } __attribute__((packed)) d;

	(void)a;
	__asm__ volatile("lgdt %0" : : "m"(d));
}

static void
c_lidt(void *a)
{
	static struct { uint16_t limit; uint64_t base; } __attribute__((packed)) d;

	(void)a;
	__asm__ volatile("lidt %0" : : "m"(d));
}

static void (*const privileged[])(void *) = {
	c_cli, c_sti, c_hlt, c_rd_cr0, c_wr_cr0, c_rd_cr2, c_rd_cr3, c_wr_cr3,
	c_rd_cr4, c_wr_cr4, c_rd_cr8, c_wr_cr8, c_rd_dr7, c_wr_dr7, c_rdmsr,
	c_wrmsr, c_rdpmc, c_clts, c_lmsw, c_wbinvd, c_invd, c_invlpg, c_swapgs,
	c_sysret, c_ltr, c_lldt, c_lgdt, c_lidt,
};
static const char *const privileged_name[] = {
	"cli", "sti", "hlt", "mov cr0->", "mov ->cr0", "mov cr2->", "mov cr3->",
	"mov ->cr3", "mov cr4->", "mov ->cr4", "mov cr8->", "mov ->cr8",
	"mov dr7->", "mov ->dr7", "rdmsr", "wrmsr", "rdpmc", "clts", "lmsw",
	"wbinvd", "invd", "invlpg", "swapgs", "sysret", "ltr", "lldt", "lgdt",
	"lidt",
};

static void (*const port_io[])(void *) = {
	c_inb, c_outb, c_inb_dx, c_outb_dx, c_outw_dx, c_outl_dx, c_insb, c_outsb,
};
static const char *const port_io_name[] = {
	"inb $0x80", "outb $0x80", "inb (dx)", "outb (dx)", "outw 0x604",
	"outl 0xf4", "rep insb", "rep outsb",
};

static int
each_segv(void (*const fn[])(void *), const char *const name[], int n)
{
	for (int i = 0; i < n; i++) {
		int st;
		long r = ut_run(fn[i], 0, &st);

		if (r < 0) {
			ut_fail(__FILE__, __LINE__, "%s: running: %s", name[i], ut_rstr(r));
			return 0;
		}
		if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV) {
			ut_fail(__FILE__, __LINE__, "%s: %s, want killed by SIGSEGV",
			    name[i], ut_status_str(st));
			return 0;
		}
	}
	return 1;
}

static void
t_privileged(void)
{
	each_segv(privileged, privileged_name, sizeof privileged / sizeof privileged[0]);
}

static void
t_port_io(void)
{
	each_segv(port_io, port_io_name, sizeof port_io / sizeof port_io[0]);
}

/* ---- segment selectors and far transfers towards ring 0 ---- */

static void
cpuid(unsigned leaf, unsigned sub, unsigned r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(sub));
}

/* Running on QEMU's TCG: the hypervisor leaf says "TCGTCGTCGTCG". */
static int
on_tcg(void)
{
	unsigned r[4];
	char vendor[13];

	cpuid(0x40000000, 0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[2], 4);
	memcpy(vendor + 8, &r[3], 4);
	vendor[12] = '\0';
	return strcmp(vendor, "TCGTCGTCGTCG") == 0;
}

/* QEMU's TCG with SMAP: ring-3 IRETQ and LRETQ cannot be tested (see the top). */
static int
tcg_smap(void)
{
	unsigned r[4];

	cpuid(0, 0, r);
	if (r[0] < 7)
		return 0;
	cpuid(7, 0, r);
	return (r[1] & (1u << 20)) && on_tcg();	/* SMAP */
}

/* Selectors 0x08 and 0x10: a kernel code or data segment on both kernels. */
static void c_load_ds(void *a) { __asm__ volatile("mov %0, %%ds" : : "r"((long)a)); }
static void c_load_ss(void *a) { __asm__ volatile("mov %0, %%ss" : : "r"((long)a)); }
static void c_load_es(void *a) { __asm__ volatile("mov %0, %%es" : : "r"((long)a)); }

/* lretq to selector sel: a return to a more privileged level faults. */
static void
c_lret(void *a)
{
	__asm__ volatile(
	    "pushq %0\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:"
	    : : "r"((long)a) : "rax", "memory");
}

/* ljmp through a far pointer to selector sel. */
static void
c_ljmp(void *a)
{
	static struct { uint64_t off; uint16_t sel; } __attribute__((packed)) fp;

	fp.off = (uint64_t)(unsigned long)c_ljmp;
	fp.sel = (uint16_t)(long)a;
	__asm__ volatile("rex64 ljmp *%0" : : "m"(fp));
}

static void
t_selectors(void)
{
	/* Kernel selectors with RPL 0 and RPL 3, and one past any GDT. */
	static const long sels[] = { 0x08, 0x10, 0x0b, 0x13, 0x1233 };

	for (unsigned i = 0; i < sizeof sels / sizeof sels[0]; i++) {
		CHECK_SIGNAL(c_load_ds, (void *)sels[i], SIGSEGV);
		CHECK_SIGNAL(c_load_ss, (void *)sels[i], SIGSEGV);
		CHECK_SIGNAL(c_load_es, (void *)sels[i], SIGSEGV);
		CHECK_SIGNAL(c_ljmp, (void *)sels[i], SIGSEGV);
		if (!tcg_smap())
			CHECK_SIGNAL(c_lret, (void *)sels[i], SIGSEGV);
	}
	/* A null SS in ring 3 is refused too. */
	CHECK_SIGNAL(c_load_ss, (void *)0, SIGSEGV);
}

/* POPFQ in ring 3 asking for IOPL 3 and IF off: both ignored, cli still faults. */
static void
c_popf(void *a)
{
	unsigned long fl;

	(void)a;
	__asm__ volatile("pushq %1; popfq; pushfq; popq %0"
	    : "=r"(fl) : "r"(RFLAGS_IOPL | 0x2UL) : "memory", "cc");
	if (fl & RFLAGS_IOPL)
		sys_exit_group(3);
	if (!(fl & RFLAGS_IF))
		sys_exit_group(4);
	__asm__ volatile("cli");
	sys_exit_group(6);
}

static void
t_popf(void)
{
	CHECK_SIGNAL(c_popf, 0, SIGSEGV);
}

/* ---- IRETQ with crafted frames, executed in ring 3 ---- */

struct iret_frame {
	uint64_t rip, cs, rflags, rsp, ss;
};

static char landing_stack[8192] __attribute__((aligned(16)));

/* Where a harmless IRETQ lands: IOPL must still be 0 and IF still 1. */
static void __attribute__((noreturn, used))
iret_landing(void)
{
	unsigned long fl;

	__asm__ volatile("pushfq; popq %0" : "=r"(fl));
	if (fl & RFLAGS_IOPL)
		sys_exit_group(3);
	if (!(fl & RFLAGS_IF))
		sys_exit_group(4);
	if ((h_cs() & 3) != 3)
		sys_exit_group(5);
	/* IOPL is still 0: cli must still fault (the parent wants SIGSEGV). */
	__asm__ volatile("cli");
	sys_exit_group(6);
}

static void
c_iret(void *a)
{
	struct iret_frame *f = a;

	__asm__ volatile("mov %0, %%rsp; iretq" : : "r"(f) : "memory");
}

static struct iret_frame
frame(uint64_t rip, uint64_t cs, uint64_t rflags, uint64_t ss)
{
	/* The landing is entered like a function: rsp = 8 mod 16. */
	uint64_t rsp = (uint64_t)(landing_stack + sizeof landing_stack) - 8;

	return (struct iret_frame){ rip, cs, rflags, rsp, ss };
}

static void
t_iretq(void)
{
	uint64_t cs = h_cs(), ss = h_ss(), land = (uint64_t)iret_landing;
	struct iret_frame f;

	if (tcg_smap()) {
		ut_skip("QEMU's TCG pops a ring-3 IRETQ frame as a supervisor access (SMAP)");
		return;
	}
	/* The control case: a plain frame lands, and cli there faults. */
	f = frame(land, cs, 0x202, ss);
	CHECK_SIGNAL(c_iret, &f, SIGSEGV);
	/* IOPL 3 and IF off are ignored in ring 3: same as the control. */
	f = frame(land, cs, RFLAGS_IOPL | 0x2, ss);
	CHECK_SIGNAL(c_iret, &f, SIGSEGV);
	/* Towards ring 0: the kernel's code selectors; SS of the kernel or null. */
	f = frame(land, 0x08, 0x202, ss);
	CHECK_SIGNAL(c_iret, &f, SIGSEGV);
	f = frame(land, 0x10, 0x202, ss);
	CHECK_SIGNAL(c_iret, &f, SIGSEGV);
	f = frame(land, 0x0b, 0x202, ss);
	CHECK_SIGNAL(c_iret, &f, SIGSEGV);
	f = frame(land, cs, 0x202, 0x10);
	CHECK_SIGNAL(c_iret, &f, SIGSEGV);
	f = frame(land, cs, 0x202, 0);
	CHECK_SIGNAL(c_iret, &f, SIGSEGV);
	/* A non-canonical or kernel RIP. */
	f = frame(A_NONCANON_LO, cs, 0x202, ss);
	CHECK_SIGNAL(c_iret, &f, SIGSEGV);
	f = frame(A_NONCANON_HI, cs, 0x202, ss);
	CHECK_SIGNAL(c_iret, &f, SIGSEGV);
	f = frame(A_KTEXT, cs, 0x202, ss);
	CHECK_SIGNAL(c_iret, &f, SIGSEGV);
}

/* ---- exceptions ---- */

static void c_icebp(void *a) { (void)a; __asm__ volatile(".byte 0xf1"); }
static void c_into(void *a) { (void)a; __asm__ volatile(".byte 0xce"); }
static void c_ud1(void *a) { (void)a; __asm__ volatile(".byte 0x0f, 0xb9, 0xc0"); }
static void c_lock_nop(void *a) { (void)a; __asm__ volatile(".byte 0xf0, 0x90"); }

static void
c_x87(void *a)
{
	uint16_t cw = 0x037b;	/* the default 0x037f with ZM (divide by zero) unmasked */
	double one = 1.0, zero = 0.0;

	(void)a;
	__asm__ volatile("fldcw %0; fldl %1; fdivl %2; fwait; fstp %%st(0)"
	    : : "m"(cw), "m"(one), "m"(zero));
}

static void
c_sse(void *a)
{
	uint32_t mxcsr = 0x1f80 & ~0x200;	/* ZM (divide by zero) unmasked */
	float one = 1.0f, zero = 0.0f;

	(void)a;
	__asm__ volatile("ldmxcsr %0; movss %1, %%xmm0; divss %2, %%xmm0"
	    : : "m"(mxcsr), "m"(one), "m"(zero) : "xmm0");
}

static void
t_exceptions(void)
{
	int st;

	CHECK_SIGNAL(ut_probe_int3, 0, SIGTRAP);
	CHECK_EQ(ut_run(c_icebp, 0, &st), 0);
	CHECK(WIFSIGNALED(st) && (WTERMSIG(st) == SIGTRAP ||
	    (on_tcg() && WTERMSIG(st) == SIGILL)),
	    "icebp: %s, want killed by SIGTRAP", ut_status_str(st));
	CHECK_SIGNAL(c_into, 0, SIGILL);
	CHECK_SIGNAL(ut_probe_ud2, 0, SIGILL);
	CHECK_SIGNAL(c_ud1, 0, SIGILL);
	CHECK_SIGNAL(c_lock_nop, 0, SIGILL);
	CHECK_SIGNAL(ut_probe_div_zero, 0, SIGFPE);
	CHECK_SIGNAL(ut_probe_idiv_overflow, 0, SIGFPE);
	CHECK_SIGNAL(c_x87, 0, SIGFPE);
	CHECK_EQ(ut_run(c_sse, 0, &st), 0);
	CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGFPE) ||
	    (on_tcg() && WIFEXITED(st) && WEXITSTATUS(st) == 0),
	    "SSE divide by zero unmasked: %s, want killed by SIGFPE", ut_status_str(st));
}

/* ---- int n for every vector ---- */

static void
c_int_n(void *a)
{
	long v = (long)a;
	/* For int $0x80: a number no i386 system call has. */
	long r = h_int_vector(v, 0xffff);

	/* Only the system call gate comes back. */
	CCHECK(v == 0x80, "int $%#lx returned %s", v, ut_rstr(r));
	CCHECK_EQ((int)r, -ENOSYS);
	sys_exit_group(0);
}

static void
t_int_all(void)
{
	for (long v = 0; v < 256; v++) {
		int st, want = v == 3 ? SIGTRAP : SIGSEGV;
		long r = ut_run(c_int_n, (void *)v, &st);

		CHECK(r == 0, "int $%#lx: running: %s", v, ut_rstr(r));
		if (v == 0x80) {
			CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			    "int $0x80 (eax 0xffff): %s, want exited 0", ut_status_str(st));
			continue;
		}
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == want,
		    "int $%#lx: %s, want killed by %s", v, ut_status_str(st), ut_signame(want));
	}
}

const struct htest insn_tests[] = {
	{ "privileged instructions (cli sti hlt mov cr/dr rdmsr wrmsr rdpmc clts lmsw "
	  "wbinvd invd invlpg swapgs sysret ltr lldt lgdt lidt) -> SIGSEGV", t_privileged, 0 },
	{ "port I/O (in, out, ins, outs; serial, ACPI off, debug exit) -> SIGSEGV", t_port_io, 0 },
	{ "kernel and bad selectors: mov ds/ss/es, lret, ljmp -> SIGSEGV", t_selectors, 0 },
	{ "popfq with IOPL 3 and IF off: ignored, cli still -> SIGSEGV", t_popf, 0 },
	{ "iretq in ring 3: IOPL/IF ignored, towards ring 0, bad SS, bad RIP -> SIGSEGV",
	  t_iretq, 0 },
	{ "int3, icebp -> SIGTRAP; into, ud2, ud1, lock nop -> SIGILL; "
	  "div, x87, SSE -> SIGFPE", t_exceptions, 0 },
	{ "int $n for every vector: 3 -> SIGTRAP, 0x80 -> -ENOSYS, others -> SIGSEGV",
	  t_int_all, 0 },
	{ 0, 0, 0 },
};
