/*
 * pci.h: PCI devices, found by walking configuration space at boot, and
 * the drivers that claim them (PCI Local Bus 3.0, PCI Express Base 4.0
 * chapter 7; PCI Firmware 3.2 for ECAM).
 *
 * Interface (dev/pci.c, the hardware):
 *   pci_init(ai)           enumerate every bus of every ECAM range in the
 *                          MCFG, else through ports 0xCF8/0xCFC, else
 *                          report that PCI is not enumerated; print one
 *                          line per function; offer each to the drivers
 *   pci_count(), pci_at(i) the functions found, in bus/device/function order
 *   pci_find(vendor, device) the first such function, or 0
 *   pci_driver_register(drv) add a driver and offer it every function no
 *                          driver holds yet (drivers registered before
 *                          pci_init are offered them by pci_init)
 *   pci_cfg_read32/16/8(dev, off), pci_cfg_write32/16(dev, off, v)
 *   pci_msi_enable(dev, addr, data), pci_msi_disable(dev)
 *                          program and switch the MSI capability (one
 *                          vector); for the interrupt core (irq.c) only
 *   pci_format_devices(buf, size)  /proc/bus/pci/devices, Linux's format:
 *                          the length it needs, as snprintf
 * Interface (dev/pci_lib.c, pure, host tested):
 *   pci_bar_decode(lo, lo_mask, hi, hi_mask, &bar)  a BAR from its value
 *                          and what it read back after all ones were written
 *   pci_rom_decode(val, mask, &bar)  the same for the expansion ROM
 *   pci_match_dev(list, dev)  the first entry of a match list dev fits
 *   pci_class_name(dev)    "SATA AHCI", "Host bridge", ...
 *   pci_format_line(dev, buf, size)   "00:1f.2 8086:2922 class 0106 ..."
 *   pci_format_proc(dev, buf, size)   one line of /proc/bus/pci/devices
 *
 * Locking: [I] set by pci_init, before interrupts reach any driver, never
 * changed; [K] changed only with interrupts off (one CPU).
 */
#ifndef KEEL_PCI_H
#define KEEL_PCI_H

#include <stddef.h>
#include <stdint.h>

/* Configuration space header (PCI 3.0, 6.1; type 0 and type 1). */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_REVISION		0x08	/* then prog-if, subclass, class */
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_PRIMARY_BUS		0x18	/* type 1: primary, secondary, subordinate */
#define PCI_SECONDARY_BUS	0x19
#define PCI_SUBORDINATE_BUS	0x1a
#define PCI_CAP_PTR		0x34
#define PCI_ROM0		0x30	/* type 0 expansion ROM */
#define PCI_ROM1		0x38	/* type 1 expansion ROM */
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

#define PCI_COMMAND_IO		(1u << 0)
#define PCI_COMMAND_MEMORY	(1u << 1)
#define PCI_COMMAND_MASTER	(1u << 2)
#define PCI_COMMAND_INTX_OFF	(1u << 10)
#define PCI_STATUS_CAP_LIST	(1u << 4)

#define PCI_HEADER_MULTI_FN	0x80
#define PCI_HEADER_NORMAL	0
#define PCI_HEADER_BRIDGE	1
#define PCI_HEADER_CARDBUS	2

/* Base address registers (6.2.5.1). */
#define PCI_BAR_IO		(1u << 0)
#define PCI_BAR_MEM_TYPE_MASK	(3u << 1)
#define PCI_BAR_MEM_64		(2u << 1)
#define PCI_BAR_PREFETCH	(1u << 3)
#define PCI_BAR_IO_ADDR_MASK	0xfffffffcu
#define PCI_BAR_MEM_ADDR_MASK	0xfffffff0u
#define PCI_ROM_ENABLE		(1u << 0)
#define PCI_ROM_ADDR_MASK	0xfffff800u

/* Capabilities (6.7, 6.8). */
#define PCI_CAP_ID_MSI		0x05
#define PCI_CAP_ID_MSIX		0x11
#define PCI_MSI_CTRL		2	/* from the capability */
#define PCI_MSI_ADDR_LO		4
#define PCI_MSI_ADDR_HI		8	/* 64-bit capable only */
#define PCI_MSI_DATA_32		8
#define PCI_MSI_DATA_64		12
#define PCI_MSI_CTRL_ENABLE	(1u << 0)
#define PCI_MSI_CTRL_MME_MASK	(7u << 4)	/* vectors enabled, log2 */
#define PCI_MSI_CTRL_64BIT	(1u << 7)
#define PCI_MSIX_CTRL		2
#define PCI_MSIX_CTRL_SIZE_MASK	0x7ffu		/* table size - 1 */

#define PCI_ANY_ID		0xffff
#define PCI_NBARS		6	/* type 0; a bridge has 2 */
#define PCI_ROM_SLOT		6	/* pd_bar[6]: the expansion ROM */
#define PCI_MAX_DEVICES		256

struct pci_bar {
	uint64_t pb_base;	/* memory address or I/O port; 0 when unassigned */
	uint64_t pb_size;	/* bytes; 0: no such BAR */
	uint8_t pb_flags;	/* the BAR's low bits: PCI_BAR_IO, _MEM_64, _PREFETCH */
};

struct pci_driver;

struct pci_dev {
	uint16_t pd_segment;			/* [I] ECAM segment group */
	uint8_t pd_bus, pd_dev, pd_fn;		/* [I] */
	uint16_t pd_vendor, pd_device;		/* [I] */
	uint8_t pd_class, pd_subclass, pd_progif, pd_revision;	/* [I] */
	uint8_t pd_header;			/* [I] PCI_HEADER_*, multi-function bit off */
	uint8_t pd_irq_line;			/* [I] what the firmware wrote, 0xff: none */
	uint8_t pd_irq_pin;			/* [I] 0: none, 1-4: INTA#-INTD# */
	uint8_t pd_msi_cap;			/* [I] capability offset, 0: none */
	uint8_t pd_msix_cap;			/* [I] capability offset, 0: none */
	uint16_t pd_msix_size;			/* [I] MSI-X table entries */
	uint8_t pd_secondary, pd_subordinate;	/* [I] bridges: the buses behind */
	struct pci_bar pd_bar[PCI_NBARS + 1];	/* [I] the BARs, then the ROM */
	volatile uint8_t *pd_cfg;		/* [I] its ECAM page, 0: ports */
	const struct pci_driver *pd_driver;	/* [K] who claimed it */
	void *pd_drvdata;			/* [K] the driver's */
};

/*
 * A match entry: vendor and device (PCI_ANY_ID for any) and the class code
 * (class << 16 | subclass << 8 | prog-if) under pm_class_mask.  A list ends
 * with an entry whose vendor is 0 (no device has it).
 */
struct pci_match {
	uint16_t pm_vendor, pm_device;
	uint32_t pm_class, pm_class_mask;
};

struct pci_driver {
	const char *pdrv_name;
	const struct pci_match *pdrv_match;
	/* Whether the driver wants dev: 0 to claim it, else -ENODEV. */
	int (*pdrv_probe)(struct pci_dev *dev);
	/* Bring the claimed device up; an error releases it. */
	int (*pdrv_attach)(struct pci_dev *dev);
	struct pci_driver *pdrv_next;		/* [K] pci.c's list */
};

struct acpi_info;

void pci_init(const struct acpi_info *ai);
int pci_count(void);
struct pci_dev *pci_at(int i);
struct pci_dev *pci_find(uint16_t vendor, uint16_t device);
void pci_driver_register(struct pci_driver *drv);
uint32_t pci_cfg_read32(const struct pci_dev *dev, uint32_t off);
uint16_t pci_cfg_read16(const struct pci_dev *dev, uint32_t off);
uint8_t pci_cfg_read8(const struct pci_dev *dev, uint32_t off);
void pci_cfg_write32(const struct pci_dev *dev, uint32_t off, uint32_t v);
void pci_cfg_write16(const struct pci_dev *dev, uint32_t off, uint16_t v);
void pci_msi_enable(const struct pci_dev *dev, uint64_t addr, uint32_t data);
void pci_msi_disable(const struct pci_dev *dev);
int pci_format_devices(char *buf, size_t size);

/* pci_lib.c */
int pci_bar_decode(uint32_t lo, uint32_t lo_mask, uint32_t hi, uint32_t hi_mask,
    struct pci_bar *bar);
void pci_rom_decode(uint32_t val, uint32_t mask, struct pci_bar *bar);
const struct pci_match *pci_match_dev(const struct pci_match *list,
    const struct pci_dev *dev);
const char *pci_class_name(const struct pci_dev *dev);
int pci_format_line(const struct pci_dev *dev, char *buf, size_t size);
int pci_format_proc(const struct pci_dev *dev, char *buf, size_t size);

#endif
