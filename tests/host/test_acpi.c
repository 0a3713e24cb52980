/*
 * test_acpi.c: host tests for kernel/acpi.c.
 *
 * Synthetic firmware tables are written into a fake physical memory buffer
 * that starts at physical address FAKE_BASE; acpi_init reads them through
 * virt_offset = mem - FAKE_BASE.  Field offsets here are typed from the ACPI
 * spec, not taken from acpi.c's structs, so a wrong struct there fails a test
 * here.  Tables whose contents run to their very end are put at the end of
 * the buffer, so AddressSanitizer catches any read past them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <keel/acpi.h>
#include "kstub.h"

#define FAKE_BASE	0x000e0000ull
#define FAKE_SIZE	0x10000
#define VOFF		((uint64_t)(uintptr_t)mem - FAKE_BASE)

/* Where the test puts each table in fake physical memory. */
#define PA_RSDP		(FAKE_BASE + 0x0000)
#define PA_RSDT		(FAKE_BASE + 0x0100)
#define PA_XSDT		(FAKE_BASE + 0x0200)
#define PA_MADT		(FAKE_BASE + 0x1000)
#define PA_FADT		(FAKE_BASE + 0x3000)
#define PA_FADT2	(FAKE_BASE + 0x3200)
#define PA_DSDT		(FAKE_BASE + 0x4000)
#define PA_DSDT2	(FAKE_BASE + 0x4800)
#define PA_HPET		(FAKE_BASE + 0x6000)
#define PA_MCFG		(FAKE_BASE + 0x6100)
#define PA_SSDT		(FAKE_BASE + 0x6200)
#define PA_JUNK		(FAKE_BASE + 0x7000)
#define PA_TAIL(len)	(FAKE_BASE + FAKE_SIZE - (len))

/* FADT field offsets (ACPI 6.x 5.2.9). */
#define FADT_DSDT		40
#define FADT_SCI_INT		46
#define FADT_SMI_CMD		48
#define FADT_ACPI_ENABLE	52
#define FADT_PM1A_EVT_BLK	56
#define FADT_PM1A_CNT_BLK	64
#define FADT_PM1B_CNT_BLK	68
#define FADT_PM_TMR_BLK		76
#define FADT_PM1_CNT_LEN	89
#define FADT_PM_TMR_LEN		91
#define FADT_IAPC_BOOT_ARCH	109
#define FADT_CENTURY	108
#define FADT_FLAGS		112
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_X_DSDT		140
#define FADT_X_PM1A_CNT_BLK	172
#define FADT_X_PM1B_CNT_BLK	184
#define FADT_X_PM_TMR_BLK	208

#define FADT_LEN_V1	116
#define FADT_LEN_V2	244
#define FADT_LEN_V6	276

/* Not over-aligned: gcc puts no ASan redzone after a global aligned past 64. */
static uint8_t mem[FAKE_SIZE] __attribute__((aligned(16)));

/* ---- writing fake physical memory ---- */

static uint8_t *
at(uint64_t pa)
{
	assert_true(pa >= FAKE_BASE && pa - FAKE_BASE < FAKE_SIZE);
	return mem + (pa - FAKE_BASE);
}

static void w8(uint64_t pa, uint8_t v) { *at(pa) = v; }
static void w16(uint64_t pa, uint16_t v) { w8(pa, (uint8_t)v); w8(pa + 1, (uint8_t)(v >> 8)); }
static void w32(uint64_t pa, uint32_t v) { w16(pa, (uint16_t)v); w16(pa + 2, (uint16_t)(v >> 16)); }
static void w64(uint64_t pa, uint64_t v) { w32(pa, (uint32_t)v); w32(pa + 4, (uint32_t)(v >> 32)); }
static void wbytes(uint64_t pa, const void *p, size_t n) { memcpy(at(pa), p, n); }

static uint32_t
r32(uint64_t pa)
{
	return at(pa)[0] | at(pa)[1] << 8 | at(pa)[2] << 16 | (uint32_t)at(pa)[3] << 24;
}

/* Make bytes [pa, pa + len) sum to 0 by setting the byte at pa + off. */
static void
fix_sum(uint64_t pa, uint32_t off, uint32_t len)
{
	uint8_t sum = 0;
	uint32_t i;

	w8(pa + off, 0);
	for (i = 0; i < len; i++)
		sum += *at(pa + i);
	w8(pa + off, (uint8_t)-sum);
}

/* A table header (5.2.6); the checksum is set by table_sum. */
static void
table_header(uint64_t pa, const char *sig, uint32_t len, uint8_t rev)
{
	wbytes(pa, sig, 4);
	w32(pa + 4, len);
	w8(pa + 8, rev);
	wbytes(pa + 10, "KEELTS", 6);
	wbytes(pa + 16, "TESTTBL ", 8);
	w32(pa + 24, 1);
	wbytes(pa + 28, "KTST", 4);
	w32(pa + 32, 1);
}

static void
table_sum(uint64_t pa)
{
	fix_sum(pa, 9, r32(pa + 4));
}

static void
table_break_sum(uint64_t pa)
{
	w8(pa + 9, (uint8_t)(*at(pa + 9) + 1));
}

/* RSDP (5.2.5.3); the 2.0 part only when rev >= 2. */
static void
make_rsdp(uint8_t rev, uint64_t rsdt, uint64_t xsdt)
{
	memset(at(PA_RSDP), 0, 36);
	wbytes(PA_RSDP, "RSD PTR ", 8);
	wbytes(PA_RSDP + 9, "BOCHS ", 6);
	w8(PA_RSDP + 15, rev);
	w32(PA_RSDP + 16, (uint32_t)rsdt);
	fix_sum(PA_RSDP, 8, 20);
	if (rev >= 2) {
		w32(PA_RSDP + 20, 36);
		w64(PA_RSDP + 24, xsdt);
		fix_sum(PA_RSDP, 32, 36);
	}
}

static void
make_rsdt(const uint64_t *ents, int n)
{
	int i;

	table_header(PA_RSDT, "RSDT", 36 + 4 * n, 1);
	for (i = 0; i < n; i++)
		w32(PA_RSDT + 36 + 4 * i, (uint32_t)ents[i]);
	table_sum(PA_RSDT);
}

static void
make_xsdt(const uint64_t *ents, int n)
{
	int i;

	table_header(PA_XSDT, "XSDT", 36 + 8 * n, 1);
	for (i = 0; i < n; i++)
		w64(PA_XSDT + 36 + 8 * i, ents[i]);
	table_sum(PA_XSDT);
}

/* ---- MADT (5.2.12): madt_begin, entries, madt_finish ---- */

static uint64_t madt_pa, madt_cur;

static void
madt_begin_at(uint64_t pa, uint32_t lapic, uint32_t flags)
{
	madt_pa = pa;
	table_header(pa, "APIC", 44, 4);
	w32(pa + 36, lapic);
	w32(pa + 40, flags);
	madt_cur = pa + 44;
}

static void
madt_begin(uint32_t lapic, uint32_t flags)
{
	madt_begin_at(PA_MADT, lapic, flags);
}

static void
madt_hdr(uint8_t type, uint8_t len)
{
	w8(madt_cur, type);
	w8(madt_cur + 1, len);
}

static void
madt_lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
	madt_hdr(0, 8);
	w8(madt_cur + 2, uid);
	w8(madt_cur + 3, id);
	w32(madt_cur + 4, flags);
	madt_cur += 8;
}

static void
madt_ioapic(uint8_t id, uint32_t addr, uint32_t gsi)
{
	madt_hdr(1, 12);
	w8(madt_cur + 2, id);
	w8(madt_cur + 3, 0);
	w32(madt_cur + 4, addr);
	w32(madt_cur + 8, gsi);
	madt_cur += 12;
}

static void
madt_override(uint8_t irq, uint32_t gsi, uint16_t flags)
{
	madt_hdr(2, 10);
	w8(madt_cur + 2, 0);
	w8(madt_cur + 3, irq);
	w32(madt_cur + 4, gsi);
	w16(madt_cur + 8, flags);
	madt_cur += 10;
}

static void
madt_nmi_source(uint16_t flags, uint32_t gsi)
{
	madt_hdr(3, 8);
	w16(madt_cur + 2, flags);
	w32(madt_cur + 4, gsi);
	madt_cur += 8;
}

static void
madt_lapic_nmi(uint8_t uid, uint16_t flags, uint8_t lint)
{
	madt_hdr(4, 6);
	w8(madt_cur + 2, uid);
	w16(madt_cur + 3, flags);
	w8(madt_cur + 5, lint);
	madt_cur += 6;
}

static void
madt_lapic_addr(uint64_t addr)
{
	madt_hdr(5, 12);
	w16(madt_cur + 2, 0);
	w64(madt_cur + 4, addr);
	madt_cur += 12;
}

static void
madt_x2apic(uint32_t id, uint32_t flags, uint32_t uid)
{
	madt_hdr(9, 16);
	w16(madt_cur + 2, 0);
	w32(madt_cur + 4, id);
	w32(madt_cur + 8, flags);
	w32(madt_cur + 12, uid);
	madt_cur += 16;
}

static void
madt_x2apic_nmi(uint16_t flags, uint32_t uid, uint8_t lint)
{
	madt_hdr(10, 12);
	w16(madt_cur + 2, flags);
	w32(madt_cur + 4, uid);
	w8(madt_cur + 8, lint);
	madt_cur += 12;
}

static void
madt_finish(void)
{
	w32(madt_pa + 4, (uint32_t)(madt_cur - madt_pa));
	table_sum(madt_pa);
}

/* ---- FADT (5.2.9), DSDT, HPET, MCFG ---- */

/* A QEMU-like FADT of length len: legacy blocks only, no X_ fields. */
static void
make_fadt_at(uint64_t pa, uint32_t len, uint8_t rev, uint64_t dsdt)
{
	memset(at(pa), 0, len);
	table_header(pa, "FACP", len, rev);
	w32(pa + FADT_DSDT, (uint32_t)dsdt);
	w16(pa + FADT_SCI_INT, 9);
	w32(pa + FADT_SMI_CMD, 0xb2);
	w8(pa + FADT_ACPI_ENABLE, 0xf1);
	w32(pa + FADT_PM1A_EVT_BLK, 0x600);
	w32(pa + FADT_PM1A_CNT_BLK, 0x604);
	w32(pa + FADT_PM_TMR_BLK, 0x608);
	w8(pa + FADT_PM1_CNT_LEN, 2);
	w8(pa + FADT_PM_TMR_LEN, 4);
	w16(pa + FADT_IAPC_BOOT_ARCH, ACPI_BOOT_8042);
	table_sum(pa);
}

static void
make_fadt(uint32_t len, uint8_t rev)
{
	make_fadt_at(PA_FADT, len, rev, PA_DSDT);
}

/* A Generic Address Structure (5.2.3.2). */
static void
gas(uint64_t pa, uint8_t space, uint8_t width, uint64_t addr)
{
	w8(pa, space);
	w8(pa + 1, width);
	w8(pa + 2, 0);
	w8(pa + 3, 0);
	w64(pa + 4, addr);
}

static void
fadt_reset_reg(uint8_t space, uint64_t addr, uint8_t value)
{
	gas(PA_FADT + FADT_RESET_REG, space, 8, addr);
	w8(PA_FADT + FADT_RESET_VALUE, value);
	w32(PA_FADT + FADT_FLAGS, r32(PA_FADT + FADT_FLAGS) | ACPI_FADT_RESET_REG_SUP);
	table_sum(PA_FADT);
}

static void
make_dsdt_at(uint64_t pa, const uint8_t *aml, size_t n)
{
	table_header(pa, "DSDT", (uint32_t)(36 + n), 2);
	wbytes(pa + 36, aml, n);
	table_sum(pa);
}

/* Name (\_S5, Package (0x04) { 0x05, 0x05, Zero, Zero }) amid other AML. */
static const uint8_t aml_s5_bochs[] = {
	0x10, 0x03, 0x5c, 0x00,				/* Scope (\) {} */
	0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,
	0x14, 0x07, '_', 'P', 'T', 'S', 0x01, 0xa3,	/* Method (_PTS, 1) { Noop } */
};

static void
make_dsdt(const uint8_t *aml, size_t n)
{
	make_dsdt_at(PA_DSDT, aml, n);
}

static void
make_hpet(uint8_t space, uint64_t addr)
{
	memset(at(PA_HPET), 0, 56);
	table_header(PA_HPET, "HPET", 56, 1);
	w32(PA_HPET + 36, 0x8086a201);
	gas(PA_HPET + 40, space, 64, addr);
	w8(PA_HPET + 52, 0);
	w16(PA_HPET + 53, 0x80);
	table_sum(PA_HPET);
}

static void
make_mcfg(void)
{
	table_header(PA_MCFG, "MCFG", 44 + 2 * 16, 1);
	/* Segment 1 first: the parser must pick segment 0. */
	w64(PA_MCFG + 44, 0xc0000000);
	w16(PA_MCFG + 52, 1);
	w8(PA_MCFG + 54, 0);
	w8(PA_MCFG + 55, 63);
	w64(PA_MCFG + 60, 0xb0000000);
	w16(PA_MCFG + 68, 0);
	w8(PA_MCFG + 70, 0);
	w8(PA_MCFG + 71, 255);
	table_sum(PA_MCFG);
}

/* The MADT QEMU gives a one-CPU q35 machine. */
static void
make_qemu_madt(void)
{
	madt_begin(0xfee00000, 1);
	madt_lapic(0, 0, 1);
	madt_ioapic(0, 0xfec00000, 0);
	madt_override(0, 2, 0);
	madt_override(5, 5, 0xd);
	madt_override(9, 9, 0xd);
	madt_override(10, 10, 0xd);
	madt_override(11, 11, 0xd);
	madt_lapic_nmi(0xff, 0, 1);
	madt_finish();
}

/*
 * A whole ACPI 2.0 machine: RSDP -> XSDT -> FADT (-> DSDT), MADT, HPET,
 * MCFG and an SSDT.  The RSDT exists but lists nothing, so a parser that
 * used it instead of the XSDT would find no tables.
 */
static void
make_platform(void)
{
	uint64_t ents[] = { PA_FADT, PA_MADT, PA_HPET, PA_MCFG, PA_SSDT };

	make_qemu_madt();
	make_fadt(FADT_LEN_V2, 3);
	fadt_reset_reg(ACPI_GAS_IO, 0xcf9, 0x06);
	make_dsdt(aml_s5_bochs, sizeof(aml_s5_bochs));
	make_hpet(ACPI_GAS_MEMORY, 0xfed00000);
	make_mcfg();
	table_header(PA_SSDT, "SSDT", 40, 1);
	table_sum(PA_SSDT);
	make_xsdt(ents, 5);
	make_rsdt(0, 0);
	make_rsdp(2, PA_RSDT, PA_XSDT);
}

/* An ACPI 2.0 machine whose XSDT lists exactly ents. */
static void
make_root(const uint64_t *ents, int n)
{
	make_xsdt(ents, n);
	make_rsdp(2, 0, PA_XSDT);
}

static int
setup(void **state)
{
	memset(mem, 0, sizeof(mem));
	return 0;
}

static struct acpi_info ai;

/* ---- root tables ---- */

static void
test_acpi2_xsdt(void **state)
{
	uint16_t flags;

	make_platform();
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_rsdp_revision, 2);
	assert_int_equal(ai.ai_xsdt, 1);
	assert_string_equal(ai.ai_oem, "BOCHS ");
	assert_int_equal(ai.ai_ntables, 5);
	assert_int_equal(ai.ai_nskipped, 0);

	assert_true(ai.ai_has_madt);
	assert_int_equal(ai.ai_lapic_addr, 0xfee00000);
	assert_true(ai.ai_pcat_compat);
	assert_int_equal(ai.ai_ncpus, 1);
	assert_int_equal(ai.ai_cpus[0].cpu_apic_id, 0);
	assert_int_equal(ai.ai_nioapics, 1);
	assert_int_equal(ai.ai_ioapics[0].io_addr, 0xfec00000);
	assert_int_equal(ai.ai_ioapics[0].io_gsi_base, 0);
	assert_int_equal(ai.ai_noverrides, 5);
	assert_int_equal(ai.ai_nlapic_nmis, 1);
	assert_int_equal(ai.ai_lapic_nmis[0].nmi_uid, ACPI_UID_ALL);
	assert_int_equal(ai.ai_lapic_nmis[0].nmi_lint, 1);
	assert_int_equal(acpi_irq_to_gsi(&ai, 0, &flags), 2);
	assert_int_equal(flags, 0);
	assert_int_equal(acpi_irq_to_gsi(&ai, 9, &flags), 9);
	assert_int_equal(flags & ACPI_INTI_TRIGGER_MASK, ACPI_INTI_TRIGGER_LEVEL);
	assert_int_equal(flags & ACPI_INTI_POLARITY_MASK, ACPI_INTI_POLARITY_HIGH);

	assert_true(ai.ai_has_fadt);
	assert_int_equal(ai.ai_fadt_revision, 3);
	assert_int_equal(ai.ai_sci_irq, 9);
	assert_int_equal(ai.ai_smi_cmd, 0xb2);
	assert_int_equal(ai.ai_acpi_enable, 0xf1);
	assert_int_equal(ai.ai_pm_tmr_port, 0x608);
	assert_false(ai.ai_pm_tmr_32bit);
	assert_int_equal(ai.ai_pm1a_cnt_port, 0x604);
	assert_int_equal(ai.ai_pm1b_cnt_port, 0);
	assert_true(ai.ai_has_reset);
	assert_int_equal(ai.ai_reset_space, ACPI_GAS_IO);
	assert_int_equal(ai.ai_reset_addr, 0xcf9);
	assert_int_equal(ai.ai_reset_value, 6);
	assert_int_equal(ai.ai_dsdt, PA_DSDT);
	assert_int_equal(ai.ai_boot_arch, ACPI_BOOT_8042);
	assert_false(ai.ai_hw_reduced);

	assert_true(ai.ai_has_s5);
	assert_int_equal(ai.ai_s5_typa, 5);
	assert_int_equal(ai.ai_s5_typb, 5);

	assert_true(ai.ai_has_hpet);
	assert_int_equal(ai.ai_hpet_addr, 0xfed00000);
	assert_int_equal(ai.ai_hpet_min_tick, 0x80);
	assert_int_equal(ai.ai_hpet_number, 0);

	assert_true(ai.ai_has_mcfg);
	assert_int_equal(ai.ai_mcfg_base, 0xb0000000);
	assert_int_equal(ai.ai_mcfg_bus_start, 0);
	assert_int_equal(ai.ai_mcfg_bus_end, 255);
	/* Both ranges, in the table's order, for the PCI walk. */
	assert_int_equal(ai.ai_nmcfg, 2);
	assert_int_equal(ai.ai_mcfg[0].mc_segment, 1);
	assert_int_equal(ai.ai_mcfg[0].mc_base, 0xc0000000);
	assert_int_equal(ai.ai_mcfg[0].mc_bus_end, 63);
	assert_int_equal(ai.ai_mcfg[1].mc_segment, 0);
	assert_int_equal(ai.ai_mcfg[1].mc_base, 0xb0000000);

	acpi_print(&ai);
}

/* ACPI 1.0: RSDT only, a 116-byte revision 1 FADT. */
static void
test_acpi1_rsdt(void **state)
{
	uint64_t ents[] = { PA_MADT, PA_FADT };

	make_qemu_madt();
	make_fadt(FADT_LEN_V1, 1);
	/* Reserved in 1.0: must not be read as IAPC_BOOT_ARCH. */
	w16(PA_FADT + FADT_IAPC_BOOT_ARCH, 0);
	/* RESET_REG_SUP set, but a 1.0 FADT has no reset register. */
	w32(PA_FADT + FADT_FLAGS, ACPI_FADT_RESET_REG_SUP);
	table_sum(PA_FADT);
	make_dsdt(aml_s5_bochs, sizeof(aml_s5_bochs));
	make_rsdt(ents, 2);
	make_rsdp(0, PA_RSDT, 0);
	/* Bytes past a 1.0 RSDP are not part of it: a stray XSDT address. */
	w64(PA_RSDP + 24, PA_JUNK);

	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_root);
	assert_int_equal(ai.ai_rsdp_revision, 0);
	assert_int_equal(ai.ai_xsdt, 0);
	assert_int_equal(ai.ai_ntables, 2);
	assert_true(ai.ai_has_madt);
	assert_int_equal(ai.ai_ncpus, 1);
	assert_true(ai.ai_has_fadt);
	assert_int_equal(ai.ai_fadt_revision, 1);
	assert_int_equal(ai.ai_pm_tmr_port, 0x608);
	assert_int_equal(ai.ai_pm1a_cnt_port, 0x604);
	assert_false(ai.ai_has_reset);
	assert_int_equal(ai.ai_dsdt, PA_DSDT);
	assert_int_equal(ai.ai_boot_arch, ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_8042);
	assert_true(ai.ai_has_s5);
	assert_false(ai.ai_has_hpet);
	assert_false(ai.ai_has_mcfg);
	acpi_print(&ai);

	/* Even a well-formed 2.0 tail is not read when the revision says 1.0. */
	make_xsdt(0, 0);
	w32(PA_RSDP + 20, 36);
	w64(PA_RSDP + 24, PA_XSDT);
	fix_sum(PA_RSDP, 32, 36);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_xsdt, 0);
	assert_int_equal(ai.ai_ntables, 2);
	assert_true(ai.ai_has_madt);
}

static void
test_rsdp_bad(void **state)
{
	make_platform();
	w8(PA_RSDP + 16, (uint8_t)(*at(PA_RSDP + 16) ^ 0x10));	/* breaks the 20-byte sum */
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), -1);
	assert_false(ai.ai_has_madt);

	make_platform();
	wbytes(PA_RSDP, "RSD PTX ", 8);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), -1);

	/* No RSDP, or one the direct map could not reach: never dereferenced. */
	assert_int_equal(acpi_init(0, VOFF, &ai), -1);
	assert_int_equal(acpi_init(0xfffffffffffff000ull, VOFF, &ai), -1);
	assert_false(ai.ai_has_root);
	acpi_print(&ai);
}

/* A broken 2.0 part (extended checksum) costs only the XSDT. */
static void
test_rsdp_bad_extended_checksum(void **state)
{
	uint64_t ents[] = { PA_MADT, PA_FADT };

	make_platform();
	make_rsdt(ents, 2);
	make_rsdp(2, PA_RSDT, PA_XSDT);
	w8(PA_RSDP + 32, (uint8_t)(*at(PA_RSDP + 32) + 1));
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_xsdt, 0);
	assert_int_equal(ai.ai_ntables, 2);
	assert_true(ai.ai_has_madt);
	assert_true(ai.ai_has_fadt);

	/* Same with an absurd RSDP length. */
	make_rsdp(2, PA_RSDT, PA_XSDT);
	w32(PA_RSDP + 20, 0x7fffffff);
	fix_sum(PA_RSDP, 32, 36);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_xsdt, 0);
}

static void
test_xsdt_bad_falls_back_to_rsdt(void **state)
{
	uint64_t ents[] = { PA_MADT, PA_FADT, PA_HPET };

	make_platform();
	make_rsdt(ents, 3);
	table_break_sum(PA_XSDT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_xsdt, 0);
	assert_int_equal(ai.ai_ntables, 3);
	assert_int_equal(ai.ai_nskipped, 1);
	assert_true(ai.ai_has_madt);
	assert_true(ai.ai_has_hpet);

	/* An XSDT claiming more than ACPI_TABLE_MAX bytes. */
	make_platform();
	make_rsdt(ents, 3);
	w32(PA_XSDT + 4, ACPI_TABLE_MAX + 1);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_xsdt, 0);
	assert_true(ai.ai_has_fadt);

	/* An XSDT address with no XSDT there. */
	make_platform();
	make_rsdt(ents, 3);
	make_rsdp(2, PA_RSDT, PA_MADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_xsdt, 0);
	assert_true(ai.ai_has_madt);
}

static void
test_no_usable_root(void **state)
{
	make_platform();
	table_break_sum(PA_XSDT);
	table_break_sum(PA_RSDT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), -1);

	/* 2.0 RSDP with neither address. */
	make_rsdp(2, 0, 0);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), -1);

	/* A root table shorter than its own header. */
	make_platform();
	w32(PA_XSDT + 4, 20);
	table_sum(PA_XSDT);
	make_rsdp(2, 0, PA_XSDT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), -1);
}

/* A later failure leaves nothing of an earlier success behind. */
static void
test_reinit_clears(void **state)
{
	make_platform();
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_madt);
	assert_int_equal(acpi_init(0, VOFF, &ai), -1);
	assert_false(ai.ai_has_root);
	assert_false(ai.ai_has_madt);
	assert_false(ai.ai_has_fadt);
	assert_int_equal(ai.ai_ncpus, 0);
}

/* ---- corrupt or odd tables ---- */

static void
test_bad_checksum_table_skipped(void **state)
{
	make_platform();
	table_break_sum(PA_MADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_nskipped, 1);
	assert_false(ai.ai_has_madt);
	assert_int_equal(ai.ai_ncpus, 0);
	assert_true(ai.ai_has_fadt);
	assert_true(ai.ai_has_s5);
	assert_true(ai.ai_has_hpet);
	assert_true(ai.ai_has_mcfg);
	acpi_print(&ai);
}

static void
test_table_length_out_of_range(void **state)
{
	make_platform();
	w32(PA_MADT + 4, 0x80000000);		/* > ACPI_TABLE_MAX: never summed */
	w32(PA_HPET + 4, 12);			/* < a header */
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_nskipped, 2);
	assert_false(ai.ai_has_madt);
	assert_false(ai.ai_has_hpet);
	assert_true(ai.ai_has_fadt);

	/* Valid header and checksum, but too short for what it must hold. */
	make_platform();
	w32(PA_HPET + 4, 50);
	table_sum(PA_HPET);
	w32(PA_MADT + 4, 40);
	table_sum(PA_MADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_hpet);
	assert_false(ai.ai_has_madt);
	assert_int_equal(ai.ai_nskipped, 2);
}

/* Root entries pointing at nothing sensible are ignored. */
static void
test_root_garbage_entries(void **state)
{
	uint64_t ents[] = {
		PA_JUNK,		/* zeros: no signature */
		PA_JUNK + 0x100,	/* random bytes */
		0,			/* null */
		0xfffffffffffff000ull,	/* not physical memory */
		PA_SSDT,		/* a table nobody parses: fine */
		PA_FADT,
		PA_MADT,
	};
	static const uint8_t noise[] = { 0x9f, 0x01, 0xfe, 0x80, 0xff, 0xff, 0xff, 0xff };

	make_platform();
	wbytes(PA_JUNK + 0x100, noise, sizeof(noise));
	make_root(ents, 7);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_ntables, 7);
	assert_int_equal(ai.ai_nskipped, 4);
	assert_true(ai.ai_has_fadt);
	assert_true(ai.ai_has_madt);
	assert_true(ai.ai_has_s5);
	assert_false(ai.ai_has_hpet);
}

static void
test_missing_tables(void **state)
{
	uint64_t only_fadt[] = { PA_FADT };
	uint64_t only_madt[] = { PA_MADT };

	make_platform();
	make_root(only_fadt, 1);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_fadt);
	assert_false(ai.ai_has_madt);
	assert_false(ai.ai_has_hpet);
	assert_false(ai.ai_has_mcfg);
	acpi_print(&ai);

	make_root(only_madt, 1);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_madt);
	assert_false(ai.ai_has_fadt);
	assert_false(ai.ai_has_s5);
	assert_int_equal(ai.ai_pm_tmr_port, 0);
	acpi_print(&ai);

	make_root(0, 0);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_ntables, 0);
	assert_false(ai.ai_has_madt);
	assert_false(ai.ai_has_fadt);
	acpi_print(&ai);
}

/* The first good table of a kind wins; a bad first one does not block a second. */
static void
test_duplicate_tables(void **state)
{
	uint64_t ents[] = { PA_FADT, PA_FADT2, PA_MADT };

	make_platform();
	make_fadt_at(PA_FADT2, FADT_LEN_V2, 4, PA_DSDT);
	w32(PA_FADT2 + FADT_PM_TMR_BLK, 0x1008);
	table_sum(PA_FADT2);
	make_root(ents, 3);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_pm_tmr_port, 0x608);
	assert_int_equal(ai.ai_fadt_revision, 3);

	table_break_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_pm_tmr_port, 0x1008);
	assert_int_equal(ai.ai_nskipped, 1);
}

/* ---- MADT ---- */

static void
test_madt_entries(void **state)
{
	uint16_t flags;

	make_platform();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);			/* usable */
	madt_lapic(1, 1, 1);			/* usable */
	madt_lapic(2, 2, 0);			/* disabled */
	madt_lapic(3, 3, 2);			/* online capable only */
	madt_lapic(4, 0xff, 1);			/* filler id */
	madt_lapic(5, 1, 1);			/* duplicate APIC id */
	madt_x2apic(0x100, 1, 6);		/* usable, x2APIC only */
	madt_x2apic(0x101, 0, 7);		/* disabled */
	madt_ioapic(0, 0xfec00000, 0);
	madt_ioapic(1, 0xfec01000, 24);
	madt_override(0, 2, 0);
	madt_override(9, 20, 0xf);
	madt_nmi_source(0xd, 23);
	madt_lapic_nmi(0xff, 5, 1);
	madt_x2apic_nmi(0, 6, 0);
	madt_lapic_addr(0x1fee00000ull);
	madt_hdr(0x7f, 6);			/* unknown type: skipped by length */
	madt_cur += 6;
	madt_hdr(1, 8);				/* IO-APIC entry too short: skipped */
	madt_cur += 8;
	madt_lapic(8, 8, 1);			/* parsing goes on after both */
	madt_finish();

	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_madt);
	assert_false(ai.ai_pcat_compat);
	assert_int_equal(ai.ai_lapic_addr, 0x1fee00000ull);
	assert_int_equal(ai.ai_ncpus, 4);
	assert_int_equal(ai.ai_cpus[0].cpu_apic_id, 0);
	assert_int_equal(ai.ai_cpus[1].cpu_apic_id, 1);
	assert_int_equal(ai.ai_cpus[1].cpu_uid, 1);
	assert_int_equal(ai.ai_cpus[2].cpu_apic_id, 0x100);
	assert_int_equal(ai.ai_cpus[2].cpu_uid, 6);
	assert_true(ai.ai_cpus[2].cpu_x2apic);
	assert_false(ai.ai_cpus[0].cpu_x2apic);
	assert_int_equal(ai.ai_cpus[3].cpu_apic_id, 8);
	assert_int_equal(ai.ai_ncpus_hotplug, 1);
	assert_int_equal(ai.ai_ncpus_disabled, 3);
	assert_int_equal(ai.ai_ncpus_extra, 0);

	assert_int_equal(ai.ai_nioapics, 2);
	assert_int_equal(ai.ai_ioapics[1].io_id, 1);
	assert_int_equal(ai.ai_ioapics[1].io_addr, 0xfec01000);
	assert_int_equal(ai.ai_ioapics[1].io_gsi_base, 24);

	assert_int_equal(ai.ai_noverrides, 2);
	assert_int_equal(acpi_irq_to_gsi(&ai, 9, &flags), 20);
	assert_int_equal(flags, ACPI_INTI_POLARITY_LOW | ACPI_INTI_TRIGGER_LEVEL);
	assert_int_equal(acpi_irq_to_gsi(&ai, 4, &flags), 4);
	assert_int_equal(flags, 0);
	assert_int_equal(acpi_irq_to_gsi(&ai, 0, 0), 2);

	assert_int_equal(ai.ai_nnmi_sources, 1);
	assert_int_equal(ai.ai_nlapic_nmis, 2);
	assert_int_equal(ai.ai_lapic_nmis[0].nmi_uid, ACPI_UID_ALL);
	assert_int_equal(ai.ai_lapic_nmis[0].nmi_flags, 5);
	assert_int_equal(ai.ai_lapic_nmis[0].nmi_lint, 1);
	assert_int_equal(ai.ai_lapic_nmis[1].nmi_uid, 6);
	assert_int_equal(ai.ai_lapic_nmis[1].nmi_lint, 0);
	acpi_print(&ai);
}

/* A zero-length entry would loop forever: parsing must stop there. */
static void
test_madt_zero_length_entry(void **state)
{
	make_platform();
	madt_begin(0xfee00000, 1);
	madt_lapic(0, 0, 1);
	madt_hdr(0, 0);
	madt_cur += 8;
	madt_lapic(1, 1, 1);
	madt_finish();
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_madt);
	assert_int_equal(ai.ai_ncpus, 1);

	/* Length 1 cannot even cover its own header. */
	madt_begin(0xfee00000, 1);
	madt_lapic(0, 0, 1);
	madt_hdr(9, 1);
	madt_cur += 16;
	madt_finish();
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_ncpus, 1);
}

/* The MADT ends the fake memory: any read past its end trips ASan. */
static void
test_madt_entry_past_end(void **state)
{
	uint64_t ents[] = { PA_TAIL(44 + 8 + 8) };

	make_platform();
	madt_begin_at(ents[0], 0xfee00000, 1);
	madt_lapic(0, 0, 1);
	madt_hdr(9, 16);			/* claims 16, 8 remain */
	w32(madt_cur + 4, 7);
	madt_cur += 8;
	madt_finish();
	make_root(ents, 1);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_madt);
	assert_int_equal(ai.ai_ncpus, 1);

	/* One stray byte at the end: not even an entry header. */
	ents[0] = PA_TAIL(44 + 8 + 1);
	madt_begin_at(ents[0], 0xfee00000, 1);
	madt_lapic(0, 0, 1);
	w8(madt_cur, 0);
	madt_cur += 1;
	madt_finish();
	make_root(ents, 1);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_ncpus, 1);
}

static void
test_madt_too_many(void **state)
{
	int i;

	make_platform();
	madt_begin(0xfee00000, 1);
	for (i = 0; i < ACPI_MAX_CPUS + 6; i++)
		madt_lapic((uint8_t)i, (uint8_t)i, 1);
	madt_x2apic(0x200, 1, 0x200);
	for (i = 0; i < ACPI_MAX_IOAPICS + 2; i++)
		madt_ioapic((uint8_t)i, 0xfec00000 + 0x1000 * i, 24 * i);
	for (i = 0; i < ACPI_MAX_OVERRIDES + 4; i++)
		madt_override((uint8_t)i, i, 0);
	for (i = 0; i < ACPI_MAX_LAPIC_NMIS + 1; i++)
		madt_lapic_nmi((uint8_t)i, 0, 1);
	madt_finish();
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_ncpus, ACPI_MAX_CPUS);
	assert_int_equal(ai.ai_ncpus_extra, 7);
	assert_int_equal(ai.ai_cpus[ACPI_MAX_CPUS - 1].cpu_apic_id, ACPI_MAX_CPUS - 1);
	assert_int_equal(ai.ai_nioapics, ACPI_MAX_IOAPICS);
	assert_int_equal(ai.ai_nioapics_extra, 2);
	assert_int_equal(ai.ai_noverrides, ACPI_MAX_OVERRIDES);
	assert_int_equal(ai.ai_noverrides_extra, 4);
	assert_int_equal(ai.ai_nlapic_nmis, ACPI_MAX_LAPIC_NMIS);
	assert_int_equal(ai.ai_nlapic_nmis_extra, 1);
	acpi_print(&ai);
}

/* ---- FADT ---- */

/*
 * ACPI 1.0 FADT reached through an XSDT: no X_ fields, no reset register.
 * It ends the fake memory, so reading a field it lacks trips ASan.
 */
static void
test_fadt_short_v1(void **state)
{
	uint64_t fadt = PA_TAIL(FADT_LEN_V1);
	uint64_t ents[] = { PA_MADT, fadt };

	make_platform();
	make_fadt_at(fadt, FADT_LEN_V1, 1, PA_DSDT);
	w32(fadt + FADT_FLAGS, ACPI_FADT_TMR_VAL_EXT | ACPI_FADT_RESET_REG_SUP);
	table_sum(fadt);
	make_root(ents, 2);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_fadt);
	assert_int_equal(ai.ai_pm_tmr_port, 0x608);
	assert_true(ai.ai_pm_tmr_32bit);
	assert_int_equal(ai.ai_pm1a_cnt_port, 0x604);
	assert_false(ai.ai_has_reset);
	assert_int_equal(ai.ai_dsdt, PA_DSDT);
	assert_true(ai.ai_has_s5);

	/* Shorter than 1.0: not a FADT. */
	ents[1] = PA_TAIL(100);
	table_header(ents[1], "FACP", 100, 1);
	w32(ents[1] + FADT_DSDT, PA_DSDT);
	table_sum(ents[1]);
	make_root(ents, 2);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_fadt);
	assert_false(ai.ai_has_s5);
	assert_int_equal(ai.ai_nskipped, 1);
}

static void
test_fadt_x_fields(void **state)
{
	static const uint8_t aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04,
	    0x0a, 0x07, 0x0a, 0x07 };

	make_platform();
	make_dsdt_at(PA_DSDT2, aml, sizeof(aml));
	make_fadt(FADT_LEN_V6, 6);
	w64(PA_FADT + FADT_X_DSDT, PA_DSDT2);
	gas(PA_FADT + FADT_X_PM_TMR_BLK, ACPI_GAS_IO, 32, 0x1008);
	gas(PA_FADT + FADT_X_PM1A_CNT_BLK, ACPI_GAS_IO, 16, 0x1004);
	/* In memory space and no legacy field: nothing usable. */
	gas(PA_FADT + FADT_X_PM1B_CNT_BLK, ACPI_GAS_MEMORY, 16, 0xfe000000);
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_fadt_revision, 6);
	assert_int_equal(ai.ai_pm_tmr_port, 0x1008);
	assert_int_equal(ai.ai_pm1a_cnt_port, 0x1004);
	assert_int_equal(ai.ai_pm1b_cnt_port, 0);
	assert_int_equal(ai.ai_dsdt, PA_DSDT2);
	assert_true(ai.ai_has_s5);
	assert_int_equal(ai.ai_s5_typa, 7);

	/* X_ blocks in memory space: the legacy ports are used instead. */
	gas(PA_FADT + FADT_X_PM_TMR_BLK, ACPI_GAS_MEMORY, 32, 0xfe001008);
	gas(PA_FADT + FADT_X_PM1A_CNT_BLK, ACPI_GAS_IO, 16, 0x12345);	/* not a port */
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_pm_tmr_port, 0x608);
	assert_int_equal(ai.ai_pm1a_cnt_port, 0x604);

	/* Zero X_ fields: legacy again; a legacy value above 0xffff: none. */
	gas(PA_FADT + FADT_X_PM_TMR_BLK, 0, 0, 0);
	w32(PA_FADT + FADT_PM1B_CNT_BLK, 0x10000);
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_pm_tmr_port, 0x608);
	assert_int_equal(ai.ai_pm1b_cnt_port, 0);
}

/* A FADT that ends inside X_DSDT must not use half of it. */
static void
test_fadt_truncated_x_dsdt(void **state)
{
	make_platform();
	make_fadt(144, 3);
	w32(PA_FADT + FADT_X_DSDT, PA_DSDT2);
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_fadt);
	assert_int_equal(ai.ai_dsdt, PA_DSDT);
	assert_true(ai.ai_has_s5);
	/* 144 bytes hold RESET_REG but not the X_ PM blocks. */
	assert_int_equal(ai.ai_pm_tmr_port, 0x608);
}

static void
test_fadt_tmr_val_ext(void **state)
{
	make_platform();
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_pm_tmr_32bit);
	assert_int_equal(acpi_pm_timer_delta(&ai, 0xfffff0, 0x000010), 0x20);
	assert_int_equal(acpi_pm_timer_delta(&ai, 100, 300), 200);

	w32(PA_FADT + FADT_FLAGS, r32(PA_FADT + FADT_FLAGS) | ACPI_FADT_TMR_VAL_EXT);
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_pm_tmr_32bit);
	assert_int_equal(ai.ai_fadt_flags & ACPI_FADT_TMR_VAL_EXT, ACPI_FADT_TMR_VAL_EXT);
	assert_int_equal(acpi_pm_timer_delta(&ai, 0xfffffff0u, 0x10), 0x20);
	assert_int_equal(acpi_pm_timer_delta(&ai, 0x00fffff0u, 0x01000010u), 0x20);
}

static void
test_fadt_reset(void **state)
{
	make_platform();

	fadt_reset_reg(ACPI_GAS_MEMORY, 0xfed80000, 0x0e);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_reset);
	assert_int_equal(ai.ai_reset_space, ACPI_GAS_MEMORY);
	assert_int_equal(ai.ai_reset_addr, 0xfed80000);
	assert_int_equal(ai.ai_reset_value, 0x0e);

	fadt_reset_reg(ACPI_GAS_PCI_CONFIG, 0x0000001f00000044ull, 0x02);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_reset);
	assert_int_equal(ai.ai_reset_space, ACPI_GAS_PCI_CONFIG);

	/* Unsupported address space, a null address, an I/O address above 64 KiB. */
	fadt_reset_reg(5, 0x70, 0x01);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_reset);
	fadt_reset_reg(ACPI_GAS_IO, 0, 0x06);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_reset);
	fadt_reset_reg(ACPI_GAS_IO, 0x10cf9, 0x06);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_reset);

	/* A register but no RESET_REG_SUP flag. */
	fadt_reset_reg(ACPI_GAS_IO, 0xcf9, 0x06);
	w32(PA_FADT + FADT_FLAGS, r32(PA_FADT + FADT_FLAGS) & ~ACPI_FADT_RESET_REG_SUP);
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_reset);
	acpi_print(&ai);
}

/* The CMOS century register (QEMU's 0x32); the clock's own registers are no century. */
static void
test_fadt_century(void **state)
{
	make_platform();
	w8(PA_FADT + FADT_CENTURY, 0x32);
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_rtc_century, 0x32);
	make_platform();
	w8(PA_FADT + FADT_CENTURY, 0x0b);	/* status register B */
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_rtc_century, 0);
}

static void
test_fadt_boot_arch_hw_reduced(void **state)
{
	make_platform();
	w16(PA_FADT + FADT_IAPC_BOOT_ARCH, ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_NO_VGA);
	w32(PA_FADT + FADT_FLAGS, ACPI_FADT_HW_REDUCED);
	w32(PA_FADT + FADT_PM_TMR_BLK, 0);
	w32(PA_FADT + FADT_PM1A_CNT_BLK, 0);
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_int_equal(ai.ai_boot_arch, ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_NO_VGA);
	assert_int_equal(ai.ai_rtc_century, 0);	/* none given */
	assert_true(ai.ai_hw_reduced);
	assert_int_equal(ai.ai_pm_tmr_port, 0);
	assert_int_equal(ai.ai_pm1a_cnt_port, 0);
	acpi_print(&ai);
}

/* ---- DSDT \_S5 ---- */

struct s5_case {
	const char *name;
	uint8_t aml[24];
	size_t n;
	int ok;
	uint8_t a, b;
};

#define S5	'_', 'S', '5', '_'
/* The bytes of a case and how many there are. */
#define AML(...)	{ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

static const struct s5_case s5_cases[] = {
	{ "QEMU: ZeroOps",
	    AML(0x08, S5, 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00), 1, 0, 0 },
	{ "root char, ByteConsts",
	    AML(0x08, 0x5c, S5, 0x12, 0x08, 0x04, 0x0a, 0x07, 0x0a, 0x07, 0x00, 0x00), 1, 7, 7 },
	{ "OneOps",
	    AML(0x08, S5, 0x12, 0x04, 0x02, 0x01, 0x01), 1, 1, 1 },
	{ "ByteConst and ZeroOp",
	    AML(0x08, S5, 0x12, 0x07, 0x04, 0x0a, 0x05, 0x00, 0x00, 0x00), 1, 5, 0 },
	{ "WordConsts",
	    AML(0x08, S5, 0x12, 0x08, 0x02, 0x0b, 0x06, 0x00, 0x0b, 0x06, 0x00), 1, 6, 6 },
	{ "DWordConsts",
	    AML(0x08, S5, 0x12, 0x0c, 0x02, 0x0c, 0x03, 0, 0, 0, 0x0c, 0x03, 0, 0, 0), 1, 3, 3 },
	{ "one element holding both types",
	    AML(0x08, S5, 0x12, 0x05, 0x01, 0x0b, 0x05, 0x07), 1, 5, 7 },
	{ "two-byte PkgLength",
	    AML(0x08, S5, 0x12, 0x49, 0x00, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00), 1, 5, 5 },
	{ "string decoy first",
	    AML(0x0d, S5, 0x00, 0x08, S5, 0x12, 0x05, 0x02, 0x0a, 0x03, 0x01), 1, 3, 1 },
	{ "not a package, then a good one",
	    AML(0x08, S5, 0x00, 0x08, S5, 0x12, 0x04, 0x02, 0x01, 0x01), 1, 1, 1 },
	{ "no NameOp",
	    AML(0x10, S5, 0x12, 0x04, 0x02, 0x01, 0x01), 0, 0, 0 },
	{ "name of an integer",
	    AML(0x08, S5, 0x0a, 0x05), 0, 0, 0 },
	{ "name at the end",
	    AML(0x08, S5), 0, 0, 0 },
	{ "PackageOp at the end",
	    AML(0x08, S5, 0x12), 0, 0, 0 },
	{ "PkgLength bytes past the end",
	    AML(0x08, S5, 0x12, 0xc0), 0, 0, 0 },
	{ "package past the end",
	    AML(0x08, S5, 0x12, 0x3f, 0x04, 0x0a, 0x05), 0, 0, 0 },
	{ "element past the package",
	    AML(0x08, S5, 0x12, 0x03, 0x02, 0x0a, 0x05, 0x0a, 0x05), 0, 0, 0 },
	{ "ByteConst cut by the end",
	    AML(0x08, S5, 0x12, 0x04, 0x02, 0x01, 0x0a), 0, 0, 0 },
	{ "zero elements",
	    AML(0x08, S5, 0x12, 0x02, 0x00), 0, 0, 0 },
	{ "SLP_TYP above 7",
	    AML(0x08, S5, 0x12, 0x06, 0x02, 0x0a, 0x09, 0x0a, 0x09), 0, 0, 0 },
	{ "not an integer",
	    AML(0x08, S5, 0x12, 0x06, 0x02, 0x0d, 'x', 0x00, 0x01), 0, 0, 0 },
	{ "no _S5_ at all",
	    AML(0x14, 0x07, '_', 'P', 'T', 'S', 0x01, 0xa3), 0, 0, 0 },
};

/* Each case's DSDT ends the fake memory, so over-reads trip ASan. */
static void
test_s5_encodings(void **state)
{
	const struct s5_case *c;
	uint64_t dsdt;
	size_t i;

	for (i = 0; i < sizeof(s5_cases) / sizeof(s5_cases[0]); i++) {
		c = &s5_cases[i];
		memset(mem, 0, sizeof(mem));
		make_platform();
		dsdt = PA_TAIL(36 + c->n);
		make_dsdt_at(dsdt, c->aml, c->n);
		w32(PA_FADT + FADT_DSDT, (uint32_t)dsdt);
		table_sum(PA_FADT);
		if (acpi_init(PA_RSDP, VOFF, &ai) != 0 || !ai.ai_has_fadt)
			fail_msg("s5 case \"%s\": FADT lost", c->name);
		if (ai.ai_has_s5 != c->ok)
			fail_msg("s5 case \"%s\": has_s5 %d, want %d", c->name,
			    ai.ai_has_s5, c->ok);
		if (c->ok && (ai.ai_s5_typa != c->a || ai.ai_s5_typb != c->b))
			fail_msg("s5 case \"%s\": types %u/%u, want %u/%u", c->name,
			    ai.ai_s5_typa, ai.ai_s5_typb, c->a, c->b);
	}
}

static void
test_dsdt_problems(void **state)
{
	static const uint8_t no_s5[] = { 0x14, 0x07, '_', 'P', 'T', 'S', 0x01, 0xa3 };

	/* No \_S5: power-off unavailable, all else fine. */
	make_platform();
	make_dsdt(no_s5, sizeof(no_s5));
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_fadt);
	assert_false(ai.ai_has_s5);
	assert_true(ai.ai_has_madt);
	acpi_print(&ai);

	/* DSDT with a bad checksum. */
	make_platform();
	table_break_sum(PA_DSDT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_s5);
	assert_int_equal(ai.ai_nskipped, 1);

	/* No DSDT address at all, or one with something else there. */
	make_platform();
	w32(PA_FADT + FADT_DSDT, 0);
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_fadt);
	assert_false(ai.ai_has_s5);
	w32(PA_FADT + FADT_DSDT, PA_HPET);
	table_sum(PA_FADT);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_s5);

	/* A DSDT claiming more than ACPI_TABLE_MAX bytes. */
	make_platform();
	w32(PA_DSDT + 4, ACPI_TABLE_MAX * 2);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_s5);
}

/* ---- HPET, MCFG ---- */

static void
test_hpet_mcfg(void **state)
{
	make_platform();
	make_hpet(ACPI_GAS_IO, 0xfed00000);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_hpet);

	make_hpet(ACPI_GAS_MEMORY, 0);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_hpet);

	/* Only a segment 1 allocation, then an MCFG shorter than one entry. */
	make_hpet(ACPI_GAS_MEMORY, 0xfed00000);
	w32(PA_MCFG + 4, 44 + 16);
	table_sum(PA_MCFG);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_true(ai.ai_has_hpet);
	assert_false(ai.ai_has_mcfg);
	assert_int_equal(ai.ai_nmcfg, 1);
	assert_int_equal(ai.ai_mcfg[0].mc_segment, 1);
	w32(PA_MCFG + 4, 40);
	table_sum(PA_MCFG);
	assert_int_equal(acpi_init(PA_RSDP, VOFF, &ai), 0);
	assert_false(ai.ai_has_mcfg);
	acpi_print(&ai);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_acpi2_xsdt, setup),
		cmocka_unit_test_setup(test_acpi1_rsdt, setup),
		cmocka_unit_test_setup(test_rsdp_bad, setup),
		cmocka_unit_test_setup(test_rsdp_bad_extended_checksum, setup),
		cmocka_unit_test_setup(test_xsdt_bad_falls_back_to_rsdt, setup),
		cmocka_unit_test_setup(test_no_usable_root, setup),
		cmocka_unit_test_setup(test_reinit_clears, setup),
		cmocka_unit_test_setup(test_bad_checksum_table_skipped, setup),
		cmocka_unit_test_setup(test_table_length_out_of_range, setup),
		cmocka_unit_test_setup(test_root_garbage_entries, setup),
		cmocka_unit_test_setup(test_missing_tables, setup),
		cmocka_unit_test_setup(test_duplicate_tables, setup),
		cmocka_unit_test_setup(test_madt_entries, setup),
		cmocka_unit_test_setup(test_madt_zero_length_entry, setup),
		cmocka_unit_test_setup(test_madt_entry_past_end, setup),
		cmocka_unit_test_setup(test_madt_too_many, setup),
		cmocka_unit_test_setup(test_fadt_short_v1, setup),
		cmocka_unit_test_setup(test_fadt_x_fields, setup),
		cmocka_unit_test_setup(test_fadt_truncated_x_dsdt, setup),
		cmocka_unit_test_setup(test_fadt_tmr_val_ext, setup),
		cmocka_unit_test_setup(test_fadt_reset, setup),
		cmocka_unit_test_setup(test_fadt_century, setup),
		cmocka_unit_test_setup(test_fadt_boot_arch_hw_reduced, setup),
		cmocka_unit_test_setup(test_s5_encodings, setup),
		cmocka_unit_test_setup(test_dsdt_problems, setup),
		cmocka_unit_test_setup(test_hpet_mcfg, setup),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
