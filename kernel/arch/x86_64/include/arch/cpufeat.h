/*
 * cpufeat.h: CPU features found by CPUID (Intel SDM Vol. 2A, CPUID) and
 * which of them the kernel turned on.
 */
#ifndef ARCH_CPUFEAT_H
#define ARCH_CPUFEAT_H

#include <stdint.h>

struct cpufeat {
	int cf_nx, cf_smep, cf_smap, cf_umip, cf_pge, cf_page1g, cf_syscall;
	int cf_x2apic, cf_tsc_deadline, cf_invariant_tsc, cf_xsave, cf_fsgsbase;
	int cf_pcid, cf_rdrand, cf_hypervisor, cf_apic, cf_sep;
	char cf_vendor[13];
};

extern struct cpufeat cpu_features;

/* Once: detect (CPUID only); panics without NX. */
void cpufeat_init(void);
/* Every CPU: NX/WP/SMEP/SMAP/UMIP/PGE where present, PAT, no firmware leftovers. */
void cpufeat_enable_this(void);
/* Once: report what was found and turned on. */
void cpufeat_print(void);
/* The only way to write CR0 and CR4 after boot: pinned bits stay set. */
void cpu_write_cr0(uint64_t v);
void cpu_write_cr4(uint64_t v);

/* SMAP: allow (stac) or forbid (clac) supervisor access to user pages. */
static inline void stac(void) { if (cpu_features.cf_smap) __asm__ volatile("stac" ::: "memory"); }
static inline void clac(void) { if (cpu_features.cf_smap) __asm__ volatile("clac" ::: "memory"); }

#endif
