/*
 * ktest_time.c: in-kernel self-tests of calibration, the monotonic clock
 * and the tick.  Bounds are loose (software emulation is slow and uneven)
 * but a wrong unit, a dead timer or a backwards clock fails them.
 */
#include <keel/kernel.h>
#include <keel/ktest.h>
#include <arch/apic.h>
#include <arch/clock.h>
#include <arch/cpu.h>

KTEST(clock_calibration_sane)
{
	KT_ASSERT(clock_tsc_hz() >= 10000000ULL && clock_tsc_hz() <= 20000000000ULL);
	KT_ASSERT(clock_lapic_hz() >= 1000000ULL && clock_lapic_hz() <= 10000000000ULL);
	KT_ASSERT(strcmp(clock_source(), "none") != 0);
}

KTEST(clock_monotonic)
{
	uint64_t prev = clock_ns(), now;
	int i;

	for (i = 0; i < 100000; i++) {
		now = clock_ns();
		KT_ASSERT(now >= prev);
		prev = now;
	}
}

/* 20 ms of the reference clock is 20 ms of clock_ns, within 10%. */
KTEST(clock_agrees_with_reference)
{
	uint64_t dt, ref = clock_reference_wait_ns(20000000, &dt);

	if (ref == 0)
		return;		/* PIT-calibrated: no free-running reference */
	KT_ASSERT(ref >= 20000000);
	KT_ASSERT(dt >= ref - ref / 10 && dt <= ref + ref / 10);
}

KTEST(tick_interrupts_arrive)
{
	uint64_t t0 = clock_ticks(), start = clock_ns();

	KT_ASSERT(read_rflags() & RFLAGS_IF);
	/* 50 ms is 5 ticks at 100 Hz; wait up to 1 s of clock time for 3. */
	while (clock_ticks() - t0 < 3 && clock_ns() - start < 1000000000ULL)
		hlt();
	KT_ASSERT(clock_ticks() - t0 >= 3);
	/* And not wildly too many: under 4x HZ over the time spent. */
	KT_ASSERT((clock_ticks() - t0) * 1000000000ULL / (clock_ns() - start + 1) <
	    4 * HZ + 10);
}
