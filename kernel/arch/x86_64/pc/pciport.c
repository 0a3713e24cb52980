/*
 * pciport.c: PCI configuration mechanism #1, the PC's ports 0xCF8 (address)
 * and 0xCFC (data) (PCI Local Bus 3.0, 3.2.2.3.2): segment 0, the first
 * 256 bytes of each function.  dev/pci.c uses it when the ACPI tables list
 * no ECAM (QEMU's pc machine, old chipsets).
 */
#include <keel/kernel.h>
#include <arch/arch.h>
#include <arch/cpu.h>
#include <arch/switch.h>

#define PCI_CONF_ADDR	0xcf8
#define PCI_CONF_DATA	0xcfc
#define CONF_ENABLE	(1u << 31)

/* Only this file reads 16-bit ports; cpu.h has the others. */
static inline uint16_t
inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static uint32_t
conf_addr(int bus, int dev, int fn, uint32_t off)
{
	return CONF_ENABLE | bus << 16 | dev << 11 | fn << 8 | (off & 0xfc);
}

/* The port pair is one shared register: interrupts off around each use. */
uint32_t
pci_port_read(int bus, int dev, int fn, uint32_t off, int size)
{
	uint64_t fl = intr_save();
	uint32_t v;

	outl(PCI_CONF_ADDR, conf_addr(bus, dev, fn, off));
	if (size == 1)
		v = inb(PCI_CONF_DATA + (off & 3));
	else if (size == 2)
		v = inw(PCI_CONF_DATA + (off & 2));
	else
		v = inl(PCI_CONF_DATA);
	intr_restore(fl);
	return v;
}

void
pci_port_write(int bus, int dev, int fn, uint32_t off, int size, uint32_t v)
{
	uint64_t fl = intr_save();

	outl(PCI_CONF_ADDR, conf_addr(bus, dev, fn, off));
	if (size == 1)
		outb(PCI_CONF_DATA + (off & 3), (uint8_t)v);
	else if (size == 2)
		outw(PCI_CONF_DATA + (off & 2), (uint16_t)v);
	else
		outl(PCI_CONF_DATA, v);
	intr_restore(fl);
}

/*
 * Whether mechanism #1 is there: the address register keeps what is
 * written to it (Linux's pci_check_type1).  A machine without it reads
 * 0xffffffff.
 */
int
pci_port_present(void)
{
	uint64_t fl = intr_save();
	uint32_t old = inl(PCI_CONF_ADDR), back;

	outl(PCI_CONF_ADDR, CONF_ENABLE);
	back = inl(PCI_CONF_ADDR);
	outl(PCI_CONF_ADDR, old);
	intr_restore(fl);
	return back == CONF_ENABLE;
}
