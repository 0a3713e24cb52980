/*
 * idt.c: the interrupt descriptor table (Intel SDM Vol. 3A, 6.14.1).
 *
 * Every vector gets an interrupt gate (IF cleared on entry) to its stub in
 * vectors.S.  Gates are DPL 0, so `int n` from ring 3 raises #GP, as on
 * Linux, except #BP and #OF (DPL 3: `int3` and `into` give SIGTRAP and
 * SIGSEGV as on Linux) and the int 0x80 system-call gate, which goes to
 * int80_entry (syscall.S) instead.
 */
#include <keel/kernel.h>
#include <arch/gdt.h>
#include <arch/segments.h>
#include <arch/switch.h>
#include <arch/traps.h>

struct gate {
	uint16_t g_off0;
	uint16_t g_sel;
	uint8_t g_ist;		/* bits 0-2 */
	uint8_t g_type;		/* P, DPL, type */
	uint16_t g_off1;
	uint32_t g_off2;
	uint32_t g_reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct gate) == 16, "64-bit IDT gate");

#define GATE_P		0x80
#define GATE_DPL(n)	((n) << 5)
#define GATE_INTR	0x0e

static struct gate idt[256] __attribute__((aligned(16)));

static void
set_gate(int v, uint64_t handler, int dpl)
{
	idt[v].g_off0 = handler & 0xffff;
	idt[v].g_off1 = (handler >> 16) & 0xffff;
	idt[v].g_off2 = handler >> 32;
	idt[v].g_sel = SEL_KCODE;
	idt[v].g_ist = 0;
	idt[v].g_type = GATE_P | GATE_DPL(dpl) | GATE_INTR;
}

void
idt_init(void)
{
	int v;

	/* The assembler cannot check this: every stub must be 16 bytes apart. */
	ASSERT(trap_stubs_end - trap_stubs == 256 * 16);
	for (v = 0; v < 256; v++)
		set_gate(v, (uint64_t)trap_stubs + 16 * v,
		    v == T_BP || v == T_OF || v == T_SYSCALL ? 3 : 0);
	/* int 0x80 has its own fast path (syscall.S), falling back to its stub's. */
	set_gate(T_SYSCALL, (uint64_t)int80_entry, 3);
}

void
idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) d = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" : : "m"(d));
}

void
idt_set_ist(int v, int ist)
{
	idt[v].g_ist = ist;
}

void *
idt_address(void)
{
	return idt;
}
