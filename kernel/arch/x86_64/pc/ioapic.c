/*
 * ioapic.c: the IO-APICs the MADT lists (82093AA datasheet, 3.2).  All
 * inputs start masked; the interrupt core (irq.c) routes the ones drivers
 * register.
 */
#include <keel/kernel.h>
#include <keel/vm.h>
#include <arch/apic.h>

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_VER	0x01
#define IOAPIC_REDTBL(n) (0x10 + 2 * (n))

#define RTE_MASKED	(1u << 16)
#define RTE_LEVEL	(1u << 15)
#define RTE_ACTIVE_LOW	(1u << 13)

/* Where the MADT-less PC puts its one IO-APIC. */
#define IOAPIC_DEFAULT_ADDR	0xfec00000

static struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	uint32_t ninputs;
} ioapics[ACPI_MAX_IOAPICS];
static int nioapics;

static uint32_t
io_rd(struct ioapic *io, uint32_t reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void
io_wr(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
}

static void
add(uint64_t addr, uint32_t gsi_base)
{
	struct ioapic *io = &ioapics[nioapics];
	uint32_t i;

	io->regs = vm_map_mmio(addr, PAGE_SIZE);
	if (io->regs == 0) {
		kprintf("ioapic: cannot map 0x%lx; skipped\n", addr);
		return;
	}
	io->gsi_base = gsi_base;
	io->ninputs = ((io_rd(io, IOAPIC_VER) >> 16) & 0xff) + 1;
	for (i = 0; i < io->ninputs; i++) {
		io_wr(io, IOAPIC_REDTBL(i), RTE_MASKED);
		io_wr(io, IOAPIC_REDTBL(i) + 1, 0);
	}
	kprintf("ioapic: at 0x%lx, GSI %u-%u, all masked\n", addr, gsi_base,
	    gsi_base + io->ninputs - 1);
	nioapics++;
}

void
ioapic_init(const struct acpi_info *ai)
{
	int i;

	if (!ai->ai_has_madt || ai->ai_nioapics == 0) {
		kprintf("ioapic: none in the MADT; assuming one at 0x%x\n",
		    IOAPIC_DEFAULT_ADDR);
		add(IOAPIC_DEFAULT_ADDR, 0);
		return;
	}
	for (i = 0; i < ai->ai_nioapics; i++)
		add(ai->ai_ioapics[i].io_addr, ai->ai_ioapics[i].io_gsi_base);
}

int
ioapic_count(void)
{
	return nioapics;
}

static struct ioapic *
find(uint32_t gsi)
{
	int i;

	for (i = 0; i < nioapics; i++)
		if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].ninputs)
			return &ioapics[i];
	return 0;
}

int
ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest, int level, int active_low)
{
	struct ioapic *io = find(gsi);
	uint32_t lo = vector;

	if (io == 0) {
		kprintf("ioapic: no IO-APIC handles GSI %u\n", gsi);
		return -1;
	}
	if (active_low)
		lo |= RTE_ACTIVE_LOW;
	if (level)
		lo |= RTE_LEVEL;
	io_wr(io, IOAPIC_REDTBL(gsi - io->gsi_base) + 1, dest << 24);
	io_wr(io, IOAPIC_REDTBL(gsi - io->gsi_base), lo);
	return 0;
}

void
ioapic_mask(uint32_t gsi)
{
	struct ioapic *io = find(gsi);

	if (io)
		io_wr(io, IOAPIC_REDTBL(gsi - io->gsi_base), RTE_MASKED);
}
