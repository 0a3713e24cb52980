/*
 * gdt.c: each CPU's GDT and TSS, members of its struct arch_cpu
 * (<arch/percpu.h>).
 *
 * Interface:
 *   gdt_load(ac)               fill ac's GDT and TSS, load the GDT, reload
 *                              segments, load TR and a null LDTR: on the
 *                              CPU that owns ac (cpu_init_this)
 *   gdt_init_ist()             IST stacks for the running CPU's TSS
 *   tss_set_rsp0(top)          the stack ring-3 interrupts and system
 *                              calls land on (TSS RSP0, ac_kstack_top)
 *   tss_set_ist(n, top)        an IST stack (segments.h IST_*)
 *   gdt_address(), tss_address(), tss_get_rsp0(), tss_get_ist(n)
 *                              the running CPU's, for the entry audit
 *
 * The descriptor layouts are in Intel SDM Vol. 3A, 3.4.5 (segment
 * descriptors) and 8.2.3 / figure 8-11 (64-bit TSS and its descriptor).
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <arch/gdt.h>
#include <arch/percpu.h>
#include <arch/segments.h>
#include <arch/traps.h>
#include <keel/vm.h>

/* Access byte and flags of a code/data descriptor. */
#define D_P		(1UL << 47)	/* present */
#define D_DPL(n)	((uint64_t)(n) << 45)
#define D_S		(1UL << 44)	/* code or data (not system) */
#define D_CODE		(1UL << 43)
#define D_RW		(1UL << 41)	/* readable code / writable data */
#define D_L		(1UL << 53)	/* 64-bit code */
#define D_G		(1UL << 55)
#define D_LIMIT		(0xfUL << 48 | 0xffffUL)
#define D_TSS_AVAIL	(9UL << 40)

/* Every CPU's GDT starts as this; gdt_load adds the CPU's own TSS. */
static const uint64_t gdt_template[GDT_ENTRIES] = {
	[GDT_NULL]	= 0,
	[GDT_KCODE]	= D_P | D_DPL(0) | D_S | D_CODE | D_RW | D_L | D_G | D_LIMIT,
	[GDT_KDATA]	= D_P | D_DPL(0) | D_S | D_RW | D_G | D_LIMIT,
	[GDT_UCODE32]	= 0,
	[GDT_UDATA]	= D_P | D_DPL(3) | D_S | D_RW | D_G | D_LIMIT,
	[GDT_UCODE]	= D_P | D_DPL(3) | D_S | D_CODE | D_RW | D_L | D_G | D_LIMIT,
	/* GDT_TSS, GDT_TSS + 1: filled in by gdt_load (each CPU has its TSS). */
};

struct descptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

void
gdt_load(struct arch_cpu *ac)
{
	uint64_t *gdt = ac->ac_gdt;
	uint64_t base = (uint64_t)&ac->ac_tss, limit = sizeof(ac->ac_tss) - 1;
	struct descptr d = { sizeof(ac->ac_gdt) - 1, (uint64_t)gdt };

	memcpy(gdt, gdt_template, sizeof(gdt_template));
	/* The I/O bitmap offset past the limit: ring 3 may use no port at all. */
	ac->ac_tss.tss_iopb = sizeof(struct tss);
	gdt[GDT_TSS] = D_P | D_TSS_AVAIL | (limit & 0xffff) |
	    ((base & 0xffffff) << 16) | ((base >> 24 & 0xff) << 56);
	gdt[GDT_TSS + 1] = base >> 32;

	__asm__ volatile(
	    "lgdt %0\n\t"
	    "mov %1, %%ds\n\t"
	    "mov %1, %%es\n\t"
	    "mov %1, %%ss\n\t"
	    "xor %%eax, %%eax\n\t"
	    "mov %%eax, %%fs\n\t"
	    "mov %%eax, %%gs\n\t"
	    /* Reload CS with a far return to the next instruction. */
	    "pushq %2\n\t"
	    "leaq 1f(%%rip), %%rax\n\t"
	    "pushq %%rax\n\t"
	    "lretq\n"
	    "1:\n\t"
	    "ltr %w3\n\t"
	    /*
	     * No LDT: the firmware's LDTR may still name one (OVMF leaves a
	     * usable LDT at linear address 0, which is user memory once a
	     * process maps it: its own descriptors, call gates into ring 0
	     * among them).  A null LDTR makes every selector with TI set
	     * fail LAR/LSL/VERR/VERW and fault when loaded, as on Linux.
	     */
	    "lldt %w4"
	    : : "m"(d), "r"(SEL_KDATA), "i"(SEL_KCODE), "r"(SEL_TSS), "r"(0)
	    : "rax", "memory");
}

/* The LDTR selector, for the self-tests: 0 once gdt_load has run. */
uint16_t
ldt_selector(void)
{
	uint16_t sel;

	__asm__ volatile("sldt %0" : "=r"(sel));
	return sel;
}

/* Interrupts from ring 3 take the TSS's; SYSCALL takes ac_kstack_top. */
void
tss_set_rsp0(uint64_t top)
{
	struct arch_cpu *ac = &curcpu()->c_arch;

	ac->ac_tss.tss_rsp[0] = top;
	ac->ac_kstack_top = top;
}

void
tss_set_ist(int n, uint64_t top)
{
	ASSERT(n >= 1 && n <= 7);
	curcpu()->c_arch.ac_tss.tss_ist[n - 1] = top;
}

uint64_t
tss_get_rsp0(void)
{
	return curcpu()->c_arch.ac_tss.tss_rsp[0];
}

uint64_t
tss_get_ist(int n)
{
	return curcpu()->c_arch.ac_tss.tss_ist[n - 1];
}

void *
gdt_address(void)
{
	return curcpu()->c_arch.ac_gdt;
}

void *
tss_address(void)
{
	return &curcpu()->c_arch.ac_tss;
}

/*
 * IST stacks for the exceptions that may arrive on a broken or untrusted
 * stack: each a kernel stack with its own guard page, in the running
 * CPU's TSS.  Needs vm_init.  The gates are the same on every CPU.
 */
void
gdt_init_ist(void)
{
	static const struct { int ist, vector; } ists[] = {
		{ IST_DF, T_DF }, { IST_NMI, T_NMI }, { IST_MC, T_MC },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(ists); i++) {
		/* An application processor's were made for it by the boot CPU. */
		uint64_t top = curcpu()->c_arch.ac_ist[i] ? curcpu()->c_arch.ac_ist[i] :
		    kstack_alloc();

		if (top == 0)
			panic("gdt_init_ist: no memory for IST stacks");
		tss_set_ist(ists[i].ist, top);
		idt_set_ist(ists[i].vector, ists[i].ist);
	}
}
