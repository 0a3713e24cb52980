/*
 * smpboot.h: the application processors' trampoline (boot/trampoline.S)
 * and its parameters, which smp.c writes at TRAMP_PARAMS in its page.
 */
#ifndef ARCH_SMPBOOT_H
#define ARCH_SMPBOOT_H

#define TRAMP_PARAMS	0xf00	/* offset in the trampoline's page */
#define TP_CR3		0x00	/* the start-up PML4 (the next page), below 4 GiB */
#define TP_CR4		0x08	/* PAE */
#define TP_EFER		0x10	/* LME, NXE */
#define TP_CR0		0x18	/* the boot CPU's, with PG */
#define TP_STACK	0x20	/* the CPU's idle stack top (kernel half) */
#define TP_ENTRY	0x28	/* ap_entry */
#define TP_ARG		0x30	/* its struct cpu */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct tramp_params {
	uint64_t tp_cr3, tp_cr4, tp_efer, tp_cr0, tp_stack, tp_entry, tp_arg;
};
_Static_assert(__builtin_offsetof(struct tramp_params, tp_arg) == TP_ARG, "TP_ARG");

extern const char ap_tramp_start[], ap_tramp_end[];
#endif
#endif
