/*
 * cpureg.h: x86-64 control-register, EFER and RFLAGS bits and MSR numbers
 * (Intel SDM Vol. 3A, 2.5 control registers, 2.2.1 EFER, 2.3 RFLAGS;
 * Vol. 4 for the MSRs).  Usable from C and assembly: the loader's hand-off
 * (loader/handoff.S) and the kernel (<arch/cpu.h>, syscall.S) take them
 * from here.
 */
#ifndef LIB_CPUREG_H
#define LIB_CPUREG_H

#include <shared/layout.h>	/* _AC */

#define CR0_PE		(_AC(1, UL) << 0)
#define CR0_MP		(_AC(1, UL) << 1)
#define CR0_EM		(_AC(1, UL) << 2)
#define CR0_TS		(_AC(1, UL) << 3)
#define CR0_NE		(_AC(1, UL) << 5)
#define CR0_WP		(_AC(1, UL) << 16)
#define CR0_AM		(_AC(1, UL) << 18)
#define CR0_PG		(_AC(1, UL) << 31)

#define CR4_VME		(_AC(1, UL) << 0)
#define CR4_PVI		(_AC(1, UL) << 1)
#define CR4_TSD		(_AC(1, UL) << 2)
#define CR4_DE		(_AC(1, UL) << 3)
#define CR4_PAE		(_AC(1, UL) << 5)
#define CR4_PCE		(_AC(1, UL) << 8)
#define CR4_PGE		(_AC(1, UL) << 7)
#define CR4_OSFXSR	(_AC(1, UL) << 9)
#define CR4_OSXMMEXCPT	(_AC(1, UL) << 10)
#define CR4_UMIP	(_AC(1, UL) << 11)
#define CR4_FSGSBASE	(_AC(1, UL) << 16)
#define CR4_PCIDE	(_AC(1, UL) << 17)
#define CR4_OSXSAVE	(_AC(1, UL) << 18)
#define CR4_SMEP	(_AC(1, UL) << 20)
#define CR4_SMAP	(_AC(1, UL) << 21)

#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_FMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_APIC_BASE		0x0000001b
#define MSR_SYSENTER_CS		0x00000174
#define MSR_SYSENTER_ESP	0x00000175
#define MSR_SYSENTER_EIP	0x00000176
#define MSR_PAT			0x00000277
#define MSR_TSC_DEADLINE	0x000006e0

#define EFER_SCE	(_AC(1, UL) << 0)
#define EFER_LME	(_AC(1, UL) << 8)
#define EFER_NXE	(_AC(1, UL) << 11)

#define RFLAGS_TF	(_AC(1, UL) << 8)
#define RFLAGS_IF	(_AC(1, UL) << 9)
#define RFLAGS_DF	(_AC(1, UL) << 10)
#define RFLAGS_NT	(_AC(1, UL) << 14)
#define RFLAGS_RF	(_AC(1, UL) << 16)
#define RFLAGS_AC	(_AC(1, UL) << 18)

#endif
