/*
 * pic.c: the legacy 8259 pair.  Remapped away from the exception vectors
 * (so a stray interrupt cannot look like a fault) and then fully masked:
 * the kernel uses the APICs.  Writing these ports on a machine without the
 * 8259s is harmless.
 */
#include <arch/apic.h>
#include <arch/cpu.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define ICW1_INIT_ICW4	0x11
#define ICW4_8086	0x01
#define PIC_REMAP_BASE	0x20

void
pic_disable(void)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, PIC_REMAP_BASE);	/* ICW2: vector base */
	outb(PIC2_DATA, PIC_REMAP_BASE + 8);
	outb(PIC1_DATA, 4);			/* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 2);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	outb(PIC1_DATA, 0xff);			/* mask everything */
	outb(PIC2_DATA, 0xff);
}
