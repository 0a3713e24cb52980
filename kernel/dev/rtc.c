/*
 * rtc.c: the CMOS real-time clock's registers into a time (see
 * <keel/rtc.h>): what the arch read at boot becomes CLOCK_REALTIME.
 * Pure: tests/host/test_rtc.c runs it on the host.
 */
#include <keel/rtc.h>

/* A BCD register's value, or -1 when a digit is not one. */
static int
bcd(uint8_t v, int binary)
{
	if (binary)
		return v;
	if ((v & 0x0f) > 9 || (v >> 4) > 9)
		return -1;
	return (v & 0x0f) + (v >> 4) * 10;
}

uint64_t
rtc_days_from_civil(unsigned y, unsigned m, unsigned d)
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
rtc_civil_from_days(uint64_t days, unsigned *y, unsigned *m, unsigned *d)
{
	uint64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (unsigned)(yoe + era * 400 + (*m <= 2));
}

int64_t
rtc_decode(const struct rtc_regs *r)
{
	int bin = (r->rr_status_b & RTC_B_BINARY) != 0;
	int h24 = (r->rr_status_b & RTC_B_24H) != 0;
	int sec = bcd(r->rr_sec, bin), min = bcd(r->rr_min, bin);
	int hour = bcd(r->rr_hour & ~(h24 ? 0 : RTC_HOUR_PM), bin);
	int day = bcd(r->rr_day, bin), mon = bcd(r->rr_mon, bin), year = bcd(r->rr_year, bin);
	int century = r->rr_has_century ? bcd(r->rr_century, bin) : 20;

	if (!h24) {
		/* 12 AM is midnight, 12 PM noon. */
		if (hour < 1 || hour > 12)
			return -1;
		hour = hour % 12 + ((r->rr_hour & RTC_HOUR_PM) ? 12 : 0);
	}
	if (sec < 0 || sec > 59 || min < 0 || min > 59 || hour < 0 || hour > 23 ||
	    day < 1 || day > 31 || mon < 1 || mon > 12 || year < 0 || year > 99 ||
	    century < 19 || century > 99)
		return -1;
	year += century * 100;
	return (int64_t)((rtc_days_from_civil((unsigned)year, (unsigned)mon, (unsigned)day) * 86400) +
	    (uint64_t)(hour * 3600 + min * 60 + sec));
}
