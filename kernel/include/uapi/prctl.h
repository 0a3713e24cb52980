/*
 * prctl.h: arch_prctl(2) codes (Linux's arch/x86/include/uapi/asm/prctl.h)
 * and prctl(2)'s (include/uapi/linux/prctl.h).  Usable from C and assembly.
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

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

/* personality(2) (include/uapi/linux/personality.h). */
#define PER_LINUX		0x0000
#define PER_LINUX32		0x0008
#define PER_MASK		0x00ff
#define PER_QUERY		0xffffffffu	/* only asks */

#endif
