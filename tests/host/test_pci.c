/*
 * test_pci.c: the pure half of PCI (kernel/dev/pci_lib.c): BARs decoded
 * from the value and the read-back mask real devices give (QEMU's ICH9 AHCI,
 * an NVMe 64-bit BAR, 16-bit I/O BARs, absent and unanswered BARs, the
 * expansion ROM), driver match lists, class names and both text forms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <keel/pci.h>

static void
test_bar_mem32(void **state)
{
	struct pci_bar b;

	/* AHCI ABAR: 4 KiB, non-prefetchable, at 0xfebd5000. */
	assert_int_equal(pci_bar_decode(0xfebd5000, 0xfffff000, 0, 0, &b), 1);
	assert_int_equal(b.pb_base, 0xfebd5000);
	assert_int_equal(b.pb_size, 0x1000);
	assert_int_equal(b.pb_flags, 0);
	/* Prefetchable 16 MiB (a VGA framebuffer), the flag bits kept. */
	assert_int_equal(pci_bar_decode(0xc0000008, 0xff000008, 0, 0, &b), 1);
	assert_int_equal(b.pb_base, 0xc0000000);
	assert_int_equal(b.pb_size, 0x1000000);
	assert_int_equal(b.pb_flags, PCI_BAR_PREFETCH);
	/* Unassigned (address 0) but implemented: the size still counts. */
	assert_int_equal(pci_bar_decode(0, 0xffffe000, 0, 0, &b), 1);
	assert_int_equal(b.pb_base, 0);
	assert_int_equal(b.pb_size, 0x2000);
}

static void
test_bar_mem64(void **state)
{
	struct pci_bar b;

	/* 16 KiB, 64-bit, above 4 GiB: two slots. */
	assert_int_equal(pci_bar_decode(0x00004004, 0xffffc004, 0x8, 0xffffffff, &b), 2);
	assert_int_equal(b.pb_base, 0x800004000ULL);
	assert_int_equal(b.pb_size, 0x4000);
	assert_int_equal(b.pb_flags, PCI_BAR_MEM_64);
	/* 8 GiB prefetchable: the size is in the upper half only. */
	assert_int_equal(pci_bar_decode(0x0000000c, 0x0000000c, 0x4, 0xfffffffe, &b), 2);
	assert_int_equal(b.pb_size, 0x200000000ULL);
	assert_int_equal(b.pb_base, 0x400000000ULL);
	assert_int_equal(b.pb_flags, PCI_BAR_MEM_64 | PCI_BAR_PREFETCH);
}

static void
test_bar_io(void **state)
{
	struct pci_bar b;

	/* AHCI's 32-port BAR4, as QEMU reads it back: 32-bit mask. */
	assert_int_equal(pci_bar_decode(0xc041, 0xffffffe1, 0, 0, &b), 1);
	assert_int_equal(b.pb_base, 0xc040);
	assert_int_equal(b.pb_size, 0x20);
	assert_int_equal(b.pb_flags, PCI_BAR_IO);
	/* A 16-bit decoder: the upper half reads back 0, the size is the same. */
	assert_int_equal(pci_bar_decode(0xc001, 0x0000ffe1, 0, 0, &b), 1);
	assert_int_equal(b.pb_size, 0x20);
	assert_int_equal(b.pb_base, 0xc000);
	/* Bit 1 set in an I/O BAR is no 64-bit type: one slot, bit 2 is address. */
	assert_int_equal(pci_bar_decode(0x1007, 0xfffffff7, 0x12, 0xffffffff, &b), 1);
	assert_int_equal(b.pb_size, 0x4);
	assert_int_equal(b.pb_base, 0x1004);
}

static void
test_bar_absent(void **state)
{
	struct pci_bar b;

	/* Hardwired to 0: no BAR. */
	assert_int_equal(pci_bar_decode(0, 0, 0, 0, &b), 1);
	assert_int_equal(b.pb_size, 0);
	assert_int_equal(b.pb_base, 0);
	/* A function that did not answer reads all ones, twice. */
	assert_int_equal(pci_bar_decode(0xffffffff, 0xffffffff, 0, 0, &b), 1);
	assert_int_equal(b.pb_size, 0);
	assert_int_equal(b.pb_flags, 0);
	/* Only flag bits stick: nothing decodes. */
	assert_int_equal(pci_bar_decode(0x8, 0x8, 0, 0, &b), 1);
	assert_int_equal(b.pb_size, 0);
	assert_int_equal(b.pb_flags, 0);
}

static void
test_rom(void **state)
{
	struct pci_bar b;

	pci_rom_decode(0xfeb80001, 0xfffc0001, &b);
	assert_int_equal(b.pb_base, 0xfeb80000);
	assert_int_equal(b.pb_size, 0x40000);
	pci_rom_decode(0, 0, &b);
	assert_int_equal(b.pb_size, 0);
	pci_rom_decode(0xffffffff, 0xffffffff, &b);
	assert_int_equal(b.pb_size, 0);
}

static struct pci_dev
dev(uint16_t vendor, uint16_t device, uint8_t cls, uint8_t sub, uint8_t progif)
{
	struct pci_dev d;

	memset(&d, 0, sizeof(d));
	d.pd_vendor = vendor;
	d.pd_device = device;
	d.pd_class = cls;
	d.pd_subclass = sub;
	d.pd_progif = progif;
	return d;
}

static void
test_match(void **state)
{
	static const struct pci_match list[] = {
		{ 0x8086, 0x2922, 0, 0 },			/* one device */
		{ PCI_ANY_ID, PCI_ANY_ID, 0x0c0330, 0xffffff },	/* any xHCI */
		{ 0x1b36, PCI_ANY_ID, 0x020000, 0xff0000 },	/* Red Hat network */
		{ 0 },
		{ PCI_ANY_ID, PCI_ANY_ID, 0, 0 },		/* past the end */
	};
	struct pci_dev ahci = dev(0x8086, 0x2922, 0x01, 0x06, 0x01);
	struct pci_dev ahci2 = dev(0x8086, 0x2923, 0x01, 0x06, 0x01);
	struct pci_dev xhci = dev(0x1b36, 0x000d, 0x0c, 0x03, 0x30);
	struct pci_dev ehci = dev(0x8086, 0x24cd, 0x0c, 0x03, 0x20);
	struct pci_dev rhnet = dev(0x1b36, 0x1000, 0x02, 0x80, 0x00);
	struct pci_dev e1000 = dev(0x8086, 0x100e, 0x02, 0x00, 0x00);

	assert_ptr_equal(pci_match_dev(list, &ahci), &list[0]);
	assert_null(pci_match_dev(list, &ahci2));
	assert_ptr_equal(pci_match_dev(list, &xhci), &list[1]);
	assert_null(pci_match_dev(list, &ehci));
	assert_ptr_equal(pci_match_dev(list, &rhnet), &list[2]);
	assert_null(pci_match_dev(list, &e1000));
	assert_null(pci_match_dev(&list[3], &ahci));
}

static void
test_class_names(void **state)
{
	struct pci_dev d = dev(0x8086, 0x2922, 0x01, 0x06, 0x01);

	assert_string_equal(pci_class_name(&d), "SATA AHCI");
	d.pd_progif = 0;
	assert_string_equal(pci_class_name(&d), "SATA controller");
	d = dev(0x8086, 0x29c0, 0x06, 0x00, 0x00);
	assert_string_equal(pci_class_name(&d), "Host bridge");
	d = dev(0x8086, 0x29c0, 0x42, 0x00, 0x00);
	assert_string_equal(pci_class_name(&d), "Unknown class");
}

static void
test_format(void **state)
{
	struct pci_dev d = dev(0x8086, 0x2922, 0x01, 0x06, 0x01);
	static const struct pci_driver drv = { .pdrv_name = "ahci" };
	char buf[512], small[8];
	int n;

	d.pd_bus = 0;
	d.pd_dev = 0x1f;
	d.pd_fn = 2;
	d.pd_revision = 2;
	d.pd_irq_line = 10;
	d.pd_bar[4] = (struct pci_bar){ 0xc040, 0x20, PCI_BAR_IO };
	d.pd_bar[5] = (struct pci_bar){ 0xfebd5000, 0x1000, 0 };
	n = pci_format_line(&d, buf, sizeof(buf));
	assert_string_equal(buf, "00:1f.2 8086:2922 class 0106 prog-if 01 rev 02: SATA AHCI");
	assert_int_equal(n, (int)strlen(buf));

	/* Linux's /proc/bus/pci/devices line, byte for byte. */
	n = pci_format_proc(&d, buf, sizeof(buf));
	assert_string_equal(buf, "00fa\t80862922\ta"
	    "\t               0\t               0\t               0\t               0"
	    "\t            c041\t        febd5000\t               0"
	    "\t               0\t               0\t               0\t               0"
	    "\t              20\t            1000\t               0"
	    "\t\n");
	assert_int_equal(n, (int)strlen(buf));
	d.pd_driver = &drv;
	d.pd_irq_line = 0xff;
	n = pci_format_proc(&d, buf, sizeof(buf));
	assert_int_equal(buf[14], '0');
	assert_string_equal(buf + n - 6, "\tahci\n");
	/* Too small: cut, terminated, and the full length returned. */
	assert_int_equal(pci_format_proc(&d, small, sizeof(small)), n);
	assert_string_equal(small, "00fa\t80");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bar_mem32),
		cmocka_unit_test(test_bar_mem64),
		cmocka_unit_test(test_bar_io),
		cmocka_unit_test(test_bar_absent),
		cmocka_unit_test(test_rom),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_class_names),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
