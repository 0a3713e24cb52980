/*
 * rtc.c: the wall-clock time at boot, from the CMOS real-time clock (MC146818,
 * ports 0x70/0x71), so CLOCK_REALTIME means something.  Read twice until
 * two readings agree (the RTC may be updating); BCD or binary, 12 or 24
 * hour as status register B says.  A machine without CMOS (ACPI says so)
 * reads garbage: the result is then clamped to the epoch.
 */
#include <keel/kernel.h>
#include <arch/clock.h>
#include <arch/cpu.h>

#define CMOS_ADDR	0x70
#define CMOS_DATA	0x71
#define RTC_SEC		0x00
#define RTC_MIN		0x02
#define RTC_HOUR	0x04
#define RTC_DAY		0x07
#define RTC_MON		0x08
#define RTC_YEAR	0x09
#define RTC_STATUS_A	0x0a
#define RTC_STATUS_B	0x0b
#define RTC_UIP		0x80	/* A: update in progress */
#define RTC_24H		0x02	/* B */
#define RTC_BINARY	0x04	/* B */

static uint64_t epoch_ns;

static uint8_t
cmos(uint8_t reg)
{
	outb(CMOS_ADDR, reg);
	return inb(CMOS_DATA);
}

static void
read_all(uint8_t r[6])
{
	int spin;

	for (spin = 0; spin < 100000 && (cmos(RTC_STATUS_A) & RTC_UIP); spin++)
		;
	r[0] = cmos(RTC_SEC);
	r[1] = cmos(RTC_MIN);
	r[2] = cmos(RTC_HOUR);
	r[3] = cmos(RTC_DAY);
	r[4] = cmos(RTC_MON);
	r[5] = cmos(RTC_YEAR);
}

static unsigned
bcd(uint8_t v, int binary)
{
	return binary ? v : (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t
days_from_civil(unsigned y, unsigned m, unsigned d)
{
	unsigned era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)era * 146097 + doe - 719468;
}

void
rtc_init(void)
{
	uint8_t a[6], b[6], st;
	unsigned sec, min, hour, day, mon, year;
	int i, bin, pm;

	read_all(a);
	for (i = 0; i < 5; i++) {
		read_all(b);
		if (memcmp(a, b, 6) == 0)
			break;
		memcpy(a, b, 6);
	}
	st = cmos(RTC_STATUS_B);
	bin = st & RTC_BINARY;
	pm = !(st & RTC_24H) && (a[2] & 0x80);
	sec = bcd(a[0], bin);
	min = bcd(a[1], bin);
	hour = bcd(a[2] & 0x7f, bin);
	day = bcd(a[3], bin);
	mon = bcd(a[4], bin);
	year = 2000 + bcd(a[5], bin);
	if (!(st & RTC_24H))
		hour = (hour % 12) + (pm ? 12 : 0);
	if (sec > 59 || min > 59 || hour > 23 || day < 1 || day > 31 || mon < 1 || mon > 12) {
		kprintf("rtc: no sensible time in CMOS; the clock starts at the epoch\n");
		return;
	}
	epoch_ns = ((days_from_civil(year, mon, day) * 86400) + hour * 3600 + min * 60 + sec) *
	    1000000000ULL;
	kprintf("rtc: %u-%02u-%02u %02u:%02u:%02u UTC\n", year, mon, day, hour, min, sec);
}

uint64_t
clock_boot_epoch_ns(void)
{
	return epoch_ns;
}
