/*
 * cpu.h: one-instruction wrappers and the control-register bits the kernel
 * uses (Intel SDM Vol. 3A, 2.5 control registers, 2.2.1 EFER).
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#define CR0_PE		(1UL << 0)
#define CR0_MP		(1UL << 1)
#define CR0_EM		(1UL << 2)
#define CR0_TS		(1UL << 3)
#define CR0_NE		(1UL << 5)
#define CR0_WP		(1UL << 16)
#define CR0_AM		(1UL << 18)
#define CR0_PG		(1UL << 31)

#define CR4_VME		(1UL << 0)
#define CR4_PVI		(1UL << 1)
#define CR4_TSD		(1UL << 2)
#define CR4_DE		(1UL << 3)
#define CR4_PAE		(1UL << 5)
#define CR4_PCE		(1UL << 8)
#define CR4_PGE		(1UL << 7)
#define CR4_OSFXSR	(1UL << 9)
#define CR4_OSXMMEXCPT	(1UL << 10)
#define CR4_UMIP	(1UL << 11)
#define CR4_FSGSBASE	(1UL << 16)
#define CR4_PCIDE	(1UL << 17)
#define CR4_OSXSAVE	(1UL << 18)
#define CR4_SMEP	(1UL << 20)
#define CR4_SMAP	(1UL << 21)

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

#define EFER_SCE	(1UL << 0)
#define EFER_LME	(1UL << 8)
#define EFER_NXE	(1UL << 11)

#define RFLAGS_TF	(1UL << 8)
#define RFLAGS_IF	(1UL << 9)
#define RFLAGS_DF	(1UL << 10)
#define RFLAGS_NT	(1UL << 14)
#define RFLAGS_RF	(1UL << 16)
#define RFLAGS_AC	(1UL << 18)

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }

static inline uint8_t
inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t
inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t
rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline uint64_t
rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void
cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(sub));
}

#define CR_ACCESSORS(n)							\
static inline uint64_t read_cr##n(void)					\
{									\
	uint64_t v;							\
	__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(uint64_t v)				\
{									\
	__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");	\
}
CR_ACCESSORS(0)
CR_ACCESSORS(2)
CR_ACCESSORS(3)
CR_ACCESSORS(4)

static inline void cli(void) { __asm__ volatile("cli" : : : "memory"); }
static inline void sti(void) { __asm__ volatile("sti" : : : "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" : : : "memory"); }
static inline void pause(void) { __asm__ volatile("pause"); }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

static inline uint64_t
read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

static inline void __attribute__((noreturn))
halt_forever(void)
{
	for (;;) {
		cli();
		hlt();
	}
}
#endif /* __ASSEMBLER__ */
#endif /* ARCH_CPU_H */
