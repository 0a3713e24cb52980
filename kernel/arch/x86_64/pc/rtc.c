/*
 * rtc.c: the wall-clock time at boot, from the CMOS real-time clock (ports
 * 0x70/0x71), so CLOCK_REALTIME means something.  The registers are read
 * after the update-in-progress flag clears, and again until two readings
 * agree (the chip may have started an update meanwhile); the century
 * register is the one the FADT names.  dev/rtc.c decodes them.  A machine
 * whose FADT says it has no CMOS clock, or whose registers hold no sensible
 * time, starts the clock at the epoch.
 */
#include <keel/kernel.h>
#include <keel/platform.h>
#include <keel/rtc.h>
#include <arch/clock.h>
#include <arch/cpu.h>

#define CMOS_ADDR	0x70
#define CMOS_DATA	0x71
#define CMOS_NMI_OFF	0x80	/* keep NMIs masked while selecting a register */

static uint64_t epoch_ns;

static uint8_t
cmos(uint8_t reg)
{
	outb(CMOS_ADDR, CMOS_NMI_OFF | reg);
	return inb(CMOS_DATA);
}

static void
read_all(struct rtc_regs *r, uint8_t century_reg)
{
	int spin;

	for (spin = 0; spin < 100000 && (cmos(RTC_STATUS_A) & RTC_A_UIP); spin++)
		;
	r->rr_sec = cmos(RTC_SEC);
	r->rr_min = cmos(RTC_MIN);
	r->rr_hour = cmos(RTC_HOUR);
	r->rr_day = cmos(RTC_DAY);
	r->rr_mon = cmos(RTC_MON);
	r->rr_year = cmos(RTC_YEAR);
	r->rr_has_century = century_reg != 0;
	r->rr_century = century_reg ? cmos(century_reg) : 0;
	r->rr_status_b = cmos(RTC_STATUS_B);
}

void
rtc_init(const struct acpi_info *ai)
{
	struct rtc_regs a, b;
	int64_t t;
	unsigned y, m, d;
	int i;

	if (ai->ai_has_fadt && (ai->ai_boot_arch & ACPI_BOOT_NO_CMOS_RTC)) {
		kprintf("rtc: no CMOS clock (FADT); the clock starts at the epoch\n");
		return;
	}
	read_all(&a, ai->ai_rtc_century);
	for (i = 0; i < 5; i++) {
		read_all(&b, ai->ai_rtc_century);
		if (memcmp(&a, &b, sizeof(a)) == 0)
			break;
		a = b;
	}
	t = rtc_decode(&a);
	if (t < 0) {
		kprintf("rtc: no sensible time in CMOS; the clock starts at the epoch\n");
		return;
	}
	epoch_ns = (uint64_t)t * 1000000000ULL;
	rtc_civil_from_days((uint64_t)t / 86400, &y, &m, &d);
	kprintf("rtc: %u-%02u-%02u %02lu:%02lu:%02lu UTC (century %s)\n", y, m, d,
	    (uint64_t)t / 3600 % 24, (uint64_t)t / 60 % 60, (uint64_t)t % 60,
	    ai->ai_rtc_century ? "from CMOS" : "20 assumed");
}

uint64_t
clock_boot_epoch_ns(void)
{
	return epoch_ns;
}
