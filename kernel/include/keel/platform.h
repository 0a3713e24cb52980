/*
 * platform.h: the machine around the CPU: ACPI tables, interrupt
 * controllers, clocks, and powering off.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <keel/acpi.h>
#include <shared/bootinfo.h>

extern struct acpi_info platform_acpi;

/* ACPI, PIC masked, LAPIC, IO-APICs, calibrated clock, interrupts on. */
void platform_init(const struct bootinfo *bi);
/* Power off through ACPI; returns only if that did not work. */
void platform_poweroff(void);
/* Restart the machine; returns only if that did not work. */
void platform_reset(void);

#endif
