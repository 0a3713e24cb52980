/*
 * pci_lib.c: the parts of PCI that need no hardware (see pci.h): decoding a
 * BAR from what it reads back, matching drivers' lists, class names and
 * the text forms of a function.  Builds unchanged on the host.
 */
#include <keel/kernel.h>
#include <keel/pci.h>
#include <lib/fmt.h>

/*
 * A BAR's size is the lowest address bit that stayed set after all ones
 * were written (PCI 3.0, 6.2.5.1): the bits below it are hardwired to 0.
 * Reading the lowest set bit, rather than inverting the mask, also sizes
 * the I/O BARs whose upper 16 bits read back as 0.  A BAR that reads back
 * all ones is a function that did not answer (Linux takes it as absent).
 * Returns the BAR slots used: 2 for a 64-bit memory BAR, else 1.
 */
int
pci_bar_decode(uint32_t lo, uint32_t lo_mask, uint32_t hi, uint32_t hi_mask,
    struct pci_bar *bar)
{
	uint64_t mask;
	int slots = 1;

	memset(bar, 0, sizeof(*bar));
	if (lo == 0xffffffffu)
		lo = 0;
	if (lo_mask == 0xffffffffu)
		lo_mask = 0;
	if (lo & PCI_BAR_IO) {
		bar->pb_flags = lo & ~PCI_BAR_IO_ADDR_MASK;
		bar->pb_base = lo & PCI_BAR_IO_ADDR_MASK;
		mask = lo_mask & PCI_BAR_IO_ADDR_MASK;
	} else {
		bar->pb_flags = lo & ~PCI_BAR_MEM_ADDR_MASK;
		bar->pb_base = lo & PCI_BAR_MEM_ADDR_MASK;
		mask = lo_mask & PCI_BAR_MEM_ADDR_MASK;
		if ((lo & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_64) {
			bar->pb_base |= (uint64_t)hi << 32;
			mask |= (uint64_t)hi_mask << 32;
			slots = 2;
		}
	}
	bar->pb_size = mask & -mask;
	if (bar->pb_size == 0) {
		bar->pb_base = 0;
		bar->pb_flags = 0;
	}
	return slots;
}

/* The expansion ROM BAR: memory, 2 KiB granules, bit 0 enables decode. */
void
pci_rom_decode(uint32_t val, uint32_t mask, struct pci_bar *bar)
{
	memset(bar, 0, sizeof(*bar));
	if (mask == 0xffffffffu)
		mask = 0;
	mask &= PCI_ROM_ADDR_MASK;
	bar->pb_size = mask & -mask;
	if (bar->pb_size)
		bar->pb_base = val & PCI_ROM_ADDR_MASK;
}

static uint32_t
class_code(const struct pci_dev *dev)
{
	return (uint32_t)dev->pd_class << 16 | dev->pd_subclass << 8 | dev->pd_progif;
}

const struct pci_match *
pci_match_dev(const struct pci_match *list, const struct pci_dev *dev)
{
	const struct pci_match *m;

	for (m = list; m->pm_vendor != 0; m++) {
		if (m->pm_vendor != PCI_ANY_ID && m->pm_vendor != dev->pd_vendor)
			continue;
		if (m->pm_device != PCI_ANY_ID && m->pm_device != dev->pd_device)
			continue;
		if ((class_code(dev) & m->pm_class_mask) != (m->pm_class & m->pm_class_mask))
			continue;
		return m;
	}
	return 0;
}

/* lspci's names (pci.ids) for the classes a PC has; match on all 24 bits, then 16. */
static const struct {
	uint32_t code;
	int progif;		/* 1: code includes the prog-if */
	const char *name;
} classes[] = {
	{ 0x010601, 1, "SATA AHCI" },
	{ 0x0c0330, 1, "USB xHCI" },
	{ 0x0c0320, 1, "USB EHCI" },
	{ 0x0c0300, 1, "USB UHCI" },
	{ 0x0c0310, 1, "USB OHCI" },
	{ 0x010802, 1, "NVMe" },
	{ 0x0101, 0, "IDE interface" },
	{ 0x0100, 0, "SCSI storage controller" },
	{ 0x0106, 0, "SATA controller" },
	{ 0x0108, 0, "Non-volatile memory controller" },
	{ 0x0180, 0, "Mass storage controller" },
	{ 0x0200, 0, "Ethernet controller" },
	{ 0x0280, 0, "Network controller" },
	{ 0x0300, 0, "VGA compatible controller" },
	{ 0x0380, 0, "Display controller" },
	{ 0x0403, 0, "Audio device" },
	{ 0x0600, 0, "Host bridge" },
	{ 0x0601, 0, "ISA bridge" },
	{ 0x0604, 0, "PCI bridge" },
	{ 0x0680, 0, "Bridge" },
	{ 0x0700, 0, "Serial controller" },
	{ 0x0780, 0, "Communication controller" },
	{ 0x0880, 0, "System peripheral" },
	{ 0x0c03, 0, "USB controller" },
	{ 0x0c05, 0, "SMBus" },
	{ 0x00ff, 0, "Unclassified device" },
};

const char *
pci_class_name(const struct pci_dev *dev)
{
	uint32_t code = class_code(dev);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(classes); i++)
		if (classes[i].progif ? classes[i].code == code : classes[i].code == code >> 8)
			return classes[i].name;
	return "Unknown class";
}

/* The boot log's line: "00:1f.2 8086:2922 class 0106 prog-if 01 rev 02: SATA AHCI". */
int
pci_format_line(const struct pci_dev *dev, char *buf, size_t size)
{
	int n;

	n = fmt_snprintf(buf, size, "%02x:%02x.%x %04x:%04x class %02x%02x prog-if %02x"
	    " rev %02x: %s", dev->pd_bus, dev->pd_dev, dev->pd_fn, dev->pd_vendor,
	    dev->pd_device, dev->pd_class, dev->pd_subclass, dev->pd_progif,
	    dev->pd_revision, pci_class_name(dev));
	if (dev->pd_segment != 0 && n >= 0)
		n += fmt_snprintf(buf + MIN((size_t)n, size), size - MIN((size_t)n, size),
		    " (segment %04x)", dev->pd_segment);
	return n;
}

/*
 * One line of /proc/bus/pci/devices as Linux writes it
 * (drivers/pci/proc.c show_device): bus and devfn, vendor and device, the
 * interrupt, then the start (with the BAR's flag bits) and the size of the
 * six BARs and the ROM, then the driver's name.
 */
int
pci_format_proc(const struct pci_dev *dev, char *buf, size_t size)
{
	size_t n, len = 0;
	int i;

#define PUT(...) do {							\
		n = len < size ? len : size;				\
		len += fmt_snprintf(buf + n, size - n, __VA_ARGS__);	\
	} while (0)
	PUT("%02x%02x\t%04x%04x\t%x", dev->pd_bus, dev->pd_dev << 3 | dev->pd_fn,
	    dev->pd_vendor, dev->pd_device,
	    dev->pd_irq_line == 0xff ? 0 : dev->pd_irq_line);
	for (i = 0; i <= PCI_ROM_SLOT; i++)
		PUT("\t%16lx", dev->pd_bar[i].pb_base | (dev->pd_bar[i].pb_flags & 0xf));
	for (i = 0; i <= PCI_ROM_SLOT; i++)
		PUT("\t%16lx", dev->pd_bar[i].pb_size);
	PUT("\t%s\n", dev->pd_driver ? dev->pd_driver->pdrv_name : "");
#undef PUT
	return (int)len;
}
