/*
 * cpufeat.c: CPU feature detection and the protections turned on at boot.
 *
 * Nothing is used that CPUID does not report: QEMU's TCG CPUs lack PCID,
 * `-cpu qemu64` lacks SMEP, SMAP and UMIP, and real machines vary.
 */
#include <keel/kernel.h>
#include <arch/cpu.h>
#include <arch/cpufeat.h>

/* WB, WC, UC-, UC, WB, WT, UC-, UC (entries 0-7, one byte each). */
#define PAT_VALUE	0x0007040600070106ULL

struct cpufeat cpu_features;

/*
 * Pinned control-register bits: once on, SMEP, SMAP, UMIP (CR4) and WP
 * (CR0) stay on.  Every write goes through cpu_write_cr0/cr4, which put
 * them back and check the result, so a stray or malicious write cannot
 * switch the protections off without a panic.
 */
static uint64_t cr0_pinned, cr4_pinned;

void
cpu_write_cr4(uint64_t v)
{
	write_cr4(v | cr4_pinned);
	if ((read_cr4() & cr4_pinned) != cr4_pinned)
		panic("cpu: pinned CR4 bits 0x%lx were cleared", cr4_pinned);
}

void
cpu_write_cr0(uint64_t v)
{
	write_cr0(v | cr0_pinned);
	if ((read_cr0() & cr0_pinned) != cr0_pinned)
		panic("cpu: pinned CR0 bits 0x%lx were cleared", cr0_pinned);
}

#define BIT(r, n)	(((r) >> (n)) & 1)

void
cpufeat_init(void)
{
	struct cpufeat *f = &cpu_features;
	uint32_t r[4], maxleaf, maxext;

	cpuid(0, 0, r);
	maxleaf = r[0];
	memcpy(f->cf_vendor, &r[1], 4);
	memcpy(f->cf_vendor + 4, &r[3], 4);
	memcpy(f->cf_vendor + 8, &r[2], 4);
	cpuid(1, 0, r);
	f->cf_pge = BIT(r[3], 13);
	f->cf_sep = BIT(r[3], 11);
	f->cf_apic = BIT(r[3], 9);
	f->cf_pcid = BIT(r[2], 17);
	f->cf_x2apic = BIT(r[2], 21);
	f->cf_tsc_deadline = BIT(r[2], 24);
	f->cf_xsave = BIT(r[2], 26);
	f->cf_rdrand = BIT(r[2], 30);
	f->cf_hypervisor = BIT(r[2], 31);
	if (maxleaf >= 7) {
		cpuid(7, 0, r);
		f->cf_fsgsbase = BIT(r[1], 0);
		f->cf_smep = BIT(r[1], 7);
		f->cf_smap = BIT(r[1], 20);
		f->cf_umip = BIT(r[2], 2);
	}
	cpuid(0x80000000, 0, r);
	maxext = r[0];
	if (maxext >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		f->cf_syscall = BIT(r[3], 11);
		f->cf_nx = BIT(r[3], 20);
		f->cf_page1g = BIT(r[3], 26);
	}
	if (maxext >= 0x80000007) {
		cpuid(0x80000007, 0, r);
		f->cf_invariant_tsc = BIT(r[3], 8);
	}

	if (!f->cf_nx)
		panic("cpu: no NX bit: the kernel's W^X needs it");
}

/* What every CPU turns on for itself, from what cpufeat_init found. */
void
cpufeat_enable_this(void)
{
	struct cpufeat *f = &cpu_features;
	uint64_t cr4;

	/*
	 * The loader set EFER.NXE and CR0.WP; keep them.  User programs use
	 * SSE (the kernel never does): x87/SSE on, no emulation, native errors.
	 * AM: a process that sets EFLAGS.AC gets alignment checks (#AC,
	 * SIGBUS), as on Linux; ring 0 is never checked.
	 */
	cpu_write_cr0((read_cr0() | CR0_WP | CR0_MP | CR0_NE | CR0_AM) & ~(CR0_EM | CR0_TS));
	cr0_pinned = CR0_WP;
	/*
	 * Nothing the firmware left may reach ring 3: no user RDPMC (PCE),
	 * no virtual-8086 extensions, RDTSC allowed as on Linux (TSD clear),
	 * DR4/DR5 refused (DE).
	 */
	cr4 = (read_cr4() & ~(CR4_VME | CR4_PVI | CR4_TSD | CR4_PCE)) | CR4_DE |
	    CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (f->cf_pge)
		cr4 |= CR4_PGE;
	if (f->cf_smep)
		cr4 |= CR4_SMEP;
	if (f->cf_smap)
		cr4 |= CR4_SMAP;
	if (f->cf_umip)
		cr4 |= CR4_UMIP;
	cpu_write_cr4(cr4);
	cr4_pinned = cr4 & (CR4_SMEP | CR4_SMAP | CR4_UMIP);
	if (f->cf_smap)
		clac();
	/*
	 * PAT entry 1 (PWT set, PCD clear) becomes write-combining, as on
	 * Linux, for the framebuffer; entry 0 stays write-back for all else
	 * (SDM Vol. 3A, 12.12.4).  The other entries keep their reset values.
	 */
	wrmsr(MSR_PAT, PAT_VALUE);
	/*
	 * SYSENTER from 64-bit mode is legal on Intel CPUs: with a null
	 * SYSENTER_CS it is #GP, whatever target the firmware left.  And no
	 * hardware breakpoint of the firmware's stays armed.
	 */
	if (f->cf_sep) {
		wrmsr(MSR_SYSENTER_CS, 0);
		wrmsr(MSR_SYSENTER_ESP, 0);
		wrmsr(MSR_SYSENTER_EIP, 0);
	}
	__asm__ volatile("mov %0, %%dr7" : : "r"(0x400UL));
}

void
cpufeat_print(void)
{
	struct cpufeat *f = &cpu_features;

	kprintf("cpu: %s; on: NX WP%s%s%s%s%s; absent:%s%s%s%s%s%s\n", f->cf_vendor,
	    f->cf_smep ? " SMEP" : "", f->cf_smap ? " SMAP" : "",
	    f->cf_umip ? " UMIP" : "", f->cf_pge ? " PGE" : "",
	    f->cf_syscall ? " SYSCALL" : "",
	    f->cf_smep ? "" : " SMEP", f->cf_smap ? "" : " SMAP",
	    f->cf_umip ? "" : " UMIP", f->cf_pcid ? "" : " PCID",
	    f->cf_x2apic ? "" : " x2APIC", f->cf_tsc_deadline ? "" : " TSC-deadline");
}
