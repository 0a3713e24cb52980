/*
 * acpi_power.c: the hardware side of acpi.h: powering off through the PM1
 * control registers, resetting through the FADT reset register, and reading
 * the PM timer (ACPI 6.x, 4.8.3 "Fixed Hardware Registers": PM1 control
 * 4.8.3.2, PM timer 4.8.3.3, reset register 4.8.3.6; \_Sx objects 7.4.2).
 *
 * Interface: acpi_poweroff(&ai) and acpi_reset(&ai) write what the tables
 * say and wait half a second; if the machine still runs they say so and
 * return, so the caller can try something else.  acpi_pm_timer_read(&ai)
 * returns the free-running ACPI_PM_TIMER_HZ counter (0 without one).
 *
 * Limits: no AML runs here, so a machine that needs \_PTS(5) before S5
 * may not power off; hardware-reduced machines (sleep control register) are
 * not handled.  Interrupts are left as they are: callers disable them first.
 */
#include <keel/kernel.h>
#include <keel/acpi.h>
#include <keel/vm.h>
#include <arch/arch.h>

/* PM1 control register bits (4.8.3.2.1). */
#define PM1_CNT_SCI_EN		(1u << 0)	/* set: ACPI mode, events are SCIs */
#define PM1_CNT_SLP_TYP_SHIFT	10
#define PM1_CNT_SLP_TYP_MASK	(7u << PM1_CNT_SLP_TYP_SHIFT)
#define PM1_CNT_SLP_EN		(1u << 13)

/* PCI configuration mechanism #1, for a reset register in PCI config space. */
#define PCI_CONFIG_ADDR		0xcf8
#define PCI_CONFIG_DATA		0xcfc
#define PCI_CONFIG_ENABLE	(1u << 31)

#define IO_DELAY_PORT		0x80	/* POST code port: a write takes ~1 us */

#define ACPI_ACTION_WAIT_US	500000
#define ACPI_ENABLE_WAIT_US	1000000

/*
 * cpu.h has no inw yet and belongs to another change; this one-instruction
 * wrapper moves there when it does.
 */
static inline uint16_t
acpi_inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

uint32_t
acpi_pm_timer_read(const struct acpi_info *ai)
{
	uint32_t v;

	if (ai->ai_pm_tmr_port == 0)
		return 0;
	v = inl(ai->ai_pm_tmr_port);
	return ai->ai_pm_tmr_32bit ? v : v & 0x00ffffffu;
}

/*
 * About us microseconds: by the PM timer if there is one, else by port 0x80.
 * A port read takes on the order of a microsecond, so a PM timer that does
 * not count ends the wait after some us * 8 reads instead of never.
 */
static void
acpi_wait(const struct acpi_info *ai, uint32_t us)
{
	uint64_t ticks = (uint64_t)us * ACPI_PM_TIMER_HZ / 1000000;
	uint64_t i, bound = (uint64_t)us * 8;
	uint32_t t0;

	if (ai->ai_pm_tmr_port != 0) {
		t0 = acpi_pm_timer_read(ai);
		for (i = 0; i < bound; i++) {
			if (acpi_pm_timer_delta(ai, t0, acpi_pm_timer_read(ai)) >= ticks)
				return;
			pause();
		}
		return;
	}
	for (i = 0; i < us; i++)
		outb(IO_DELAY_PORT, 0);
}

/*
 * SLP_EN acts only in ACPI mode (SCI_EN set).  UEFI firmware normally hands
 * over in it; if not, the FADT's SMI command asks the firmware to switch.
 */
static void
acpi_mode_enable(const struct acpi_info *ai)
{
	uint32_t i;

	if (acpi_inw(ai->ai_pm1a_cnt_port) & PM1_CNT_SCI_EN)
		return;
	if (ai->ai_smi_cmd == 0 || ai->ai_acpi_enable == 0) {
		kprintf("acpi: not in ACPI mode and no way to switch; trying anyway\n");
		return;
	}
	outb(ai->ai_smi_cmd, ai->ai_acpi_enable);
	for (i = 0; i < ACPI_ENABLE_WAIT_US / 1000; i++) {
		if (acpi_inw(ai->ai_pm1a_cnt_port) & PM1_CNT_SCI_EN)
			return;
		acpi_wait(ai, 1000);
	}
	kprintf("acpi: SCI_EN still clear after the ACPI enable request\n");
}

static uint16_t
pm1_sleep_value(uint16_t port, uint8_t slp_typ)
{
	uint16_t v = acpi_inw(port);

	v &= ~(PM1_CNT_SLP_TYP_MASK | PM1_CNT_SLP_EN);
	return v | (uint16_t)((slp_typ & 7u) << PM1_CNT_SLP_TYP_SHIFT);
}

void
acpi_poweroff(const struct acpi_info *ai)
{
	uint16_t a, b = 0;

	if (ai->ai_hw_reduced) {
		kprintf("acpi: cannot power off: hardware-reduced ACPI is not supported\n");
		return;
	}
	if (!ai->ai_has_fadt || ai->ai_pm1a_cnt_port == 0) {
		kprintf("acpi: cannot power off: no PM1a control block\n");
		return;
	}
	if (!ai->ai_has_s5) {
		kprintf("acpi: cannot power off: no \\_S5 sleep type\n");
		return;
	}
	acpi_mode_enable(ai);
	a = pm1_sleep_value(ai->ai_pm1a_cnt_port, ai->ai_s5_typa);
	if (ai->ai_pm1b_cnt_port)
		b = pm1_sleep_value(ai->ai_pm1b_cnt_port, ai->ai_s5_typb);
	/* SLP_TYP first, then SLP_EN with it, in the order ACPICA uses. */
	outw(ai->ai_pm1a_cnt_port, a);
	if (ai->ai_pm1b_cnt_port)
		outw(ai->ai_pm1b_cnt_port, b);
	outw(ai->ai_pm1a_cnt_port, a | PM1_CNT_SLP_EN);
	if (ai->ai_pm1b_cnt_port)
		outw(ai->ai_pm1b_cnt_port, b | PM1_CNT_SLP_EN);
	acpi_wait(ai, ACPI_ACTION_WAIT_US);
	kprintf("acpi: still running after entering S5; power-off failed\n");
}

/*
 * A GAS address in PCI configuration space names segment 0, bus 0: device
 * in bits 47:32, function in 31:16, register offset in 15:0 (5.2.3.2).
 */
static void
pci_config_write8(uint64_t addr, uint8_t v)
{
	uint32_t dev = (addr >> 32) & 0x1f, fn = (addr >> 16) & 0x7, off = addr & 0xff;

	outl(PCI_CONFIG_ADDR, PCI_CONFIG_ENABLE | dev << 11 | fn << 8 | (off & 0xfc));
	outb(PCI_CONFIG_DATA + (off & 3), v);
}

/*
 * The reset register is one byte wide.  In system memory it is device
 * memory, which the direct map (RAM only) does not cover: it is mapped
 * uncached in the MMIO area first.
 */
void
acpi_reset(const struct acpi_info *ai)
{
	volatile uint8_t *reg;

	if (!ai->ai_has_reset) {
		kprintf("acpi: no ACPI reset register\n");
		return;
	}
	switch (ai->ai_reset_space) {
	case ACPI_GAS_IO:
		outb((uint16_t)ai->ai_reset_addr, ai->ai_reset_value);
		break;
	case ACPI_GAS_MEMORY:
		reg = vm_map_mmio(ai->ai_reset_addr, 1);
		if (reg == 0) {
			kprintf("acpi: cannot map the reset register at 0x%lx\n",
			    ai->ai_reset_addr);
			return;
		}
		*reg = ai->ai_reset_value;
		break;
	case ACPI_GAS_PCI_CONFIG:
		pci_config_write8(ai->ai_reset_addr, ai->ai_reset_value);
		break;
	}
	acpi_wait(ai, ACPI_ACTION_WAIT_US);
	kprintf("acpi: still running after writing the reset register\n");
}
