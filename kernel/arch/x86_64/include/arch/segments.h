/*
 * segments.h: GDT indices and selectors, usable from C and assembly
 * (Intel SDM Vol. 3A, 3.4 and 5.8.8 for SYSCALL/SYSRET).
 *
 * The order is dictated by SYSCALL/SYSRET: SYSCALL loads CS from STAR[47:32]
 * and SS from that + 8; 64-bit SYSRET loads SS from STAR[63:48] + 8 and CS
 * from STAR[63:48] + 16.  So kernel data follows kernel code, and user data
 * precedes user code, with STAR[63:48] pointing at the slot before user data
 * (GDT_UCODE32, left null: we never return to 32-bit mode).
 */
#ifndef ARCH_SEGMENTS_H
#define ARCH_SEGMENTS_H

#define GDT_NULL	0
#define GDT_KCODE	1	/* 64-bit kernel code */
#define GDT_KDATA	2	/* kernel data, SYSCALL's SS */
#define GDT_UCODE32	3	/* SYSRET base; null (no compat mode) */
#define GDT_UDATA	4	/* user data, SYSRET's SS */
#define GDT_UCODE	5	/* 64-bit user code, SYSRET's CS */
#define GDT_TSS		6	/* 16-byte TSS descriptor: slots 6 and 7 */
#define GDT_ENTRIES	8

#define SEL_RPL_USER	3
#define SEL(index)	((index) << 3)
#define SEL_KCODE	SEL(GDT_KCODE)
#define SEL_KDATA	SEL(GDT_KDATA)
#define SEL_UDATA	(SEL(GDT_UDATA) | SEL_RPL_USER)
#define SEL_UCODE	(SEL(GDT_UCODE) | SEL_RPL_USER)
#define SEL_TSS		SEL(GDT_TSS)

/* IST slots in the TSS (1-based, as the IDT gate's IST field). */
#define IST_DF		1	/* double fault: the stack may be what broke */
#define IST_NMI		2	/* NMI can arrive anywhere, even mid-switch */
#define IST_MC		3	/* machine check */
#define IST_COUNT	3

#endif /* ARCH_SEGMENTS_H */
