/*
 * pci.c: PCI configuration space, the walk that finds every function, and
 * the driver list (see pci.h).
 *
 * Configuration space is reached through ECAM when the MCFG lists it (each
 * bus a 1 MiB window at base + bus << 20, a function a 4 KiB page in it,
 * PCIe 4.0 7.2.2), mapped a bus at a time as the walk reaches it; else
 * through the PC's ports 0xCF8/0xCFC (<arch/arch.h>), which reach segment 0
 * only; else not at all, and the boot goes on without PCI.  The walk starts
 * at the first bus of each range and follows the secondary bus of every
 * bridge the firmware numbered, as Linux's does; nothing is renumbered or
 * reassigned.
 */
#include <keel/kernel.h>
#include <keel/acpi.h>
#include <keel/pci.h>
#include <keel/vm.h>
#include <uapi/errno.h>
#include <arch/arch.h>

#define ECAM_BUS_SIZE	(1u << 20)
#define ECAM_FN_SIZE	(1u << 12)
#define MAX_CAPS	48	/* 256 bytes of 4-byte-aligned capabilities */

static struct pci_dev devs[PCI_MAX_DEVICES];
static int ndevs;
static int ndevs_dropped;
static struct pci_driver *drivers;
static const char *method = "none";

/* One ECAM range being walked: its buses' windows, mapped on first use. */
struct ecam {
	uint16_t seg;
	uint64_t base;			/* of bus 0, whatever bus_start is */
	uint8_t bus_start, bus_end;
	volatile uint8_t *bus[256];
	uint8_t seen[256];		/* buses walked, so a loop cannot recurse */
};

static volatile uint8_t *
ecam_fn(struct ecam *e, int bus, int dev, int fn)
{
	if (bus < e->bus_start || bus > e->bus_end)
		return 0;
	if (e->bus[bus] == 0) {
		e->bus[bus] = vm_map_mmio(e->base + ((uint64_t)bus << 20), ECAM_BUS_SIZE);
		if (e->bus[bus] == 0) {
			kprintf("pci: cannot map the ECAM window of bus %02x\n", bus);
			return 0;
		}
	}
	return e->bus[bus] + (dev << 15 | fn << 12);
}

uint32_t
pci_cfg_read32(const struct pci_dev *d, uint32_t off)
{
	if (d->pd_cfg)
		return *(volatile uint32_t *)(d->pd_cfg + off);
	return pci_port_read(d->pd_bus, d->pd_dev, d->pd_fn, off, 4);
}

uint16_t
pci_cfg_read16(const struct pci_dev *d, uint32_t off)
{
	if (d->pd_cfg)
		return *(volatile uint16_t *)(d->pd_cfg + off);
	return (uint16_t)pci_port_read(d->pd_bus, d->pd_dev, d->pd_fn, off, 2);
}

uint8_t
pci_cfg_read8(const struct pci_dev *d, uint32_t off)
{
	if (d->pd_cfg)
		return d->pd_cfg[off];
	return (uint8_t)pci_port_read(d->pd_bus, d->pd_dev, d->pd_fn, off, 1);
}

void
pci_cfg_write32(const struct pci_dev *d, uint32_t off, uint32_t v)
{
	if (d->pd_cfg)
		*(volatile uint32_t *)(d->pd_cfg + off) = v;
	else
		pci_port_write(d->pd_bus, d->pd_dev, d->pd_fn, off, 4, v);
}

/* 16 bits at a time: the command register's neighbour, status, is write-1-to-clear. */
void
pci_cfg_write16(const struct pci_dev *d, uint32_t off, uint16_t v)
{
	if (d->pd_cfg)
		*(volatile uint16_t *)(d->pd_cfg + off) = v;
	else
		pci_port_write(d->pd_bus, d->pd_dev, d->pd_fn, off, 2, v);
}

/*
 * Size the BARs as Linux does (drivers/pci/probe.c __pci_read_base): with
 * I/O and memory decode off, so that the all-ones address never decodes,
 * except on host bridges, some of which stop answering (Linux's
 * mmio_always_on).  Interrupts are off: nothing may use the device's
 * registers meanwhile (the framebuffer is behind a BAR, and the console
 * draws from the tick).
 */
static void
size_bars(struct pci_dev *d)
{
	int i, nbars, slots;
	uint32_t off, lo, lo_mask, hi = 0, hi_mask = 0, rom;
	uint16_t cmd = pci_cfg_read16(d, PCI_COMMAND);
	int host = d->pd_class == 0x06 && d->pd_subclass == 0x00;
	uint64_t fl = intr_save();

	nbars = d->pd_header == PCI_HEADER_NORMAL ? 6 :
	    d->pd_header == PCI_HEADER_BRIDGE ? 2 : 1;
	if (!host && (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)))
		pci_cfg_write16(d, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (i = 0; i < nbars; i += slots) {
		off = PCI_BAR0 + 4 * i;
		lo = pci_cfg_read32(d, off);
		pci_cfg_write32(d, off, 0xffffffffu);
		lo_mask = pci_cfg_read32(d, off);
		pci_cfg_write32(d, off, lo);
		hi = hi_mask = 0;
		if (!(lo & PCI_BAR_IO) && (lo & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_64 &&
		    i + 1 < nbars) {
			hi = pci_cfg_read32(d, off + 4);
			pci_cfg_write32(d, off + 4, 0xffffffffu);
			hi_mask = pci_cfg_read32(d, off + 4);
			pci_cfg_write32(d, off + 4, hi);
		}
		slots = pci_bar_decode(lo, lo_mask, hi, hi_mask, &d->pd_bar[i]);
		if (i + slots > nbars)
			slots = 1;
	}
	if (d->pd_header != PCI_HEADER_CARDBUS) {
		off = d->pd_header == PCI_HEADER_NORMAL ? PCI_ROM0 : PCI_ROM1;
		rom = pci_cfg_read32(d, off);
		pci_cfg_write32(d, off, rom | PCI_ROM_ADDR_MASK);
		lo_mask = pci_cfg_read32(d, off);
		pci_cfg_write32(d, off, rom);
		pci_rom_decode(rom, lo_mask, &d->pd_bar[PCI_ROM_SLOT]);
	}
	if (!host && (cmd & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY)))
		pci_cfg_write16(d, PCI_COMMAND, cmd);
	intr_restore(fl);
}

static void
find_caps(struct pci_dev *d)
{
	uint8_t ptr, id;
	int n;

	if (!(pci_cfg_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return;
	ptr = pci_cfg_read8(d, PCI_CAP_PTR) & ~3;
	for (n = 0; ptr >= 0x40 && n < MAX_CAPS; n++) {
		id = pci_cfg_read8(d, ptr);
		if (id == PCI_CAP_ID_MSI && !d->pd_msi_cap)
			d->pd_msi_cap = ptr;
		if (id == PCI_CAP_ID_MSIX && !d->pd_msix_cap) {
			d->pd_msix_cap = ptr;
			d->pd_msix_size = (pci_cfg_read16(d, ptr + PCI_MSIX_CTRL) &
			    PCI_MSIX_CTRL_SIZE_MASK) + 1;
		}
		ptr = pci_cfg_read8(d, ptr + 1) & ~3;
	}
}

/* Record the function at seg:bus:dev.fn (cfg: its ECAM page, or 0 for ports). */
static struct pci_dev *
add_function(uint16_t seg, int bus, int dev, int fn, volatile uint8_t *cfg)
{
	struct pci_dev *d;
	uint32_t rev;
	char line[128];

	if (ndevs == PCI_MAX_DEVICES) {
		ndevs_dropped++;
		return 0;
	}
	d = &devs[ndevs++];
	memset(d, 0, sizeof(*d));
	d->pd_segment = seg;
	d->pd_bus = bus;
	d->pd_dev = dev;
	d->pd_fn = fn;
	d->pd_cfg = cfg;
	d->pd_vendor = pci_cfg_read16(d, PCI_VENDOR_ID);
	d->pd_device = pci_cfg_read16(d, PCI_DEVICE_ID);
	rev = pci_cfg_read32(d, PCI_REVISION);
	d->pd_revision = rev & 0xff;
	d->pd_progif = rev >> 8 & 0xff;
	d->pd_subclass = rev >> 16 & 0xff;
	d->pd_class = rev >> 24;
	d->pd_header = pci_cfg_read8(d, PCI_HEADER_TYPE) & ~PCI_HEADER_MULTI_FN;
	d->pd_irq_line = pci_cfg_read8(d, PCI_INTERRUPT_LINE);
	d->pd_irq_pin = pci_cfg_read8(d, PCI_INTERRUPT_PIN);
	if (d->pd_header == PCI_HEADER_BRIDGE) {
		d->pd_secondary = pci_cfg_read8(d, PCI_SECONDARY_BUS);
		d->pd_subordinate = pci_cfg_read8(d, PCI_SUBORDINATE_BUS);
	}
	size_bars(d);
	find_caps(d);
	pci_format_line(d, line, sizeof(line));
	kprintf("pci: %s\n", line);
	return d;
}

/*
 * Every device and function of one bus, then the buses behind its bridges.
 * e: the ECAM range, or 0 for the ports.
 */
static void
scan_bus(struct ecam *e, uint16_t seg, int bus, uint8_t *seen)
{
	struct pci_dev probe = { .pd_segment = seg, .pd_bus = bus };
	struct pci_dev *d;
	int dev, fn, nfn;

	seen[bus] = 1;
	for (dev = 0; dev < 32; dev++) {
		nfn = 1;
		for (fn = 0; fn < nfn; fn++) {
			probe.pd_dev = dev;
			probe.pd_fn = fn;
			probe.pd_cfg = 0;
			if (e && (probe.pd_cfg = ecam_fn(e, bus, dev, fn)) == 0)
				return;
			if (pci_cfg_read16(&probe, PCI_VENDOR_ID) == 0xffff)
				continue;
			if (fn == 0 && (pci_cfg_read8(&probe, PCI_HEADER_TYPE) & PCI_HEADER_MULTI_FN))
				nfn = 8;
			d = add_function(seg, bus, dev, fn, probe.pd_cfg);
			if (d && d->pd_header == PCI_HEADER_BRIDGE && d->pd_secondary > bus &&
			    !seen[d->pd_secondary] &&
			    (!e || d->pd_secondary <= e->bus_end))
				scan_bus(e, seg, d->pd_secondary, seen);
		}
	}
}

static void
offer(struct pci_driver *drv, struct pci_dev *d)
{
	int err;

	if (d->pd_driver || !pci_match_dev(drv->pdrv_match, d) || drv->pdrv_probe(d) != 0)
		return;
	d->pd_driver = drv;
	if (drv->pdrv_attach && (err = drv->pdrv_attach(d)) != 0) {
		kprintf("pci: %02x:%02x.%x: %s did not attach: error %d\n", d->pd_bus,
		    d->pd_dev, d->pd_fn, drv->pdrv_name, -err);
		d->pd_driver = 0;
		d->pd_drvdata = 0;
	}
}

void
pci_driver_register(struct pci_driver *drv)
{
	int i;

	drv->pdrv_next = drivers;
	drivers = drv;
	for (i = 0; i < ndevs; i++)
		offer(drv, &devs[i]);
}

void
pci_init(const struct acpi_info *ai)
{
	static struct ecam e;
	static uint8_t seen[256];
	struct pci_driver *drv;
	int i;

	if (ai->ai_nmcfg > 0) {
		method = "ECAM";
		for (i = 0; i < ai->ai_nmcfg; i++) {
			memset(&e, 0, sizeof(e));
			e.seg = ai->ai_mcfg[i].mc_segment;
			e.base = ai->ai_mcfg[i].mc_base;
			e.bus_start = ai->ai_mcfg[i].mc_bus_start;
			e.bus_end = ai->ai_mcfg[i].mc_bus_end;
			scan_bus(&e, e.seg, e.bus_start, e.seen);
		}
	} else if (pci_port_present()) {
		method = "ports 0xcf8/0xcfc";
		scan_bus(0, 0, 0, seen);
	} else {
		kprintf("pci: no ECAM in the ACPI tables and no configuration ports:"
		    " PCI is not enumerated\n");
		return;
	}
	if (ndevs_dropped)
		kprintf("pci: %d functions beyond the first %d ignored\n", ndevs_dropped,
		    PCI_MAX_DEVICES);
	kprintf("pci: %d functions through %s\n", ndevs, method);
	for (drv = drivers; drv; drv = drv->pdrv_next)
		for (i = 0; i < ndevs; i++)
			offer(drv, &devs[i]);
}

int
pci_count(void)
{
	return ndevs;
}

struct pci_dev *
pci_at(int i)
{
	return i >= 0 && i < ndevs ? &devs[i] : 0;
}

struct pci_dev *
pci_find(uint16_t vendor, uint16_t device)
{
	int i;

	for (i = 0; i < ndevs; i++)
		if (devs[i].pd_vendor == vendor && devs[i].pd_device == device)
			return &devs[i];
	return 0;
}

void
pci_msi_enable(const struct pci_dev *d, uint64_t addr, uint32_t data)
{
	uint32_t cap = d->pd_msi_cap;
	uint16_t ctrl = pci_cfg_read16(d, cap + PCI_MSI_CTRL);

	ASSERT(cap != 0);
	ctrl &= ~(PCI_MSI_CTRL_ENABLE | PCI_MSI_CTRL_MME_MASK);
	pci_cfg_write16(d, cap + PCI_MSI_CTRL, ctrl);
	pci_cfg_write32(d, cap + PCI_MSI_ADDR_LO, (uint32_t)addr);
	if (ctrl & PCI_MSI_CTRL_64BIT) {
		pci_cfg_write32(d, cap + PCI_MSI_ADDR_HI, (uint32_t)(addr >> 32));
		pci_cfg_write16(d, cap + PCI_MSI_DATA_64, (uint16_t)data);
	} else {
		pci_cfg_write16(d, cap + PCI_MSI_DATA_32, (uint16_t)data);
	}
	pci_cfg_write16(d, cap + PCI_MSI_CTRL, ctrl | PCI_MSI_CTRL_ENABLE);
	pci_cfg_write16(d, PCI_COMMAND, pci_cfg_read16(d, PCI_COMMAND) | PCI_COMMAND_INTX_OFF);
}

void
pci_msi_disable(const struct pci_dev *d)
{
	uint32_t cap = d->pd_msi_cap;

	ASSERT(cap != 0);
	pci_cfg_write16(d, cap + PCI_MSI_CTRL,
	    pci_cfg_read16(d, cap + PCI_MSI_CTRL) & ~PCI_MSI_CTRL_ENABLE);
}

int
pci_format_devices(char *buf, size_t size)
{
	size_t len = 0, at;
	int i;

	for (i = 0; i < ndevs; i++) {
		at = MIN(len, size);
		len += pci_format_proc(&devs[i], buf + at, size - at);
	}
	if (size && len < size)
		buf[len] = '\0';
	return (int)len;
}
