/*
 * ktest_dev.c: in-kernel self-tests of the driver model: the PCI walk found
 * the chipset QEMU gives each machine, drivers are offered what their match
 * lists say, and the interrupt core delivers to registered handlers (the
 * tick, a routed GSI, an MSI programmed into a real device).
 */
#include <keel/kernel.h>
#include <keel/fbcon.h>
#include <keel/irq.h>
#include <keel/ktest.h>
#include <keel/pci.h>
#include <keel/platform.h>
#include <uapi/errno.h>
#include <arch/cpu.h>
#include <arch/irq.h>

/* q35 (ICH9) and pc (i440FX + PIIX3), as QEMU builds them. */
#define Q35_HOST	0x29c0
#define ICH9_LPC	0x2918
#define ICH9_AHCI	0x2922
#define I440FX_HOST	0x1237
#define PIIX3_ISA	0x7000

static int
is_at(const struct pci_dev *d, int bus, int dev, int fn)
{
	return d && d->pd_bus == bus && d->pd_dev == dev && d->pd_fn == fn;
}

KTEST(pci_found_chipset)
{
	const struct pci_dev *host, *lpc;

	KT_ASSERT(pci_count() > 0);
	if (platform_acpi.ai_nmcfg > 0) {
		host = pci_find(0x8086, Q35_HOST);
		lpc = pci_find(0x8086, ICH9_LPC);
		KT_ASSERT(is_at(host, 0, 0, 0));
		KT_ASSERT(is_at(lpc, 0, 0x1f, 0));
		KT_ASSERT(lpc->pd_class == 0x06 && lpc->pd_subclass == 0x01);
		/* The LPC bridge is function 0 of a multi-function device. */
		KT_ASSERT(pci_find(0x8086, ICH9_AHCI) != 0);
	} else {
		host = pci_find(0x8086, I440FX_HOST);
		lpc = pci_find(0x8086, PIIX3_ISA);
		KT_ASSERT(is_at(host, 0, 0, 0));
		KT_ASSERT(is_at(lpc, 0, 1, 0));
	}
	KT_ASSERT(host->pd_class == 0x06 && host->pd_subclass == 0x00);
	KT_ASSERT(host->pd_header == PCI_HEADER_NORMAL);
}

/* ICH9's AHCI: BAR4 32 ports of I/O, BAR5 (ABAR) 4 KiB of memory, and MSI. */
KTEST(pci_bars_sized)
{
	const struct pci_dev *d = pci_find(0x8086, ICH9_AHCI);

	if (d == 0)
		return;		/* the pc machine has no AHCI */
	KT_ASSERT(d->pd_bar[4].pb_size == 0x20);
	KT_ASSERT(d->pd_bar[4].pb_flags & PCI_BAR_IO);
	KT_ASSERT(d->pd_bar[5].pb_size == 0x1000);
	KT_ASSERT(!(d->pd_bar[5].pb_flags & PCI_BAR_IO));
	KT_ASSERT(d->pd_bar[5].pb_base != 0);
	KT_ASSERT(d->pd_msi_cap != 0);
	/* Sizing left the addresses where the firmware put them. */
	KT_ASSERT((pci_cfg_read32(d, PCI_BAR0 + 5 * 4) & PCI_BAR_MEM_ADDR_MASK) ==
	    d->pd_bar[5].pb_base);
}

static int probes, attaches;
static struct pci_dev *probed[PCI_MAX_DEVICES];

static int
bridge_probe(struct pci_dev *dev)
{
	probed[probes++] = dev;
	return -ENODEV;		/* looks at every bridge, claims none */
}

static int
isa_probe(struct pci_dev *dev)
{
	return 0;
}

static int
isa_attach(struct pci_dev *dev)
{
	attaches++;
	dev->pd_drvdata = &attaches;
	return 0;
}

static const struct pci_match bridges[] = {
	{ PCI_ANY_ID, PCI_ANY_ID, 0x060000, 0xff0000 },
	{ 0 },
};
static const struct pci_match isa_bridges[] = {
	{ 0x8086, PCI_ANY_ID, 0x060100, 0xffff00 },
	{ 0 },
};

KTEST(pci_drivers_matched)
{
	static struct pci_driver bridge_drv = {
		.pdrv_name = "ktest-bridges", .pdrv_match = bridges, .pdrv_probe = bridge_probe,
	};
	static struct pci_driver isa_drv = {
		.pdrv_name = "ktest-isa", .pdrv_match = isa_bridges, .pdrv_probe = isa_probe,
		.pdrv_attach = isa_attach,
	};
	int i, nbridges = 0, nisa = 0;
	struct pci_dev *d;

	for (i = 0; i < pci_count(); i++) {
		d = pci_at(i);
		nbridges += d->pd_class == 0x06 && !d->pd_driver;
		nisa += d->pd_class == 0x06 && d->pd_subclass == 0x01 &&
		    d->pd_vendor == 0x8086 && !d->pd_driver;
	}
	KT_ASSERT(nbridges >= 2 && nisa == 1);
	pci_driver_register(&bridge_drv);
	KT_ASSERT(probes == nbridges);
	for (i = 0; i < probes; i++)
		KT_ASSERT(probed[i]->pd_class == 0x06 && probed[i]->pd_driver == 0);
	pci_driver_register(&isa_drv);
	KT_ASSERT(attaches == 1);
	for (i = 0; i < pci_count(); i++) {
		d = pci_at(i);
		if (d->pd_driver == &isa_drv)
			break;
	}
	KT_ASSERT(i < pci_count());
	KT_ASSERT(d->pd_class == 0x06 && d->pd_subclass == 0x01 && d->pd_drvdata == &attaches);
}

KTEST(pci_proc_devices_format)
{
	static char buf[8192];
	int n = pci_format_devices(buf, sizeof(buf));

	KT_ASSERT(n > 0 && n < (int)sizeof(buf));
	KT_ASSERT((int)strlen(buf) == n);
	/* The first line is the host bridge at bus 0, devfn 00. */
	KT_ASSERT(strncmp(buf, "0000\t8086", 9) == 0);
	KT_ASSERT(pci_format_devices(buf, 10) == n);
	KT_ASSERT(buf[9] == '\0');
}

KTEST(irq_timer_handler_called)
{
	uint64_t n0 = irq_count(IRQ_LOCAL_TIMER), start = rdtsc();

	while (irq_count(IRQ_LOCAL_TIMER) - n0 < 3 && rdtsc() - start < (1ULL << 33))
		hlt();
	KT_ASSERT(irq_count(IRQ_LOCAL_TIMER) - n0 >= 3);
}

static volatile int calls;
static void *volatile arg_seen;

static void
count_call(void *arg)
{
	calls++;
	arg_seen = arg;
}

/* A GSI no device drives on either machine (ISA IRQ 7, the printer port's). */
KTEST(irq_gsi_register_raise)
{
	int irq = irq_isa(7), err;

	calls = 0;
	KT_ASSERT(irq_register(irq, count_call, (void *)&calls) == 0);
	KT_ASSERT(irq_register(irq, count_call, 0) == -EBUSY);
	irq_raise(irq);
	KT_ASSERT(calls == 1 && arg_seen == (void *)&calls);
	KT_ASSERT(irq_count(irq) == 1);
	irq_unregister(irq);
	irq_raise(irq);		/* nothing has the vector now */
	KT_ASSERT(calls == 1);
	err = irq_register(irq, count_call, 0);
	irq_unregister(irq);
	KT_ASSERT(err == 0);
	KT_ASSERT(irq_register(IRQ_LOCAL_TIMER, count_call, 0) == -EBUSY);
	KT_ASSERT(irq_register(IRQ_MSI_BASE + 0x40, count_call, 0) == -EINVAL);
}

/* An MSI programmed into q35's AHCI: the message is the LAPIC and the vector. */
KTEST(irq_msi_programmed)
{
	struct pci_dev *d = pci_find(0x8086, ICH9_AHCI);
	uint32_t cap, ctrl, data;
	int irq;

	if (d == 0)
		return;
	cap = d->pd_msi_cap;
	irq = irq_alloc_msi(d, count_call, d);
	KT_ASSERT(irq >= IRQ_MSI_BASE && irq < IRQ_LOCAL_BASE);
	ctrl = pci_cfg_read16(d, cap + PCI_MSI_CTRL);
	KT_ASSERT(ctrl & PCI_MSI_CTRL_ENABLE);
	KT_ASSERT((pci_cfg_read32(d, cap + PCI_MSI_ADDR_LO) & 0xfff00000u) == 0xfee00000u);
	data = pci_cfg_read16(d, cap + (ctrl & PCI_MSI_CTRL_64BIT ? PCI_MSI_DATA_64 :
	    PCI_MSI_DATA_32));
	KT_ASSERT(data >= 0x30 && data < 0xf0 && data != 0x80);
	KT_ASSERT(pci_cfg_read16(d, PCI_COMMAND) & PCI_COMMAND_INTX_OFF);
	calls = 0;
	irq_raise(irq);
	KT_ASSERT(calls == 1 && arg_seen == d);
	irq_unregister(irq);
	KT_ASSERT(!(pci_cfg_read16(d, cap + PCI_MSI_CTRL) & PCI_MSI_CTRL_ENABLE));
}

/* QEMU's display (1234:1111) holds the GOP framebuffer: efifb claims it. */
KTEST(pci_framebuffer_claimed)
{
	const struct pci_dev *d = pci_find(0x1234, 0x1111);

	if (d == 0 || !fbcon_present())
		return;
	KT_ASSERT(d->pd_driver != 0);
	KT_ASSERT(strcmp(d->pd_driver->pdrv_name, "efifb") == 0);
}
