/*
 * acpi.c: finding and checking the ACPI tables, and copying out what the
 * kernel needs (interface in acpi.h).  ACPI 6.x chapter 5: RSDP 5.2.5,
 * table header 5.2.6, RSDT/XSDT 5.2.7-5.2.8, FADT 5.2.9, MADT 5.2.12, AML
 * encoding 20.2; HPET from the IA-PC HPET spec 1.0a 3.2.4; MCFG from the
 * PCI Firmware spec 3.2 4.1.2.
 *
 * Firmware tables are input, not truth.  Before a byte past a table's
 * header is read, its length must lie in [header size, ACPI_TABLE_MAX] and
 * its checksum must hold; every entry inside is bounded by that length.
 * Whatever is wrong is reported on one line and that table or entry is
 * skipped; only a missing RSDP or root table fails acpi_init.
 *
 * What cannot be checked here is that an address the firmware gives is RAM:
 * in the kernel a root-table entry pointing at unmapped physical memory
 * would fault.  Addresses beyond the direct map's reach are refused.
 *
 * Pure: no hardware access, host tested (tests/host/test_acpi.c).
 */
#include <keel/kernel.h>
#include <keel/acpi.h>

/* Root System Description Pointer (5.2.5.3). */
struct acpi_rsdp {
	char rsdp_sig[8];		/* "RSD PTR " */
	uint8_t rsdp_checksum;		/* bytes 0..19 sum to 0 */
	char rsdp_oem[6];
	uint8_t rsdp_revision;		/* 0: ACPI 1.0, 2: 2.0 and later */
	uint32_t rsdp_rsdt;
	/* ACPI 2.0+ only: */
	uint32_t rsdp_length;		/* of the whole structure */
	uint64_t rsdp_xsdt;
	uint8_t rsdp_xchecksum;		/* all rsdp_length bytes sum to 0 */
	uint8_t rsdp_reserved[3];
} __attribute__((packed));
#define RSDP_V1_SIZE	20
_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP size");
_Static_assert(offsetof(struct acpi_rsdp, rsdp_length) == RSDP_V1_SIZE, "RSDP 1.0 part");
_Static_assert(offsetof(struct acpi_rsdp, rsdp_xsdt) == 24, "RSDP XsdtAddress");
_Static_assert(offsetof(struct acpi_rsdp, rsdp_xchecksum) == 32, "RSDP extended checksum");

/* System description table header, common to every table (5.2.6). */
struct acpi_sdt {
	char sdt_sig[4];
	uint32_t sdt_length;		/* header included */
	uint8_t sdt_revision;
	uint8_t sdt_checksum;		/* all sdt_length bytes sum to 0 */
	char sdt_oem[6];
	char sdt_oem_table[8];
	uint32_t sdt_oem_revision;
	uint32_t sdt_creator;
	uint32_t sdt_creator_revision;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_sdt) == 36, "table header size");
_Static_assert(offsetof(struct acpi_sdt, sdt_checksum) == 9, "table header checksum");
_Static_assert(offsetof(struct acpi_sdt, sdt_oem_revision) == 24, "table header OEM revision");

/* Generic Address Structure (5.2.3.2). */
struct acpi_gas {
	uint8_t gas_space;		/* ACPI_GAS_* */
	uint8_t gas_bit_width;
	uint8_t gas_bit_offset;
	uint8_t gas_access_size;
	uint64_t gas_addr;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS size");
_Static_assert(offsetof(struct acpi_gas, gas_addr) == 4, "GAS address");

/*
 * Fixed ACPI Description Table (5.2.9).  Firmware gives only a prefix of it:
 * 116 bytes in ACPI 1.0 (up to fadt_flags), 244 in 2.0 (up to the X_ blocks),
 * 276 in 6.x.  Fields past sdt_length do not exist; FADT_HAS says which do.
 */
struct acpi_fadt {
	struct acpi_sdt fadt_hdr;
	uint32_t fadt_firmware_ctrl;
	uint32_t fadt_dsdt;
	uint8_t fadt_reserved0;		/* ACPI 1.0 INT_MODEL */
	uint8_t fadt_pm_profile;
	uint16_t fadt_sci_int;
	uint32_t fadt_smi_cmd;
	uint8_t fadt_acpi_enable;
	uint8_t fadt_acpi_disable;
	uint8_t fadt_s4bios_req;
	uint8_t fadt_pstate_cnt;
	uint32_t fadt_pm1a_evt_blk;
	uint32_t fadt_pm1b_evt_blk;
	uint32_t fadt_pm1a_cnt_blk;
	uint32_t fadt_pm1b_cnt_blk;
	uint32_t fadt_pm2_cnt_blk;
	uint32_t fadt_pm_tmr_blk;
	uint32_t fadt_gpe0_blk;
	uint32_t fadt_gpe1_blk;
	uint8_t fadt_pm1_evt_len;
	uint8_t fadt_pm1_cnt_len;
	uint8_t fadt_pm2_cnt_len;
	uint8_t fadt_pm_tmr_len;
	uint8_t fadt_gpe0_blk_len;
	uint8_t fadt_gpe1_blk_len;
	uint8_t fadt_gpe1_base;
	uint8_t fadt_cst_cnt;
	uint16_t fadt_p_lvl2_lat;
	uint16_t fadt_p_lvl3_lat;
	uint16_t fadt_flush_size;
	uint16_t fadt_flush_stride;
	uint8_t fadt_duty_offset;
	uint8_t fadt_duty_width;
	uint8_t fadt_day_alrm;
	uint8_t fadt_mon_alrm;
	uint8_t fadt_century;
	uint16_t fadt_iapc_boot_arch;	/* reserved before FADT revision 2 */
	uint8_t fadt_reserved1;
	uint32_t fadt_flags;		/* ACPI_FADT_* */
	/* ACPI 1.0 ends here. */
	struct acpi_gas fadt_reset_reg;
	uint8_t fadt_reset_value;
	uint16_t fadt_arm_boot_arch;
	uint8_t fadt_minor_version;
	uint64_t fadt_x_firmware_ctrl;
	uint64_t fadt_x_dsdt;
	struct acpi_gas fadt_x_pm1a_evt_blk;
	struct acpi_gas fadt_x_pm1b_evt_blk;
	struct acpi_gas fadt_x_pm1a_cnt_blk;
	struct acpi_gas fadt_x_pm1b_cnt_blk;
	struct acpi_gas fadt_x_pm2_cnt_blk;
	struct acpi_gas fadt_x_pm_tmr_blk;
	struct acpi_gas fadt_x_gpe0_blk;
	struct acpi_gas fadt_x_gpe1_blk;
	/* ACPI 2.0 ends here. */
	struct acpi_gas fadt_sleep_control_reg;
	struct acpi_gas fadt_sleep_status_reg;
	uint64_t fadt_hypervisor_vendor;
} __attribute__((packed));
#define FADT_V1_SIZE	116
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT 6.x size");
_Static_assert(offsetof(struct acpi_fadt, fadt_sci_int) == 46, "FADT SCI_INT");
_Static_assert(offsetof(struct acpi_fadt, fadt_smi_cmd) == 48, "FADT SMI_CMD");
_Static_assert(offsetof(struct acpi_fadt, fadt_pm1a_cnt_blk) == 64, "FADT PM1a_CNT_BLK");
_Static_assert(offsetof(struct acpi_fadt, fadt_pm_tmr_blk) == 76, "FADT PM_TMR_BLK");
_Static_assert(offsetof(struct acpi_fadt, fadt_pm_tmr_len) == 91, "FADT PM_TMR_LEN");
_Static_assert(offsetof(struct acpi_fadt, fadt_iapc_boot_arch) == 109, "FADT IAPC_BOOT_ARCH");
_Static_assert(offsetof(struct acpi_fadt, fadt_flags) == 112, "FADT Flags");
_Static_assert(offsetof(struct acpi_fadt, fadt_reset_reg) == FADT_V1_SIZE, "FADT RESET_REG");
_Static_assert(offsetof(struct acpi_fadt, fadt_reset_value) == 128, "FADT RESET_VALUE");
_Static_assert(offsetof(struct acpi_fadt, fadt_x_dsdt) == 140, "FADT X_DSDT");
_Static_assert(offsetof(struct acpi_fadt, fadt_x_pm1a_cnt_blk) == 172, "FADT X_PM1a_CNT_BLK");
_Static_assert(offsetof(struct acpi_fadt, fadt_x_pm1b_cnt_blk) == 184, "FADT X_PM1b_CNT_BLK");
_Static_assert(offsetof(struct acpi_fadt, fadt_x_pm_tmr_blk) == 208, "FADT X_PM_TMR_BLK");
_Static_assert(offsetof(struct acpi_fadt, fadt_sleep_control_reg) == 244, "FADT 2.0 size");

/* Whether a FADT of length len holds all of field f. */
#define FADT_HAS(len, f)	\
	(offsetof(struct acpi_fadt, f) + sizeof(((struct acpi_fadt *)0)->f) <= (len))

/* Multiple APIC Description Table (5.2.12) and the entries the kernel reads. */
struct acpi_madt {
	struct acpi_sdt madt_hdr;
	uint32_t madt_lapic_addr;
	uint32_t madt_flags;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT fixed part");

#define MADT_PCAT_COMPAT	(1u << 0)	/* madt_flags: 8259s present */

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_OVERRIDE		2
#define MADT_NMI_SOURCE		3
#define MADT_LAPIC_NMI		4
#define MADT_LAPIC_ADDR		5
#define MADT_X2APIC		9
#define MADT_X2APIC_NMI		10

#define MADT_CPU_ENABLED	(1u << 0)
#define MADT_CPU_ONLINE_CAPABLE	(1u << 1)	/* ACPI 6.3+: may be enabled later */

struct madt_entry {
	uint8_t me_type;
	uint8_t me_length;		/* of the whole entry */
} __attribute__((packed));

struct madt_lapic {
	struct madt_entry ml_hdr;
	uint8_t ml_uid;
	uint8_t ml_apic_id;
	uint32_t ml_flags;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_lapic) == 8, "MADT local APIC");

struct madt_ioapic {
	struct madt_entry mi_hdr;
	uint8_t mi_id;
	uint8_t mi_reserved;
	uint32_t mi_addr;
	uint32_t mi_gsi_base;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_ioapic) == 12, "MADT IO-APIC");

struct madt_override {
	struct madt_entry mo_hdr;
	uint8_t mo_bus;
	uint8_t mo_source;
	uint32_t mo_gsi;
	uint16_t mo_flags;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_override) == 10, "MADT interrupt source override");

struct madt_nmi_source {
	struct madt_entry mn_hdr;
	uint16_t mn_flags;
	uint32_t mn_gsi;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_nmi_source) == 8, "MADT NMI source");

struct madt_lapic_nmi {
	struct madt_entry mln_hdr;
	uint8_t mln_uid;		/* 0xff: all processors */
	uint16_t mln_flags;
	uint8_t mln_lint;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_lapic_nmi) == 6, "MADT local APIC NMI");

struct madt_lapic_addr {
	struct madt_entry mla_hdr;
	uint16_t mla_reserved;
	uint64_t mla_addr;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_lapic_addr) == 12, "MADT local APIC address override");

struct madt_x2apic {
	struct madt_entry mx_hdr;
	uint16_t mx_reserved;
	uint32_t mx_x2apic_id;
	uint32_t mx_flags;
	uint32_t mx_uid;
} __attribute__((packed));
_Static_assert(sizeof(struct madt_x2apic) == 16, "MADT x2APIC");

struct madt_x2apic_nmi {
	struct madt_entry mxn_hdr;
	uint16_t mxn_flags;
	uint32_t mxn_uid;		/* 0xffffffff: all processors */
	uint8_t mxn_lint;
	uint8_t mxn_reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct madt_x2apic_nmi) == 12, "MADT x2APIC NMI");

/* HPET description table (IA-PC HPET 1.0a, 3.2.4). */
struct acpi_hpet {
	struct acpi_sdt hpet_hdr;
	uint32_t hpet_block_id;
	struct acpi_gas hpet_base;
	uint8_t hpet_number;
	uint16_t hpet_min_tick;
	uint8_t hpet_page_prot;
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_hpet) == 56, "HPET table size");
_Static_assert(offsetof(struct acpi_hpet, hpet_min_tick) == 53, "HPET minimum tick");

/* PCI Express memory-mapped configuration (PCI Firmware 3.2, 4.1.2). */
struct acpi_mcfg {
	struct acpi_sdt mcfg_hdr;
	uint8_t mcfg_reserved[8];
} __attribute__((packed));
_Static_assert(sizeof(struct acpi_mcfg) == 44, "MCFG fixed part");

struct mcfg_alloc {
	uint64_t ma_base;
	uint16_t ma_segment;
	uint8_t ma_bus_start;
	uint8_t ma_bus_end;
	uint32_t ma_reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct mcfg_alloc) == 16, "MCFG allocation");

/* AML opcodes the \_S5 scan recognises (20.2). */
#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_QWORD_PREFIX	0x0e
#define AML_PACKAGE_OP		0x12
#define AML_ROOT_CHAR		0x5c	/* '\' */

#define SLP_TYP_MAX		7	/* SLP_TYPx is a 3-bit field of PM1_CNT */

/* Physical address pa is read at pa + phys_offset; set by acpi_init. */
static uint64_t phys_offset;

/* Where physical [pa, pa + len) is readable, or 0 if it cannot be memory. */
static const void *
phys(uint64_t pa, uint64_t len)
{
	if (pa == 0 || pa + len < pa || pa + len > DIRECT_MAP_SIZE)
		return 0;
	return (const void *)(uintptr_t)(pa + phys_offset);
}

static int
checksum_ok(const void *p, uint32_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len-- > 0)
		sum += *b++;
	return sum == 0;
}

/* A signature made printable, for messages. */
static void
sig_string(char out[5], const char *sig)
{
	int i;

	for (i = 0; i < 4; i++)
		out[i] = sig[i] >= 0x20 && sig[i] < 0x7f ? sig[i] : '?';
	out[4] = 0;
}

static int
sig_printable(const char *sig)
{
	int i;

	for (i = 0; i < 4; i++)
		if (sig[i] < 0x20 || sig[i] >= 0x7f)
			return 0;
	return 1;
}

/* The header of the table at pa, or 0 if it is not in physical memory. */
static const struct acpi_sdt *
table_header(uint64_t pa)
{
	return phys(pa, sizeof(struct acpi_sdt));
}

/*
 * Whether the whole table t (at pa) may be read: a sane length and a
 * checksum that holds.  Says why not and counts the skip.
 */
static int
table_valid(struct acpi_info *ai, const struct acpi_sdt *t, uint64_t pa)
{
	char sig[5];

	sig_string(sig, t->sdt_sig);
	if (t->sdt_length < sizeof(*t) || t->sdt_length > ACPI_TABLE_MAX ||
	    phys(pa, t->sdt_length) == 0) {
		kprintf("acpi: %s at 0x%lx: length %u out of range; skipped\n",
		    sig, pa, t->sdt_length);
		ai->ai_nskipped++;
		return 0;
	}
	if (!checksum_ok(t, t->sdt_length)) {
		kprintf("acpi: %s at 0x%lx: bad checksum; skipped\n", sig, pa);
		ai->ai_nskipped++;
		return 0;
	}
	return 1;
}

/* The checked table at pa with signature want, or 0 with the reason said. */
static const struct acpi_sdt *
table_get(struct acpi_info *ai, uint64_t pa, const char *want)
{
	const struct acpi_sdt *t = table_header(pa);

	if (t == 0) {
		kprintf("acpi: %s at 0x%lx: not in physical memory\n", want, pa);
		return 0;
	}
	if (memcmp(t->sdt_sig, want, 4) != 0) {
		kprintf("acpi: no %s signature at 0x%lx\n", want, pa);
		return 0;
	}
	return table_valid(ai, t, pa) ? t : 0;
}

/*
 * RSDP at pa: its 1.0 part must be intact; the 2.0 part (XSDT address) is
 * used only if its own length and extended checksum hold, else the RSDT.
 */
static int
rsdp_read(struct acpi_info *ai, uint64_t pa, uint64_t *rsdt, uint64_t *xsdt)
{
	const struct acpi_rsdp *r = phys(pa, RSDP_V1_SIZE), *r2;

	if (r == 0) {
		kprintf("acpi: RSDP address 0x%lx is not physical memory\n", pa);
		return -1;
	}
	if (memcmp(r->rsdp_sig, "RSD PTR ", 8) != 0) {
		kprintf("acpi: no RSDP signature at 0x%lx\n", pa);
		return -1;
	}
	if (!checksum_ok(r, RSDP_V1_SIZE)) {
		kprintf("acpi: RSDP at 0x%lx: bad checksum\n", pa);
		return -1;
	}
	memcpy(ai->ai_oem, r->rsdp_oem, sizeof(r->rsdp_oem));
	ai->ai_oem[sizeof(r->rsdp_oem)] = 0;
	ai->ai_rsdp_revision = r->rsdp_revision;
	*rsdt = r->rsdp_rsdt;
	*xsdt = 0;
	if (r->rsdp_revision < 2)
		return 0;
	r2 = phys(pa, sizeof(*r2));
	if (r2 == 0 || r2->rsdp_length < sizeof(*r2) || r2->rsdp_length > PAGE_SIZE ||
	    phys(pa, r2->rsdp_length) == 0 || !checksum_ok(r2, r2->rsdp_length)) {
		kprintf("acpi: RSDP 2.0 part corrupt (length %u or extended checksum); "
		    "using the RSDT\n", r2 ? r2->rsdp_length : 0);
		return 0;
	}
	*xsdt = r2->rsdp_xsdt;
	return 0;
}

/*
 * MADT.  Only enabled processors go into ai_cpus: they are the ones
 * running or waiting for INIT-SIPI now.  APIC id 0xff (xAPIC) and
 * 0xffffffff (x2APIC) are not processors: firmware uses them as fillers.
 */
static void
madt_cpu(struct acpi_info *ai, uint32_t apic_id, uint32_t uid, uint32_t flags, int x2)
{
	struct acpi_cpu *c;
	int i;

	if (!(flags & MADT_CPU_ENABLED) || apic_id == (x2 ? 0xffffffffu : 0xffu)) {
		if (flags & MADT_CPU_ONLINE_CAPABLE)
			ai->ai_ncpus_hotplug++;
		else
			ai->ai_ncpus_disabled++;
		return;
	}
	for (i = 0; i < ai->ai_ncpus; i++) {
		if (ai->ai_cpus[i].cpu_apic_id == apic_id) {
			kprintf("acpi: MADT lists APIC id %u twice; second ignored\n", apic_id);
			return;
		}
	}
	if (ai->ai_ncpus == ACPI_MAX_CPUS) {
		ai->ai_ncpus_extra++;
		return;
	}
	c = &ai->ai_cpus[ai->ai_ncpus++];
	c->cpu_apic_id = apic_id;
	c->cpu_uid = uid;
	c->cpu_x2apic = x2;
}

static void
madt_lapic_nmi(struct acpi_info *ai, uint32_t uid, uint16_t flags, uint8_t lint)
{
	struct acpi_lapic_nmi *n;

	if (ai->ai_nlapic_nmis == ACPI_MAX_LAPIC_NMIS) {
		ai->ai_nlapic_nmis_extra++;
		return;
	}
	n = &ai->ai_lapic_nmis[ai->ai_nlapic_nmis++];
	n->nmi_uid = uid;
	n->nmi_flags = flags;
	n->nmi_lint = lint;
}

/* One MADT entry, already known to lie inside the table. */
static void
madt_entry(struct acpi_info *ai, const struct madt_entry *e, uint32_t off)
{
	static const uint8_t minlen[] = {
		[MADT_LAPIC] = sizeof(struct madt_lapic),
		[MADT_IOAPIC] = sizeof(struct madt_ioapic),
		[MADT_OVERRIDE] = sizeof(struct madt_override),
		[MADT_NMI_SOURCE] = sizeof(struct madt_nmi_source),
		[MADT_LAPIC_NMI] = sizeof(struct madt_lapic_nmi),
		[MADT_LAPIC_ADDR] = sizeof(struct madt_lapic_addr),
		[MADT_X2APIC] = sizeof(struct madt_x2apic),
		[MADT_X2APIC_NMI] = sizeof(struct madt_x2apic_nmi),
	};
	const struct madt_lapic *ml = (const void *)e;
	const struct madt_ioapic *mi = (const void *)e;
	const struct madt_override *mo = (const void *)e;
	const struct madt_lapic_nmi *mln = (const void *)e;
	const struct madt_lapic_addr *mla = (const void *)e;
	const struct madt_x2apic *mx = (const void *)e;
	const struct madt_x2apic_nmi *mxn = (const void *)e;

	/* Unknown types are skipped by their length; known ones must fit. */
	if (e->me_type >= ARRAY_SIZE(minlen) || minlen[e->me_type] == 0)
		return;
	if (e->me_length < minlen[e->me_type]) {
		kprintf("acpi: MADT entry type %u at offset %u: length %u < %u; skipped\n",
		    e->me_type, off, e->me_length, minlen[e->me_type]);
		return;
	}
	switch (e->me_type) {
	case MADT_LAPIC:
		madt_cpu(ai, ml->ml_apic_id, ml->ml_uid, ml->ml_flags, 0);
		break;
	case MADT_X2APIC:
		madt_cpu(ai, mx->mx_x2apic_id, mx->mx_uid, mx->mx_flags, 1);
		break;
	case MADT_IOAPIC:
		if (ai->ai_nioapics == ACPI_MAX_IOAPICS) {
			ai->ai_nioapics_extra++;
			break;
		}
		ai->ai_ioapics[ai->ai_nioapics].io_id = mi->mi_id;
		ai->ai_ioapics[ai->ai_nioapics].io_addr = mi->mi_addr;
		ai->ai_ioapics[ai->ai_nioapics].io_gsi_base = mi->mi_gsi_base;
		ai->ai_nioapics++;
		break;
	case MADT_OVERRIDE:
		if (ai->ai_noverrides == ACPI_MAX_OVERRIDES) {
			ai->ai_noverrides_extra++;
			break;
		}
		ai->ai_overrides[ai->ai_noverrides].ovr_bus = mo->mo_bus;
		ai->ai_overrides[ai->ai_noverrides].ovr_irq = mo->mo_source;
		ai->ai_overrides[ai->ai_noverrides].ovr_gsi = mo->mo_gsi;
		ai->ai_overrides[ai->ai_noverrides].ovr_flags = mo->mo_flags;
		ai->ai_noverrides++;
		break;
	case MADT_NMI_SOURCE:
		ai->ai_nnmi_sources++;
		break;
	case MADT_LAPIC_NMI:
		madt_lapic_nmi(ai, mln->mln_uid == 0xff ? ACPI_UID_ALL : mln->mln_uid,
		    mln->mln_flags, mln->mln_lint);
		break;
	case MADT_X2APIC_NMI:
		madt_lapic_nmi(ai, mxn->mxn_uid, mxn->mxn_flags, mxn->mxn_lint);
		break;
	case MADT_LAPIC_ADDR:
		ai->ai_lapic_addr = mla->mla_addr;
		break;
	}
}

static void
madt_parse(struct acpi_info *ai, const struct acpi_sdt *t, uint64_t pa)
{
	const struct acpi_madt *m = (const void *)t;
	const uint8_t *p = (const void *)t;
	const struct madt_entry *e;
	uint32_t off, len = t->sdt_length;

	if (len < sizeof(*m)) {
		kprintf("acpi: MADT at 0x%lx: %u bytes, too short; skipped\n", pa, len);
		ai->ai_nskipped++;
		return;
	}
	ai->ai_has_madt = 1;
	ai->ai_lapic_addr = m->madt_lapic_addr;
	ai->ai_pcat_compat = (m->madt_flags & MADT_PCAT_COMPAT) != 0;
	for (off = sizeof(*m); len - off >= sizeof(*e); off += e->me_length) {
		e = (const void *)(p + off);
		/* A zero length would never advance: the rest cannot be trusted. */
		if (e->me_length < sizeof(*e)) {
			kprintf("acpi: MADT entry at offset %u has length %u; rest ignored\n",
			    off, e->me_length);
			break;
		}
		if (e->me_length > len - off) {
			kprintf("acpi: MADT entry type %u at offset %u runs past the end; "
			    "rest ignored\n", e->me_type, off);
			break;
		}
		madt_entry(ai, e, off);
	}
	if (ai->ai_ncpus == 0)
		kprintf("acpi: MADT lists no enabled processor\n");
	if (ai->ai_ncpus_extra)
		kprintf("acpi: MADT: %d more CPUs than the %d kept; ignored\n",
		    ai->ai_ncpus_extra, ACPI_MAX_CPUS);
	if (ai->ai_nioapics_extra)
		kprintf("acpi: MADT: %d more IO-APICs than the %d kept; ignored\n",
		    ai->ai_nioapics_extra, ACPI_MAX_IOAPICS);
	if (ai->ai_noverrides_extra)
		kprintf("acpi: MADT: %d more overrides than the %d kept; ignored\n",
		    ai->ai_noverrides_extra, ACPI_MAX_OVERRIDES);
	if (ai->ai_nlapic_nmis_extra)
		kprintf("acpi: MADT: %d more LAPIC NMIs than the %d kept; ignored\n",
		    ai->ai_nlapic_nmis_extra, ACPI_MAX_LAPIC_NMIS);
}

/*
 * A fixed-hardware register block given twice: the X_ GAS (ACPI 2.0+) wins
 * when the table has it, it is non-zero and it is in I/O space; otherwise
 * the 32-bit legacy field.  The kernel drives these blocks with in/out only.
 */
static uint16_t
fadt_port(const char *name, int have_x, const struct acpi_gas *x, uint32_t legacy)
{
	if (have_x && x->gas_addr != 0) {
		if (x->gas_space == ACPI_GAS_IO && x->gas_addr <= 0xffff)
			return (uint16_t)x->gas_addr;
		kprintf("acpi: FADT X_%s is not an I/O port (space %u, 0x%lx); %s\n",
		    name, x->gas_space, x->gas_addr,
		    legacy ? "using the legacy field" : "ignored");
	}
	if (legacy > 0xffff) {
		kprintf("acpi: FADT %s 0x%x is not an I/O port; ignored\n", name, legacy);
		return 0;
	}
	return (uint16_t)legacy;
}

static void
fadt_reset(struct acpi_info *ai, const struct acpi_fadt *f, uint32_t len)
{
	const struct acpi_gas *r = &f->fadt_reset_reg;

	if (!FADT_HAS(len, fadt_reset_value) || !(f->fadt_flags & ACPI_FADT_RESET_REG_SUP))
		return;
	if (r->gas_addr == 0 || (r->gas_space == ACPI_GAS_IO && r->gas_addr > 0xffff) ||
	    (r->gas_space != ACPI_GAS_IO && r->gas_space != ACPI_GAS_MEMORY &&
	    r->gas_space != ACPI_GAS_PCI_CONFIG)) {
		kprintf("acpi: FADT reset register unusable (space %u, 0x%lx); ignored\n",
		    r->gas_space, r->gas_addr);
		return;
	}
	ai->ai_has_reset = 1;
	ai->ai_reset_space = r->gas_space;
	ai->ai_reset_addr = r->gas_addr;
	ai->ai_reset_value = f->fadt_reset_value;
}

static void
fadt_parse(struct acpi_info *ai, const struct acpi_sdt *t, uint64_t pa)
{
	struct acpi_fadt f;
	uint32_t len = t->sdt_length;

	if (len < FADT_V1_SIZE) {
		kprintf("acpi: FADT at 0x%lx: %u bytes, too short; skipped\n", pa, len);
		ai->ai_nskipped++;
		return;
	}
	/* A copy with the fields this FADT lacks reading as zero. */
	memset(&f, 0, sizeof(f));
	memcpy(&f, t, MIN(len, sizeof(f)));

	ai->ai_has_fadt = 1;
	ai->ai_fadt_revision = t->sdt_revision;
	ai->ai_fadt_flags = f.fadt_flags;
	ai->ai_hw_reduced = (f.fadt_flags & ACPI_FADT_HW_REDUCED) != 0;
	ai->ai_sci_irq = f.fadt_sci_int;
	if (f.fadt_smi_cmd <= 0xffff) {
		ai->ai_smi_cmd = (uint16_t)f.fadt_smi_cmd;
		ai->ai_acpi_enable = f.fadt_acpi_enable;
	}
	/* IAPC_BOOT_ARCH was reserved in ACPI 1.0, whose PCs all had both. */
	if (t->sdt_revision >= 2)
		ai->ai_boot_arch = f.fadt_iapc_boot_arch;
	else
		ai->ai_boot_arch = ACPI_BOOT_LEGACY_DEVICES | ACPI_BOOT_8042;
	/* The first 14 CMOS registers are the clock's own: no century among them. */
	ai->ai_rtc_century = f.fadt_century >= 0x0e && f.fadt_century < 0x80 ? f.fadt_century : 0;

	ai->ai_pm_tmr_port = fadt_port("PM_TMR_BLK", FADT_HAS(len, fadt_x_pm_tmr_blk),
	    &f.fadt_x_pm_tmr_blk, f.fadt_pm_tmr_blk);
	ai->ai_pm_tmr_32bit = (f.fadt_flags & ACPI_FADT_TMR_VAL_EXT) != 0;
	ai->ai_pm1a_cnt_port = fadt_port("PM1a_CNT_BLK", FADT_HAS(len, fadt_x_pm1a_cnt_blk),
	    &f.fadt_x_pm1a_cnt_blk, f.fadt_pm1a_cnt_blk);
	ai->ai_pm1b_cnt_port = fadt_port("PM1b_CNT_BLK", FADT_HAS(len, fadt_x_pm1b_cnt_blk),
	    &f.fadt_x_pm1b_cnt_blk, f.fadt_pm1b_cnt_blk);
	fadt_reset(ai, &f, len);

	if (FADT_HAS(len, fadt_x_dsdt) && f.fadt_x_dsdt != 0)
		ai->ai_dsdt = f.fadt_x_dsdt;
	else
		ai->ai_dsdt = f.fadt_dsdt;
}

/*
 * An AML integer at *pos, below end (20.2.3): ZeroOp, OneOp or a
 * Byte/Word/DWord/QWord constant.  0 and *pos moved past it, or -1.
 */
static int
aml_integer(const uint8_t *aml, uint32_t *pos, uint32_t end, uint64_t *v)
{
	uint32_t p = *pos, n, i;

	if (p >= end)
		return -1;
	switch (aml[p]) {
	case AML_ZERO_OP:
	case AML_ONE_OP:
		*v = aml[p];
		*pos = p + 1;
		return 0;
	case AML_BYTE_PREFIX:
		n = 1;
		break;
	case AML_WORD_PREFIX:
		n = 2;
		break;
	case AML_DWORD_PREFIX:
		n = 4;
		break;
	case AML_QWORD_PREFIX:
		n = 8;
		break;
	default:
		return -1;
	}
	if (n > end - p - 1)
		return -1;
	*v = 0;
	for (i = 0; i < n; i++)
		*v |= (uint64_t)aml[p + 1 + i] << (8 * i);
	*pos = p + 1 + n;
	return 0;
}

/*
 * A PkgLength at pos (20.2.4): bits 7:6 of the lead byte count the bytes
 * that follow; the value counts from the lead byte itself.
 */
static int
aml_pkglength(const uint8_t *aml, uint32_t pos, uint32_t end, uint32_t *value,
    uint32_t *size)
{
	uint32_t n, i, v;

	if (pos >= end)
		return -1;
	n = aml[pos] >> 6;
	if (n > end - pos - 1)
		return -1;
	if (n == 0) {
		v = aml[pos] & 0x3f;
	} else {
		v = aml[pos] & 0x0f;
		for (i = 0; i < n; i++)
			v |= (uint32_t)aml[pos + 1 + i] << (4 + 8 * i);
	}
	*value = v;
	*size = n + 1;
	return 0;
}

/*
 * The package after a "_S5_" name at pos: PackageOp PkgLength NumElements
 * SLP_TYPa SLP_TYPb ...  A one-element package holds both types, a in bits
 * 7:0 and b in 15:8 (as ACPICA reads it).
 */
static int
s5_decode(const uint8_t *aml, uint32_t pos, uint32_t len, uint8_t *typa, uint8_t *typb)
{
	uint32_t pkglen, lensize, end, nelem;
	uint64_t a, b;

	if (pos >= len || aml[pos] != AML_PACKAGE_OP)
		return -1;
	pos++;
	if (aml_pkglength(aml, pos, len, &pkglen, &lensize) < 0 || pkglen > len - pos)
		return -1;
	end = pos + pkglen;
	pos += lensize;
	if (pos >= end)
		return -1;
	nelem = aml[pos++];
	if (nelem == 0 || aml_integer(aml, &pos, end, &a) < 0)
		return -1;
	if (nelem == 1) {
		b = (a >> 8) & 0xff;
		a &= 0xff;
	} else if (aml_integer(aml, &pos, end, &b) < 0) {
		return -1;
	}
	if (a > SLP_TYP_MAX || b > SLP_TYP_MAX)
		return -1;
	*typa = (uint8_t)a;
	*typb = (uint8_t)b;
	return 0;
}

/*
 * \_S5 in the DSDT, the well-known minimal way: look for the bytes
 * NameOp [RootChar] "_S5_" PackageOp and decode the package's first two
 * integers.  This is not an AML interpreter: an \_S5 built by a method, or
 * defined only in an SSDT, is not found; where the DSDT defines it twice
 * (under If/Else), the first decodable one wins.
 */
static void
dsdt_parse(struct acpi_info *ai)
{
	const struct acpi_sdt *t;
	const uint8_t *aml;
	uint32_t i, len, start = sizeof(struct acpi_sdt);
	int named;

	if (ai->ai_dsdt == 0) {
		kprintf("acpi: FADT gives no DSDT; no \\_S5\n");
		return;
	}
	t = table_get(ai, ai->ai_dsdt, "DSDT");
	if (t == 0)
		return;
	aml = (const void *)t;
	len = t->sdt_length;
	for (i = start; len - i >= 4; i++) {
		if (memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		named = (i - start >= 1 && aml[i - 1] == AML_NAME_OP) ||
		    (i - start >= 2 && aml[i - 2] == AML_NAME_OP && aml[i - 1] == AML_ROOT_CHAR);
		if (!named)
			continue;
		if (s5_decode(aml, i + 4, len, &ai->ai_s5_typa, &ai->ai_s5_typb) == 0) {
			ai->ai_has_s5 = 1;
			return;
		}
		kprintf("acpi: DSDT: \\_S5 at offset %u not understood\n", i);
	}
	kprintf("acpi: no \\_S5 package in the DSDT; ACPI power-off unavailable\n");
}

static void
hpet_parse(struct acpi_info *ai, const struct acpi_sdt *t, uint64_t pa)
{
	const struct acpi_hpet *h = (const void *)t;

	if (t->sdt_length < sizeof(*h)) {
		kprintf("acpi: HPET at 0x%lx: %u bytes, too short; skipped\n",
		    pa, t->sdt_length);
		ai->ai_nskipped++;
		return;
	}
	if (h->hpet_base.gas_space != ACPI_GAS_MEMORY || h->hpet_base.gas_addr == 0) {
		kprintf("acpi: HPET base not in system memory (space %u, 0x%lx); ignored\n",
		    h->hpet_base.gas_space, h->hpet_base.gas_addr);
		return;
	}
	ai->ai_has_hpet = 1;
	ai->ai_hpet_addr = h->hpet_base.gas_addr;
	ai->ai_hpet_min_tick = h->hpet_min_tick;
	ai->ai_hpet_number = h->hpet_number;
}

/*
 * Every ECAM range; segment 0's first also in ai_mcfg_base.. (the fields
 * the kernel had before it walked every segment).
 */
static void
mcfg_parse(struct acpi_info *ai, const struct acpi_sdt *t, uint64_t pa)
{
	const uint8_t *p = (const void *)t;
	const struct mcfg_alloc *a;
	struct acpi_mcfg_range *r;
	uint32_t off;

	for (off = sizeof(struct acpi_mcfg); off + sizeof(*a) <= t->sdt_length;
	    off += sizeof(*a)) {
		a = (const void *)(p + off);
		if (a->ma_base == 0 || a->ma_bus_end < a->ma_bus_start)
			continue;
		if (a->ma_segment == 0 && !ai->ai_has_mcfg) {
			ai->ai_has_mcfg = 1;
			ai->ai_mcfg_base = a->ma_base;
			ai->ai_mcfg_bus_start = a->ma_bus_start;
			ai->ai_mcfg_bus_end = a->ma_bus_end;
		}
		if (ai->ai_nmcfg == ACPI_MAX_MCFG) {
			ai->ai_nmcfg_extra++;
			continue;
		}
		r = &ai->ai_mcfg[ai->ai_nmcfg++];
		r->mc_base = a->ma_base;
		r->mc_segment = a->ma_segment;
		r->mc_bus_start = a->ma_bus_start;
		r->mc_bus_end = a->ma_bus_end;
	}
}

static const struct {
	char sig[5];
	void (*parse)(struct acpi_info *ai, const struct acpi_sdt *t, uint64_t pa);
} parsers[] = {
	{ "APIC", madt_parse },
	{ "FACP", fadt_parse },
	{ "HPET", hpet_parse },
	{ "MCFG", mcfg_parse },
};

/*
 * Root-table entry i, at pa: parse it if it is a table the kernel reads and
 * the first good one of its kind.  Tables of other kinds are not checked.
 */
static void
root_entry(struct acpi_info *ai, uint32_t i, uint64_t pa, int seen[])
{
	const struct acpi_sdt *t = table_header(pa);
	char sig[5];
	size_t k;

	if (t == 0 || !sig_printable(t->sdt_sig)) {
		kprintf("acpi: root entry %u (0x%lx) is not a table; ignored\n", i, pa);
		ai->ai_nskipped++;
		return;
	}
	for (k = 0; k < ARRAY_SIZE(parsers); k++) {
		if (memcmp(t->sdt_sig, parsers[k].sig, 4) != 0)
			continue;
		if (seen[k]) {
			sig_string(sig, t->sdt_sig);
			kprintf("acpi: second %s at 0x%lx ignored\n", sig, pa);
		} else if (table_valid(ai, t, pa)) {
			seen[k] = 1;
			parsers[k].parse(ai, t, pa);
		}
		return;
	}
}

/*
 * The entries of the RSDT (4-byte addresses) or the XSDT (8-byte, not
 * naturally aligned: copied out byte-wise, little endian like the CPU).
 */
static void
root_walk(struct acpi_info *ai, const struct acpi_sdt *root, uint32_t entsize)
{
	const uint8_t *p = (const uint8_t *)root + sizeof(*root);
	int seen[ARRAY_SIZE(parsers)] = { 0 };
	uint32_t i, n = (root->sdt_length - sizeof(*root)) / entsize;
	uint64_t pa;

	ai->ai_ntables = n;
	for (i = 0; i < n; i++) {
		pa = 0;
		memcpy(&pa, p + i * entsize, entsize);
		root_entry(ai, i, pa, seen);
	}
}

int
acpi_init(uint64_t rsdp_pa, uint64_t virt_offset, struct acpi_info *ai)
{
	const struct acpi_sdt *root = 0;
	uint64_t rsdt, xsdt;

	memset(ai, 0, sizeof(*ai));
	phys_offset = virt_offset;
	if (rsdp_pa == 0) {
		kprintf("acpi: the firmware gave no RSDP; no ACPI\n");
		return -1;
	}
	if (rsdp_read(ai, rsdp_pa, &rsdt, &xsdt) < 0)
		return -1;
	if (xsdt != 0) {
		root = table_get(ai, xsdt, "XSDT");
		if (root)
			ai->ai_xsdt = 1;
		else if (rsdt != 0)
			kprintf("acpi: falling back to the RSDT\n");
	}
	if (root == 0 && rsdt != 0)
		root = table_get(ai, rsdt, "RSDT");
	if (root == 0) {
		kprintf("acpi: no usable RSDT or XSDT; no ACPI\n");
		return -1;
	}
	ai->ai_has_root = 1;
	root_walk(ai, root, ai->ai_xsdt ? 8 : 4);

	if (ai->ai_has_fadt)
		dsdt_parse(ai);
	if (!ai->ai_has_madt)
		kprintf("acpi: no MADT: no CPU or IO-APIC list\n");
	if (!ai->ai_has_fadt)
		kprintf("acpi: no FADT: no PM timer, ACPI power-off or reset\n");
	if (!ai->ai_has_hpet)
		kprintf("acpi: no HPET\n");
	return 0;
}

uint32_t
acpi_irq_to_gsi(const struct acpi_info *ai, uint8_t isa_irq, uint16_t *flags)
{
	const struct acpi_override *o;
	int i;

	for (i = 0; i < ai->ai_noverrides; i++) {
		o = &ai->ai_overrides[i];
		if (o->ovr_bus == 0 && o->ovr_irq == isa_irq) {
			if (flags)
				*flags = o->ovr_flags;
			return o->ovr_gsi;
		}
	}
	if (flags)
		*flags = ACPI_INTI_POLARITY_CONFORMS | ACPI_INTI_TRIGGER_CONFORMS;
	return isa_irq;
}

uint32_t
acpi_pm_timer_delta(const struct acpi_info *ai, uint32_t t0, uint32_t t1)
{
	return (t1 - t0) & (ai->ai_pm_tmr_32bit ? 0xffffffffu : 0x00ffffffu);
}

static const char *
gas_space_name(uint8_t space)
{
	switch (space) {
	case ACPI_GAS_MEMORY:
		return "mem";
	case ACPI_GAS_IO:
		return "port";
	case ACPI_GAS_PCI_CONFIG:
		return "pci";
	}
	return "?";
}

void
acpi_print(const struct acpi_info *ai)
{
	const struct acpi_ioapic *io;
	int i;

	if (!ai->ai_has_root) {
		kprintf("acpi: no ACPI tables\n");
		return;
	}
	kprintf("acpi: RSDP rev %u (%s) %s, %u table%s", ai->ai_rsdp_revision, ai->ai_oem,
	    ai->ai_xsdt ? "XSDT" : "RSDT", ai->ai_ntables, ai->ai_ntables == 1 ? "" : "s");
	if (ai->ai_nskipped)
		kprintf(", %u skipped", ai->ai_nskipped);
	kprintf("\n");

	if (ai->ai_has_madt) {
		kprintf("acpi: %d CPU%s", ai->ai_ncpus, ai->ai_ncpus == 1 ? "" : "s");
		if (ai->ai_ncpus_extra)
			kprintf(" (+%d ignored)", ai->ai_ncpus_extra);
		if (ai->ai_ncpus_hotplug)
			kprintf(", %d hotplug", ai->ai_ncpus_hotplug);
		kprintf(", LAPIC 0x%lx%s", ai->ai_lapic_addr, ai->ai_pcat_compat ? ", 8259" : "");
		for (i = 0; i < ai->ai_nioapics; i++) {
			io = &ai->ai_ioapics[i];
			kprintf(", IO-APIC %u at 0x%x GSI %u", io->io_id, io->io_addr,
			    io->io_gsi_base);
		}
		kprintf(", %d override%s, %d LAPIC NMI\n", ai->ai_noverrides,
		    ai->ai_noverrides == 1 ? "" : "s", ai->ai_nlapic_nmis);
	}

	if (ai->ai_has_fadt) {
		kprintf("acpi: FADT rev %u, SCI %u", ai->ai_fadt_revision, ai->ai_sci_irq);
		if (ai->ai_pm_tmr_port)
			kprintf(", PM timer 0x%x (%d-bit)", ai->ai_pm_tmr_port,
			    ai->ai_pm_tmr_32bit ? 32 : 24);
		else
			kprintf(", no PM timer");
		if (ai->ai_pm1a_cnt_port)
			kprintf(", PM1a_CNT 0x%x", ai->ai_pm1a_cnt_port);
		if (ai->ai_pm1b_cnt_port)
			kprintf(", PM1b_CNT 0x%x", ai->ai_pm1b_cnt_port);
		if (ai->ai_has_reset)
			kprintf(", reset %s 0x%lx <- 0x%x", gas_space_name(ai->ai_reset_space),
			    ai->ai_reset_addr, ai->ai_reset_value);
		if (ai->ai_has_s5)
			kprintf(", S5 type %u/%u", ai->ai_s5_typa, ai->ai_s5_typb);
		else
			kprintf(", no S5");
		if (ai->ai_boot_arch & ACPI_BOOT_8042)
			kprintf(", 8042");
		if (ai->ai_hw_reduced)
			kprintf(", hardware-reduced");
		kprintf("\n");
	}

	if (ai->ai_has_hpet || ai->ai_has_mcfg) {
		kprintf("acpi:");
		if (ai->ai_has_hpet)
			kprintf(" HPET %u at 0x%lx (min tick %u)", ai->ai_hpet_number,
			    ai->ai_hpet_addr, ai->ai_hpet_min_tick);
		if (ai->ai_has_mcfg)
			kprintf("%s ECAM at 0x%lx buses %u-%u", ai->ai_has_hpet ? "," : "",
			    ai->ai_mcfg_base, ai->ai_mcfg_bus_start, ai->ai_mcfg_bus_end);
		kprintf("\n");
	}
}
