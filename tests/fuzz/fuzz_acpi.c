/*
 * fuzz_acpi.c: libFuzzer harness for acpi_init (kernel/acpi.c), which walks
 * the firmware's ACPI tables from the RSDP.
 *
 * Fake physical memory: the input IS physical memory from address 0x1000
 * (FAKE_PA) on; its first 8 bytes, modulo the input size, give the RSDP's
 * offset in it.  Every other physical address reads as zero.
 *
 * Why not an exact-size buffer with everything else out of bounds: acpi.c
 * has no notion of where physical memory ends.  It refuses only addresses
 * beyond the direct map's reach (pa + len > DIRECT_MAP_SIZE, 64 TiB), and
 * says so in its opening comment; a table address anywhere below that is
 * read.  So the harness maps the whole 64 TiB as read-only zero pages
 * (MAP_NORESERVE: nothing is allocated until read, and reads share the
 * zero page), with PROT_NONE guards of GUARD bytes on both sides: a read
 * acpi.c should have refused faults, and so does any write to firmware
 * memory (the input is copied in, then made read-only).  The price is
 * that ASan cannot see a table read past the end of the input: those bytes
 * are zeros, which firmware memory could hold.
 *
 * After acpi_init, the fake memory is made inaccessible and acpi_print and
 * acpi_irq_to_gsi run on the result: acpi.h promises that nothing in
 * struct acpi_info points into firmware memory.  The mapping is replaced
 * for each input, which drops whatever the previous one touched.
 */
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "fuzz.h"
#include <keel/acpi.h>
#include <shared/layout.h>

#define FAKE_PA		0x1000UL
#define GUARD		(1UL << 30)

static uint8_t *fake;	/* physical address 0, fixed once mapped */

/* The whole direct-map span again, with fresh pages and protection prot. */
static void
fake_map(int prot)
{
	uint8_t *p;

	if (fake == 0) {
		p = mmap(0, DIRECT_MAP_SIZE + 2 * GUARD, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		FUZZ_CHECK(p != MAP_FAILED, "cannot reserve %lu bytes of address space",
		    DIRECT_MAP_SIZE + 2 * GUARD);
		fake = p + GUARD;
	}
	/*
	 * The raw system call, not ASan's mmap: that one would also reset the
	 * 8 TiB of shadow memory behind the range each time, four times the
	 * cost of a whole run.  The shadow stays all "addressable" anyway.
	 */
	p = (uint8_t *)syscall(SYS_mmap, fake, DIRECT_MAP_SIZE, prot,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	FUZZ_CHECK(p == fake, "cannot map the fake physical memory");
}

static void
check_info(const struct acpi_info *ai, int r)
{
	int i, j;

	FUZZ_CHECK(r == 0 || r == -1, "acpi_init returned %d", r);
	FUZZ_CHECK(ai->ai_has_root == (r == 0), "ai_has_root %d, returned %d",
	    ai->ai_has_root, r);
	FUZZ_CHECK(memchr(ai->ai_oem, 0, sizeof(ai->ai_oem)) != 0, "OEM id not terminated");
	FUZZ_CHECK(!ai->ai_xsdt || ai->ai_rsdp_revision >= 2, "XSDT from an ACPI 1.0 RSDP");
	FUZZ_CHECK(ai->ai_ntables <= ACPI_TABLE_MAX / 4, "%u tables", ai->ai_ntables);
	FUZZ_CHECK(ai->ai_ncpus >= 0 && ai->ai_ncpus <= ACPI_MAX_CPUS &&
	    ai->ai_ncpus_extra >= 0 && ai->ai_ncpus_hotplug >= 0 &&
	    ai->ai_ncpus_disabled >= 0, "CPU counts");
	FUZZ_CHECK(ai->ai_ncpus_extra == 0 || ai->ai_ncpus == ACPI_MAX_CPUS,
	    "CPUs left out with room to spare");
	for (i = 0; i < ai->ai_ncpus; i++) {
		FUZZ_CHECK(ai->ai_cpus[i].cpu_apic_id !=
		    (ai->ai_cpus[i].cpu_x2apic ? 0xffffffffu : 0xffu), "filler APIC id kept");
		for (j = 0; j < i; j++)
			FUZZ_CHECK(ai->ai_cpus[i].cpu_apic_id != ai->ai_cpus[j].cpu_apic_id,
			    "APIC id %u twice", ai->ai_cpus[i].cpu_apic_id);
	}
	FUZZ_CHECK(ai->ai_nioapics >= 0 && ai->ai_nioapics <= ACPI_MAX_IOAPICS &&
	    ai->ai_nioapics_extra >= 0, "IO-APIC counts");
	FUZZ_CHECK(ai->ai_noverrides >= 0 && ai->ai_noverrides <= ACPI_MAX_OVERRIDES &&
	    ai->ai_noverrides_extra >= 0, "override counts");
	FUZZ_CHECK(ai->ai_nlapic_nmis >= 0 && ai->ai_nlapic_nmis <= ACPI_MAX_LAPIC_NMIS &&
	    ai->ai_nlapic_nmis_extra >= 0, "LAPIC NMI counts");
	if (!ai->ai_has_madt)
		FUZZ_CHECK(ai->ai_ncpus == 0 && ai->ai_nioapics == 0 &&
		    ai->ai_noverrides == 0, "MADT data without a MADT");
	if (ai->ai_has_s5)
		FUZZ_CHECK(ai->ai_has_fadt && ai->ai_s5_typa <= 7 && ai->ai_s5_typb <= 7,
		    "\\_S5 types %u %u", ai->ai_s5_typa, ai->ai_s5_typb);
	if (ai->ai_has_reset)
		FUZZ_CHECK(ai->ai_reset_addr != 0 && (ai->ai_reset_space == ACPI_GAS_MEMORY ||
		    ai->ai_reset_space == ACPI_GAS_PCI_CONFIG ||
		    (ai->ai_reset_space == ACPI_GAS_IO && ai->ai_reset_addr <= 0xffff)),
		    "reset register space %u at 0x%lx", ai->ai_reset_space,
		    ai->ai_reset_addr);
	if (ai->ai_has_hpet)
		FUZZ_CHECK(ai->ai_hpet_addr != 0, "HPET at 0");
	if (ai->ai_has_mcfg)
		FUZZ_CHECK(ai->ai_mcfg_base != 0 &&
		    ai->ai_mcfg_bus_start <= ai->ai_mcfg_bus_end, "MCFG window");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_info *ai = malloc(sizeof(*ai));
	uint64_t rsdp, span;
	uint16_t flags;
	int r, irq;

	if (size < 8 || size > (1UL << 24)) {
		free(ai);
		return 0;
	}
	rsdp = FAKE_PA + fuzz_u64(data) % size;

	fake_map(PROT_READ);
	span = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	FUZZ_CHECK(mprotect(fake + FAKE_PA, span, PROT_READ | PROT_WRITE) == 0, "mprotect");
	memcpy(fake + FAKE_PA, data, size);
	FUZZ_CHECK(mprotect(fake + FAKE_PA, span, PROT_READ) == 0, "mprotect");

	r = acpi_init(rsdp, (uint64_t)(uintptr_t)fake, ai);

	/* No pointer into firmware memory may survive acpi_init. */
	fake_map(PROT_NONE);
	check_info(ai, r);
	acpi_print(ai);
	for (irq = 0; irq < 256; irq++)
		(void)acpi_irq_to_gsi(ai, (uint8_t)irq, irq & 1 ? &flags : 0);
	(void)acpi_pm_timer_delta(ai, 0xfffffff0u, 5);
	free(ai);
	return 0;
}
