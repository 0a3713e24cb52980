/*
 * acpi.h: what the kernel learns from the ACPI tables, and the few hardware
 * actions built on it (ACPI 6.x, chapter 5 "ACPI Software Programming Model").
 *
 * Interface:
 *   acpi_init(rsdp_pa, virt_offset, &ai)  walks RSDP -> XSDT/RSDT -> MADT,
 *       FADT (-> DSDT \_S5), HPET, MCFG and fills ai.  Physical address pa
 *       is read at (void *)(pa + virt_offset): DIRECT_MAP_BASE in the kernel,
 *       a fake buffer in host tests.  Returns 0, or -1 when there is no
 *       usable RSDP or root table at all.  A missing or corrupt table is
 *       reported with one line and leaves its ai_has_* flag 0; it never
 *       stops the walk.
 *   acpi_print(&ai)                 a compact summary on the console.
 *   acpi_irq_to_gsi(&ai, irq, &fl)  the GSI an ISA IRQ arrives on, after
 *                                   the MADT's interrupt source overrides.
 *   acpi_pm_timer_delta(&ai, t0, t1) ticks between two PM timer reads.
 * acpi.c is pure (host tested); acpi_power.c touches the hardware:
 *   acpi_poweroff(&ai), acpi_reset(&ai)  return only if they did not work.
 *   acpi_pm_timer_read(&ai)              the free-running 3.579545 MHz count.
 *
 * Everything in struct acpi_info is a copy: no pointer into firmware memory
 * survives acpi_init.  Addresses are physical.
 */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include <stdint.h>

#define ACPI_MAX_CPUS		64	/* enabled processors kept in ai_cpus */
#define ACPI_MAX_IOAPICS	8
#define ACPI_MAX_OVERRIDES	16	/* ISA has 16 IRQs */
#define ACPI_MAX_LAPIC_NMIS	8
#define ACPI_MAX_MCFG		8	/* ECAM ranges kept in ai_mcfg */
#define ACPI_TABLE_MAX		(1u << 20)	/* longer tables are taken as corrupt */

#define ACPI_PM_TIMER_HZ	3579545

/* Generic Address Structure address spaces (5.2.3.2). */
#define ACPI_GAS_MEMORY		0
#define ACPI_GAS_IO		1
#define ACPI_GAS_PCI_CONFIG	2

/* MPS INTI flags of overrides and NMI entries (5.2.12, "MPS INTI flags"). */
#define ACPI_INTI_POLARITY_MASK		0x3
#define ACPI_INTI_POLARITY_CONFORMS	0x0	/* ISA: active high */
#define ACPI_INTI_POLARITY_HIGH		0x1
#define ACPI_INTI_POLARITY_LOW		0x3
#define ACPI_INTI_TRIGGER_MASK		0xc
#define ACPI_INTI_TRIGGER_CONFORMS	0x0	/* ISA: edge */
#define ACPI_INTI_TRIGGER_EDGE		0x4
#define ACPI_INTI_TRIGGER_LEVEL		0xc

/* ai_boot_arch: FADT IAPC_BOOT_ARCH (5.2.9.3). */
#define ACPI_BOOT_LEGACY_DEVICES	(1u << 0)	/* ISA/LPC devices (RTC, PIT, ...) */
#define ACPI_BOOT_8042			(1u << 1)	/* keyboard controller at 0x60/0x64 */
#define ACPI_BOOT_NO_VGA		(1u << 2)
#define ACPI_BOOT_NO_MSI		(1u << 3)
#define ACPI_BOOT_NO_PCIE_ASPM		(1u << 4)
#define ACPI_BOOT_NO_CMOS_RTC		(1u << 5)

/* ai_fadt_flags: FADT Flags (5.2.9), the bits the kernel reads. */
#define ACPI_FADT_TMR_VAL_EXT		(1u << 8)	/* PM timer is 32 bits, not 24 */
#define ACPI_FADT_RESET_REG_SUP		(1u << 10)
#define ACPI_FADT_HW_REDUCED		(1u << 20)	/* no fixed hardware (PM1, PM timer) */

#define ACPI_UID_ALL		0xffffffffu	/* an NMI entry for every processor */

struct acpi_cpu {
	uint32_t cpu_apic_id;	/* local APIC id (x2APIC id for type 9 entries) */
	uint32_t cpu_uid;	/* ACPI processor UID */
	uint8_t cpu_x2apic;	/* 1: listed by an x2APIC entry */
};

struct acpi_ioapic {
	uint32_t io_addr;	/* physical base of the register window */
	uint32_t io_gsi_base;	/* GSI of its input 0 */
	uint8_t io_id;
};

struct acpi_override {
	uint32_t ovr_gsi;	/* where the source really arrives */
	uint16_t ovr_flags;	/* ACPI_INTI_* */
	uint8_t ovr_bus;	/* 0: ISA (the only bus the spec defines) */
	uint8_t ovr_irq;	/* bus-relative source, e.g. ISA IRQ 0 */
};

struct acpi_lapic_nmi {
	uint32_t nmi_uid;	/* ACPI processor UID, or ACPI_UID_ALL */
	uint16_t nmi_flags;	/* ACPI_INTI_* */
	uint8_t nmi_lint;	/* 0: LINT0, 1: LINT1 */
};

struct acpi_mcfg_range {
	uint64_t mc_base;	/* ECAM address of bus 0 of the segment */
	uint16_t mc_segment;	/* PCI segment group */
	uint8_t mc_bus_start;
	uint8_t mc_bus_end;
};

struct acpi_info {
	/* Root: the RSDP and which table listed the others. */
	int ai_has_root;		/* 1 when acpi_init returned 0 */
	uint8_t ai_rsdp_revision;	/* 0: ACPI 1.0, 2+: ACPI 2.0+ */
	uint8_t ai_xsdt;		/* 1: XSDT used, 0: RSDT */
	char ai_oem[7];			/* RSDP OEM id, NUL terminated */
	uint32_t ai_ntables;		/* entries in the root table */
	uint32_t ai_nskipped;		/* tables skipped as corrupt */

	/* MADT "APIC" (5.2.12). */
	int ai_has_madt;
	uint64_t ai_lapic_addr;		/* 64-bit override (type 5) applied */
	int ai_pcat_compat;		/* 1: dual 8259s present, mask them */
	int ai_ncpus;			/* usable now: ai_cpus[0..ai_ncpus) */
	int ai_ncpus_extra;		/* enabled but beyond ACPI_MAX_CPUS */
	int ai_ncpus_hotplug;		/* online capable, not enabled */
	int ai_ncpus_disabled;		/* neither: never usable */
	struct acpi_cpu ai_cpus[ACPI_MAX_CPUS];
	int ai_nioapics;
	int ai_nioapics_extra;
	struct acpi_ioapic ai_ioapics[ACPI_MAX_IOAPICS];
	int ai_noverrides;
	int ai_noverrides_extra;
	struct acpi_override ai_overrides[ACPI_MAX_OVERRIDES];
	int ai_nnmi_sources;		/* type 3 entries: counted only */
	int ai_nlapic_nmis;		/* types 4 and 10 */
	int ai_nlapic_nmis_extra;
	struct acpi_lapic_nmi ai_lapic_nmis[ACPI_MAX_LAPIC_NMIS];

	/* FADT "FACP" (5.2.9).  A port of 0 means absent. */
	int ai_has_fadt;
	uint8_t ai_fadt_revision;
	uint32_t ai_fadt_flags;		/* ACPI_FADT_* */
	uint16_t ai_boot_arch;		/* ACPI_BOOT_*; assumed legacy + 8042 before FADT rev 2 */
	uint8_t ai_rtc_century;		/* CMOS index of the century, 0: none */
	int ai_hw_reduced;
	uint16_t ai_sci_irq;
	uint16_t ai_smi_cmd;		/* port that switches to ACPI mode, 0: already there */
	uint8_t ai_acpi_enable;		/* value to write to ai_smi_cmd */
	uint16_t ai_pm_tmr_port;
	int ai_pm_tmr_32bit;
	uint16_t ai_pm1a_cnt_port;
	uint16_t ai_pm1b_cnt_port;
	int ai_has_reset;		/* RESET_REG_SUP and a usable register */
	uint8_t ai_reset_space;		/* ACPI_GAS_* */
	uint8_t ai_reset_value;
	uint64_t ai_reset_addr;
	uint64_t ai_dsdt;		/* physical address, 0 if none */

	/* \_S5 from the DSDT: what to write to SLP_TYPx to power off. */
	int ai_has_s5;
	uint8_t ai_s5_typa;
	uint8_t ai_s5_typb;

	/* HPET "HPET" (IA-PC HPET spec 1.0a, 3.2.4). */
	int ai_has_hpet;
	uint64_t ai_hpet_addr;		/* system memory */
	uint16_t ai_hpet_min_tick;	/* main counter ticks, periodic mode */
	uint8_t ai_hpet_number;

	/*
	 * MCFG "MCFG" (PCI Firmware spec 3.2, 4.1.2): every usable ECAM range
	 * in ai_mcfg, and the first of segment 0 again in ai_has_mcfg and
	 * ai_mcfg_base.. (segment 0 is the one the ports reach too).
	 */
	int ai_has_mcfg;
	uint64_t ai_mcfg_base;
	uint8_t ai_mcfg_bus_start;
	uint8_t ai_mcfg_bus_end;
	int ai_nmcfg;
	int ai_nmcfg_extra;		/* usable ranges beyond ACPI_MAX_MCFG */
	struct acpi_mcfg_range ai_mcfg[ACPI_MAX_MCFG];
};

/* acpi.c: pure parsing. */
int acpi_init(uint64_t rsdp_pa, uint64_t virt_offset, struct acpi_info *ai);
void acpi_print(const struct acpi_info *ai);
uint32_t acpi_irq_to_gsi(const struct acpi_info *ai, uint8_t isa_irq, uint16_t *flags);
uint32_t acpi_pm_timer_delta(const struct acpi_info *ai, uint32_t t0, uint32_t t1);

/* acpi_power.c: the hardware. */
void acpi_poweroff(const struct acpi_info *ai);
void acpi_reset(const struct acpi_info *ai);
uint32_t acpi_pm_timer_read(const struct acpi_info *ai);

#endif /* KERNEL_ACPI_H */
