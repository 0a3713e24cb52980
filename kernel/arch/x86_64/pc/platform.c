/*
 * platform.c: bringing up the machine's interrupt and time hardware, in
 * the order it depends on itself: ACPI tells where the APICs and timers
 * are; the 8259s are masked before the APICs take over; the clock needs the
 * LAPIC; interrupts come on last.
 */
#include <keel/kernel.h>
#include <keel/cmdline.h>
#include <keel/platform.h>
#include <arch/apic.h>
#include <arch/clock.h>
#include <arch/cpu.h>

struct acpi_info platform_acpi;
static int acpi_ok;

void
platform_init(const struct bootinfo *bi)
{
	struct acpi_info *ai = &platform_acpi;
	char force[16];

	if (bi->bi_rsdp == 0)
		kprintf("acpi: no RSDP from the firmware; using PC defaults\n");
	else if (acpi_init(bi->bi_rsdp, DIRECT_MAP_BASE, ai) < 0)
		kprintf("acpi: unusable tables; using PC defaults\n");
	else
		acpi_ok = 1;
	if (acpi_ok)
		acpi_print(ai);
	pic_disable();
	lapic_init(ai->ai_has_madt ? ai->ai_lapic_addr : 0);
	ioapic_init(ai);
	/* clock=hpet|pmtimer|pit picks the calibration reference (tests, bad HPETs). */
	clock_init(ai, cmdline_get("clock", force, sizeof(force)) ? force : 0);
	rtc_init(ai);
	sti();
}

void
platform_poweroff(void)
{
	if (acpi_ok)
		acpi_poweroff(&platform_acpi);
}

void
platform_reset(void)
{
	int spin;

	if (acpi_ok)
		acpi_reset(&platform_acpi);
	/* The keyboard controller's reset line, as every PC has had it. */
	for (spin = 0; spin < 100000 && (inb(0x64) & 0x02); spin++)
		;
	outb(0x64, 0xfe);
}
