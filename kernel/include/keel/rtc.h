/*
 * rtc.h: the wall-clock time from a PC's CMOS real-time clock (MC146818
 * and its descendants).  The arch reads the registers (pc/rtc.c: ports
 * 0x70/0x71, twice until two readings agree, since the chip may be
 * updating); dev/rtc.c turns them into a time, pure and host-tested.
 *
 * Interface:
 *   rtc_decode(&regs)   seconds since the epoch (UTC), or -1 when the
 *                       registers hold no sensible date and time: BCD or
 *                       binary and 12 or 24 hour as status register B says;
 *                       the century from its register when the FADT names
 *                       one, else 20xx
 *   rtc_days_from_civil(y, m, d)  days from 1970-01-01 (proleptic Gregorian)
 *   rtc_civil_from_days(days, &y, &m, &d)  the reverse
 */
#ifndef KEEL_RTC_H
#define KEEL_RTC_H

#include <stdint.h>

/* Register numbers (MC146818A data sheet; the century is the FADT's CENTURY). */
#define RTC_SEC			0x00
#define RTC_MIN			0x02
#define RTC_HOUR		0x04
#define RTC_DAY			0x07
#define RTC_MON			0x08
#define RTC_YEAR		0x09
#define RTC_STATUS_A		0x0a
#define RTC_STATUS_B		0x0b
#define RTC_A_UIP		0x80	/* update in progress: the time is changing */
#define RTC_B_24H		0x02	/* hours 0-23, else 1-12 with bit 7 for PM */
#define RTC_B_BINARY		0x04	/* binary, else BCD */
#define RTC_HOUR_PM		0x80

struct rtc_regs {
	uint8_t rr_sec, rr_min, rr_hour, rr_day, rr_mon, rr_year;
	uint8_t rr_century;		/* the CENTURY register's value */
	uint8_t rr_has_century;		/* 0: no such register (assume 20xx) */
	uint8_t rr_status_b;
};

int64_t rtc_decode(const struct rtc_regs *r);
uint64_t rtc_days_from_civil(unsigned y, unsigned m, unsigned d);
void rtc_civil_from_days(uint64_t days, unsigned *y, unsigned *m, unsigned *d);

#endif
