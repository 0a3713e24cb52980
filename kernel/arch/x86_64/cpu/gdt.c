/*
 * gdt.c: the GDT and the TSS of the (single, for now) CPU.
 *
 * Interface:
 *   gdt_init()                 load the GDT, reload segments, load TR, and
 *                              a null LDTR
 *   tss_set_rsp0(top)          the stack ring-3 interrupts land on
 *   tss_set_ist(n, top)        an IST stack (segments.h IST_*)
 *
 * The descriptor layouts are in Intel SDM Vol. 3A, 3.4.5 (segment
 * descriptors) and 8.2.3 / figure 8-11 (64-bit TSS and its descriptor).
 */
#include <keel/kernel.h>
#include <arch/gdt.h>
#include <arch/segments.h>
#include <arch/traps.h>
#include <keel/vm.h>

struct tss {
	uint32_t tss_reserved0;
	uint64_t tss_rsp[3];		/* rsp[0]: stack for traps from ring 3 */
	uint64_t tss_reserved1;
	uint64_t tss_ist[7];		/* ist[n - 1]: IST stack n */
	uint64_t tss_reserved2;
	uint16_t tss_reserved3;
	uint16_t tss_iopb;		/* offset of the I/O bitmap: none */
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "64-bit TSS");
_Static_assert(__builtin_offsetof(struct tss, tss_rsp) == 4, "TSS rsp0");
_Static_assert(__builtin_offsetof(struct tss, tss_ist) == 36, "TSS ist1");
_Static_assert(__builtin_offsetof(struct tss, tss_iopb) == 102, "TSS iopb");

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

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16))) = {
	[GDT_NULL]	= 0,
	[GDT_KCODE]	= D_P | D_DPL(0) | D_S | D_CODE | D_RW | D_L | D_G | D_LIMIT,
	[GDT_KDATA]	= D_P | D_DPL(0) | D_S | D_RW | D_G | D_LIMIT,
	[GDT_UCODE32]	= 0,
	[GDT_UDATA]	= D_P | D_DPL(3) | D_S | D_RW | D_G | D_LIMIT,
	[GDT_UCODE]	= D_P | D_DPL(3) | D_S | D_CODE | D_RW | D_L | D_G | D_LIMIT,
	/* GDT_TSS, GDT_TSS + 1: filled in by gdt_init (the address is not constant). */
};

/* The I/O bitmap offset past the limit: ring 3 may use no port at all. */
static struct tss tss __attribute__((aligned(16))) = { .tss_iopb = sizeof(struct tss) };

struct descptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

void
gdt_init(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	struct descptr d = { sizeof(gdt) - 1, (uint64_t)gdt };

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

/* The LDTR selector, for the self-tests: 0 once gdt_init has run. */
uint16_t
ldt_selector(void)
{
	uint16_t sel;

	__asm__ volatile("sldt %0" : "=r"(sel));
	return sel;
}

void
tss_set_rsp0(uint64_t top)
{
	tss.tss_rsp[0] = top;
}

void
tss_set_ist(int n, uint64_t top)
{
	ASSERT(n >= 1 && n <= 7);
	tss.tss_ist[n - 1] = top;
}

uint64_t
tss_get_rsp0(void)
{
	return tss.tss_rsp[0];
}

uint64_t
tss_get_ist(int n)
{
	return tss.tss_ist[n - 1];
}

void *
gdt_address(void)
{
	return gdt;
}

void *
tss_address(void)
{
	return &tss;
}

/*
 * IST stacks for the exceptions that may arrive on a broken or untrusted
 * stack: each a kernel stack with its own guard page.  Needs vm_init.
 */
void
gdt_init_ist(void)
{
	static const struct { int ist, vector; } ists[] = {
		{ IST_DF, T_DF }, { IST_NMI, T_NMI }, { IST_MC, T_MC },
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(ists); i++) {
		uint64_t top = kstack_alloc();

		if (top == 0)
			panic("gdt_init_ist: no memory for IST stacks");
		tss_set_ist(ists[i].ist, top);
		idt_set_ist(ists[i].vector, ists[i].ist);
	}
}
