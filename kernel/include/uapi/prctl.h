/*
 * prctl.h: arch_prctl(2) codes (Linux's arch/x86/include/uapi/asm/prctl.h).
 * Usable from C and assembly.
 */
#ifndef UAPI_PRCTL_H
#define UAPI_PRCTL_H

#define ARCH_SET_GS		0x1001
#define ARCH_SET_FS		0x1002
#define ARCH_GET_FS		0x1003
#define ARCH_GET_GS		0x1004
#define ARCH_GET_CPUID		0x1011
#define ARCH_SET_CPUID		0x1012
#define ARCH_GET_XCOMP_SUPP	0x1021
#define ARCH_GET_XCOMP_PERM	0x1022
#define ARCH_REQ_XCOMP_PERM	0x1023

#endif
