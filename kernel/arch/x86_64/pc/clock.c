/*
 * clock.c: calibration, the monotonic clock and the periodic tick (see
 * clock.h).
 *
 * The reference clock is read in a busy loop for CAL_NS while the TSC and
 * a free-running LAPIC count are sampled at both ends.  Each end is the
 * tightest of a few reference reads bracketed by the TSC: under emulation
 * on a busy host a virtual CPU can be descheduled between two reads for a
 * good part of CAL_NS, while every clock it reads keeps running.  Every wait is
 * bounded by a TSC count too, so a reference that does not move (a broken
 * HPET, an absent PIT) falls through to the next instead of hanging.
 */
#include <keel/kernel.h>
#include <keel/vm.h>
#include <keel/cpu.h>
#include <arch/apic.h>
#include <arch/clock.h>
#include <arch/cpu.h>
#include <arch/cpufeat.h>
#include <arch/irq.h>

/*
 * 0.5 ms: with both ends bracketed by the TSC (ref_read_pair), the error is
 * about half a reference read's latency per end (well under 1 us, so under
 * 0.2% with any reference), and the boot spins no longer than it must.
 */
#define CAL_NS		500000ULL
#define SPIN_LIMIT	(1ULL << 33)	/* TSC ticks: seconds on any CPU */

/* HPET registers (IA-PC HPET 1.0a, 2.3). */
#define HPET_GCAP	0x000
#define HPET_GCONF	0x010
#define HPET_COUNTER	0x0f0
#define HPET_ENABLE	1
#define HPET_COUNT_SIZE_CAP (1u << 13)

/* PIT channel 2, gated through port 0x61 (the last resort). */
#define PIT_HZ		1193182ULL
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61

enum { REF_HPET, REF_PMTMR, REF_PIT };
static const char *const refname[] = { "HPET", "ACPI PM timer", "PIT" };

static volatile uint64_t *hpet;
static uint64_t hpet_fs;		/* femtoseconds per HPET tick */
static uint64_t hpet_mask;		/* 32- or 64-bit main counter */
static const struct acpi_info *acpi;

static uint64_t tsc_hz, lapic_hz, tsc0;
static uint64_t ns_mult;		/* ns = (tsc * ns_mult) >> 32 */
static volatile uint64_t ticks;
static int source = -1, deadline;
static void (*tick_hook)(void);

static uint64_t
mul_shr32(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> 32);
}

static uint64_t
ref_read(int ref)
{
	if (ref == REF_HPET)
		return hpet[HPET_COUNTER / 8];
	return acpi_pm_timer_read(acpi);
}

/* Nanoseconds between two readings of reference ref. */
static uint64_t
ref_ns(int ref, uint64_t t0, uint64_t t1)
{
	if (ref == REF_HPET)
		return ((t1 - t0) & hpet_mask) * hpet_fs / 1000000;
	return (uint64_t)acpi_pm_timer_delta(acpi, (uint32_t)t0, (uint32_t)t1) *
	    1000000000ULL / ACPI_PM_TIMER_HZ;
}

/*
 * Read the reference with the TSC and the LAPIC count beside it: of a few
 * tries, the one with the fewest TSC ticks around the reference read.
 */
static uint64_t
ref_read_pair(int ref, uint64_t *tsc, uint32_t *lapic)
{
	uint64_t best = ~0ULL, r = 0, a, b, x;
	uint32_t l;
	int i;

	for (i = 0; i < 4; i++) {
		a = rdtsc();
		x = ref_read(ref);
		l = lapic_timer_current();
		b = rdtsc();
		if (b - a < best) {
			best = b - a;
			r = x;
			*tsc = a + (b - a) / 2;
			*lapic = l;
		}
	}
	return r;
}

/*
 * Measure how many TSC and LAPIC-timer ticks pass in CAL_NS of reference
 * time.  Returns 0 when the reference does not advance.
 */
static int
measure(int ref, uint64_t *dtsc, uint64_t *dlapic)
{
	uint64_t r0, r1, t0, t1, ns = 0;
	uint32_t l0, l1;

	lapic_timer_count_free();
	if (ref == REF_PIT) {
		outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
		outb(PIT_CMD, 0xb0);		/* channel 2, lo/hi, mode 0 */
		outb(PIT_CH2, (PIT_HZ * CAL_NS / 1000000000) & 0xff);
		outb(PIT_CH2, (PIT_HZ * CAL_NS / 1000000000) >> 8);
		l0 = lapic_timer_current();
		t0 = rdtsc();
		while (!(inb(PIT_GATE) & 0x20))	/* OUT2 goes high at zero */
			if (rdtsc() - t0 > SPIN_LIMIT)
				return 0;
		t1 = rdtsc();
		l1 = lapic_timer_current();
		ns = CAL_NS;
	} else {
		r0 = ref_read_pair(ref, &t0, &l0);
		do {
			if (rdtsc() - t0 > SPIN_LIMIT)
				return 0;
		} while (ref_ns(ref, r0, ref_read(ref)) < CAL_NS);
		r1 = ref_read_pair(ref, &t1, &l1);
		ns = ref_ns(ref, r0, r1);
	}
	lapic_timer_stop();
	*dtsc = (t1 - t0) * 1000000000ULL / ns;
	*dlapic = (uint64_t)(l0 - l1) * 16 * 1000000000ULL / ns;
	return 1;
}

/* Each CPU's own tick, from its LAPIC timer; clock_ticks counts the boot CPU's. */
static void
tick(void *arg)
{
	struct cpu *c = curcpu();

	if (c == &cpu_boot)
		ticks++;
	if (deadline) {
		c->c_arch.ac_tick_tsc += tsc_hz / HZ;
		wrmsr(MSR_TSC_DEADLINE, c->c_arch.ac_tick_tsc);
	}
	if (tick_hook)
		tick_hook();
}

/* This CPU's periodic tick, from the boot CPU's calibration. */
void
clock_start_this(void)
{
	struct cpu *c = curcpu();

	if (deadline) {
		lapic_timer_deadline_mode(V_TIMER);
		c->c_arch.ac_tick_tsc = rdtsc() + tsc_hz / HZ;
		wrmsr(MSR_TSC_DEADLINE, c->c_arch.ac_tick_tsc);
	} else {
		lapic_timer_periodic(V_TIMER, (uint32_t)(lapic_hz / 16 / HZ));
	}
}

void
clock_init(const struct acpi_info *ai, const char *force)
{
	static const char *const forcename[] = { "hpet", "pmtimer", "pit" };
	uint64_t dtsc = 0, dlapic = 0;
	int ref;

	acpi = ai;
	if (ai->ai_has_hpet) {
		hpet = vm_map_mmio(ai->ai_hpet_addr, 1024);
		if (hpet) {
			hpet_fs = hpet[HPET_GCAP / 8] >> 32;
			hpet_mask = (hpet[HPET_GCAP / 8] & HPET_COUNT_SIZE_CAP) ?
			    ~0ULL : 0xffffffffULL;
			hpet[HPET_GCONF / 8] |= HPET_ENABLE;
		}
	}
	for (ref = REF_HPET; ref <= REF_PIT; ref++) {
		if (force && strcmp(force, forcename[ref]) != 0)
			continue;
		if (ref == REF_HPET && (!hpet || hpet_fs == 0 || hpet_fs > 100000000))
			continue;
		if (ref == REF_PMTMR && (!ai->ai_has_fadt || ai->ai_pm_tmr_port == 0))
			continue;
		if (measure(ref, &dtsc, &dlapic))
			break;
		kprintf("clock: %s does not advance; trying the next reference\n",
		    refname[ref]);
	}
	if (ref > REF_PIT && force) {
		kprintf("clock: clock=%s unavailable; trying all references\n", force);
		clock_init(ai, 0);
		return;
	}
	if (ref > REF_PIT)
		panic("clock_init: no reference clock (HPET, PM timer, PIT) works");
	source = ref;
	tsc_hz = dtsc;
	lapic_hz = dlapic;
	ns_mult = (1000000000ULL << 32) / tsc_hz;
	tsc0 = rdtsc();

	if (irq_register(IRQ_LOCAL_TIMER, tick, 0) != 0)
		panic("clock_init: the LAPIC timer's interrupt is taken");
	deadline = cpu_features.cf_tsc_deadline;
	clock_start_this();
	kprintf("clock: TSC %lu.%03lu MHz, LAPIC timer %lu.%03lu MHz, calibrated against"
	    " the %s; %d Hz tick by %s\n", tsc_hz / 1000000, tsc_hz / 1000 % 1000,
	    lapic_hz / 1000000, lapic_hz / 1000 % 1000, refname[ref], HZ,
	    deadline ? "TSC deadline" : "LAPIC periodic timer");
}

uint64_t
clock_ns(void)
{
	return mul_shr32(rdtsc() - tsc0, ns_mult);
}

uint64_t
clock_ticks(void)
{
	return ticks;
}

uint64_t
clock_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t
clock_lapic_hz(void)
{
	return lapic_hz;
}

const char *
clock_source(void)
{
	return source < 0 ? "none" : refname[source];
}

uint64_t
clock_reference_wait_ns(uint64_t ns, uint64_t *clock_dt)
{
	uint64_t r0, r1, t0, t1;
	uint32_t l;

	if (source == REF_PIT || source < 0)
		return 0;
	r0 = ref_read_pair(source, &t0, &l);
	while (ref_ns(source, r0, ref_read(source)) < ns && rdtsc() - t0 < SPIN_LIMIT)
		;
	r1 = ref_read_pair(source, &t1, &l);
	*clock_dt = mul_shr32(t1 - t0, ns_mult);
	return ref_ns(source, r0, r1);
}

void
clock_set_tick_hook(void (*fn)(void))
{
	tick_hook = fn;
}
