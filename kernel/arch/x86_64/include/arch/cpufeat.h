/*
 * cpufeat.h: CPU features found by CPUID (Intel SDM Vol. 2A, CPUID) and
 * which of them the kernel turned on.
 */
#ifndef ARCH_CPUFEAT_H
#define ARCH_CPUFEAT_H

/* cpu_features.cf_smap's offset, for the entry paths (regs.h CLAC_USER). */
#define CF_SMAP		8

#ifndef __ASSEMBLER__
#include <stdint.h>

struct cpufeat {
	int cf_nx, cf_smep, cf_smap, cf_umip, cf_pge, cf_page1g, cf_syscall;
	int cf_x2apic, cf_tsc_deadline, cf_invariant_tsc, cf_xsave, cf_fsgsbase;
	int cf_pcid, cf_rdrand, cf_hypervisor, cf_apic, cf_sep;
	char cf_vendor[13];
};

_Static_assert(__builtin_offsetof(struct cpufeat, cf_smap) == CF_SMAP, "");

extern struct cpufeat cpu_features;

/* Detect, enable NX/WP/SMEP/SMAP/UMIP/PGE/SYSCALL where present, and report. */
void cpufeat_init(void);
/* The only way to write CR0 and CR4 after boot: pinned bits stay set. */
void cpu_write_cr0(uint64_t v);
void cpu_write_cr4(uint64_t v);

/* SMAP: allow (stac) or forbid (clac) supervisor access to user pages. */
static inline void stac(void) { if (cpu_features.cf_smap) __asm__ volatile("stac" ::: "memory"); }
static inline void clac(void) { if (cpu_features.cf_smap) __asm__ volatile("clac" ::: "memory"); }

#endif /* __ASSEMBLER__ */
#endif
