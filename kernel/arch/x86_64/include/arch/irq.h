/*
 * irq.h: the x86 side of <keel/irq.h>: the sources local to the CPU, and
 * what the IDT stubs call for a vector at or above T_IRQ_BASE.
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include <stdint.h>
#include <keel/irq.h>

/* The LAPIC timer (TSC-deadline or count), on V_TIMER (apic.h). */
#define IRQ_LOCAL_TIMER		(IRQ_LOCAL_BASE + 0)
/* The LAPIC's error interrupt (ESR), on V_APIC_ERROR. */
#define IRQ_LOCAL_APIC_ERROR	(IRQ_LOCAL_BASE + 1)

/* trap.c: external vector v arrived; the handler runs, then the EOI. */
void irq_dispatch(unsigned v);

#endif
