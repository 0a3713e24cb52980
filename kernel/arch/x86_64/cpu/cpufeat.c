/*
 * cpufeat.c: CPU feature detection and the protections turned on at boot.
 *
 * Nothing is used that CPUID does not report: QEMU's TCG CPUs lack PCID,
 * `-cpu qemu64` lacks SMEP, SMAP and UMIP, and real machines vary.
 */
#include <keel/kernel.h>
#include <keel/cpu.h>
#include <lib/fmt.h>
#include <arch/arch.h>
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

/*
 * /proc/cpuinfo (Linux's show_cpuinfo, arch/x86/kernel/cpu/proc.c): one
 * entry per online CPU, from CPUID as that CPU would answer (every CPU
 * here is the same model), with its own APIC ID.  The flags are those
 * of Linux's names keel's users look for, each only if CPUID reports it.
 */
static const struct { uint8_t leaf, reg, bit; const char *name; } flagtab[] = {
	/* leaf 0: CPUID.1, 1: CPUID.7.0, 2: CPUID.0x80000001; reg 2 ECX, 3 EDX, 1 EBX */
	{ 0, 3, 0, "fpu" }, { 0, 3, 1, "vme" }, { 0, 3, 2, "de" }, { 0, 3, 3, "pse" },
	{ 0, 3, 4, "tsc" }, { 0, 3, 5, "msr" }, { 0, 3, 6, "pae" }, { 0, 3, 7, "mce" },
	{ 0, 3, 8, "cx8" }, { 0, 3, 9, "apic" }, { 0, 3, 11, "sep" }, { 0, 3, 12, "mtrr" },
	{ 0, 3, 13, "pge" }, { 0, 3, 14, "mca" }, { 0, 3, 15, "cmov" }, { 0, 3, 16, "pat" },
	{ 0, 3, 17, "pse36" }, { 0, 3, 19, "clflush" }, { 0, 3, 23, "mmx" },
	{ 0, 3, 24, "fxsr" }, { 0, 3, 25, "sse" }, { 0, 3, 26, "sse2" }, { 0, 3, 28, "ht" },
	{ 2, 3, 11, "syscall" }, { 2, 3, 20, "nx" }, { 2, 3, 26, "pdpe1gb" },
	{ 2, 3, 27, "rdtscp" }, { 2, 3, 29, "lm" },
	{ 0, 2, 0, "pni" }, { 0, 2, 1, "pclmulqdq" }, { 0, 2, 3, "monitor" },
	{ 0, 2, 9, "ssse3" }, { 0, 2, 12, "fma" }, { 0, 2, 13, "cx16" }, { 0, 2, 17, "pcid" },
	{ 0, 2, 19, "sse4_1" }, { 0, 2, 20, "sse4_2" }, { 0, 2, 21, "x2apic" },
	{ 0, 2, 22, "movbe" }, { 0, 2, 23, "popcnt" }, { 0, 2, 24, "tsc_deadline_timer" },
	{ 0, 2, 25, "aes" }, { 0, 2, 26, "xsave" }, { 0, 2, 28, "avx" }, { 0, 2, 29, "f16c" },
	{ 0, 2, 30, "rdrand" }, { 0, 2, 31, "hypervisor" },
	{ 2, 2, 0, "lahf_lm" }, { 2, 2, 5, "abm" }, { 2, 2, 6, "sse4a" },
	{ 1, 1, 0, "fsgsbase" }, { 1, 1, 3, "bmi1" }, { 1, 1, 5, "avx2" }, { 1, 1, 7, "smep" },
	{ 1, 1, 8, "bmi2" }, { 1, 1, 9, "erms" }, { 1, 1, 10, "invpcid" },
	{ 1, 1, 16, "avx512f" }, { 1, 1, 18, "rdseed" }, { 1, 1, 19, "adx" },
	{ 1, 1, 20, "smap" }, { 1, 1, 23, "clflushopt" }, { 1, 1, 29, "sha_ni" },
	{ 1, 2, 2, "umip" }, { 1, 2, 4, "pku" },
};

int
arch_cpuinfo(const struct cpu *c, char *buf, int size)
{
	uint32_t r[4], regs[3][4] = { { 0 } }, fam, model, brand[13] = { 0 }, bits = 0x3024;
	uint64_t khz = clock_tsc_hz() / 1000;
	int n = 0, i;

#define PUT(...) (n += fmt_snprintf(n < size ? buf + n : 0, n < size ? (size_t)(size - n) : 0, __VA_ARGS__))
	cpuid(0, 0, r);
	if (r[0] >= 7)
		cpuid(7, 0, regs[1]);
	cpuid(1, 0, regs[0]);
	fam = regs[0][0] >> 8 & 0xf;
	model = regs[0][0] >> 4 & 0xf;
	if (fam == 0xf)
		fam += regs[0][0] >> 20 & 0xff;
	if (fam >= 6)
		model |= (regs[0][0] >> 16 & 0xf) << 4;
	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001)
		cpuid(0x80000001, 0, regs[2]);
	if (r[0] >= 0x80000004)
		for (i = 0; i < 3; i++)
			cpuid(0x80000002 + i, 0, &brand[i * 4]);
	if (r[0] >= 0x80000008) {
		cpuid(0x80000008, 0, r);
		bits = r[0];
	}
	PUT("processor\t: %d\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
	    "model name\t: %s\nstepping\t: %u\ncpu MHz\t\t: %lu.%03lu\n",
	    c->c_id, cpu_features.cf_vendor, fam, model,
	    brand[0] ? (const char *)brand : "unknown", regs[0][0] & 0xf, khz / 1000, khz % 1000);
	PUT("physical id\t: 0\nsiblings\t: %d\ncore id\t\t: %d\ncpu cores\t: %d\n"
	    "apicid\t\t: %u\ninitial apicid\t: %u\nfpu\t\t: yes\nfpu_exception\t: yes\n"
	    "wp\t\t: yes\nflags\t\t:", ncpus_online, c->c_id, ncpus_online,
	    c->c_apic_id, c->c_apic_id);
	for (i = 0; i < (int)(sizeof(flagtab) / sizeof(flagtab[0])); i++)
		if (regs[flagtab[i].leaf][flagtab[i].reg] >> flagtab[i].bit & 1)
			PUT(" %s", flagtab[i].name);
	PUT("\nbogomips\t: %lu.%02lu\nclflush size\t: 64\ncache_alignment\t: 64\n"
	    "address sizes\t: %u bits physical, %u bits virtual\npower management:\n\n",
	    khz * 2 / 1000, khz * 2 / 10 % 100, bits & 0xff, bits >> 8 & 0xff);
#undef PUT
	return n;
}
