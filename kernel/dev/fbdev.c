/*
 * fbdev.c: the framebuffer as a PCI device.  The firmware's GOP framebuffer
 * (boot info) lies inside a memory BAR of some display function; this
 * driver ("efifb", as Linux names the same arrangement) claims that
 * function, so that no other driver takes it and /proc/bus/pci/devices
 * says who holds it.  Drawing needs nothing from PCI: fbcon.c writes the
 * mapping console.c made, with or without this driver.
 *
 * Interface: fbdev_register(phys, size) once the framebuffer console is up,
 * before or after pci_init.
 */
#include <keel/kernel.h>
#include <keel/fbcon.h>
#include <keel/pci.h>
#include <uapi/errno.h>

static uint64_t fb_phys, fb_size;
static int fb_bar = -1;

static const struct pci_match displays[] = {
	{ PCI_ANY_ID, PCI_ANY_ID, 0x030000, 0xff0000 },	/* any display controller */
	{ 0 },
};

/* The memory BAR holding the whole framebuffer, or -1. */
static int
holding_bar(const struct pci_dev *dev)
{
	const struct pci_bar *b;
	int i;

	for (i = 0; i < PCI_NBARS; i++) {
		b = &dev->pd_bar[i];
		if (b->pb_size == 0 || (b->pb_flags & PCI_BAR_IO))
			continue;
		if (fb_phys >= b->pb_base && fb_phys + fb_size <= b->pb_base + b->pb_size)
			return i;
	}
	return -1;
}

static int
fbdev_probe(struct pci_dev *dev)
{
	return fb_size && holding_bar(dev) >= 0 ? 0 : -ENODEV;
}

static int
fbdev_attach(struct pci_dev *dev)
{
	fb_bar = holding_bar(dev);
	dev->pd_drvdata = &fb_bar;
	kprintf("fbdev: the framebuffer at 0x%lx is BAR%d of %02x:%02x.%x (%04x:%04x)\n",
	    fb_phys, fb_bar, dev->pd_bus, dev->pd_dev, dev->pd_fn, dev->pd_vendor,
	    dev->pd_device);
	return 0;
}

static struct pci_driver fbdev_driver = {
	.pdrv_name = "efifb",
	.pdrv_match = displays,
	.pdrv_probe = fbdev_probe,
	.pdrv_attach = fbdev_attach,
};

void
fbdev_register(uint64_t phys, uint64_t size)
{
	fb_phys = phys;
	fb_size = size;
	pci_driver_register(&fbdev_driver);
}
