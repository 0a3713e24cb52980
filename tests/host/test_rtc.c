/*
 * test_rtc.c: the CMOS clock's registers into a time (kernel/dev/rtc.c):
 * BCD and binary, 24 and 12 hour (midnight and noon), the century
 * register or 20xx without one, and what no real clock holds refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <keel/rtc.h>

#define T_2026_12_02_153803	1796225883LL	/* calendar.timegm */

static struct rtc_regs
regs(uint8_t sec, uint8_t min, uint8_t hour, uint8_t day, uint8_t mon, uint8_t year,
    int century, uint8_t status_b)
{
	return (struct rtc_regs){ sec, min, hour, day, mon, year,
		(uint8_t)(century < 0 ? 0 : century), century >= 0, status_b };
}

static void
test_bcd_24h(void **state)
{
	/* What QEMU's MC146818 holds by default: BCD, 24 hour, century 0x32 = 0x20. */
	struct rtc_regs r = regs(0x03, 0x38, 0x15, 0x02, 0x12, 0x26, 0x20, RTC_B_24H);

	assert_int_equal(rtc_decode(&r), T_2026_12_02_153803);
	r.rr_has_century = 0;	/* no CENTURY in the FADT: 20xx */
	assert_int_equal(rtc_decode(&r), T_2026_12_02_153803);
}

static void
test_binary(void **state)
{
	struct rtc_regs r = regs(3, 38, 15, 2, 12, 26, 20, RTC_B_24H | RTC_B_BINARY);

	assert_int_equal(rtc_decode(&r), T_2026_12_02_153803);
}

static void
test_12h(void **state)
{
	struct rtc_regs r = regs(0x03, 0x38, RTC_HOUR_PM | 0x03, 0x02, 0x12, 0x26, 0x20, 0);

	assert_int_equal(rtc_decode(&r), T_2026_12_02_153803);
	r.rr_hour = 0x12;			/* 12 AM: midnight */
	assert_int_equal(rtc_decode(&r), T_2026_12_02_153803 - 15 * 3600);
	r.rr_hour = RTC_HOUR_PM | 0x12;		/* 12 PM: noon */
	assert_int_equal(rtc_decode(&r), T_2026_12_02_153803 - 3 * 3600);
	r = regs(3, 38, RTC_HOUR_PM | 3, 2, 12, 26, 20, RTC_B_BINARY);
	assert_int_equal(rtc_decode(&r), T_2026_12_02_153803);
	r.rr_hour = 0;				/* no hour 0 on a 12-hour clock */
	assert_int_equal(rtc_decode(&r), -1);
}

static void
test_century(void **state)
{
	struct rtc_regs r = regs(0x59, 0x59, 0x23, 0x31, 0x12, 0x99, 0x19, RTC_B_24H);

	assert_int_equal(rtc_decode(&r), 946684799);	/* 1999-12-31 23:59:59 */
	r = regs(0x00, 0x00, 0x00, 0x29, 0x02, 0x00, 0x20, RTC_B_24H);
	assert_int_equal(rtc_decode(&r), 951782400);	/* 2000-02-29 */
}

static void
test_garbage(void **state)
{
	struct rtc_regs ok = regs(0x03, 0x38, 0x15, 0x02, 0x12, 0x26, 0x20, RTC_B_24H), r;

	r = ok; r.rr_mon = 0x13;
	assert_int_equal(rtc_decode(&r), -1);
	r = ok; r.rr_mon = 0x00;
	assert_int_equal(rtc_decode(&r), -1);
	r = ok; r.rr_sec = 0x1a;		/* not a BCD digit */
	assert_int_equal(rtc_decode(&r), -1);
	r = ok; r.rr_hour = 0x24;
	assert_int_equal(rtc_decode(&r), -1);
	r = ok; r.rr_day = 0;
	assert_int_equal(rtc_decode(&r), -1);
	r = ok; r.rr_century = 0xff;		/* a floating bus */
	assert_int_equal(rtc_decode(&r), -1);
	r = regs(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
	assert_int_equal(rtc_decode(&r), -1);
}

static void
test_civil(void **state)
{
	unsigned y, m, d;

	assert_int_equal(rtc_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(rtc_days_from_civil(2000, 3, 1) - rtc_days_from_civil(2000, 2, 28), 2);
	assert_int_equal(rtc_days_from_civil(2100, 3, 1) - rtc_days_from_civil(2100, 2, 28), 1);
	for (uint64_t day = 0; day < 200 * 366; day += 17) {
		rtc_civil_from_days(day, &y, &m, &d);
		assert_int_equal(rtc_days_from_civil(y, m, d), day);
	}
	rtc_civil_from_days(T_2026_12_02_153803 / 86400, &y, &m, &d);
	assert_true(y == 2026 && m == 12 && d == 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bcd_24h),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_12h),
		cmocka_unit_test(test_century),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_civil),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
