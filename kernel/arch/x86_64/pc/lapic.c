/*
 * lapic.c: the local APIC, through MSRs in x2APIC mode when the CPU has it,
 * else through its MMIO page (Intel SDM Vol. 3A, 11.4 and 11.12).
 */
#include <keel/kernel.h>
#include <keel/vm.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/cpufeat.h>
#include <arch/irq.h>

#define LAPIC_ID	0x020
#define LAPIC_VER	0x030
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0b0
#define LAPIC_SVR	0x0f0
#define LAPIC_ESR	0x280
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERROR	0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	0x390
#define LAPIC_TIMER_DIV	0x3e0

#define APIC_BASE_EN	(1UL << 11)
#define APIC_BASE_EXTD	(1UL << 10)	/* x2APIC mode */
#define APIC_BASE_ADDR	0x000ffffffffff000UL
#define SVR_ENABLE	(1u << 8)
#define LVT_MASKED	(1u << 16)
#define LVT_PERIODIC	(1u << 17)
#define LVT_TSC_DEADLINE (2u << 17)
#define TIMER_DIV_16	0x3
#define X2APIC_MSR(reg)	(0x800 + ((reg) >> 4))
#define X2APIC_SELF_IPI	0x83f
#define ICR_SELF	(1u << 18)	/* destination shorthand: self */
#define ICR_PENDING	(1u << 12)	/* xAPIC delivery status */

static volatile uint32_t *mmio;
static int x2apic;

static uint32_t
rd(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR(reg));
	return mmio[reg / 4];
}

static void
wr(uint32_t reg, uint32_t v)
{
	if (x2apic)
		wrmsr(X2APIC_MSR(reg), v);
	else
		mmio[reg / 4] = v;
}

/* SDM 11.5.3: the ESR latches on a write; what it holds says what went wrong. */
static void
apic_error(void *arg)
{
	wr(LAPIC_ESR, 0);
	kprintf("lapic: APIC error, ESR 0x%x\n", rd(LAPIC_ESR));
}

void
lapic_init(uint64_t phys)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (phys == 0)
		phys = base & APIC_BASE_ADDR;
	x2apic = cpu_features.cf_x2apic;
	if (!x2apic) {
		mmio = vm_map_mmio(phys, PAGE_SIZE);
		if (mmio == 0)
			panic("lapic_init: cannot map the local APIC at 0x%lx", phys);
	}
	if (irq_register(IRQ_LOCAL_APIC_ERROR, apic_error, 0) != 0)
		panic("lapic_init: the APIC error interrupt is taken");
	lapic_setup_this();
	kprintf("lapic: id %u, version 0x%x, %s mode\n", lapic_id(),
	    rd(LAPIC_VER) & 0xff, x2apic ? "x2APIC" : "xAPIC (MMIO)");
}

/* What every CPU does to its own local APIC (its registers are its own). */
void
lapic_setup_this(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	if (x2apic) {
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN);
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD);
	} else {
		wrmsr(MSR_APIC_BASE, (base & ~APIC_BASE_EXTD) | APIC_BASE_EN);
	}
	wr(LAPIC_TPR, 0);
	wr(LAPIC_LVT_TIMER, LVT_MASKED);
	wr(LAPIC_LVT_LINT0, LVT_MASKED);	/* no ExtINT: the 8259s are masked */
	wr(LAPIC_LVT_LINT1, LVT_MASKED);
	wr(LAPIC_LVT_ERROR, V_APIC_ERROR);
	wr(LAPIC_ESR, 0);
	wr(LAPIC_SVR, SVR_ENABLE | V_SPURIOUS);
	wr(LAPIC_EOI, 0);
}

/*
 * An interprocessor interrupt: icr_lo's delivery mode and vector to the
 * local APIC dest.  xAPIC: wait until the previous one left (delivery
 * status), bounded.  Returns -1 if it did not.
 */
int
lapic_send_ipi(uint32_t dest, uint32_t icr_lo)
{
	int spin;

	if (x2apic) {
		wrmsr(X2APIC_MSR(LAPIC_ICR_LO), (uint64_t)dest << 32 | icr_lo);
		return 0;
	}
	for (spin = 0; spin < 1000000 && (rd(LAPIC_ICR_LO) & ICR_PENDING); spin++)
		pause();
	wr(LAPIC_ICR_HI, dest << 24);
	wr(LAPIC_ICR_LO, icr_lo);
	for (spin = 0; spin < 1000000 && (rd(LAPIC_ICR_LO) & ICR_PENDING); spin++)
		pause();
	return (rd(LAPIC_ICR_LO) & ICR_PENDING) ? -1 : 0;
}

void
lapic_eoi(void)
{
	wr(LAPIC_EOI, 0);
}

uint32_t
lapic_id(void)
{
	return x2apic ? rd(LAPIC_ID) : rd(LAPIC_ID) >> 24;
}

void
lapic_self_ipi(uint8_t vector)
{
	int spin;

	if (x2apic) {
		wrmsr(X2APIC_SELF_IPI, vector);
		return;
	}
	wr(LAPIC_ICR_HI, 0);
	wr(LAPIC_ICR_LO, ICR_SELF | vector);
	for (spin = 0; spin < 100000 && (rd(LAPIC_ICR_LO) & ICR_PENDING); spin++)
		;
}

int
lapic_is_x2apic(void)
{
	return x2apic;
}

void
lapic_timer_stop(void)
{
	wr(LAPIC_LVT_TIMER, LVT_MASKED);
	wr(LAPIC_TIMER_INIT, 0);
}

void
lapic_timer_periodic(uint8_t vector, uint32_t count)
{
	wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
	wr(LAPIC_LVT_TIMER, LVT_PERIODIC | vector);
	wr(LAPIC_TIMER_INIT, count);
}

void
lapic_timer_oneshot(uint8_t vector, uint32_t count)
{
	wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
	wr(LAPIC_LVT_TIMER, vector);
	wr(LAPIC_TIMER_INIT, count);
}

void
lapic_timer_deadline_mode(uint8_t vector)
{
	wr(LAPIC_LVT_TIMER, LVT_TSC_DEADLINE | vector);
	/* SDM 11.5.4.1: order the LVT write before the first deadline write. */
	__asm__ volatile("mfence" ::: "memory");
}

uint32_t
lapic_timer_current(void)
{
	return rd(LAPIC_TIMER_CUR);
}

/* Count down from the top, masked: for measuring the timer's rate. */
void
lapic_timer_count_free(void)
{
	wr(LAPIC_TIMER_DIV, TIMER_DIV_16);
	wr(LAPIC_LVT_TIMER, LVT_MASKED);
	wr(LAPIC_TIMER_INIT, 0xffffffff);
}
