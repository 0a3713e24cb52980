/*
 * trampoline.S: where an application processor starts (smp.c copies this
 * to the page below 1 MiB the SIPI names, with its parameters at
 * TRAMP_PARAMS).  Real mode, CS = page >> 4, IP = 0: to 32-bit protected
 * mode with this page's own GDT, then to long mode through the page tables
 * smp.c built in the next pages (the low 2 MiB identity-mapped, the
 * kernel half shared), then to ap_entry(cpu) on the CPU's idle stack.
 * Position-independent: %ebx holds the page's address throughout.
 * SDM Vol. 3A, 9.9 (switching modes) and 10.4 (MP initialisation).
 */
#include <arch/smpboot.h>

	.section .rodata
	.balign	16
	.globl	ap_tramp_start
ap_tramp_start:
	.code16
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	xorl	%ebx, %ebx
	movw	%ax, %bx
	shll	$4, %ebx			/* the page's physical address */
	/* The GDT's base and the far pointer: absolute, so made here. */
	leal	(tgdt - ap_tramp_start)(%ebx), %eax
	movl	%eax, (tgdtr - ap_tramp_start + 2)
	leal	(pm32 - ap_tramp_start)(%ebx), %eax
	movl	%eax, (pm32_ptr - ap_tramp_start)
	lgdtl	(tgdtr - ap_tramp_start)
	movl	%cr0, %eax
	orl	$1, %eax			/* PE */
	movl	%eax, %cr0
	ljmpl	*(pm32_ptr - ap_tramp_start)

	.code32
pm32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	leal	TRAMP_PARAMS(%ebx), %esp		/* a few bytes for the far return */
	movl	(TRAMP_PARAMS + TP_CR4)(%ebx), %eax	/* PAE */
	movl	%eax, %cr4
	movl	(TRAMP_PARAMS + TP_CR3)(%ebx), %eax	/* below 4 GiB: this page's next */
	movl	%eax, %cr3
	movl	$0xc0000080, %ecx			/* EFER: LME, NXE */
	movl	(TRAMP_PARAMS + TP_EFER)(%ebx), %eax
	movl	(TRAMP_PARAMS + TP_EFER + 4)(%ebx), %edx
	wrmsr
	movl	(TRAMP_PARAMS + TP_CR0)(%ebx), %eax	/* PG: long mode */
	movl	%eax, %cr0
	leal	(lm64 - ap_tramp_start)(%ebx), %eax
	pushl	$0x18
	pushl	%eax
	lretl

	.code64
lm64:
	movl	%ebx, %ebx			/* zero-extended */
	movq	(TRAMP_PARAMS + TP_STACK)(%rbx), %rsp
	movq	(TRAMP_PARAMS + TP_ARG)(%rbx), %rdi
	movq	(TRAMP_PARAMS + TP_ENTRY)(%rbx), %rax
	xorl	%ebp, %ebp			/* backtraces end here */
	pushq	$0				/* as if called: C's alignment */
	jmp	*%rax

	.balign	8
tgdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 0x08: 32-bit code, flat */
	.quad	0x00cf92000000ffff		/* 0x10: data, flat */
	.quad	0x00af9a000000ffff		/* 0x18: 64-bit code */
tgdtr:
	.word	tgdtr - tgdt - 1
	.long	0
pm32_ptr:
	.long	0
	.word	0x08
	.globl	ap_tramp_end
ap_tramp_end:
