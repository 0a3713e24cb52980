/*
 * irq.h: interrupts for drivers.  A driver names its interrupt source and
 * gives a handler; the core (arch/x86_64/pc/irq.c) picks the vector, routes
 * the source to it (IO-APIC entry, MSI message), dispatches from the IDT
 * stubs and sends the EOI after the handler returns.  No driver touches an
 * interrupt controller.
 *
 * An irq number names a source:
 *   0 .. IRQ_NGSI-1            a GSI, an input of an IO-APIC (ACPI 5.2.13).
 *                              Legacy ISA IRQ n is irq_isa(n), which applies
 *                              the MADT's interrupt source overrides; a GSI
 *                              that no ISA IRQ uses is taken as PCI's
 *                              (level triggered, active low)
 *   IRQ_MSI_BASE + n           a message irq_alloc_msi programmed into a device
 *   IRQ_LOCAL_BASE + n         a source inside the CPU (<arch/irq.h>: the
 *                              LAPIC timer)
 *
 * Interface:
 *   irq_isa(isa)               the irq of ISA IRQ isa (0-15)
 *   irq_register(irq, fn, arg) fn(arg) on each interrupt, with interrupts
 *                              off; the source is unmasked.  0, -EBUSY (one
 *                              handler per irq), -ENOSPC (no vector), -EINVAL
 *   irq_unregister(irq)        mask the source again and forget the handler
 *                              (an MSI is switched off in its device)
 *   irq_alloc_msi(dev, fn, arg) an MSI for PCI device dev (one vector), its
 *                              capability programmed and enabled, INTx off:
 *                              the irq, or -ENODEV (no MSI capability),
 *                              -ENOSPC
 *   irq_count(irq)             interrupts handled so far
 *   irq_raise(irq)             deliver irq's vector to this CPU now, as if
 *                              the source fired (self-test)
 */
#ifndef KEEL_IRQ_H
#define KEEL_IRQ_H

#include <stdint.h>

#define IRQ_NGSI	0x10000
#define IRQ_MSI_BASE	0x10000
#define IRQ_LOCAL_BASE	0x20000

struct pci_dev;

typedef void (*irq_handler_fn)(void *arg);

int irq_isa(unsigned isa);
int irq_register(int irq, irq_handler_fn fn, void *arg);
void irq_unregister(int irq);
int irq_alloc_msi(struct pci_dev *dev, irq_handler_fn fn, void *arg);
uint64_t irq_count(int irq);
void irq_raise(int irq);

#endif
