/*
 * clock.h: time.  The TSC and the LAPIC timer are calibrated at boot
 * against a reference the machine really has (HPET, else the ACPI PM timer,
 * else the PIT), never a hard-coded frequency.
 *
 * Interface:
 *   clock_init(ai, force)  calibrate, start the tick (TSC-deadline when the
 *                          CPU has it, else the LAPIC timer in periodic mode);
 *                          force: "hpet", "pmtimer", "pit" or 0 (the best)
 *   clock_ns()             monotonic nanoseconds since clock_init
 *   clock_ticks()          timer interrupts so far (HZ per second)
 *   clock_tsc_hz(), clock_lapic_hz(), clock_source()
 */
#ifndef ARCH_CLOCK_H
#define ARCH_CLOCK_H

#include <stdint.h>
#include <keel/acpi.h>

#define HZ	100

void clock_init(const struct acpi_info *ai, const char *force);
/* An application processor's tick, as the boot CPU's. */
void clock_start_this(void);
uint64_t clock_ns(void);
uint64_t clock_ticks(void);
uint64_t clock_tsc_hz(void);
uint64_t clock_lapic_hz(void);
const char *clock_source(void);
/*
 * Busy-wait ns nanoseconds on the reference clock (for calibration tests):
 * returns the reference's nanoseconds and sets *clock_dt to clock_ns()'s
 * over the same two reads; 0 when the reference is the PIT.
 */
uint64_t clock_reference_wait_ns(uint64_t ns, uint64_t *clock_dt);
/* Called on each tick, with interrupts off; the scheduler hooks in here. */
void clock_set_tick_hook(void (*fn)(void));
/* Wall-clock time at clock_ns() == 0, from the CMOS RTC (rtc.c), read by rtc_init. */
uint64_t clock_boot_epoch_ns(void);
void rtc_init(const struct acpi_info *ai);

#endif
