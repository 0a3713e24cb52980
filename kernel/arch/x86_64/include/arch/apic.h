/*
 * apic.h: the interrupt controllers: the legacy 8259 PIC (masked), the
 * local APIC (x2APIC when the CPU has it) and the IO-APICs from the MADT.
 * Intel SDM Vol. 3A, chapter 11; 82093AA IO-APIC datasheet.
 */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <stdint.h>
#include <keel/acpi.h>
#include <arch/traps.h>

/* Vectors the kernel owns (traps.h has the exceptions and 0x80). */
#define V_TIMER		0x20
/* 0x30-0xef but 0x80: GSIs and MSIs, as irq.c allocates them. */
/* 0xf0-0xf2: the IPIs (traps.h V_IPI_*). */
#define V_APIC_ERROR	0xfe
#define V_SPURIOUS	0xff

/* pic.c */
void pic_disable(void);

/* lapic.c */
void lapic_init(uint64_t phys);
void lapic_setup_this(void);
/* ICR low word: fixed delivery of a vector; INIT (assert, level); start-up. */
#define ICR_FIXED	0x00000u
#define ICR_INIT	0x04500u
#define ICR_STARTUP	0x04600u
int lapic_send_ipi(uint32_t dest, uint32_t icr_lo);
void lapic_eoi(void);
uint32_t lapic_id(void);
/* Send vector to this CPU (self IPI): for irq_raise. */
void lapic_self_ipi(uint8_t vector);
int lapic_is_x2apic(void);
/* The timer: divide by 16; periodic or one-shot count, or TSC-deadline. */
void lapic_timer_stop(void);
void lapic_timer_periodic(uint8_t vector, uint32_t count);
void lapic_timer_oneshot(uint8_t vector, uint32_t count);
void lapic_timer_deadline_mode(uint8_t vector);
uint32_t lapic_timer_current(void);
void lapic_timer_count_free(void);

/* ioapic.c */
void ioapic_init(const struct acpi_info *ai);
/*
 * Route GSI gsi to vector on the LAPIC with id dest, unmasked: edge or level,
 * active high or low.  0, or -1 when no IO-APIC has it.
 */
int ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest, int level, int active_low);
void ioapic_mask(uint32_t gsi);
int ioapic_count(void);

#endif
